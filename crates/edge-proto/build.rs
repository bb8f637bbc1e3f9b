//! Generates the policy schema types from `proto/` (inside this crate, so the
//! published package carries its schema) with the pure-Rust `protox`
//! compiler, so no `protoc` binary is needed.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("proto");
    let files = [
        "opentelemetry/proto/common/v1/common.proto",
        "tero/policy/v1/shared.proto",
        "tero/policy/v1/log.proto",
        "tero/policy/v1/metric.proto",
        "tero/policy/v1/trace.proto",
        "tero/policy/v1/extension.proto",
        "tero/policy/v1/tero_extensions.proto",
        "tero/policy/v1/policy.proto",
    ];
    for f in &files {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    let fds = protox::compile(files, [&root])?;
    prost_build::Config::new().compile_fds(fds)?;
    Ok(())
}
