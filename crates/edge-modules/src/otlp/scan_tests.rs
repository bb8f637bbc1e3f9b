//! Differential tests of the fast validators (`scan_proto`, `scan_json`)
//! against the full decoders: random valid requests of every signal and
//! mutations of them (truncated, bytes flipped, inserted and removed, wrong
//! wire types, invalid UTF-8, deep nesting, unknown fields, wrong JSON
//! types, duplicate and snake_case keys).
//!
//! The contract: the fast path never accepts a body the full decoder
//! refuses, counts the same records, and (protobuf) refuses exactly what
//! prost refuses; for JSON it may refuse a valid body only in the cases
//! it documents (a known field given twice), which the full decoder then
//! decides.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{
    any_value, AnyValue, ArrayValue, EntityRef, InstrumentationScope, KeyValue, KeyValueList,
};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::metrics::v1::{
    exemplar, exponential_histogram_data_point, metric, number_data_point, summary_data_point,
    Exemplar, ExponentialHistogram, ExponentialHistogramDataPoint, Gauge, Histogram,
    HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, Sum, Summary,
    SummaryDataPoint,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{span, ResourceSpans, ScopeSpans, Span, Status};
use prost::Message;
use serde_json::{json, Map, Value};

use super::*;

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    pub(super) fn text(&mut self) -> String {
        const WORDS: [&str; 8] = [
            "",
            "a",
            "checkout",
            "ümlaut",
            "日本",
            "x y",
            "\"q\"",
            "é\u{1F600}",
        ];
        WORDS[self.below(WORDS.len())].to_owned()
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    /// Bytes of one of the lengths in `lens`.
    fn bytes_of(&mut self, lens: &[usize]) -> Vec<u8> {
        let n = lens[self.below(lens.len())];
        self.bytes(n)
    }
}

// --- protobuf: random valid requests ---------------------------------------

fn any_value(r: &mut Rng, depth: usize) -> AnyValue {
    use any_value::Value as V;
    let value = match r.below(if depth < 3 { 9 } else { 6 }) {
        0 => None,
        1 => Some(V::StringValue(r.text())),
        2 => Some(V::BoolValue(r.one_in(2))),
        3 => Some(V::IntValue(r.next() as i64)),
        4 => Some(V::DoubleValue(r.next() as f64 / 7.0)),
        5 => Some(V::BytesValue(r.bytes_of(&[0, 1, 2, 3, 4]))),
        6 => Some(V::ArrayValue(ArrayValue {
            values: (0..r.below(3)).map(|_| any_value(r, depth + 1)).collect(),
        })),
        _ => Some(V::KvlistValue(KeyValueList {
            values: attrs(r, depth + 1),
        })),
    };
    AnyValue { value }
}

fn attrs(r: &mut Rng, depth: usize) -> Vec<KeyValue> {
    (0..r.below(3))
        .map(|_| KeyValue {
            key: r.text(),
            value: (!r.one_in(5)).then(|| any_value(r, depth)),
        })
        .collect()
}

fn resource(r: &mut Rng) -> Option<Resource> {
    (!r.one_in(4)).then(|| Resource {
        attributes: attrs(r, 0),
        dropped_attributes_count: r.below(3) as u32,
        entity_refs: (0..r.below(2))
            .map(|_| EntityRef {
                schema_url: r.text(),
                r#type: r.text(),
                id_keys: vec![r.text()],
                description_keys: vec![r.text(), r.text()],
            })
            .collect(),
    })
}

fn scope(r: &mut Rng) -> Option<InstrumentationScope> {
    (!r.one_in(4)).then(|| InstrumentationScope {
        name: r.text(),
        version: r.text(),
        attributes: attrs(r, 0),
        dropped_attributes_count: r.below(2) as u32,
    })
}

fn log_record(r: &mut Rng) -> LogRecord {
    LogRecord {
        time_unix_nano: r.next(),
        observed_time_unix_nano: r.next() >> r.below(64),
        severity_number: r.below(25) as i32,
        severity_text: r.text(),
        body: (!r.one_in(4)).then(|| any_value(r, 0)),
        attributes: attrs(r, 0),
        dropped_attributes_count: r.below(2) as u32,
        flags: r.next() as u32,
        trace_id: r.bytes_of(&[0, 16, 3]),
        span_id: r.bytes_of(&[0, 8]),
        event_name: r.text(),
    }
}

fn logs_request(r: &mut Rng) -> ExportLogsServiceRequest {
    ExportLogsServiceRequest {
        resource_logs: (0..r.below(3))
            .map(|_| ResourceLogs {
                resource: resource(r),
                scope_logs: (0..r.below(3))
                    .map(|_| ScopeLogs {
                        scope: scope(r),
                        log_records: (0..r.below(4)).map(|_| log_record(r)).collect(),
                        schema_url: r.text(),
                    })
                    .collect(),
                schema_url: r.text(),
            })
            .collect(),
    }
}

fn exemplars(r: &mut Rng) -> Vec<Exemplar> {
    (0..r.below(2))
        .map(|_| Exemplar {
            filtered_attributes: attrs(r, 0),
            time_unix_nano: r.next(),
            span_id: r.bytes(8),
            trace_id: r.bytes(16),
            value: match r.below(3) {
                0 => None,
                1 => Some(exemplar::Value::AsDouble(1.5)),
                _ => Some(exemplar::Value::AsInt(-(r.next() as i64).abs())),
            },
        })
        .collect()
}

fn number_points(r: &mut Rng) -> Vec<NumberDataPoint> {
    (0..r.below(3))
        .map(|_| NumberDataPoint {
            attributes: attrs(r, 0),
            start_time_unix_nano: r.next(),
            time_unix_nano: r.next(),
            exemplars: exemplars(r),
            flags: r.below(2) as u32,
            value: match r.below(3) {
                0 => None,
                1 => Some(number_data_point::Value::AsDouble(0.25)),
                _ => Some(number_data_point::Value::AsInt(r.next() as i64)),
            },
        })
        .collect()
}

fn metric(r: &mut Rng) -> Metric {
    let data = match r.below(6) {
        0 => None,
        1 => Some(metric::Data::Gauge(Gauge {
            data_points: number_points(r),
        })),
        2 => Some(metric::Data::Sum(Sum {
            data_points: number_points(r),
            aggregation_temporality: r.below(3) as i32,
            is_monotonic: r.one_in(2),
        })),
        3 => Some(metric::Data::Histogram(Histogram {
            data_points: (0..r.below(3))
                .map(|_| HistogramDataPoint {
                    attributes: attrs(r, 0),
                    start_time_unix_nano: r.next(),
                    time_unix_nano: r.next(),
                    count: r.next(),
                    sum: (!r.one_in(2)).then_some(3.5),
                    bucket_counts: (0..r.below(4)).map(|_| r.next()).collect(),
                    explicit_bounds: (0..r.below(4)).map(|i| i as f64).collect(),
                    exemplars: exemplars(r),
                    flags: 0,
                    min: (!r.one_in(2)).then_some(-1.0),
                    max: (!r.one_in(2)).then_some(9.0),
                })
                .collect(),
            aggregation_temporality: r.below(3) as i32,
        })),
        4 => Some(metric::Data::ExponentialHistogram(ExponentialHistogram {
            data_points: (0..r.below(3))
                .map(|_| ExponentialHistogramDataPoint {
                    attributes: attrs(r, 0),
                    start_time_unix_nano: r.next(),
                    time_unix_nano: r.next(),
                    count: r.next(),
                    sum: Some(1.0),
                    scale: r.below(20) as i32 - 10,
                    zero_count: r.next() >> 40,
                    positive: (!r.one_in(3)).then(|| exponential_histogram_data_point::Buckets {
                        offset: -3,
                        bucket_counts: (0..r.below(4)).map(|_| r.next() >> r.below(64)).collect(),
                    }),
                    negative: None,
                    flags: 1,
                    exemplars: exemplars(r),
                    min: None,
                    max: Some(2.0),
                    zero_threshold: 0.001,
                })
                .collect(),
            aggregation_temporality: 2,
        })),
        _ => Some(metric::Data::Summary(Summary {
            data_points: (0..r.below(3))
                .map(|_| SummaryDataPoint {
                    attributes: attrs(r, 0),
                    start_time_unix_nano: 1,
                    time_unix_nano: 2,
                    count: 3,
                    sum: 4.0,
                    quantile_values: (0..r.below(3))
                        .map(|i| summary_data_point::ValueAtQuantile {
                            quantile: i as f64 / 2.0,
                            value: 7.0,
                        })
                        .collect(),
                    flags: 0,
                })
                .collect(),
        })),
    };
    Metric {
        name: r.text(),
        description: r.text(),
        unit: r.text(),
        metadata: attrs(r, 0),
        data,
    }
}

fn metrics_request(r: &mut Rng) -> ExportMetricsServiceRequest {
    ExportMetricsServiceRequest {
        resource_metrics: (0..r.below(3))
            .map(|_| ResourceMetrics {
                resource: resource(r),
                scope_metrics: (0..r.below(3))
                    .map(|_| ScopeMetrics {
                        scope: scope(r),
                        metrics: (0..r.below(4)).map(|_| metric(r)).collect(),
                        schema_url: r.text(),
                    })
                    .collect(),
                schema_url: r.text(),
            })
            .collect(),
    }
}

fn span(r: &mut Rng) -> Span {
    Span {
        trace_id: r.bytes(16),
        span_id: r.bytes(8),
        trace_state: r.text(),
        parent_span_id: r.bytes_of(&[0, 8]),
        flags: r.next() as u32,
        name: r.text(),
        kind: r.below(6) as i32,
        start_time_unix_nano: r.next(),
        end_time_unix_nano: r.next(),
        attributes: attrs(r, 0),
        dropped_attributes_count: 0,
        events: (0..r.below(3))
            .map(|_| span::Event {
                time_unix_nano: r.next(),
                name: r.text(),
                attributes: attrs(r, 0),
                dropped_attributes_count: r.below(2) as u32,
            })
            .collect(),
        dropped_events_count: r.below(2) as u32,
        links: (0..r.below(3))
            .map(|_| span::Link {
                trace_id: r.bytes(16),
                span_id: r.bytes(8),
                trace_state: r.text(),
                attributes: attrs(r, 0),
                dropped_attributes_count: 0,
                flags: r.next() as u32,
            })
            .collect(),
        dropped_links_count: 0,
        status: (!r.one_in(3)).then(|| Status {
            message: r.text(),
            code: r.below(3) as i32,
        }),
    }
}

fn traces_request(r: &mut Rng) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: (0..r.below(3))
            .map(|_| ResourceSpans {
                resource: resource(r),
                scope_spans: (0..r.below(3))
                    .map(|_| ScopeSpans {
                        scope: scope(r),
                        spans: (0..r.below(4)).map(|_| span(r)).collect(),
                        schema_url: r.text(),
                    })
                    .collect(),
                schema_url: r.text(),
            })
            .collect(),
    }
}

fn protobuf_request(r: &mut Rng, signal: Signal) -> Vec<u8> {
    match signal {
        Signal::Logs => logs_request(r).encode_to_vec(),
        Signal::Metrics => metrics_request(r).encode_to_vec(),
        Signal::Traces => traces_request(r).encode_to_vec(),
    }
}

// --- protobuf: raw encoding helpers ----------------------------------------

fn varint(v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_varint(v, &mut out);
    out
}

fn key(tag: u32, wire: u8) -> Vec<u8> {
    varint(u64::from(tag) << 3 | u64::from(wire))
}

fn delimited(tag: u32, body: &[u8]) -> Vec<u8> {
    let mut out = key(tag, 2);
    out.extend(varint(body.len() as u64));
    out.extend_from_slice(body);
    out
}

/// Unknown fields of every wire type (a group with nested content too).
fn unknown_fields(r: &mut Rng) -> Vec<u8> {
    let tag = 100 + r.below(1000) as u32;
    let mut out = Vec::new();
    match r.below(5) {
        0 => {
            out.extend(key(tag, 0));
            out.extend(varint(r.next()));
        }
        1 => {
            out.extend(key(tag, 1));
            out.extend(r.bytes(8));
        }
        2 => {
            out.extend(key(tag, 5));
            out.extend(r.bytes(4));
        }
        3 => out.extend(delimited(tag, &r.bytes_of(&[0, 1, 2, 5]))),
        _ => {
            out.extend(key(tag, 3));
            out.extend(key(1, 0));
            out.extend(varint(7));
            out.extend(key(2, 3));
            out.extend(delimited(3, b"in"));
            out.extend(key(2, 4));
            out.extend(key(tag, 4));
        }
    }
    out
}

/// A logs request built field by field, with unknown fields at every
/// level, packed and unpacked repeats and repeated occurrences of
/// singular fields.
fn raw_logs_request(r: &mut Rng) -> (Vec<u8>, usize) {
    let mut records = 0;
    let mut req = Vec::new();
    for _ in 0..r.below(3) {
        let mut rl = Vec::new();
        if r.one_in(2) {
            rl.extend(delimited(
                1,
                &resource(r).unwrap_or_default().encode_to_vec(),
            ));
        }
        for _ in 0..r.below(3) {
            let mut sl = Vec::new();
            for _ in 0..r.below(4) {
                let mut rec = log_record(r).encode_to_vec();
                if r.one_in(2) {
                    rec.extend(unknown_fields(r));
                }
                if r.one_in(3) {
                    // A singular field again: the last one wins.
                    rec.extend(delimited(3, b"again"));
                }
                sl.extend(delimited(2, &rec));
                records += 1;
            }
            if r.one_in(2) {
                sl.extend(unknown_fields(r));
            }
            rl.extend(delimited(2, &sl));
        }
        if r.one_in(2) {
            rl.extend(unknown_fields(r));
        }
        req.extend(delimited(1, &rl));
    }
    if r.one_in(2) {
        req.extend(unknown_fields(r));
    }
    (req, records)
}

