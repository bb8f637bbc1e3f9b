//! Policy views over the protobuf OTLP messages (prost types from
//! `opentelemetry-proto`) and whole-request processing: evaluate every
//! record, drop, transform, prune emptied scopes and resources.
//!
//! The request is decoded once with prost (whose recursion limit bounds
//! nesting) and, only when something changed, encoded again. It never goes
//! through JSON. Log requests with a valid body do not come here: they are
//! evaluated on the wire bytes and spliced (`raw_logs`); [`process_logs`]
//! is the reference that path is tested against, and serves bodies the
//! wire walk refuses (to give prost's 400).
//!
// TODO: prost discards unknown protobuf fields, so a re-encoded (modified)
// metrics or traces request loses fields newer than opentelemetry-proto
// 0.30; unchanged requests are forwarded byte for byte. Splicing kept
// records' original bytes (as `raw_logs` does for logs) would preserve them.

use edge_policy::{
    AttrScope, LogField, LogVerdict, LogView, LogViewMut, MetricField, MetricType, MetricView,
    PolicySnapshot, Temporality, TraceField, TraceView, TraceViewMut, ValueRef,
};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::metrics::v1::{metric, Metric, ResourceMetrics, ScopeMetrics};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};

use super::attrs::{any_ref, attr_ref, id_ref, str_ref};
use super::{attrs, Outcome};

fn resource_attrs(resource: Option<&Resource>) -> &[KeyValue] {
    resource.map_or(&[], |r| r.attributes.as_slice())
}

fn scope_attrs(scope: Option<&InstrumentationScope>) -> &[KeyValue] {
    scope.map_or(&[], |s| s.attributes.as_slice())
}

fn body_ref(body: Option<&AnyValue>) -> Option<ValueRef<'_>> {
    let body = body?;
    body.value.as_ref()?;
    match any_ref(body) {
        ValueRef::Str(s) if s.is_empty() => None,
        v => Some(v),
    }
}

/// One protobuf log record with its enclosing resource and scope. While a
/// view exists the wrappers' record lists are taken out (empty).
#[derive(Debug)]
pub struct PbLog<'a> {
    /// The enclosing `ResourceLogs`.
    pub resource: &'a mut ResourceLogs,
    /// The enclosing `ScopeLogs`.
    pub scope: &'a mut ScopeLogs,
    /// The record.
    pub record: &'a mut LogRecord,
}

impl LogView for PbLog<'_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::ResourceSchemaUrl => str_ref(&self.resource.schema_url),
            LogField::ScopeSchemaUrl => str_ref(&self.scope.schema_url),
            _ => record_field(self.record, field),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(&self.record.attributes, path),
            AttrScope::Resource => attr_ref(resource_attrs(self.resource.resource.as_ref()), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope.scope.as_ref()), path),
        }
    }
}

impl PbLog<'_> {
    fn attrs_mut(&mut self, scope: AttrScope, create: bool) -> Option<&mut Vec<KeyValue>> {
        match scope {
            AttrScope::Record => Some(&mut self.record.attributes),
            AttrScope::Resource => {
                let slot = &mut self.resource.resource;
                if slot.is_none() && !create {
                    return None;
                }
                Some(&mut slot.get_or_insert_with(Resource::default).attributes)
            }
            AttrScope::Scope => {
                let slot = &mut self.scope.scope;
                if slot.is_none() && !create {
                    return None;
                }
                Some(
                    &mut slot
                        .get_or_insert_with(InstrumentationScope::default)
                        .attributes,
                )
            }
        }
    }
}

fn take_nonempty<T: Default + PartialEq>(slot: &mut T) -> bool {
    let was = *slot != T::default();
    *slot = T::default();
    was
}

/// A field of the record itself (`None` for the schema URLs, which belong
/// to the wrappers).
pub(super) fn record_field(r: &LogRecord, field: LogField) -> Option<ValueRef<'_>> {
    match field {
        LogField::Body => body_ref(r.body.as_ref()),
        LogField::SeverityText => str_ref(&r.severity_text),
        LogField::TraceId => id_ref(&r.trace_id),
        LogField::SpanId => id_ref(&r.span_id),
        LogField::EventName => str_ref(&r.event_name),
        LogField::ResourceSchemaUrl | LogField::ScopeSchemaUrl => None,
    }
}

