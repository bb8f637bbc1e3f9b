//! The body of every fuzz target, one function per target taking the raw
//! input. The `fuzz_targets/*.rs` binaries are thin `fuzz_target!` wrappers
//! around these, and `tests/replay.rs` runs the kept inputs
//! (`regressions/<target>/`, `seeds/<target>/`) through the same functions in
//! a plain `cargo test`, so a fixed crash stays fixed without libFuzzer.
//!
//! Every function panics on a broken invariant; otherwise it returns.

use edge_policy::otlp_json::{process_logs, process_metrics, process_traces};
use edge_policy::parse::{parse_document, parse_sync_response_protobuf, Format};
use edge_policy::{PolicySnapshot, Registry};
use serde_json::Value;

/// A fuzz target: its name (as in `fuzz_targets/`) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target built with the enabled features.
pub fn all() -> Vec<Target> {
    #[allow(unused_mut)]
    let mut v: Vec<Target> = vec![
        ("policy_parse", policy_parse),
        ("policy_protobuf", policy_protobuf),
        ("otlp_json_logs", otlp_json_logs),
    ];
    #[cfg(feature = "modules")]
    v.extend_from_slice(&[
        ("datadog_logs", modules::datadog_logs as fn(&[u8])),
        ("dd_metrics", modules::dd_metrics),
        ("otlp_proto", modules::otlp_proto),
        ("otlp_scan", modules::otlp_scan),
        ("prometheus_filter", modules::prometheus_filter),
    ]);
    v
}

/// Policy text (JSON or YAML) → parse → compile → evaluate. Must never panic.
///
/// Byte 0 selects the syntax (even: JSON, odd: YAML); the rest is the
/// document (invalid UTF-8 is replaced, so the parsers still run).
pub fn policy_parse(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = if selector % 2 == 0 {
        Format::Json
    } else {
        Format::Yaml
    };
    let text = String::from_utf8_lossy(rest);
    let Ok(parsed) = parse_document(&text, format) else {
        return;
    };
    let registry = Registry::new();
    registry.update_source_parsed("fuzz", parsed);
    let snapshot = registry.snapshot();
    crate::evaluate_samples(&snapshot);
    let _ = registry.policy_statuses();
}

/// Binary protobuf `SyncResponse` → compile → evaluate. Must never panic.
pub fn policy_protobuf(data: &[u8]) {
    let Ok(response) = parse_sync_response_protobuf(data) else {
        return;
    };
    let snapshot = PolicySnapshot::from_policies(response.policies);
    crate::evaluate_samples(&snapshot);
}

/// OTLP/JSON bytes → JSON tree → `edge_policy::otlp_json` processing through
/// the fixed policy set. Must never panic; a document that is valid JSON must
/// still serialise after processing.
///
/// With `--features modules` the body also goes through the OTLP logs
/// module, whose tree-free path must give what the tree path gives
/// ([`crate::check_json_logs`]).
pub fn otlp_json_logs(data: &[u8]) {
    #[cfg(feature = "modules")]
    crate::check_json_logs(data);
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let snapshot = crate::snapshot();
    let mut logs = doc.clone();
    process_logs(&snapshot, &mut logs);
    serde_json::to_vec(&logs).expect("processed logs serialise");
    let mut metrics = doc.clone();
    process_metrics(&snapshot, &mut metrics);
    serde_json::to_vec(&metrics).expect("processed metrics serialise");
    let mut traces = doc;
    process_traces(&snapshot, &mut traces);
    serde_json::to_vec(&traces).expect("processed traces serialise");
}

#[cfg(feature = "modules")]
pub use modules::{datadog_logs, dd_metrics, otlp_proto, otlp_scan, prometheus_filter};

#[cfg(feature = "modules")]
mod modules {
    use std::sync::OnceLock;

