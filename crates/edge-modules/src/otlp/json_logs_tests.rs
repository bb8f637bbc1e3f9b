//! Differential tests of the tree-free OTLP/JSON logs path (`json_logs`)
//! against the tree path (`json::decode` + `edge_policy::otlp_json`):
//! random requests (as generated, normalised, pretty-printed, with escaped
//! keys and strings, mutated) × random policy sets give the same outcome,
//! the same 400s and, for a changed request, a body of the same meaning.

use serde_json::{json, Value};

use super::scan_tests::{
    any_policies, json_request, mutate, mutate_json, one_policy, random_log_policies,
    valid_policies, Rng,
};
use super::*;

/// The tree path's answer.
fn by_tree(snap: &PolicySnapshot, body: &[u8]) -> Result<Processed, Malformed> {
    process_json_tree(snap, Signal::Logs, body)
}

/// Text surgery keeping the meaning: known keys and attribute keys
/// spelled with escapes, whitespace around tokens.
fn disguise(r: &mut Rng, body: &[u8]) -> Vec<u8> {
    let mut text = String::from_utf8(body.to_vec()).expect("utf-8");
    for (plain, escaped) in [
        ("\"body\":", "\"\\u0062ody\":"),
        ("\"key\":", "\"k\\u0065y\":"),
        ("\"attributes\":", "\"attribute\\u0073\":"),
        ("\"stringValue\":", "\"string\\u0056alue\":"),
        ("\"severityText\":", "\"severity\\u0054ext\":"),
        ("\"logRecords\":", "\"logRecord\\u0073\":"),
        ("\"a\"", "\"\\u0061\""),
        ("\"checkout\"", "\"check\\u006Fut\""),
    ] {
        if r.one_in(3) {
            text = text.replace(plain, escaped);
        }
    }
    if r.one_in(2) {
        text = text.replace(',', " ,\n ").replace(':', " :\t");
    }
    text.into_bytes()
}

/// Asserts that the fast path gives what the tree path gives for `body`;
/// returns whether the fast path took it, and how it ended.
fn agree(snap: &PolicySnapshot, body: &[u8], what: &str) -> Option<usize> {
    scan_json::assert_json_walks_agree(Signal::Logs, body);
    if let Some((walked, built)) = json_logs::both_indexes(body) {
        assert_eq!(
            walked,
            built,
            "{what}: index: {}",
            String::from_utf8_lossy(body)
        );
    }
    let fast = json_logs::process(snap, body);
    // Text-only transforms applied on the text write the bytes the `Value`
    // path writes.
    json_logs::TEXT_EDITS_OFF.with(|off| off.set(true));
    let by_values = json_logs::process(snap, body);
    json_logs::TEXT_EDITS_OFF.with(|off| off.set(false));
    assert_eq!(
        format!("{fast:?}"),
        format!("{by_values:?}"),
        "{what}: text edits: {}",
        String::from_utf8_lossy(body)
    );
    let taken = fast.is_some();
    let fast = fast.unwrap_or_else(|| by_tree(snap, body));
    let tree = by_tree(snap, body);
    let text = || String::from_utf8_lossy(body).into_owned();
    let kind = match (&fast, &tree) {
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "{what}: {}", text());
            3
        }
        (Ok(Processed::Unchanged(a)), Ok(Processed::Unchanged(b))) => {
            assert_eq!(a, b, "{what}: {}", text());
            0
        }
        (Ok(Processed::Empty(a)), Ok(Processed::Empty(b))) => {
            assert_eq!(a, b, "{what}: {}", text());
            1
        }
        (Ok(Processed::Modified(a, x)), Ok(Processed::Modified(b, y))) => {
            assert_eq!(a, b, "{what}: {}", text());
            let x: Value = serde_json::from_slice(x).expect("the fast body parses");
            let y: Value = serde_json::from_slice(y).expect("the tree body parses");
            assert_eq!(x, y, "{what}: {}", text());
            2
        }
        _ => panic!("{what}: fast {fast:?} vs tree {tree:?}: {}", text()),
    };
    taken.then_some(kind)
}

/// The body the normaliser makes of `doc` (no alias, no big number, no
/// uppercase identifier left): the kind of body the fast path takes.
fn normalised(doc: &Value) -> Option<Vec<u8>> {
    let body = serde_json::to_vec(doc).ok()?;
    json::decode(&body, Signal::Logs)
        .ok()
        .map(|v| serde_json::to_vec(&v).expect("serialises"))
}

