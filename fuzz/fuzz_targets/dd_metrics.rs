//! Datadog metric series body → `DatadogMetricsModule::on_request` on the v2
//! or v1 route (byte 0 chooses). Must never panic; a modified body must be
//! valid JSON.
#![no_main]

use edge_modules::http::{header, HeaderMap, HeaderValue, Method};
use edge_modules::{DatadogMetricsModule, ProxyModule, RequestAction, RequestParts};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn module() -> &'static DatadogMetricsModule {
    static M: OnceLock<DatadogMetricsModule> = OnceLock::new();
    M.get_or_init(|| DatadogMetricsModule::new(edge_fuzz::registry()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let path = if selector % 2 == 0 {
        "/api/v2/series"
    } else {
        "/api/v1/series"
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let req = RequestParts {
        method: &Method::POST,
        path,
        query: None,
        headers: &headers,
    };
    if let RequestAction::ForwardModified(out) = module().on_request(&req, body) {
        // Fail-open: an element that does not parse is copied verbatim, so
        // only a valid input must give a valid output.
        if serde_json::from_slice::<serde_json::Value>(body).is_ok()
            && serde_json::from_slice::<serde_json::Value>(&out).is_err()
        {
            panic!(
                "datadog metrics module produced invalid JSON: {:?}",
                String::from_utf8_lossy(&out)
            );
        }
    }
});
