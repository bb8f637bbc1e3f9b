//! A non-allocating protobuf validator and record counter for OTLP export
//! requests, used when no policy can touch the records: the body is walked
//! once over the OTLP message schema and forwarded as received.
//!
//! It accepts exactly what `prost` (0.13) decoding of the signal's
//! `Export*ServiceRequest` from `opentelemetry-proto` accepts: keys and
//! varints as prost reads them (at most 10 bytes, no overflow), the wire
//! type of every known field (packed or unpacked for repeated numbers),
//! nested lengths within their parent, UTF-8 of string fields, unknown
//! fields and groups skipped as `prost::encoding::skip_field` skips them,
//! and prost's recursion limit of 100. The differential tests and the
//! `otlp_scan` fuzz target compare it with the prost decode.
//!
//! A rejection carries no reason: the caller runs the full decoder to get
//! the same error message as before.

use super::Signal;

/// prost's `RECURSION_LIMIT`.
const RECURSION_LIMIT: u32 = 100;

/// How one field is encoded.
#[derive(Clone, Copy)]
enum F {
    /// Not part of the schema: skipped like prost's `skip_field`.
    Unknown,
    /// int32/int64/uint32/uint64/sint32/bool/enum.
    Varint,
    /// fixed32.
    Fixed32,
    /// fixed64/sfixed64/double.
    Fixed64,
    /// bytes.
    Bytes,
    /// string (UTF-8 checked), repeated or not.
    Str,
    /// A nested message, repeated or not.
    Msg(&'static Schema),
    /// A record of the request (counted), always a message.
    Record(&'static Schema),
    /// repeated uint64: packed or one varint.
    PackedVarint,
    /// repeated fixed64/double: packed or one 8-byte value.
    PackedFixed64,
}

/// One message type: its fields indexed by tag (tags past the end are
/// unknown).
struct Schema {
    by_tag: &'static [F],
}

impl Schema {
    #[inline]
    fn field(&self, tag: u32) -> F {
        self.by_tag.get(tag as usize).copied().unwrap_or(F::Unknown)
    }
}

use F::{Bytes, Fixed32, Fixed64, Msg, PackedFixed64, PackedVarint, Record, Str, Unknown, Varint};

// --- common ------------------------------------------------------------------

static ANY_VALUE: Schema = Schema {
    // string, bool, int64, double, ArrayValue, KeyValueList, bytes
    by_tag: &[
        Unknown,
        Str,
        Varint,
        Varint,
        Fixed64,
        Msg(&ARRAY_VALUE),
        Msg(&KEY_VALUE_LIST),
        Bytes,
    ],
};
static ARRAY_VALUE: Schema = Schema {
    by_tag: &[Unknown, Msg(&ANY_VALUE)],
};
static KEY_VALUE_LIST: Schema = Schema {
    by_tag: &[Unknown, Msg(&KEY_VALUE)],
};
static KEY_VALUE: Schema = Schema {
    by_tag: &[Unknown, Str, Msg(&ANY_VALUE)],
};
static SCOPE: Schema = Schema {
    // name, version, attributes, dropped_attributes_count
    by_tag: &[Unknown, Str, Str, Msg(&KEY_VALUE), Varint],
};
static ENTITY_REF: Schema = Schema {
    // schema_url, type, id_keys, description_keys
    by_tag: &[Unknown, Str, Str, Str, Str],
};
static RESOURCE: Schema = Schema {
    // attributes, dropped_attributes_count, entity_refs
    by_tag: &[Unknown, Msg(&KEY_VALUE), Varint, Msg(&ENTITY_REF)],
};

// --- logs --------------------------------------------------------------------

static LOGS_REQUEST: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE_LOGS)],
};
static RESOURCE_LOGS: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE), Msg(&SCOPE_LOGS), Str],
};
static SCOPE_LOGS: Schema = Schema {
    by_tag: &[Unknown, Msg(&SCOPE), Record(&LOG_RECORD), Str],
};
static LOG_RECORD: Schema = Schema {
    by_tag: &[
        Unknown,
        Fixed64,         // 1 time_unix_nano
        Varint,          // 2 severity_number
        Str,             // 3 severity_text
        Unknown,         // 4
        Msg(&ANY_VALUE), // 5 body
        Msg(&KEY_VALUE), // 6 attributes
        Varint,          // 7 dropped_attributes_count
        Fixed32,         // 8 flags
        Bytes,           // 9 trace_id
        Bytes,           // 10 span_id
        Fixed64,         // 11 observed_time_unix_nano
        Str,             // 12 event_name
    ],
};

