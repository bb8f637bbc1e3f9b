//! Datadog logs intake: `POST /api/v2/logs`.
//!
//! The body is a JSON array of log objects (or one object). Every element is
//! evaluated against the current policy snapshot through [`DatadogLog`];
//! dropped elements are removed, transformed ones re-serialised, all others
//! keep their exact bytes. Anything Edge cannot understand is forwarded as
//! received (fail open).

mod json;
mod view;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use edge_policy::Registry;
use http::StatusCode;

use crate::{ModuleResponse, ProxyModule, RequestAction, RequestParts, Route, Routes};
use json::Body;
pub use view::DatadogLog;

/// The Datadog logs intake path.
pub const LOGS_PATH: &str = "/api/v2/logs";

/// Counters of the Datadog module (monotonic, read by `/_edge/metrics`).
#[derive(Debug, Default)]
pub struct DatadogStats {
    /// Requests the module inspected.
    pub requests: AtomicU64,
    /// Log records evaluated against policies.
    pub records_evaluated: AtomicU64,
    /// Evaluated records the policies kept (forwarded). Elements that are
    /// not log objects are forwarded too but counted in `elements_unparsed`,
    /// not here, so that `records_evaluated == records_kept +
    /// records_dropped`.
    pub records_kept: AtomicU64,
    /// Records removed by policy.
    pub records_dropped: AtomicU64,
    /// Records changed by transforms.
    pub records_transformed: AtomicU64,
    /// Bodies forwarded untouched because they are not Datadog JSON.
    pub bodies_unparsed: AtomicU64,
    /// Elements kept untouched because they are not log objects.
    pub elements_unparsed: AtomicU64,
    /// Elements that needed repair (lone surrogates, invalid UTF-8) to be read.
    pub elements_repaired: AtomicU64,
}

/// Filters Datadog logs with the policies of a [`Registry`].
pub struct DatadogModule {
    registry: Arc<Registry>,
    stats: Arc<DatadogStats>,
}

impl DatadogModule {
    /// A module evaluating against `registry`'s current snapshot.
    pub fn new(registry: Arc<Registry>) -> Self {
        DatadogModule {
            registry,
            stats: Arc::default(),
        }
    }

    /// The module's counters.
    pub fn stats(&self) -> Arc<DatadogStats> {
        self.stats.clone()
    }

    /// The routes it serves.
    pub fn routes() -> Routes {
        Routes::Exact(vec![Route::post(LOGS_PATH)])
    }

