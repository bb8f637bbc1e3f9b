use std::sync::Arc;

use edge_policy::parse::{parse_document, Format};
use edge_policy::{
    AttrScope, LogField, LogView, LogViewMut, MetricField, MetricType, MetricView, Registry,
    Temporality, TraceField, TraceView, TraceViewMut, ValueRef,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{
    any_value, AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList,
};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::metrics::v1::{
    metric, Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics,
    ScopeMetrics, Sum,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{span, status, ResourceSpans, ScopeSpans, Span};
use prost::Message;
use serde_json::{json, Value};

use super::proto::{PbLog, PbMetric, PbSpan};
use super::*;
use crate::{DecodeFailure, ProxyModule, RequestAction, RequestParts};

// --- helpers ---------------------------------------------------------------

fn registry(policies: Value) -> Arc<Registry> {
    let parsed = parse_document(&policies.to_string(), Format::Json).expect("policy document");
    assert!(
        parsed.errors.is_empty(),
        "policy errors: {:?}",
        parsed.errors
    );
    let r = Arc::new(Registry::new());
    r.update_source("test", parsed.policies);
    for status in r.policy_statuses() {
        assert!(
            status.errors.is_empty(),
            "policy {}: {:?}",
            status.id,
            status.errors
        );
    }
    r
}

fn module(signal: Signal, policies: Value) -> OtlpModule {
    OtlpModule::new(registry(policies), signal)
}

fn call(m: &OtlpModule, content_type: &str, body: &[u8]) -> RequestAction {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap(),
    );
    let parts = RequestParts {
        method: &Method::POST,
        path: m.signal().path(),
        query: None,
        headers: &headers,
    };
    assert!(m.inspects_request_body(&parts));
    m.on_request(&parts, body)
}

const PB: &str = "application/x-protobuf";
const JS: &str = "application/json";

fn s(v: &str) -> Option<AnyValue> {
    Some(AnyValue {
        value: Some(any_value::Value::StringValue(v.into())),
    })
}

fn kv(k: &str, v: Option<AnyValue>) -> KeyValue {
    KeyValue {
        key: k.into(),
        value: v,
    }
}

fn int(i: i64) -> Option<AnyValue> {
    Some(AnyValue {
        value: Some(any_value::Value::IntValue(i)),
    })
}

fn kvlist(items: Vec<KeyValue>) -> Option<AnyValue> {
    Some(AnyValue {
        value: Some(any_value::Value::KvlistValue(KeyValueList {
            values: items,
        })),
    })
}

fn path(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| s.to_string()).collect()
}

fn log_request(records: Vec<LogRecord>) -> ExportLogsServiceRequest {
    ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(Resource {
                attributes: vec![kv("service.name", s("checkout"))],
                ..Default::default()
            }),
            scope_logs: vec![ScopeLogs {
                scope: Some(InstrumentationScope {
                    name: "lib".into(),
                    version: "1.2".into(),
                    attributes: vec![kv("scope.k", s("sv"))],
                    ..Default::default()
                }),
                log_records: records,
                schema_url: "https://scope".into(),
            }],
            schema_url: "https://res".into(),
        }],
    }
}

fn log(body: &str, attrs: Vec<KeyValue>) -> LogRecord {
    LogRecord {
        body: s(body),
        attributes: attrs,
        ..Default::default()
    }
}

fn expect_modified(action: RequestAction) -> Vec<u8> {
    match action {
        RequestAction::ForwardModified(b) => b.to_vec(),
        other => panic!("expected ForwardModified, got {other:?}"),
    }
}

fn expect_respond(action: RequestAction) -> crate::ModuleResponse {
    match action {
        RequestAction::Respond(r) => r,
        other => panic!("expected Respond, got {other:?}"),
    }
}

fn drop_body_policy(needle: &str) -> Value {
    json!({"policies":[{"id":"drop","name":"drop","log":{
        "match":[{"log_field":"body","contains":needle}],"keep":"none"}}]})
}

// --- protobuf views ----------------------------------------------------------

#[test]
fn protobuf_log_view_reads_every_selector() {
    let mut req = log_request(vec![LogRecord {
        body: s("hello"),
        severity_text: "WARN".into(),
        trace_id: vec![0x5b; 16],
        span_id: vec![0xee; 8],
        event_name: "evt".into(),
        attributes: vec![
            kv("k", s("v")),
            kv("n", int(42)),
            kv("nested", kvlist(vec![kv("inner", s("deep"))])),
            kv("novalue", None),
        ],
        ..Default::default()
    }]);
    let rl = &mut req.resource_logs[0];
    let mut scopes = std::mem::take(&mut rl.scope_logs);
    let sl = &mut scopes[0];
    let mut records = std::mem::take(&mut sl.log_records);
    let view = PbLog {
        resource: rl,
        scope: sl,
        record: &mut records[0],
    };
    assert_eq!(view.log_field(LogField::Body), Some(ValueRef::str("hello")));
    assert_eq!(
        view.log_field(LogField::SeverityText),
        Some(ValueRef::str("WARN"))
    );
    assert_eq!(
        view.log_field(LogField::TraceId),
        Some(ValueRef::Bytes(vec![0x5b; 16].into()))
    );
    assert_eq!(
        view.log_field(LogField::SpanId),
        Some(ValueRef::Bytes(vec![0xee; 8].into()))
    );
    assert_eq!(
        view.log_field(LogField::EventName),
        Some(ValueRef::str("evt"))
    );
    assert_eq!(
        view.log_field(LogField::ResourceSchemaUrl),
        Some(ValueRef::str("https://res"))
    );
    assert_eq!(
        view.log_field(LogField::ScopeSchemaUrl),
        Some(ValueRef::str("https://scope"))
    );
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["k"])),
        Some(ValueRef::str("v"))
    );
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["n"])),
        Some(ValueRef::Int(42))
    );
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["nested", "inner"])),
        Some(ValueRef::str("deep"))
    );
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["nested"])),
        Some(ValueRef::Other)
    );
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["novalue"])),
        Some(ValueRef::Other)
    );
    assert_eq!(view.attribute(AttrScope::Record, &path(&["missing"])), None);
    assert_eq!(view.attribute(AttrScope::Record, &path(&["k", "x"])), None);
    assert_eq!(
        view.attribute(AttrScope::Resource, &path(&["service.name"])),
        Some(ValueRef::str("checkout"))
    );
    assert_eq!(
        view.attribute(AttrScope::Scope, &path(&["scope.k"])),
        Some(ValueRef::str("sv"))
    );
}

