//! A policy view over one Datadog log object.
//!
//! Reading is lazy and borrowed: the object is split into its top-level keys
//! and the raw text of their values, and a value is only decoded when a
//! policy asks for it. Writes to top-level keys of a strictly scanned object
//! without duplicate keys edit that entry list and are written out as text;
//! any other write turns the object into an owned `serde_json` map (keys
//! keep their order) that is re-serialised once.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;

use edge_policy::{AttrScope, LogField, LogView, LogViewMut, ValueRef};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json::{nesting_within, sanitize, scan_object, unescape, MAX_VALUE_DEPTH};

/// Keys that hold the log body, in lookup order.
const BODY_KEYS: [&str; 3] = ["message", "msg", "log"];
/// Keys that hold the severity text, in lookup order.
const SEVERITY_KEYS: [&str; 2] = ["status", "level"];

/// OpenTelemetry attribute names and the Datadog key they read.
fn alias(name: &str) -> Option<&'static str> {
    match name {
        "service.name" => Some("service"),
        "host.name" => Some("hostname"),
        _ => None,
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Top-level entries of an object: key and raw value text.
struct Entries<'a>(Vec<Entry<'a>>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let raw: &'de RawValue = map.next_value()?;
                    entries.push(Entry {
                        key: key.0,
                        raw: Cow::Borrowed(raw.get()),
                        escaped: true,
                        value: OnceCell::new(),
                    });
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(V)
    }
}

/// Finds `key` in a raw JSON object without building it.
struct Find<'k>(&'k str);

impl<'de> de::DeserializeSeed<'de> for Find<'_> {
    type Value = Option<&'de RawValue>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V<'k>(&'k str);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = Option<&'de RawValue>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if key.0 == self.0 {
                        found = Some(map.next_value::<&'de RawValue>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(found)
            }
        }
        d.deserialize_map(V(self.0))
    }
}

fn child<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    if !text.starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de::DeserializeSeed::deserialize(Find(key), &mut de)
        .ok()
        .flatten()
        .map(RawValue::get)
}

/// The typed value of raw JSON text; `None` for `null`. A string known to
/// have no escapes (`escaped == false`) is borrowed without looking.
fn raw_value(text: &str, escaped: bool) -> Option<ValueRef<'_>> {
    match text.as_bytes().first()? {
        b'"' if !escaped => Some(ValueRef::str(&text[1..text.len() - 1])),
        b'"' => Some(ValueRef::Str(unescape(&text[1..text.len() - 1]))),
        b't' => Some(ValueRef::Bool(true)),
        b'f' => Some(ValueRef::Bool(false)),
        b'n' => None,
        b'{' | b'[' => Some(ValueRef::Other),
        _ => Some(number(text)),
    }
}

fn number(text: &str) -> ValueRef<'static> {
    if let Ok(i) = text.parse::<i64>() {
        ValueRef::Int(i)
    } else if let Ok(f) = text.parse::<f64>() {
        ValueRef::Double(f)
    } else {
        ValueRef::Other
    }
}

fn json_value(v: &Value) -> Option<ValueRef<'_>> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(ValueRef::Bool(*b)),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => ValueRef::Int(i),
            None => n.as_f64().map(ValueRef::Double).unwrap_or(ValueRef::Other),
        }),
        Value::String(s) => Some(ValueRef::str(s)),
        Value::Array(_) | Value::Object(_) => Some(ValueRef::Other),
    }
}

/// Error from parsing a log element.
#[derive(Debug)]
pub(crate) struct NotAnObject;

/// One top-level entry of a lazily read object: the key, the raw value text
/// and its decoded value, filled on the first read so a field that many
/// policies look at is decoded once per record.
struct Entry<'a> {
    key: Cow<'a, str>,
    /// The value's JSON text: borrowed from the body, owned once a write
    /// replaced it.
    raw: Cow<'a, str>,
    /// The value may be a string with escapes (false only when the scanner
    /// saw none).
    escaped: bool,
    value: OnceCell<Option<ValueRef<'a>>>,
}

impl<'a> Entry<'a> {
    fn value(&self) -> Option<ValueRef<'_>> {
        self.value
            .get_or_init(|| match &self.raw {
                Cow::Borrowed(raw) => raw_value(raw, self.escaped),
                Cow::Owned(raw) => raw_value(raw, true).map(owned_value),
            })
            .as_ref()
            .map(reborrow)
    }

    /// An entry holding the JSON string `value` (written by a transform).
    fn string(key: Cow<'a, str>, value: &str) -> Self {
        let raw = serde_json::to_string(value).expect("strings serialise");
        Entry {
            key,
            raw: Cow::Owned(raw),
            escaped: true,
            value: OnceCell::from(Some(ValueRef::Str(Cow::Owned(value.to_owned())))),
        }
    }
}

