//! Policy text (JSON or YAML) → parse → compile → evaluate. Must never panic.
//!
//! Input layout: byte 0 selects the syntax (even: JSON, odd: YAML); the rest
//! is the document (invalid UTF-8 is replaced, so the parsers still run).
#![no_main]

use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = if selector % 2 == 0 {
        Format::Json
    } else {
        Format::Yaml
    };
    let text = String::from_utf8_lossy(rest);
    let Ok(parsed) = parse_document(&text, format) else {
        return;
    };
    let registry = Registry::new();
    registry.update_source_parsed("fuzz", parsed);
    let snapshot = registry.snapshot();
    edge_fuzz::evaluate_samples(&snapshot);
    let _ = registry.policy_statuses();
});
