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
use std::cell::OnceCell;
use std::ops::Range;

use edge_policy::{AttrScope, AttrsId, LogField, LogView, LogViewMut, PolicySnapshot, ValueRef};
use opentelemetry_proto::tonic::common::v1::{InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message;

use super::attrs::{id_ref, str_ref};
use super::splice::{
    self, fields, put_bytes, put_delimited, unknown_fields, varint, varint_len, Edit, EditKind,
};
use super::{proto, Malformed, Outcome};

/// One field of a message on the wire.
#[derive(Clone, Copy)]
enum Val<'a> {
    Varint(u64),
    Fixed64([u8; 8]),
    Fixed32,
    Len(&'a [u8]),
}

/// A message: its own bytes, or every occurrence of field `tag` of a
/// parent message taken together (a singular message field given several
/// times).
#[derive(Clone, Copy)]
enum Msg<'a, 'p> {
    Bytes(&'a [u8]),
    Field(&'p Msg<'a, 'p>, u32),
}

#[cfg(test)]
thread_local! {
    /// Messages and fields read by [`walk`] on this thread (tests
    /// bound the work done per request with it).
    pub(super) static FIELDS_VISITED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The fields of `bytes` in order (groups skipped), read as the walk
/// goes; stops at the first malformed field (never in a body `scan_proto`
/// accepted).
fn walk(bytes: &[u8]) -> Walk<'_> {
    #[cfg(test)]
    FIELDS_VISITED.with(|c| c.set(c.get() + 1));
    Walk { bytes, pos: 0 }
}

/// Iterator of [`walk`].
struct Walk<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Walk<'a> {
    type Item = (u32, Val<'a>);

    #[inline]
    fn next(&mut self) -> Option<(u32, Val<'a>)> {
        let bytes = self.bytes;
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            #[cfg(test)]
            FIELDS_VISITED.with(|c| c.set(c.get() + 1));
            let Some(key) = varint(bytes, &mut self.pos) else {
                self.pos = bytes.len();
                return None;
            };
            let tag = (key >> 3) as u32;
            let val = match key & 7 {
                0 => varint(bytes, &mut self.pos).map(Val::Varint),
                1 => bytes.get(self.pos..self.pos + 8).map(|b| {
                    self.pos += 8;
                    Val::Fixed64(b.try_into().unwrap_or_default())
                }),
                5 => {
                    self.pos += 4;
                    Some(Val::Fixed32)
                }
                2 => varint(bytes, &mut self.pos).and_then(|len| {
                    let b = bytes.get(self.pos..self.pos.saturating_add(len as usize))?;
                    self.pos += b.len();
                    Some(Val::Len(b))
                }),
                3 => {
                    if skip_group(bytes, &mut self.pos, tag) {
                        continue;
                    }
                    None
                }
                _ => None,
            };
            match val {
                Some(v) => return Some((tag, v)),
                None => {
                    self.pos = bytes.len();
                    return None;
                }
            }
        }
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
    #[inline]
    fn each(&self, f: &mut impl FnMut(u32, Val<'a>)) {
        match *self {
            Msg::Bytes(b) => walk(b).for_each(|(t, v)| f(t, v)),
            Msg::Field(parent, tag) => parent.each_dyn(&mut |t, v| {
                if let (true, Val::Len(b)) = (t == tag, v) {
                    walk(b).for_each(|(t, v)| f(t, v));
                }
            }),
        }
    }

    /// [`Msg::each`] behind a trait object (bounds the nesting of closure
    /// types through [`Msg::Field`]).
    fn each_dyn(&self, f: &mut dyn FnMut(u32, Val<'a>)) {
        self.each(&mut |t, v| f(t, v));
    }
}

/// The text of an `AnyValue` made of one `string_value` shorter than 128
/// bytes and nothing else (the usual encoding).
#[inline]
fn short_string(any: &[u8]) -> Option<&[u8]> {
    match any {
        [0x0a, len, text @ ..] if *len < 0x80 && usize::from(*len) == text.len() => Some(text),
        _ => None,
    }
}

/// The typed value of an `AnyValue` (prost's `any_ref`): its last oneof
/// member; `None` when it has none.
fn any_ref<'a>(any: &Msg<'a, '_>) -> Option<ValueRef<'a>> {
    // The usual encoding: one `string_value` (field 1) and nothing else.
    if let Msg::Bytes([0x0a, len, text @ ..]) = *any {
        if *len < 0x80 && usize::from(*len) == text.len() {
            return Some(ValueRef::str(utf8(text)));
        }
    }
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

/// A `KeyValue` read in one walk.
#[derive(Clone, Copy)]
struct Kv<'a> {
    /// Its key (the last occurrence).
    key: &'a [u8],
    /// Whether it has a `value` field at all.
    has_value: bool,
    /// The length-delimited occurrences of `value`: the first one, and how
    /// many there are (several are merged on access).
    value: &'a [u8],
    values: u32,
}

fn read_kv(kv: &[u8]) -> Kv<'_> {
    // The usual encoding: the key (field 1) then one value (field 2), or
    // the key alone, each shorter than 128 bytes.
    if let [0x0a, key_len, rest @ ..] = kv {
        let key_len = usize::from(*key_len);
        if key_len < 0x80 && key_len <= rest.len() {
            let (key, rest) = rest.split_at(key_len);
            match rest {
                [] => {
                    return Kv {
                        key,
                        has_value: false,
                        value: &[],
                        values: 0,
                    }
                }
                [0x12, len, value @ ..] if *len < 0x80 && usize::from(*len) == value.len() => {
                    return Kv {
                        key,
                        has_value: true,
                        value,
                        values: 1,
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Kv {
        key: &[],
        has_value: false,
        value: &[],
        values: 0,
    };
    for (t, v) in walk(kv) {
        match (t, v) {
            (1, Val::Len(b)) => out.key = b,
            (2, v) => {
                out.has_value = true;
                if let Val::Len(b) = v {
                    if out.values == 0 {
                        out.value = b;
                    }
                    out.values += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// The first `KeyValue` whose key is `key` among `kvs`.
fn find_kv_in<'a>(
    kvs: impl IntoIterator<Item = &'a [u8]>,
    key: &str,
) -> Option<(&'a [u8], Kv<'a>)> {
    kvs.into_iter()
        .map(|kv| (kv, read_kv(kv)))
        .find(|(_, k)| k.key == key.as_bytes())
}

/// The first `KeyValue` whose key is `key` among the `tag` fields of
/// `list`.
fn find_kv<'a>(list: &Msg<'a, '_>, tag: u32, key: &str) -> Option<(&'a [u8], Kv<'a>)> {
    if let Msg::Bytes(b) = *list {
        return find_kv_in(
            walk(b).filter_map(|(t, v)| match (t == tag, v) {
                (true, Val::Len(kv)) => Some(kv),
                _ => None,
            }),
            key,
        );
    }
    let mut found = None;
    list.each(&mut |t, v| {
        if found.is_some() || t != tag {
            return;
        }
        if let Val::Len(kv) = v {
            let k = read_kv(kv);
            if k.key == key.as_bytes() {
                found = Some((kv, k));
            }
        }
    });
    found
}

/// The attribute at `path` in the `KeyValue` list made of the `tag` fields
/// of `list` (`attrs::attr_ref` on the wire).
fn attr_ref<'a>(list: &Msg<'a, '_>, tag: u32, path: &[String]) -> Option<ValueRef<'a>> {
    let first = path.first()?;
    let (bytes, kv) = find_kv(list, tag, first)?;
    attr_in_kv(bytes, kv, &path[1..])
}

/// The attribute at `path` among the `KeyValue`s `kvs` (in order).
fn attr_ref_in<'a>(kvs: &[&'a [u8]], path: &[String]) -> Option<ValueRef<'a>> {
    let first = path.first()?;
    let (bytes, kv) = find_kv_in(kvs.iter().copied(), first)?;
    attr_in_kv(bytes, kv, &path[1..])
}

/// A `KeyValue` of a resource or a scope, read once for all the records
/// under it.
#[derive(Clone)]
pub(super) struct WireKv<'a> {
    bytes: &'a [u8],
    kv: Kv<'a>,
    /// What a lookup of its key alone reads (`attr_in_kv` with an empty
    /// rest of the path).
    value: ValueRef<'a>,
}

impl<'a> WireKv<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let kv = read_kv(bytes);
        let value = attr_in_kv(bytes, kv, &[]).unwrap_or(ValueRef::Other);
        WireKv { bytes, kv, value }
    }
}

/// The attribute at `path` among the pre-read `KeyValue`s `kvs` (in
/// order): the first one with the key, as [`attr_ref_in`].
fn attr_ref_wire<'a>(kvs: &[WireKv<'a>], path: &[String]) -> Option<ValueRef<'a>> {
    let (first, rest) = path.split_first()?;
    let found = kvs.iter().find(|w| w.kv.key == first.as_bytes())?;
    if rest.is_empty() {
        return Some(found.value.clone());
    }
    attr_in_kv(found.bytes, found.kv, rest)
}

/// The value of the `KeyValue` `bytes` (read as `kv`) at the rest of the
/// path `rest`: the value itself when `rest` is empty.
fn attr_in_kv<'a>(bytes: &'a [u8], kv: Kv<'a>, rest: &[String]) -> Option<ValueRef<'a>> {
    let whole = Msg::Bytes(bytes);
    let value = if kv.values == 1 {
        Msg::Bytes(kv.value)
    } else {
        Msg::Field(&whole, 2)
    };
    let has_value = kv.has_value;
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

/// The resource or the scope of a record: its attributes on the wire, or
/// once a transform has changed it, decoded.
#[derive(Clone, Copy)]
pub(super) enum Side<'a, 'p> {
    /// The `KeyValue`s of the attributes of the merged occurrences of the
    /// message field, in order (read once per resource or scope), and the
    /// id they were given then (no transform changes them while it is in
    /// use: a changed wrapper is [`Side::Decoded`]).
    Wire(&'p [WireKv<'a>], AttrsId),
    /// The attributes of the decoded message.
    Decoded(&'p [KeyValue]),
}

impl<'p> Side<'_, 'p> {
    /// The attribute at `path`.
    fn attr(self, path: &[String]) -> Option<ValueRef<'p>> {
        match self {
            Side::Wire(kvs, _) => attr_ref_wire(kvs, path),
            Side::Decoded(attrs) => super::attrs::attr_ref(attrs, path),
        }
    }
}

/// How many attributes of a record [`RawLog`] locates when it is made;
/// a record with more has its attributes looked up on the wire.
const RECORD_ATTRS: usize = 8;

/// One log record on the wire with its resource and scope; the record's
/// well-known fields and its attributes are located in one pass when it is
/// made.
///
/// The resource and the scope are the attributes of the occurrences of
/// the `resource` field of the enclosing `ResourceLogs` and of the `scope`
/// field of the enclosing `ScopeLogs` (merged in order), collected once
/// per wrapper by [`process`] and [`for_each_record`]: a lookup never walks
/// the sibling records or scopes, nor the wrapper again.
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
    /// The record's attributes (`KeyValue`s), when it has at most
    /// [`RECORD_ATTRS`] of them.
    attrs: [&'a [u8]; RECORD_ATTRS],
    /// How many attributes the record has (more than [`RECORD_ATTRS`]: the
    /// lookups walk the record).
    attr_count: usize,
    /// The bytes from the first to the end of the last of the text-bearing
    /// fields (severity text, body, attributes, event name).
    text_span: &'a [u8],
    /// `text_span` as UTF-8, validated on first use (`None`: it is not).
    text: OnceCell<Option<&'a str>>,
}

fn utf8(b: &[u8]) -> &str {
    // Validated by scan_proto before any view is made.
    std::str::from_utf8(b).unwrap_or_default()
}

impl<'a, 'p> RawLog<'a, 'p> {
    /// `b` (bytes of the record) as text.
    ///
    /// The text-bearing fields usually sit next to each other with nothing
    /// but short tags and lengths (ASCII) between them: the whole span is
    /// validated once, on first use, and each value is a slice of it (a
    /// UTF-8 check per value costs more on short strings than one check of
    /// the span). Values outside the span, or a span that is not UTF-8 as a
    /// whole, are validated on their own.
    fn text(&self, b: &'a [u8]) -> &'a str {
        let span = self.text_span;
        let off = (b.as_ptr() as usize).wrapping_sub(span.as_ptr() as usize);
        if off < span.len() {
            let text = self.text.get_or_init(|| std::str::from_utf8(span).ok());
            if let Some(s) = text.and_then(|t| t.get(off..off + b.len())) {
                return s;
            }
        }
        utf8(b)
    }

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
            attrs: [&[]; RECORD_ATTRS],
            attr_count: 0,
            text_span: &[],
            text: OnceCell::new(),
        };
        // The span of the text-bearing fields.
        let (mut first, mut last) = (usize::MAX, 0);
        let mut fields = walk(record);
        while let Some((t, v)) = fields.next() {
            let Val::Len(b) = v else { continue };
            if matches!(t, 3 | 5 | 6 | 12) {
                first = first.min(fields.pos - b.len());
                last = fields.pos;
            }
            match t {
                3 => log.severity_text = b,
                5 => {
                    log.body = Some(b);
                    log.body_count += 1;
                }
                6 => {
                    if let Some(slot) = log.attrs.get_mut(log.attr_count) {
                        *slot = b;
                    }
                    log.attr_count += 1;
                }
                9 => log.trace_id = b,
                10 => log.span_id = b,
                12 => log.event_name = b,
                _ => {}
            }
        }
        if let Some(span) = record.get(first..last) {
            log.text_span = span;
        }
        log
    }
}

impl LogView for RawLog<'_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => {
                let body = self.body?;
                let value = if self.body_count == 1 {
                    if let Some(text) = short_string(body) {
                        return str_ref(self.text(text));
                    }
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
            LogField::SeverityText => str_ref(self.text(self.severity_text)),
            LogField::TraceId => id_ref(self.trace_id),
            LogField::SpanId => id_ref(self.span_id),
            LogField::EventName => str_ref(self.text(self.event_name)),
            LogField::ResourceSchemaUrl => str_ref(self.resource_schema_url),
            LogField::ScopeSchemaUrl => str_ref(self.scope_schema_url),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => match self.attrs.get(..self.attr_count) {
                Some(kvs) => {
                    // The usual case, a string value of a top-level key,
                    // read as text of the record (see `RawLog::text`).
                    if let [key] = path {
                        let (_, kv) = find_kv_in(kvs.iter().copied(), key)?;
                        if let (1, Some(text)) = (kv.values, short_string(kv.value)) {
                            return Some(ValueRef::str(self.text(text)));
                        }
                    }
                    attr_ref_in(kvs, path)
                }
                None => attr_ref(&Msg::Bytes(self.record), 6, path),
            },
            AttrScope::Resource => self.resource.attr(path),
            AttrScope::Scope => self.scope.attr(path),
        }
    }

    fn attributes_id(&self, scope: AttrScope) -> Option<AttrsId> {
        let side = match scope {
            AttrScope::Record => return None,
            AttrScope::Resource => self.resource,
            AttrScope::Scope => self.scope,
        };
        match side {
            Side::Wire(_, id) => Some(id),
            Side::Decoded(_) => None,
        }
    }
}

