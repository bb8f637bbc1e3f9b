//! Parsing of policies from every accepted text form into the protobuf model
//! of `edge-proto`.
//!
//! Accepted (spec Part 2): canonical proto JSON (lowerCamelCase keys, enum
//! names or numbers, 64-bit integers as strings), snake_case authoring JSON and
//! YAML, enum shorthands (`body`, `gauge`, `SERVER`, `SPAN_STATUS_CODE_UNSET`),
//! attribute-path shorthands (a string is one segment, an array is a path,
//! `{path: [...]}` is canonical) and typed-value shorthands. Binary protobuf
//! (`SyncResponse`) is decoded with prost.
//!
//! Error model (§1.12): a document whose envelope cannot be read is a
//! [`FileError`]; a policy entry that cannot be decoded is a
//! [`PolicyParseError`] that loses only that entry.

#![allow(deprecated)] // `exact` is deprecated in the schema but must be parsed.

use base64::Engine as _;
use edge_proto::common::v1 as otel;
use edge_proto::policy::v1 as pb;
use prost::Message as _;
use serde_json::{Map, Value};
use std::fmt;

/// The envelope of a policy document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Malformed JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Malformed YAML.
    #[error("invalid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    /// Malformed protobuf.
    #[error("invalid protobuf: {0}")]
    Protobuf(#[from] prost::DecodeError),
    /// The document is valid JSON/YAML but not a policy envelope.
    #[error("invalid policy document: {0}")]
    Envelope(String),
}

/// One policy entry that could not be decoded (the others still load).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyParseError {
    /// Zero-based position of the entry in the document.
    pub index: usize,
    /// The entry's id, when it could be read.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PolicyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "policy[{}] ({id}): {}", self.index, self.message),
            None => write!(f, "policy[{}]: {}", self.index, self.message),
        }
    }
}

/// The result of reading one policy document.
#[derive(Debug, Clone, Default)]
pub struct ParsedPolicies {
    /// The entries that decoded, in document order.
    pub policies: Vec<pb::Policy>,
    /// The entries that did not.
    pub errors: Vec<PolicyParseError>,
    /// Keys the parser does not know, ignored (for forward compatibility)
    /// but usually a typo.
    pub unknown_keys: Vec<UnknownKey>,
}

/// A key the parser ignored because the specification does not define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// Position of the policy in the document.
    pub index: usize,
    /// The policy's `id`, when it has one.
    pub id: Option<String>,
    /// Where the key is (`log: match[0]`, `log.transform`...).
    pub section: String,
    /// The key as written (snake_case).
    pub key: String,
    /// A known key of that section spelled almost the same way.
    pub did_you_mean: Option<String>,
}

thread_local! {
    /// Unknown keys met while [`parse_envelope`] runs on this thread.
    static UNKNOWN: std::cell::RefCell<Vec<(String, String, Option<String>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The known key closest to `key`, if it is a likely typo (at most two
/// edits, or one for short keys).
fn closest(key: &str, known: &[&str]) -> Option<String> {
    let limit = if key.len() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_owned())
}

/// Levenshtein distance over bytes (keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Which text syntax a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (one or more documents).
    Yaml,
}

impl Format {
    /// Guess from a file name: `.yaml`/`.yml` are YAML, everything else JSON.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => Format::Json,
        }
    }
}

/// Parse a policy document in the given syntax.
pub fn parse_document(text: &str, format: Format) -> Result<ParsedPolicies, FileError> {
    match format {
        Format::Json => {
            let v: Value = serde_json::from_str(text)?;
            parse_envelope(&v)
        }
        Format::Yaml => {
            use serde::Deserialize as _;
            let mut out = ParsedPolicies::default();
            let mut offset = 0usize;
            for doc in serde_yaml::Deserializer::from_str(text) {
                let v = Value::deserialize(doc)?;
                if v.is_null() {
                    continue;
                }
                let mut part = parse_envelope(&v)?;
                for e in &mut part.errors {
                    e.index += offset;
                }
                for k in &mut part.unknown_keys {
                    k.index += offset;
                }
                offset += part.policies.len() + part.errors.len();
                out.policies.append(&mut part.policies);
                out.errors.append(&mut part.errors);
                out.unknown_keys.append(&mut part.unknown_keys);
            }
            Ok(out)
        }
    }
}

/// Decode a binary protobuf `SyncResponse` and return its policies.
pub fn parse_sync_response_protobuf(bytes: &[u8]) -> Result<pb::SyncResponse, FileError> {
    Ok(pb::SyncResponse::decode(bytes)?)
}

/// Parse an already-decoded JSON tree: `{"policies": [...]}` (also a protojson
/// `SyncResponse`), a bare array of policies, or a single policy object.
pub fn parse_envelope(v: &Value) -> Result<ParsedPolicies, FileError> {
    let entries: &[Value] = match v {
        Value::Array(a) => a,
        Value::Object(m) => {
            if let Some(p) = m.get("policies") {
                match p {
                    Value::Array(a) => a,
                    Value::Null => &[],
                    _ => return Err(FileError::Envelope("`policies` is not an array".into())),
                }
            } else if m.is_empty() {
                &[]
            } else {
                std::slice::from_ref(v)
            }
        }
        _ => {
            return Err(FileError::Envelope(
                "expected an object with `policies`, an array or a policy object".into(),
            ))
        }
    };
    let mut out = ParsedPolicies::default();
    for (index, entry) in entries.iter().enumerate() {
        UNKNOWN.with(|u| u.borrow_mut().clear());
        let parsed = parse_policy(entry);
        let id = entry.get("id").and_then(Value::as_str).map(str::to_owned);
        for (section, key, did_you_mean) in UNKNOWN.with(|u| std::mem::take(&mut *u.borrow_mut())) {
            out.unknown_keys.push(UnknownKey {
                index,
                id: id.clone(),
                section,
                key,
                did_you_mean,
            });
        }
        match parsed {
            Ok(p) => out.policies.push(p),
            Err(message) => {
                out.errors.push(PolicyParseError { index, id, message });
            }
        }
    }
    Ok(out)
}

