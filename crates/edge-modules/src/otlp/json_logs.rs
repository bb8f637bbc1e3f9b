//! Log policies evaluated on OTLP/JSON text, without building a
//! `serde_json::Value` tree of the request: the JSON counterpart of
//! `raw_logs` for protobuf.
//!
//! A body takes this path only when the tree path would mean exactly the
//! same thing: `scan_json` accepts it (so the tree path would too) and
//! reports that the normaliser would rewrite nothing (no snake_case or
//! legacy key, no 64-bit integer beyond 2^53 given as a number, no
//! uppercase identifier). Every other body goes through the tree
//! (`json::decode` and `edge_policy::otlp_json`). That decision is made
//! before any record is evaluated, so a request is evaluated once (rate
//! limits, sampling and policy counters see each record once).
//!
//! Where the records, their resources and scopes and their fields are (the
//! [`Index`]) is told by `scan_json`'s byte walk while it validates the body
//! ([`Builder`]), so the body is walked once; [`Index::build`] walks it again
//! only when the serde walk had to decide.
//!
//! Records are read through [`JsonLog`], a [`LogView`] over byte ranges of
//! the body: strings are borrowed, unescaped only when they contain an
//! escape; numbers are read by `serde_json`'s own number parser. It reads
//! what `edge_policy::otlp_json::OtlpLog` reads from the tree.
//!
//! Outcomes:
//!
//! * nothing dropped or changed: the original bytes are forwarded;
//! * records dropped or changed: the body is written again from its
//!   pieces. Kept records, scopes and resources are copied as received;
//!   the arrays of records, scopes and resources are written without the
//!   dropped elements, and scopes and resources left without records are
//!   removed, as the tree path removes them. A record a transform changed
//!   is parsed into a `Value`, transformed by the tree path's own code
//!   (`OtlpLog`) and serialised in its place; so is a resource or scope a
//!   transform reached (records evaluated after it see the change). When
//!   the transforms touch only the body, severity text and event name and
//!   the record's text is what `serde_json` writes of it, they are applied
//!   to its members on the text instead ([`TextEdit`]), which writes the
//!   same bytes without the `Value`.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use base64::Engine as _;
use edge_policy::otlp_json::{any_value as tree_any_value, find_attribute, OtlpLog};
use edge_policy::{AttrScope, AttrsId, LogField, LogView, PolicySnapshot, ValueRef};
use serde_json::{Map, Value};

use super::scan_json::{self, Msg, Sink, Site, Str};
use super::{Malformed, Outcome, Processed, Signal};

// --- a cursor over JSON text that `scan_json` accepted ------------------------

/// A position in a body already validated by `scan_json` (well-formed JSON,
/// valid UTF-8). Every step still checks what it reads and gives `None` on
/// anything unexpected, so a bug can only send the body to the tree path.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn at(b: &'a [u8], i: usize) -> Self {
        Cur { b, i }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string (the cursor at its opening quote).
    fn string(&mut self) -> Option<Str> {
        self.eat(b'"')?;
        let start = self.i;
        let mut escaped = false;
        loop {
            self.i += memchr::memchr2(b'"', b'\\', self.b.get(self.i..)?)?;
            if self.b[self.i] == b'\\' {
                escaped = true;
                self.i += 2;
            } else {
                let end = self.i;
                self.i += 1;
                return Some(Str {
                    start,
                    end,
                    escaped,
                });
            }
        }
    }

    /// Skips one value (the cursor at its first byte) and returns its
    /// range.
    fn value(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.i += 1;
                }
            }
        }
        (self.i > start).then_some(start..self.i)
    }

    /// Calls `f` for every member of the object at the cursor, with the
    /// cursor at the member's value, which `f` must consume.
    fn object(&mut self, mut f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            f(self, key)?;
            if self.closes(b'}')? {
                return Some(());
            }
        }
    }

    /// Calls `f` for every element of the array at the cursor, with the
    /// cursor at the element, which `f` must consume.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            f(self)?;
            if self.closes(b']')? {
                return Some(());
            }
        }
    }

    /// After a member or element: consumes `,` (false) or `close` (true);
    /// anything else is not JSON.
    fn closes(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let c = self.peek()?;
        if c != b',' && c != close {
            return None;
        }
        self.i += 1;
        Some(c == close)
    }

    /// Skips the value at the cursor.
    fn skip(&mut self) -> Option<()> {
        self.value().map(drop)
    }
}

/// The text of a string token, unescaped when it has escapes.
fn text(b: &[u8], s: Str) -> Option<Cow<'_, str>> {
    if s.escaped {
        serde_json::from_slice::<String>(b.get(s.start - 1..s.end + 1)?)
            .ok()
            .map(Cow::Owned)
    } else {
        std::str::from_utf8(b.get(s.start..s.end)?)
            .ok()
            .map(Cow::Borrowed)
    }
}

/// Whether the string token `s` is `want`.
fn is(b: &[u8], s: Str, want: &str) -> bool {
    if s.escaped {
        text(b, s).is_some_and(|t| t == want)
    } else {
        &b[s.start..s.end] == want.as_bytes()
    }
}

/// The string at `r` (a value range), `None` when it is not a string.
fn string_at<'a>(b: &'a [u8], r: &Range<usize>) -> Option<Cow<'a, str>> {
    let mut c = Cur::at(b, r.start);
    let s = c.string()?;
    text(b, s)
}

/// Whether the value at `r` is an object.
fn is_object(b: &[u8], r: &Range<usize>) -> bool {
    b.get(r.start) == Some(&b'{')
}

/// Whether the value at `r` is an array.
fn is_array(b: &[u8], r: &Option<Range<usize>>) -> bool {
    r.as_ref().is_some_and(|r| b.get(r.start) == Some(&b'['))
}

/// The value of member `key` of the object at `r`.
fn member(b: &[u8], r: &Range<usize>, key: &str) -> Option<Range<usize>> {
    let mut found = None;
    Cur::at(b, r.start).object(|c, k| {
        let v = c.value()?;
        if found.is_none() && is(b, k, key) {
            found = Some(v);
        }
        Some(())
    })?;
    found
}

// --- the index of a request ------------------------------------------------

/// One `KeyValue` of an attribute list.
#[derive(Debug)]
struct Attr {
    /// The key, when it is a string.
    key: Option<Str>,
    /// The value (`None`: absent).
    value: Option<Range<usize>>,
}

