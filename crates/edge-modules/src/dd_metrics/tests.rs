use std::sync::atomic::Ordering;
use std::sync::Arc;

use edge_policy::parse::{parse_document, Format as PolicyFormat};
use edge_policy::{
    AttrScope, MetricField, MetricType, MetricView, Registry, Temporality, ValueRef,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};

use super::*;
use crate::{ProxyModule, RequestAction, RequestParts};

fn module(policies: Value) -> DatadogMetricsModule {
    let parsed = parse_document(
        &json!({ "policies": policies }).to_string(),
        PolicyFormat::Json,
    )
    .expect("policy document");
    assert!(
        parsed.errors.is_empty(),
        "policy errors: {:?}",
        parsed.errors
    );
    let r = Arc::new(Registry::new());
    r.update_source("test", parsed.policies);
    DatadogMetricsModule::new(r)
}

fn drop_policy(id: &str, matchers: Value) -> Value {
    json!({"id": id, "name": id, "metric": {"match": matchers, "keep": false}})
}

fn call(
    m: &DatadogMetricsModule,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> (bool, RequestAction) {
    let mut headers = HeaderMap::new();
    if let Some(ct) = content_type {
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_str(ct).unwrap(),
        );
    }
    let parts = RequestParts {
        method: &Method::POST,
        path,
        query: None,
        headers: &headers,
    };
    (m.inspects_request_body(&parts), m.on_request(&parts, body))
}

fn modified(action: RequestAction) -> String {
    match action {
        RequestAction::ForwardModified(b) => String::from_utf8(b.to_vec()).unwrap(),
        other => panic!("expected a modified body, got {other:?}"),
    }
}

const V2: &str = r#"{"series": [
  {"metric":"app.req","type":3,"points":[{"timestamp":1700000000,"value":1.5}],"resources":[{"name":"host-a","type":"host"}],"tags":["env:dev","team:web"]},
  {"metric":"app.debug.hits","type":1,"unit":"hit","points":[{"timestamp":1700000000,"value":3}],"tags":["env:prod"]},
  {"metric" : "app.rate",  "type":2, "points":[{"timestamp":1700000000,"value":0.25}], "tags":["env:prod","path:C:\\temp"], "resources":[{"name":"h-b","type":"host"},{"name":"db1","type":"database"}]}
], "extra": {"kept": true}}"#;

#[test]
fn view_maps_v2_fields() {
    let body: Value = serde_json::from_str(V2).unwrap();
    let raw = body["series"][2].to_string();
    let s = DatadogSeries::parse(&raw).unwrap();
    let k = |k: &str| vec![k.to_owned()];
    assert_eq!(
        s.metric_field(MetricField::Name),
        Some(ValueRef::str("app.rate"))
    );
    assert_eq!(s.metric_field(MetricField::Description), None);
    assert_eq!(s.metric_type(), Some(MetricType::Sum));
    assert_eq!(s.temporality(), Some(Temporality::Delta));
    assert_eq!(
        s.attribute(AttrScope::Record, &k("env")),
        Some(ValueRef::str("prod"))
    );
    assert_eq!(
        s.attribute(AttrScope::Record, &k("path")),
        Some(ValueRef::str("C:\\temp"))
    );
    assert_eq!(s.attribute(AttrScope::Record, &k("missing")), None);
    assert_eq!(
        s.attribute(AttrScope::Resource, &k("host")),
        Some(ValueRef::str("h-b"))
    );
    assert_eq!(
        s.attribute(AttrScope::Resource, &k("host.name")),
        Some(ValueRef::str("h-b"))
    );
    assert_eq!(
        s.attribute(AttrScope::Resource, &k("database")),
        Some(ValueRef::str("db1"))
    );
    assert_eq!(
        s.attribute(AttrScope::Record, &["env".into(), "x".into()]),
        None
    );

    let raw = body["series"][1].to_string();
    let s = DatadogSeries::parse(&raw).unwrap();
    assert_eq!(
        s.metric_field(MetricField::Unit),
        Some(ValueRef::str("hit"))
    );
    assert_eq!(s.metric_type(), Some(MetricType::Sum));
    let raw = body["series"][0].to_string();
    let s = DatadogSeries::parse(&raw).unwrap();
    assert_eq!(s.metric_type(), Some(MetricType::Gauge));
    assert_eq!(s.temporality(), None);
}

