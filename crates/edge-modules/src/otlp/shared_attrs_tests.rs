//! Differential tests of the per-[`edge_policy::AttrsId`] results of
//! resource and scope attribute conditions: the protobuf wire path
//! (`raw_logs`) and the OTLP/JSON tree-free path (`json_logs`) hand the
//! engine ids, the reference paths (prost decode + `proto::process_logs`,
//! `json::decode` + `otlp_json::process_logs`) hand none. Requests have
//! many records under few resources and scopes (neighbouring wrappers often
//! with the same attributes), policies match resource and scope attributes
//! with conditions the index answers (exact, regex, prefix, negated, and
//! more than one shared entry holds) and transform them (add, redact,
//! rename, remove), so a later record (and every record of a following
//! wrapper) must see the new values. Every matching policy also marks the
//! record, so the output shows which policies matched each record.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message;
use serde_json::{json, Value};

use super::scan_tests::{any_policies, Rng};
use super::*;

/// Values of the shared attributes (the conditions below tell them apart).
const VALUES: [&str; 6] = ["a", "b", "ab", "ca", "é", ""];

/// Attributes of a resource, a scope or a record: `(key, value)` pairs in
/// order (repeated keys included: the first one counts).
type Attrs = Vec<(String, String)>;

/// A request: resources of scopes of records (attributes and body).
type Request = Vec<(Option<Attrs>, Vec<(Option<Attrs>, Vec<(Attrs, String)>)>)>;

fn shared_attrs(r: &mut Rng, keys: &[&str]) -> Attrs {
    let mut attrs = Vec::new();
    for _ in 0..r.below(4) {
        let key = keys[r.below(keys.len())];
        attrs.push((key.to_owned(), VALUES[r.below(VALUES.len())].to_owned()));
    }
    attrs
}

/// Few resources and scopes, many records; a wrapper often repeats the
/// attributes of the previous one.
fn request(r: &mut Rng) -> Request {
    let mut req: Request = Vec::new();
    let mut last_res: Option<Attrs> = None;
    for _ in 0..1 + r.below(3) {
        let res = match r.below(4) {
            0 => None,
            1 if last_res.is_some() => last_res.clone(),
            _ => Some(shared_attrs(r, &["svc", "svc", "svc2", "env"])),
        };
        last_res = res.clone();
        let mut scopes = Vec::new();
        let mut last_scope: Option<Attrs> = None;
        for _ in 0..1 + r.below(3) {
            let scope = match r.below(4) {
                0 => None,
                1 if last_scope.is_some() => last_scope.clone(),
                _ => Some(shared_attrs(r, &["lib", "lib", "svc"])),
            };
            last_scope = scope.clone();
            let records = (0..1 + r.below(6))
                .map(|_| {
                    let attrs = shared_attrs(r, &["k", "svc"]);
                    (attrs, VALUES[r.below(VALUES.len())].to_owned())
                })
                .collect();
            scopes.push((scope, records));
        }
        req.push((res, scopes));
    }
    req
}

fn kvs(attrs: &Attrs) -> Vec<KeyValue> {
    attrs
        .iter()
        .map(|(k, v)| KeyValue {
            key: k.clone(),
            value: Some(AnyValue {
                value: Some(any_value::Value::StringValue(v.clone())),
            }),
        })
        .collect()
}