    /// Filters a decoded body. Pure function of the body and the current
    /// snapshot; used by [`ProxyModule::on_request`].
    pub fn process(&self, body: &[u8]) -> RequestAction {
        let snapshot = self.registry.snapshot();
        if snapshot.is_empty() {
            return RequestAction::ForwardOriginal;
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let Some(shape) = json::split(body) else {
            self.stats.bodies_unparsed.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                bytes = body.len(),
                "datadog body is not a JSON array or object; forwarding untouched"
            );
            return RequestAction::ForwardOriginal;
        };
        let (ranges, is_array) = match shape {
            Body::Array(ranges) => (ranges, true),
            Body::Object(range) => (vec![range], false),
        };
        if ranges.is_empty() {
            return RequestAction::ForwardOriginal;
        }

        let mut out = Vec::with_capacity(body.len());
        if is_array {
            out.push(b'[');
        }
        let (mut kept, mut dropped, mut transformed, mut evaluated) = (0u64, 0u64, 0u64, 0u64);
        // Elements written to `out` (kept records plus unparsed elements).
        let mut written = 0u64;
        let mut changed = false;
        // Valid UTF-8 (the usual case) is checked once for the whole body.
        let text = std::str::from_utf8(body).ok();
        for range in ranges {
            let parsed = match text.and_then(|t| t.get(range.clone())) {
                Some(t) => DatadogLog::parse_str(t),
                None => DatadogLog::parse(&body[range.clone()]),
            };
            let raw = &body[range];
            let separator = |out: &mut Vec<u8>, written: &mut u64| {
                if *written > 0 {
                    out.push(b',');
                }
                *written += 1;
            };
            let repaired: String;
            let log = match parsed {
                Ok(log) => Some(log),
                Err(_) if raw.first() == Some(&b'{') => {
                    repaired = json::sanitize(raw);
                    let log = DatadogLog::parse(repaired.as_bytes()).ok();
                    if log.is_some() {
                        self.stats.elements_repaired.fetch_add(1, Ordering::Relaxed);
                    }
                    log
                }
                Err(_) => None,
            };
            let Some(mut log) = log else {
                // Not a log object: kept as received.
                self.stats.elements_unparsed.fetch_add(1, Ordering::Relaxed);
                separator(&mut out, &mut written);
                out.extend_from_slice(raw);
                continue;
            };
            evaluated += 1;
            let verdict = snapshot.evaluate_log(&log);
            if !verdict.keep() {
                dropped += 1;
                changed = true;
                continue;
            }
            separator(&mut out, &mut written);
            kept += 1;
            if verdict.has_transforms() && snapshot.apply_log_transforms(&verdict, &mut log) {
                let mark = out.len();
                if log.write_json(&mut out) {
                    transformed += 1;
                    changed = true;
                    continue;
                }
                out.truncate(mark);
            }
            out.extend_from_slice(raw);
        }
        let stats = &self.stats;
        stats
            .records_evaluated
            .fetch_add(evaluated, Ordering::Relaxed);
        stats.records_kept.fetch_add(kept, Ordering::Relaxed);
        stats.records_dropped.fetch_add(dropped, Ordering::Relaxed);
        stats
            .records_transformed
            .fetch_add(transformed, Ordering::Relaxed);
        tracing::debug!(
            evaluated,
            kept,
            dropped,
            transformed,
            "datadog logs filtered"
        );

        if !changed {
            return RequestAction::ForwardOriginal;
        }
        if written == 0 {
            return RequestAction::Respond(ModuleResponse::json(StatusCode::ACCEPTED, "{}"));
        }
        if is_array {
            out.push(b']');
        }
        RequestAction::ForwardModified(Bytes::from(out))
    }
}

fn is_json_request(req: &RequestParts<'_>, body: &[u8]) -> bool {
    match req.content_type() {
        Some(ct) => ct.eq_ignore_ascii_case("application/json"),
        None => {
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            matches!(first, Some(b'[') | Some(b'{'))
        }
    }
}

impl ProxyModule for DatadogModule {
    fn name(&self) -> &str {
        "datadog_logs"
    }

    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        // Decoding is pointless when no policy could change anything.
        !self.registry.snapshot().is_empty()
    }

    fn on_request(&self, req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        if !is_json_request(req, body) {
            return RequestAction::ForwardOriginal;
        }
        self.process(body)
    }

    fn write_metrics(&self, out: &mut String) {
        let s = &self.stats;
        let counters = [
            ("records_evaluated", &s.records_evaluated),
            ("records_kept", &s.records_kept),
            ("records_dropped", &s.records_dropped),
            ("records_transformed", &s.records_transformed),
        ];
        for (name, value) in counters {
            let _ = writeln!(out, "# TYPE edge_{name}_total counter");
            let _ = writeln!(
                out,
                "edge_{name}_total{{signal=\"log\",module=\"datadog\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(out, "# TYPE edge_fail_open_total counter");
        let fail_open = [
            ("body_unparsed", &s.bodies_unparsed),
            ("element_unparsed", &s.elements_unparsed),
            ("element_repaired", &s.elements_repaired),
        ];
        for (reason, value) in fail_open {
            let _ = writeln!(
                out,
                "edge_fail_open_total{{module=\"datadog\",reason=\"{reason}\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
    }
}
