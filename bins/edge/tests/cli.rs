//! The `edge` command line as users and CI jobs see it: the built binary,
//! its exit codes, and what it prints.

use std::path::Path;
use std::process::{Command, Output};

fn edge(args: &[&str]) -> Output {
    edge_in(args, None, &[])
}

/// Runs the binary with a clean `EDGE_*` environment plus `env`.
fn edge_in(args: &[&str], dir: Option<&Path>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edge"));
    cmd.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("EDGE_") {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().copied());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.output().expect("run edge")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn every_subcommand_has_help_with_examples() {
    for args in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["policy", "check", "--help"],
        vec!["policy", "eval", "--help"],
        vec!["config", "check", "--help"],
    ] {
        let out = edge(&args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        let stdout = text(&out.stdout);
        assert!(stdout.contains("Examples:"), "{args:?}:\n{stdout}");
        assert!(stdout.contains("edge "), "{args:?}:\n{stdout}");
    }
    let out = edge(&["policy", "--help"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("check") && stdout.contains("eval"),
        "{stdout}"
    );
}

#[test]
fn version_carries_build_information() {
    let out = edge(&["--version"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!("edge {}", env!("CARGO_PKG_VERSION"))),
        "{stdout}"
    );
    for field in ["commit:", "rustc:", "target:", "profile:"] {
        assert!(stdout.contains(field), "missing {field} in\n{stdout}");
    }
    // The binaries have no Cargo features: no line that always says `none`.
    assert!(!stdout.contains("features:"), "{stdout}");
    assert!(stdout.contains("rustc 1."), "{stdout}");
    // `-V` stays one line for scripts.
    let short = text(&edge(&["-V"]).stdout);
    assert_eq!(short.lines().count(), 1, "{short}");
}

#[test]
fn policy_check_reports_every_error_of_every_file_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.yaml",
        "policies:\n  - id: drop-debug\n    name: Drop debug\n    log:\n      match: [{log_field: severity_text, exact: debug}]\n      keep: none\n",
    );
    // Line 2: a regex that does not compile; line 7: an entry that does not
    // parse (unknown keep value); line 12: a second compile error.
    let broken = write(
        dir.path(),
        "broken.yaml",
        "policies:\n  - id: bad-regex\n    name: Bad regex\n    log:\n      match: [{log_field: body, regex: \"([\"}]\n      keep: none\n  - id: bad-keep\n    name: Bad keep\n    log:\n      match: [{log_field: body, contains: x}]\n      keep: sometimes\n  - id: bad-too\n    name: Bad too\n    log:\n      match: [{log_field: body, regex: \"a{2,1}\"}]\n      keep: none\n",
    );
    let syntax = write(
        dir.path(),
        "syntax.json",
        "{\"policies\": [\n  {\"id\": \"x\",\n   \"name\": \"x\" \"log\": {}}\n]}\n",
    );
    let out = edge(&["policy", "check", &good, &broken, &syntax]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.contains(&format!("{good}: ok (1 policy)")),
        "{stdout}"
    );
    assert!(!stdout.contains("broken.yaml: ok"), "{stdout}");

    let line_of = |needle: &str| {
        stderr
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{stderr}"))
            .to_owned()
    };
    let bad_regex = line_of("bad-regex");
    assert!(
        bad_regex.starts_with(&format!("{broken}:2: ")),
        "{bad_regex}"
    );
    assert!(bad_regex.contains("regex"), "{bad_regex}");
    let bad_keep = line_of("bad-keep");
    assert!(bad_keep.starts_with(&format!("{broken}:7: ")), "{bad_keep}");
    let bad_too = line_of("bad-too");
    assert!(bad_too.starts_with(&format!("{broken}:12: ")), "{bad_too}");
    // JSON syntax error: line and column from the parser.
    let syntax_line = line_of("syntax.json");
    assert!(
        syntax_line.starts_with(&format!("{syntax}:3:")),
        "{syntax_line}"
    );
    assert!(stderr.contains("4 error(s) in 2 of 3 file(s)"), "{stderr}");
}