#[test]
fn protobuf_log_view_treats_empty_values_as_absent() {
    let mut rl = ResourceLogs::default();
    let mut sl = ScopeLogs::default();
    let mut rec = LogRecord {
        body: s(""),
        trace_id: vec![0; 16],
        ..Default::default()
    };
    let view = PbLog {
        resource: &mut rl,
        scope: &mut sl,
        record: &mut rec,
    };
    for f in [
        LogField::Body,
        LogField::SeverityText,
        LogField::TraceId,
        LogField::SpanId,
        LogField::EventName,
        LogField::ResourceSchemaUrl,
        LogField::ScopeSchemaUrl,
    ] {
        assert_eq!(view.log_field(f), None, "{f:?}");
    }
    assert_eq!(view.attribute(AttrScope::Resource, &path(&["a"])), None);
    assert_eq!(view.attribute(AttrScope::Scope, &path(&["a"])), None);
}

#[test]
fn protobuf_log_view_mut_edits() {
    let mut rl = ResourceLogs::default();
    let mut sl = ScopeLogs::default();
    let mut rec = log("body", vec![kv("a", int(1)), kv("b", s("x"))]);
    let mut view = PbLog {
        resource: &mut rl,
        scope: &mut sl,
        record: &mut rec,
    };
    assert!(view.rename_attribute(AttrScope::Record, &path(&["a"]), "c", false));
    assert!(!view.rename_attribute(AttrScope::Record, &path(&["b"]), "c", false));
    assert!(view.rename_attribute(AttrScope::Record, &path(&["b"]), "c", true));
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["c"])),
        Some(ValueRef::str("x"))
    );
    assert!(view.set_attribute(AttrScope::Record, &path(&["m", "n"]), "deep"));
    assert_eq!(
        view.attribute(AttrScope::Record, &path(&["m", "n"])),
        Some(ValueRef::str("deep"))
    );
    assert!(view.remove_attribute(AttrScope::Record, &path(&["m", "n"])));
    assert!(!view.remove_attribute(AttrScope::Record, &path(&["m", "n"])));
    assert!(view.set_attribute(AttrScope::Resource, &path(&["r"]), "1"));
    assert!(view.set_attribute(AttrScope::Scope, &path(&["s"]), "2"));
    assert!(!view.remove_attribute(AttrScope::Scope, &path(&["nope"])));
    assert!(view.set_field(LogField::Body, "new"));
    assert!(view.set_field(LogField::SeverityText, "ERROR"));
    assert!(view.set_field(LogField::TraceId, "5b8efff798038103d269b633813fc60c"));
    assert!(!view.set_field(LogField::SpanId, "not-hex"));
    assert_eq!(view.log_field(LogField::Body), Some(ValueRef::str("new")));
    assert!(view.remove_field(LogField::SeverityText));
    assert!(!view.remove_field(LogField::SeverityText));
    assert!(view.remove_field(LogField::Body));
    assert_eq!(view.log_field(LogField::Body), None);
    assert_eq!(rl.resource.unwrap().attributes[0].key, "r");
    assert_eq!(sl.scope.unwrap().attributes[0].key, "s");
    assert_eq!(
        rec.attributes
            .iter()
            .map(|a| a.key.as_str())
            .collect::<Vec<_>>(),
        ["c", "m"]
    );
    assert_eq!(rec.trace_id.len(), 16);
}

fn metric_fixture() -> (ResourceMetrics, ScopeMetrics, Vec<Metric>) {
    let rm = ResourceMetrics {
        resource: Some(Resource {
            attributes: vec![kv("host", s("h1"))],
            ..Default::default()
        }),
        schema_url: "rs".into(),
        ..Default::default()
    };
    let sm = ScopeMetrics {
        scope: Some(InstrumentationScope {
            name: "meter".into(),
            version: "0.1".into(),
            attributes: vec![kv("sk", s("sv"))],
            ..Default::default()
        }),
        schema_url: "ss".into(),
        ..Default::default()
    };
    let metrics = vec![
        Metric {
            name: "req".into(),
            description: "requests".into(),
            unit: "1".into(),
            data: Some(metric::Data::Sum(Sum {
                data_points: vec![NumberDataPoint {
                    attributes: vec![kv("env", s("prod"))],
                    ..Default::default()
                }],
                aggregation_temporality: 1,
                is_monotonic: true,
            })),
            ..Default::default()
        },
        Metric {
            name: "lat".into(),
            data: Some(metric::Data::Histogram(Histogram {
                data_points: vec![HistogramDataPoint::default()],
                aggregation_temporality: 2,
            })),
            ..Default::default()
        },
        Metric {
            name: "g".into(),
            data: Some(metric::Data::Gauge(Gauge::default())),
            ..Default::default()
        },
        Metric::default(),
    ];
    (rm, sm, metrics)
}