/// [`LogViewMut::remove_field`] on the record itself.
pub(super) fn remove_record_field(r: &mut LogRecord, field: LogField) -> bool {
    match field {
        LogField::Body => r.body.take().is_some(),
        LogField::SeverityText => take_nonempty(&mut r.severity_text),
        LogField::TraceId => take_nonempty(&mut r.trace_id),
        LogField::SpanId => take_nonempty(&mut r.span_id),
        LogField::EventName => take_nonempty(&mut r.event_name),
        LogField::ResourceSchemaUrl | LogField::ScopeSchemaUrl => false,
    }
}

/// [`LogViewMut::set_field`] on the record itself.
pub(super) fn set_record_field(r: &mut LogRecord, field: LogField, value: &str) -> bool {
    match field {
        LogField::Body => {
            r.body = Some(AnyValue {
                value: Some(any_value::Value::StringValue(value.to_owned())),
            });
            true
        }
        LogField::SeverityText => {
            r.severity_text = value.to_owned();
            true
        }
        LogField::EventName => {
            r.event_name = value.to_owned();
            true
        }
        // Identifiers are bytes: only a hex text of the right length can
        // be stored; anything else leaves the record unchanged.
        LogField::TraceId => set_id(&mut r.trace_id, value, 16),
        LogField::SpanId => set_id(&mut r.span_id, value, 8),
        LogField::ResourceSchemaUrl | LogField::ScopeSchemaUrl => false,
    }
}

impl LogViewMut for PbLog<'_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        remove_record_field(self.record, field)
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        set_record_field(self.record, field, value)
    }

    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        self.attrs_mut(scope, false)
            .is_some_and(|a| attrs::remove(a, path))
    }

    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        self.attrs_mut(scope, true)
            .is_some_and(|a| attrs::set(a, path, value))
    }

    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        self.attrs_mut(scope, false)
            .is_some_and(|a| attrs::rename(a, from, to, upsert))
    }
}

fn set_id(slot: &mut Vec<u8>, value: &str, len: usize) -> bool {
    match hex::decode(value) {
        Ok(bytes) if bytes.len() == len => {
            *slot = bytes;
            true
        }
        _ => false,
    }
}

/// One protobuf metric with its enclosing resource and scope.
#[derive(Debug, Clone, Copy)]
pub struct PbMetric<'a> {
    /// The enclosing `ResourceMetrics`.
    pub resource: &'a ResourceMetrics,
    /// The enclosing `ScopeMetrics`.
    pub scope: &'a ScopeMetrics,
    /// The metric.
    pub metric: &'a Metric,
}

impl<'a> PbMetric<'a> {
    fn first_point_attrs(&self) -> Option<&'a [KeyValue]> {
        let attrs = match self.metric.data.as_ref()? {
            metric::Data::Gauge(g) => &g.data_points.first()?.attributes,
            metric::Data::Sum(s) => &s.data_points.first()?.attributes,
            metric::Data::Histogram(h) => &h.data_points.first()?.attributes,
            metric::Data::ExponentialHistogram(h) => &h.data_points.first()?.attributes,
            metric::Data::Summary(s) => &s.data_points.first()?.attributes,
        };
        Some(attrs.as_slice())
    }
}

impl MetricView for PbMetric<'_> {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        match field {
            MetricField::Name => str_ref(&self.metric.name),
            MetricField::Description => str_ref(&self.metric.description),
            MetricField::Unit => str_ref(&self.metric.unit),
            MetricField::ResourceSchemaUrl => str_ref(&self.resource.schema_url),
            MetricField::ScopeSchemaUrl => str_ref(&self.scope.schema_url),
            MetricField::ScopeName => str_ref(&self.scope.scope.as_ref()?.name),
            MetricField::ScopeVersion => str_ref(&self.scope.scope.as_ref()?.version),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(self.first_point_attrs()?, path),
            AttrScope::Resource => attr_ref(resource_attrs(self.resource.resource.as_ref()), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope.scope.as_ref()), path),
        }
    }

    fn metric_type(&self) -> Option<MetricType> {
        Some(match self.metric.data.as_ref()? {
            metric::Data::Gauge(_) => MetricType::Gauge,
            metric::Data::Sum(_) => MetricType::Sum,
            metric::Data::Histogram(_) => MetricType::Histogram,
            metric::Data::ExponentialHistogram(_) => MetricType::ExponentialHistogram,
            metric::Data::Summary(_) => MetricType::Summary,
        })
    }

    fn temporality(&self) -> Option<Temporality> {
        let t = match self.metric.data.as_ref()? {
            metric::Data::Sum(s) => s.aggregation_temporality,
            metric::Data::Histogram(h) => h.aggregation_temporality,
            metric::Data::ExponentialHistogram(h) => h.aggregation_temporality,
            metric::Data::Gauge(_) | metric::Data::Summary(_) => return None,
        };
        match t {
            1 => Some(Temporality::Delta),
            2 => Some(Temporality::Cumulative),
            _ => None,
        }
    }
}

