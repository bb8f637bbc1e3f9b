//! OTLP/JSON bytes → JSON tree → `edge_policy::otlp_json` processing through
//! the fixed policy set. Must never panic; a document that is valid JSON must
//! still serialise after processing.
//!
//! The body is [`edge_fuzz::targets::otlp_json_logs`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::otlp_json_logs(data));
