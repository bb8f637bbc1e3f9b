//! OTLP/HTTP: `POST /v1/logs`, `/v1/metrics`, `/v1/traces`.
//!
//! One [`OtlpModule`] serves one signal (its route and upstream). The body,
//! already decompressed by the proxy, is decoded according to its
//! `Content-Type`:
//!
//! * `application/x-protobuf`: prost messages from `opentelemetry-proto`,
//!   evaluated through the views in [`proto`] and re-encoded as protobuf
//!   only when something changed. Log records are evaluated on the wire
//!   bytes (`raw_logs`) and a changed request is spliced: kept records,
//!   scopes and resources are copied as received (unknown fields intact),
//!   only transformed records are decoded and encoded again;
//! * `application/json`: OTLP/JSON, checked and normalised (see the `json`
//!   module docs), evaluated through `edge_policy::otlp_json`. Log records
//!   of a body the normaliser would not rewrite are evaluated on the text
//!   (`json_logs`) and a changed body is written from its pieces, kept
//!   records as received.
//!
//! Without a policy for the signal nothing is decoded into messages or a
//! tree: the body is validated and its records counted by a
//! non-allocating walk (`scan_proto`: the protobuf wire format over the
//! OTLP schema, accepting exactly what prost accepts; `scan_json`: a
//! streaming pass over the JSON text accepting only what the JSON decoder
//! accepts), then forwarded as received ([`count_records_fast`]). A body
//! the walk does not accept goes through the full decoder, which gives the
//! same 400 and reason as before.
//!
//! Policies apply per log record, per metric and per span; scopes and
//! resources left empty are removed. Outcomes:
//!
//! * nothing dropped or changed: the original bytes are forwarded (still
//!   compressed, unknown fields intact);
//! * some records dropped or changed: the modified request is forwarded in
//!   the client's content type (the proxy re-applies its encoding);
//! * no records at all, or every record dropped: `200` with an empty
//!   `Export*ServiceResponse` in the request's content type, and the
//!   upstream is not called. Records removed by policy are a deliberate
//!   filter, not a rejection, so no `partial_success` is reported;
//! * malformed body: `400` with a `google.rpc.Status` (code 3) in the
//!   request's content type, nothing forwarded; an unsupported
//!   `Content-Type` or `Content-Encoding` gets `415` (status in JSON).
//!
//! The upstream's status, headers (including `Retry-After`) and body go back
//! to the client unchanged; the proxy handles that.

mod attrs;
mod json;
mod json_logs;
#[cfg(test)]
mod json_logs_tests;
pub mod proto;
mod raw_logs;
mod scan_json;
mod scan_proto;
#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod shared_attrs_tests;
mod splice;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use edge_policy::{PolicySnapshot, Registry};
use http::{HeaderMap, HeaderValue, StatusCode};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;

use crate::{
    DecodeFailure, ModuleRegistration, ModuleResponse, ProxyModule, RequestAction, RequestParts,
    Route, Routes,
};

pub use json::MAX_ANY_DEPTH;
#[doc(hidden)]
pub use scan_json::assert_json_walks_agree;

/// The OTLP signal a route carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// `/v1/logs`.
    Logs,
    /// `/v1/metrics`.
    Metrics,
    /// `/v1/traces`.
    Traces,
}

impl Signal {
    /// All signals.
    pub const ALL: [Signal; 3] = [Signal::Logs, Signal::Metrics, Signal::Traces];

    /// The OTLP/HTTP path.
    pub fn path(self) -> &'static str {
        match self {
            Signal::Logs => "/v1/logs",
            Signal::Metrics => "/v1/metrics",
            Signal::Traces => "/v1/traces",
        }
    }

    /// Short lowercase name (`logs`, `metrics`, `traces`).
    pub fn name(self) -> &'static str {
        match self {
            Signal::Logs => "logs",
            Signal::Metrics => "metrics",
            Signal::Traces => "traces",
        }
    }

    /// The JSON keys of the resource list, the scope list and the record
    /// list.
    fn json_keys(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Signal::Logs => ("resourceLogs", "scopeLogs", "logRecords"),
            Signal::Metrics => ("resourceMetrics", "scopeMetrics", "metrics"),
            Signal::Traces => ("resourceSpans", "scopeSpans", "spans"),
        }
    }
}

