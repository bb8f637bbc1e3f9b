//! Record views over OTLP/JSON documents held as `serde_json::Value`, and
//! whole-document processing (filter, transform, prune) for logs, metrics
//! and traces.
//!
//! The document is mutated in place; every field the engine does not touch
//! round-trips unchanged. Identifiers are hex strings, 64-bit integers may be
//! numbers or strings, enums may be names or numbers (spec §4.3).

use crate::engine::PolicySnapshot;
use crate::record::{
    AttrScope, LogField, LogView, LogViewMut, MetricField, MetricType, MetricView, Temporality,
    TraceField, TraceView, TraceViewMut, ValueRef,
};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// The value of an OTLP `AnyValue` JSON object.
pub fn any_value(v: &Value) -> ValueRef<'_> {
    let Some(m) = v.as_object() else {
        return ValueRef::Other;
    };
    if let Some(s) = m.get("stringValue").and_then(Value::as_str) {
        return ValueRef::str(s);
    }
    if let Some(b) = m.get("boolValue").and_then(Value::as_bool) {
        return ValueRef::Bool(b);
    }
    if let Some(i) = m.get("intValue") {
        let n = match i {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        if let Some(n) = n {
            return ValueRef::Int(n);
        }
    }
    if let Some(d) = m.get("doubleValue") {
        let f = match d {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                t => t.parse().ok(),
            },
            _ => None,
        };
        if let Some(f) = f {
            return ValueRef::Double(f);
        }
    }
    if let Some(b) = m.get("bytesValue").and_then(Value::as_str) {
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b) {
            return ValueRef::Bytes(Cow::Owned(bytes));
        }
    }
    ValueRef::Other
}

/// Find the `AnyValue` at `path` in an OTLP attribute array (first
/// occurrence of each key; later segments descend into `kvlistValue`).
pub fn find_attribute<'a>(attrs: Option<&'a Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut arr = attrs?.as_array()?;
    let mut key = first;
    let mut rest = rest;
    loop {
        let kv = arr
            .iter()
            .find(|kv| kv.get("key").and_then(Value::as_str) == Some(key.as_str()))?;
        let value = kv.get("value").unwrap_or(&Value::Null);
        match rest.split_first() {
            None => return Some(value),
            Some((next, r)) => {
                arr = value.get("kvlistValue")?.get("values")?.as_array()?;
                key = next;
                rest = r;
            }
        }
    }
}

fn attr_ref<'a>(attrs: Option<&'a Value>, path: &[String]) -> Option<ValueRef<'a>> {
    find_attribute(attrs, path).map(|v| {
        if v.is_null() {
            ValueRef::Other
        } else {
            any_value(v)
        }
    })
}

fn nonempty_str<'a>(obj: &'a Value, key: &str) -> Option<ValueRef<'a>> {
    obj.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(ValueRef::str)
}

fn hex_id<'a>(obj: &'a Value, key: &str) -> Option<ValueRef<'a>> {
    let s = obj.get(key)?.as_str()?;
    if s.is_empty() {
        return None;
    }
    let b = hex::decode(s).ok()?;
    if b.iter().all(|x| *x == 0) {
        return None;
    }
    Some(ValueRef::Bytes(Cow::Owned(b)))
}

fn body_ref(rec: &Value) -> Option<ValueRef<'_>> {
    let b = rec.get("body")?;
    match b.as_object() {
        None => None,
        Some(m) if m.is_empty() => None,
        Some(_) => match any_value(b) {
            ValueRef::Str(s) if s.is_empty() => None,
            v => Some(v),
        },
    }
}

fn resource_attrs(resource_wrapper: &Value) -> Option<&Value> {
    resource_wrapper.get("resource")?.get("attributes")
}

fn scope_attrs(scope_wrapper: &Value) -> Option<&Value> {
    scope_wrapper.get("scope")?.get("attributes")
}