type R<T> = Result<T, String>;

/// Convert a lowerCamelCase key to snake_case (snake_case keys are unchanged).
fn snake(key: &str) -> std::borrow::Cow<'_, str> {
    if !key.bytes().any(|b| b.is_ascii_uppercase()) {
        return std::borrow::Cow::Borrowed(key);
    }
    let mut s = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    std::borrow::Cow::Owned(s)
}

/// An object with keys normalised to snake_case.
struct Obj<'a> {
    entries: Vec<(std::borrow::Cow<'a, str>, &'a Value)>,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, what: &str) -> R<Obj<'a>> {
        let m: &Map<String, Value> = v
            .as_object()
            .ok_or_else(|| format!("{what}: expected an object"))?;
        let mut entries: Vec<(std::borrow::Cow<'a, str>, &'a Value)> = Vec::with_capacity(m.len());
        for (k, v) in m {
            let k = snake(k);
            if entries.iter().any(|(e, _)| *e == k) {
                return Err(format!("{what}: duplicate key `{k}`"));
            }
            entries.push((k, v));
        }
        Ok(Obj { entries })
    }

    /// Get a key; JSON `null` counts as absent (protojson may emit it).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }

    /// Keys present (non-null) among `keys`.
    fn present<'k>(&self, keys: &[&'k str]) -> Vec<(&'k str, &'a Value)> {
        keys.iter()
            .filter_map(|k| self.get(k).map(|v| (*k, v)))
            .collect()
    }

    fn warn_unknown(&self, known: &[&str], what: &str) {
        for (k, _) in &self.entries {
            if !known.contains(&&**k) {
                tracing::warn!(key = %k, section = what, "ignoring unknown policy key");
                let suggestion = closest(k, known);
                UNKNOWN.with(|u| {
                    u.borrow_mut()
                        .push((what.to_owned(), k.to_string(), suggestion))
                });
            }
        }
    }
}

fn as_str<'a>(v: &'a Value, what: &str) -> R<&'a str> {
    v.as_str()
        .ok_or_else(|| format!("{what}: expected a string"))
}

fn as_bool(v: &Value, what: &str) -> R<bool> {
    v.as_bool()
        .ok_or_else(|| format!("{what}: expected a boolean"))
}

fn opt_bool(o: &Obj<'_>, key: &str) -> R<bool> {
    o.get(key)
        .map(|v| as_bool(v, key))
        .transpose()
        .map(|b| b.unwrap_or(false))
}

fn as_i64(v: &Value, what: &str) -> R<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| format!("{what}: expected an integer")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{what}: expected an integer")),
        _ => Err(format!("{what}: expected an integer")),
    }
}

fn as_u64(v: &Value, what: &str) -> R<u64> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| format!("{what}: expected an unsigned integer")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{what}: expected an unsigned integer")),
        _ => Err(format!("{what}: expected an unsigned integer")),
    }
}

fn as_f64(v: &Value, what: &str) -> R<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| format!("{what}: expected a number")),
        Value::String(s) => match s.trim() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            t => t.parse().map_err(|_| format!("{what}: expected a number")),
        },
        _ => Err(format!("{what}: expected a number")),
    }
}

/// Parse an enum given by number, full name, or name without prefix
/// (case-insensitive). `names` are the suffixes after `prefix`.
fn parse_enum(v: &Value, what: &str, prefix: &str, names: &[(&str, i32)]) -> R<i32> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| format!("{what}: invalid enum number")),
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i32>() {
                return Ok(i);
            }
            let up = t.to_ascii_uppercase();
            let suffix = up.strip_prefix(prefix).unwrap_or(&up);
            names
                .iter()
                .find(|(n, _)| *n == suffix)
                .map(|(_, i)| *i)
                .ok_or_else(|| format!("{what}: unknown value {s:?}"))
        }
        _ => Err(format!("{what}: expected an enum name or number")),
    }
}

const LOG_FIELDS: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("BODY", 1),
    ("SEVERITY_TEXT", 2),
    ("TRACE_ID", 3),
    ("SPAN_ID", 4),
    ("EVENT_NAME", 5),
    ("RESOURCE_SCHEMA_URL", 10),
    ("SCOPE_SCHEMA_URL", 11),
];
const METRIC_FIELDS: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("NAME", 1),
    ("DESCRIPTION", 2),
    ("UNIT", 3),
    ("RESOURCE_SCHEMA_URL", 10),
    ("SCOPE_SCHEMA_URL", 11),
    ("SCOPE_NAME", 12),
    ("SCOPE_VERSION", 13),
];
const METRIC_TYPES: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("GAUGE", 1),
    ("SUM", 2),
    ("HISTOGRAM", 3),
    ("EXPONENTIAL_HISTOGRAM", 4),
    ("SUMMARY", 5),
];
const TEMPORALITIES: &[(&str, i32)] = &[("UNSPECIFIED", 0), ("DELTA", 1), ("CUMULATIVE", 2)];
const TRACE_FIELDS: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("NAME", 1),
    ("TRACE_ID", 2),
    ("SPAN_ID", 3),
    ("PARENT_SPAN_ID", 4),
    ("TRACE_STATE", 5),
    ("RESOURCE_SCHEMA_URL", 10),
    ("SCOPE_SCHEMA_URL", 11),
    ("SCOPE_NAME", 12),
    ("SCOPE_VERSION", 13),
];
const SPAN_KINDS: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("INTERNAL", 1),
    ("SERVER", 2),
    ("CLIENT", 3),
    ("PRODUCER", 4),
    ("CONSUMER", 5),
];
const SPAN_STATUSES: &[(&str, i32)] = &[("UNSPECIFIED", 0), ("UNSET", 0), ("OK", 1), ("ERROR", 2)];
const SAMPLING_MODES: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("HASH_SEED", 1),
    ("PROPORTIONAL", 2),
    ("EQUALIZING", 3),
];
const EXTENSION_MODES: &[(&str, i32)] = &[
    ("UNSPECIFIED", 0),
    ("KEPT", 1),
    ("DROPPED", 2),
    ("UNMATCHED", 3),
    ("MATCHED", 4),
    ("ALL", 5),
];

