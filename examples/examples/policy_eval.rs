//! Policy conformance / dry-run runner.
//!
//! ```text
//! policy_eval --policies P --input I --output O --stats S --signal log|metric|trace
//! ```
//!
//! Reads OTLP/JSON, applies the policies of one signal, writes the OTLP/JSON
//! result and the stats file (see `edge_policy::eval`).

fn main() -> anyhow::Result<()> {
    tracing_subscriber_init();
    let opts = edge_policy::eval::parse_args(std::env::args().skip(1))?;
    edge_policy::eval::run(opts)?;
    Ok(())
}

/// Log warnings to stderr when `RUST_LOG` is set; stay quiet otherwise.
fn tracing_subscriber_init() {
    // The example crate has no subscriber dependency of its own; tracing
    // events are dropped unless an embedding binary installs one.
}
