//! OTLP/JSON requests: parse, validate and normalise, then hand the document
//! to `edge_policy::otlp_json` for evaluation.
//!
//! Normalisation walks the known OTLP message structure once and
//!
//! * renames snake_case keys (`resource_logs`, `string_value`, ...) to the
//!   lowerCamelCase names, and the legacy `instrumentationLibrary*` keys to
//!   `scope*`, so the policy views see one spelling;
//! * checks every 64-bit integer (string or number, never through `f64`),
//!   every identifier (hex, exactly 16 or 8 bytes, or empty), every base64
//!   `bytesValue`, and the JSON type of every known field;
//! * rewrites 64-bit integers given as numbers above 2^53 in the string
//!   form (smaller ones keep the client's form) and identifiers in
//!   lowercase hex, which is what goes upstream if the request is
//!   re-encoded.
//!
//! Unknown fields are left where they are (forwarded when the document is
//! re-encoded, and the original bytes are forwarded when nothing changed).
//! Identifiers in base64 are refused (400): OTLP/JSON defines them as hex,
//! and accepting both would make a 16-character hex string ambiguous.
//! Depth is bounded twice: by serde_json's recursion limit while parsing,
//! and by [`MAX_ANY_DEPTH`] nested `AnyValue`s.

use std::cell::Cell;

use base64::Engine as _;
use serde_json::{Map, Number, Value};

use super::Signal;

/// Deepest `AnyValue` nesting accepted (arrays and maps inside values).
pub const MAX_ANY_DEPTH: usize = 32;

/// Largest integer every JSON reader (including those that parse numbers
/// as doubles) reads exactly. Larger numbers are re-encoded as strings;
/// smaller ones keep the form the client used.
pub(super) const MAX_EXACT_DOUBLE: u64 = 1 << 53;

/// Why a JSON body is refused.
pub(crate) type Reason = String;

/// Builds a [`Value`] like `serde_json::from_slice` does without its
/// `raw_value` feature (the last of two equal keys wins), notes in
/// `repeated` whether any object had a key twice, and refuses serde_json's
/// private raw-value key (which `from_slice` would interpret and the
/// `scan_json` walks refuse too), so that only a repeated field makes those
/// walks refuse a body this accepts.
#[derive(Clone, Copy)]
struct Tree<'a> {
    repeated: &'a Cell<bool>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == super::scan_json::RAW_VALUE_KEY {
                return Err(serde::de::Error::custom("reserved key"));
            }
            let value = map.next_value_seed(self)?;
            if out.insert(key, value).is_some() {
                self.repeated.set(true);
            }
        }
        Ok(Value::Object(out))
    }
}

/// Checks and normalises one message object (the `&str` is its key).
type Walker = fn(&mut Obj<'_>, &str) -> Result<(), Reason>;

/// A message object being normalised. `plain` records, once per object,
/// that no key can be an alias (none contains `_` or starts with the legacy
/// `instrumentationLibrary`), so [`canonical_key`] has nothing to do for
/// any of its fields.
struct Obj<'a> {
    map: &'a mut Map<String, Value>,
    plain: bool,
}

impl<'a> Obj<'a> {
    fn new(map: &'a mut Map<String, Value>) -> Self {
        let plain = !map
            .keys()
            .any(|k| k.contains('_') || k.starts_with("instrumentationLibrary"));
        Obj { map, plain }
    }
}

impl std::ops::Deref for Obj<'_> {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        self.map
    }
}

impl std::ops::DerefMut for Obj<'_> {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.map
    }
}

