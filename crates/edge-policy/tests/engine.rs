//! Engine behaviour tests written from the specification, using a small
//! in-memory record type that implements the view traits.

use edge_policy::parse::{parse_document, Format};
use edge_policy::{
    AttrScope, ExtensionContext, ExtensionHandler, LogField, LogView, LogViewMut, PolicySnapshot,
    Registry, ValueRef,
};
use proptest::prelude::*;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default, PartialEq)]
struct Rec {
    body: Option<String>,
    severity: Option<String>,
    trace_id: Option<Vec<u8>>,
    attrs: Vec<(String, String)>,
    resource: Vec<(String, String)>,
}

fn list(scope: AttrScope, r: &Rec) -> &Vec<(String, String)> {
    match scope {
        AttrScope::Resource => &r.resource,
        _ => &r.attrs,
    }
}

impl LogView for Rec {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => self
                .body
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(ValueRef::str),
            LogField::SeverityText => self.severity.as_deref().map(ValueRef::str),
            LogField::TraceId => self
                .trace_id
                .as_deref()
                .map(|b| ValueRef::Bytes(Cow::Borrowed(b))),
            _ => None,
        }
    }
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        if path.len() != 1 {
            return None;
        }
        list(scope, self)
            .iter()
            .find(|(k, _)| *k == path[0])
            .map(|(_, v)| ValueRef::str(v))
    }
}

impl Rec {
    fn list_mut(&mut self, scope: AttrScope) -> &mut Vec<(String, String)> {
        match scope {
            AttrScope::Resource => &mut self.resource,
            _ => &mut self.attrs,
        }
    }
}

impl LogViewMut for Rec {
    fn remove_field(&mut self, field: LogField) -> bool {
        match field {
            LogField::Body => self.body.take().is_some(),
            LogField::SeverityText => self.severity.take().is_some(),
            _ => false,
        }
    }
    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        match field {
            LogField::Body => self.body = Some(value.into()),
            LogField::SeverityText => self.severity = Some(value.into()),
            _ => return false,
        }
        true
    }
    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        let l = self.list_mut(scope);
        let n = l.len();
        l.retain(|(k, _)| *k != path[0]);
        l.len() != n
    }
    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        let l = self.list_mut(scope);
        match l.iter_mut().find(|(k, _)| *k == path[0]) {
            Some(e) => e.1 = value.into(),
            None => l.push((path[0].clone(), value.into())),
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
        let l = self.list_mut(scope);
        let Some(i) = l.iter().position(|(k, _)| *k == from[0]) else {
            return false;
        };
        if let Some(j) = l.iter().position(|(k, _)| k == to) {
            if !upsert {
                return false;
            }
            l.remove(j);
        }
        let i = l.iter().position(|(k, _)| *k == from[0]).unwrap_or(i);
        let (_, v) = l.remove(i);
        l.push((to.into(), v));
        true
    }
}

fn snapshot(yaml: &str) -> Arc<PolicySnapshot> {
    let parsed = parse_document(yaml, Format::Yaml).expect("valid document");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    PolicySnapshot::from_policies(parsed.policies)
}

fn sev(s: &str) -> Rec {
    Rec {
        severity: Some(s.into()),
        ..Default::default()
    }
}

fn counts(snap: &PolicySnapshot) -> Vec<(String, u64, u64)> {
    snap.statuses()
        .into_iter()
        .map(|s| (s.id, s.match_hits, s.match_misses))
        .collect()
}

#[test]
fn no_policies_is_empty_and_passes_through() {
    let snap = PolicySnapshot::from_policies(vec![]);
    assert!(snap.is_empty());
    let v = snap.evaluate_log(&sev("DEBUG"));
    assert!(v.keep() && !v.has_transforms());
}

#[test]
fn none_beats_all_and_only_winner_gets_hit() {
    let snap = snapshot(
        r#"
policies:
  - {id: b-keep, log: {match: [{log_field: severity_text, exists: true}], keep: all}}
  - {id: a-drop, log: {match: [{log_field: severity_text, exact: DEBUG}], keep: none}}
  - {id: c-drop, log: {match: [{log_field: severity_text, regex: "^DEB"}], keep: none}}
"#,
    );
    assert!(!snap.evaluate_log(&sev("DEBUG")).keep());
    assert!(snap.evaluate_log(&sev("INFO")).keep());
    assert_eq!(
        counts(&snap),
        vec![
            ("a-drop".into(), 1, 0),
            ("b-keep".into(), 1, 1),
            ("c-drop".into(), 0, 1)
        ]
    );
}