fn log_field(v: &Value, what: &str) -> R<i32> {
    parse_enum(v, what, "LOG_FIELD_", LOG_FIELDS)
}

/// Attribute path: a string (one segment), an array, or `{path: [...]}`.
fn attr_path(v: &Value, what: &str) -> R<pb::AttributePath> {
    let seg = |v: &Value| -> R<String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(format!("{what}: path segments must be strings")),
        }
    };
    match v {
        Value::String(s) => Ok(pb::AttributePath {
            path: vec![s.clone()],
        }),
        Value::Array(a) => Ok(pb::AttributePath {
            path: a.iter().map(seg).collect::<R<_>>()?,
        }),
        Value::Object(_) => {
            let o = Obj::new(v, what)?;
            o.warn_unknown(&["path"], what);
            match o.get("path") {
                None => Ok(pb::AttributePath::default()),
                Some(Value::Array(a)) => Ok(pb::AttributePath {
                    path: a.iter().map(seg).collect::<R<_>>()?,
                }),
                Some(Value::String(s)) => Ok(pb::AttributePath {
                    path: vec![s.clone()],
                }),
                Some(_) => Err(format!("{what}: `path` must be an array of strings")),
            }
        }
        _ => Err(format!("{what}: expected an attribute path")),
    }
}

/// A typed `Value` literal (shorthand or canonical).
fn typed_value(v: &Value, what: &str) -> R<pb::Value> {
    use pb::value::Value as V;
    let value = match v {
        Value::Bool(b) => Some(V::BoolValue(*b)),
        Value::Number(n) => Some(if let Some(i) = n.as_i64() {
            V::IntValue(i)
        } else if n.is_u64() {
            return Err(format!("{what}: integer out of range"));
        } else {
            V::DoubleValue(n.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(s) => Some(V::StringValue(s.clone())),
        Value::Object(_) => {
            let o = Obj::new(v, what)?;
            let keys = [
                "bool_value",
                "int_value",
                "double_value",
                "bytes_value",
                "hex_value",
                "string_value",
            ];
            o.warn_unknown(&keys, what);
            let present = o.present(&keys);
            if present.len() > 1 {
                return Err(format!("{what}: more than one value set"));
            }
            match present.first() {
                None => None,
                Some((k, v)) => Some(match *k {
                    "bool_value" => V::BoolValue(as_bool(v, what)?),
                    "int_value" => V::IntValue(as_i64(v, what)?),
                    "double_value" => V::DoubleValue(as_f64(v, what)?),
                    "bytes_value" => V::BytesValue(
                        base64::engine::general_purpose::STANDARD
                            .decode(as_str(v, what)?.trim())
                            .map_err(|e| format!("{what}: invalid base64: {e}"))?,
                    ),
                    "hex_value" => V::HexValue(as_str(v, what)?.to_owned()),
                    _ => V::StringValue(as_str(v, what)?.to_owned()),
                }),
            }
        }
        _ => return Err(format!("{what}: expected a value")),
    };
    Ok(pb::Value { value })
}

/// A `NumericValue` literal (shorthand or canonical); bools and strings are
/// parse errors.
fn numeric_value(v: &Value, what: &str) -> R<pb::NumericValue> {
    use pb::numeric_value::Value as N;
    let value = match v {
        Value::Number(n) => Some(if let Some(i) = n.as_i64() {
            N::IntValue(i)
        } else if n.is_u64() {
            return Err(format!("{what}: integer out of range"));
        } else {
            N::DoubleValue(n.as_f64().unwrap_or(f64::NAN))
        }),
        Value::Object(_) => {
            let o = Obj::new(v, what)?;
            let keys = ["int_value", "double_value"];
            o.warn_unknown(&keys, what);
            let present = o.present(&keys);
            if present.len() > 1 {
                return Err(format!("{what}: more than one value set"));
            }
            match present.first() {
                None => None,
                Some(("int_value", v)) => Some(N::IntValue(as_i64(v, what)?)),
                Some((_, v)) => Some(N::DoubleValue(as_f64(v, what)?)),
            }
        }
        _ => return Err(format!("{what}: expected a number")),
    };
    Ok(pb::NumericValue { value })
}

/// The generic, signal-independent match condition of a matcher.
enum Cond {
    Exact(String),
    Regex(String),
    Exists(bool),
    StartsWith(String),
    EndsWith(String),
    Contains(String),
    Equals(pb::Value),
    Gt(pb::NumericValue),
    Gte(pb::NumericValue),
    Lt(pb::NumericValue),
    Lte(pb::NumericValue),
}

const COND_KEYS: &[&str] = &[
    "exact",
    "regex",
    "exists",
    "starts_with",
    "ends_with",
    "contains",
    "equals",
    "gt",
    "gte",
    "lt",
    "lte",
];

/// A matcher object split into selector key/value, condition and flags.
struct RawMatcher<'a> {
    selector: Option<(&'static str, &'a Value)>,
    cond: Option<Cond>,
    negate: bool,
    case_insensitive: bool,
}

fn raw_matcher<'a>(v: &'a Value, selectors: &[&'static str], what: &str) -> R<RawMatcher<'a>> {
    let o = Obj::new(v, what)?;
    let mut known: Vec<&str> = selectors.to_vec();
    known.extend_from_slice(COND_KEYS);
    known.extend_from_slice(&["negate", "case_insensitive"]);
    o.warn_unknown(&known, what);
    let sels = o.present(selectors);
    if sels.len() > 1 {
        return Err(format!("{what}: more than one field selector"));
    }
    let conds = o.present(COND_KEYS);
    if conds.len() > 1 {
        return Err(format!("{what}: more than one match condition"));
    }
    let cond = match conds.first() {
        None => None,
        Some((k, v)) => {
            let s = || as_str(v, &format!("{what}: {k}")).map(str::to_owned);
            let w = format!("{what}: {k}");
            Some(match *k {
                "exact" => Cond::Exact(s()?),
                "regex" => Cond::Regex(s()?),
                "exists" => Cond::Exists(as_bool(v, &w)?),
                "starts_with" => Cond::StartsWith(s()?),
                "ends_with" => Cond::EndsWith(s()?),
                "contains" => Cond::Contains(s()?),
                "equals" => Cond::Equals(typed_value(v, &w)?),
                "gt" => Cond::Gt(numeric_value(v, &w)?),
                "gte" => Cond::Gte(numeric_value(v, &w)?),
                "lt" => Cond::Lt(numeric_value(v, &w)?),
                _ => Cond::Lte(numeric_value(v, &w)?),
            })
        }
    };
    Ok(RawMatcher {
        selector: sels.first().copied(),
        cond,
        negate: opt_bool(&o, "negate")?,
        case_insensitive: opt_bool(&o, "case_insensitive")?,
    })
}

macro_rules! cond_into {
    ($m:ident, $c:expr) => {
        $c.map(|c| match c {
            #[allow(deprecated)]
            Cond::Exact(s) => $m::Match::Exact(s),
            Cond::Regex(s) => $m::Match::Regex(s),
            Cond::Exists(b) => $m::Match::Exists(b),
            Cond::StartsWith(s) => $m::Match::StartsWith(s),
            Cond::EndsWith(s) => $m::Match::EndsWith(s),
            Cond::Contains(s) => $m::Match::Contains(s),
            Cond::Equals(v) => $m::Match::Equals(v),
            Cond::Gt(v) => $m::Match::Gt(v),
            Cond::Gte(v) => $m::Match::Gte(v),
            Cond::Lt(v) => $m::Match::Lt(v),
            Cond::Lte(v) => $m::Match::Lte(v),
        })
    };
}

const LOG_SELECTORS: &[&str] = &[
    "log_field",
    "log_attribute",
    "resource_attribute",
    "scope_attribute",
];

fn log_matcher(v: &Value, what: &str) -> R<pb::LogMatcher> {
    use pb::log_matcher as m;
    let raw = raw_matcher(v, LOG_SELECTORS, what)?;
    let field = match raw.selector {
        None => None,
        Some((k, v)) => {
            let w = format!("{what}: {k}");
            Some(match k {
                "log_field" => m::Field::LogField(log_field(v, &w)?),
                "log_attribute" => m::Field::LogAttribute(attr_path(v, &w)?),
                "resource_attribute" => m::Field::ResourceAttribute(attr_path(v, &w)?),
                _ => m::Field::ScopeAttribute(attr_path(v, &w)?),
            })
        }
    };
    Ok(pb::LogMatcher {
        field,
        r#match: cond_into!(m, raw.cond),
        negate: raw.negate,
        case_insensitive: raw.case_insensitive,
    })
}

const METRIC_SELECTORS: &[&str] = &[
    "metric_field",
    "datapoint_attribute",
    "resource_attribute",
    "scope_attribute",
    "metric_type",
    "aggregation_temporality",
];

fn metric_matcher(v: &Value, what: &str) -> R<pb::MetricMatcher> {
    use pb::metric_matcher as m;
    let raw = raw_matcher(v, METRIC_SELECTORS, what)?;
    let field = match raw.selector {
        None => None,
        Some((k, v)) => {
            let w = format!("{what}: {k}");
            Some(match k {
                "metric_field" => {
                    m::Field::MetricField(parse_enum(v, &w, "METRIC_FIELD_", METRIC_FIELDS)?)
                }
                "datapoint_attribute" => m::Field::DatapointAttribute(attr_path(v, &w)?),
                "resource_attribute" => m::Field::ResourceAttribute(attr_path(v, &w)?),
                "scope_attribute" => m::Field::ScopeAttribute(attr_path(v, &w)?),
                "metric_type" => {
                    m::Field::MetricType(parse_enum(v, &w, "METRIC_TYPE_", METRIC_TYPES)?)
                }
                _ => m::Field::AggregationTemporality(parse_enum(
                    v,
                    &w,
                    "AGGREGATION_TEMPORALITY_",
                    TEMPORALITIES,
                )?),
            })
        }
    };
    Ok(pb::MetricMatcher {
        field,
        r#match: cond_into!(m, raw.cond),
        negate: raw.negate,
        case_insensitive: raw.case_insensitive,
    })
}

const TRACE_SELECTORS: &[&str] = &[
    "trace_field",
    "span_attribute",
    "resource_attribute",
    "scope_attribute",
    "span_kind",
    "span_status",
    "event_name",
    "event_attribute",
    "link_trace_id",
];

fn trace_matcher(v: &Value, what: &str) -> R<pb::TraceMatcher> {
    use pb::trace_matcher as m;
    let raw = raw_matcher(v, TRACE_SELECTORS, what)?;
    let field = match raw.selector {
        None => None,
        Some((k, v)) => {
            let w = format!("{what}: {k}");
            Some(match k {
                "trace_field" => {
                    m::Field::TraceField(parse_enum(v, &w, "TRACE_FIELD_", TRACE_FIELDS)?)
                }
                "span_attribute" => m::Field::SpanAttribute(attr_path(v, &w)?),
                "resource_attribute" => m::Field::ResourceAttribute(attr_path(v, &w)?),
                "scope_attribute" => m::Field::ScopeAttribute(attr_path(v, &w)?),
                "span_kind" => m::Field::SpanKind(parse_enum(v, &w, "SPAN_KIND_", SPAN_KINDS)?),
                "span_status" => {
                    m::Field::SpanStatus(parse_enum(v, &w, "SPAN_STATUS_CODE_", SPAN_STATUSES)?)
                }
                "event_name" => m::Field::EventName(as_str(v, &w)?.to_owned()),
                "event_attribute" => m::Field::EventAttribute(attr_path(v, &w)?),
                _ => m::Field::LinkTraceId(as_str(v, &w)?.to_owned()),
            })
        }
    };
    Ok(pb::TraceMatcher {
        field,
        r#match: cond_into!(m, raw.cond),
        negate: raw.negate,
        case_insensitive: raw.case_insensitive,
    })
}

fn list<'a>(v: Option<&'a Value>, what: &str) -> R<&'a [Value]> {
    match v {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("{what}: expected a list")),
    }
}

