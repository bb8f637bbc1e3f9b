//! A streaming OTLP/JSON validator and record counter, used when no policy
//! can touch the records: the body is parsed once by `serde_json` without
//! building a tree, every known field is checked as the `json` module's
//! normaliser checks it, and the body is forwarded as received.
//!
//! It never accepts a body that [`super::json::decode`] refuses, and counts
//! the same records:
//!
//! * every value goes through `serde_json`'s `deserialize_any`, as parsing a
//!   `Value` does, so lexing, UTF-8, escapes, numbers and the recursion
//!   limit are the same parser's;
//! * scalars are checked by the same function (`json::check_value`), field
//!   names and their snake_case and legacy spellings follow
//!   `json::canonical_key` (a test pins the tables to `json::snake_case`);
//! * anything it is not sure of is refused: a known field given twice in one
//!   object (the tree keeps the last one) and serde_json's private raw-value
//!   key. A refusal only means "ask the full decoder", which then gives the
//!   400 and its reason, or accepts.
//!
//! The differential tests and the `otlp_scan` fuzz target compare it with
//! the full decoder.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::json::{check_base64, check_value, Kind, Scalar, MAX_ANY_DEPTH, MAX_EXACT_DOUBLE};
use super::Signal;

/// What a known field holds.
#[derive(Clone, Copy)]
enum J {
    /// A scalar (or a list of scalars); null allowed.
    Scalar(Kind),
    /// A message object; null allowed.
    Obj(&'static Obj),
    /// A message object one `AnyValue` level deeper; null allowed.
    Deeper(&'static Obj),
    /// An array of message objects; null allowed.
    Objs(&'static Obj),
    /// The request's records: an array of message objects, counted.
    Records(&'static Obj),
    /// An array of `KeyValue` objects; null allowed.
    KeyValues,
    /// An `AnyValue` (log body, `KeyValue.value`); null allowed at any depth.
    Value,
    /// An array of `AnyValue`s one level deeper (`arrayValue.values`).
    AnyValues,
    /// A base64 `bytesValue`.
    Bytes,
}

/// A field with its accepted names (canonical first).
struct Field {
    names: &'static [&'static str],
    kind: J,
}

/// A message type: its known fields (at most 64).
struct Obj {
    fields: &'static [Field],
}

const fn f(names: &'static [&'static str], kind: J) -> Field {
    Field { names, kind }
}

const STR: J = J::Scalar(Kind::Str);
const I32: J = J::Scalar(Kind::Int32);
const U64: J = J::Scalar(Kind::Uint64);
const I64: J = J::Scalar(Kind::Int64);
const DBL: J = J::Scalar(Kind::Double);
const ENUM: J = J::Scalar(Kind::Enum);
const BOOL: J = J::Scalar(Kind::Bool);
const TRACE_ID: J = J::Scalar(Kind::Id(16));
const SPAN_ID: J = J::Scalar(Kind::Id(8));

const ATTRIBUTES: Field = f(&["attributes"], J::KeyValues);
const DROPPED_ATTRIBUTES: Field = f(&["droppedAttributesCount", "dropped_attributes_count"], I32);
const SCHEMA_URL: Field = f(&["schemaUrl", "schema_url"], STR);
const RESOURCE_FIELD: Field = f(&["resource"], J::Obj(&RESOURCE));
const SCOPE_FIELD: Field = f(
    &["scope", "instrumentationLibrary", "instrumentation_library"],
    J::Obj(&SCOPE),
);

static ANY_VALUE: Obj = Obj {
    fields: &[
        f(&["stringValue", "string_value"], STR),
        f(&["boolValue", "bool_value"], BOOL),
        f(&["intValue", "int_value"], I64),
        f(&["doubleValue", "double_value"], DBL),
        f(&["bytesValue", "bytes_value"], J::Bytes),
        f(&["arrayValue", "array_value"], J::Deeper(&ARRAY_VALUE)),
        f(&["kvlistValue", "kvlist_value"], J::Deeper(&KVLIST_VALUE)),
    ],
};
/// `arrayValue` (its key is matched exactly, as the normaliser does).
static ARRAY_VALUE: Obj = Obj {
    fields: &[f(&["values"], J::AnyValues)],
};
static KVLIST_VALUE: Obj = Obj {
    fields: &[f(&["values"], J::KeyValues)],
};
static KEY_VALUE: Obj = Obj {
    fields: &[f(&["key"], STR), f(&["value"], J::Value)],
};
static RESOURCE: Obj = Obj {
    fields: &[DROPPED_ATTRIBUTES, ATTRIBUTES],
};
static SCOPE: Obj = Obj {
    fields: &[
        f(&["name"], STR),
        f(&["version"], STR),
        DROPPED_ATTRIBUTES,
        ATTRIBUTES,
    ],
};

// --- logs --------------------------------------------------------------------

static LOGS_REQUEST: Obj = Obj {
    fields: &[f(
        &["resourceLogs", "resource_logs"],
        J::Objs(&RESOURCE_LOGS),
    )],
};
static RESOURCE_LOGS: Obj = Obj {
    fields: &[
        RESOURCE_FIELD,
        SCHEMA_URL,
        f(
            &[
                "scopeLogs",
                "scope_logs",
                "instrumentationLibraryLogs",
                "instrumentation_library_logs",
            ],
            J::Objs(&SCOPE_LOGS),
        ),
    ],
};
static SCOPE_LOGS: Obj = Obj {
    fields: &[
        SCOPE_FIELD,
        SCHEMA_URL,
        f(&["logRecords", "log_records"], J::Records(&LOG_RECORD)),
    ],
};
static LOG_RECORD: Obj = Obj {
    fields: &[
        f(&["timeUnixNano", "time_unix_nano"], U64),
        f(&["observedTimeUnixNano", "observed_time_unix_nano"], U64),
        f(&["severityNumber", "severity_number"], ENUM),
        f(&["severityText", "severity_text"], STR),
        DROPPED_ATTRIBUTES,
        f(&["flags"], I32),
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["eventName", "event_name"], STR),
        f(&["body"], J::Value),
        ATTRIBUTES,
    ],
};

// --- metrics -----------------------------------------------------------------

static METRICS_REQUEST: Obj = Obj {
    fields: &[f(
        &["resourceMetrics", "resource_metrics"],
        J::Objs(&RESOURCE_METRICS),
    )],
};
static RESOURCE_METRICS: Obj = Obj {
    fields: &[
        RESOURCE_FIELD,
        SCHEMA_URL,
        f(
            &[
                "scopeMetrics",
                "scope_metrics",
                "instrumentationLibraryMetrics",
                "instrumentation_library_metrics",
            ],
            J::Objs(&SCOPE_METRICS),
        ),
    ],
};
static SCOPE_METRICS: Obj = Obj {
    fields: &[
        SCOPE_FIELD,
        SCHEMA_URL,
        f(&["metrics"], J::Records(&METRIC)),
    ],
};
static METRIC: Obj = Obj {
    fields: &[
        f(&["name"], STR),
        f(&["description"], STR),
        f(&["unit"], STR),
        f(&["metadata"], J::KeyValues),
        f(&["gauge"], J::Obj(&NUMBER_SERIES)),
        f(&["sum"], J::Obj(&NUMBER_SERIES)),
        f(&["histogram"], J::Obj(&HISTOGRAM)),
        f(
            &["exponentialHistogram", "exponential_histogram"],
            J::Obj(&EXPONENTIAL_HISTOGRAM),
        ),
        f(&["summary"], J::Obj(&SUMMARY)),
    ],
};
const TEMPORALITY: Field = f(&["aggregationTemporality", "aggregation_temporality"], ENUM);
const MONOTONIC: Field = f(&["isMonotonic", "is_monotonic"], BOOL);
const fn series(points: &'static Obj) -> [Field; 3] {
    [
        TEMPORALITY,
        MONOTONIC,
        f(&["dataPoints", "data_points"], J::Objs(points)),
    ]
}
static NUMBER_SERIES: Obj = Obj {
    fields: &series(&NUMBER_POINT),
};
static HISTOGRAM: Obj = Obj {
    fields: &series(&HISTOGRAM_POINT),
};
static EXPONENTIAL_HISTOGRAM: Obj = Obj {
    fields: &series(&EXPONENTIAL_POINT),
};
static SUMMARY: Obj = Obj {
    fields: &series(&SUMMARY_POINT),
};
const START_TIME: Field = f(&["startTimeUnixNano", "start_time_unix_nano"], U64);
const TIME: Field = f(&["timeUnixNano", "time_unix_nano"], U64);
const FLAGS: Field = f(&["flags"], I32);
const COUNT: Field = f(&["count"], U64);
const EXEMPLARS: Field = f(&["exemplars"], J::Objs(&EXEMPLAR));
const SUM: Field = f(&["sum"], DBL);
const MIN: Field = f(&["min"], DBL);
const MAX: Field = f(&["max"], DBL);
const AS_DOUBLE: Field = f(&["asDouble", "as_double"], DBL);
const AS_INT: Field = f(&["asInt", "as_int"], I64);
static NUMBER_POINT: Obj = Obj {
    fields: &[
        AS_DOUBLE, AS_INT, START_TIME, TIME, FLAGS, COUNT, ATTRIBUTES, EXEMPLARS,
    ],
};
static HISTOGRAM_POINT: Obj = Obj {
    fields: &[
        SUM,
        MIN,
        MAX,
        f(
            &["bucketCounts", "bucket_counts"],
            J::Scalar(Kind::Uint64List),
        ),
        f(
            &["explicitBounds", "explicit_bounds"],
            J::Scalar(Kind::DoubleList),
        ),
        START_TIME,
        TIME,
        FLAGS,
        COUNT,
        ATTRIBUTES,
        EXEMPLARS,
    ],
};
static EXPONENTIAL_POINT: Obj = Obj {
    fields: &[
        SUM,
        MIN,
        MAX,
        f(&["scale"], I32),
        f(&["zeroCount", "zero_count"], U64),
        f(&["zeroThreshold", "zero_threshold"], DBL),
        f(&["positive"], J::Obj(&BUCKETS)),
        f(&["negative"], J::Obj(&BUCKETS)),
        START_TIME,
        TIME,
        FLAGS,
        COUNT,
        ATTRIBUTES,
        EXEMPLARS,
    ],
};
static BUCKETS: Obj = Obj {
    fields: &[
        f(&["offset"], I32),
        f(
            &["bucketCounts", "bucket_counts"],
            J::Scalar(Kind::Uint64List),
        ),
    ],
};
static SUMMARY_POINT: Obj = Obj {
    fields: &[
        SUM,
        f(&["quantileValues", "quantile_values"], J::Objs(&QUANTILE)),
        START_TIME,
        TIME,
        FLAGS,
        COUNT,
        ATTRIBUTES,
        EXEMPLARS,
    ],
};
static QUANTILE: Obj = Obj {
    fields: &[f(&["quantile"], DBL), f(&["value"], DBL)],
};
static EXEMPLAR: Obj = Obj {
    fields: &[
        TIME,
        AS_DOUBLE,
        AS_INT,
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["filteredAttributes", "filtered_attributes"], J::KeyValues),
    ],
};