/// A random logs request with more records than `json_request` gives:
/// the resources of a few of them.
fn logs_request(r: &mut Rng) -> Value {
    let mut doc = json_request(r, Signal::Logs);
    for _ in 0..3 {
        let more = json_request(r, Signal::Logs);
        let (Some(Value::Array(to)), Some(Value::Array(from))) =
            (doc.get_mut("resourceLogs"), more.get("resourceLogs"))
        else {
            continue;
        };
        to.extend(from.iter().cloned());
    }
    doc
}

/// Drops and transforms (of records, resources and scopes, one read by a
/// later drop) over the words `json_request` uses.
fn mixed_policies() -> Arc<edge_policy::Registry> {
    let doc = json!({"policies":[
        {"id":"drop-event","name":"e","log":{"match":[{"log_field":"event_name","exact":"a"}],"keep":"none"}},
        {"id":"drop-body","name":"b","log":{"match":[{"log_field":"body","contains":"日本"}],"keep":"none"}},
        {"id":"tag","name":"t","log":{"match":[{"log_attribute":["checkout"],"exists":true}],"keep":"all",
            "transform":{"add":[{"log_attribute":["edge"],"value":"1"}],
                "redact":[{"log_field":"body","regex":"é+","replacement":"E"}]}}},
        {"id":"mark","name":"m","log":{"match":[{"log_field":"event_name","exact":"x y"}],"keep":"all",
            "transform":{"add":[{"resource_attribute":["marked"],"value":"1"},{"scope_attribute":["marked"],"value":"1"}],
                "remove":[{"log_field":"body"}]}}},
        {"id":"drop-marked","name":"d","log":{"match":[{"resource_attribute":["marked"],"exists":true},
            {"log_field":"event_name","exact":"checkout"}],"keep":"none"}}
    ]});
    valid_policies(&doc)
}

#[test]
fn json_logs_mean_what_the_tree_gives() {
    let mut r = Rng(0x5eed_0007);
    let fixed = mixed_policies();
    // Per fast-path ending (unchanged, empty, modified, 400) how often.
    let mut fast = [0usize; 4];
    let mut handed_over = 0;
    let mut changes = [0usize; 2];
    for round in 0..1500 {
        let registry = if round % 2 == 0 {
            random_log_policies(&mut r)
        } else {
            fixed.clone()
        };
        let snap = registry.snapshot();
        let doc = logs_request(&mut r);
        let mut bodies = vec![serde_json::to_vec(&doc).unwrap()];
        if let Some(n) = normalised(&doc) {
            bodies.push(disguise(&mut r, &n));
            bodies.push(n);
        }
        if round % 4 == 0 {
            bodies.push(mutate_json(&mut r, &doc));
            let last = bodies[bodies.len() - 1].clone();
            bodies.push(mutate(&mut r, &last));
        }
        for body in &bodies {
            match agree(&snap, body, &format!("round {round}")) {
                Some(k) => {
                    fast[k] += 1;
                    if k == 2 {
                        if let Ok(Processed::Modified(o, _)) = by_tree(&snap, body) {
                            changes[0] += usize::from(o.dropped > 0);
                            changes[1] += usize::from(o.modified > 0);
                        }
                    }
                }
                None => handed_over += 1,
            }
        }
    }
    eprintln!("fast {fast:?} changes {changes:?} handed over {handed_over}");
    assert!(fast[..3].iter().all(|&k| k > 300), "{fast:?}");
    assert!(changes.iter().all(|&k| k > 100), "{changes:?}");
    assert!(handed_over > 1000, "{handed_over}");
}

/// Bodies the normaliser rewrites, or that are not valid, go to the tree
/// path before any record is evaluated.
#[test]
fn json_logs_hand_over_what_the_normaliser_rewrites() {
    let registry = one_policy(json!({"id":"d","name":"d","log":{"match":[
        {"log_field":"severity_text","exact":"drop"}],"keep":"none"}}));
    let snap = registry.snapshot();
    for body in [
        r#"{"resource_logs":[]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"log_records":[{}]}]}]}"#,
        r#"{"resourceLogs":[{"instrumentationLibraryLogs":[{"logRecords":[{}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":9007199254740993}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"spanId":"ABCDEF0123456789"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityText":"drop","severityText":"x"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"zz"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{}]}]}]"#,
    ] {
        assert!(
            json_logs::process(&snap, body.as_bytes()).is_none(),
            "{body}"
        );
        agree(&snap, body.as_bytes(), body);
    }
    // Numbers up to 2^53 and lowercase identifiers stay on the fast path.
    let body = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":9007199254740992,"spanId":"abcdef0123456789"}]}]}]}"#;
    assert!(json_logs::process(&snap, body.as_bytes()).is_some());
}

