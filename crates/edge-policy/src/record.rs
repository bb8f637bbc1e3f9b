//! Record accessor traits: how the engine reads (and, for transforms, writes)
//! a record without copying it into a policy-owned type.
//!
//! Every signal has a *view* trait. A protocol module implements the view for
//! its own representation (Datadog JSON, OTLP JSON, OTLP protobuf, ...) and the
//! engine evaluates through it. Values are borrowed where possible
//! ([`ValueRef`]); an implementation only allocates when the wire form needs
//! decoding (for example a JSON string with escapes).

use std::borrow::Cow;

/// The typed value of a selected field, as seen by match conditions.
///
/// See the specification's "three views of a field": presence is
/// `Option::is_some` of the accessor result; the typed value is the scalar
/// variants; the string view exists only for [`ValueRef::Str`] and
/// [`ValueRef::Bytes`] (lowercase hex).
#[derive(Debug, Clone, PartialEq)]
pub enum ValueRef<'a> {
    /// A string value.
    Str(Cow<'a, str>),
    /// A boolean value.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A double.
    Double(f64),
    /// Raw bytes (identifiers, bytes attributes).
    Bytes(Cow<'a, [u8]>),
    /// A map, an array or another value that is present but has no typed
    /// value and no string view.
    Other,
}

impl<'a> ValueRef<'a> {
    /// A borrowed string value.
    pub fn str(s: &'a str) -> Self {
        ValueRef::Str(Cow::Borrowed(s))
    }
}

/// Well-known log record fields a selector can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogField {
    /// The log body.
    Body,
    /// The severity text.
    SeverityText,
    /// The trace id (bytes, 16).
    TraceId,
    /// The span id (bytes, 8).
    SpanId,
    /// The event name.
    EventName,
    /// `schemaUrl` of the enclosing resource.
    ResourceSchemaUrl,
    /// `schemaUrl` of the enclosing scope.
    ScopeSchemaUrl,
}

/// Which attribute collection an attribute selector reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttrScope {
    /// The record's own attributes (log attributes, span attributes, data
    /// point attributes for metrics).
    Record,
    /// Attributes of the enclosing resource.
    Resource,
    /// Attributes of the enclosing instrumentation scope.
    Scope,
}

/// The identity of an attribute collection that many records share (the
/// attributes of a resource or of an instrumentation scope), handed to the
/// engine by [`LogView::attributes_id`].
///
/// Only [`AttrsId::fresh`] makes one, and it never returns the same id
/// twice in a process, so two views can never give the same id to
/// different collections by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttrsId(u64);

impl AttrsId {
    /// A new id, different from every id made before in this process.
    pub fn fresh() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        AttrsId(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The id as a number (never 0).
    pub fn get(self) -> u64 {
        self.0
    }
}

/// Read access to one log record and its enclosing resource and scope.
pub trait LogView {
    /// The value of a well-known field, or `None` when absent (empty strings
    /// and empty identifiers count as absent).
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>>;

    /// The value at `path` (one segment per key, dots never split) in the
    /// given attribute collection, or `None` when any segment is missing.
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>>;

    /// The identity of the resource ([`AttrScope::Resource`]) or scope
    /// ([`AttrScope::Scope`]) attributes this record reads, when the view
    /// knows it: the engine then resolves a resource or scope attribute
    /// condition once for all the records that give the same id.
    ///
    /// Contract: every view returning `Some(id)` must read exactly the same
    /// attributes for that scope (same keys, values and order) as every
    /// other view that returned the same `id`, for as long as the id is
    /// handed out; an id whose collection may change (e.g. a transform
    /// edits it) must not be returned again afterwards. The default,
    /// `None` (also the answer for [`AttrScope::Record`]), means every
    /// record is read on its own.
    fn attributes_id(&self, scope: AttrScope) -> Option<AttrsId> {
        let _ = scope;
        None
    }
}

/// Write access to a log record, used only by transforms on records that
/// survived the keep stage. Every method returns whether the record changed.
pub trait LogViewMut: LogView {
    /// Clear a well-known field.
    fn remove_field(&mut self, field: LogField) -> bool;
    /// Set a well-known field to a string value.
    fn set_field(&mut self, field: LogField, value: &str) -> bool;
    /// Delete the attribute at `path`.
    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool;
    /// Set the attribute at `path` to a string: an existing entry is
    /// overwritten in place, a new one is appended (creating missing
    /// intermediate maps for nested paths).
    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool;
    /// Move the attribute at `from` to the key `to` in the same map, appended
    /// at the end and keeping its type. With `upsert` an existing `to` entry is
    /// replaced; without it an existing `to` makes this a no-op.
    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool;
}

/// Well-known metric fields a selector can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricField {
    /// The metric name.
    Name,
    /// The metric description.
    Description,
    /// The metric unit.
    Unit,
    /// `schemaUrl` of the enclosing resource.
    ResourceSchemaUrl,
    /// `schemaUrl` of the enclosing scope.
    ScopeSchemaUrl,
    /// Name of the instrumentation scope.
    ScopeName,
    /// Version of the instrumentation scope.
    ScopeVersion,
}

