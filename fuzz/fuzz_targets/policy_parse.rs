//! Policy text (JSON or YAML) → parse → compile → evaluate. Must never panic.
//!
//! Input layout: byte 0 selects the syntax (even: JSON, odd: YAML); the rest
//! is the document (invalid UTF-8 is replaced, so the parsers still run).
//!
//! The body is [`edge_fuzz::targets::policy_parse`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edge_fuzz::targets::policy_parse(data));
