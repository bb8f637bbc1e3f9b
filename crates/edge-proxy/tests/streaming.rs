//! Request bodies the module does not inspect are streamed upstream as they
//! arrive (declared length above 64 KiB), with the body limits, the body
//! read timeout and the retry rules of buffered bodies.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const NO_POLICIES: &str = r#"{"policies":[]}"#;

/// Declared size of the streamed bodies (above the streaming threshold).
const LEN: usize = 300 * 1024;

/// What one upstream connection received.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// Body bytes after the head.
    body: Vec<u8>,
    /// The declared `Content-Length` (once the head is in).
    declared: Option<usize>,
    /// The whole declared body arrived.
    complete: bool,
    /// The proxy closed the connection.
    closed: bool,
}

/// A raw upstream that records what each connection sends and answers
/// `202` once a whole request arrived.
struct Recording {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Recording {
    async fn start() -> Recording {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let all = seen.clone();
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let index = {
                    let mut s = all.lock().unwrap();
                    s.push(Seen::default());
                    s.len() - 1
                };
                conns.spawn(record(stream, all.clone(), index));
            }
        });
        Recording { addr, seen, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn body_bytes(&self) -> usize {
        self.seen().iter().map(|s| s.body.len()).sum()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record(mut stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, index: usize) {
    let mut head = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            seen.lock().unwrap()[index].closed = true;
            return;
        }
        let respond = {
            let mut s = seen.lock().unwrap();
            let entry = &mut s[index];
            if entry.declared.is_none() {
                head.extend_from_slice(&chunk[..n]);
                if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                    let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                    let declared = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap_or(0);
                    entry.declared = Some(declared);
                    entry.body.extend_from_slice(&head[end + 4..]);
                }
            } else {
                entry.body.extend_from_slice(&chunk[..n]);
            }
            let done = !entry.complete && entry.declared.is_some_and(|d| entry.body.len() >= d);
            entry.complete |= done;
            done
        };
        if respond {
            let _ = stream
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}")
                .await;
        }
    }
}

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn head(path: &str, len: usize) -> Vec<u8> {
    format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {len}\r\n\r\n").into_bytes()
}

async fn read_all(s: &mut TcpStream, timeout: Duration) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(timeout, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_bodies_arrive_exactly_and_are_counted() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), NO_POLICIES, json!({})).await;
    let body = payload(LEN);
    for path in ["/api/v2/logs", "/anything/else"] {
        let resp = client()
            .post(proxy.url(path))
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .header("dd-api-key", "k")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED, "{path}");
        assert_eq!(resp.text().await.unwrap(), "{\"sink\":\"ok\"}");
    }
    let requests = sink.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.body.len(), LEN);
        assert!(r.body[..] == body[..]);
        assert_eq!(r.headers["content-length"], LEN.to_string().as_str());
        assert_eq!(r.headers["content-encoding"], "gzip");
        assert_eq!(r.headers["dd-api-key"], "k");
    }
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_request_bytes_received_total"),
        (2 * LEN) as f64
    );
    assert_eq!(
        metric(&m, "edge_request_bytes_forwarded_total"),
        (2 * LEN) as f64
    );
    // Every reservation was given back.
    assert_eq!(metric(&m, "edge_inflight_bytes"), 0.0);
}

/// The upstream gets the first bytes before the client sent the rest (the
/// old code read the whole body first).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_receives_the_body_while_the_client_still_sends_it() {
    let upstream = Recording::start().await;
    let proxy = Proxy::start(&upstream.url(), NO_POLICIES, json!({})).await;
    let body = payload(LEN);
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(&head("/api/v2/logs", LEN)).await.unwrap();
    s.write_all(&body[..LEN / 2]).await.unwrap();
    let early = eventually(Duration::from_secs(3), || {
        upstream.body_bytes() >= 64 * 1024
    })
    .await;
    assert!(
        early,
        "the upstream saw {} bytes before the client sent the rest",
        upstream.body_bytes()
    );
    assert!(upstream.seen().iter().all(|s| !s.complete));
    s.write_all(&body[LEN / 2..]).await.unwrap();
    let mut resp = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut resp))
        .await
        .unwrap()
        .unwrap();
    let resp = String::from_utf8_lossy(&resp[..n]);
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    let seen = upstream.seen();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].complete);
    assert!(seen[0].body == body);
}

