//! Field cases (shared/field-cases/FIELD_CASES.md) that concern the policy
//! engine, rewritten as tests over OTLP/JSON documents.

use edge_policy::otlp_json::process_logs;
use edge_policy::parse::{parse_document, Format};
use edge_policy::{PolicySnapshot, Registry};
use serde_json::{json, Value};
use std::sync::Arc;

fn snap(doc: &str) -> Arc<PolicySnapshot> {
    let parsed = parse_document(doc, Format::Json).expect("document");
    PolicySnapshot::from_policies(parsed.policies)
}

fn logs(records: Vec<Value>) -> Value {
    json!({"resourceLogs": [{"resource": {}, "scopeLogs": [{"logRecords": records}]}]})
}

fn bodies(doc: &Value) -> Vec<Value> {
    doc["resourceLogs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["scopeLogs"].as_array().cloned().unwrap_or_default())
        .flat_map(|s| s["logRecords"].as_array().cloned().unwrap_or_default())
        .map(|r| r.get("body").cloned().unwrap_or(Value::Null))
        .collect()
}

fn body(s: &str) -> Value {
    json!({"body": {"stringValue": s}})
}

/// Field case 18 (RE-UNSUPPORTED-SYNTAX): lookaround and backreferences are rejected per
/// policy (RE2 syntax), the valid policy stays active.
#[test]
fn re_unsupported_syntax_is_rejected_per_policy() {
    let registry = Registry::new();
    let parsed = parse_document(
        r#"{"policies":[
   {"id":"pw","name":"pw","log":{"match":[{"log_field":"body","regex":"^(?=.*[0-9])(?=.*[a-z]).{12,}$"}],"keep":"none"}},
   {"id":"br","name":"br","log":{"match":[{"log_field":"body","regex":"(ab)-\\1"}],"keep":"none"}},
   {"id":"ok","name":"ok","log":{"match":[{"log_field":"body","regex":"timeout after [0-9]+ms"}],"keep":"none"}}]}"#,
        Format::Json,
    )
    .unwrap();
    registry.update_source_parsed("file", parsed);
    let st = registry.policy_statuses();
    let err = |id: &str| st.iter().find(|s| s.id == id).unwrap().errors.clone();
    assert!(err("pw")[0]
        .starts_with(r#"log: match[0]: invalid regex "^(?=.*[0-9])(?=.*[a-z]).{12,}$""#));
    assert!(err("br")[0].starts_with(r#"log: match[0]: invalid regex "(ab)-\1""#));
    assert!(err("ok").is_empty());
    let mut doc = logs(vec![
        body("GET /x: timeout after 30ms"),
        body("ab-ab aaaaaaaaaaaa1"),
    ]);
    process_logs(&registry.snapshot(), &mut doc);
    assert_eq!(
        bodies(&doc),
        vec![json!({"stringValue": "ab-ab aaaaaaaaaaaa1"})]
    );
}

/// Field case 19 (RE-EMPTY-MATCH). Spec §1.4.3 / §4.8(27): an empty body is absent (no
/// string view), so no string matcher matches it — this deliberately differs
/// from the field case's "`^$` matches `""`", which the conformance suite
/// contradicts. Present strings follow RE2 semantics.
#[test]
fn re_empty_match_semantics() {
    let cases: &[(&str, [bool; 4])] = &[
        // body: "", "   ", "abc", missing
        (".*", [false, true, true, false]),
        ("^$", [false, false, false, false]),
        ("(^|x)", [false, true, true, false]),
        ("a?", [false, true, true, false]),
        (r"^\s*$", [false, true, false, false]),
    ];
    for (pattern, want) in cases {
        let s = snap(&json!({"policies": [{"id": "p", "log": {"match": [{"log_field": "body", "regex": pattern}], "keep": "none"}}]}).to_string());
        let mut doc = logs(vec![
            body(""),
            body("   "),
            body("abc"),
            json!({"severityText": "x"}),
        ]);
        process_logs(&s, &mut doc);
        let kept = bodies(&doc);
        let dropped: Vec<bool> = [
            json!({"stringValue": ""}),
            json!({"stringValue": "   "}),
            json!({"stringValue": "abc"}),
            Value::Null,
        ]
        .iter()
        .map(|b| !kept.contains(b))
        .collect();
        assert_eq!(dropped, want.to_vec(), "pattern {pattern}");
    }
}

/// Field case 20 (RE-REDACT-SPANS): leftmost-first, non-overlapping replacement.
#[test]
fn re_redact_spans() {
    let s = snap(
        r#"{"policies":[{"id":"mask-email","name":"mask-email","log":{"match":[{"log_field":"body","contains":"@"}],
   "transform":{"redact":[{"log_field":"body",
     "regex":"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}","replacement":"[EMAIL]"}]}}}]}"#,
    );
    let mut doc = logs(vec![body(
        "contact alice@example.com, bob@example.org; x@y",
    )]);
    process_logs(&s, &mut doc);
    assert_eq!(
        bodies(&doc),
        vec![json!({"stringValue": "contact [EMAIL], [EMAIL]; x@y"})]
    );
}