#[test]
fn protobuf_metric_view_reads_every_selector() {
    let (rm, sm, metrics) = metric_fixture();
    let v = PbMetric {
        resource: &rm,
        scope: &sm,
        metric: &metrics[0],
    };
    assert_eq!(
        v.metric_field(MetricField::Name),
        Some(ValueRef::str("req"))
    );
    assert_eq!(
        v.metric_field(MetricField::Description),
        Some(ValueRef::str("requests"))
    );
    assert_eq!(v.metric_field(MetricField::Unit), Some(ValueRef::str("1")));
    assert_eq!(
        v.metric_field(MetricField::ResourceSchemaUrl),
        Some(ValueRef::str("rs"))
    );
    assert_eq!(
        v.metric_field(MetricField::ScopeSchemaUrl),
        Some(ValueRef::str("ss"))
    );
    assert_eq!(
        v.metric_field(MetricField::ScopeName),
        Some(ValueRef::str("meter"))
    );
    assert_eq!(
        v.metric_field(MetricField::ScopeVersion),
        Some(ValueRef::str("0.1"))
    );
    assert_eq!(
        v.attribute(AttrScope::Record, &path(&["env"])),
        Some(ValueRef::str("prod"))
    );
    assert_eq!(
        v.attribute(AttrScope::Resource, &path(&["host"])),
        Some(ValueRef::str("h1"))
    );
    assert_eq!(
        v.attribute(AttrScope::Scope, &path(&["sk"])),
        Some(ValueRef::str("sv"))
    );
    assert_eq!(v.metric_type(), Some(MetricType::Sum));
    assert_eq!(v.temporality(), Some(Temporality::Delta));

    let h = PbMetric {
        metric: &metrics[1],
        ..v
    };
    assert_eq!(h.metric_type(), Some(MetricType::Histogram));
    assert_eq!(h.temporality(), Some(Temporality::Cumulative));
    assert_eq!(h.metric_field(MetricField::Description), None);
    let g = PbMetric {
        metric: &metrics[2],
        ..v
    };
    assert_eq!(g.metric_type(), Some(MetricType::Gauge));
    assert_eq!(g.temporality(), None);
    // A gauge without data points has no record attributes.
    assert_eq!(g.attribute(AttrScope::Record, &path(&["env"])), None);
    let empty = PbMetric {
        metric: &metrics[3],
        ..v
    };
    assert_eq!(empty.metric_type(), None);
    assert_eq!(empty.metric_field(MetricField::Name), None);
}

fn span_fixture() -> Span {
    Span {
        trace_id: hex::decode("5b8efff798038103d269b633813fc60c").unwrap(),
        span_id: vec![1; 8],
        parent_span_id: vec![2; 8],
        trace_state: "vendor=x".into(),
        name: "GET /".into(),
        kind: span::SpanKind::Client as i32,
        attributes: vec![kv("http.method", s("GET"))],
        events: vec![span::Event {
            name: "exception".into(),
            attributes: vec![kv("exception.type", s("Boom"))],
            ..Default::default()
        }],
        links: vec![span::Link {
            trace_id: vec![9; 16],
            ..Default::default()
        }],
        status: Some(opentelemetry_proto::tonic::trace::v1::Status {
            code: status::StatusCode::Error as i32,
            message: String::new(),
        }),
        ..Default::default()
    }
}

#[test]
fn protobuf_trace_view_reads_every_selector_and_writes_tracestate() {
    let rs = ResourceSpans {
        resource: Some(Resource {
            attributes: vec![kv("service.name", s("api"))],
            ..Default::default()
        }),
        schema_url: "rs".into(),
        ..Default::default()
    };
    let ss = ScopeSpans {
        scope: Some(InstrumentationScope {
            name: "tracer".into(),
            version: "3".into(),
            attributes: vec![kv("sk", s("sv"))],
            ..Default::default()
        }),
        schema_url: "ss".into(),
        ..Default::default()
    };
    let mut sp = span_fixture();
    let mut v = PbSpan {
        resource: &rs,
        scope: &ss,
        span: &mut sp,
    };
    assert_eq!(
        v.trace_field(TraceField::Name),
        Some(ValueRef::str("GET /"))
    );
    assert!(
        matches!(v.trace_field(TraceField::TraceId), Some(ValueRef::Bytes(b)) if b.len() == 16)
    );
    assert!(matches!(v.trace_field(TraceField::SpanId), Some(ValueRef::Bytes(b)) if b.len() == 8));
    assert!(v.trace_field(TraceField::ParentSpanId).is_some());
    assert_eq!(
        v.trace_field(TraceField::TraceState),
        Some(ValueRef::str("vendor=x"))
    );
    assert_eq!(
        v.trace_field(TraceField::ResourceSchemaUrl),
        Some(ValueRef::str("rs"))
    );
    assert_eq!(
        v.trace_field(TraceField::ScopeSchemaUrl),
        Some(ValueRef::str("ss"))
    );
    assert_eq!(
        v.trace_field(TraceField::ScopeName),
        Some(ValueRef::str("tracer"))
    );
    assert_eq!(
        v.trace_field(TraceField::ScopeVersion),
        Some(ValueRef::str("3"))
    );
    assert_eq!(
        v.attribute(AttrScope::Record, &path(&["http.method"])),
        Some(ValueRef::str("GET"))
    );
    assert_eq!(
        v.attribute(AttrScope::Resource, &path(&["service.name"])),
        Some(ValueRef::str("api"))
    );
    assert_eq!(
        v.attribute(AttrScope::Scope, &path(&["sk"])),
        Some(ValueRef::str("sv"))
    );
    assert_eq!(v.span_kind(), 3);
    assert_eq!(v.span_status(), 2);
    assert_eq!(v.event_count(), 1);
    assert_eq!(v.event_name(0), Some(ValueRef::str("exception")));
    assert_eq!(v.event_name(1), None);
    assert_eq!(
        v.event_attribute(0, &path(&["exception.type"])),
        Some(ValueRef::str("Boom"))
    );
    assert_eq!(v.link_count(), 1);
    assert_eq!(
        v.link_trace_id(0),
        Some(ValueRef::Bytes(vec![9; 16].into()))
    );
    assert!(!v.set_trace_state("vendor=x"));
    assert!(v.set_trace_state("ot=th:8"));
    assert_eq!(sp.trace_state, "ot=th:8");
    sp.parent_span_id.clear();
    sp.status = None;
    let v = PbSpan {
        resource: &rs,
        scope: &ss,
        span: &mut sp,
    };
    assert_eq!(v.trace_field(TraceField::ParentSpanId), None);
    assert_eq!(v.span_status(), 0);
}

// --- module: protobuf ------------------------------------------------------

