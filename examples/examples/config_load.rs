//! Loads an Edge configuration with `edge-config` alone: defaults, `EDGE_*`
//! overrides and `${VAR}` substitution, and shows an unknown-key error.
//!
//! Run: `cargo run -p edge-examples --example config_load`

fn main() -> anyhow::Result<()> {
    let text = r#"{
        "upstream_url": "https://${DD_SITE}",
        "policy_providers": [{"id": "local", "type": "file", "path": "policies.json"}]
    }"#;
    // A fixed environment instead of the process one, so the example is
    // reproducible.
    let env = [
        (
            "DD_SITE".to_owned(),
            "http-intake.logs.datadoghq.com".to_owned(),
        ),
        ("EDGE_LISTEN_PORT".to_owned(), "8126".to_owned()),
        (
            "EDGE_PROMETHEUS__TARGET_URL".to_owned(),
            "http://127.0.0.1:9100/metrics".to_owned(),
        ),
    ];
    let config = edge_config::Config::from_str_with_env(text, edge_config::Format::Json, env)?;
    println!("upstream:        {}", config.upstream_url);
    println!("logs upstream:   {}", config.logs_upstream());
    println!(
        "listen:          {}:{}",
        config.listen_address, config.listen_port
    );
    println!("max body:        {} bytes", config.max_body_size);
    println!("prometheus:      {:?}", config.prometheus.target_url);
    println!("providers:       {:?}", config.policy_providers);

    let typo = r#"{"upstream_url": "http://127.0.0.1:9000", "listen_prot": 1}"#;
    let err = edge_config::Config::from_str_with_env(typo, edge_config::Format::Json, [])
        .expect_err("unknown keys are rejected");
    println!("unknown key:     {err}");
    Ok(())
}
