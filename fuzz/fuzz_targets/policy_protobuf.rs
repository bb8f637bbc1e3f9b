//! Binary protobuf `SyncResponse` → compile → evaluate. Must never panic.
//!
//! The body is [`edge_fuzz::targets::policy_protobuf`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::policy_protobuf(data));
