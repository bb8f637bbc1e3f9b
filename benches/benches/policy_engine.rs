//! Policy engine evaluation throughput (records/s on one core): logs, metrics
//! and traces against 10, 100 and 1,000 policies, with literal-only
//! (`exact`, `starts_with`, `ends_with`, `contains`) or regex matchers, logs
//! also with transforms applied.
//!
//! Run with `cargo bench -p edge-benches --bench policy_engine` (short run:
//! `-- --warm-up-time 1 --measurement-time 3`). The per-record cost at 1,000
//! policies divided by the cost at 10 is the figure to watch: the engine is
//! candidate-driven, so it should stay well under 3.

use std::borrow::Cow;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use edge_policy::parse::{parse_document, Format};
use edge_policy::{
    AttrScope, LogField, LogView, LogViewMut, MetricField, MetricType, MetricView, PolicySnapshot,
    Registry, Temporality, TraceField, TraceView, ValueRef,
};

const COUNTS: [usize; 3] = [10, 100, 1000];
const RECORDS: usize = 1000;

#[derive(Clone, Copy, Debug)]
enum Flavour {
    Literal,
    Regex,
}

impl Flavour {
    fn name(self) -> &'static str {
        match self {
            Flavour::Literal => "literal",
            Flavour::Regex => "regex",
        }
    }
}

type Attrs = Vec<(String, String)>;

fn lookup<'a>(list: &'a Attrs, path: &[String]) -> Option<ValueRef<'a>> {
    if path.len() != 1 {
        return None;
    }
    list.iter()
        .find(|(k, _)| *k == path[0])
        .map(|(_, v)| ValueRef::Str(Cow::Borrowed(v.as_str())))
}

// ---------------------------------------------------------------- logs ----

/// A plain in-memory log record.
#[derive(Clone)]
struct LogRec {
    body: String,
    severity: &'static str,
    attrs: Attrs,
    resource: Attrs,
}

impl LogView for LogRec {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => Some(ValueRef::str(&self.body)),
            LogField::SeverityText => Some(ValueRef::str(self.severity)),
            _ => None,
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => lookup(&self.attrs, path),
            AttrScope::Resource => lookup(&self.resource, path),
            AttrScope::Scope => None,
        }
    }
}

impl LogRec {
    fn list_mut(&mut self, scope: AttrScope) -> Option<&mut Attrs> {
        match scope {
            AttrScope::Record => Some(&mut self.attrs),
            AttrScope::Resource => Some(&mut self.resource),
            AttrScope::Scope => None,
        }
    }
}

impl LogViewMut for LogRec {
    fn remove_field(&mut self, field: LogField) -> bool {
        if field == LogField::Body && !self.body.is_empty() {
            self.body.clear();
            return true;
        }
        false
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        if field == LogField::Body {
            self.body = value.to_string();
            return true;
        }
        false
    }

    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        let Some(list) = self.list_mut(scope) else {
            return false;
        };
        let before = list.len();
        list.retain(|(k, _)| path.len() != 1 || *k != path[0]);
        before != list.len()
    }

    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        let Some(list) = self.list_mut(scope) else {
            return false;
        };
        if path.len() != 1 {
            return false;
        }
        match list.iter_mut().find(|(k, _)| *k == path[0]) {
            Some(entry) => entry.1 = value.to_string(),
            None => list.push((path[0].clone(), value.to_string())),
        }
        true
    }

    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        let Some(list) = self.list_mut(scope) else {
            return false;
        };
        if from.len() != 1 {
            return false;
        }
        let Some(pos) = list.iter().position(|(k, _)| *k == from[0]) else {
            return false;
        };
        if let Some(existing) = list.iter().position(|(k, _)| k == to) {
            if !upsert {
                return false;
            }
            list.remove(existing);
        }
        let pos = list.iter().position(|(k, _)| *k == from[0]).unwrap_or(pos);
        let (_, v) = list.remove(pos);
        list.push((to.to_string(), v));
        true
    }
}