/// A `ResourceLogs` or a `ScopeLogs` object.
#[derive(Debug)]
struct Wrapper {
    /// The whole object.
    range: Range<usize>,
    /// The value of `resource` / `scope`.
    inner: Option<Range<usize>>,
    /// The value of `schemaUrl`.
    schema_url: Option<Range<usize>>,
    /// The attributes of `inner`, in [`Index::attrs`].
    attrs: Range<usize>,
    /// The value of `scopeLogs` / `logRecords`.
    list: Option<Range<usize>>,
    /// The scopes / records of `list`, in [`Index::scopes`] /
    /// [`Index::records`].
    children: Range<usize>,
}

/// A `LogRecord` object.
#[derive(Debug)]
struct Rec {
    range: Range<usize>,
    body: Option<Range<usize>>,
    severity_text: Option<Range<usize>>,
    trace_id: Option<Range<usize>>,
    span_id: Option<Range<usize>>,
    event_name: Option<Range<usize>>,
    /// The record's attributes, in [`Index::attrs`].
    attrs: Range<usize>,
}

/// Where everything a log view reads is in the body.
#[derive(Debug, Default)]
struct Index {
    /// The value of `resourceLogs`.
    resource_list: Option<Range<usize>>,
    resources: Vec<Wrapper>,
    scopes: Vec<Wrapper>,
    records: Vec<Rec>,
    attrs: Vec<Attr>,
}

impl Index {
    fn build(b: &[u8]) -> Option<Index> {
        let mut idx = Index::default();
        let mut c = Cur::at(b, 0);
        c.ws();
        c.object(|c, k| {
            if !is(b, k, "resourceLogs") {
                return c.skip();
            }
            let start = c.i;
            if c.peek()? == b'[' {
                c.array(|c| idx.wrapper(c, true))?;
            } else {
                c.skip()?;
            }
            idx.resource_list = Some(start..c.i);
            Some(())
        })?;
        Some(idx)
    }

    /// A `ResourceLogs` (`resource`) or `ScopeLogs` object.
    fn wrapper(&mut self, c: &mut Cur<'_>, resource: bool) -> Option<()> {
        let b = c.b;
        let (inner_key, list_key) = if resource {
            ("resource", "scopeLogs")
        } else {
            ("scope", "logRecords")
        };
        let start = c.i;
        let mut w = Wrapper {
            range: 0..0,
            inner: None,
            schema_url: None,
            attrs: 0..0,
            list: None,
            children: 0..0,
        };
        c.object(|c, k| {
            if is(b, k, inner_key) {
                let v_start = c.i;
                if c.peek()? == b'{' {
                    c.object(|c, k| {
                        if is(b, k, "attributes") {
                            w.attrs = self.attributes(c)?;
                            Some(())
                        } else {
                            c.skip()
                        }
                    })?;
                } else {
                    c.skip()?;
                }
                w.inner = Some(v_start..c.i);
            } else if is(b, k, "schemaUrl") {
                w.schema_url = Some(c.value()?);
            } else if is(b, k, list_key) {
                let v_start = c.i;
                if c.peek()? == b'[' {
                    let first = if resource {
                        self.scopes.len()
                    } else {
                        self.records.len()
                    };
                    if resource {
                        c.array(|c| self.wrapper(c, false))?;
                        w.children = first..self.scopes.len();
                    } else {
                        c.array(|c| self.record(c))?;
                        w.children = first..self.records.len();
                    }
                } else {
                    c.skip()?;
                }
                w.list = Some(v_start..c.i);
            } else {
                c.skip()?;
            }
            Some(())
        })?;
        w.range = start..c.i;
        if resource {
            self.resources.push(w);
        } else {
            self.scopes.push(w);
        }
        Some(())
    }

    fn record(&mut self, c: &mut Cur<'_>) -> Option<()> {
        let b = c.b;
        let start = c.i;
        let mut rec = Rec {
            range: 0..0,
            body: None,
            severity_text: None,
            trace_id: None,
            span_id: None,
            event_name: None,
            attrs: 0..0,
        };
        c.object(|c, k| {
            if is(b, k, "attributes") {
                rec.attrs = self.attributes(c)?;
                return Some(());
            }
            let slot = if is(b, k, "body") {
                &mut rec.body
            } else if is(b, k, "severityText") {
                &mut rec.severity_text
            } else if is(b, k, "traceId") {
                &mut rec.trace_id
            } else if is(b, k, "spanId") {
                &mut rec.span_id
            } else if is(b, k, "eventName") {
                &mut rec.event_name
            } else {
                return c.skip();
            };
            *slot = Some(c.value()?);
            Some(())
        })?;
        rec.range = start..c.i;
        self.records.push(rec);
        Some(())
    }

    /// An attribute list (anything else: no attributes).
    fn attributes(&mut self, c: &mut Cur<'_>) -> Option<Range<usize>> {
        let first = self.attrs.len();
        if c.peek()? != b'[' {
            c.skip()?;
            return Some(first..first);
        }
        c.array(|c| {
            let kv = key_value(c)?;
            self.attrs.push(kv);
            Some(())
        })?;
        Some(first..self.attrs.len())
    }
}

/// Builds the [`Index`] from what `scan_json`'s byte walk tells while it
/// validates the body (one pass instead of a second walk with [`Cur`]):
/// the same ranges [`Index::build`] finds, for a body without aliases
/// (records, attribute lists and the messages around them are at
/// `AnyValue` depth 0; deeper `KeyValue`s are in attribute values).
struct Builder<'b> {
    b: &'b [u8],
    idx: Index,
    /// The `ResourceLogs` and the `ScopeLogs` open.
    wrappers: Vec<Wrapper>,
    /// The record open.
    rec: Option<Rec>,
    /// The attribute open.
    kv: Option<Attr>,
    /// The first attribute of the resource, scope or record open.
    attrs_from: usize,
}

impl<'b> Builder<'b> {
    fn new(b: &'b [u8]) -> Self {
        Builder {
            b,
            idx: Index::default(),
            wrappers: Vec::new(),
            rec: None,
            kv: None,
            attrs_from: 0,
        }
    }
}

/// The index the byte walk builds and the one [`Index::build`] builds, as
/// text, for a body the byte walk accepts (tests compare them).
#[cfg(test)]
pub(super) fn both_indexes(body: &[u8]) -> Option<(String, String)> {
    let mut builder = Builder::new(body);
    let (checked, told) = scan_json::check_into(Signal::Logs, body, &mut builder)?;
    if !told || checked.rewritten {
        return None;
    }
    let built = Index::build(body)?;
    Some((format!("{:?}", builder.idx), format!("{built:?}")))
}

