//! The Datadog module against the real policy engine, without any server.

use std::sync::Arc;

use bytes::Bytes;
use edge_modules::{DatadogModule, ProxyModule, RequestAction, RequestParts};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::Value;

fn module(policies: &str) -> (DatadogModule, Arc<Registry>) {
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("test", parse_document(policies, Format::Json).unwrap());
    (DatadogModule::new(registry.clone()), registry)
}

fn run(m: &DatadogModule, body: &str) -> RequestAction {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let req = RequestParts {
        method: &Method::POST,
        path: "/api/v2/logs",
        query: None,
        headers: &headers,
    };
    assert!(m.inspects_request_body(&req));
    m.on_request(&req, body.as_bytes())
}

fn kept_messages(action: RequestAction, original: &str) -> Vec<String> {
    let body: Bytes = match action {
        RequestAction::ForwardOriginal => Bytes::copy_from_slice(original.as_bytes()),
        RequestAction::ForwardModified(b) => b,
        RequestAction::Respond(r) => {
            assert_eq!(r.status, StatusCode::ACCEPTED);
            assert_eq!(&r.body[..], b"{}");
            return Vec::new();
        }
    };
    let v: Value = serde_json::from_slice(&body).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap().to_owned())
        .collect()
}

/// Field case 21: a missing path, a path through a string and a string
/// "503" never match a numeric matcher; negate inverts presence too.
#[test]
fn missing_fields_never_count_as_matches() {
    let records = r#"[{"message":"a"},{"message":"b","http":"500"},
        {"message":"c","http":{"status_code":"503"}},
        {"message":"d","http":{"status_code":503},"env":"prod"}]"#;
    let (m, _) = module(
        r#"{"policies":[{"id":"drop-5xx","name":"drop-5xx","log":{"match":[{"log_attribute":["http","status_code"],"gte":500}],"keep":"none"}}]}"#,
    );
    assert_eq!(kept_messages(run(&m, records), records), ["a", "b", "c"]);
    let (m, _) = module(
        r#"{"policies":[{"id":"drop-non-prod","name":"drop-non-prod","log":{"match":[{"log_attribute":["env"],"equals":"prod","negate":true}],"keep":"none"}}]}"#,
    );
    assert_eq!(kept_messages(run(&m, records), records), ["d"]);
}

#[test]
fn resource_attributes_and_tags_follow_the_datadog_mapping() {
    let records = r#"[{"message":"1","service":"checkout","hostname":"h1","ddtags":"env:prod,team:pay"},
        {"message":"2","service":"cart","hostname":"h2","ddtags":"env:dev"},
        {"message":"3","service":"checkout","ddtags":"env:dev"}]"#;
    let (m, _) = module(
        r#"{"policies":[{"id":"p","name":"p","log":{"match":[
            {"resource_attribute":["service.name"],"exact":"checkout"},
            {"log_attribute":["ddtags","env"],"exact":"dev"}],"keep":"none"}}]}"#,
    );
    assert_eq!(kept_messages(run(&m, records), records), ["1", "2"]);
    let (m, _) = module(
        r#"{"policies":[{"id":"p","name":"p","log":{"match":[
            {"resource_attribute":["host.name"],"starts_with":"h"}],"keep":"none"}}]}"#,
    );
    assert_eq!(kept_messages(run(&m, records), records), ["3"]);
}

#[test]
fn transforms_rewrite_only_the_changed_elements() {
    let records = r#"[{"message":"contact alice@example.com now","status":"info","z":1},
        {"message":"nothing here",  "status":"info"}]"#;
    let (m, _) = module(
        r#"{"policies":[{"id":"mask","name":"mask","log":{"match":[{"log_field":"body","contains":"@"}],
          "keep":"all",
          "transform":{"redact":[{"log_field":"body","regex":"[a-z]+@[a-z.]+","replacement":"[EMAIL]"}],
                       "add":[{"log_attribute":["redacted"],"value":"yes"}]}}}]}"#,
    );
    let RequestAction::ForwardModified(body) = run(&m, records) else {
        panic!("expected a modified body");
    };
    // The untouched element keeps its exact bytes (including odd spacing);
    // the transformed one keeps its key order.
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        r#"[{"message":"contact [EMAIL] now","status":"info","z":1,"redacted":"yes"},{"message":"nothing here",  "status":"info"}]"#
    );
}