#[test]
fn protobuf_logs_drop_prunes_and_reencodes() {
    let m = module(Signal::Logs, drop_body_policy("debug"));
    let mut req = log_request(vec![log("keep me", vec![]), log("debug noise", vec![])]);
    // A second resource whose only record is dropped disappears entirely.
    req.resource_logs.push(ResourceLogs {
        scope_logs: vec![ScopeLogs {
            log_records: vec![log("debug only", vec![])],
            ..Default::default()
        }],
        ..Default::default()
    });
    let out = expect_modified(call(&m, PB, &req.encode_to_vec()));
    let got = ExportLogsServiceRequest::decode(out.as_slice()).unwrap();
    assert_eq!(got.resource_logs.len(), 1);
    let records = &got.resource_logs[0].scope_logs[0].log_records;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].body, s("keep me"));
    // Everything else survives the round trip.
    assert_eq!(got.resource_logs[0].schema_url, "https://res");
    assert_eq!(
        got.resource_logs[0].scope_logs[0]
            .scope
            .as_ref()
            .unwrap()
            .name,
        "lib"
    );
    let stats = m.stats();
    assert_eq!(
        stats
            .records_evaluated
            .load(std::sync::atomic::Ordering::Relaxed),
        3
    );
    assert_eq!(
        stats
            .records_dropped
            .load(std::sync::atomic::Ordering::Relaxed),
        2
    );
}

#[test]
fn protobuf_unchanged_forwards_original() {
    let m = module(Signal::Logs, drop_body_policy("nothing-matches-this"));
    let req = log_request(vec![log("a", vec![]), log("b", vec![])]);
    assert!(matches!(
        call(&m, PB, &req.encode_to_vec()),
        RequestAction::ForwardOriginal
    ));
    // No policies at all: also the original bytes.
    let m = module(Signal::Logs, json!({"policies":[]}));
    assert!(matches!(
        call(&m, PB, &req.encode_to_vec()),
        RequestAction::ForwardOriginal
    ));
}

#[test]
fn protobuf_transform_applies() {
    let policy = json!({"policies":[{"id":"t","name":"t","log":{
    "match":[{"log_attribute":"user","exists":true}],
    "keep":"all",
    "transform":{
        "remove":[{"log_attribute":"password"}],
        "redact":[{"log_attribute":"user","replacement":"[R]"}],
        "rename":[{"from_log_attribute":"old","to":"new"}],
        "add":[{"resource_attribute":"edge","value":"yes"}]
    }}}]});
    let m = module(Signal::Logs, policy);
    let req = log_request(vec![
        log(
            "x",
            vec![
                kv("user", s("alice")),
                kv("password", s("pw")),
                kv("old", int(7)),
            ],
        ),
        log("y", vec![]),
    ]);
    let got = ExportLogsServiceRequest::decode(
        expect_modified(call(&m, PB, &req.encode_to_vec())).as_slice(),
    )
    .unwrap();
    let recs = &got.resource_logs[0].scope_logs[0].log_records;
    assert_eq!(recs.len(), 2);
    assert_eq!(
        recs[0].attributes,
        vec![kv("user", s("[R]")), kv("new", int(7))]
    );
    assert!(recs[1].attributes.is_empty());
    let res = &got.resource_logs[0].resource.as_ref().unwrap().attributes;
    assert!(res.contains(&kv("edge", s("yes"))));
}

#[test]
fn protobuf_metrics_keep_per_metric() {
    let policy = json!({"policies":[{"id":"m","name":"m","metric":{
        "match":[{"metric_field":"name","exact":"req"}],"keep":false}}]});
    let m = module(Signal::Metrics, policy);
    let (mut rm, mut sm, metrics) = metric_fixture();
    sm.metrics = metrics;
    rm.scope_metrics = vec![sm];
    let req = ExportMetricsServiceRequest {
        resource_metrics: vec![rm],
    };
    let got = ExportMetricsServiceRequest::decode(
        expect_modified(call(&m, PB, &req.encode_to_vec())).as_slice(),
    )
    .unwrap();
    let names: Vec<_> = got.resource_metrics[0].scope_metrics[0]
        .metrics
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["lat", "g", ""]);
}

fn trace_request(spans: Vec<Span>) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: vec![kv("service.name", s("api"))],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans,
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

#[test]
fn protobuf_trace_sampling_rewrites_tracestate() {
    let policy = json!({"policies":[{"id":"s","name":"s","trace":{
        "match":[{"resource_attribute":"service.name","exact":"api"}],
        "keep":{"percentage":50.0}}}]});
    let m = module(Signal::Traces, policy);
    // Randomness is the low 56 bits of the trace id: the first is kept at
    // 50%, the second (below the threshold) is dropped.
    let mut kept = span_fixture();
    kept.trace_id = hex::decode("aabbccdd0000000002ffffffffffffff").unwrap();
    kept.trace_state = "vendor=x".into();
    let mut dropped = span_fixture();
    dropped.trace_id = hex::decode("aabbccdd000000000000000000000001").unwrap();
    let req = trace_request(vec![kept, dropped]);
    let got = ExportTraceServiceRequest::decode(
        expect_modified(call(&m, PB, &req.encode_to_vec())).as_slice(),
    )
    .unwrap();
    let spans = &got.resource_spans[0].scope_spans[0].spans;
    assert_eq!(spans.len(), 1);
    assert!(
        spans[0].trace_state.contains("ot=th:8"),
        "{}",
        spans[0].trace_state
    );
    assert!(
        spans[0].trace_state.contains("vendor=x"),
        "{}",
        spans[0].trace_state
    );
}

/// A length-delimited field `tag` holding `content`.
fn pb_field(tag: u32, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    splice::put_bytes(&mut out, tag, content);
    out
}

/// `message` with a field OTLP does not define (number 99) appended.
fn with_unknown(mut message: Vec<u8>) -> Vec<u8> {
    splice::put_bytes(&mut message, 99, b"UNKNOWNDATA");
    message
}

fn unknown_count(body: &[u8]) -> usize {
    body.windows(11).filter(|w| *w == b"UNKNOWNDATA").count()
}

/// A request (resources in field 1, scopes in 2, records in 2) whose every
/// level, and every record, carries an unknown field.
fn request_with_unknown_fields(
    resource: &Resource,
    scope_field: &[u8],
    records: &[Vec<u8>],
) -> Vec<u8> {
    let mut scope = pb_field(1, scope_field);
    for r in records {
        scope.extend(pb_field(2, &with_unknown(r.clone())));
    }
    let mut wrapper = pb_field(1, &with_unknown(resource.encode_to_vec()));
    wrapper.extend(pb_field(2, &with_unknown(scope)));
    with_unknown(pb_field(1, &with_unknown(wrapper)))
}