    use edge_modules::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
    use edge_modules::otlp::Encoding;
    use edge_modules::{
        DatadogMetricsModule, DatadogModule, OtlpModule, OtlpSignal, PrometheusModule,
        PrometheusSettings, ProxyModule, RequestAction, RequestParts, ResponseFilter,
    };

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers
    }

    /// Fail-open: an element that does not parse is copied verbatim, so only
    /// a valid input must give a valid output.
    fn check_json_out(what: &str, input: &[u8], out: &[u8]) {
        if serde_json::from_slice::<serde_json::Value>(input).is_ok()
            && serde_json::from_slice::<serde_json::Value>(out).is_err()
        {
            panic!(
                "{what} produced invalid JSON: {:?}",
                String::from_utf8_lossy(out)
            );
        }
    }

    /// Datadog logs intake body → `DatadogModule::on_request`. Must never
    /// panic; a modified body of a valid input must be valid JSON.
    pub fn datadog_logs(data: &[u8]) {
        static M: OnceLock<DatadogModule> = OnceLock::new();
        let module = M.get_or_init(|| DatadogModule::new(crate::registry()));
        let headers = json_headers();
        let req = RequestParts {
            method: &Method::POST,
            path: "/api/v2/logs",
            query: None,
            headers: &headers,
        };
        if let RequestAction::ForwardModified(body) = module.on_request(&req, data) {
            check_json_out("datadog logs module", data, &body);
        }
    }

    /// Datadog metric series body → `DatadogMetricsModule::on_request` on the
    /// v2 or v1 route (byte 0 chooses). Must never panic; a modified body of a
    /// valid input must be valid JSON.
    pub fn dd_metrics(data: &[u8]) {
        static M: OnceLock<DatadogMetricsModule> = OnceLock::new();
        let module = M.get_or_init(|| DatadogMetricsModule::new(crate::registry()));
        let Some((&selector, body)) = data.split_first() else {
            return;
        };
        let path = if selector % 2 == 0 {
            "/api/v2/series"
        } else {
            "/api/v1/series"
        };
        let protobuf = selector & 2 != 0;
        let mut headers = json_headers();
        if protobuf {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-protobuf"),
            );
        }
        let req = RequestParts {
            method: &Method::POST,
            path,
            query: None,
            headers: &headers,
        };
        match module.on_request(&req, body) {
            RequestAction::ForwardModified(out) if protobuf => {
                // Dropped series are cut out, nothing else changes: the
                // output is a shorter subsequence of the input.
                assert!(out.len() < body.len(), "protobuf series body grew");
                let mut rest = body.iter();
                assert!(
                    out.iter().all(|b| rest.any(|c| c == b)),
                    "protobuf series body changed beyond cut series"
                );
            }
            RequestAction::ForwardModified(out) => {
                check_json_out("datadog metrics module", body, &out);
            }
            _ => {}
        }
    }

    /// OTLP/HTTP protobuf body → `OtlpModule::on_request` for logs, metrics
    /// and traces (the same bytes through all three). Must never panic; a
    /// modified body must decode again as the signal's export request; the
    /// spliced logs body must mean what the prost path gives
    /// ([`crate::check_logs_splice`]).
    pub fn otlp_proto(data: &[u8]) {
        static M: OnceLock<[OtlpModule; 3]> = OnceLock::new();
        let modules = M.get_or_init(|| {
            let r = crate::registry();
            [
                OtlpModule::new(r.clone(), OtlpSignal::Logs),
                OtlpModule::new(r.clone(), OtlpSignal::Metrics),
                OtlpModule::new(r, OtlpSignal::Traces),
            ]
        });
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-protobuf"),
        );
        crate::check_logs_splice(data);
        for module in modules {
            let signal = module.signal();
            crate::check_fast_path(signal, Encoding::Protobuf, data);
            let req = RequestParts {
                method: &Method::POST,
                path: signal.path(),
                query: None,
                headers: &headers,
            };
            if let RequestAction::ForwardModified(out) = module.on_request(&req, data) {
                crate::check_otlp_protobuf(signal, &out);
            }
        }
    }

    /// The fast (policy-free) validators against the full decoders: byte 0
    /// chooses the encoding (even: protobuf, odd: JSON), the rest is the
    /// body, checked as each signal's request. The fast path must never
    /// accept what the full decoder refuses and must count the same
    /// records; for protobuf it must refuse exactly what prost refuses.
    /// A JSON body also goes through the logs module with policies, whose
    /// tree-free path must give what the tree path gives
    /// ([`crate::check_json_logs`]).
    pub fn otlp_scan(data: &[u8]) {
        let Some((&selector, body)) = data.split_first() else {
            return;
        };
        let encoding = if selector % 2 == 0 {
            Encoding::Protobuf
        } else {
            Encoding::Json
        };
        for signal in OtlpSignal::ALL {
            crate::check_fast_path(signal, encoding, body);
        }
        if encoding == Encoding::Json {
            crate::check_json_logs(body);
        }
    }

    /// Prometheus scrape bytes split into chunks → `ScrapeFilter`
    /// (`on_head`, `on_chunk`…, `finish`). Must never panic.
    ///
    /// Byte 0 chooses the chunking and the content type (bit 0:
    /// OpenMetrics); the rest is the exposition body.
    pub fn prometheus_filter(data: &[u8]) {
        static M: OnceLock<PrometheusModule> = OnceLock::new();
        let module = M.get_or_init(|| {
            // Small limits so the cut-off paths are reached by small inputs.
            let settings = PrometheusSettings {
                max_input_bytes: 8 * 1024,
                max_output_bytes: 6 * 1024,
                max_line_bytes: 256,
            };
            PrometheusModule::new(crate::registry(), settings)
        });
        let Some((&selector, body)) = data.split_first() else {
            return;
        };
        let mut headers = HeaderMap::new();
        let content_type = if selector & 1 == 1 {
            "application/openmetrics-text; version=1.0.0; charset=utf-8"
        } else {
            "text/plain; version=0.0.4; charset=utf-8"
        };
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        let mut filter = module.scrape_filter();
        filter.on_head(StatusCode::OK, &mut headers);
        let mut out = Vec::new();
        for chunk in crate::chunks(body, selector) {
            filter.on_chunk(chunk, &mut out);
        }
        filter.finish(&mut out);
    }
}
