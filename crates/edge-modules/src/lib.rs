//! Protocol modules for the Edge proxy.
//!
//! A module decides what happens to the requests of its routes; the proxy
//! (`edge-proxy`) does the networking, limits and compression around it.
//!
//! * [`ProxyModule`] and [`ModuleRegistration`]: the interface and how a
//!   module is plugged in (routes, upstream, body limits, settings).
//! * [`PassthroughModule`]: every request no other module claims, byte for
//!   byte.
//! * [`DatadogModule`]: Datadog logs (`POST /api/v2/logs`) filtered by
//!   policies, fail-open.
//! * [`DatadogMetricsModule`]: Datadog metric series (`/api/v2/series`,
//!   `/api/v1/series`) filtered by metric policies.
//! * [`PrometheusModule`]: a Prometheus scrape streamed through a line
//!   filter ([`ScrapeFilter`]) with bounded memory.
#![warn(missing_docs)]

pub mod datadog;
pub mod dd_metrics;
mod module;
pub mod otlp;
mod passthrough;
pub mod prometheus;

pub use datadog::{DatadogLog, DatadogModule, DatadogStats};
pub use dd_metrics::{DatadogMetricsModule, DatadogMetricsStats};
pub use module::{
    DecodeFailure, ModuleRegistration, ModuleResponse, ProxyModule, RequestAction, RequestParts,
    ResponseFilter, Route, Routes,
};
pub use otlp::{OtlpModule, OtlpStats, Signal as OtlpSignal};
pub use passthrough::PassthroughModule;

/// The `http` crate whose types appear in the module interface.
pub use http;
pub use prometheus::{PrometheusModule, PrometheusSettings, PrometheusStats, ScrapeFilter};