#[test]
fn negate_on_absent_field_matches() {
    let snap = snapshot(
        r#"
policies:
  - {id: p, log: {match: [{resource_attribute: env, exact: prod, negate: true}], keep: none}}
  - {id: q, log: {match: [{log_attribute: x, exists: false, negate: true}], keep: none}}
"#,
    );
    assert!(!snap.evaluate_log(&sev("INFO")).keep());
    let mut r = sev("INFO");
    r.resource.push(("env".into(), "prod".into()));
    assert!(snap.evaluate_log(&r).keep());
    r.attrs.push(("x".into(), "".into()));
    assert!(
        !snap.evaluate_log(&r).keep(),
        "exists:false + negate means present"
    );
}

#[test]
fn transforms_run_policy_major_in_id_order_on_original_match() {
    let snap = snapshot(
        r#"
policies:
  - id: zzz
    log: {match: [{log_field: body, exists: true}], transform: {add: [{log_attribute: tag, value: z, upsert: true}]}}
  - id: aaa
    log:
      match: [{log_field: body, exists: true}]
      transform:
        add: [{log_attribute: tag, value: a, upsert: true}, {log_attribute: marker, value: "1"}]
        rename: [{from_log_attribute: old, to: new}]
        redact: [{log_field: body, regex: '(\d{4})\d+', replacement: '$1****'}]
  - id: mmm
    log: {match: [{log_attribute: marker, exists: true}], keep: none}
"#,
    );
    let mut r = Rec {
        body: Some("card 1234567890".into()),
        attrs: vec![("old".into(), "v".into())],
        ..Default::default()
    };
    let v = snap.evaluate_log(&r);
    assert!(
        v.keep(),
        "marker added by a transform is invisible to matching"
    );
    assert!(v.has_transforms());
    assert!(snap.apply_log_transforms(&v, &mut r));
    assert_eq!(r.body.as_deref(), Some("card 1234****"));
    assert_eq!(
        r.attrs,
        vec![
            ("new".into(), "v".into()),
            ("tag".into(), "z".into()),
            ("marker".into(), "1".into())
        ]
    );
    let st = snap.statuses();
    let aaa = st.iter().find(|s| s.id == "aaa").unwrap();
    assert_eq!((aaa.add.hits, aaa.rename.hits, aaa.redact.hits), (2, 1, 1));
}

#[test]
fn dropped_records_are_not_transformed() {
    let snap = snapshot(
        r#"
policies:
  - {id: a, log: {match: [{log_field: body, exists: true}], keep: none, transform: {add: [{log_attribute: t, value: x}]}}}
"#,
    );
    let r = Rec {
        body: Some("x".into()),
        ..Default::default()
    };
    let v = snap.evaluate_log(&r);
    assert!(!v.keep() && !v.has_transforms());
}

#[test]
fn rate_limit_admits_first_n_and_other_limiter_is_not_consumed() {
    let snap = snapshot(
        r#"
policies:
  - {id: a-rate, log: {match: [{log_field: body, exists: true}], keep: 2/m}}
  - {id: b-rate, log: {match: [{log_field: body, exists: true}], keep: 5/m}}
"#,
    );
    let r = Rec {
        body: Some("x".into()),
        ..Default::default()
    };
    let kept: Vec<bool> = (0..6).map(|_| snap.evaluate_log(&r).keep()).collect();
    assert_eq!(kept, vec![true, true, false, false, false, false]);
    assert_eq!(
        counts(&snap),
        vec![("a-rate".into(), 6, 0), ("b-rate".into(), 2, 4)]
    );
}

#[test]
fn rate_limit_with_sample_key_has_one_window_per_key() {
    let snap = snapshot(
        r#"
policies:
  - {id: a, log: {match: [{log_field: body, exists: true}], keep: 1/m, sample_key: {log_attribute: job}}}
"#,
    );
    let rec = |job: &str| Rec {
        body: Some("x".into()),
        attrs: vec![("job".into(), job.into())],
        ..Default::default()
    };
    assert!(snap.evaluate_log(&rec("a")).keep());
    assert!(!snap.evaluate_log(&rec("a")).keep());
    assert!(snap.evaluate_log(&rec("b")).keep());
}

#[test]
fn trace_id_sample_key_boundary() {
    let snap = snapshot(
        r#"
policies:
  - {id: s, log: {match: [{log_field: body, exists: true}], keep: 50%, sample_key: {log_field: trace_id}}}
"#,
    );
    let rec = |hex_id: &str| Rec {
        body: Some("x".into()),
        trace_id: Some(hex::decode(hex_id).unwrap()),
        ..Default::default()
    };
    // R == T is kept; one below is dropped.
    assert!(snap
        .evaluate_log(&rec("00000000000000000080000000000000"))
        .keep());
    assert!(!snap
        .evaluate_log(&rec("0000000000000000007fffffffffffff"))
        .keep());
}

