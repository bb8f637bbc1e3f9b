//! Datadog logs intake body → `DatadogModule::on_request`. Must never panic;
//! a modified body must be valid JSON.
//!
//! The body is [`edge_fuzz::targets::datadog_logs`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::datadog_logs(data));