/// Parses and normalises an OTLP/JSON export request.
pub(crate) fn decode(body: &[u8], signal: Signal) -> Result<Value, Reason> {
    // An empty body is an empty export, as in protobuf.
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    let repeated = Cell::new(false);
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut doc = serde::de::DeserializeSeed::deserialize(
        Tree {
            repeated: &repeated,
        },
        &mut de,
    )
    .and_then(|doc| de.end().map(|()| doc))
    .map_err(|e| format!("invalid JSON: {e}"))?;
    let Some(top) = doc.as_object_mut() else {
        return Err("the request must be a JSON object".into());
    };
    let (outer, walk): (&str, Walker) = match signal {
        Signal::Logs => ("resourceLogs", resource_logs),
        Signal::Metrics => ("resourceMetrics", resource_metrics),
        Signal::Traces => ("resourceSpans", resource_spans),
    };
    let mut top = Obj::new(top);
    canonical_key(&mut top, outer, None)?;
    for_each_object(&mut top, outer, walk)?;
    // A field given twice in one object is refused: the tree keeps the last
    // occurrence only, so the first would be neither evaluated nor
    // forwarded, while a collector may read both (repeated fields append),
    // letting records past the policies. The schema walk of `scan_json`
    // accepts every valid request except those (it refuses a repeated
    // known field, aliases included), so it decides once some key was seen
    // twice; a repeated key that is no OTLP field keeps its last value, as
    // on the fast paths.
    if repeated.get() && super::scan_json::check(signal, body).is_none() {
        return Err(REPEATED_FIELD.into());
    }
    Ok(doc)
}

/// The reason given for a request with a field given twice in one object.
const REPEATED_FIELD: &str = "a field is given twice in one object";

/// Counts the records of a normalised document.
pub(crate) fn count_records(doc: &Value, signal: Signal) -> usize {
    let (outer, middle, inner) = signal.json_keys();
    let mut n = 0;
    for r in doc
        .get(outer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for s in r
            .get(middle)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            n += s.get(inner).and_then(Value::as_array).map_or(0, Vec::len);
        }
    }
    n
}

pub(super) fn snake_case(camel: &str) -> Option<String> {
    if !camel.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut s = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    Some(s)
}

/// Makes `key` (lowerCamelCase) the spelling used in `obj`, accepting the
/// snake_case form and an optional legacy name. Two spellings of the same
/// field in one object are refused.
fn canonical_key(obj: &mut Obj<'_>, key: &str, legacy: Option<&str>) -> Result<(), Reason> {
    if obj.plain {
        return Ok(());
    }
    // Every snake_case alias contains `_`: an object without such a key (the
    // usual lowerCamelCase request) and without the legacy name has nothing
    // to rename, which spares the alias strings for every field of every
    // record.
    let legacy_present = legacy.is_some_and(|l| obj.contains_key(l));
    if !legacy_present && !obj.keys().any(|k| k.contains('_')) {
        return Ok(());
    }
    let mut found = obj.contains_key(key);
    let mut alias_names: Vec<String> = Vec::new();
    if let Some(s) = snake_case(key) {
        alias_names.push(s);
    }
    if let Some(l) = legacy {
        alias_names.push(l.to_owned());
        if let Some(s) = snake_case(l) {
            alias_names.push(s);
        }
    }
    for alias in alias_names {
        if let Some(v) = obj.shift_remove(&alias) {
            if found {
                return Err(format!("field `{key}` given twice (as `{alias}`)"));
            }
            obj.insert(key.to_owned(), v);
            found = true;
        }
    }
    Ok(())
}

/// Calls `f` on every object of the array at `key` (absent or null: none).
fn for_each_object(obj: &mut Obj<'_>, key: &str, f: Walker) -> Result<(), Reason> {
    match obj.get_mut(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::Object(m) => f(&mut Obj::new(m), key)?,
                    _ => return Err(format!("`{key}` must contain objects")),
                }
            }
            Ok(())
        }
        Some(_) => Err(format!("`{key}` must be an array")),
    }
}

/// Runs `f` on the object at `key` (absent or null: nothing).
fn with_object(obj: &mut Obj<'_>, key: &str, f: Walker) -> Result<(), Reason> {
    match obj.get_mut(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(m)) => f(&mut Obj::new(m), key),
        Some(_) => Err(format!("`{key}` must be an object")),
    }
}

/// The scalar kinds of OTLP fields.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Str,
    Bool,
    /// int32/uint32/fixed32 and enums given as numbers.
    Int32,
    Uint64,
    Int64,
    Double,
    /// An enum: a name or a number.
    Enum,
    /// Identifier of this many bytes, hex.
    Id(usize),
    /// Repeated uint64 / fixed64.
    Uint64List,
    /// Repeated double.
    DoubleList,
}