#[test]
fn policy_check_passes_clean_files_and_reports_unreadable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "p.json",
        r#"{"policies":[{"id":"a","name":"a","log":{"match":[{"log_field":"body","contains":"x"}],"keep":"none"}}]}"#,
    );
    let out = edge(&["policy", "check", &good]);
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stderr).is_empty(), "{out:?}");

    let missing = dir.path().join("missing.yaml");
    let out = edge(&["policy", "check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read"), "{out:?}");

    // No file at all is a usage error.
    let out = edge(&["policy", "check"]);
    assert!(!out.status.success());
}

#[test]
fn config_check_reports_each_file_with_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.yaml",
        "upstream_url: http://127.0.0.1:9\n",
    );
    let unknown = write(
        dir.path(),
        "unknown.yaml",
        "upstream_url: http://127.0.0.1:9\nlisten_port: 8080\nlisen_address: 0.0.0.0\n",
    );
    let invalid = write(
        dir.path(),
        "invalid.json",
        "{\n  \"upstream_url\": \"http://127.0.0.1:9\",\n  \"prometheus\": {\n    \"path\": \"metrics\"\n  }\n}\n",
    );
    let syntax = write(dir.path(), "syntax.json", "{\n  \"upstream_url\": \n}\n");
    let out = edge(&["config", "check", &good, &unknown, &invalid, &syntax]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(stdout.contains(&format!("{good}: ok")), "{stdout}");
    assert!(
        stderr.contains(&format!("{unknown}:3: ")) && stderr.contains("lisen_address"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{invalid}:4: ")) && stderr.contains("prometheus.path"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{syntax}:3:")), "{stderr}");
    assert!(
        stderr.contains("3 of 4 configuration file(s) invalid"),
        "{stderr}"
    );
}

/// `edge config check` refuses what `edge run` refuses: unusable TLS files,
/// an `upstream_ca_file` that holds no certificate, an admin listener on the
/// main listener's address.
#[test]
fn config_check_loads_certificates_and_checks_addresses_like_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert_pem = write(d, "cert.pem", &cert.cert.pem());
    let key_pem = write(d, "key.pem", &cert.key_pair.serialize_pem());
    let base = "upstream_url: http://127.0.0.1:9\nlisten_address: 127.0.0.1\nlisten_port: 18080\n";
    let good = write(
        d,
        "good.yaml",
        &format!("{base}tls:\n  cert_file: {cert_pem}\n  key_file: {key_pem}\nupstream_ca_file: {cert_pem}\nadmin_listen_address: 127.0.0.1:18081\n"),
    );
    let out = edge(&["config", "check", &good]);
    assert!(out.status.success(), "{out:?}");
    let cases = [
        (
            "missing.yaml",
            format!(
                "{base}tls:\n  cert_file: {d}/nope.pem\n  key_file: {key_pem}\n",
                d = d.display()
            ),
            "tls.cert_file",
            5,
        ),
        (
            "swapped.yaml",
            format!("{base}tls:\n  cert_file: {key_pem}\n  key_file: {cert_pem}\n"),
            "tls.cert_file",
            5,
        ),
        (
            "cakey.yaml",
            format!("{base}upstream_ca_file: {key_pem}\n"),
            "upstream_ca_file",
            4,
        ),
        (
            "admin.yaml",
            format!("{base}admin_listen_address: 127.0.0.1:18080\n"),
            "admin_listen_address 127.0.0.1:18080 is the address Edge already listens on",
            4,
        ),
    ];
    for (name, content, expected, line) in cases {
        let file = write(d, name, &content);
        let out = edge(&["config", "check", &file]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        assert!(
            stderr.contains(&format!("{file}:{line}: ")) && stderr.contains(expected),
            "{name}: {stderr}"
        );
        // `edge run` refuses it with the same message (before binding).
        let out = edge(&["run", "--config", &file]);
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        assert!(text(&out.stderr).contains(expected), "{name}: {out:?}");
    }
}