#[test]
fn view_maps_v1_fields() {
    let raw = r#"{"metric":"sys.cpu","type":"gauge","host":"web-1","device":"sda","tags":["bare","role:db"],"points":[[1700000000,1.0]]}"#;
    let s = DatadogSeries::parse(raw).unwrap();
    assert_eq!(s.metric_type(), Some(MetricType::Gauge));
    assert_eq!(
        s.attribute(AttrScope::Resource, &["host".into()]),
        Some(ValueRef::str("web-1"))
    );
    assert_eq!(
        s.attribute(AttrScope::Resource, &["device".into()]),
        Some(ValueRef::str("sda"))
    );
    assert_eq!(
        s.attribute(AttrScope::Record, &["bare".into()]),
        Some(ValueRef::str(""))
    );
    assert_eq!(
        s.attribute(AttrScope::Record, &["role".into()]),
        Some(ValueRef::str("db"))
    );
    for (t, expected) in [
        (r#""count""#, Some(MetricType::Sum)),
        (r#""rate""#, Some(MetricType::Sum)),
        ("0", None),
        ("7", None),
        (r#""distribution""#, None),
    ] {
        let raw = format!(r#"{{"metric":"m","type":{t}}}"#);
        assert_eq!(
            DatadogSeries::parse(&raw).unwrap().metric_type(),
            expected,
            "{t}"
        );
    }
}

#[test]
fn drops_series_and_keeps_the_rest_byte_identical() {
    let m = module(json!([drop_policy(
        "drop-debug",
        json!([{"metric_field": "name", "regex": "\\.debug\\."}])
    )]));
    let (inspect, action) = call(&m, SERIES_V2_PATH, Some("application/json"), V2.as_bytes());
    assert!(inspect);
    let out = modified(action);
    let series: Vec<&str> = V2
        .lines()
        .filter(|l| l.starts_with("  {"))
        .map(|l| l.trim().trim_end_matches(','))
        .collect();
    // Kept elements are copied exactly, including their odd spacing; the
    // rest of the body is untouched.
    let expected = format!(
        "{{\"series\": [{},{}], \"extra\": {{\"kept\": true}}}}",
        series[0], series[2]
    );
    assert_eq!(out, expected);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["series"].as_array().unwrap().len(), 2);
    assert_eq!(v["extra"], json!({"kept": true}));
    assert_eq!(m.stats().series_dropped.load(Ordering::Relaxed), 1);
}

#[test]
fn matches_tags_resources_and_types() {
    let cases = [
        (
            json!([{"datapoint_attribute": ["env"], "exact": "prod"}]),
            vec!["app.req"],
        ),
        (
            json!([{"resource_attribute": ["host"], "exact": "host-a"}]),
            vec!["app.debug.hits", "app.rate"],
        ),
        (json!([{"metric_type": "sum"}]), vec!["app.req"]),
        (
            json!([{"metric_type": "gauge"}]),
            vec!["app.debug.hits", "app.rate"],
        ),
        (
            json!([{"metric_field": "unit", "exact": "hit"}]),
            vec!["app.req", "app.rate"],
        ),
        (
            json!([{"resource_attribute": ["database"], "exists": true}]),
            vec!["app.req", "app.debug.hits"],
        ),
    ];
    for (matchers, survivors) in cases {
        let m = module(json!([drop_policy("p", matchers.clone())]));
        let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), V2.as_bytes());
        let v: Value = serde_json::from_str(&modified(action)).unwrap();
        let names: Vec<&str> = v["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["metric"].as_str().unwrap())
            .collect();
        assert_eq!(names, survivors, "{matchers}");
    }
}

#[test]
fn nothing_dropped_forwards_the_original() {
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "exact": "nope"}])
    )]));
    let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), V2.as_bytes());
    assert!(matches!(action, RequestAction::ForwardOriginal));
    assert_eq!(m.stats().series_evaluated.load(Ordering::Relaxed), 3);
}

