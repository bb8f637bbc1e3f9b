//! Log policies evaluated straight on the protobuf wire bytes, without
//! decoding the request into prost messages: a body whose records all stay
//! unchanged (the common case) is forwarded without a single allocation
//! per record. When records are dropped or transformed the request is
//! spliced ([`process`], `splice`): kept records, scopes and resources are
//! copied byte for byte (unknown fields included) and only the length
//! prefixes around a change are written again; a transformed record alone
//! is decoded with prost, transformed and encoded (its unknown fields
//! appended again), and so is a resource or scope a transform changed.
//! The result means what decoding the whole request, applying the policies
//! ([`super::proto::process_logs`]) and encoding it again would give.
//!
//! [`RawLog`] reads what [`super::proto::PbLog`] reads from the decoded
//! message, with protobuf's merge semantics: a singular scalar field given
//! twice is the last one, a singular message field given twice is the
//! concatenation of its occurrences, a oneof is its last member (message
//! members given consecutively are merged). The body must have passed
//! `scan_proto` (well-formed), so the walk here never meets an error.

use std::borrow::Cow;
use std::ops::Range;

use edge_policy::{AttrScope, LogField, LogView, LogViewMut, PolicySnapshot, ValueRef};
use opentelemetry_proto::tonic::common::v1::{InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message;

use super::attrs::{id_ref, str_ref};
use super::splice::{self, fields, put_delimited, varint, Edit, EditKind};
use super::{proto, Malformed, Outcome};

/// One field of a message on the wire.
#[derive(Clone, Copy)]
enum Val<'a> {
    Varint(u64),
    Fixed64([u8; 8]),
    Fixed32,
    Len(&'a [u8]),
}

/// A message: its own bytes, every occurrence of field `tag` of a parent
/// message taken together (a singular message field given several times),
/// or such occurrences already collected, in order.
#[derive(Clone, Copy)]
enum Msg<'a, 'p> {
    Bytes(&'a [u8]),
    Field(&'p Msg<'a, 'p>, u32),
    Parts(&'p [&'a [u8]]),
}

#[cfg(test)]
thread_local! {
    /// Messages and fields read by [`fields_of`] on this thread (tests
    /// bound the work done per request with it).
    pub(super) static FIELDS_VISITED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Calls `f` for every field of `bytes` in order; groups are skipped.
fn fields_of<'a>(bytes: &'a [u8], f: &mut dyn FnMut(u32, Val<'a>)) {
    #[cfg(test)]
    FIELDS_VISITED.with(|c| c.set(c.get() + 1));
    let mut pos = 0;
    while pos < bytes.len() {
        #[cfg(test)]
        FIELDS_VISITED.with(|c| c.set(c.get() + 1));
        let Some(key) = varint(bytes, &mut pos) else {
            return;
        };
        let tag = (key >> 3) as u32;
        let val = match key & 7 {
            0 => match varint(bytes, &mut pos) {
                Some(v) => Val::Varint(v),
                None => return,
            },
            1 => match bytes.get(pos..pos + 8) {
                Some(b) => {
                    pos += 8;
                    Val::Fixed64(b.try_into().unwrap_or_default())
                }
                None => return,
            },
            5 => {
                pos += 4;
                Val::Fixed32
            }
            2 => {
                let Some(len) = varint(bytes, &mut pos) else {
                    return;
                };
                let Some(b) = bytes.get(pos..pos.saturating_add(len as usize)) else {
                    return;
                };
                pos += b.len();
                Val::Len(b)
            }
            3 => {
                if !skip_group(bytes, &mut pos, tag) {
                    return;
                }
                continue;
            }
            _ => return,
        };
        f(tag, val);
    }
}

fn skip_group(bytes: &[u8], pos: &mut usize, tag: u32) -> bool {
    loop {
        let Some(key) = varint(bytes, pos) else {
            return false;
        };
        let inner = (key >> 3) as u32;
        match key & 7 {
            0 => {
                if varint(bytes, pos).is_none() {
                    return false;
                }
            }
            1 => *pos += 8,
            5 => *pos += 4,
            2 => {
                let Some(len) = varint(bytes, pos) else {
                    return false;
                };
                *pos = pos.saturating_add(len as usize);
            }
            3 => {
                if !skip_group(bytes, pos, inner) {
                    return false;
                }
            }
            4 => return inner == tag,
            _ => return false,
        }
        if *pos > bytes.len() {
            return false;
        }
    }
}

impl<'a> Msg<'a, '_> {
    /// Every field of the (merged) message, in order.
    fn each(&self, f: &mut dyn FnMut(u32, Val<'a>)) {
        match *self {
            Msg::Bytes(b) => fields_of(b, f),
            Msg::Parts(parts) => {
                for b in parts {
                    fields_of(b, f);
                }
            }
            Msg::Field(parent, tag) => parent.each(&mut |t, v| {
                if let (true, Val::Len(b)) = (t == tag, v) {
                    fields_of(b, f);
                }
            }),
        }
    }

    /// Whether field `tag` occurs at all.
    fn has(&self, tag: u32) -> bool {
        let mut found = false;
        self.each(&mut |t, _| found |= t == tag);
        found
    }

    /// The last occurrence of a length-delimited field (string/bytes).
    fn last_bytes(&self, tag: u32) -> &'a [u8] {
        let mut out: &'a [u8] = &[];
        self.each(&mut |t, v| {
            if let (true, Val::Len(b)) = (t == tag, v) {
                out = b;
            }
        });
        out
    }
}

/// The typed value of an `AnyValue` (prost's `any_ref`): its last oneof
/// member; `None` when it has none.
fn any_ref<'a>(any: &Msg<'a, '_>) -> Option<ValueRef<'a>> {
    let mut last: Option<(u32, Val<'a>)> = None;
    any.each(&mut |t, v| {
        if (1..=7).contains(&t) {
            last = Some((t, v));
        }
    });
    Some(match last? {
        (1, Val::Len(b)) => ValueRef::str(std::str::from_utf8(b).unwrap_or_default()),
        (2, Val::Varint(v)) => ValueRef::Bool(v != 0),
        (3, Val::Varint(v)) => ValueRef::Int(v as i64),
        (4, Val::Fixed64(b)) => ValueRef::Double(f64::from_le_bytes(b)),
        (7, Val::Len(b)) => ValueRef::Bytes(Cow::Borrowed(b)),
        _ => ValueRef::Other,
    })
}

/// Whether the `AnyValue`'s oneof ends as a `kvlistValue`; calls `f` with
/// each `KeyValueList` occurrence merged into it (the trailing run of
/// consecutive kvlist members).
fn kvlist_runs<'a>(any: &Msg<'a, '_>) -> Option<Vec<&'a [u8]>> {
    // TODO: a small fixed buffer would spare this allocation; nested
    // attribute paths are rare.
    let mut run: Vec<&'a [u8]> = Vec::new();
    let mut is_kvlist = false;
    any.each(&mut |t, v| {
        if !(1..=7).contains(&t) {
            return;
        }
        match (t, v) {
            (6, Val::Len(b)) => {
                if !is_kvlist {
                    run.clear();
                }
                is_kvlist = true;
                run.push(b);
            }
            _ => {
                is_kvlist = false;
                run.clear();
            }
        }
    });
    is_kvlist.then_some(run)
}

/// The first `KeyValue` whose key is `key` among the `tag` fields of
/// `list`; returns the KeyValue's bytes.
fn find_kv<'a>(list: &Msg<'a, '_>, tag: u32, key: &str) -> Option<&'a [u8]> {
    let mut found: Option<&'a [u8]> = None;
    list.each(&mut |t, v| {
        if found.is_some() || t != tag {
            return;
        }
        if let Val::Len(kv) = v {
            if Msg::Bytes(kv).last_bytes(1) == key.as_bytes() {
                found = Some(kv);
            }
        }
    });
    found
}

/// The attribute at `path` in the `KeyValue` list made of the `tag` fields
/// of `list` (`attrs::attr_ref` on the wire).
fn attr_ref<'a>(list: &Msg<'a, '_>, tag: u32, path: &[String]) -> Option<ValueRef<'a>> {
    let (first, rest) = path.split_first()?;
    let kv = find_kv(list, tag, first)?;
    let kv = Msg::Bytes(kv);
    let has_value = kv.has(2);
    let value = Msg::Field(&kv, 2);
    match rest.split_first() {
        None => Some(if has_value {
            any_ref(&value).unwrap_or(ValueRef::Other)
        } else {
            ValueRef::Other
        }),
        Some(_) => {
            if !has_value {
                return None;
            }
            let runs = kvlist_runs(&value)?;
            // Consecutive KeyValueLists merge: their `values` concatenate.
            for run in runs {
                if let Some(v) = attr_ref_in_list(run, rest) {
                    return Some(v);
                }
                // A later list is searched only when the key is absent
                // from this one (first match over the concatenation).
                if find_kv(&Msg::Bytes(run), 1, &rest[0]).is_some() {
                    return None;
                }
            }
            None
        }
    }
}

fn attr_ref_in_list<'a>(list: &'a [u8], path: &[String]) -> Option<ValueRef<'a>> {
    attr_ref(&Msg::Bytes(list), 1, path)
}

/// The resource or the scope of a record: its occurrences on the wire, or
/// its attributes once a transform has changed it (decoded).
#[derive(Clone, Copy)]
pub(super) enum Side<'a, 'p> {
    /// The non-empty occurrences of the message field, in order.
    Wire(&'p [&'a [u8]]),
    /// The attributes of the decoded message.
    Decoded(&'p [KeyValue]),
}

impl<'p> Side<'_, 'p> {
    /// The attribute at `path`; `tag` is the field number of the attributes
    /// in the wrapped message.
    fn attr(self, tag: u32, path: &[String]) -> Option<ValueRef<'p>> {
        match self {
            Side::Wire(parts) => attr_ref(&Msg::Parts(parts), tag, path),
            Side::Decoded(attrs) => super::attrs::attr_ref(attrs, path),
        }
    }
}