#[test]
fn config_check_applies_environment_overrides_and_secret_files() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "edge.yaml",
        "upstream_url: ${UPSTREAM}\nlisten_port: 8080\n",
    );
    let out = edge_in(&["config", "check", &cfg], None, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("UPSTREAM"), "{out:?}");

    let out = edge_in(
        &["config", "check", &cfg],
        None,
        &[
            ("UPSTREAM", "http://127.0.0.1:9"),
            ("EDGE_LISTEN_PORT", "eighty"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("listen_port"), "{out:?}");

    let secret = write(dir.path(), "upstream", "https://intake.example\n");
    let out = edge_in(
        &["config", "check", &cfg],
        None,
        &[("UPSTREAM", "nope"), ("EDGE_UPSTREAM_URL_FILE", &secret)],
    );
    assert!(out.status.success(), "{out:?}");
}

/// `RUST_LOG` is read at start, so `config check` says what start would:
/// an unusable filter is a warning (start falls back to the configured
/// level), a stray word beside real directives too.
#[test]
fn config_check_warns_about_an_unusable_rust_log() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "edge.yaml",
        "upstream_url: http://127.0.0.1:9
listen_port: 8080
",
    );
    for (rust_log, warning) in [
        ("verbose", "RUST_LOG: invalid filter"),
        ("edge=loudest", "RUST_LOG: invalid filter"),
        (
            "info,verbose",
            "RUST_LOG: \"info,verbose\": `verbose` is not a level",
        ),
    ] {
        let out = edge_in(&["config", "check", &cfg], None, &[("RUST_LOG", rust_log)]);
        assert!(out.status.success(), "{rust_log}: {out:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("{cfg}: warning: {warning}")),
            "{rust_log}: {stderr}"
        );
        assert!(text(&out.stdout).contains(&format!("{cfg}: ok")), "{out:?}");
    }
    let out = edge_in(
        &["config", "check", &cfg],
        None,
        &[("RUST_LOG", "info,edge_policy=debug")],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("RUST_LOG"), "{out:?}");
}

/// A budget too small to filter most requests works (they are forwarded
/// unfiltered) but is worth a word, on the key's line.
#[test]
fn config_check_warns_about_a_budget_too_small_to_filter() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(
        dir.path(),
        "small.yaml",
        "upstream_url: http://127.0.0.1:9\nmax_inflight_bytes: 60000\n",
    );
    let out = edge(&["config", "check", &small]);
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{small}:2: warning: max_inflight_bytes is 60000 bytes"
        )),
        "{stderr}"
    );
    let fine = write(
        dir.path(),
        "fine.yaml",
        "upstream_url: http://127.0.0.1:9\nmax_inflight_bytes: 8388608\n",
    );
    let out = edge(&["config", "check", &fine]);
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("max_inflight_bytes"), "{out:?}");
}

#[test]
fn config_check_and_run_report_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "edge.yaml",
        "upstream_url: http://127.0.0.1:9\nlisen_port: 8080\nprometheus:\n  pth: /metrics\nlisten_port: eighty\n",
    );
    let out = edge(&["config", "check", &cfg]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    for expected in [
        format!("{cfg}:2: invalid config at `lisen_port`"),
        "(did you mean `listen_port`?)".to_owned(),
        format!("{cfg}:4: invalid config at `prometheus.pth`"),
        "(did you mean `path`?)".to_owned(),
        format!("{cfg}:5: invalid config at `listen_port`"),
    ] {
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    // `edge FILE`, `edge run FILE` and `edge run -c FILE` refuse to start
    // with the same lines.
    for args in [
        vec![cfg.as_str()],
        vec!["run", cfg.as_str()],
        vec!["run", "-c", cfg.as_str()],
    ] {
        let out = edge(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("edge: {cfg}:2: invalid config at `lisen_port`"))
                && stderr.contains(&format!("edge: {cfg}:5: invalid config at `listen_port`"))
                && stderr.contains("edge: not started: 3 configuration problem(s)\n"),
            "{args:?}: {stderr}"
        );
    }
    // A positional file and --config together are refused.
    let out = edge(&["run", cfg.as_str(), "-c", cfg.as_str()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn running_without_a_config_is_an_error() {
    let out = edge(&[]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("configuration file"), "{out:?}");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.yaml");
    let out = edge(&["run", "--config", missing.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("none.yaml"), "{out:?}");
}

#[test]
fn config_check_warns_about_secrets_written_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let literal = write(
        dir.path(),
        "literal.yaml",
        "upstream_url: https://user:hunter2@intake.example\npolicy_providers:\n  - id: server\n    type: http\n    url: http://127.0.0.1:9/v1/policy/sync\n    headers:\n      authorization: Bearer abc123\n      x-team: platform\n",
    );
    let out = edge(&["config", "check", &literal]);
    assert!(
        out.status.success(),
        "warnings do not fail the check: {out:?}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{literal}:7: warning: `policy_providers[0].headers.authorization`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{literal}:1: warning: `upstream_url`")),
        "{stderr}"
    );
    assert!(!stderr.contains("x-team"), "{stderr}");
    // The secret itself is never printed.
    assert!(
        !stderr.contains("abc123") && !stderr.contains("hunter2"),
        "{stderr}"
    );

    let from_env = write(
        dir.path(),
        "env.yaml",
        "upstream_url: https://intake.example\npolicy_providers:\n  - id: server\n    type: http\n    url: http://127.0.0.1:9/v1/policy/sync\n    headers:\n      authorization: Bearer ${TOKEN}\n",
    );
    let out = edge_in(
        &["config", "check", &from_env],
        None,
        &[("TOKEN", "abc123")],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("warning"), "{out:?}");
}

#[test]
fn config_check_warns_about_missing_or_broken_policy_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.yaml",
        "policies:\n  - id: drop-debug\n    log:\n      match:\n        - log_field: severity_text\n          exact: DEBUG\n      keep: none\n",
    );
    let broken = write(
        dir.path(),
        "broken.yaml",
        "policies:\n  - id: bad\n    log:\n      match:\n        - log_field: body\n          regex: \"(\"\n",
    );
    let missing = dir.path().join("typo.yaml");
    let missing = missing.to_str().unwrap();
    let cfg = write(
        dir.path(),
        "edge.yaml",
        &format!(
            "upstream_url: http://127.0.0.1:9\npolicy_providers:\n  - id: good\n    type: file\n    path: {good}\n  - id: broken\n    type: file\n    path: {broken}\n  - id: typo\n    type: file\n    path: {missing}\n"
        ),
    );
    let out = edge(&["config", "check", &cfg]);
    assert!(
        out.status.success(),
        "warnings do not fail the check: {out:?}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{cfg}:11: warning: `policy_providers[2].path`: {missing} does not exist"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{cfg}:8: warning: `policy_providers[1].path`: {broken} has 1 problem(s)"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("providers[0]"), "{stderr}");
    assert_eq!(stderr.matches("warning").count(), 2, "{stderr}");
}