/// Collects the attributes (field `attrs_tag`) of the merged occurrences of
/// the message field 1 of `wrapper` into `kvs` (cleared first) and returns
/// its last string field 3 (the `resource`/`scope` and `schema_url` of a
/// `ResourceLogs`/`ScopeLogs`).
#[cfg(test)]
fn wrapper_fields<'a>(wrapper: &'a [u8], attrs_tag: u32, kvs: &mut Vec<WireKv<'a>>) -> &'a str {
    kvs.clear();
    let mut schema_url: &'a [u8] = &[];
    for (t, v) in walk(wrapper) {
        match (t, v) {
            (1, Val::Len(b)) if !b.is_empty() => {
                kvs.extend(attributes_of(b, attrs_tag).map(WireKv::new))
            }
            (3, Val::Len(b)) => schema_url = b,
            _ => {}
        }
    }
    utf8(schema_url)
}

/// The `KeyValue`s of the attributes (field `tag`) of `message`.
fn attributes_of(message: &[u8], tag: u32) -> impl Iterator<Item = &[u8]> {
    walk(message).filter_map(move |(t, v)| match (t == tag, v) {
        (true, Val::Len(kv)) => Some(kv),
        _ => None,
    })
}

/// Calls `f` on every record of a (validated) logs request, in order (the
/// views [`process`] evaluates, before any transform; tests compare them
/// with the prost views).
#[cfg(test)]
pub(super) fn for_each_record<'a>(body: &'a [u8], f: &mut dyn FnMut(RawLog<'a, '_>)) {
    // Reused for every resource and scope of the request: allocated on the
    // first push and grown rarely after, never per record.
    let mut resource: Vec<WireKv<'a>> = Vec::new();
    let mut scope: Vec<WireKv<'a>> = Vec::new();
    for (t, v) in walk(body) {
        let (1, Val::Len(rl)) = (t, v) else { continue };
        let resource_schema_url = wrapper_fields(rl, Resource::ATTRIBUTES, &mut resource);
        let resource_id = AttrsId::fresh();
        for (t, v) in walk(rl) {
            let (2, Val::Len(sl)) = (t, v) else { continue };
            let scope_schema_url = wrapper_fields(sl, InstrumentationScope::ATTRIBUTES, &mut scope);
            let scope_id = AttrsId::fresh();
            for (t, v) in walk(sl) {
                let (2, Val::Len(record)) = (t, v) else {
                    continue;
                };
                f(RawLog::new(
                    Side::Wire(&resource, resource_id),
                    Side::Wire(&scope, scope_id),
                    resource_schema_url,
                    scope_schema_url,
                    record,
                ));
            }
        }
    }
}