/// Kept records, scopes and resources are forwarded as received (spacing,
/// escapes, unknown fields); dropped records and the scopes and resources
/// they leave empty go, and so do the empty ones the tree path removes.
#[test]
fn json_logs_forward_kept_records_as_received() {
    let registry = one_policy(json!({"id":"d","name":"d","log":{"match":[
        {"log_field":"severity_text","exact":"drop"}],"keep":"none"}}));
    let snap = registry.snapshot();
    let kept = r#"{ "severityText" : "keep", "body":{"stringValue":"caf\u00e9 \"x\""}, "future": [1, {"a": null}] }"#;
    let body = format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[]}},"scopeLogs":[{{"scope":{{"name":"s"}},"logRecords":[{kept}, {{"severityText":"drop"}}]}},{{"logRecords":[]}}],"x":1}},{{"scopeLogs":[{{"logRecords":[{{"severityText":"drop"}}]}}]}},{{"scopeLogs":[]}}],"other":true}}"#
    );
    let Some(Ok(Processed::Modified(o, out))) = json_logs::process(&snap, body.as_bytes()) else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.dropped, o.modified), (3, 2, 0));
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out,
        format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":[]}},"scopeLogs":[{{"scope":{{"name":"s"}},"logRecords":[{kept}]}}],"x":1}}],"other":true}}"#
        )
    );
    agree(&snap, body.as_bytes(), "kept");
    // Nothing dropped: the original bytes.
    let body = format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{kept}]}}]}}]}}"#);
    assert!(matches!(
        json_logs::process(&snap, body.as_bytes()),
        Some(Ok(Processed::Unchanged(_)))
    ));
}

/// A transform changes the record (written again) and the resource and
/// scope (seen by the following records, written once). Records are
/// matched in order against the resource and scope as the transforms of the
/// records before them left them: that is what the spec's executable model
/// does (the generated conformance case `logs_gen_0070` fails when records
/// are matched on the resource as it arrived).
#[test]
fn json_logs_transforms_reach_resources_and_scopes() {
    let doc = json!({"policies":[
        {"id":"mark","name":"m","log":{"match":[{"log_field":"severity_text","exact":"mark"}],"keep":"all",
            "transform":{"add":[{"resource_attribute":["marked"],"value":"1"},
                                {"scope_attribute":["marked"],"value":"1"},
                                {"log_attribute":["edge"],"value":"1"}]}}},
        {"id":"drop-marked","name":"d","log":{"match":[{"resource_attribute":["marked"],"exists":true},
            {"log_field":"severity_text","exact":"a"}],"keep":"none"}}
    ]});
    let registry = any_policies(&doc);
    let snap = registry.snapshot();
    let body = br#"{"resourceLogs":[{"scopeLogs":[
        {"logRecords":[{"severityText":"a"},{"severityText":"mark","u":1}]},
        {"scope":null,"logRecords":[{"severityText":"a"},{"severityText":"b"}]}]}]}"#;
    let Some(Ok(Processed::Modified(o, out))) = json_logs::process(&snap, body) else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.dropped, o.modified), (4, 1, 1));
    let out: Value = serde_json::from_slice(&out).unwrap();
    let rl = &out["resourceLogs"][0];
    assert_eq!(rl["resource"]["attributes"][0]["key"], "marked");
    assert_eq!(
        rl["scopeLogs"][0]["scope"]["attributes"][0]["key"],
        "marked"
    );
    assert_eq!(rl["scopeLogs"][0]["logRecords"][1]["u"], 1);
    assert_eq!(rl["scopeLogs"][1]["logRecords"][0]["severityText"], "b");
    agree(&snap, body, "transforms");
}

