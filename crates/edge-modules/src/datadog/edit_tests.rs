//! Differential test of the in-place edits of Datadog log objects: random
//! bodies (escapes, unicode, nested objects, duplicate keys, non-string
//! values, objects the strict scanner leaves to `serde_json`) under random
//! policies with transforms, processed with in-place edits and with the
//! reference that takes every transformed object through a `serde_json`
//! map. Both must forward the same JSON (keys in the same order), and the
//! same bytes when the body is already in `serde_json`'s compact form.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use proptest::prelude::*;
use serde_json::Value;

use super::json::{split, Body};
use super::{DatadogModule, DatadogStats};
use crate::RequestAction;

const KEYS: &[&str] = &[
    "message", "msg", "log", "status", "level", "service", "hostname", "a", "a.b", "http",
    "ddtags", r#"k\"q"#, "é",
];

const VALUES: &[&str] = &[
    r#""plain""#,
    r#""mail x@y.com now""#,
    r#""""#,
    r#""debug""#,
    r#""tab\tand \"q\" \/ \\""#,
    r#""é ü 😀""#,
    r#""\u00e9 esc""#,
    r#""bad \ud83d half""#,
    "1",
    "-0.5e3",
    "12345678901234567890123",
    "true",
    "null",
    r#"{"b":"v","c":{"d":1}}"#,
    r#"[1, "x", {"y": null}]"#,
    r#""[REDACTED]""#,
    r#""env:prod,team:a""#,
];

const MATCHERS: &[&str] = &[
    r#"{"log_field":"body","contains":"@"}"#,
    r#"{"log_field":"severity_text","exists":true}"#,
    r#"{"log_attribute":["a"],"exists":true}"#,
    r#"{"log_field":"body","exists":true}"#,
    r#"{"resource_attribute":["service.name"],"exists":true}"#,
    r#"{"log_attribute":["ddtags","env"],"exists":true}"#,
];

const TRANSFORMS: &[&str] = &[
    r#"{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"}]}"#,
    r#"{"redact":[{"log_field":"severity_text","replacement":"x"}]}"#,
    r#"{"redact":[{"log_attribute":["a"],"replacement":"[R]"}]}"#,
    r#"{"redact":[{"log_attribute":["a","b"],"replacement":"[R]"}]}"#,
    r#"{"remove":[{"log_field":"body"}]}"#,
    r#"{"remove":[{"log_attribute":["http","c"]}]}"#,
    r#"{"remove":[{"log_attribute":["host.name"]}]}"#,
    r#"{"remove":[{"log_attribute":["a.b"]}]}"#,
    r#"{"add":[{"log_attribute":["added"],"value":"v"}]}"#,
    r#"{"add":[{"log_field":"severity_text","value":"warn","upsert":true}]}"#,
    r#"{"add":[{"log_field":"body","value":"new\nline"}]}"#,
    r#"{"add":[{"log_attribute":["a","c"],"value":"n","upsert":true}]}"#,
    r#"{"add":[{"log_attribute":["service.name"],"value":"s\"q","upsert":true}]}"#,
    r#"{"add":[{"log_attribute":["message"],"value":"[REDACTED]","upsert":true}]}"#,
    r#"{"rename":[{"from_log_attribute":["a"],"to":"renamed","upsert":true}]}"#,
];

fn record() -> impl Strategy<Value = String> {
    let ws = prop_oneof![3 => Just(""), 1 => Just(" "), 1 => Just("\n ")];
    let member = (0..KEYS.len(), 0..VALUES.len(), ws.clone(), ws);
    prop_oneof![
        10 => prop::collection::vec(member, 0..8).prop_map(|members| {
            let members: Vec<String> = members
                .into_iter()
                .map(|(k, v, w1, w2)| format!("{w1}\"{}\"{w2}:{w1}{}", KEYS[k], VALUES[v]))
                .collect();
            format!("{{{}}}", members.join(","))
        }),
        1 => Just("1".to_owned()),
    ]
}