#[test]
fn all_dropped_is_answered_202_without_upstream() {
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "starts_with": "app."}])
    )]));
    let (_, action) = call(&m, SERIES_V2_PATH, None, V2.as_bytes());
    match action {
        RequestAction::Respond(r) => {
            assert_eq!(r.status, StatusCode::ACCEPTED);
            assert_eq!(&r.body[..], b"{}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn v1_series_are_filtered() {
    let body = br#"{"series":[{"metric":"sys.cpu","type":"gauge","host":"web-1","points":[[1700000000,1.0]],"tags":["env:dev"]},{"metric":"sys.mem","points":[[1700000000,2.0]],"host":"web-2"}]}"#;
    let m = module(json!([drop_policy(
        "p",
        json!([{"resource_attribute": ["host"], "exact": "web-1"}])
    )]));
    let (inspect, action) = call(&m, SERIES_V1_PATH, Some("text/json"), body);
    assert!(inspect);
    assert_eq!(
        modified(action),
        r#"{"series":[{"metric":"sys.mem","points":[[1700000000,2.0]],"host":"web-2"}]}"#
    );
}

#[test]
fn broken_json_passes_through() {
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "starts_with": "app."}])
    )]));
    for body in [
        &b"{\"series\": [ {\"metric\": "[..],
        b"[1,2]",
        b"{\"other\":1}",
        b"{\"series\":{}}",
        b"\xff\xfe",
    ] {
        let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), body);
        assert!(matches!(action, RequestAction::ForwardOriginal), "{body:?}");
    }
    assert_eq!(m.stats().bodies_unparsed.load(Ordering::Relaxed), 5);

    // An element that is not a series object is kept untouched.
    let body = br#"{"series":[42,{"metric":"app.x","tags":[1]},{"metric":"app.y"}]}"#;
    let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), body);
    assert_eq!(
        modified(action),
        r#"{"series":[42,{"metric":"app.x","tags":[1]}]}"#
    );
    assert_eq!(m.stats().series_unparsed.load(Ordering::Relaxed), 2);
    // Unparsed elements are forwarded but neither evaluated nor kept:
    // evaluated == kept + dropped.
    let st = m.stats();
    let load = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    assert_eq!(load(&st.series_evaluated), 1);
    assert_eq!(load(&st.series_kept), 0);
    assert_eq!(load(&st.series_dropped), 1);
}

#[test]
fn no_metric_policies_means_no_decoding() {
    let m = module(
        json!([{"id": "l", "name": "l", "log": {"match": [{"log_field": "body", "exact": "x"}], "keep": "none"}}]),
    );
    let (inspect, action) = call(&m, SERIES_V2_PATH, Some("application/json"), V2.as_bytes());
    assert!(!inspect);
    assert!(matches!(action, RequestAction::ForwardOriginal));
    let mut text = String::new();
    m.write_metrics(&mut text);
    assert!(text.contains("edge_datadog_series_dropped_total 0"));
}

#[test]
fn escaped_strings_are_unescaped_for_matching() {
    let body =
        br#"{"series":[{"metric":"app\u002ex","tags":["msg:say \"hi\""]},{"metric":"app.y"}]}"#;
    let m = module(json!([drop_policy(
        "p",
        json!([{"datapoint_attribute": ["msg"], "exact": "say \"hi\""}])
    )]));
    let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), body);
    assert_eq!(modified(action), r#"{"series":[{"metric":"app.y"}]}"#);
}

