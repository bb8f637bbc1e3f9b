//! Deterministic benchmark payloads and policies, shared by `edge-payload`
//! and the criterion benches. A few records are debug logs, health checks or
//! carry e-mail addresses, so the generated policies drop or redact some.

use std::io::Write as _;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::resource::v1::Resource;
use serde_json::{json, Value};

struct Rec {
    service: String,
    level: &'static str,
    message: String,
    route: String,
    user: String,
}

fn record(i: usize) -> Rec {
    let level = if i % 20 == 7 {
        "debug"
    } else {
        ["info", "info", "warn", "error", "info"][i % 5]
    };
    let message = if i % 25 == 11 {
        format!("GET /healthz 200 in {}us", i % 900)
    } else if i % 10 == 3 {
        format!(
            "password reset mail sent to user{i}@example.com by worker {}",
            i % 8
        )
    } else {
        format!(
            "GET /api/v2/orders/{i} completed in {}ms for customer {} status=200",
            i % 97,
            i * 7
        )
    };
    Rec {
        service: format!("svc-{}", i % 50),
        level,
        message,
        route: format!("/api/v{}/orders", i % 5),
        user: format!("user{}", i % 1000),
    }
}

/// A well-mixed 64-bit hash (splitmix64), so identifiers look random and
/// bodies compress like real ones rather than like a repeated template.
fn mix(i: usize) -> u64 {
    let mut z = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn datadog(i: usize) -> Value {
    let r = record(i);
    json!({
        "timestamp": 1_700_000_000_000u64 + (mix(i) % 60_000),
        "dd.trace_id": format!("{}", mix(i + 1)),
        "message": r.message,
        "status": r.level,
        "service": r.service,
        "hostname": format!("node-{}", i % 7),
        "ddsource": "java",
        "ddtags": format!("env:prod,version:1.4.{},team:orders", i % 3),
        "http.route": r.route,
        "usr.id": r.user,
    })
}

/// Datadog body of `records` log objects.
pub fn datadog_body(records: usize) -> Vec<u8> {
    let v: Vec<Value> = (0..records).map(datadog).collect();
    serde_json::to_vec(&v).expect("serialises")
}

fn kv(k: &str, v: &str) -> KeyValue {
    KeyValue {
        key: k.to_owned(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(v.to_owned())),
        }),
    }
}

/// OTLP request with `records` log records spread over up to 8 resources.
pub fn otlp(records: usize) -> ExportLogsServiceRequest {
    let groups = records.clamp(1, 8);
    let resource_logs = (0..groups)
        .map(|g| {
            let log_records = (0..records)
                .filter(|i| i % groups == g)
                .map(|i| {
                    let r = record(i);
                    LogRecord {
                        time_unix_nano: 1_700_000_000_000_000_000 + mix(i) % 60_000_000_000,
                        observed_time_unix_nano: 1_700_000_000_000_000_000 + i as u64,
                        severity_number: match r.level {
                            "debug" => 5,
                            "info" => 9,
                            "warn" => 13,
                            _ => 17,
                        },
                        severity_text: r.level.to_uppercase(),
                        body: Some(AnyValue {
                            value: Some(any_value::Value::StringValue(r.message)),
                        }),
                        attributes: vec![kv("http.route", &r.route), kv("usr.id", &r.user)],
                        trace_id: ((u128::from(mix(i)) << 64) | u128::from(mix(i + 1)))
                            .to_be_bytes()
                            .to_vec(),
                        span_id: mix(i + 2).to_be_bytes().to_vec(),
                        ..LogRecord::default()
                    }
                })
                .collect();
            ResourceLogs {
                resource: Some(Resource {
                    attributes: vec![
                        kv("service.name", &format!("svc-{g}")),
                        kv("host.name", &format!("node-{g}")),
                    ],
                    ..Resource::default()
                }),
                scope_logs: vec![ScopeLogs {
                    scope: Some(InstrumentationScope {
                        name: "bench".to_owned(),
                        ..InstrumentationScope::default()
                    }),
                    log_records,
                    ..ScopeLogs::default()
                }],
                ..ResourceLogs::default()
            }
        })
        .collect();
    ExportLogsServiceRequest { resource_logs }
}

