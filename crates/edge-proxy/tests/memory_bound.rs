//! Memory stays bounded when many small compressed bodies expand at once:
//! decompressed bytes come out of `max_inflight_bytes`. Alone in its test
//! binary so that the process's peak RSS is this test's.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::json;

/// Peak resident set size of this process, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// 24 parallel gzip bodies of about 16 KB, each expanding to 16 MiB (within
/// `max_decoded_bytes` on its own; with the Datadog module's working memory,
/// about 100 MiB of the budget each): without a shared budget this reached
/// 1.6 GB RSS (with bodies expanding to 60 MiB, which now need more than
/// the whole budget).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_expanding_bodies_stay_within_the_budget() {
    const MIB: usize = 1024 * 1024;
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({
            "max_inflight_bytes": 128 * MIB,
            "max_decoded_bytes": 64 * MIB,
            "max_concurrent_requests": 64,
            "upstream_timeout_ms": 20000,
        }),
    )
    .await;
    // 16 MiB of JSON whitespace around one record, compressed in pieces so
    // that the test itself never holds the expanded body.
    let wire = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(br#"[{"message":"kept"}"#).unwrap();
        let spaces = vec![b' '; MIB];
        for _ in 0..16 {
            e.write_all(&spaces).unwrap();
        }
        e.write_all(b"]").unwrap();
        e.finish().unwrap()
    };
    assert!(wire.len() < 25_000, "{}", wire.len());
    let before = peak_rss();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let url = proxy.url("/api/v2/logs");
        let wire = wire.clone();
        tasks.push(tokio::spawn(async move {
            let resp = reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap()
                .post(url)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .body(wire)
                .send()
                .await
                .unwrap();
            (resp.status(), resp.headers().contains_key("retry-after"))
        }));
    }
    let mut accepted = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            (StatusCode::ACCEPTED, _) => accepted += 1,
            (StatusCode::SERVICE_UNAVAILABLE, true) => refused += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    let took = started.elapsed();
    assert!(accepted >= 1, "at least one fits the budget");
    assert_eq!(accepted + refused, 24);
    assert_eq!(sink.count(), accepted);
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grown = after.saturating_sub(before);
        eprintln!(
            "accepted {accepted}, refused {refused}, peak RSS {} MiB (+{} MiB), {took:?}",
            after / MIB as u64,
            grown / MIB as u64
        );
        // The budget is 128 MiB; decoder buffers may hold up to twice their
        // length, plus the test's own client and sink.
        assert!(grown < 300 * MIB as u64, "peak RSS grew by {grown} bytes");
    }
}
