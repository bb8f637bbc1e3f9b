//! `edge`: the default distribution of Edge, plus policy and configuration
//! tools.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

/// Edge telemetry proxy.
#[derive(Debug, Parser)]
#[command(name = "edge", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    /// Configuration file (JSON or YAML); runs the proxy.
    #[arg(value_name = "CONFIG")]
    config_path: Option<PathBuf>,
    /// Configuration file (JSON or YAML); runs the proxy.
    #[arg(short, long, value_name = "CONFIG", conflicts_with = "config_path")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the proxy.
    Run {
        /// Configuration file (JSON or YAML).
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
    },
    /// Policy tools.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Apply policies to an OTLP/JSON batch offline (dry run).
    Eval {
        /// Policy file.
        #[arg(long, conflicts_with = "server", required_unless_present = "server")]
        policies: Option<PathBuf>,
        /// Policy server sync URL.
        #[arg(long)]
        server: Option<String>,
        /// OTLP/JSON input.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the processed OTLP/JSON.
        #[arg(long)]
        output: PathBuf,
        /// Where to write per-policy statistics.
        #[arg(long)]
        stats: Option<PathBuf>,
        /// Signal of the input: log, metric or trace (detected when absent).
        #[arg(long)]
        signal: Option<String>,
    },
    /// Parse and compile policy files; prints every error with its location.
    Check {
        /// Policy files (JSON or YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Load and validate a configuration file.
    Check {
        /// Configuration file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match (cli.command, cli.config.or(cli.config_path)) {
        (Some(Command::Run { config }), _) | (None, Some(config)) => {
            edge_proxy::run_config_file(&config, edge_proxy::Distribution::Full).map_err(Into::into)
        }
        (None, None) => Err(anyhow::anyhow!(
            "a configuration file is required (see --help)"
        )),
        (Some(Command::Policy(cmd)), _) => policy(cmd),
        (Some(Command::Config(ConfigCommand::Check { file })), _) => {
            edge_config::Config::load(&file)
                .map(|_| println!("{}: ok", file.display()))
                .with_context(|| format!("{}", file.display()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("edge: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn policy(cmd: PolicyCommand) -> anyhow::Result<()> {
    match cmd {
        PolicyCommand::Eval {
            policies,
            server,
            input,
            output,
            stats,
            signal,
        } => {
            let signal = signal.map(|s| s.parse()).transpose()?;
            edge_policy::eval::run(edge_policy::eval::EvalOptions {
                policies,
                server,
                input,
                output,
                stats,
                signal,
            })?;
            Ok(())
        }
        PolicyCommand::Check { files } => {
            let mut errors = 0usize;
            for file in &files {
                errors += check_policy_file(file);
            }
            anyhow::ensure!(errors == 0, "{errors} error(s) in {} file(s)", files.len());
            Ok(())
        }
    }
}

/// Prints every parse and compile error of one file; returns their count.
fn check_policy_file(file: &std::path::Path) -> usize {
    use edge_policy::parse::{parse_document, Format};
    let name = file.display();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            println!("{name}: cannot read: {e}");
            return 1;
        }
    };
    let parsed = match parse_document(&text, Format::from_path(file)) {
        Ok(p) => p,
        Err(e) => {
            println!("{name}: {e}");
            return 1;
        }
    };
    let count = parsed.policies.len() + parsed.errors.len();
    let registry = edge_policy::Registry::new();
    registry.update_source_parsed("check", parsed);
    let mut errors = 0;
    for status in registry.policy_statuses() {
        for e in &status.errors {
            println!("{name}: policy `{}`: {e}", status.id);
            errors += 1;
        }
    }
    if errors == 0 {
        println!("{name}: ok ({count} policies)");
    }
    errors
}