/// Unknown fields (newer OTLP versions) of metrics and spans forwarded
/// unchanged keep their bytes when other records of the request are
/// dropped or annotated (the request used to be encoded again from prost,
/// which keeps none); the result means what the prost path gives.
#[test]
fn protobuf_metrics_and_spans_keep_unknown_fields() {
    let resource = Resource {
        attributes: vec![kv("service.name", s("api"))],
        ..Default::default()
    };
    let scope = InstrumentationScope {
        name: "lib".into(),
        ..Default::default()
    };
    // Metrics: one kept, one dropped.
    let policy = json!({"policies":[{"id":"m","name":"m","metric":{
        "match":[{"metric_field":"name","exact":"dropme"}],"keep":false}}]});
    let m = module(Signal::Metrics, policy.clone());
    let (_, _, metrics) = metric_fixture();
    let keep = Metric {
        name: "keepme".into(),
        ..metrics[0].clone()
    };
    let drop = Metric {
        name: "dropme".into(),
        ..metrics[0].clone()
    };
    let body = request_with_unknown_fields(
        &resource,
        &scope.encode_to_vec(),
        &[keep.encode_to_vec(), drop.encode_to_vec()],
    );
    assert_eq!(unknown_count(&body), 6);
    let out = expect_modified(call(&m, PB, &body));
    assert_eq!(unknown_count(&out), 5, "only the dropped metric's went");
    let mut reference = ExportMetricsServiceRequest::decode(body.as_slice()).unwrap();
    proto::process_metrics(&registry(policy).snapshot(), &mut reference);
    assert_eq!(
        ExportMetricsServiceRequest::decode(out.as_slice()).unwrap(),
        reference
    );

    // Spans: one dropped, one kept and annotated (its tracestate written
    // again), one kept as it is.
    let policy = json!({"policies":[
        {"id":"d","name":"d","trace":{"match":[{"trace_field":"name","exact":"dropme"}],"keep":{"percentage":0}}},
        {"id":"s","name":"s","trace":{"match":[{"trace_field":"name","exact":"sampled"}],"keep":{"percentage":50.0}}}]});
    let m = module(Signal::Traces, policy.clone());
    let mut sampled = span_fixture();
    sampled.name = "sampled".into();
    sampled.trace_id = hex::decode("aabbccdd0000000002ffffffffffffff").unwrap();
    let dropped = Span {
        name: "dropme".into(),
        ..span_fixture()
    };
    let plain = Span {
        name: "plain".into(),
        ..span_fixture()
    };
    let body = request_with_unknown_fields(
        &resource,
        &scope.encode_to_vec(),
        &[
            sampled.encode_to_vec(),
            dropped.encode_to_vec(),
            plain.encode_to_vec(),
        ],
    );
    assert_eq!(unknown_count(&body), 7);
    let out = expect_modified(call(&m, PB, &body));
    assert_eq!(unknown_count(&out), 6, "only the dropped span's went");
    let got = ExportTraceServiceRequest::decode(out.as_slice()).unwrap();
    let spans = &got.resource_spans[0].scope_spans[0].spans;
    assert!(
        spans[0].trace_state.contains("ot=th:8"),
        "{}",
        spans[0].trace_state
    );
    let mut reference = ExportTraceServiceRequest::decode(body.as_slice()).unwrap();
    proto::process_traces(&registry(policy).snapshot(), &mut reference);
    assert_eq!(got, reference);
}

#[test]
fn empty_exports_answer_200_without_upstream() {
    let m = module(Signal::Logs, drop_body_policy("x"));
    // Zero bytes is an empty protobuf export.
    let r = expect_respond(call(&m, PB, b""));
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    assert_eq!(r.headers[http::header::CONTENT_TYPE], PB);
    for body in [
        &b"{}"[..],
        br#"{"resourceLogs":[]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[]}]}]}"#,
        br#"{"timestamp":1581385157.14,"body":"Incoming request"}"#,
    ] {
        let r = expect_respond(call(&m, JS, body));
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(&r.body[..], b"{}");
        assert_eq!(r.headers[http::header::CONTENT_TYPE], JS);
    }
    assert_eq!(
        m.stats()
            .empty_requests
            .load(std::sync::atomic::Ordering::Relaxed),
        5
    );
    // Everything dropped by policy.
    let req = log_request(vec![log("x1", vec![]), log("x2", vec![])]);
    let r = expect_respond(call(&m, PB, &req.encode_to_vec()));
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    let r = expect_respond(call(
        &m,
        JS,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}"#,
    ));
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"{}"[..]));
    assert_eq!(
        m.stats()
            .all_dropped_requests
            .load(std::sync::atomic::Ordering::Relaxed),
        2
    );
}

#[test]
fn malformed_protobuf_is_400_with_status_body() {
    let m = module(Signal::Logs, json!({"policies":[]}));
    for body in [&b"\xff\xff\xff"[..], b"\x0a\x05abc", b"not protobuf at all"] {
        let r = expect_respond(call(&m, PB, body));
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.headers[http::header::CONTENT_TYPE], PB);
        let st = RpcStatus::decode(&r.body[..]).unwrap();
        assert_eq!(st.code, 3);
        assert!(st.message.contains("invalid protobuf"), "{}", st.message);
    }
}

#[test]
fn unsupported_content_type_and_encoding_are_415() {
    let m = module(Signal::Traces, json!({"policies":[]}));
    for ct in ["text/plain", "application/", "application/xml"] {
        let r = expect_respond(call(&m, ct, b"x"));
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(r.headers[http::header::CONTENT_TYPE], JS);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["message"]
            .as_str()
            .unwrap()
            .contains("unsupported content type"));
    }
    let mut headers = HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(PB));
    let parts = RequestParts {
        method: &Method::POST,
        path: "/v1/traces",
        query: None,
        headers: &headers,
    };
    let r = expect_respond(
        m.on_undecodable_body(&parts, &DecodeFailure::UnsupportedEncoding("br".into())),
    );
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = expect_respond(m.on_undecodable_body(&parts, &DecodeFailure::Corrupt("eof".into())));
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(RpcStatus::decode(&r.body[..]).unwrap().code, 3);
}

