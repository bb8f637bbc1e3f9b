//! Datadog logs intake: `POST /api/v2/logs`.
//!
//! The body is a JSON array of log objects (or one object). Every element is
//! evaluated against the current policy snapshot through [`DatadogLog`];
//! dropped elements are removed, transformed ones re-serialised, all others
//! keep their exact bytes. Anything Edge cannot understand is forwarded as
//! received (fail open).

#[cfg(test)]
mod edit_tests;
mod json;
mod view;

use std::fmt::Write as _;
use std::ops::Range;
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
    /// Transforms may edit log objects in place (see [`DatadogLog`]);
    /// `false` only in tests, as the reference.
    in_place: bool,
}

impl DatadogModule {
    /// A module evaluating against `registry`'s current snapshot.
    pub fn new(registry: Arc<Registry>) -> Self {
        DatadogModule {
            registry,
            stats: Arc::default(),
            in_place: true,
        }
    }

    /// A module whose transforms always go through a `serde_json` map: the
    /// reference for the in-place edits.
    #[cfg(test)]
    pub(crate) fn reference(registry: Arc<Registry>) -> Self {
        DatadogModule {
            in_place: false,
            ..DatadogModule::new(registry)
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
        // Valid UTF-8 (the usual case) is checked once for the whole body.
        let text = std::str::from_utf8(body).ok();
        // The usual body, an array of log objects, is split and parsed in
        // one pass; anything else takes the element-by-element path below.
        if let Some(logs) = text.and_then(parse_array) {
            let mut w = Writer::new(body, true);
            for (range, log) in logs {
                self.evaluate(&snapshot, &mut w, range, log);
            }
            return self.finish(w);
        }
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
        let mut w = Writer::new(body, is_array);
        for range in ranges {
            let parsed = match text.and_then(|t| t.get(range.clone())) {
                Some(t) => DatadogLog::parse_str(t),
                None => DatadogLog::parse(&body[range.clone()]),
            };
            let raw = &body[range.clone()];
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
            match log {
                Some(log) => self.evaluate(&snapshot, &mut w, range, log),
                None => {
                    // Not a log object: kept as received.
                    self.stats.elements_unparsed.fetch_add(1, Ordering::Relaxed);
                    w.keep(range);
                }
            }
        }
        self.finish(w)
    }

    /// Evaluates one log object and writes (or drops) it.
    fn evaluate(
        &self,
        snapshot: &edge_policy::PolicySnapshot,
        w: &mut Writer<'_>,
        range: Range<usize>,
        mut log: DatadogLog<'_>,
    ) {
        w.evaluated += 1;
        let verdict = snapshot.evaluate_log(&log);
        if !verdict.keep() {
            w.dropped += 1;
            w.change();
            return;
        }
        w.kept += 1;
        if !self.in_place {
            log.without_edits();
        }
        if verdict.has_transforms() && snapshot.apply_log_transforms(&verdict, &mut log) {
            let body = w.body;
            let out = w.next_element();
            let mark = out.len();
            if log.write_json(out) {
                w.transformed += 1;
                w.changed = true;
                return;
            }
            out.truncate(mark);
            out.extend_from_slice(&body[range]);
            return;
        }
        w.keep(range);
    }

    fn finish(&self, w: Writer<'_>) -> RequestAction {
        let stats = &self.stats;
        let (evaluated, kept, dropped, transformed) =
            (w.evaluated, w.kept, w.dropped, w.transformed);
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
        match w.into_output() {
            None => RequestAction::ForwardOriginal,
            Some(None) => RequestAction::Respond(ModuleResponse::json(StatusCode::ACCEPTED, "{}")),
            Some(Some(out)) => RequestAction::ForwardModified(Bytes::from(out)),
        }
    }
}

/// Splits and parses a body that is a non-empty JSON array of log objects
/// (valid UTF-8) in one pass: each element's range and view. `None` for
/// anything else (other element types, broken structure, empty array),
/// which the element-by-element path then handles.
///
/// Every element is parsed before any is evaluated, so a body that turns
/// out to be malformed is forwarded without having touched policy counters.
// TODO: this holds every record's member list at once (about 3 bytes per
// body byte for typical logs) where the element path held one at a time;
// evaluating while parsing needs counters that can be rolled back.
fn parse_array(text: &str) -> Option<Vec<(Range<usize>, DatadogLog<'_>)>> {
    let bytes = text.as_bytes();
    let ws = |mut i: usize| {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    };
    let mut i = ws(0);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    let mut logs = Vec::new();
    i = ws(i + 1);
    loop {
        let (log, used) = DatadogLog::parse_prefix(text.get(i..)?).ok()?;
        logs.push((i..i + used, log));
        i = ws(i + used);
        match bytes.get(i)? {
            b',' => i = ws(i + 1),
            b']' => return (ws(i + 1) == bytes.len()).then_some(logs),
            _ => return None,
        }
    }
}

/// The output body, built only once something changes: until then kept
/// elements are remembered by range, and an unchanged body is never copied.
struct Writer<'b> {
    body: &'b [u8],
    is_array: bool,
    /// Kept elements not yet copied (before the first change).
    pending: Vec<Range<usize>>,
    out: Option<Vec<u8>>,
    /// An element was dropped or re-serialised.
    changed: bool,
    written: u64,
    evaluated: u64,
    kept: u64,
    dropped: u64,
    transformed: u64,
}

