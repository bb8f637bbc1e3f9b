//! The evaluation engine: one immutable [`PolicySnapshot`] per policy set,
//! evaluated per record through the accessor traits of [`crate::record`].
//!
//! Pipeline per record (§1.3): match every policy of the signal against the
//! record as it arrived → choose the most restrictive winner → decide keep →
//! count hits/misses (relaxed atomics) → dispatch extensions → (logs)
//! transforms of all matching policies in ascending id order / (traces)
//! tracestate rewrite.

use crate::compile::{
    Body, ExtensionSpec, LogKeep, LogSel, Matcher, MetricSel, SamplingMode, TraceKeep, TraceSel,
    Transform,
};
use crate::index::{
    metric_type_code, temporality_code, Matched, SignalIndex, ENUM_METRIC_TYPE, ENUM_SPAN_KIND,
    ENUM_SPAN_STATUS, ENUM_TEMPORALITY,
};
use crate::matcher::Condition;
use crate::record::{
    LogField, LogView, LogViewMut, MetricView, TraceField, TraceView, TraceViewMut, ValueRef,
};
use crate::sampling;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Hit/miss counters of one policy, updated with relaxed atomics.
#[derive(Debug, Default)]
pub struct PolicyCounters {
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// remove, redact, rename, add × (hits, misses).
    pub(crate) stages: [[AtomicU64; 2]; 4],
}

/// Counter pair of one transform operation kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageStatus {
    /// Operations of this kind that changed the record.
    pub hits: u64,
    /// Operations that ran but selected nothing (or were a no-op).
    pub misses: u64,
}

/// A point-in-time reading of one policy's counters and errors, shaped like
/// `PolicySyncStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyStatus {
    /// Provider that supplied the policy.
    pub source_id: String,
    /// Policy id.
    pub id: String,
    /// Match hits (§1.14).
    pub match_hits: u64,
    /// Match misses.
    pub match_misses: u64,
    /// Parse/compile errors (located strings).
    pub errors: Vec<String>,
    /// `remove` counters.
    pub remove: StageStatus,
    /// `redact` counters.
    pub redact: StageStatus,
    /// `rename` counters.
    pub rename: StageStatus,
    /// `add` counters.
    pub add: StageStatus,
}

impl PolicyStatus {
    /// Convert to the wire type.
    pub fn to_proto(&self) -> edge_proto::policy::v1::PolicySyncStatus {
        use edge_proto::policy::v1::{PolicySyncStatus, TransformStageStatus};
        let st = |s: StageStatus| {
            (s != StageStatus::default()).then_some(TransformStageStatus {
                hits: s.hits as i64,
                misses: s.misses as i64,
            })
        };
        PolicySyncStatus {
            id: self.id.clone(),
            match_hits: self.match_hits as i64,
            match_misses: self.match_misses as i64,
            errors: self.errors.clone(),
            remove: st(self.remove),
            redact: st(self.redact),
            rename: st(self.rename),
            add: st(self.add),
        }
    }

    /// Whether there is anything to report.
    pub fn is_empty(&self) -> bool {
        self.match_hits == 0
            && self.match_misses == 0
            && self.errors.is_empty()
            && [self.remove, self.redact, self.rename, self.add]
                .iter()
                .all(|s| *s == StageStatus::default())
    }
}

impl PolicyCounters {
    pub(crate) fn read(&self) -> (u64, u64, [StageStatus; 4]) {
        let mut st = [StageStatus::default(); 4];
        for (i, s) in self.stages.iter().enumerate() {
            st[i] = StageStatus {
                hits: s[0].load(Relaxed),
                misses: s[1].load(Relaxed),
            };
        }
        (self.hits.load(Relaxed), self.misses.load(Relaxed), st)
    }

    pub(crate) fn subtract(&self, s: &PolicyStatus) {
        let sub = |a: &AtomicU64, v: u64| {
            let _ = a.fetch_update(Relaxed, Relaxed, |cur| Some(cur.saturating_sub(v)));
        };
        sub(&self.hits, s.match_hits);
        sub(&self.misses, s.match_misses);
        for (i, st) in [s.remove, s.redact, s.rename, s.add].iter().enumerate() {
            sub(&self.stages[i][0], st.hits);
            sub(&self.stages[i][1], st.misses);
        }
    }

    #[inline]
    fn hit(&self) {
        self.hits.fetch_add(1, Relaxed);
    }

    #[inline]
    fn miss(&self) {
        self.misses.fetch_add(1, Relaxed);
    }

