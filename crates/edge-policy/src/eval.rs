//! Dry-run / conformance runner (spec Part 4): load policies, read an OTLP/JSON
//! batch, apply the policies of one signal, write the result and the stats
//! file.
//!
//! The same path serves a future `--server` mode: only the source of the
//! policies differs ([`run_with_registry`] takes any populated registry).

use crate::otlp_json::{self, ProcessSummary};
use crate::parse::{parse_document, FileError, Format};
use crate::registry::{priority, Registry};
use serde_json::{json, Value};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path that names standard input (`--input -`) or standard output
/// (`--output -`).
pub const STDIO: &str = "-";

/// Which signal a batch carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Logs (`resourceLogs`).
    Log,
    /// Metrics (`resourceMetrics`).
    Metric,
    /// Traces (`resourceSpans`).
    Trace,
}

impl FromStr for Signal {
    type Err = EvalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "log" | "logs" => Ok(Signal::Log),
            "metric" | "metrics" => Ok(Signal::Metric),
            "trace" | "traces" | "span" | "spans" => Ok(Signal::Trace),
            other => Err(EvalError::Usage(format!(
                "unknown signal {other:?} (expected log, metric or trace)"
            ))),
        }
    }
}

impl Signal {
    /// The name `--signal` takes.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Log => "log",
            Signal::Metric => "metric",
            Signal::Trace => "trace",
        }
    }

    /// The top-level OTLP/JSON key of a batch of this signal.
    pub fn key(self) -> &'static str {
        match self {
            Signal::Log => "resourceLogs",
            Signal::Metric => "resourceMetrics",
            Signal::Trace => "resourceSpans",
        }
    }
}

/// Options of one runner invocation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Policy file (JSON or YAML).
    pub policies: Option<PathBuf>,
    /// Policy server sync URL (not supported yet).
    pub server: Option<String>,
    /// OTLP/JSON input (`-`: standard input).
    pub input: PathBuf,
    /// Where to write the OTLP/JSON output (`-`: standard output).
    pub output: PathBuf,
    /// Where to write the stats file.
    pub stats: Option<PathBuf>,
    /// Signal of the batch; detected from the input's top-level key when
    /// `None`.
    pub signal: Option<Signal>,
}

/// Runner failures (each means a non-zero exit).
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Bad arguments.
    #[error("usage: {0}")]
    Usage(String),
    /// A mode that is not implemented.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The policy document could not be read at all.
    #[error("{path}: {source}")]
    Policies {
        /// The file.
        path: PathBuf,
        /// The error.
        source: FileError,
    },
    /// The input is not valid OTLP/JSON.
    #[error("{path}: invalid input: {message}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// What one invocation did.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Every policy error, as `policy[INDEX] (ID): message` / `policy `ID`:
    /// message`: policies that do not parse or compile were skipped (the
    /// others still ran); of an id given more than once, the last
    /// occurrence ran.
    pub policy_errors: Vec<String>,
    /// Records seen, dropped and modified.
    pub summary: ProcessSummary,
    /// How many valid policies of the batch's signal ran: 0 means the
    /// batch went through unchanged, which a caller should point out.
    pub policies: usize,
}