impl Sink for Builder<'_> {
    fn open(&mut self, msg: Msg, depth: usize, at: usize) {
        if depth != 0 {
            return;
        }
        let idx = &self.idx;
        match msg {
            Msg::ResourceLogs | Msg::ScopeLogs => {
                let first = if msg == Msg::ResourceLogs {
                    idx.scopes.len()
                } else {
                    idx.records.len()
                };
                self.wrappers.push(Wrapper {
                    range: at..at,
                    inner: None,
                    schema_url: None,
                    attrs: 0..0,
                    list: None,
                    children: first..first,
                });
            }
            Msg::LogRecord => {
                self.attrs_from = idx.attrs.len();
                self.rec = Some(Rec {
                    range: at..at,
                    body: None,
                    severity_text: None,
                    trace_id: None,
                    span_id: None,
                    event_name: None,
                    attrs: 0..0,
                });
            }
            Msg::Resource | Msg::Scope => self.attrs_from = idx.attrs.len(),
            Msg::KeyValue => {
                self.kv = Some(Attr {
                    key: None,
                    value: None,
                })
            }
            Msg::Other => {}
        }
    }

    fn field(&mut self, site: Site, depth: usize, value: Range<usize>, string: Option<Str>) {
        if depth != 0 {
            return;
        }
        let attrs = self.attrs_from..self.idx.attrs.len();
        let (scopes, records) = (self.idx.scopes.len(), self.idx.records.len());
        let resource = self.wrappers.len() == 1;
        let wrapper = self.wrappers.last_mut();
        match (site, wrapper, &mut self.rec, &mut self.kv) {
            (Site::List, None, _, _) => self.idx.resource_list = Some(value),
            (Site::List, Some(w), _, _) => {
                // As `Index::build`: children only of an array (else null).
                w.children = if self.b.get(value.start) == Some(&b'[') {
                    w.children.start..if resource { scopes } else { records }
                } else {
                    0..0
                };
                w.list = Some(value);
            }
            (Site::Attributes, _, Some(rec), _) => rec.attrs = attrs,
            (Site::Attributes, Some(w), None, _) => w.attrs = attrs,
            (Site::Inner, Some(w), None, _) => w.inner = Some(value),
            (Site::SchemaUrl, Some(w), None, _) => w.schema_url = Some(value),
            (Site::Body, _, Some(rec), _) => rec.body = Some(value),
            (Site::SeverityText, _, Some(rec), _) => rec.severity_text = Some(value),
            (Site::TraceId, _, Some(rec), _) => rec.trace_id = Some(value),
            (Site::SpanId, _, Some(rec), _) => rec.span_id = Some(value),
            (Site::EventName, _, Some(rec), _) => rec.event_name = Some(value),
            (Site::Key, _, _, Some(kv)) => kv.key = string,
            (Site::Value, _, _, Some(kv)) => kv.value = Some(value),
            _ => {}
        }
    }

    fn close(&mut self, msg: Msg, depth: usize, range: Range<usize>) {
        if depth != 0 {
            return;
        }
        match msg {
            Msg::ResourceLogs | Msg::ScopeLogs => {
                if let Some(mut w) = self.wrappers.pop() {
                    w.range = range;
                    if w.list.is_none() {
                        w.children = 0..0;
                    }
                    if msg == Msg::ResourceLogs {
                        self.idx.resources.push(w);
                    } else {
                        self.idx.scopes.push(w);
                    }
                }
            }
            Msg::LogRecord => {
                if let Some(mut rec) = self.rec.take() {
                    rec.range = range;
                    self.idx.records.push(rec);
                }
            }
            Msg::KeyValue => self.idx.attrs.extend(self.kv.take()),
            _ => {}
        }
    }
}

/// A `KeyValue` object at the cursor.
fn key_value(c: &mut Cur<'_>) -> Option<Attr> {
    let b = c.b;
    let mut kv = Attr {
        key: None,
        value: None,
    };
    c.object(|c, k| {
        if is(b, k, "key") {
            if c.peek()? == b'"' {
                kv.key = Some(c.string()?);
            } else {
                c.skip()?;
            }
        } else if is(b, k, "value") {
            kv.value = Some(c.value()?);
        } else {
            c.skip()?;
        }
        Some(())
    })?;
    Some(kv)
}

// --- reading records ----------------------------------------------------------

/// The typed value of the `AnyValue` at `r` (`otlp_json::any_value` on the
/// text).
fn any_ref<'a>(b: &'a [u8], r: &Range<usize>) -> ValueRef<'a> {
    if !is_object(b, r) {
        return ValueRef::Other;
    }
    let mut m: [Option<Range<usize>>; 5] = Default::default();
    const KEYS: [&str; 5] = [
        "stringValue",
        "boolValue",
        "intValue",
        "doubleValue",
        "bytesValue",
    ];
    let walked = Cur::at(b, r.start).object(|c, k| {
        let v = c.value()?;
        if let Some(i) = KEYS.iter().position(|key| is(b, k, key)) {
            m[i] = Some(v);
        }
        Some(())
    });
    if walked.is_none() {
        return ValueRef::Other;
    }
    let [string, boolean, int, double, bytes] = m;
    if let Some(s) = string.and_then(|r| string_at(b, &r)) {
        return ValueRef::Str(s);
    }
    match boolean.as_ref().map(|r| &b[r.clone()]) {
        Some(b"true") => return ValueRef::Bool(true),
        Some(b"false") => return ValueRef::Bool(false),
        _ => {}
    }
    if let Some(r) = int {
        let n = match string_at(b, &r) {
            Some(s) => s.trim().parse().ok(),
            None => number(b, &r).and_then(|n| n.as_i64()),
        };
        if let Some(n) = n {
            return ValueRef::Int(n);
        }
    }
    if let Some(r) = double {
        let f = match string_at(b, &r) {
            Some(s) => match &*s {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                t => t.parse().ok(),
            },
            None => number(b, &r).and_then(|n| n.as_f64()),
        };
        if let Some(f) = f {
            return ValueRef::Double(f);
        }
    }
    if let Some(s) = bytes.and_then(|r| string_at(b, &r)) {
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&*s) {
            return ValueRef::Bytes(Cow::Owned(bytes));
        }
    }
    ValueRef::Other
}

