//! Datadog logs intake body → `DatadogModule::on_request`. Must never panic;
//! a modified body must be valid JSON.
#![no_main]

use edge_modules::http::{header, HeaderMap, HeaderValue, Method};
use edge_modules::{DatadogModule, ProxyModule, RequestAction, RequestParts};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn module() -> &'static DatadogModule {
    static M: OnceLock<DatadogModule> = OnceLock::new();
    M.get_or_init(|| DatadogModule::new(edge_fuzz::registry()))
}

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let req = RequestParts {
        method: &Method::POST,
        path: "/api/v2/logs",
        query: None,
        headers: &headers,
    };
    if let RequestAction::ForwardModified(body) = module().on_request(&req, data) {
        // Fail-open: an element that does not parse is copied verbatim, so
        // only a valid input must give a valid output.
        if serde_json::from_slice::<serde_json::Value>(data).is_ok()
            && serde_json::from_slice::<serde_json::Value>(&body).is_err()
        {
            panic!(
                "datadog module produced invalid JSON: {:?}",
                String::from_utf8_lossy(&body)
            );
        }
    }
});
