//! Installing the process-wide subscriber.

use std::io::IsTerminal as _;

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

use crate::level::{Level, ParseLevelError};

/// Environment variable holding a [`Level`] name that overrides
/// [`Options::level`].
pub const EDGE_LOG_LEVEL: &str = "EDGE_LOG_LEVEL";
/// Environment variable holding `tracing-subscriber` filter directives
/// (e.g. `info,edge_policy=debug`), used when `EDGE_LOG_LEVEL` is unset.
pub const RUST_LOG: &str = "RUST_LOG";

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line: `timestamp` (RFC 3339, UTC), `level`,
    /// `target`, `message`, the event's fields, and `span` (the current span's
    /// name and fields) when inside one.
    #[default]
    Json,
    /// Multi-line human-readable output for development; colours when stdout
    /// is a terminal.
    Pretty,
}

/// What [`init`] installs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Minimum level, unless the environment overrides it.
    pub level: Level,
    /// Output format.
    pub format: Format,
    /// Whether `EDGE_LOG_LEVEL` and `RUST_LOG` may override `level`
    /// (default `true`).
    pub env_override: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            level: Level::Info,
            format: Format::Json,
            env_override: true,
        }
    }
}

/// Why [`init`] failed.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// `EDGE_LOG_LEVEL` is set but is not a level name.
    #[error("EDGE_LOG_LEVEL: {0}")]
    InvalidLevel(#[from] ParseLevelError),
    /// `RUST_LOG` is set but unusable: not valid filter syntax, or only bare
    /// words that are no level and select none of Edge's logs. Returned by
    /// [`resolve_filter`]; [`init`] warns and uses the configured level.
    #[error("RUST_LOG: invalid filter {directives:?}: {reason}")]
    InvalidFilter {
        /// The rejected directives.
        directives: String,
        /// The parser's explanation.
        reason: String,
    },
    /// A global subscriber was installed already (e.g. `init` called twice).
    #[error("a global tracing subscriber is already installed")]
    AlreadyInstalled,
}

/// Where the effective filter came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterSource {
    /// [`Options::level`].
    Options(Level),
    /// `EDGE_LOG_LEVEL`.
    EdgeLogLevel(Level),
    /// `RUST_LOG`, verbatim.
    RustLog(String),
}

impl FilterSource {
    fn directives(&self) -> String {
        match self {
            FilterSource::Options(level) | FilterSource::EdgeLogLevel(level) => {
                level.as_str().to_owned()
            }
            FilterSource::RustLog(directives) => directives.clone(),
        }
    }
}

/// Decides the filter from the options and the two environment values
/// (passed in, so this is testable without touching the environment).
///
/// Precedence: a non-empty `EDGE_LOG_LEVEL`, then a non-empty `RUST_LOG`,
/// then `options.level`; the variables are ignored when
/// `options.env_override` is `false`.
pub fn resolve_filter(
    options: &Options,
    edge_log_level: Option<&str>,
    rust_log: Option<&str>,
) -> Result<FilterSource, InitError> {
    if options.env_override {
        if let Some(value) = non_empty(edge_log_level) {
            return Ok(FilterSource::EdgeLogLevel(value.parse()?));
        }
        if let Some(value) = non_empty(rust_log) {
            // Validate now so a typo is reported instead of silently logging
            // nothing.
            EnvFilter::builder()
                .parse(value)
                .map_err(|err| InitError::InvalidFilter {
                    directives: value.to_owned(),
                    reason: err.to_string(),
                })?;
            // Only bare words that are no level: every log is off. Beside
            // a level or a target that logs, a stray word hides nothing,
            // and the user's filter is kept ([`init`] warns about it).
            let (stray, selecting) = stray_words(value);
            if let (Some(word), false) = (stray.first(), selecting) {
                return Err(InitError::InvalidFilter {
                    directives: value.to_owned(),
                    reason: stray_reason(word),
                });
            }
            return Ok(FilterSource::RustLog(value.to_owned()));
        }
    }
    Ok(FilterSource::Options(options.level))
}

/// Crates besides Edge's own (`edge*`) whose events a bare target name in
/// `RUST_LOG` can select.
const KNOWN_TARGETS: &[&str] = &[
    "h2",
    "hyper",
    "hyper_rustls",
    "hyper_util",
    "mio",
    "notify",
    "reqwest",
    "rustls",
    "tokio",
    "tokio_rustls",
    "tokio_util",
    "tower",
    "want",
];

/// A `RUST_LOG` directive that is a bare word but neither a level nor the
/// name of something that logs: valid syntax (a target with every level),
/// yet it turns all of Edge's logs off, which a misspelled level such as
/// `verbose` or `warning` does without a word.
fn is_stray_word(directive: &str) -> bool {
    if directive.is_empty() || directive.contains(['=', '[', ':']) {
        return false;
    }
    if directive
        .parse::<tracing_subscriber::filter::LevelFilter>()
        .is_ok()
    {
        return false;
    }
    !(directive.starts_with("edge") || KNOWN_TARGETS.contains(&directive))
}

