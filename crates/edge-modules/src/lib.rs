//! Protocol modules for the Edge proxy: Datadog, OTLP, Prometheus, passthrough.
