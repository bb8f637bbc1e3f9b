//! Datadog Agent protobuf series: the `MetricPayload` message recent agents
//! send to `/api/v2/series` (`Content-Type: application/x-protobuf`), read
//! straight from the wire.
//!
//! The schema is small and stable (field numbers from the agent's
//! `agent_payload.proto`):
//!
//! ```text
//! MetricPayload { repeated MetricSeries series = 1; }
//! MetricSeries  { repeated Resource resources = 1; string metric = 2;
//!                 repeated string tags = 3; repeated MetricPoint points = 4;
//!                 MetricType type = 5; string unit = 6; ... }
//! Resource      { string type = 1; string name = 2; }
//! MetricType    { UNSPECIFIED = 0; COUNT = 1; RATE = 2; GAUGE = 3; }
//! ```
//!
//! Nothing is decoded into owned messages and nothing is re-encoded: a
//! filtered body is the original bytes of every top-level field except the
//! dropped series, so points, intervals, origin metadata and fields this
//! reader does not know reach the intake exactly as the agent wrote them.

use std::ops::Range;

use super::view::{resource_key, tag_value, SeriesFields, SeriesKind};

/// Protobuf wire types.
const VARINT: u8 = 0;
const I64: u8 = 1;
const LEN: u8 = 2;
const I32: u8 = 5;

/// One field's payload.
#[derive(Clone, Copy)]
enum Payload {
    Varint(u64),
    Len(usize, usize),
    Fixed,
}

/// A varint at `*i`, at most ten bytes.
fn varint(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let byte = *b.get(*i)?;
        *i += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

/// The fields of one message, in order; `None` ends the walk on a
/// malformed field (the caller then refuses the whole message).
struct Fields<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Fields<'a> {
    fn new(b: &'a [u8]) -> Self {
        Fields { b, i: 0 }
    }

    /// The next field: its number, payload and whole byte range (tag
    /// included); `Some(None)` at the end, `None` when malformed (groups,
    /// unknown wire types and field number 0 included).
    fn next_field(&mut self) -> Option<Option<(u64, Payload, Range<usize>)>> {
        let b = self.b;
        if self.i == b.len() {
            return Some(None);
        }
        let start = self.i;
        let tag = varint(b, &mut self.i)?;
        let (number, wire) = (tag >> 3, (tag & 7) as u8);
        if number == 0 || number > u64::from(u32::MAX >> 3) {
            return None;
        }
        let payload = match wire {
            VARINT => Payload::Varint(varint(b, &mut self.i)?),
            I64 | I32 => {
                let n = if wire == I64 { 8 } else { 4 };
                if b.len() - self.i < n {
                    return None;
                }
                self.i += n;
                Payload::Fixed
            }
            LEN => {
                let len = usize::try_from(varint(b, &mut self.i)?).ok()?;
                if b.len() - self.i < len {
                    return None;
                }
                let at = self.i;
                self.i += len;
                Payload::Len(at, at + len)
            }
            _ => return None,
        };
        Some(Some((number, payload, start..self.i)))
    }
}

/// One top-level field of a `MetricPayload`: its whole byte range (tag
/// included), and the range of the series message when it is one.
pub(super) type TopField = (Range<usize>, Option<Range<usize>>);

/// Every top-level field of a `MetricPayload`, in order. `None` when the
/// body is not a well-formed message (checked here, before any field is
/// returned). The fields are read as they are asked for, not collected: a
/// body of many tiny series takes no memory beyond itself.
pub(super) fn split(body: &[u8]) -> Option<impl Iterator<Item = TopField> + '_> {
    let mut fields = Fields::new(body);
    while let Some((number, payload, _)) = fields.next_field()? {
        // A series field that is not a message: malformed.
        if number == 1 && !matches!(payload, Payload::Len(..)) {
            return None;
        }
    }
    let mut fields = Fields::new(body);
    Some(std::iter::from_fn(move || {
        // Checked above: well formed to the end.
        let (number, payload, whole) = fields.next_field()??;
        let series = match (number, payload) {
            (1, Payload::Len(start, end)) => Some(start..end),
            _ => None,
        };
        Some((whole, series))
    }))
}

