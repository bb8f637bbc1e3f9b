// The lld-only link options of the release binaries, decided in one place:
// `include!`d by `bins/edge/build.rs` (which passes them to cargo) and by
// `bins/edge/tests/link_layout.rs` (which links a tiny program with them, so
// a linker script or flag that lld rejects fails `cargo test`, not only a
// release build). Plain functions of their inputs; the callers read the
// environment.

/// What the lld-only link options depend on.
struct LinkInputs<'a> {
    /// `CARGO_CFG_TARGET_OS` and `CARGO_CFG_TARGET_ENV`.
    target_os: &'a str,
    target_env: &'a str,
    /// A release build: only those get the start-up linker script.
    release: bool,
    /// `bins/edge/startup-order.ld`.
    script: &'a Path,
    /// The `EDGE_ICF`, `EDGE_RELR` and `EDGE_STARTUP_ORDER` switches
    /// (false when set to `0`).
    icf: bool,
    relr: bool,
    startup_order: bool,
    /// A linker chosen through `RUSTC_LINKER` or link flags in `RUSTFLAGS`:
    /// the options are then left to whoever chose it.
    linker_overridden: bool,
}

/// The link options to try, each one `-C link-arg`, before asking the
/// linker (see `probe_link`); empty when none applies.
fn lld_link_candidates(inputs: &LinkInputs<'_>) -> Vec<String> {
    let mut args = Vec::new();
    if inputs.target_os != "linux" || inputs.linker_overridden {
        return args;
    }
    if inputs.icf {
        args.push("-Wl,--icf=all".to_owned());
    }
    if inputs.relr && inputs.target_env == "gnu" && host_glibc_at_least(2, 36) {
        args.push("-Wl,-z,pack-relative-relocs".to_owned());
    }
    if inputs.startup_order && inputs.release && inputs.script.is_file() {
        let script = inputs
            .script
            .canonicalize()
            .unwrap_or_else(|_| inputs.script.to_owned());
        // `-Xlinker` passes its argument whole: `-Wl,` would split a path
        // holding a comma.
        args.push("-Xlinker".to_owned());
        args.push(format!("--script={}", script.display()));
    }
    args
}

/// Links an empty Rust program for the target with `args` into `dir` and
/// returns its path, or the compiler's error output when the linker
/// rejected them (GNU ld does not know `--icf=all`, for one).
fn probe_link(rustc: &str, target: &str, args: &[String], dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let source = dir.join("probe.rs");
    std::fs::write(&source, "fn main() {}\n").map_err(|e| format!("{}: {e}", source.display()))?;
    let output = dir.join("probe");
    let mut command = Command::new(rustc);
    command
        .arg("--edition=2021")
        .arg("--crate-name=probe")
        .arg("--target")
        .arg(target)
        .arg("-o")
        .arg(&output)
        .arg(&source);
    for arg in args {
        command.arg("-C").arg(format!("link-arg={arg}"));
    }
    let result = command.output().map_err(|e| format!("{rustc}: {e}"))?;
    if result.status.success() {
        Ok(output)
    } else {
        let stderr = String::from_utf8_lossy(&result.stderr);
        let reason = stderr
            .lines()
            .filter(|l| {
                (l.contains("error:") && !l.contains("linking with"))
                    || l.contains("unrecognized")
                    || l.contains("unknown option")
            })
            .map(|l| l.trim().chars().take(300).collect::<String>())
            .take(3)
            .collect::<Vec<_>>()
            .join(" | ");
        Err(if reason.is_empty() {
            format!("{rustc} exited with {}", result.status)
        } else {
            reason
        })
    }
}

/// Whether the glibc of the building machine (`getconf GNU_LIBC_VERSION`)
/// is at least `major.minor`; false when it cannot be told.
fn host_glibc_at_least(major: u32, minor: u32) -> bool {
    let Some(version) = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
    else {
        return false;
    };
    // "glibc 2.36"
    let mut parts = version
        .trim()
        .trim_start_matches("glibc")
        .trim()
        .split('.')
        .map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(got_major), Some(got_minor)) => (got_major, got_minor) >= (major, minor),
        _ => false,
    }
}