/// What processing did to one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Records evaluated (log records, metrics or spans).
    pub records: usize,
    /// Records removed by policy.
    pub dropped: usize,
    /// Kept records changed (transforms, tracestate).
    pub modified: usize,
}

impl Outcome {
    fn changed(&self) -> bool {
        self.dropped > 0 || self.modified > 0
    }
}

/// The two OTLP/HTTP encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json`.
    Json,
}

impl Encoding {
    /// The encoding named by a `Content-Type` essence, if supported.
    pub fn from_content_type(ct: &str) -> Option<Encoding> {
        if ct.eq_ignore_ascii_case("application/x-protobuf")
            || ct.eq_ignore_ascii_case("application/protobuf")
        {
            Some(Encoding::Protobuf)
        } else if ct.eq_ignore_ascii_case("application/json") {
            Some(Encoding::Json)
        } else {
            None
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Encoding::Protobuf => "application/x-protobuf",
            Encoding::Json => "application/json",
        }
    }
}

/// Counters of one OTLP module (monotonic).
#[derive(Debug, Default)]
pub struct OtlpStats {
    /// Requests whose body was processed (every outcome but `unsupported`).
    pub requests: AtomicU64,
    /// Requests forwarded upstream (unchanged or modified).
    pub forwarded_requests: AtomicU64,
    /// Records evaluated against policies.
    pub records_evaluated: AtomicU64,
    /// Records removed by policy.
    pub records_dropped: AtomicU64,
    /// Records changed by transforms or tracestate rewriting.
    pub records_modified: AtomicU64,
    /// Requests that carried no record at all (answered without upstream).
    pub empty_requests: AtomicU64,
    /// Requests where every record was dropped (answered without upstream).
    pub all_dropped_requests: AtomicU64,
    /// Requests refused as malformed (400).
    pub malformed_requests: AtomicU64,
    /// Requests refused for their content type or encoding (415).
    pub unsupported_requests: AtomicU64,
}

/// Result of processing one body, before it becomes a [`RequestAction`].
#[derive(Debug)]
enum Processed {
    Unchanged(Outcome),
    /// Every record dropped, or no record at all.
    Empty(Outcome),
    Modified(Outcome, Vec<u8>),
}

/// Error of processing: the body is not a valid export request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

/// The `google.rpc.Status` message OTLP/HTTP uses for error bodies.
#[derive(Clone, PartialEq, Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

/// gRPC code `INVALID_ARGUMENT`.
const INVALID_ARGUMENT: i32 = 3;

/// Filters OTLP/HTTP export requests of one signal with the policies of a
/// [`Registry`].
pub struct OtlpModule {
    registry: Arc<Registry>,
    signal: Signal,
    stats: Arc<OtlpStats>,
    /// Check bodies when the signal has no policies (see
    /// [`OtlpModule::verify_unfiltered`]).
    verify_unfiltered: bool,
}

impl std::fmt::Debug for OtlpModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtlpModule")
            .field("signal", &self.signal)
            .finish_non_exhaustive()
    }
}

impl OtlpModule {
    /// A module for `signal` evaluating against `registry`'s snapshot.
    pub fn new(registry: Arc<Registry>, signal: Signal) -> Self {
        OtlpModule {
            registry,
            signal,
            stats: Arc::default(),
            verify_unfiltered: true,
        }
    }

