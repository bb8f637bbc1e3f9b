//! Extension dispatch for metrics and spans (§1.11.2), through the OTLP/JSON
//! views: delivery follows each extension's mode, matched flag and outcome.

use std::sync::{Arc, Mutex};

use edge_policy::otlp_json::{process_metrics, process_traces};
use edge_policy::parse::{parse_document, Format};
use edge_policy::{ExtensionContext, ExtensionHandler, MetricView, Registry, TraceView};
use serde_json::json;

/// (signal, policy id, matched, kept) per delivery.
type Delivery = (&'static str, String, bool, bool);

#[derive(Default)]
struct Collect(Mutex<Vec<Delivery>>);

impl ExtensionHandler for Collect {
    fn on_metric(&self, ctx: &ExtensionContext<'_>, _record: &dyn MetricView) {
        let d = ("metric", ctx.policy_id.to_owned(), ctx.matched, ctx.kept);
        self.0.lock().unwrap().push(d);
    }

    fn on_span(&self, ctx: &ExtensionContext<'_>, _record: &dyn TraceView) {
        let d = ("span", ctx.policy_id.to_owned(), ctx.matched, ctx.kept);
        self.0.lock().unwrap().push(d);
    }
}

const POLICIES: &str = r#"
policies:
  - id: m-drop-a
    metric:
      match: [{metric_field: name, starts_with: "a."}]
      keep: false
    extensions: [{type: test/collect, version: "1", mode: dropped}]
  - id: m-never
    metric:
      match: [{metric_field: name, exact: nothing-has-this-name}]
      keep: true
    extensions: [{type: test/collect, version: "1", mode: unmatched}]
  - id: t-drop-s1
    trace:
      match: [{trace_field: name, exact: s1}]
      keep: {percentage: 0}
    extensions: [{type: test/collect, version: "1", mode: dropped}]
"#;

#[test]
fn metric_and_span_extensions_follow_their_modes() {
    let registry = Registry::new();
    let handler = Arc::new(Collect::default());
    registry.register_extension_handler("test/collect", handler.clone());
    let parsed = parse_document(POLICIES, Format::Yaml).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    registry.update_source("test", parsed.policies);
    let snap = registry.snapshot();

    let mut metrics = json!({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
        {"name": "a.dropped", "gauge": {"dataPoints": [{"asDouble": 1.0}]}},
        {"name": "b.kept", "gauge": {"dataPoints": [{"asDouble": 2.0}]}}
    ]}]}]});
    process_metrics(&snap, &mut metrics);
    let mut spans = json!({"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "s1"},
        {"traceId": "5b8efff798038103d269b633813fc60d", "spanId": "eee19b7ec3c1b175", "name": "s2"}
    ]}]}]});
    process_traces(&snap, &mut spans);

    let mut got = handler.0.lock().unwrap().clone();
    got.sort();
    let mut want: Vec<Delivery> = vec![
        ("metric", "m-drop-a".into(), true, false),
        ("metric", "m-never".into(), false, false),
        ("metric", "m-never".into(), false, true),
        ("span", "t-drop-s1".into(), true, false),
    ];
    want.sort();
    assert_eq!(got, want);

    let names: Vec<&str> = metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["b.kept"]);
}