#[test]
fn policy_check_names_unknown_keys_and_their_likely_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "p.yaml",
        "policies:\n  - id: fine\n    log:\n      match:\n        - log_field: body\n          exists: true\n      keep: none\n  - id: typo\n    log:\n      match:\n        - log_field: body\n          regx: \"^GET /health\"\n      keep: none\n",
    );
    let out = edge(&["policy", "check", &file]);
    let stderr = text(&out.stderr);
    // The typo leaves the matcher without a condition (an error), and the
    // warning says why.
    assert!(!out.status.success(), "{out:?}");
    assert!(
        stderr.contains(&format!("{file}:12: warning: policy[1] `typo`: "))
            && stderr.contains("unknown key `regx` is ignored (did you mean `regex`?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("matcher has no match condition"),
        "{stderr}"
    );

    // An unknown key alone is a warning: the check passes.
    let extra = write(
        dir.path(),
        "extra.yaml",
        "policies:\n  - id: a\n    log:\n      match:\n        - log_field: body\n          exists: true\n      keep: none\n      owner: team-a\n",
    );
    let out = edge(&["policy", "check", &extra]);
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{extra}:8: warning: policy[0] `a`: log: unknown key `owner` is ignored\n"
        )),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("ok (1 policy)"), "{out:?}");
}

const LOGS_BATCH: &str = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[
  {"severityText":"DEBUG","body":{"stringValue":"a"}},
  {"severityText":"INFO","body":{"stringValue":"b"}}]}]}]}"#;

const EVAL_POLICIES: &str = "policies:\n  - id: drop-debug\n    log:\n      match: [{log_field: severity_text, exact: DEBUG}]\n      keep: none\n  - id: bad-regex\n    log:\n      match: [{log_field: body, regex: \"([\"}]\n      keep: none\n  - id: bad-keep\n    log:\n      match: [{log_field: body, exact: b}]\n      keep: sometimes\n";

