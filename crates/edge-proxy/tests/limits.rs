//! Server-side limits: overload (concurrency and in-flight bytes), body and
//! head sizes, slow clients, idle connections, policy changes and shutdown
//! with requests in flight.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the connection closes or `timeout` passes.
async fn read_all(s: &mut TcpStream, timeout: Duration) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(timeout, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw).await.unwrap();
    read_all(&mut s, Duration::from_secs(5)).await
}

fn slow_sink_reply(ms: u64) -> Reply {
    Reply {
        delay: Duration::from_millis(ms),
        ..Reply::default()
    }
}

/// A head of about `size` bytes in `count` filler headers.
fn head_with_fillers(count: usize, value_len: usize) -> Vec<u8> {
    let body = br#"[{"message":"a"}]"#;
    let mut raw = format!(
        "POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    )
    .into_bytes();
    for i in 0..count {
        raw.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "v".repeat(value_len)).as_bytes());
    }
    raw.extend_from_slice(b"\r\n");
    raw.extend_from_slice(body);
    raw
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_concurrency_limit_get_a_fast_503_with_retry_after() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(1000));
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_concurrent_requests": 2, "overload_wait_ms": 20}),
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let url = proxy.url("/api/v2/logs");
        tasks.push(tokio::spawn(async move {
            // The first two take the slots before the others arrive.
            if i >= 2 {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            let started = Instant::now();
            let resp = client()
                .post(url)
                .header("Content-Type", "application/json")
                .body(r#"[{"message":"m"}]"#)
                .send()
                .await
                .unwrap();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            (resp.status(), retry_after, started.elapsed())
        }));
    }
    let mut accepted = 0;
    let mut refused = 0;
    for t in tasks {
        let (status, retry_after, took) = t.await.unwrap();
        match status {
            StatusCode::ACCEPTED => accepted += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert_eq!(retry_after.as_deref(), Some("1"));
                assert!(took < Duration::from_millis(600), "refused fast: {took:?}");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((accepted, refused), (2, 4));
    // Only accepted requests reached the upstream.
    assert_eq!(sink.count(), 2);
    let metrics = proxy.metrics_text().await;
    assert!(
        metrics.contains("edge_request_overloaded_total 4"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_overload_wait_absorbs_bursts() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(100));
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_concurrent_requests": 1, "overload_wait_ms": 3000}),
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let url = proxy.url("/api/v2/logs");
        tasks.push(tokio::spawn(async move {
            client()
                .post(url)
                .header("Content-Type", "application/json")
                .body(r#"[{"message":"m"}]"#)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::ACCEPTED);
    }
    assert_eq!(sink.count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_beyond_the_inflight_byte_budget_get_503() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(1000));
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_inflight_bytes": 1_000_000, "max_body_size": 1_000_000}),
    )
    .await;
    let body = vec![b'x'; 700_000];
    // Passthrough route: the body is held while the slow upstream answers.
    let first = {
        let url = proxy.url("/intake/first");
        let body = body.clone();
        tokio::spawn(async move { client().post(url).body(body).send().await.unwrap().status() })
    };
    assert!(eventually(Duration::from_secs(5), || sink.count() == 1).await);
    let resp = client()
        .post(proxy.url("/intake/second"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "1");
    // Chunked (no Content-Length): refused once the bytes arrive.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..2).map(|_| Ok(vec![b'y'; 350_000])).collect();
    let resp = client()
        .post(proxy.url("/intake/chunked"))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await;
    if let Ok(resp) = resp {
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(first.await.unwrap(), StatusCode::ACCEPTED);
    // The budget is given back: the same body passes now.
    let resp = client()
        .post(proxy.url("/intake/again"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let paths: Vec<String> = sink.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/intake/first", "/intake/again"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_larger_than_the_whole_budget_is_413_not_503() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_inflight_bytes": 100_000}),
    )
    .await;
    let resp = client()
        .post(proxy.url("/intake/x"))
        .body(vec![b'x'; 200_000])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(sink.count(), 0);
}

/// A budget smaller than `max_decoded_bytes`: a compressed body whose
/// decoded form and processing (the Datadog module's working memory, 5.25
/// times the decoded body, and the re-encode) fit next to it is evaluated;
/// one whose evaluation could never fit is forwarded as sent, unfiltered
/// (fail open: a 503 would make agents retry it forever, a 413 would lose
/// it, and it is within the body limits).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_budget_never_refuses_a_fitting_body_with_503() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_inflight_bytes": 2_000_000, "max_decoded_bytes": 4_000_000,
               "max_body_size": 100_000}),
    )
    .await;
    let batch = |records: usize| {
        let one = format!(r#"{{"message":"{}","status":"info"}}"#, "x".repeat(100));
        let plain = format!("[{}]", vec![one; records].join(","));
        gzip(plain.as_bytes())
    };
    // ~67 KB decoded: ~0.9 MB with processing; ~400 KB decoded: ~3 MB.
    for records in [500, 3_000] {
        let resp = client()
            .post(proxy.url("/api/v2/logs"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .body(batch(records))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED, "{records} records");
    }
    let received = sink.requests();
    assert_eq!(received.len(), 2);
    assert_eq!(&received[1].body[..], &batch(3_000)[..], "unfiltered");
    let text = proxy.metrics_text().await;
    assert_eq!(
        metric(&text, "edge_request_unfiltered_over_budget_total"),
        1.0
    );
}

/// Decompressed bytes come out of the shared budget too: with room for one
/// decoded body (decoding reserves up to `max_decoded_bytes`, then the
/// decoded body and its processing, about 7.7 MB here), two expanding
/// bodies at once cannot both be decoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decoded_bytes_are_taken_from_the_shared_budget() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_inflight_bytes": 12_000_000, "max_decoded_bytes": 8_000_000}),
    )
    .await;
    // 1 MB of JSON whitespace around one record: tiny on the wire.
    let mut plain = br#"[{"message":"kept"}"#.to_vec();
    plain.resize(plain.len() + 1_000_000, b' ');
    plain.push(b']');
    let wire = gzip(&plain);
    assert!(wire.len() < 100_000);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let url = proxy.url("/api/v2/logs");
        let wire = wire.clone();
        tasks.push(tokio::spawn(async move {
            let resp = client()
                .post(url)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .body(wire)
                .send()
                .await
                .unwrap();
            let retry = resp.headers().contains_key("retry-after");
            (resp.status(), retry)
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        match t.await.unwrap() {
            (StatusCode::ACCEPTED, _) => accepted += 1,
            (StatusCode::SERVICE_UNAVAILABLE, true) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(accepted >= 1);
    assert_eq!(sink.count(), accepted);
    // Alone, a body expanding to the limit passes.
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .body(wire)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_max_body_size_get_413_declared_or_chunked() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"max_body_size": 1000})).await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(vec![b' '; 1001])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..2).map(|_| Ok(vec![b' '; 600])).collect();
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly at the limit passes.
    let mut body = br#"[{"message":"a"}]"#.to_vec();
    body.resize(1000, b' ');
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
}

/// `max_header_bytes` is exact: a 100 KB head is refused with the default
/// 64 KiB, a 60 KB one passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_size_limit_is_exact() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    // 50 headers of about 2 KB: 100 KB.
    let resp = exchange(proxy.addr, &head_with_fillers(50, 2000)).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    assert_eq!(sink.count(), 0);
    // 30 headers of about 2 KB: 60 KB.
    let resp = exchange(proxy.addr, &head_with_fillers(30, 2000)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(sink.count(), 1);

    let small = Proxy::start(&sink.url(), POLICIES, json!({"max_header_bytes": 4096})).await;
    let resp = exchange(small.addr, &head_with_fillers(5, 1000)).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    let resp = exchange(small.addr, &head_with_fillers(3, 1000)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(sink.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_count_limit_gives_431() {
    let sink = Sink::start().await;
    // Default: 100 header fields.
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let resp = exchange(proxy.addr, &head_with_fillers(101, 4)).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    let resp = exchange(proxy.addr, &head_with_fillers(90, 4)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");

    let few = Proxy::start(&sink.url(), POLICIES, json!({"max_headers": 10})).await;
    let resp = exchange(few.addr, &head_with_fillers(8, 4)).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    let resp = exchange(few.addr, &head_with_fillers(2, 4)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");

    assert_eq!(sink.count(), 2);

    // More than hyper's default of 100 when configured. The in-process sink
    // keeps hyper's default, so a raw upstream counts the lines instead.
    let upstream = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_addr = upstream.local_addr().unwrap();
    let counted = tokio::spawn(async move {
        let (mut s, _) = upstream.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).await.unwrap();
            assert!(n > 0);
            head.extend_from_slice(&buf[..n]);
        }
        s.write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            .await
            .unwrap();
        String::from_utf8_lossy(&head).matches("x-filler-").count()
    });
    let many = Proxy::start(
        &format!("http://{upstream_addr}"),
        POLICIES,
        json!({"max_headers": 300}),
    )
    .await;
    let resp = exchange(many.addr, &head_with_fillers(250, 4)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(counted.await.unwrap(), 250);
}

/// Slowloris on the body: the client stops after part of the body.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_get_408_and_nothing_is_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"body_read_timeout_ms": 300})).await;
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"message\"")
        .await
        .unwrap();
    let started = Instant::now();
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(resp.starts_with("HTTP/1.1 408"), "{resp}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // Dripping bytes does not extend the deadline either.
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"POST /intake/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    for _ in 0..20 {
        if s.write_all(b"x").await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(resp.starts_with("HTTP/1.1 408"), "{resp}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connections_are_closed() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"idle_timeout_ms": 300, "header_read_timeout_ms": 10000}),
    )
    .await;
    // A connection that never sends anything.
    // Timed from before the connect: the server's clock starts at accept.
    let started = Instant::now();
    let mut silent = TcpStream::connect(proxy.addr).await.unwrap();
    let got = read_all(&mut silent, Duration::from_secs(5)).await;
    assert!(got.is_empty());
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "{took:?}"
    );
    // A keep-alive connection after one exchange.
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"GET /intake/x HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 202"));
    let started = Instant::now();
    let rest = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(rest.is_empty() || rest.contains("{\"sink\""), "{rest}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "closed when idle"
    );
}

/// A request waiting on a slow upstream is not "idle".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_outlive_the_idle_timeout() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(900));
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"idle_timeout_ms": 200})).await;
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .header("Content-Type", "application/json")
        .body(r#"[{"message":"m"}]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.text().await.unwrap(), "{\"sink\":\"ok\"}");
}