/// Parse the log selector (`log_field` etc., optionally with a `from_` prefix)
/// of a transform or sample key. Returns the selector kind index and value.
fn log_selector<'a>(o: &Obj<'a>, prefix: &str, what: &str) -> R<Option<(usize, &'a Value)>> {
    let mut found = None;
    for (i, k) in LOG_SELECTORS.iter().enumerate() {
        let key = format!("{prefix}{k}");
        if let Some(v) = o.get(&key) {
            if found.is_some() {
                return Err(format!("{what}: more than one field selector"));
            }
            found = Some((i, v));
        }
    }
    Ok(found)
}

macro_rules! log_sel_into {
    ($($m:ident)::+, $sel:expr, $w:expr, $lf:ident, $la:ident, $ra:ident, $sa:ident) => {{
        use $($m)::+ as m;
        match $sel {
            None => None,
            Some((0, v)) => Some(m::$lf(log_field(v, $w)?)),
            Some((1, v)) => Some(m::$la(attr_path(v, $w)?)),
            Some((2, v)) => Some(m::$ra(attr_path(v, $w)?)),
            Some((_, v)) => Some(m::$sa(attr_path(v, $w)?)),
        }
    }};
}

fn string_like(v: &Value, what: &str) -> R<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!("{what}: expected a string")),
    }
}

