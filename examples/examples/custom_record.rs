//! Evaluates policies against your own record type: `AccessLog` below is a
//! plain Rust struct, not OTLP. Implementing `LogView` (read) and
//! `LogViewMut` (write, for transforms) is all the engine needs; it never
//! copies the record into a type of its own.
//!
//! Run: `cargo run -p edge-examples --example custom_record`

use std::collections::BTreeMap;

use edge_policy::parse::{parse_document, Format};
use edge_policy::{AttrScope, LogField, LogView, LogViewMut, Registry, ValueRef};

/// An application's own log record.
#[derive(Debug)]
struct AccessLog {
    level: &'static str,
    message: String,
    /// Per-record fields (`user.email`, `http.route`, ...).
    fields: BTreeMap<String, String>,
    /// The emitting service (the "resource").
    service: &'static str,
}

impl LogView for AccessLog {
    fn log_field(&self, field: LogField) -> Option<ValueRef<'_>> {
        match field {
            LogField::Body => Some(ValueRef::str(&self.message)),
            LogField::SeverityText => Some(ValueRef::str(self.level)),
            // This record type has no trace context, event name or schema URLs.
            _ => None,
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        // Flat maps only: a path of more than one segment never matches.
        let [key] = path else { return None };
        match scope {
            AttrScope::Record => self.fields.get(key).map(|v| ValueRef::str(v)),
            AttrScope::Resource if key == "service.name" => Some(ValueRef::str(self.service)),
            _ => None,
        }
    }
}

impl LogViewMut for AccessLog {
    fn remove_field(&mut self, field: LogField) -> bool {
        match field {
            LogField::Body if !self.message.is_empty() => {
                self.message.clear();
                true
            }
            _ => false,
        }
    }

    fn set_field(&mut self, field: LogField, value: &str) -> bool {
        match field {
            LogField::Body if self.message != value => {
                self.message = value.to_owned();
                true
            }
            _ => false,
        }
    }

    fn remove_attribute(&mut self, scope: AttrScope, path: &[String]) -> bool {
        match (scope, path) {
            (AttrScope::Record, [key]) => self.fields.remove(key).is_some(),
            _ => false,
        }
    }

    fn set_attribute(&mut self, scope: AttrScope, path: &[String], value: &str) -> bool {
        match (scope, path) {
            (AttrScope::Record, [key]) => {
                let old = self.fields.insert(key.clone(), value.to_owned());
                old.as_deref() != Some(value)
            }
            _ => false,
        }
    }

    fn rename_attribute(
        &mut self,
        scope: AttrScope,
        from: &[String],
        to: &str,
        upsert: bool,
    ) -> bool {
        let (AttrScope::Record, [from]) = (scope, from) else {
            return false;
        };
        if from == to || (!upsert && self.fields.contains_key(to)) {
            return false;
        }
        match self.fields.remove(from) {
            Some(value) => {
                self.fields.insert(to.to_owned(), value);
                true
            }
            None => false,
        }
    }
}

const POLICIES: &str = r#"
policies:
  - id: drop-health-checks
    name: Drop health checks
    log:
      match: [{ log_attribute: http.route, exact: /healthz }]
      keep: none
  - id: strip-emails
    name: Remove e-mail addresses of users
    log:
      match: [{ log_attribute: user.email, exists: true }]
      transform:
        remove: [{ log_attribute: user.email }]
        redact:
          - log_field: body
            regex: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"
            replacement: "<email>"
"#;

fn main() -> anyhow::Result<()> {
    let parsed = parse_document(POLICIES, Format::Yaml)?;
    anyhow::ensure!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Registry::new();
    registry.update_source("example", parsed.policies);
    for status in registry.policy_statuses() {
        anyhow::ensure!(
            status.errors.is_empty(),
            "{}: {:?}",
            status.id,
            status.errors
        );
    }

    let mut records = vec![
        AccessLog {
            level: "info",
            message: "GET /healthz 200".into(),
            fields: [("http.route".to_owned(), "/healthz".to_owned())].into(),
            service: "web",
        },
        AccessLog {
            level: "info",
            message: "password reset sent to ada@example.com".into(),
            fields: [("user.email".to_owned(), "ada@example.com".to_owned())].into(),
            service: "web",
        },
        AccessLog {
            level: "warn",
            message: "slow query".into(),
            fields: BTreeMap::new(),
            service: "db",
        },
    ];

    // One snapshot per batch: lock-free, and policy updates never change
    // the rules in the middle of a batch.
    let snapshot = registry.snapshot();
    let mut kept = Vec::new();
    for mut record in records.drain(..) {
        let verdict = snapshot.evaluate_log(&record);
        if !verdict.keep() {
            println!("dropped: {}", record.message);
            continue;
        }
        if verdict.has_transforms() {
            snapshot.apply_log_transforms(&verdict, &mut record);
        }
        kept.push(record);
    }
    for record in &kept {
        println!("kept:    {record:?}");
    }
    // What the example promises, checked.
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0].message, "password reset sent to <email>");
    assert!(!kept[0].fields.contains_key("user.email"));
    Ok(())
}