// --- metrics -----------------------------------------------------------------

static METRICS_REQUEST: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE_METRICS)],
};
static RESOURCE_METRICS: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE), Msg(&SCOPE_METRICS), Str],
};
static SCOPE_METRICS: Schema = Schema {
    by_tag: &[Unknown, Msg(&SCOPE), Record(&METRIC), Str],
};
static METRIC: Schema = Schema {
    by_tag: &[
        Unknown,
        Str,                         // 1 name
        Str,                         // 2 description
        Str,                         // 3 unit
        Unknown,                     // 4
        Msg(&GAUGE),                 // 5 gauge
        Unknown,                     // 6
        Msg(&SUM),                   // 7 sum
        Unknown,                     // 8
        Msg(&HISTOGRAM),             // 9 histogram
        Msg(&EXPONENTIAL_HISTOGRAM), // 10 exponential_histogram
        Msg(&SUMMARY),               // 11 summary
        Msg(&KEY_VALUE),             // 12 metadata
    ],
};
static GAUGE: Schema = Schema {
    by_tag: &[Unknown, Msg(&NUMBER_POINT)],
};
static SUM: Schema = Schema {
    // data_points, aggregation_temporality, is_monotonic
    by_tag: &[Unknown, Msg(&NUMBER_POINT), Varint, Varint],
};
static HISTOGRAM: Schema = Schema {
    by_tag: &[Unknown, Msg(&HISTOGRAM_POINT), Varint],
};
static EXPONENTIAL_HISTOGRAM: Schema = Schema {
    by_tag: &[Unknown, Msg(&EXPONENTIAL_POINT), Varint],
};
static SUMMARY: Schema = Schema {
    by_tag: &[Unknown, Msg(&SUMMARY_POINT)],
};
static NUMBER_POINT: Schema = Schema {
    by_tag: &[
        Unknown,
        Unknown,         // 1
        Fixed64,         // 2 start_time_unix_nano
        Fixed64,         // 3 time_unix_nano
        Fixed64,         // 4 as_double
        Msg(&EXEMPLAR),  // 5 exemplars
        Fixed64,         // 6 as_int (sfixed64)
        Msg(&KEY_VALUE), // 7 attributes
        Varint,          // 8 flags
    ],
};
static HISTOGRAM_POINT: Schema = Schema {
    by_tag: &[
        Unknown,
        Unknown,         // 1
        Fixed64,         // 2 start_time_unix_nano
        Fixed64,         // 3 time_unix_nano
        Fixed64,         // 4 count
        Fixed64,         // 5 sum
        PackedFixed64,   // 6 bucket_counts
        PackedFixed64,   // 7 explicit_bounds
        Msg(&EXEMPLAR),  // 8 exemplars
        Msg(&KEY_VALUE), // 9 attributes
        Varint,          // 10 flags
        Fixed64,         // 11 min
        Fixed64,         // 12 max
    ],
};
static EXPONENTIAL_POINT: Schema = Schema {
    by_tag: &[
        Unknown,
        Msg(&KEY_VALUE), // 1 attributes
        Fixed64,         // 2 start_time_unix_nano
        Fixed64,         // 3 time_unix_nano
        Fixed64,         // 4 count
        Fixed64,         // 5 sum
        Varint,          // 6 scale (sint32)
        Fixed64,         // 7 zero_count
        Msg(&BUCKETS),   // 8 positive
        Msg(&BUCKETS),   // 9 negative
        Varint,          // 10 flags
        Msg(&EXEMPLAR),  // 11 exemplars
        Fixed64,         // 12 min
        Fixed64,         // 13 max
        Fixed64,         // 14 zero_threshold
    ],
};
static BUCKETS: Schema = Schema {
    // offset (sint32), bucket_counts (repeated uint64)
    by_tag: &[Unknown, Varint, PackedVarint],
};
static SUMMARY_POINT: Schema = Schema {
    by_tag: &[
        Unknown,
        Unknown,         // 1
        Fixed64,         // 2 start_time_unix_nano
        Fixed64,         // 3 time_unix_nano
        Fixed64,         // 4 count
        Fixed64,         // 5 sum
        Msg(&QUANTILE),  // 6 quantile_values
        Msg(&KEY_VALUE), // 7 attributes
        Varint,          // 8 flags
    ],
};
static QUANTILE: Schema = Schema {
    by_tag: &[Unknown, Fixed64, Fixed64],
};
static EXEMPLAR: Schema = Schema {
    by_tag: &[
        Unknown,
        Unknown,         // 1
        Fixed64,         // 2 time_unix_nano
        Fixed64,         // 3 as_double
        Bytes,           // 4 span_id
        Bytes,           // 5 trace_id
        Fixed64,         // 6 as_int (sfixed64)
        Msg(&KEY_VALUE), // 7 filtered_attributes
    ],
};