/// An owned copy of a value.
fn owned_value(v: ValueRef<'_>) -> ValueRef<'static> {
    match v {
        ValueRef::Str(s) => ValueRef::Str(Cow::Owned(s.into_owned())),
        ValueRef::Bytes(b) => ValueRef::Bytes(Cow::Owned(b.into_owned())),
        ValueRef::Bool(b) => ValueRef::Bool(b),
        ValueRef::Int(i) => ValueRef::Int(i),
        ValueRef::Double(d) => ValueRef::Double(d),
        ValueRef::Other => ValueRef::Other,
    }
}

/// Appends `s` as a JSON string the way `serde_json` writes it.
fn write_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        serde_json::to_writer(out, s).expect("writing to a Vec cannot fail");
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// A borrowed copy of a cached value.
fn reborrow<'s>(v: &'s ValueRef<'_>) -> ValueRef<'s> {
    match v {
        ValueRef::Str(s) => ValueRef::Str(Cow::Borrowed(s.as_ref())),
        ValueRef::Bytes(b) => ValueRef::Bytes(Cow::Borrowed(b.as_ref())),
        ValueRef::Bool(b) => ValueRef::Bool(*b),
        ValueRef::Int(i) => ValueRef::Int(*i),
        ValueRef::Double(d) => ValueRef::Double(*d),
        ValueRef::Other => ValueRef::Other,
    }
}

enum Repr<'a> {
    Lazy(Vec<Entry<'a>>),
    Owned(Map<String, Value>),
}

/// One Datadog log object seen through the policy accessor traits.
///
/// Writes that touch only top-level keys of an object read by the strict
/// scanner (valid JSON, no `\\u` escapes) and without duplicate keys are
/// applied to the entry list itself, and [`DatadogLog::write_json`] then
/// writes the entries' text; any other write first turns the object into
/// a `serde_json` map. Both give the same JSON value.
pub struct DatadogLog<'a> {
    repr: Repr<'a>,
    changed: bool,
    /// Read by the strict scanner: entries may be edited in place.
    scanned: bool,
    /// The keys of a scanned object were found unique (checked once, on
    /// the first write; in-place edits keep them unique).
    unique: bool,
    /// A write needed the `serde_json` map and the object holds a value the
    /// map cannot (a number beyond f64): the object is forwarded as
    /// received, with none of its transforms, rather than half of them.
    unrepresentable: bool,
}

impl<'a> DatadogLog<'a> {
    /// Parses one log object; the view borrows `text`.
    pub(crate) fn parse(text: &'a [u8]) -> Result<Self, NotAnObject> {
        if text.first() != Some(&b'{') {
            return Err(NotAnObject);
        }
        let entries: Entries<'a> = serde_json::from_slice(text).map_err(|_| NotAnObject)?;
        Ok(DatadogLog {
            repr: Repr::Lazy(entries.0),
            changed: false,
            scanned: false,
            unique: false,
            unrepresentable: false,
        })
    }

    /// Like [`DatadogLog::parse`] for text already known to be UTF-8: the
    /// body is validated once instead of every string in every element.
    pub(crate) fn parse_str(text: &'a str) -> Result<Self, NotAnObject> {
        if !text.starts_with('{') {
            return Err(NotAnObject);
        }
        let entries: Entries<'a> = serde_json::from_str(text).map_err(|_| NotAnObject)?;
        Ok(DatadogLog {
            repr: Repr::Lazy(entries.0),
            changed: false,
            scanned: false,
            unique: false,
            unrepresentable: false,
        })
    }

    /// Parses the log object at the start of `text` (already known to be
    /// UTF-8) and returns it with the number of bytes it spans, so a body
    /// can be split and parsed in one pass.
    pub(crate) fn parse_prefix(text: &'a str) -> Result<(Self, usize), NotAnObject> {
        if !text.starts_with('{') {
            return Err(NotAnObject);
        }
        // The common shape (string keys without escapes, scalar values) is
        // read by a strict scanner; anything else is left to serde_json.
        let mut entries = Vec::with_capacity(12);
        let scanned = scan_object(text, |key, raw, escaped| {
            entries.push(Entry {
                key: Cow::Borrowed(key),
                raw: Cow::Borrowed(raw),
                escaped,
                value: OnceCell::new(),
            })
        });
        if let Some(end) = scanned {
            return Ok((
                DatadogLog {
                    repr: Repr::Lazy(entries),
                    changed: false,
                    scanned: true,
                    unique: false,
                    unrepresentable: false,
                },
                end,
            ));
        }
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Entries<'a>>();
        match stream.next() {
            // Values are skipped without a depth limit: enforce the
            // splitter's, so both paths refuse the same bodies.
            Some(Ok(entries))
                if entries.0.iter().all(|e| {
                    let raw = e.raw.as_bytes();
                    !matches!(raw.first(), Some(b'{' | b'['))
                        || nesting_within(raw, MAX_VALUE_DEPTH)
                }) =>
            {
                Ok((
                    DatadogLog {
                        repr: Repr::Lazy(entries.0),
                        changed: false,
                        scanned: false,
                        unique: false,
                        unrepresentable: false,
                    },
                    stream.byte_offset(),
                ))
            }
            _ => Err(NotAnObject),
        }
    }

    /// Whether a write changed the object.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// Makes every write go through the `serde_json` map (the reference
    /// the in-place edits are tested against).
    pub(crate) fn without_edits(&mut self) {
        self.scanned = false;
    }