    /// Whether bodies of a signal without policies are still decoded and
    /// checked (the default, `true`: malformed bodies get `400`, exports
    /// without records are answered locally). With `false` such bodies are
    /// forwarded as received, without being decompressed: byte-forwarding
    /// speed, and the upstream judges malformed or empty exports itself.
    /// As soon as the snapshot has a policy for the signal, bodies are
    /// decoded and checked again either way.
    #[must_use]
    pub fn verify_unfiltered(mut self, verify: bool) -> Self {
        self.verify_unfiltered = verify;
        self
    }

    /// The signal this module serves.
    pub fn signal(&self) -> Signal {
        self.signal
    }

    /// The module's counters.
    pub fn stats(&self) -> Arc<OtlpStats> {
        self.stats.clone()
    }

    /// The route of `signal`.
    pub fn routes(signal: Signal) -> Routes {
        Routes::Exact(vec![Route::post(signal.path())])
    }

    /// One registration per signal, with the per-signal upstream when given,
    /// else `default_upstream`. Limits are the registration defaults; the
    /// caller adjusts them.
    pub fn registrations(
        registry: &Arc<Registry>,
        default_upstream: &str,
        logs_url: Option<&str>,
        metrics_url: Option<&str>,
        traces_url: Option<&str>,
    ) -> Vec<ModuleRegistration> {
        Self::registrations_verifying(
            registry,
            default_upstream,
            [logs_url, metrics_url, traces_url],
            true,
        )
    }

    /// Like [`OtlpModule::registrations`] (`urls` in the order logs,
    /// metrics, traces), with [`OtlpModule::verify_unfiltered`] set to
    /// `verify_unfiltered` on every module.
    pub fn registrations_verifying(
        registry: &Arc<Registry>,
        default_upstream: &str,
        urls: [Option<&str>; 3],
        verify_unfiltered: bool,
    ) -> Vec<ModuleRegistration> {
        let [logs_url, metrics_url, traces_url] = urls;
        Signal::ALL
            .iter()
            .map(|&signal| {
                let url = match signal {
                    Signal::Logs => logs_url,
                    Signal::Metrics => metrics_url,
                    Signal::Traces => traces_url,
                }
                .unwrap_or(default_upstream);
                ModuleRegistration::new(
                    Arc::new(
                        OtlpModule::new(registry.clone(), signal)
                            .verify_unfiltered(verify_unfiltered),
                    ),
                    OtlpModule::routes(signal),
                    url,
                )
            })
            .collect()
    }

    /// Processes a decoded body in `encoding` with the current snapshot.
    pub fn process(&self, encoding: Encoding, body: &[u8]) -> RequestAction {
        let snapshot = self.registry.snapshot();
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        match process_body(&snapshot, self.signal, encoding, body) {
            Ok(processed) => self.action(encoding, processed),
            Err(Malformed(why)) => {
                self.stats
                    .malformed_requests
                    .fetch_add(1, Ordering::Relaxed);
                tracing::debug!(signal = self.signal.name(), reason = %why, "malformed OTLP request refused");
                RequestAction::Respond(error_response(
                    StatusCode::BAD_REQUEST,
                    Some(encoding),
                    &why,
                ))
            }
        }
    }

    /// Like [`OtlpModule::process`] for an OTLP/JSON body, always through
    /// the normalised JSON tree (the reference the tree-free logs path is
    /// compared with by tests and fuzz targets). Counts in the module's
    /// statistics like `process`.
    #[doc(hidden)]
    pub fn process_json_tree(&self, body: &[u8]) -> RequestAction {
        let snapshot = self.registry.snapshot();
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        match process_json_tree(&snapshot, self.signal, body) {
            Ok(processed) => self.action(Encoding::Json, processed),
            Err(Malformed(why)) => {
                self.stats
                    .malformed_requests
                    .fetch_add(1, Ordering::Relaxed);
                RequestAction::Respond(error_response(
                    StatusCode::BAD_REQUEST,
                    Some(Encoding::Json),
                    &why,
                ))
            }
        }
    }