/// One log record on the wire with its resource and scope; the record's
/// well-known fields are located in one pass when it is made.
///
/// The resource and the scope are the occurrences of the `resource` field
/// of the enclosing `ResourceLogs` and of the `scope` field of the
/// enclosing `ScopeLogs` (merged in order), collected once per wrapper by
/// [`for_each_record`]: a lookup never walks the sibling records or scopes.
pub(super) struct RawLog<'a, 'p> {
    resource: Side<'a, 'p>,
    scope: Side<'a, 'p>,
    record: &'a [u8],
    resource_schema_url: &'a str,
    scope_schema_url: &'a str,
    severity_text: &'a [u8],
    trace_id: &'a [u8],
    span_id: &'a [u8],
    event_name: &'a [u8],
    /// The body's only occurrence; `None` when absent or given more than
    /// once (then the occurrences are merged on access).
    body: Option<&'a [u8]>,
    body_count: u32,
}

fn utf8(b: &[u8]) -> &str {
    // Validated by scan_proto before any view is made.
    std::str::from_utf8(b).unwrap_or_default()
}

impl<'a, 'p> RawLog<'a, 'p> {
    fn new(
        resource: Side<'a, 'p>,
        scope: Side<'a, 'p>,
        resource_schema_url: &'a str,
        scope_schema_url: &'a str,
        record: &'a [u8],
    ) -> Self {
        let mut log = RawLog {
            resource,
            scope,
            record,
            resource_schema_url,
            scope_schema_url,
            severity_text: &[],
            trace_id: &[],
            span_id: &[],
            event_name: &[],
            body: None,
            body_count: 0,
        };
        fields_of(record, &mut |t, v| {
            let Val::Len(b) = v else { return };
            match t {
                3 => log.severity_text = b,
                5 => {
                    log.body = Some(b);
                    log.body_count += 1;
                }
                9 => log.trace_id = b,
                10 => log.span_id = b,
                12 => log.event_name = b,
                _ => {}
            }
        });
        log
    }
}