/// A body slower than `body_read_timeout_ms`: `408` for the client, and the
/// upstream's connection is closed before the declared length arrived.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_streamed_body_gets_408_and_the_upstream_no_complete_request() {
    let upstream = Recording::start().await;
    let proxy = Proxy::start(
        &upstream.url(),
        NO_POLICIES,
        json!({"body_read_timeout_ms": 400}),
    )
    .await;
    let body = payload(LEN);
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(&head("/api/v2/logs", LEN)).await.unwrap();
    s.write_all(&body[..LEN / 2]).await.unwrap();
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(resp.starts_with("HTTP/1.1 408"), "{resp}");
    assert!(
        resp.to_ascii_lowercase().contains("connection: close"),
        "{resp}"
    );
    assert!(
        eventually(Duration::from_secs(3), || upstream
            .seen()
            .iter()
            .all(|s| s.closed))
        .await
    );
    let seen = upstream.seen();
    assert!(!seen.is_empty(), "the body was streamed");
    assert!(seen.iter().all(|s| !s.complete), "{:?}", seen.len());
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"408\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"reset\"}"),
        0.0
    );
    assert_eq!(metric(&m, "edge_inflight_bytes"), 0.0);
}

/// The client goes away in the middle of the body: the upstream request is
/// aborted, never completed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_leaving_mid_body_aborts_the_upstream_request() {
    let upstream = Recording::start().await;
    let proxy = Proxy::start(&upstream.url(), NO_POLICIES, json!({})).await;
    let body = payload(LEN);
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(&head("/api/v2/logs", LEN)).await.unwrap();
    s.write_all(&body[..LEN / 2]).await.unwrap();
    assert!(eventually(Duration::from_secs(3), || upstream.body_bytes() > 0).await);
    drop(s);
    assert!(
        eventually(Duration::from_secs(3), || upstream
            .seen()
            .iter()
            .all(|s| s.closed))
        .await,
        "the upstream connection was not closed"
    );
    assert!(upstream.seen().iter().all(|s| !s.complete));
    let m = proxy.metrics_text().await;
    assert_eq!(metric(&m, "edge_inflight_bytes"), 0.0);
}

/// Over `max_body_size` by its declared length: `413` before anything is
/// forwarded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_length_over_the_limit_is_413_and_nothing_is_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), NO_POLICIES, json!({"max_body_size": 100_000})).await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(100_001))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
    assert_eq!(sink.requests()[0].body.len(), 100_000);
}

/// Connection refused never read the body: the retry sends it whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_body_is_retried_whole_after_connection_refused() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    };
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"upstream_retries": 6, "upstream_retry_backoff_ms": 60}),
    )
    .await;
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(addr).await.unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::new(Mutex::new(vec![Seen::default()]));
        record(stream, seen.clone(), 0).await;
        Arc::try_unwrap(seen)
            .unwrap()
            .into_inner()
            .unwrap()
            .remove(0)
    });
    let body = payload(LEN);
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    drop(proxy);
    let seen = tokio::time::timeout(Duration::from_secs(5), late)
        .await
        .unwrap()
        .unwrap();
    assert!(seen.complete);
    assert!(seen.body == body);
}

/// Connection refused with no retry left: `502`, and the client's body is
/// still read, so the answer arrives on a clean connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_upstream_is_502_for_a_streamed_body() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    };
    let proxy = Proxy::start(&format!("http://{addr}"), NO_POLICIES, json!({})).await;
    let client = client();
    for _ in 0..2 {
        let resp = client
            .post(proxy.url("/api/v2/logs"))
            .body(payload(LEN))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(resp.text().await.unwrap(), "upstream unreachable\n");
    }
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_request_bytes_received_total"),
        (2 * LEN) as f64
    );
    assert_eq!(metric(&m, "edge_request_bytes_forwarded_total"), 0.0);
    assert_eq!(metric(&m, "edge_inflight_bytes"), 0.0);
}