/// (policy id, matched, kept, body) per delivery.
type Delivery = (String, bool, bool, Option<String>);

#[derive(Default)]
struct Collect(Mutex<Vec<Delivery>>);

impl ExtensionHandler for Collect {
    fn on_log(&self, ctx: &ExtensionContext<'_>, record: &dyn LogView) {
        let body = match record.log_field(LogField::Body) {
            Some(ValueRef::Str(s)) => Some(s.into_owned()),
            _ => None,
        };
        self.0
            .lock()
            .unwrap()
            .push((ctx.policy_id.to_owned(), ctx.matched, ctx.kept, body));
    }
}

#[test]
fn extensions_are_dispatched_by_mode_before_transforms() {
    let registry = Registry::new();
    let handler = Arc::new(Collect::default());
    registry.register_extension_handler("com.example/archive", handler.clone());
    let parsed = parse_document(
        r#"
policies:
  - id: a
    log:
      match: [{log_field: body, contains: drop}]
      keep: none
    extensions: [{type: com.example/archive, version: 1.0.0, mode: dropped, config: {}}]
  - id: b
    log:
      match: [{log_field: body, exists: true}]
      transform: {redact: [{log_field: body}]}
    extensions: [{type: com.example/archive, version: 1.0.0, mode: unmatched}, {type: other/unknown, version: "1"}]
"#,
        Format::Yaml,
    )
    .unwrap();
    registry.update_source("test", parsed.policies);
    let snap = registry.snapshot();
    let mut kept = Rec {
        body: Some("keep me".into()),
        ..Default::default()
    };
    let v = snap.evaluate_log(&kept);
    snap.apply_log_transforms(&v, &mut kept);
    assert_eq!(kept.body.as_deref(), Some("[REDACTED]"));
    let dropped = Rec {
        body: Some("drop me".into()),
        ..Default::default()
    };
    assert!(!snap.evaluate_log(&dropped).keep());
    let empty = Rec::default();
    snap.evaluate_log(&empty);
    let got = handler.0.lock().unwrap().clone();
    assert_eq!(
        got,
        vec![
            ("a".into(), true, false, Some("drop me".into())),
            ("b".into(), false, true, None),
        ]
    );
}

#[test]
fn registry_merges_sources_and_reports_statuses() {
    let registry = Registry::new();
    registry.set_source_priority("http", edge_policy::priority::HTTP);
    registry.set_source_priority("file", edge_policy::priority::FILE);
    let doc = |keep: &str| {
        parse_document(
            &format!("{{\"policies\":[{{\"id\":\"p\",\"log\":{{\"match\":[{{\"log_field\":\"body\",\"exists\":true}}],\"keep\":\"{keep}\"}}}}]}}"),
            Format::Json,
        )
        .unwrap()
    };
    registry.update_source_parsed("file", doc("all"));
    registry.update_source_parsed("http", doc("none"));
    let r = Rec {
        body: Some("x".into()),
        ..Default::default()
    };
    assert!(
        !registry.snapshot().evaluate_log(&r).keep(),
        "http (priority 2) wins over file"
    );
    let st = registry.policy_statuses();
    assert_eq!(st.len(), 1);
    assert_eq!((st[0].source_id.as_str(), st[0].match_hits), ("http", 1));
    // Counters survive a rebuild and subtract only what was reported.
    registry.update_source_parsed("http", doc("none"));
    registry.snapshot().evaluate_log(&r);
    let st = registry.policy_statuses();
    assert_eq!(st[0].match_hits, 2);
    registry.subtract_reported(&st[..]);
    registry.snapshot().evaluate_log(&r);
    assert_eq!(registry.policy_statuses()[0].match_hits, 1);
    assert_eq!(registry.take_statuses()[0].match_hits, 1);
    assert_eq!(registry.policy_statuses()[0].match_hits, 0);
}