/// A large resource attribute with escapes shared by many records is
/// parsed once per resource, not once per record (reading it on the text
/// for each record cost records × attribute bytes: seconds for half a
/// megabyte).
#[test]
fn json_logs_read_resource_and_scope_attributes_once() {
    let registry = one_policy(json!(
        {"id":"e","name":"e","log":{"match":[{"resource_attribute":["service.name"],"exists":true},
            {"scope_attribute":["lib"],"exists":true}],"keep":"all"}}));
    let snap = registry.snapshot();
    let big = "\\n".repeat(4096);
    let records = vec!["{}"; 500].join(",");
    let body = format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{big}"}}}}]}},
            "scopeLogs":[{{"scope":{{"attributes":[{{"key":"lib","value":{{"stringValue":"{big}"}}}}]}},"logRecords":[{records}]}}]}}]}}"#
    );
    json_logs::STUBS_PARSED.with(|n| n.set(0));
    let Some(Ok(Processed::Unchanged(o))) = json_logs::process(&snap, body.as_bytes()) else {
        panic!("expected an unchanged body");
    };
    assert_eq!(o.records, 500);
    // One resource and one scope.
    assert_eq!(json_logs::STUBS_PARSED.with(|n| n.get()), 2);
    agree(&snap, body.as_bytes(), "big shared attributes");
}

