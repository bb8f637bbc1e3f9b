// Build information for `--version`: git commit (when the source is a git
// checkout, or from `EDGE_BUILD_COMMIT`), rustc version, target and profile.
// Never fails: anything it cannot find is
// reported as `unknown`. Also sets link options that lower the idle memory
// (see `link_position_dependent`, `link_libstdcxx_statically`,
// `lld_link_options`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=EDGE_BUILD_COMMIT");

    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("EDGE_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git_commit(&manifest))
        .unwrap_or_else(|| "unknown".to_owned());

    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());

    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=EDGE_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=EDGE_BUILD_RUSTC={rustc_version}");
    println!("cargo:rustc-env=EDGE_BUILD_TARGET={}", var("TARGET"));
    println!("cargo:rustc-env=EDGE_BUILD_PROFILE={}", var("PROFILE"));

    link_position_dependent();
    link_libstdcxx_statically();
    lld_link_options(&manifest);
}

/// Links the binary as a position-dependent executable on Linux/glibc when
/// asked with `EDGE_PIE=0`; by default it stays position-independent.
///
/// A PIE needs about 28,000 relative relocations applied at every start: the
/// dynamic loader reads the 680 KB `.rela.dyn` table and writes every page of
/// `.data.rel.ro` and the GOT (490 KB), so about 1.2 MB of the idle RSS was
/// relocation work (README, Performance). Linked at a fixed address those
/// pages stay clean file pages and only the ones used are mapped. The price
/// is that the executable's own image is not randomised (shared libraries,
/// heap, stacks and mappings still are), which is why it is opt-in: a proxy
/// parsing untrusted input keeps full address randomisation unless the
/// operator trades it for memory (small sidecars).
fn link_position_dependent() {
    println!("cargo:rerun-if-env-changed=EDGE_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("EDGE_PIE") != "0"
        || var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
    {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
}

/// Links libstdc++ (needed by the Vectorscan library) statically on
/// Linux/glibc (`EDGE_STATIC_LIBSTDCXX=0` keeps the shared one).
///
/// The shared libstdc++ cost 0.86 MB of idle RSS, mostly its symbol tables
/// and relocated data, for the few parts Vectorscan uses; linked in, only
/// those parts are in the binary. `vectorscan-rs-sys` asks for `-lstdc++`,
/// so a search directory holding only `libstdc++.a` is put in front of the
/// system ones.
fn link_libstdcxx_statically() {
    println!("cargo:rerun-if-env-changed=EDGE_STATIC_LIBSTDCXX");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("EDGE_STATIC_LIBSTDCXX") == "0"
        || var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
    {
        return;
    }
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let Some(archive) = Command::new(compiler)
        .arg("-print-file-name=libstdc++.a")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| PathBuf::from(s.trim()))
        .filter(|p| p.is_absolute() && p.is_file())
    else {
        // The compiler does not know a static libstdc++: keep the shared one.
        return;
    };
    let Some(dir) = std::env::var_os("OUT_DIR").map(|d| PathBuf::from(d).join("static-libstdcxx"))
    else {
        return;
    };
    let link = dir.join("libstdc++.a");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::remove_file(&link);
    if std::os::unix::fs::symlink(&archive, &link).is_ok() {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
}

/// Adds the link options that need LLVM's `lld`, after checking that the
/// linker takes them: an empty program is linked with them first (0.25 s of
/// CPU, once per build-script run; see `link_flags.rs`). A
/// linker that rejects them (a distribution's rustc linking through `cc`
/// and GNU ld, which does not know `--icf=all`) gets none of them, with a
/// cargo warning. A linker chosen through `RUSTC_LINKER` or link flags in
/// `RUSTFLAGS` gets none of them either.
///
/// - Identical functions folded (`-Wl,--icf=all`; `EDGE_ICF=0` turns it
///   off): generic Rust code leaves many byte-identical copies. It took 4%
///   off `.text` and 2.5 MB off the passthrough idle RSS (README,
///   Performance).
/// - Relative relocations packed in the `DT_RELR` form
///   (`-z pack-relative-relocs`; `EDGE_RELR=0` keeps the classic table),
///   only when the building machine's glibc is ≥ 2.36. A PIE has about
///   28,000 relative relocations: as `.rela.dyn` entries (24 bytes each)
///   they are a 680 KB table that the dynamic loader reads at every start,
///   and every page it read stays resident: 0.7 MB of the idle RSS. Packed
///   as bitmaps they take a few KB; the loader applies the same
///   relocations, so address randomisation and RELRO are unchanged. `lld`
///   then marks the binary as needing `GLIBC_ABI_DT_RELR`, so a glibc older
///   than 2.36 (Ubuntu 22.04, RHEL 9, Amazon Linux 2023) refuses to start
///   it; build with `EDGE_RELR=0` for those hosts (README, Deployment).
/// - Start-up code packed (`bins/edge/startup-order.ld`, generated by
///   `benches/load/startup_order.py`; `EDGE_STARTUP_ORDER=0` leaves the
///   linker's order), release builds only (debug binaries are not measured,
///   and their links stay fast). The kernel maps the cached pages around
///   every code fault (64 KB fault-around), so the few hundred KB of
///   functions run at start and when idle, scattered over 12 MB of `.text`,
///   kept 5.5 MB of code resident. The script places them in front of
///   `.text` (`INSERT BEFORE`, so everything else keeps the default layout)
///   by section-name patterns with the symbol hashes wildcarded; a function
///   it does not name is linked where it was before, so a stale list costs
///   memory, never correctness.
fn lld_link_options(manifest: &Path) {
    for knob in [
        "EDGE_ICF",
        "EDGE_RELR",
        "EDGE_STARTUP_ORDER",
        "RUSTC_LINKER",
    ] {
        println!("cargo:rerun-if-env-changed={knob}");
    }
    // `edge-datadog` includes this script: the file is next to `edge`'s.
    let script = manifest.join("../edge/startup-order.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let target = var("TARGET");
    // The link probe of `tests/link_layout.rs` uses the same compiler.
    println!("cargo:rustc-env=EDGE_LINK_PROBE_RUSTC={rustc}");
    let (target_os, target_env) = (var("CARGO_CFG_TARGET_OS"), var("CARGO_CFG_TARGET_ENV"));
    let inputs = LinkInputs {
        target_os: &target_os,
        target_env: &target_env,
        release: var("PROFILE") == "release",
        script: &script,
        icf: var("EDGE_ICF") != "0",
        relr: var("EDGE_RELR") != "0",
        startup_order: var("EDGE_STARTUP_ORDER") != "0",
        linker_overridden: std::env::var_os("RUSTC_LINKER").is_some()
            || var("CARGO_ENCODED_RUSTFLAGS").contains("link"),
    };
    let args = lld_link_candidates(&inputs);
    if args.is_empty() {
        return;
    }
    let Some(dir) = std::env::var_os("OUT_DIR").map(|d| PathBuf::from(d).join("link-probe")) else {
        return;
    };
    match probe_link(&rustc, &target, &args, &dir) {
        Ok(_) => {
            for arg in &args {
                println!("cargo:rustc-link-arg-bins={arg}");
            }
        }
        Err(reason) => println!(
            "cargo:warning=the linker is not lld or rejects {}: linking without them ({reason})",
            args.join(" ")
        ),
    }
}

include!("link_flags.rs");

/// The short commit id of the checkout containing `dir`, if `git` and a
/// repository are there. Also asks cargo to rerun when HEAD moves.
fn git_commit(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let git_dir = PathBuf::from(git_dir);
        println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            let ref_file = git_dir.join(head_ref);
            if ref_file.exists() {
                println!("cargo:rerun-if-changed={}", ref_file.display());
            }
        }
        let packed = git_dir.join("packed-refs");
        if packed.exists() {
            println!("cargo:rerun-if-changed={}", packed.display());
        }
    }
    Some(commit)
}