    fn action(&self, encoding: Encoding, processed: Processed) -> RequestAction {
        let s = &self.stats;
        let outcome = match &processed {
            Processed::Unchanged(o) | Processed::Empty(o) | Processed::Modified(o, _) => *o,
        };
        s.records_evaluated
            .fetch_add(outcome.records as u64, Ordering::Relaxed);
        s.records_dropped
            .fetch_add(outcome.dropped as u64, Ordering::Relaxed);
        s.records_modified
            .fetch_add(outcome.modified as u64, Ordering::Relaxed);
        tracing::debug!(
            signal = self.signal.name(),
            records = outcome.records,
            dropped = outcome.dropped,
            modified = outcome.modified,
            "OTLP request processed"
        );
        match processed {
            Processed::Unchanged(_) => {
                s.forwarded_requests.fetch_add(1, Ordering::Relaxed);
                RequestAction::ForwardOriginal
            }
            Processed::Modified(_, body) => {
                s.forwarded_requests.fetch_add(1, Ordering::Relaxed);
                RequestAction::ForwardModified(Bytes::from(body))
            }
            Processed::Empty(o) => {
                if o.records == 0 {
                    s.empty_requests.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(
                        signal = self.signal.name(),
                        "OTLP request without records answered locally"
                    );
                } else {
                    s.all_dropped_requests.fetch_add(1, Ordering::Relaxed);
                }
                RequestAction::Respond(empty_response(encoding))
            }
        }
    }
}

/// Evaluates `body` against `snapshot`. Pure: no counters, no logging.
fn process_body(
    snapshot: &PolicySnapshot,
    signal: Signal,
    encoding: Encoding,
    body: &[u8],
) -> Result<Processed, Malformed> {
    match encoding {
        Encoding::Protobuf => process_protobuf(snapshot, signal, body),
        Encoding::Json => process_json(snapshot, signal, body),
    }
}

fn classify(outcome: Outcome, encode: impl FnOnce() -> Vec<u8>) -> Processed {
    if outcome.records == 0 || outcome.dropped == outcome.records {
        Processed::Empty(outcome)
    } else if outcome.changed() {
        Processed::Modified(outcome, encode())
    } else {
        Processed::Unchanged(outcome)
    }
}

/// [`classify`] with a body spliced from the original bytes.
fn classify_spliced(
    outcome: Outcome,
    splice: impl FnOnce() -> Option<Vec<u8>>,
) -> Result<Processed, Malformed> {
    if outcome.records == 0 || outcome.dropped == outcome.records {
        Ok(Processed::Empty(outcome))
    } else if outcome.changed() {
        let body = splice().ok_or_else(|| Malformed("invalid protobuf".into()))?;
        Ok(Processed::Modified(outcome, body))
    } else {
        Ok(Processed::Unchanged(outcome))
    }
}

/// True when `snapshot` has a policy for `signal`'s records.
fn has_policies(snapshot: &PolicySnapshot, signal: Signal) -> bool {
    match signal {
        Signal::Logs => snapshot.has_log_policies(),
        Signal::Metrics => snapshot.has_metric_policies(),
        Signal::Traces => snapshot.has_trace_policies(),
    }
}

/// Without policies for the signal a valid body is forwarded as received
/// (or answered locally when it has no records): it is only validated and
/// its records counted, without building messages or a JSON tree. A body
/// the fast path does not accept goes through the full decoder, which gives
/// the 400 and its reason.
fn unfiltered(signal: Signal, encoding: Encoding, body: &[u8]) -> Option<Processed> {
    let records = count_records_fast(signal, encoding, body)?;
    let outcome = Outcome {
        records,
        ..Outcome::default()
    };
    Some(if records == 0 {
        Processed::Empty(outcome)
    } else {
        Processed::Unchanged(outcome)
    })
}

