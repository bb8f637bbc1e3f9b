//! The listener limit, overload and TLS keys: defaults, overrides from the
//! environment, validation.

use edge_config::{Config, ConfigError, Format, TlsConfig};

fn load(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::from_str_with_env(
        text,
        Format::Json,
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    )
}

#[test]
fn defaults() {
    let c = load(r#"{"upstream_url":"http://127.0.0.1:1"}"#, &[]).unwrap();
    assert_eq!(c.max_headers, 100);
    assert_eq!(c.body_read_timeout_ms, 30_000);
    assert_eq!(c.idle_timeout_ms, 60_000);
    assert_eq!(c.overload_wait_ms, 50);
    assert_eq!(c.max_inflight_bytes, 256 * 1024 * 1024);
    assert_eq!(c.tls, None);
}

#[test]
fn file_and_environment_set_them() {
    let c = load(
        r#"{"upstream_url":"http://127.0.0.1:1","max_headers":20,"idle_timeout_ms":5,
            "tls":{"cert_file":"/c.pem","key_file":"/k.pem"}}"#,
        &[
            ("EDGE_MAX_INFLIGHT_BYTES", "1000"),
            ("EDGE_OVERLOAD_WAIT_MS", "0"),
            ("EDGE_BODY_READ_TIMEOUT_MS", "250"),
        ],
    )
    .unwrap();
    assert_eq!(c.max_headers, 20);
    assert_eq!(c.idle_timeout_ms, 5);
    assert_eq!(c.max_inflight_bytes, 1000);
    assert_eq!(c.overload_wait_ms, 0);
    assert_eq!(c.body_read_timeout_ms, 250);
    assert_eq!(
        c.tls,
        Some(TlsConfig {
            cert_file: "/c.pem".into(),
            key_file: "/k.pem".into()
        })
    );
}

#[test]
fn invalid_values_are_named() {
    for (text, key) in [
        (
            r#"{"upstream_url":"http://h","max_inflight_bytes":0}"#,
            "max_inflight_bytes",
        ),
        (
            r#"{"upstream_url":"http://h","max_headers":0}"#,
            "max_headers",
        ),
        (
            r#"{"upstream_url":"http://h","max_header_bytes":10}"#,
            "max_header_bytes",
        ),
        (
            r#"{"upstream_url":"http://h","upstream_timeout_ms":0}"#,
            "upstream_timeout_ms",
        ),
        (
            r#"{"upstream_url":"http://h","body_read_timeout_ms":0}"#,
            "body_read_timeout_ms",
        ),
        (
            r#"{"upstream_url":"http://h","idle_timeout_ms":0}"#,
            "idle_timeout_ms",
        ),
        (
            r#"{"upstream_url":"http://h","upstream_pool_idle_timeout_ms":0}"#,
            "upstream_pool_idle_timeout_ms",
        ),
        (
            r#"{"upstream_url":"http://h","tls":{"cert_file":"","key_file":"k"}}"#,
            "tls.cert_file",
        ),
        (
            r#"{"upstream_url":"http://h","tls":{"cert_file":"c","key_file":""}}"#,
            "tls.key_file",
        ),
    ] {
        match load(text, &[]) {
            Err(ConfigError::Invalid { key: k, .. }) => assert_eq!(k, key),
            other => panic!("{text}: {other:?}"),
        }
    }
    match load(
        r#"{"upstream_url":"http://h","tls":{"cert_file":"c"}}"#,
        &[],
    ) {
        Err(ConfigError::Schema { key, .. }) => assert!(key.starts_with("tls"), "{key}"),
        other => panic!("{other:?}"),
    }
}
