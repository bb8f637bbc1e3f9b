//! A streaming OTLP/JSON validator and record counter, used when no policy
//! can touch the records: the body is walked once without building a tree,
//! every known field is checked as the `json` module's normaliser checks
//! it, and the body is forwarded as received.
//!
//! It never accepts a body that [`super::json::decode`] refuses, and counts
//! the same records. Two walks share the schema tables and the scalar
//! checks (`scalar_ok`, `null_ok`):
//!
//! * the byte walk (`Walk`), which runs first: a hand-written JSON reader
//!   accepting what serde_json's `Value` parser accepts, without serde's
//!   per-token overhead; it also tells a [`Sink`] where the messages and
//!   fields are (`json_logs` builds its index from that, in the same pass);
//! * the serde walk (`Seed`), the reference, which decides whenever the
//!   byte walk stops (an invalid body, or one nested deeper than it goes):
//!   every value goes through `serde_json`'s `deserialize_any`, as parsing
//!   a `Value` does, so lexing, UTF-8, escapes, numbers and the recursion
//!   limit are the same parser's.
//!
//! Scalars are checked by the same function (`json::check_value`), field
//! names and their snake_case and legacy spellings follow
//! `json::canonical_key` (a test pins the tables to `json::snake_case`).
//! Anything the walks are not sure of is refused: a known field given twice
//! in one object (the tree keeps the last one) and serde_json's private
//! raw-value key. A refusal only means "ask the full decoder", which then
//! gives the 400 and its reason, or accepts.
//!
//! The differential tests and the `otlp_scan` fuzz target compare the two
//! walks with each other and with the full decoder.

use std::ops::Range;

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
    /// What a [`Sink`] is told the field is.
    site: Site,
}

/// A message type: its known fields (at most 63), and the byte walk's
/// table of their names.
struct Obj {
    /// A number of its own, below [`OBJS`].
    id: u8,
    fields: &'static [Field],
    keys: KeyTable,
}

/// Message types ([`Obj`]).
const OBJS: usize = 33;

/// A message type from its fields, with its name table built at compile
/// time.
macro_rules! obj {
    ($id:expr, $fields:expr) => {{
        const FIELDS: &[Field] = $fields;
        Obj {
            id: $id,
            fields: FIELDS,
            keys: KeyTable::new(FIELDS),
        }
    }};
}

/// Slots of a [`KeyTable`].
const KEY_SLOTS: usize = 128;

/// The names of a message's fields hashed into slots without collisions,
/// so that a key is compared with at most one name: a multiplicative hash
/// of the key's length, first two bytes and last byte, with a multiplier
/// searched (at compile time) for each message.
struct KeyTable {
    multiplier: u32,
    /// 0: no name; else 1 + (field index << 2 | alias index).
    slots: [u8; KEY_SLOTS],
}

impl KeyTable {
    const fn new(fields: &[Field]) -> KeyTable {
        assert!(fields.len() < 63, "too many fields for a key table");
        let mut attempt = 0u32;
        'search: while attempt < 10_000 {
            // Odd multipliers spread over the 32-bit range.
            let multiplier = 0x9E37_79B9u32.wrapping_add(attempt.wrapping_mul(0x6D2B_79F6)) | 1;
            attempt += 1;
            let mut slots = [0u8; KEY_SLOTS];
            let mut i = 0;
            while i < fields.len() {
                let names = fields[i].names;
                assert!(names.len() <= 4, "too many aliases for a key table");
                let mut alias = 0;
                while alias < names.len() {
                    let slot = key_slot(names[alias].as_bytes(), multiplier);
                    if slots[slot] != 0 {
                        continue 'search;
                    }
                    slots[slot] = 1 + ((i << 2) | alias) as u8;
                    alias += 1;
                }
                i += 1;
            }
            return KeyTable { multiplier, slots };
        }
        panic!("no collision-free key table");
    }

    /// The field and alias index of the name `name` is, if any.
    #[inline]
    fn find(&self, fields: &[Field], name: &[u8]) -> Option<(usize, usize)> {
        if name.len() < 2 {
            // Every name has at least three bytes (a test checks).
            return None;
        }
        let entry = self.slots[key_slot(name, self.multiplier)];
        if entry == 0 {
            return None;
        }
        let (i, alias) = (usize::from(entry - 1) >> 2, usize::from(entry - 1) & 3);
        let known = fields[i].names[alias].as_bytes();
        same_bytes(known, name).then_some((i, alias))
    }
}

/// The slot of a name (at least two bytes) in a [`KeyTable`].
#[inline]
const fn key_slot(name: &[u8], multiplier: u32) -> usize {
    let n = name.len();
    let key = (n as u32)
        ^ ((name[0] as u32) << 8)
        ^ ((name[1] as u32) << 16)
        ^ ((name[n - 1] as u32) << 24);
    (key.wrapping_mul(multiplier) >> (32 - KEY_SLOTS.trailing_zeros())) as usize
}

