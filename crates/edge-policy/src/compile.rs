//! Compilation (validation) of parsed policies into executable form (§1.12).
//!
//! Every invalid condition makes the policy inert and yields a located error
//! string such as `log: match[0]: invalid regex "([": <reason>`. All problems
//! of a policy are collected.

#![allow(deprecated)] // `exact` is deprecated in the schema but still supported.

use crate::index::Fast;
use crate::matcher::{
    compile_regex, decode_hex, CmpOp, Condition, LiteralKind, Num, StringMatcher, TypedLit,
};
use crate::record::{AttrScope, LogField, MetricField, MetricType, Temporality, TraceField};
use edge_proto::policy::v1 as pb;
use regex::Regex;
use std::sync::Arc;

/// Log field selectors and transform targets.
#[derive(Debug, Clone)]
pub(crate) enum LogSel {
    Field(LogField),
    Attr(AttrScope, Vec<String>),
}

/// Metric selectors.
#[derive(Debug, Clone)]
pub(crate) enum MetricSel {
    Field(MetricField),
    Attr(AttrScope, Vec<String>),
    Type(MetricType),
    Temporality(Temporality),
}

/// Trace selectors.
#[derive(Debug, Clone)]
pub(crate) enum TraceSel {
    Field(TraceField),
    Attr(AttrScope, Vec<String>),
    Kind(i32),
    Status(i32),
    EventName(String),
    EventAttr(Vec<String>),
    LinkTraceId(Vec<u8>),
}

/// One compiled matcher. `cond` is `None` only for implicit-equality
/// selectors.
#[derive(Debug, Clone)]
pub(crate) struct Matcher<S> {
    pub(crate) sel: S,
    pub(crate) cond: Option<Condition>,
    pub(crate) negate: bool,
    /// `case_insensitive` as written (needed to rebuild the pattern for the
    /// multi-pattern index).
    pub(crate) ci: bool,
    /// How the signal's candidate index answers this condition (set when the
    /// snapshot is assembled, see `index.rs`).
    pub(crate) fast: Fast,
}

/// A log `keep` value (§1.6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LogKeep {
    All,
    None,
    /// Strictly between 0 and 100.
    Percent(f64),
    Rate {
        limit: u64,
        window_secs: u64,
    },
}

impl LogKeep {
    /// Restrictiveness rank: smaller is more restrictive (§1.6.3).
    pub(crate) fn rank(&self) -> (u8, f64) {
        match *self {
            LogKeep::None => (0, 0.0),
            LogKeep::Rate { limit, window_secs } => (1, limit as f64 / window_secs as f64),
            LogKeep::Percent(p) => (2, p),
            LogKeep::All => (3, 0.0),
        }
    }
}

/// Parse a log keep string; `None` when invalid.
pub(crate) fn parse_log_keep(keep: &str) -> Option<LogKeep> {
    let k = keep.trim().to_ascii_lowercase();
    match k.as_str() {
        "" | "all" => return Some(LogKeep::All),
        "none" => return Some(LogKeep::None),
        _ => {}
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(num) = k.strip_suffix('%') {
        let dots = num.bytes().filter(|b| *b == b'.').count();
        let ok_chars = num.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if num.is_empty() || !ok_chars || dots > 1 || num == "." {
            return None;
        }
        let p: f64 = num.parse().ok()?;
        if !(0.0..=100.0).contains(&p) {
            return None;
        }
        return Some(if p <= 0.0 {
            LogKeep::None
        } else if p >= 100.0 {
            LogKeep::All
        } else {
            LogKeep::Percent(p)
        });
    }
    let (n, unit) = k.split_once('/')?;
    if !digits(n) {
        return None;
    }
    let limit: u64 = n.parse().ok()?;
    let (d, mult) = if let Some(d) = unit.strip_suffix('s') {
        (d, 1)
    } else if let Some(d) = unit.strip_suffix('m') {
        (d, 60)
    } else {
        return None;
    };
    let count: u64 = if d.is_empty() {
        1
    } else if digits(d) {
        d.parse().ok()?
    } else {
        return None;
    };
    if limit == 0 || count == 0 {
        return None;
    }
    Some(LogKeep::Rate {
        limit,
        window_secs: count.checked_mul(mult)?,
    })
}

/// A redact operation.
#[derive(Debug, Clone)]
pub(crate) struct Redact {
    pub(crate) target: LogSel,
    pub(crate) replacement: String,
    pub(crate) regex: Option<Regex>,
}

/// A rename operation.
#[derive(Debug, Clone)]
pub(crate) struct Rename {
    pub(crate) from: LogSel,
    pub(crate) to: String,
    pub(crate) upsert: bool,
}

/// An add operation.
#[derive(Debug, Clone)]
pub(crate) struct Add {
    pub(crate) target: LogSel,
    pub(crate) value: String,
    pub(crate) upsert: bool,
}

/// A compiled log transform.
#[derive(Debug, Clone, Default)]
pub(crate) struct Transform {
    pub(crate) remove: Vec<LogSel>,
    pub(crate) redact: Vec<Redact>,
    pub(crate) rename: Vec<Rename>,
    pub(crate) add: Vec<Add>,
}

impl Transform {
    fn is_empty(&self) -> bool {
        self.remove.is_empty()
            && self.redact.is_empty()
            && self.rename.is_empty()
            && self.add.is_empty()
    }
}

/// Trace sampling modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SamplingMode {
    HashSeed,
    Proportional,
    Equalizing,
}