/// Field case 5: nesting far past any limit fails the request, not the
/// process, even on a small stack.
#[test]
fn deep_nesting_is_400_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(|| {
            let m = module(Signal::Logs, drop_body_policy("x"));
            // JSON.
            let mut v = json!({"stringValue":"x"});
            let levels = 20_000;
            let text = format!(
                "{}{}{}",
                r#"{"kvlistValue":{"values":[{"key":"k","value":"#.repeat(levels),
                r#"{"stringValue":"x"}"#,
                "}]}}".repeat(levels)
            );
            let body = format!(
                r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"body":{text}}}]}}]}}]}}"#
            );
            let r = expect_respond(call(&m, JS, body.as_bytes()));
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            // Within serde's limit but over ours.
            for _ in 0..(MAX_ANY_DEPTH + 1) {
                v = json!({"arrayValue":{"values":[v]}});
            }
            let body = json!({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":v}]}]}]});
            let r = expect_respond(call(&m, JS, body.to_string().as_bytes()));
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            let msg: Value = serde_json::from_slice(&r.body).unwrap();
            assert!(msg["message"].as_str().unwrap().contains("nested"), "{msg}");
            // Protobuf: build the nested AnyValue bytes directly (a prost
            // value that deep could not even be dropped on this stack).
            // AnyValue.kvlist_value = 6, KeyValueList.values = 1,
            // KeyValue.value = 2.
            let mut inner: Vec<u8> = AnyValue {
                value: Some(any_value::Value::StringValue("x".into())),
            }
            .encode_to_vec();
            for _ in 0..2_000 {
                let mut kv = vec![0x0a, 1, b'k', 0x12];
                prost::encoding::encode_varint(inner.len() as u64, &mut kv);
                kv.extend_from_slice(&inner);
                let mut list = vec![0x0a];
                prost::encoding::encode_varint(kv.len() as u64, &mut list);
                list.extend_from_slice(&kv);
                let mut any = vec![0x32];
                prost::encoding::encode_varint(list.len() as u64, &mut any);
                any.extend_from_slice(&list);
                inner = any;
            }
            // LogRecord.body = 5, ScopeLogs.log_records = 2,
            // ResourceLogs.scope_logs = 2, request.resource_logs = 1.
            let mut msg = inner;
            for tag in [0x2a, 0x12, 0x12, 0x0a] {
                let mut outer = vec![tag];
                prost::encoding::encode_varint(msg.len() as u64, &mut outer);
                outer.extend_from_slice(&msg);
                msg = outer;
            }
            let r = expect_respond(call(&m, PB, &msg));
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

// --- module: JSON ----------------------------------------------------------

fn json_logs(records: Value) -> Vec<u8> {
    json!({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
        "scopeLogs":[{"scope":{"name":"lib"},"logRecords":records}]}]})
    .to_string()
    .into_bytes()
}

