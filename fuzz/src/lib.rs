//! Shared fixtures for Edge's fuzz targets: a small fixed policy set that
//! touches every signal, plus fixed OTLP/JSON documents to evaluate fuzzed
//! policies against.
#![warn(missing_docs)]

use std::sync::{Arc, OnceLock};

use edge_policy::parse::{parse_document, Format};
use edge_policy::{PolicySnapshot, Registry};
use serde_json::Value;

pub mod targets;

/// The fixed policy set (YAML): log drop/sample/transform, metric drop,
/// trace sampling. Written for the fuzzers, not taken from any test suite.
pub const POLICIES_YAML: &str = r#"
policies:
  - id: fz-drop-debug
    name: drop debug
    log:
      match:
        - log_field: severity_text
          exact: debug
          case_insensitive: true
      keep: none
  - id: fz-sample-noise
    name: sample noisy bodies
    log:
      match:
        - log_field: body
          regex: "^(GET|POST) /[a-z]+ [0-9]{3}"
      keep: "25%"
  - id: fz-redact-token
    name: redact tokens
    log:
      match:
        - log_attribute: [token]
          exists: true
      keep: all
      transform:
        redact:
          - log_attribute: [token]
            regex: "([a-z]+)-[0-9]+"
            replacement: "$1-***"
        remove:
          - log_attribute: [password]
        rename:
          - from_log_attribute: [old]
            to: new
        add:
          - log_attribute: [edge]
            value: fuzz
  - id: fz-drop-metric
    name: drop gc metrics
    metric:
      match:
        - metric_field: name
          starts_with: go_gc_
      keep: false
  - id: fz-drop-healthz
    name: drop health series
    metric:
      match:
        - datapoint_attribute: [handler]
          exact: /healthz
      keep: false
  - id: fz-sample-traces
    name: sample spans
    trace:
      match:
        - trace_field: name
          contains: health
      keep:
        percentage: 10
"#;

/// A registry loaded with [`POLICIES_YAML`], built once per process.
///
/// Panics if any entry of the set fails to parse or compile: fuzzing through
/// a silently broken policy set would exercise nothing (the smoke run then
/// fails loudly instead).
pub fn registry() -> Arc<Registry> {
    static REG: OnceLock<Arc<Registry>> = OnceLock::new();
    REG.get_or_init(|| {
        let parsed = parse_document(POLICIES_YAML, Format::Yaml)
            .expect("the fixed fuzz policy document is valid YAML");
        assert!(
            parsed.errors.is_empty(),
            "fixed fuzz policies do not parse: {:?}",
            parsed.errors
        );
        let reg = Registry::new();
        reg.update_source_parsed("fuzz", parsed);
        for status in reg.policy_statuses() {
            assert!(
                status.errors.is_empty(),
                "fixed fuzz policy {} does not compile: {:?}",
                status.id,
                status.errors
            );
        }
        Arc::new(reg)
    })
    .clone()
}

/// The compiled snapshot of [`registry`].
pub fn snapshot() -> Arc<PolicySnapshot> {
    registry().snapshot()
}

/// Fixed OTLP/JSON documents (logs, metrics, traces) used to evaluate a
/// fuzzed policy set after it compiled.
pub fn sample_docs() -> &'static [(Signal, Value); 3] {
    static DOCS: OnceLock<[(Signal, Value); 3]> = OnceLock::new();
    DOCS.get_or_init(|| {
        let logs = serde_json::json!({"resourceLogs": [{
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
            "scopeLogs": [{"scope": {"name": "s"}, "logRecords": [
                {"severityText": "DEBUG", "body": {"stringValue": "GET /healthz 200"},
                 "attributes": [{"key": "token", "value": {"stringValue": "abc-123"}},
                                {"key": "n", "value": {"intValue": "42"}}],
                 "traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "0102030405060708"},
                {"severityText": "INFO", "body": {"kvlistValue": {"values": [
                    {"key": "k", "value": {"arrayValue": {"values": [{"boolValue": true}]}}}]}}}
            ]}]
        }]});
        let metrics = serde_json::json!({"resourceMetrics": [{
            "resource": {"attributes": []},
            "scopeMetrics": [{"metrics": [
                {"name": "go_gc_duration_seconds", "description": "gc", "unit": "s",
                 "sum": {"aggregationTemporality": 2, "isMonotonic": true, "dataPoints": [
                    {"asDouble": 1.5, "attributes": [{"key": "handler", "value": {"stringValue": "/healthz"}}]}]}},
                {"name": "http_requests", "gauge": {"dataPoints": [{"asInt": "3"}]}}
            ]}]
        }]});
        let traces = serde_json::json!({"resourceSpans": [{
            "resource": {"attributes": []},
            "scopeSpans": [{"spans": [
                {"name": "GET /health", "kind": 2, "traceId": "0102030405060708090a0b0c0d0e0f10",
                 "spanId": "0102030405060708", "traceState": "ot=th:8",
                 "attributes": [{"key": "http.status_code", "value": {"intValue": "200"}}]}
            ]}]
        }]});
        [
            (Signal::Logs, logs),
            (Signal::Metrics, metrics),
            (Signal::Traces, traces),
        ]
    })
}

