//! [`Level`]: the five log levels, parseable from configuration text.

use std::fmt;
use std::str::FromStr;

/// A log level, from most to least verbose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Very detailed diagnostics.
    Trace,
    /// Per-request decisions and diagnostics.
    Debug,
    /// Lifecycle events: started, listening, policies loaded.
    #[default]
    Info,
    /// Something unexpected that Edge recovered from.
    Warn,
    /// Data loss or a condition that needs an operator.
    Error,
}

impl Level {
    /// All levels, most verbose first.
    pub const ALL: [Level; 5] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
    ];

    /// The lowercase name: `trace`, `debug`, `info`, `warn` or `error`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// The matching `tracing` level.
    #[must_use]
    pub fn to_tracing(self) -> tracing::Level {
        match self {
            Level::Trace => tracing::Level::TRACE,
            Level::Debug => tracing::Level::DEBUG,
            Level::Info => tracing::Level::INFO,
            Level::Warn => tracing::Level::WARN,
            Level::Error => tracing::Level::ERROR,
        }
    }
}

impl From<Level> for tracing::Level {
    fn from(level: Level) -> Self {
        level.to_tracing()
    }
}

impl From<Level> for tracing_subscriber::filter::LevelFilter {
    fn from(level: Level) -> Self {
        tracing_subscriber::filter::LevelFilter::from_level(level.to_tracing())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that is not a level name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid log level {input:?}: expected trace, debug, info, warn or error")]
pub struct ParseLevelError {
    input: String,
}

impl ParseLevelError {
    /// The rejected text.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl FromStr for Level {
    type Err = ParseLevelError;

    /// Accepts the five names case-insensitively, surrounding whitespace
    /// ignored, plus the aliases `warning` and `err`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        let level = if name.eq_ignore_ascii_case("trace") {
            Level::Trace
        } else if name.eq_ignore_ascii_case("debug") {
            Level::Debug
        } else if name.eq_ignore_ascii_case("info") {
            Level::Info
        } else if name.eq_ignore_ascii_case("warn") || name.eq_ignore_ascii_case("warning") {
            Level::Warn
        } else if name.eq_ignore_ascii_case("error") || name.eq_ignore_ascii_case("err") {
            Level::Error
        } else {
            return Err(ParseLevelError {
                input: s.to_owned(),
            });
        };
        Ok(level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_aliases() {
        for level in Level::ALL {
            assert_eq!(level.as_str().parse::<Level>(), Ok(level));
            assert_eq!(level.as_str().to_uppercase().parse::<Level>(), Ok(level));
            assert_eq!(level.to_string(), level.as_str());
        }
        assert_eq!(" Warning ".parse::<Level>(), Ok(Level::Warn));
        assert_eq!("err".parse::<Level>(), Ok(Level::Error));
        let err = "verbose".parse::<Level>().unwrap_err();
        assert_eq!(err.input(), "verbose");
        assert!(err.to_string().contains("\"verbose\""));
        assert!("".parse::<Level>().is_err());
    }

    #[test]
    fn ordering_and_conversion() {
        assert!(Level::Trace < Level::Error);
        assert_eq!(Level::default(), Level::Info);
        assert_eq!(tracing::Level::from(Level::Warn), tracing::Level::WARN);
        assert_eq!(
            tracing_subscriber::filter::LevelFilter::from(Level::Debug),
            tracing_subscriber::filter::LevelFilter::DEBUG
        );
    }
}