/// A streamed body that reached the upstream is never sent again, even
/// with `upstream_retry_on_gateway_errors`: the upstream's `503` passes
/// through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_body_is_not_resent_after_a_gateway_error() {
    let sink = Sink::start().await;
    sink.set_reply(Reply {
        status: http::StatusCode::SERVICE_UNAVAILABLE,
        ..Reply::default()
    });
    let proxy = Proxy::start(
        &sink.url(),
        NO_POLICIES,
        json!({"upstream_retries": 3, "upstream_retry_backoff_ms": 10,
               "upstream_retry_on_gateway_errors": true}),
    )
    .await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(LEN))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sink.count(), 1);
    // A small (buffered) body is still retried.
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(1000))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sink.count(), 5);
}

/// The client's upload time is not charged to the upstream: a body
/// trickled over longer than `upstream_timeout_ms` (within
/// `body_read_timeout_ms`) to a fast upstream is delivered and answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_upload_does_not_use_the_upstream_timeout() {
    let upstream = Recording::start().await;
    let proxy = Proxy::start(
        &upstream.url(),
        NO_POLICIES,
        json!({"body_read_timeout_ms": 3000, "upstream_timeout_ms": 500}),
    )
    .await;
    let body = payload(LEN);
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(&head("/api/v2/logs", LEN)).await.unwrap();
    // 15 pieces 100 ms apart: about 1.5 s.
    for piece in body.chunks(LEN / 15 + 1) {
        s.write_all(piece).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut resp = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut resp))
        .await
        .unwrap()
        .unwrap();
    let resp = String::from_utf8_lossy(&resp[..n]);
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert!(upstream.seen()[0].body == body);
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(&m, "edge_upstream_errors_total{kind=\"timeout\"}"),
        0.0
    );
}

/// Connect failures and retry backoff longer than `body_read_timeout_ms`
/// do not count against a client that sent its body at once: `502`, not
/// `408`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_upstream_with_long_retries_is_502_not_408() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    };
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"body_read_timeout_ms": 300, "upstream_retries": 3,
               "upstream_retry_backoff_ms": 200}),
    )
    .await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(LEN))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(resp.text().await.unwrap(), "upstream unreachable\n");
}

/// An upstream that reads slowly (backpressure) longer than
/// `body_read_timeout_ms` does not make a fast client's body time out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reading_upstream_does_not_time_out_a_fast_client() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    const BIG: usize = 8 * 1024 * 1024;
    let slow = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut total = 0usize;
        let mut first = true;
        // Reads the head and the first bytes, then nothing for 1.5 s.
        loop {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed after {total} bytes");
            total += n;
            if first {
                first = false;
                tokio::time::sleep(Duration::from_millis(1500)).await;
            }
            // The head is under 1 KiB.
            if total >= BIG {
                let head_end = total - BIG;
                assert!(head_end < 1024);
                break;
            }
        }
        stream
            .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}")
            .await
            .unwrap();
        let _ = read_all(&mut stream, Duration::from_secs(1)).await;
    });
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"body_read_timeout_ms": 500, "max_body_size": 2 * BIG}),
    )
    .await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(payload(BIG))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    slow.abort();
}

/// An upstream that answers `200` right after the head, before the body is
/// in, while the client stalls: the client must not get the `2xx` for a
/// body the upstream never completely received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_early_2xx_is_not_passed_on_before_the_body_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let early = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut chunk = vec![0u8; 64 * 1024];
        let _ = stream.read(&mut chunk).await.unwrap();
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .await
            .unwrap();
        while stream.read(&mut chunk).await.unwrap_or(0) > 0 {}
    });
    let proxy = Proxy::start(
        &format!("http://{addr}"),
        NO_POLICIES,
        json!({"body_read_timeout_ms": 400}),
    )
    .await;
    let body = payload(LEN);
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(&head("/api/v2/logs", LEN)).await.unwrap();
    s.write_all(&body[..LEN / 2]).await.unwrap();
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(resp.starts_with("HTTP/1.1 408"), "{resp}");
    let m = proxy.metrics_text().await;
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"408\"}"
        ),
        1.0
    );
    assert_eq!(metric(&m, "edge_request_bytes_forwarded_total"), 0.0);
    early.abort();
}