// --- traces ------------------------------------------------------------------

static TRACES_REQUEST: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE_SPANS)],
};
static RESOURCE_SPANS: Schema = Schema {
    by_tag: &[Unknown, Msg(&RESOURCE), Msg(&SCOPE_SPANS), Str],
};
static SCOPE_SPANS: Schema = Schema {
    by_tag: &[Unknown, Msg(&SCOPE), Record(&SPAN), Str],
};
static SPAN: Schema = Schema {
    by_tag: &[
        Unknown,
        Bytes,           // 1 trace_id
        Bytes,           // 2 span_id
        Str,             // 3 trace_state
        Bytes,           // 4 parent_span_id
        Str,             // 5 name
        Varint,          // 6 kind
        Fixed64,         // 7 start_time_unix_nano
        Fixed64,         // 8 end_time_unix_nano
        Msg(&KEY_VALUE), // 9 attributes
        Varint,          // 10 dropped_attributes_count
        Msg(&EVENT),     // 11 events
        Varint,          // 12 dropped_events_count
        Msg(&LINK),      // 13 links
        Varint,          // 14 dropped_links_count
        Msg(&STATUS),    // 15 status
        Fixed32,         // 16 flags
    ],
};
static EVENT: Schema = Schema {
    // time_unix_nano, name, attributes, dropped_attributes_count
    by_tag: &[Unknown, Fixed64, Str, Msg(&KEY_VALUE), Varint],
};
static LINK: Schema = Schema {
    // trace_id, span_id, trace_state, attributes, dropped_attributes_count, flags
    by_tag: &[Unknown, Bytes, Bytes, Str, Msg(&KEY_VALUE), Varint, Fixed32],
};
static STATUS: Schema = Schema {
    // 1 unused, message, code
    by_tag: &[Unknown, Unknown, Str, Varint],
};

// --- the walk ----------------------------------------------------------------

/// Protobuf wire types (as prost's `WireType`).
const VARINT: u8 = 0;
const SIXTY_FOUR: u8 = 1;
const LEN: u8 = 2;
const START_GROUP: u8 = 3;
const END_GROUP: u8 = 4;
const THIRTY_TWO: u8 = 5;

/// The body is not a valid export request (reason: run the full decoder).
#[derive(Debug)]
struct Invalid;

type R<T> = Result<T, Invalid>;

/// The walk over one message: `buf` is exactly the message's bytes (a
/// nested message is walked over its own sub-slice, so every read is
/// bounded by one comparison with the slice's length).
struct Walk {
    records: usize,
}

/// A varint of at most 10 bytes at `*pos` in `buf`, as prost's
/// `decode_varint` (the tenth byte at most 1).
#[inline]
fn varint(buf: &[u8], pos: &mut usize) -> R<u64> {
    let b = *buf.get(*pos).ok_or(Invalid)?;
    if b < 0x80 {
        *pos += 1;
        return Ok(u64::from(b));
    }
    varint_slow(buf, pos)
}