    #[inline]
    fn stage(&self, kind: usize, hit: bool) {
        self.stages[kind][usize::from(!hit)].fetch_add(1, Relaxed);
    }
}

/// Fixed-window rate limiter, one window per sample-key value (§1.6.2).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u64,
    window: Duration,
    // TODO: a lock-free fast path for the unkeyed window.
    windows: Mutex<HashMap<Option<u64>, (Instant, u64)>>,
}

const MAX_RATE_KEYS: usize = 100_000;

impl RateLimiter {
    pub(crate) fn new(limit: u64, window_secs: u64) -> RateLimiter {
        RateLimiter {
            limit,
            window: Duration::from_secs(window_secs),
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn admit(&self, key: Option<u64>) -> bool {
        let now = Instant::now();
        let mut g = match self.windows.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if g.len() >= MAX_RATE_KEYS && !g.contains_key(&key) {
            let window = self.window;
            g.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let e = g.entry(key).or_insert((now, 0));
        if now.duration_since(e.0) >= self.window {
            *e = (now, 0);
        }
        if e.1 < self.limit {
            e.1 += 1;
            true
        } else {
            false
        }
    }
}

/// Facts handed to an extension handler with each delivered record.
#[derive(Debug)]
pub struct ExtensionContext<'a> {
    /// The policy that carries the extension.
    pub policy_id: &'a str,
    /// The extension as configured on that policy.
    pub extension: &'a ExtensionSpec,
    /// Whether the record matched that policy.
    pub matched: bool,
    /// The record's final keep outcome.
    pub kept: bool,
}

/// Receives copies of records for an extension type (§1.11.2). Called
/// synchronously on the evaluation path, before transforms: implementations
/// must copy what they need and hand it off without blocking.
pub trait ExtensionHandler: Send + Sync {
    /// A log record delivered under the extension's mode.
    fn on_log(&self, ctx: &ExtensionContext<'_>, record: &dyn LogView) {
        let _ = (ctx, record);
    }
    /// A metric delivered under the extension's mode.
    fn on_metric(&self, ctx: &ExtensionContext<'_>, record: &dyn MetricView) {
        let _ = (ctx, record);
    }
    /// A span delivered under the extension's mode.
    fn on_span(&self, ctx: &ExtensionContext<'_>, record: &dyn TraceView) {
        let _ = (ctx, record);
    }
}

#[derive(Clone)]
pub(crate) struct BoundExtension {
    pub(crate) spec: ExtensionSpec,
    pub(crate) handler: Arc<dyn ExtensionHandler>,
}

impl std::fmt::Debug for BoundExtension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundExtension")
            .field("spec", &self.spec)
            .finish()
    }
}

#[derive(Debug)]
pub(crate) struct LogPolicy {
    pub(crate) id: Arc<str>,
    matchers: Vec<Matcher<LogSel>>,
    keep: LogKeep,
    sample_key: Option<LogSel>,
    transform: Option<Transform>,
    counters: Arc<PolicyCounters>,
    limiter: Option<Arc<RateLimiter>>,
    extensions: Vec<BoundExtension>,
}

#[derive(Debug)]
pub(crate) struct MetricPolicy {
    pub(crate) id: Arc<str>,
    matchers: Vec<Matcher<MetricSel>>,
    keep: bool,
    counters: Arc<PolicyCounters>,
    extensions: Vec<BoundExtension>,
}

#[derive(Debug)]
pub(crate) struct TracePolicy {
    pub(crate) id: Arc<str>,
    matchers: Vec<Matcher<TraceSel>>,
    keep: TraceKeep,
    counters: Arc<PolicyCounters>,
    extensions: Vec<BoundExtension>,
}