/// Validates `body` as an export request of `signal` and counts its records
/// without decoding it into messages or a tree; `None` when it is not
/// accepted that way (then [`count_records_full`] decides). Never accepts a
/// body that [`count_records_full`] refuses, and counts the same records.
pub fn count_records_fast(signal: Signal, encoding: Encoding, body: &[u8]) -> Option<usize> {
    match encoding {
        Encoding::Protobuf => scan_proto::count_records(signal, body),
        Encoding::Json => scan_json::count_records(signal, body),
    }
}

/// Decodes `body` fully (prost messages, or the normalised JSON tree) and
/// counts its records: the reference [`count_records_fast`] is tested
/// against.
pub fn count_records_full(
    signal: Signal,
    encoding: Encoding,
    body: &[u8],
) -> Result<usize, Malformed> {
    let bad = |e: prost::DecodeError| Malformed(format!("invalid protobuf: {e}"));
    Ok(match (encoding, signal) {
        (Encoding::Protobuf, Signal::Logs) => ExportLogsServiceRequest::decode(body)
            .map_err(bad)?
            .resource_logs
            .iter()
            .flat_map(|r| &r.scope_logs)
            .map(|s| s.log_records.len())
            .sum(),
        (Encoding::Protobuf, Signal::Metrics) => ExportMetricsServiceRequest::decode(body)
            .map_err(bad)?
            .resource_metrics
            .iter()
            .flat_map(|r| &r.scope_metrics)
            .map(|s| s.metrics.len())
            .sum(),
        (Encoding::Protobuf, Signal::Traces) => ExportTraceServiceRequest::decode(body)
            .map_err(bad)?
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .map(|s| s.spans.len())
            .sum(),
        (Encoding::Json, _) => {
            json::count_records(&json::decode(body, signal).map_err(Malformed)?, signal)
        }
    })
}

fn process_protobuf(
    snapshot: &PolicySnapshot,
    signal: Signal,
    body: &[u8],
) -> Result<Processed, Malformed> {
    if !has_policies(snapshot, signal) {
        if let Some(processed) = unfiltered(signal, Encoding::Protobuf, body) {
            return Ok(processed);
        }
    }
    let bad = |e: prost::DecodeError| Malformed(format!("invalid protobuf: {e}"));
    Ok(match signal {
        // Log records are evaluated on the wire bytes of a valid body, and
        // a changed body is spliced from the original bytes.
        Signal::Logs if scan_proto::count_records(signal, body).is_some() => {
            let (o, edits) = raw_logs::process(snapshot, body)?;
            if o.records == 0 || o.dropped == o.records {
                Processed::Empty(o)
            } else if o.changed() {
                Processed::Modified(o, raw_logs::splice(body, edits)?)
            } else {
                Processed::Unchanged(o)
            }
        }
        Signal::Logs => {
            let mut req = ExportLogsServiceRequest::decode(body).map_err(bad)?;
            let o = proto::process_logs(snapshot, &mut req);
            classify(o, || req.encode_to_vec())
        }
        // Metrics and spans are evaluated decoded, and a changed body is
        // spliced from the original bytes: what is kept unchanged keeps its
        // bytes, fields prost does not know included (encoding the decoded
        // request again would lose them).
        Signal::Metrics => {
            let req = ExportMetricsServiceRequest::decode(body).map_err(bad)?;
            let mut fates = Vec::new();
            let o = proto::metric_fates(snapshot, &req, &mut fates);
            let metrics = req
                .resource_metrics
                .iter()
                .flat_map(|r| &r.scope_metrics)
                .flat_map(|s| &s.metrics);
            classify_spliced(o, || splice::splice_fates(body, &fates, metrics, &[]))?
        }
        Signal::Traces => {
            let mut req = ExportTraceServiceRequest::decode(body).map_err(bad)?;
            let mut fates = Vec::new();
            let o = proto::trace_fates(snapshot, &mut req, &mut fates);
            let spans = req
                .resource_spans
                .iter()
                .flat_map(|r| &r.scope_spans)
                .flat_map(|s| &s.spans);
            classify_spliced(o, || {
                splice::splice_fates(body, &fates, spans, splice::SPAN_KNOWN)
            })?
        }
    })
}

