//! OTLP/HTTP protobuf body → `OtlpModule::on_request` for logs, metrics and
//! traces (the same bytes through all three). Must never panic; a modified
//! body must decode again as the signal's export request.
//!
//! The body is [`edge_fuzz::targets::otlp_proto`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::otlp_proto(data));