fn log_transform(v: &Value, what: &str) -> R<pb::LogTransform> {
    let o = Obj::new(v, what)?;
    o.warn_unknown(&["remove", "redact", "rename", "add"], what);
    let mut t = pb::LogTransform::default();
    for (j, e) in list(o.get("remove"), "remove")?.iter().enumerate() {
        let w = format!("{what}: remove[{j}]");
        let eo = Obj::new(e, &w)?;
        let sel = log_selector(&eo, "", &w)?;
        t.remove.push(pb::LogRemove {
            field: log_sel_into!(
                pb::log_remove::Field,
                sel,
                &w,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            ),
        });
    }
    for (j, e) in list(o.get("redact"), "redact")?.iter().enumerate() {
        let w = format!("{what}: redact[{j}]");
        let eo = Obj::new(e, &w)?;
        let sel = log_selector(&eo, "", &w)?;
        let replacement = match eo.get("replacement") {
            Some(v) => string_like(v, &w)?,
            None => "[REDACTED]".to_owned(),
        };
        let regex = eo
            .get("regex")
            .map(|v| as_str(v, &w).map(str::to_owned))
            .transpose()?;
        t.redact.push(pb::LogRedact {
            field: log_sel_into!(
                pb::log_redact::Field,
                sel,
                &w,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            ),
            replacement,
            regex,
        });
    }
    for (j, e) in list(o.get("rename"), "rename")?.iter().enumerate() {
        let w = format!("{what}: rename[{j}]");
        let eo = Obj::new(e, &w)?;
        let sel = log_selector(&eo, "from_", &w)?;
        let to = eo
            .get("to")
            .map(|v| as_str(v, &w).map(str::to_owned))
            .transpose()?;
        t.rename.push(pb::LogRename {
            from: log_sel_into!(
                pb::log_rename::From,
                sel,
                &w,
                FromLogField,
                FromLogAttribute,
                FromResourceAttribute,
                FromScopeAttribute
            ),
            to: to.unwrap_or_default(),
            upsert: opt_bool(&eo, "upsert")?,
        });
    }
    for (j, e) in list(o.get("add"), "add")?.iter().enumerate() {
        let w = format!("{what}: add[{j}]");
        let eo = Obj::new(e, &w)?;
        let sel = log_selector(&eo, "", &w)?;
        let value = eo
            .get("value")
            .map(|v| string_like(v, &w))
            .transpose()?
            .unwrap_or_default();
        t.add.push(pb::LogAdd {
            field: log_sel_into!(
                pb::log_add::Field,
                sel,
                &w,
                LogField,
                LogAttribute,
                ResourceAttribute,
                ScopeAttribute
            ),
            value,
            upsert: opt_bool(&eo, "upsert")?,
        });
    }
    Ok(t)
}

fn log_target(v: &Value) -> R<pb::LogTarget> {
    let o = Obj::new(v, "log")?;
    o.warn_unknown(&["match", "keep", "transform", "sample_key"], "log");
    let r#match = list(o.get("match"), "log: match")?
        .iter()
        .enumerate()
        .map(|(i, m)| log_matcher(m, &format!("log: match[{i}]")))
        .collect::<R<Vec<_>>>()?;
    let keep = match o.get("keep") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("log: keep: expected a string".into()),
    };
    let transform = o
        .get("transform")
        .map(|t| log_transform(t, "log: transform"))
        .transpose()?;
    let sample_key = match o.get("sample_key") {
        None => None,
        Some(v) => {
            let w = "log: sample_key";
            let so = Obj::new(v, w)?;
            so.warn_unknown(LOG_SELECTORS, w);
            let sel = log_selector(&so, "", w)?;
            Some(pb::LogSampleKey {
                field: log_sel_into!(
                    pb::log_sample_key::Field,
                    sel,
                    w,
                    LogField,
                    LogAttribute,
                    ResourceAttribute,
                    ScopeAttribute
                ),
            })
        }
    };
    Ok(pb::LogTarget {
        r#match,
        keep,
        transform,
        sample_key,
    })
}