/// The attribute array of a collection, created when `create` is set.
fn attrs_mut<'a>(
    obj: &'a mut Value,
    wrapper_key: Option<&str>,
    create: bool,
) -> Option<&'a mut Vec<Value>> {
    let mut target = obj;
    if let Some(k) = wrapper_key {
        let m = target.as_object_mut()?;
        if !m.contains_key(k) || m.get(k).is_some_and(Value::is_null) {
            if !create {
                return None;
            }
            m.insert(k.to_owned(), Value::Object(Map::new()));
        }
        target = m.get_mut(k)?;
    }
    let m = target.as_object_mut()?;
    if !m.get("attributes").is_some_and(Value::is_array) {
        if !create {
            return None;
        }
        m.insert("attributes".into(), Value::Array(Vec::new()));
    }
    m.get_mut("attributes")?.as_array_mut()
}

fn key_is(kv: &Value, key: &str) -> bool {
    kv.get("key").and_then(Value::as_str) == Some(key)
}

/// Descend to the array that holds the last segment of `path`. With
/// `create`, missing intermediate maps are appended.
fn parent_array<'a>(
    arr: &'a mut Vec<Value>,
    path: &[String],
    create: bool,
) -> Option<&'a mut Vec<Value>> {
    let Some((seg, rest)) = path.split_first() else {
        return Some(arr);
    };
    if rest.is_empty() {
        return Some(arr);
    }
    let idx = match arr.iter().position(|kv| key_is(kv, seg)) {
        Some(i) => i,
        None if create => {
            arr.push(json!({"key": seg, "value": {"kvlistValue": {"values": []}}}));
            arr.len() - 1
        }
        None => return None,
    };
    let values = arr[idx].get_mut("value")?.get_mut("kvlistValue")?;
    let vm = values.as_object_mut()?;
    if !vm.get("values").is_some_and(Value::is_array) {
        if !create {
            return None;
        }
        vm.insert("values".into(), Value::Array(Vec::new()));
    }
    parent_array(vm.get_mut("values")?.as_array_mut()?, rest, create)
}

fn string_any(v: &str) -> Value {
    json!({ "stringValue": v })
}

fn remove_attr(arr: Option<&mut Vec<Value>>, path: &[String]) -> bool {
    let Some(arr) = arr else { return false };
    let Some(last) = path.last() else {
        return false;
    };
    let Some(parent) = parent_array(arr, path, false) else {
        return false;
    };
    match parent.iter().position(|kv| key_is(kv, last)) {
        Some(i) => {
            parent.remove(i);
            true
        }
        None => false,
    }
}

fn set_attr(arr: Option<&mut Vec<Value>>, path: &[String], value: &str) -> bool {
    let Some(arr) = arr else { return false };
    let Some(last) = path.last() else {
        return false;
    };
    let Some(parent) = parent_array(arr, path, true) else {
        return false;
    };
    match parent.iter_mut().find(|kv| key_is(kv, last)) {
        Some(kv) => {
            if let Some(m) = kv.as_object_mut() {
                m.insert("value".into(), string_any(value));
            }
        }
        None => parent.push(json!({"key": last, "value": string_any(value)})),
    }
    true
}

fn rename_attr(arr: Option<&mut Vec<Value>>, from: &[String], to: &str, upsert: bool) -> bool {
    let Some(arr) = arr else { return false };
    let Some(last) = from.last() else {
        return false;
    };
    let Some(parent) = parent_array(arr, from, false) else {
        return false;
    };
    let Some(src) = parent.iter().position(|kv| key_is(kv, last)) else {
        return false;
    };
    if last == to {
        return false;
    }
    if let Some(dst) = parent.iter().position(|kv| key_is(kv, to)) {
        if !upsert {
            return false;
        }
        parent.remove(dst);
    }
    let src = parent.iter().position(|kv| key_is(kv, last)).unwrap_or(src);
    let mut entry = parent.remove(src);
    if let Some(m) = entry.as_object_mut() {
        m.insert("key".into(), Value::String(to.to_owned()));
    }
    parent.push(entry);
    true
}

/// One log record inside an OTLP/JSON document, with its resource and scope
/// wrappers (`ResourceLogs` / `ScopeLogs` objects).
#[derive(Debug)]
pub struct OtlpLog<'a> {
    /// The `ResourceLogs` object (its `scopeLogs` may be temporarily taken).
    pub resource: &'a mut Value,
    /// The `ScopeLogs` object (its `logRecords` may be temporarily taken).
    pub scope: &'a mut Value,
    /// The `LogRecord` object.
    pub record: &'a mut Value,
}