    /// Appends the (changed) object as compact JSON, keys in original order.
    pub(crate) fn write_json(&mut self, out: &mut Vec<u8>) -> bool {
        if self.unrepresentable {
            return false;
        }
        if let Some(entries) = self.editable() {
            out.push(b'{');
            for (n, e) in entries.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_str(out, &e.key);
                out.push(b':');
                out.extend_from_slice(e.raw.as_bytes());
            }
            out.push(b'}');
            return true;
        }
        let Some(map) = self.owned() else {
            return false;
        };
        serde_json::to_writer(out, map).is_ok()
    }

    /// The entries, when writes may edit them in place: a scanned object
    /// (strict JSON without `\\u` escapes, keys as written) without
    /// duplicate keys, which the map would merge.
    fn editable(&mut self) -> Option<&mut Vec<Entry<'a>>> {
        if !self.scanned {
            return None;
        }
        let Repr::Lazy(entries) = &mut self.repr else {
            return None;
        };
        if !self.unique {
            if !keys_unique(entries) {
                self.scanned = false;
                return None;
            }
            self.unique = true;
        }
        Some(entries)
    }

    fn top(&self, key: &str) -> Option<ValueRef<'_>> {
        match &self.repr {
            Repr::Lazy(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key == key)
                .and_then(Entry::value),
            Repr::Owned(map) => map.get(key).and_then(json_value),
        }
    }

    fn nested(&self, path: &[String]) -> Option<ValueRef<'_>> {
        match &self.repr {
            Repr::Lazy(entries) => {
                let mut raw: &str = &entries.iter().rev().find(|e| e.key == path[0])?.raw;
                for segment in &path[1..] {
                    raw = child(raw, segment)?;
                }
                raw_value(raw, true)
            }
            Repr::Owned(map) => {
                let mut value = map.get(&path[0])?;
                for segment in &path[1..] {
                    value = value.as_object()?.get(segment)?;
                }
                json_value(value)
            }
        }
    }

    fn tag(&self, name: &str) -> Option<ValueRef<'_>> {
        let ValueRef::Str(tags) = self.top("ddtags")? else {
            return None;
        };
        fn find<'t>(tags: &'t str, name: &str) -> Option<&'t str> {
            tags.split(',')
                .map(tag_parts)
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.unwrap_or(""))
        }
        match tags {
            Cow::Borrowed(s) => find(s, name).map(ValueRef::str),
            Cow::Owned(s) => find(&s, name).map(|v| ValueRef::Str(Cow::Owned(v.to_owned()))),
        }
    }

    fn field_key(&self, field: LogField) -> Option<&'static [&'static str]> {
        match field {
            LogField::Body => Some(&BODY_KEYS),
            LogField::SeverityText => Some(&SEVERITY_KEYS),
            _ => None,
        }
    }

    /// Converts to the owned representation (first write).
    // TODO: a value serde_json cannot hold (a number beyond f64 such as
    // `1e400`) makes this fail; the whole object is then forwarded as
    // received (fail open, so unredacted) when a transform needs the map
    // (renames, nested paths, objects with `\u` escapes).
    fn owned(&mut self) -> Option<&mut Map<String, Value>> {
        if let Repr::Lazy(entries) = &self.repr {
            let mut map = Map::with_capacity(entries.len());
            for Entry { key: k, raw, .. } in entries {
                let raw: &str = raw;
                let value = match serde_json::from_str::<Value>(raw) {
                    Ok(v) => v,
                    // Lone surrogate escapes are accepted when skipping but
                    // refused when decoding: repair and retry.
                    Err(_) => match serde_json::from_str::<Value>(&sanitize(raw.as_bytes())) {
                        Ok(v) => v,
                        Err(_) => {
                            self.unrepresentable = true;
                            return None;
                        }
                    },
                };
                map.insert(k.clone().into_owned(), value);
            }
            self.repr = Repr::Owned(map);
        }
        match &mut self.repr {
            Repr::Owned(map) => Some(map),
            Repr::Lazy(_) => None,
        }
    }

    /// Resolves an attribute path to the key chain of the value to write,
    /// following the same rules as reads; `has` tells whether the object
    /// has a top-level key.
    fn write_target(has: impl Fn(&str) -> bool, path: &[String]) -> Vec<String> {
        if path.len() == 1 {
            let key = &path[0];
            if !has(key) {
                if let Some(target) = alias(key) {
                    if has(target) {
                        return vec![target.to_owned()];
                    }
                }
            }
            return vec![key.clone()];
        }
        let dotted = path.join(".");
        if has(&dotted) {
            return vec![dotted];
        }
        path.to_vec()
    }

    /// [`DatadogLog::write_target`] for the current representation, with
    /// the last step of reads: a nested path that leads nowhere while its
    /// dotted form is an alias of a present key (`[service, name]` with a
    /// string `service`) writes that key, which is what reads found.
    fn target(&self, path: &[String]) -> Vec<String> {
        let keys = match &self.repr {
            Repr::Lazy(entries) => Self::write_target(|k| entries.iter().any(|e| e.key == k), path),
            Repr::Owned(map) => Self::write_target(|k| map.contains_key(k), path),
        };
        if path.len() > 1 && keys.as_slice() == path && self.nested(path).is_none() {
            if let Some(target) = alias(&path.join(".")) {
                if self
                    .top(target)
                    .is_some_and(|v| !matches!(v, ValueRef::Other))
                {
                    return vec![target.to_owned()];
                }
            }
        }
        keys
    }

    fn set_string(&mut self, keys: &[String], value: &str) -> bool {
        if let ([key], Some(entries)) = (keys, self.editable()) {
            match entries.iter_mut().find(|e| e.key == key.as_str()) {
                Some(e) => {
                    if matches!(e.value(), Some(ValueRef::Str(s)) if s == value) {
                        return false;
                    }
                    *e = Entry::string(std::mem::take(&mut e.key), value);
                }
                None => entries.push(Entry::string(Cow::Owned(key.clone()), value)),
            }
            self.changed = true;
            return true;
        }
        let Some(map) = self.owned() else {
            return false;
        };
        let (last, parents) = keys.split_last().expect("non-empty path");
        let mut container = map;
        for k in parents {
            let entry = container
                .entry(k.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            match entry {
                Value::Object(inner) => container = inner,
                // Never clobber a non-object on the way.
                _ => return false,
            }
        }
        if container.get(last).and_then(Value::as_str) == Some(value) {
            return false;
        }
        container.insert(last.clone(), Value::String(value.to_owned()));
        self.changed = true;
        true
    }

    fn container_mut<'m>(
        map: &'m mut Map<String, Value>,
        parents: &[String],
    ) -> Option<&'m mut Map<String, Value>> {
        let mut container = map;
        for k in parents {
            container = container.get_mut(k)?.as_object_mut()?;
        }
        Some(container)
    }

    fn remove_keys(&mut self, keys: &[String]) -> bool {
        if let ([key], Some(entries)) = (keys, self.editable()) {
            let Some(n) = entries.iter().position(|e| e.key == key.as_str()) else {
                return false;
            };
            entries.remove(n);
            self.changed = true;
            return true;
        }
        let Some(map) = self.owned() else {
            return false;
        };
        let (last, parents) = keys.split_last().expect("non-empty path");
        let removed = Self::container_mut(map, parents)
            .and_then(|c| c.shift_remove(last))
            .is_some();
        self.changed |= removed;
        removed
    }
}