fn records_of(body: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(body).unwrap();
    v["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Field case 1: int64 as string and as number are the same integer.
#[test]
fn json_int64_strings_and_numbers() {
    let policy = json!({"policies":[{"id":"p1","name":"p1","log":{
        "match":[{"log_attribute":["n"],"gte":40}],"keep":"none"}}]});
    let m = module(Signal::Logs, policy);
    let body = json_logs(json!([
        {"timeUnixNano":"1700000000000000000","body":{"stringValue":"s"},
         "attributes":[{"key":"n","value":{"intValue":"42"}}]},
        {"timeUnixNano":1700000000000000001u64,"body":{"stringValue":"n"},
         "attributes":[{"key":"n","value":{"intValue":42}}]},
        {"body":{"stringValue":"small"},"attributes":[{"key":"n","value":{"intValue":"7"}}],
         "observedTimeUnixNano":1700000000000000001u64}
    ]));
    let out = expect_modified(call(&m, JS, &body));
    let recs = records_of(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["body"]["stringValue"], "small");
    // Strings stay strings; numbers past 2^53 are re-encoded as exact strings.
    assert_eq!(recs[0]["attributes"][0]["value"]["intValue"], "7");
    assert_eq!(recs[0]["observedTimeUnixNano"], "1700000000000000001");

    // Bad integers are a 400, never a silent 0.
    for bad in [
        json!({"intValue":"4x2"}),
        json!({"intValue":"9223372036854775808"}),
        json!({"intValue":1.5}),
        json!({"intValue":true}),
    ] {
        let body = json_logs(json!([{"attributes":[{"key":"n","value":bad}]}]));
        let r = expect_respond(call(&m, JS, &body));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let body = json_logs(json!([{"timeUnixNano":"-1"}]));
    assert_eq!(
        expect_respond(call(&m, JS, &body)).status,
        StatusCode::BAD_REQUEST
    );
}

#[test]
fn json_metric_int64_and_keep() {
    let policy = json!({"policies":[{"id":"m","name":"m","metric":{
        "match":[{"metric_field":"name","exact":"drop.me"}],"keep":false}}]});
    let m = module(Signal::Metrics, policy);
    let body = json!({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
        {"name":"t","gauge":{"dataPoints":[{"asInt":"42","timeUnixNano":1700000000000000000u64}]}},
        {"name":"h","histogram":{"dataPoints":[{"count":3,"bucketCounts":["1",2],"explicitBounds":[1.5]}],
            "aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA"}},
        {"name":"drop.me","sum":{"dataPoints":[{"asDouble":1.0}]}}
    ]}]}]});
    let out = expect_modified(call(&m, JS, body.to_string().as_bytes()));
    let v: Value = serde_json::from_slice(&out).unwrap();
    let metrics = &v["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
    assert_eq!(metrics.as_array().unwrap().len(), 2);
    assert_eq!(metrics[0]["gauge"]["dataPoints"][0]["asInt"], "42");
    assert_eq!(
        metrics[0]["gauge"]["dataPoints"][0]["timeUnixNano"],
        "1700000000000000000"
    );
    assert_eq!(
        metrics[1]["histogram"]["dataPoints"][0]["bucketCounts"],
        json!(["1", 2])
    );
    assert_eq!(metrics[1]["histogram"]["dataPoints"][0]["count"], 3);
    let bad = json!({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
        {"name":"t","gauge":{"dataPoints":[{"asInt":"forty-two"}]}}]}]}]});
    let r = expect_respond(call(&m, JS, bad.to_string().as_bytes()));
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// Field case 2: hex ids, case-insensitive; base64 and wrong lengths are
/// refused.
#[test]
fn json_hex_ids() {
    let policy = json!({"policies":[{"id":"t","name":"t","log":{
        "match":[{"log_field":"trace_id","starts_with":"5b8e"}],"keep":"none"}}]});
    let m = module(Signal::Logs, policy);
    let body = json_logs(json!([
        {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","body":{"stringValue":"upper"}},
        {"traceId":"00000000000000000000000000000001","spanId":"","body":{"stringValue":"other"}}
    ]));
    let out = expect_modified(call(&m, JS, &body));
    let recs = records_of(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["body"]["stringValue"], "other");
    // Lowercase hex drops too.
    let body = json_logs(json!([{"traceId":"5b8efff798038103d269b633813fc60c"}]));
    assert_eq!(expect_respond(call(&m, JS, &body)).status, StatusCode::OK);

    let tm = module(Signal::Traces, json!({"policies":[]}));
    for bad in [
        json!({"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"EEE19B7EC3C1B174"}),
        json!({"traceId":"5B8EFFF798038103D269B633813FC60","spanId":"EEE19B7EC3C1B174"}),
        json!({"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"zz"}),
        json!({"traceId":"5B8EFFF798038103D269B633813FC60C","parentSpanId":"EEE19B7EC3C1B17"}),
        json!({"traceId":5}),
    ] {
        let body = json!({"resourceSpans":[{"scopeSpans":[{"spans":[bad.clone()]}]}]});
        let r = expect_respond(call(&tm, JS, body.to_string().as_bytes()));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let ok = json!({"resourceSpans":[{"scopeSpans":[{"spans":[{
        "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
        "parentSpanId":"","name":"s","kind":2,"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]});
    assert!(matches!(
        call(&tm, JS, ok.to_string().as_bytes()),
        RequestAction::ForwardOriginal
    ));
}

/// Field case 3: unknown fields are skipped when reading and kept when
/// forwarding; snake_case and legacy names are read.
#[test]
fn json_unknown_fields_snake_case_and_legacy_names() {
    let m = module(Signal::Logs, drop_body_policy("drop"));
    let body = br#"{"resourceLogs":[{"resource":{"attributes":[]},"newTopLevelThing":true,
        "scopeLogs":[{"scope":{"name":"a"},"logRecords":[{"body":{"stringValue":"hi"},
        "futureField":{"x":[1,2]}},{"body":{"stringValue":"drop me"}}]}]}],"extra":null}"#;
    let out = expect_modified(call(&m, JS, body));
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["resourceLogs"][0]["newTopLevelThing"], true);
    assert_eq!(
        v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["futureField"],
        json!({"x":[1,2]})
    );
    assert_eq!(
        v["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Unchanged: the original bytes, unknown fields and all.
    let keep = br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hi"},"futureField":1}]}]}]}"#;
    assert!(matches!(call(&m, JS, keep), RequestAction::ForwardOriginal));

    let snake = br#"{"resource_logs":[{"scope_logs":[{"log_records":[{"body":{"string_value":"please drop"}},{"body":{"string_value":"hi"},"severity_text":"INFO","time_unix_nano":"5"}]}]}]}"#;
    let out = expect_modified(call(&m, JS, snake));
    let recs = records_of(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["body"]["stringValue"], "hi");
    assert_eq!(recs[0]["severityText"], "INFO");
    assert_eq!(recs[0]["timeUnixNano"], "5");

    let legacy = br#"{"resourceLogs":[{"instrumentationLibraryLogs":[{"instrumentationLibrary":{"name":"old"},"logRecords":[{"body":{"stringValue":"old drop"}}]}]}]}"#;
    let r = expect_respond(call(&m, JS, legacy));
    assert_eq!(
        r.status,
        StatusCode::OK,
        "legacy records are read and dropped"
    );
}

#[test]
fn json_wrong_types_are_400() {
    let m = module(Signal::Logs, json!({"policies":[]}));
    for bad in [
        &br#"{"resourceLogs":{}}"#[..],
        br#"{"resourceLogs":[5]}"#,
        br#"{"resourceLogs":[{"scopeLogs":"x"}]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":"Incoming request"}]}]}]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":{"k":"v"}}]}]}]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityText":5}]}]}]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"***"}}]}]}]}"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[]}],"scope_logs":[]}]}"#,
        br#"[1,2]"#,
        br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}"#,
        b"\xff\xfe",
    ] {
        let r = expect_respond(call(&m, JS, bad));
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(bad)
        );
        assert_eq!(r.headers[http::header::CONTENT_TYPE], JS);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["code"], 3);
    }
    assert_eq!(
        m.stats()
            .malformed_requests
            .load(std::sync::atomic::Ordering::Relaxed),
        11
    );
}

/// A key given twice in one object is refused (400) in every signal and at
/// every level, whichever of the two occurrences a policy would act on: a
/// collector appends repeated fields, so keeping only the last would let the
/// first array through unevaluated (here: a secret past a redact policy).
#[test]
fn json_duplicate_keys_are_400() {
    let redact = json!({"policies":[{"id":"r","name":"r","log":{
        "match":[{"log_field":"body","contains":"secret"}],"keep":"all",
        "transform":{"redact":[{"log_field":"body","replacement":"[R]"}]}}}]});
    let m = module(Signal::Logs, redact);
    let secret = r#"{"body":{"stringValue":"my secret"}}"#;
    let fine = r#"{"body":{"stringValue":"fine"}}"#;
    let logs = [
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{secret}],"logRecords":[{fine}]}}]}}]}}"#),
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{fine}],"logRecords":[{secret}]}}]}}]}}"#),
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{secret}]}}]}}],"resourceLogs":[]}}"#),
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"my secret","stringValue":"x"}}]}]}]}"#.to_owned(),
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a"},"body":{"stringValue":"my secret"}}]}]}]}"#.to_owned(),
    ];
    for body in &logs {
        let r = expect_respond(call(&m, JS, body.as_bytes()));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["code"], 3);
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("given twice in one object"),
            "{v}"
        );
    }
    // The same document without the repetition is accepted and redacted.
    let single =
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{secret},{fine}]}}]}}]}}"#);
    let recs = records_of(&expect_modified(call(&m, JS, single.as_bytes())));
    assert_eq!(recs[0]["body"]["stringValue"], "[R]");

    // A repeated key that is no OTLP field is accepted, on the in-place logs
    // path and on the tree path of traces and metrics with policies.
    let unknown = format!(
        r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{secret},{{"body":{{"stringValue":"fine"}},"x":1,"x":2}}]}}]}}],"y":[],"y":{{}}}}"#
    );
    let recs = records_of(&expect_modified(call(&m, JS, unknown.as_bytes())));
    assert_eq!(recs[0]["body"]["stringValue"], "[R]");
    let sample = json!({"policies":[
        {"id":"t","name":"t","trace":{"match":[{"trace_field":"name","exact":"a"}],"keep":{"percentage":0}}},
        {"id":"m","name":"m","metric":{"match":[{"metric_field":"name","exact":"a"}],"keep":false}}]});
    let tm = module(Signal::Traces, sample.clone());
    let spans = br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","x":1,"x":2},{"name":"b","x":[],"x":{}}]}]}]}"#;
    let out: Value = serde_json::from_slice(&expect_modified(call(&tm, JS, spans))).unwrap();
    assert_eq!(
        out["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"],
        "b"
    );
    let mm = module(Signal::Metrics, sample);
    let metrics = br#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"a"},{"name":"b","x":1,"x":2}]}],"z":1,"z":1}]}"#;
    let out: Value = serde_json::from_slice(&expect_modified(call(&mm, JS, metrics))).unwrap();
    assert_eq!(
        out["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["name"],
        "b"
    );

    let tm = module(Signal::Traces, json!({"policies":[]}));
    let spans = br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","name":"b"}]}]}]}"#;
    assert_eq!(
        expect_respond(call(&tm, JS, spans)).status,
        StatusCode::BAD_REQUEST
    );
    let mm = module(Signal::Metrics, json!({"policies":[]}));
    let metrics = br#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[],"metrics":[]}]}]}"#;
    assert_eq!(
        expect_respond(call(&mm, JS, metrics)).status,
        StatusCode::BAD_REQUEST
    );
}