/// One protobuf span with its enclosing resource and scope.
#[derive(Debug)]
pub struct PbSpan<'a> {
    /// The enclosing `ResourceSpans`.
    pub resource: &'a ResourceSpans,
    /// The enclosing `ScopeSpans`.
    pub scope: &'a ScopeSpans,
    /// The span.
    pub span: &'a mut Span,
}

impl TraceView for PbSpan<'_> {
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>> {
        match field {
            TraceField::Name => str_ref(&self.span.name),
            TraceField::TraceId => id_ref(&self.span.trace_id),
            TraceField::SpanId => id_ref(&self.span.span_id),
            TraceField::ParentSpanId => id_ref(&self.span.parent_span_id),
            TraceField::TraceState => str_ref(&self.span.trace_state),
            TraceField::ResourceSchemaUrl => str_ref(&self.resource.schema_url),
            TraceField::ScopeSchemaUrl => str_ref(&self.scope.schema_url),
            TraceField::ScopeName => str_ref(&self.scope.scope.as_ref()?.name),
            TraceField::ScopeVersion => str_ref(&self.scope.scope.as_ref()?.version),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(&self.span.attributes, path),
            AttrScope::Resource => attr_ref(resource_attrs(self.resource.resource.as_ref()), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope.scope.as_ref()), path),
        }
    }

    fn span_kind(&self) -> i32 {
        self.span.kind
    }

    fn span_status(&self) -> i32 {
        self.span.status.as_ref().map_or(0, |s| s.code)
    }

    fn event_count(&self) -> usize {
        self.span.events.len()
    }

    fn event_name(&self, index: usize) -> Option<ValueRef<'_>> {
        str_ref(&self.span.events.get(index)?.name)
    }

    fn event_attribute(&self, index: usize, path: &[String]) -> Option<ValueRef<'_>> {
        attr_ref(&self.span.events.get(index)?.attributes, path)
    }

    fn link_count(&self) -> usize {
        self.span.links.len()
    }

    fn link_trace_id(&self, index: usize) -> Option<ValueRef<'_>> {
        id_ref(&self.span.links.get(index)?.trace_id)
    }
}

impl TraceViewMut for PbSpan<'_> {
    fn set_trace_state(&mut self, value: &str) -> bool {
        if self.span.trace_state == value {
            return false;
        }
        self.span.trace_state = value.to_owned();
        true
    }
}

/// Applies the log policies to a decoded request in place.
pub fn process_logs(snap: &PolicySnapshot, req: &mut ExportLogsServiceRequest) -> Outcome {
    logs_with(snap, req, |view| Some(snap.evaluate_log(view)))
}

/// Drops and transforms records by the verdict `verdict_for` gives each
/// (`None`: keep unchanged), then prunes emptied scopes and resources.
fn logs_with(
    snap: &PolicySnapshot,
    req: &mut ExportLogsServiceRequest,
    mut verdict_for: impl FnMut(&PbLog<'_>) -> Option<LogVerdict>,
) -> Outcome {
    let mut out = Outcome::default();
    for rl in req.resource_logs.iter_mut() {
        let mut scopes = std::mem::take(&mut rl.scope_logs);
        for sl in scopes.iter_mut() {
            let mut records = std::mem::take(&mut sl.log_records);
            records.retain_mut(|record| {
                out.records += 1;
                let mut view = PbLog {
                    resource: &mut *rl,
                    scope: &mut *sl,
                    record,
                };
                let Some(verdict) = verdict_for(&view) else {
                    return true;
                };
                if !verdict.keep() {
                    out.dropped += 1;
                    return false;
                }
                if snap.apply_log_transforms(&verdict, &mut view) {
                    out.modified += 1;
                }
                true
            });
            sl.log_records = records;
        }
        if out.dropped > 0 {
            scopes.retain(|s| !s.log_records.is_empty());
        }
        rl.scope_logs = scopes;
    }
    if out.dropped > 0 {
        req.resource_logs.retain(|r| !r.scope_logs.is_empty());
    }
    out
}

/// What the policies decided for one metric or span, in request order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Forwarded as it came.
    Keep,
    /// Removed.
    Drop,
    /// Kept and changed in the decoded request (a span's tracestate).
    Changed,
}

