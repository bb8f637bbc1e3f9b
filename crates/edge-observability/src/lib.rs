//! Structured logging, levels and spans for Edge, built on tracing.