/// `a == b`, a word at a time (names are short, a `memcmp` call costs more).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap_or([0; 4]));
    if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            if word(a, at) != word(b, at) {
                return false;
            }
            at += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        // Up to three bytes: the first, middle and last cover them all.
        n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1])
    }
}

const fn f(names: &'static [&'static str], kind: J) -> Field {
    Field {
        names,
        kind,
        site: Site::Other,
    }
}

/// A field a [`Sink`] is told about.
const fn fs(names: &'static [&'static str], kind: J, site: Site) -> Field {
    Field { names, kind, site }
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

const ATTRIBUTES: Field = fs(&["attributes"], J::KeyValues, Site::Attributes);
const DROPPED_ATTRIBUTES: Field = f(&["droppedAttributesCount", "dropped_attributes_count"], I32);
const SCHEMA_URL: Field = fs(&["schemaUrl", "schema_url"], STR, Site::SchemaUrl);
const RESOURCE_FIELD: Field = fs(&["resource"], J::Obj(&RESOURCE), Site::Inner);
const SCOPE_FIELD: Field = fs(
    &["scope", "instrumentationLibrary", "instrumentation_library"],
    J::Obj(&SCOPE),
    Site::Inner,
);

static ANY_VALUE: Obj = obj!(
    0,
    &[
        f(&["stringValue", "string_value"], STR),
        f(&["boolValue", "bool_value"], BOOL),
        f(&["intValue", "int_value"], I64),
        f(&["doubleValue", "double_value"], DBL),
        f(&["bytesValue", "bytes_value"], J::Bytes),
        f(&["arrayValue", "array_value"], J::Deeper(&ARRAY_VALUE)),
        f(&["kvlistValue", "kvlist_value"], J::Deeper(&KVLIST_VALUE)),
    ]
);
/// `arrayValue` (its key is matched exactly, as the normaliser does).
static ARRAY_VALUE: Obj = obj!(1, &[f(&["values"], J::AnyValues)]);
static KVLIST_VALUE: Obj = obj!(2, &[f(&["values"], J::KeyValues)]);
static KEY_VALUE: Obj = obj!(
    3,
    &[
        fs(&["key"], STR, Site::Key),
        fs(&["value"], J::Value, Site::Value),
    ]
);
static RESOURCE: Obj = obj!(4, &[DROPPED_ATTRIBUTES, ATTRIBUTES]);
static SCOPE: Obj = obj!(
    5,
    &[
        f(&["name"], STR),
        f(&["version"], STR),
        DROPPED_ATTRIBUTES,
        ATTRIBUTES,
    ]
);

// --- logs --------------------------------------------------------------------

static LOGS_REQUEST: Obj = obj!(
    6,
    &[fs(
        &["resourceLogs", "resource_logs"],
        J::Objs(&RESOURCE_LOGS),
        Site::List,
    )]
);
static RESOURCE_LOGS: Obj = obj!(
    7,
    &[
        RESOURCE_FIELD,
        SCHEMA_URL,
        fs(
            &[
                "scopeLogs",
                "scope_logs",
                "instrumentationLibraryLogs",
                "instrumentation_library_logs",
            ],
            J::Objs(&SCOPE_LOGS),
            Site::List,
        ),
    ]
);
static SCOPE_LOGS: Obj = obj!(
    8,
    &[
        SCOPE_FIELD,
        SCHEMA_URL,
        fs(
            &["logRecords", "log_records"],
            J::Records(&LOG_RECORD),
            Site::List,
        ),
    ]
);
static LOG_RECORD: Obj = obj!(
    9,
    &[
        f(&["timeUnixNano", "time_unix_nano"], U64),
        f(&["observedTimeUnixNano", "observed_time_unix_nano"], U64),
        f(&["severityNumber", "severity_number"], ENUM),
        fs(&["severityText", "severity_text"], STR, Site::SeverityText),
        DROPPED_ATTRIBUTES,
        f(&["flags"], I32),
        fs(&["traceId", "trace_id"], TRACE_ID, Site::TraceId),
        fs(&["spanId", "span_id"], SPAN_ID, Site::SpanId),
        fs(&["eventName", "event_name"], STR, Site::EventName),
        fs(&["body"], J::Value, Site::Body),
        ATTRIBUTES,
    ]
);

// --- metrics -----------------------------------------------------------------

static METRICS_REQUEST: Obj = obj!(
    10,
    &[f(
        &["resourceMetrics", "resource_metrics"],
        J::Objs(&RESOURCE_METRICS),
    )]
);
static RESOURCE_METRICS: Obj = obj!(
    11,
    &[
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
    ]
);
static SCOPE_METRICS: Obj = obj!(
    12,
    &[
        SCOPE_FIELD,
        SCHEMA_URL,
        f(&["metrics"], J::Records(&METRIC)),
    ]
);
static METRIC: Obj = obj!(
    13,
    &[
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
    ]
);
const TEMPORALITY: Field = f(&["aggregationTemporality", "aggregation_temporality"], ENUM);
const MONOTONIC: Field = f(&["isMonotonic", "is_monotonic"], BOOL);
const fn series(points: &'static Obj) -> [Field; 3] {
    [
        TEMPORALITY,
        MONOTONIC,
        f(&["dataPoints", "data_points"], J::Objs(points)),
    ]
}
static NUMBER_SERIES: Obj = obj!(14, &series(&NUMBER_POINT));
static HISTOGRAM: Obj = obj!(15, &series(&HISTOGRAM_POINT));
static EXPONENTIAL_HISTOGRAM: Obj = obj!(16, &series(&EXPONENTIAL_POINT));
static SUMMARY: Obj = obj!(17, &series(&SUMMARY_POINT));
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
static NUMBER_POINT: Obj = obj!(
    32,
    &[AS_DOUBLE, AS_INT, START_TIME, TIME, FLAGS, COUNT, ATTRIBUTES, EXEMPLARS,]
);
static HISTOGRAM_POINT: Obj = obj!(
    18,
    &[
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
    ]
);
static EXPONENTIAL_POINT: Obj = obj!(
    19,
    &[
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
    ]
);
static BUCKETS: Obj = obj!(
    20,
    &[
        f(&["offset"], I32),
        f(
            &["bucketCounts", "bucket_counts"],
            J::Scalar(Kind::Uint64List),
        ),
    ]
);
static SUMMARY_POINT: Obj = obj!(
    21,
    &[
        SUM,
        f(&["quantileValues", "quantile_values"], J::Objs(&QUANTILE)),
        START_TIME,
        TIME,
        FLAGS,
        COUNT,
        ATTRIBUTES,
        EXEMPLARS,
    ]
);
static QUANTILE: Obj = obj!(22, &[f(&["quantile"], DBL), f(&["value"], DBL)]);
static EXEMPLAR: Obj = obj!(
    23,
    &[
        TIME,
        AS_DOUBLE,
        AS_INT,
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["filteredAttributes", "filtered_attributes"], J::KeyValues),
    ]
);

