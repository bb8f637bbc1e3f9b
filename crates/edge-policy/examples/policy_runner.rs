//! The conformance runner, built from this crate alone (the workspace's
//! `edge-examples` package has the same example with all crates linked):
//!
//! ```text
//! cargo build -p edge-policy --example policy_runner
//! policy_runner --policies P --input I --output O --stats S --signal log|metric|trace
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let result =
        edge_policy::eval::parse_args(std::env::args().skip(1)).and_then(edge_policy::eval::run);
    match result {
        Ok(report) => {
            for e in &report.policy_errors {
                eprintln!("policy_runner: skipped {e}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("policy_runner: {e}");
            ExitCode::from(match e {
                edge_policy::eval::EvalError::Usage(_) => 2,
                _ => 1,
            })
        }
    }
}