#[test]
fn json_transforms_and_tracestate() {
    let policy = json!({"policies":[{"id":"t","name":"t","log":{
        "match":[{"log_field":"body","contains":"secret"}],"keep":"all",
        "transform":{"redact":[{"log_field":"body","replacement":"[R]"}]}}}]});
    let m = module(Signal::Logs, policy);
    let body =
        json_logs(json!([{"body":{"stringValue":"my secret"}},{"body":{"stringValue":"fine"}}]));
    let recs = records_of(&expect_modified(call(&m, JS, &body)));
    assert_eq!(recs[0]["body"]["stringValue"], "[R]");
    assert_eq!(recs[1]["body"]["stringValue"], "fine");

    let policy = json!({"policies":[{"id":"s","name":"s","trace":{
        "match":[{"trace_field":"name","exact":"s"}],"keep":{"percentage":50.0}}}]});
    let tm = module(Signal::Traces, policy);
    let body = json!({"resourceSpans":[{"scopeSpans":[{"spans":[{
        "traceId":"aabbccdd0000000002ffffffffffffff","spanId":"0101010101010101","name":"s","kind":"SPAN_KIND_SERVER"}]}]}]});
    let out = expect_modified(call(&tm, JS, body.to_string().as_bytes()));
    let v: Value = serde_json::from_slice(&out).unwrap();
    let ts = v["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceState"]
        .as_str()
        .unwrap();
    assert!(ts.starts_with("ot=th:8"), "{ts}");
}

#[test]
fn registrations_use_per_signal_upstreams() {
    let r = Arc::new(Registry::new());
    let regs = OtlpModule::registrations(&r, "http://default", Some("http://logs"), None, None);
    assert_eq!(regs.len(), 3);
    assert_eq!(regs[0].upstream_url, "http://logs");
    assert_eq!(regs[1].upstream_url, "http://default");
    assert!(regs[0].matches(&Method::POST, "/v1/logs"));
    assert!(regs[2].matches(&Method::POST, "/v1/traces"));
    assert!(!regs[2].matches(&Method::GET, "/v1/traces"));
    assert_eq!(regs[1].module.name(), "otlp_metrics");
    let mut out = String::new();
    regs[1].module.write_metrics(&mut out);
    assert!(out.contains("edge_otlp_metrics_records_total{outcome=\"evaluated\"} 0"));
}

#[test]
fn array_values_are_other() {
    let v = AnyValue {
        value: Some(any_value::Value::ArrayValue(ArrayValue { values: vec![] })),
    };
    assert_eq!(attrs::any_ref(&v), ValueRef::Other);
}

#[test]
fn request_results_partition_the_requests() {
    let m = module(Signal::Logs, drop_body_policy("noise"));
    let one = |body: &str| json_logs(json!([{ "body": { "stringValue": body } }]));
    // Forwarded unchanged, forwarded modified (one of two dropped), every
    // record dropped, no record at all, malformed, unsupported.
    assert!(matches!(
        call(&m, JS, &one("kept")),
        RequestAction::ForwardOriginal
    ));
    let two = json_logs(json!([
        { "body": { "stringValue": "kept" } },
        { "body": { "stringValue": "noise" } }
    ]));
    expect_modified(call(&m, JS, &two));
    expect_respond(call(&m, JS, &one("noise")));
    expect_respond(call(&m, JS, b"{}"));
    expect_respond(call(&m, JS, b"{"));
    expect_respond(call(&m, "text/plain", b"{}"));
    let mut out = String::new();
    m.write_metrics(&mut out);
    let result = |r: &str| -> u64 {
        let key = format!("edge_otlp_logs_requests_total{{result=\"{r}\"}} ");
        let line = out.lines().find(|l| l.starts_with(&key)).unwrap();
        line[key.len()..].parse().unwrap()
    };
    assert_eq!(result("forwarded"), 2, "{out}");
    for r in ["empty", "all_dropped", "malformed", "unsupported"] {
        assert_eq!(result(r), 1, "{r}: {out}");
    }
    assert!(!out.contains("processed"), "{out}");
}
