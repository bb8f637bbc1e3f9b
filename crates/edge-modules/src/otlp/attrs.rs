//! Attribute access over protobuf `KeyValue` lists: lookup along a path
//! (later segments descend into `kvlistValue`), and the edits transforms
//! make. Semantics match `edge_policy::otlp_json` so both encodings of the
//! same record behave the same.

use std::borrow::Cow;

use edge_policy::ValueRef;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, KeyValue, KeyValueList};

/// The typed view of an `AnyValue`; maps and arrays have no typed value.
pub(crate) fn any_ref(v: &AnyValue) -> ValueRef<'_> {
    match &v.value {
        Some(any_value::Value::StringValue(s)) => ValueRef::str(s),
        Some(any_value::Value::BoolValue(b)) => ValueRef::Bool(*b),
        Some(any_value::Value::IntValue(i)) => ValueRef::Int(*i),
        Some(any_value::Value::DoubleValue(d)) => ValueRef::Double(*d),
        Some(any_value::Value::BytesValue(b)) => ValueRef::Bytes(Cow::Borrowed(b)),
        Some(any_value::Value::ArrayValue(_)) | Some(any_value::Value::KvlistValue(_)) | None => {
            ValueRef::Other
        }
    }
}

/// The entry at `path`: `Some(None)` when the key exists without a value.
fn find<'a>(attrs: &'a [KeyValue], path: &[String]) -> Option<Option<&'a AnyValue>> {
    let (first, mut rest) = path.split_first()?;
    let mut list = attrs;
    let mut key = first;
    loop {
        let kv = list.iter().find(|kv| kv.key == *key)?;
        match rest.split_first() {
            None => return Some(kv.value.as_ref()),
            Some((next, r)) => {
                list = match kv.value.as_ref()?.value.as_ref()? {
                    any_value::Value::KvlistValue(kvl) => &kvl.values,
                    _ => return None,
                };
                key = next;
                rest = r;
            }
        }
    }
}

/// The value at `path` in `attrs`, `None` when a segment is missing. A key
/// without a value is present with no typed value.
pub(crate) fn attr_ref<'a>(attrs: &'a [KeyValue], path: &[String]) -> Option<ValueRef<'a>> {
    find(attrs, path).map(|v| v.map_or(ValueRef::Other, any_ref))
}

fn string_value(v: &str) -> Option<AnyValue> {
    Some(AnyValue {
        value: Some(any_value::Value::StringValue(v.to_owned())),
    })
}

/// The list holding the last segment of `path`; with `create`, missing
/// intermediate maps are appended.
fn parent_list<'a>(
    list: &'a mut Vec<KeyValue>,
    path: &[String],
    create: bool,
) -> Option<&'a mut Vec<KeyValue>> {
    let Some((seg, rest)) = path.split_first() else {
        return Some(list);
    };
    if rest.is_empty() {
        return Some(list);
    }
    let idx = match list.iter().position(|kv| kv.key == *seg) {
        Some(i) => i,
        None if create => {
            list.push(KeyValue {
                key: seg.clone(),
                value: Some(AnyValue {
                    value: Some(any_value::Value::KvlistValue(KeyValueList::default())),
                }),
            });
            list.len() - 1
        }
        None => return None,
    };
    let child = match list[idx].value.as_mut()?.value.as_mut()? {
        any_value::Value::KvlistValue(kvl) => &mut kvl.values,
        _ => return None,
    };
    parent_list(child, rest, create)
}

/// Deletes the entry at `path`; whether something was removed.
pub(crate) fn remove(list: &mut Vec<KeyValue>, path: &[String]) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    let Some(parent) = parent_list(list, path, false) else {
        return false;
    };
    match parent.iter().position(|kv| kv.key == *last) {
        Some(i) => {
            parent.remove(i);
            true
        }
        None => false,
    }
}

/// Sets the entry at `path` to a string (overwritten in place or appended).
pub(crate) fn set(list: &mut Vec<KeyValue>, path: &[String], value: &str) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    let Some(parent) = parent_list(list, path, true) else {
        return false;
    };
    match parent.iter_mut().find(|kv| kv.key == *last) {
        Some(kv) => kv.value = string_value(value),
        None => parent.push(KeyValue {
            key: last.clone(),
            value: string_value(value),
        }),
    }
    true
}

/// Moves the entry at `from` to key `to` in the same list, appended at the
/// end with its type kept.
pub(crate) fn rename(list: &mut Vec<KeyValue>, from: &[String], to: &str, upsert: bool) -> bool {
    let Some(last) = from.last() else {
        return false;
    };
    if last == to {
        return false;
    }
    let Some(parent) = parent_list(list, from, false) else {
        return false;
    };
    if !parent.iter().any(|kv| kv.key == *last) {
        return false;
    }
    if let Some(dst) = parent.iter().position(|kv| kv.key == to) {
        if !upsert {
            return false;
        }
        parent.remove(dst);
    }
    let Some(src) = parent.iter().position(|kv| kv.key == *last) else {
        return false;
    };
    let mut entry = parent.remove(src);
    entry.key = to.to_owned();
    parent.push(entry);
    true
}

/// An identifier as a policy sees it: absent when empty or all zero.
pub(crate) fn id_ref(id: &[u8]) -> Option<ValueRef<'_>> {
    if id.iter().all(|b| *b == 0) {
        return None;
    }
    Some(ValueRef::Bytes(Cow::Borrowed(id)))
}

/// A string field as a policy sees it: absent when empty.
pub(crate) fn str_ref(s: &str) -> Option<ValueRef<'_>> {
    (!s.is_empty()).then(|| ValueRef::str(s))
}
