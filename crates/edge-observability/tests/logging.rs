//! What the subscriber writes, checked through the in-memory capture.

use std::time::Duration;

use edge_observability::{init_for_tests, redact_header_value, timed, Format, Level, Options};

fn options(level: Level) -> Options {
    Options {
        level,
        ..Options::default()
    }
}

#[test]
fn json_lines_have_the_documented_fields() {
    let (capture, _guard) = init_for_tests(&options(Level::Info));
    tracing::info!(
        route = "/v1/logs",
        status = 200u16,
        kept = 3,
        "request handled"
    );
    let lines = capture.json_lines();
    assert_eq!(lines.len(), 1, "{}", capture.contents());
    let line = &lines[0];
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["message"], "request handled");
    assert_eq!(line["target"], "logging");
    assert_eq!(line["route"], "/v1/logs");
    assert_eq!(line["status"], 200);
    assert_eq!(line["kept"], 3);
    let timestamp = line["timestamp"].as_str().expect("timestamp is a string");
    assert!(
        timestamp.contains('T') && timestamp.len() >= 20,
        "{timestamp}"
    );
    assert!(line.get("fields").is_none(), "fields are flattened: {line}");
    assert!(capture.contents().ends_with('\n'));
}

#[test]
fn level_filters_events() {
    let (capture, _guard) = init_for_tests(&options(Level::Warn));
    tracing::debug!("hidden debug");
    tracing::info!("hidden info");
    tracing::warn!("shown warn");
    tracing::error!(error = "boom", "shown error");
    let messages: Vec<String> = capture
        .json_lines()
        .iter()
        .map(|l| l["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(messages, vec!["shown warn", "shown error"]);
}

#[test]
fn timed_logs_start_and_duration() {
    let (capture, _guard) = init_for_tests(&options(Level::Debug));
    let work = timed("reload");
    std::thread::sleep(Duration::from_millis(5));
    let elapsed = work.finish();
    assert!(elapsed >= Duration::from_millis(5));
    let lines = capture.json_lines();
    assert_eq!(lines.len(), 2, "{}", capture.contents());
    assert_eq!(lines[0]["message"], "reload started");
    assert_eq!(lines[0]["level"], "DEBUG");
    assert_eq!(lines[0]["work"], "reload");
    assert_eq!(lines[1]["message"], "reload completed");
    assert_eq!(lines[1]["level"], "INFO");
    let duration_ms = lines[1]["duration_ms"]
        .as_f64()
        .expect("duration_ms is a number");
    assert!(duration_ms >= 5.0, "{duration_ms}");
}

#[test]
fn timed_logs_once_on_drop_at_chosen_level() {
    let (capture, _guard) = init_for_tests(&options(Level::Info));
    {
        let _work = timed("flush").level(Level::Warn);
    }
    let lines = capture.json_lines();
    // The debug "started" event is filtered out at info.
    assert_eq!(lines.len(), 1, "{}", capture.contents());
    assert_eq!(lines[0]["message"], "flush completed");
    assert_eq!(lines[0]["level"], "WARN");
}

#[test]
fn redacted_headers_never_reach_the_output() {
    let (capture, _guard) = init_for_tests(&options(Level::Info));
    let headers = [
        ("DD-API-KEY", "0123456789abcdef"),
        ("Authorization", "Bearer s3cr3t"),
        ("Cookie", "session=abc"),
        ("Content-Type", "application/json"),
    ];
    for (name, value) in headers {
        tracing::info!(
            header = name,
            value = redact_header_value(name, value),
            "forwarding header"
        );
    }
    let out = capture.contents();
    for secret in ["0123456789abcdef", "s3cr3t", "session=abc"] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
    assert!(out.contains("application/json"));
    assert_eq!(out.matches("<redacted>").count(), 3);
}

#[test]
fn current_span_is_attached() {
    let (capture, _guard) = init_for_tests(&options(Level::Info));
    let span = tracing::info_span!("request", request_id = 42);
    span.in_scope(|| tracing::info!("inside"));
    let lines = capture.json_lines();
    let inside = lines
        .iter()
        .find(|l| l["message"] == "inside")
        .expect("event logged");
    assert_eq!(inside["span"]["name"], "request");
    assert_eq!(inside["span"]["request_id"], 42);
}

#[test]
fn pretty_format_is_human_readable() {
    let (capture, _guard) = init_for_tests(&Options {
        level: Level::Info,
        format: Format::Pretty,
        env_override: false,
    });
    tracing::info!(policies = 7, "policies loaded");
    let out = capture.contents();
    assert!(out.contains("policies loaded"), "{out}");
    assert!(out.contains("policies: 7"), "{out}");
    assert!(capture.json_lines().is_empty());
    assert!(!out.contains('\u{1b}'), "no colour codes when capturing");
    capture.clear();
    assert!(capture.contents().is_empty());
}