fn process_json(
    snapshot: &PolicySnapshot,
    signal: Signal,
    body: &[u8],
) -> Result<Processed, Malformed> {
    if !has_policies(snapshot, signal) {
        if let Some(processed) = unfiltered(signal, Encoding::Json, body) {
            return Ok(processed);
        }
    }
    // TODO: metrics and traces JSON still build the tree.
    if signal == Signal::Logs {
        if let Some(processed) = json_logs::process(snapshot, body) {
            return processed;
        }
    }
    process_json_tree(snapshot, signal, body)
}

/// OTLP/JSON through the normalised tree: the reference the tree-free logs
/// path (`json_logs`) means the same as.
fn process_json_tree(
    snapshot: &PolicySnapshot,
    signal: Signal,
    body: &[u8],
) -> Result<Processed, Malformed> {
    let mut doc = json::decode(body, signal).map_err(Malformed)?;
    let records = json::count_records(&doc, signal);
    if records == 0 {
        return Ok(Processed::Empty(Outcome::default()));
    }
    let summary = match signal {
        Signal::Logs => edge_policy::otlp_json::process_logs(snapshot, &mut doc),
        Signal::Metrics => edge_policy::otlp_json::process_metrics(snapshot, &mut doc),
        Signal::Traces => edge_policy::otlp_json::process_traces(snapshot, &mut doc),
    };
    let outcome = Outcome {
        records: summary.records,
        dropped: summary.dropped,
        modified: summary.modified,
    };
    // Serialising a `Value` cannot fail (all keys are strings).
    Ok(classify(outcome, || {
        serde_json::to_vec(&doc).unwrap_or_default()
    }))
}

fn empty_response(encoding: Encoding) -> ModuleResponse {
    let body: &'static [u8] = match encoding {
        // Every Export*ServiceResponse without partial_success encodes to
        // zero bytes.
        Encoding::Protobuf => b"",
        Encoding::Json => b"{}",
    };
    response(StatusCode::OK, encoding, Bytes::from_static(body))
}

fn response(status: StatusCode, encoding: Encoding, body: Bytes) -> ModuleResponse {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(encoding.content_type()),
    );
    ModuleResponse {
        status,
        headers,
        body,
    }
}

/// An error response: a `google.rpc.Status` in the request's encoding, JSON
/// when the request's encoding is unusable.
fn error_response(status: StatusCode, encoding: Option<Encoding>, message: &str) -> ModuleResponse {
    let code = match status {
        StatusCode::BAD_REQUEST => INVALID_ARGUMENT,
        // UNIMPLEMENTED for media types and encodings Edge does not speak.
        _ => 12,
    };
    let encoding = encoding.unwrap_or(Encoding::Json);
    let body = match encoding {
        Encoding::Protobuf => RpcStatus {
            code,
            message: message.to_owned(),
        }
        .encode_to_vec(),
        Encoding::Json => {
            serde_json::to_vec(&serde_json::json!({"code": code, "message": message}))
                .unwrap_or_default()
        }
    };
    response(status, encoding, Bytes::from(body))
}

fn request_encoding(req: &RequestParts<'_>) -> Option<Encoding> {
    req.content_type().and_then(Encoding::from_content_type)
}