// --- traces ------------------------------------------------------------------

static TRACES_REQUEST: Obj = Obj {
    fields: &[f(
        &["resourceSpans", "resource_spans"],
        J::Objs(&RESOURCE_SPANS),
    )],
};
static RESOURCE_SPANS: Obj = Obj {
    fields: &[
        RESOURCE_FIELD,
        SCHEMA_URL,
        f(
            &[
                "scopeSpans",
                "scope_spans",
                "instrumentationLibrarySpans",
                "instrumentation_library_spans",
            ],
            J::Objs(&SCOPE_SPANS),
        ),
    ],
};
static SCOPE_SPANS: Obj = Obj {
    fields: &[SCOPE_FIELD, SCHEMA_URL, f(&["spans"], J::Records(&SPAN))],
};
static SPAN: Obj = Obj {
    fields: &[
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["parentSpanId", "parent_span_id"], SPAN_ID),
        f(&["traceState", "trace_state"], STR),
        FLAGS,
        f(&["name"], STR),
        f(&["kind"], ENUM),
        START_TIME,
        f(&["endTimeUnixNano", "end_time_unix_nano"], U64),
        DROPPED_ATTRIBUTES,
        f(&["droppedEventsCount", "dropped_events_count"], I32),
        f(&["droppedLinksCount", "dropped_links_count"], I32),
        ATTRIBUTES,
        f(&["events"], J::Objs(&EVENT)),
        f(&["links"], J::Objs(&LINK)),
        f(&["status"], J::Obj(&STATUS)),
    ],
};
static EVENT: Obj = Obj {
    fields: &[TIME, f(&["name"], STR), DROPPED_ATTRIBUTES, ATTRIBUTES],
};
static LINK: Obj = Obj {
    fields: &[
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["traceState", "trace_state"], STR),
        DROPPED_ATTRIBUTES,
        FLAGS,
        ATTRIBUTES,
    ],
};
static STATUS: Obj = Obj {
    fields: &[f(&["message"], STR), f(&["code"], ENUM)],
};

