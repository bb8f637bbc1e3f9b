//! Self-observability: `/_edge/metrics` parses as Prometheus text, record
//! counters add up, provider sync state and fail-open state are visible on
//! `/_edge/metrics` and `/_edge/ready`.

mod common;

use std::time::Duration;

use common::*;
use http::StatusCode;
use serde_json::json;

/// Batch with every kind of element: two kept logs, three dropped, and
/// four elements that are not log objects (forwarded untouched, never
/// evaluated).
const WITH_NON_LOGS: &str = r#"[
 {"message":"user logged in","status":"info","service":"auth"},
 "a bare string",
 {"message":"cache miss","status":"debug","service":"auth"},
 42,
 {"message":"GET /healthz 200 1ms","status":"info","service":"web"},
 [1, 2],
 {"message":"disk almost full","status":"warn"},
 null,
 {"message":"verbose","level":"DEBUG"}
]"#;

async fn get_text(url: String) -> String {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn wait_loaded(proxy: &Proxy) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let ready: serde_json::Value = client()
            .get(proxy.url("/_edge/ready"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if ready["policies_loaded"] == true {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "policies never loaded: {ready}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datadog_record_counters_add_up() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    wait_loaded(&proxy).await;
    for body in [MIXED, WITH_NON_LOGS, WITH_NON_LOGS] {
        let resp = client()
            .post(proxy.url("/api/v2/logs"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
    }
    // What the upstream got: the kept logs and every non-log element.
    let got = sink.requests();
    assert_eq!(got.len(), 3);
    let second = got[1].json();
    assert_eq!(second.as_array().unwrap().len(), 2 + 4, "{second}");

    let m = get_text(proxy.url("/_edge/metrics")).await;
    let labels = "{signal=\"log\",module=\"datadog\"}";
    let evaluated = metric(&m, &format!("edge_records_evaluated_total{labels}"));
    let kept = metric(&m, &format!("edge_records_kept_total{labels}"));
    let dropped = metric(&m, &format!("edge_records_dropped_total{labels}"));
    let unparsed = metric(
        &m,
        "edge_fail_open_total{module=\"datadog\",reason=\"element_unparsed\"}",
    );
    assert_eq!(evaluated, 15.0, "{m}");
    assert_eq!(kept, 6.0);
    assert_eq!(dropped, 9.0);
    assert_eq!(evaluated, kept + dropped, "evaluated == kept + dropped");
    // Elements that are not logs are forwarded but counted apart.
    assert_eq!(unparsed, 8.0);
    // Per-policy hits and misses.
    assert_eq!(
        metric(
            &m,
            "edge_policy_match_total{policy=\"drop-debug\",result=\"hit\"}"
        ),
        6.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_policy_match_total{policy=\"drop-health\",result=\"hit\"}"
        ),
        3.0
    );
    // Requests by route and status, latency per route.
    assert_eq!(
        metric(
            &m,
            "edge_requests_total{route=\"datadog_logs\",status_class=\"2xx\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_responses_total{route=\"datadog_logs\",code=\"202\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_request_duration_seconds_count{route=\"datadog_logs\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_upstream_duration_seconds_count{route=\"datadog_logs\"}"
        ),
        3.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_state_and_readiness() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    wait_loaded(&proxy).await;
    let ready: serde_json::Value = client()
        .get(proxy.url("/_edge/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["fail_open"], false);
    assert_eq!(ready["policies"], 2);
    assert_eq!(ready["providers"][0]["id"], "test");
    assert_eq!(ready["providers"][0]["ok"], true);
    assert_eq!(ready["providers"][0]["policies"], 2);
    let m = get_text(proxy.url("/_edge/metrics")).await;
    assert_eq!(metric(&m, "edge_policy_fail_open"), 0.0);
    assert_eq!(
        metric(
            &m,
            "edge_policy_provider_up{provider=\"test\",type=\"file\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &m,
            "edge_policy_provider_policies{provider=\"test\",type=\"file\"}"
        ),
        2.0
    );
    let last = metric(
        &m,
        "edge_policy_provider_last_success_timestamp_seconds{provider=\"test\",type=\"file\"}",
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(last > now - 60.0 && last <= now + 1.0, "{last} vs {now}");

    // A broken policy file keeps the loaded policies; the failure is
    // counted and the provider is reported down.
    std::fs::write(&proxy.policy_path, "{ not json").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let m = get_text(proxy.url("/_edge/metrics")).await;
        let failures = metric(
            &m,
            "edge_policy_provider_syncs_total{provider=\"test\",type=\"file\",result=\"failure\"}",
        );
        if failures >= 1.0 {
            assert_eq!(
                metric(
                    &m,
                    "edge_policy_provider_up{provider=\"test\",type=\"file\"}"
                ),
                0.0
            );
            assert_eq!(metric(&m, "edge_policy_fail_open"), 0.0);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{m}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_policies_readiness_reports_fail_open() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), r#"{"policies":[]}"#, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let resp = client()
        .get(proxy.url("/_edge/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let ready: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(ready["policies_loaded"], false);
    assert_eq!(ready["fail_open"], true);
    let m = get_text(proxy.url("/_edge/metrics")).await;
    assert_eq!(metric(&m, "edge_policy_fail_open"), 1.0);
}

/// Starts the full distribution (every module) for the parser check.
async fn full_app(upstream: &str) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.json");
    std::fs::write(&path, POLICIES).unwrap();
    let config = json!({
        "listen_address": "127.0.0.1",
        "listen_port": 0,
        "upstream_url": upstream,
        "prometheus": {"target_url": format!("{upstream}/metrics")},
        "policy_providers": [
            {"id": "file \"quoted\"", "type": "file", "path": path},
            {"id": "missing", "type": "file", "path": dir.path().join("nope.json")},
        ],
    });
    let config = edge_config::Config::from_str_with_env(
        &config.to_string(),
        edge_config::Format::Json,
        std::iter::empty(),
    )
    .unwrap();
    let app = edge_proxy::App::build(&config, edge_proxy::Distribution::Full)
        .await
        .unwrap();
    let addr = app.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _dir = dir;
        app.run(async move {
            let _ = rx.await;
        })
        .await
    });
    (addr, tx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_with_the_reference_parser() {
    let python = std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
        .join(".cache/edge/venv/bin/python");
    let sink = Sink::start().await;
    let (addr, _stop) = full_app(&sink.url()).await;
    let c = client();
    for path in [
        "/api/v2/logs",
        "/v1/logs",
        "/api/v2/series",
        "/other",
        "/_edge/nope",
    ] {
        let _ = c
            .post(format!("http://{addr}{path}"))
            .header("content-type", "application/json")
            .body(MIXED)
            .send()
            .await
            .unwrap();
    }
    let text = get_text(format!("http://{addr}/_edge/metrics")).await;

    // Structural checks that need no Python: one TYPE per family, right
    // after the family's HELP, every sample line belongs to a declared
    // family.
    let mut families = std::collections::HashSet::new();
    let mut described = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            described = rest.split_whitespace().next();
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split_whitespace().next().unwrap();
            assert!(families.insert(name.to_owned()), "TYPE {name} repeated");
            assert_eq!(described, Some(name), "no # HELP for {name}\n{text}");
        }
    }
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let name = line.split(['{', ' ']).next().unwrap();
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| families.contains(*f)))
            .unwrap_or(name);
        assert!(families.contains(family), "undeclared {name}");
    }

    // Every family Edge exposes is in the README's metrics table.
    let documented = readme_metric_patterns();
    let mut undocumented: Vec<&String> = families
        .iter()
        .filter(|f| !documented.iter().any(|p| p.is_match(f)))
        .collect();
    undocumented.sort();
    assert!(
        undocumented.is_empty(),
        "metrics missing from the README's table: {undocumented:?}"
    );

    if !python.exists() {
        eprintln!("skipping the prometheus_client check: no venv at {python:?}");
        return;
    }
    let script = r#"
import sys
from prometheus_client.parser import text_string_to_metric_families
names = []
samples = 0
for f in text_string_to_metric_families(sys.stdin.read()):
    names.append(f.name)
    samples += len(f.samples)
assert len(names) == len(set(names)), names
print(len(names), samples)
"#;
    let mut child = std::process::Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'prometheus_client'") {
        eprintln!("skipping: prometheus_client not installed");
        return;
    }
    assert!(out.status.success(), "{stderr}\n{text}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let families: usize = stdout.split_whitespace().next().unwrap().parse().unwrap();
    assert!(families >= 20, "{stdout}");
    // Nothing under /_edge reached the upstream.
    assert!(sink
        .requests()
        .iter()
        .all(|r| !r.path.starts_with("/_edge")));
}

/// The metric names of the README's metrics table (rows whose first cell
/// starts with a backticked `edge_` name), as patterns: `{a,b}` is one of
/// the alternatives, `*` any name part, and a name starting with `_` (as in
/// `` `edge_x_evaluated_total`, `_kept_total` ``) replaces as many trailing
/// parts of the previous name as it has.
fn readme_metric_patterns() -> Vec<regex::Regex> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let mut patterns = Vec::new();
    for line in readme.lines() {
        let Some(first) = line.strip_prefix("| `edge_").map(|_| &line[2..]) else {
            continue;
        };
        let cell = first.split(" |").next().unwrap_or("");
        let mut previous = String::new();
        for name in cell.split('`').skip(1).step_by(2) {
            let full = if let Some(tail) = name.strip_prefix('_') {
                let parts = tail.split('_').count();
                let kept: Vec<&str> = previous.split('_').collect();
                let kept = &kept[..kept.len().saturating_sub(parts)];
                format!("{}_{tail}", kept.join("_"))
            } else {
                name.to_owned()
            };
            let mut re = String::from("^");
            let mut rest = full.as_str();
            while let Some(c) = rest.chars().next() {
                match c {
                    '{' => {
                        let end = rest.find('}').expect("closing brace");
                        let alts: Vec<String> =
                            rest[1..end].split(',').map(regex::escape).collect();
                        re.push_str(&format!("(?:{})", alts.join("|")));
                        rest = &rest[end + 1..];
                        continue;
                    }
                    '*' => re.push_str("[a-z0-9_]+"),
                    c => re.push_str(&regex::escape(&c.to_string())),
                }
                rest = &rest[c.len_utf8()..];
            }
            re.push('$');
            patterns.push(regex::Regex::new(&re).expect("pattern"));
            previous = full;
        }
    }
    assert!(patterns.len() > 20, "README metrics table not found");
    patterns
}

/// `prometheus.target_url`'s path is where the scrape is fetched;
/// `prometheus.path` is the route Edge serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrape_is_fetched_at_the_target_url_path() {
    let sink = Sink::start().await;
    sink.set_reply(Reply {
        status: StatusCode::OK,
        headers: vec![("content-type".into(), "text/plain; version=0.0.4".into())],
        body: bytes::Bytes::from_static(b"up 1\n"),
        delay: Duration::ZERO,
    });
    let proxy = Proxy::start_as(
        edge_proxy::Distribution::Full,
        &sink.url(),
        r#"{"policies":[]}"#,
        json!({"prometheus": {"target_url": format!("{}/stats/prometheus", sink.url())}}),
    )
    .await;
    let text = get_text(proxy.url("/metrics?x=1")).await;
    assert!(text.contains("up 1"), "{text}");
    let got = sink.requests();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].path, "/stats/prometheus");
    assert_eq!(got[0].query.as_deref(), Some("x=1"));
}