/// Short resource and scope attribute lists with plain values are read on
/// the text: no stub is parsed (a small request spent a quarter of its
/// module time parsing its resource), and the answers are the tree path's,
/// first occurrence of a repeated key, nested `kvlistValue`s, typed values
/// and a missing value included. An escaped value, a `bytesValue`, a long
/// list or a large resource makes the wrapper parsed once, as before.
#[test]
fn json_logs_read_short_resource_attributes_on_the_text() {
    let doc = json!({"policies":[
        {"id":"a","name":"a","log":{"match":[{"resource_attribute":["service.name"],"exact":"api"}],"keep":"none"}},
        {"id":"b","name":"b","log":{"match":[{"resource_attribute":["k8s","pod"],"starts_with":"web-"}],"keep":"none"}},
        {"id":"c","name":"c","log":{"match":[{"scope_attribute":["n"],"regex":"^4[0-9]$"}],"keep":"none"}},
        {"id":"d","name":"d","log":{"match":[{"scope_attribute":["gone"],"exists":true}],"keep":"none"}},
        {"id":"e","name":"e","log":{"match":[{"resource_attribute":["dup"],"exact":"first"},
            {"log_field":"body","contains":"dup"}],"keep":"none"}},
        {"id":"f","name":"f","log":{"match":[{"resource_attribute":["absent"],"exists":false}],"keep":"all"}}
    ]});
    let registry = any_policies(&doc);
    let snap = registry.snapshot();
    let resource = |attrs: &str| {
        format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":{attrs}}},"scopeLogs":[
            {{"scope":{{"name":"s","attributes":[{{"key":"n","value":{{"intValue":"42"}}}},{{"key":"gone"}}]}},
              "logRecords":[{{"body":{{"stringValue":"one"}}}},{{"body":{{"stringValue":"dup"}}}}]}},
            {{"scope":{{"attributes":[{{"key":"n","value":{{"intValue":7}}}}]}},
              "logRecords":[{{"body":{{"stringValue":"two"}}}},{{"body":{{"stringValue":"dup"}}}}]}}]}}]}}"#
        )
    };
    let plain = [
        r#"[{"key":"service.name","value":{"stringValue":"api"}}]"#,
        r#"[{"key":"service.name","value":{"stringValue":"web"}},{"key":"dup","value":{"stringValue":"first"}},{"key":"dup","value":{"stringValue":"second"}}]"#,
        r#"[{"key":"dup","value":{"stringValue":"second"}},{"key":"dup","value":{"stringValue":"first"}}]"#,
        r#"[{"key":"k8s","value":{"kvlistValue":{"values":[{"key":"pod","value":{"stringValue":"web-1"}}]}}}]"#,
        r#"[{"key":"k8s","value":{"kvlistValue":{"values":[{"key":"pod","value":{"stringValue":"db-1"}}]}}},{"key":"service.name","value":{"boolValue":true}}]"#,
        r#"[{"key":"service.name"},{"key":"service.name","value":{"stringValue":"api"}}]"#,
    ];
    let many: Vec<String> = (0..20)
        .map(|i| format!(r#"{{"key":"k{i}","value":{{"stringValue":"v"}}}}"#))
        .collect();
    let many = format!(
        r#"[{},{{"key":"service.name","value":{{"stringValue":"api"}}}}]"#,
        many.join(",")
    );
    // A large plain value: read through the stub, since some conditions
    // (`exists: false`, policy f) look again for every record.
    let large = format!(
        r#"[{{"key":"service.name","value":{{"stringValue":"{}"}}}}]"#,
        "a".repeat(4096)
    );
    let parsed = [
        r#"[{"key":"service.name","value":{"stringValue":"a\u0070i"}}]"#,
        r#"[{"key":"service.name","value":{"bytesValue":"YXBp"}}]"#,
        many.as_str(),
        large.as_str(),
    ];
    let cases = plain.iter().map(|a| (*a, 0)).chain(parsed.map(|a| (a, 1)));
    for (attrs, stubs) in cases {
        let body = resource(attrs);
        json_logs::STUBS_PARSED.with(|n| n.set(0));
        assert!(
            json_logs::process(&snap, body.as_bytes()).is_some_and(|r| r.is_ok()),
            "{attrs}"
        );
        assert_eq!(json_logs::STUBS_PARSED.with(|n| n.get()), stubs, "{attrs}");
        agree(&snap, body.as_bytes(), attrs);
    }
}

/// Many records sharing a resource and a scope with many attributes: each
/// attribute list is indexed once per request (not scanned for every
/// record), also when a transform that touches only the record's text runs
/// on every record; a transform that changes the resource rebuilds the
/// index, and later records see the change.
#[test]
fn json_logs_index_shared_attributes_once() {
    let attrs: Vec<Value> = (0..300)
        .map(|i| json!({"key": format!("k{i}"), "value": {"stringValue": "v"}}))
        .collect();
    let records: Vec<Value> = (0..400)
        .map(|i| json!({"body": {"stringValue": format!("user{i}@example.com")}}))
        .collect();
    let body = json!({"resourceLogs":[{"resource":{"attributes": attrs.clone()},
        "scopeLogs":[{"scope":{"attributes": attrs},"logRecords": records}]}]})
    .to_string();
    let doc = json!({"policies":[
        {"id":"a","name":"a","log":{"match":[{"resource_attribute":["absent"],"exists":true}],"keep":"none"}},
        {"id":"b","name":"b","log":{"match":[{"scope_attribute":["k299"],"exact":"other"}],"keep":"none"}},
        {"id":"c","name":"c","log":{"match":[{"log_field":"body","contains":"@"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"[a-z0-9]+@","replacement":"x@"}]}}}
    ]});
    let registry = any_policies(&doc);
    let snap = registry.snapshot();
    json_logs::INDEXES_BUILT.with(|n| n.set(0));
    let Some(Ok(Processed::Modified(o, _))) = json_logs::process(&snap, body.as_bytes()) else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.dropped, o.modified), (400, 0, 400));
    assert_eq!(json_logs::INDEXES_BUILT.with(|n| n.get()), 2);
    agree(
        &snap,
        body.as_bytes(),
        "shared attributes, text-only transform",
    );

    // A transform that adds a resource attribute: seen by the next record.
    let registry = one_policy(json!(
        {"id":"m","name":"m","log":{"match":[{"resource_attribute":["seen"],"exists":false}],"keep":"all",
            "transform":{"add":[{"resource_attribute":["seen"],"value":"1"}]}}}));
    let snap = registry.snapshot();
    let Some(Ok(Processed::Modified(o, _))) = json_logs::process(&snap, body.as_bytes()) else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.modified), (400, 1));
    agree(&snap, body.as_bytes(), "resource transform");
}