impl<'b> Writer<'b> {
    fn new(body: &'b [u8], is_array: bool) -> Self {
        Writer {
            body,
            is_array,
            pending: Vec::new(),
            out: None,
            changed: false,
            written: 0,
            evaluated: 0,
            kept: 0,
            dropped: 0,
            transformed: 0,
        }
    }

    /// Something changed (an element was dropped).
    fn change(&mut self) {
        self.changed = true;
        self.materialize();
    }

    /// From now on the output is written.
    fn materialize(&mut self) {
        if self.out.is_some() {
            return;
        }
        let mut out = Vec::with_capacity(self.body.len());
        if self.is_array {
            out.push(b'[');
        }
        for (n, r) in self.pending.drain(..).enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&self.body[r]);
        }
        self.out = Some(out);
    }

    /// The output positioned for the next element (separator written).
    fn next_element(&mut self) -> &mut Vec<u8> {
        self.materialize();
        let first = self.written == 0;
        self.written += 1;
        let out = self.out.get_or_insert_with(Vec::new);
        if !first {
            out.push(b',');
        }
        out
    }

    /// Keeps an element as received.
    fn keep(&mut self, range: Range<usize>) {
        if self.out.is_none() {
            self.written += 1;
            self.pending.push(range);
            return;
        }
        let body = self.body;
        self.next_element().extend_from_slice(&body[range]);
    }

    /// `None` when nothing changed, `Some(None)` when nothing is left.
    fn into_output(self) -> Option<Option<Vec<u8>>> {
        if !self.changed {
            return None;
        }
        let mut out = self.out?;
        if self.written == 0 {
            return Some(None);
        }
        if self.is_array {
            out.push(b']');
        }
        Some(Some(out))
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

    /// Records that policies change are parsed into `serde_json` trees: the
    /// load bench's Datadog logs with 100 mixed policies peak at 4.7 to 4.8
    /// times the decoded body (1 KB to 53 MB, output included; see
    /// `benches/examples/module_memory.rs`), plus about 36 KB of scratch.
    /// Nothing for a body whose `Content-Type` says it is not JSON: it is
    /// passed through unread (and must not be refused for the memory its
    /// parsing would take).
    fn working_memory(&self, req: &RequestParts<'_>, decoded_len: usize) -> usize {
        if req
            .content_type()
            .is_some_and(|ct| !ct.eq_ignore_ascii_case("application/json"))
        {
            return 0;
        }
        decoded_len
            .saturating_mul(5)
            .saturating_add(decoded_len / 4)
            .saturating_add(64 * 1024)
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
            (
                "records_evaluated",
                "Records policies were evaluated on, by signal and module.",
                &s.records_evaluated,
            ),
            (
                "records_kept",
                "Records forwarded after evaluation.",
                &s.records_kept,
            ),
            (
                "records_dropped",
                "Records dropped by policies (never forwarded).",
                &s.records_dropped,
            ),
            (
                "records_transformed",
                "Forwarded records that a policy changed (redact, rename, add, remove).",
                &s.records_transformed,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP edge_{name}_total {help}");
            let _ = writeln!(out, "# TYPE edge_{name}_total counter");
            let _ = writeln!(
                out,
                "edge_{name}_total{{signal=\"log\",module=\"datadog\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP edge_fail_open_total Bodies or elements forwarded without (or after repairing them for) policy evaluation, by module and reason."
        );
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