/// Deliver one record to the extensions of every policy of a signal whose
/// mode asks for it (§1.11.2), given which policies matched and the outcome.
fn dispatch_extensions<'a, P>(
    policies: &'a [P],
    parts: impl Fn(&'a P) -> (&'a str, &'a [BoundExtension]),
    matched: &[u32],
    kept: bool,
    mut deliver: impl FnMut(&BoundExtension, &ExtensionContext<'_>),
) {
    for (i, p) in policies.iter().enumerate() {
        let (policy_id, extensions) = parts(p);
        if extensions.is_empty() {
            continue;
        }
        let matched = matched.binary_search(&(i as u32)).is_ok();
        for e in extensions {
            if e.spec.mode.delivers(matched, kept) {
                let ctx = ExtensionContext {
                    policy_id,
                    extension: &e.spec,
                    matched,
                    kept,
                };
                deliver(e, &ctx);
            }
        }
    }
}

/// Status bookkeeping for every policy of the snapshot, valid or not.
#[derive(Debug, Clone)]
pub(crate) struct PolicyEntry {
    pub(crate) source_id: Arc<str>,
    pub(crate) id: Arc<str>,
    pub(crate) errors: Vec<String>,
    pub(crate) counters: Arc<PolicyCounters>,
}

/// Input to [`PolicySnapshot::assemble`]: one compiled, enabled policy.
pub(crate) struct SnapshotPolicy {
    pub(crate) source_id: Arc<str>,
    pub(crate) id: Arc<str>,
    pub(crate) errors: Vec<String>,
    pub(crate) body: Option<Body>,
    pub(crate) extensions: Vec<BoundExtension>,
    pub(crate) counters: Arc<PolicyCounters>,
    pub(crate) limiter: Option<Arc<RateLimiter>>,
}

/// An immutable, compiled policy set. Cheap to share (`Arc`), evaluated
/// concurrently from any number of threads.
#[derive(Debug, Default)]
pub struct PolicySnapshot {
    logs: Vec<LogPolicy>,
    metrics: Vec<MetricPolicy>,
    traces: Vec<TracePolicy>,
    pub(crate) entries: Vec<PolicyEntry>,
    log_ext: bool,
    metric_ext: bool,
    trace_ext: bool,
    log_index: SignalIndex<LogSel>,
    metric_index: SignalIndex<MetricSel>,
    trace_index: SignalIndex<TraceSel>,
}

/// Outcome of [`PolicySnapshot::evaluate_log`]. Only meaningful with the
/// snapshot that produced it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogVerdict {
    keep: bool,
    transforms: bool,
    matched: Matched,
}

impl LogVerdict {
    /// Whether the record survives.
    pub fn keep(&self) -> bool {
        self.keep
    }
    /// Whether a kept record has transforms to apply.
    pub fn has_transforms(&self) -> bool {
        self.keep && self.transforms
    }
    /// Whether any policy matched.
    pub fn matched_any(&self) -> bool {
        !self.matched.is_empty()
    }
}

/// Outcome of [`PolicySnapshot::evaluate_metric`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricVerdict {
    keep: bool,
    matched: bool,
}

impl MetricVerdict {
    /// Whether the metric survives.
    pub fn keep(&self) -> bool {
        self.keep
    }
    /// Whether any policy matched.
    pub fn matched_any(&self) -> bool {
        self.matched
    }
}

/// Outcome of [`PolicySnapshot::evaluate_trace`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceVerdict {
    keep: bool,
    matched: bool,
    trace_state: Option<String>,
}

impl TraceVerdict {
    /// Whether the span survives.
    pub fn keep(&self) -> bool {
        self.keep
    }
    /// Whether any policy matched.
    pub fn matched_any(&self) -> bool {
        self.matched
    }
    /// The tracestate to write on a kept span, if it must change.
    pub fn new_trace_state(&self) -> Option<&str> {
        self.trace_state.as_deref().filter(|_| self.keep)
    }
}

fn log_value<'v, V: LogView + ?Sized>(rec: &'v V, sel: &LogSel) -> Option<ValueRef<'v>> {
    match sel {
        LogSel::Field(f) => rec.log_field(*f),
        LogSel::Attr(scope, path) => rec.attribute(*scope, path),
    }
}

/// Un-indexed truth of one matcher (negation included) for the selected
/// value: the reference semantics, used for [`crate::index::Fast::Slow`]
/// matchers.
#[inline]
fn check<S>(m: &Matcher<S>, v: Option<&ValueRef<'_>>, id: bool) -> bool {
    let r = match &m.cond {
        Some(c) => c.test(v, id),
        None => false,
    };
    r != m.negate
}

fn log_check<V: LogView + ?Sized>(m: &Matcher<LogSel>, rec: &V) -> bool {
    let v = log_value(rec, &m.sel);
    let id = matches!(m.sel, LogSel::Field(LogField::TraceId | LogField::SpanId));
    check(m, v.as_ref(), id)
}

fn metric_value<'v, V: MetricView + ?Sized>(rec: &'v V, sel: &MetricSel) -> Option<ValueRef<'v>> {
    match sel {
        MetricSel::Field(f) => rec.metric_field(*f),
        MetricSel::Attr(scope, path) => rec.attribute(*scope, path),
        MetricSel::Type(_) | MetricSel::Temporality(_) => None,
    }
}