/// A resource or an instrumentation scope: the message a `ResourceLogs` or
/// `ScopeLogs` wraps (field 1) and whose attributes transforms can change.
pub(super) trait Wrapped: Message + Default {
    /// The field numbers prost decodes; the others are unknown fields,
    /// carried over as they are when the message is encoded again.
    const KNOWN: &'static [u32];
    /// The field number of the attributes.
    const ATTRIBUTES: u32;
    /// The attributes.
    fn attrs(&self) -> &[KeyValue];
    /// The attributes, to change.
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue>;
}

impl Wrapped for Resource {
    const KNOWN: &'static [u32] = &[1, 2, 3];
    const ATTRIBUTES: u32 = 1;
    fn attrs(&self) -> &[KeyValue] {
        &self.attributes
    }
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue> {
        &mut self.attributes
    }
}

impl Wrapped for InstrumentationScope {
    const KNOWN: &'static [u32] = &[1, 2, 3, 4];
    const ATTRIBUTES: u32 = 3;
    fn attrs(&self) -> &[KeyValue] {
        &self.attributes
    }
    fn attrs_mut(&mut self) -> &mut Vec<KeyValue> {
        &mut self.attributes
    }
}

/// The field numbers of `LogRecord` prost decodes.
const LOG_RECORD_KNOWN: &[u32] = &[1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12];