impl ProxyModule for OtlpModule {
    fn name(&self) -> &str {
        match self.signal {
            Signal::Logs => "otlp_logs",
            Signal::Metrics => "otlp_metrics",
            Signal::Traces => "otlp_traces",
        }
    }

    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        // By default always: malformed bodies are refused (400) and empty
        // exports answered locally even when no policy is loaded. Opted
        // out, only while the signal has policies.
        self.verify_unfiltered || has_policies(&self.registry.snapshot(), self.signal)
    }

    /// Measured peaks over the decoded body, output included, on the load
    /// bench's OTLP logs with 100 mixed policies from 30 KB to 53 MB (see
    /// `benches/examples/module_memory.rs`), plus about 36 KB of scratch:
    /// protobuf logs are spliced from the wire bytes (1.2 times), OTLP/JSON
    /// logs scanned and rewritten (2.1 times, 2.7 at 30 KB); metrics and
    /// traces are decoded into trees, prost's (4.4 to 4.7 times on the same
    /// records) or the normalised JSON one (10 to 10.6 times).
    // TODO: logs bodies the scanners decline fall back to those trees with
    // the logs estimate.
    fn working_memory(&self, req: &RequestParts<'_>, decoded_len: usize) -> usize {
        let n = decoded_len;
        let working = match (request_encoding(req), self.signal) {
            (Some(Encoding::Protobuf), Signal::Logs) => n.saturating_add(n / 2),
            (Some(Encoding::Json), Signal::Logs) => n.saturating_mul(3),
            (Some(Encoding::Protobuf), _) => n.saturating_mul(5),
            (Some(Encoding::Json), _) => n.saturating_mul(11),
            // Answered locally with a short error.
            (None, _) => 0,
        };
        working.saturating_add(64 * 1024)
    }

    fn on_request(&self, req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        match request_encoding(req) {
            Some(encoding) => self.process(encoding, body),
            None => {
                self.stats
                    .unsupported_requests
                    .fetch_add(1, Ordering::Relaxed);
                let ct = req.content_type().unwrap_or("");
                RequestAction::Respond(error_response(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    None,
                    &format!(
                        "unsupported content type {ct:?}: use application/x-protobuf or application/json"
                    ),
                ))
            }
        }
    }

    fn on_undecodable_body(&self, req: &RequestParts<'_>, why: &DecodeFailure) -> RequestAction {
        let encoding = request_encoding(req);
        let status = match why {
            DecodeFailure::UnsupportedEncoding(_) => {
                self.stats
                    .unsupported_requests
                    .fetch_add(1, Ordering::Relaxed);
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            DecodeFailure::Corrupt(_) => {
                self.stats
                    .malformed_requests
                    .fetch_add(1, Ordering::Relaxed);
                StatusCode::BAD_REQUEST
            }
        };
        RequestAction::Respond(error_response(status, encoding, &why.to_string()))
    }

    fn write_metrics(&self, out: &mut String) {
        let s = &self.stats;
        let signal = self.signal.name();
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP edge_otlp_{signal}_records_total OTLP {signal} records by outcome (evaluated = kept + dropped; modified is part of kept)."
        );
        let _ = writeln!(out, "# TYPE edge_otlp_{signal}_records_total counter");
        // `kept` is derived from the same two loads so that evaluated ==
        // kept + dropped holds in every scrape; `modified` is a subset of
        // `kept`.
        let (evaluated, dropped) = (load(&s.records_evaluated), load(&s.records_dropped));
        for (outcome, n) in [
            ("evaluated", evaluated),
            ("kept", evaluated.saturating_sub(dropped)),
            ("dropped", dropped),
            ("modified", load(&s.records_modified)),
        ] {
            let _ = writeln!(
                out,
                "edge_otlp_{signal}_records_total{{outcome=\"{outcome}\"}} {n}"
            );
        }
        // The results partition the requests: their sum is every request
        // the module answered or forwarded.
        let _ = writeln!(
            out,
            "# HELP edge_otlp_{signal}_requests_total OTLP {signal} requests by result."
        );
        let _ = writeln!(out, "# TYPE edge_otlp_{signal}_requests_total counter");
        for (result, c) in [
            ("forwarded", &s.forwarded_requests),
            ("empty", &s.empty_requests),
            ("all_dropped", &s.all_dropped_requests),
            ("malformed", &s.malformed_requests),
            ("unsupported", &s.unsupported_requests),
        ] {
            let _ = writeln!(
                out,
                "edge_otlp_{signal}_requests_total{{result=\"{result}\"}} {}",
                load(c)
            );
        }
    }
}