/// The agent's `MetricPayload` schema, as test fixtures (prost encodes the
/// fields in number order, as the agent does).
mod pb {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Payload {
        #[prost(message, repeated, tag = "1")]
        pub series: Vec<Series>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Resource {
        #[prost(string, tag = "1")]
        pub kind: String,
        #[prost(string, tag = "2")]
        pub name: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Point {
        #[prost(double, tag = "1")]
        pub value: f64,
        #[prost(int64, tag = "2")]
        pub timestamp: i64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Series {
        #[prost(message, repeated, tag = "1")]
        pub resources: Vec<Resource>,
        #[prost(string, tag = "2")]
        pub metric: String,
        #[prost(string, repeated, tag = "3")]
        pub tags: Vec<String>,
        #[prost(message, repeated, tag = "4")]
        pub points: Vec<Point>,
        #[prost(int32, tag = "5")]
        pub kind: i32,
        #[prost(string, tag = "6")]
        pub unit: String,
        #[prost(string, tag = "7")]
        pub source_type_name: String,
        #[prost(int64, tag = "8")]
        pub interval: i64,
        /// Origin metadata: opaque here, must be forwarded as sent.
        #[prost(bytes = "vec", tag = "9")]
        pub metadata: Vec<u8>,
    }
}

fn pb_series(
    metric: &str,
    kind: i32,
    unit: &str,
    tags: &[&str],
    resources: &[(&str, &str)],
) -> pb::Series {
    pb::Series {
        resources: resources
            .iter()
            .map(|(kind, name)| pb::Resource {
                kind: (*kind).into(),
                name: (*name).into(),
            })
            .collect(),
        metric: metric.into(),
        tags: tags.iter().map(|t| (*t).into()).collect(),
        points: vec![pb::Point {
            value: 1.5,
            timestamp: 1_700_000_000,
        }],
        kind,
        unit: unit.into(),
        source_type_name: "System".into(),
        interval: 10,
        metadata: vec![0x0a, 0x02, 0x20, 0x0a],
    }
}

/// The three series of [`V2`], as the agent would send them.
fn v2_series() -> Vec<pb::Series> {
    vec![
        pb_series(
            "app.req",
            3,
            "",
            &["env:dev", "team:web"],
            &[("host", "host-a")],
        ),
        pb_series("app.debug.hits", 1, "hit", &["env:prod"], &[]),
        pb_series(
            "app.rate",
            2,
            "",
            &["env:prod", "path:C:\\temp"],
            &[("host", "h-b"), ("database", "db1")],
        ),
    ]
}

/// Each series encoded as its own top-level field (protobuf concatenation
/// is a merge: the same message as one `Payload` of all of them).
fn pb_fields(series: &[pb::Series]) -> Vec<Vec<u8>> {
    use prost::Message as _;
    series
        .iter()
        .map(|s| {
            pb::Payload {
                series: vec![s.clone()],
            }
            .encode_to_vec()
        })
        .collect()
}

const PB: &str = "application/x-protobuf";

#[test]
fn protobuf_series_are_filtered_and_the_rest_kept_byte_identical() {
    let m = module(json!([drop_policy(
        "drop-debug",
        json!([{"metric_field": "name", "regex": "\\.debug\\."}])
    )]));
    let fields = pb_fields(&v2_series());
    // A top-level field the reader does not know, between the series.
    let unknown = [0x12, 0x03, b'x', b'y', b'z'];
    let body = [&fields[0][..], &unknown, &fields[1], &fields[2]].concat();
    let (inspect, action) = call(&m, SERIES_V2_PATH, Some(PB), &body);
    assert!(inspect);
    let out = match action {
        RequestAction::ForwardModified(b) => b.to_vec(),
        other => panic!("expected a modified body, got {other:?}"),
    };
    assert_eq!(out, [&fields[0][..], &unknown, &fields[2]].concat());
    let st = m.stats();
    assert_eq!(st.series_evaluated.load(Ordering::Relaxed), 3);
    assert_eq!(st.series_dropped.load(Ordering::Relaxed), 1);
    assert_eq!(st.bodies_protobuf.load(Ordering::Relaxed), 1);
}

#[test]
fn protobuf_series_match_like_json_series() {
    use prost::Message as _;
    let cases = [
        (
            json!([{"datapoint_attribute": ["env"], "exact": "prod"}]),
            vec!["app.req"],
        ),
        (
            json!([{"datapoint_attribute": ["path"], "exact": "C:\\temp"}]),
            vec!["app.req", "app.debug.hits"],
        ),
        (
            json!([{"resource_attribute": ["host"], "exact": "host-a"}]),
            vec!["app.debug.hits", "app.rate"],
        ),
        (
            json!([{"resource_attribute": ["host.name"], "exact": "h-b"}]),
            vec!["app.req", "app.debug.hits"],
        ),
        (json!([{"metric_type": "sum"}]), vec!["app.req"]),
        (
            json!([{"metric_type": "gauge"}]),
            vec!["app.debug.hits", "app.rate"],
        ),
        (
            json!([{"metric_field": "unit", "exact": "hit"}]),
            vec!["app.req", "app.rate"],
        ),
        (
            json!([{"resource_attribute": ["database"], "exists": true}]),
            vec!["app.req", "app.debug.hits"],
        ),
    ];
    let body = pb::Payload {
        series: v2_series(),
    }
    .encode_to_vec();
    for (matchers, survivors) in cases {
        let m = module(json!([drop_policy("p", matchers.clone())]));
        // The JSON body of the same series gives the same survivors.
        let (_, action) = call(&m, SERIES_V2_PATH, Some("application/json"), V2.as_bytes());
        let v: Value = serde_json::from_str(&modified(action)).unwrap();
        let json_names: Vec<&str> = v["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["metric"].as_str().unwrap())
            .collect();
        assert_eq!(json_names, survivors, "json {matchers}");
        let (_, action) = call(&m, SERIES_V2_PATH, Some(PB), &body);
        let out = match action {
            RequestAction::ForwardModified(b) => pb::Payload::decode(b).unwrap(),
            other => panic!("{matchers}: {other:?}"),
        };
        let names: Vec<&str> = out.series.iter().map(|s| s.metric.as_str()).collect();
        assert_eq!(names, survivors, "protobuf {matchers}");
    }
}

#[test]
fn protobuf_series_kinds_map_like_v2_json() {
    let k = |t: i32| {
        let raw = pb_fields(&[pb_series("m", t, "", &[], &[])]).remove(0);
        // Skip the top-level tag and length (one byte each here).
        let s = ProtoSeries::parse(&raw[2..]).expect("series");
        (s.metric_type(), s.temporality())
    };
    assert_eq!(k(0), (None, None));
    assert_eq!(k(1), (Some(MetricType::Sum), Some(Temporality::Delta)));
    assert_eq!(k(2), (Some(MetricType::Sum), Some(Temporality::Delta)));
    assert_eq!(k(3), (Some(MetricType::Gauge), None));
    assert_eq!(k(9), (None, None));
    // A bare tag is present with an empty value; empty names are absent.
    let raw = pb_fields(&[pb_series("", 3, "", &["canary"], &[("host", "")])]).remove(0);
    let s = ProtoSeries::parse(&raw[2..]).unwrap();
    let key = |k: &str| vec![k.to_owned()];
    assert_eq!(
        s.attribute(AttrScope::Record, &key("canary")),
        Some(ValueRef::str(""))
    );
    assert_eq!(s.metric_field(MetricField::Name), None);
    assert_eq!(
        s.attribute(AttrScope::Resource, &key("host")),
        Some(ValueRef::str(""))
    );
    assert_eq!(s.attribute(AttrScope::Scope, &key("host")), None);
}

#[test]
fn protobuf_all_dropped_none_dropped_and_no_policies() {
    use prost::Message as _;
    let body = pb::Payload {
        series: v2_series(),
    }
    .encode_to_vec();
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "starts_with": "app."}])
    )]));
    match call(&m, SERIES_V2_PATH, Some(PB), &body).1 {
        RequestAction::Respond(r) => {
            assert_eq!(r.status, StatusCode::ACCEPTED);
            assert_eq!(&r.body[..], b"{}");
        }
        other => panic!("{other:?}"),
    }
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "exact": "nope"}])
    )]));
    assert!(matches!(
        call(&m, SERIES_V2_PATH, Some(PB), &body).1,
        RequestAction::ForwardOriginal
    ));
    // `application/protobuf` (no `x-`) is protobuf too.
    let m2 = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "exact": "app.req"}])
    )]));
    let (inspect, action) = call(
        &m2,
        SERIES_V2_PATH,
        Some("application/protobuf; proto=MetricPayload"),
        &body,
    );
    assert!(inspect);
    assert!(matches!(action, RequestAction::ForwardModified(_)));
    // An empty payload has nothing to drop.
    assert!(matches!(
        call(&m, SERIES_V2_PATH, Some(PB), b"").1,
        RequestAction::ForwardOriginal
    ));
    let m = module(
        json!([{"id": "l", "name": "l", "log": {"match": [{"log_field": "body", "exact": "x"}], "keep": "none"}}]),
    );
    let (inspect, action) = call(&m, SERIES_V2_PATH, Some(PB), &body);
    assert!(!inspect);
    assert!(matches!(action, RequestAction::ForwardOriginal));
}

