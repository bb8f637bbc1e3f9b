//! The README's configuration reference documents every key of the
//! configuration schema, including keys added later.

use std::path::Path;

/// Dotted paths of every leaf of the configuration with its defaults.
fn leaves(node: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match node {
        serde_json::Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

/// Whether `section` names `path`: as written (`prometheus.path`), as a
/// prefix (`policy_providers[]`, `tls.` rows), or, for a nested key, its
/// parent's row lists the leaf (`service.name` / `namespace`).
fn documented(section: &str, path: &[String]) -> bool {
    let full = path.join(".");
    let mentions = |key: &str| {
        section.match_indices(&format!("`{key}")).any(|(i, m)| {
            matches!(
                section[i + m.len()..].chars().next(),
                Some('`' | '.' | '[' | ' ')
            )
        })
    };
    if mentions(&full) {
        return true;
    }
    match path {
        [parent @ .., leaf] if !parent.is_empty() => {
            section.contains(&format!("`{}.", parent.join("."))) && mentions(leaf)
        }
        _ => false,
    }
}

#[test]
fn every_configuration_key_is_in_the_readme() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let Ok(text) = std::fs::read_to_string(&readme) else {
        eprintln!("README.md not found next to the workspace; skipping");
        return;
    };
    let start = text
        .find("## Configuration reference")
        .expect("README has a configuration reference");
    let section = &text[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let section = &section[..end];

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edge.json");
    std::fs::write(&file, r#"{"upstream_url": "http://127.0.0.1:9"}"#).unwrap();
    let config = edge_config::Config::load_with_env(&file, std::iter::empty()).unwrap();
    let tree = serde_json::to_value(&config).unwrap();

    let mut all = Vec::new();
    leaves(&tree, &mut Vec::new(), &mut all);
    assert!(all.len() > 10, "{all:?}");
    let missing: Vec<String> = all
        .iter()
        .filter(|p| !documented(section, p))
        .map(|p| p.join("."))
        .collect();
    assert!(
        missing.is_empty(),
        "configuration keys missing from README.md's configuration reference: {missing:?}"
    );
}