fn log_records(out: &serde_json::Value) -> usize {
    out["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn policy_eval_reports_skipped_policies_and_still_runs_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let policies = write(dir.path(), "p.yaml", EVAL_POLICIES);
    let input = write(dir.path(), "in.json", LOGS_BATCH);
    let output = dir.path().join("out.json");
    let out = edge(&[
        "policy",
        "eval",
        "--policies",
        &policies,
        "--input",
        &input,
        "--output",
        output.to_str().unwrap(),
    ]);
    // Exit 0: the conformance runner counts any other status as a crash.
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{policies}:6: policy[1] `bad-regex`: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{policies}:10: policy[2] `bad-keep`: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 records, 1 dropped, 0 modified; 2 policy error(s)"),
        "{stderr}"
    );
    let result: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(log_records(&result), 1, "{result}");
}

#[test]
fn policy_eval_refuses_a_signal_that_does_not_match_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let policies = write(dir.path(), "p.yaml", EVAL_POLICIES);
    let input = write(dir.path(), "in.json", LOGS_BATCH);
    let output = dir.path().join("out.json");
    let out = edge(&[
        "policy",
        "eval",
        "--policies",
        &policies,
        "--input",
        &input,
        "--output",
        output.to_str().unwrap(),
        "--signal",
        "trace",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--signal trace but the batch holds log (resourceLogs)"),
        "{stderr}"
    );
    assert!(!output.exists());
}

/// An unknown `--signal` names the accepted ones; the output and stats
/// files end with a newline, like the text written to standard output.
#[test]
fn policy_eval_names_the_signals_and_ends_its_files_with_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let policies = write(dir.path(), "p.yaml", EVAL_POLICIES);
    let input = write(dir.path(), "in.json", LOGS_BATCH);
    let output = dir.path().join("out.json");
    let stats = dir.path().join("stats.json");
    let args = |signal: &'static str| {
        let mut a = vec![
            "policy".to_owned(),
            "eval".into(),
            "--policies".into(),
            policies.clone(),
            "--input".into(),
            input.clone(),
            "--output".into(),
            output.to_str().unwrap().into(),
            "--stats".into(),
            stats.to_str().unwrap().into(),
        ];
        if !signal.is_empty() {
            a.extend(["--signal".to_owned(), signal.to_owned()]);
        }
        a
    };
    let run = |a: Vec<String>| edge(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(args("foo"));
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown signal \"foo\" (expected log, metric or trace)"),
        "{stderr}"
    );
    let out = run(args(""));
    assert!(out.status.success(), "{out:?}");
    for file in [&output, &stats] {
        let written = std::fs::read_to_string(file).unwrap();
        assert!(written.ends_with("}\n"), "{written:?}");
    }
}

#[test]
fn policy_eval_warns_when_no_policy_ran() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.json", LOGS_BATCH);
    let output = dir.path().join("out.json");
    let out_path = output.to_str().unwrap();
    for (name, content) in [
        ("empty.yaml", "policies: []\n"),
        // Only a trace policy: the log batch is not touched.
        (
            "traces.yaml",
            "policies:\n  - id: t\n    trace:\n      match:\n        - trace_field: name\n          exact: x\n      keep:\n        percentage: 0\n",
        ),
        (
            "invalid.yaml",
            "policies:\n  - id: bad\n    log:\n      match:\n        - log_field: body\n          regex: \"(\"\n      keep: none\n",
        ),
    ] {
        let policies = write(dir.path(), name, content);
        let out = edge(&[
            "policy", "eval", "--policies", &policies, "--input", &input, "--output", out_path,
        ]);
        assert!(out.status.success(), "{out:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "warning: no valid policy for the batch's signal in {policies}; it was written unchanged"
            )),
            "{stderr}"
        );
    }
    let policies = write(dir.path(), "p.yaml", EVAL_POLICIES);
    let out = edge(&[
        "policy",
        "eval",
        "--policies",
        &policies,
        "--input",
        &input,
        "--output",
        out_path,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(!text(&out.stderr).contains("no valid policy"), "{out:?}");
}

#[test]
fn policy_eval_reads_stdin_and_writes_stdout_for_dash() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let policies = write(dir.path(), "p.yaml", EVAL_POLICIES);
    let mut child = Command::new(env!("CARGO_BIN_EXE_edge"))
        .args([
            "policy",
            "eval",
            "--policies",
            &policies,
            "--input",
            "-",
            "--output",
            "-",
        ])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(LOGS_BATCH.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log_records(&result), 1, "{result}");
    assert!(
        !dir.path().join("-").exists(),
        "a file named `-` was written"
    );
}