fn log_policies(n: usize, flavour: Flavour, transforms: bool) -> String {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let matchers = match (flavour, i % 4) {
            (Flavour::Literal, 0) => format!(
                r#"{{"resource_attribute": ["service.name"], "exact": "svc-{i}"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Literal, 1) => format!(
                r#"{{"log_attribute": ["http.route"], "starts_with": "/api/v{i}/"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Literal, 2) => format!(
                r#"{{"log_field": "body", "contains": "request-{i}-failed"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Literal, _) => format!(
                r#"{{"log_field": "severity_text", "exact": "error"}}, {{"log_attribute": ["thread"], "exact": "worker-{i}"}}"#
            ),
            (Flavour::Regex, 0) => format!(
                r#"{{"resource_attribute": ["service.name"], "regex": "^svc-{i}$"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Regex, 1) => format!(
                r#"{{"log_attribute": ["http.route"], "regex": "^/api/v{i}/[a-z]+$"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Regex, 2) => format!(
                r#"{{"log_field": "body", "regex": "timeout after [0-9]+ms in step {i}\\b"}}, {{"log_field": "severity_text", "exists": true}}"#
            ),
            (Flavour::Regex, _) => format!(
                r#"{{"log_field": "body", "regex": "request-{i}-(failed|aborted)"}}, {{"log_field": "severity_text", "regex": "^(error|warn)$", "case_insensitive": true}}"#
            ),
        };
        let keep = match i % 3 {
            0 => "none",
            1 => "50%",
            _ => "all",
        };
        let transform = if transforms && i % 3 == 2 {
            r#", "transform": {"add": [{"log_attribute": ["edge.seen"], "value": "1", "upsert": true}],
                 "redact": [{"log_attribute": ["user.email"], "replacement": "***"}]}"#
        } else {
            ""
        };
        out.push(format!(
            r#"{{"id": "p{i:05}", "name": "p{i}", "log": {{"match": [{matchers}], "keep": "{keep}"{transform}}}}}"#
        ));
    }
    format!(r#"{{"policies": [{}]}}"#, out.join(","))
}

fn log_records() -> Vec<LogRec> {
    (0..RECORDS)
        .map(|i| LogRec {
            body: match i % 3 {
                0 => format!(
                    "GET /api/v2/orders/{i} completed in {}ms for user {} with status 200",
                    i % 97,
                    i * 7
                ),
                1 => format!(
                    "upstream timeout after {}ms in step {} (retrying)",
                    i % 500,
                    i % 400
                ),
                _ => format!("request-{}-failed: connection reset by peer", i % 600),
            },
            severity: ["info", "debug", "warn", "error"][i % 4],
            attrs: vec![
                ("http.route".into(), format!("/api/v{}/orders", i % 50)),
                ("user.email".into(), format!("user{i}@example.com")),
                ("thread".into(), format!("worker-{}", i % 800)),
            ],
            resource: vec![
                ("service.name".into(), format!("svc-{}", i % 60)),
                ("host.name".into(), "node-1".into()),
            ],
        })
        .collect()
}

// ------------------------------------------------------------- metrics ----

struct MetricRec {
    name: String,
    unit: &'static str,
    kind: MetricType,
    attrs: Attrs,
    resource: Attrs,
}

impl MetricView for MetricRec {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        match field {
            MetricField::Name => Some(ValueRef::str(&self.name)),
            MetricField::Unit => Some(ValueRef::str(self.unit)),
            _ => None,
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => lookup(&self.attrs, path),
            AttrScope::Resource => lookup(&self.resource, path),
            AttrScope::Scope => None,
        }
    }

    fn metric_type(&self) -> Option<MetricType> {
        Some(self.kind)
    }

    fn temporality(&self) -> Option<Temporality> {
        (self.kind == MetricType::Sum).then_some(Temporality::Cumulative)
    }
}