/// Canonicalises and checks the scalar fields `fields` of `obj`.
fn scalars(obj: &mut Obj<'_>, fields: &[(&str, Kind)]) -> Result<(), Reason> {
    for (key, kind) in fields {
        canonical_key(obj, key, None)?;
        let Some(v) = obj.get_mut(*key) else { continue };
        if v.is_null() {
            continue;
        }
        check_scalar(v, *kind).map_err(|why| format!("`{key}`: {why}"))?;
    }
    Ok(())
}

fn check_scalar(v: &mut Value, kind: Kind) -> Result<(), Reason> {
    match kind {
        Kind::Uint64List | Kind::DoubleList => {
            let item = if matches!(kind, Kind::Uint64List) {
                Kind::Uint64
            } else {
                Kind::Double
            };
            match v {
                Value::Array(items) => items.iter_mut().try_for_each(|i| check_scalar(i, item)),
                _ => Err("expected an array".into()),
            }
        }
        _ => {
            check_value(Scalar::of(v), kind)?;
            normalise(v, kind);
            Ok(())
        }
    }
}

/// A JSON value as far as a scalar check needs it (the fast validator in
/// `scan_json` builds these from the parser's events, without a tree).
#[derive(Clone, Copy)]
pub(super) enum Scalar<'a> {
    Null,
    Bool,
    Num(&'a Number),
    Str(&'a str),
    /// An array or an object.
    Nested,
}

impl<'a> Scalar<'a> {
    fn of(v: &'a Value) -> Scalar<'a> {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(_) => Scalar::Bool,
            Value::Number(n) => Scalar::Num(n),
            Value::String(s) => Scalar::Str(s),
            Value::Array(_) | Value::Object(_) => Scalar::Nested,
        }
    }
}

/// Rewrites a checked scalar in its forwarded form: 64-bit integers given
/// as numbers beyond 2^53 as strings, identifiers in lowercase.
fn normalise(v: &mut Value, kind: Kind) {
    match (kind, &mut *v) {
        (Kind::Uint64, Value::Number(n)) => {
            if let Some(n) = number_int::<u64>(n).filter(|&n| n > MAX_EXACT_DOUBLE) {
                *v = Value::String(n.to_string());
            }
        }
        (Kind::Int64, Value::Number(n)) => {
            if let Some(n) = number_int::<i64>(n).filter(|n| n.unsigned_abs() > MAX_EXACT_DOUBLE) {
                *v = Value::String(n.to_string());
            }
        }
        (Kind::Id(_), Value::String(s)) if s.bytes().any(|b| b.is_ascii_uppercase()) => {
            s.make_ascii_lowercase();
        }
        _ => {}
    }
}

/// Checks one scalar of `kind` (not a list kind); `Null` is refused (the
/// callers skip null fields before).
pub(super) fn check_value(v: Scalar<'_>, kind: Kind) -> Result<(), Reason> {
    match kind {
        Kind::Str => matches!(v, Scalar::Str(_))
            .then_some(())
            .ok_or_else(|| "expected a string".into()),
        Kind::Bool => matches!(v, Scalar::Bool)
            .then_some(())
            .ok_or_else(|| "expected a boolean".into()),
        Kind::Int32 => match v {
            Scalar::Num(n)
                if n.as_i64()
                    .is_some_and(|i| i32::try_from(i).is_ok() || u32::try_from(i).is_ok()) =>
            {
                Ok(())
            }
            Scalar::Str(s)
                if s.parse::<i64>()
                    .is_ok_and(|i| i32::try_from(i).is_ok() || u32::try_from(i).is_ok()) =>
            {
                Ok(())
            }
            _ => Err("expected a 32-bit integer".into()),
        },
        Kind::Uint64 => int_value::<u64>(v)
            .map(drop)
            .ok_or_else(|| "expected an unsigned 64-bit integer".into()),
        Kind::Int64 => int_value::<i64>(v)
            .map(drop)
            .ok_or_else(|| "expected a 64-bit integer".into()),
        Kind::Double => match v {
            Scalar::Num(_) => Ok(()),
            Scalar::Str(s)
                if matches!(s, "NaN" | "Infinity" | "-Infinity") || s.parse::<f64>().is_ok() =>
            {
                Ok(())
            }
            _ => Err("expected a number".into()),
        },
        Kind::Enum => match v {
            Scalar::Num(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => Ok(()),
            Scalar::Str(s)
                if !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                Ok(())
            }
            _ => Err("expected an enum name or number".into()),
        },
        Kind::Id(len) => {
            let Scalar::Str(s) = v else {
                return Err("expected a hex string".into());
            };
            if s.is_empty() {
                return Ok(());
            }
            if s.len() != len * 2 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "expected {} hex digits, got {:?}",
                    len * 2,
                    truncate(s)
                ));
            }
            Ok(())
        }
        Kind::Uint64List | Kind::DoubleList => Err("expected an array".into()),
    }
}