fn metric_check<V: MetricView + ?Sized>(m: &Matcher<MetricSel>, rec: &V) -> bool {
    match &m.sel {
        MetricSel::Field(_) | MetricSel::Attr(..) => {
            check(m, metric_value(rec, &m.sel).as_ref(), false)
        }
        MetricSel::Type(t) => (rec.metric_type() == Some(*t)) != m.negate,
        MetricSel::Temporality(t) => (rec.temporality() == Some(*t)) != m.negate,
    }
}

fn metric_enum<V: MetricView + ?Sized>(rec: &V, kind: u8) -> Option<i32> {
    match kind {
        ENUM_METRIC_TYPE => rec.metric_type().map(metric_type_code),
        ENUM_TEMPORALITY => rec.temporality().map(temporality_code),
        _ => None,
    }
}

fn trace_value<'v, V: TraceView + ?Sized>(rec: &'v V, sel: &TraceSel) -> Option<ValueRef<'v>> {
    match sel {
        TraceSel::Field(f) => rec.trace_field(*f),
        TraceSel::Attr(scope, path) => rec.attribute(*scope, path),
        _ => None,
    }
}

fn trace_enum<V: TraceView + ?Sized>(rec: &V, kind: u8) -> Option<i32> {
    match kind {
        ENUM_SPAN_KIND => Some(rec.span_kind()),
        ENUM_SPAN_STATUS => Some(rec.span_status()),
        _ => None,
    }
}

fn trace_check<V: TraceView + ?Sized>(m: &Matcher<TraceSel>, rec: &V) -> bool {
    match &m.sel {
        TraceSel::Field(f) => {
            let id = matches!(
                f,
                TraceField::TraceId | TraceField::SpanId | TraceField::ParentSpanId
            );
            check(m, rec.trace_field(*f).as_ref(), id)
        }
        TraceSel::Attr(scope, path) => check(m, rec.attribute(*scope, path).as_ref(), false),
        TraceSel::Kind(k) => (rec.span_kind() == *k) != m.negate,
        TraceSel::Status(s) => (rec.span_status() == *s) != m.negate,
        TraceSel::EventName(n) => {
            let any = (0..rec.event_count())
                .any(|i| matches!(rec.event_name(i), Some(ValueRef::Str(s)) if s == n.as_str()));
            any != m.negate
        }
        TraceSel::EventAttr(path) => {
            let r = match &m.cond {
                // Presence: some event has the attribute.
                Some(Condition::Exists(want)) => {
                    (0..rec.event_count()).any(|i| rec.event_attribute(i, path).is_some()) == *want
                }
                // Value tests: some event's value satisfies the condition.
                Some(c) => (0..rec.event_count())
                    .any(|i| c.test(rec.event_attribute(i, path).as_ref(), false)),
                None => false,
            };
            r != m.negate
        }
        TraceSel::LinkTraceId(id) => {
            let any = (0..rec.link_count()).any(|i| {
                matches!(rec.link_trace_id(i), Some(ValueRef::Bytes(b)) if &b[..] == id.as_slice())
            });
            any != m.negate
        }
    }
}

/// Randomness from a sample-key value (§1.7): ids use their last 7 bytes,
/// anything else is hashed (FNV-1a, low 56 bits). `None` when absent/empty.
fn key_randomness(v: Option<ValueRef<'_>>) -> Option<u64> {
    match v? {
        ValueRef::Bytes(b) => sampling::id_randomness(&b),
        ValueRef::Str(s) if !s.is_empty() => Some(sampling::hash56(s.as_bytes())),
        ValueRef::Str(_) | ValueRef::Other => None,
        ValueRef::Int(i) => Some(sampling::hash56(i.to_string().as_bytes())),
        ValueRef::Double(d) => Some(sampling::hash56(d.to_string().as_bytes())),
        ValueRef::Bool(b) => Some(sampling::hash56(if b { b"true" } else { b"false" })),
    }
}

/// Index of the winner among `matched` by a "smaller is more restrictive"
/// key; ties keep the earliest (smallest id).
fn pick_winner<T, K: PartialOrd>(matched: &[u32], items: &[T], key: impl Fn(&T) -> K) -> u32 {
    let mut best = matched[0];
    let mut best_key = key(&items[best as usize]);
    for &i in &matched[1..] {
        let k = key(&items[i as usize]);
        if k < best_key {
            best = i;
            best_key = k;
        }
    }
    best
}

fn count<T>(
    matched: &[u32],
    winner: u32,
    kept: bool,
    items: &[T],
    counters: impl Fn(&T) -> &PolicyCounters,
) {
    for &i in matched {
        let c = counters(&items[i as usize]);
        if kept || i == winner {
            c.hit();
        } else {
            c.miss();
        }
    }
}