#[cold]
fn varint_slow(buf: &[u8], pos: &mut usize) -> R<u64> {
    let mut value = 0u64;
    for count in 0..10 {
        let byte = *buf.get(*pos).ok_or(Invalid)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << (count * 7);
        if byte < 0x80 {
            if count == 9 && byte >= 0x02 {
                return Err(Invalid);
            }
            return Ok(value);
        }
    }
    Err(Invalid)
}

/// A field key: tag ≥ 1, wire type ≤ 5, key within `u32`.
#[inline]
fn key(buf: &[u8], pos: &mut usize) -> R<(u32, u8)> {
    // One byte (every field numbered below 16): within `u32`.
    let b = *buf.get(*pos).ok_or(Invalid)?;
    if b < 0x80 {
        let (tag, wire) = (u32::from(b >> 3), b & 7);
        if wire > THIRTY_TWO || tag < 1 {
            return Err(Invalid);
        }
        *pos += 1;
        return Ok((tag, wire));
    }
    key_slow(buf, pos)
}

#[cold]
fn key_slow(buf: &[u8], pos: &mut usize) -> R<(u32, u8)> {
    let key = varint(buf, pos)?;
    if key > u64::from(u32::MAX) {
        return Err(Invalid);
    }
    let wire = (key & 7) as u8;
    if wire > THIRTY_TWO {
        return Err(Invalid);
    }
    let tag = (key as u32) >> 3;
    if tag < 1 {
        return Err(Invalid);
    }
    Ok((tag, wire))
}

/// A length prefix; returns the delimited bytes and moves past them.
#[inline]
fn delimited<'a>(buf: &'a [u8], pos: &mut usize) -> R<&'a [u8]> {
    let len = varint(buf, pos)?;
    let start = *pos;
    if len > (buf.len() - start) as u64 {
        return Err(Invalid);
    }
    *pos = start + len as usize;
    Ok(&buf[start..*pos])
}

#[inline]
fn advance(buf: &[u8], pos: &mut usize, n: usize) -> R<()> {
    if n > buf.len() - *pos {
        return Err(Invalid);
    }
    *pos += n;
    Ok(())
}

