//! Secrets never reach Edge's own logs, even at debug level and on errors.

mod common;

use common::*;
use serde_json::json;

const KEY: &str = "sekrit0123456789abcdefAPIKEY";
const QUERY_KEY: &str = "querysekrit987654321";
const BEARER: &str = "Bearer tok-abcdef-123456";

// A current-thread runtime so every event (connection tasks included) is
// emitted on the thread whose subscriber captures it.
#[tokio::test(flavor = "current_thread")]
async fn api_keys_and_authorization_are_never_logged() {
    let (capture, _guard) = edge_observability::init_for_tests(&edge_observability::Options {
        level: edge_observability::Level::Trace,
        ..Default::default()
    });
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"log_level": "trace"})).await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let down = Proxy::start(&format!("http://{closed}"), POLICIES, json!({})).await;
    let c = client();
    for p in [&proxy, &down] {
        for path in [
            format!("/api/v2/logs?api_key={QUERY_KEY}"),
            format!("/other?api_key={QUERY_KEY}"),
        ] {
            let _ = c
                .post(p.url(&path))
                .header("DD-API-KEY", KEY)
                .header("Authorization", BEARER)
                .header("Cookie", format!("session={KEY}"))
                .header("Content-Type", "application/json")
                .body(MIXED)
                .send()
                .await
                .unwrap();
        }
    }
    let logs = capture.contents();
    assert!(
        logs.contains("upstream request failed"),
        "errors were logged: {logs}"
    );
    assert!(
        logs.contains("forwarding"),
        "debug events were logged: {logs}"
    );
    for secret in [KEY, QUERY_KEY, "tok-abcdef-123456"] {
        assert!(
            !logs.contains(secret),
            "secret {secret} leaked into logs:\n{logs}"
        );
    }
}