impl PolicySnapshot {
    /// An empty snapshot (everything passes through).
    pub fn empty() -> PolicySnapshot {
        PolicySnapshot::default()
    }

    pub(crate) fn assemble(mut items: Vec<SnapshotPolicy>) -> PolicySnapshot {
        items.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        let mut snap = PolicySnapshot::default();
        for it in items {
            snap.entries.push(PolicyEntry {
                source_id: it.source_id.clone(),
                id: it.id.clone(),
                errors: it.errors.clone(),
                counters: it.counters.clone(),
            });
            match it.body {
                None => {}
                Some(Body::Log {
                    matchers,
                    keep,
                    sample_key,
                    transform,
                }) => {
                    snap.log_ext |= !it.extensions.is_empty();
                    snap.logs.push(LogPolicy {
                        id: it.id,
                        matchers,
                        keep,
                        sample_key,
                        transform,
                        counters: it.counters,
                        limiter: it.limiter,
                        extensions: it.extensions,
                    })
                }
                Some(Body::Metric { matchers, keep }) => {
                    snap.metric_ext |= !it.extensions.is_empty();
                    snap.metrics.push(MetricPolicy {
                        id: it.id,
                        matchers,
                        keep,
                        counters: it.counters,
                        extensions: it.extensions,
                    })
                }
                Some(Body::Trace { matchers, keep }) => {
                    snap.trace_ext |= !it.extensions.is_empty();
                    snap.traces.push(TracePolicy {
                        id: it.id,
                        matchers,
                        keep,
                        counters: it.counters,
                        extensions: it.extensions,
                    })
                }
            }
        }
        snap.log_index = SignalIndex::build(snap.logs.iter_mut().map(|p| &mut p.matchers));
        snap.metric_index = SignalIndex::build(snap.metrics.iter_mut().map(|p| &mut p.matchers));
        snap.trace_index = SignalIndex::build(snap.traces.iter_mut().map(|p| &mut p.matchers));
        snap
    }

    /// How many valid log, metric and trace policies the snapshot holds.
    pub fn policy_counts(&self) -> (usize, usize, usize) {
        (self.logs.len(), self.metrics.len(), self.traces.len())
    }