#[test]
fn invalid_policy_is_inert_and_reports_errors() {
    let registry = Registry::new();
    let parsed = parse_document(
        r#"{"policies":[
            {"id":"bad","log":{"match":[{"log_field":"body","regex":"(["}],"keep":"none"}},
            {"id":"good","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}},
            {"id":"off","enabled":false,"log":{"match":[{"log_field":"body","regex":"(["}],"keep":"none"}},
            {"id":"unparsable","log":{"match":[],"keep":5}}]}"#,
        Format::Json,
    )
    .unwrap();
    registry.update_source_parsed("file", parsed);
    let r = Rec {
        body: Some("x".into()),
        ..Default::default()
    };
    assert!(!registry.snapshot().evaluate_log(&r).keep());
    let st = registry.policy_statuses();
    let ids: Vec<&str> = st.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["bad", "good", "unparsable"]);
    assert!(st[0].errors[0].starts_with("log: match[0]: invalid regex \"([\""));
    assert_eq!(st[0].match_hits + st[0].match_misses, 0);
    assert!(st[2].errors[0].starts_with("parse error"));
    let proto = st[0].to_proto();
    assert_eq!(proto.id, "bad");
}

/// Two policies with the same id in one provider: the last occurrence is
/// the one that runs (it was inert, so neither ran), and the id reports
/// the duplicate.
#[test]
fn duplicate_id_runs_the_last_occurrence_and_reports_it() {
    let registry = Registry::new();
    let parsed = parse_document(
        r#"{"policies":[
            {"id":"dup","log":{"match":[{"log_field":"body","exact":"drop-a"}],"keep":"none"}},
            {"id":"other","log":{"match":[{"log_field":"body","exact":"drop-c"}],"keep":"none"}},
            {"id":"dup","log":{"match":[{"log_field":"body","exact":"drop-b"}],"keep":"none"}}]}"#,
        Format::Json,
    )
    .unwrap();
    registry.update_source_parsed("file", parsed);
    let body = |b: &str| Rec {
        body: Some(b.into()),
        ..Default::default()
    };
    let snap = registry.snapshot();
    assert!(
        snap.evaluate_log(&body("drop-a")).keep(),
        "first occurrence"
    );
    assert!(
        !snap.evaluate_log(&body("drop-b")).keep(),
        "last occurrence"
    );
    assert!(!snap.evaluate_log(&body("drop-c")).keep());
    let st = registry.policy_statuses();
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].id, "dup");
    assert_eq!(
        st[0].errors,
        vec!["duplicate policy id; the last occurrence is used".to_owned()]
    );
    assert_eq!(st[0].match_hits, 1);
    assert!(st[1].errors.is_empty());

    // An occurrence that does not parse counts in document order too: last,
    // it makes the id inert; first, the later valid one runs. Both report
    // the duplicate and the parse error.
    let unparsable = r#"{"id":"dup","log":{"match":[],"keep":5}}"#;
    let valid =
        r#"{"id":"dup","log":{"match":[{"log_field":"body","exact":"drop-b"}],"keep":"none"}}"#;
    for (entries, runs) in [([valid, unparsable], false), ([unparsable, valid], true)] {
        let doc = format!(r#"{{"policies":[{}]}}"#, entries.join(","));
        let registry = Registry::new();
        registry.update_source_parsed("file", parse_document(&doc, Format::Json).unwrap());
        let dropped = !registry.snapshot().evaluate_log(&body("drop-b")).keep();
        assert_eq!(dropped, runs, "{doc}");
        let st = registry.policy_statuses();
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].errors.len(), 2, "{:?}", st[0].errors);
        assert_eq!(
            st[0].errors[0],
            "duplicate policy id; the last occurrence is used"
        );
        assert!(
            st[0].errors[1].starts_with("parse error"),
            "{:?}",
            st[0].errors
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The winner never depends on file order, and "none" always wins.
    #[test]
    fn keep_precedence_is_order_independent(
        keeps in proptest::collection::vec(prop_oneof![Just("all"), Just("none"), Just("0%"), Just("100%"), Just("1/m")], 1..6),
        rot in 0usize..6,
    ) {
        let mut items: Vec<String> = keeps.iter().enumerate().map(|(i, k)| {
            format!("{{\"id\":\"p{i}\",\"log\":{{\"match\":[{{\"log_field\":\"body\",\"exists\":true}}],\"keep\":\"{k}\"}}}}")
        }).collect();
        let run = |items: &[String]| {
            let doc = format!("{{\"policies\":[{}]}}", items.join(","));
            let snap = PolicySnapshot::from_policies(parse_document(&doc, Format::Json).unwrap().policies);
            let r = Rec { body: Some("x".into()), ..Default::default() };
            let kept = snap.evaluate_log(&r).keep();
            (kept, counts(&snap))
        };
        let a = run(&items);
        let n = items.len();
        items.rotate_left(rot % n);
        let b = run(&items);
        prop_assert_eq!(&a, &b);
        let any_drop = keeps.iter().any(|k| *k == "none" || *k == "0%");
        if any_drop { prop_assert!(!a.0); }
        // Exactly one winner: hits + misses == number of matching policies,
        // and a drop leaves exactly one hit.
        let hits: u64 = a.1.iter().map(|c| c.1).sum();
        let misses: u64 = a.1.iter().map(|c| c.2).sum();
        prop_assert_eq!(hits + misses, n as u64);
        if !a.0 { prop_assert_eq!(hits, 1); }
    }

    /// Keyed sampling decisions are a pure function of the key.
    #[test]
    fn sample_key_decisions_are_stable(keys in proptest::collection::vec("[a-z0-9]{1,12}", 1..50)) {
        let doc = r#"{"policies":[{"id":"s","log":{"match":[{"log_field":"body","exists":true}],"keep":"30%","sample_key":{"log_attribute":"k"}}}]}"#;
        let s1 = PolicySnapshot::from_policies(parse_document(doc, Format::Json).unwrap().policies);
        let s2 = PolicySnapshot::from_policies(parse_document(doc, Format::Json).unwrap().policies);
        for k in &keys {
            let r = Rec { body: Some("x".into()), attrs: vec![("k".into(), k.clone())], ..Default::default() };
            let a = s1.evaluate_log(&r).keep();
            prop_assert_eq!(a, s1.evaluate_log(&r).keep());
            prop_assert_eq!(a, s2.evaluate_log(&r).keep());
        }
    }
}