#[test]
fn malformed_protobuf_fails_open() {
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "starts_with": "app."}])
    )]));
    let fields = pb_fields(&v2_series());
    let whole = fields.concat();
    // Whole bodies that are not a MetricPayload: forwarded untouched.
    for body in [
        &whole[..whole.len() - 1], // truncated
        &[0x0b, 0x0c][..],         // a group
        &[0x08, 0x01][..],         // series as a varint
        &[0x0f][..],               // wire type 7
        &[0x02][..],               // field number 0
        &[
            0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ][..], // huge length
        b"{\"series\":[]}",
    ] {
        let (_, action) = call(&m, SERIES_V2_PATH, Some(PB), body);
        assert!(matches!(action, RequestAction::ForwardOriginal), "{body:?}");
    }
    assert_eq!(m.stats().bodies_unparsed.load(Ordering::Relaxed), 7);

    // A series that cannot be read is kept and not evaluated; the others
    // are filtered.
    let bad_metric = [0x0a, 0x03, 0x12, 0x01, 0xff]; // metric: invalid UTF-8
    let bad_kind = [0x0a, 0x02, 0x2a, 0x00]; // type as a string
    let bad_resource = [0x0a, 0x04, 0x0a, 0x02, 0x0a, 0x80]; // truncated resource
    let body = [&bad_metric[..], &fields[0], &bad_kind, &bad_resource].concat();
    let (_, action) = call(&m, SERIES_V2_PATH, Some(PB), &body);
    match action {
        RequestAction::ForwardModified(b) => {
            assert_eq!(&b[..], [&bad_metric[..], &bad_kind, &bad_resource].concat());
        }
        other => panic!("{other:?}"),
    }
    let st = m.stats();
    assert_eq!(st.series_unparsed.load(Ordering::Relaxed), 3);
    assert_eq!(st.series_evaluated.load(Ordering::Relaxed), 1);
    assert_eq!(st.series_dropped.load(Ordering::Relaxed), 1);
}