impl LogView for OtlpLog<'_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => body_ref(self.record),
            LogField::SeverityText => nonempty_str(self.record, "severityText"),
            LogField::TraceId => hex_id(self.record, "traceId"),
            LogField::SpanId => hex_id(self.record, "spanId"),
            LogField::EventName => nonempty_str(self.record, "eventName"),
            LogField::ResourceSchemaUrl => nonempty_str(self.resource, "schemaUrl"),
            LogField::ScopeSchemaUrl => nonempty_str(self.scope, "schemaUrl"),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(self.record.get("attributes"), path),
            AttrScope::Resource => attr_ref(resource_attrs(self.resource), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope), path),
        }
    }
}

fn log_field_key(field: LogField) -> Option<&'static str> {
    Some(match field {
        LogField::Body => "body",
        LogField::SeverityText => "severityText",
        LogField::TraceId => "traceId",
        LogField::SpanId => "spanId",
        LogField::EventName => "eventName",
        LogField::ResourceSchemaUrl | LogField::ScopeSchemaUrl => return None,
    })
}

impl LogViewMut for OtlpLog<'_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        let Some(key) = log_field_key(field) else {
            return false;
        };
        self.record
            .as_object_mut()
            .and_then(|m| m.shift_remove(key))
            .is_some()
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        let Some(key) = log_field_key(field) else {
            return false;
        };
        let Some(m) = self.record.as_object_mut() else {
            return false;
        };
        let v = if field == LogField::Body {
            string_any(value)
        } else {
            Value::String(value.into())
        };
        m.insert(key.into(), v);
        true
    }

    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        remove_attr(self.attrs(scope, false), path)
    }

    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        set_attr(self.attrs(scope, true), path, value)
    }

    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        rename_attr(self.attrs(scope, false), from, to, upsert)
    }
}

impl OtlpLog<'_> {
    fn attrs(&mut self, scope: AttrScope, create: bool) -> Option<&mut Vec<Value>> {
        match scope {
            AttrScope::Record => attrs_mut(self.record, None, create),
            AttrScope::Resource => attrs_mut(self.resource, Some("resource"), create),
            AttrScope::Scope => attrs_mut(self.scope, Some("scope"), create),
        }
    }
}

/// One metric inside an OTLP/JSON document.
#[derive(Debug, Clone, Copy)]
pub struct OtlpMetric<'a> {
    /// The `ResourceMetrics` object.
    pub resource: &'a Value,
    /// The `ScopeMetrics` object.
    pub scope: &'a Value,
    /// The `Metric` object.
    pub metric: &'a Value,
}

const PAYLOADS: [(&str, MetricType); 5] = [
    ("gauge", MetricType::Gauge),
    ("sum", MetricType::Sum),
    ("histogram", MetricType::Histogram),
    ("exponentialHistogram", MetricType::ExponentialHistogram),
    ("summary", MetricType::Summary),
];

impl<'a> OtlpMetric<'a> {
    fn payload(&self) -> Option<(&'a Value, MetricType)> {
        PAYLOADS.iter().find_map(|(k, t)| {
            self.metric
                .get(*k)
                .filter(|v| v.is_object())
                .map(|v| (v, *t))
        })
    }
}

fn enum_number(v: &Value, names: &[(&str, i64)]) -> i64 {
    match v {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::String(s) => names
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, i)| *i)
            .or_else(|| s.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

impl MetricView for OtlpMetric<'_> {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        match field {
            MetricField::Name => nonempty_str(self.metric, "name"),
            MetricField::Description => nonempty_str(self.metric, "description"),
            MetricField::Unit => nonempty_str(self.metric, "unit"),
            MetricField::ResourceSchemaUrl => nonempty_str(self.resource, "schemaUrl"),
            MetricField::ScopeSchemaUrl => nonempty_str(self.scope, "schemaUrl"),
            MetricField::ScopeName => nonempty_str(self.scope.get("scope")?, "name"),
            MetricField::ScopeVersion => nonempty_str(self.scope.get("scope")?, "version"),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => {
                let (p, _) = self.payload()?;
                let dp = p.get("dataPoints")?.as_array()?.first()?;
                attr_ref(dp.get("attributes"), path)
            }
            AttrScope::Resource => attr_ref(resource_attrs(self.resource), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope), path),
        }
    }

    fn metric_type(&self) -> Option<MetricType> {
        self.payload().map(|(_, t)| t)
    }

    fn temporality(&self) -> Option<Temporality> {
        let (p, t) = self.payload()?;
        if matches!(t, MetricType::Gauge | MetricType::Summary) {
            return None;
        }
        match enum_number(
            p.get("aggregationTemporality")?,
            &[
                ("AGGREGATION_TEMPORALITY_DELTA", 1),
                ("AGGREGATION_TEMPORALITY_CUMULATIVE", 2),
            ],
        ) {
            1 => Some(Temporality::Delta),
            2 => Some(Temporality::Cumulative),
            _ => None,
        }
    }
}

