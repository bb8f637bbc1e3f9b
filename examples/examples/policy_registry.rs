//! Registry + file provider walk-through: writes a policy file, starts a
//! `FileProvider`, evaluates an OTLP/JSON log batch, rewrites the file and
//! shows the hot reload and the per-policy statuses.
//!
//! ```text
//! cargo run -p edge-examples --example policy_registry
//! ```

use edge_policy::{otlp_json, FileProvider, Provider, Registry};
use std::sync::Arc;
use std::time::Duration;

fn batch() -> serde_json::Value {
    serde_json::json!({"resourceLogs": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
        "scopeLogs": [{"logRecords": [
            {"severityText": "DEBUG", "body": {"stringValue": "cache warmup"}},
            {"severityText": "INFO", "body": {"stringValue": "order placed card=4111111111111111"}}
        ]}]
    }]})
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("edge-policy-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("policies.yaml");
    std::fs::write(
        &file,
        r#"
id: drop-debug
name: Drop debug logs
log:
  match:
    - log_field: severity_text
      exact: DEBUG
  keep: none
---
id: redact-cards
name: Mask card numbers
log:
  match:
    - log_field: body
      contains: "card="
  transform:
    redact:
      - log_field: body
        regex: 'card=(\d{4})\d+'
        replacement: 'card=${1}****'
"#,
    )?;

    let registry = Arc::new(Registry::new());
    let provider = FileProvider::new(&file).with_debounce(Duration::from_millis(100));
    let handle = provider.start(registry.clone())?;

    let mut doc = batch();
    let summary = otlp_json::process_logs(&registry.snapshot(), &mut doc);
    println!(
        "first pass: {summary:?}\n{}",
        serde_json::to_string_pretty(&doc)?
    );

    // Hot reload: keep everything now.
    std::fs::write(
        &file,
        "id: keep-all\nname: keep\nlog:\n  match:\n    - log_field: body\n      exists: true\n",
    )?;
    std::thread::sleep(Duration::from_millis(800));
    let mut doc = batch();
    let summary = otlp_json::process_logs(&registry.snapshot(), &mut doc);
    println!("after reload: {summary:?}");

    for s in registry.policy_statuses() {
        println!(
            "{} (from {}): hits={} misses={} errors={:?}",
            s.id, s.source_id, s.match_hits, s.match_misses, s.errors
        );
    }
    handle.shutdown();
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