/// A policy change while requests are in flight drops none of them: each
/// request is evaluated against one snapshot and forwarded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_changes_during_in_flight_requests_drop_nothing() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(400));
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let url = proxy.url("/api/v2/logs");
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 25)).await;
            client()
                .post(url)
                .header("Content-Type", "application/json")
                .body(format!(r#"[{{"message":"m{i}","status":"info"}}]"#))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    // Rewrite the policies a few times while the requests are in flight.
    for round in 0..4 {
        tokio::time::sleep(Duration::from_millis(120)).await;
        let text = if round % 2 == 0 {
            r#"{"policies":[{"id":"drop-warn","name":"w","log":{"match":[{"log_field":"severity_text","exact":"warn"}],"keep":"none"}}]}"#
        } else {
            POLICIES
        };
        std::fs::write(&proxy.policy_path, text).unwrap();
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::ACCEPTED);
    }
    let mut got: Vec<String> = sink
        .requests()
        .iter()
        .flat_map(|r| messages(&r.json()))
        .collect();
    got.sort();
    let mut want: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_in_flight_requests_and_refuses_new_ones() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(800));
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let mut tasks = Vec::new();
    for i in 0..4 {
        let url = proxy.url("/api/v2/logs");
        tasks.push(tokio::spawn(async move {
            client()
                .post(url)
                .header("Content-Type", "application/json")
                .body(format!(r#"[{{"message":"m{i}"}}]"#))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    assert!(eventually(Duration::from_secs(5), || sink.count() == 4).await);
    let addr = proxy.addr;
    let started = Instant::now();
    proxy.shutdown().await.unwrap();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), StatusCode::ACCEPTED);
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_gives_up_after_the_grace_period() {
    let sink = Sink::start().await;
    sink.set_reply(slow_sink_reply(5000));
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"shutdown_grace_period_ms": 300, "upstream_timeout_ms": 10000}),
    )
    .await;
    let url = proxy.url("/api/v2/logs");
    let stuck = tokio::spawn(async move {
        client()
            .post(url)
            .header("Content-Type", "application/json")
            .body(r#"[{"message":"m"}]"#)
            .send()
            .await
            .map(|r| r.status())
    });
    assert!(eventually(Duration::from_secs(5), || sink.count() == 1).await);
    let started = Instant::now();
    proxy.shutdown().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    // The client was never told "accepted".
    assert!(stuck.await.unwrap().is_err());
}