impl LogView for RawLog<'_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => {
                let body = self.body?;
                let value = if self.body_count == 1 {
                    any_ref(&Msg::Bytes(body))
                } else {
                    let record = Msg::Bytes(self.record);
                    any_ref(&Msg::Field(&record, 5))
                };
                match value? {
                    ValueRef::Str(s) if s.is_empty() => None,
                    v => Some(v),
                }
            }
            LogField::SeverityText => str_ref(utf8(self.severity_text)),
            LogField::TraceId => id_ref(self.trace_id),
            LogField::SpanId => id_ref(self.span_id),
            LogField::EventName => str_ref(utf8(self.event_name)),
            LogField::ResourceSchemaUrl => str_ref(self.resource_schema_url),
            LogField::ScopeSchemaUrl => str_ref(self.scope_schema_url),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(&Msg::Bytes(self.record), 6, path),
            AttrScope::Resource => self.resource.attr(1, path),
            AttrScope::Scope => self.scope.attr(3, path),
        }
    }
}

/// Collects the non-empty occurrences of the message field 1 of `wrapper`
/// into `parts` (cleared first) and returns its last string field 3 (the
/// `resource`/`scope` and `schema_url` of a `ResourceLogs`/`ScopeLogs`).
/// An empty occurrence merges nothing: leaving it out keeps a lookup's
/// work bounded by the size of the merged message, however many times a
/// request repeats the field.
#[cfg(test)]
fn wrapper_fields<'a>(wrapper: &'a [u8], parts: &mut Vec<&'a [u8]>) -> &'a str {
    parts.clear();
    let mut schema_url: &'a [u8] = &[];
    fields_of(wrapper, &mut |t, v| match (t, v) {
        (1, Val::Len(b)) if !b.is_empty() => parts.push(b),
        (3, Val::Len(b)) => schema_url = b,
        _ => {}
    });
    utf8(schema_url)
}