/// The protobuf view and the JSON view of the same random v2 series answer
/// every policy lookup alike: names, units, tags (bare, empty, repeated,
/// with several `:`), resources (repeated types, missing names,
/// `host.name`), and kinds.
#[test]
fn protobuf_and_json_views_agree_on_random_series() {
    use prost::Message as _;
    let mut seed = 0x0dd5_eed5_u64;
    let mut below = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    const WORDS: [&str; 9] = [
        "",
        "env",
        "host",
        "a:b",
        "env:",
        ":x",
        "é",
        "host.name",
        "db",
    ];
    // Not the empty key: proto3 does not tell an empty resource type from
    // an absent one (the JSON view matches `"type":""` for the key "").
    let keys = ["env", "host", "host.name", "a", "db", "é", "x", "device"];
    for _ in 0..3_000 {
        let word = |below: &mut dyn FnMut(usize) -> usize| {
            let (a, b) = (WORDS[below(WORDS.len())], WORDS[below(WORDS.len())]);
            match below(3) {
                0 => a.to_owned(),
                1 => format!("{a}:{b}"),
                _ => format!("{a}{b}"),
            }
        };
        let tags: Vec<String> = (0..below(5)).map(|_| word(&mut below)).collect();
        let resources: Vec<(String, String)> = (0..below(4))
            .map(|_| (word(&mut below), word(&mut below)))
            .collect();
        let (metric, unit, kind) = (word(&mut below), word(&mut below), below(5) as i32);
        let series = pb::Series {
            resources: resources
                .iter()
                .map(|(kind, name)| pb::Resource {
                    kind: kind.clone(),
                    name: name.clone(),
                })
                .collect(),
            metric: metric.clone(),
            tags: tags.clone(),
            points: vec![],
            kind,
            unit: unit.clone(),
            source_type_name: String::new(),
            interval: 0,
            metadata: vec![],
        };
        let raw = series.encode_to_vec();
        let p = ProtoSeries::parse(&raw).expect("a valid series");
        let json_text = json!({
            "metric": metric,
            "type": kind,
            "unit": unit,
            "tags": tags,
            "resources": resources
                .iter()
                .map(|(k, n)| json!({"type": k, "name": n}))
                .collect::<Vec<_>>(),
        })
        .to_string();
        let j = DatadogSeries::parse(&json_text).expect("a valid JSON series");
        let what = || format!("{series:?}");
        for field in [
            MetricField::Name,
            MetricField::Unit,
            MetricField::Description,
        ] {
            assert_eq!(p.metric_field(field), j.metric_field(field), "{}", what());
        }
        assert_eq!(p.metric_type(), j.metric_type(), "{}", what());
        assert_eq!(p.temporality(), j.temporality(), "{}", what());
        for key in keys {
            let path = vec![key.to_owned()];
            for scope in [AttrScope::Record, AttrScope::Resource, AttrScope::Scope] {
                assert_eq!(
                    p.attribute(scope, &path),
                    j.attribute(scope, &path),
                    "{scope:?} {key:?} {}",
                    what()
                );
            }
        }
    }
}