/// The resource of the `ResourceLogs` or the scope of the `ScopeLogs` being
/// walked, as the records evaluated so far left it. Reused from one
/// wrapper to the next (its buffers are allocated once per request).
pub(super) struct Wrapper<'a, T> {
    /// Non-empty occurrences of field 1.
    parts: Vec<&'a [u8]>,
    /// The attributes of the merged message, on the wire.
    kvs: Vec<WireKv<'a>>,
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
    /// The id of `kvs`, new for every wrapper.
    id: AttrsId,
    /// Decoding failed (never for a body `scan_proto` accepted).
    failed: bool,
}

impl<T> Default for Wrapper<'_, T> {
    fn default() -> Self {
        Wrapper {
            parts: Vec::new(),
            kvs: Vec::new(),
            occurrences: Vec::new(),
            content: 0,
            schema_url: "",
            decoded: None,
            dirty: false,
            id: AttrsId::fresh(),
            failed: false,
        }
    }
}

impl<'a, T: Wrapped> Wrapper<'a, T> {
    /// Starts on the wrapper message at `range` of `body`.
    fn reset(&mut self, body: &'a [u8], range: Range<usize>) {
        self.parts.clear();
        self.kvs.clear();
        self.occurrences.clear();
        self.content = range.start;
        self.decoded = None;
        self.dirty = false;
        self.id = AttrsId::fresh();
        self.failed = false;
        let mut schema_url: &'a [u8] = &[];
        for f in fields(body, range) {
            match (f.tag, f.wire) {
                (1, 2) => {
                    self.occurrences.push(f.start..f.end);
                    if f.end > f.value {
                        let part = &body[f.value..f.end];
                        self.parts.push(part);
                        self.kvs
                            .extend(attributes_of(part, T::ATTRIBUTES).map(WireKv::new));
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
            None => Side::Wire(&self.kvs, self.id),
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
        let len = message.encoded_len();
        let mut field = Vec::with_capacity(len + 8);
        put_delimited(&mut field, 1, varint_len(len as u64), |out| {
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
            AttrScope::Resource => self.resource.side().attr(path),
            AttrScope::Scope => self.scope.side().attr(path),
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

#[cfg(test)]
thread_local! {
    /// Records transformed by [`TextEdit`] on this thread (tests check
    /// that the wire path was taken).
    pub(super) static TEXT_EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A kept record whose transforms read and write only its body, severity
/// text and event name
/// ([`PolicySnapshot::log_transforms_touch_only_text_fields`]): they are
/// applied over the wire view, and the record is written again as its
/// fields as received less every occurrence of those changed, followed by
/// their new values. Decoded, that is the record the prost path gives
/// (decode, transform, encode): the other fields are untouched and a
/// changed field has exactly one occurrence, or none for an empty string
/// or a removed body (prost writes neither).
struct TextEdit<'l, 'a, 'p> {
    log: &'l RawLog<'a, 'p>,
    /// The body once changed: `Some(None)` removed.
    body: Option<Option<String>>,
    /// The severity text once changed (empty: removed).
    severity_text: Option<String>,
    /// The event name once changed (empty: removed).
    event_name: Option<String>,
}

impl<'l, 'a, 'p> TextEdit<'l, 'a, 'p> {
    fn new(log: &'l RawLog<'a, 'p>) -> Self {
        TextEdit {
            log,
            body: None,
            severity_text: None,
            event_name: None,
        }
    }

    /// The text field `field` once changed (`None`: as received).
    fn text(&self, field: LogField) -> Option<&str> {
        match field {
            LogField::SeverityText => self.severity_text.as_deref(),
            LogField::EventName => self.event_name.as_deref(),
            _ => None,
        }
    }

    fn text_mut(&mut self, field: LogField) -> Option<&mut Option<String>> {
        match field {
            LogField::SeverityText => Some(&mut self.severity_text),
            LogField::EventName => Some(&mut self.event_name),
            _ => None,
        }
    }

    /// The changed record as a whole `log_records` field (tag 2).
    fn encode(&self) -> Vec<u8> {
        #[cfg(test)]
        TEXT_EDITS.with(|c| c.set(c.get() + 1));
        let record = self.log.record;
        let mut field = Vec::with_capacity(record.len() + 32);
        put_delimited(&mut field, 2, varint_len(record.len() as u64), |out| {
            // The unchanged fields, each run of them copied at once.
            let mut run = 0..0;
            for f in fields(record, 0..record.len()) {
                let changed = match f.tag {
                    3 => self.severity_text.is_some(),
                    5 => self.body.is_some(),
                    12 => self.event_name.is_some(),
                    _ => false,
                };
                if changed {
                    out.extend_from_slice(&record[run.clone()]);
                    run = f.end..f.end;
                } else {
                    run.end = f.end;
                }
            }
            out.extend_from_slice(&record[run]);
            // prost's field order: severity text, body, event name.
            let string = |out: &mut Vec<u8>, tag: u32, s: &Option<String>| {
                if let Some(s) = s.as_deref().filter(|s| !s.is_empty()) {
                    put_bytes(out, tag, s.as_bytes());
                }
            };
            string(out, 3, &self.severity_text);
            if let Some(Some(body)) = &self.body {
                // An `AnyValue` with its `string_value` (a oneof member is
                // written even when empty).
                let text = body.as_bytes();
                let any_len = 1 + varint_len(text.len() as u64) + text.len();
                put_delimited(out, 5, varint_len(any_len as u64), |out| {
                    put_bytes(out, 1, text)
                });
            }
            string(out, 12, &self.event_name);
        });
        field
    }
}

impl LogView for TextEdit<'_, '_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match (field, &self.body) {
            (LogField::Body, Some(body)) => body.as_deref().and_then(str_ref),
            (LogField::Body, None) => self.log.log_field(field),
            _ => match self.text(field) {
                Some(s) => str_ref(s),
                None => self.log.log_field(field),
            },
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.log.attribute(scope, path)
    }
}

impl LogViewMut for TextEdit<'_, '_, '_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        if field == LogField::Body {
            // prost: whether the record had a body message at all.
            let had = match &self.body {
                Some(body) => body.is_some(),
                None => self.log.body_count > 0,
            };
            self.body = Some(None);
            return had;
        }
        let current = match self.text(field) {
            Some(s) => !s.is_empty(),
            None => match field {
                LogField::SeverityText => !self.log.severity_text.is_empty(),
                LogField::EventName => !self.log.event_name.is_empty(),
                _ => false,
            },
        };
        match self.text_mut(field) {
            Some(slot) => {
                *slot = Some(String::new());
                current
            }
            // Never asked: the transforms touch only the text fields.
            None => false,
        }
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        if field == LogField::Body {
            self.body = Some(Some(value.to_owned()));
            return true;
        }
        match self.text_mut(field) {
            Some(slot) => {
                *slot = Some(value.to_owned());
                true
            }
            None => false,
        }
    }

    // Never asked: the transforms touch only the text fields.
    fn remove_attribute(&mut self, _: AttrScope, _: &[String]) -> bool {
        false
    }

    fn set_attribute(&mut self, _: AttrScope, _: &[String], _: &str) -> bool {
        false
    }

    fn rename_attribute(&mut self, _: AttrScope, _: &[String], _: &str, _: bool) -> bool {
        false
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
                let log = RawLog::new(
                    resource.side(),
                    scope.side(),
                    resource.schema_url,
                    scope.schema_url,
                    bytes,
                );
                let verdict = snap.evaluate_log(&log);
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
                if snap.log_transforms_touch_only_text_fields(&verdict) {
                    let mut view = TextEdit::new(&log);
                    if snap.apply_log_transforms(&verdict, &mut view) {
                        out.modified += 1;
                        edits.push(Edit {
                            range: rec.start..rec.end,
                            kind: EditKind::Replace(view.encode()),
                        });
                    }
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
                    let len = record.encoded_len();
                    let mut field = Vec::with_capacity(len + bytes.len() / 4 + 8);
                    put_delimited(&mut field, 2, varint_len(len as u64), |out| {
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
        if splice::drop_empty_scopes(&scopes, out.dropped > 0, &mut edits) == 0 {
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

#[cfg(test)]
mod tests {
    use edge_policy::{AttrScope, LogField, LogView};
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, KeyValue};
    use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
    use opentelemetry_proto::tonic::resource::v1::Resource;
    use prost::Message;

    use super::{for_each_record, RECORD_ATTRS};
    use crate::otlp::proto::PbLog;

    fn kv(key: String, value: i64) -> KeyValue {
        KeyValue {
            key,
            value: Some(AnyValue {
                value: Some(any_value::Value::IntValue(value)),
            }),
        }
    }

    /// Records with up to well over [`RECORD_ATTRS`] attributes (repeated
    /// keys included: the first one counts), and a resource and a scope
    /// with as many: every lookup reads what the prost view reads, whether
    /// the attributes were located when the view was made or not.
    #[test]
    fn many_attributes_read_like_prost() {
        let max = 3 * RECORD_ATTRS;
        let keys = |n: usize| -> Vec<KeyValue> {
            (0..n)
                .map(|i| kv(format!("k{}", i % 11), i as i64))
                .collect()
        };
        let records: Vec<LogRecord> = (0..=max)
            .map(|n| LogRecord {
                attributes: keys(n),
                ..LogRecord::default()
            })
            .collect();
        let mut scope = ScopeLogs {
            log_records: records,
            ..ScopeLogs::default()
        };
        scope.scope = Some(Default::default());
        scope.scope.as_mut().unwrap().attributes = keys(max);
        let req = ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                resource: Some(Resource {
                    attributes: keys(max),
                    ..Resource::default()
                }),
                scope_logs: vec![scope],
                ..ResourceLogs::default()
            }],
        };
        let body = req.encode_to_vec();
        let mut decoded = req.clone();
        let mut seen = 0;
        let mut found = 0;
        for_each_record(&body, &mut |wire| {
            let rl = &mut decoded.resource_logs[0];
            let mut scopes = std::mem::take(&mut rl.scope_logs);
            let mut record = scopes[0].log_records[seen].clone();
            let pb = PbLog {
                resource: rl,
                scope: &mut scopes[0],
                record: &mut record,
            };
            for key in (0..12).map(|k| format!("k{k}")) {
                let path = [key];
                for s in [AttrScope::Record, AttrScope::Resource, AttrScope::Scope] {
                    let want = pb.attribute(s, &path);
                    found += usize::from(want.is_some());
                    assert_eq!(
                        wire.attribute(s, &path),
                        want,
                        "record {seen} {s:?} {path:?}"
                    );
                }
            }
            decoded.resource_logs[0].scope_logs = scopes;
            seen += 1;
        });
        assert_eq!(seen, max + 1);
        assert!(found > 500, "{found}");
    }

    fn delimited(tag: u8, bytes: &[u8], out: &mut Vec<u8>) {
        out.push(tag);
        let mut n = bytes.len();
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
        out.extend_from_slice(bytes);
    }

    fn string_kv(key: &str, value: &str) -> Vec<u8> {
        let mut any = Vec::new();
        delimited(0x0a, value.as_bytes(), &mut any);
        let mut kv = Vec::new();
        delimited(0x0a, key.as_bytes(), &mut kv);
        delimited(0x12, &any, &mut kv);
        kv
    }

    /// The text fields are read as slices of one validated span of the
    /// record when they can be: long values (two-byte lengths), non-ASCII
    /// text, repeated keys and fields in any order (binary bytes inside the
    /// span) must read what prost reads.
    #[test]
    fn text_fields_read_like_prost_whatever_lies_between_them() {
        let long = "x".repeat(300);
        let texts = ["", "INFO", "日本 ü", long.as_str()];
        let mut records = Vec::new();
        for (i, body) in texts.iter().enumerate() {
            for sev in texts {
                for order in 0..3 {
                    let mut any = Vec::new();
                    delimited(0x0a, body.as_bytes(), &mut any);
                    let mut rec = Vec::new();
                    let trace = [
                        0xffu8, 0x80, 0xc3, 0x28, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                    ];
                    if order == 1 {
                        delimited(0x4a, &trace, &mut rec);
                    }
                    delimited(0x1a, sev.as_bytes(), &mut rec);
                    if order == 2 {
                        delimited(0x4a, &trace, &mut rec);
                    }
                    delimited(0x2a, &any, &mut rec);
                    delimited(0x32, &string_kv("k", texts[(i + 1) % 4]), &mut rec);
                    delimited(0x32, &string_kv("k", "second"), &mut rec);
                    delimited(0x32, &string_kv("é", sev), &mut rec);
                    delimited(0x62, texts[(i + 2) % 4].as_bytes(), &mut rec);
                    records.push(rec);
                }
            }
        }
        let mut scope = Vec::new();
        for rec in &records {
            delimited(0x12, rec, &mut scope);
        }
        let mut rl = Vec::new();
        delimited(0x12, &scope, &mut rl);
        let mut body = Vec::new();
        delimited(0x0a, &rl, &mut body);
        let mut decoded = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let mut seen = 0;
        for_each_record(&body, &mut |wire| {
            let rl = &mut decoded.resource_logs[0];
            let mut scopes = std::mem::take(&mut rl.scope_logs);
            let mut record = scopes[0].log_records[seen].clone();
            let pb = PbLog {
                resource: rl,
                scope: &mut scopes[0],
                record: &mut record,
            };
            for f in [LogField::Body, LogField::SeverityText, LogField::EventName] {
                assert_eq!(wire.log_field(f), pb.log_field(f), "record {seen} {f:?}");
            }
            for key in ["k", "é", "x"] {
                let path = [key.to_owned()];
                let want = pb.attribute(AttrScope::Record, &path);
                assert_eq!(
                    wire.attribute(AttrScope::Record, &path),
                    want,
                    "record {seen} {key}"
                );
            }
            decoded.resource_logs[0].scope_logs = scopes;
            seen += 1;
        });
        assert_eq!(seen, records.len());
    }
}

#[cfg(test)]
mod text_span_tests {
    use edge_policy::{AttrScope, LogField, LogView};
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use prost::Message;

    use super::for_each_record;
    use crate::otlp::proto::PbLog;

    fn delimited(tag: u32, bytes: &[u8], out: &mut Vec<u8>) {
        varint(u64::from(tag << 3 | 2), out);
        varint(bytes.len() as u64, out);
        out.extend_from_slice(bytes);
    }

    fn varint(mut n: u64, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        /// Valid UTF-8 of one- to four-byte characters, sometimes longer
        /// than 127 bytes (a two-byte length before it).
        fn text(&mut self) -> String {
            const PIECES: [&str; 7] = ["a", "é", "日", "\u{1F600}", "x y", "\u{80}", "\u{7ff}"];
            let n = [0, 1, 3, 70][self.below(4)];
            (0..n).map(|_| PIECES[self.below(PIECES.len())]).collect()
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            // Mostly bytes that are not ASCII (lead and continuation bytes).
            (0..n).map(|_| 0x80 | self.next() as u8).collect()
        }
    }

    /// A random record: text-bearing fields (severity text, bodies,
    /// attributes with string or other values, event name) in any order
    /// and repeated, between them binary fields (ids, a fixed64, unknown
    /// fields) whose bytes are not ASCII.
    fn record(r: &mut Rng) -> Vec<u8> {
        let mut rec = Vec::new();
        for _ in 0..r.below(10) {
            match r.below(8) {
                0 => delimited(3, r.text().as_bytes(), &mut rec),
                1 => {
                    let mut any = Vec::new();
                    if r.below(4) == 0 {
                        any.extend_from_slice(&[0x18, 0x85, 0x01]);
                    } else {
                        delimited(1, r.text().as_bytes(), &mut any);
                    }
                    delimited(5, &any, &mut rec);
                }
                2 | 3 => {
                    let mut any = Vec::new();
                    match r.below(4) {
                        0 => delimited(7, &r.bytes(3), &mut any),
                        _ => delimited(1, r.text().as_bytes(), &mut any),
                    }
                    let mut kv = Vec::new();
                    delimited(1, ["k", "é", "x"][r.below(3)].as_bytes(), &mut kv);
                    delimited(2, &any, &mut kv);
                    delimited(6, &kv, &mut rec);
                }
                4 => delimited(12, r.text().as_bytes(), &mut rec),
                5 => delimited([9, 10][r.below(2)], &r.bytes(16), &mut rec),
                6 => {
                    rec.push(0x09);
                    rec.extend_from_slice(&r.bytes(8));
                }
                _ => {
                    let (tag, n) = (20 + r.below(100) as u32, r.below(6));
                    delimited(tag, &r.bytes(n), &mut rec);
                }
            }
        }
        rec
    }

    /// Random records read through the UTF-8 span shortcut give what prost
    /// decodes, whatever bytes lie between and around the text fields.
    #[test]
    fn text_span_reads_like_prost_on_random_records() {
        let mut r = Rng(0x7e57_5a4e);
        for round in 0..300 {
            let records: Vec<Vec<u8>> = (0..1 + r.below(8)).map(|_| record(&mut r)).collect();
            let mut scope = Vec::new();
            for rec in &records {
                delimited(2, rec, &mut scope);
            }
            let mut rl = Vec::new();
            delimited(2, &scope, &mut rl);
            let mut body = Vec::new();
            delimited(1, &rl, &mut body);
            let mut decoded = ExportLogsServiceRequest::decode(body.as_slice()).expect("valid");
            let mut seen = 0;
            for_each_record(&body, &mut |wire| {
                let rl = &mut decoded.resource_logs[0];
                let mut scopes = std::mem::take(&mut rl.scope_logs);
                let mut record = scopes[0].log_records[seen].clone();
                let pb = PbLog {
                    resource: rl,
                    scope: &mut scopes[0],
                    record: &mut record,
                };
                for f in [LogField::Body, LogField::SeverityText, LogField::EventName] {
                    assert_eq!(wire.log_field(f), pb.log_field(f), "round {round} {f:?}");
                }
                for key in ["k", "é", "x"] {
                    let path = [key.to_owned()];
                    assert_eq!(
                        wire.attribute(AttrScope::Record, &path),
                        pb.attribute(AttrScope::Record, &path),
                        "round {round} {key}"
                    );
                }
                decoded.resource_logs[0].scope_logs = scopes;
                seen += 1;
            });
            assert_eq!(seen, records.len(), "round {round}");
        }
    }
}