fn read(path: &Path) -> Result<String, EvalError> {
    let io = |source| EvalError::Io {
        path: path.into(),
        source,
    };
    if path == Path::new(STDIO) {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .map_err(io)?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(io)
}

fn write(path: &Path, v: &Value) -> Result<(), EvalError> {
    let text = serde_json::to_string(v).map_err(|e| EvalError::Io {
        path: path.into(),
        source: std::io::Error::other(e),
    })?;
    let io = |source| EvalError::Io {
        path: path.into(),
        source,
    };
    if path == Path::new(STDIO) {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(io);
    }
    std::fs::write(path, text + "\n").map_err(io)
}

/// Load a policy file into a fresh registry (source id `"file"`).
pub fn load_policy_file(path: &Path) -> Result<Registry, EvalError> {
    load_policy_file_with_errors(path).map(|(registry, _)| registry)
}

/// [`load_policy_file`], plus the error of every policy that was skipped
/// because it does not parse or compile (see [`EvalReport::policy_errors`]).
pub fn load_policy_file_with_errors(path: &Path) -> Result<(Registry, Vec<String>), EvalError> {
    let text = read(path)?;
    let parsed =
        parse_document(&text, Format::from_path(path)).map_err(|source| EvalError::Policies {
            path: path.into(),
            source,
        })?;
    let mut errors: Vec<String> = Vec::new();
    for e in &parsed.errors {
        tracing::warn!(file = %path.display(), error = %e, "skipping policy that failed to parse");
        errors.push(e.to_string());
    }
    let registry = Registry::new();
    registry.set_source_priority("file", priority::FILE);
    registry.update_source_parsed("file", parsed);
    Ok((registry, errors))
}

/// Errors of the registry's policies other than parse errors (those come
/// from the parser, with the entry's index): compile errors and duplicates.
pub fn compile_errors(registry: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for status in registry.policy_statuses() {
        for e in &status.errors {
            if !e.starts_with("parse error:") {
                out.push(format!("policy `{}`: {e}", status.id));
            }
        }
    }
    out
}

/// Run one invocation (spec §4.2). Policies that do not parse or compile
/// are skipped (the others run) and listed in the report.
pub fn run(opts: EvalOptions) -> Result<EvalReport, EvalError> {
    let (registry, mut policy_errors) = match (&opts.policies, &opts.server) {
        (Some(p), None) => load_policy_file_with_errors(p)?,
        (None, Some(url)) => return crate::sync::run_server_mode(url, &opts),
        _ => {
            return Err(EvalError::Usage(
                "exactly one of --policies or --server is required".into(),
            ))
        }
    };
    policy_errors.extend(compile_errors(&registry));
    let (summary, policies) = process(&registry, &opts)?;
    Ok(EvalReport {
        policy_errors,
        summary,
        policies,
    })
}

/// Process the input with an already-populated registry and write the output
/// and (when requested) the stats file.
pub fn run_with_registry(
    registry: &Registry,
    opts: &EvalOptions,
) -> Result<ProcessSummary, EvalError> {
    process(registry, opts).map(|(summary, _)| summary)
}

/// [`run_with_registry`], also telling how many valid policies of the
/// batch's signal ran.
pub(crate) fn process(
    registry: &Registry,
    opts: &EvalOptions,
) -> Result<(ProcessSummary, usize), EvalError> {
    let text = read(&opts.input)?;
    let mut doc: Value = serde_json::from_str(&text).map_err(|e| EvalError::Input {
        path: opts.input.clone(),
        message: e.to_string(),
    })?;
    if !doc.is_object() {
        return Err(EvalError::Input {
            path: opts.input.clone(),
            message: "expected a JSON object".into(),
        });
    }
    let detected = detect_signal(&doc);
    let signal = match (opts.signal, detected) {
        (Some(asked), Some(found)) if asked != found => {
            return Err(EvalError::Input {
                path: opts.input.clone(),
                message: format!(
                    "--signal {} but the batch holds {} ({})",
                    asked.name(),
                    found.name(),
                    found.key()
                ),
            });
        }
        (Some(s), _) => s,
        (None, Some(s)) => s,
        (None, None) => {
            return Err(EvalError::Input {
                path: opts.input.clone(),
                message: "no resourceLogs, resourceMetrics or resourceSpans".into(),
            })
        }
    };
    let snap = registry.snapshot();
    // TODO: normalise snake_case and legacy OTLP/JSON keys as the proxy's
    // OTLP module does (`resource_logs`, ...); such input is now written
    // back unevaluated.
    let summary = match signal {
        Signal::Log => otlp_json::process_logs(&snap, &mut doc),
        Signal::Metric => otlp_json::process_metrics(&snap, &mut doc),
        Signal::Trace => otlp_json::process_traces(&snap, &mut doc),
    };
    tracing::debug!(
        records = summary.records,
        dropped = summary.dropped,
        modified = summary.modified,
        "batch processed"
    );
    write(&opts.output, &doc)?;
    if let Some(stats) = &opts.stats {
        write(stats, &stats_json(registry))?;
    }
    let (logs, metrics, traces) = snap.policy_counts();
    let policies = match signal {
        Signal::Log => logs,
        Signal::Metric => metrics,
        Signal::Trace => traces,
    };
    Ok((summary, policies))
}

fn detect_signal(doc: &Value) -> Option<Signal> {
    [Signal::Log, Signal::Metric, Signal::Trace]
        .into_iter()
        .find(|s| doc.get(s.key()).is_some())
}

/// The stats file (§4.6): policies with hits + misses > 0, sorted by id,
/// `misses` omitted when zero.
pub fn stats_json(registry: &Registry) -> Value {
    let mut entries: Vec<(String, u64, u64)> = registry
        .policy_statuses()
        .into_iter()
        .filter(|s| s.match_hits + s.match_misses > 0)
        .map(|s| (s.id, s.match_hits, s.match_misses))
        .collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let list: Vec<Value> = entries
        .into_iter()
        .map(|(id, h, m)| {
            if m > 0 {
                json!({"policy_id": id, "hits": h, "misses": m})
            } else {
                json!({"policy_id": id, "hits": h})
            }
        })
        .collect();
    json!({ "policies": list })
}

/// Parse the runner's command line (`--policies P --input I --output O
/// --stats S --signal log|metric|trace`, also `--flag=value`).
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<EvalOptions, EvalError> {
    let mut policies = None;
    let mut server = None;
    let mut input = None;
    let mut output = None;
    let mut stats = None;
    let mut signal = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (a.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| EvalError::Usage(format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--policies" => policies = Some(PathBuf::from(value()?)),
            "--server" => server = Some(value()?),
            "--grpc" => {
                return Err(EvalError::Unsupported(format!("--grpc {}", value()?)));
            }
            "--input" => input = Some(PathBuf::from(value()?)),
            "--output" => output = Some(PathBuf::from(value()?)),
            "--stats" => stats = Some(PathBuf::from(value()?)),
            "--signal" => signal = Some(value()?.parse()?),
            other => return Err(EvalError::Usage(format!("unknown argument {other:?}"))),
        }
    }
    Ok(EvalOptions {
        policies,
        server,
        input: input.ok_or_else(|| EvalError::Usage("--input is required".into()))?,
        output: output.ok_or_else(|| EvalError::Usage("--output is required".into()))?,
        stats,
        signal,
    })
}