/// Calls `f` on every record of a (validated) logs request, in order (the
/// views [`process`] evaluates, before any transform; tests compare them
/// with the prost views).
#[cfg(test)]
pub(super) fn for_each_record<'a>(body: &'a [u8], f: &mut dyn FnMut(RawLog<'a, '_>)) {
    // Reused for every resource and scope of the request: allocated on the
    // first push and grown rarely after, never per record.
    let mut resource: Vec<&'a [u8]> = Vec::new();
    let mut scope: Vec<&'a [u8]> = Vec::new();
    fields_of(body, &mut |t, v| {
        let (1, Val::Len(rl)) = (t, v) else { return };
        let resource_schema_url = wrapper_fields(rl, &mut resource);
        let resource = resource.as_slice();
        fields_of(rl, &mut |t, v| {
            let (2, Val::Len(sl)) = (t, v) else { return };
            let scope_schema_url = wrapper_fields(sl, &mut scope);
            let scope = scope.as_slice();
            fields_of(sl, &mut |t, v| {
                let (2, Val::Len(record)) = (t, v) else {
                    return;
                };
                f(RawLog::new(
                    Side::Wire(resource),
                    Side::Wire(scope),
                    resource_schema_url,
                    scope_schema_url,
                    record,
                ));
            });
        });
    });
}

/// A resource or an instrumentation scope: the message a `ResourceLogs` or
/// `ScopeLogs` wraps (field 1) and whose attributes transforms can change.
pub(super) trait Wrapped: Message + Default {
    /// The field numbers prost decodes; the others are unknown fields,
    /// carried over as they are when the message is encoded again.
    const KNOWN: &'static [u32];
    /// The attributes.
    fn attrs(&self) -> &[KeyValue];
    /// The attributes, to change.
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue>;
}

impl Wrapped for Resource {
    const KNOWN: &'static [u32] = &[1, 2, 3];
    fn attrs(&self) -> &[KeyValue] {
        &self.attributes
    }
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue> {
        &mut self.attributes
    }
}

impl Wrapped for InstrumentationScope {
    const KNOWN: &'static [u32] = &[1, 2, 3, 4];
    fn attrs(&self) -> &[KeyValue] {
        &self.attributes
    }
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue> {
        &mut self.attributes
    }
}

/// The field numbers of `LogRecord` prost decodes.
const LOG_RECORD_KNOWN: &[u32] = &[1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12];

/// Appends the fields of `message` whose numbers are not in `known`, as
/// they are.
fn unknown_fields(message: &[u8], known: &[u32], out: &mut Vec<u8>) {
    for f in fields(message, 0..message.len()) {
        if !known.contains(&f.tag) {
            out.extend_from_slice(&message[f.start..f.end]);
        }
    }
}

/// The resource of the `ResourceLogs` or the scope of the `ScopeLogs` being
/// walked, as the records evaluated so far left it. Reused from one
/// wrapper to the next (its buffers are allocated once per request).
pub(super) struct Wrapper<'a, T> {
    /// Non-empty occurrences of field 1.
    parts: Vec<&'a [u8]>,
    /// Every occurrence of field 1 (whole fields).
    occurrences: Vec<Range<usize>>,
    /// Where the wrapper's content starts.
    content: usize,
    /// The last `schema_url` (field 3).
    schema_url: &'a str,
    /// The decoded message once a transform reached it (`Some(None)`: the
    /// field is absent).
    decoded: Option<Option<T>>,
    /// A transform may have changed the message: it is encoded again.
    dirty: bool,
    /// Decoding failed (never for a body `scan_proto` accepted).
    failed: bool,
}

