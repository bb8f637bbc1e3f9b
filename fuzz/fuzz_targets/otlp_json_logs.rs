//! OTLP/JSON bytes → JSON tree → `edge_policy::otlp_json` processing through
//! the fixed policy set. Must never panic; a document that is valid JSON must
//! still serialise after processing.
#![no_main]

use edge_policy::otlp_json::{process_logs, process_metrics, process_traces};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let snapshot = edge_fuzz::snapshot();
    let mut logs = doc.clone();
    process_logs(&snapshot, &mut logs);
    serde_json::to_vec(&logs).expect("processed logs serialise");
    let mut metrics = doc.clone();
    process_metrics(&snapshot, &mut metrics);
    serde_json::to_vec(&metrics).expect("processed metrics serialise");
    let mut traces = doc;
    process_traces(&snapshot, &mut traces);
    serde_json::to_vec(&traces).expect("processed traces serialise");
});