/// The number at `r`, read by serde_json's number parser (as a `Value`
/// would hold it); `None` when it is not a number.
fn number(b: &[u8], r: &Range<usize>) -> Option<serde_json::Number> {
    match b.get(r.start)? {
        b'-' | b'0'..=b'9' => std::str::from_utf8(&b[r.clone()]).ok()?.parse().ok(),
        _ => None,
    }
}

fn nonempty_str<'a>(b: &'a [u8], r: &Option<Range<usize>>) -> Option<ValueRef<'a>> {
    string_at(b, r.as_ref()?)
        .filter(|s| !s.is_empty())
        .map(ValueRef::Str)
}

fn hex_id<'a>(b: &'a [u8], r: &Option<Range<usize>>) -> Option<ValueRef<'a>> {
    let s = string_at(b, r.as_ref()?)?;
    if s.is_empty() {
        return None;
    }
    let bytes = hex::decode(&*s).ok()?;
    if bytes.iter().all(|x| *x == 0) {
        return None;
    }
    Some(ValueRef::Bytes(Cow::Owned(bytes)))
}

/// A value of an attribute as `otlp_json::attr_ref` gives it: absent or
/// null is `Other`.
fn attr_value<'a>(b: &'a [u8], value: &Option<Range<usize>>) -> ValueRef<'a> {
    match value {
        Some(r) if b.get(r.start) != Some(&b'n') => any_ref(b, r),
        _ => ValueRef::Other,
    }
}

/// The first `KeyValue` with key `key` in the `KeyValue` array at `r`: its
/// value (`Some(None)`: no value).
fn find_in_array(b: &[u8], r: &Range<usize>, key: &str) -> Option<Option<Range<usize>>> {
    let mut found = None;
    Cur::at(b, r.start).array(|c| {
        if found.is_some() {
            return c.skip();
        }
        let kv = key_value(c)?;
        if kv.key.is_some_and(|k| is(b, k, key)) {
            found = Some(kv.value);
        }
        Some(())
    })?;
    found
}

/// The attribute at `path` in `list` (`otlp_json::find_attribute` on the
/// text: first occurrence of each key; later segments descend into
/// `kvlistValue.values`).
fn attr_ref<'a>(b: &'a [u8], list: &[Attr], path: &[String]) -> Option<ValueRef<'a>> {
    let (first, rest) = path.split_first()?;
    let mut value = list
        .iter()
        .find(|kv| kv.key.is_some_and(|k| is(b, k, first)))?
        .value
        .clone();
    for seg in rest {
        let v = value?;
        if !is_object(b, &v) {
            return None;
        }
        let kvlist = member(b, &v, "kvlistValue")?;
        if !is_object(b, &kvlist) {
            return None;
        }
        let values = member(b, &kvlist, "values")?;
        if !is_array(b, &Some(values.clone())) {
            return None;
        }
        value = find_in_array(b, &values, seg)?;
    }
    Some(attr_value(b, &value))
}

/// The resource or the scope of a record: read on the text, or the stub a
/// transform reached (then changes are seen by the following records).
///
/// Attributes are read on the text while that is cheap: a small resource or
/// scope (at most [`TEXT_BYTES`] of text and [`TEXT_ATTRS`] attributes)
/// whose value at the path is borrowed from the text. A larger one (records
/// × attributes or attribute bytes: some conditions look again for every
/// record), or a value that had to be unescaped or decoded, makes the
/// wrapper parsed once into a stub with a hash index of its attributes,
/// used from then on.
/// Most resources need no parse at all (a small request spent a quarter of
/// its module time parsing its resource).
#[derive(Clone, Copy)]
enum Side<'p> {
    /// Not parsed into a stub (yet): the wrapper on the text, its
    /// attributes (in [`Index::attrs`]), the cell the stub is parsed into
    /// when the text is not cheap to read, its index and its key.
    Lazy(
        &'p [u8],
        &'p Wrapper,
        &'p [Attr],
        &'p OnceCell<Value>,
        &'p OnceCell<Firsts>,
        &'static str,
    ),
    /// A wrapper stub (`{"resource": …}` / `{"scope": …}`), the index of its
    /// attributes (built on first use) and its key.
    Tree(&'p Value, &'p OnceCell<Firsts>, &'static str),
}

/// Where each key of an attribute list first occurs: a resource or scope
/// shared by many records is searched by hash, not by a scan of its
/// attributes for every record (records × attributes).
type Firsts = std::collections::HashMap<String, usize>;

/// Resource and scope attribute lists up to this long are searched on the
/// text; longer ones are parsed and indexed once (see [`Side`]).
const TEXT_ATTRS: usize = 16;

/// Resources and scopes up to this many bytes of text are read on the text;
/// larger ones are parsed once (a lookup reads up to the whole value, and
/// some conditions look again for every record).
const TEXT_BYTES: usize = 2048;

fn firsts(attrs: Option<&Value>) -> Firsts {
    #[cfg(test)]
    INDEXES_BUILT.with(|n| n.set(n.get() + 1));
    let mut firsts = Firsts::new();
    for (i, kv) in attrs
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(key) = kv.get("key").and_then(Value::as_str) {
            firsts.entry(key.to_owned()).or_insert(i);
        }
    }
    firsts
}

impl<'p> Side<'p> {
    fn attr(self, path: &[String]) -> Option<ValueRef<'p>> {
        match self {
            Side::Lazy(text, w, attrs, cell, index, key) => {
                if attrs.is_empty() {
                    return None;
                }
                let small = w.inner.as_ref().is_some_and(|r| r.len() <= TEXT_BYTES);
                if cell.get().is_none() && attrs.len() <= TEXT_ATTRS && small {
                    match attr_ref(text, attrs, path) {
                        Some(ValueRef::Str(Cow::Owned(_)) | ValueRef::Bytes(Cow::Owned(_))) => {}
                        found => return found,
                    }
                }
                // The body passed `scan_json`: its pieces parse.
                let stub = cell.get_or_init(|| stub(text, w, key).unwrap_or(Value::Null));
                Side::Tree(stub, index, key).attr(path)
            }
            Side::Tree(stub, index, key) => {
                // `find_attribute` with the first segment looked up in the
                // index.
                let attrs = stub.get(key).and_then(|m| m.get("attributes"));
                let (first, rest) = path.split_first()?;
                let at = *index.get_or_init(|| firsts(attrs)).get(first)?;
                let kv = attrs?.as_array()?.get(at)?;
                let value = kv.get("value").unwrap_or(&Value::Null);
                let found = if rest.is_empty() {
                    Some(value)
                } else {
                    find_attribute(value.get("kvlistValue").and_then(|l| l.get("values")), rest)
                };
                found.map(|v| {
                    if v.is_null() {
                        ValueRef::Other
                    } else {
                        tree_any_value(v)
                    }
                })
            }
        }
    }
}