    /// True when no valid policy exists for any signal (fast passthrough).
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty() && self.metrics.is_empty() && self.traces.is_empty()
    }

    /// True when no valid log policy exists.
    pub fn has_log_policies(&self) -> bool {
        !self.logs.is_empty()
    }

    /// True when no valid metric policy exists.
    pub fn has_metric_policies(&self) -> bool {
        !self.metrics.is_empty()
    }

    /// True when no valid trace policy exists.
    pub fn has_trace_policies(&self) -> bool {
        !self.traces.is_empty()
    }

    /// Current counters and errors of every policy in this snapshot, sorted
    /// by id.
    pub fn statuses(&self) -> Vec<PolicyStatus> {
        self.entries
            .iter()
            .map(|e| {
                let (h, m, st) = e.counters.read();
                PolicyStatus {
                    source_id: e.source_id.to_string(),
                    id: e.id.to_string(),
                    match_hits: h,
                    match_misses: m,
                    errors: e.errors.clone(),
                    remove: st[0],
                    redact: st[1],
                    rename: st[2],
                    add: st[3],
                }
            })
            .collect()
    }

    fn log_matched<V: LogView + ?Sized>(&self, rec: &V) -> Matched {
        self.log_index.matching(
            &self.logs,
            |p| &p.matchers,
            |sel| log_value(rec, sel),
            |scope| rec.attributes_id(scope),
            |_| None,
            |m| log_check(m, rec),
        )
    }

    fn metric_matched<V: MetricView + ?Sized>(&self, rec: &V) -> Matched {
        self.metric_index.matching(
            &self.metrics,
            |p| &p.matchers,
            |sel| metric_value(rec, sel),
            |_| None,
            |k| metric_enum(rec, k),
            |m| metric_check(m, rec),
        )
    }

    fn trace_matched<V: TraceView + ?Sized>(&self, rec: &V) -> Matched {
        self.trace_index.matching(
            &self.traces,
            |p| &p.matchers,
            |sel| trace_value(rec, sel),
            |_| None,
            |k| trace_enum(rec, k),
            |m| trace_check(m, rec),
        )
    }

    /// Evaluate the keep stage for one log record: match, pick the winner,
    /// decide, count, dispatch extensions. Does not modify the record; call
    /// [`PolicySnapshot::apply_log_transforms`] on kept records.
    pub fn evaluate_log<V: LogView>(&self, rec: &V) -> LogVerdict {
        let matched = self.log_matched(rec);
        if matched.is_empty() {
            if self.log_ext {
                self.dispatch_log(&matched, true, rec);
            }
            return LogVerdict {
                keep: true,
                transforms: false,
                matched,
            };
        }
        let winner = pick_winner(&matched, &self.logs, |p| p.keep.rank());
        let w = &self.logs[winner as usize];
        let keep = match w.keep {
            LogKeep::All => true,
            LogKeep::None => false,
            LogKeep::Percent(pct) => {
                let r = w
                    .sample_key
                    .as_ref()
                    .and_then(|k| key_randomness(log_value(rec, k)))
                    .unwrap_or_else(sampling::random56);
                r >= sampling::threshold(pct / 100.0)
            }
            LogKeep::Rate { .. } => {
                let key = w
                    .sample_key
                    .as_ref()
                    .and_then(|k| match log_value(rec, k)? {
                        ValueRef::Str(s) if !s.is_empty() => {
                            Some(sampling::fnv1a64(&[s.as_bytes()]))
                        }
                        ValueRef::Bytes(b) if !b.is_empty() => Some(sampling::fnv1a64(&[&b[..]])),
                        ValueRef::Int(i) => Some(sampling::fnv1a64(&[&i.to_le_bytes()[..]])),
                        ValueRef::Bool(b) => Some(u64::from(b)),
                        ValueRef::Double(d) => {
                            Some(sampling::fnv1a64(&[&d.to_bits().to_le_bytes()[..]]))
                        }
                        _ => None,
                    });
                w.limiter.as_ref().is_none_or(|l| l.admit(key))
            }
        };
        count(&matched, winner, keep, &self.logs, |p| &*p.counters);
        if self.log_ext {
            self.dispatch_log(&matched, keep, rec);
        }
        let transforms = keep
            && matched
                .iter()
                .any(|&i| self.logs[i as usize].transform.is_some());
        LogVerdict {
            keep,
            transforms,
            matched,
        }
    }

    fn dispatch_log<V: LogView>(&self, matched: &[u32], kept: bool, rec: &V) {
        dispatch_extensions(
            &self.logs,
            |p| (&p.id, &p.extensions),
            matched,
            kept,
            |e, ctx| e.handler.on_log(ctx, rec),
        );
    }

    /// Apply the transforms of every matching policy, in ascending id order,
    /// each policy's operations as remove → redact → rename → add (§1.8).
    /// Returns whether the record changed. `verdict` must come from this
    /// snapshot's [`PolicySnapshot::evaluate_log`] for the same record.
    pub fn apply_log_transforms<V: LogViewMut>(&self, verdict: &LogVerdict, rec: &mut V) -> bool {
        if !verdict.has_transforms() {
            return false;
        }
        let mut changed = false;
        for &i in verdict.matched.iter() {
            let Some(p) = self.logs.get(i as usize) else {
                continue;
            };
            if let Some(t) = &p.transform {
                changed |= apply_transform(t, &p.counters, rec);
            }
        }
        changed
    }

    /// Whether the transforms [`PolicySnapshot::apply_log_transforms`]
    /// would apply for `verdict` read and write nothing but the record's
    /// body, severity text and event name (no attribute, no identifier, no
    /// resource or scope): a module may then apply them to the record
    /// alone, leaving every other field as it is.
    pub fn log_transforms_touch_only_text_fields(&self, verdict: &LogVerdict) -> bool {
        let text = |sel: &LogSel| {
            matches!(
                sel,
                LogSel::Field(LogField::Body | LogField::SeverityText | LogField::EventName)
            )
        };
        verdict.matched.iter().all(|&i| {
            let Some(t) = self.logs.get(i as usize).and_then(|p| p.transform.as_ref()) else {
                return true;
            };
            t.remove.iter().all(text)
                && t.redact.iter().all(|r| text(&r.target))
                && t.rename.is_empty()
                && t.add.iter().all(|a| text(&a.target))
        })
    }

    /// Evaluate the metric policies for one metric (§1.9).
    pub fn evaluate_metric<V: MetricView>(&self, rec: &V) -> MetricVerdict {
        let matched = self.metric_matched(rec);
        let keep = if matched.is_empty() {
            true
        } else {
            let winner = pick_winner(&matched, &self.metrics, |p| p.keep);
            let keep = self.metrics[winner as usize].keep;
            count(&matched, winner, keep, &self.metrics, |p| &*p.counters);
            keep
        };
        if self.metric_ext {
            dispatch_extensions(
                &self.metrics,
                |p| (&p.id, &p.extensions),
                &matched,
                keep,
                |e, ctx| e.handler.on_metric(ctx, rec),
            );
        }
        MetricVerdict {
            keep,
            matched: !matched.is_empty(),
        }
    }

    /// Evaluate the trace policies for one span (§1.10): winner by lowest
    /// percentage, sampling decision, and the tracestate to write (read it
    /// from [`TraceVerdict::new_trace_state`] or apply it with
    /// [`PolicySnapshot::apply_trace_verdict`]).
    pub fn evaluate_trace<V: TraceView>(&self, rec: &V) -> TraceVerdict {
        let matched = self.trace_matched(rec);
        let (keep, trace_state) = if matched.is_empty() {
            (true, None)
        } else {
            let winner = pick_winner(&matched, &self.traces, |p| p.keep.percentage);
            let (keep, ts) = decide_trace(&self.traces[winner as usize].keep, rec);
            count(&matched, winner, keep, &self.traces, |p| &*p.counters);
            (keep, ts)
        };
        if self.trace_ext {
            dispatch_extensions(
                &self.traces,
                |p| (&p.id, &p.extensions),
                &matched,
                keep,
                |e, ctx| e.handler.on_span(ctx, rec),
            );
        }
        TraceVerdict {
            keep,
            matched: !matched.is_empty(),
            trace_state,
        }
    }

    /// Write the verdict's tracestate on a kept span. Returns whether the
    /// span changed.
    pub fn apply_trace_verdict<V: TraceViewMut>(
        &self,
        verdict: &TraceVerdict,
        rec: &mut V,
    ) -> bool {
        match verdict.new_trace_state() {
            Some(ts) => rec.set_trace_state(ts),
            None => false,
        }
    }

    /// [`PolicySnapshot::evaluate_trace`] followed by
    /// [`PolicySnapshot::apply_trace_verdict`].
    pub fn evaluate_trace_mut<V: TraceViewMut>(&self, rec: &mut V) -> TraceVerdict {
        let v = self.evaluate_trace(&*rec);
        self.apply_trace_verdict(&v, rec);
        v
    }
}

