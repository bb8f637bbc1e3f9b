//! Configuration of the Edge proxy.
//!
//! A configuration is one JSON or YAML file. Every key has a default except
//! `upstream_url`; unknown keys are rejected with an error that names the key
//! and where it sits. Two environment mechanisms apply on top of the file:
//!
//! * `EDGE_<KEY>` overrides a key, with `__` separating nested keys
//!   (`EDGE_LOG_LEVEL=debug`, `EDGE_PROMETHEUS__TARGET_URL=http://...`).
//!   Every field of [`Config`] can be overridden (the key list is read from
//!   the schema). Values that look like JSON arrays or objects are parsed as
//!   JSON; for keys whose default is a number or boolean the text is read as
//!   one, all others are taken as strings (numeric keys also accept numeric
//!   strings). `EDGE_<KEY>_FILE=/path` reads the value from a file.
//! * `${VAR}` inside any string value is replaced by the variable's value,
//!   and `${file:/path}` by the contents of a file (one trailing newline
//!   dropped), so secrets such as API keys stay out of configuration files.
//!   A missing variable or unreadable file is an error naming the key.
//!
//! ```
//! let cfg = edge_config::Config::from_str_with_env(
//!     r#"{"upstream_url": "http://127.0.0.1:9000", "listen_port": 8126}"#,
//!     edge_config::Format::Json,
//!     std::iter::empty::<(String, String)>(),
//! )
//! .unwrap();
//! assert_eq!(cfg.listen_port, 8126);
//! assert_eq!(cfg.max_body_size, 10 * 1024 * 1024);
//! ```
#![warn(missing_docs)]

mod error;
mod load;
pub mod locate;
mod model;

pub use error::ConfigError;
pub use load::{
    unknown_env_vars, unknown_process_env_vars, Format, UnknownEnvVar, MAX_REPORTED_ERRORS,
    OTHER_EDGE_VARS,
};
pub use model::{
    Config, HttpProviderConfig, LogLevel, OtlpConfig, PolicyEncoding, PolicyProviderConfig,
    PrometheusConfig, ServiceConfig, TlsConfig,
};