/// One log record on the text, with its resource and scope.
struct JsonLog<'a, 'p> {
    b: &'a [u8],
    rec: &'p Rec,
    attrs: &'p [Attr],
    resource: Side<'p>,
    scope: Side<'p>,
    /// Ids of the resource and scope attributes as they are now (new ones
    /// once a transform may have changed them).
    resource_id: AttrsId,
    scope_id: AttrsId,
    resource_schema_url: &'p Option<Range<usize>>,
    scope_schema_url: &'p Option<Range<usize>>,
}

impl LogView for JsonLog<'_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        let b = self.b;
        match field {
            LogField::Body => {
                let r = self.rec.body.as_ref()?;
                if !is_object(b, r) || Cur::at(b, r.start + 1).empty_object() {
                    return None;
                }
                match any_ref(b, r) {
                    ValueRef::Str(s) if s.is_empty() => None,
                    v => Some(v),
                }
            }
            LogField::SeverityText => nonempty_str(b, &self.rec.severity_text),
            LogField::TraceId => hex_id(b, &self.rec.trace_id),
            LogField::SpanId => hex_id(b, &self.rec.span_id),
            LogField::EventName => nonempty_str(b, &self.rec.event_name),
            LogField::ResourceSchemaUrl => nonempty_str(b, self.resource_schema_url),
            LogField::ScopeSchemaUrl => nonempty_str(b, self.scope_schema_url),
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        match scope {
            AttrScope::Record => attr_ref(self.b, self.attrs, path),
            AttrScope::Resource => self.resource.attr(path),
            AttrScope::Scope => self.scope.attr(path),
        }
    }

    fn attributes_id(&self, scope: AttrScope) -> Option<AttrsId> {
        match scope {
            AttrScope::Record => None,
            AttrScope::Resource => Some(self.resource_id),
            AttrScope::Scope => Some(self.scope_id),
        }
    }
}

impl Cur<'_> {
    /// Whether only whitespace and `}` follow (the cursor just after an
    /// object's `{`).
    fn empty_object(&mut self) -> bool {
        self.ws();
        self.peek() == Some(b'}')
    }
}

// --- processing ----------------------------------------------------------------

/// A wrapper stub for a transform: `{key: inner, "schemaUrl": …}` parsed
/// from the text (what `OtlpLog` reads and changes of a `ResourceLogs` or
/// `ScopeLogs`).
fn stub(b: &[u8], w: &Wrapper, key: &str) -> Result<Value, Malformed> {
    #[cfg(test)]
    STUBS_PARSED.with(|n| n.set(n.get() + 1));
    let parse = |r: &Range<usize>| {
        serde_json::from_slice::<Value>(&b[r.clone()])
            .map_err(|e| Malformed(format!("invalid JSON: {e}")))
    };
    let mut m = Map::new();
    if let Some(r) = &w.inner {
        m.insert(key.to_owned(), parse(r)?);
    }
    if let Some(r) = &w.schema_url {
        m.insert("schemaUrl".to_owned(), parse(r)?);
    }
    Ok(Value::Object(m))
}

#[cfg(test)]
thread_local! {
    /// Resource and scope stubs parsed on this thread (tests bound the work
    /// per request with it).
    pub(super) static STUBS_PARSED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Resource and scope attribute indexes built on this thread.
    pub(super) static INDEXES_BUILT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// What evaluating the records gave.
struct Evaluated {
    outcome: Outcome,
    /// Per record: kept.
    kept: Vec<bool>,
    /// Transformed records (index, new text), in order.
    replaced: Vec<(usize, Vec<u8>)>,
    /// Stubs of resources / scopes a transform reached (index, stub).
    resource_stubs: Vec<(usize, Value)>,
    scope_stubs: Vec<(usize, Value)>,
}

/// Processes a logs request on its text: `None` when the tree path must
/// (the body is not valid, or the normaliser would rewrite something);
/// decided before any record is evaluated.
pub(super) fn process(snap: &PolicySnapshot, body: &[u8]) -> Option<Result<Processed, Malformed>> {
    let mut builder = Builder::new(body);
    let (checked, told) = scan_json::check_into(Signal::Logs, body, &mut builder)?;
    if checked.rewritten {
        return None;
    }
    if checked.records == 0 {
        return Some(Ok(Processed::Empty(Outcome::default())));
    }
    let idx = if told {
        builder.idx
    } else {
        Index::build(body)?
    };
    if idx.records.len() != checked.records {
        return None;
    }
    Some(evaluate(snap, body, &idx).map(|e| {
        let o = e.outcome;
        if o.dropped == o.records {
            Processed::Empty(o)
        } else if o.changed() {
            Processed::Modified(o, write(body, &idx, &e))
        } else {
            Processed::Unchanged(o)
        }
    }))
}

/// What evaluation keeps about one resource or scope wrapper while its
/// records are evaluated.
struct WrapperState {
    /// The wrapper parsed into a tree once a record under it was
    /// transformed (transforms may change it); written back with it.
    stub: Option<Value>,
    /// The wrapper parsed for a lookup the text could not answer.
    parsed: OnceCell<Value>,
    /// First occurrence of each attribute key, for tree lookups.
    index: OnceCell<Firsts>,
    /// Identity for per-wrapper match caching; renewed when it changes.
    id: AttrsId,
}

impl WrapperState {
    fn new() -> WrapperState {
        WrapperState {
            stub: None,
            parsed: OnceCell::new(),
            index: OnceCell::new(),
            id: AttrsId::fresh(),
        }
    }

    /// How policies see the wrapper `w` (`key`: `resource` or `scope`).
    fn side<'p>(
        &'p self,
        b: &'p [u8],
        idx: &'p Index,
        w: &'p Wrapper,
        key: &'static str,
    ) -> Side<'p> {
        match &self.stub {
            Some(v) => Side::Tree(v, &self.index, key),
            None => Side::Lazy(
                b,
                w,
                &idx.attrs[w.attrs.clone()],
                &self.parsed,
                &self.index,
                key,
            ),
        }
    }

    /// Makes the tree stub of `w` (from the parse a lookup already did,
    /// when there was one).
    fn ensure_stub(&mut self, b: &[u8], w: &Wrapper, key: &'static str) -> Result<(), Malformed> {
        if self.stub.is_none() {
            self.stub = Some(match self.parsed.take() {
                Some(parsed) => parsed,
                None => stub(b, w, key)?,
            });
        }
        Ok(())
    }
}

