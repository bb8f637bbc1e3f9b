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

/// A hint for `edge-datadog policy ...` / `edge-datadog config ...`: the
/// tools are in the `edge` binary (unless a file of that name is meant).
fn tools_hint(args: &[std::ffi::OsString]) -> Option<String> {
    let first = args.get(1)?.to_str()?;
    if !matches!(first, "policy" | "config") || std::path::Path::new(first).exists() {
        return None;
    }
    let rest: Vec<&str> = args[2..].iter().filter_map(|a| a.to_str()).collect();
    Some(format!(
        "edge-datadog only runs the proxy; the {first} tools are in the `edge` binary: \
         edge {first} {}",
        rest.join(" ")
    ))
}

fn main() -> ExitCode {
    edge_proxy::tune_malloc();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(hint) = tools_hint(&args) {
        eprintln!("edge-datadog: {}", hint.trim_end());
        return ExitCode::from(2);
    }
    let cli = Cli::parse_from(args);
    let path = cli.config.or(cli.config_path).expect("clap requires one");
    match edge_proxy::run_config_file(&path, edge_proxy::Distribution::Datadog) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let edge_proxy::RunError::Config(_) = &error {
                // Every problem of the file, with its line.
                if let Some((lines, summary)) = edge_config::locate::startup_report(&path) {
                    for line in lines {
                        eprintln!("edge-datadog: {line}");
                    }
                    eprintln!("edge-datadog: {summary}");
                    return ExitCode::FAILURE;
                }
            }
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
    fn policy_and_config_tools_point_to_the_edge_binary() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let hint = tools_hint(&args(&["edge-datadog", "policy", "check", "p.yaml"])).unwrap();
        assert!(hint.contains("edge policy check p.yaml"), "{hint}");
        let hint = tools_hint(&args(&["edge-datadog", "config", "check", "e.yaml"])).unwrap();
        assert!(hint.contains("edge config check e.yaml"), "{hint}");
        assert!(tools_hint(&args(&["edge-datadog", "edge.yaml"])).is_none());
        assert!(tools_hint(&args(&["edge-datadog"])).is_none());
    }

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