/// Checks a `bytesValue` string: standard or URL-safe base64.
pub(super) fn check_base64(s: &str) -> Result<(), Reason> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let url = &base64::engine::general_purpose::URL_SAFE;
    if engine.decode(s).is_err() && url.decode(s).is_err() {
        return Err("`bytesValue`: invalid base64".into());
    }
    Ok(())
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// An integer given as a JSON number or a decimal string. Numbers are read
/// exactly (serde_json keeps integers as integers); an integral float in
/// range is accepted, anything else is `None`.
fn int_value<T>(v: Scalar<'_>) -> Option<T>
where
    T: TryFrom<u64> + TryFrom<i64> + std::str::FromStr,
{
    match v {
        Scalar::Num(n) => number_int(n),
        Scalar::Str(s) => s.parse::<T>().ok(),
        _ => None,
    }
}

fn number_int<T: TryFrom<u64> + TryFrom<i64>>(n: &Number) -> Option<T> {
    if let Some(u) = n.as_u64() {
        return <T as TryFrom<u64>>::try_from(u).ok();
    }
    if let Some(i) = n.as_i64() {
        return <T as TryFrom<i64>>::try_from(i).ok();
    }
    let f = n.as_f64()?;
    // Floats are exact integers only up to 2^53; beyond that the digits
    // were already lost while parsing, so refuse instead of guessing.
    if f.fract() != 0.0 || f.abs() > 9_007_199_254_740_992.0 {
        return None;
    }
    if f < 0.0 {
        <T as TryFrom<i64>>::try_from(f as i64).ok()
    } else {
        <T as TryFrom<u64>>::try_from(f as u64).ok()
    }
}

// --- messages --------------------------------------------------------------

fn resource(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(m, &[("droppedAttributesCount", Kind::Int32)])?;
    key_values(m, "attributes", 0)
}

fn scope(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("name", Kind::Str),
            ("version", Kind::Str),
            ("droppedAttributesCount", Kind::Int32),
        ],
    )?;
    key_values(m, "attributes", 0)
}

/// The parts every `Resource*` and `Scope*` wrapper shares.
fn wrapper(
    m: &mut Obj<'_>,
    inner: &str,
    legacy_inner: Option<&str>,
    f: Walker,
) -> Result<(), Reason> {
    scalars(m, &[("schemaUrl", Kind::Str)])?;
    canonical_key(m, inner, legacy_inner)?;
    for_each_object(m, inner, f)
}

fn resource_logs(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "resource", None)?;
    with_object(m, "resource", resource)?;
    wrapper(
        m,
        "scopeLogs",
        Some("instrumentationLibraryLogs"),
        scope_logs,
    )
}

fn scope_logs(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "scope", Some("instrumentationLibrary"))?;
    with_object(m, "scope", scope)?;
    wrapper(m, "logRecords", None, log_record)
}

fn log_record(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("timeUnixNano", Kind::Uint64),
            ("observedTimeUnixNano", Kind::Uint64),
            ("severityNumber", Kind::Enum),
            ("severityText", Kind::Str),
            ("droppedAttributesCount", Kind::Int32),
            ("flags", Kind::Int32),
            ("traceId", Kind::Id(16)),
            ("spanId", Kind::Id(8)),
            ("eventName", Kind::Str),
        ],
    )?;
    canonical_key(m, "body", None)?;
    if let Some(v) = m.get_mut("body") {
        any_value(v, 0).map_err(|e| format!("`body`: {e}"))?;
    }
    key_values(m, "attributes", 0)
}

