//! HTTP/1.1 edge cases spoken over raw TCP: odd headers, `Expect:
//! 100-continue`, absolute-form targets, oversized heads, slow clients.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the connection closes or `timeout` passes.
async fn read_all(s: &mut TcpStream, timeout: Duration) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(timeout, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn exchange(addr: std::net::SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw).await.unwrap();
    read_all(&mut s, Duration::from_secs(5)).await
}

/// Field case 11: empty header values (including `Content-Encoding:` and
/// `DD-API-KEY:`), trailing spaces and non-ASCII bytes always get a response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_header_values_always_get_a_response() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let variants: [&[u8]; 4] = [
        b"X-Empty:\r\n",
        b"DD-API-KEY:\r\nContent-Encoding:\r\n",
        b"X-Trailing: value   \r\n",
        b"X-Bytes: caf\xc3\xa9 \xff\r\n",
    ];
    for extra in variants {
        let body = br#"[{"message":"m","status":"x"}]"#;
        let mut raw = format!(
            "POST /api/v2/logs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(extra);
        raw.extend_from_slice(b"\r\n");
        raw.extend_from_slice(body);
        let resp = exchange(proxy.addr, &raw).await;
        assert!(
            resp.starts_with("HTTP/1.1 202"),
            "{}: {resp}",
            String::from_utf8_lossy(extra)
        );
    }
    assert_eq!(sink.count(), 4);
    // The non-ASCII header value arrived byte for byte.
    let last = sink.requests().pop().unwrap();
    assert_eq!(last.headers["x-bytes"].as_bytes(), b"caf\xc3\xa9 \xff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expect_100_continue_is_honoured() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let body = br#"[{"message":"a","status":"debug"},{"message":"b"}]"#;
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    let head = format!(
        "POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("interim response in time")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 100 Continue"));
    s.write_all(body).await.unwrap();
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(sink.requests()[0].body, &br#"[{"message":"b"}]"#[..]);
    assert!(sink.requests()[0].headers.get("expect").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expect_100_continue_with_oversized_length_is_refused_without_reading() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"max_body_size": 1024})).await;
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 413"));
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunked_request_bodies_are_accepted() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let mut raw = b"POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for chunk in [
        r#"[{"message":"a""#,
        r#"},{"message":"b","status""#,
        r#":"debug"}]"#,
    ] {
        raw.extend_from_slice(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let raw = &raw[..];
    let resp = exchange(proxy.addr, raw).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    let got = &sink.requests()[0];
    assert_eq!(got.body, &br#"[{"message":"a"}]"#[..]);
    assert!(got.headers.get("transfer-encoding").is_none());
}

/// `CONNECT` and transfer codings Edge cannot pass on (anything besides one
/// final `chunked`) get a clear refusal and reach no upstream; a plain
/// `chunked` body, in any letter case, is still forwarded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_and_unsupported_transfer_codings_are_refused_not_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let chunked_body = "3\r\nabc\r\n0\r\n\r\n";
    let refused: [(String, &str); 8] = [
        (
            format!("CONNECT {} HTTP/1.1\r\nHost: {0}\r\n\r\n", sink.addr),
            "HTTP/1.1 501",
        ),
        (
            "CONNECT /x HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
            "HTTP/1.1 501",
        ),
        (
            "CONNECT /_edge/health HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
            "HTTP/1.1 501",
        ),
        (
            format!("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n{chunked_body}"),
            "HTTP/1.1 501",
        ),
        (
            format!("POST /api/v2/logs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n{chunked_body}"),
            "HTTP/1.1 501",
        ),
        (
            format!("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n{chunked_body}"),
            "HTTP/1.1 400",
        ),
        // Refused by hyper already: the last coding is not `chunked`.
        (
            format!("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n{chunked_body}"),
            "HTTP/1.1 400",
        ),
        (
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: foo\r\n\r\n".to_owned(),
            "HTTP/1.1 400",
        ),
    ];
    for (raw, status) in &refused {
        let resp = exchange(proxy.addr, raw.as_bytes()).await;
        assert!(resp.starts_with(status), "{raw:?}: {resp}");
        // Answered, and the connection closed after the answer.
        assert!(resp.contains("connection: close\r\n"), "{raw:?}: {resp}");
    }
    assert_eq!(sink.count(), 0, "{:?}", sink.requests());
    let resp = exchange(
        proxy.addr,
        format!("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n{chunked_body}").as_bytes(),
    )
    .await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(sink.requests()[0].body, &b"abc"[..]);
}

/// The upstream comes from configuration, never from the request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_form_and_host_header_do_not_choose_the_upstream() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let raw = b"GET http://169.254.169.254/latest/meta-data?x=1 HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n";
    let resp = exchange(proxy.addr, raw).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    let got = &sink.requests()[0];
    assert_eq!(got.path, "/latest/meta-data");
    assert_eq!(got.query.as_deref(), Some("x=1"));
    assert_eq!(got.headers["host"], sink.addr.to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_heads_are_refused() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"max_header_bytes": 8192})).await;
    let mut raw = b"GET /x HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..400 {
        raw.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "v".repeat(60)).as_bytes());
    }
    raw.extend_from_slice(b"\r\n");
    let resp = exchange(proxy.addr, &raw).await;
    assert!(resp.starts_with("HTTP/1.1 431"), "{resp}");
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_heads_time_out() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"header_read_timeout_ms": 300}),
    )
    .await;
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"GET /x HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let resp = read_all(&mut s, Duration::from_secs(5)).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "closed by the server"
    );
    assert!(
        resp.is_empty() || resp.starts_with("HTTP/1.1 408"),
        "{resp}"
    );
    assert_eq!(sink.count(), 0);
}

/// Field case 14: the legacy `api_key` query parameter and `DD-*` headers
/// are forwarded verbatim.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_api_key_query_and_dd_headers_are_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let raw = b"POST /api/v2/logs?api_key=legacykey123&ddsource=x HTTP/1.1\r\nHost: x\r\ndd-api-key: k1\r\nDD-EVP-ORIGIN: agent\r\nDD-EVP-ORIGIN-VERSION: 7.50.0\r\nDD-Request-ID: r1\r\nContent-Type: application/json\r\nContent-Length: 34\r\nConnection: close\r\n\r\n[{\"message\":\"a\",\"status\":\"debug\"}]";
    let resp = exchange(proxy.addr, raw).await;
    // Everything was dropped: answered by Edge.
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    assert_eq!(sink.count(), 0);
    let raw = b"POST /api/v2/logs?api_key=legacykey123&ddsource=x HTTP/1.1\r\nHost: x\r\ndd-api-key: k1\r\nDD-EVP-ORIGIN: agent\r\nDD-EVP-ORIGIN-VERSION: 7.50.0\r\nDD-Request-ID: r1\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n[{\"message\":\"a\"}]";
    let resp = exchange(proxy.addr, raw).await;
    assert!(resp.starts_with("HTTP/1.1 202"), "{resp}");
    let got = &sink.requests()[0];
    assert_eq!(
        got.query.as_deref(),
        Some("api_key=legacykey123&ddsource=x")
    );
    assert_eq!(got.headers["dd-api-key"], "k1");
    assert_eq!(got.headers["dd-evp-origin"], "agent");
    assert_eq!(got.headers["dd-evp-origin-version"], "7.50.0");
    assert_eq!(got.headers["dd-request-id"], "r1");
    assert_eq!(got.body, &br#"[{"message":"a"}]"#[..]);
}