// --- traces ------------------------------------------------------------------

static TRACES_REQUEST: Obj = obj!(
    24,
    &[f(
        &["resourceSpans", "resource_spans"],
        J::Objs(&RESOURCE_SPANS),
    )]
);
static RESOURCE_SPANS: Obj = obj!(
    25,
    &[
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
    ]
);
static SCOPE_SPANS: Obj = obj!(
    26,
    &[SCOPE_FIELD, SCHEMA_URL, f(&["spans"], J::Records(&SPAN))]
);
static SPAN: Obj = obj!(
    27,
    &[
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
    ]
);
static EVENT: Obj = obj!(
    28,
    &[TIME, f(&["name"], STR), DROPPED_ATTRIBUTES, ATTRIBUTES]
);
static LINK: Obj = obj!(
    29,
    &[
        f(&["traceId", "trace_id"], TRACE_ID),
        f(&["spanId", "span_id"], SPAN_ID),
        f(&["traceState", "trace_state"], STR),
        DROPPED_ATTRIBUTES,
        FLAGS,
        ATTRIBUTES,
    ]
);
static STATUS: Obj = obj!(30, &[f(&["message"], STR), f(&["code"], ENUM)]);

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
pub(super) const RAW_VALUE_KEY: &str = "$serde_json::private::RawValue";

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
        if scalar_ok(self.what, v, self.state) {
            Ok(())
        } else {
            Err(refuse())
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

/// Whether a scalar `v` is accepted where `what` is expected (both walks
/// decide with this); notes in `state` what the normaliser would rewrite.
fn scalar_ok(what: What, v: Scalar<'_>, state: &mut State) -> bool {
    match what {
        What::Skip => true,
        What::Field(J::Scalar(Kind::Uint64List | Kind::DoubleList), _) => false,
        What::Field(J::Scalar(kind), _) | What::Item(kind) => {
            if check_value(v, kind).is_err() {
                return false;
            }
            state.rewritten |= rewritten(v, kind);
            true
        }
        What::Field(J::Bytes, _) => match v {
            Scalar::Str(s) => check_base64(s).is_ok(),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `null` is accepted where `what` is expected.
fn null_ok(what: What) -> bool {
    match what {
        What::Skip | What::Field(..) => true,
        What::AnyValue(depth) => depth < MAX_ANY_DEPTH,
        What::Item(kind) => check_value(Scalar::Null, kind).is_ok(),
        What::Message(..) | What::Top(_) => false,
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an OTLP/JSON export request")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        if null_ok(self.what) {
            Ok(())
        } else {
            Err(refuse())
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

static NO_FIELDS: Obj = obj!(31, &[]);

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

// --- the byte walk ------------------------------------------------------------
//
// The same walk over the bytes, without serde: what serde_json's `Value`
// parser accepts (JSON grammar, whitespace, strings without raw control
// characters, escapes with paired surrogates, UTF-8, numbers through
// serde_json's own number parser beyond plain integers) and the same
// checks (`scalar_ok`, `null_ok`, the key tables). Scalars are only read
// when their kind needs the value: most strings are scanned eight bytes at
// a time and never copied; decimal strings of up to 19 digits and
// identifiers are checked a word at a time. Keys are looked up in a
// collision-free table per message (`KeyTable`), one comparison each
// (the serde walk keeps the plain linear search). When it stops (the body
// is invalid, or it nests deeper than `MAX_NESTING`), the serde walk
// decides, so the answer is always the serde walk's; the differential
// tests and the `otlp_scan` fuzz target check that both walks agree.

/// Containers the byte walk enters before it leaves the body to the serde
/// walk (serde_json refuses the 128th; this keeps the recursion shallow).
const MAX_NESTING: usize = 100;

/// The byte walk stopped: the body is invalid, or the walk is not sure.
struct Stop;

type Step<T = ()> = Result<T, Stop>;

/// A string token: the range of its content (between the quotes).
#[derive(Debug, Clone, Copy)]
pub(super) struct Str {
    /// First byte of the content.
    pub(super) start: usize,
    /// The closing quote.
    pub(super) end: usize,
    /// The content has a backslash escape.
    pub(super) escaped: bool,
}

/// A message a [`Sink`] is told about (logs requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Msg {
    ResourceLogs,
    ScopeLogs,
    LogRecord,
    Resource,
    Scope,
    KeyValue,
    Other,
}

/// A known field a [`Sink`] is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Site {
    Other,
    /// The list of a request (`resourceLogs`), a `ResourceLogs`
    /// (`scopeLogs`) or a `ScopeLogs` (`logRecords`).
    List,
    /// `resource` / `scope` of a `ResourceLogs` / `ScopeLogs`.
    Inner,
    SchemaUrl,
    Attributes,
    Body,
    SeverityText,
    TraceId,
    SpanId,
    EventName,
    /// `key` of a `KeyValue`.
    Key,
    /// `value` of a `KeyValue`.
    Value,
}

/// Told by the byte walk where the messages and known fields of a request
/// are, in document order (`depth`: the `AnyValue` nesting, 0 outside log
/// bodies and attribute values). Only a body the byte walk accepts was
/// told completely ([`check_into`]).
pub(super) trait Sink {
    /// Whether the walk calls the other methods at all.
    const ACTIVE: bool = true;
    /// A message object starts at `at`.
    fn open(&mut self, msg: Msg, depth: usize, at: usize);
    /// A known field's value is at `value`; `string` when it is a string.
    fn field(&mut self, site: Site, depth: usize, value: Range<usize>, string: Option<Str>);
    /// The message object opened last ends (`range`: the whole object).
    fn close(&mut self, msg: Msg, depth: usize, range: Range<usize>);
}

/// A sink that is told nothing.
struct Nothing;

impl Sink for Nothing {
    const ACTIVE: bool = false;
    fn open(&mut self, _: Msg, _: usize, _: usize) {}
    fn field(&mut self, _: Site, _: usize, _: Range<usize>, _: Option<Str>) {}
    fn close(&mut self, _: Msg, _: usize, _: Range<usize>) {}
}

fn msg_of(obj: &'static Obj) -> Msg {
    let is = |o: &'static Obj| std::ptr::eq(obj, o);
    if is(&RESOURCE_LOGS) {
        Msg::ResourceLogs
    } else if is(&SCOPE_LOGS) {
        Msg::ScopeLogs
    } else if is(&LOG_RECORD) {
        Msg::LogRecord
    } else if is(&RESOURCE) {
        Msg::Resource
    } else if is(&SCOPE) {
        Msg::Scope
    } else if is(&KEY_VALUE) {
        Msg::KeyValue
    } else {
        Msg::Other
    }
}

const ONES: u64 = u64::MAX / 255;
const HIGH: u64 = ONES << 7;

/// The high bit of every byte of `w` (little endian) that is `"`, `\`, a
/// control character or (with `high` = [`HIGH`]) not ASCII; the lowest
/// one set is always right (the bits above it may not be).
fn special(w: u64, high: u64) -> u64 {
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let e = w ^ (ONES * u64::from(b'\\'));
    let escape = e.wrapping_sub(ONES) & !e;
    (control | quote | escape | (w & high)) & HIGH
}

/// Whether `raw` is a decimal string (digits only, 1 to 19 of them) that
/// `str::parse` reads as a `kind` (`Uint64` or `Int64`). `false` means
/// "not sure" (the general path decides).
fn decimal_fits(raw: &[u8], kind: Kind) -> bool {
    const I64_MAX: &[u8; 19] = b"9223372036854775807";
    let n = raw.len();
    if !(1..=19).contains(&n) || !all_digits(raw) {
        return false;
    }
    // 19 digits are below 10^19 < u64::MAX; digit strings of one length
    // compare as their values.
    n < 19 || matches!(kind, Kind::Uint64) || raw <= &I64_MAX[..]
}

/// Whether every byte of `raw` is an ASCII digit.
fn all_digits(raw: &[u8]) -> bool {
    // A word is all digits when every byte is 0x30..=0x39: its high nibble
    // is 3, and adding 6 keeps it so (no byte carries out).
    let digits = |w: u64| {
        w & (ONES * 0xf0) == ONES * 0x30
            && w.wrapping_add(ONES * 0x06) & (ONES * 0xf0) == ONES * 0x30
    };
    let n = raw.len();
    if n < 8 {
        return raw.iter().all(u8::is_ascii_digit);
    }
    let word = |at: usize| u64::from_le_bytes(raw[at..at + 8].try_into().unwrap_or([0; 8]));
    let mut at = 0;
    while at + 8 < n {
        if !digits(word(at)) {
            return false;
        }
        at += 8;
    }
    digits(word(n - 8))
}

/// The high bit of every byte of `w` (bytes below 0x80) that is in
/// `lo..=hi` (`0 < lo <= hi < 0x80`).
fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let at_least = w.wrapping_add(ONES * u64::from(0x80 - lo));
    let at_most = w.wrapping_add(ONES * u64::from(0x7f - hi));
    at_least & !at_most & HIGH
}

/// Whether `raw` (an identifier's text) is hex digits only; then whether
/// any is uppercase.
fn hex_digits(raw: &[u8]) -> Option<bool> {
    let mut upper = false;
    let mut chunks = raw.chunks_exact(8);
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if w & HIGH != 0 {
            return None;
        }
        // `| 0x20` lowercases letters (and maps nothing else to a-f).
        let digit = in_range(w, b'0', b'9');
        let letter = in_range(w | (ONES * 0x20), b'a', b'f');
        if digit | letter != HIGH {
            return None;
        }
        upper |= in_range(w, b'A', b'F') != 0;
    }
    for &c in chunks.remainder() {
        match c {
            b'0'..=b'9' | b'a'..=b'f' => {}
            b'A'..=b'F' => upper = true,
            _ => return None,
        }
    }
    Some(upper)
}

/// The four hex digits of a `\u` escape at `at`.
fn hex4(b: &[u8], at: usize) -> Step<u32> {
    let digits = b.get(at..at + 4).ok_or(Stop)?;
    digits.iter().try_fold(0u32, |n, &d| {
        char::from(d).to_digit(16).map(|d| n << 4 | d).ok_or(Stop)
    })
}

/// The end of the escape at `i` (a backslash), as serde_json reads it into
/// a string: a `\u` leading surrogate must be followed by a `\u` trailing
/// one, a trailing one alone is refused.
fn escape_end(b: &[u8], i: usize) -> Step<usize> {
    match b.get(i + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(i + 2),
        Some(b'u') => match hex4(b, i + 2)? {
            0xDC00..=0xDFFF => Err(Stop),
            0xD800..=0xDBFF => {
                if b.get(i + 6) != Some(&b'\\') || b.get(i + 7) != Some(&b'u') {
                    return Err(Stop);
                }
                match hex4(b, i + 8)? {
                    0xDC00..=0xDFFF => Ok(i + 12),
                    _ => Err(Stop),
                }
            }
            _ => Ok(i + 6),
        },
        _ => Err(Stop),
    }
}

struct Walk<'a, 's, S> {
    b: &'a [u8],
    i: usize,
    /// Containers open.
    nesting: usize,
    state: State,
    sink: &'s mut S,
    /// Per message type and previous field (0: none yet, else one more
    /// than its index, capped at `PREDICTED - 1`), the field and alias that
    /// came next last time, as in a [`KeyTable`] slot: request bodies
    /// repeat one key order, so most keys are found with one comparison in
    /// place.
    next: [[u8; PREDICTED]; OBJS],
}

/// Previous fields a prediction is kept for (fields beyond that share the
/// last entry).
const PREDICTED: usize = 32;

impl<'a, S: Sink> Walk<'a, '_, S> {
    fn peek(&self) -> Step<u8> {
        self.b.get(self.i).copied().ok_or(Stop)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Step {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn enter(&mut self) -> Step {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            Err(Stop)
        } else {
            Ok(())
        }
    }

    /// One value of what `what` expects; the string token when it is one.
    fn value(&mut self, what: What) -> Step<Option<Str>> {
        match self.peek()? {
            b'"' => {
                let s = self.string()?;
                self.string_value(what, s)?;
                return Ok(Some(s));
            }
            b'{' => self.object(what)?,
            b'[' => self.array(what)?,
            b't' => {
                self.word(b"true")?;
                self.scalar(what, Scalar::Bool)?;
            }
            b'f' => {
                self.word(b"false")?;
                self.scalar(what, Scalar::Bool)?;
            }
            b'n' => {
                self.word(b"null")?;
                if !null_ok(what) {
                    return Err(Stop);
                }
            }
            b'-' | b'0'..=b'9' => {
                let n = self.number()?;
                self.scalar(what, Scalar::Num(&n))?;
            }
            _ => return Err(Stop),
        }
        Ok(None)
    }

    fn word(&mut self, word: &[u8]) -> Step {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn scalar(&mut self, what: What, v: Scalar<'_>) -> Step {
        if scalar_ok(what, v, &mut self.state) {
            Ok(())
        } else {
            Err(Stop)
        }
    }

    /// A string token (the cursor at its opening quote): no raw control
    /// character, valid escapes, valid UTF-8.
    fn string(&mut self) -> Step<Str> {
        self.eat(b'"')?;
        let b = self.b;
        let start = self.i;
        let mut i = start;
        let mut escaped = false;
        // Stop at non-ASCII bytes too until the first one (then the content
        // is checked as UTF-8 once, at the end).
        let mut high = HIGH;
        loop {
            while let Some(chunk) = b.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                let m = special(u64::from_le_bytes(word), high);
                if m != 0 {
                    i += m.trailing_zeros() as usize / 8;
                    break;
                }
                i += 8;
            }
            match *b.get(i).ok_or(Stop)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i = escape_end(b, i)?;
                }
                0..=0x1f => return Err(Stop),
                0x80.. => {
                    high = 0;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if high == 0 && std::str::from_utf8(&b[start..i]).is_err() {
            return Err(Stop);
        }
        self.i = i + 1;
        Ok(Str {
            start,
            end: i,
            escaped,
        })
    }

    /// The text of a (valid) string token.
    fn text(&self, s: Str) -> Step<std::borrow::Cow<'a, str>> {
        let b = self.b;
        if s.escaped {
            serde_json::from_slice::<String>(&b[s.start - 1..s.end + 1])
                .map(std::borrow::Cow::Owned)
                .map_err(|_| Stop)
        } else {
            std::str::from_utf8(&b[s.start..s.end])
                .map(std::borrow::Cow::Borrowed)
                .map_err(|_| Stop)
        }
    }

    fn string_value(&mut self, what: What, s: Str) -> Step {
        match what {
            // Any string is accepted there, and never rewritten.
            What::Skip | What::Field(J::Scalar(Kind::Str), _) => Ok(()),
            // `check_value` and `rewritten` in one pass over the bytes.
            What::Field(J::Scalar(Kind::Id(len)), _) if !s.escaped => {
                let raw = &self.b[s.start..s.end];
                if raw.is_empty() {
                    return Ok(());
                }
                if raw.len() != len * 2 {
                    return Err(Stop);
                }
                self.state.rewritten |= hex_digits(raw).ok_or(Stop)?;
                Ok(())
            }
            // Up to 19 digits (leading zeros allowed, as `str::parse`
            // does): a valid `u64`, and a valid `i64` up to `i64::MAX`;
            // a string is never rewritten.
            What::Field(J::Scalar(kind @ (Kind::Uint64 | Kind::Int64)), _)
                if !s.escaped && decimal_fits(&self.b[s.start..s.end], kind) =>
            {
                Ok(())
            }
            _ => {
                let text = self.text(s)?;
                self.scalar(what, Scalar::Str(&text))
            }
        }
    }

    /// A number (the cursor at its first byte), as serde_json parses it:
    /// plain integers here, anything else by serde_json's number parser.
    fn number(&mut self) -> Step<Number> {
        let b = self.b;
        let start = self.i;
        let negative = b[start] == b'-';
        let first = start + usize::from(negative);
        let mut i = first;
        let mut v = 0u64;
        // At most 18 digits: below 2^63 either way.
        while i - first < 18 {
            match b.get(i) {
                Some(&d @ b'0'..=b'9') => {
                    v = v * 10 + u64::from(d - b'0');
                    i += 1;
                }
                _ => break,
            }
        }
        // Not plain: no digit, more digits or a fraction or exponent
        // follow, a leading zero, `-0` (a float for serde_json).
        let other = i == first
            || matches!(b.get(i), Some(b'0'..=b'9' | b'.' | b'e' | b'E'))
            || (b[first] == b'0' && i - first > 1)
            || (negative && v == 0);
        if !other {
            self.i = i;
            return Ok(if negative {
                Number::from(-(v as i64))
            } else {
                Number::from(v)
            });
        }
        let len = b[start..]
            .iter()
            .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
            .unwrap_or(b.len() - start);
        let text = std::str::from_utf8(&b[start..start + len]).map_err(|_| Stop)?;
        let n = text.parse::<Number>().map_err(|_| Stop)?;
        self.i = start + len;
        Ok(n)
    }

    /// The field and alias of `obj` a prediction (a [`KeyTable`] slot)
    /// names, when the key at the cursor is exactly that name (then the
    /// cursor is moved past it). Names are plain ASCII letters and
    /// underscores: `"name"` is a whole, unescaped key token, the one the
    /// table would find for it.
    #[inline]
    fn predicted(&mut self, obj: &'static Obj, entry: u8) -> Option<(usize, usize)> {
        let (i, alias) = (
            usize::from(entry.checked_sub(1)?) >> 2,
            usize::from(entry - 1) & 3,
        );
        let name = obj.fields.get(i)?.names.get(alias)?.as_bytes();
        let start = self.i + 1;
        let end = start + name.len();
        let b = self.b;
        if b.get(self.i) == Some(&b'"')
            && b.get(end) == Some(&b'"')
            && same_bytes(name, &b[start..end])
        {
            self.i = end + 1;
            Some((i, alias))
        } else {
            None
        }
    }

    /// The index of the known field of `obj` the key `k` names, if any,
    /// and the index of the name among its aliases.
    fn key(&self, obj: &'static Obj, k: Str) -> Step<Option<(usize, usize)>> {
        let text;
        let name: &[u8] = if k.escaped {
            text = self.text(k)?;
            text.as_bytes()
        } else {
            &self.b[k.start..k.end]
        };
        match obj.keys.find(obj.fields, name) {
            Some(found) => Ok(Some(found)),
            // No field is named like the raw-value key.
            None if name == RAW_VALUE_KEY.as_bytes() => Err(Stop),
            None => Ok(None),
        }
    }

    fn object(&mut self, what: What) -> Step {
        let (obj, depth): (&'static Obj, usize) = match what {
            What::Skip => (&NO_FIELDS, 0),
            What::Field(J::Obj(obj), depth) | What::Message(obj, depth) => (obj, depth),
            What::Field(J::Deeper(obj), depth) => (obj, depth + 1),
            What::Field(J::Value, depth) | What::AnyValue(depth) => {
                if depth >= MAX_ANY_DEPTH {
                    return Err(Stop);
                }
                (&ANY_VALUE, depth)
            }
            What::Top(obj) => (obj, 0),
            _ => return Err(Stop),
        };
        let tell = S::ACTIVE && !matches!(what, What::Skip);
        let msg = if tell { msg_of(obj) } else { Msg::Other };
        let start = self.i;
        if tell {
            self.sink.open(msg, depth, start);
        }
        self.enter()?;
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            let mut seen = 0u64;
            let mut prev = 0usize;
            loop {
                let slot = (usize::from(obj.id), prev.min(PREDICTED - 1));
                let index = match self.predicted(obj, self.next[slot.0][slot.1]) {
                    Some(hit) => Some(hit),
                    None => {
                        let key = self.string()?;
                        let found = self.key(obj, key)?;
                        if let Some((i, alias)) = found {
                            // `i` < 63 and `alias` < 4 (`KeyTable::new`).
                            self.next[slot.0][slot.1] = 1 + ((i << 2) | alias) as u8;
                        }
                        found
                    }
                };
                self.ws();
                self.eat(b':')?;
                self.ws();
                match index {
                    None => {
                        self.value(What::Skip)?;
                    }
                    Some((i, alias)) => {
                        self.state.rewritten |= alias > 0;
                        let bit = 1u64 << i;
                        if seen & bit != 0 {
                            return Err(Stop);
                        }
                        seen |= bit;
                        prev = i + 1;
                        let field = &obj.fields[i];
                        let at = self.i;
                        let string = self.value(What::Field(field.kind, depth))?;
                        if S::ACTIVE {
                            self.sink.field(field.site, depth, at..self.i, string);
                        }
                    }
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                    }
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(Stop),
                }
            }
        }
        self.nesting -= 1;
        if tell {
            self.sink.close(msg, depth, start..self.i);
        }
        Ok(())
    }

    fn array(&mut self, what: What) -> Step {
        let (item, count) = match what {
            What::Skip => (What::Skip, false),
            What::Field(J::Scalar(Kind::Uint64List), _) => (What::Item(Kind::Uint64), false),
            What::Field(J::Scalar(Kind::DoubleList), _) => (What::Item(Kind::Double), false),
            What::Field(J::Objs(obj), depth) => (What::Message(obj, depth), false),
            What::Field(J::Records(obj), depth) => (What::Message(obj, depth), true),
            What::Field(J::KeyValues, depth) => (What::Message(&KEY_VALUE, depth), false),
            What::Field(J::AnyValues, depth) => (What::AnyValue(depth), false),
            _ => return Err(Stop),
        };
        self.enter()?;
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
        } else {
            loop {
                self.value(item)?;
                if count {
                    self.state.records += 1;
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                    }
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(Stop),
                }
            }
        }
        self.nesting -= 1;
        Ok(())
    }
}