impl Walk {
    /// The fields of the message `buf`; `ctx` is prost's remaining
    /// recursion budget at this message.
    fn message(&mut self, schema: &Schema, buf: &[u8], ctx: u32) -> R<()> {
        let mut pos = 0;
        let pos = &mut pos;
        while *pos < buf.len() {
            let (tag, wire) = key(buf, pos)?;
            match schema.field(tag) {
                Unknown => skip(buf, pos, wire, tag, ctx)?,
                Varint => {
                    expect(wire, VARINT)?;
                    varint(buf, pos)?;
                }
                Fixed32 => {
                    expect(wire, THIRTY_TWO)?;
                    advance(buf, pos, 4)?;
                }
                Fixed64 => {
                    expect(wire, SIXTY_FOUR)?;
                    advance(buf, pos, 8)?;
                }
                Bytes => {
                    expect(wire, LEN)?;
                    delimited(buf, pos)?;
                }
                Str => {
                    expect(wire, LEN)?;
                    utf8(delimited(buf, pos)?)?;
                }
                Msg(inner) => self.nested(buf, pos, wire, inner, ctx)?,
                Record(inner) => {
                    self.nested(buf, pos, wire, inner, ctx)?;
                    self.records += 1;
                }
                PackedVarint => {
                    if wire == LEN {
                        let packed = delimited(buf, pos)?;
                        let mut at = 0;
                        while at < packed.len() {
                            varint(packed, &mut at)?;
                        }
                    } else {
                        expect(wire, VARINT)?;
                        varint(buf, pos)?;
                    }
                }
                PackedFixed64 => {
                    if wire == LEN {
                        if delimited(buf, pos)?.len() % 8 != 0 {
                            return Err(Invalid);
                        }
                    } else {
                        expect(wire, SIXTY_FOUR)?;
                        advance(buf, pos, 8)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// A nested message field (prost's `message::merge`).
    #[inline]
    fn nested(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        wire: u8,
        schema: &Schema,
        ctx: u32,
    ) -> R<()> {
        expect(wire, LEN)?;
        if ctx == 0 {
            return Err(Invalid);
        }
        let inner = delimited(buf, pos)?;
        // The usual shapes of the most frequent messages, checked without
        // walking them field by field: exactly what the walk checks.
        if std::ptr::eq(schema, &KEY_VALUE) {
            if let Some((key, value)) = short_key_value(inner) {
                utf8(key)?;
                // `value` as a nested message of the `KeyValue`.
                if ctx - 1 == 0 {
                    return Err(Invalid);
                }
                return match short_string(value) {
                    Some(text) => utf8(text),
                    None => self.message(&ANY_VALUE, value, ctx - 2),
                };
            }
        } else if std::ptr::eq(schema, &ANY_VALUE) {
            if let Some(text) = short_string(inner) {
                return utf8(text);
            }
        }
        self.message(schema, inner, ctx - 1)
    }
}

/// The text of a message made of one string field 1 shorter than 128
/// bytes and nothing else (an `AnyValue` holding a `string_value`).
#[inline]
fn short_string(msg: &[u8]) -> Option<&[u8]> {
    match msg {
        [0x0a, len, text @ ..] if *len < 0x80 && usize::from(*len) == text.len() => Some(text),
        _ => None,
    }
}

/// The key and the value of a `KeyValue` made of its key (field 1) then one
/// value (field 2), each shorter than 128 bytes, and nothing else.
#[inline]
fn short_key_value(msg: &[u8]) -> Option<(&[u8], &[u8])> {
    let [0x0a, key_len, rest @ ..] = msg else {
        return None;
    };
    let key_len = usize::from(*key_len);
    if key_len >= 0x80 || key_len > rest.len() {
        return None;
    }
    let (key, rest) = rest.split_at(key_len);
    match rest {
        [0x12, len, value @ ..] if *len < 0x80 && usize::from(*len) == value.len() => {
            Some((key, value))
        }
        _ => None,
    }
}

/// The UTF-8 check of a string field.
#[inline]
fn utf8(text: &[u8]) -> R<()> {
    // ASCII (almost every string) is valid UTF-8; the word-at-a-time check
    // is much cheaper on short strings.
    if !text.is_ascii() {
        std::str::from_utf8(text).map_err(|_| Invalid)?;
    }
    Ok(())
}

/// prost's `skip_field`.
fn skip(buf: &[u8], pos: &mut usize, wire: u8, tag: u32, ctx: u32) -> R<()> {
    if ctx == 0 {
        return Err(Invalid);
    }
    match wire {
        VARINT => {
            varint(buf, pos)?;
        }
        THIRTY_TWO => advance(buf, pos, 4)?,
        SIXTY_FOUR => advance(buf, pos, 8)?,
        LEN => {
            delimited(buf, pos)?;
        }
        START_GROUP => loop {
            let (inner_tag, inner_wire) = key(buf, pos)?;
            if inner_wire == END_GROUP {
                if inner_tag != tag {
                    return Err(Invalid);
                }
                break;
            }
            skip(buf, pos, inner_wire, inner_tag, ctx - 1)?;
        },
        _ => return Err(Invalid),
    }
    Ok(())
}

#[inline]
fn expect(wire: u8, want: u8) -> R<()> {
    if wire == want {
        Ok(())
    } else {
        Err(Invalid)
    }
}

/// Validates a protobuf `Export*ServiceRequest` of `signal` and counts its
/// records (log records, metrics or spans); `None` when prost would refuse
/// the body.
pub fn count_records(signal: Signal, body: &[u8]) -> Option<usize> {
    let schema = match signal {
        Signal::Logs => &LOGS_REQUEST,
        Signal::Metrics => &METRICS_REQUEST,
        Signal::Traces => &TRACES_REQUEST,
    };
    let mut walk = Walk { records: 0 };
    walk.message(schema, body, RECURSION_LIMIT).ok()?;
    Some(walk.records)
}