fn resource_metrics(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "resource", None)?;
    with_object(m, "resource", resource)?;
    wrapper(
        m,
        "scopeMetrics",
        Some("instrumentationLibraryMetrics"),
        scope_metrics,
    )
}

fn scope_metrics(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "scope", Some("instrumentationLibrary"))?;
    with_object(m, "scope", scope)?;
    wrapper(m, "metrics", None, metric)
}

fn metric(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("name", Kind::Str),
            ("description", Kind::Str),
            ("unit", Kind::Str),
        ],
    )?;
    key_values(m, "metadata", 0)?;
    let payloads: [(&str, Walker); 5] = [
        ("gauge", gauge),
        ("sum", sum),
        ("histogram", histogram),
        ("exponentialHistogram", exponential_histogram),
        ("summary", summary),
    ];
    for (key, f) in payloads {
        canonical_key(m, key, None)?;
        with_object(m, key, f)?;
    }
    Ok(())
}

fn data_points(m: &mut Obj<'_>, f: Walker) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("aggregationTemporality", Kind::Enum),
            ("isMonotonic", Kind::Bool),
        ],
    )?;
    canonical_key(m, "dataPoints", None)?;
    for_each_object(m, "dataPoints", f)
}

fn gauge(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    data_points(m, number_point)
}

fn sum(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    data_points(m, number_point)
}

fn histogram(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    data_points(m, histogram_point)
}

fn exponential_histogram(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    data_points(m, exponential_point)
}

fn summary(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    data_points(m, summary_point)
}

const POINT_COMMON: [(&str, Kind); 4] = [
    ("startTimeUnixNano", Kind::Uint64),
    ("timeUnixNano", Kind::Uint64),
    ("flags", Kind::Int32),
    ("count", Kind::Uint64),
];

fn point_common(m: &mut Obj<'_>) -> Result<(), Reason> {
    scalars(m, &POINT_COMMON)?;
    key_values(m, "attributes", 0)?;
    canonical_key(m, "exemplars", None)?;
    for_each_object(m, "exemplars", exemplar)
}

fn number_point(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(m, &[("asDouble", Kind::Double), ("asInt", Kind::Int64)])?;
    point_common(m)
}

fn histogram_point(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("sum", Kind::Double),
            ("min", Kind::Double),
            ("max", Kind::Double),
            ("bucketCounts", Kind::Uint64List),
            ("explicitBounds", Kind::DoubleList),
        ],
    )?;
    point_common(m)
}

fn buckets(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[("offset", Kind::Int32), ("bucketCounts", Kind::Uint64List)],
    )
}

fn exponential_point(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("sum", Kind::Double),
            ("min", Kind::Double),
            ("max", Kind::Double),
            ("scale", Kind::Int32),
            ("zeroCount", Kind::Uint64),
            ("zeroThreshold", Kind::Double),
        ],
    )?;
    for key in ["positive", "negative"] {
        canonical_key(m, key, None)?;
        with_object(m, key, buckets)?;
    }
    point_common(m)
}

fn quantile(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(m, &[("quantile", Kind::Double), ("value", Kind::Double)])
}

fn summary_point(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(m, &[("sum", Kind::Double)])?;
    canonical_key(m, "quantileValues", None)?;
    for_each_object(m, "quantileValues", quantile)?;
    point_common(m)
}

fn exemplar(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("timeUnixNano", Kind::Uint64),
            ("asDouble", Kind::Double),
            ("asInt", Kind::Int64),
            ("traceId", Kind::Id(16)),
            ("spanId", Kind::Id(8)),
        ],
    )?;
    key_values(m, "filteredAttributes", 0)
}

fn resource_spans(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "resource", None)?;
    with_object(m, "resource", resource)?;
    wrapper(
        m,
        "scopeSpans",
        Some("instrumentationLibrarySpans"),
        scope_spans,
    )
}

fn scope_spans(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    canonical_key(m, "scope", Some("instrumentationLibrary"))?;
    with_object(m, "scope", scope)?;
    wrapper(m, "spans", None, span)
}