/// Trace sampling configuration (§1.10.1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TraceKeep {
    pub(crate) percentage: f64,
    pub(crate) mode: SamplingMode,
    pub(crate) precision: u32,
    pub(crate) hash_seed: u32,
    pub(crate) fail_closed: bool,
}

/// Which slice of the stream an extension receives (§1.11.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionMode {
    /// Matched this policy and survived keep.
    Kept,
    /// Matched this policy and did not survive keep.
    Dropped,
    /// Did not match this policy.
    Unmatched,
    /// Matched this policy (kept or dropped). The default.
    Matched,
    /// Every record of the signal.
    All,
}

impl ExtensionMode {
    /// Whether a record with these facts is delivered.
    pub fn delivers(self, matched: bool, kept: bool) -> bool {
        match self {
            ExtensionMode::Kept => matched && kept,
            ExtensionMode::Dropped => matched && !kept,
            ExtensionMode::Unmatched => !matched,
            ExtensionMode::Matched => matched,
            ExtensionMode::All => true,
        }
    }
}

/// An extension attached to a policy, as compiled.
#[derive(Debug, Clone)]
pub struct ExtensionSpec {
    /// Reverse-DNS type identifier.
    pub kind: String,
    /// Version of the extension's schema.
    pub version: String,
    /// Opaque configuration bytes.
    pub config: Arc<[u8]>,
    /// Delivery mode.
    pub mode: ExtensionMode,
}

/// The executable part of a valid policy.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Log {
        matchers: Vec<Matcher<LogSel>>,
        keep: LogKeep,
        sample_key: Option<LogSel>,
        transform: Option<Transform>,
    },
    Metric {
        matchers: Vec<Matcher<MetricSel>>,
        keep: bool,
    },
    Trace {
        matchers: Vec<Matcher<TraceSel>>,
        keep: TraceKeep,
    },
}

/// Result of compiling one policy.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) errors: Vec<String>,
    /// `None` when the policy is invalid (inert).
    pub(crate) body: Option<Body>,
    pub(crate) extensions: Vec<ExtensionSpec>,
}