/// A UTF-8 string field's text.
fn text(b: &[u8], start: usize, end: usize) -> Option<&str> {
    std::str::from_utf8(&b[start..end]).ok()
}

/// One `MetricSeries`, borrowed from the body: what every policy reads is
/// found once; tags and resources are read again from the bytes when a
/// policy asks for one (no allocation per series).
pub struct ProtoSeries<'a> {
    raw: &'a [u8],
    metric: Option<&'a str>,
    unit: Option<&'a str>,
    kind: Option<SeriesKind>,
}

impl<'a> ProtoSeries<'a> {
    /// Reads one series message. `None` when it is malformed: a field the
    /// policies read has the wrong wire type or is not UTF-8, a resource is
    /// malformed, or the bytes are not protobuf.
    pub fn parse(raw: &'a [u8]) -> Option<Self> {
        let mut series = ProtoSeries {
            raw,
            metric: None,
            unit: None,
            kind: Some(SeriesKind::Unspecified),
        };
        let mut fields = Fields::new(raw);
        while let Some((number, payload, _)) = fields.next_field()? {
            match (number, payload) {
                (1, Payload::Len(start, end)) => {
                    resource(&raw[start..end])?;
                }
                // proto3: the last occurrence of a singular field wins.
                (2, Payload::Len(start, end)) => series.metric = Some(text(raw, start, end)?),
                (3, Payload::Len(start, end)) => {
                    text(raw, start, end)?;
                }
                (5, Payload::Varint(v)) => {
                    series.kind = match v as i32 {
                        0 => Some(SeriesKind::Unspecified),
                        1 => Some(SeriesKind::Count),
                        2 => Some(SeriesKind::Rate),
                        3 => Some(SeriesKind::Gauge),
                        _ => None,
                    }
                }
                (6, Payload::Len(start, end)) => series.unit = Some(text(raw, start, end)?),
                (1 | 2 | 3 | 5 | 6, _) => return None,
                _ => {}
            }
        }
        Some(series)
    }

    /// The series kind, `None` when its number is unknown.
    pub fn series_kind(&self) -> Option<SeriesKind> {
        self.kind
    }

    /// The `(number, start, end)` of each length-delimited field `number`.
    fn each(&self, number: u64) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut fields = Fields::new(self.raw);
        std::iter::from_fn(move || loop {
            // `parse` walked these bytes already: they are well formed.
            match fields.next_field()?? {
                (n, Payload::Len(start, end), _) if n == number => return Some((start, end)),
                _ => continue,
            }
        })
    }

    fn tag(&self, key: &str) -> Option<&'a str> {
        let raw = self.raw;
        self.each(3)
            .find_map(|(start, end)| tag_value(text(raw, start, end)?, key))
    }

    fn resource(&self, key: &str) -> Option<&'a str> {
        let wanted = resource_key(key);
        let raw = self.raw;
        self.each(1).find_map(|(start, end)| {
            let (kind, name) = resource(&raw[start..end])?;
            (kind == Some(wanted)).then(|| name.unwrap_or(""))
        })
    }
}

/// A `Resource` message's type and name (last occurrence of each).
fn resource(raw: &[u8]) -> Option<(Option<&str>, Option<&str>)> {
    let (mut kind, mut name) = (None, None);
    let mut fields = Fields::new(raw);
    while let Some((number, payload, _)) = fields.next_field()? {
        match (number, payload) {
            (1, Payload::Len(start, end)) => kind = Some(text(raw, start, end)?),
            (2, Payload::Len(start, end)) => name = Some(text(raw, start, end)?),
            (1 | 2, _) => return None,
            _ => {}
        }
    }
    Some((kind, name))
}

impl SeriesFields for ProtoSeries<'_> {
    fn name(&self) -> Option<&str> {
        self.metric
    }
    fn unit(&self) -> Option<&str> {
        self.unit
    }
    fn tag(&self, key: &str) -> Option<&str> {
        ProtoSeries::tag(self, key)
    }
    fn resource(&self, key: &str) -> Option<&str> {
        ProtoSeries::resource(self, key)
    }
    fn kind(&self) -> Option<SeriesKind> {
        self.kind
    }
}