/// A histogram point with bucket counts unpacked and packed, and
/// exponential buckets packed and one varint at a time.
fn raw_metrics_request(r: &mut Rng) -> (Vec<u8>, usize) {
    let mut point = Vec::new();
    for v in [3u64, 9] {
        point.extend(key(6, 1));
        point.extend(v.to_le_bytes());
    }
    let packed: Vec<u8> = [1.0f64, 2.0].iter().flat_map(|f| f.to_le_bytes()).collect();
    point.extend(delimited(7, &packed));
    let hist = delimited(1, &point);
    let mut buckets = delimited(2, &[varint(300), varint(1)].concat());
    buckets.extend(key(2, 0));
    buckets.extend(varint(u64::MAX));
    let expo = delimited(1, &delimited(8, &buckets));
    let n = 1 + r.below(3);
    let mut scope = Vec::new();
    for i in 0..n {
        let mut m = delimited(1, b"name");
        m.extend(if i % 2 == 0 {
            delimited(9, &hist)
        } else {
            delimited(10, &expo)
        });
        scope.extend(delimited(2, &m));
    }
    (delimited(1, &delimited(2, &scope)), n)
}

// --- protobuf: mutations ----------------------------------------------------

pub(super) fn mutate(r: &mut Rng, body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    let n = b.len();
    match r.below(8) {
        0 if n > 0 => b.truncate(r.below(n)),
        1 if n > 0 => {
            let i = r.below(n);
            b[i] ^= 1 << r.below(8);
        }
        2 if n > 0 => {
            let i = r.below(n);
            b[i] = [0x80, 0xff, 0x00, 0x7f, 0xc3, 0x0f, 0x0b, 0x0c][r.below(8)];
        }
        3 => {
            let i = r.below(n + 1);
            let ins = r.bytes_of(&[1, 2, 3, 4]);
            b.splice(i..i, ins);
        }
        4 if n > 1 => {
            let i = r.below(n);
            let j = (i + 1 + r.below(8)).min(n);
            b.drain(i..j);
        }
        5 => {
            // Insert a well-formed unknown field somewhere (valid only at a
            // field boundary).
            let i = r.below(n + 1);
            let f = unknown_fields(r);
            b.splice(i..i, f);
        }
        6 if n > 0 => {
            // Change a wire type of some key-looking byte.
            let i = r.below(n);
            b[i] = (b[i] & !7) | r.below(8) as u8;
        }
        _ => {
            // Invalid UTF-8 in some string-looking run.
            if let Some(i) = b.iter().position(|&c| c == b'a' || c == b'x' || c == 0xc3) {
                b[i] = 0xff;
            } else if n > 0 {
                let i = r.below(n);
                b[i] = 0xfe;
            }
        }
    }
    b
}

fn compare(
    signal: Signal,
    encoding: Encoding,
    body: &[u8],
) -> (Option<usize>, Result<usize, Malformed>) {
    let fast = count_records_fast(signal, encoding, body);
    let full = count_records_full(signal, encoding, body);
    if let Some(n) = fast {
        assert_eq!(
            full.as_ref().ok(),
            Some(&n),
            "fast path accepted {n} records, full decoder says {full:?}: {signal:?} {encoding:?} {:?}",
            String::from_utf8_lossy(body)
        );
    }
    (fast, full)
}

/// Protobuf: the fast path accepts exactly what prost accepts.
fn assert_same_protobuf(signal: Signal, body: &[u8]) -> bool {
    let (fast, full) = compare(signal, Encoding::Protobuf, body);
    assert_eq!(
        fast.is_some(),
        full.is_ok(),
        "{signal:?}: fast {fast:?}, prost {full:?}, body {body:02x?}"
    );
    fast.is_some()
}

#[test]
fn protobuf_random_and_mutated_requests_agree_with_prost() {
    let mut r = Rng(0x5eed_0001);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..1_500 {
        let signal = Signal::ALL[round % 3];
        let body = protobuf_request(&mut r, signal);
        assert!(assert_same_protobuf(signal, &body), "valid body refused");
        for _ in 0..12 {
            let mut m = mutate(&mut r, &body);
            if r.one_in(3) {
                m = mutate(&mut r, &m);
            }
            if assert_same_protobuf(signal, &m) {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
        // The same bytes read as another signal's request.
        assert_same_protobuf(Signal::ALL[(round + 1) % 3], &body);
    }
    // Both outcomes were exercised.
    assert!(
        accepted > 1_000 && refused > 1_000,
        "{accepted} / {refused}"
    );
}

#[test]
fn protobuf_unknown_fields_groups_packed_and_repeats() {
    let mut r = Rng(0x5eed_0002);
    for _ in 0..500 {
        let (body, records) = raw_logs_request(&mut r);
        assert_eq!(
            count_records_fast(Signal::Logs, Encoding::Protobuf, &body),
            Some(records)
        );
        assert!(assert_same_protobuf(Signal::Logs, &body));
        for _ in 0..8 {
            assert_same_protobuf(Signal::Logs, &mutate(&mut r, &body));
        }
        let (body, records) = raw_metrics_request(&mut r);
        assert_eq!(
            count_records_fast(Signal::Metrics, Encoding::Protobuf, &body),
            Some(records)
        );
        assert!(assert_same_protobuf(Signal::Metrics, &body));
        for _ in 0..8 {
            assert_same_protobuf(Signal::Metrics, &mutate(&mut r, &body));
        }
    }
}

#[test]
fn protobuf_edge_cases_agree_with_prost() {
    let rec = |fields: &[u8]| delimited(1, &delimited(2, &delimited(2, fields)));
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x00],                                             // tag 0
        vec![0x0e],                                             // wire type 6
        vec![0x0f],                                             // wire type 7
        vec![0x0c],                                             // end group at top level
        vec![0x0b, 0x0c],                                       // empty group of field 1
        vec![0x0b, 0x14],                                       // group closed by another tag
        vec![0x0b],                                             // group not closed
        vec![0x0a, 0x05, 0x00],                                 // length past the end
        [key(999, 0), vec![0xff; 9], vec![0x01]].concat(),      // 10-byte varint, last 1
        [key(999, 0), vec![0xff; 9], vec![0x02]].concat(),      // 10-byte varint overflow
        [key(999, 0), vec![0xff; 10], vec![0x00]].concat(),     // 11 bytes
        [vec![0x80; 4], vec![0x10]].concat(),                   // key > u32::MAX
        [vec![0xff; 4], vec![0x0f]].concat(),                   // largest key, wire 7
        [vec![0xf8, 0xff, 0xff, 0xff, 0x0f], vec![0]].concat(), // tag 2^29-1 varint
        [key(1, 0), varint(1)].concat(),                        // resource_logs as varint
        [key(1, 1), vec![0; 8]].concat(),                       // resource_logs as fixed64
        rec(&[key(1, 0), varint(5)].concat()),                  // time_unix_nano as varint
        rec(&[key(1, 1), vec![0; 8]].concat()),
        rec(&[key(1, 1), vec![0; 7]].concat()), // fixed64 cut short
        rec(&[key(8, 5), vec![0; 4]].concat()),
        rec(&[key(8, 1), vec![0; 8]].concat()), // flags as fixed64
        rec(&delimited(3, &[0xff])),            // severity_text not UTF-8
        rec(&delimited(3, "é".as_bytes())),
        rec(&delimited(3, &"é".as_bytes()[..1])),
        rec(&delimited(9, &[0xff, 0xfe])), // bytes: anything
        rec(&delimited(5, &delimited(1, &[0xc0]))), // body string not UTF-8
        rec(&delimited(5, &delimited(7, &[0xc0]))), // body bytes
        rec(&delimited(5, &[key(2, 0), varint(7)].concat())),
        rec(&delimited(5, &[key(2, 2), varint(0)].concat())), // bool as bytes
        rec(&delimited(5, &[key(1, 0), varint(0)].concat())), // string as varint
        rec(&delimited(6, &delimited(1, b"k"))),
        rec(&delimited(6, &[key(1, 2), vec![5], b"k".to_vec()].concat())), // nested len past parent
        rec(&delimited(4, b"unknown tag 4")),
        rec(&[key(4, 3), key(4, 4)].concat()),
        rec(&[key(4, 3), key(5, 4)].concat()),
        rec(&[key(4, 4)].concat()),
    ];
    // Metrics: packed and unpacked repeats, wrong wire types for them.
    let metric = |point: &[u8], data_tag: u32| {
        delimited(
            1,
            &delimited(2, &delimited(2, &delimited(data_tag, &delimited(1, point)))),
        )
    };
    cases.extend([
        metric(&delimited(6, &[0u8; 16]), 9),
        metric(&delimited(6, &[0u8; 12]), 9), // packed fixed64 not a multiple of 8
        metric(&[key(6, 0), varint(3)].concat(), 9), // fixed64 list as varint
        metric(&[key(7, 5), vec![0; 4]].concat(), 9),
        metric(&delimited(8, &delimited(2, &[0x80, 0x01, 0x05])), 10),
        metric(&delimited(8, &delimited(2, &[0x80, 0x80])), 10), // packed varint cut
        metric(&delimited(8, &[key(2, 1), vec![0; 8]].concat()), 10),
        metric(&delimited(8, &[key(1, 0), varint(u64::MAX)].concat()), 10), // sint32
        metric(&[key(4, 1), vec![0; 8]].concat(), 7),                       // as_double
        metric(&[key(6, 0), varint(1)].concat(), 7), // as_int (sfixed64) as varint
    ]);
    for body in &cases {
        for signal in Signal::ALL {
            assert_same_protobuf(signal, body);
        }
    }
}

/// Nested `AnyValue`s around prost's recursion limit, with an unknown field
/// or a group at the innermost level.
#[test]
fn protobuf_recursion_limit_matches_prost() {
    for levels in 40..56 {
        for inner in [
            vec![],
            delimited(1, b"x"),
            [key(9, 0), varint(1)].concat(),
            [key(9, 3), key(1, 0), varint(1), key(9, 4)].concat(),
            [key(9, 3), key(8, 3), key(8, 4), key(9, 4)].concat(),
        ] {
            let mut any = inner.clone();
            for _ in 0..levels {
                // AnyValue.array_value = 5, ArrayValue.values = 1.
                any = delimited(5, &delimited(1, &any));
            }
            let body = delimited(1, &delimited(2, &delimited(2, &delimited(5, &any))));
            assert_same_protobuf(Signal::Logs, &body);
        }
    }
}

/// Field case 5 for the fast path: no policies, nesting far past every
/// limit, a small stack.
#[test]
fn fast_paths_refuse_deep_nesting_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(|| {
            let mut any = delimited(1, b"x");
            for _ in 0..3_000 {
                any = delimited(5, &delimited(1, &any));
            }
            let body = delimited(1, &delimited(2, &delimited(2, &delimited(5, &any))));
            assert_eq!(
                count_records_fast(Signal::Logs, Encoding::Protobuf, &body),
                None
            );
            let levels = 20_000;
            let text = format!(
                "{}{}{}",
                r#"{"kvlistValue":{"values":[{"key":"k","value":"#.repeat(levels),
                r#"{"stringValue":"x"}"#,
                "}]}}".repeat(levels)
            );
            let body = format!(
                r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"body":{text}}}]}}]}}]}}"#
            );
            assert_eq!(
                count_records_fast(Signal::Logs, Encoding::Json, body.as_bytes()),
                None
            );
            // Deep inside an unknown field.
            let body = format!(r#"{{"x":{}1{}}}"#, "[".repeat(levels), "]".repeat(levels));
            assert_eq!(
                count_records_fast(Signal::Logs, Encoding::Json, body.as_bytes()),
                None
            );
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
}

// --- JSON --------------------------------------------------------------------

fn snake(key: &str) -> String {
    json::snake_case(key).unwrap_or_else(|| key.to_owned())
}

/// Builds an object from `(key, value)` pairs, some keys in snake_case and
/// some absent fields given as null; sometimes an unknown field.
fn obj(r: &mut Rng, fields: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        if r.one_in(6) {
            continue;
        }
        let k = if r.one_in(5) { snake(k) } else { k.to_owned() };
        let v = if r.one_in(12) { Value::Null } else { v };
        m.insert(k, v);
    }
    if r.one_in(4) {
        m.insert(
            ["extra", "future_field", "zzz"][r.below(3)].into(),
            random_json(r, 2),
        );
    }
    Value::Object(m)
}