/// The directives of `value` that are stray words (see [`is_stray_word`]),
/// and whether any other directive is left.
fn stray_words(value: &str) -> (Vec<&str>, bool) {
    let directives = value.split(',').map(str::trim).filter(|d| !d.is_empty());
    let (stray, selecting): (Vec<&str>, Vec<&str>) = directives.partition(|d| is_stray_word(d));
    (stray, !selecting.is_empty())
}

fn stray_reason(word: &str) -> String {
    format!(
        "`{word}` is not a level (trace, debug, info, warn, error, off), \
         and as a target it would match none of Edge's logs"
    )
}

/// [`resolve_filter`], except that an unusable `RUST_LOG` (bad syntax, or
/// only bare words that are no level and select none of Edge's logs) falls
/// back to `options.level`; the second value is then the warning to give.
/// A stray word beside other directives is warned about, and the
/// `RUST_LOG` applies.
pub(crate) fn resolve_filter_lenient(
    options: &Options,
    edge_log_level: Option<&str>,
    rust_log: Option<&str>,
) -> Result<(FilterSource, Option<String>), InitError> {
    match resolve_filter(options, edge_log_level, rust_log) {
        Err(error @ InitError::InvalidFilter { .. }) => Ok((
            FilterSource::Options(options.level),
            Some(format!("{error}; using the configured level instead")),
        )),
        Ok(FilterSource::RustLog(directives)) => {
            // Kept as given, as its other directives select logs; a stray
            // word beside them is most likely a typo worth a word.
            let warning = stray_words(&directives).0.first().map(|word| {
                format!(
                    "RUST_LOG: {directives:?}: {}; it is ignored",
                    stray_reason(word)
                )
            });
            Ok((FilterSource::RustLog(directives), warning))
        }
        other => other.map(|source| (source, None)),
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn env_filter(source: &FilterSource) -> EnvFilter {
    // Every source was validated by `resolve_filter`; a level name always
    // parses.
    EnvFilter::builder().parse_lossy(source.directives())
}

/// Builds the subscriber for `format` writing to `writer`.
pub(crate) fn subscriber<W>(
    format: Format,
    filter: EnvFilter,
    writer: W,
    ansi: bool,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(true);
    match format {
        Format::Json => Box::new(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
        Format::Pretty => Box::new(builder.pretty().with_ansi(ansi).finish()),
    }
}

/// Returned by [`init`]; keep it alive until the process exits. Dropping it
/// flushes stdout. The subscriber itself stays installed (a global
/// subscriber cannot be removed).
#[derive(Debug)]
#[must_use = "dropping the guard early flushes and ends nothing else, but keep it for the process lifetime"]
pub struct Guard {
    source: FilterSource,
}

impl Guard {
    /// Where the effective filter came from (useful to log at startup).
    #[must_use]
    pub fn filter_source(&self) -> &FilterSource {
        &self.source
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
    }
}

/// What [`init`] would say about this process's logging variables, without
/// installing anything (for `edge config check`): `Err` for what stops it
/// (an `EDGE_LOG_LEVEL` that is no level), `Ok(Some(warning))` for what it
/// warns about and works around (an unusable `RUST_LOG`, or a stray word in
/// one), `Ok(None)` when there is nothing to say.
pub fn check_env() -> Result<Option<String>, InitError> {
    let edge = std::env::var(EDGE_LOG_LEVEL).ok();
    let rust = std::env::var(RUST_LOG).ok();
    check_env_values(edge.as_deref(), rust.as_deref())
}

/// [`check_env`] on given values.
fn check_env_values(
    edge_log_level: Option<&str>,
    rust_log: Option<&str>,
) -> Result<Option<String>, InitError> {
    resolve_filter_lenient(&Options::default(), edge_log_level, rust_log).map(|(_, w)| w)
}

/// Installs the global subscriber writing to stdout.
///
/// Fails if `EDGE_LOG_LEVEL` is invalid (rather than silently logging at an
/// unexpected level) or if a global subscriber exists already. An unusable
/// `RUST_LOG` (bad syntax, or a bare word such as `verbose` that is no
/// level and would hide every log) does not stop the process: the
/// configured level applies and one warning says why.
pub fn init(options: Options) -> Result<Guard, InitError> {
    let edge = std::env::var(EDGE_LOG_LEVEL).ok();
    let rust = std::env::var(RUST_LOG).ok();
    let (source, warning) = resolve_filter_lenient(&options, edge.as_deref(), rust.as_deref())?;
    let ansi = std::io::stdout().is_terminal();
    let subscriber = subscriber(options.format, env_filter(&source), std::io::stdout, ansi);
    tracing::subscriber::set_global_default(subscriber).map_err(|_| InitError::AlreadyInstalled)?;
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
    Ok(Guard { source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_check_reports_what_init_would() {
        assert!(check_env_values(None, None).unwrap().is_none());
        assert!(check_env_values(None, Some("info,edge_policy=debug"))
            .unwrap()
            .is_none());
        let unusable = check_env_values(None, Some("verbose")).unwrap().unwrap();
        assert!(
            unusable.starts_with("RUST_LOG: invalid filter"),
            "{unusable}"
        );
        let stray = check_env_values(None, Some("info,verbose"))
            .unwrap()
            .unwrap();
        assert!(stray.contains("`verbose` is not a level"), "{stray}");
        assert!(matches!(
            check_env_values(Some("loud"), None),
            Err(InitError::InvalidLevel(_))
        ));
        // EDGE_LOG_LEVEL wins: RUST_LOG is not looked at.
        assert!(check_env_values(Some("debug"), Some("verbose"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn precedence_edge_then_rust_log_then_options() {
        let options = Options {
            level: Level::Warn,
            ..Options::default()
        };
        assert_eq!(
            resolve_filter(&options, Some("debug"), Some("trace")).unwrap(),
            FilterSource::EdgeLogLevel(Level::Debug)
        );
        assert_eq!(
            resolve_filter(&options, None, Some("info,edge_policy=trace")).unwrap(),
            FilterSource::RustLog("info,edge_policy=trace".into())
        );
        assert_eq!(
            resolve_filter(&options, Some("  "), Some("")).unwrap(),
            FilterSource::Options(Level::Warn)
        );
        assert_eq!(
            resolve_filter(&options, None, None).unwrap(),
            FilterSource::Options(Level::Warn)
        );
        let pinned = Options {
            env_override: false,
            ..options
        };
        assert_eq!(
            resolve_filter(&pinned, Some("trace"), Some("trace")).unwrap(),
            FilterSource::Options(Level::Warn)
        );
    }

    #[test]
    fn invalid_environment_values_are_errors() {
        let options = Options::default();
        let err = resolve_filter(&options, Some("loud"), None).unwrap_err();
        assert!(matches!(err, InitError::InvalidLevel(_)));
        assert!(err.to_string().starts_with("EDGE_LOG_LEVEL: "), "{err}");
        let err = resolve_filter(&options, None, Some("edge=loudest")).unwrap_err();
        assert!(matches!(err, InitError::InvalidFilter { .. }), "{err:?}");
    }

    #[test]
    fn a_bare_word_that_is_no_level_is_a_mistake_not_a_target() {
        let options = Options::default();
        for stray in ["verbose", "warning", "verbose,warning", "ALL"] {
            let err = resolve_filter(&options, None, Some(stray)).unwrap_err();
            assert!(err.to_string().contains("is not a level"), "{stray}: {err}");
        }
        for fine in [
            "INFO",
            "3",
            "off",
            "edge_proxy",
            "edge_proxy::server=debug",
            "hyper",
            "warn,h2=debug",
            "[span]=debug",
        ] {
            assert_eq!(
                resolve_filter(&options, None, Some(fine)).unwrap(),
                FilterSource::RustLog(fine.into()),
                "{fine}"
            );
        }
    }

    #[test]
    fn an_unusable_rust_log_falls_back_to_the_configured_level_with_a_warning() {
        let options = Options {
            level: Level::Warn,
            ..Options::default()
        };
        for bad in ["verbose", "edge=loudest"] {
            let (source, warning) = resolve_filter_lenient(&options, None, Some(bad)).unwrap();
            assert_eq!(source, FilterSource::Options(Level::Warn), "{bad}");
            let warning = warning.unwrap();
            assert!(warning.starts_with("RUST_LOG: invalid filter"), "{warning}");
            assert!(
                warning.ends_with("using the configured level instead"),
                "{warning}"
            );
        }
        assert_eq!(
            resolve_filter_lenient(&options, None, Some("debug")).unwrap(),
            (FilterSource::RustLog("debug".into()), None)
        );
        // Beside a level or a target that logs, a stray word hides nothing:
        // the filter the user asked for applies (not the configured level,
        // which would hide the debug logs here), with a warning.
        for mixed in ["debug,verbos", "edge_proxy=debug,verbose"] {
            let (source, warning) = resolve_filter_lenient(&options, None, Some(mixed)).unwrap();
            assert_eq!(source, FilterSource::RustLog(mixed.into()), "{mixed}");
            let warning = warning.unwrap();
            assert!(warning.contains("is not a level"), "{warning}");
            assert!(warning.ends_with("it is ignored"), "{warning}");
        }
        // A bad EDGE_LOG_LEVEL is still refused.
        assert!(resolve_filter_lenient(&options, Some("loud"), None).is_err());
    }
}