/// One span inside an OTLP/JSON document.
#[derive(Debug)]
pub struct OtlpSpan<'a> {
    /// The `ResourceSpans` object.
    pub resource: &'a Value,
    /// The `ScopeSpans` object.
    pub scope: &'a Value,
    /// The `Span` object.
    pub span: &'a mut Value,
}

impl TraceView for OtlpSpan<'_> {
    fn trace_field(&self, field: TraceField) -> Option<ValueRef<'_>> {
        match field {
            TraceField::Name => nonempty_str(self.span, "name"),
            TraceField::TraceId => hex_id(self.span, "traceId"),
            TraceField::SpanId => hex_id(self.span, "spanId"),
            TraceField::ParentSpanId => hex_id(self.span, "parentSpanId"),
            TraceField::TraceState => nonempty_str(self.span, "traceState"),
            TraceField::ResourceSchemaUrl => nonempty_str(self.resource, "schemaUrl"),
            TraceField::ScopeSchemaUrl => nonempty_str(self.scope, "schemaUrl"),
            TraceField::ScopeName => nonempty_str(self.scope.get("scope")?, "name"),
            TraceField::ScopeVersion => nonempty_str(self.scope.get("scope")?, "version"),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(self.span.get("attributes"), path),
            AttrScope::Resource => attr_ref(resource_attrs(self.resource), path),
            AttrScope::Scope => attr_ref(scope_attrs(self.scope), path),
        }
    }

    fn span_kind(&self) -> i32 {
        self.span
            .get("kind")
            .map(|k| {
                enum_number(
                    k,
                    &[
                        ("SPAN_KIND_INTERNAL", 1),
                        ("SPAN_KIND_SERVER", 2),
                        ("SPAN_KIND_CLIENT", 3),
                        ("SPAN_KIND_PRODUCER", 4),
                        ("SPAN_KIND_CONSUMER", 5),
                    ],
                ) as i32
            })
            .unwrap_or(0)
    }

    fn span_status(&self) -> i32 {
        self.span
            .get("status")
            .and_then(|s| s.get("code"))
            .map(|c| enum_number(c, &[("STATUS_CODE_OK", 1), ("STATUS_CODE_ERROR", 2)]) as i32)
            .unwrap_or(0)
    }

    fn event_count(&self) -> usize {
        self.span
            .get("events")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    fn event_name(&self, index: usize) -> Option<ValueRef<'_>> {
        nonempty_str(self.span.get("events")?.get(index)?, "name")
    }

    fn event_attribute(&self, index: usize, path: &[String]) -> Option<ValueRef<'_>> {
        attr_ref(self.span.get("events")?.get(index)?.get("attributes"), path)
    }

    fn link_count(&self) -> usize {
        self.span
            .get("links")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    fn link_trace_id(&self, index: usize) -> Option<ValueRef<'_>> {
        hex_id(self.span.get("links")?.get(index)?, "traceId")
    }
}

impl TraceViewMut for OtlpSpan<'_> {
    fn set_trace_state(&mut self, value: &str) -> bool {
        let Some(m) = self.span.as_object_mut() else {
            return false;
        };
        if m.get("traceState").and_then(Value::as_str) == Some(value) {
            return false;
        }
        m.insert("traceState".into(), Value::String(value.to_owned()));
        true
    }
}

/// What happened to a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessSummary {
    /// Records seen.
    pub records: usize,
    /// Records dropped.
    pub dropped: usize,
    /// Records modified (transforms / tracestate).
    pub modified: usize,
}

