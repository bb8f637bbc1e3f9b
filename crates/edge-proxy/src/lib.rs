//! HTTP server, routing, upstream client and compression for the Edge
//! telemetry proxy.
//!
//! * [`ProxyServer`]: an HTTP/1.1 server on hyper/tokio that routes requests
//!   by method and exact path to [`edge_modules::ModuleRegistration`]s,
//!   enforces body limits, decodes `gzip`/`deflate`/`zstd` bodies with a hard
//!   output limit, calls the module, re-encodes changed bodies and forwards
//!   them over a pooled upstream client. `/_edge/*` admin routes are served
//!   locally and never forwarded.
//! * [`App`]: the composition used by the binaries: configuration in,
//!   policy registry and providers started, modules registered, server bound.
//!
//! The server is built on hyper directly rather than through axum's `serve`
//! because the proxy needs a header read timeout, a head size limit and
//! exact, un-normalised path matching.
#![warn(missing_docs)]

mod app;
mod body;
mod budget;
pub mod codec;
mod error;
pub mod headers;
pub mod idle_memory;
mod metrics;
mod policy_glue;
mod pool;
mod run;
mod server;
mod signals;
mod tls;
mod upstream;
mod workers;

pub use app::{budget_warning, registrations, validate, MIN_FILTER_BUDGET};
pub use app::{App, Distribution};
pub use error::{error_report, ProxyError};
pub use metrics::UpstreamErrorKind;
pub use run::{run_config_file, tune_malloc, RunError};
pub use server::{
    AdminSource, BoxError, NoPolicies, ProxyBody, ProxyServer, ServerSettings, TlsFiles,
};
pub use signals::shutdown_signal;
pub use upstream::RetryPolicy;