/// Which data payload a metric carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricType {
    /// `gauge`.
    Gauge,
    /// `sum`.
    Sum,
    /// `histogram`.
    Histogram,
    /// `exponentialHistogram`.
    ExponentialHistogram,
    /// `summary`.
    Summary,
}

/// Aggregation temporality of sums and histograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Temporality {
    /// Delta temporality.
    Delta,
    /// Cumulative temporality.
    Cumulative,
}

/// Read access to one metric (with all its data points) and its enclosing
/// resource and scope.
pub trait MetricView {
    /// The value of a well-known field, `None` when absent or empty.
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>>;

    /// The value at `path` in the given attribute collection.
    /// [`AttrScope::Record`] means the attributes of the metric's **first**
    /// data point (a metric without data points has none).
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>>;

    /// The data payload type, `None` when the metric carries none.
    fn metric_type(&self) -> Option<MetricType>;

    /// The aggregation temporality; `None` for gauges, summaries and unset
    /// values.
    fn temporality(&self) -> Option<Temporality>;
}

/// Well-known span fields a selector can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TraceField {
    /// The span name.
    Name,
    /// The trace id (bytes, 16).
    TraceId,
    /// The span id (bytes, 8).
    SpanId,
    /// The parent span id (bytes, 8; absent for root spans).
    ParentSpanId,
    /// The W3C tracestate text as received.
    TraceState,
    /// `schemaUrl` of the enclosing resource.
    ResourceSchemaUrl,
    /// `schemaUrl` of the enclosing scope.
    ScopeSchemaUrl,
    /// Name of the instrumentation scope.
    ScopeName,
    /// Version of the instrumentation scope.
    ScopeVersion,
}

/// Read access to one span and its enclosing resource and scope.
pub trait TraceView {
    /// The value of a well-known field, `None` when absent or empty.
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>>;

    /// The value at `path` in the given attribute collection
    /// ([`AttrScope::Record`] = span attributes).
    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>>;

    /// The span kind as its OTLP number (0 = unspecified, 1 = internal,
    /// 2 = server, 3 = client, 4 = producer, 5 = consumer).
    fn span_kind(&self) -> i32;

    /// The status code as its OTLP number (0 = unset, 1 = ok, 2 = error).
    fn span_status(&self) -> i32;

    /// Number of span events.
    fn event_count(&self) -> usize {
        0
    }

    /// Name of event `index`, `None` when absent or empty.
    fn event_name(&self, index: usize) -> Option<ValueRef<'_>> {
        let _ = index;
        None
    }

    /// Attribute at `path` of event `index`.
    fn event_attribute(&self, index: usize, path: &[String]) -> Option<ValueRef<'_>> {
        let _ = (index, path);
        None
    }

    /// Number of span links.
    fn link_count(&self) -> usize {
        0
    }

    /// Trace id (bytes) of link `index`.
    fn link_trace_id(&self, index: usize) -> Option<ValueRef<'_>> {
        let _ = index;
        None
    }
}

/// Write access to a span: the only thing the policy engine writes on spans
/// is the W3C tracestate (the sampling threshold).
pub trait TraceViewMut: TraceView {
    /// Replace the span's tracestate text. Returns whether it changed.
    fn set_trace_state(&mut self, value: &str) -> bool;
}
