//! OTLP/HTTP body → the policy-free fast validators of `edge_modules::otlp`
//! against the full decoders (prost, the normalised JSON tree), for every
//! signal. Byte 0 chooses the encoding (even: protobuf, odd: JSON).
//!
//! The body is [`edge_fuzz::targets::otlp_scan`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::otlp_scan(data));