/// The metric policies' decision for every metric of `req`, appended to
/// `fates` in request order; `req` is not changed.
pub(crate) fn metric_fates(
    snap: &PolicySnapshot,
    req: &ExportMetricsServiceRequest,
    fates: &mut Vec<Fate>,
) -> Outcome {
    let mut out = Outcome::default();
    for rm in &req.resource_metrics {
        for sm in &rm.scope_metrics {
            for metric in &sm.metrics {
                out.records += 1;
                let view = PbMetric {
                    resource: rm,
                    scope: sm,
                    metric,
                };
                if snap.evaluate_metric(&view).keep() {
                    fates.push(Fate::Keep);
                } else {
                    out.dropped += 1;
                    fates.push(Fate::Drop);
                }
            }
        }
    }
    out
}

/// The trace policies' decision for every span of `req`, appended to
/// `fates` in request order; kept spans that sampling annotates are
/// changed in `req` (their tracestate), dropped ones are left in it.
pub(crate) fn trace_fates(
    snap: &PolicySnapshot,
    req: &mut ExportTraceServiceRequest,
    fates: &mut Vec<Fate>,
) -> Outcome {
    let mut out = Outcome::default();
    for rs in req.resource_spans.iter_mut() {
        let mut scopes = std::mem::take(&mut rs.scope_spans);
        for ss in scopes.iter_mut() {
            let mut spans = std::mem::take(&mut ss.spans);
            for span in spans.iter_mut() {
                out.records += 1;
                let mut view = PbSpan {
                    resource: &*rs,
                    scope: &*ss,
                    span,
                };
                let verdict = snap.evaluate_trace(&view);
                if !verdict.keep() {
                    out.dropped += 1;
                    fates.push(Fate::Drop);
                } else if snap.apply_trace_verdict(&verdict, &mut view) {
                    out.modified += 1;
                    fates.push(Fate::Changed);
                } else {
                    fates.push(Fate::Keep);
                }
            }
            ss.spans = spans;
        }
        rs.scope_spans = scopes;
    }
    out
}

/// Removes the records `fates` drops from `scopes` (records listed by
/// `records`), counting them in `dropped`; then, once anything in the
/// request so far was dropped, the scopes left without records.
fn prune<S, R>(
    scopes: &mut Vec<S>,
    records: impl Fn(&mut S) -> &mut Vec<R>,
    fates: &mut impl Iterator<Item = Fate>,
    dropped: &mut usize,
) {
    for scope in scopes.iter_mut() {
        records(scope).retain(|_| {
            let drop = fates.next() == Some(Fate::Drop);
            *dropped += usize::from(drop);
            !drop
        });
    }
    if *dropped > 0 {
        scopes.retain_mut(|s| !records(s).is_empty());
    }
}

/// Applies the metric policies to a decoded request in place.
pub fn process_metrics(snap: &PolicySnapshot, req: &mut ExportMetricsServiceRequest) -> Outcome {
    let mut fates = Vec::new();
    let out = metric_fates(snap, req, &mut fates);
    let (mut fates, mut dropped) = (fates.into_iter(), 0);
    for rm in req.resource_metrics.iter_mut() {
        prune(
            &mut rm.scope_metrics,
            |s| &mut s.metrics,
            &mut fates,
            &mut dropped,
        );
    }
    if out.dropped > 0 {
        req.resource_metrics.retain(|r| !r.scope_metrics.is_empty());
    }
    out
}

/// Applies the trace policies (sampling and tracestate) to a decoded
/// request in place.
pub fn process_traces(snap: &PolicySnapshot, req: &mut ExportTraceServiceRequest) -> Outcome {
    let mut fates = Vec::new();
    let out = trace_fates(snap, req, &mut fates);
    let (mut fates, mut dropped) = (fates.into_iter(), 0);
    for rs in req.resource_spans.iter_mut() {
        prune(
            &mut rs.scope_spans,
            |s| &mut s.spans,
            &mut fates,
            &mut dropped,
        );
    }
    if out.dropped > 0 {
        req.resource_spans.retain(|r| !r.scope_spans.is_empty());
    }
    out
}