/// Transforms of the body, severity text and event name alone are applied
/// on the record's text when `serde_json` would write the record as it is,
/// and give the bytes the `Value` path gives; any other record (spacing,
/// escapes `serde_json` does not write, floats, `-0`, integers beyond
/// 64 bits, duplicate keys, deep nesting) takes the `Value` path.
#[test]
fn json_logs_text_transforms_write_what_serde_json_writes() {
    let registry = valid_policies(&json!({"policies":[
        {"id":"a-redact","name":"a","log":{"match":[{"log_field":"body","regex":"[aeé]"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"[aé]+","replacement":"<A\\\"\\u0001>"},
                {"log_field":"event_name","replacement":"hidden"}]}}},
        {"id":"b-remove","name":"b","log":{"match":[{"log_field":"severity_text","regex":"[a-m]"}],"keep":"all",
            "transform":{"remove":[{"log_field":"severity_text"},{"log_field":"body"}]}}},
        {"id":"c-add","name":"c","log":{"match":[{"log_field":"event_name","exists":true}],"keep":"all",
            "transform":{"add":[{"log_field":"body","value":"added","upsert":false},
                {"log_field":"severity_text","value":"","upsert":true},
                {"log_field":"event_name","value":"ev","upsert":true}]}}},
        {"id":"d-drop","name":"d","log":{"match":[{"log_field":"body","contains":"<A"},
            {"log_field":"severity_text","exact":"x"}],"keep":"none"}}
    ]}));
    let snap = registry.snapshot();
    let record = |r: &mut Rng| -> String {
        let mut members = vec![
            r#""timeUnixNano":"1700000000000000000""#.to_owned(),
            r#""severityNumber":9"#.to_owned(),
        ];
        if !r.one_in(4) {
            members.push(format!(
                r#""severityText":{}"#,
                json!(["a", "x", "INFO", "é"][r.below(4)])
            ));
        }
        if !r.one_in(4) {
            members.push(format!(
                r#""body":{{"stringValue":{}}}"#,
                json!(["a cat", "é", "plain", "", "tab\there"][r.below(5)])
            ));
        }
        if r.one_in(2) {
            members.push(format!(
                r#""eventName":{}"#,
                json!(["e", "", "a"][r.below(3)])
            ));
        }
        if r.one_in(2) {
            members.push(r#""attributes":[{"key":"k","value":{"intValue":-12}},{"key":"n","value":{"arrayValue":{"values":[{"boolValue":true},{}]}}}]"#.to_owned());
        }
        // What `serde_json` would not write again as it is (or, for the
        // last ones, would).
        let odd = [
            r#""x": 1"#,
            r#""x":"\/""#,
            r#""x":"\u0041""#,
            r#""x":"\u000a""#,
            r#""x":"\u001F""#,
            r#""x":1.0"#,
            r#""x":1e3"#,
            r#""x":-0"#,
            r#""x":18446744073709551616"#,
            r#""x":-9223372036854775809"#,
            r#""x":{"a":1,"a":2}"#,
            r#""severityNumber":10"#,
            r#""x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
            r#""x":"\u001f\u0000\n\"\\\b\f\r\t\u00e9é""#,
            r#""x":-9223372036854775808"#,
            r#""x":18446744073709551615"#,
            r#""x":[{},[],null,true,false,0,-1]"#,
        ];
        if r.one_in(3) {
            let at = r.below(members.len() + 1);
            members.insert(at, odd[r.below(odd.len())].to_owned());
        }
        let (a, b) = (r.below(members.len() + 1), r.below(members.len() + 1));
        let last = members.len() - 1;
        members.swap(a.min(last), b.min(last));
        format!("{{{}}}", members.join(","))
    };
    let mut r = Rng(0x5eed_0011);
    json_logs::TEXT_EDITS.with(|c| c.set(0));
    let mut modified = 0;
    for round in 0..600 {
        let records: Vec<String> = (0..1 + r.below(6)).map(|_| record(&mut r)).collect();
        let body = format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"s"}}}}]}},"scopeLogs":[{{"scope":{{"name":"n"}},"logRecords":[{}]}}]}}]}}"#,
            records.join(",")
        );
        if agree(&snap, body.as_bytes(), &format!("round {round}")) == Some(2) {
            modified += 1;
        }
    }
    let edits = json_logs::TEXT_EDITS.with(|c| c.get());
    assert!(modified > 200 && edits > 400, "{modified} {edits}");
}