// --- the walk ----------------------------------------------------------------

/// What the value being parsed must be.
#[derive(Clone, Copy)]
enum What {
    /// Anything (unknown field): parsed, not checked.
    Skip,
    /// A known field of kind `J`, at this `AnyValue` depth.
    Field(J, usize),
    /// A message object (array element): null refused.
    Message(&'static Obj, usize),
    /// An element of a scalar list: null refused.
    Item(Kind),
    /// An element of `arrayValue.values` at this depth.
    AnyValue(usize),
    /// The request object.
    Top(&'static Obj),
}

/// What the walk found so far.
#[derive(Default)]
struct State {
    /// Records counted.
    records: usize,
    /// The normaliser would rewrite something: an alias key (snake_case
    /// or legacy), a 64-bit integer given as a number beyond 2^53, an
    /// identifier with uppercase hex digits.
    rewritten: bool,
}

struct Seed<'c> {
    what: What,
    state: &'c mut State,
}

/// serde_json's private key for raw values (a `Value` parse treats an
/// object starting with it specially): refused, the full decoder decides.
const RAW_VALUE_KEY: &str = "$serde_json::private::RawValue";

fn refuse<E: serde::de::Error>() -> E {
    E::custom("not accepted by the fast path")
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn child(&mut self, what: What) -> Seed<'_> {
        Seed {
            what,
            state: self.state,
        }
    }

