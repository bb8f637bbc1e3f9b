//! `edge`: the default distribution of Edge, plus policy and configuration
//! tools.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;

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

const MAIN_EXAMPLES: &str = "\
Examples:
  edge edge.yaml                         run the proxy
  edge run edge.yaml                     the same (also --config/-c)
  EDGE_LISTEN_PORT=9000 edge edge.yaml   override any key from the environment
  edge policy check policies/*.yaml      lint policy files (CI)
  edge config check edge.yaml            validate a configuration
  edge --version                         version, commit, rustc, target

Every configuration key can be overridden with EDGE_<KEY> (nested keys joined
with `__`, e.g. EDGE_PROMETHEUS__TARGET_URL), or read from a file with
EDGE_<KEY>_FILE. Configuration reference: README.md.";

const RUN_EXAMPLES: &str = "\
Examples:
  edge run examples/configs/otlp-gateway.yaml
  edge run --config examples/configs/otlp-gateway.yaml
  EDGE_UPSTREAM_URL_FILE=/run/secrets/upstream edge run --config edge.yaml
  EDGE_LOG_LEVEL=debug edge run -c edge.json

Stops on SIGTERM or SIGINT after in-flight requests finish (at most
shutdown_grace_period_ms).";

const POLICY_CHECK_EXAMPLES: &str = "\
Examples:
  edge policy check policies.yaml
  edge policy check policies/*.yaml policies/*.json

Prints `FILE:LINE[:COLUMN]: message` for every problem of every file on
stderr (syntax errors, policies that do not parse, policies that do not
compile, e.g. an invalid regex) and `FILE: ok (N policies)` on stdout for
clean files. Exits with status 1 when any file has a problem, 0 otherwise.";

const POLICY_EVAL_EXAMPLES: &str = "\
Examples:
  edge policy eval --policies policies.yaml --input batch.json --output out.json
  edge policy eval --policies p.json --input logs.json --output out.json \\
      --stats stats.json --signal log
  edge policy eval --server http://127.0.0.1:9090/v1/policy/sync \\
      --input spans.json --output out.json --signal trace

  edge policy eval --policies p.yaml --input - --output - < batch.json

The input is an OTLP/JSON export request (resourceLogs, resourceMetrics or
resourceSpans); `-` reads standard input. The output is the same batch after
the policies ran (`-` writes standard output); the stats file holds
per-policy match counts. Policies that do not parse or compile are reported
on stderr (as `edge policy check` does) and skipped; the others run. A
--signal that does not match the batch is an error. A summary (records,
dropped, modified) goes to stderr.";

const CONFIG_CHECK_EXAMPLES: &str = "\
Examples:
  edge config check edge.yaml
  EDGE_UPSTREAM_URL=https://intake.example edge config check deploy/edge.json

Loads each file exactly as `edge run` would (EDGE_* overrides and ${VAR} /
${file:PATH} substitutions from the current environment), validates it, and
prints `FILE[:LINE]: error` on stderr for a file that fails. Exits with
status 1 when any file fails. Credentials written into a file (policy server
headers, passwords in URLs) are reported as warnings.";

/// Edge telemetry proxy.
#[derive(Debug, Parser)]
#[command(
    name = "edge",
    version,
    long_version = LONG_VERSION,
    about,
    after_help = MAIN_EXAMPLES,
    args_conflicts_with_subcommands = true
)]
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
    #[command(after_help = RUN_EXAMPLES)]
    Run {
        /// Configuration file (JSON or YAML).
        #[arg(value_name = "CONFIG", required_unless_present = "config")]
        config_path: Option<PathBuf>,
        /// Configuration file (JSON or YAML).
        #[arg(short, long, value_name = "CONFIG", conflicts_with = "config_path")]
        config: Option<PathBuf>,
    },
    /// Policy tools: check policy files, dry-run policies on a batch.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Apply policies to an OTLP/JSON batch offline (dry run).
    #[command(after_help = POLICY_EVAL_EXAMPLES)]
    Eval {
        /// Policy file.
        #[arg(long, conflicts_with = "server", required_unless_present = "server")]
        policies: Option<PathBuf>,
        /// Policy server sync URL.
        #[arg(long)]
        server: Option<String>,
        /// OTLP/JSON input (`-`: standard input).
        #[arg(long)]
        input: PathBuf,
        /// Where to write the processed OTLP/JSON (`-`: standard output).
        #[arg(long)]
        output: PathBuf,
        /// Where to write per-policy statistics (also with --server).
        #[arg(long)]
        stats: Option<PathBuf>,
        /// Signal of the input: log, metric or trace (detected when absent).
        #[arg(long)]
        signal: Option<String>,
    },
    /// Parse and compile policy files; prints every error with its location.
    #[command(after_help = POLICY_CHECK_EXAMPLES)]
    Check {
        /// Policy files (JSON or YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Load and validate configuration files.
    #[command(after_help = CONFIG_CHECK_EXAMPLES)]
    Check {
        /// Configuration files (JSON or YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    edge_proxy::tune_malloc();
    let cli = Cli::parse();
    let result = match (cli.command, cli.config.or(cli.config_path)) {
        (
            Some(Command::Run {
                config_path,
                config,
            }),
            _,
        ) => run(&config.or(config_path).expect("clap requires one")),
        (None, Some(config)) => run(&config),
        (None, None) => Err(anyhow::anyhow!(
            "a configuration file is required (see --help)"
        )),
        (Some(Command::Policy(cmd)), _) => policy(cmd),
        (Some(Command::Config(ConfigCommand::Check { files })), _) => config_check(&files),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("edge: {}", edge_proxy::error_report(&*error));
            ExitCode::FAILURE
        }
    }
}

/// Runs the proxy with the configuration `file`.
fn run(file: &Path) -> anyhow::Result<()> {
    edge_proxy::run_config_file(file, edge_proxy::Distribution::Full).map_err(|e| {
        let edge_proxy::RunError::Config(_) = &e else {
            return e.into();
        };
        // Every problem of the file, with its line, as `edge config check`
        // prints them.
        let report = edge_config::locate::startup_report(file);
        for line in report.iter().flat_map(|(lines, _)| lines) {
            eprintln!("edge: {line}");
        }
        // Logging never started: the start-up warning about them was not
        // given, and they may be why.
        warn_unknown_env_vars(file);
        match report {
            Some((_, summary)) => anyhow::anyhow!(summary),
            None => e.into(),
        }
    })
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
            let report = edge_policy::eval::run(edge_policy::eval::EvalOptions {
                policies: policies.clone(),
                server,
                input,
                output,
                stats,
                signal,
            })?;
            // Policy errors, as `edge policy check` reports them (with
            // their lines) when they come from a file.
            let skipped = match &policies {
                Some(file) => check_policy_file_problems(file),
                None => {
                    for e in &report.policy_errors {
                        eprintln!("edge: {e}");
                    }
                    report.policy_errors.len()
                }
            };
            if report.policies == 0 {
                eprintln!(
                    "edge: warning: no valid policy for the batch's signal {}; it was written unchanged",
                    match &policies {
                        Some(file) => format!("in {}", file.display()),
                        None => "came from the policy server".to_owned(),
                    }
                );
            }
            let s = report.summary;
            eprintln!(
                "edge: policy eval: {} records, {} dropped, {} modified{}",
                s.records,
                s.dropped,
                s.modified,
                match skipped {
                    0 => String::new(),
                    n => format!(
                        "; {n} policy error(s) reported above; invalid policies were skipped"
                    ),
                }
            );
            Ok(())
        }
        PolicyCommand::Check { files } => {
            let mut errors = 0usize;
            let mut failed = 0usize;
            for file in &files {
                let n = check_policy_file(file);
                errors += n;
                failed += usize::from(n > 0);
            }
            anyhow::ensure!(
                errors == 0,
                "{errors} error(s) in {failed} of {} file(s)",
                files.len()
            );
            Ok(())
        }
    }
}

/// Prints every parse and compile error (and warning) of a policy file that
/// `edge policy eval` loaded; returns the number of errors.
fn check_policy_file_problems(file: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(file) else {
        return 0;
    };
    let report = check::check_policies(&text, edge_policy::parse::Format::from_path(file));
    for d in report.diagnostics.iter().chain(&report.warnings) {
        eprintln!("{}", d.render(file));
    }
    report.diagnostics.len()
}

/// Prints every parse and compile error of one file; returns their count.
fn check_policy_file(file: &Path) -> usize {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", file.display());
            return 1;
        }
    };
    let report = check::check_policies(&text, edge_policy::parse::Format::from_path(file));
    for d in report.diagnostics.iter().chain(&report.warnings) {
        eprintln!("{}", d.render(file));
    }
    if report.diagnostics.is_empty() {
        let noun = if report.policies == 1 {
            "policy"
        } else {
            "policies"
        };
        println!("{}: ok ({} {noun})", file.display(), report.policies);
    }
    report.diagnostics.len()
}

/// Prints a warning per `EDGE_*` variable that configures nothing (names
/// only: a value may be an API key).
fn warn_unknown_env_vars(file: &Path) {
    for unknown in edge_config::unknown_process_env_vars(file) {
        eprintln!("{}: warning: {unknown}", file.display());
    }
}

/// `edge config check FILES...`: every file is checked; one line per file.
fn config_check(files: &[PathBuf]) -> anyhow::Result<()> {
    let mut failed = 0usize;
    // The logging variables are the process's, the same for every file.
    let logging = edge_observability::check_env();
    for file in files {
        match check::check_config(file) {
            Ok(()) => {
                let mut warnings = check::literal_secrets(file);
                warnings.extend(check::policy_file_warnings(file));
                warnings.extend(check::config_warnings(file));
                for warning in warnings {
                    eprintln!("{}", warning.render(file));
                }
                warn_unknown_env_vars(file);
                match &logging {
                    Ok(None) => {}
                    Ok(Some(warning)) => eprintln!("{}: warning: {warning}", file.display()),
                    Err(error) => {
                        // `edge run` would refuse to start.
                        eprintln!("{}: {error}", file.display());
                        failed += 1;
                        continue;
                    }
                }
                println!("{}: ok", file.display());
            }
            Err(diagnostics) => {
                for d in diagnostics {
                    eprintln!("{}", d.render(file));
                }
                // A misspelled override may be why (a missing key).
                warn_unknown_env_vars(file);
                failed += 1;
            }
        }
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} of {} configuration file(s) invalid",
        files.len()
    );
    Ok(())
}