fn random_json(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth > 0 { 8 } else { 6 }) {
        0 => Value::Null,
        1 => json!(r.one_in(2)),
        2 => json!(r.next() >> r.below(64)),
        3 => json!(-(r.below(1000) as i64)),
        4 => json!(r.text()),
        5 => json!(1.5),
        6 => Value::Array((0..r.below(3)).map(|_| random_json(r, depth - 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..r.below(3) {
                m.insert(r.text(), random_json(r, depth - 1));
            }
            Value::Object(m)
        }
    }
}

fn u64_json(r: &mut Rng) -> Value {
    let n = r.next() >> r.below(64);
    if r.one_in(2) {
        json!(n.to_string())
    } else {
        json!(n)
    }
}

fn i64_json(r: &mut Rng) -> Value {
    let n = (r.next() as i64) >> r.below(64);
    if r.one_in(2) {
        json!(n.to_string())
    } else {
        json!(n)
    }
}

fn hex(r: &mut Rng, n: usize) -> Value {
    if r.one_in(8) {
        return json!("");
    }
    let s: String = r.bytes(n).iter().map(|b| format!("{b:02x}")).collect();
    json!(if r.one_in(4) { s.to_uppercase() } else { s })
}

fn any_json(r: &mut Rng, depth: usize) -> Value {
    let (k, v) = match r.below(if depth < 3 { 8 } else { 6 }) {
        0 => ("stringValue", json!(r.text())),
        1 => ("boolValue", json!(r.one_in(2))),
        2 => ("intValue", i64_json(r)),
        3 => (
            "doubleValue",
            [json!(2.5), json!("NaN"), json!("-Infinity"), json!(3)][r.below(4)].clone(),
        ),
        4 => (
            "bytesValue",
            json!(["aGk=", "", "_-8=", "AAAA"][r.below(4)]),
        ),
        5 => return obj(r, vec![]),
        6 => {
            let values = (0..r.below(3)).map(|_| any_json(r, depth + 1)).collect();
            ("arrayValue", obj(r, vec![("values", Value::Array(values))]))
        }
        _ => {
            let values = attrs_json(r, depth + 1);
            ("kvlistValue", obj(r, vec![("values", values)]))
        }
    };
    obj(r, vec![(k, v)])
}

fn attrs_json(r: &mut Rng, depth: usize) -> Value {
    Value::Array(
        (0..r.below(3))
            .map(|_| {
                let key = json!(r.text());
                let value = any_json(r, depth);
                // `key` and `value` are matched exactly: no snake_case.
                let mut m = Map::new();
                m.insert("key".into(), key);
                if !r.one_in(6) {
                    m.insert("value".into(), value);
                }
                Value::Object(m)
            })
            .collect(),
    )
}

fn resource_json(r: &mut Rng) -> Value {
    let f = vec![
        ("attributes", attrs_json(r, 0)),
        ("droppedAttributesCount", json!(r.below(3))),
    ];
    obj(r, f)
}

fn scope_json(r: &mut Rng) -> Value {
    let f = vec![
        ("name", json!(r.text())),
        ("version", json!("1.0")),
        ("attributes", attrs_json(r, 0)),
        ("droppedAttributesCount", json!("2")),
    ];
    obj(r, f)
}

fn exemplars_json(r: &mut Rng) -> Value {
    Value::Array(
        (0..r.below(2))
            .map(|_| {
                let f = vec![
                    ("timeUnixNano", u64_json(r)),
                    ("asInt", json!("-5")),
                    ("traceId", hex(r, 16)),
                    ("spanId", hex(r, 8)),
                    ("filteredAttributes", attrs_json(r, 0)),
                ];
                obj(r, f)
            })
            .collect(),
    )
}

fn points_json(r: &mut Rng, kind: usize) -> Value {
    Value::Array(
        (0..r.below(3))
            .map(|_| {
                let mut f = vec![
                    ("startTimeUnixNano", u64_json(r)),
                    ("timeUnixNano", u64_json(r)),
                    ("flags", json!(r.below(2))),
                    ("attributes", attrs_json(r, 0)),
                    ("exemplars", exemplars_json(r)),
                ];
                match kind {
                    0 => f.push(("asDouble", json!(0.5))),
                    1 => f.push(("asInt", i64_json(r))),
                    2 => f.extend([
                        ("count", u64_json(r)),
                        ("sum", json!(3.5)),
                        ("bucketCounts", json!([1, "2", 3])),
                        ("explicitBounds", json!([1.0, 2, "Infinity"])),
                        ("min", json!(0)),
                    ]),
                    3 => {
                        let buckets = obj(
                            r,
                            vec![("offset", json!(-2)), ("bucketCounts", json!(["4", 5]))],
                        );
                        f.extend([
                            ("count", json!("7")),
                            ("scale", json!(3)),
                            ("zeroCount", json!(1)),
                            ("zeroThreshold", json!(0.1)),
                            ("positive", buckets),
                        ]);
                    }
                    _ => {
                        let q = (0..r.below(3))
                            .map(|_| obj(r, vec![("quantile", json!(0.5)), ("value", json!(2))]))
                            .collect();
                        f.extend([("sum", json!(1)), ("quantileValues", Value::Array(q))]);
                    }
                }
                obj(r, f)
            })
            .collect(),
    )
}

fn metric_json(r: &mut Rng) -> Value {
    let kind = r.below(6);
    let mut f = vec![
        ("name", json!(r.text())),
        ("description", json!(r.text())),
        ("unit", json!("s")),
        ("metadata", attrs_json(r, 0)),
    ];
    let temporality = [json!(1), json!("AGGREGATION_TEMPORALITY_CUMULATIVE")][r.below(2)].clone();
    let (key, payload) = match kind {
        0 => ("gauge", vec![("dataPoints", points_json(r, 0))]),
        1 => (
            "sum",
            vec![
                ("dataPoints", points_json(r, 1)),
                ("aggregationTemporality", temporality),
                ("isMonotonic", json!(true)),
            ],
        ),
        2 => (
            "histogram",
            vec![
                ("dataPoints", points_json(r, 2)),
                ("aggregationTemporality", temporality),
            ],
        ),
        3 => (
            "exponentialHistogram",
            vec![("dataPoints", points_json(r, 3))],
        ),
        4 => ("summary", vec![("dataPoints", points_json(r, 4))]),
        _ => ("unknownKind", vec![]),
    };
    let payload = obj(r, payload);
    f.push((key, payload));
    obj(r, f)
}

fn span_json(r: &mut Rng) -> Value {
    let events = (0..r.below(3))
        .map(|_| {
            let f = vec![
                ("timeUnixNano", u64_json(r)),
                ("name", json!(r.text())),
                ("attributes", attrs_json(r, 0)),
            ];
            obj(r, f)
        })
        .collect();
    let links = (0..r.below(2))
        .map(|_| {
            let f = vec![
                ("traceId", hex(r, 16)),
                ("spanId", hex(r, 8)),
                ("traceState", json!("a=b")),
                ("flags", json!(1)),
                ("attributes", attrs_json(r, 0)),
            ];
            obj(r, f)
        })
        .collect();
    let f = vec![
        ("message", json!(r.text())),
        ("code", json!([1, 2][r.below(2)])),
    ];
    let status = obj(r, f);
    let f = vec![
        ("traceId", hex(r, 16)),
        ("spanId", hex(r, 8)),
        ("parentSpanId", hex(r, 8)),
        ("traceState", json!(r.text())),
        ("flags", json!(r.below(300))),
        ("name", json!(r.text())),
        (
            "kind",
            [json!(2), json!("SPAN_KIND_SERVER")][r.below(2)].clone(),
        ),
        ("startTimeUnixNano", u64_json(r)),
        ("endTimeUnixNano", u64_json(r)),
        ("droppedAttributesCount", json!(0)),
        ("droppedEventsCount", json!(1)),
        ("droppedLinksCount", json!("0")),
        ("attributes", attrs_json(r, 0)),
        ("events", Value::Array(events)),
        ("links", Value::Array(links)),
        ("status", status),
    ];
    obj(r, f)
}

fn log_json(r: &mut Rng) -> Value {
    let f = vec![
        ("timeUnixNano", u64_json(r)),
        ("observedTimeUnixNano", u64_json(r)),
        (
            "severityNumber",
            [json!(9), json!("SEVERITY_NUMBER_INFO")][r.below(2)].clone(),
        ),
        ("severityText", json!("INFO")),
        ("body", any_json(r, 0)),
        ("attributes", attrs_json(r, 0)),
        ("droppedAttributesCount", json!(0)),
        ("flags", json!(1)),
        ("traceId", hex(r, 16)),
        ("spanId", hex(r, 8)),
        ("eventName", json!(r.text())),
    ];
    obj(r, f)
}

pub(super) fn json_request(r: &mut Rng, signal: Signal) -> Value {
    let (outer, middle, inner) = signal.json_keys();
    let legacy_middle = match signal {
        Signal::Logs => "instrumentationLibraryLogs",
        Signal::Metrics => "instrumentationLibraryMetrics",
        Signal::Traces => "instrumentationLibrarySpans",
    };
    let resources = (0..r.below(3))
        .map(|_| {
            let scopes = (0..r.below(3))
                .map(|_| {
                    let records = (0..r.below(4))
                        .map(|_| match signal {
                            Signal::Logs => log_json(r),
                            Signal::Metrics => metric_json(r),
                            Signal::Traces => span_json(r),
                        })
                        .collect();
                    let scope_key = if r.one_in(5) {
                        "instrumentationLibrary"
                    } else {
                        "scope"
                    };
                    let f = vec![
                        (scope_key, scope_json(r)),
                        ("schemaUrl", json!("https://x")),
                        (inner, Value::Array(records)),
                    ];
                    obj(r, f)
                })
                .collect();
            let middle_key = if r.one_in(5) { legacy_middle } else { middle };
            let f = vec![
                ("resource", resource_json(r)),
                ("schemaUrl", json!("")),
                (middle_key, Value::Array(scopes)),
            ];
            obj(r, f)
        })
        .collect();
    obj(r, vec![(outer, Value::Array(resources))])
}

/// Every node of a tree, depth first (for structural mutations).
fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn node_mut(v: &mut Value, mut index: usize) -> Option<&mut Value> {
    fn walk<'a>(v: &'a mut Value, index: &mut usize) -> Option<&'a mut Value> {
        if *index == 0 {
            return Some(v);
        }
        *index -= 1;
        match v {
            Value::Array(a) => a.iter_mut().find_map(|c| walk(c, index)),
            Value::Object(m) => m.values_mut().find_map(|c| walk(c, index)),
            _ => None,
        }
    }
    walk(v, &mut index)
}

/// A structural mutation: one node replaced with a value of another shape,
/// a key renamed, or a known key duplicated in the text.
pub(super) fn mutate_json(r: &mut Rng, doc: &Value) -> Vec<u8> {
    let mut v = doc.clone();
    let n = count_nodes(&v);
    let target = r.below(n);
    match r.below(4) {
        0 | 1 => {
            let replacement = match r.below(9) {
                0 => Value::Null,
                1 => json!("zz"),
                2 => json!("0123456789abcdef0123456789ABCDEF"),
                3 => json!(-1),
                4 => json!(u64::MAX),
                5 => json!(1e300),
                6 => json!([]),
                7 => json!({}),
                _ => json!([null]),
            };
            if let Some(node) = node_mut(&mut v, target) {
                *node = replacement;
            }
        }
        2 => {
            if let Some(Value::Object(m)) = node_mut(&mut v, target) {
                if let Some(k) = m.keys().nth(r.below(m.len().max(1))).cloned() {
                    let val = m.shift_remove(&k).unwrap_or_default();
                    let renamed = match r.below(3) {
                        0 => snake(&k),
                        1 => k.to_uppercase(),
                        _ => format!("{k}_"),
                    };
                    m.insert(renamed, val);
                }
            }
        }
        _ => {
            // A duplicate key: text surgery on the first occurrence of a
            // random known key.
            let text = v.to_string();
            let keys = [
                "\"name\":",
                "\"traceId\":",
                "\"timeUnixNano\":",
                "\"logRecords\":",
                "\"spans\":",
                "\"metrics\":",
                "\"scope\":",
                "\"values\":",
            ];
            let k = keys[r.below(keys.len())];
            if let Some(i) = text.find(k) {
                let dup = [json!(null), json!("x"), json!(1), json!([])][r.below(4)].to_string();
                let mut out = text.clone();
                out.insert_str(i, &format!("{k}{dup},"));
                return out.into_bytes();
            }
            return text.into_bytes();
        }
    }
    v.to_string().into_bytes()
}

