//! `edge-payload`: writes the request bodies and the policy file the load
//! benchmark uses. Records are deterministic: a few are debug logs, health
//! checks or carry e-mail addresses, so the generated policies drop or
//! redact some of them.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Parser;
use edge_loadgen::payload::{datadog_body, gzip, otlp, otlp_json, policies, records_for};
use prost::Message as _;

/// Writes load benchmark payloads and policies.
#[derive(Debug, Parser)]
struct Args {
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Number of policies in `policies.json`.
    #[arg(long, default_value_t = 100)]
    policies: usize,
}

fn write(dir: &Path, name: &str, data: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("{name}: {} bytes", data.len());
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out)?;
    let dir = args.out.as_path();

    write(dir, "dd-small.json", &datadog_body(1))?;
    write(dir, "dd-large.json", &datadog_body(4))?;
    let n = records_for(900_000, |n| datadog_body(n).len());
    let big = datadog_body(n);
    write(dir, "dd-1mb.json.gz", &gzip(&big))?;
    eprintln!("dd-1mb: {n} records, {} bytes decoded", big.len());

    write(dir, "otlp-small.json", &otlp_json(&otlp(1)))?;
    write(dir, "otlp-small.pb", &otlp(1).encode_to_vec())?;
    write(dir, "otlp-large.json", &otlp_json(&otlp(3)))?;
    write(dir, "otlp-large.pb", &otlp(6).encode_to_vec())?;
    let n = records_for(1_000_000, |n| otlp_json(&otlp(n)).len());
    write(dir, "otlp-1mb.json.gz", &gzip(&otlp_json(&otlp(n))))?;
    let n = records_for(1_000_000, |n| otlp(n).encoded_len());
    write(dir, "otlp-1mb.pb.gz", &gzip(&otlp(n).encode_to_vec()))?;

    let p = serde_json::to_vec_pretty(&policies(args.policies))?;
    write(dir, "policies.json", &p)?;
    write(dir, "policies-empty.json", br#"{"policies": []}"#)?;
    Ok(())
}