#[cfg(test)]
thread_local! {
    /// How many times [`keys_unique`] ran on this thread.
    pub(crate) static UNIQUENESS_CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether no two entries share a key: pairwise for a few keys, through a
/// hash set above (linear in the number of keys either way that matters).
fn keys_unique(entries: &[Entry<'_>]) -> bool {
    #[cfg(test)]
    UNIQUENESS_CHECKS.with(|n| n.set(n.get() + 1));
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .all(|(n, e)| entries[n + 1..].iter().all(|f| f.key != e.key));
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    entries.iter().all(|e| seen.insert(&*e.key))
}

/// A write to one tag of a `ddtags` string (`key:value,key2:value2`).
#[derive(Debug, Clone, Copy)]
enum TagEdit<'a> {
    /// Every tag with the key goes.
    Remove,
    /// Every tag with the key gets this value; appended when there is none.
    Set(&'a str),
    /// Every tag with the key gets this key instead and moves to the end
    /// (as a renamed attribute does); tags that already have the new key
    /// go first when `upsert`, else nothing changes.
    Rename { to: &'a str, upsert: bool },
}

/// The key and value of one comma-separated part of a `ddtags` string
/// (spaces around the tag ignored; a tag without `:` has an empty value).
fn tag_parts(part: &str) -> (&str, Option<&str>) {
    let tag = part.trim();
    match tag.split_once(':') {
        Some((k, v)) => (k, Some(v)),
        None => (tag, None),
    }
}

/// `tags` with `edit` applied to the tags whose key is `name`, or `None`
/// when nothing changes. Other tags keep their exact text. Values and keys
/// written have their commas replaced by `_` (a comma would start another
/// tag), as Datadog does with characters a tag cannot hold, and so do the
/// colons of a new key.
fn edit_tags(tags: &str, name: &str, edit: TagEdit<'_>) -> Option<String> {
    let has = |key: &str| tags.split(',').any(|p| tag_parts(p).0 == key);
    if !has(name) && !matches!(edit, TagEdit::Set(_)) {
        return None;
    }
    let clean = |text: &str| text.replace(',', "_");
    let mut out: Vec<String> = Vec::new();
    match edit {
        TagEdit::Remove => {
            out.extend(
                tags.split(',')
                    .filter(|p| tag_parts(p).0 != name)
                    .map(str::to_owned),
            );
        }
        TagEdit::Set(value) => {
            let value = clean(value);
            let mut found = false;
            for part in tags.split(',') {
                if tag_parts(part).0 == name {
                    found = true;
                    let lead = &part[..part.len() - part.trim_start().len()];
                    out.push(format!("{lead}{name}:{value}"));
                } else {
                    out.push(part.to_owned());
                }
            }
            if !found {
                if tags.trim().is_empty() {
                    out.clear();
                }
                out.push(format!("{name}:{value}"));
            }
        }
        TagEdit::Rename { to, upsert } => {
            // A `:` in a key would end it there when read back.
            let to = clean(to).replace(':', "_");
            if to == name || (has(&to) && !upsert) {
                return None;
            }
            // As for attributes, the renamed tag goes to the end.
            let mut moved = Vec::new();
            for part in tags.split(',') {
                let (key, value) = tag_parts(part);
                if key == to {
                    continue;
                }
                if key == name {
                    moved.push(match value {
                        Some(v) => format!("{to}:{v}"),
                        None => to.clone(),
                    });
                } else {
                    out.push(part.to_owned());
                }
            }
            out.extend(moved);
        }
    }
    let mut joined = out.join(",");
    if !tags.starts_with(char::is_whitespace) {
        // The first tag went: the next one's leading space is not kept.
        joined = joined.trim_start().to_owned();
    }
    (joined != tags).then_some(joined)
}

impl DatadogLog<'_> {
    /// The tag key when `path` is `["ddtags", KEY]` and writes go to the tag
    /// `KEY` inside the `ddtags` string: as for reads, unless the object
    /// has the literal key `ddtags.KEY` or `ddtags` is not a string (an
    /// object's `KEY` is then written as for any nested path). A missing
    /// `ddtags` is created as a string.
    fn ddtag<'p>(&self, path: &'p [String]) -> Option<&'p str> {
        match path {
            [first, key] if first == "ddtags" => {
                if self.top(&path.join(".")).is_some() {
                    return None;
                }
                match self.top("ddtags") {
                    None | Some(ValueRef::Str(_)) => Some(key),
                    Some(_) => None,
                }
            }
            _ => None,
        }
    }

    /// Applies `edit` to the tag `name` of the `ddtags` string; whether the
    /// log changed.
    fn edit_ddtag(&mut self, name: &str, edit: TagEdit<'_>) -> bool {
        let current = match self.top("ddtags") {
            Some(ValueRef::Str(s)) => s.into_owned(),
            None => String::new(),
            Some(_) => return false,
        };
        match edit_tags(&current, name, edit) {
            Some(new) => self.set_string(&["ddtags".to_owned()], &new),
            None => false,
        }
    }
}