/// True when some object of the (valid) JSON `body` has a key twice.
fn has_duplicate_key(body: &[u8]) -> bool {
    use serde::de::{MapAccess, SeqAccess, Visitor};
    struct Dup;
    impl<'de> serde::de::DeserializeSeed<'de> for Dup {
        type Value = bool;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Dup {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("json")
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut dup = false;
            while let Some(d) = seq.next_element_seed(Dup)? {
                dup |= d;
            }
            Ok(dup)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut keys = std::collections::HashSet::new();
            let mut dup = false;
            while let Some(k) = map.next_key::<String>()? {
                dup |= !keys.insert(k);
                dup |= map.next_value_seed(Dup)?;
            }
            Ok(dup)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    serde::de::DeserializeSeed::deserialize(Dup, &mut de).unwrap_or(false)
}

fn json_agree(signal: Signal, body: &[u8], stats: &mut [usize; 3]) {
    scan_json::assert_json_walks_agree(signal, body);
    let (fast, full) = compare(signal, Encoding::Json, body);
    match (fast, full) {
        (Some(_), _) => stats[0] += 1,
        // Including bodies with a field given twice in one object, which
        // the fast path hands over and the full decoder refuses.
        (None, Err(_)) => {
            stats[1] += 1;
            stats[2] += usize::from(has_duplicate_key(body));
        }
        (None, Ok(_)) => panic!("valid body handed over: {}", String::from_utf8_lossy(body)),
    }
}

#[test]
fn json_random_and_mutated_requests_agree_with_the_decoder() {
    let mut r = Rng(0x5eed_0003);
    let mut stats = [0usize; 3];
    for round in 0..1_500 {
        let signal = Signal::ALL[round % 3];
        let doc = json_request(&mut r, signal);
        let body = doc.to_string().into_bytes();
        scan_json::assert_json_walks_agree(signal, &body);
        let (fast, full) = compare(signal, Encoding::Json, &body);
        assert!(full.is_ok(), "generator made an invalid body: {full:?}");
        assert_eq!(fast, full.ok(), "valid body not accepted by the fast path");
        for _ in 0..10 {
            json_agree(signal, &mutate_json(&mut r, &doc), &mut stats);
            json_agree(signal, &mutate(&mut r, &body), &mut stats);
        }
        json_agree(Signal::ALL[(round + 1) % 3], &body, &mut stats);
    }
    let [accepted, refused, repeated] = stats;
    assert!(
        accepted > 1_000 && refused > 1_000 && repeated > 100,
        "{stats:?}"
    );
}

#[test]
fn json_edge_cases_agree_with_the_decoder() {
    let deep_any = |levels: usize, leaf: &str| {
        let mut v = leaf.to_owned();
        for _ in 0..levels {
            v = format!(r#"{{"arrayValue":{{"values":[{v}]}}}}"#);
        }
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"body":{v}}}]}}]}}]}}"#)
    };
    let deep_kv = |levels: usize, leaf: &str| {
        let mut v = leaf.to_owned();
        for _ in 0..levels {
            v = format!(r#"{{"kvlistValue":{{"values":[{{"key":"k","value":{v}}}]}}}}"#);
        }
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"body":{v}}}]}}]}}]}}"#)
    };
    let deep_unknown = |levels: usize| {
        format!(
            r#"{{"resourceLogs":[],"x":{}1{}}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    let mut cases: Vec<String> = [
        "", " \n\t", "\x0c", "null", "[]", "{}", "{} x", "{}   ", r#"{"resourceLogs":null}"#,
        r#"{"resourceLogs":{}}"#, r#"{"resourceLogs":[null]}"#, r#"{"resourceLogs":[1]}"#,
        r#"{"resourceLogs":[{}],"resource_logs":[{}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{}]}]}],"resourceLogs":[]}"#,
        r#"{"resourceLogs":[],"resourceLogs":[{"scopeLogs":[{"logRecords":[{}]}]}]}"#,
        r#"{"resource_logs":[{"scope_logs":[{"log_records":[{},{}]}]}]}"#,
        r#"{"resourceLogs":[{"instrumentationLibraryLogs":[{"logRecords":[{}]}],"scopeLogs":[]}]}"#,
        r#"{"resourceLogs":[{"instrumentation_library_logs":[{"instrumentation_library":{"name":"x"},"logRecords":[{}]}]}]}"#,
        r#"{"$serde_json::private::RawValue":"{}"}"#,
        r#"{"$serde_json::private::RawValue":"[]"}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":null}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":"s"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"0123456789ABCDEF0123456789abcdef"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"0123456789abcdef"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1e3}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":-0}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":-0.0}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":18446744073709551616}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"+5"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1e400}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"flags":4294967295,"droppedAttributesCount":"-2147483648"}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"flags":4294967296}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":""}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":2147483648}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"!!"}}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"_-8="}}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":[null]}}}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","value":null},{"key":null}]}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","Value":1}]}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[null]}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"a\ud800"}]}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"a\ud83d\ude00"}]}]}]}]}"#,
        r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"tr\u0061ceId":"zz"}]}]}]}"#,
        r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[1,null]}]}}]}]}]}"#,
        r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"explicitBounds":["inf","nan",1]}]}}]}]}]}"#,
        r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"aggregationTemporality":"x","dataPoints":[]}}]}]}]}"#,
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"status":{"code":"STATUS_CODE_ERROR"},"kind":"SPAN_KIND_CLIENT"}]}]}]}"#,
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"events":[null]}]}]}]}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    cases.push(
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":\"\u{1}\"}]}]}]}"
            .into(),
    );
    cases.push(String::from_utf8_lossy(b"{\"x\":\"\xff\"}").into_owned());
    for levels in [30, 31, 32, 33] {
        for leaf in ["null", r#"{"stringValue":"x"}"#, "1"] {
            cases.push(deep_any(levels, leaf));
            cases.push(deep_kv(levels, leaf));
        }
    }
    for levels in [124, 125, 126, 127, 128, 129] {
        cases.push(deep_unknown(levels));
    }
    for body in &cases {
        for signal in Signal::ALL {
            scan_json::assert_json_walks_agree(signal, body.as_bytes());
            let (fast, full) = compare(signal, Encoding::Json, body.as_bytes());
            let duplicate = body.matches("resourceLogs").count() > 1
                || (body.contains("instrumentationLibraryLogs") && body.contains("scopeLogs"))
                || body.contains("resource_logs\":[{}]");
            if !duplicate {
                assert_eq!(fast, full.as_ref().ok().copied(), "{signal:?} {body}");
            }
        }
    }
    // Invalid UTF-8 outside strings and inside them.
    for body in [
        &b"{\"x\":\"\xff\"}"[..],
        b"{\"resourceLogs\":[{\"schemaUrl\":\"\xc3\"}]}",
        b"{\xff}",
    ] {
        let (fast, full) = compare(Signal::Logs, Encoding::Json, body);
        assert!(fast.is_none() && full.is_err());
    }
}

/// Pieces of string content: plain and multi-byte text, every escape
/// (valid and not), surrogate pairs and lone surrogates, raw control
/// characters and invalid UTF-8.
const STRING_PIECES: [&[u8]; 34] = [
    b"a",
    b"checkout",
    b"0123456789abcdef",
    b"ABCDEF",
    b" ",
    "é".as_bytes(),
    "日本".as_bytes(),
    "\u{1F600}".as_bytes(),
    b"\\\"",
    b"\\\\",
    b"\\/",
    b"\\b\\f\\n\\r\\t",
    b"\\u0061",
    b"\\u00E9",
    b"\\u0000",
    b"\\ud83d\\ude00",
    b"\\uD83D\\uDE00",
    b"\\ud800",
    b"\\udc00",
    b"\\ud800\\u0041",
    b"\\ud800\\n",
    b"\\ud800\\ud800",
    b"\\u12",
    b"\\u12g4",
    b"\\x",
    b"\\",
    b"\x00",
    b"\x1f",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
];

/// Number tokens, valid and not, around every boundary the byte walk's
/// integer shortcut has.
const NUMBERS: [&str; 34] = [
    "0",
    "7",
    "-7",
    "-0",
    "00",
    "01",
    "-01",
    "-",
    "1.",
    "1.5",
    ".5",
    "1e",
    "1e5",
    "1E+2",
    "1e-2",
    "-0.0",
    "1e400",
    "-1e400",
    "+1",
    "1-2",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "999999999999999999",
    "1000000000000000000",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1.0",
];

/// The byte walk (eight bytes at a time over strings, its own escape and
/// number handling) agrees with the serde walk on strings and numbers in
/// every kind of place: keys, free text, identifiers, enums, integers,
/// doubles, base64, unknown fields; at every offset in an eight-byte word.
#[test]
fn json_byte_walk_strings_and_numbers_agree_with_serde() {
    let mut r = Rng(0x5eed_0009);
    let places: [(&str, &str); 10] = [
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":", "}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":", "}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityNumber\":", "}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":", "}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"flags\":", "}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"doubleValue\":", "}}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"bytesValue\":", "}}]}]}]}"),
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"key\":", "}]}]}]}]}"),
        ("{\"resourceLogs\":[],\"x\":[", "]}"),
        ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"histogram\":{\"dataPoints\":[{\"explicitBounds\":[", "]}]}}]}]}]}"),
    ];
    let mut accepted = 0;
    for round in 0..20_000 {
        let (before, after) = places[round % places.len()];
        let token: Vec<u8> = if r.one_in(3) {
            NUMBERS[r.below(NUMBERS.len())].as_bytes().to_vec()
        } else {
            let mut t = vec![b'"'];
            // A run of ASCII shifts the pieces across word boundaries.
            t.extend(std::iter::repeat_n(b'x', r.below(17)));
            for _ in 0..r.below(4) {
                t.extend_from_slice(STRING_PIECES[r.below(STRING_PIECES.len())]);
            }
            t.extend(std::iter::repeat_n(b'y', r.below(9)));
            t.push(b'"');
            t
        };
        let mut body = before.as_bytes().to_vec();
        body.extend_from_slice(&token);
        body.extend_from_slice(after.as_bytes());
        // The token as a key as well.
        let mut keyed = b"{\"resourceLogs\":[],".to_vec();
        keyed.extend_from_slice(&token);
        keyed.extend_from_slice(b":1}");
        for body in [body, keyed] {
            for signal in Signal::ALL {
                scan_json::assert_json_walks_agree(signal, &body);
                let (fast, _) = compare(signal, Encoding::Json, &body);
                accepted += usize::from(fast.is_some());
            }
        }
    }
    assert!(accepted > 10_000, "{accepted}");
}

/// The module answers the same as before for bodies the fast path refuses:
/// the full decoder's 400 and reason.
#[test]
fn no_policy_malformed_bodies_get_the_decoders_400() {
    let m = OtlpModule::new(Arc::new(edge_policy::Registry::new()), Signal::Logs);
    for (encoding, body) in [
        (
            Encoding::Json,
            &br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"zz"}]}]}]}"#[..],
        ),
        (Encoding::Protobuf, &[0x0a, 0x05, 0x00][..]),
    ] {
        let want = count_records_full(Signal::Logs, encoding, body).unwrap_err();
        match m.process(encoding, body) {
            RequestAction::Respond(r) => {
                assert_eq!(r.status, StatusCode::BAD_REQUEST);
                let text = String::from_utf8_lossy(&r.body);
                let message = match encoding {
                    Encoding::Json => serde_json::from_slice::<Value>(&r.body).unwrap()["message"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    Encoding::Protobuf => RpcStatus::decode(&r.body[..]).unwrap().message,
                };
                assert_eq!(message, want.0, "{text}");
            }
            other => panic!("expected 400, got {other:?}"),
        }
    }
    // Valid without records: 200 locally; with records: the original bytes.
    assert!(
        matches!(m.process(Encoding::Json, b"{}"), RequestAction::Respond(r) if r.status == StatusCode::OK)
    );
    let body = br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"unknown":[1,{"a":null}]}]}]}]}"#;
    assert!(matches!(
        m.process(Encoding::Json, body),
        RequestAction::ForwardOriginal
    ));
    assert_eq!(m.stats().records_evaluated.load(Ordering::Relaxed), 1);
}

// --- log policies on the wire (raw_logs) -------------------------------------

/// A logs request whose singular message fields are sometimes given twice
/// (they merge) and whose records are sometimes two encodings back to back
/// (a merged record), with unknown fields mixed in.
fn merged_logs_request(r: &mut Rng) -> Vec<u8> {
    let mut req = Vec::new();
    for _ in 0..1 + r.below(2) {
        let mut rl = Vec::new();
        for _ in 0..r.below(3) {
            rl.extend(delimited(
                1,
                &resource(r).unwrap_or_default().encode_to_vec(),
            ));
        }
        for _ in 0..1 + r.below(2) {
            let mut sl = Vec::new();
            for _ in 0..r.below(3) {
                sl.extend(delimited(1, &scope(r).unwrap_or_default().encode_to_vec()));
            }
            for _ in 0..1 + r.below(3) {
                let mut rec = log_record(r).encode_to_vec();
                if r.one_in(3) {
                    rec.extend(log_record(r).encode_to_vec());
                }
                if r.one_in(4) {
                    rec.extend(unknown_fields(r));
                }
                sl.extend(delimited(2, &rec));
            }
            if r.one_in(2) {
                sl.extend(delimited(3, r.text().as_bytes()));
            }
            rl.extend(delimited(2, &sl));
        }
        if r.one_in(2) {
            rl.extend(delimited(3, r.text().as_bytes()));
        }
        req.extend(delimited(1, &rl));
    }
    req
}

fn attribute_paths() -> Vec<Vec<String>> {
    let words = [
        "",
        "a",
        "checkout",
        "ümlaut",
        "日本",
        "x y",
        "\"q\"",
        "é\u{1F600}",
        "none",
    ];
    let mut paths: Vec<Vec<String>> = Vec::new();
    for a in words {
        paths.push(vec![a.into()]);
        for b in words {
            paths.push(vec![a.into(), b.into()]);
        }
    }
    for a in &words[..4] {
        for b in &words[..4] {
            for c in &words[..4] {
                paths.push(vec![a.to_string(), b.to_string(), c.to_string()]);
            }
        }
    }
    paths
}

