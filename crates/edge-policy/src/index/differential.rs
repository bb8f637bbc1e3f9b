//! Differential tests of the candidate index: on random policy sets and
//! random records, the policies the indexed engine reports as matching must
//! be exactly those a per-policy evaluation of every matcher (through
//! `Condition::test`, no index, no Vectorscan) finds.

use crate::engine::Signal;
use crate::parse::{parse_document, Format};
use crate::record::{
    AttrScope, LogField, LogView, MetricField, MetricType, MetricView, Temporality, TraceField,
    TraceView, ValueRef,
};
use crate::{PolicySnapshot, Registry};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Val {
    Str(String),
    Int(i64),
    Bytes(Vec<u8>),
    Bool(bool),
    Other,
}

/// One record usable as a log, a metric or a span. Fields are keyed by
/// `"Body"`-style field names and attributes by `"Record.a"`-style keys.
#[derive(Debug, Default)]
struct Rec {
    values: HashMap<String, Val>,
    metric_type: Option<MetricType>,
    temporality: Option<Temporality>,
    kind: i32,
    status: i32,
}

impl Rec {
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        self.values.get(key).map(|v| match v {
            Val::Str(s) => ValueRef::Str(Cow::Borrowed(s)),
            Val::Int(i) => ValueRef::Int(*i),
            Val::Bytes(b) => ValueRef::Bytes(Cow::Borrowed(b)),
            Val::Bool(b) => ValueRef::Bool(*b),
            Val::Other => ValueRef::Other,
        })
    }

    fn attr(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.get(&format!("{scope:?}.{}", path.join(".")))
    }
}

impl LogView for Rec {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        self.get(&format!("{field:?}"))
    }
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.attr(scope, path)
    }
}

impl MetricView for Rec {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        self.get(&format!("{field:?}"))
    }
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.attr(scope, path)
    }
    fn metric_type(&self) -> Option<MetricType> {
        self.metric_type
    }
    fn temporality(&self) -> Option<Temporality> {
        self.temporality
    }
}

impl TraceView for Rec {
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>> {
        self.get(&format!("{field:?}"))
    }
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.attr(scope, path)
    }
    fn span_kind(&self) -> i32 {
        self.kind
    }
    fn span_status(&self) -> i32 {
        self.status
    }
}

/// Literal vocabulary shared by policies and records, so that conditions
/// hit often: case variants, prefixes/suffixes of each other, hex text,
/// non-ASCII case folding, the empty string.
const WORDS: &[&str] = &[
    "foo", "Foo", "FOO", "bar", "foobar", "barfoo", "x.y", "0a0b", "0A0B", "straße", "STRASSE", "",
    "5", "true",
];
const REGEXES: &[&str] = &[
    "^foo",
    "o+b",
    "bar$",
    "(?i)FOO",
    "[0-9]",
    ".",
    "^$",
    "x\\.y",
    "a|straße",
    "^0a",
    // Whole-value literal sets (answered by hash lookups).
    "^foo$",
    "^(foo|bar)$",
    "^(?:x\\.y|straße|)$",
    "^0[aA]0[bB]$",
    "^(?i)foo$",
    "\\A5\\z",
];

fn pick<'a, T>(rng: &mut StdRng, xs: &'a [T]) -> &'a T {
    &xs[rng.gen_range(0..xs.len())]
}

fn word(rng: &mut StdRng) -> String {
    serde_json::to_string(pick(rng, WORDS)).expect("json string")
}

