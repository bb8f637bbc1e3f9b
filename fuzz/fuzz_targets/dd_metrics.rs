//! Datadog metric series body → `DatadogMetricsModule::on_request` on the v2
//! or v1 route (byte 0 chooses). Must never panic; a modified body must be
//! valid JSON.
//!
//! The body is [`edge_fuzz::targets::dd_metrics`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::dd_metrics(data));
