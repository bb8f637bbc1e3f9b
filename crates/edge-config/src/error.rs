//! Typed configuration errors.

use std::path::PathBuf;

/// Everything that can go wrong while loading or validating a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Io {
        /// The file that was read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid JSON or YAML.
    #[error("config is not valid {format}: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A key or value does not fit the configuration schema (unknown key,
    /// wrong type, missing required key).
    #[error("invalid config at `{key}`: {message}")]
    Schema {
        /// Dotted path of the offending key (`.` for the document root).
        key: String,
        /// What is wrong; for unknown keys this names the key.
        message: String,
    },
    /// `${VAR}` referenced a variable that is not set.
    #[error("config key `{key}` references environment variable `{var}`, which is not set")]
    MissingEnvVar {
        /// The variable name.
        var: String,
        /// Dotted path of the key whose value referenced it.
        key: String,
    },
    /// An `EDGE_*` environment override could not be applied.
    #[error("environment override {var}: {message}")]
    EnvOverride {
        /// The environment variable.
        var: String,
        /// Why it was rejected.
        message: String,
    },
    /// A value parsed but is not acceptable (bad URL, bad address, ...).
    #[error("invalid value for `{key}`: {message}")]
    Invalid {
        /// Dotted path of the key.
        key: String,
        /// Why the value was rejected.
        message: String,
    },
}