/// Walk `doc[outer][*][middle][*][inner]`, calling `f(resource, scope,
/// record) -> keep` for each record, removing dropped records, then pruning
/// empty scopes and resources.
fn walk(
    doc: &mut Value,
    outer: &str,
    middle: &str,
    inner: &str,
    mut f: impl FnMut(&mut Value, &mut Value, &mut Value) -> bool,
) {
    let Some(resources) = doc.get_mut(outer).and_then(Value::as_array_mut) else {
        return;
    };
    for res in resources.iter_mut() {
        let Some(slot) = res.get_mut(middle) else {
            continue;
        };
        let mut scopes = std::mem::take(slot);
        if let Some(scope_list) = scopes.as_array_mut() {
            for scope in scope_list.iter_mut() {
                let Some(rslot) = scope.get_mut(inner) else {
                    continue;
                };
                let mut records = std::mem::take(rslot);
                if let Some(list) = records.as_array_mut() {
                    list.retain_mut(|rec| f(res, scope, rec));
                }
                if let Some(rslot) = scope.get_mut(inner) {
                    *rslot = records;
                }
            }
            scope_list.retain(|s| {
                s.get(inner)
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            });
        }
        if let Some(slot) = res.get_mut(middle) {
            *slot = scopes;
        }
    }
    resources.retain(|r| {
        r.get(middle)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    });
}

/// Apply the snapshot's log policies to an OTLP/JSON logs document.
pub fn process_logs(snap: &PolicySnapshot, doc: &mut Value) -> ProcessSummary {
    let mut s = ProcessSummary::default();
    walk(
        doc,
        "resourceLogs",
        "scopeLogs",
        "logRecords",
        |resource, scope, record| {
            s.records += 1;
            let mut view = OtlpLog {
                resource,
                scope,
                record,
            };
            let v = snap.evaluate_log(&view);
            if !v.keep() {
                s.dropped += 1;
                return false;
            }
            if snap.apply_log_transforms(&v, &mut view) {
                s.modified += 1;
            }
            true
        },
    );
    s
}

/// Apply the snapshot's metric policies to an OTLP/JSON metrics document.
pub fn process_metrics(snap: &PolicySnapshot, doc: &mut Value) -> ProcessSummary {
    let mut s = ProcessSummary::default();
    walk(
        doc,
        "resourceMetrics",
        "scopeMetrics",
        "metrics",
        |resource, scope, metric| {
            s.records += 1;
            let keep = snap
                .evaluate_metric(&OtlpMetric {
                    resource,
                    scope,
                    metric,
                })
                .keep();
            if !keep {
                s.dropped += 1;
            }
            keep
        },
    );
    s
}