/// A telemetry signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Logs.
    Logs,
    /// Metrics.
    Metrics,
    /// Traces.
    Traces,
}

/// Runs every [`sample_docs`] document through `snap` (on copies).
pub fn evaluate_samples(snap: &PolicySnapshot) {
    use edge_policy::otlp_json::{process_logs, process_metrics, process_traces};
    for (signal, doc) in sample_docs() {
        let mut doc = doc.clone();
        match signal {
            Signal::Logs => {
                process_logs(snap, &mut doc);
            }
            Signal::Metrics => {
                process_metrics(snap, &mut doc);
            }
            Signal::Traces => {
                process_traces(snap, &mut doc);
            }
        }
    }
}

/// Splits `data` into chunks whose sizes follow a small generator seeded by
/// `seed` (sizes 1..=64, occasionally the whole rest), so chunk boundaries
/// fall everywhere, including inside lines and multi-byte characters.
pub fn chunks(data: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut state = u32::from(seed) | 1;
    let mut rest = data;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = if state % 16 == 0 {
            rest.len()
        } else {
            1 + (state as usize % 64)
        };
        let (a, b) = rest.split_at(n.min(rest.len()));
        out.push(a);
        rest = b;
    }
    out
}

/// The fast (policy-free) validator of `edge_modules::otlp` against its
/// full decoder for one body; panics on a disagreement.
#[cfg(feature = "modules")]
pub fn check_fast_path(
    signal: edge_modules::OtlpSignal,
    encoding: edge_modules::otlp::Encoding,
    body: &[u8],
) {
    use edge_modules::otlp::{count_records_fast, count_records_full, Encoding};
    let fast = count_records_fast(signal, encoding, body);
    let full = count_records_full(signal, encoding, body);
    if let Some(n) = fast {
        assert_eq!(
            full.as_ref().ok(),
            Some(&n),
            "{signal:?} {encoding:?}: fast path accepted {n} records, full decoder: {full:?}"
        );
    }
    if encoding == Encoding::Protobuf {
        assert_eq!(
            fast.is_some(),
            full.is_ok(),
            "{signal:?}: fast path {fast:?}, prost {full:?}"
        );
    } else {
        // The byte walk and the serde walk of the JSON validator agree.
        edge_modules::otlp::assert_json_walks_agree(signal, body);
    }
}

/// Log policies whose outcome does not depend on chance (no sampling, no
/// rate limits): drops, and transforms of records, resources and scopes,
/// one of them read by a later drop. [`check_logs_splice`] runs them twice.
pub const SPLICE_POLICIES_YAML: &str = r#"
policies:
  - id: sp-drop-debug
    name: drop debug
    log:
      match:
        - log_field: severity_text
          exact: debug
      keep: none
  - id: sp-mark
    name: mark resource and scope
    log:
      match:
        - log_field: body
          contains: x
      keep: all
      transform:
        add:
          - resource_attribute: [marked]
            value: "1"
          - log_attribute: [edge]
            value: fuzz
        remove:
          - scope_attribute: [a]
  - id: sp-drop-marked
    name: drop marked info
    log:
      match:
        - resource_attribute: [marked]
          exists: true
        - log_field: severity_text
          exact: info
      keep: none
  - id: sp-redact
    name: redact
    log:
      match:
        - log_attribute: [token]
          exists: true
      keep: all
      transform:
        redact:
          - log_attribute: [token]
            replacement: "***"
        rename:
          - from_resource_attribute: [old]
            to: new
  - id: sp-text
    name: text fields only (applied on the wire)
    log:
      match:
        - log_field: body
          regex: "[yz]"
      keep: all
      transform:
        remove:
          - log_field: severity_text
        redact:
          - log_field: body
            regex: "y+"
            replacement: "<y>"
        add:
          - log_field: event_name
            value: fuzzed
            upsert: true
"#;

