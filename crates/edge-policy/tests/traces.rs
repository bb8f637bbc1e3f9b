//! Trace sampling and tracestate behaviour (spec §1.10), and metric keep
//! (§1.9), over small in-memory records.

use edge_policy::parse::{parse_document, Format};
use edge_policy::{
    AttrScope, MetricField, MetricType, MetricView, PolicySnapshot, Temporality, TraceField,
    TraceView, TraceViewMut, ValueRef,
};
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
struct Span {
    trace_id: Option<Vec<u8>>,
    trace_state: String,
    kind: i32,
}

impl TraceView for Span {
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>> {
        match field {
            TraceField::TraceId => self
                .trace_id
                .as_deref()
                .map(|b| ValueRef::Bytes(Cow::Borrowed(b))),
            TraceField::TraceState if !self.trace_state.is_empty() => {
                Some(ValueRef::str(&self.trace_state))
            }
            TraceField::Name => Some(ValueRef::str("op")),
            _ => None,
        }
    }
    fn attribute(&self, _: AttrScope, _: &[String]) -> Option<ValueRef<'_>> {
        None
    }
    fn span_kind(&self) -> i32 {
        self.kind
    }
    fn span_status(&self) -> i32 {
        0
    }
}

impl TraceViewMut for Span {
    fn set_trace_state(&mut self, value: &str) -> bool {
        let changed = self.trace_state != value;
        self.trace_state = value.to_owned();
        changed
    }
}

fn snap(keep: &str) -> Arc<PolicySnapshot> {
    let doc = format!(
        r#"{{"policies":[{{"id":"t","trace":{{"match":[{{"trace_field":"name","exists":true}}],"keep":{keep}}}}}]}}"#
    );
    let parsed = parse_document(&doc, Format::Json).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    PolicySnapshot::from_policies(parsed.policies)
}

/// A trace id whose last 14 hex digits are `tail`.
fn span(tail: &str, ts: &str) -> Span {
    let id = format!("{:0>32}", tail);
    Span {
        trace_id: Some(hex::decode(id).unwrap()),
        trace_state: ts.into(),
        kind: 2,
    }
}

fn run(s: &PolicySnapshot, mut sp: Span) -> Option<String> {
    let v = s.evaluate_trace_mut(&mut sp);
    v.keep().then_some(sp.trace_state)
}

