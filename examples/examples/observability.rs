//! Install JSON logging, time a piece of work and log headers safely.
//!
//! Run: `EDGE_LOG_LEVEL=debug cargo run -p edge-examples --example observability`

use edge_observability::{init, redact_header_value, timed, Format, Level, Options};

fn main() -> anyhow::Result<()> {
    let guard = init(Options {
        level: Level::Info,
        format: Format::Json,
        ..Options::default()
    })?;
    tracing::info!(filter = ?guard.filter_source(), "logging initialised");

    let work = timed("load_policies");
    let policies = 12;
    tracing::info!(policies, "policies loaded");
    work.finish();

    let headers = [
        ("content-type", "application/json"),
        ("dd-api-key", "do-not-print-me"),
        ("authorization", "Bearer do-not-print-me"),
    ];
    for (name, value) in headers {
        tracing::info!(
            header = name,
            value = redact_header_value(name, value),
            "upstream header"
        );
    }
    let span = tracing::info_span!("request", request_id = 7);
    span.in_scope(|| tracing::debug!(route = "/v1/logs", "request received"));
    Ok(())
}