impl<T> Default for Wrapper<'_, T> {
    fn default() -> Self {
        Wrapper {
            parts: Vec::new(),
            occurrences: Vec::new(),
            content: 0,
            schema_url: "",
            decoded: None,
            dirty: false,
            failed: false,
        }
    }
}

impl<'a, T: Wrapped> Wrapper<'a, T> {
    /// Starts on the wrapper message at `range` of `body`.
    fn reset(&mut self, body: &'a [u8], range: Range<usize>) {
        self.parts.clear();
        self.occurrences.clear();
        self.content = range.start;
        self.decoded = None;
        self.dirty = false;
        self.failed = false;
        let mut schema_url: &'a [u8] = &[];
        for f in fields(body, range) {
            match (f.tag, f.wire) {
                (1, 2) => {
                    self.occurrences.push(f.start..f.end);
                    if f.end > f.value {
                        self.parts.push(&body[f.value..f.end]);
                    }
                }
                (3, 2) => schema_url = &body[f.value..f.end],
                _ => {}
            }
        }
        self.schema_url = utf8(schema_url);
    }

    /// What record views read.
    fn side(&self) -> Side<'a, '_> {
        match &self.decoded {
            Some(decoded) => Side::Decoded(decoded.as_ref().map_or(&[], |m| m.attrs())),
            None => Side::Wire(&self.parts),
        }
    }

    /// The attributes for a transform to change; with `create` an absent
    /// message is created. The message is encoded again from then on.
    fn attrs_mut(&mut self, create: bool) -> Option<&mut Vec<KeyValue>> {
        if self.decoded.is_none() {
            let merged = match self.parts.as_slice() {
                _ if self.occurrences.is_empty() => None,
                [one] => Some(T::decode(*one)),
                parts => Some(T::decode(parts.concat().as_slice())),
            };
            self.failed |= matches!(merged, Some(Err(_)));
            self.decoded = Some(merged.map(Result::unwrap_or_default));
        }
        let decoded = self.decoded.as_mut()?;
        if decoded.is_none() && !create {
            return None;
        }
        self.dirty = true;
        Some(decoded.get_or_insert_with(T::default).attrs_mut())
    }

    /// Adds the edits writing a changed message: it replaces the first
    /// occurrence (the others are merged into it), or comes first in the
    /// wrapper when it had none.
    fn finish(&self, edits: &mut Vec<Edit>) -> Result<(), Malformed> {
        if self.failed {
            return Err(Malformed("invalid protobuf in a resource or scope".into()));
        }
        let Some(Some(message)) = self.decoded.as_ref().filter(|_| self.dirty) else {
            return Ok(());
        };
        let mut field = Vec::with_capacity(message.encoded_len() + 8);
        put_delimited(&mut field, 1, |out| {
            message.encode_raw(out);
            for part in &self.parts {
                unknown_fields(part, T::KNOWN, out);
            }
        });
        match self.occurrences.split_first() {
            Some((first, rest)) => {
                edits.push(Edit {
                    range: first.clone(),
                    kind: EditKind::Replace(field),
                });
                edits.extend(rest.iter().map(|r| Edit {
                    range: r.clone(),
                    kind: EditKind::Drop,
                }));
            }
            None => edits.push(Edit {
                range: self.content..self.content,
                kind: EditKind::Insert(field),
            }),
        }
        Ok(())
    }
}

/// A kept record with transforms: decoded with prost, next to its resource
/// and scope (decoded only if a transform reaches them).
struct SpliceLog<'s, 'a> {
    record: &'s mut LogRecord,
    resource: &'s mut Wrapper<'a, Resource>,
    scope: &'s mut Wrapper<'a, InstrumentationScope>,
}

impl LogView for SpliceLog<'_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::ResourceSchemaUrl => str_ref(self.resource.schema_url),
            LogField::ScopeSchemaUrl => str_ref(self.scope.schema_url),
            _ => proto::record_field(self.record, field),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => super::attrs::attr_ref(&self.record.attributes, path),
            AttrScope::Resource => self.resource.side().attr(1, path),
            AttrScope::Scope => self.scope.side().attr(3, path),
        }
    }
}

impl SpliceLog<'_, '_> {
    fn attrs_mut(&mut self, scope: AttrScope, create: bool) -> Option<&mut Vec<KeyValue>> {
        match scope {
            AttrScope::Record => Some(&mut self.record.attributes),
            AttrScope::Resource => self.resource.attrs_mut(create),
            AttrScope::Scope => self.scope.attrs_mut(create),
        }
    }
}

