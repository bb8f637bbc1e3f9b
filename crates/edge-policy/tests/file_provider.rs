//! File provider behaviour on the ways real tools write files: YAML edited in
//! place, bursts of writes, editor swap files next to the policy file.

use std::sync::Arc;
use std::time::{Duration, Instant};

use edge_policy::{FileProvider, Provider, Registry};

fn ids(r: &Registry) -> Vec<String> {
    r.policy_statuses().into_iter().map(|s| s.id).collect()
}

fn wait_for(r: &Registry, want: &[&str]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if ids(r) == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn yaml(id: &str) -> String {
    format!("policies:\n  - id: {id}\n    name: {id}\n    log:\n      match:\n        - log_field: body\n          contains: x\n      keep: none\n")
}

#[test]
fn yaml_file_edited_in_place_is_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policies.yaml");
    std::fs::write(&path, yaml("first")).unwrap();
    let registry = Arc::new(Registry::new());
    let handle = FileProvider::new(&path)
        .with_debounce(Duration::from_millis(30))
        .start(registry.clone())
        .unwrap();
    assert_eq!(ids(&registry), vec!["first"]);

    // Truncate-and-write in place, as `echo > file` or many editors do.
    std::fs::write(&path, yaml("second")).unwrap();
    assert!(wait_for(&registry, &["second"]), "{:?}", ids(&registry));
    handle.shutdown();
}

#[test]
fn a_burst_of_writes_is_debounced_and_ends_on_the_last_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policies.yaml");
    std::fs::write(&path, yaml("p000")).unwrap();
    let registry = Arc::new(Registry::new());
    let handle = FileProvider::new(&path)
        .with_debounce(Duration::from_millis(200))
        .start(registry.clone())
        .unwrap();
    let loads_before = handle.status().loads;

    for i in 1..=50 {
        std::fs::write(&path, yaml(&format!("p{i:03}"))).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(wait_for(&registry, &["p050"]), "{:?}", ids(&registry));
    std::thread::sleep(Duration::from_millis(400));
    let reloads = handle.status().loads - loads_before;
    assert!(
        (1..=10).contains(&reloads),
        "50 writes in a burst caused {reloads} reloads"
    );
    assert_eq!(ids(&registry), vec!["p050"]);
    handle.shutdown();
}

#[test]
fn editor_swap_files_next_to_the_policy_file_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policies.yaml");
    std::fs::write(&path, yaml("kept")).unwrap();
    let registry = Arc::new(Registry::new());
    let handle = FileProvider::new(&path)
        .with_debounce(Duration::from_millis(30))
        .start(registry.clone())
        .unwrap();

    // What vim and emacs leave next to a file being edited: garbage that is
    // not the policy file.
    std::fs::write(
        dir.path().join(".policies.yaml.swp"),
        b"\x00\x01binary swap",
    )
    .unwrap();
    std::fs::write(dir.path().join("4913"), b"").unwrap();
    std::fs::write(dir.path().join("policies.yaml~"), b"{ not policies").unwrap();
    std::thread::sleep(Duration::from_millis(300));

    assert_eq!(ids(&registry), vec!["kept"]);
    let status = handle.status();
    assert_eq!(status.failures, 0, "swap files were read as policies");
    assert!(!status.last_failed);
    handle.shutdown();
}