    fn scalar<E: serde::de::Error>(self, v: Scalar<'_>) -> Result<(), E> {
        match self.what {
            What::Skip => Ok(()),
            What::Field(J::Scalar(Kind::Uint64List | Kind::DoubleList), _) => Err(refuse()),
            What::Field(J::Scalar(kind), _) | What::Item(kind) => {
                check_value(v, kind).map_err(|_| refuse())?;
                self.state.rewritten |= rewritten(v, kind);
                Ok(())
            }
            What::Field(J::Bytes, _) => match v {
                Scalar::Str(s) => check_base64(s).map_err(|_| refuse()),
                _ => Err(refuse()),
            },
            _ => Err(refuse()),
        }
    }

    fn number<E: serde::de::Error>(self, n: Number) -> Result<(), E> {
        self.scalar(Scalar::Num(&n))
    }

    /// The fields of one object of type `obj` at `depth`.
    fn fields<'de, A: MapAccess<'de>>(
        mut self,
        obj: &'static Obj,
        depth: usize,
        mut map: A,
    ) -> Result<(), A::Error> {
        let mut seen = 0u64;
        while let Some(index) = map.next_key_seed(Key(obj))? {
            match index {
                None => map.next_value_seed(self.child(What::Skip))?,
                Some((i, alias)) => {
                    self.state.rewritten |= alias;
                    let bit = 1u64 << i;
                    if seen & bit != 0 {
                        return Err(refuse());
                    }
                    seen |= bit;
                    let kind = obj.fields[i].kind;
                    map.next_value_seed(self.child(What::Field(kind, depth)))?;
                }
            }
        }
        Ok(())
    }