impl LogViewMut for SpliceLog<'_, '_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        proto::remove_record_field(self.record, field)
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        proto::set_record_field(self.record, field, value)
    }

    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        self.attrs_mut(scope, false)
            .is_some_and(|a| super::attrs::remove(a, path))
    }

    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        self.attrs_mut(scope, true)
            .is_some_and(|a| super::attrs::set(a, path, value))
    }

    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        self.attrs_mut(scope, false)
            .is_some_and(|a| super::attrs::rename(a, from, to, upsert))
    }
}

/// Evaluates every record of a validated logs request on the wire, in
/// order, and returns the outcome and the edits that make the forwarded
/// body: dropped records, transformed records encoded again, changed
/// resources and scopes, and the scopes and resources left empty (removed
/// as [`super::proto::process_logs`] removes them: once a record has been
/// dropped, the scopes without records of each following resource, and at
/// the end every resource without scopes).
pub(super) fn process(
    snap: &PolicySnapshot,
    body: &[u8],
) -> Result<(Outcome, Vec<Edit>), Malformed> {
    let mut out = Outcome::default();
    let mut edits = Vec::new();
    let mut resource = Wrapper::<Resource>::default();
    let mut scope = Wrapper::<InstrumentationScope>::default();
    // The scopes of the current resource and their kept records.
    let mut scopes: Vec<(Range<usize>, usize)> = Vec::new();
    let mut empty_resources: Vec<Range<usize>> = Vec::new();
    for rl in fields(body, 0..body.len()) {
        if (rl.tag, rl.wire) != (1, 2) {
            continue;
        }
        resource.reset(body, rl.value..rl.end);
        scopes.clear();
        for sl in fields(body, rl.value..rl.end) {
            if (sl.tag, sl.wire) != (2, 2) {
                continue;
            }
            scope.reset(body, sl.value..sl.end);
            let mut kept = 0;
            for rec in fields(body, sl.value..sl.end) {
                if (rec.tag, rec.wire) != (2, 2) {
                    continue;
                }
                out.records += 1;
                let bytes = &body[rec.value..rec.end];
                let verdict = snap.evaluate_log(&RawLog::new(
                    resource.side(),
                    scope.side(),
                    resource.schema_url,
                    scope.schema_url,
                    bytes,
                ));
                if !verdict.keep() {
                    out.dropped += 1;
                    edits.push(Edit {
                        range: rec.start..rec.end,
                        kind: EditKind::Drop,
                    });
                    continue;
                }
                kept += 1;
                if !verdict.has_transforms() {
                    continue;
                }
                let mut record = LogRecord::decode(bytes)
                    .map_err(|e| Malformed(format!("invalid protobuf: {e}")))?;
                let mut view = SpliceLog {
                    record: &mut record,
                    resource: &mut resource,
                    scope: &mut scope,
                };
                if snap.apply_log_transforms(&verdict, &mut view) {
                    out.modified += 1;
                    let mut field = Vec::with_capacity(record.encoded_len() + bytes.len() / 4 + 8);
                    put_delimited(&mut field, 2, |out| {
                        record.encode_raw(out);
                        unknown_fields(bytes, LOG_RECORD_KNOWN, out);
                    });
                    edits.push(Edit {
                        range: rec.start..rec.end,
                        kind: EditKind::Replace(field),
                    });
                }
            }
            scope.finish(&mut edits)?;
            scopes.push((sl.start..sl.end, kept));
        }
        resource.finish(&mut edits)?;
        let mut remaining = scopes.len();
        if out.dropped > 0 {
            for (range, kept) in &scopes {
                if *kept == 0 {
                    edits.push(Edit {
                        range: range.clone(),
                        kind: EditKind::Drop,
                    });
                    remaining -= 1;
                }
            }
        }
        if remaining == 0 {
            empty_resources.push(rl.start..rl.end);
        }
    }
    if out.dropped > 0 {
        edits.extend(empty_resources.into_iter().map(|range| Edit {
            range,
            kind: EditKind::Drop,
        }));
    }
    Ok((out, edits))
}

/// The body forwarded for `edits` from [`process`].
pub(super) fn splice(body: &[u8], mut edits: Vec<Edit>) -> Result<Vec<u8>, Malformed> {
    splice::apply(body, &mut edits).ok_or_else(|| Malformed("invalid protobuf".into()))
}
