//! Log policies evaluated straight on the protobuf wire bytes, without
//! decoding the request into prost messages: a body whose records all stay
//! unchanged (the common case) is forwarded without a single allocation
//! per record. Only when a record is dropped or transformed is the request
//! decoded with prost, and the verdicts already computed are applied to it
//! in record order (each record is evaluated exactly once, so policy
//! counters stay right).
//!
//! [`RawLog`] reads what [`super::proto::PbLog`] reads from the decoded
//! message, with protobuf's merge semantics: a singular scalar field given
//! twice is the last one, a singular message field given twice is the
//! concatenation of its occurrences, a oneof is its last member (message
//! members given consecutively are merged). The body must have passed
//! `scan_proto` (well-formed), so the walk here never meets an error.

use edge_policy::{AttrScope, LogField, LogVerdict, LogView, PolicySnapshot, ValueRef};
use std::borrow::Cow;

use super::attrs::{id_ref, str_ref};
use super::Outcome;

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

fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for count in 0..10 {
        let byte = *buf.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << (count * 7);
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
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

/// One log record on the wire with its resource and scope; the record's
/// well-known fields are located in one pass when it is made.
///
/// The resource and the scope are the occurrences of the `resource` field
/// of the enclosing `ResourceLogs` and of the `scope` field of the
/// enclosing `ScopeLogs` (merged in order), collected once per wrapper by
/// [`for_each_record`]: a lookup never walks the sibling records or scopes.
pub(super) struct RawLog<'a, 'p> {
    resource: &'p [&'a [u8]],
    scope: &'p [&'a [u8]],
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
        resource: &'p [&'a [u8]],
        scope: &'p [&'a [u8]],
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
            AttrScope::Resource => attr_ref(&Msg::Parts(self.resource), 1, path),
            AttrScope::Scope => attr_ref(&Msg::Parts(self.scope), 3, path),
        }
    }
}

/// Collects the non-empty occurrences of the message field 1 of `wrapper`
/// into `parts` (cleared first) and returns its last string field 3 (the
/// `resource`/`scope` and `schema_url` of a `ResourceLogs`/`ScopeLogs`).
/// An empty occurrence merges nothing: leaving it out keeps a lookup's
/// work bounded by the size of the merged message, however many times a
/// request repeats the field.
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

/// Calls `f` on every record of a (validated) logs request, in order.
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
                    resource,
                    scope,
                    resource_schema_url,
                    scope_schema_url,
                    record,
                ));
            });
        });
    });
}

/// What evaluating a logs request on the wire found.
pub(super) enum RawResult {
    /// Every record kept unchanged (or none at all).
    Unchanged(Outcome),
    /// Some record dropped or to be transformed: the verdicts of the first
    /// records in order (`None`: kept unchanged). They end at the first
    /// record with transforms: a transform can change the resource or the
    /// scope the following records are matched against, so those are
    /// evaluated after it is applied, on the decoded request, exactly as
    /// when everything is decoded first.
    Verdicts(Vec<Option<LogVerdict>>),
}

/// Evaluates the records of a validated logs request on the wire, up to the
/// first one with transforms.
// TODO: an edge-policy query telling whether a snapshot's log transforms
// only touch record-level targets would let the wire pass go on past a
// transformed record (and kept records be spliced instead of re-encoded).
pub(super) fn evaluate(snap: &PolicySnapshot, body: &[u8]) -> RawResult {
    let mut records = 0usize;
    // Verdicts are kept from the first record that needs one on; the
    // earlier ones are all plain keeps.
    let mut verdicts: Option<Vec<Option<LogVerdict>>> = None;
    let mut stopped = false;
    for_each_record(body, &mut |rec| {
        if stopped {
            return;
        }
        let verdict = snap.evaluate_log(&rec);
        let plain = verdict.keep() && !verdict.has_transforms();
        stopped = verdict.has_transforms();
        match &mut verdicts {
            Some(v) => v.push((!plain).then_some(verdict)),
            None if !plain => {
                let mut v = Vec::with_capacity(records + 64);
                v.resize(records, None);
                v.push(Some(verdict));
                verdicts = Some(v);
            }
            None => {}
        }
        records += 1;
    });
    match verdicts {
        Some(v) => RawResult::Verdicts(v),
        None => RawResult::Unchanged(Outcome {
            records,
            ..Outcome::default()
        }),
    }
}