/// Calls `f` with the prost view of record `ki` of scope `si` of resource
/// `ri` of `req`.
fn with_prost_log(
    req: &mut ExportLogsServiceRequest,
    (ri, si, ki): (usize, usize, usize),
    f: impl FnOnce(&proto::PbLog<'_>),
) {
    let rl = &mut req.resource_logs[ri];
    let mut scopes = std::mem::take(&mut rl.scope_logs);
    let sl = &mut scopes[si];
    let mut records = std::mem::take(&mut sl.log_records);
    f(&proto::PbLog {
        resource: &mut *rl,
        scope: &mut *sl,
        record: &mut records[ki],
    });
    sl.log_records = records;
    rl.scope_logs = scopes;
}

/// The wire view reads exactly what the prost view reads, merges included.
#[test]
fn raw_log_view_reads_what_the_prost_view_reads() {
    use edge_policy::{AttrScope, LogField, LogView};
    let paths = attribute_paths();
    let fields = [
        LogField::Body,
        LogField::SeverityText,
        LogField::TraceId,
        LogField::SpanId,
        LogField::EventName,
        LogField::ResourceSchemaUrl,
        LogField::ScopeSchemaUrl,
    ];
    let mut r = Rng(0x5eed_0004);
    let mut compared = 0;
    // Hits per path length (1, 2, 3 segments).
    let mut found = [0usize; 3];
    for round in 0..400 {
        let body = if round % 2 == 0 {
            merged_logs_request(&mut r)
        } else {
            raw_logs_request(&mut r).0
        };
        assert!(count_records_fast(Signal::Logs, Encoding::Protobuf, &body).is_some());
        let mut req = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let mut records = Vec::new();
        for (ri, rl) in req.resource_logs.iter().enumerate() {
            for (si, sl) in rl.scope_logs.iter().enumerate() {
                records.extend((0..sl.log_records.len()).map(|ki| (ri, si, ki)));
            }
        }
        // The wire views borrow per-wrapper buffers: each is compared in
        // the callback with the prost view of the same record.
        let mut i = 0;
        raw_logs::for_each_record(&body, &mut |wire| {
            with_prost_log(&mut req, records[i], |pb| {
                for f in fields {
                    assert_eq!(pb.log_field(f), wire.log_field(f), "{f:?} round {round}");
                }
                for scope in [AttrScope::Record, AttrScope::Resource, AttrScope::Scope] {
                    for p in &paths {
                        let want = pb.attribute(scope, p);
                        assert_eq!(
                            want,
                            wire.attribute(scope, p),
                            "{scope:?} {p:?} round {round}"
                        );
                        compared += 1;
                        if want.is_some() {
                            found[p.len().min(3) - 1] += 1;
                        }
                    }
                }
            });
            i += 1;
        });
        assert_eq!(i, records.len());
    }
    assert!(compared > 10_000);
    assert!(found.iter().all(|&n| n > 10), "{found:?}");
}

fn log_policies() -> Arc<edge_policy::Registry> {
    let doc = json!({"policies":[
        {"id":"drop-a","name":"a","log":{"match":[{"log_attribute":["a"],"exists":true},
            {"log_field":"severity_text","exists":true}],"keep":"none"}},
        {"id":"drop-body","name":"b","log":{"match":[{"log_field":"body","contains":"日本"}],"keep":"none"}},
        {"id":"drop-res","name":"r","log":{"match":[{"resource_attribute":["checkout","a"],"exists":true}],"keep":"none"}},
        {"id":"keep-scope","name":"s","log":{"match":[{"scope_attribute":["x y"],"exists":true}],"keep":"all"}},
        {"id":"redact","name":"t","log":{"match":[{"log_field":"body","contains":"é"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"é+","replacement":"E"}],
                "remove":[{"log_attribute":["checkout"]}],
                "add":[{"log_attribute":["edge"],"value":"1"}]}}},
        {"id":"event","name":"e","log":{"match":[{"log_field":"event_name","exact":"ümlaut"}],"keep":"none"}},
        {"id":"mark","name":"m","log":{"match":[{"log_field":"severity_text","exact":"x y"}],"keep":"all",
            "transform":{"add":[{"resource_attribute":["marked"],"value":"1"},{"scope_attribute":["marked"],"value":"1"}]}}},
        {"id":"drop-marked","name":"d","log":{"match":[{"resource_attribute":["marked"],"exists":true},
            {"log_field":"severity_text","exact":"a"}],"keep":"none"}}
    ]});
    valid_policies(&doc)
}

/// Evaluating on the wire gives the same outcome as decoding with prost
/// first, and a forwarded body of the same meaning.
#[test]
fn raw_log_processing_matches_the_prost_path() {
    let registry = log_policies();
    let snap = registry.snapshot();
    let mut r = Rng(0x5eed_0005);
    let mut kinds = [0usize; 3];
    for round in 0..600 {
        let body = if round % 2 == 0 {
            merged_logs_request(&mut r)
        } else {
            protobuf_request(&mut r, Signal::Logs)
        };
        let fast = process_body(&snap, Signal::Logs, Encoding::Protobuf, &body).unwrap();
        let mut req = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let o = proto::process_logs(&snap, &mut req);
        let full = classify(o, || req.encode_to_vec());
        match (&fast, &full) {
            (Processed::Unchanged(a), Processed::Unchanged(b)) => {
                assert_eq!(a, b);
                kinds[0] += 1;
            }
            (Processed::Empty(a), Processed::Empty(b)) => {
                assert_eq!(a, b);
                kinds[1] += 1;
            }
            (Processed::Modified(a, x), Processed::Modified(b, y)) => {
                assert_eq!(a, b);
                // Spliced: kept bytes as received, so compared by meaning.
                assert_eq!(
                    ExportLogsServiceRequest::decode(x.as_slice()).unwrap(),
                    ExportLogsServiceRequest::decode(y.as_slice()).unwrap(),
                    "round {round}"
                );
                kinds[2] += 1;
            }
            _ => panic!("round {round}: wire {fast:?} vs prost {full:?}"),
        }
    }
    assert!(kinds.iter().all(|&k| k > 20), "{kinds:?}");
}

/// Transforms that touch only the body, the severity text and the event
/// name are applied on the wire (the record's other fields kept as
/// received): the outcome and the meaning of the forwarded body are those
/// of the prost path, several policies changing one record included.
#[test]
fn raw_log_text_transforms_match_the_prost_path() {
    let doc = json!({"policies":[
        {"id":"a-redact","name":"a","log":{"match":[{"log_field":"body","regex":"[aeé]"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"[aé]+","replacement":"<A>"},
                {"log_field":"event_name","replacement":"hidden"}]}}},
        {"id":"b-remove","name":"b","log":{"match":[{"log_field":"severity_text","regex":"[a-m]"}],"keep":"all",
            "transform":{"remove":[{"log_field":"severity_text"},{"log_field":"body"}]}}},
        {"id":"c-add","name":"c","log":{"match":[{"log_field":"event_name","exists":true}],"keep":"all",
            "transform":{"add":[{"log_field":"body","value":"added","upsert":false},
                {"log_field":"severity_text","value":"","upsert":true},
                {"log_field":"event_name","value":"ev","upsert":true}]}}},
        {"id":"d-drop","name":"d","log":{"match":[{"log_field":"body","contains":"<A>x"}],"keep":"none"}},
        {"id":"e-upsert","name":"e","log":{"match":[{"log_field":"body","regex":"[0-9]"}],"keep":"all",
            "transform":{"add":[{"log_field":"body","value":"","upsert":true}]}}}
    ]});
    let registry = valid_policies(&doc);
    let snap = registry.snapshot();
    let mut r = Rng(0x5eed_0007);
    let mut modified = 0;
    raw_logs::TEXT_EDITS.with(|c| c.set(0));
    for round in 0..600 {
        let body = if round % 2 == 0 {
            merged_logs_request(&mut r)
        } else {
            protobuf_request(&mut r, Signal::Logs)
        };
        let fast = process_body(&snap, Signal::Logs, Encoding::Protobuf, &body).unwrap();
        let mut req = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let o = proto::process_logs(&snap, &mut req);
        let full = classify(o, || req.encode_to_vec());
        match (&fast, &full) {
            (Processed::Unchanged(a), Processed::Unchanged(b))
            | (Processed::Empty(a), Processed::Empty(b)) => assert_eq!(a, b),
            (Processed::Modified(a, x), Processed::Modified(b, y)) => {
                assert_eq!(a, b);
                assert_eq!(
                    ExportLogsServiceRequest::decode(x.as_slice()).unwrap(),
                    ExportLogsServiceRequest::decode(y.as_slice()).unwrap(),
                    "round {round}"
                );
                modified += 1;
            }
            _ => panic!("round {round}: wire {fast:?} vs prost {full:?}"),
        }
    }
    assert!(modified > 100, "{modified}");
    // The records were changed on the wire, not by the prost path.
    assert!(raw_logs::TEXT_EDITS.with(|c| c.get()) > 200);
}

/// An attribute value given several times merges: consecutive
/// `kvlistValue`s concatenate, another member in between resets.
#[test]
fn raw_log_view_merges_repeated_attribute_values() {
    use edge_policy::{AttrScope, LogView};
    let kv = |key: &str, value: AnyValue| KeyValue {
        key: key.into(),
        value: Some(value),
    };
    let list = |items: Vec<KeyValue>| AnyValue {
        value: Some(any_value::Value::KvlistValue(KeyValueList {
            values: items,
        })),
    };
    let int = |i: i64| AnyValue {
        value: Some(any_value::Value::IntValue(i)),
    };
    let text = |s: &str| AnyValue {
        value: Some(any_value::Value::StringValue(s.into())),
    };
    let cases: Vec<Vec<AnyValue>> = vec![
        vec![list(vec![kv("a", int(1))]), list(vec![kv("b", int(2))])],
        vec![
            list(vec![kv("a", int(1))]),
            text("s"),
            list(vec![kv("b", int(2))]),
        ],
        vec![
            list(vec![kv("a", int(1))]),
            list(vec![kv("a", list(vec![kv("x", int(3))]))]),
        ],
        vec![
            list(vec![kv("a", list(vec![kv("y", int(4))]))]),
            list(vec![kv("a", list(vec![kv("x", int(3))]))]),
        ],
        vec![list(vec![kv("a", int(1))]), text("s")],
        vec![text("s"), int(5)],
        vec![int(5), AnyValue { value: None }],
    ];
    let paths: Vec<Vec<String>> = [
        vec!["k"],
        vec!["k", "a"],
        vec!["k", "b"],
        vec!["k", "a", "x"],
        vec!["k", "a", "y"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    for values in cases {
        // KeyValue { key: "k", value: v1, value: v2, ... }.
        let mut kv_bytes = delimited(1, b"k");
        for v in &values {
            kv_bytes.extend(delimited(2, &v.encode_to_vec()));
        }
        let record = delimited(6, &kv_bytes);
        let body = delimited(1, &delimited(2, &delimited(2, &record)));
        let mut req = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let mut seen = 0;
        raw_logs::for_each_record(&body, &mut |wire| {
            with_prost_log(&mut req, (0, 0, seen), |pb| {
                for p in &paths {
                    assert_eq!(
                        pb.attribute(AttrScope::Record, p),
                        wire.attribute(AttrScope::Record, p),
                        "{p:?} {values:?}"
                    );
                }
            });
            seen += 1;
        });
        assert_eq!(seen, 1);
    }
}

/// `KeyValue`s and `AnyValue`s at the edges of the wire view's shortcuts
/// for the usual encodings (one key then one value, one string value, each
/// shorter than 128 bytes): repeated, reordered or extra fields, two-byte
/// lengths, non-ASCII text. Record, resource and scope attributes and the
/// body read what the prost view reads.
#[test]
fn raw_log_view_shortcuts_read_like_prost() {
    use edge_policy::{AttrScope, LogField, LogView};
    let text = |s: &str| {
        AnyValue {
            value: Some(any_value::Value::StringValue(s.into())),
        }
        .encode_to_vec()
    };
    let int = |i: i64| {
        AnyValue {
            value: Some(any_value::Value::IntValue(i)),
        }
        .encode_to_vec()
    };
    let cat = |parts: &[&[u8]]| parts.concat();
    let long = "k".repeat(127);
    let longer = "v".repeat(128);
    let values: Vec<Vec<u8>> = vec![
        text("v"),
        text(""),
        text("é"),
        text(&long),
        text(&longer),
        int(7),
        cat(&[&text("a"), &int(2)]),
        cat(&[&int(2), &text("b")]),
        cat(&[&text("a"), &text("b")]),
        cat(&[&text("a"), &key(9, 0), &[1]]),
        Vec::new(),
    ];
    let mut kvs: Vec<Vec<u8>> = Vec::new();
    for value in &values {
        kvs.push(cat(&[&delimited(1, b"k"), &delimited(2, value)]));
        kvs.push(cat(&[&delimited(2, value), &delimited(1, b"k")]));
        kvs.push(cat(&[
            &delimited(1, b"x"),
            &delimited(2, value),
            &delimited(1, b"k"),
        ]));
        kvs.push(cat(&[
            &delimited(1, b"k"),
            &delimited(2, value),
            &delimited(1, b"x"),
        ]));
        kvs.push(cat(&[
            &delimited(1, b"k"),
            &delimited(2, value),
            &delimited(2, value),
        ]));
        kvs.push(cat(&[
            &delimited(1, b"k"),
            &delimited(2, value),
            &key(9, 0),
            &[1],
        ]));
        kvs.push(cat(&[&delimited(1, long.as_bytes()), &delimited(2, value)]));
    }
    kvs.push(delimited(1, b"k"));
    kvs.push(Vec::new());
    let paths: Vec<Vec<String>> = vec![vec!["k".into()], vec![long.clone()], vec!["x".into()]];
    for kv in &kvs {
        for body in &values {
            let attrs = delimited(6, kv);
            let record = cat(&[&delimited(5, body), &attrs]);
            let resource = delimited(1, &delimited(1, kv));
            let scope = delimited(1, &delimited(3, kv));
            let scope_logs = cat(&[&scope, &delimited(2, &record)]);
            let body_bytes = delimited(1, &cat(&[&resource, &delimited(2, &scope_logs)]));
            assert!(assert_same_protobuf(Signal::Logs, &body_bytes));
            let mut req = ExportLogsServiceRequest::decode(body_bytes.as_slice()).unwrap();
            let mut seen = 0;
            raw_logs::for_each_record(&body_bytes, &mut |wire| {
                with_prost_log(&mut req, (0, 0, 0), |pb| {
                    assert_eq!(
                        pb.log_field(LogField::Body),
                        wire.log_field(LogField::Body),
                        "{body:?}"
                    );
                    for s in [AttrScope::Record, AttrScope::Resource, AttrScope::Scope] {
                        for p in &paths {
                            assert_eq!(pb.attribute(s, p), wire.attribute(s, p), "{s:?} {kv:?}");
                        }
                    }
                });
                seen += 1;
            });
            assert_eq!(seen, 1);
        }
    }
}

/// Messages and fields read on the wire while evaluating `body` against
/// `snap`.
fn raw_log_work(snap: &edge_policy::PolicySnapshot, body: &[u8]) -> u64 {
    raw_logs::FIELDS_VISITED.with(|c| c.set(0));
    let (outcome, edits) = raw_logs::process(snap, body).unwrap();
    assert!(!outcome.changed() && edits.is_empty());
    raw_logs::FIELDS_VISITED.with(|c| c.get())
}

pub(super) fn one_policy(policy: Value) -> Arc<edge_policy::Registry> {
    valid_policies(&json!({ "policies": [policy] }))
}

/// A registry with the policies of `doc`, every one of which must parse.
pub(super) fn valid_policies(doc: &Value) -> Arc<edge_policy::Registry> {
    policies_of(doc, true)
}

/// A registry with the policies of `doc` that parse (random sets may hold
/// invalid ones).
pub(super) fn any_policies(doc: &Value) -> Arc<edge_policy::Registry> {
    policies_of(doc, false)
}

fn policies_of(doc: &Value, all_valid: bool) -> Arc<edge_policy::Registry> {
    let parsed =
        edge_policy::parse::parse_document(&doc.to_string(), edge_policy::parse::Format::Json)
            .expect("policies");
    if all_valid {
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    }
    let registry = Arc::new(edge_policy::Registry::new());
    registry.update_source("test", parsed.policies);
    registry
}

/// `resources` × `scopes` × `records` logs; every resource and scope has
/// the attribute lib="x" and is given in `1 + empty.0` (resource) and
/// `1 + empty.1` (scope) occurrences (merged, all but the first empty),
/// every record has one attribute and a body.
fn many_logs(resources: usize, scopes: usize, records: usize, empty: (usize, usize)) -> Vec<u8> {
    let attr = |k: &str, v: &str| KeyValue {
        key: k.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(v.into())),
        }),
    };
    let record = LogRecord {
        body: Some(AnyValue {
            value: Some(any_value::Value::StringValue("message".into())),
        }),
        attributes: vec![attr("n", "1")],
        ..Default::default()
    };
    let scope_logs = ScopeLogs {
        scope: None,
        log_records: vec![record; records],
        ..Default::default()
    };
    // The scope and the resource in two occurrences each, around the
    // repeated fields: the wire view merges them.
    let scope = InstrumentationScope {
        attributes: vec![attr("lib", "x")],
        ..Default::default()
    };
    let mut sl = delimited(1, &scope.encode_to_vec());
    sl.extend(scope_logs.encode_to_vec());
    for _ in 0..empty.1 {
        sl.extend(delimited(1, &[]));
    }
    let resource = Resource {
        attributes: vec![attr("lib", "x")],
        ..Default::default()
    };
    let mut rl = delimited(1, &resource.encode_to_vec());
    for _ in 0..scopes {
        rl.extend(delimited(2, &sl));
    }
    for _ in 0..empty.0 {
        rl.extend(delimited(1, &[]));
    }
    let mut body = Vec::new();
    for _ in 0..resources {
        body.extend(delimited(1, &rl));
    }
    assert!(count_records_fast(Signal::Logs, Encoding::Protobuf, &body).is_some());
    assert_eq!(
        ExportLogsServiceRequest::decode(body.as_slice())
            .unwrap()
            .resource_logs[0]
            .scope_logs[0]
            .log_records
            .len(),
        records
    );
    body
}