fn policies() -> impl Strategy<Value = String> {
    let policy = (
        0..MATCHERS.len(),
        prop::option::of(0..MATCHERS.len()),
        prop::collection::vec(0..TRANSFORMS.len(), 0..3),
        prop::bool::weighted(0.8),
    );
    prop::collection::vec(policy, 1..4).prop_map(|ps| {
        let ps: Vec<String> = ps
            .into_iter()
            .enumerate()
            .map(|(n, (m, m2, ts, keep))| {
                let matchers: Vec<&str> = std::iter::once(MATCHERS[m])
                    .chain(m2.map(|m| MATCHERS[m]))
                    .collect();
                // Several transform objects merged into one by kind.
                let mut transform = serde_json::Map::new();
                for t in ts {
                    let v: Value = serde_json::from_str(TRANSFORMS[t]).unwrap();
                    for (kind, ops) in v.as_object().unwrap() {
                        let list = transform.entry(kind.clone()).or_insert(Value::Array(vec![]));
                        list.as_array_mut()
                            .unwrap()
                            .extend(ops.as_array().unwrap().iter().cloned());
                    }
                }
                format!(
                    r#"{{"id":"p{n}","name":"p{n}","log":{{"match":[{}],"keep":"{}","transform":{}}}}}"#,
                    matchers.join(","),
                    if keep { "all" } else { "none" },
                    Value::Object(transform),
                )
            })
            .collect();
        format!(r#"{{"policies":[{}]}}"#, ps.join(","))
    })
}

fn forwarded(action: RequestAction, body: &str) -> Vec<u8> {
    match action {
        RequestAction::ForwardOriginal => body.as_bytes().to_vec(),
        RequestAction::ForwardModified(b) => b.to_vec(),
        RequestAction::Respond(r) => [b"202 ".as_slice(), &r.body].concat(),
    }
}

fn counts(s: &DatadogStats) -> [u64; 7] {
    [
        &s.records_evaluated,
        &s.records_kept,
        &s.records_dropped,
        &s.records_transformed,
        &s.bodies_unparsed,
        &s.elements_unparsed,
        &s.elements_repaired,
    ]
    .map(|c| c.load(Ordering::Relaxed))
}

/// `serde_json`'s compact form of `bytes`, keys in order; `None` when it
/// does not parse (lone surrogates forwarded as received).
fn compact(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .map(|v| v.to_string())
}

fn agree(policies: &str, body: &str) {
    let parsed = parse_document(policies, Format::Json).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("test", parsed);
    let fast = DatadogModule::new(registry.clone());
    let reference = DatadogModule::reference(registry);
    let got = forwarded(fast.process(body.as_bytes()), body);
    let want = forwarded(reference.process(body.as_bytes()), body);
    assert_eq!(
        counts(&fast.stats()),
        counts(&reference.stats()),
        "{policies}\n{body}"
    );
    if got == want {
        return;
    }
    let canonical = compact(body.as_bytes()).as_deref() == Some(body);
    let show = || {
        format!(
            "{policies}\n{body}\n{}\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        )
    };
    assert!(!canonical, "compact input, different bytes:\n{}", show());
    // Element by element: untouched elements may not parse (lone
    // surrogates are forwarded as received).
    let (Some(Body::Array(g)), Some(Body::Array(w))) = (split(&got), split(&want)) else {
        panic!("not arrays:\n{}", show());
    };
    assert_eq!(g.len(), w.len(), "{}", show());
    for (g, w) in g.into_iter().zip(w) {
        let (g, w) = (&got[g], &want[w]);
        if g != w {
            let (g, w) = (compact(g), compact(w));
            assert!(g.is_some() && g == w, "different JSON:\n{}", show());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    #[test]
    fn in_place_edits_agree_with_the_serde_map(
        policies in policies(),
        records in prop::collection::vec(record(), 1..6),
    ) {
        agree(&policies, &format!("[{}]", records.join(",")));
    }
}

#[test]
fn bench_shaped_records_are_byte_identical() {
    let policies = r#"{"policies":[{"id":"r","name":"r","log":{"match":[{"log_field":"body","contains":"@"}],"keep":"all",
        "transform":{"redact":[{"log_field":"body","regex":"[a-z0-9]+@[a-z.]+","replacement":"[EMAIL]"}],
        "add":[{"log_attribute":["tagged"],"value":"yes"}]}}}]}"#;
    let body = r#"[{"timestamp":1700000012345,"dd.trace_id":"123","message":"sent to user1@example.com","status":"info","service":"svc-1","ddtags":"env:prod"},{"message":"no mail","status":"warn"}]"#;
    agree(policies, body);
    let fast = {
        let registry = Arc::new(Registry::new());
        registry.update_source_parsed("t", parse_document(policies, Format::Json).unwrap());
        DatadogModule::new(registry)
    };
    assert_eq!(
        String::from_utf8(forwarded(fast.process(body.as_bytes()), body)).unwrap(),
        r#"[{"timestamp":1700000012345,"dd.trace_id":"123","message":"sent to [EMAIL]","status":"info","service":"svc-1","ddtags":"env:prod","tagged":"yes"},{"message":"no mail","status":"warn"}]"#
    );
}