/// The policy view of record `rec` under the resource `res` and the scope
/// `scope`.
fn json_log<'p>(
    b: &'p [u8],
    idx: &'p Index,
    rec: &'p Rec,
    (res, rs): (&'p Wrapper, &'p WrapperState),
    (scope, ss): (&'p Wrapper, &'p WrapperState),
) -> JsonLog<'p, 'p> {
    JsonLog {
        b,
        rec,
        attrs: &idx.attrs[rec.attrs.clone()],
        resource: rs.side(b, idx, res, "resource"),
        scope: ss.side(b, idx, scope, "scope"),
        resource_id: rs.id,
        scope_id: ss.id,
        resource_schema_url: &res.schema_url,
        scope_schema_url: &scope.schema_url,
    }
}

fn evaluate(snap: &PolicySnapshot, b: &[u8], idx: &Index) -> Result<Evaluated, Malformed> {
    let mut e = Evaluated {
        outcome: Outcome::default(),
        kept: vec![true; idx.records.len()],
        replaced: Vec::new(),
        resource_stubs: Vec::new(),
        scope_stubs: Vec::new(),
    };
    for (ri, res) in idx.resources.iter().enumerate() {
        let mut rs = WrapperState::new();
        for si in res.children.clone() {
            let scope = &idx.scopes[si];
            let mut ss = WrapperState::new();
            for i in scope.children.clone() {
                let rec = &idx.records[i];
                e.outcome.records += 1;
                let verdict = snap.evaluate_log(&json_log(b, idx, rec, (res, &rs), (scope, &ss)));
                if !verdict.keep() {
                    e.outcome.dropped += 1;
                    e.kept[i] = false;
                    continue;
                }
                if !verdict.has_transforms() {
                    continue;
                }
                let text_only = snap.log_transforms_touch_only_text_fields(&verdict);
                let members = if text_only && text_edits_on() {
                    canonical_members(b, &rec.range)
                } else {
                    None
                };
                let parsed = match members {
                    Some(_) => None,
                    None => Some(
                        serde_json::from_slice::<Value>(&b[rec.range.clone()])
                            .map_err(|e| Malformed(format!("invalid JSON: {e}")))?,
                    ),
                };
                rs.ensure_stub(b, res, "resource")?;
                ss.ensure_stub(b, scope, "scope")?;
                if let Some(members) = members {
                    // Text-only transforms on a record `serde_json` would
                    // write again as it is: applied on its members.
                    let log = json_log(b, idx, rec, (res, &rs), (scope, &ss));
                    let mut view = TextEdit { log: &log, members };
                    if snap.apply_log_transforms(&verdict, &mut view) {
                        e.outcome.modified += 1;
                        e.replaced.push((i, view.encode()));
                    }
                    continue;
                }
                let Some(mut record) = parsed else {
                    continue;
                };
                let (Some(resource), Some(scope)) = (rs.stub.as_mut(), ss.stub.as_mut()) else {
                    continue;
                };
                let mut view = OtlpLog {
                    resource,
                    scope,
                    record: &mut record,
                };
                // TODO: transforms of record attributes alone also rebuild
                // the resource/scope indexes when they change something.
                let changed = snap.apply_log_transforms(&verdict, &mut view);
                if changed {
                    // The resource or the scope may have changed.
                    rs.id = AttrsId::fresh();
                    ss.id = AttrsId::fresh();
                }
                if changed && !text_only {
                    // Keys may have been added, removed or renamed.
                    rs.index = OnceCell::new();
                    ss.index = OnceCell::new();
                }
                if changed {
                    e.outcome.modified += 1;
                    // About the size it had: the buffer is not grown
                    // step by step while the record is written.
                    let mut text = Vec::with_capacity(rec.range.len() + rec.range.len() / 4 + 16);
                    // Serialising a `Value` cannot fail.
                    if serde_json::to_writer(&mut text, &record).is_err() {
                        text.clear();
                    }
                    e.replaced.push((i, text));
                }
            }
            if let Some(s) = ss.stub {
                e.scope_stubs.push((si, s));
            }
        }
        if let Some(s) = rs.stub {
            e.resource_stubs.push((ri, s));
        }
    }
    Ok(e)
}

// --- text-only transforms on the text ------------------------------------------