impl LogView for DatadogLog<'_> {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        for key in self.field_key(field)? {
            match self.top(key) {
                Some(ValueRef::Str(s)) if s.is_empty() => continue,
                Some(v) => return Some(v),
                None => continue,
            }
        }
        None
    }

    fn attribute(&self, _scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        // Datadog has one flat namespace: every scope reads the log object.
        match path {
            [] => None,
            [key] => self
                .top(key)
                .or_else(|| alias(key).and_then(|target| self.top(target))),
            _ => {
                let dotted = path.join(".");
                if let Some(v) = self.top(&dotted) {
                    return Some(v);
                }
                if path.len() == 2 && path[0] == "ddtags" {
                    if let Some(v) = self.tag(&path[1]) {
                        return Some(v);
                    }
                }
                self.nested(path).or_else(|| {
                    // Only a scalar: `[service, name]` with an object
                    // `service` is that object's `name`, absent here.
                    alias(&dotted)
                        .and_then(|target| self.top(target))
                        .filter(|v| !matches!(v, ValueRef::Other))
                })
            }
        }
    }
}

impl LogViewMut for DatadogLog<'_> {
    fn remove_field(&mut self, field: LogField) -> bool {
        let Some(keys) = self.field_key(field) else {
            return false;
        };
        let Some(key) = keys.iter().find(|k| self.top(k).is_some()) else {
            return false;
        };
        self.remove_keys(&[(*key).to_owned()])
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        let Some(keys) = self.field_key(field) else {
            return false;
        };
        let key = keys
            .iter()
            .find(|k| self.top(k).is_some())
            .unwrap_or(&keys[0]);
        self.set_string(&[(*key).to_owned()], value)
    }

    fn remove_attribute(&mut self, _scope: AttrScope, path: &[String]) -> bool {
        if path.is_empty() {
            return false;
        }
        if let Some(tag) = self.ddtag(path) {
            return self.edit_ddtag(tag, TagEdit::Remove);
        }
        let keys = self.target(path);
        self.remove_keys(&keys)
    }

    fn set_attribute(&mut self, _scope: AttrScope, path: &[String], value: &str) -> bool {
        if path.is_empty() {
            return false;
        }
        if let Some(tag) = self.ddtag(path) {
            return self.edit_ddtag(tag, TagEdit::Set(value));
        }
        let keys = self.target(path);
        self.set_string(&keys, value)
    }

    fn rename_attribute(
        &mut self,
        _scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        if from.is_empty() {
            return false;
        }
        if let Some(tag) = self.ddtag(from) {
            return self.edit_ddtag(tag, TagEdit::Rename { to, upsert });
        }
        let keys = self.target(from);
        let Some(map) = self.owned() else {
            return false;
        };
        let (last, parents) = keys.split_last().expect("non-empty path");
        let Some(container) = Self::container_mut(map, parents) else {
            return false;
        };
        if !container.contains_key(last) || (last == to) {
            return false;
        }
        if container.contains_key(to) && !upsert {
            return false;
        }
        let value = container.shift_remove(last).expect("checked above");
        container.shift_remove(to);
        container.insert(to.to_owned(), value);
        self.changed = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// serde_json's reading of the object at the start of `text`:
    /// members and end offset, or `None` when it refuses it.
    fn serde_members(text: &str) -> Option<(Vec<(String, String)>, usize)> {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Entries<'_>>();
        let entries = stream.next()?.ok()?;
        let members = entries
            .0
            .iter()
            .map(|e| (e.key.to_string(), e.raw.to_string()))
            .collect();
        Some((members, stream.byte_offset()))
    }

    /// Whatever the fast scanner accepts, serde_json accepts identically.
    fn scanner_agrees(text: &str) {
        let mut members = Vec::new();
        let scanned = scan_object(text, |k, v, escaped| {
            // The flag that lets string values be borrowed without a look.
            assert_eq!(escaped, v.starts_with('"') && v.contains('\\'), "{v}");
            members.push((k, v))
        });
        if let Some(end) = scanned {
            let fast: Vec<(String, String)> = members
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(serde_members(text), Some((fast, end)), "{text:?}");
        }
    }

    #[test]
    fn fast_scanner_accepts_only_what_serde_accepts() {
        let accepted = [
            r#"{}"#,
            r#"{ }"#,
            r#"{"a":1}"#,
            r#"{"a":-0.5e+3,"b":true,"c":false,"d":null,"e":"x\ny\"z"}"#,
            "{ \"a\" :\t\"b\" ,\n\"a\":2 }",
            r#"{"nested":{"x":[1,{"y":"}"}]},"after":"é"}"#,
            r#"{"a":"0123456789abcdef\/","b":12345678901234567890}"#,
        ];
        for text in accepted {
            assert!(scan_object(text, |_, _, _| {}).is_some(), "{text}");
            scanner_agrees(text);
        }
        let refused = [
            "{\"a\":\"tab\there\"}",
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":+1}"#,
            r#"{"a":1e}"#,
            r#"{"a":tru}"#,
            r#"{"a":truex}"#,
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            r#"{"a":1"#,
            r#"{a:1}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":[1,]}"#,
        ];
        for text in refused {
            assert_eq!(scan_object(text, |_, _, _| {}), None, "{text}");
        }
        // Left to serde_json (which may accept): escaped keys, \u escapes.
        for text in [r#"{"\u0061":1}"#, r#"{"a":"\u00e9"}"#, r#"{"a\"b":1}"#] {
            assert_eq!(scan_object(text, |_, _, _| {}), None, "{text}");
            assert!(DatadogLog::parse_prefix(text).is_ok(), "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn fast_scanner_agrees_with_serde(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("{"), Just("}"), Just("["), Just("]"), Just(":"), Just(","),
                    Just("\""), Just("\"k\""), Just("\"v v\""), Just("\\"), Just("\\n"),
                    Just("\\u00e9"), Just("\t"), Just(" "), Just("\u{1}"), Just("1"),
                    Just("-"), Just("0"), Just("."), Just("e"), Just("true"), Just("nul"),
                    Just("null"), Just("é"),
                ],
                0..24,
            )
        ) {
            let text = format!("{{{}", parts.concat());
            scanner_agrees(&text);
            let text = format!("{{\"k\":{}", parts.concat());
            scanner_agrees(&text);
        }
    }

    fn p(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| s.to_string()).collect()
    }

    fn attr<'v>(log: &'v DatadogLog<'_>, path: &[&str]) -> Option<ValueRef<'v>> {
        log.attribute(AttrScope::Record, &p(path))
    }

    const LOG: &str = r#"{"message":"hello \"world\"","status":"warn","service":"api","hostname":"h1",
        "ddsource":"nginx","ddtags":"env:prod, team:core,flag","http.method":"GET",
        "http":{"status_code":503,"url":"/x"},"n":1.5,"ok":true,"nothing":null,"arr":[1]}"#;

    #[test]
    fn body_and_severity_follow_the_documented_keys() {
        let log = DatadogLog::parse(LOG.as_bytes()).unwrap();
        assert_eq!(
            log.log_field(LogField::Body),
            Some(ValueRef::Str(Cow::Owned("hello \"world\"".into())))
        );
        assert_eq!(
            log.log_field(LogField::SeverityText),
            Some(ValueRef::str("warn"))
        );
        assert_eq!(log.log_field(LogField::TraceId), None);

        let fallback =
            DatadogLog::parse(br#"{"msg":"","log":"from log","level":"error"}"#).unwrap();
        assert_eq!(
            fallback.log_field(LogField::Body),
            Some(ValueRef::str("from log"))
        );
        assert_eq!(
            fallback.log_field(LogField::SeverityText),
            Some(ValueRef::str("error"))
        );
    }

    #[test]
    fn attributes_resolve_in_one_flat_namespace() {
        let log = DatadogLog::parse(LOG.as_bytes()).unwrap();
        for scope in [AttrScope::Record, AttrScope::Resource, AttrScope::Scope] {
            assert_eq!(
                log.attribute(scope, &p(&["service"])),
                Some(ValueRef::str("api"))
            );
        }
        assert_eq!(attr(&log, &["service.name"]), Some(ValueRef::str("api")));
        assert_eq!(attr(&log, &["host.name"]), Some(ValueRef::str("h1")));
        assert_eq!(attr(&log, &["host", "name"]), Some(ValueRef::str("h1")));
        assert_eq!(attr(&log, &["ddsource"]), Some(ValueRef::str("nginx")));
        // Dotted literal key first.
        assert_eq!(attr(&log, &["http", "method"]), Some(ValueRef::str("GET")));
        // Then nested objects, with types kept.
        assert_eq!(
            attr(&log, &["http", "status_code"]),
            Some(ValueRef::Int(503))
        );
        assert_eq!(attr(&log, &["http", "url"]), Some(ValueRef::str("/x")));
        assert_eq!(attr(&log, &["http", "nope"]), None);
        assert_eq!(attr(&log, &["n"]), Some(ValueRef::Double(1.5)));
        assert_eq!(attr(&log, &["ok"]), Some(ValueRef::Bool(true)));
        assert_eq!(attr(&log, &["nothing"]), None);
        assert_eq!(attr(&log, &["arr"]), Some(ValueRef::Other));
        assert_eq!(attr(&log, &["http"]), Some(ValueRef::Other));
        assert_eq!(attr(&log, &["missing"]), None);
    }

    #[test]
    fn ddtags_are_readable_by_key() {
        let log = DatadogLog::parse(LOG.as_bytes()).unwrap();
        assert_eq!(attr(&log, &["ddtags", "env"]), Some(ValueRef::str("prod")));
        assert_eq!(attr(&log, &["ddtags", "team"]), Some(ValueRef::str("core")));
        assert_eq!(attr(&log, &["ddtags", "flag"]), Some(ValueRef::str("")));
        assert_eq!(attr(&log, &["ddtags", "absent"]), None);
        assert_eq!(
            attr(&log, &["ddtags"]),
            Some(ValueRef::str("env:prod, team:core,flag"))
        );
    }

    #[test]
    fn ddtags_edits_change_only_the_named_tag() {
        let t = "env:prod, secret:s3,team:a,secret:t4,flag";
        assert_eq!(
            edit_tags(t, "secret", TagEdit::Set("***")).as_deref(),
            Some("env:prod, secret:***,team:a,secret:***,flag")
        );
        assert_eq!(
            edit_tags(t, "secret", TagEdit::Remove).as_deref(),
            Some("env:prod,team:a,flag")
        );
        assert_eq!(
            edit_tags(t, "env", TagEdit::Remove).as_deref(),
            Some("secret:s3,team:a,secret:t4,flag")
        );
        assert_eq!(
            edit_tags(t, "flag", TagEdit::Set("on")).as_deref(),
            Some("env:prod, secret:s3,team:a,secret:t4,flag:on")
        );
        assert_eq!(
            edit_tags(t, "new", TagEdit::Set("a,b")).as_deref(),
            Some("env:prod, secret:s3,team:a,secret:t4,flag,new:a_b")
        );
        assert_eq!(
            edit_tags("", "new", TagEdit::Set("v")).as_deref(),
            Some("new:v")
        );
        assert_eq!(edit_tags(t, "absent", TagEdit::Remove), None);
        assert_eq!(edit_tags(t, "team", TagEdit::Set("a")), None);
        let rename = |to, upsert| TagEdit::Rename { to, upsert };
        assert_eq!(
            edit_tags(t, "team", rename("squad", false)).as_deref(),
            Some("env:prod, secret:s3,secret:t4,flag,squad:a")
        );
        assert_eq!(edit_tags(t, "team", rename("env", false)), None);
        assert_eq!(
            edit_tags(t, "team", rename("env", true)).as_deref(),
            Some("secret:s3,secret:t4,flag,env:a")
        );
        assert_eq!(
            edit_tags(t, "flag", rename("mark", false)).as_deref(),
            Some("env:prod, secret:s3,team:a,secret:t4,mark")
        );
        assert_eq!(edit_tags(t, "absent", rename("x", true)), None);
        assert_eq!(
            edit_tags("team:a", "team", rename("a:b", false)).as_deref(),
            Some("a_b:a")
        );
    }

    #[test]
    fn ddtags_writes_go_to_the_tag_unless_the_key_is_literal_or_an_object() {
        let path = |k: &str| vec!["ddtags".to_owned(), k.to_owned()];
        let mut log = DatadogLog::parse(LOG.as_bytes()).unwrap();
        assert!(log.set_attribute(AttrScope::Record, &path("team"), "x"));
        assert!(log.remove_attribute(AttrScope::Record, &path("env")));
        assert!(!log.remove_attribute(AttrScope::Record, &path("env")));
        assert!(log.rename_attribute(AttrScope::Record, &path("flag"), "marked", false));
        assert_eq!(
            attr(&log, &["ddtags"]),
            Some(ValueRef::str("team:x,marked"))
        );
        // No `ddtags` yet: created as a string.
        let mut log = DatadogLog::parse(br#"{"message":"m"}"#).unwrap();
        assert!(log.set_attribute(AttrScope::Record, &path("env"), "dev"));
        assert_eq!(attr(&log, &["ddtags"]), Some(ValueRef::str("env:dev")));
        // A literal dotted key is what reads see first, and what is written.
        let mut log = DatadogLog::parse(br#"{"ddtags.env":"a","ddtags":"env:b"}"#).unwrap();
        assert!(log.set_attribute(AttrScope::Record, &path("env"), "c"));
        assert_eq!(attr(&log, &["ddtags.env"]), Some(ValueRef::str("c")));
        assert_eq!(attr(&log, &["ddtags"]), Some(ValueRef::str("env:b")));
        // An object `ddtags` is written as a nested path.
        let mut log = DatadogLog::parse(br#"{"ddtags":{"env":"a"}}"#).unwrap();
        assert!(log.set_attribute(AttrScope::Record, &path("env"), "c"));
        assert_eq!(attr(&log, &["ddtags", "env"]), Some(ValueRef::str("c")));
    }

    #[test]
    fn writes_follow_reads_to_an_aliased_key() {
        let path = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
        let mut log = DatadogLog::parse(br#"{"service":"api","hostname":"h1","m":1}"#).unwrap();
        assert_eq!(attr(&log, &["service", "name"]), Some(ValueRef::str("api")));
        assert!(log.set_attribute(AttrScope::Resource, &path("service", "name"), "x"));
        assert_eq!(attr(&log, &["service"]), Some(ValueRef::str("x")));
        assert!(log.rename_attribute(AttrScope::Resource, &path("host", "name"), "host", false));
        assert_eq!(attr(&log, &["host"]), Some(ValueRef::str("h1")));
        assert_eq!(attr(&log, &["hostname"]), None);
        assert!(log.remove_attribute(AttrScope::Resource, &path("service", "name")));
        assert_eq!(attr(&log, &["service"]), None);
        // A nested object of that name is what reads find, and is written.
        let mut log = DatadogLog::parse(br#"{"service":{"name":"a"}}"#).unwrap();
        assert!(log.set_attribute(AttrScope::Resource, &path("service", "name"), "b"));
        assert_eq!(attr(&log, &["service", "name"]), Some(ValueRef::str("b")));
        // An object without `name` is not the alias's value: it is neither
        // read nor replaced, and removing `[service, name]` keeps it.
        let mut log = DatadogLog::parse(br#"{"service":{"team":"a"}}"#).unwrap();
        assert_eq!(attr(&log, &["service", "name"]), None);
        assert!(!log.remove_attribute(AttrScope::Resource, &path("service", "name")));
        assert!(log.set_attribute(AttrScope::Resource, &path("service", "name"), "x"));
        assert_eq!(attr(&log, &["service", "team"]), Some(ValueRef::str("a")));
        assert_eq!(attr(&log, &["service", "name"]), Some(ValueRef::str("x")));
    }

    #[test]
    fn paths_through_non_objects_do_not_match() {
        // Field case 21's records.
        let b = DatadogLog::parse(br#"{"message":"b","http":"500"}"#).unwrap();
        assert_eq!(attr(&b, &["http", "status_code"]), None);
        let c = DatadogLog::parse(br#"{"message":"c","http":{"status_code":"503"}}"#).unwrap();
        assert_eq!(
            attr(&c, &["http", "status_code"]),
            Some(ValueRef::str("503"))
        );
        let d = DatadogLog::parse(br#"{"message":"d","http":{"status_code":503},"env":"prod"}"#)
            .unwrap();
        assert_eq!(attr(&d, &["http", "status_code"]), Some(ValueRef::Int(503)));
    }

    #[test]
    fn non_objects_are_refused() {
        for bad in [&b"[1]"[..], b"1", b"\"s\"", b"{\"a\":", b"null"] {
            assert!(DatadogLog::parse(bad).is_err());
        }
    }

    #[test]
    fn writes_keep_key_order_and_types() {
        let mut log = DatadogLog::parse(
            br#"{"z":1,"message":"secret","a":{"b":2},"status":"info","service":"svc"}"#,
        )
        .unwrap();
        assert!(!log.is_changed());
        assert!(log.set_field(LogField::Body, "[REDACTED]"));
        assert!(!log.set_field(LogField::Body, "[REDACTED]"));
        assert!(log.set_attribute(AttrScope::Resource, &p(&["a", "c"]), "new"));
        assert!(log.rename_attribute(AttrScope::Record, &p(&["service.name"]), "svc_name", false));
        assert!(log.remove_field(LogField::SeverityText));
        assert!(!log.remove_attribute(AttrScope::Record, &p(&["absent"])));
        assert!(log.set_attribute(AttrScope::Record, &p(&["added"]), "x"));
        assert!(log.is_changed());
        let mut out = Vec::new();
        assert!(log.write_json(&mut out));
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            r#"{"z":1,"message":"[REDACTED]","a":{"b":2,"c":"new"},"svc_name":"svc","added":"x"}"#
        );
        // Reads see the writes.
        assert_eq!(attr(&log, &["a", "c"]), Some(ValueRef::str("new")));
    }

    #[test]
    fn set_attribute_never_clobbers_a_scalar_parent() {
        let mut log = DatadogLog::parse(br#"{"http":"500"}"#).unwrap();
        assert!(!log.set_attribute(AttrScope::Record, &p(&["http", "status"]), "x"));
        assert!(!log.is_changed());
    }

    #[test]
    fn lone_surrogate_values_are_readable_and_writable() {
        let mut log = DatadogLog::parse(br#"{"message":"bad \ud83d line","status":"info"}"#)
            .unwrap_or_else(|_| panic!("lazy parse should accept skipped escapes"));
        assert_eq!(
            log.log_field(LogField::Body),
            Some(ValueRef::Str(Cow::Owned("bad \u{FFFD} line".into())))
        );
        assert!(log.set_field(LogField::SeverityText, "warn"));
        let mut out = Vec::new();
        assert!(log.write_json(&mut out));
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["message"], "bad \u{FFFD} line");
        assert_eq!(v["status"], "warn");
    }
}
