//! Policy engine evaluation throughput: log records against 10, 100 and 1,000
//! policies with mixed literal and regex matchers, with and without transforms.
//!
//! Run with `cargo bench -p edge-benches --bench policy_engine`.

use std::borrow::Cow;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use edge_policy::parse::{parse_document, Format};
use edge_policy::{AttrScope, LogField, LogView, LogViewMut, PolicySnapshot, Registry, ValueRef};

/// A plain in-memory log record for the benchmark.
struct Record {
    body: String,
    severity: &'static str,
    attrs: Vec<(String, String)>,
    resource: Vec<(String, String)>,
}

fn lookup<'a>(list: &'a [(String, String)], path: &[String]) -> Option<ValueRef<'a>> {
    if path.len() != 1 {
        return None;
    }
    list.iter()
        .find(|(k, _)| *k == path[0])
        .map(|(_, v)| ValueRef::Str(Cow::Borrowed(v.as_str())))
}

impl LogView for Record {
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

impl Record {
    fn list_mut(&mut self, scope: AttrScope) -> Option<&mut Vec<(String, String)>> {
        match scope {
            AttrScope::Record => Some(&mut self.attrs),
            AttrScope::Resource => Some(&mut self.resource),
            AttrScope::Scope => None,
        }
    }
}

impl LogViewMut for Record {
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

fn policies_json(n: usize, transforms: bool) -> String {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let matcher = match i % 4 {
            0 => format!(r#"{{"resource_attribute": ["service.name"], "exact": "svc-{i}"}}"#),
            1 => format!(
                r#"{{"log_field": "body", "regex": "timeout after [0-9]+ms in step {i}\\b"}}"#
            ),
            2 => format!(r#"{{"log_attribute": ["http.route"], "starts_with": "/api/v{i}/"}}"#),
            _ => format!(r#"{{"log_field": "body", "contains": "request-{i}-failed"}}"#),
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
            r#"{{"id": "p{i:05}", "name": "p{i}", "log": {{"match": [{matcher}, {{"log_field": "severity_text", "exists": true}}], "keep": "{keep}"{transform}}}}}"#
        ));
    }
    format!(r#"{{"policies": [{}]}}"#, out.join(","))
}

fn snapshot(n: usize, transforms: bool) -> Arc<PolicySnapshot> {
    let parsed =
        parse_document(&policies_json(n, transforms), Format::Json).expect("bench policies parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Registry::new();
    registry.update_source_parsed("bench", parsed);
    registry.snapshot()
}

fn records() -> Vec<Record> {
    (0..1000)
        .map(|i| Record {
            body: format!(
                "GET /api/v2/orders/{i} completed in {}ms for user {} with status 200",
                i % 97,
                i * 7
            ),
            severity: ["info", "debug", "warn", "error"][i % 4],
            attrs: vec![
                ("http.route".into(), format!("/api/v{}/orders", i % 5)),
                ("user.email".into(), format!("user{i}@example.com")),
                ("thread".into(), format!("worker-{}", i % 8)),
            ],
            resource: vec![
                ("service.name".into(), format!("svc-{}", i % 50)),
                ("host.name".into(), "node-1".into()),
            ],
        })
        .collect()
}

fn bench_eval(c: &mut Criterion) {
    let recs = records();
    let mut group = c.benchmark_group("log_evaluate");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for &n in &[10usize, 100, 1000] {
        let snap = snapshot(n, false);
        group.bench_with_input(BenchmarkId::new("policies", n), &n, |b, _| {
            b.iter(|| {
                let mut kept = 0usize;
                for r in &recs {
                    if snap.evaluate_log(black_box(r)).keep() {
                        kept += 1;
                    }
                }
                kept
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("log_evaluate_transform");
    group.throughput(Throughput::Elements(recs.len() as u64));
    for &n in &[10usize, 100, 1000] {
        let snap = snapshot(n, true);
        group.bench_with_input(BenchmarkId::new("policies", n), &n, |b, _| {
            b.iter_batched_ref(
                records,
                |recs| {
                    let mut changed = 0usize;
                    for r in recs.iter_mut() {
                        let verdict = snap.evaluate_log(&*r);
                        if verdict.keep()
                            && verdict.has_transforms()
                            && snap.apply_log_transforms(&verdict, r)
                        {
                            changed += 1;
                        }
                    }
                    changed
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
