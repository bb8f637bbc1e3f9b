//! OTLP/HTTP protobuf body → `OtlpModule::on_request` for logs, metrics and
//! traces (the same bytes through all three). Must never panic; a modified
//! body must decode again as the signal's export request.
#![no_main]

use edge_modules::http::{header, HeaderMap, HeaderValue, Method};
use edge_modules::{OtlpModule, OtlpSignal, ProxyModule, RequestAction, RequestParts};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn modules() -> &'static [OtlpModule; 3] {
    static M: OnceLock<[OtlpModule; 3]> = OnceLock::new();
    M.get_or_init(|| {
        let r = edge_fuzz::registry();
        [
            OtlpModule::new(r.clone(), OtlpSignal::Logs),
            OtlpModule::new(r.clone(), OtlpSignal::Metrics),
            OtlpModule::new(r, OtlpSignal::Traces),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-protobuf"),
    );
    for module in modules() {
        let signal = module.signal();
        let req = RequestParts {
            method: &Method::POST,
            path: signal.path(),
            query: None,
            headers: &headers,
        };
        if let RequestAction::ForwardModified(out) = module.on_request(&req, data) {
            edge_fuzz::check_otlp_protobuf(signal, &out);
        }
    }
});