/// The byte walk over a whole body.
fn walk_bytes<S: Sink>(top: &'static Obj, body: &[u8], sink: &mut S) -> Step<State> {
    let mut w = Walk {
        b: body,
        i: 0,
        nesting: 0,
        state: State::default(),
        sink,
        next: [[0; PREDICTED]; OBJS],
    };
    w.ws();
    w.value(What::Top(top))?;
    w.ws();
    if w.i == body.len() {
        Ok(w.state)
    } else {
        Err(Stop)
    }
}

/// The serde walk over a whole body.
fn walk_serde(top: &'static Obj, body: &[u8]) -> Option<State> {
    let mut state = State::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    Seed {
        what: What::Top(top),
        state: &mut state,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(state)
}

fn top_of(signal: Signal) -> &'static Obj {
    match signal {
        Signal::Logs => &LOGS_REQUEST,
        Signal::Metrics => &METRICS_REQUEST,
        Signal::Traces => &TRACES_REQUEST,
    }
}

impl From<State> for Checked {
    fn from(state: State) -> Checked {
        Checked {
            records: state.records,
            rewritten: state.rewritten,
        }
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
    check_into(signal, body, &mut Nothing).map(|(checked, _)| checked)
}

/// Like [`check`], telling `sink` where the messages and fields are; the
/// flag says whether `sink` was told about the whole body (the byte walk
/// accepted it). When it is false the serde walk decided, and what `sink`
/// was told is to be ignored.
pub(super) fn check_into<S: Sink>(
    signal: Signal,
    body: &[u8],
    sink: &mut S,
) -> Option<(Checked, bool)> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some((
            Checked {
                records: 0,
                rewritten: false,
            },
            false,
        ));
    }
    let top = top_of(signal);
    if let Ok(state) = walk_bytes(top, body, sink) {
        return Some((state.into(), true));
    }
    walk_serde(top, body).map(|state| (state.into(), false))
}

