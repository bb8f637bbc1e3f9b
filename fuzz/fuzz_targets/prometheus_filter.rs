//! Prometheus scrape bytes split into chunks → `ScrapeFilter`
//! (`on_head`, `on_chunk`…, `finish`). Must never panic.
//!
//! Input layout: byte 0 chooses the chunking and the content type (bit 0:
//! OpenMetrics); the rest is the exposition body.
//!
//! The body is [`edge_fuzz::targets::prometheus_filter`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::prometheus_filter(data));
