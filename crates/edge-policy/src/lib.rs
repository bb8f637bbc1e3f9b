//! Telemetry policy parsing, compilation, registry, providers and evaluation
//! engine (policy schema `tero.policy.v1`).
//!
//! * [`parse`] reads every authoring form (JSON, YAML, protojson, protobuf).
//! * Compilation validates policies; invalid ones are inert and report
//!   located errors.
//! * [`Registry`] publishes an immutable [`PolicySnapshot`]; evaluation is
//!   generic over record representation through [`record`]'s view traits.
//! * [`otlp_json`] implements the views over OTLP/JSON and [`eval`] is the
//!   conformance / dry-run runner.
//! * [`provider`] holds the [`Provider`] trait and the [`FileProvider`].
//! * [`sync`] is the policy-server sync client and [`http_provider`] the
//!   [`HttpProvider`] built on it.
#![warn(missing_docs)]

mod compile;
mod engine;
pub mod eval;
pub mod http_provider;
mod index;
mod matcher;
pub mod otlp_json;
pub mod parse;
pub mod provider;
pub mod record;
mod registry;
mod sampling;
mod scan;
pub mod sync;

pub use compile::{ExtensionMode, ExtensionSpec};
pub use engine::{
    ExtensionContext, ExtensionHandler, LogVerdict, MetricVerdict, PolicyCounters, PolicySnapshot,
    PolicyStatus, StageStatus, TraceVerdict,
};
pub use http_provider::{HttpProvider, HttpProviderHandle, HttpProviderStatus};
pub use provider::{FileProvider, Provider, ProviderError, ProviderHandle, ReloadStatus};
pub use record::{
    AttrScope, AttrsId, LogField, LogView, LogViewMut, MetricField, MetricType, MetricView,
    Temporality, TraceField, TraceView, TraceViewMut, ValueRef,
};
pub use registry::{priority, Registry};
pub use sync::{Encoding, SyncClient, SyncError};