    fn elements<'de, A: SeqAccess<'de>>(
        mut self,
        item: What,
        count: bool,
        mut seq: A,
    ) -> Result<(), A::Error> {
        while seq.next_element_seed(self.child(item))?.is_some() {
            if count {
                self.state.records += 1;
            }
        }
        Ok(())
    }
}

fn depth_ok<E: serde::de::Error>(depth: usize) -> Result<(), E> {
    if depth >= MAX_ANY_DEPTH {
        Err(refuse())
    } else {
        Ok(())
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an OTLP/JSON export request")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        match self.what {
            What::Skip | What::Field(..) => Ok(()),
            What::AnyValue(depth) => depth_ok(depth),
            What::Item(kind) => check_value(Scalar::Null, kind).map_err(|_| refuse()),
            What::Message(..) | What::Top(_) => Err(refuse()),
        }
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar(Scalar::Bool)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.number(Number::from(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.number(Number::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        match Number::from_f64(v) {
            Some(n) => self.number(n),
            // A `Value` holds a non-finite float as null.
            None => self.visit_unit(),
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(Scalar::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        match self.what {
            What::Skip => self.elements(What::Skip, false, seq),
            What::Field(J::Scalar(Kind::Uint64List), _) => {
                self.elements(What::Item(Kind::Uint64), false, seq)
            }
            What::Field(J::Scalar(Kind::DoubleList), _) => {
                self.elements(What::Item(Kind::Double), false, seq)
            }
            What::Field(J::Objs(obj), depth) => {
                self.elements(What::Message(obj, depth), false, seq)
            }
            What::Field(J::Records(obj), depth) => {
                self.elements(What::Message(obj, depth), true, seq)
            }
            What::Field(J::KeyValues, depth) => {
                self.elements(What::Message(&KEY_VALUE, depth), false, seq)
            }
            What::Field(J::AnyValues, depth) => self.elements(What::AnyValue(depth), false, seq),
            _ => Err(refuse()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.what {
            What::Skip => {
                let mut state = State::default();
                while map.next_key_seed(Key(&NO_FIELDS))?.is_some() {
                    map.next_value_seed(Seed {
                        what: What::Skip,
                        state: &mut state,
                    })?;
                }
                Ok(())
            }
            What::Field(J::Obj(obj), depth) | What::Message(obj, depth) => {
                self.fields(obj, depth, map)
            }
            What::Field(J::Deeper(obj), depth) => self.fields(obj, depth + 1, map),
            What::Field(J::Value, depth) | What::AnyValue(depth) => {
                depth_ok(depth)?;
                self.fields(&ANY_VALUE, depth, map)
            }
            What::Top(obj) => self.fields(obj, 0, map),
            _ => Err(refuse()),
        }
    }
}

static NO_FIELDS: Obj = Obj { fields: &[] };

/// Whether the normaliser rewrites the (checked) scalar `v` of `kind`
/// (`json::normalise`): a 64-bit integer given as a number beyond 2^53, an
/// identifier with uppercase hex digits.
fn rewritten(v: Scalar<'_>, kind: Kind) -> bool {
    match (kind, v) {
        (Kind::Uint64 | Kind::Int64, Scalar::Num(n)) => n
            .as_u64()
            .or_else(|| n.as_i64().map(i64::unsigned_abs))
            .is_some_and(|n| n > MAX_EXACT_DOUBLE),
        (Kind::Id(_), Scalar::Str(s)) => s.bytes().any(|b| b.is_ascii_uppercase()),
        _ => false,
    }
}

/// A key: the index of the known field it names, if any, and whether it
/// is an alias (snake_case or legacy name) the normaliser renames.
struct Key(&'static Obj);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<(usize, bool)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<(usize, bool)>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<(usize, bool)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<(usize, bool)>, E> {
        if v == RAW_VALUE_KEY {
            return Err(refuse());
        }
        Ok(self.0.fields.iter().enumerate().find_map(|(i, f)| {
            f.names
                .iter()
                .position(|n| *n == v)
                .map(|alias| (i, alias > 0))
        }))
    }
}

/// Validates an OTLP/JSON export request of `signal` and counts its
/// records; `None` when the full decoder must decide (it refuses the body,
/// or the fast path is not sure).
pub fn count_records(signal: Signal, body: &[u8]) -> Option<usize> {
    check(signal, body).map(|c| c.records)
}

/// What [`check`] found in an accepted body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Checked {
    /// The records of the request.
    pub(super) records: usize,
    /// The normaliser (`json::decode`) would rewrite something (an alias
    /// key, a big integer given as a number, an uppercase identifier): the
    /// tree it builds differs from the body as received.
    pub(super) rewritten: bool,
}

/// Validates an OTLP/JSON export request of `signal` like
/// [`count_records`], and also tells whether the normaliser would rewrite
/// any of it.
pub(super) fn check(signal: Signal, body: &[u8]) -> Option<Checked> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(Checked {
            records: 0,
            rewritten: false,
        });
    }
    let top = match signal {
        Signal::Logs => &LOGS_REQUEST,
        Signal::Metrics => &METRICS_REQUEST,
        Signal::Traces => &TRACES_REQUEST,
    };
    let mut state = State::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    Seed {
        what: What::Top(top),
        state: &mut state,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(Checked {
        records: state.records,
        rewritten: state.rewritten,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every alias is the snake_case form of the canonical name or of the
    /// legacy name the normaliser accepts.
    #[test]
    fn aliases_follow_the_normaliser() {
        let objs: [&Obj; 33] = [
            &ANY_VALUE,
            &ARRAY_VALUE,
            &KVLIST_VALUE,
            &KEY_VALUE,
            &RESOURCE,
            &SCOPE,
            &LOGS_REQUEST,
            &RESOURCE_LOGS,
            &SCOPE_LOGS,
            &LOG_RECORD,
            &METRICS_REQUEST,
            &RESOURCE_METRICS,
            &SCOPE_METRICS,
            &METRIC,
            &NUMBER_SERIES,
            &HISTOGRAM,
            &EXPONENTIAL_HISTOGRAM,
            &SUMMARY,
            &NUMBER_POINT,
            &HISTOGRAM_POINT,
            &EXPONENTIAL_POINT,
            &BUCKETS,
            &SUMMARY_POINT,
            &QUANTILE,
            &EXEMPLAR,
            &TRACES_REQUEST,
            &RESOURCE_SPANS,
            &SCOPE_SPANS,
            &SPAN,
            &EVENT,
            &LINK,
            &STATUS,
            &NO_FIELDS,
        ];
        for obj in objs {
            assert!(obj.fields.len() <= 64);
            for field in obj.fields {
                let canonical = field.names[0];
                let mut want = vec![canonical.to_owned()];
                // `values` of arrayValue / kvlistValue and `value` of a
                // KeyValue are read without aliases.
                if !matches!(canonical, "values" | "value") {
                    want.extend(super::super::json::snake_case(canonical));
                }
                let legacy = match canonical {
                    "scope" => Some("instrumentationLibrary"),
                    "scopeLogs" => Some("instrumentationLibraryLogs"),
                    "scopeMetrics" => Some("instrumentationLibraryMetrics"),
                    "scopeSpans" => Some("instrumentationLibrarySpans"),
                    _ => None,
                };
                if let Some(l) = legacy {
                    want.push(l.to_owned());
                    want.extend(super::super::json::snake_case(l));
                }
                assert_eq!(field.names, want.as_slice(), "{canonical}");
            }
            let mut names: Vec<_> = obj.fields.iter().flat_map(|f| f.names).collect();
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "a name given twice");
        }
    }
}