/// proto3: the last occurrence of a singular field wins (`metric`,
/// `unit`, `type`, a resource's `type` and `name`); a series whose last
/// `type` is unknown has no type even after a known one.
#[test]
fn protobuf_series_last_occurrence_wins() {
    let field = |n: u8, v: &[u8]| [&[n << 3 | 2, v.len() as u8][..], v].concat();
    let resource = [
        field(1, b"rack"),
        field(1, b"host"),
        field(2, b"a"),
        field(2, b"b"),
    ]
    .concat();
    let raw = [
        field(2, b"first"),
        vec![0x28, 0x03],
        field(6, b"u1"),
        field(1, &resource),
        field(2, b"second"),
        vec![0x28, 0x01],
        field(6, b"u2"),
    ]
    .concat();
    let s = ProtoSeries::parse(&raw).unwrap();
    assert_eq!(
        s.metric_field(MetricField::Name),
        Some(ValueRef::str("second"))
    );
    assert_eq!(s.metric_field(MetricField::Unit), Some(ValueRef::str("u2")));
    assert_eq!(s.metric_type(), Some(MetricType::Sum));
    let host = vec!["host.name".to_owned()];
    assert_eq!(
        s.attribute(AttrScope::Resource, &host),
        Some(ValueRef::str("b"))
    );
    assert_eq!(s.attribute(AttrScope::Resource, &["rack".to_owned()]), None);
    // An unknown kind last: no type.
    let raw = [raw, vec![0x28, 0x07]].concat();
    assert_eq!(ProtoSeries::parse(&raw).unwrap().metric_type(), None);
    // Enums are int32 on the wire: a varint beyond 32 bits keeps its low
    // 32 bits (as protobuf decoders read it), negative values are unknown.
    let big = [0x28, 0x81, 0x80, 0x80, 0x80, 0x10]; // 2^32 + 1
    assert_eq!(
        ProtoSeries::parse(&big).unwrap().metric_type(),
        Some(MetricType::Sum)
    );
    let negative = [
        0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ];
    assert_eq!(ProtoSeries::parse(&negative).unwrap().metric_type(), None);
    // Ten-byte varints: the tenth byte holds one bit at most.
    let overflow = [
        0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
    ];
    assert!(ProtoSeries::parse(&overflow).is_none());
    let eleven = [
        0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00,
    ];
    assert!(ProtoSeries::parse(&eleven).is_none());
}