/// Apply the snapshot's trace policies to an OTLP/JSON traces document.
pub fn process_traces(snap: &PolicySnapshot, doc: &mut Value) -> ProcessSummary {
    let mut s = ProcessSummary::default();
    walk(
        doc,
        "resourceSpans",
        "scopeSpans",
        "spans",
        |resource, scope, span| {
            s.records += 1;
            let mut view = OtlpSpan {
                resource,
                scope,
                span,
            };
            let v = snap.evaluate_trace(&view);
            if !v.keep() {
                s.dropped += 1;
                return false;
            }
            if snap.apply_trace_verdict(&v, &mut view) {
                s.modified += 1;
            }
            true
        },
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_document, Format};

    fn p(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn nested_attribute_paths_and_values() {
        let attrs = json!([
            {"key": "http", "value": {"kvlistValue": {"values": [
                {"key": "method", "value": {"stringValue": "POST"}}]}}},
            {"key": "n", "value": {"intValue": "42"}},
            {"key": "n", "value": {"intValue": 7}},
            {"key": "b", "value": {"bytesValue": "q83v"}},
            {"key": "empty", "value": {}}
        ]);
        assert_eq!(
            attr_ref(Some(&attrs), &p(&["http", "method"])),
            Some(ValueRef::str("POST"))
        );
        assert_eq!(attr_ref(Some(&attrs), &p(&["http", "nope"])), None);
        assert_eq!(attr_ref(Some(&attrs), &p(&["http"])), Some(ValueRef::Other));
        assert_eq!(
            attr_ref(Some(&attrs), &p(&["n"])),
            Some(ValueRef::Int(42)),
            "first occurrence"
        );
        assert_eq!(
            attr_ref(Some(&attrs), &p(&["b"])),
            Some(ValueRef::Bytes(Cow::Owned(vec![0xab, 0xcd, 0xef])))
        );
        assert_eq!(
            attr_ref(Some(&attrs), &p(&["empty"])),
            Some(ValueRef::Other)
        );
    }

    #[test]
    fn attribute_mutations_keep_order_rules() {
        let mut arr: Vec<Value> = serde_json::from_value(json!([
            {"key": "a", "value": {"stringValue": "1"}},
            {"key": "b", "value": {"intValue": 2}},
            {"key": "c", "value": {"stringValue": "3"}}
        ]))
        .unwrap();
        // Rename appends at the end, keeping the type.
        assert!(rename_attr(Some(&mut arr), &p(&["a"]), "z", false));
        assert_eq!(arr[2], json!({"key": "z", "value": {"stringValue": "1"}}));
        // Rename onto an existing key without upsert is a no-op.
        assert!(!rename_attr(Some(&mut arr), &p(&["b"]), "c", false));
        assert!(rename_attr(Some(&mut arr), &p(&["b"]), "c", true));
        assert_eq!(arr.len(), 2);
        assert_eq!(arr[1], json!({"key": "c", "value": {"intValue": 2}}));
        // Set overwrites in place, appends new keys, creates nested maps.
        assert!(set_attr(Some(&mut arr), &p(&["z"]), "x"));
        assert_eq!(arr[0]["value"], json!({"stringValue": "x"}));
        assert!(set_attr(Some(&mut arr), &p(&["m", "k"]), "v"));
        assert_eq!(
            attr_ref(Some(&Value::Array(arr.clone())), &p(&["m", "k"])),
            Some(ValueRef::str("v"))
        );
        assert!(remove_attr(Some(&mut arr), &p(&["m", "k"])));
        assert!(!remove_attr(Some(&mut arr), &p(&["m", "k"])));
    }

    #[test]
    fn process_logs_filters_transforms_and_prunes() {
        let snap = PolicySnapshot::from_policies(
            parse_document(
                r#"{"policies":[
                  {"id":"drop","log":{"match":[{"log_field":"severity_text","exact":"DEBUG"}],"keep":"none"}},
                  {"id":"tag","log":{"match":[{"resource_attribute":"service.name","exists":true}],
                     "transform":{"add":[{"resource_attribute":"seen","value":"yes"}],
                                  "remove":[{"log_field":"body"}]}}}]}"#,
                Format::Json,
            )
            .unwrap()
            .policies,
        );
        let mut doc = json!({"resourceLogs": [
            {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "a"}}]},
             "scopeLogs": [{"logRecords": [{"severityText": "INFO", "body": {"stringValue": "hi"}}]}]},
            {"resource": {}, "scopeLogs": [{"logRecords": [{"severityText": "DEBUG"}]}, {"logRecords": []}]}
        ]});
        let s = process_logs(&snap, &mut doc);
        assert_eq!(
            s,
            ProcessSummary {
                records: 2,
                dropped: 1,
                modified: 1
            }
        );
        assert_eq!(
            doc,
            json!({"resourceLogs": [
                {"resource": {"attributes": [
                    {"key": "service.name", "value": {"stringValue": "a"}},
                    {"key": "seen", "value": {"stringValue": "yes"}}]},
                 "scopeLogs": [{"logRecords": [{"severityText": "INFO"}]}]}
            ]})
        );
    }

    #[test]
    fn span_enums_accept_names_and_numbers() {
        let mut span = json!({"kind": "SPAN_KIND_CLIENT", "status": {"code": 2}, "traceId": "00000000000000000000000000000000"});
        let (r, s) = (json!({}), json!({}));
        let v = OtlpSpan {
            resource: &r,
            scope: &s,
            span: &mut span,
        };
        assert_eq!((v.span_kind(), v.span_status()), (3, 2));
        assert_eq!(
            v.trace_field(TraceField::TraceId),
            None,
            "all-zero id is absent"
        );
        let mut span = json!({"kind": 2, "status": {"code": "STATUS_CODE_OK"}});
        let v = OtlpSpan {
            resource: &r,
            scope: &s,
            span: &mut span,
        };
        assert_eq!((v.span_kind(), v.span_status()), (2, 1));
    }
}
