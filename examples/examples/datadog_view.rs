//! Uses `edge-modules`' Datadog module on its own: a policy registry, one
//! request body, and the module's decision — no server involved.
//!
//! Run: `cargo run -p edge-examples --example datadog_view`

use std::sync::Arc;

use edge_modules::http::{HeaderMap, HeaderValue, Method};
use edge_modules::{DatadogModule, ProxyModule, RequestAction, RequestParts};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;

const POLICIES: &str = r#"{"policies":[
  {"id":"drop-debug","name":"drop debug","log":{"match":[
     {"log_field":"severity_text","exact":"debug","case_insensitive":true}],"keep":"none"}},
  {"id":"drop-dev","name":"drop dev","log":{"match":[
     {"log_attribute":["ddtags","env"],"exact":"dev"}],"keep":"none"}}
]}"#;

const BODY: &str = r#"[
  {"message":"payment accepted","status":"info","service":"pay","ddtags":"env:prod,team:core"},
  {"message":"cache lookup","status":"DEBUG","service":"pay","ddtags":"env:prod"},
  {"message":"hello from a laptop","status":"info","service":"pay","ddtags":"env:dev"}
]"#;

fn main() -> anyhow::Result<()> {
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("example", parse_document(POLICIES, Format::Json)?);
    let module = DatadogModule::new(registry);

    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let request = RequestParts {
        method: &Method::POST,
        path: "/api/v2/logs",
        query: None,
        headers: &headers,
    };
    match module.on_request(&request, BODY.as_bytes()) {
        RequestAction::ForwardOriginal => println!("forward the original bytes"),
        RequestAction::ForwardModified(body) => {
            println!("forward modified body:\n{}", String::from_utf8_lossy(&body))
        }
        RequestAction::Respond(r) => println!("answer {} without calling upstream", r.status),
    }
    let stats = module.stats();
    println!(
        "kept {} dropped {}",
        stats
            .records_kept
            .load(std::sync::atomic::Ordering::Relaxed),
        stats
            .records_dropped
            .load(std::sync::atomic::Ordering::Relaxed)
    );
    Ok(())
}
