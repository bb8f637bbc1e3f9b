//! Protobuf types of the telemetry policy schema, generated with prost.