/// Transforms on `["ddtags", KEY]` write the tag inside the `ddtags`
/// string, where reads find it (they were silently ignored: a redacted tag
/// went upstream as received).
#[test]
fn ddtags_transforms_edit_the_tag_string() {
    let records = r#"[{"message":"T","ddtags":"env:prod,secret:s3cr3t,team:a"},{"message":"U","ddtags":"env:dev"}]"#;
    let (m, _) = module(
        r#"{"policies":[{"id":"t","name":"t","log":{"match":[{"log_attribute":["ddtags","secret"],"exists":true}],
          "transform":{"remove":[{"log_attribute":["ddtags","team"]}],
                       "redact":[{"log_attribute":["ddtags","secret"],"replacement":"***"}],
                       "rename":[{"from_log_attribute":["ddtags","env"],"to":"environment"}],
                       "add":[{"log_attribute":["ddtags","added"],"value":"v","upsert":true}]}}}]}"#,
    );
    let RequestAction::ForwardModified(body) = run(&m, records) else {
        panic!("expected a modified body");
    };
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        r#"[{"message":"T","ddtags":"secret:***,environment:prod,added:v"},{"message":"U","ddtags":"env:dev"}]"#
    );
}

#[test]
fn nothing_matched_forwards_the_original() {
    let (m, _) = module(
        r#"{"policies":[{"id":"p","name":"p","log":{"match":[{"log_field":"severity_text","exact":"debug"}],"keep":"none"}}]}"#,
    );
    let records = r#"[{"message":"a","status":"info"}]"#;
    assert!(matches!(run(&m, records), RequestAction::ForwardOriginal));
    let stats = m.stats();
    assert_eq!(
        stats
            .records_kept
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

#[test]
fn empty_registry_skips_decoding() {
    let registry = Arc::new(Registry::new());
    let m = DatadogModule::new(registry);
    let headers = HeaderMap::new();
    let req = RequestParts {
        method: &Method::POST,
        path: "/api/v2/logs",
        query: None,
        headers: &headers,
    };
    assert!(!m.inspects_request_body(&req));
}

#[test]
fn non_json_content_types_are_not_filtered() {
    let (m, _) = module(
        r#"{"policies":[{"id":"p","name":"p","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}}]}"#,
    );
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("text/plain"));
    let req = RequestParts {
        method: &Method::POST,
        path: "/api/v2/logs",
        query: None,
        headers: &headers,
    };
    assert!(matches!(
        m.on_request(&req, br#"[{"message":"a"}]"#),
        RequestAction::ForwardOriginal
    ));
    // Without a content type, a JSON-looking body is filtered.
    let headers = HeaderMap::new();
    let req = RequestParts {
        headers: &headers,
        ..req
    };
    assert!(matches!(
        m.on_request(&req, br#"  [{"message":"a"}]"#),
        RequestAction::Respond(_)
    ));
}

/// Field case 5: deep nesting inside one element never overflows the stack
/// and never loses the batch.
#[test]
fn deeply_nested_elements_fail_open() {
    let (m, _) = module(
        r#"{"policies":[{"id":"p","name":"p","log":{"match":[{"log_attribute":["a","b"],"exists":true}],"keep":"none"}}]}"#,
    );
    let deep = format!(
        r#"[{{"message":"m","a":{}1{}}},{{"message":"n","a":{{"b":1}}}}]"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let action = run(&m, &deep);
            matches!(action, RequestAction::ForwardOriginal)
        })
        .unwrap();
    assert!(
        handle.join().unwrap(),
        "too deep to split: forwarded untouched"
    );
}

/// Field case 23: sampling at 100% keeps records without the key, 0% keeps
/// none, and keyed sampling is consistent per key.
#[test]
fn sampling_without_key_follows_the_rate() {
    let (m, _) = module(
        r#"{"policies":[{"id":"s100","name":"s100","log":{"match":[{"log_field":"body","regex":"."}],"keep":"100%","sample_key":{"log_field":"trace_id"}}}]}"#,
    );
    let batch: Vec<String> = (0..200)
        .map(|i| format!(r#"{{"message":"m{i}"}}"#))
        .collect();
    let body = format!("[{}]", batch.join(","));
    assert_eq!(kept_messages(run(&m, &body), &body).len(), 200);

    let (m, _) = module(
        r#"{"policies":[{"id":"s10","name":"s10","log":{"match":[{"log_field":"body","regex":"."}],"keep":"10%","sample_key":{"log_attribute":["request_id"]}}}]}"#,
    );
    let batch: Vec<String> = (0..10_000)
        .map(|i| format!(r#"{{"message":"m{i}","request_id":"r-{i:04}"}}"#))
        .collect();
    let body = format!("[{}]", batch.join(","));
    let first = kept_messages(run(&m, &body), &body);
    assert!((900..=1100).contains(&first.len()), "kept {}", first.len());
    let again = kept_messages(run(&m, &body), &body);
    assert_eq!(first, again, "consistent per key");
}

fn forwarded(action: RequestAction) -> Option<Vec<u8>> {
    match action {
        RequestAction::ForwardOriginal => None,
        RequestAction::ForwardModified(b) => Some(b.to_vec()),
        RequestAction::Respond(r) => Some(r.body.to_vec()),
    }
}

/// Arrays of log objects are split and parsed in one pass; every other body
/// goes element by element. Both must give the same bytes and counters.
#[test]
fn one_pass_and_element_paths_agree() {
    let policies = r#"{"policies":[
        {"id":"drop","name":"drop","log":{"match":[{"log_field":"severity_text","exact":"debug"}],"keep":"none"}},
        {"id":"redact","name":"redact","log":{"match":[{"log_field":"body","contains":"@"}],"keep":"all",
            "transform":{"redact":[{"log_attribute":["usr","email"],"replacement":"***"}]}}}]}"#;
    let bodies = [
        // Only keeps: forwarded as received, never copied.
        r#"[{"message":"a","status":"info"}, {"message":"b"} ]"#,
        // Drop first, then keeps; whitespace and separators normalised.
        "[ {\"message\":\"a\",\"status\":\"debug\"} ,\n {\"message\":\"b\"},{\"message\":\"c\"}]",
        // Keeps before the first change are written on the change.
        r#"[{"message":"a"},{"message":"b"},{"message":"x@y","usr":{"email":"x@y"}},{"message":"d","status":"debug"},{"message":"e"}]"#,
        // Everything dropped.
        r#"[{"message":"a","status":"debug"},{"message":"b","status":"debug"}]"#,
    ];
    for body in bodies {
        let (fast, fast_stats) = {
            let (m, _) = module(policies);
            let out = forwarded(run(&m, body));
            (out, m.stats())
        };
        // A byte order mark sends the same body down the element path.
        let bom = format!("\u{feff}{body}");
        let (m, _) = module(policies);
        let slow = forwarded(run(&m, &bom));
        assert_eq!(fast, slow, "{body}");
        let s = m.stats();
        for (a, b) in [
            (&fast_stats.records_evaluated, &s.records_evaluated),
            (&fast_stats.records_kept, &s.records_kept),
            (&fast_stats.records_dropped, &s.records_dropped),
            (&fast_stats.records_transformed, &s.records_transformed),
        ] {
            assert_eq!(
                a.load(std::sync::atomic::Ordering::Relaxed),
                b.load(std::sync::atomic::Ordering::Relaxed),
                "{body}"
            );
        }
        assert!(
            fast_stats
                .records_evaluated
                .load(std::sync::atomic::Ordering::Relaxed)
                > 0,
            "{body}"
        );
    }
}