#[cfg(test)]
thread_local! {
    /// Records transformed by [`TextEdit`] on this thread.
    pub(super) static TEXT_EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Turns [`TextEdit`] off on this thread (tests compare both ways).
    pub(super) static TEXT_EDITS_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn text_edits_on() -> bool {
    #[cfg(test)]
    if TEXT_EDITS_OFF.with(std::cell::Cell::get) {
        return false;
    }
    true
}

/// Deepest nesting [`canonical_members`] follows (well below
/// `serde_json`'s recursion limit: deeper records take the `Value` path,
/// which gives its error).
const CANONICAL_DEPTH: usize = 64;

/// Most members of one object [`canonical_members`] checks for duplicate
/// keys.
const CANONICAL_KEYS: usize = 32;

/// The members (key, value) of the record object at `r` when `serde_json`
/// would write the record, parsed into a `Value`, again byte for byte: no
/// whitespace, no duplicate key in any object, strings escaped as
/// `serde_json` escapes them (only `"`, `\` and control characters, the
/// short forms where there are, else `\u00xx` in lowercase), numbers only
/// integers within `u64` or `i64` (`-0` is a float), no key starting with
/// `$` (`serde_json`'s raw value marker). `None` otherwise.
fn canonical_members(b: &[u8], r: &Range<usize>) -> Option<Vec<(Key, Member)>> {
    let b = b.get(..r.end)?;
    let mut i = r.start;
    let mut members = Vec::with_capacity(8);
    canonical_object(b, &mut i, 0, &mut |k, v| {
        members.push((Key::Text(k), Member::Text(v)))
    })?;
    (i == r.end).then_some(members)
}

/// A canonical object at `*i` (see [`canonical_members`]); `member` is
/// called with the key (without quotes) and value ranges of each member.
fn canonical_object(
    b: &[u8],
    i: &mut usize,
    depth: usize,
    member: &mut dyn FnMut(Range<usize>, Range<usize>),
) -> Option<()> {
    if depth > CANONICAL_DEPTH || b.get(*i) != Some(&b'{') {
        return None;
    }
    *i += 1;
    if b.get(*i) == Some(&b'}') {
        *i += 1;
        return Some(());
    }
    let mut keys = [(0usize, 0usize); CANONICAL_KEYS];
    let mut n = 0;
    loop {
        let k = canonical_string(b, i)?;
        let key = &b[k.clone()];
        if n == CANONICAL_KEYS
            || key.first() == Some(&b'$')
            || keys[..n].iter().any(|&(s, e)| &b[s..e] == key)
        {
            return None;
        }
        keys[n] = (k.start, k.end);
        n += 1;
        if b.get(*i) != Some(&b':') {
            return None;
        }
        *i += 1;
        let start = *i;
        canonical_value(b, i, depth + 1)?;
        member(k, start..*i);
        match b.get(*i)? {
            b',' => *i += 1,
            b'}' => {
                *i += 1;
                return Some(());
            }
            _ => return None,
        }
    }
}

/// A canonical value at `*i` (see [`canonical_members`]).
fn canonical_value(b: &[u8], i: &mut usize, depth: usize) -> Option<()> {
    match *b.get(*i)? {
        b'"' => canonical_string(b, i).map(drop),
        b'{' => canonical_object(b, i, depth, &mut |_, _| {}),
        b'[' => {
            if depth > CANONICAL_DEPTH {
                return None;
            }
            *i += 1;
            if b.get(*i) == Some(&b']') {
                *i += 1;
                return Some(());
            }
            loop {
                canonical_value(b, i, depth + 1)?;
                match b.get(*i)? {
                    b',' => *i += 1,
                    b']' => {
                        *i += 1;
                        return Some(());
                    }
                    _ => return None,
                }
            }
        }
        b't' => literal(b, i, b"true"),
        b'f' => literal(b, i, b"false"),
        b'n' => literal(b, i, b"null"),
        b'-' | b'0'..=b'9' => canonical_integer(b, i),
        _ => None,
    }
}

fn literal(b: &[u8], i: &mut usize, word: &[u8]) -> Option<()> {
    b.get(*i..)?.starts_with(word).then(|| *i += word.len())
}

/// An integer `serde_json` holds as a `u64` or an `i64` and writes with
/// the same digits.
fn canonical_integer(b: &[u8], i: &mut usize) -> Option<()> {
    let negative = b[*i] == b'-';
    let first = *i + usize::from(negative);
    let mut at = first;
    let mut v = 0u64;
    while let Some(&d @ b'0'..=b'9') = b.get(at) {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        at += 1;
    }
    let digits = at - first;
    if digits == 0
        || (digits > 1 && b[first] == b'0')
        || matches!(b.get(at), Some(b'.' | b'e' | b'E'))
        || (negative && (v == 0 || v > 1 << 63))
    {
        return None;
    }
    *i = at;
    Some(())
}

/// A string (the cursor at its opening quote) with only the escapes
/// `serde_json` writes; its content range.
fn canonical_string(b: &[u8], i: &mut usize) -> Option<Range<usize>> {
    if b.get(*i) != Some(&b'"') {
        return None;
    }
    let start = *i + 1;
    let mut at = start;
    loop {
        at += memchr::memchr2(b'"', b'\\', b.get(at..)?)?;
        if b[at] == b'"' {
            break;
        }
        match *b.get(at + 1)? {
            b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
            b'u' => {
                // `\u00xx` for the control characters without a short
                // form, in lowercase.
                let [b'0', b'0', hi @ (b'0' | b'1'), lo] = *b.get(at + 2..at + 6)? else {
                    return None;
                };
                let lo = match lo {
                    b'0'..=b'9' => lo - b'0',
                    b'a'..=b'f' => lo - b'a' + 10,
                    _ => return None,
                };
                let c = (hi - b'0') << 4 | lo;
                if matches!(c, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d) {
                    return None;
                }
                at += 6;
            }
            _ => return None,
        }
    }
    // Raw control characters are not JSON (the body passed `scan_json`),
    // checked again all the same.
    if b[start..at].iter().any(|&c| c < 0x20) {
        return None;
    }
    *i = at + 1;
    Some(start..at)
}

/// A member value of a record under [`TextEdit`].
enum Member {
    /// As received (a range of the body).
    Text(Range<usize>),
    /// A new body: `{"stringValue": …}`.
    Body(String),
    /// A new string (severity text, event name).
    Str(String),
}

/// A kept record whose transforms read and write only its body, severity
/// text and event name
/// ([`PolicySnapshot::log_transforms_touch_only_text_fields`]) and whose
/// text is what `serde_json` writes ([`canonical_members`]): the
/// transforms are applied to its members as `OtlpLog` applies them to the
/// parsed record (a removed member is taken out, a set member keeps its
/// place or comes last), and the record is written from its members,
/// unchanged ones as received: the text `serde_json` writes of the record
/// the `Value` path gives.
struct TextEdit<'l, 'a, 'p> {
    log: &'l JsonLog<'a, 'p>,
    /// The record's members in order: key and value.
    members: Vec<(Key, Member)>,
}

/// A member key of a record under [`TextEdit`].
enum Key {
    /// As received (a range of the body, without the quotes).
    Text(Range<usize>),
    /// A text field's key, for a member added.
    Known(&'static str),
}

impl TextEdit<'_, '_, '_> {
    fn position(&self, key: &str) -> Option<usize> {
        let b = self.log.b;
        self.members.iter().position(|(k, _)| match k {
            Key::Text(r) => &b[r.clone()] == key.as_bytes(),
            Key::Known(known) => *known == key,
        })
    }

    /// The record as `serde_json` writes it.
    fn encode(&self) -> Vec<u8> {
        #[cfg(test)]
        TEXT_EDITS.with(|c| c.set(c.get() + 1));
        let b = self.log.b;
        let mut out = Vec::with_capacity(self.log.rec.range.len() + 64);
        out.push(b'{');
        for (n, (k, value)) in self.members.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.push(b'"');
            match k {
                Key::Text(r) => out.extend_from_slice(&b[r.clone()]),
                Key::Known(known) => out.extend_from_slice(known.as_bytes()),
            }
            out.extend_from_slice(b"\":");
            match value {
                Member::Text(r) => out.extend_from_slice(&b[r.clone()]),
                Member::Body(s) => {
                    out.extend_from_slice(b"{\"stringValue\":");
                    json_string(&mut out, s);
                    out.push(b'}');
                }
                Member::Str(s) => json_string(&mut out, s),
            }
        }
        out.push(b'}');
        out
    }
}

