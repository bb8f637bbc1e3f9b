//! Replays the kept fuzz inputs through the target functions in a plain
//! `cargo test` (no libFuzzer, no nightly): every file in
//! `regressions/<target>/` (inputs that once crashed) and `seeds/<target>/`.
//! A panic fails the test and names the file.
//!
//! `cargo test --manifest-path fuzz/Cargo.toml --features modules`

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, run) in edge_fuzz::targets::all() {
        for file in inputs(&root.join(kind).join(name)) {
            let data = std::fs::read(&file).expect("read input");
            count += 1;
            if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
                failures.push(format!("{name}: {}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "inputs that panic: {failures:#?}");
    count
}

#[test]
fn regressions_do_not_crash() {
    let n = replay("regressions");
    // The kept crashers of the module targets exist; without the feature
    // only the policy targets run.
    if cfg!(feature = "modules") {
        assert!(n >= 2, "expected the kept regression inputs, found {n}");
    }
}

#[test]
fn seeds_do_not_crash() {
    assert!(replay("seeds") > 0, "no seed inputs found");
}

#[test]
fn every_target_has_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, _) in edge_fuzz::targets::all() {
        assert!(
            !inputs(&root.join("seeds").join(name)).is_empty(),
            "fuzz/seeds/{name}/ is empty"
        );
    }
}