#[test]
fn hash_seed_mode_threshold_and_rewrite() {
    let s = snap(r#"{"percentage": 25}"#);
    // T = c0000000000000: equal randomness is kept.
    assert_eq!(run(&s, span("c0000000000000", "")), Some("ot=th:c".into()));
    assert_eq!(run(&s, span("bfffffffffffff", "")), None);
    // Incoming th is overwritten and other vendors follow `ot`.
    assert_eq!(
        run(&s, span("d0000000000000", "a=1,ot=th:f;x:y")),
        Some("ot=x:y;th:c,a=1".into())
    );
}

#[test]
fn rv_overrides_trace_id_and_inconsistent_state_is_left_alone() {
    let s = snap(r#"{"percentage": 50}"#);
    assert_eq!(
        run(&s, span("00000000000001", "ot=rv:90000000000000")),
        Some("ot=rv:90000000000000;th:8".into())
    );
    assert_eq!(
        run(&s, span("ffffffffffffff", "ot=rv:10000000000000")),
        None
    );
    // rv < th: keep untouched, whatever the randomness says.
    assert_eq!(
        run(&s, span("00000000000001", "ot=rv:10000000000000;th:8,v=1")),
        Some("ot=rv:10000000000000;th:8,v=1".into())
    );
}

#[test]
fn proportional_and_equalizing_use_incoming_threshold() {
    let p = snap(r#"{"percentage": 50, "mode": "proportional"}"#);
    // 50% after an upstream 50% stage = 25%.
    assert_eq!(
        run(&p, span("c0000000000000", "ot=th:8")),
        Some("ot=th:c".into())
    );
    assert_eq!(run(&p, span("bfffffffffffff", "ot=th:8")), None);
    let e = snap(r#"{"percentage": 50, "mode": "SAMPLING_MODE_EQUALIZING"}"#);
    // Upstream already more selective: kept as is, even with low randomness.
    assert_eq!(
        run(&e, span("00000000000001", "v=1,ot=th:c")),
        Some("ot=th:c,v=1".into())
    );
    // Upstream less selective: re-decided at 50%.
    assert_eq!(
        run(&e, span("80000000000000", "ot=th:4")),
        Some("ot=th:8".into())
    );
    assert_eq!(run(&e, span("7fffffffffffff", "ot=th:4")), None);
}

#[test]
fn fail_closed_and_edges() {
    let closed = snap(r#"{"percentage": 50}"#);
    let no_id = Span {
        trace_id: None,
        trace_state: "v=1".into(),
        kind: 2,
    };
    assert_eq!(run(&closed, no_id.clone()), None);
    let open = snap(r#"{"percentage": 50, "fail_closed": false}"#);
    assert_eq!(
        run(&open, no_id.clone()),
        Some("v=1".into()),
        "kept without touching tracestate"
    );
    let all = snap(r#"{"percentage": 100}"#);
    assert_eq!(run(&all, no_id.clone()), Some("ot=th:0,v=1".into()));
    let none = snap(r#"{"percentage": 0}"#);
    assert_eq!(run(&none, span("ffffffffffffff", "")), None);
    let precise = snap(r#"{"percentage": 10, "sampling_precision": 8}"#);
    assert_eq!(
        run(&precise, span("ffffffffffffff", "")),
        Some("ot=th:e6666666".into())
    );
}

#[test]
fn nonzero_hash_seed_ignores_rv_and_is_deterministic() {
    let s = snap(r#"{"percentage": 50, "hash_seed": 7}"#);
    let decisions: Vec<bool> = (0..64u32)
        .map(|i| {
            run(
                &s,
                span(
                    &format!("{:014x}", u64::from(i) * 0x0123_4567_89ab),
                    "ot=rv:ffffffffffffff",
                ),
            )
            .is_some()
        })
        .collect();
    let again: Vec<bool> = (0..64u32)
        .map(|i| {
            run(
                &s,
                span(&format!("{:014x}", u64::from(i) * 0x0123_4567_89ab), ""),
            )
            .is_some()
        })
        .collect();
    assert_eq!(decisions, again, "rv is ignored when hash_seed != 0");
    assert!(decisions.iter().any(|d| *d) && decisions.iter().any(|d| !*d));
}

#[test]
fn lowest_percentage_wins_and_counts() {
    let doc = r#"{"policies":[
        {"id":"a50","trace":{"match":[{"span_kind":"SERVER"}],"keep":{"percentage":50}}},
        {"id":"b0","trace":{"match":[{"span_kind":"SPAN_KIND_SERVER","exists":true}],"keep":{"percentage":0}}},
        {"id":"c100","trace":{"match":[{"span_kind":"CLIENT","negate":true}],"keep":{"percentage":100}}}]}"#;
    let s = PolicySnapshot::from_policies(parse_document(doc, Format::Json).unwrap().policies);
    assert_eq!(run(&s, span("ffffffffffffff", "")), None);
    let st: Vec<(String, u64, u64)> = s
        .statuses()
        .into_iter()
        .map(|x| (x.id, x.match_hits, x.match_misses))
        .collect();
    assert_eq!(
        st,
        vec![
            ("a50".into(), 0, 1),
            ("b0".into(), 1, 0),
            ("c100".into(), 0, 1)
        ]
    );
}

struct Metric {
    name: &'static str,
    ty: MetricType,
    temporality: Option<Temporality>,
}

impl MetricView for Metric {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        (field == MetricField::Name).then(|| ValueRef::str(self.name))
    }
    fn attribute(&self, _: AttrScope, _: &[String]) -> Option<ValueRef<'_>> {
        None
    }
    fn metric_type(&self) -> Option<MetricType> {
        Some(self.ty)
    }
    fn temporality(&self) -> Option<Temporality> {
        self.temporality
    }
}

#[test]
fn metric_keep_false_wins_and_temporality_never_matches_gauges() {
    let doc = r#"{"policies":[
        {"id":"keep-gauges","metric":{"match":[{"metric_type":"gauge"}],"keep":true}},
        {"id":"drop-system","metric":{"match":[{"metric_field":"name","starts_with":"system."}],"keep":false}},
        {"id":"drop-not-delta","metric":{"match":[{"aggregation_temporality":"delta","negate":true}],"keep":false}}]}"#;
    let s = PolicySnapshot::from_policies(parse_document(doc, Format::Json).unwrap().policies);
    let g = |name| Metric {
        name,
        ty: MetricType::Gauge,
        temporality: None,
    };
    assert!(!s.evaluate_metric(&g("system.cpu")).keep());
    let delta = Metric {
        name: "req",
        ty: MetricType::Sum,
        temporality: Some(Temporality::Delta),
    };
    assert!(s.evaluate_metric(&delta).keep());
    assert!(!s.evaluate_metric(&delta).matched_any());
    let st: Vec<(String, u64, u64)> = s
        .statuses()
        .into_iter()
        .map(|x| (x.id, x.match_hits, x.match_misses))
        .collect();
    // The gauge matched all three; the winner is the smallest id among the drops.
    assert_eq!(
        st,
        vec![
            ("drop-not-delta".into(), 1, 0),
            ("drop-system".into(), 0, 1),
            ("keep-gauges".into(), 0, 1)
        ]
    );
}
