//! Telemetry policy parsing, compilation, registry, providers and evaluation engine.

pub mod record;
pub use record::{AttrScope, LogField, LogView, LogViewMut, ValueRef};
