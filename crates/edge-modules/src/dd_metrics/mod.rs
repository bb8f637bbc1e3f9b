//! Datadog metrics intake: `POST /api/v2/series` and `POST /api/v1/series`.
//!
//! JSON bodies (`{"series":[...]}`) are filtered by metric policies, one
//! series = one metric ([`DatadogSeries`]):
//!
//! * name: `metric`; unit: `unit`; no description;
//! * type: `type`, v2 integers (`0` unspecified, `1` count, `2` rate,
//!   `3` gauge) or v1 strings (`"count"`, `"rate"`, `"gauge"`): count and
//!   rate → sum with delta temporality, gauge → gauge, unspecified or
//!   unknown → no type;
//! * data point attributes: the tags, `key:value` (`["env"]` reads
//!   `env:prod`; a tag without `:` is present with an empty value);
//! * resource attributes: `host` (v1) and the v2 `resources` entries, keyed
//!   by their `type` (`["host"]`, also `["host.name"]`), and `device` (v1).
//!
//! Dropped series are removed and every other series keeps its exact bytes;
//! a body where nothing was dropped goes upstream as received; if every
//! series was dropped Edge answers `202 {}` itself.
//!
//! Protobuf series (`MetricPayload`, what the Datadog Agent sends to v2)
//! are filtered the same way, read from the wire without decoding into
//! messages ([`ProtoSeries`]): dropped series are cut out, every other byte
//! is forwarded as received.
//!
//! Bodies that are not series of the expected shape are forwarded
//! unfiltered (fail open) and counted.

mod proto;
#[cfg(test)]
mod tests;
mod view;

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use edge_policy::Registry;
use http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::{ModuleResponse, ProxyModule, RequestAction, RequestParts, Route, Routes};
pub use proto::ProtoSeries;
pub use view::{DatadogSeries, JsonStr, SeriesKind, SeriesResource};

/// The v2 series path.
pub const SERIES_V2_PATH: &str = "/api/v2/series";
/// The v1 series path.
pub const SERIES_V1_PATH: &str = "/api/v1/series";

/// Counters of the Datadog metrics module (monotonic).
#[derive(Debug, Default)]
pub struct DatadogMetricsStats {
    /// Requests filtered.
    pub requests: AtomicU64,
    /// Series evaluated against policies.
    pub series_evaluated: AtomicU64,
    /// Series forwarded.
    pub series_kept: AtomicU64,
    /// Series removed by policy.
    pub series_dropped: AtomicU64,
    /// Protobuf bodies filtered.
    pub bodies_protobuf: AtomicU64,
    /// Bodies forwarded untouched because they are not series JSON or
    /// protobuf.
    pub bodies_unparsed: AtomicU64,
    /// Series elements kept untouched because they could not be read.
    pub series_unparsed: AtomicU64,
}

/// Filters Datadog metric series with the policies of a [`Registry`].
pub struct DatadogMetricsModule {
    registry: Arc<Registry>,
    stats: Arc<DatadogMetricsStats>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    series: &'a RawValue,
}

/// Byte range of `inner` inside `outer`, when it is a sub-slice of it.
fn range_in(outer: &[u8], inner: &str) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    let end = start.checked_add(inner.len())?;
    (end <= outer.len()).then_some(start..end)
}

enum Format {
    Json,
    Protobuf,
    Other,
}

fn body_format(req: &RequestParts<'_>, body: Option<&[u8]>) -> Format {
    match req.content_type() {
        // The v1 API client sends `text/json`.
        Some(ct)
            if ct.eq_ignore_ascii_case("application/json")
                || ct.eq_ignore_ascii_case("text/json") =>
        {
            Format::Json
        }
        Some(ct)
            if ct.eq_ignore_ascii_case("application/x-protobuf")
                || ct.eq_ignore_ascii_case("application/protobuf") =>
        {
            Format::Protobuf
        }
        Some(_) => Format::Other,
        None => match body {
            // Without a Content-Type, a JSON object is recognised by its
            // first byte; anything else is left alone.
            Some(body) if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => {
                Format::Json
            }
            Some(_) => Format::Other,
            None => Format::Json,
        },
    }
}

