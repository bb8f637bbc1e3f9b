//! Policy conformance / dry-run runner.
//!
//! ```text
//! policy_eval --policies P --input I --output O --stats S --signal log|metric|trace
//! policy_eval --server http://127.0.0.1:PORT/v1/policy/sync --input I --output O --signal log
//! ```
//!
//! Reads OTLP/JSON (`-`: standard input), applies the policies of one
//! signal, writes the OTLP/JSON result (`-`: standard output) and the stats
//! file (see `edge_policy::eval`). A bad policy never makes it fail (it is
//! reported on stderr and skipped); unreadable input or bad arguments do
//! (non-zero exit).

use std::process::ExitCode;

const USAGE: &str = "usage: policy_eval (--policies FILE | --server URL) --input FILE|- \
--output FILE|- [--stats FILE] [--signal log|metric|trace]
example: cargo run -p edge-examples --example policy_eval -- \\
    --policies examples/configs/otlp-gateway.policies.yaml --input logs.json --output -";

fn main() -> ExitCode {
    let opts = match edge_policy::eval::parse_args(std::env::args().skip(1)) {
        Ok(opts) => opts,
        Err(e) => {
            eprintln!("policy_eval: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match edge_policy::eval::run(opts) {
        Ok(report) => {
            for e in &report.policy_errors {
                eprintln!("policy_eval: skipped {e}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("policy_eval: {e}");
            ExitCode::FAILURE
        }
    }
}