fn protobuf(req: &Request) -> Vec<u8> {
    ExportLogsServiceRequest {
        resource_logs: req
            .iter()
            .map(|(res, scopes)| ResourceLogs {
                resource: res.as_ref().map(|a| Resource {
                    attributes: kvs(a),
                    ..Default::default()
                }),
                scope_logs: scopes
                    .iter()
                    .map(|(scope, records)| ScopeLogs {
                        scope: scope.as_ref().map(|a| InstrumentationScope {
                            attributes: kvs(a),
                            ..Default::default()
                        }),
                        log_records: records
                            .iter()
                            .map(|(attrs, body)| LogRecord {
                                attributes: kvs(attrs),
                                body: Some(AnyValue {
                                    value: Some(any_value::Value::StringValue(body.clone())),
                                }),
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
            .collect(),
    }
    .encode_to_vec()
}

fn json_attrs(attrs: &Attrs) -> Value {
    Value::Array(
        attrs
            .iter()
            .map(|(k, v)| json!({"key": k, "value": {"stringValue": v}}))
            .collect(),
    )
}

fn otlp_json(req: &Request) -> Vec<u8> {
    let resource_logs: Vec<Value> = req
        .iter()
        .map(|(res, scopes)| {
            let scope_logs: Vec<Value> = scopes
                .iter()
                .map(|(scope, records)| {
                    let records: Vec<Value> = records
                        .iter()
                        .map(|(attrs, body)| {
                            json!({"attributes": json_attrs(attrs), "body": {"stringValue": body}})
                        })
                        .collect();
                    let mut s = json!({ "logRecords": records });
                    if let Some(a) = scope {
                        s["scope"] = json!({ "attributes": json_attrs(a) });
                    }
                    s
                })
                .collect();
            let mut rl = json!({ "scopeLogs": scope_logs });
            if let Some(a) = res {
                rl["resource"] = json!({ "attributes": json_attrs(a) });
            }
            rl
        })
        .collect();
    serde_json::to_vec(&json!({ "resourceLogs": resource_logs })).expect("serialises")
}

/// A condition on a value of [`VALUES`] the index answers without the
/// slow path (exists is answered on its own, it is here too).
fn condition(r: &mut Rng, m: &mut serde_json::Map<String, Value>) {
    let (k, v) = match r.below(6) {
        0 => ("exact", json!(VALUES[r.below(VALUES.len())])),
        1 => ("regex", json!(["^a", "b$", "a", "^$", "é"][r.below(5)])),
        2 => ("starts_with", json!(["a", "c"][r.below(2)])),
        3 => ("contains", json!(["a", "b"][r.below(2)])),
        4 => ("exists", json!(true)),
        _ => ("exact", json!("ab")),
    };
    m.insert(k.into(), v);
    if r.one_in(4) {
        m.insert("negate".into(), json!(true));
    }
}

fn pick(r: &mut Rng, from: &[&str]) -> String {
    from[r.below(from.len())].to_owned()
}

/// A selector of a shared attribute (mostly) or of the record.
fn selector(r: &mut Rng, prefix: &str) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    match r.below(6) {
        0 | 1 => m.insert(
            format!("{prefix}resource_attribute"),
            json!([pick(r, &["svc", "svc2", "env"])]),
        ),
        2 | 3 => m.insert(
            format!("{prefix}scope_attribute"),
            json!([pick(r, &["lib", "svc"])]),
        ),
        4 => m.insert(
            format!("{prefix}log_attribute"),
            json!([pick(r, &["k", "svc"])]),
        ),
        _ => m.insert(format!("{prefix}log_field"), json!("body")),
    };
    m
}

/// Random policies matching and transforming shared attributes; each
/// kept-and-matching policy marks the record with its own attribute. With
/// `wide`, eleven more policies match `svc` of the resource with distinct
/// regexes (more hits than a shared entry holds for some values).
fn policies(r: &mut Rng, wide: bool) -> Arc<edge_policy::Registry> {
    let mut policies = Vec::new();
    for i in 0..1 + r.below(7) {
        let matchers: Vec<Value> = (0..1 + r.below(2))
            .map(|_| {
                let mut m = selector(r, "");
                condition(r, &mut m);
                Value::Object(m)
            })
            .collect();
        let drop = r.one_in(5);
        let mut log = json!({"match": matchers, "keep": if drop { "none" } else { "all" }});
        if !drop {
            let mut t = serde_json::Map::new();
            t.insert(
                "add".into(),
                json!([{"log_attribute": [format!("m{i}")], "value": "1"}]),
            );
            for _ in 0..r.below(3) {
                let (kind, op) = match r.below(4) {
                    0 => ("remove", Value::Object(selector(r, ""))),
                    1 => {
                        let mut m = selector(r, "");
                        m.insert("replacement".into(), json!(VALUES[r.below(VALUES.len())]));
                        if r.one_in(2) {
                            m.insert("regex".into(), json!(["a", "^.*$", "b"][r.below(3)]));
                        }
                        ("redact", Value::Object(m))
                    }
                    2 => {
                        let mut m = selector(r, "from_");
                        if m.contains_key("from_log_field") {
                            continue;
                        }
                        m.insert("to".into(), json!(["svc", "svc2", "lib"][r.below(3)]));
                        m.insert("upsert".into(), json!(r.one_in(2)));
                        ("rename", Value::Object(m))
                    }
                    _ => {
                        let mut m = selector(r, "");
                        m.insert("value".into(), json!(VALUES[r.below(VALUES.len())]));
                        m.insert("upsert".into(), json!(r.one_in(2)));
                        ("add", Value::Object(m))
                    }
                };
                t.entry(kind)
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("a list")
                    .push(op);
            }
            log["transform"] = Value::Object(t);
        }
        policies.push(json!({"id": format!("p{i}"), "name": format!("p{i}"), "log": log}));
    }
    if wide {
        // Distinct conditions (distinct raw ids) all true of "ab".
        let regexes = [
            "a", "b", "ab", "^a", "b$", "^ab$", "a.", "[ab]", "a|x", "(a)b", "ab?",
        ];
        for (i, re) in regexes.iter().enumerate() {
            policies.push(
                json!({"id": format!("w{i:02}"), "name": format!("w{i}"), "log": {
                "match": [{"resource_attribute": ["svc"], "regex": re}], "keep": "all",
                "transform": {"add": [{"log_attribute": [format!("w{i}")], "value": "1"}]}}}),
            );
        }
    }
    any_policies(&json!({ "policies": policies }))
}

/// The protobuf wire path against prost; returns whether the request
/// changed.
fn protobuf_agrees(snap: &PolicySnapshot, body: &[u8], what: &str) -> bool {
    let fast = process_body(snap, Signal::Logs, Encoding::Protobuf, body).expect("valid");
    let mut req = ExportLogsServiceRequest::decode(body).expect("valid");
    let o = proto::process_logs(snap, &mut req);
    let full = classify(o, || req.encode_to_vec());
    match (&fast, &full) {
        (Processed::Unchanged(a), Processed::Unchanged(b))
        | (Processed::Empty(a), Processed::Empty(b)) => {
            assert_eq!(a, b, "{what}");
            false
        }
        (Processed::Modified(a, x), Processed::Modified(b, y)) => {
            assert_eq!(a, b, "{what}");
            let x = ExportLogsServiceRequest::decode(x.as_slice()).expect("spliced body");
            let y = ExportLogsServiceRequest::decode(y.as_slice()).expect("prost body");
            assert_eq!(x, y, "{what}");
            true
        }
        _ => panic!("{what}: wire {fast:?} vs prost {full:?}"),
    }
}

/// The OTLP/JSON tree-free path against the tree; returns whether the
/// fast path took the request.
fn json_agrees(snap: &PolicySnapshot, body: &[u8], what: &str) -> bool {
    let fast = json_logs::process(snap, body);
    let taken = fast.is_some();
    let fast = fast.unwrap_or_else(|| process_json_tree(snap, Signal::Logs, body));
    let tree = process_json_tree(snap, Signal::Logs, body);
    match (&fast, &tree) {
        (Ok(Processed::Unchanged(a)), Ok(Processed::Unchanged(b)))
        | (Ok(Processed::Empty(a)), Ok(Processed::Empty(b))) => assert_eq!(a, b, "{what}"),
        (Ok(Processed::Modified(a, x)), Ok(Processed::Modified(b, y))) => {
            assert_eq!(a, b, "{what}");
            let x: Value = serde_json::from_slice(x).expect("fast body");
            let y: Value = serde_json::from_slice(y).expect("tree body");
            assert_eq!(x, y, "{what}");
        }
        _ => panic!("{what}: fast {fast:?} vs tree {tree:?}"),
    }
    taken
}

/// One thread's rounds: each request is evaluated against two policy sets
/// alternately (a reload between requests, and between the two encodings
/// of one request), the same request twice in a row (ids of the first
/// evaluation must not serve the second) and both encodings.
fn rounds(seed: u64, n: usize) -> (usize, usize) {
    let mut r = Rng(seed);
    let (mut changed, mut taken) = (0, 0);
    for round in 0..n {
        let a = policies(&mut r, round % 3 == 0);
        let b = policies(&mut r, round % 5 == 0);
        let (a, b) = (a.snapshot(), b.snapshot());
        let req = request(&mut r);
        let pb = protobuf(&req);
        let js = otlp_json(&req);
        for (i, snap) in [&a, &b, &a, &a, &b].into_iter().enumerate() {
            let what = format!("seed {seed:#x} round {round} pass {i}: {req:?}");
            changed += usize::from(protobuf_agrees(snap, &pb, &what));
            taken += usize::from(json_agrees(snap, &js, &what));
        }
    }
    (changed, taken)
}

/// Results of resource and scope conditions kept per attribute id never
/// differ from what a fresh evaluation of every record gives: transforms of
/// shared attributes are seen by the following records and wrappers, ids
/// are never shared between wrappers, requests, policy sets or threads, and
/// slots hitting more policies than an entry holds are evaluated again.
#[test]
fn shared_attribute_results_mean_what_the_reference_paths_give() {
    let results: Vec<(usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3u64)
            .map(|t| s.spawn(move || rounds(0x5eed_a77d + t, 250)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    eprintln!("changed, taken by the JSON fast path: {results:?}");
    for (changed, taken) in results {
        // Most requests are changed (marks) and taken by the JSON fast path.
        assert!(changed > 800, "{changed}");
        assert!(taken > 1200, "{taken}");
    }
}
