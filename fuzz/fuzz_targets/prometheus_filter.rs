//! Prometheus scrape bytes split into chunks → `ScrapeFilter`
//! (`on_head`, `on_chunk`…, `finish`). Must never panic.
//!
//! Input layout: byte 0 chooses the chunking and the content type (bit 0:
//! OpenMetrics); the rest is the exposition body.
#![no_main]

use edge_modules::http::{header, HeaderMap, HeaderValue, StatusCode};
use edge_modules::{PrometheusModule, PrometheusSettings, ResponseFilter};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn module() -> &'static PrometheusModule {
    static M: OnceLock<PrometheusModule> = OnceLock::new();
    M.get_or_init(|| {
        // Small limits so the cut-off paths are reached by small inputs.
        let settings = PrometheusSettings {
            max_input_bytes: 8 * 1024,
            max_output_bytes: 6 * 1024,
            max_line_bytes: 256,
        };
        PrometheusModule::new(edge_fuzz::registry(), settings)
    })
}

fuzz_target!(|data: &[u8]| {
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
    let mut filter = module().scrape_filter();
    filter.on_head(StatusCode::OK, &mut headers);
    let mut out = Vec::new();
    for chunk in edge_fuzz::chunks(body, selector) {
        filter.on_chunk(chunk, &mut out);
    }
    filter.finish(&mut out);
});
