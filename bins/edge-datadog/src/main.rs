//! `edge-datadog`: the Datadog distribution of Edge (Datadog logs filtered by
//! policies, admin routes, passthrough for everything else).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Edge telemetry proxy, Datadog distribution.
#[derive(Debug, Parser)]
#[command(name = "edge-datadog", version, about)]
struct Cli {
    /// Configuration file (JSON or YAML).
    #[arg(value_name = "CONFIG", required_unless_present = "config")]
    config_path: Option<PathBuf>,
    /// Configuration file (JSON or YAML).
    #[arg(short, long, value_name = "CONFIG", conflicts_with = "config_path")]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let path = cli.config.or(cli.config_path).expect("clap requires one");
    match edge_proxy::run_config_file(&path, edge_proxy::Distribution::Datadog) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("edge-datadog: {:#}", anyhow::Error::from(error));
            ExitCode::FAILURE
        }
    }
}