/// The byte walk and the serde walk on `body`, without falling back from
/// one to the other (tests and the `otlp_scan` fuzz target compare them).
pub(super) fn both_walks(signal: Signal, body: &[u8]) -> (Option<Checked>, Option<Checked>) {
    let top = top_of(signal);
    (
        walk_bytes(top, body, &mut Nothing).ok().map(Checked::from),
        walk_serde(top, body).map(Checked::from),
    )
}

/// Panics unless the byte walk and the serde walk agree on `body` (the
/// serde walk being the reference): both accept it, with the same records
/// and rewrites, or both refuse it, except that the byte walk leaves bodies
/// nested more than [`MAX_NESTING`] deep to the serde walk.
#[doc(hidden)]
pub fn assert_json_walks_agree(signal: Signal, body: &[u8]) {
    let (bytes, serde) = both_walks(signal, body);
    if bytes.is_none() && serde.is_some() && nesting(body) > MAX_NESTING {
        return;
    }
    assert_eq!(
        bytes,
        serde,
        "{signal:?}: byte walk and serde walk differ on {:?}",
        String::from_utf8_lossy(body)
    );
}

/// The deepest nesting of `[` / `{` outside strings (an upper bound for
/// valid JSON).
fn nesting(body: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escape) = (0usize, 0usize, false, false);
    for &c in body {
        if in_string {
            match (escape, c) {
                (true, _) => escape = false,
                (false, b'\\') => escape = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
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
        let mut ids = std::collections::HashSet::new();
        for obj in objs {
            assert!(obj.fields.len() < 63);
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
            assert!(usize::from(obj.id) < OBJS);
            assert!(ids.insert(obj.id), "an id given twice");
            // The byte walk's table finds every name, and only it; names
            // are plain (a predicted key is compared in place).
            for name in obj.fields.iter().flat_map(|f| f.names) {
                assert!(
                    name.bytes().all(|c| c.is_ascii_alphabetic() || c == b'_'),
                    "{name}"
                );
            }
            for (i, field) in obj.fields.iter().enumerate() {
                for (alias, name) in field.names.iter().enumerate() {
                    assert!(name.len() >= 3, "{name}");
                    assert_eq!(obj.keys.find(obj.fields, name.as_bytes()), Some((i, alias)));
                    let mut other = name.as_bytes().to_vec();
                    other.push(b'x');
                    assert_eq!(obj.keys.find(obj.fields, &other), None);
                    other.pop();
                    other[1] ^= 1;
                    assert_eq!(obj.keys.find(obj.fields, &other), None);
                }
            }
            let mut names: Vec<_> = obj.fields.iter().flat_map(|f| f.names).collect();
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "a name given twice");
        }
    }
}
