//! HTTP server, routing, upstream client and compression for the Edge telemetry proxy.