/// Scope and resource attribute lookups read only the scope and the
/// resource, not every sibling record or scope: the work of a request
/// grows linearly with its records (quadruple the records, at most about
/// quadruple the messages and fields read), counted, not timed.
#[test]
fn raw_log_attribute_lookups_stay_linear() {
    let scope = one_policy(json!({"id":"s","name":"s","log":{"match":[
        {"scope_attribute":["lib"],"exact":"nomatch"}],"keep":"none"}}));
    let resource = one_policy(json!({"id":"r","name":"r","log":{"match":[
        {"resource_attribute":["lib"],"exact":"nomatch"}],"keep":"none"}}));
    let record = one_policy(json!({"id":"l","name":"l","log":{"match":[
        {"log_attribute":["lib"],"exact":"nomatch"}],"keep":"none"}}));
    // (resources, scopes per resource, records per scope, (empty
    // occurrences of each resource, of each scope)).
    let cases = [
        (
            "scope",
            scope.snapshot(),
            (1, 1, 2_000, (1, 1)),
            (1, 1, 8_000, (1, 1)),
        ),
        (
            "resource",
            resource.snapshot(),
            (1, 2_000, 1, (1, 1)),
            (1, 8_000, 1, (1, 1)),
        ),
        (
            "record",
            record.snapshot(),
            (1, 1, 2_000, (1, 1)),
            (1, 1, 8_000, (1, 1)),
        ),
        (
            "scopes",
            scope.snapshot(),
            (50, 40, 1, (1, 1)),
            (200, 40, 1, (1, 1)),
        ),
        // Empty occurrences merge nothing and cost nothing per lookup.
        (
            "scope, empty",
            scope.snapshot(),
            (1, 1, 1_000, (0, 1_000)),
            (1, 1, 4_000, (0, 4_000)),
        ),
        (
            "resource, empty",
            resource.snapshot(),
            (1, 1_000, 1, (1_000, 0)),
            (1, 4_000, 1, (4_000, 0)),
        ),
    ];
    for (name, snap, small, large) in cases {
        let small_body = many_logs(small.0, small.1, small.2, small.3);
        let large_body = many_logs(large.0, large.1, large.2, large.3);
        let a = raw_log_work(&snap, &small_body);
        let b = raw_log_work(&snap, &large_body);
        let records = (small.0 * small.1 * small.2) as u64;
        assert!(a > records, "{name}: {a} fields for {records} records");
        assert!(
            b * 10 < a * 45,
            "{name}: {a} fields, then {b} for 4x the records"
        );
    }
}

// --- protobuf logs: splicing vs decoding everything ------------------------

/// A random attribute path over the words the generators use.
fn policy_path(r: &mut Rng) -> Value {
    const PATHS: [&[&str]; 8] = [
        &["a"],
        &["checkout"],
        &["x y"],
        &["日本"],
        &["checkout", "a"],
        &["a", "ümlaut"],
        &["edge"],
        &["marked"],
    ];
    json!(PATHS[r.below(PATHS.len())])
}

/// A random log selector (`prefix` is `from_` for renames).
fn policy_selector(r: &mut Rng, prefix: &str, fields: bool) -> Map<String, Value> {
    const FIELDS: [&str; 5] = ["body", "severity_text", "event_name", "trace_id", "span_id"];
    let mut m = Map::new();
    match r.below(if fields { 4 } else { 3 }) {
        0 => m.insert(format!("{prefix}log_attribute"), policy_path(r)),
        1 => m.insert(format!("{prefix}resource_attribute"), policy_path(r)),
        2 => m.insert(format!("{prefix}scope_attribute"), policy_path(r)),
        _ => m.insert(
            format!("{prefix}log_field"),
            json!(FIELDS[r.below(FIELDS.len())]),
        ),
    };
    m
}

/// A random policy set: matchers on fields and attributes of the record,
/// its resource and its scope; drops; transforms of every kind on every
/// level (resource and scope changes are seen by the following records).
pub(super) fn random_log_policies(r: &mut Rng) -> Arc<edge_policy::Registry> {
    let mut policies = Vec::new();
    for i in 0..1 + r.below(6) {
        let matchers: Vec<Value> = (0..1 + r.below(2))
            .map(|_| {
                let mut m = policy_selector(r, "", true);
                let (k, v) = match r.below(6) {
                    0 => ("exists", json!(true)),
                    1 => ("exists", json!(false)),
                    2 => ("exact", json!(r.text())),
                    3 => ("contains", json!(["a", "é", "日", "x"][r.below(4)])),
                    4 => ("regex", json!(["^c", "e", "^$", "y$"][r.below(4)])),
                    _ => ("starts_with", json!(["a", "c", "ü"][r.below(3)])),
                };
                m.insert(k.into(), v);
                Value::Object(m)
            })
            .collect();
        let drop = r.one_in(3);
        let mut log = json!({"match": matchers, "keep": if drop { "none" } else { "all" }});
        if !drop && !r.one_in(4) {
            let mut t = Map::new();
            for _ in 0..1 + r.below(3) {
                let (kind, op) = match r.below(4) {
                    0 => ("remove", Value::Object(policy_selector(r, "", true))),
                    1 => {
                        let mut m = policy_selector(r, "", true);
                        m.insert("replacement".into(), json!(r.text()));
                        if r.one_in(2) {
                            m.insert("regex".into(), json!(["a", "é+", "^.*$"][r.below(3)]));
                        }
                        ("redact", Value::Object(m))
                    }
                    2 => {
                        let mut m = policy_selector(r, "from_", false);
                        m.insert("to".into(), json!(["a", "moved", "checkout"][r.below(3)]));
                        m.insert("upsert".into(), json!(r.one_in(2)));
                        ("rename", Value::Object(m))
                    }
                    _ => {
                        let mut m = policy_selector(r, "", true);
                        m.insert("value".into(), json!(r.text()));
                        m.insert("upsert".into(), json!(r.one_in(2)));
                        ("add", Value::Object(m))
                    }
                };
                t.entry(kind)
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("a list")
                    .push(op);
            }
            log["transform"] = Value::Object(t);
        }
        policies.push(json!({"id": format!("p{i}"), "name": format!("p{i}"), "log": log}));
    }
    let doc = json!({ "policies": policies });
    any_policies(&doc)
}

/// What decoding everything with prost gives: the reference.
fn logs_by_prost(snap: &edge_policy::PolicySnapshot, body: &[u8]) -> Processed {
    let mut req = ExportLogsServiceRequest::decode(body).unwrap();
    let o = proto::process_logs(snap, &mut req);
    classify(o, || req.encode_to_vec())
}

/// Random requests (unknown fields, repeated singular fields, merged
/// records, resources and scopes) × random policy sets: the spliced body
/// decodes to exactly what decoding, processing and encoding the whole
/// request gives, with the same outcome (records kept, dropped and
/// transformed), and is a valid body again.
#[test]
fn spliced_logs_mean_what_the_prost_path_gives() {
    let mut r = Rng(0x5eed_0006);
    let mut kinds = [0usize; 3];
    let mut spliced_changes = [0usize; 2];
    for round in 0..3000 {
        let registry = random_log_policies(&mut r);
        let snap = registry.snapshot();
        let body = match round % 3 {
            0 => merged_logs_request(&mut r),
            1 => raw_logs_request(&mut r).0,
            _ => protobuf_request(&mut r, Signal::Logs),
        };
        let spliced = process_body(&snap, Signal::Logs, Encoding::Protobuf, &body).unwrap();
        let full = logs_by_prost(&snap, &body);
        match (&spliced, &full) {
            (Processed::Unchanged(a), Processed::Unchanged(b)) => {
                assert_eq!(a, b, "round {round}");
                kinds[0] += 1;
            }
            (Processed::Empty(a), Processed::Empty(b)) => {
                assert_eq!(a, b, "round {round}");
                kinds[1] += 1;
            }
            (Processed::Modified(a, x), Processed::Modified(b, y)) => {
                assert_eq!(a, b, "round {round}");
                assert!(
                    count_records_fast(Signal::Logs, Encoding::Protobuf, x).is_some(),
                    "round {round}: spliced body does not validate"
                );
                let x = ExportLogsServiceRequest::decode(x.as_slice()).unwrap();
                let y = ExportLogsServiceRequest::decode(y.as_slice()).unwrap();
                assert_eq!(x, y, "round {round}");
                kinds[2] += 1;
                spliced_changes[0] += usize::from(a.dropped > 0);
                spliced_changes[1] += usize::from(a.modified > 0);
            }
            _ => panic!("round {round}: spliced {spliced:?} vs prost {full:?}"),
        }
    }
    assert!(kinds.iter().all(|&k| k > 200), "{kinds:?}");
    assert!(
        spliced_changes.iter().all(|&k| k > 100),
        "{spliced_changes:?}"
    );
}