fn metric_target(v: &Value) -> R<pb::MetricTarget> {
    let o = Obj::new(v, "metric")?;
    o.warn_unknown(&["match", "keep"], "metric");
    let r#match = list(o.get("match"), "metric: match")?
        .iter()
        .enumerate()
        .map(|(i, m)| metric_matcher(m, &format!("metric: match[{i}]")))
        .collect::<R<Vec<_>>>()?;
    let keep = match o.get("keep") {
        None => return Err("metric: keep: required boolean is missing".into()),
        Some(v) => as_bool(v, "metric: keep")?,
    };
    Ok(pb::MetricTarget { r#match, keep })
}

fn trace_target(v: &Value) -> R<pb::TraceTarget> {
    let o = Obj::new(v, "trace")?;
    o.warn_unknown(&["match", "keep"], "trace");
    let r#match = list(o.get("match"), "trace: match")?
        .iter()
        .enumerate()
        .map(|(i, m)| trace_matcher(m, &format!("trace: match[{i}]")))
        .collect::<R<Vec<_>>>()?;
    let keep = match o.get("keep") {
        None => None,
        Some(k) => {
            let w = "trace: keep";
            let ko = Obj::new(k, w)?;
            ko.warn_unknown(
                &[
                    "percentage",
                    "mode",
                    "sampling_precision",
                    "hash_seed",
                    "fail_closed",
                ],
                w,
            );
            let percentage = match ko.get("percentage") {
                Some(p) => as_f64(p, "trace: keep: percentage")? as f32,
                None => return Err("trace: keep: percentage is required".into()),
            };
            let u32_of = |key: &str| -> R<Option<u32>> {
                ko.get(key)
                    .map(|v| {
                        let w = format!("trace: keep: {key}");
                        as_u64(v, &w)
                            .and_then(|n| u32::try_from(n).map_err(|_| format!("{w}: too large")))
                    })
                    .transpose()
            };
            Some(pb::TraceSamplingConfig {
                percentage,
                mode: ko
                    .get("mode")
                    .map(|v| parse_enum(v, "trace: keep: mode", "SAMPLING_MODE_", SAMPLING_MODES))
                    .transpose()?,
                sampling_precision: u32_of("sampling_precision")?,
                hash_seed: u32_of("hash_seed")?,
                fail_closed: ko
                    .get("fail_closed")
                    .map(|v| as_bool(v, "trace: keep: fail_closed"))
                    .transpose()?,
            })
        }
    };
    Ok(pb::TraceTarget { r#match, keep })
}

fn any_value(v: &Value, what: &str) -> R<otel::AnyValue> {
    use otel::any_value::Value as A;
    let value = match v {
        Value::Null => None,
        Value::Bool(b) => Some(A::BoolValue(*b)),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => A::IntValue(i),
            None => A::DoubleValue(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Some(A::StringValue(s.clone())),
        Value::Array(a) => Some(A::ArrayValue(otel::ArrayValue {
            values: a.iter().map(|e| any_value(e, what)).collect::<R<_>>()?,
        })),
        Value::Object(m) => {
            // Canonical OTLP AnyValue, or a plain map.
            let o = Obj::new(v, what)?;
            if m.len() == 1 {
                let (k, inner) = &o.entries[0];
                match &**k {
                    "string_value" => Some(A::StringValue(as_str(inner, what)?.to_owned())),
                    "bool_value" => Some(A::BoolValue(as_bool(inner, what)?)),
                    "int_value" => Some(A::IntValue(as_i64(inner, what)?)),
                    "double_value" => Some(A::DoubleValue(as_f64(inner, what)?)),
                    "bytes_value" => Some(A::BytesValue(
                        base64::engine::general_purpose::STANDARD
                            .decode(as_str(inner, what)?)
                            .map_err(|e| format!("{what}: invalid base64: {e}"))?,
                    )),
                    "array_value" => {
                        let io = Obj::new(inner, what)?;
                        Some(A::ArrayValue(otel::ArrayValue {
                            values: list(io.get("values"), what)?
                                .iter()
                                .map(|e| any_value(e, what))
                                .collect::<R<_>>()?,
                        }))
                    }
                    "kvlist_value" => {
                        let io = Obj::new(inner, what)?;
                        Some(A::KvlistValue(otel::KeyValueList {
                            values: key_values(io.get("values"), what)?,
                        }))
                    }
                    _ => Some(A::KvlistValue(plain_map(m, what)?)),
                }
            } else {
                Some(A::KvlistValue(plain_map(m, what)?))
            }
        }
    };
    Ok(otel::AnyValue { value })
}

fn plain_map(m: &Map<String, Value>, what: &str) -> R<otel::KeyValueList> {
    Ok(otel::KeyValueList {
        values: m
            .iter()
            .map(|(k, v)| {
                Ok(otel::KeyValue {
                    key: k.clone(),
                    value: Some(any_value(v, what)?),
                })
            })
            .collect::<R<_>>()?,
    })
}

/// Labels: an OTLP `KeyValue` list, or (authoring convenience) a plain map.
fn key_values(v: Option<&Value>, what: &str) -> R<Vec<otel::KeyValue>> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Object(m)) => Ok(plain_map(m, what)?.values),
        Some(Value::Array(a)) => a
            .iter()
            .map(|e| {
                let o = Obj::new(e, what)?;
                let key = as_str(
                    o.get("key").ok_or_else(|| format!("{what}: missing key"))?,
                    what,
                )?;
                Ok(otel::KeyValue {
                    key: key.to_owned(),
                    value: o.get("value").map(|v| any_value(v, what)).transpose()?,
                })
            })
            .collect(),
        Some(_) => Err(format!("{what}: expected a list of key/values")),
    }
}

fn extension(v: &Value, what: &str) -> R<pb::Extension> {
    let o = Obj::new(v, what)?;
    o.warn_unknown(&["type", "version", "config", "mode"], what);
    let config = match o.get("config") {
        None => Vec::new(),
        // protojson bytes are base64; fall back to the raw text.
        Some(Value::String(s)) => base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .unwrap_or_else(|_| s.as_bytes().to_vec()),
        // An authoring object: hand the handler compact JSON.
        Some(other) => serde_json::to_vec(other).map_err(|e| format!("{what}: config: {e}"))?,
    };
    Ok(pb::Extension {
        r#type: o
            .get("type")
            .map(|v| as_str(v, what).map(str::to_owned))
            .transpose()?
            .unwrap_or_default(),
        version: o
            .get("version")
            .map(|v| string_like(v, what))
            .transpose()?
            .unwrap_or_default(),
        config,
        mode: o
            .get("mode")
            .map(|v| {
                parse_enum(
                    v,
                    &format!("{what}: mode"),
                    "EXTENSION_MODE_",
                    EXTENSION_MODES,
                )
            })
            .transpose()?
            .unwrap_or(0),
    })
}

/// Parse one policy object (any text dialect) into the protobuf model.
/// `enabled` defaults to `true` when absent.
pub fn parse_policy(v: &Value) -> Result<pb::Policy, String> {
    let o = Obj::new(v, "policy")?;
    o.warn_unknown(
        &[
            "id",
            "name",
            "description",
            "enabled",
            "created_at_unix_nano",
            "modified_at_unix_nano",
            "labels",
            "log",
            "metric",
            "trace",
            "extensions",
        ],
        "policy",
    );
    let id = match o.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) | None => return Err("missing id".into()),
        Some(_) => return Err("id: expected a string".into()),
    };
    let text = |k: &str| -> R<String> {
        o.get(k)
            .map(|v| as_str(v, k).map(str::to_owned))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let targets = o.present(&["log", "metric", "trace"]);
    let target = match targets.as_slice() {
        [] => return Err("no target (log, metric or trace)".into()),
        [(k, v)] => match *k {
            "log" => pb::policy::Target::Log(log_target(v)?),
            "metric" => pb::policy::Target::Metric(metric_target(v)?),
            _ => pb::policy::Target::Trace(trace_target(v)?),
        },
        _ => return Err("more than one target".into()),
    };
    let ts = |k: &str| -> R<u64> {
        o.get(k)
            .map(|v| as_u64(v, k))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    Ok(pb::Policy {
        id,
        name: text("name")?,
        description: text("description")?,
        enabled: match o.get("enabled") {
            None => true,
            Some(v) => as_bool(v, "enabled")?,
        },
        created_at_unix_nano: ts("created_at_unix_nano")?,
        modified_at_unix_nano: ts("modified_at_unix_nano")?,
        labels: key_values(o.get("labels"), "labels")?,
        target: Some(target),
        extensions: list(o.get("extensions"), "extensions")?
            .iter()
            .enumerate()
            .map(|(i, e)| extension(e, &format!("extensions[{i}]")))
            .collect::<R<_>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(v: Value) -> pb::Policy {
        parse_policy(&v).expect("parses")
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let doc = r#"{"policies":[
            {"id":"typo","log":{"match":[{"log_field":"body","regx":"a+"}],"keep":"none"}},
            {"id":"ok","log":{"match":[{"log_field":"body","exists":true}],"keep":"none","future_key":1}},
            {"id":"k","log":{"match":[{"log_field":"body","exact":"x"}],"kep":"none"}}
        ]}"#;
        let parsed = parse_document(doc, Format::Json).unwrap();
        let seen: Vec<_> = parsed
            .unknown_keys
            .iter()
            .map(|k| {
                (
                    k.index,
                    k.id.as_deref(),
                    k.key.as_str(),
                    k.did_you_mean.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, Some("typo"), "regx", Some("regex")),
                (1, Some("ok"), "future_key", None),
                (2, Some("k"), "kep", Some("keep")),
            ]
        );
        assert!(parsed.unknown_keys[0].section.contains("match[0]"));
        // A second parse on the same thread starts clean.
        let again = parse_document(r#"{"policies":[]}"#, Format::Json).unwrap();
        assert!(again.unknown_keys.is_empty());
        // YAML documents number their policies across documents.
        let yaml = "policies:\n  - id: a\n    log: {match: [{log_field: body, exists: true}]}\n---\npolicies:\n  - id: b\n    log: {match: [{log_field: body, exists: true}], kepp: none}\n";
        let parsed = parse_document(yaml, Format::Yaml).unwrap();
        assert_eq!(parsed.unknown_keys.len(), 1);
        assert_eq!(parsed.unknown_keys[0].index, 1);
        assert_eq!(parsed.unknown_keys[0].did_you_mean.as_deref(), Some("keep"));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("regex", "regex"), 0);
        assert_eq!(edit_distance("regx", "regex"), 1);
        assert_eq!(edit_distance("exsits", "exists"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("lof_field", &["log_field", "log_attribute"]).as_deref(),
            Some("log_field")
        );
        assert_eq!(closest("zzz", &["keep"]), None);
    }

    #[test]
    fn camel_and_snake_keys_are_equivalent() {
        let a = one(
            json!({"id":"a","name":"a","log":{"match":[{"log_field":"body","starts_with":"x","case_insensitive":true}],"keep":"none"}}),
        );
        let b = one(
            json!({"id":"a","name":"a","log":{"match":[{"logField":"LOG_FIELD_BODY","startsWith":"x","caseInsensitive":true}],"keep":"none"}}),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn enum_numbers_and_aliases() {
        let p = one(json!({"id":"t","trace":{"match":[
            {"span_status":"SPAN_STATUS_CODE_UNSET"},{"span_kind":"server"},{"span_kind":3},{"trace_field":"trace_id"}],
            "keep":{"percentage":50,"mode":"equalizing"}}}));
        let Some(pb::policy::Target::Trace(t)) = p.target else {
            panic!()
        };
        use pb::trace_matcher::Field as F;
        assert_eq!(t.r#match[0].field, Some(F::SpanStatus(0)));
        assert_eq!(t.r#match[1].field, Some(F::SpanKind(2)));
        assert_eq!(t.r#match[2].field, Some(F::SpanKind(3)));
        assert_eq!(t.r#match[3].field, Some(F::TraceField(2)));
        assert_eq!(t.keep.unwrap().mode, Some(3));
    }

    #[test]
    fn attribute_path_forms() {
        let p = one(json!({"id":"p","log":{"match":[
            {"log_attribute":"a.b","exists":true},
            {"log_attribute":["a","b"],"exists":true},
            {"logAttribute":{"path":["c"]},"exists":true},
            {"log_attribute":{},"exists":true}]}}));
        let Some(pb::policy::Target::Log(t)) = p.target else {
            panic!()
        };
        let paths: Vec<Vec<String>> = t
            .r#match
            .iter()
            .map(|m| match &m.field {
                Some(pb::log_matcher::Field::LogAttribute(p)) => p.path.clone(),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            paths,
            vec![vec!["a.b"], vec!["a", "b"], vec!["c"], vec![]] as Vec<Vec<&str>>
        );
    }

    #[test]
    fn typed_value_shorthands() {
        use pb::value::Value as V;
        assert_eq!(
            typed_value(&json!(true), "x").unwrap().value,
            Some(V::BoolValue(true))
        );
        assert_eq!(
            typed_value(&json!(200), "x").unwrap().value,
            Some(V::IntValue(200))
        );
        assert_eq!(
            typed_value(&json!(1.0), "x").unwrap().value,
            Some(V::DoubleValue(1.0))
        );
        assert_eq!(
            typed_value(&json!("200"), "x").unwrap().value,
            Some(V::StringValue("200".into()))
        );
        assert_eq!(
            typed_value(&json!({"intValue":"7"}), "x").unwrap().value,
            Some(V::IntValue(7))
        );
        assert_eq!(
            typed_value(&json!({"bytes_value":"q83v"}), "x")
                .unwrap()
                .value,
            Some(V::BytesValue(vec![0xab, 0xcd, 0xef]))
        );
        assert_eq!(typed_value(&json!({}), "x").unwrap().value, None);
        assert!(numeric_value(&json!(true), "x").is_err());
        assert!(numeric_value(&json!("3"), "x").is_err());
    }

    #[test]
    fn bad_entry_does_not_discard_neighbours() {
        let doc = json!({"policies":[
            {"id":"ok","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}},
            {"id":"two-targets","log":{"match":[]},"metric":{"match":[],"keep":true}},
            {"id":"bad-keep","log":{"match":[],"keep":50}},
            {"name":"no id","log":{"match":[]}},
            {"id":"two-conds","log":{"match":[{"log_field":"body","exists":true,"regex":"x"}]}}
        ]});
        let r = parse_envelope(&doc).unwrap();
        assert_eq!(r.policies.len(), 1);
        assert_eq!(r.errors.len(), 4);
        assert_eq!(r.errors[0].id.as_deref(), Some("two-targets"));
        assert_eq!(r.errors[2].id, None);
    }

    #[test]
    fn envelope_errors() {
        assert!(matches!(
            parse_document("{", Format::Json),
            Err(FileError::Json(_))
        ));
        assert!(matches!(
            parse_document("{\"policies\": 3}", Format::Json),
            Err(FileError::Envelope(_))
        ));
        assert!(parse_document("[]", Format::Json)
            .unwrap()
            .policies
            .is_empty());
    }

    #[test]
    fn yaml_documents_and_defaults() {
        let text = r#"
id: a
name: a
log:
  match:
    - log_field: severity_text
      regex: ^DEBUG$
  keep: 50%
  transform:
    redact:
      - log_attribute: card
    add:
      - log_attribute: flag
        value: true
---
id: m
metric:
  match:
    - metric_type: gauge
  keep: false
extensions:
  - type: com.example/archive
    version: 2.1.0
    mode: dropped
    config:
      destination: { kind: s3, name: cold }
"#;
        let r = parse_document(text, Format::Yaml).unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.policies.len(), 2);
        assert!(r.policies[0].enabled);
        let Some(pb::policy::Target::Log(l)) = &r.policies[0].target else {
            panic!()
        };
        assert_eq!(l.keep, "50%");
        let t = l.transform.as_ref().unwrap();
        assert_eq!(t.redact[0].replacement, "[REDACTED]");
        assert_eq!(t.add[0].value, "true");
        let ext = &r.policies[1].extensions[0];
        assert_eq!(ext.mode, 2);
        assert_eq!(
            ext.config,
            br#"{"destination":{"kind":"s3","name":"cold"}}"#.to_vec()
        );
    }

    #[test]
    fn protobuf_sync_response() {
        let resp = pb::SyncResponse {
            policies: vec![pb::Policy {
                id: "x".into(),
                enabled: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        let back = parse_sync_response_protobuf(&resp.encode_to_vec()).unwrap();
        assert_eq!(back.policies[0].id, "x");
    }
}