/// `s` as `serde_json` writes a string.
fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing a `str` to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The record key of a text field.
fn text_field_key(field: LogField) -> Option<&'static str> {
    match field {
        LogField::Body => Some("body"),
        LogField::SeverityText => Some("severityText"),
        LogField::EventName => Some("eventName"),
        _ => None,
    }
}

impl LogView for TextEdit<'_, '_, '_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        let Some(key) = text_field_key(field) else {
            return self.log.log_field(field);
        };
        match &self.members[self.position(key)?].1 {
            // As received: the record's own reading.
            Member::Text(_) => self.log.log_field(field),
            Member::Body(s) | Member::Str(s) => {
                (!s.is_empty()).then_some(ValueRef::Str(Cow::Borrowed(s.as_str())))
            }
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        self.log.attribute(scope, path)
    }
}

impl edge_policy::LogViewMut for TextEdit<'_, '_, '_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        let Some(at) = text_field_key(field).and_then(|k| self.position(k)) else {
            return false;
        };
        self.members.remove(at);
        true
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        // Never asked for another field: the transforms touch only these.
        let Some(key) = text_field_key(field) else {
            return false;
        };
        let value = match field {
            LogField::Body => Member::Body(value.to_owned()),
            _ => Member::Str(value.to_owned()),
        };
        match self.position(key) {
            Some(at) => self.members[at].1 = value,
            None => self.members.push((Key::Known(key), value)),
        }
        true
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

/// Writes the wrapper `w` into `out`: its text with its list written by
/// `list` (between the brackets) and its `resource` / `scope` replaced by
/// `inner` (a range of the text, or an empty range where it is inserted).
fn write_wrapper(
    out: &mut Vec<u8>,
    b: &[u8],
    w: &Wrapper,
    inner: Option<(Range<usize>, Vec<u8>)>,
    list: impl FnOnce(&mut Vec<u8>),
) {
    // A kept wrapper has a list (an array with kept children).
    let Some(l) = w.list.clone() else {
        out.extend_from_slice(&b[w.range.clone()]);
        return;
    };
    let (before, after) = match inner {
        Some((r, t)) if r.start < l.start => (Some((r, t)), None),
        other => (None, other),
    };
    let mut pos = w.range.start;
    if let Some((r, t)) = before {
        out.extend_from_slice(&b[pos..r.start]);
        out.extend_from_slice(&t);
        pos = r.end;
    }
    out.extend_from_slice(&b[pos..l.start]);
    out.push(b'[');
    list(out);
    out.push(b']');
    pos = l.end;
    if let Some((r, t)) = after {
        out.extend_from_slice(&b[pos..r.start]);
        out.extend_from_slice(&t);
        pos = r.end;
    }
    out.extend_from_slice(&b[pos..w.range.end]);
}

/// The splice writing a wrapper's `resource` / `scope` from its stub: in
/// place of the value, or first in the object when it had none.
fn inner_splice(w: &Wrapper, stub: Option<&Value>, key: &str) -> Option<(Range<usize>, Vec<u8>)> {
    let v = stub?.get(key)?;
    let text = serde_json::to_vec(v).unwrap_or_default();
    Some(match &w.inner {
        Some(r) => (r.clone(), text),
        None => {
            let mut t = Vec::with_capacity(text.len() + key.len() + 4);
            t.push(b'"');
            t.extend_from_slice(key.as_bytes());
            t.extend_from_slice(b"\":");
            t.extend_from_slice(&text);
            t.push(b',');
            let at = w.range.start + 1;
            (at..at, t)
        }
    })
}

fn find_stub(stubs: &[(usize, Value)], i: usize) -> Option<&Value> {
    stubs
        .binary_search_by_key(&i, |(j, _)| *j)
        .ok()
        .map(|k| &stubs[k].1)
}

/// The forwarded body: dropped records left out, transformed records,
/// resources and scopes written again, and the scopes and resources left
/// without records removed (`otlp_json`'s walk removes every scope whose
/// `logRecords` is not a non-empty array, then every resource whose
/// `scopeLogs` is not).
fn write(b: &[u8], idx: &Index, e: &Evaluated) -> Vec<u8> {
    let scope_kept = |s: &Wrapper| is_array(b, &s.list) && s.children.clone().any(|i| e.kept[i]);
    let resource_kept = |r: &Wrapper| {
        is_array(b, &r.list) && r.children.clone().any(|si| scope_kept(&idx.scopes[si]))
    };
    let mut out = Vec::with_capacity(b.len());
    let Some(top) = idx.resource_list.clone() else {
        return b.to_vec();
    };
    out.extend_from_slice(&b[..top.start]);
    out.push(b'[');
    let mut first_resource = true;
    for (ri, res) in idx.resources.iter().enumerate() {
        if !resource_kept(res) {
            continue;
        }
        if !std::mem::take(&mut first_resource) {
            out.push(b',');
        }
        let inner = inner_splice(res, find_stub(&e.resource_stubs, ri), "resource");
        write_wrapper(&mut out, b, res, inner, |out| {
            let mut first_scope = true;
            for si in res.children.clone() {
                let scope = &idx.scopes[si];
                if !scope_kept(scope) {
                    continue;
                }
                if !std::mem::take(&mut first_scope) {
                    out.push(b',');
                }
                let inner = inner_splice(scope, find_stub(&e.scope_stubs, si), "scope");
                write_wrapper(out, b, scope, inner, |out| {
                    let mut first_record = true;
                    for i in scope.children.clone().filter(|&i| e.kept[i]) {
                        if !std::mem::take(&mut first_record) {
                            out.push(b',');
                        }
                        match e.replaced.binary_search_by_key(&i, |(j, _)| *j) {
                            Ok(k) => out.extend_from_slice(&e.replaced[k].1),
                            Err(_) => out.extend_from_slice(&b[idx.records[i].range.clone()]),
                        }
                    }
                });
            }
        });
    }
    out.push(b']');
    out.extend_from_slice(&b[top.end..]);
    out
}