/// Kept records, scopes and resources are forwarded byte for byte, unknown
/// fields and repeated singular fields included; only the length prefixes
/// around a dropped record change. A transformed record keeps its unknown
/// fields.
#[test]
fn spliced_logs_keep_unknown_fields() {
    let registry = one_policy(json!({"id":"d","name":"d","log":{"match":[
        {"log_field":"severity_text","exact":"drop"}],"keep":"none"}}));
    let snap = registry.snapshot();
    let unknown = |tag: u32| delimited(tag, b"future");
    let record = |severity: &str| {
        let mut rec = LogRecord {
            severity_text: severity.into(),
            ..Default::default()
        }
        .encode_to_vec();
        rec.extend(unknown(99));
        rec.extend(delimited(3, severity.as_bytes()));
        rec
    };
    let build = |with_dropped: bool| {
        let mut sl = delimited(1, &unknown(50));
        sl.extend(delimited(2, &record("keep")));
        if with_dropped {
            sl.extend(delimited(2, &record("drop")));
        }
        sl.extend(unknown(60));
        let mut rl = delimited(2, &sl);
        rl.extend(unknown(70));
        let mut body = delimited(1, &rl);
        // A resource whose only record is dropped goes entirely.
        if with_dropped {
            body.extend(delimited(1, &delimited(2, &delimited(2, &record("drop")))));
        }
        body.extend(unknown(80));
        body
    };
    let Processed::Modified(o, out) =
        process_body(&snap, Signal::Logs, Encoding::Protobuf, &build(true)).unwrap()
    else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.dropped, o.modified), (3, 2, 0));
    assert_eq!(out, build(false));

    // A transformed record: encoded again, its unknown field appended.
    let registry = one_policy(json!({"id":"t","name":"t","log":{"match":[
        {"log_field":"severity_text","exact":"keep"}],"keep":"all",
        "transform":{"add":[{"log_attribute":["edge"],"value":"1"}]}}}));
    let Processed::Modified(o, out) = process_body(
        &registry.snapshot(),
        Signal::Logs,
        Encoding::Protobuf,
        &build(false),
    )
    .unwrap() else {
        panic!("expected a modified body");
    };
    assert_eq!((o.records, o.dropped, o.modified), (1, 0, 1));
    let future = unknown(99);
    assert!(out.windows(future.len()).any(|w| w == future.as_slice()));
    for tag in [50, 60, 70, 80] {
        let u = unknown(tag);
        assert!(out.windows(u.len()).any(|w| w == u.as_slice()), "{tag}");
    }
    let req = ExportLogsServiceRequest::decode(out.as_slice()).unwrap();
    let rec = &req.resource_logs[0].scope_logs[0].log_records[0];
    assert_eq!(rec.attributes[0].key, "edge");
}

/// A scope of records whose bodies are `bodies`, in one resource.
fn bodies_request(bodies: &[String]) -> ExportLogsServiceRequest {
    ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(Resource {
                attributes: vec![KeyValue {
                    key: "service.name".into(),
                    value: Some(AnyValue {
                        value: Some(any_value::Value::StringValue("svc".into())),
                    }),
                }],
                ..Resource::default()
            }),
            scope_logs: vec![ScopeLogs {
                log_records: bodies
                    .iter()
                    .map(|b| LogRecord {
                        severity_text: "INFO".into(),
                        body: Some(AnyValue {
                            value: Some(any_value::Value::StringValue(b.clone())),
                        }),
                        ..LogRecord::default()
                    })
                    .collect(),
                ..ScopeLogs::default()
            }],
            ..ResourceLogs::default()
        }],
    }
}

/// A spliced body whose scopes and resources shrink or grow across a
/// width change of their length prefix (128 and 16,384 bytes) still has
/// minimal length prefixes: dropping records from a prost-encoded body
/// gives prost's encoding byte for byte, and a body grown by transforms
/// is as long as prost's encoding of what it means.
#[test]
fn raw_log_splice_rewrites_length_prefixes_across_widths() {
    let registry = valid_policies(&json!({"policies":[
        {"id":"drop","name":"d","log":{"match":[{"log_field":"body","contains":"drop"}],"keep":"none"}},
        {"id":"grow","name":"g","log":{"match":[{"log_field":"body","contains":"grow"}],"keep":"all",
            "transform":{"redact":[{"log_field":"body","regex":"grow",
                "replacement":"grown-grown-grown-grown-grown-grown-grown-grown"}]}}}
    ]}));
    let snap = registry.snapshot();
    let mut cases = 0;
    // Record sizes and counts putting the scope just above or below a
    // prefix width change before and after the change.
    for (count, len) in [
        (3, 30),
        (4, 30),
        (5, 25),
        (700, 20),
        (730, 20),
        (800, 20),
        (60, 270),
    ] {
        for kind in ["drop", "grow"] {
            for every in [1, 2, 7, 50] {
                let bodies: Vec<String> = (0..count)
                    .map(|i| {
                        let word = if i % every == 0 { kind } else { "keep" };
                        format!("{word}-{i:0>width$}", width = len - 5)
                    })
                    .collect();
                let req = bodies_request(&bodies);
                let body = req.encode_to_vec();
                let fast = process_body(&snap, Signal::Logs, Encoding::Protobuf, &body).unwrap();
                let mut full = req.clone();
                let o = proto::process_logs(&snap, &mut full);
                let Processed::Modified(a, spliced) = fast else {
                    assert!(
                        matches!(fast, Processed::Empty(_)),
                        "{count} {len} {kind} {every}"
                    );
                    continue;
                };
                assert_eq!(a, o);
                let decoded = ExportLogsServiceRequest::decode(spliced.as_slice()).unwrap();
                assert_eq!(decoded, full, "{count} {len} {kind} {every}");
                assert_eq!(
                    spliced.len(),
                    decoded.encoded_len(),
                    "{count} {len} {kind} {every}"
                );
                if kind == "drop" {
                    assert!(spliced == full.encode_to_vec(), "{count} {len} {every}");
                }
                cases += 1;
            }
        }
    }
    assert!(cases > 40, "{cases}");
}