fn any_json(v: &Option<AnyValue>) -> Value {
    match v.as_ref().and_then(|v| v.value.as_ref()) {
        Some(any_value::Value::StringValue(s)) => json!({ "stringValue": s }),
        _ => json!({}),
    }
}

fn attrs_json(attrs: &[KeyValue]) -> Value {
    attrs
        .iter()
        .map(|a| json!({"key": a.key, "value": any_json(&a.value)}))
        .collect()
}

/// The OTLP/JSON encoding of `req` (hex ids, string 64-bit integers).
pub fn otlp_json(req: &ExportLogsServiceRequest) -> Vec<u8> {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let rls: Vec<Value> = req
        .resource_logs
        .iter()
        .map(|rl| {
            let res = rl.resource.as_ref().map(|r| attrs_json(&r.attributes));
            let sls: Vec<Value> = rl
                .scope_logs
                .iter()
                .map(|sl| {
                    let recs: Vec<Value> = sl
                        .log_records
                        .iter()
                        .map(|l| {
                            json!({
                                "timeUnixNano": l.time_unix_nano.to_string(),
                                "observedTimeUnixNano": l.observed_time_unix_nano.to_string(),
                                "severityNumber": l.severity_number,
                                "severityText": l.severity_text,
                                "body": any_json(&l.body),
                                "attributes": attrs_json(&l.attributes),
                                "traceId": hex(&l.trace_id),
                                "spanId": hex(&l.span_id),
                            })
                        })
                        .collect();
                    json!({"scope": {"name": "bench"}, "logRecords": recs})
                })
                .collect();
            json!({"resource": {"attributes": res}, "scopeLogs": sls})
        })
        .collect();
    serde_json::to_vec(&json!({ "resourceLogs": rls })).expect("serialises")
}

/// Smallest record count whose body (sized by `size`) reaches `bytes`.
pub fn records_for(bytes: usize, size: impl Fn(usize) -> usize) -> usize {
    let per = size(100).max(1) / 100;
    let mut n = (bytes / per.max(1)).max(1);
    while size(n) < bytes {
        n += n / 20 + 1;
    }
    n
}

/// gzip at the default level, as agents send it.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory")
}

/// `count` mixed log policies: three that hit the generated records (drop
/// debug, drop health checks, redact e-mails) and the rest a mix of exact,
/// regex, prefix and substring conditions, a few of which match too.
pub fn policies(count: usize) -> Value {
    policies_with(count, true)
}

/// Like [`policies`]; with `changing == false` no policy drops or changes a
/// generated record (some still match with `keep: all`), so bodies are
/// forwarded unchanged.
pub fn policies_with(count: usize, changing: bool) -> Value {
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let p = match i {
            0 if changing => json!({"id": "p000-drop-debug", "name": "drop debug",
                "log": {"match": [{"log_field": "severity_text", "exact": "debug", "case_insensitive": true}], "keep": "none"}}),
            1 if changing => json!({"id": "p001-drop-health", "name": "drop health checks",
                "log": {"match": [{"log_field": "body", "regex": "^GET /healthz? "}], "keep": "none"}}),
            2 if changing => json!({"id": "p002-redact-email", "name": "redact e-mails",
                "log": {"match": [{"log_field": "body", "contains": "@"}], "keep": "all",
                    "transform": {"redact": [{"log_field": "body",
                        "regex": "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", "replacement": "[EMAIL]"}]}}}),
            _ => {
                let matcher = match i % 4 {
                    0 => {
                        json!({"resource_attribute": ["service.name"], "exact": format!("svc-{i}")})
                    }
                    1 => {
                        json!({"log_field": "body", "regex": format!("timeout after [0-9]+ms in step {i}\\b")})
                    }
                    2 => {
                        json!({"log_attribute": ["http.route"], "starts_with": format!("/api/v{i}/orders/")})
                    }
                    _ => json!({"log_field": "body", "contains": format!("request-{i}-failed")}),
                };
                let keep = if i % 4 == 0 { "all" } else { "none" };
                json!({"id": format!("p{i:03}"), "name": format!("policy {i}"),
                    "log": {"match": [matcher, {"log_field": "severity_text", "exists": true}], "keep": keep}})
            }
        };
        out.push(p);
    }
    json!({ "policies": out })
}