/// A registry loaded with [`SPLICE_POLICIES_YAML`], built once per process.
#[cfg(feature = "modules")]
pub fn splice_registry() -> Arc<Registry> {
    static REG: OnceLock<Arc<Registry>> = OnceLock::new();
    REG.get_or_init(|| {
        let parsed = parse_document(SPLICE_POLICIES_YAML, Format::Yaml)
            .expect("the fixed splice policy document is valid YAML");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let reg = Registry::new();
        reg.update_source_parsed("fuzz-splice", parsed);
        Arc::new(reg)
    })
    .clone()
}

/// The OTLP logs module on an OTLP/JSON body (log records evaluated on the
/// text, kept records forwarded as received) against the normalised JSON
/// tree path, both with [`SPLICE_POLICIES_YAML`]: the same answer (forward
/// the original, forward a body, or the same local response), and a
/// forwarded body of the same meaning.
#[cfg(feature = "modules")]
pub fn check_json_logs(body: &[u8]) {
    use edge_modules::otlp::Encoding;
    use edge_modules::{OtlpModule, OtlpSignal, RequestAction};
    static M: OnceLock<OtlpModule> = OnceLock::new();
    let module = M.get_or_init(|| OtlpModule::new(splice_registry(), OtlpSignal::Logs));
    let fast = module.process(Encoding::Json, body);
    let tree = module.process_json_tree(body);
    match (&fast, &tree) {
        (RequestAction::ForwardOriginal, RequestAction::ForwardOriginal) => {}
        (RequestAction::ForwardModified(x), RequestAction::ForwardModified(y)) => {
            let x: Value = serde_json::from_slice(x).expect("the fast logs body parses");
            let y: Value = serde_json::from_slice(y).expect("the tree logs body parses");
            assert_eq!(x, y, "JSON logs: fast path and tree path differ");
        }
        (RequestAction::Respond(a), RequestAction::Respond(b)) => {
            assert_eq!(
                (a.status, &a.body),
                (b.status, &b.body),
                "JSON logs: different local answers"
            );
        }
        _ => panic!("JSON logs: fast path {fast:?}, tree path {tree:?}"),
    }
}

/// The OTLP logs module (which splices a changed protobuf body from the
/// original bytes) against decoding the whole request with prost,
/// processing and encoding it: for a body prost accepts, the forwarded
/// body must decode to the same request, and the module must forward the
/// original, or answer locally, exactly when the reference would.
#[cfg(feature = "modules")]
pub fn check_logs_splice(body: &[u8]) {
    use edge_modules::otlp::{proto, Encoding};
    use edge_modules::{OtlpModule, OtlpSignal, RequestAction};
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use prost::Message as _;
    let Ok(mut reference) = ExportLogsServiceRequest::decode(body) else {
        return;
    };
    let registry = splice_registry();
    let action =
        OtlpModule::new(registry.clone(), OtlpSignal::Logs).process(Encoding::Protobuf, body);
    let o = proto::process_logs(&registry.snapshot(), &mut reference);
    match action {
        RequestAction::ForwardModified(out) => {
            assert!(o.dropped > 0 || o.modified > 0, "modified without a change");
            let spliced =
                ExportLogsServiceRequest::decode(&out[..]).expect("the spliced logs body decodes");
            assert_eq!(
                spliced, reference,
                "spliced logs differ from the prost path"
            );
        }
        RequestAction::ForwardOriginal => {
            assert!(
                o.dropped == 0 && o.modified == 0,
                "a change was not forwarded"
            );
        }
        RequestAction::Respond(_) => {
            assert!(o.records == 0 || o.dropped == o.records, "answered locally");
        }
    }
}

/// Panics unless `body` decodes as the OTLP export request of `signal`
/// (what the OTLP module forwards must stay a valid request).
#[cfg(feature = "modules")]
pub fn check_otlp_protobuf(signal: edge_modules::OtlpSignal, body: &[u8]) {
    use edge_modules::OtlpSignal;
    use opentelemetry_proto::tonic::collector::{
        logs::v1::ExportLogsServiceRequest, metrics::v1::ExportMetricsServiceRequest,
        trace::v1::ExportTraceServiceRequest,
    };
    use prost::Message as _;
    let ok = match signal {
        OtlpSignal::Logs => ExportLogsServiceRequest::decode(body).is_ok(),
        OtlpSignal::Metrics => ExportMetricsServiceRequest::decode(body).is_ok(),
        OtlpSignal::Traces => ExportTraceServiceRequest::decode(body).is_ok(),
    };
    assert!(ok, "OTLP module forwarded an undecodable {signal:?} body");
}
