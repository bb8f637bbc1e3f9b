//! A module pipeline run a fixed number of times, for deterministic
//! profiles (`valgrind --tool=callgrind`, `perf stat -e instructions`):
//! the same decode → process → encode as the `modules` bench.
//!
//! `cargo run --release -p edge-benches --example profile_modules -- \
//!   <otlp|otlpjson|datadog> <0|100u|100m> <identity|gzip> [iterations] [bytes]`
//!
//! `otlp` is the protobuf logs body of the load bench's `otlp-1mb.pb`,
//! `otlpjson` the OTLP/JSON one of `otlp-1mb.json` (both about 1 MiB here);
//! `bytes` sets another uncompressed size (for instance 2048 for small
//! requests, where per-call setup costs show).

use std::sync::Arc;

use bytes::Bytes;
use edge_loadgen::payload;
use edge_modules::otlp::Encoding;
use edge_modules::{DatadogModule, OtlpModule, OtlpSignal, RequestAction};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use edge_proxy::codec::{self, Codec, ContentEncoding};
use prost::Message as _;

fn registry(policies: &serde_json::Value) -> Arc<Registry> {
    let parsed = parse_document(&policies.to_string(), Format::Json).expect("policies parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("profile", parsed);
    registry
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage =
        "usage: profile_modules <otlp|otlpjson|datadog> <0|100u|100m> <identity|gzip> [iterations] [bytes]";
    let [_, kind, set, enc, rest @ ..] = args.as_slice() else {
        panic!("{usage}");
    };
    let iterations: usize = rest.first().map_or(1, |n| n.parse().expect("iterations"));
    let size: usize = rest.get(1).map_or(1 << 20, |n| n.parse().expect("bytes"));
    let reg = registry(&match set.as_str() {
        "0" => payload::policies(0),
        "100u" => payload::policies_with(100, false),
        "100m" => payload::policies(100),
        _ => panic!("{usage}"),
    });
    let plain = match kind.as_str() {
        "otlp" => {
            let n = payload::records_for(size, |n| payload::otlp(n).encoded_len());
            payload::otlp(n).encode_to_vec()
        }
        "otlpjson" => {
            let n = payload::records_for(size, |n| payload::otlp_json(&payload::otlp(n)).len());
            payload::otlp_json(&payload::otlp(n))
        }
        "datadog" => {
            let n = payload::records_for(size, |n| payload::datadog_body(n).len());
            payload::datadog_body(n)
        }
        _ => panic!("{usage}"),
    };
    let gzip = match enc.as_str() {
        "identity" => false,
        "gzip" => true,
        _ => panic!("{usage}"),
    };
    let wire = if gzip {
        Bytes::from(payload::gzip(&plain))
    } else {
        Bytes::from(plain.clone())
    };
    let encoding = if gzip {
        ContentEncoding::Gzip
    } else {
        ContentEncoding::Identity
    };
    let otlp = OtlpModule::new(reg.clone(), OtlpSignal::Logs);
    let datadog = DatadogModule::new(reg);
    let mut forwarded = 0;
    for _ in 0..iterations {
        let (decoded, found) = codec::decode(encoding, &wire, 64 << 20).expect("decodes");
        let action = match kind.as_str() {
            "otlp" => otlp.process(Encoding::Protobuf, &decoded),
            "otlpjson" => otlp.process(Encoding::Json, &decoded),
            _ => datadog.process(&decoded),
        };
        forwarded += match action {
            RequestAction::ForwardOriginal => wire.len(),
            RequestAction::ForwardModified(body) if found == Codec::Identity => body.len(),
            RequestAction::ForwardModified(body) => {
                codec::encode(found, &body).expect("encodes").len()
            }
            RequestAction::Respond(r) => r.body.len(),
        };
    }
    eprintln!(
        "{kind} {set} {enc}: {} bytes uncompressed, {} on the wire, {iterations} iterations, {forwarded} bytes forwarded",
        plain.len(),
        wire.len()
    );
}