/// The sampling decision of the winning trace policy (§1.10.4). Returns
/// (keep, tracestate to write).
fn decide_trace<V: TraceView + ?Sized>(k: &TraceKeep, rec: &V) -> (bool, Option<String>) {
    let p = k.percentage / 100.0;
    let ts_owned;
    let ts: &str = match rec.trace_field(TraceField::TraceState) {
        Some(ValueRef::Str(s)) => {
            ts_owned = s;
            &ts_owned
        }
        _ => "",
    };
    if p <= 0.0 {
        return (false, None);
    }
    if p >= 1.0 {
        return (true, Some(sampling::write_th(ts, "0")));
    }
    let ot = sampling::read_ot(ts);
    if let (Some(rv), Some(th)) = (ot.rv, ot.th) {
        if rv < th {
            return (true, None);
        }
    }
    let trace_id = match rec.trace_field(TraceField::TraceId) {
        Some(ValueRef::Bytes(b)) if !b.is_empty() && b.iter().any(|x| *x != 0) => Some(b),
        _ => None,
    };
    let r = if k.mode == SamplingMode::HashSeed && k.hash_seed != 0 {
        trace_id.map(|id| {
            sampling::fnv1a64(&[&id[..], &k.hash_seed.to_le_bytes()[..]]) & (sampling::MAX_T - 1)
        })
    } else {
        ot.rv
            .or_else(|| trace_id.and_then(|id| sampling::id_randomness(&id)))
    };
    let Some(r) = r else {
        return (!k.fail_closed, None);
    };
    let t_d = sampling::threshold(p);
    let t = match k.mode {
        SamplingMode::HashSeed => t_d,
        SamplingMode::Proportional => {
            let p_in = ot
                .th
                .map(|t| 1.0 - t as f64 / sampling::MAX_T as f64)
                .unwrap_or(1.0);
            sampling::threshold(p * p_in)
        }
        SamplingMode::Equalizing => {
            if let (Some(t_in), Some(text)) = (ot.th, ot.th_text) {
                if t_in >= t_d {
                    // Upstream was at least as selective: keep its threshold
                    // (written back verbatim, `ot` first).
                    return (true, Some(sampling::write_th(ts, text)));
                }
            }
            t_d
        }
    };
    if r >= t {
        (
            true,
            Some(sampling::write_th(ts, &sampling::encode_th(t, k.precision))),
        )
    } else {
        (false, None)
    }
}

