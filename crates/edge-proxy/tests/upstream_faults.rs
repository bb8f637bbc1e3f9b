//! Upstream fault injection: mock upstreams on 127.0.0.1 that refuse,
//! stall, reset, throttle or restart. Each test asserts what the client saw
//! and what the upstream received: nothing is acknowledged that the upstream
//! did not answer for.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use http::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

const NO_POLICIES: &str = r#"{"policies":[]}"#;
const BODY: &str = r#"[{"message":"one","status":"info"},{"message":"two","status":"warn"}]"#;

/// A request as a raw mock upstream read it.
#[derive(Debug, Clone)]
struct RawRequest {
    head: String,
    body: Vec<u8>,
}

/// What a raw mock upstream does once it has read a whole request.
#[derive(Debug, Clone)]
enum Act {
    /// Write these bytes, then close with a TCP reset when `reset`, else
    /// keep the connection open for the next request.
    Write { bytes: Vec<u8>, reset: bool },
    /// Write these bytes, then close normally (FIN).
    WriteClose(Vec<u8>),
    /// Write the first bytes, wait, write the rest.
    Stall {
        first: Vec<u8>,
        wait: Duration,
        rest: Vec<u8>,
    },
}

/// A hand-written HTTP/1.1 upstream that answers every request with the
/// next act (the last one repeats) and records what it read.
struct RawUpstream {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawUpstream {
    async fn start(acts: Vec<Act>) -> RawUpstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let rec = received.clone();
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (rec, acts) = (rec.clone(), acts.clone());
                conns.spawn(serve_raw(stream, rec, acts));
            }
        });
        RawUpstream {
            addr,
            received,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<RawRequest> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for RawUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_raw(mut stream: TcpStream, rec: Arc<Mutex<Vec<RawRequest>>>, acts: Vec<Act>) {
    loop {
        let Some(req) = read_request(&mut stream).await else {
            return;
        };
        let n = {
            let mut r = rec.lock().unwrap();
            r.push(req);
            r.len()
        };
        let act = acts[(n - 1).min(acts.len() - 1)].clone();
        match act {
            Act::Write { bytes, reset } => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
                if reset {
                    // Linger 0: the close sends a TCP reset (never blocks).
                    #[allow(deprecated)]
                    let _ = stream.set_linger(Some(Duration::ZERO));
                    return;
                }
            }
            Act::WriteClose(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Act::Stall { first, wait, rest } => {
                if stream.write_all(&first).await.is_err() {
                    return;
                }
                tokio::time::sleep(wait).await;
                if stream.write_all(&rest).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads one request (head plus `Content-Length` body).
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest { head, body })
}

fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

async fn post(proxy: &Proxy, path: &str) -> Result<reqwest::Response, reqwest::Error> {
    client()
        .post(proxy.url(path))
        .header("content-type", "application/json")
        .header("dd-api-key", "k")
        .body(BODY)
        .send()
        .await
}

/// A hyper upstream answering `202` that can be stopped (listener and
/// every open connection closed) and started again on the same port.
struct Upstream202 {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<bytes::Bytes>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Upstream202 {
    async fn start_on(addr: SocketAddr) -> Upstream202 {
        Upstream202::start_with(TcpListener::bind(addr).await.unwrap())
    }

    fn start_with(listener: TcpListener) -> Upstream202 {
        let addr = listener.local_addr().unwrap();
        let received: Arc<Mutex<Vec<bytes::Bytes>>> = Arc::default();
        let rec = received.clone();
        let task = tokio::spawn(async move {
            // Dropping the set (when this task is aborted) aborts every
            // connection task.
            let mut conns = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let rec = rec.clone();
                conns.spawn(async move {
                    let svc = hyper::service::service_fn(
                        move |req: http::Request<hyper::body::Incoming>| {
                            let rec = rec.clone();
                            async move {
                                use http_body_util::BodyExt;
                                let body = req.into_body().collect().await?.to_bytes();
                                rec.lock().unwrap().push(body);
                                let mut resp = http::Response::new(http_body_util::Full::new(
                                    bytes::Bytes::from_static(b"{}"),
                                ));
                                *resp.status_mut() = StatusCode::ACCEPTED;
                                Ok::<_, hyper::Error>(resp)
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Upstream202 {
            addr,
            received,
            task,
        }
    }

    fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    fn requests(&self) -> Vec<bytes::Bytes> {
        self.received.lock().unwrap().clone()
    }

    /// Closes the listener and every connection.
    async fn stop(self) {
        self.task.abort();
        let _ = (&mut { self }.task).await;
    }
}

impl Drop for Upstream202 {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port on 127.0.0.1 that refuses connections and that no other test can take
/// meanwhile: bound but not listening (without `SO_REUSEADDR`), for as
/// long as the value lives.
struct ClosedPort {
    socket: tokio::net::TcpSocket,
    addr: SocketAddr,
}

impl ClosedPort {
    /// Starts listening on the port: an upstream coming up there.
    fn listen(self) -> TcpListener {
        self.socket.listen(128).unwrap()
    }
}

/// Reserves a port on 127.0.0.1 where nothing listens.
fn closed_port() -> ClosedPort {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    ClosedPort { socket, addr }
}

/// A port nothing listens on, for the proxy to bind (it is free again).
async fn free_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_502_and_counted() {
    let port = closed_port();
    let addr = port.addr;
    let proxy = Proxy::start(&format!("http://{addr}"), NO_POLICIES, json!({})).await;
    for path in ["/api/v2/logs", "/anything/else"] {
        let resp = post(&proxy, path).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_GATEWAY, "{path}");
        let text = resp.text().await.unwrap();
        assert_eq!(text, "upstream unreachable\n");
    }
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"connect\"}"),
        2.0
    );
    assert_eq!(
        metric(&m, "edge_upstream_retries_total{reason=\"connect\"}"),
        0.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"502\"}"
        ),
        1.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connections_are_retried_with_backoff_within_the_deadline() {
    let port = closed_port();
    let addr = port.addr;
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"upstream_retries": 3, "upstream_retry_backoff_ms": 40}),
    )
    .await;
    // Nobody comes up: every attempt fails, the client gets 502 after the
    // backoff (40 + 80 + 160 ms at most, 20 + 40 + 80 at least).
    let started = Instant::now();
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(140), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_retries_total{reason=\"connect\"}"),
        3.0
    );
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"connect\"}"),
        4.0
    );

    // The upstream comes up on that port while the proxy is retrying: the
    // client gets the upstream's answer and the upstream got the data once.
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"upstream_retries": 6, "upstream_retry_backoff_ms": 60}),
    )
    .await;
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        Upstream202::start_with(port.listen())
    });
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let sink = late.await.unwrap();
    assert_eq!(sink.count(), 1);
    assert_eq!(&sink.requests()[0][..], BODY.as_bytes());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_stop_at_the_total_deadline() {
    let port = closed_port();
    let addr = port.addr;
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"upstream_retries": 50, "upstream_retry_backoff_ms": 100, "upstream_timeout_ms": 500}),
    )
    .await;
    let started = Instant::now();
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert!(started.elapsed() < Duration::from_millis(1500));
    let m = proxy.metrics_text().await;
    let retries = metric(&m, "edge_upstream_retries_total{reason=\"connect\"}");
    assert!((1.0..10.0).contains(&retries), "{retries}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_response_head_is_504_after_the_total_timeout() {
    let up = RawUpstream::start(vec![Act::Stall {
        first: Vec::new(),
        wait: Duration::from_secs(5),
        rest: response("200 OK", &[], "late"),
    }])
    .await;
    let proxy = Proxy::start(
        &up.url(),
        NO_POLICIES,
        json!({"upstream_timeout_ms": 300, "upstream_retries": 3}),
    )
    .await;
    let started = Instant::now();
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(resp.text().await.unwrap(), "upstream timed out\n");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The request reached the upstream, so it was not sent again.
    assert_eq!(up.requests().len(), 1);
    assert_eq!(up.requests()[0].body, BODY.as_bytes());
    let head = up.requests()[0].head.to_ascii_lowercase();
    assert!(head.starts_with("post /api/v2/logs http/1.1\r\n"), "{head}");
    assert!(head.contains("\r\ndd-api-key: k\r\n"), "{head}");
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"timeout\"}"),
        1.0
    );
    assert_eq!(
        metric(&m, "edge_upstream_retries_total{reason=\"connect\"}"),
        0.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_response_body_is_504_not_a_truncated_success() {
    let full = response("200 OK", &[], &"x".repeat(100));
    let (first, rest) = full.split_at(full.len() - 90);
    let up = RawUpstream::start(vec![Act::Stall {
        first: first.to_vec(),
        wait: Duration::from_secs(5),
        rest: rest.to_vec(),
    }])
    .await;
    let proxy = Proxy::start(&up.url(), NO_POLICIES, json!({"upstream_timeout_ms": 400})).await;
    let started = Instant::now();
    let resp = post(&proxy, "/v1/some/passthrough").await.unwrap();
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(up.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_in_the_middle_of_the_head_is_502() {
    let up = RawUpstream::start(vec![Act::Write {
        bytes: b"HTTP/1.1 200 OK\r\ncontent-le".to_vec(),
        reset: true,
    }])
    .await;
    let proxy = Proxy::start(&up.url(), NO_POLICIES, json!({"upstream_retries": 3})).await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    // Delivered once, not retried: it may have been processed.
    assert_eq!(up.requests().len(), 1);
    assert_eq!(up.requests()[0].body, BODY.as_bytes());
    let m = proxy.metrics_text().await;
    let failed = metric(&m, "edge_upstream_errors_total{kind=\"reset\"}")
        + metric(&m, "edge_upstream_errors_total{kind=\"other\"}");
    assert_eq!(failed, 1.0, "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_or_close_in_the_middle_of_the_body_is_502() {
    for reset in [true, false] {
        let full = response(
            "202 Accepted",
            &[("content-type", "text/plain")],
            "accepted-all",
        );
        let cut = full[..full.len() - 5].to_vec();
        let act = if reset {
            Act::Write { bytes: cut, reset }
        } else {
            Act::WriteClose(cut)
        };
        let up = RawUpstream::start(vec![act]).await;
        let proxy = Proxy::start(&up.url(), NO_POLICIES, json!({})).await;
        match post(&proxy, "/api/v2/logs").await {
            Ok(resp) => {
                assert_eq!(resp.status(), StatusCode::BAD_GATEWAY, "reset={reset}");
                assert!(
                    !resp.text().await.unwrap().contains("accepted"),
                    "reset={reset}"
                );
            }
            // A closed connection is acceptable too; a 2xx is not.
            Err(e) => assert!(!e.is_status(), "reset={reset}: {e}"),
        }
        assert_eq!(up.requests().len(), 1, "reset={reset}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_and_unavailable_pass_through_with_retry_after() {
    let up = RawUpstream::start(vec![
        Act::Write {
            bytes: response(
                "429 Too Many Requests",
                &[("retry-after", "7"), ("x-upstream", "a")],
                "slow down",
            ),
            reset: false,
        },
        Act::Write {
            bytes: response("503 Service Unavailable", &[("retry-after", "3")], "busy"),
            reset: false,
        },
    ])
    .await;
    let proxy = Proxy::start(&up.url(), NO_POLICIES, json!({"upstream_retries": 2})).await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert_eq!(resp.headers()["x-upstream"], "a");
    assert_eq!(resp.text().await.unwrap(), "slow down");
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "3");
    assert_eq!(resp.text().await.unwrap(), "busy");
    // Retries are for failures before sending; answers are not retried
    // unless configured.
    assert_eq!(up.requests().len(), 2);
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"429\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"503\"}"
        ),
        1.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_errors_are_retried_when_configured() {
    let up = RawUpstream::start(vec![
        Act::Write {
            bytes: response("503 Service Unavailable", &[("retry-after", "0")], "busy"),
            reset: false,
        },
        Act::Write {
            bytes: response("502 Bad Gateway", &[], "lb"),
            reset: false,
        },
        Act::Write {
            bytes: response("202 Accepted", &[], "{}"),
            reset: false,
        },
    ])
    .await;
    let proxy = Proxy::start(
        &up.url(),
        NO_POLICIES,
        json!({"upstream_retries": 3, "upstream_retry_backoff_ms": 20,
               "upstream_retry_on_gateway_errors": true}),
    )
    .await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let got = up.requests();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.body == BODY.as_bytes()));
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_retries_total{reason=\"status\"}"),
        2.0
    );

    // A Retry-After longer than the deadline is not waited for: the client
    // gets the 503 and decides.
    let up = RawUpstream::start(vec![Act::Write {
        bytes: response("503 Service Unavailable", &[("retry-after", "30")], "busy"),
        reset: false,
    }])
    .await;
    let proxy = Proxy::start(
        &up.url(),
        NO_POLICIES,
        json!({"upstream_retries": 3, "upstream_retry_on_gateway_errors": "true",
               "upstream_timeout_ms": 1000}),
    )
    .await;
    let started = Instant::now();
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "30");
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(up.requests().len(), 1);

    // One too large to add to a clock reading is not waited for either
    // (it made the request task panic).
    let huge = "18000000000000000000";
    let up = RawUpstream::start(vec![Act::Write {
        bytes: response("503 Service Unavailable", &[("retry-after", huge)], "busy"),
        reset: false,
    }])
    .await;
    let proxy = Proxy::start(
        &up.url(),
        NO_POLICIES,
        json!({"upstream_retries": 3, "upstream_retry_on_gateway_errors": true}),
    )
    .await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], huge);
    assert_eq!(up.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_pool_recovers_after_the_upstream_restarts() {
    let sink = Upstream202::start_on("127.0.0.1:0".parse().unwrap()).await;
    let addr = sink.addr;
    let proxy = Proxy::start(&format!("http://{addr}"), NO_POLICIES, json!({})).await;
    for _ in 0..3 {
        let resp = post(&proxy, "/api/v2/logs").await.unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
    }
    assert_eq!(sink.count(), 3);

    // Stopped: listener closed and pooled connections dropped.
    sink.stop().await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);

    // Back on the same port: the next request goes through.
    let sink = Upstream202::start_on(addr).await;
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
    assert_eq!(&sink.requests()[0][..], BODY.as_bytes());

    // Restarted between two requests without a failed request in between:
    // the pooled connection is dead, the next request still gets through
    // (or, if it raced the close, is refused with 502, never acknowledged
    // without delivery).
    sink.stop().await;
    let sink = Upstream202::start_on(addr).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut delivered = 0;
    for _ in 0..3 {
        let resp = post(&proxy, "/api/v2/logs").await.unwrap();
        match resp.status() {
            StatusCode::ACCEPTED => delivered += 1,
            StatusCode::BAD_GATEWAY => {}
            s => panic!("unexpected {s}"),
        }
    }
    assert!(delivered >= 2, "{delivered}");
    assert_eq!(sink.count(), delivered);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_paths_are_never_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), NO_POLICIES, json!({})).await;
    let c = client();
    for path in [
        "/_edge",
        "/_edge/",
        "/_edge/metrics",
        "/_edge/health",
        "/_edge/ready",
        "/_edge/unknown",
        "/_edge/metrics?x=1",
    ] {
        let get = c.get(proxy.url(path)).send().await.unwrap();
        assert_ne!(
            get.headers().get("x-sink").map(|v| v.as_bytes()),
            Some(&b"1"[..])
        );
        let posted = c.post(proxy.url(path)).body("x").send().await.unwrap();
        assert!(posted.status().is_client_error(), "{path}");
    }
    assert_eq!(sink.count(), 0);

    // With a separate admin listener, `/_edge/*` on the main one is 404 and
    // still not forwarded.
    let admin = free_port().await;
    let proxy = Proxy::start(
        &sink.url(),
        NO_POLICIES,
        json!({"admin_listen_address": admin.to_string()}),
    )
    .await;
    let resp = c.get(proxy.url("/_edge/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = c
        .get(format!("http://{admin}/_edge/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(sink.count(), 0);
}

/// A listener whose accept queue is full and never drained: further
/// connection attempts get no answer, so connecting times out.
async fn unanswering_listener() -> (tokio::net::TcpListener, Vec<TcpStream>) {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = sock.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..16 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(s)) => held.push(s),
            _ => break,
        }
    }
    (listener, held)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_timeout_is_502_and_retried() {
    let (listener, _held) = unanswering_listener().await;
    let addr = listener.local_addr().unwrap();
    // Check the precondition: a fresh connection attempt really hangs.
    if tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(addr))
        .await
        .is_ok()
    {
        eprintln!("skipping: this kernel answers connections beyond the accept queue");
        return;
    }
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"upstream_connect_timeout_ms": 150, "upstream_retries": 1,
               "upstream_retry_backoff_ms": 10}),
    )
    .await;
    let started = Instant::now();
    let resp = post(&proxy, "/api/v2/logs").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(
        resp.text().await.unwrap(),
        "upstream connection timed out\n"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"connect_timeout\"}"),
        2.0
    );
    assert_eq!(
        metric(&m, "edge_upstream_retries_total{reason=\"connect\"}"),
        1.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_streamed_response_is_not_cut_by_the_header_read_timeout() {
    // Larger than what is buffered before the head is sent: streamed, and
    // still being written long after the header read timeout.
    let body = "x".repeat(2 * 1024 * 1024);
    let full = response("200 OK", &[], &body);
    let (first, rest) = full.split_at(full.len() - 256 * 1024);
    let up = RawUpstream::start(vec![Act::Stall {
        first: first.to_vec(),
        wait: Duration::from_millis(900),
        rest: rest.to_vec(),
    }])
    .await;
    let proxy = Proxy::start(
        &up.url(),
        NO_POLICIES,
        json!({"header_read_timeout_ms": 300, "upstream_timeout_ms": 5000}),
    )
    .await;
    let resp = post(&proxy, "/v1/some/passthrough").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let got = resp.bytes().await.unwrap();
    assert_eq!(got.len(), body.len());
}