fn span(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("traceId", Kind::Id(16)),
            ("spanId", Kind::Id(8)),
            ("parentSpanId", Kind::Id(8)),
            ("traceState", Kind::Str),
            ("flags", Kind::Int32),
            ("name", Kind::Str),
            ("kind", Kind::Enum),
            ("startTimeUnixNano", Kind::Uint64),
            ("endTimeUnixNano", Kind::Uint64),
            ("droppedAttributesCount", Kind::Int32),
            ("droppedEventsCount", Kind::Int32),
            ("droppedLinksCount", Kind::Int32),
        ],
    )?;
    key_values(m, "attributes", 0)?;
    canonical_key(m, "events", None)?;
    for_each_object(m, "events", event)?;
    canonical_key(m, "links", None)?;
    for_each_object(m, "links", link)?;
    canonical_key(m, "status", None)?;
    with_object(m, "status", status)
}

fn event(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("timeUnixNano", Kind::Uint64),
            ("name", Kind::Str),
            ("droppedAttributesCount", Kind::Int32),
        ],
    )?;
    key_values(m, "attributes", 0)
}

fn link(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(
        m,
        &[
            ("traceId", Kind::Id(16)),
            ("spanId", Kind::Id(8)),
            ("traceState", Kind::Str),
            ("droppedAttributesCount", Kind::Int32),
            ("flags", Kind::Int32),
        ],
    )?;
    key_values(m, "attributes", 0)
}

fn status(m: &mut Obj<'_>, _: &str) -> Result<(), Reason> {
    scalars(m, &[("message", Kind::Str), ("code", Kind::Enum)])
}

// --- AnyValue / KeyValue ----------------------------------------------------

/// Checks the `KeyValue` array at `key`.
fn key_values(m: &mut Obj<'_>, key: &str, depth: usize) -> Result<(), Reason> {
    canonical_key(m, key, None)?;
    match m.get_mut(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) => items
            .iter_mut()
            .try_for_each(|kv| key_value(kv, depth))
            .map_err(|e| format!("`{key}`: {e}")),
        Some(_) => Err(format!("`{key}` must be an array")),
    }
}

fn key_value(kv: &mut Value, depth: usize) -> Result<(), Reason> {
    let Value::Object(m) = kv else {
        return Err("attributes must be objects".into());
    };
    scalars(&mut Obj::new(m), &[("key", Kind::Str)])?;
    match m.get_mut("value") {
        None | Some(Value::Null) => Ok(()),
        Some(v) => any_value(v, depth),
    }
}

/// Checks one `AnyValue` object, at most [`MAX_ANY_DEPTH`] levels deep.
fn any_value(v: &mut Value, depth: usize) -> Result<(), Reason> {
    if depth >= MAX_ANY_DEPTH {
        return Err(format!("values nested deeper than {MAX_ANY_DEPTH} levels"));
    }
    let m = match v {
        Value::Null => return Ok(()),
        Value::Object(m) => m,
        _ => return Err("expected an AnyValue object".into()),
    };
    let m = &mut Obj::new(m);
    scalars(
        m,
        &[
            ("stringValue", Kind::Str),
            ("boolValue", Kind::Bool),
            ("intValue", Kind::Int64),
            ("doubleValue", Kind::Double),
        ],
    )?;
    canonical_key(m, "bytesValue", None)?;
    match m.get("bytesValue") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => check_base64(s)?,
        Some(_) => return Err("`bytesValue`: expected a base64 string".into()),
    }
    canonical_key(m, "arrayValue", None)?;
    match m.get_mut("arrayValue") {
        None | Some(Value::Null) => {}
        Some(Value::Object(a)) => match a.get_mut("values") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    any_value(item, depth + 1)?;
                }
            }
            Some(_) => return Err("`arrayValue.values` must be an array".into()),
        },
        Some(_) => return Err("`arrayValue` must be an object".into()),
    }
    canonical_key(m, "kvlistValue", None)?;
    match m.get_mut("kvlistValue") {
        None | Some(Value::Null) => {}
        Some(Value::Object(kvl)) => key_values(&mut Obj::new(kvl), "values", depth + 1)?,
        Some(_) => return Err("`kvlistValue` must be an object".into()),
    }
    Ok(())
}
