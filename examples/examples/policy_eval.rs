//! Policy conformance / dry-run runner.
//!
//! ```text
//! policy_eval --policies P --input I --output O --stats S --signal log|metric|trace
//! policy_eval --server http://127.0.0.1:PORT/v1/policy/sync --input I --output O --signal log
//! ```
//!
//! Reads OTLP/JSON, applies the policies of one signal, writes the OTLP/JSON
//! result and the stats file (see `edge_policy::eval`). A bad policy never
//! makes it fail; unreadable input or bad arguments do (non-zero exit).

fn main() -> anyhow::Result<()> {
    let opts = edge_policy::eval::parse_args(std::env::args().skip(1))?;
    edge_policy::eval::run(opts)?;
    Ok(())
}