/// The shapes of `KeyValue` and `AnyValue` the validator checks without a
/// field-by-field walk (a short key and one short value, one short string)
/// are accepted or refused as prost does: invalid UTF-8 in the key or the
/// value, near misses of the shapes, and the recursion limit reached right
/// at them.
#[test]
fn protobuf_short_key_values_agree_with_prost() {
    let texts: [&[u8]; 5] = [b"", b"ok", "é".as_bytes(), b"\xff", b"a\xc3"];
    let long = vec![b'x'; 200];
    let mut values: Vec<Vec<u8>> = Vec::new();
    for t in texts {
        values.push(delimited(1, t));
        values.push([delimited(1, t), delimited(1, b"y")].concat());
        values.push(delimited(7, t));
    }
    values.push(delimited(1, &long));
    values.push(vec![]);
    values.push(vec![0x0a, 0x05, b'a']);
    let (mut accepted, mut refused) = (0, 0);
    for key in texts.iter().map(|k| k.to_vec()).chain([long.clone()]) {
        for value in &values {
            let mut kvs = vec![
                [delimited(1, &key), delimited(2, value)].concat(),
                [delimited(2, value), delimited(1, &key)].concat(),
                [delimited(1, &key), delimited(2, value), delimited(2, value)].concat(),
                delimited(1, &key),
            ];
            // As a record's attribute and as the innermost value of nested
            // `kvlistValue`s around the recursion limit (AnyValue 6 →
            // KeyValueList 1 → KeyValue 2 → AnyValue).
            for levels in [0usize, 31, 32, 33] {
                for kv in &mut kvs {
                    let mut attr = kv.clone();
                    for _ in 0..levels {
                        attr = [
                            delimited(1, b"k"),
                            delimited(2, &delimited(6, &delimited(1, &attr))),
                        ]
                        .concat();
                    }
                    let body = delimited(1, &delimited(2, &delimited(2, &delimited(6, &attr))));
                    if assert_same_protobuf(Signal::Logs, &body) {
                        accepted += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
        }
        // A body that is one such value.
        for value in &values {
            let body = delimited(1, &delimited(2, &delimited(2, &delimited(5, value))));
            assert_same_protobuf(Signal::Logs, &body);
        }
    }
    assert!(accepted > 100 && refused > 100, "{accepted} {refused}");
}

/// Random `KeyValue`s and `AnyValue`s around the shapes the validator
/// checks in place (strings of 0 to 200 bytes cut anywhere in a UTF-8
/// sequence, non-minimal length prefixes, fields repeated, out of order or
/// added, single bits flipped, truncation), as record attributes, bodies
/// and resource attributes: accepted exactly when prost accepts them.
#[test]
fn protobuf_random_short_key_values_agree_with_prost() {
    let mut r = Rng(0x1234_5678_9abc);
    let (mut acc, mut rej) = (0, 0);
    let text = |r: &mut Rng| -> Vec<u8> {
        let pieces: [&[u8]; 8] = [
            b"a",
            b"\xc3\xa9",
            b"\xff",
            b"\xc3",
            b"\xa9",
            b"\x00",
            b"\xf0\x9f\x98\x80",
            b"zz",
        ];
        let n = [0usize, 1, 2, 40, 126, 127, 128, 129, 200][r.below(9)];
        let mut t = Vec::new();
        while t.len() < n {
            t.extend_from_slice(pieces[r.below(8)]);
        }
        if r.one_in(2) {
            t.truncate(n);
        }
        t
    };
    let nonmin = |tag: u32, body: &[u8], extra: usize| -> Vec<u8> {
        let mut out = key(tag, 2);
        let mut v = body.len() as u64;
        let mut bytes = Vec::new();
        loop {
            bytes.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        bytes.extend(std::iter::repeat_n(0x80, extra));
        let last = bytes.len() - 1;
        bytes[last] &= 0x7f;
        out.extend(bytes);
        out.extend_from_slice(body);
        out
    };
    for _ in 0..60_000 {
        let mut anyv = match r.below(6) {
            0 => delimited(1, &text(&mut r)),
            1 => nonmin(1, &text(&mut r), 1),
            2 => [delimited(1, &text(&mut r)), delimited(1, &text(&mut r))].concat(),
            3 => [delimited(1, &text(&mut r)), vec![0x10, 0x01]].concat(),
            4 => vec![],
            _ => [vec![0x10, 0x01], delimited(1, &text(&mut r))].concat(),
        };
        if r.one_in(10) && !anyv.is_empty() {
            let i = r.below(anyv.len());
            anyv[i] ^= 1 << r.below(8);
        }
        if r.one_in(10) {
            anyv.truncate(r.below(anyv.len() + 1));
        }
        let k = text(&mut r);
        let mut kv = match r.below(6) {
            0 => [delimited(1, &k), delimited(2, &anyv)].concat(),
            1 => [delimited(2, &anyv), delimited(1, &k)].concat(),
            2 => [nonmin(1, &k, 1), delimited(2, &anyv)].concat(),
            3 => [delimited(1, &k), nonmin(2, &anyv, 1)].concat(),
            4 => [delimited(1, &k), delimited(2, &anyv), vec![0x18, 0x00]].concat(),
            _ => [delimited(1, &k), vec![0x0a, 0x00], delimited(2, &anyv)].concat(),
        };
        if r.one_in(10) && !kv.is_empty() {
            let i = r.below(kv.len());
            kv[i] ^= 1 << r.below(8);
        }
        let rec = match r.below(3) {
            0 => delimited(6, &kv),
            1 => delimited(5, &anyv),
            _ => [delimited(6, &kv), delimited(5, &anyv)].concat(),
        };
        let body = delimited(1, &delimited(2, &delimited(2, &rec)));
        if assert_same_protobuf(Signal::Logs, &body) {
            acc += 1
        } else {
            rej += 1
        }
        // Also as a resource attribute.
        let body = delimited(1, &delimited(1, &delimited(1, &kv)));
        if assert_same_protobuf(Signal::Logs, &body) {
            acc += 1
        } else {
            rej += 1
        }
    }
    assert!(acc > 5_000 && rej > 5_000, "{acc} {rej}");
}

/// The byte walk and the serde walk agree on `body`, the fast path
/// answers as the full decoder, and accepts every valid body without a
/// duplicate key.
fn json_exact(signal: Signal, body: &str) {
    scan_json::assert_json_walks_agree(signal, body.as_bytes());
    let (fast, full) = compare(signal, Encoding::Json, body.as_bytes());
    assert_eq!(fast, full.as_ref().ok().copied(), "{signal:?} {body}");
}

/// The byte walk's shortcuts for decimal strings of up to 19 digits: at
/// and around the `u64` / `i64` bounds, for unsigned and signed fields,
/// with leading zeros, signs, blanks and non-digits in every word.
#[test]
fn json_decimal_string_shortcut_agrees_with_the_decoder() {
    let places = [
        // uint64
        (Signal::Logs, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":", "}]}]}]}"),
        (Signal::Logs, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"observed_time_unix_nano\":", "}]}]}]}"),
        (Signal::Traces, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"endTimeUnixNano\":", "}]}]}]}"),
        // int64
        (Signal::Logs, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"intValue\":", "}}]}]}]}"),
        (Signal::Metrics, "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":{\"dataPoints\":[{\"asInt\":", "}]}}]}]}]}"),
    ];
    let mut values: Vec<String> = [
        "",
        "0",
        "7",
        "-7",
        "+7",
        " 7",
        "7 ",
        "07",
        "-0",
        "1a",
        "a1",
        "0x10",
        "999999999999999999",
        "1000000000000000000",
        "0000000000000000000",
        "0000000000000000001",
        "00000000000000000000",
        "1700000016658607535",
        "9007199254740993",
        "9223372036854775806",
        "9223372036854775807",
        "9223372036854775808",
        "9223372036854775817",
        "9223372036854775900",
        "9300000000000000000",
        "9999999999999999999",
        "10000000000000000000",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "922337203685477580.",
        "9223372036854775807 ",
        "\\u0039223372036854775807",
        "1.5",
        "1e3",
        "١",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A non-digit at every position of a 19-digit value, and bytes just
    // outside the digit range (the word check's edges).
    for at in 0..19 {
        for c in ['/', ':', '?', '@', ' ', '\u{7f}', 'é'] {
            let mut v: Vec<char> = "1234567890123456789".chars().collect();
            v[at] = c;
            values.push(v.into_iter().collect());
        }
    }
    for len in 1..=20 {
        values.push("9".repeat(len));
        values.push(format!("1{}", "0".repeat(len - 1)));
    }
    for (signal, before, after) in places {
        for v in &values {
            json_exact(signal, &format!("{before}\"{v}\"{after}"));
        }
    }
}

/// The byte walk's hex check of trace and span identifiers: every byte
/// just outside the digit and letter ranges at every position, upper- and
/// mixed-case digits (rewritten by the normaliser), wrong lengths.
#[test]
fn json_identifier_shortcut_agrees_with_the_decoder() {
    let places = [
        (
            Signal::Logs,
            "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":",
            "}]}]}]}",
            32,
        ),
        (
            Signal::Logs,
            "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"span_id\":",
            "}]}]}]}",
            16,
        ),
        (
            Signal::Traces,
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"parentSpanId\":",
            "}]}]}]}",
            16,
        ),
    ];
    let digits = "0123456789abcdefABCDEF";
    for (signal, before, after, len) in places {
        let mut values = vec![String::new(), "0".repeat(len - 1), "0".repeat(len + 1)];
        values.push(digits.chars().cycle().take(len).collect());
        values.push(digits.chars().rev().cycle().take(len).collect());
        values.push("a".repeat(len));
        values.push("F".repeat(len));
        for at in 0..len {
            for c in [
                '/', ':', '@', 'A', 'F', 'G', '`', 'a', 'f', 'g', '0', '9', ' ', '\u{7f}', 'é', 'Ã',
            ] {
                let mut v: Vec<char> = "0".repeat(len).chars().collect();
                v[at] = c;
                values.push(v.into_iter().collect());
            }
        }
        for v in &values {
            json_exact(signal, &format!("{before}\"{v}\"{after}"));
        }
    }
}

/// The byte walk's key table: every known name of a message and every
/// alias, names one byte off at each position (same length, first and
/// last bytes: the same table slot or a neighbour), other messages' names,
/// short and escaped keys, duplicates through aliases, the raw-value key.
#[test]
fn json_key_table_agrees_with_the_decoder() {
    let wrap = |signal: Signal, fields: &str| {
        match signal {
        Signal::Logs => format!(
            "{{\"resourceLogs\":[{{\"scopeLogs\":[{{\"logRecords\":[{{{fields}}}],\"scope\":{{\"name\":\"s\"}}}}]}}]}}"
        ),
        Signal::Metrics => format!(
            "{{\"resourceMetrics\":[{{\"scopeMetrics\":[{{\"metrics\":[{{\"gauge\":{{\"dataPoints\":[{{{fields}}}]}}}}]}}]}}]}}"
        ),
        Signal::Traces => format!(
            "{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{{{fields}}}]}}]}}]}}"
        ),
    }
    };
    let names = [
        "timeUnixNano",
        "time_unix_nano",
        "observedTimeUnixNano",
        "observed_time_unix_nano",
        "severityNumber",
        "severity_number",
        "severityText",
        "severity_text",
        "droppedAttributesCount",
        "dropped_attributes_count",
        "flags",
        "traceId",
        "trace_id",
        "spanId",
        "span_id",
        "eventName",
        "event_name",
        "body",
        "attributes",
        "startTimeUnixNano",
        "asInt",
        "as_int",
        "asDouble",
        "exemplars",
        "count",
        "parentSpanId",
        "traceState",
        "name",
        "kind",
        "endTimeUnixNano",
        "droppedEventsCount",
        "droppedLinksCount",
        "events",
        "links",
        "status",
        "scale",
        "scope",
        "resource",
        "schemaUrl",
        "values",
        "value",
        "key",
        "bool_value",
        "bytesValue",
        "instrumentationLibrary",
        "scopeLogs",
        "scope_spans",
        "resource_logs",
        "logRecords",
        "stringValue",
        "intValue",
        "a",
        "",
        "ab",
        "abc",
    ];
    let value_of = |name: &str| match name {
        "timeUnixNano"
        | "time_unix_nano"
        | "observedTimeUnixNano"
        | "observed_time_unix_nano"
        | "startTimeUnixNano"
        | "endTimeUnixNano"
        | "asInt"
        | "as_int"
        | "count" => "\"5\"",
        "traceId" | "trace_id" => "\"0123456789abcdef0123456789ABCDEF\"",
        "spanId" | "span_id" | "parentSpanId" => "\"0123456789abcdef\"",
        "body" | "value" => "{\"stringValue\":\"x\"}",
        "attributes" => "[{\"key\":\"k\",\"value\":{\"boolValue\":true}}]",
        "severityNumber" | "severity_number" | "flags" | "kind" => "9",
        "asDouble" => "1.5",
        "exemplars" | "events" | "links" => "[]",
        _ => "\"s\"",
    };
    let mut keys: Vec<String> = Vec::new();
    for name in names {
        keys.push(name.to_owned());
        let bytes = name.as_bytes();
        for at in 0..bytes.len() {
            for delta in [1u8, 0x20] {
                let mut b = bytes.to_vec();
                b[at] ^= delta;
                if let Ok(k) = String::from_utf8(b) {
                    if !k.contains(['"', '\\']) && !k.bytes().any(|c| c < 0x20) {
                        keys.push(k);
                    }
                }
            }
        }
        if !name.is_empty() {
            keys.push(format!("\\u{:04x}{}", bytes[0], &name[1..]));
            keys.push(format!("{name}x"));
            keys.push(name[..name.len() - 1].to_owned());
        }
    }
    for signal in Signal::ALL {
        for key in &keys {
            for value in [value_of(key), "{}", "null", "[1]"] {
                json_exact(signal, &wrap(signal, &format!("\"{key}\":{value}")));
            }
            // Twice, or with another known field around it.
            let v = value_of(key);
            json_exact(
                signal,
                &wrap(signal, &format!("\"{key}\":{v},\"{key}\":{v}")),
            );
            for other in ["time_unix_nano", "timeUnixNano", "name", "flags", "spanId"] {
                let w = value_of(other);
                json_exact(
                    signal,
                    &wrap(signal, &format!("\"{other}\":{w},\"{key}\":{v}")),
                );
            }
        }
    }
    // The walk predicts a message's next key from the previous record:
    // a record with a known name, then one with each key in its place.
    for signal in Signal::ALL {
        for name in names {
            let v = value_of(name);
            for key in keys.iter().filter(|k| k.len().abs_diff(name.len()) <= 6) {
                for value in [value_of(key), "null", "[1]"] {
                    let records =
                        format!("\"flags\":9,\"{name}\":{v}}},{{\"flags\":9,\"{key}\":{value}");
                    json_exact(signal, &wrap(signal, &records));
                }
            }
        }
    }
    // Body and attribute values: the `AnyValue` names.
    for key in &keys {
        let body = format!(
            "{{\"resourceLogs\":[{{\"scopeLogs\":[{{\"logRecords\":[{{\"body\":{{\"{key}\":\"x\"}},\"attributes\":[{{\"{key}\":\"k\"}}]}}]}}]}}]}}"
        );
        json_exact(Signal::Logs, &body);
        // After ones with the usual names.
        let body = format!(
            "{{\"resourceLogs\":[{{\"scopeLogs\":[{{\"logRecords\":[{{\"body\":{{\"stringValue\":\"x\"}},\"attributes\":[{{\"key\":\"k\",\"value\":{{\"intValue\":\"1\"}}}}]}},{{\"body\":{{\"{key}\":\"x\"}},\"attributes\":[{{\"key\":\"k\",\"{key}\":\"k\"}}]}}]}}]}}]}}"
        );
        json_exact(Signal::Logs, &body);
    }
    for raw in [
        "{\"resourceLogs\":[{\"$serde_json::private::RawValue\":1}]}",
        "{\"resourceLogs\":[],\"x\":{\"$serde_json::private::RawValue\":1}}",
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"$serde_json::private::RawValue\":\"1\"}}]}]}]}",
    ] {
        assert_eq!(scan_json::both_walks(Signal::Logs, raw.as_bytes()), (None, None), "{raw}");
    }
}

/// The byte walk's key prediction under churn: many records of one
/// message type whose keys change order, spelling (canonical, snake_case,
/// escaped, one byte off, a prefix or an extension of a known name),
/// spacing and multiplicity from one record to the next, with nested
/// `AnyValue`s sharing their table across depths. Both walks agree, and
/// the fast path answers as the full decoder.
#[test]
fn json_key_prediction_under_churn_agrees_with_the_decoder() {
    // (canonical, alias, a valid value, an invalid value)
    const LOG: &[(&str, &str, &str, &str)] = &[
        ("timeUnixNano", "time_unix_nano", "\"1700000000000000000\"", "\"18446744073709551616\""),
        ("observedTimeUnixNano", "observed_time_unix_nano", "9223372036854775807", "-1"),
        ("severityNumber", "severity_number", "9", "\"9x\""),
        ("severityText", "severity_text", "\"INFO\"", "1"),
        ("flags", "flags", "1", "4294967296"),
        ("traceId", "trace_id", "\"0123456789ABCDEF0123456789abcdef\"", "\"0123456789abcdeg0123456789abcdef\""),
        ("spanId", "span_id", "\"0123456789abcDef\"", "\"0123456789abcde\""),
        ("eventName", "event_name", "\"e\"", "{}"),
        ("body", "body", "{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"-9223372036854775808\"},{\"stringValue\":\"s\"}]}}}]}}", "{\"intValue\":\"9223372036854775808\"}"),
        ("attributes", "attributes", "[{\"key\":\"k\",\"value\":{\"boolValue\":true}},{\"value\":{\"int_value\":7},\"key\":\"j\"}]", "[{\"key\":1}]"),
        ("droppedAttributesCount", "dropped_attributes_count", "0", "\"x\""),
    ];
    const SPAN: &[(&str, &str, &str, &str)] = &[
        (
            "traceId",
            "trace_id",
            "\"0123456789abcdef0123456789abcdef\"",
            "\"0123456789abcdef0123456789abcdeF0\"",
        ),
        (
            "spanId",
            "span_id",
            "\"0123456789ABCDEF\"",
            "\"0123456789abcdeZ\"",
        ),
        ("parentSpanId", "parent_span_id", "\"\"", "\"01\""),
        ("name", "name", "\"op\"", "[]"),
        ("kind", "kind", "\"SPAN_KIND_SERVER\"", "\"a b\""),
        (
            "startTimeUnixNano",
            "start_time_unix_nano",
            "\"0000000000000000001\"",
            "\"99999999999999999999\"",
        ),
        (
            "endTimeUnixNano",
            "end_time_unix_nano",
            "\"9999999999999999999\"",
            "1.5",
        ),
        (
            "attributes",
            "attributes",
            "[{\"key\":\"k\",\"value\":{\"doubleValue\":1.5}}]",
            "{}",
        ),
        (
            "events",
            "events",
            "[{\"name\":\"e\",\"timeUnixNano\":\"1\"},{\"timeUnixNano\":\"2\",\"name\":\"f\"}]",
            "[1]",
        ),
        (
            "status",
            "status",
            "{\"code\":2,\"message\":\"m\"}",
            "{\"code\":\"\"}",
        ),
    ];
    let mut r = Rng(0x5eed_00a7);
    let (mut accepted, mut refused, mut bytes) = (0usize, 0usize, 0usize);
    for round in 0..4_000 {
        let (signal, fields) = if round % 2 == 0 {
            (Signal::Logs, LOG)
        } else {
            (Signal::Traces, SPAN)
        };
        let blank = |r: &mut Rng| [" ", "", "\n\t", ""][r.below(4)];
        let records: Vec<String> = (0..1 + r.below(12))
            .map(|_| {
                let mut order: Vec<usize> = (0..fields.len()).collect();
                // Usually the previous order, sometimes shuffled.
                if r.one_in(3) {
                    for i in (1..order.len()).rev() {
                        order.swap(i, r.below(i + 1));
                    }
                }
                let mut parts = Vec::new();
                for &i in order.iter().take(1 + r.below(fields.len())) {
                    let (name, alias, good, bad) = fields[i];
                    let key = match r.below(12) {
                        0 => alias.to_owned(),
                        1 => format!("\\u{:04x}{}", name.as_bytes()[0], &name[1..]),
                        2 => format!("{name}x"),
                        3 => name[..name.len() - 1].to_owned(),
                        4 => {
                            let mut b = name.as_bytes().to_vec();
                            let at = r.below(b.len());
                            b[at] ^= 0x20;
                            String::from_utf8(b).unwrap_or_default()
                        }
                        5 => format!("{}\\\"", &name[..name.len() - 1]),
                        _ => name.to_owned(),
                    };
                    let value = if r.one_in(15) { bad } else { good };
                    let (a, b, c) = (blank(&mut r), blank(&mut r), blank(&mut r));
                    parts.push(format!("{a}\"{key}\"{b}:{c}{value}"));
                    if r.one_in(25) {
                        parts.push(format!("\"{alias}\":{good}"));
                    }
                }
                format!("{{{}}}", parts.join(","))
            })
            .collect();
        let body = match signal {
            Signal::Logs => format!(
                "{{\"resourceLogs\":[{{\"scopeLogs\":[{{\"logRecords\":[{}]}}]}}]}}",
                records.join(",")
            ),
            _ => format!(
                "{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{}]}}]}}]}}",
                records.join(",")
            ),
        };
        json_exact(signal, &body);
        let (by_bytes, by_serde) = scan_json::both_walks(signal, body.as_bytes());
        bytes += usize::from(by_bytes.is_some());
        match by_serde {
            Some(_) => accepted += 1,
            None => refused += 1,
        }
    }
    assert!(
        accepted > 500 && refused > 500 && bytes > 500,
        "{accepted} {refused} {bytes}"
    );
}