/// A misspelled `EDGE_*` override is named with its likely spelling by
/// `edge config check` (passing or failing) and at start, never with its
/// value (it may be an API key).
#[test]
fn misspelled_environment_overrides_are_named_without_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "not-for-logs-4f1c";
    let cfg = write(
        dir.path(),
        "edge.yaml",
        "upstream_url: http://127.0.0.1:9\nlogs_url: ${EDGE_LOGS_UPSTREAM}\n",
    );
    let out = edge_in(
        &["config", "check", &cfg],
        None,
        &[
            ("EDGE_LISTEN_PROT", secret),
            ("EDGE_LOGS_UPSTREAM", "http://127.0.0.1:9"),
            ("EDGE_LISTEN_PORT", "9000"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr,
        format!(
            "{cfg}: warning: EDGE_LISTEN_PROT is not a configuration override, and this \
             configuration does not refer to it as ${{EDGE_LISTEN_PROT}} (did you mean \
             EDGE_LISTEN_PORT?); it is ignored\n"
        )
    );

    // The misspelling is why the check fails: the warning says so.
    let bare = write(dir.path(), "bare.yaml", "listen_port: 8080\n");
    let out = edge_in(
        &["config", "check", &bare],
        None,
        &[("EDGE_UPSTREAM_ULR", secret)],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("did you mean EDGE_UPSTREAM_URL?"),
        "{stderr}"
    );
    assert!(!stderr.contains(secret), "{stderr}");
    // `edge run` with that configuration fails the same way, and says so.
    let out = edge_in(
        &["run", "-c", &bare],
        None,
        &[("EDGE_UPSTREAM_ULR", secret)],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("did you mean EDGE_UPSTREAM_URL?"),
        "{stderr}"
    );
    assert!(!stderr.contains(secret), "{stderr}");

    // At start, after logging began: a warning line in the JSON log. The
    // port is taken, so the proxy stops right after.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = edge_in(
        &["run", "-c", &cfg],
        None,
        &[
            ("EDGE_LISTEN_PROT", secret),
            ("EDGE_LOGS_UPSTREAM", "http://127.0.0.1:9"),
            ("EDGE_LISTEN_PORT", &port),
            ("RUST_LOG", ""),
        ],
    );
    assert!(!out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    let warning: serde_json::Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["variable"] == "EDGE_LISTEN_PROT")
        .unwrap_or_else(|| panic!("no warning: {stdout}"));
    assert_eq!(warning["level"], "WARN");
    assert_eq!(warning["suggestion"], "EDGE_LISTEN_PORT");
    assert!(!stdout.contains(secret), "{stdout}");
    assert!(!text(&out.stderr).contains(secret));
}

/// `RUST_LOG=verbose` is valid filter syntax (a target named `verbose`)
/// that would hide every log; a `RUST_LOG` that does not parse would stop
/// the start. Both get one warning and the configured level instead.
#[test]
fn an_unusable_rust_log_warns_and_logs_at_the_configured_level() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    for (rust_log, why) in [
        ("verbose", "`verbose` is not a level"),
        ("edge=loudest", "RUST_LOG: invalid filter"),
    ] {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let cfg = write(
            dir.path(),
            "edge.yaml",
            &format!("upstream_url: http://127.0.0.1:9\nlisten_port: {port}\nlog_level: info\n"),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_edge"))
            .args(["run", "-c", &cfg])
            .env("RUST_LOG", rust_log)
            .env_remove("EDGE_LOG_LEVEL")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&line) {
                    if tx.send(json).is_err() {
                        return;
                    }
                }
            }
        });
        // Until the info-level "listening" line (the configured level); a
        // proxy that logs nothing is stopped after a while.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut lines = Vec::new();
        while let Ok(json) =
            rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
        {
            let listening = json["message"] == "listening";
            lines.push(json);
            if listening {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        drop(rx);
        reader.join().unwrap();
        let warnings: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|l| l["message"].as_str().is_some_and(|m| m.contains(why)))
            .collect();
        assert_eq!(warnings.len(), 1, "{rust_log}: {lines:?}");
        assert_eq!(warnings[0]["level"], "WARN");
        let listening = lines.last().unwrap();
        assert_eq!(listening["message"], "listening", "{rust_log}: {lines:?}");
        assert_eq!(listening["level"], "INFO");
    }
}