/// N% of 100k unkeyed records within a 5-sigma binomial bound.
#[test]
fn unkeyed_percentage_sampling_rate() {
    for pct in [1.0f64, 10.0, 50.0, 87.5] {
        let doc = format!(
            r#"{{"policies":[{{"id":"s","log":{{"match":[{{"log_field":"body","exists":true}}],"keep":"{pct}%"}}}}]}}"#
        );
        let snap =
            PolicySnapshot::from_policies(parse_document(&doc, Format::Json).unwrap().policies);
        let r = Rec {
            body: Some("x".into()),
            ..Default::default()
        };
        let n = 100_000u64;
        let kept = (0..n).filter(|_| snap.evaluate_log(&r).keep()).count() as f64;
        let p = pct / 100.0;
        let mean = n as f64 * p;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (kept - mean).abs() <= 5.0 * sd,
            "{pct}%: kept {kept}, expected {mean} ± {}",
            5.0 * sd
        );
    }
}

/// Keyed sampling over many distinct keys approaches the configured rate.
#[test]
fn keyed_percentage_sampling_rate() {
    let doc = r#"{"policies":[{"id":"s","log":{"match":[{"log_field":"body","exists":true}],"keep":"25%","sample_key":{"log_attribute":"k"}}}]}"#;
    let snap = PolicySnapshot::from_policies(parse_document(doc, Format::Json).unwrap().policies);
    let n = 100_000u64;
    let kept = (0..n)
        .filter(|i| {
            let r = Rec {
                body: Some("x".into()),
                attrs: vec![("k".into(), format!("req-{i}"))],
                ..Default::default()
            };
            snap.evaluate_log(&r).keep()
        })
        .count() as f64;
    let (mean, sd) = (n as f64 * 0.25, (n as f64 * 0.25 * 0.75).sqrt());
    assert!((kept - mean).abs() <= 5.0 * sd, "kept {kept}");
}

#[test]
fn text_only_transforms_are_recognised() {
    let snap = snapshot(
        r#"
policies:
  - id: a-text
    name: text fields
    log:
      match: [{ log_field: body, contains: "t" }]
      keep: all
      transform:
        remove: [{ log_field: severity_text }]
        redact: [{ log_field: body, regex: "t+", replacement: "T" }]
        add: [{ log_field: event_name, value: e, upsert: true }]
  - id: b-attr
    name: attribute
    log:
      match: [{ log_field: body, contains: "attr" }]
      keep: all
      transform:
        add: [{ log_attribute: [x], value: "1" }]
  - id: c-trace
    name: identifier
    log:
      match: [{ log_field: body, contains: "trace" }]
      keep: all
      transform:
        remove: [{ log_field: trace_id }]
  - id: d-rename
    name: rename
    log:
      match: [{ log_field: body, contains: "ren" }]
      keep: all
      transform:
        rename: [{ from_log_attribute: [x], to: y }]
"#,
    );
    let body = |b: &str| Rec {
        body: Some(b.into()),
        ..Rec::default()
    };
    for (text, want) in [
        ("t", true),
        ("nothing", true),
        ("t attr", false),
        ("attr", false),
        ("trace", false),
        ("ren", false),
    ] {
        let verdict = snap.evaluate_log(&body(text));
        assert_eq!(
            snap.log_transforms_touch_only_text_fields(&verdict),
            want,
            "{text}"
        );
    }
}
