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
fn protobuf_and_broken_json_pass_through() {
    let m = module(json!([drop_policy(
        "p",
        json!([{"metric_field": "name", "starts_with": "app."}])
    )]));
    // Field case 10: the decoder is chosen by Content-Type, not by path.
    let (inspect, action) = call(
        &m,
        SERIES_V2_PATH,
        Some("application/x-protobuf"),
        b"\x0a\x05app.x",
    );
    assert!(!inspect);
    assert!(matches!(action, RequestAction::ForwardOriginal));
    assert_eq!(m.stats().bodies_protobuf.load(Ordering::Relaxed), 1);

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