fn metric_policies(n: usize, flavour: Flavour) -> String {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let matchers = match (flavour, i % 4) {
            (Flavour::Literal, 0) => {
                format!(r#"{{"metric_field": "name", "exact": "app.requests.{i}"}}"#)
            }
            (Flavour::Literal, 1) => {
                format!(r#"{{"metric_field": "name", "starts_with": "app_{i}_"}}"#)
            }
            (Flavour::Literal, 2) => format!(
                r#"{{"datapoint_attribute": ["route"], "exact": "/r{i}"}}, {{"metric_type": "sum"}}"#
            ),
            (Flavour::Literal, _) => format!(
                r#"{{"resource_attribute": ["service.name"], "exact": "svc-{i}"}}, {{"metric_field": "name", "ends_with": "_seconds"}}"#
            ),
            (Flavour::Regex, 0) => {
                format!(r#"{{"metric_field": "name", "regex": "^app\\.requests\\.{i}$"}}"#)
            }
            (Flavour::Regex, 1) => {
                format!(r#"{{"metric_field": "name", "regex": "^app_{i}_[a-z_]+$"}}"#)
            }
            (Flavour::Regex, 2) => format!(
                r#"{{"datapoint_attribute": ["route"], "regex": "^/r{i}(/|$)"}}, {{"metric_type": "sum"}}"#
            ),
            (Flavour::Regex, _) => format!(
                r#"{{"resource_attribute": ["service.name"], "regex": "^svc-{i}$"}}, {{"metric_field": "name", "regex": "_seconds$"}}"#
            ),
        };
        out.push(format!(
            r#"{{"id": "m{i:05}", "name": "m{i}", "metric": {{"match": [{matchers}], "keep": {}}}}}"#,
            i % 2 == 1
        ));
    }
    format!(r#"{{"policies": [{}]}}"#, out.join(","))
}

fn metric_records() -> Vec<MetricRec> {
    (0..RECORDS)
        .map(|i| MetricRec {
            name: match i % 3 {
                0 => format!("app.requests.{}", i % 400),
                1 => format!("app_{}_latency_seconds", i % 400),
                _ => "process_cpu_seconds".to_owned(),
            },
            unit: ["1", "s", "By"][i % 3],
            kind: if i % 2 == 0 {
                MetricType::Gauge
            } else {
                MetricType::Sum
            },
            attrs: vec![
                ("route".into(), format!("/r{}", i % 300)),
                ("method".into(), "GET".into()),
            ],
            resource: vec![("service.name".into(), format!("svc-{}", i % 60))],
        })
        .collect()
}

// -------------------------------------------------------------- traces ----

struct SpanRec {
    name: String,
    kind: i32,
    status: i32,
    trace_id: [u8; 16],
    attrs: Attrs,
    resource: Attrs,
}

impl TraceView for SpanRec {
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>> {
        match field {
            TraceField::Name => Some(ValueRef::str(&self.name)),
            TraceField::TraceId => Some(ValueRef::Bytes(Cow::Borrowed(&self.trace_id))),
            _ => None,
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => lookup(&self.attrs, path),
            AttrScope::Resource => lookup(&self.resource, path),
            AttrScope::Scope => None,
        }
    }

    fn span_kind(&self) -> i32 {
        self.kind
    }

    fn span_status(&self) -> i32 {
        self.status
    }
}

fn trace_policies(n: usize, flavour: Flavour) -> String {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let matchers = match (flavour, i % 4) {
            (Flavour::Literal, 0) => {
                format!(r#"{{"trace_field": "name", "exact": "GET /api/v{i}/orders"}}"#)
            }
            (Flavour::Literal, 1) => {
                format!(r#"{{"span_attribute": ["http.route"], "starts_with": "/api/v{i}/"}}"#)
            }
            (Flavour::Literal, 2) => format!(
                r#"{{"resource_attribute": ["service.name"], "exact": "svc-{i}"}}, {{"span_kind": "SPAN_KIND_SERVER"}}"#
            ),
            (Flavour::Literal, _) => {
                format!(r#"{{"span_attribute": ["db.system"], "exact": "db{i}"}}"#)
            }
            (Flavour::Regex, 0) => {
                format!(r#"{{"trace_field": "name", "regex": "^GET /api/v{i}/[a-z]+$"}}"#)
            }
            (Flavour::Regex, 1) => {
                format!(r#"{{"span_attribute": ["http.route"], "regex": "^/api/v{i}/"}}"#)
            }
            (Flavour::Regex, 2) => format!(
                r#"{{"resource_attribute": ["service.name"], "regex": "^svc-{i}$"}}, {{"span_kind": "SPAN_KIND_SERVER"}}"#
            ),
            (Flavour::Regex, _) => {
                format!(r#"{{"span_attribute": ["db.system"], "regex": "^db{i}$"}}"#)
            }
        };
        out.push(format!(
            r#"{{"id": "t{i:05}", "name": "t{i}", "trace": {{"match": [{matchers}], "keep": {{"percentage": {}}}}}}}"#,
            (i * 7) % 100
        ));
    }
    format!(r#"{{"policies": [{}]}}"#, out.join(","))
}

fn trace_records() -> Vec<SpanRec> {
    (0..RECORDS)
        .map(|i| {
            let mut trace_id = [0u8; 16];
            trace_id[8..].copy_from_slice(&((i as u64 + 1) * 0x9e37_79b9_7f4a_7c15).to_be_bytes());
            SpanRec {
                name: format!("GET /api/v{}/orders", i % 300),
                kind: [1, 2, 3][i % 3],
                status: (i % 3) as i32,
                trace_id,
                attrs: vec![
                    ("http.route".into(), format!("/api/v{}/x", i % 50)),
                    ("db.system".into(), format!("db{}", i % 40)),
                ],
                resource: vec![("service.name".into(), format!("svc-{}", i % 60))],
            }
        })
        .collect()
}

// ------------------------------------------------------------- benches ----

fn snapshot(doc: &str) -> Arc<PolicySnapshot> {
    let parsed = parse_document(doc, Format::Json).expect("bench policies parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Registry::new();
    registry.update_source_parsed("bench", parsed);
    let snap = registry.snapshot();
    assert!(
        snap.statuses().iter().all(|s| s.errors.is_empty()),
        "bench policies compile"
    );
    snap
}

const FLAVOURS: [Flavour; 2] = [Flavour::Literal, Flavour::Regex];

fn bench_logs(c: &mut Criterion) {
    let recs = log_records();
    let mut group = c.benchmark_group("log");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for flavour in FLAVOURS {
        for n in COUNTS {
            let snap = snapshot(&log_policies(n, flavour, false));
            group.bench_with_input(BenchmarkId::new(flavour.name(), n), &n, |b, _| {
                b.iter(|| {
                    recs.iter()
                        .filter(|r| snap.evaluate_log(black_box(*r)).keep())
                        .count()
                })
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("log_transform");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for flavour in FLAVOURS {
        for n in COUNTS {
            let snap = snapshot(&log_policies(n, flavour, true));
            group.bench_with_input(BenchmarkId::new(flavour.name(), n), &n, |b, _| {
                b.iter_batched_ref(
                    log_records,
                    |recs| {
                        let mut changed = 0usize;
                        for r in recs.iter_mut() {
                            let verdict = snap.evaluate_log(&*r);
                            if verdict.has_transforms() && snap.apply_log_transforms(&verdict, r) {
                                changed += 1;
                            }
                        }
                        changed
                    },
                    criterion::BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
}

fn bench_metrics(c: &mut Criterion) {
    let recs = metric_records();
    let mut group = c.benchmark_group("metric");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for flavour in FLAVOURS {
        for n in COUNTS {
            let snap = snapshot(&metric_policies(n, flavour));
            group.bench_with_input(BenchmarkId::new(flavour.name(), n), &n, |b, _| {
                b.iter(|| {
                    recs.iter()
                        .filter(|r| snap.evaluate_metric(black_box(*r)).keep())
                        .count()
                })
            });
        }
    }
    group.finish();
}

fn bench_traces(c: &mut Criterion) {
    let recs = trace_records();
    let mut group = c.benchmark_group("trace");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for flavour in FLAVOURS {
        for n in COUNTS {
            let snap = snapshot(&trace_policies(n, flavour));
            group.bench_with_input(BenchmarkId::new(flavour.name(), n), &n, |b, _| {
                b.iter(|| {
                    recs.iter()
                        .filter(|r| snap.evaluate_trace(black_box(*r)).keep())
                        .count()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_logs, bench_metrics, bench_traces);
criterion_main!(benches);