impl DatadogMetricsModule {
    /// A module evaluating against `registry`'s current snapshot.
    pub fn new(registry: Arc<Registry>) -> Self {
        DatadogMetricsModule {
            registry,
            stats: Arc::default(),
        }
    }

    /// The module's counters.
    pub fn stats(&self) -> Arc<DatadogMetricsStats> {
        self.stats.clone()
    }

    /// The routes it serves.
    pub fn routes() -> Routes {
        Routes::Exact(vec![
            Route::post(SERIES_V2_PATH),
            Route::post(SERIES_V1_PATH),
        ])
    }

    /// Filters a decoded JSON body with the current snapshot.
    pub fn process(&self, body: &[u8]) -> RequestAction {
        let snapshot = self.registry.snapshot();
        if !snapshot.has_metric_policies() {
            return RequestAction::ForwardOriginal;
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let Some((array, elements)) = split(body) else {
            self.stats.bodies_unparsed.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                bytes = body.len(),
                "datadog series body is not series JSON; forwarding untouched"
            );
            return RequestAction::ForwardOriginal;
        };
        if elements.is_empty() {
            return RequestAction::ForwardOriginal;
        }

        let mut out = Vec::with_capacity(body.len());
        out.extend_from_slice(&body[..array.start]);
        out.push(b'[');
        let (mut kept, mut dropped, mut evaluated, mut unparsed) = (0u64, 0u64, 0u64, 0u64);
        // Elements written to `out`: kept series plus unparsed elements,
        // which are forwarded but not counted as kept (so that evaluated ==
        // kept + dropped).
        let mut written = 0u64;
        for range in elements {
            let raw = &body[range];
            match std::str::from_utf8(raw).ok().map(DatadogSeries::parse) {
                Some(Ok(series)) => {
                    evaluated += 1;
                    if !snapshot.evaluate_metric(&series).keep() {
                        dropped += 1;
                        continue;
                    }
                    kept += 1;
                }
                // Not a readable series object: forwarded as received.
                _ => unparsed += 1,
            }
            if written > 0 {
                out.push(b',');
            }
            out.extend_from_slice(raw);
            written += 1;
        }
        self.count(evaluated, kept, dropped, unparsed);
        if dropped == 0 {
            return RequestAction::ForwardOriginal;
        }
        if written == 0 {
            return RequestAction::Respond(ModuleResponse::json(StatusCode::ACCEPTED, "{}"));
        }
        out.push(b']');
        out.extend_from_slice(&body[array.end..]);
        RequestAction::ForwardModified(Bytes::from(out))
    }

    /// Adds one body's outcome to the counters.
    fn count(&self, evaluated: u64, kept: u64, dropped: u64, unparsed: u64) {
        let s = &self.stats;
        s.series_evaluated.fetch_add(evaluated, Ordering::Relaxed);
        s.series_kept.fetch_add(kept, Ordering::Relaxed);
        s.series_dropped.fetch_add(dropped, Ordering::Relaxed);
        s.series_unparsed.fetch_add(unparsed, Ordering::Relaxed);
        tracing::debug!(
            evaluated,
            kept,
            dropped,
            unparsed,
            "datadog series filtered"
        );
    }

