//! Peak heap bytes a module uses on top of its decoded input, measured with
//! a counting allocator: what `ProxyModule::working_memory` and the proxy's
//! re-encoding estimate are calibrated against.
//!
//! `cargo run --release -p edge-benches --example module_memory -- \
//!   <otlp|otlpjson|datadog|otlptree|otlpjsontree> <0|100u|100m> <decoded bytes>...
//!
//! `otlptree` and `otlpjsontree` measure the trees OTLP metrics and traces
//! are processed in (protobuf: prost decode and re-encode; JSON: the
//! normalised JSON tree) on the same log records.`
//!
//! For each size it prints the decoded and gzip sizes, the module's peak
//! heap above the decoded body (`on_request` until its output is dropped,
//! output included), the module's own estimate, and the peak of the gzip
//! re-encode (output included) with the proxy's estimate for it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use edge_loadgen::payload;
use edge_modules::otlp::Encoding;
use edge_modules::{DatadogModule, OtlpModule, OtlpSignal, ProxyModule, RequestAction};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use edge_proxy::codec::{self, Codec, ContentEncoding};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message as _;

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; only counters are
// updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = IN_USE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the peak heap above the heap in use
/// when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - base)
}

fn registry(policies: &serde_json::Value) -> Arc<Registry> {
    let parsed = parse_document(&policies.to_string(), Format::Json).expect("policies parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("memory", parsed);
    registry
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: module_memory <otlp|otlpjson|datadog|otlptree|otlpjsontree> <0|100u|100m> <decoded bytes>...";
    let [_, kind, set, sizes @ ..] = args.as_slice() else {
        panic!("{usage}");
    };
    let reg = registry(&match set.as_str() {
        "0" => payload::policies(0),
        "100u" => payload::policies_with(100, false),
        "100m" => payload::policies(100),
        _ => panic!("{usage}"),
    });
    let otlp = OtlpModule::new(reg.clone(), OtlpSignal::Logs);
    let datadog = DatadogModule::new(reg);
    let tree = match kind.as_str() {
        "otlptree" => Some(Encoding::Protobuf),
        "otlpjsontree" => Some(Encoding::Json),
        _ => None,
    };
    let kind = kind.trim_end_matches("tree");
    let (module, content_type): (&dyn ProxyModule, &str) = match kind {
        "otlp" => (&otlp, "application/x-protobuf"),
        "otlpjson" => (&otlp, "application/json"),
        "datadog" => (&datadog, "application/json"),
        _ => panic!("{usage}"),
    };
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_str(content_type).expect("ascii"),
    );
    let method = http::Method::POST;
    let rp = edge_modules::RequestParts {
        method: &method,
        path: "/",
        query: None,
        headers: &headers,
    };
    for size in sizes {
        let size: usize = size.parse().expect("decoded bytes");
        let plain = match kind {
            "otlp" => {
                let n = payload::records_for(size, |n| payload::otlp(n).encoded_len());
                payload::otlp(n).encode_to_vec()
            }
            "otlpjson" => {
                let n = payload::records_for(size, |n| payload::otlp_json(&payload::otlp(n)).len());
                payload::otlp_json(&payload::otlp(n))
            }
            _ => {
                let n = payload::records_for(size, |n| payload::datadog_body(n).len());
                payload::datadog_body(n)
            }
        };
        let wire = payload::gzip(&plain);
        let (decoded, _) =
            codec::decode(ContentEncoding::Gzip, &wire, usize::MAX).expect("decodes");
        let decoded = decoded.into_owned();
        let (output, module_peak) = peak_of(|| {
            let action = match tree {
                // The prost tree metrics and traces are processed in, for
                // the same records (decoded, re-encoded).
                Some(Encoding::Protobuf) => {
                    let req = ExportLogsServiceRequest::decode(decoded.as_slice())
                        .expect("valid protobuf");
                    RequestAction::ForwardModified(req.encode_to_vec().into())
                }
                // The JSON tree metrics and traces are processed in.
                Some(Encoding::Json) => otlp.process_json_tree(&decoded),
                None => module.on_request(&rp, &decoded),
            };
            match action {
                RequestAction::ForwardModified(body) => Some(body),
                _ => None,
            }
        });
        let estimate = module.working_memory(&rp, decoded.len());
        let (encode_peak, encoded) = match &output {
            Some(body) => {
                let (encoded, peak) =
                    peak_of(|| codec::encode(Codec::Gzip, body).expect("encodes").len());
                (peak, encoded)
            }
            None => (0, 0),
        };
        println!(
            "{kind} {set}: decoded {} gzip {} modified {} module peak {} ({:.2}x) estimate {} ({:.2}x) encode peak {} (output {encoded}) encode estimate {}",
            decoded.len(),
            wire.len(),
            output.as_ref().map_or(0, |b| b.len()),
            module_peak,
            module_peak as f64 / decoded.len() as f64,
            estimate,
            estimate as f64 / decoded.len() as f64,
            encode_peak,
            codec::encode_memory(Codec::Gzip, wire.len(), output.as_ref().map_or(0, |b| b.len())),
        );
    }
}
