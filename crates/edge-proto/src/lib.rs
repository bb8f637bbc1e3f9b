//! Protobuf types of the telemetry policy schema (`tero.policy.v1`) and the
//! subset of OpenTelemetry common types it uses, generated with prost from
//! the `.proto` files in this crate's `proto/` directory.
//!
//! ```
//! use edge_proto::policy::v1::{Policy, SyncResponse};
//! use prost::Message;
//!
//! let resp = SyncResponse { policies: vec![Policy { id: "p".into(), ..Default::default() }], ..Default::default() };
//! let bytes = resp.encode_to_vec();
//! assert_eq!(SyncResponse::decode(bytes.as_slice()).unwrap(), resp);
//! ```

pub use prost;

/// `opentelemetry.proto.*` types.
pub mod opentelemetry {
    /// `opentelemetry.proto`.
    pub mod proto {
        /// `opentelemetry.proto.common`.
        pub mod common {
            /// `opentelemetry.proto.common.v1`: `AnyValue`, `KeyValue`, ...
            #[allow(missing_docs, clippy::all)]
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/opentelemetry.proto.common.v1.rs"
                ));
            }
        }
    }
}

/// `tero.*` types.
pub mod tero {
    /// `tero.policy`.
    pub mod policy {
        /// `tero.policy.v1`: policies, targets, matchers and the sync protocol.
        #[allow(missing_docs, clippy::all)]
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/tero.policy.v1.rs"));
        }
    }
}

/// Short path to the policy schema: `edge_proto::policy::v1::Policy`.
pub use tero::policy;

/// Short path to the OpenTelemetry common types:
/// `edge_proto::common::v1::KeyValue`.
pub use opentelemetry::proto::common;

#[cfg(test)]
mod tests {
    use super::common::v1::{any_value, AnyValue, KeyValue};
    use super::policy::v1::*;
    use prost::Message;

    fn sample_policy() -> Policy {
        Policy {
            id: "drop-debug".into(),
            name: "Drop debug".into(),
            enabled: true,
            created_at_unix_nano: 1_700_000_000_000_000_000,
            labels: vec![KeyValue {
                key: "team".into(),
                value: Some(AnyValue {
                    value: Some(any_value::Value::StringValue("core".into())),
                }),
            }],
            target: Some(policy::Target::Log(LogTarget {
                r#match: vec![LogMatcher {
                    field: Some(log_matcher::Field::LogField(LogField::SeverityText as i32)),
                    r#match: Some(log_matcher::Match::Regex("^DEBUG$".into())),
                    negate: false,
                    case_insensitive: true,
                }],
                keep: "none".into(),
                transform: Some(LogTransform {
                    redact: vec![LogRedact {
                        field: Some(log_redact::Field::LogAttribute(AttributePath {
                            path: vec!["card".into()],
                        })),
                        replacement: "***".into(),
                        regex: Some("[0-9]+".into()),
                    }],
                    ..Default::default()
                }),
                sample_key: None,
            })),
            extensions: vec![Extension {
                r#type: "com.example/archive".into(),
                version: "1.0.0".into(),
                config: b"{}".to_vec(),
                mode: ExtensionMode::Dropped as i32,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn policy_round_trip() {
        let p = sample_policy();
        let bytes = p.encode_to_vec();
        let back = Policy::decode(bytes.as_slice()).expect("decode");
        assert_eq!(back, p);
    }

    #[test]
    fn sync_response_round_trip() {
        let trace = Policy {
            id: "sample".into(),
            enabled: true,
            target: Some(policy::Target::Trace(TraceTarget {
                r#match: vec![TraceMatcher {
                    field: Some(trace_matcher::Field::SpanKind(SpanKind::Server as i32)),
                    r#match: Some(trace_matcher::Match::Exists(true)),
                    ..Default::default()
                }],
                keep: Some(TraceSamplingConfig {
                    percentage: 12.5,
                    mode: Some(SamplingMode::Proportional as i32),
                    sampling_precision: Some(6),
                    hash_seed: None,
                    fail_closed: Some(false),
                }),
            })),
            ..Default::default()
        };
        let resp = SyncResponse {
            policies: vec![sample_policy(), trace],
            hash: "abc".into(),
            sync_timestamp_unix_nano: 42,
            recommended_sync_interval_seconds: 30,
            sync_type: SyncType::Full as i32,
            error_message: String::new(),
            extension_configs: vec![ExtensionConfig {
                r#type: "t".into(),
                config: vec![vec![1, 2]],
            }],
        };
        let bytes = resp.encode_to_vec();
        let back = SyncResponse::decode(bytes.as_slice()).expect("decode");
        assert_eq!(back, resp);
        // An optional field that is set to its default value is still present.
        let Some(policy::Target::Trace(t)) = &back.policies[1].target else {
            panic!("trace")
        };
        assert_eq!(t.keep.as_ref().and_then(|k| k.fail_closed), Some(false));
    }

    #[test]
    fn fixed64_timestamps_use_fixed_encoding() {
        let p = Policy {
            created_at_unix_nano: 1,
            ..Default::default()
        };
        // field 5, wire type 1 (64-bit) => tag byte 0x29, then 8 bytes.
        assert_eq!(p.encode_to_vec(), vec![0x29, 1, 0, 0, 0, 0, 0, 0, 0]);
    }
}