/// Field case 21 (POL-MISSING-FIELD): type mismatch and missing paths are non-matches;
/// negate inverts.
#[test]
fn pol_missing_field() {
    let rec = |msg: &str, attrs: Value| json!({"body": {"stringValue": msg}, "attributes": attrs});
    let input = || {
        logs(vec![
            rec("a", json!([])),
            rec(
                "b",
                json!([{"key": "http", "value": {"stringValue": "500"}}]),
            ),
            rec(
                "c",
                json!([{"key": "http", "value": {"kvlistValue": {"values": [{"key": "status_code", "value": {"stringValue": "503"}}]}}}]),
            ),
            rec(
                "d",
                json!([
                {"key": "http", "value": {"kvlistValue": {"values": [{"key": "status_code", "value": {"intValue": 503}}]}}},
                {"key": "env", "value": {"stringValue": "prod"}}]),
            ),
        ])
    };
    let s = snap(
        r#"{"policies":[{"id":"drop-5xx","name":"drop-5xx","log":{"match":[{"log_attribute":["http","status_code"],"gte":500}],"keep":"none"}}]}"#,
    );
    let mut doc = input();
    process_logs(&s, &mut doc);
    let names: Vec<Value> = bodies(&doc);
    assert_eq!(
        names,
        vec![
            json!({"stringValue": "a"}),
            json!({"stringValue": "b"}),
            json!({"stringValue": "c"})
        ]
    );
    let s = snap(
        r#"{"policies":[{"id":"drop-non-prod","name":"drop-non-prod","log":{"match":[{"log_attribute":["env"],"equals":"prod","negate":true}],"keep":"none"}}]}"#,
    );
    let mut doc = input();
    process_logs(&s, &mut doc);
    assert_eq!(bodies(&doc), vec![json!({"stringValue": "d"})]);
    assert_eq!(s.statuses()[0].match_hits, 3);
}

/// Field case 22 (POL-REDACT-NON-STRING). Rule (spec §1.8.3): without a regex the whole
/// value of any type is replaced; with a regex only string values are
/// rewritten (arrays/maps/ints are left as they are); rules are independent.
#[test]
fn pol_redact_non_string() {
    let s = snap(
        r#"{"policies":[{"id":"r","log":{"match":[{"log_field":"body","exists":true}],"transform":{"redact":[
            {"log_attribute":["emails"],"regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"},
            {"log_attribute":["ctx","email"],"regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"},
            {"log_attribute":["card"],"replacement":"[CARD]"}]}}}]}"#,
    );
    let mut doc = logs(vec![json!({"body": {"stringValue": "m"}, "attributes": [
        {"key": "emails", "value": {"arrayValue": {"values": [{"stringValue": "alice@example.com"}]}}},
        {"key": "ctx", "value": {"kvlistValue": {"values": [{"key": "email", "value": {"stringValue": "bob@example.org"}}]}}},
        {"key": "card", "value": {"intValue": "4111111111111111"}}
    ]})]);
    process_logs(&s, &mut doc);
    let attrs = &doc["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["attributes"];
    assert_eq!(
        attrs[0]["value"],
        json!({"arrayValue": {"values": [{"stringValue": "alice@example.com"}]}})
    );
    assert_eq!(
        attrs[1]["value"]["kvlistValue"]["values"][0]["value"],
        json!({"stringValue": "[EMAIL]"})
    );
    assert_eq!(attrs[2]["value"], json!({"stringValue": "[CARD]"}));
}

/// Field case 23 (POL-SAMPLE-NO-KEY): 100% keeps everything with or without a key;
/// records without the key are sampled at random; sequential keys land near
/// the configured rate.
#[test]
fn pol_sample_no_key() {
    let s = snap(
        r#"{"policies":[
        {"id":"s100","name":"s100","log":{"match":[{"log_field":"body","regex":"^a"}],"keep":"100%","sample_key":{"log_field":"trace_id"}}},
        {"id":"s10","name":"s10","log":{"match":[{"log_field":"body","regex":"^b"}],"keep":"10%","sample_key":{"log_attribute":["request_id"]}}}]}"#,
    );
    let mut doc = logs((0..10_000).map(|_| body("a")).collect());
    process_logs(&s, &mut doc);
    assert_eq!(bodies(&doc).len(), 10_000);
    let keyed = |i: usize| json!({"body": {"stringValue": "b"}, "attributes": [{"key": "request_id", "value": {"stringValue": format!("r-{i:04}")}}]});
    let mut doc = logs((0..10_000).map(keyed).collect());
    process_logs(&s, &mut doc);
    let n = bodies(&doc).len();
    assert!((900..=1100).contains(&n), "keyed kept {n}");
    let mut again = logs((0..10_000).map(keyed).collect());
    process_logs(&s, &mut again);
    assert_eq!(bodies(&again).len(), n, "keyed decisions are stable");
    let mut doc = logs((0..10_000).map(|_| body("b")).collect());
    process_logs(&s, &mut doc);
    let n = bodies(&doc).len();
    assert!((700..=1300).contains(&n), "unkeyed kept {n}");
}