/// A random condition (JSON members) for a string-ish selector.
fn condition(rng: &mut StdRng) -> String {
    let mut c = match rng.gen_range(0..11) {
        0 | 1 => format!(r#""exact": {}"#, word(rng)),
        2 => format!(
            r#""regex": {}"#,
            serde_json::to_string(pick(rng, REGEXES)).expect("json")
        ),
        3 => format!(r#""starts_with": {}"#, word(rng)),
        4 => format!(r#""ends_with": {}"#, word(rng)),
        5 => format!(r#""contains": {}"#, word(rng)),
        6 => format!(r#""exists": {}"#, rng.gen_bool(0.7)),
        7 => format!(r#""equals": {}"#, word(rng)),
        8 => r#""equals": 5"#.to_owned(),
        9 => r#""gt": 3"#.to_owned(),
        _ => r#""equals": {"hex_value": "0a0b"}"#.to_owned(),
    };
    if rng.gen_bool(0.25) {
        c.push_str(r#", "negate": true"#);
    }
    if rng.gen_bool(0.3) {
        c.push_str(r#", "case_insensitive": true"#);
    }
    c
}

fn value(rng: &mut StdRng) -> Val {
    match rng.gen_range(0..10) {
        0..=5 => Val::Str((*pick(rng, WORDS)).to_owned()),
        6 => Val::Int(rng.gen_range(2..7)),
        7 => Val::Bytes(pick(rng, &[vec![0x0a, 0x0b], vec![0xff], vec![]]).clone()),
        8 => Val::Bool(rng.gen_bool(0.5)),
        _ => Val::Other,
    }
}

fn fill(rng: &mut StdRng, keys: &[&str]) -> Rec {
    let mut r = Rec::default();
    for k in keys {
        if rng.gen_bool(0.75) {
            r.values.insert((*k).to_owned(), value(rng));
        }
    }
    r
}

fn snapshot(policies: &[String]) -> Arc<PolicySnapshot> {
    let doc = format!(r#"{{"policies": [{}]}}"#, policies.join(","));
    let parsed = parse_document(&doc, Format::Json).expect("document parses");
    let registry = Registry::new();
    registry.update_source_parsed("diff", parsed);
    registry.snapshot()
}

fn matchers(rng: &mut StdRng, selectors: &[&str], implicit: &[&str]) -> String {
    let n = rng.gen_range(1..=3);
    let ms: Vec<String> = (0..n)
        .map(|_| {
            if !implicit.is_empty() && rng.gen_bool(0.2) {
                let mut m = (*pick(rng, implicit)).to_owned();
                if rng.gen_bool(0.25) {
                    m.push_str(r#", "negate": true"#);
                }
                format!("{{{m}}}")
            } else {
                format!("{{{}, {}}}", pick(rng, selectors), condition(rng))
            }
        })
        .collect();
    ms.join(", ")
}

/// Run `cases` random policy sets against `records` random records each.
fn differential(
    seed: u64,
    policy: impl Fn(&mut StdRng, usize) -> String,
    record: impl Fn(&mut StdRng) -> Rec,
    signal: for<'a> fn(&'a Rec) -> Signal<'a>,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut matched_total = 0usize;
    for case in 0..120 {
        let n = rng.gen_range(1..60);
        let policies: Vec<String> = (0..n).map(|i| policy(&mut rng, i)).collect();
        let snap = snapshot(&policies);
        for _ in 0..25 {
            let rec = record(&mut rng);
            let want = snap.reference_matches(signal(&rec));
            let got = snap.indexed_matches(signal(&rec));
            matched_total += want.len();
            assert_eq!(
                got, want,
                "case {case}: indexed vs reference differ\nrecord: {rec:?}\npolicies: {policies:#?}"
            );
        }
    }
    // The generator must produce matches, or the comparison proves little.
    assert!(matched_total > 500, "only {matched_total} matches");
}

#[test]
fn log_index_agrees_with_per_policy_evaluation() {
    const SELECTORS: &[&str] = &[
        r#""log_field": "body""#,
        r#""log_field": "severity_text""#,
        r#""log_field": "trace_id""#,
        r#""log_attribute": ["a"]"#,
        r#""log_attribute": ["b"]"#,
        r#""resource_attribute": ["svc"]"#,
        r#""scope_attribute": ["s"]"#,
    ];
    differential(
        7,
        |rng, i| {
            format!(
                r#"{{"id": "p{i:03}", "name": "p", "log": {{"match": [{}], "keep": "{}"}}}}"#,
                matchers(rng, SELECTORS, &[]),
                pick(rng, &["none", "all", "50%"])
            )
        },
        |rng| {
            fill(
                rng,
                &[
                    "Body",
                    "SeverityText",
                    "TraceId",
                    "Record.a",
                    "Record.b",
                    "Resource.svc",
                    "Scope.s",
                ],
            )
        },
        |r| Signal::Log(r),
    );
}

#[test]
fn metric_index_agrees_with_per_policy_evaluation() {
    const SELECTORS: &[&str] = &[
        r#""metric_field": "name""#,
        r#""metric_field": "unit""#,
        r#""datapoint_attribute": ["a"]"#,
        r#""resource_attribute": ["svc"]"#,
    ];
    const IMPLICIT: &[&str] = &[
        r#""metric_type": "gauge""#,
        r#""metric_type": "sum""#,
        r#""aggregation_temporality": "delta""#,
        r#""aggregation_temporality": "cumulative""#,
    ];
    differential(
        11,
        |rng, i| {
            format!(
                r#"{{"id": "m{i:03}", "name": "m", "metric": {{"match": [{}], "keep": {}}}}}"#,
                matchers(rng, SELECTORS, IMPLICIT),
                rng.gen_bool(0.5)
            )
        },
        |rng| {
            let mut r = fill(rng, &["Name", "Unit", "Record.a", "Resource.svc"]);
            r.metric_type = *pick(rng, &[None, Some(MetricType::Gauge), Some(MetricType::Sum)]);
            r.temporality = *pick(
                rng,
                &[
                    None,
                    Some(Temporality::Delta),
                    Some(Temporality::Cumulative),
                ],
            );
            r
        },
        |r| Signal::Metric(r),
    );
}

#[test]
fn trace_index_agrees_with_per_policy_evaluation() {
    const SELECTORS: &[&str] = &[
        r#""trace_field": "name""#,
        r#""trace_field": "trace_id""#,
        r#""span_attribute": ["a"]"#,
        r#""resource_attribute": ["svc"]"#,
    ];
    const IMPLICIT: &[&str] = &[
        r#""span_kind": "SERVER""#,
        r#""span_kind": "CLIENT""#,
        r#""span_status": "ERROR""#,
        r#""span_status": "UNSET""#,
    ];
    differential(
        13,
        |rng, i| {
            format!(
                r#"{{"id": "t{i:03}", "name": "t", "trace": {{"match": [{}], "keep": {{"percentage": 50}}}}}}"#,
                matchers(rng, SELECTORS, IMPLICIT)
            )
        },
        |rng| {
            let mut r = fill(rng, &["Name", "TraceId", "Record.a", "Resource.svc"]);
            r.kind = rng.gen_range(0..4);
            r.status = rng.gen_range(0..3);
            r
        },
        |r| Signal::Trace(r),
    );
}

#[test]
fn selective_policies_need_no_always_checked_list() {
    // Literal, regex and enum anchors: nothing is checked per record unless
    // the index hits. Only the all-negated policy is always checked.
    let snap = snapshot(&[
        r#"{"id":"a","name":"a","log":{"match":[{"log_field":"body","exact":"x"},{"log_field":"severity_text","exists":true}],"keep":"none"}}"#.into(),
        r#"{"id":"b","name":"b","log":{"match":[{"log_attribute":["k"],"regex":"^v[0-9]"}],"keep":"none"}}"#.into(),
        r#"{"id":"c","name":"c","log":{"match":[{"log_field":"body","contains":"y","negate":true}],"keep":"none"}}"#.into(),
        r#"{"id":"d","name":"d","metric":{"match":[{"metric_type":"gauge"}],"keep":false}}"#.into(),
        r#"{"id":"e","name":"e","trace":{"match":[{"span_kind":"SERVER"},{"span_attribute":["a"],"gt":1}],"keep":{"percentage":0}}}"#.into(),
    ]);
    assert_eq!(snap.always_checked(), [1, 0, 0]);
    let mut rec = Rec::default();
    rec.values.insert("Body".into(), Val::Str("x".into()));
    rec.values
        .insert("SeverityText".into(), Val::Str("info".into()));
    assert_eq!(snap.indexed_matches(Signal::Log(&rec)), vec![0, 2]);
    rec.values.insert("Body".into(), Val::Str("y".into()));
    rec.values.insert("Record.k".into(), Val::Str("v1".into()));
    assert_eq!(snap.indexed_matches(Signal::Log(&rec)), vec![1]);
}

// ---------------------------------------------------------------------------
// The per-thread memo of slot results (`super::memo`).

/// Run `f` while this thread's scratch is borrowed, so every evaluation in
/// it takes the re-entrant path: a fresh scratch without a memo.
fn without_memo<R>(f: impl FnOnce() -> R) -> R {
    super::SCRATCH.with(|cell| {
        let _held = cell.borrow_mut();
        f()
    })
}

fn scans() -> u64 {
    super::SCANS.with(|c| c.get())
}

fn log_rec(pairs: &[(&str, Val)]) -> Rec {
    let mut r = Rec::default();
    for (k, v) in pairs {
        r.values.insert((*k).to_owned(), v.clone());
    }
    r
}

fn s(x: &str) -> Val {
    Val::Str(x.to_owned())
}

#[test]
fn repeated_short_values_skip_the_scan() {
    let snap = snapshot(&[
        r#"{"id":"a","name":"a","log":{"match":[{"log_field":"body","regex":"^fo+"}],"keep":"none"}}"#.into(),
        r#"{"id":"b","name":"b","log":{"match":[{"log_field":"body","exact":"0a0b"}],"keep":"none"}}"#.into(),
        r#"{"id":"c","name":"c","log":{"match":[{"log_field":"body","equals":"0a0b"},{"log_field":"body","contains":"0b"}],"keep":"none"}}"#.into(),
    ]);
    let eval = |r: &Rec| {
        let before = scans();
        let got = snap.indexed_matches(Signal::Log(r));
        assert_eq!(got, snap.reference_matches(Signal::Log(r)));
        (got, scans() - before)
    };
    let foo = log_rec(&[("Body", s("foo"))]);
    assert_eq!(eval(&foo), (vec![0], 1));
    // The same value again, in another record: answered by the memo.
    assert_eq!(eval(&log_rec(&[("Body", s("foo"))])), (vec![0], 0));
    assert_eq!(eval(&foo), (vec![0], 0));
    // Near repeats are new keys.
    assert_eq!(eval(&log_rec(&[("Body", s("fo"))])), (vec![0], 1));
    assert_eq!(eval(&log_rec(&[("Body", s("Foo"))])), (vec![], 1));
    assert_eq!(eval(&log_rec(&[("Body", s("foo "))])), (vec![0], 1));
    // Hex text and the bytes it encodes differ (string-only `equals`);
    // both are memoized, including the exact-literal hits.
    let text = log_rec(&[("Body", s("0a0b"))]);
    let bytes = log_rec(&[("Body", Val::Bytes(vec![0x0a, 0x0b]))]);
    assert_eq!(eval(&text), (vec![1, 2], 1));
    assert_eq!(eval(&bytes), (vec![1], 1));
    assert_eq!(eval(&text), (vec![1, 2], 0));
    assert_eq!(eval(&bytes), (vec![1], 0));
    // Long values are scanned every time.
    let long = log_rec(&[(
        "Body",
        s(&format!("foo{}", "x".repeat(super::memo::MAX_KEY))),
    )]);
    assert_eq!(eval(&long), (vec![0], 1));
    assert_eq!(eval(&long), (vec![0], 1));
    let edge = log_rec(&[(
        "Body",
        s(&format!("foo{}", "x".repeat(super::memo::MAX_KEY - 3))),
    )]);
    assert_eq!(eval(&edge), (vec![0], 1));
    assert_eq!(eval(&edge), (vec![0], 0));
    // Re-entrant evaluation uses a fresh scratch: correct, not memoized.
    assert_eq!(without_memo(|| eval(&foo)), (vec![0], 1));
    assert_eq!(without_memo(|| eval(&foo)), (vec![0], 1));
    // Another snapshot with other patterns on the same slot: its own keys.
    let other = snapshot(&[
        r#"{"id":"a","name":"a","log":{"match":[{"log_field":"body","regex":"o$"}],"keep":"none"}}"#.into(),
    ]);
    let before = scans();
    assert_eq!(other.indexed_matches(Signal::Log(&foo)), vec![0]);
    assert_eq!(other.indexed_matches(Signal::Log(&foo)), vec![0]);
    assert_eq!(scans() - before, 1);
}

mod memo_props {
    use super::*;
    use proptest::prelude::*;

    /// Short words and near repeats of each other: prefixes, case
    /// variants, hex text of the byte values below, non-ASCII; every word
    /// also comes with same-length variants that differ only at the end.
    const STEMS: &[&str] = &[
        "INFO",
        "info",
        "0a0b",
        "0A0B",
        "ff",
        "straße",
        "",
        "svc-a.prod",
    ];
    const TAILS: &[&str] = &["", "1", "2", "x1"];

    fn word() -> impl Strategy<Value = String> + Clone {
        (0..STEMS.len(), prop_oneof![Just(0usize), 1..TAILS.len()])
            .prop_map(|(s, t)| format!("{}{}", STEMS[s], TAILS[t]))
    }

    const PATTERNS: &[&str] = &[
        "^INFO",
        "(?i)warn",
        "or$",
        "[0-9]",
        "^0a",
        "a|straße",
        ".",
        "b\\.a",
        "^(INFO|WARN)$",
        "O+",
        "^$",
        "1$",
        "a\\.prod2",
        "x1$",
        "^0a0b2",
    ];
    const BYTES: &[&[u8]] = &[&[0x0a], &[0x0a, 0x0b], &[0xff], &[]];

    fn cond() -> impl Strategy<Value = String> {
        let word = word().prop_map(|w| serde_json::to_string(&w).expect("json"));
        let c = prop_oneof![
            word.clone().prop_map(|w| format!(r#""exact": {w}"#)),
            (0..PATTERNS.len()).prop_map(|i| format!(
                r#""regex": {}"#,
                serde_json::to_string(PATTERNS[i]).expect("json")
            )),
            word.clone().prop_map(|w| format!(r#""starts_with": {w}"#)),
            word.clone().prop_map(|w| format!(r#""ends_with": {w}"#)),
            word.clone().prop_map(|w| format!(r#""contains": {w}"#)),
            word.prop_map(|w| format!(r#""equals": {w}"#)),
            Just(r#""equals": {"hex_value": "0a0b"}"#.to_owned()),
        ];
        (
            c,
            any::<bool>(),
            0u8..4,
            prop_oneof![Just("body"), Just("severity_text")],
        )
            .prop_map(|(c, negate, ci, field)| {
                let mut m = format!(r#"{{"log_field": "{field}", {c}"#);
                if negate {
                    m.push_str(r#", "negate": true"#);
                }
                if ci == 0 {
                    m.push_str(r#", "case_insensitive": true"#);
                }
                m.push('}');
                m
            })
    }

    fn policies() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(prop::collection::vec(cond(), 1..3), 1..10).prop_map(|ps| {
            ps.iter()
                .enumerate()
                .map(|(i, ms)| {
                    format!(
                        r#"{{"id": "p{i:02}", "name": "p", "log": {{"match": [{}], "keep": "none"}}}}"#,
                        ms.join(", ")
                    )
                })
                .collect()
        })
    }

    fn val() -> impl Strategy<Value = Val> {
        prop_oneof![
            6 => word().prop_map(Val::Str),
            2 => (0..BYTES.len()).prop_map(|i| Val::Bytes(BYTES[i].to_vec())),
            // Around the memoized length limit (hex text: twice the bytes).
            1 => (super::super::memo::MAX_KEY - 2..super::super::memo::MAX_KEY + 2, 0..2usize)
                .prop_map(|(n, w)| Val::Str(format!("{}{}", "a".repeat(n - 4), ["INFO", "INF1"][w]))),
            1 => (31usize..34).prop_map(|n| Val::Bytes(vec![0x0a; n])),
            1 => Just(Val::Int(5)),
        ]
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Evaluate (body, severity) on snapshot 0 or 1.
        Eval(usize, Option<Val>, Option<Val>),
        /// Replace snapshot 0 by a new one from the next policy set.
        Replace,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            12 => (0..2usize, prop::option::weighted(0.9, val()), prop::option::weighted(0.7, val()))
                .prop_map(|(w, b, s)| Op::Eval(w, b, s)),
            1 => Just(Op::Replace),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// With the memo, evaluation agrees with a fresh scratch (no memo)
        /// and with per-policy evaluation, for two snapshots evaluated
        /// alternately and for a snapshot replaced by another one.
        #[test]
        fn memo_agrees_with_fresh_scratch(
            sets in prop::collection::vec(policies(), 3),
            ops in prop::collection::vec(op(), 1..120),
        ) {
            let mut next = 2;
            let mut snaps = [snapshot(&sets[0]), snapshot(&sets[1])];
            for op in ops {
                let (w, body, sev) = match op {
                    Op::Replace => {
                        // Drop first: the new snapshot may reuse the address.
                        snaps[0] = Arc::new(PolicySnapshot::default());
                        snaps[0] = snapshot(&sets[next % 3]);
                        next += 1;
                        continue;
                    }
                    Op::Eval(w, b, s) => (w, b, s),
                };
                let mut rec = Rec::default();
                if let Some(b) = body {
                    rec.values.insert("Body".into(), b);
                }
                if let Some(s) = sev {
                    rec.values.insert("SeverityText".into(), s);
                }
                let snap = &snaps[w];
                let memo = snap.indexed_matches(Signal::Log(&rec));
                let fresh = without_memo(|| snap.indexed_matches(Signal::Log(&rec)));
                prop_assert_eq!(&memo, &fresh, "record {:?}", rec);
                prop_assert_eq!(&memo, &snap.reference_matches(Signal::Log(&rec)));
            }
        }
    }
}