/// A random JSON value for [`json_logs_text_edits_agree_on_random_values`]:
/// strings with every character `serde_json` escapes (and some it does not),
/// integers at the `i64` / `u64` edges, floats (`-0.0` too), nesting.
fn random_json_value(r: &mut Rng, depth: usize) -> Value {
    let chars = [
        'a', 'q', '"', '\\', '/', '\u{0}', '\u{1f}', '\n', '\t', '\u{8}', '\u{c}', '\r', '\u{7f}',
        'é', '\u{2028}', '😀', ' ', 'b', 'c',
    ];
    let s = |r: &mut Rng| -> String {
        (0..r.below(6))
            .map(|_| chars[r.below(chars.len())])
            .collect()
    };
    match r.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(r.one_in(2)),
        2 => json!([0i64, -1, i64::MIN, i64::MAX][r.below(4)]),
        3 => json!([u64::MAX, 1u64 << 63, 0][r.below(3)]),
        4 => json!([1.5f64, -0.0, 1e300, 0.1, 100.0][r.below(5)]),
        5 => Value::String(s(r)),
        6 => Value::Array(
            (0..r.below(4))
                .map(|_| random_json_value(r, depth + 1))
                .collect(),
        ),
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..r.below(4) {
                let k = [
                    "stringValue",
                    "intValue",
                    "boolValue",
                    "kvlistValue",
                    "values",
                    "key",
                    "value",
                    "x",
                ][r.below(8)];
                let k = if r.one_in(5) { s(r) } else { k.to_owned() };
                m.insert(k, random_json_value(r, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// Records `serde_json` writes of random values (some then spelled in
/// ways it does not write: `\u001F`, `\/`, a space, `\u00e9`, `\u000a`),
/// under text-only transforms reading and writing body, severity text and
/// event name of any type: the text path writes the bytes the `Value` path
/// writes.
#[test]
fn json_logs_text_edits_agree_on_random_values() {
    let registry = valid_policies(&json!({"policies":[
        {"id":"a","name":"a","log":{"match":[{"log_field":"body","regex":"q"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","replacement":"R\u{1}\"é\u{7f}\u{2028}/"}]}}},
        {"id":"b","name":"b","log":{"match":[{"log_field":"severity_text","exists":true}],"keep":"all",
            "transform":{"remove":[{"log_field":"body"},{"log_field":"event_name"}],
              "add":[{"log_field":"body","value":"nb","upsert":false}]}}},
        {"id":"c","name":"c","log":{"match":[{"log_field":"event_name","exists":true}],"keep":"all",
            "transform":{"add":[{"log_field":"severity_text","value":"S","upsert":true},
                {"log_field":"event_name","value":"","upsert":true}]}}},
        {"id":"d","name":"d","log":{"match":[{"log_field":"body","regex":"[a-z]"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"[a-c]","replacement":"\\\\$0"},
              {"log_field":"severity_text","regex":".","replacement":"x"}],
              "remove":[{"log_field":"severity_text"}]}}},
        {"id":"e","name":"e","log":{"match":[{"resource_attribute":["service.name"],"exists":true}],"keep":"all",
            "transform":{"add":[{"log_field":"event_name","value":"E","upsert":false}]}}}
    ]}));
    let snap = registry.snapshot();
    let mut r = Rng(0x7e57_0001);
    json_logs::TEXT_EDITS.with(|c| c.set(0));
    let mut taken = 0;
    for round in 0..8000 {
        let mut recs = Vec::new();
        for _ in 0..1 + r.below(3) {
            let mut m = serde_json::Map::new();
            for _ in 0..r.below(5) {
                let k = [
                    "body",
                    "severityText",
                    "eventName",
                    "x",
                    "attributes",
                    "timeUnixNano",
                    "y",
                ][r.below(7)];
                let v = match (k, r.below(3)) {
                    ("body", 0) => json!({"stringValue": random_json_value(&mut r, 3)}),
                    ("severityText" | "eventName", 0) => {
                        Value::String(["a", "", "q", "é\u{1}"][r.below(4)].into())
                    }
                    _ => random_json_value(&mut r, 0),
                };
                m.insert(k.to_owned(), v);
            }
            let mut t = serde_json::to_string(&Value::Object(m)).unwrap();
            match r.below(12) {
                0 => t = t.replacen("\\u001f", "\\u001F", 1),
                1 => t = t.replacen('/', "\\/", 1),
                2 => t = t.replacen(":", ": ", 1),
                3 => t = t.replacen("é", "\\u00e9", 1),
                4 => t = t.replacen("\\n", "\\u000a", 1),
                _ => {}
            }
            recs.push(t);
        }
        let body = format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"s"}}}}]}},"scopeLogs":[{{"scope":{{"name":"n"}},"logRecords":[{}]}}]}}]}}"#,
            recs.join(",")
        );
        if agree(&snap, body.as_bytes(), &format!("round {round}")).is_some() {
            taken += 1;
        }
    }
    let edits = json_logs::TEXT_EDITS.with(|c| c.get());
    assert!(taken > 1000 && edits > 1000, "{taken} {edits}");
}