    /// Filters a decoded protobuf `MetricPayload` with the current
    /// snapshot: the dropped series are cut out of the original bytes.
    pub fn process_protobuf(&self, body: &[u8]) -> RequestAction {
        let snapshot = self.registry.snapshot();
        if !snapshot.has_metric_policies() {
            return RequestAction::ForwardOriginal;
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.stats.bodies_protobuf.fetch_add(1, Ordering::Relaxed);
        let Some(fields) = proto::split(body) else {
            self.stats.bodies_unparsed.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                bytes = body.len(),
                "datadog series body is not a protobuf MetricPayload; forwarding untouched"
            );
            return RequestAction::ForwardOriginal;
        };
        let (mut kept, mut dropped, mut evaluated, mut unparsed) = (0u64, 0u64, 0u64, 0u64);
        // The body without the dropped series, from the first one dropped
        // on; `at` is where the bytes not copied yet start.
        let mut out: Option<Vec<u8>> = None;
        let mut at = 0;
        let mut series_written = 0u64;
        for (whole, series) in fields {
            let Some(series) = series else { continue };
            match ProtoSeries::parse(&body[series]) {
                Some(series) => {
                    evaluated += 1;
                    if !snapshot.evaluate_metric(&series).keep() {
                        dropped += 1;
                        let out = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
                        out.extend_from_slice(&body[at..whole.start]);
                        at = whole.end;
                        continue;
                    }
                    kept += 1;
                }
                // Not a readable series: forwarded as received.
                None => unparsed += 1,
            }
            series_written += 1;
        }
        self.count(evaluated, kept, dropped, unparsed);
        let Some(mut out) = out else {
            return RequestAction::ForwardOriginal;
        };
        if series_written == 0 {
            return RequestAction::Respond(ModuleResponse::json(StatusCode::ACCEPTED, "{}"));
        }
        out.extend_from_slice(&body[at..]);
        RequestAction::ForwardModified(Bytes::from(out))
    }
}

/// The byte range of the `series` array and of each of its elements.
fn split(body: &[u8]) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    let payload: Payload<'_> = serde_json::from_slice(body).ok()?;
    let array = range_in(body, payload.series.get())?;
    let elements: Vec<&RawValue> = serde_json::from_str(payload.series.get()).ok()?;
    let ranges = elements
        .iter()
        .map(|e| range_in(body, e.get()))
        .collect::<Option<Vec<_>>>()?;
    Some((array, ranges))
}

impl ProxyModule for DatadogMetricsModule {
    fn name(&self) -> &str {
        "datadog_metrics"
    }

    fn inspects_request_body(&self, req: &RequestParts<'_>) -> bool {
        match body_format(req, None) {
            Format::Json | Format::Protobuf => self.registry.snapshot().has_metric_policies(),
            Format::Other => false,
        }
    }

    /// The byte range of every series (16 bytes each, a series being at
    /// least a few dozen bytes), the series parsed one at a time, and the
    /// output: twice the decoded body is an upper bound.
    fn working_memory(&self, _req: &RequestParts<'_>, decoded_len: usize) -> usize {
        decoded_len.saturating_mul(2).saturating_add(64 * 1024)
    }

    fn on_request(&self, req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        match body_format(req, Some(body)) {
            Format::Json => self.process(body),
            Format::Protobuf => self.process_protobuf(body),
            Format::Other => RequestAction::ForwardOriginal,
        }
    }

    fn write_metrics(&self, out: &mut String) {
        let s = &self.stats;
        let counters = [
            (
                "edge_datadog_series_evaluated_total",
                "Datadog metric series evaluated against policies.",
                &s.series_evaluated,
            ),
            (
                "edge_datadog_series_kept_total",
                "Datadog metric series forwarded after evaluation.",
                &s.series_kept,
            ),
            (
                "edge_datadog_series_dropped_total",
                "Datadog metric series dropped by policies.",
                &s.series_dropped,
            ),
            (
                "edge_datadog_series_protobuf_bodies_total",
                "Datadog protobuf metric bodies processed while metric policies exist (parsed or not).",
                &s.bodies_protobuf,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        let _ = writeln!(
            out,
            "# HELP edge_datadog_series_fail_open_total Datadog metric bodies or series forwarded as received because they could not be parsed, by reason."
        );
        let _ = writeln!(out, "# TYPE edge_datadog_series_fail_open_total counter");
        for (reason, value) in [
            ("body_unparsed", &s.bodies_unparsed),
            ("series_unparsed", &s.series_unparsed),
        ] {
            let _ = writeln!(
                out,
                "edge_datadog_series_fail_open_total{{reason=\"{reason}\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
    }
}
