//! Runs the shared conformance cases (`../../../shared/conformance`) through
//! the library directly: one fresh registry per batch (as a fresh runner
//! process would have), output and stats compared after the suite's
//! normalisation. Skips when the directory is absent.

use edge_policy::eval::{run, EvalOptions};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
}

const UNSET: [&str; 4] = [
    "SEVERITY_NUMBER_UNSPECIFIED",
    "STATUS_CODE_UNSET",
    "SPAN_KIND_UNSPECIFIED",
    "AGGREGATION_TEMPORALITY_UNSPECIFIED",
];

fn enum_number(s: &str) -> Option<u64> {
    let fixed = [
        ("SPAN_KIND_INTERNAL", 1),
        ("SPAN_KIND_SERVER", 2),
        ("SPAN_KIND_CLIENT", 3),
        ("SPAN_KIND_PRODUCER", 4),
        ("SPAN_KIND_CONSUMER", 5),
        ("STATUS_CODE_OK", 1),
        ("STATUS_CODE_ERROR", 2),
        ("AGGREGATION_TEMPORALITY_DELTA", 1),
        ("AGGREGATION_TEMPORALITY_CUMULATIVE", 2),
    ];
    if let Some((_, n)) = fixed.iter().find(|(k, _)| *k == s) {
        return Some(*n);
    }
    let rest = s.strip_prefix("SEVERITY_NUMBER_")?;
    let mut n = 1;
    for level in ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] {
        for suffix in ["", "2", "3", "4"] {
            if rest == format!("{level}{suffix}") {
                return Some(n);
            }
            n += 1;
        }
    }
    None
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || UNSET.contains(&s.as_str()),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// The suite's comparison normalisation (conformance README).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, c) in m {
                let mut c = normalize(c);
                if is_empty(&c) {
                    continue;
                }
                if let Value::String(s) = &c {
                    if let Some(n) = enum_number(s) {
                        c = Value::from(n);
                    }
                }
                out.insert(k.clone(), c);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            match s.parse::<u64>() {
                Ok(n) => Value::from(n),
                Err(_) => v.clone(),
            }
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.is_finite() && f == f.floor() && f.abs() < 9.2e18 => {
                Value::from(f as i64)
            }
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Describe the first difference between two normalised documents.
fn first_diff(want: &Value, got: &Value, path: String) -> String {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    None => return format!("{path}.{k}: missing (want {va})"),
                    Some(vb) if va != vb => return first_diff(va, vb, format!("{path}.{k}")),
                    _ => {}
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    return format!("{path}.{k}: unexpected {}", b[k]);
                }
            }
            format!("{path}: differs")
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                if va != vb {
                    return first_diff(va, vb, format!("{path}[{i}]"));
                }
            }
            format!("{path}: differs")
        }
        (Value::Array(a), Value::Array(b)) => {
            format!("{path}: want {} elements, got {}", a.len(), b.len())
        }
        _ => format!("{path}: want {want}, got {got}"),
    }
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn merge_stats(docs: &[Value]) -> Value {
    let mut totals: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for d in docs {
        for e in d
            .get("policies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = e
                .get("policy_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let t = totals.entry(id).or_default();
            t.0 += e.get("hits").and_then(Value::as_u64).unwrap_or(0);
            t.1 += e.get("misses").and_then(Value::as_u64).unwrap_or(0);
        }
    }
    let list: Vec<Value> = totals
        .into_iter()
        .map(|(id, (h, m))| {
            let mut o = serde_json::json!({"policy_id": id, "hits": h});
            if m > 0 {
                o["misses"] = Value::from(m);
            }
            o
        })
        .collect();
    serde_json::json!({ "policies": list })
}

fn run_case(dir: &Path, tmp: &Path) -> Result<(), String> {
    let policies = dir.join("policies.json");
    let mut batches: Vec<(PathBuf, PathBuf)> = Vec::new();
    if dir.join("input.json").exists() {
        batches.push((dir.join("input.json"), dir.join("expected.json")));
    } else {
        for i in 1.. {
            let input = dir.join(format!("input_{i}.json"));
            if !input.exists() {
                break;
            }
            batches.push((input, dir.join(format!("expected_{i}.json"))));
        }
    }
    let mut stats_docs = Vec::new();
    for (n, (input, expected)) in batches.iter().enumerate() {
        let output = tmp.join(format!("out_{n}.json"));
        let stats = tmp.join(format!("stats_{n}.json"));
        run(EvalOptions {
            policies: Some(policies.clone()),
            server: None,
            input: input.clone(),
            output: output.clone(),
            stats: Some(stats.clone()),
            signal: None,
        })
        .map_err(|e| format!("batch {n}: runner error: {e}"))?;
        let got = normalize(&read_json(&output));
        let want = normalize(&read_json(expected));
        if got != want {
            return Err(format!(
                "batch {n}: output differs: {}",
                first_diff(&want, &got, String::new())
            ));
        }
        stats_docs.push(read_json(&stats));
    }
    let got = merge_stats(&stats_docs);
    let want = merge_stats(&[read_json(&dir.join("expected_stats.json"))]);
    if got != want {
        return Err(format!("stats differ\n  want: {want}\n  got:  {got}"));
    }
    Ok(())
}

fn run_dir(name: &str) {
    let root = suite_root().join(name);
    if !root.is_dir() {
        eprintln!(
            "skipping: conformance cases not found at {}",
            root.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("read cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("policies.json").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut skipped = 0;
    for d in &dirs {
        if d.join("provider_only").exists() || d.join("go_only").exists() {
            skipped += 1;
            continue;
        }
        match run_case(d, tmp.path()) {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!(
                "{}: {e}",
                d.file_name().unwrap_or_default().to_string_lossy()
            )),
        }
    }
    eprintln!(
        "{name}: {passed} passed, {} failed, {skipped} skipped",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn suite_testcases() {
    run_dir("testcases");
}

#[test]
fn generated_cases() {
    run_dir("generated");
}