const REMOVE: usize = 0;
const REDACT: usize = 1;
const RENAME: usize = 2;
const ADD: usize = 3;

fn is_schema_url(f: LogField) -> bool {
    matches!(f, LogField::ResourceSchemaUrl | LogField::ScopeSchemaUrl)
}

fn apply_transform<V: LogViewMut>(t: &Transform, c: &PolicyCounters, rec: &mut V) -> bool {
    let mut changed = false;
    for sel in &t.remove {
        let hit = match sel {
            LogSel::Field(f) if is_schema_url(*f) => false,
            LogSel::Field(f) => rec.log_field(*f).is_some() && rec.remove_field(*f),
            LogSel::Attr(scope, path) => rec.remove_attribute(*scope, path),
        };
        c.stage(REMOVE, hit);
        changed |= hit;
    }
    for r in &t.redact {
        let new: Option<String> = match &r.target {
            LogSel::Field(f) if is_schema_url(*f) => None,
            sel => match (log_value(rec, sel), &r.regex) {
                (None, _) => None,
                (Some(_), None) => Some(r.replacement.clone()),
                (Some(ValueRef::Str(s)), Some(re)) => {
                    if re.is_match(&s) {
                        Some(re.replace_all(&s, r.replacement.as_str()).into_owned())
                    } else {
                        None
                    }
                }
                (Some(_), Some(_)) => None,
            },
        };
        let hit = match new {
            None => false,
            Some(v) => match &r.target {
                LogSel::Field(f) => {
                    rec.set_field(*f, &v);
                    true
                }
                LogSel::Attr(scope, path) => {
                    rec.set_attribute(*scope, path, &v);
                    true
                }
            },
        };
        c.stage(REDACT, hit);
        changed |= hit;
    }
    for r in &t.rename {
        let hit = match &r.from {
            LogSel::Field(_) => false,
            LogSel::Attr(scope, path) => rec.rename_attribute(*scope, path, &r.to, r.upsert),
        };
        c.stage(RENAME, hit);
        changed |= hit;
    }
    for a in &t.add {
        let hit = match &a.target {
            LogSel::Field(f) if is_schema_url(*f) => false,
            LogSel::Field(f) => {
                if rec.log_field(*f).is_some() && !a.upsert {
                    false
                } else {
                    rec.set_field(*f, &a.value);
                    true
                }
            }
            LogSel::Attr(scope, path) => {
                if rec.attribute(*scope, path).is_some() && !a.upsert {
                    false
                } else {
                    rec.set_attribute(*scope, path, &a.value);
                    true
                }
            }
        };
        c.stage(ADD, hit);
        changed |= hit;
    }
    changed
}

/// Test-only access for the differential tests of the candidate index
/// (`index/differential.rs`): the indexed result and a per-policy
/// evaluation that ignores the index entirely.
#[cfg(test)]
impl PolicySnapshot {
    pub(crate) fn indexed_matches(&self, signal: Signal<'_>) -> Vec<u32> {
        match signal {
            Signal::Log(r) => self.log_matched(r).to_vec(),
            Signal::Metric(r) => self.metric_matched(r).to_vec(),
            Signal::Trace(r) => self.trace_matched(r).to_vec(),
        }
    }

    pub(crate) fn reference_matches(&self, signal: Signal<'_>) -> Vec<u32> {
        fn all<P, M>(ps: &[P], ms: impl Fn(&P) -> &[M], ok: impl Fn(&M) -> bool) -> Vec<u32> {
            (0..ps.len() as u32)
                .filter(|&i| ms(&ps[i as usize]).iter().all(&ok))
                .collect()
        }
        match signal {
            Signal::Log(r) => all(&self.logs, |p| &p.matchers, |m| log_check(m, r)),
            Signal::Metric(r) => all(&self.metrics, |p| &p.matchers, |m| metric_check(m, r)),
            Signal::Trace(r) => all(&self.traces, |p| &p.matchers, |m| trace_check(m, r)),
        }
    }

    pub(crate) fn always_checked(&self) -> [usize; 3] {
        [
            self.log_index.always_len(),
            self.metric_index.always_len(),
            self.trace_index.always_len(),
        ]
    }
}

/// A record of one signal, for the test accessors above.
#[cfg(test)]
pub(crate) enum Signal<'a> {
    Log(&'a dyn LogView),
    Metric(&'a dyn MetricView),
    Trace(&'a dyn TraceView),
}
