//! The listener's security properties: the upstream comes from configuration
//! only (no open proxy), admin routes on their own listener, TLS.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// Absolute-form targets and Host headers naming another server are sent
/// to the configured upstream (path only); the other server gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_form_uris_and_host_headers_never_pick_the_upstream() {
    let sink = Sink::start().await;
    let evil = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let body = r#"[{"message":"secret"}]"#;
    let evil_addr = evil.addr;
    let requests = [
        format!("POST http://{evil_addr}/api/v2/logs HTTP/1.1\r\nHost: {evil_addr}\r\n"),
        "POST http://evil.example/api/v2/logs HTTP/1.1\r\nHost: evil.example\r\n".to_owned(),
        format!("POST /api/v2/logs HTTP/1.1\r\nHost: {evil_addr}\r\n"),
        "POST /api/v2/logs HTTP/1.1\r\nHost: evil.example:80\r\n".to_owned(),
        format!("POST https://{evil_addr}/intake/other?q=1 HTTP/1.1\r\nHost: {evil_addr}\r\n"),
        format!(
            "POST /intake/other HTTP/1.1\r\nHost: {evil_addr}\r\nX-Forwarded-Host: {evil_addr}\r\n"
        ),
    ];
    for head in &requests {
        let raw = format!(
            "{head}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let resp = exchange(proxy.addr, raw.as_bytes()).await;
        assert!(resp.starts_with("HTTP/1.1 202"), "{head}: {resp}");
    }
    // A request with no Host at all still goes to the configured upstream.
    let raw = format!(
        "POST /api/v2/logs HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let resp = exchange(proxy.addr, raw.as_bytes()).await;
    assert!(
        resp.starts_with("HTTP/1.") && resp.contains(" 202 "),
        "{resp}"
    );
    let got = sink.requests();
    assert_eq!(got.len(), requests.len() + 1);
    for r in &got {
        assert!(
            r.path == "/api/v2/logs" || r.path == "/intake/other",
            "{}",
            r.path
        );
        assert_eq!(r.headers["host"], sink.addr.to_string());
    }
    assert_eq!(got[4].query.as_deref(), Some("q=1"));
    // CONNECT is not a tunnel.
    let raw = format!("CONNECT {evil_addr} HTTP/1.1\r\nHost: {evil_addr}\r\n\r\n");
    let resp = exchange(proxy.addr, raw.as_bytes()).await;
    assert!(!resp.starts_with("HTTP/1.1 200"), "{resp}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(evil.count(), 0, "the other server received nothing");
}

/// With `admin_listen_address`, `/_edge/*` is served only there, the admin
/// listener serves nothing else, and neither forwards admin paths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_are_only_on_the_admin_listener() {
    let sink = Sink::start().await;
    let admin_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"admin_listen_address": format!("127.0.0.1:{admin_port}")}),
    )
    .await;
    let admin = format!("http://127.0.0.1:{admin_port}");
    let c = client();
    for path in [
        "/_edge/health",
        "/_edge/ready",
        "/_edge/metrics",
        "/_edge/policies",
    ] {
        let on_main = c.get(proxy.url(path)).send().await.unwrap();
        assert_eq!(on_main.status(), StatusCode::NOT_FOUND, "{path} on main");
        let on_admin = c.get(format!("{admin}{path}")).send().await.unwrap();
        assert_eq!(on_admin.status(), StatusCode::OK, "{path} on admin");
    }
    // The admin listener does not proxy.
    let resp = c
        .post(format!("{admin}/api/v2/logs"))
        .header("Content-Type", "application/json")
        .body(r#"[{"message":"m"}]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = c
        .get(format!("{admin}/anything/else"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(sink.count(), 0);
    // The main listener still proxies.
    let resp = c
        .post(proxy.url("/api/v2/logs"))
        .header("Content-Type", "application/json")
        .body(r#"[{"message":"m"}]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
}

fn self_signed(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let pem = cert.cert.pem();
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    std::fs::write(&cert_path, &pem).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    (cert_path, key_path, pem)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_on_the_listener() {
    let sink = Sink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, pem) = self_signed(dir.path());
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"tls": {"cert_file": cert, "key_file": key}}),
    )
    .await;
    let tls_client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .resolve("localhost", proxy.addr)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/api/v2/logs", proxy.addr.port());
    let resp = tls_client
        .post(&url)
        .header("Content-Type", "application/json")
        .body(r#"[{"message":"over tls"},{"message":"d","status":"debug"}]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let got = sink.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(messages(&got[0].json()), ["over tls"]);
    // Admin routes on the same TLS listener.
    let health = tls_client
        .get(format!(
            "https://localhost:{}/_edge/health",
            proxy.addr.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // Plain HTTP on the TLS port gets no HTTP answer.
    let plain = client().get(proxy.url("/_edge/health")).send().await;
    assert!(plain.is_err() || plain.unwrap().status() != StatusCode::OK);
    // A client that does not trust the certificate fails the handshake.
    let untrusting = reqwest::Client::builder()
        .no_proxy()
        .resolve("localhost", proxy.addr)
        .build()
        .unwrap();
    assert!(untrusting.get(&url).send().await.is_err());
    assert_eq!(sink.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_tls_files_fail_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a pem file").unwrap();
    for (cert, key) in [(&missing, &missing), (&garbage, &garbage)] {
        let config = json!({
            "listen_port": 0,
            "upstream_url": "http://127.0.0.1:9",
            "tls": {"cert_file": cert, "key_file": key},
        });
        let config = edge_config::Config::from_str_with_env(
            &config.to_string(),
            edge_config::Format::Json,
            std::iter::empty(),
        )
        .unwrap();
        let built = edge_proxy::App::build(&config, edge_proxy::Distribution::Datadog).await;
        assert!(built.is_err());
    }
}