enum MatchRef<'a> {
    Exact(&'a str),
    Regex(&'a str),
    Exists(bool),
    StartsWith(&'a str),
    EndsWith(&'a str),
    Contains(&'a str),
    Equals(&'a pb::Value),
    Cmp(CmpOp, &'a pb::NumericValue),
}

macro_rules! match_ref {
    ($($m:ident)::+, $e:expr) => {{
        use $($m)::+ as M;
        $e.as_ref().map(|m| match m {
            M::Exact(s) => MatchRef::Exact(s),
            M::Regex(s) => MatchRef::Regex(s),
            M::Exists(b) => MatchRef::Exists(*b),
            M::StartsWith(s) => MatchRef::StartsWith(s),
            M::EndsWith(s) => MatchRef::EndsWith(s),
            M::Contains(s) => MatchRef::Contains(s),
            M::Equals(v) => MatchRef::Equals(v),
            M::Gt(v) => MatchRef::Cmp(CmpOp::Gt, v),
            M::Gte(v) => MatchRef::Cmp(CmpOp::Gte, v),
            M::Lt(v) => MatchRef::Cmp(CmpOp::Lt, v),
            M::Lte(v) => MatchRef::Cmp(CmpOp::Lte, v),
        })
    }};
}

fn compile_cond(m: MatchRef<'_>, ci: bool, id_field: bool) -> Result<Condition, String> {
    let hex_of = |s: &str| if id_field { decode_hex(s) } else { None };
    Ok(match m {
        MatchRef::Exact(s) => {
            Condition::Exact(StringMatcher::literal(LiteralKind::Exact, s, ci), hex_of(s))
        }
        MatchRef::Regex(p) => Condition::Str(StringMatcher::Regex(
            compile_regex(p, ci).map_err(|e| format!("invalid regex \"{p}\": {e}"))?,
        )),
        MatchRef::Exists(b) => Condition::Exists(b),
        MatchRef::StartsWith(s) => {
            Condition::Str(StringMatcher::literal(LiteralKind::Prefix, s, ci))
        }
        MatchRef::EndsWith(s) => Condition::Str(StringMatcher::literal(LiteralKind::Suffix, s, ci)),
        MatchRef::Contains(s) => {
            Condition::Str(StringMatcher::literal(LiteralKind::Contains, s, ci))
        }
        MatchRef::Equals(v) => {
            use pb::value::Value as V;
            Condition::Equals(match &v.value {
                None => return Err("typed value is unset".into()),
                Some(V::BoolValue(b)) => TypedLit::Bool(*b),
                Some(V::IntValue(i)) => TypedLit::Num(Num::Int(*i)),
                Some(V::DoubleValue(d)) => TypedLit::Num(Num::Double(*d)),
                Some(V::BytesValue(b)) => TypedLit::Bytes(b.clone()),
                Some(V::HexValue(h)) => TypedLit::Bytes(
                    decode_hex(h).ok_or_else(|| format!("invalid hex value \"{h}\""))?,
                ),
                Some(V::StringValue(s)) => {
                    TypedLit::Str(StringMatcher::literal(LiteralKind::Exact, s, ci), hex_of(s))
                }
            })
        }
        MatchRef::Cmp(op, n) => {
            use pb::numeric_value::Value as N;
            Condition::Cmp(
                op,
                match n.value {
                    None => return Err("typed value is unset".into()),
                    Some(N::IntValue(i)) => Num::Int(i),
                    Some(N::DoubleValue(d)) => Num::Double(d),
                },
            )
        }
    })
}

fn path(p: &pb::AttributePath) -> Result<Vec<String>, String> {
    if p.path.is_empty() {
        Err("attribute has empty path".into())
    } else {
        Ok(p.path.clone())
    }
}

fn log_field(n: i32) -> Result<LogField, String> {
    Ok(match n {
        1 => LogField::Body,
        2 => LogField::SeverityText,
        3 => LogField::TraceId,
        4 => LogField::SpanId,
        5 => LogField::EventName,
        10 => LogField::ResourceSchemaUrl,
        11 => LogField::ScopeSchemaUrl,
        _ => return Err("field selector is unspecified".into()),
    })
}

fn log_sel_is_id(s: &LogSel) -> bool {
    matches!(s, LogSel::Field(LogField::TraceId | LogField::SpanId))
}

/// Shared shape of the four-way log selector oneofs.
enum LogSelRef<'a> {
    Field(i32),
    Attr(AttrScope, &'a pb::AttributePath),
}

fn log_sel(s: Option<LogSelRef<'_>>) -> Result<LogSel, String> {
    match s {
        None => Err("matcher has no field specified".into()),
        Some(LogSelRef::Field(f)) => Ok(LogSel::Field(log_field(f)?)),
        Some(LogSelRef::Attr(scope, p)) => Ok(LogSel::Attr(scope, path(p)?)),
    }
}

macro_rules! log_sel_ref {
    ($($m:ident)::+, $e:expr, $lf:ident, $la:ident, $ra:ident, $sa:ident) => {{
        use $($m)::+ as F;
        $e.as_ref().map(|f| match f {
            F::$lf(n) => LogSelRef::Field(*n),
            F::$la(p) => LogSelRef::Attr(AttrScope::Record, p),
            F::$ra(p) => LogSelRef::Attr(AttrScope::Resource, p),
            F::$sa(p) => LogSelRef::Attr(AttrScope::Scope, p),
        })
    }};
}

fn compile_log(t: &pb::LogTarget, errors: &mut Vec<String>) -> Option<Body> {
    if t.r#match.is_empty() {
        errors.push("log: no matchers specified".into());
    }
    let mut matchers = Vec::with_capacity(t.r#match.len());
    for (i, m) in t.r#match.iter().enumerate() {
        let res = (|| {
            let sel = log_sel(log_sel_ref!(
                pb::log_matcher::Field,
                m.field,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            ))?;
            let cond = match_ref!(pb::log_matcher::Match, m.r#match)
                .ok_or_else(|| "matcher has no match condition".to_owned())?;
            let cond = compile_cond(cond, m.case_insensitive, log_sel_is_id(&sel))?;
            Ok::<_, String>(Matcher {
                sel,
                cond: Some(cond),
                negate: m.negate,
                ci: m.case_insensitive,
                fast: Fast::Slow,
            })
        })();
        match res {
            Ok(m) => matchers.push(m),
            Err(e) => errors.push(format!("log: match[{i}]: {e}")),
        }
    }
    let keep = parse_log_keep(&t.keep);
    if keep.is_none() {
        errors.push(format!("log: keep: invalid value \"{}\"", t.keep));
    }
    let sample_key = match &t.sample_key {
        None => None,
        Some(k) => match log_sel(log_sel_ref!(
            pb::log_sample_key::Field,
            k.field,
            LogField,
            LogAttribute,
            ResourceAttribute,
            ScopeAttribute
        )) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(format!("log: sample_key: {e}"));
                None
            }
        },
    };
    let mut transform = Transform::default();
    if let Some(tr) = &t.transform {
        for (j, r) in tr.remove.iter().enumerate() {
            match log_sel(log_sel_ref!(
                pb::log_remove::Field,
                r.field,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            )) {
                Ok(s) => transform.remove.push(s),
                Err(e) => errors.push(format!("log: transform: remove[{j}]: {e}")),
            }
        }
        for (j, r) in tr.redact.iter().enumerate() {
            let target = log_sel(log_sel_ref!(
                pb::log_redact::Field,
                r.field,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            ));
            let regex = match &r.regex {
                None => Ok(None),
                Some(p) => compile_regex(p, false)
                    .map(Some)
                    .map_err(|e| format!("invalid regex \"{p}\": {e}")),
            };
            match (target, regex) {
                (Ok(target), Ok(regex)) => transform.redact.push(Redact {
                    target,
                    replacement: r.replacement.clone(),
                    regex,
                }),
                (t, r) => {
                    for e in [t.err(), r.err()].into_iter().flatten() {
                        errors.push(format!("log: transform: redact[{j}]: {e}"));
                    }
                }
            }
        }
        for (j, r) in tr.rename.iter().enumerate() {
            let from = log_sel(log_sel_ref!(
                pb::log_rename::From,
                r.from,
                FromLogField,
                FromLogAttribute,
                FromResourceAttribute,
                FromScopeAttribute
            ));
            match from {
                Err(e) => errors.push(format!("log: transform: rename[{j}]: {e}")),
                Ok(_) if r.to.is_empty() => {
                    errors.push(format!("log: transform: rename[{j}]: empty target"))
                }
                Ok(from) => transform.rename.push(Rename {
                    from,
                    to: r.to.clone(),
                    upsert: r.upsert,
                }),
            }
        }
        for (j, a) in tr.add.iter().enumerate() {
            match log_sel(log_sel_ref!(
                pb::log_add::Field,
                a.field,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            )) {
                Ok(target) => transform.add.push(Add {
                    target,
                    value: a.value.clone(),
                    upsert: a.upsert,
                }),
                Err(e) => errors.push(format!("log: transform: add[{j}]: {e}")),
            }
        }
    }
    if !errors.is_empty() {
        return None;
    }
    Some(Body::Log {
        matchers,
        keep: keep?,
        sample_key,
        transform: if transform.is_empty() {
            None
        } else {
            Some(transform)
        },
    })
}

fn compile_metric(t: &pb::MetricTarget, errors: &mut Vec<String>) -> Option<Body> {
    use pb::metric_matcher::Field as F;
    if t.r#match.is_empty() {
        errors.push("metric: no matchers specified".into());
    }
    let mut matchers = Vec::with_capacity(t.r#match.len());
    for (i, m) in t.r#match.iter().enumerate() {
        let res = (|| {
            let unspecified = || "field selector is unspecified".to_owned();
            let sel = match &m.field {
                None => return Err("matcher has no field specified".to_owned()),
                Some(F::MetricField(n)) => MetricSel::Field(match n {
                    1 => MetricField::Name,
                    2 => MetricField::Description,
                    3 => MetricField::Unit,
                    10 => MetricField::ResourceSchemaUrl,
                    11 => MetricField::ScopeSchemaUrl,
                    12 => MetricField::ScopeName,
                    13 => MetricField::ScopeVersion,
                    _ => return Err(unspecified()),
                }),
                Some(F::DatapointAttribute(p)) => MetricSel::Attr(AttrScope::Record, path(p)?),
                Some(F::ResourceAttribute(p)) => MetricSel::Attr(AttrScope::Resource, path(p)?),
                Some(F::ScopeAttribute(p)) => MetricSel::Attr(AttrScope::Scope, path(p)?),
                Some(F::MetricType(n)) => MetricSel::Type(match n {
                    1 => MetricType::Gauge,
                    2 => MetricType::Sum,
                    3 => MetricType::Histogram,
                    4 => MetricType::ExponentialHistogram,
                    5 => MetricType::Summary,
                    _ => return Err(unspecified()),
                }),
                Some(F::AggregationTemporality(n)) => MetricSel::Temporality(match n {
                    1 => Temporality::Delta,
                    2 => Temporality::Cumulative,
                    _ => return Err(unspecified()),
                }),
            };
            let implicit = matches!(sel, MetricSel::Type(_) | MetricSel::Temporality(_));
            let cond = match match_ref!(pb::metric_matcher::Match, m.r#match) {
                _ if implicit => None,
                None => return Err("matcher has no match condition".to_owned()),
                Some(c) => Some(compile_cond(c, m.case_insensitive, false)?),
            };
            Ok(Matcher {
                sel,
                cond,
                negate: m.negate,
                ci: m.case_insensitive,
                fast: Fast::Slow,
            })
        })();
        match res {
            Ok(m) => matchers.push(m),
            Err(e) => errors.push(format!("metric: match[{i}]: {e}")),
        }
    }
    if !errors.is_empty() {
        return None;
    }
    Some(Body::Metric {
        matchers,
        keep: t.keep,
    })
}

fn compile_trace(t: &pb::TraceTarget, errors: &mut Vec<String>) -> Option<Body> {
    use pb::trace_matcher::Field as F;
    if t.r#match.is_empty() {
        errors.push("trace: no matchers specified".into());
    }
    let mut matchers = Vec::with_capacity(t.r#match.len());
    for (i, m) in t.r#match.iter().enumerate() {
        let res = (|| {
            let unspecified = || "field selector is unspecified".to_owned();
            let sel = match &m.field {
                None => return Err("matcher has no field specified".to_owned()),
                Some(F::TraceField(n)) => TraceSel::Field(match n {
                    1 => TraceField::Name,
                    2 => TraceField::TraceId,
                    3 => TraceField::SpanId,
                    4 => TraceField::ParentSpanId,
                    5 => TraceField::TraceState,
                    10 => TraceField::ResourceSchemaUrl,
                    11 => TraceField::ScopeSchemaUrl,
                    12 => TraceField::ScopeName,
                    13 => TraceField::ScopeVersion,
                    _ => return Err(unspecified()),
                }),
                Some(F::SpanAttribute(p)) => TraceSel::Attr(AttrScope::Record, path(p)?),
                Some(F::ResourceAttribute(p)) => TraceSel::Attr(AttrScope::Resource, path(p)?),
                Some(F::ScopeAttribute(p)) => TraceSel::Attr(AttrScope::Scope, path(p)?),
                Some(F::SpanKind(n)) if (1..=5).contains(n) => TraceSel::Kind(*n),
                Some(F::SpanKind(_)) => return Err(unspecified()),
                Some(F::SpanStatus(n)) if (0..=2).contains(n) => TraceSel::Status(*n),
                Some(F::SpanStatus(_)) => return Err(unspecified()),
                Some(F::EventName(s)) => TraceSel::EventName(s.clone()),
                Some(F::EventAttribute(p)) => TraceSel::EventAttr(path(p)?),
                Some(F::LinkTraceId(h)) => TraceSel::LinkTraceId(
                    decode_hex(h)
                        .filter(|b| !b.is_empty())
                        .ok_or_else(|| format!("invalid hex value \"{h}\""))?,
                ),
            };
            let implicit = matches!(
                sel,
                TraceSel::Kind(_)
                    | TraceSel::Status(_)
                    | TraceSel::EventName(_)
                    | TraceSel::LinkTraceId(_)
            );
            let id_field = matches!(
                sel,
                TraceSel::Field(
                    TraceField::TraceId | TraceField::SpanId | TraceField::ParentSpanId
                )
            );
            let cond = match match_ref!(pb::trace_matcher::Match, m.r#match) {
                _ if implicit => None,
                None => return Err("matcher has no match condition".to_owned()),
                Some(c) => Some(compile_cond(c, m.case_insensitive, id_field)?),
            };
            Ok(Matcher {
                sel,
                cond,
                negate: m.negate,
                ci: m.case_insensitive,
                fast: Fast::Slow,
            })
        })();
        match res {
            Ok(m) => matchers.push(m),
            Err(e) => errors.push(format!("trace: match[{i}]: {e}")),
        }
    }
    let keep = match &t.keep {
        None => {
            errors.push("trace: keep: missing sampling configuration".into());
            None
        }
        Some(k) => {
            let mut ok = true;
            let pct = k.percentage as f64;
            if pct.is_nan() || !(0.0..=100.0).contains(&pct) {
                errors.push("trace: keep: percentage out of range".into());
                ok = false;
            }
            let mode = match k.mode.unwrap_or(0) {
                0 | 1 => SamplingMode::HashSeed,
                2 => SamplingMode::Proportional,
                3 => SamplingMode::Equalizing,
                n => {
                    errors.push(format!("trace: keep: unknown sampling mode {n}"));
                    ok = false;
                    SamplingMode::HashSeed
                }
            };
            let precision = k.sampling_precision.unwrap_or(4);
            if !(1..=14).contains(&precision) {
                errors.push("trace: keep: sampling_precision out of range".into());
                ok = false;
            }
            ok.then_some(TraceKeep {
                percentage: pct,
                mode,
                precision,
                hash_seed: k.hash_seed.unwrap_or(0),
                fail_closed: k.fail_closed.unwrap_or(true),
            })
        }
    };
    if !errors.is_empty() {
        return None;
    }
    Some(Body::Trace {
        matchers,
        keep: keep?,
    })
}

/// Compile one parsed policy. Disabled policies must be filtered out by the
/// caller before this point.
pub(crate) fn compile(p: &pb::Policy) -> Compiled {
    let mut errors = Vec::new();
    let body = match &p.target {
        None => {
            errors.push("policy: no target".into());
            None
        }
        Some(pb::policy::Target::Log(t)) => compile_log(t, &mut errors),
        Some(pb::policy::Target::Metric(t)) => compile_metric(t, &mut errors),
        Some(pb::policy::Target::Trace(t)) => compile_trace(t, &mut errors),
    };
    let extensions = p
        .extensions
        .iter()
        .map(|e| ExtensionSpec {
            kind: e.r#type.clone(),
            version: e.version.clone(),
            config: Arc::from(e.config.as_slice()),
            mode: match e.mode {
                1 => ExtensionMode::Kept,
                2 => ExtensionMode::Dropped,
                3 => ExtensionMode::Unmatched,
                5 => ExtensionMode::All,
                _ => ExtensionMode::Matched,
            },
        })
        .collect();
    Compiled {
        errors,
        body,
        extensions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy;
    use serde_json::json;

    fn errors_of(v: serde_json::Value) -> Vec<String> {
        compile(&parse_policy(&v).expect("parses")).errors
    }

    #[test]
    fn keep_grammar() {
        assert_eq!(parse_log_keep(""), Some(LogKeep::All));
        assert_eq!(parse_log_keep(" NONE "), Some(LogKeep::None));
        assert_eq!(parse_log_keep("0%"), Some(LogKeep::None));
        assert_eq!(parse_log_keep("100%"), Some(LogKeep::All));
        assert_eq!(parse_log_keep(".01%"), Some(LogKeep::Percent(0.01)));
        assert_eq!(parse_log_keep("12.5%"), Some(LogKeep::Percent(12.5)));
        assert_eq!(
            parse_log_keep("3/s"),
            Some(LogKeep::Rate {
                limit: 3,
                window_secs: 1
            })
        );
        assert_eq!(
            parse_log_keep("1/m"),
            Some(LogKeep::Rate {
                limit: 1,
                window_secs: 60
            })
        );
        assert_eq!(
            parse_log_keep("10/5m"),
            Some(LogKeep::Rate {
                limit: 10,
                window_secs: 300
            })
        );
        assert_eq!(
            parse_log_keep("2/5s"),
            Some(LogKeep::Rate {
                limit: 2,
                window_secs: 5
            })
        );
        for bad in [
            "bogus", "50", "1.5/s", "1/1.5s", "1/0s", "0/s", "10/h", "150%", "%", "-1%", "1e1%",
        ] {
            assert_eq!(parse_log_keep(bad), None, "{bad}");
        }
    }

    #[test]
    fn located_error_strings() {
        let e = errors_of(json!({"id":"x","log":{"match":[
            {"log_field":"body","regex":"(["},
            {"log_attribute":[],"exists":true},
            {"exists":true},
            {"log_field":"LOG_FIELD_UNSPECIFIED","exists":true},
            {"log_field":"body"},
            {"log_attribute":"a","equals":{}},
            {"log_attribute":"a","equals":{"hex_value":"xyz"}}
        ],"keep":"bogus","transform":{"rename":[{"from_log_attribute":"a","to":""}],
            "redact":[{"log_attribute":"a","regex":"(["}],"remove":[{}]},
            "sample_key":{"log_attribute":[]}}}));
        assert!(
            e[0].starts_with("log: match[0]: invalid regex \"([\": "),
            "{e:?}"
        );
        assert_eq!(e[1], "log: match[1]: attribute has empty path");
        assert_eq!(e[2], "log: match[2]: matcher has no field specified");
        assert_eq!(e[3], "log: match[3]: field selector is unspecified");
        assert_eq!(e[4], "log: match[4]: matcher has no match condition");
        assert_eq!(e[5], "log: match[5]: typed value is unset");
        assert_eq!(e[6], "log: match[6]: invalid hex value \"xyz\"");
        assert_eq!(e[7], "log: keep: invalid value \"bogus\"");
        assert_eq!(e[8], "log: sample_key: attribute has empty path");
        assert_eq!(
            e[9],
            "log: transform: remove[0]: matcher has no field specified"
        );
        assert!(e[10].starts_with("log: transform: redact[0]: invalid regex \"([\""));
        assert_eq!(e[11], "log: transform: rename[0]: empty target");
        assert_eq!(e.len(), 12);
    }

    #[test]
    fn empty_matchers_and_trace_keep_errors() {
        assert_eq!(
            errors_of(json!({"id":"x","metric":{"match":[],"keep":false}})),
            vec!["metric: no matchers specified"]
        );
        let e = errors_of(
            json!({"id":"t","trace":{"match":[{"span_kind":0}],"keep":{"percentage":150,"sampling_precision":20}}}),
        );
        assert_eq!(
            e,
            vec![
                "trace: match[0]: field selector is unspecified",
                "trace: keep: percentage out of range",
                "trace: keep: sampling_precision out of range",
            ]
        );
        // span_status 0 (unset) is a valid selector; missing keep is an error.
        let e = errors_of(json!({"id":"t","trace":{"match":[{"span_status":"UNSET"}]}}));
        assert_eq!(e, vec!["trace: keep: missing sampling configuration"]);
        let e = errors_of(
            json!({"id":"t","trace":{"match":[{"link_trace_id":"abc"}],"keep":{"percentage":1}}}),
        );
        assert_eq!(e, vec!["trace: match[0]: invalid hex value \"abc\""]);
    }

    #[test]
    fn implicit_selectors_need_no_condition() {
        assert!(errors_of(json!({"id":"m","metric":{"match":[{"metric_type":"gauge"},{"aggregation_temporality":"delta","exists":false}],"keep":false}})).is_empty());
    }
}
