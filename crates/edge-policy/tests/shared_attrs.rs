//! Resource and scope attribute conditions resolved once for all the
//! records whose view gives the same [`AttrsId`] (`LogView::attributes_id`):
//! the results must be those of resolving every record on its own.

use edge_policy::parse::{parse_document, Format};
use edge_policy::{AttrScope, AttrsId, LogField, LogView, PolicySnapshot, ValueRef};
use std::cell::Cell;
use std::sync::Arc;

/// A record with its own and its resource's attributes, counting the
/// resource attribute reads.
struct View<'a> {
    attrs: &'a [(&'a str, &'a str)],
    resource: &'a [(&'a str, &'a str)],
    id: Option<AttrsId>,
    reads: &'a Cell<usize>,
}

impl LogView for View<'_> {
    fn log_field(&self, _: LogField) -> Option<ValueRef<'_>> {
        None
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        let list = match scope {
            AttrScope::Record => self.attrs,
            AttrScope::Resource => {
                self.reads.set(self.reads.get() + 1);
                self.resource
            }
            AttrScope::Scope => &[],
        };
        let [key] = path else { return None };
        list.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| ValueRef::str(v))
    }

    fn attributes_id(&self, scope: AttrScope) -> Option<AttrsId> {
        match scope {
            AttrScope::Resource => self.id,
            _ => None,
        }
    }
}

fn snapshot(yaml: &str) -> Arc<PolicySnapshot> {
    let parsed = parse_document(yaml, Format::Yaml).expect("valid document");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    PolicySnapshot::from_policies(parsed.policies)
}

const DROP_A: &str = r#"
policies:
  - {id: drop-a, log: {match: [{resource_attribute: [svc], exact: a}], keep: none}}
  - {id: drop-b-err, log: {match: [{resource_attribute: [svc], regex: "^b"}, {log_attribute: [lvl], exact: err}], keep: none}}
"#;

/// Whether `snap` keeps a record with `attrs` under `resource` (id `id`).
fn keeps(
    snap: &PolicySnapshot,
    attrs: &[(&str, &str)],
    resource: &[(&str, &str)],
    id: Option<AttrsId>,
    reads: &Cell<usize>,
) -> bool {
    snap.evaluate_log(&View {
        attrs,
        resource,
        id,
        reads,
    })
    .keep()
}

#[test]
fn a_resource_condition_is_resolved_once_per_id() {
    let snap = snapshot(DROP_A);
    let reads = Cell::new(0);
    let (res_a, res_b) = ([("svc", "a")], [("svc", "b")]);
    let (id_a, id_b) = (Some(AttrsId::fresh()), Some(AttrsId::fresh()));
    for _ in 0..10 {
        assert!(!keeps(&snap, &[], &res_a, id_a, &reads));
    }
    // One slot on the resource: read once for the ten records.
    assert_eq!(reads.get(), 1);
    // Another id is resolved again, and so is the first one after it.
    assert!(keeps(&snap, &[("lvl", "ok")], &res_b, id_b, &reads));
    assert!(!keeps(&snap, &[("lvl", "err")], &res_b, id_b, &reads));
    assert!(!keeps(&snap, &[("lvl", "err")], &res_a, id_a, &reads));
    assert_eq!(reads.get(), 3);
}

#[test]
fn without_an_id_every_record_is_read() {
    let snap = snapshot(DROP_A);
    let reads = Cell::new(0);
    for (svc, lvl, keep) in [("a", "ok", false), ("b", "err", false), ("b", "ok", true)] {
        assert_eq!(
            keeps(&snap, &[("lvl", lvl)], &[("svc", svc)], None, &reads),
            keep,
            "{svc} {lvl}"
        );
    }
    assert_eq!(reads.get(), 3);
}

#[test]
fn results_are_not_shared_between_snapshots() {
    // The same slot and condition numbers in both snapshots, with other
    // literals: a result kept for one must not answer the other.
    let drop_a = snapshot(DROP_A);
    let drop_c = snapshot(
        r#"
policies:
  - {id: drop-c, log: {match: [{resource_attribute: [svc], exact: c}], keep: none}}
  - {id: drop-b-err, log: {match: [{resource_attribute: [svc], regex: "^b"}, {log_attribute: [lvl], exact: err}], keep: none}}
"#,
    );
    let reads = Cell::new(0);
    let id = Some(AttrsId::fresh());
    let res = [("svc", "a")];
    assert!(!keeps(&drop_a, &[], &res, id, &reads));
    assert!(keeps(&drop_c, &[], &res, id, &reads));
    assert!(!keeps(&drop_a, &[], &res, id, &reads));
    assert_eq!(reads.get(), 3);
}

#[test]
fn many_conditions_hit_on_one_value() {
    // More conditions of one slot hit than a kept result holds: still
    // right for every record.
    let mut yaml = String::from("policies:\n");
    for (i, part) in [
        "s", "se", "ser", "serv", "servi", "servic", "service", "erv", "rvi",
    ]
    .iter()
    .enumerate()
    {
        yaml.push_str(&format!(
            "  - {{id: keep-{i}, log: {{match: [{{resource_attribute: [svc], contains: {part}}}], keep: all}}}}\n"
        ));
    }
    yaml.push_str(
        "  - {id: drop, log: {match: [{resource_attribute: [svc], contains: vice}, {log_attribute: [a], exists: true}], keep: none}}\n",
    );
    let snap = snapshot(&yaml);
    let reads = Cell::new(0);
    let id = Some(AttrsId::fresh());
    let res = [("svc", "service")];
    for i in 0..6 {
        let attrs: &[(&str, &str)] = if i % 2 == 0 { &[("a", "1")] } else { &[] };
        assert_eq!(keeps(&snap, attrs, &res, id, &reads), i % 2 == 1, "{i}");
    }
}

#[test]
fn ids_are_unique() {
    let a = AttrsId::fresh();
    let b = AttrsId::fresh();
    assert_ne!(a, b);
    assert_ne!(a.get(), 0);
}
