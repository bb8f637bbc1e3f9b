//! The `edge-datadog` command line as users see it: the built binary, its
//! exit codes and what it prints.

use std::process::{Command, Output};

fn edge_datadog(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edge-datadog"));
    cmd.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("EDGE_") {
            cmd.env_remove(key);
        }
    }
    cmd.output().expect("run edge-datadog")
}

#[test]
fn a_bad_configuration_is_refused_with_every_problem_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("edge.yaml");
    std::fs::write(
        &cfg,
        "upstream_url: http://127.0.0.1:9\nlogs_ur: http://127.0.0.1:9\nlisten_port: -1\n",
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let out = edge_datadog(&[cfg]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "edge-datadog: {cfg}:2: invalid config at `logs_ur`"
        )) && stderr.contains("(did you mean `logs_url`?)")
            && stderr.contains(&format!(
                "edge-datadog: {cfg}:3: invalid config at `listen_port`"
            ))
            && stderr.contains("edge-datadog: not started: 2 configuration problem(s)\n"),
        "{stderr}"
    );
}

#[test]
fn the_policy_tools_are_pointed_to_in_the_edge_binary() {
    let out = edge_datadog(&["policy", "check", "p.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the policy tools are in the `edge` binary: edge policy check p.yaml"),
        "{stderr}"
    );
}