/// Uniqueness of a record's keys is checked once per record, not once per
/// write: with thousands of keys and a few transforms, a check per write
/// was quadratic work for one small (gzip) request.
#[test]
fn keys_are_checked_for_duplicates_once_per_record() {
    let policies = r#"{"policies":[{"id":"r","name":"r","log":{"match":[{"log_field":"body","contains":"@"}],"keep":"all",
        "transform":{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"}],
        "add":[{"log_attribute":["x1"],"value":"1"},{"log_attribute":["x2"],"value":"2"},{"log_attribute":["x3"],"value":"3"}]}}}]}"#;
    let record = |dup: bool| {
        let mut fields: Vec<String> = (0..2000).map(|n| format!(r#""k{n}":{n}"#)).collect();
        if dup {
            fields.push(r#""k7":"again""#.to_owned());
        }
        format!(r#"{{"message":"mail a@b.com",{}}}"#, fields.join(","))
    };
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("t", parse_document(policies, Format::Json).unwrap());
    let module = DatadogModule::new(registry);
    for dup in [false, true] {
        let body = format!("[{}]", record(dup));
        super::view::UNIQUENESS_CHECKS.with(|n| n.set(0));
        let out = forwarded(module.process(body.as_bytes()), &body);
        assert_eq!(
            super::view::UNIQUENESS_CHECKS.with(|n| n.get()),
            1,
            "dup {dup}"
        );
        let out: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(out[0]["message"], "mail [EMAIL]");
        assert_eq!(out[0]["x3"], "3");
        agree(policies, &body);
    }
}

/// A number `serde_json` cannot hold (beyond f64) in a record: transforms
/// that all edit top-level keys in place are applied with the number kept
/// as written; when one of them needs the map (a rename, a nested path),
/// the record goes out as received rather than with only some of its
/// transforms (a redaction applied, the rename silently not).
#[test]
fn records_with_numbers_beyond_f64_get_all_or_none_of_their_transforms() {
    let module = |transform: &str| {
        let policies = format!(
            r#"{{"policies":[{{"id":"t","name":"t","log":{{"match":[{{"log_field":"body","contains":"@"}}],"keep":"all","transform":{transform}}}}}]}}"#
        );
        let registry = Arc::new(Registry::new());
        registry.update_source_parsed("t", parse_document(&policies, Format::Json).unwrap());
        DatadogModule::new(registry)
    };
    let body = r#"[{"message":"mail a@b.com","n":1e400,"old":"o","nest":{"url":"/a?pw=s"}}]"#;

    let in_place = module(
        r#"{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"}],"add":[{"log_attribute":["x"],"value":"1"}]}"#,
    );
    assert_eq!(
        String::from_utf8(forwarded(in_place.process(body.as_bytes()), body)).unwrap(),
        r#"[{"message":"mail [EMAIL]","n":1e400,"old":"o","nest":{"url":"/a?pw=s"},"x":"1"}]"#
    );

    for needs_map in [
        r#"{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"}],"rename":[{"log_attribute":["old"],"to":"new"}]}"#,
        r#"{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"},{"log_attribute":["nest","url"],"replacement":"[R]"}]}"#,
    ] {
        let m = module(needs_map);
        assert_eq!(
            String::from_utf8(forwarded(m.process(body.as_bytes()), body)).unwrap(),
            body,
            "{needs_map}"
        );
    }
}
