//! `edge-datadog`: the Datadog distribution of Edge (Datadog logs filtered by
//! policies, admin routes, passthrough for everything else).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// `--version` (long form): version plus build information.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit:   ",
    env!("EDGE_BUILD_COMMIT"),
    "\nrustc:    ",
    env!("EDGE_BUILD_RUSTC"),
    "\ntarget:   ",
    env!("EDGE_BUILD_TARGET"),
    "\nprofile:  ",
    env!("EDGE_BUILD_PROFILE"),
);

const EXAMPLES: &str = "\
Examples:
  edge-datadog examples/configs/datadog-local.yaml
  edge-datadog --config /etc/edge/edge.yaml
  EDGE_LOGS_URL=https://agent-http-intake.logs.datadoghq.com edge-datadog edge.yaml

Serves the Datadog logs intake (POST /api/v2/logs, filtered by log
policies), the /_edge/* admin routes, and passes every other request through
to upstream_url. Point the agent at it with logs_config.logs_dd_url and
logs_config.use_http (see README.md). Every configuration key can be
overridden with EDGE_<KEY>; `edge config check` validates a file.";

/// Edge telemetry proxy, Datadog distribution.
#[derive(Debug, Parser)]
#[command(
    name = "edge-datadog",
    version,
    long_version = LONG_VERSION,
    about,
    override_usage = "edge-datadog <CONFIG>\n       edge-datadog --config <CONFIG>",
    after_help = EXAMPLES
)]
struct Cli {
    /// Configuration file (JSON or YAML).
    #[arg(value_name = "CONFIG", required_unless_present = "config")]
    config_path: Option<PathBuf>,
    /// Configuration file (JSON or YAML).
    #[arg(short, long, value_name = "CONFIG", conflicts_with = "config_path")]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    edge_proxy::tune_malloc();
    let cli = Cli::parse();
    let path = cli.config.or(cli.config_path).expect("clap requires one");
    match edge_proxy::run_config_file(&path, edge_proxy::Distribution::Datadog) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("edge-datadog: {}", edge_proxy::error_report(&error));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn usage_shows_the_config_file_as_required() {
        let usage = Cli::command().render_usage().to_string();
        assert!(usage.contains("edge-datadog <CONFIG>"), "{usage}");
        assert!(!usage.contains("[CONFIG]"), "{usage}");
        assert!(Cli::try_parse_from(["edge-datadog"]).is_err());
        let cli = Cli::try_parse_from(["edge-datadog", "-c", "x.yaml"]).unwrap();
        assert_eq!(cli.config, Some(PathBuf::from("x.yaml")));
    }
}
