//! Reading a configuration: file format, environment overrides, `${VAR}`
//! substitution, schema check and validation.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::{Config, ConfigError};

/// Syntax of a configuration text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// Picks the format from a file name: `.yaml`/`.yml` is YAML, `.json` is
    /// JSON, anything else is JSON when the text starts with `{`, else YAML.
    pub fn detect(path: &Path, text: &str) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Top-level keys an `EDGE_*` variable may override. Other `EDGE_*`
/// variables (for example `EDGE_LOG_LEVEL` handled by the logger too, or
/// unrelated ones) are not treated as configuration.
const TOP_LEVEL_KEYS: &[&str] = &[
    "listen_address",
    "listen_port",
    "upstream_url",
    "logs_url",
    "metrics_url",
    "otlp",
    "log_level",
    "max_body_size",
    "max_decoded_bytes",
    "upstream_connect_timeout_ms",
    "upstream_timeout_ms",
    "upstream_retries",
    "upstream_retry_backoff_ms",
    "upstream_retry_on_gateway_errors",
    "max_concurrent_requests",
    "shutdown_grace_period_ms",
    "header_read_timeout_ms",
    "max_header_bytes",
    "admin_listen_address",
    "service",
    "policy_providers",
    "prometheus",
];

const ENV_PREFIX: &str = "EDGE_";

impl Config {
    /// Loads `path` with overrides and substitutions from the process
    /// environment.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        Config::load_with_env(
            path,
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// Loads `path` using `env` instead of the process environment (tests,
    /// embedding).
    pub fn load_with_env(
        path: impl AsRef<Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        Config::from_str_with_env(&text, Format::detect(path, &text), env)
    }

    /// Parses configuration text with the given environment.
    pub fn from_str_with_env(
        text: &str,
        format: Format,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let env: BTreeMap<String, String> = env.into_iter().collect();
        let mut doc = parse_document(text, format)?;
        apply_env_overrides(&mut doc, &env)?;
        substitute(&mut doc, &env, &mut String::new())?;
        let config: Config = serde_path_to_error::deserialize(doc).map_err(|e| {
            let key = e.path().to_string();
            ConfigError::Schema {
                key,
                message: e.into_inner().to_string(),
            }
        })?;
        config.validate()?;
        Ok(config)
    }
}

fn parse_document(text: &str, format: Format) -> Result<Value, ConfigError> {
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| ConfigError::Syntax {
            format: "JSON",
            message: e.to_string(),
        })?,
        Format::Yaml => {
            if text.trim().is_empty() {
                Value::Object(Map::new())
            } else {
                serde_yaml::from_str::<Value>(text).map_err(|e| ConfigError::Syntax {
                    format: "YAML",
                    message: e.to_string(),
                })?
            }
        }
    };
    if !value.is_object() {
        return Err(ConfigError::Schema {
            key: ".".to_owned(),
            message: "the configuration must be a map of keys".to_owned(),
        });
    }
    Ok(value)
}

fn apply_env_overrides(doc: &mut Value, env: &BTreeMap<String, String>) -> Result<(), ConfigError> {
    for (var, raw) in env {
        let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
        if !TOP_LEVEL_KEYS.contains(&path[0].as_str()) {
            continue;
        }
        if path.iter().any(String::is_empty) {
            return Err(ConfigError::EnvOverride {
                var: var.clone(),
                message: "empty key segment".to_owned(),
            });
        }
        let trimmed = raw.trim_start();
        let value = if trimmed.starts_with('[') || trimmed.starts_with('{') {
            serde_json::from_str(raw).map_err(|e| ConfigError::EnvOverride {
                var: var.clone(),
                message: format!("value looks like JSON but does not parse: {e}"),
            })?
        } else {
            Value::String(raw.clone())
        };
        let mut node = &mut *doc;
        for (i, segment) in path.iter().enumerate() {
            let Value::Object(map) = node else {
                return Err(ConfigError::EnvOverride {
                    var: var.clone(),
                    message: format!("`{}` is not a map in the file", path[..i].join(".")),
                });
            };
            if i + 1 == path.len() {
                map.insert(segment.clone(), value);
                break;
            }
            node = map
                .entry(segment.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
    Ok(())
}

/// Replaces `${VAR}` in every string value. `key` tracks the dotted path for
/// error messages.
fn substitute(
    value: &mut Value,
    env: &BTreeMap<String, String>,
    key: &mut String,
) -> Result<(), ConfigError> {
    match value {
        Value::String(s) if s.contains("${") => {
            *s = expand(s, env, key)?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = key.len();
                key.push_str(&format!("[{i}]"));
                substitute(item, env, key)?;
                key.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                let len = key.len();
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(k);
                substitute(item, env, key)?;
                key.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

fn expand(s: &str, env: &BTreeMap<String, String>, key: &str) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // An unterminated `${` is kept literally.
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        match env.get(name) {
            Some(v) => out.push_str(v),
            None => {
                return Err(ConfigError::MissingEnvVar {
                    var: name.to_owned(),
                    key: key.to_owned(),
                })
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LogLevel, PolicyEncoding, PolicyProviderConfig};

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn json(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_str_with_env(text, Format::Json, env(vars))
    }

    #[test]
    fn defaults_apply_to_a_minimal_file() {
        let cfg = json(r#"{"upstream_url":"http://127.0.0.1:1"}"#, &[]).unwrap();
        assert_eq!(cfg.listen_address, "127.0.0.1");
        assert_eq!(cfg.listen_port, 8080);
        assert_eq!(cfg.max_body_size, 10 * 1024 * 1024);
        assert_eq!(cfg.max_decoded_bytes, 64 * 1024 * 1024);
        assert_eq!(cfg.shutdown_grace_period_ms, 10_000);
        assert_eq!(cfg.log_level, LogLevel::Info);
        assert_eq!(cfg.prometheus.path, "/metrics");
        assert_eq!(cfg.logs_upstream(), "http://127.0.0.1:1");
        assert!(cfg.policy_providers.is_empty());
    }

    #[test]
    fn upstream_is_required() {
        let err = json("{}", &[]).unwrap_err();
        assert!(err.to_string().contains("upstream_url"), "{err}");
    }

    #[test]
    fn unknown_top_level_key_is_named() {
        let err = json(r#"{"upstream_url":"http://a","lisen_port":1}"#, &[]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("lisen_port"), "{msg}");
    }

    #[test]
    fn unknown_nested_key_is_named_with_its_path() {
        let err = json(
            r#"{"upstream_url":"http://a","prometheus":{"pth":"/m"}}"#,
            &[],
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("pth"), "{msg}");
        assert!(msg.contains("prometheus"), "{msg}");
    }

    #[test]
    fn unknown_provider_key_is_rejected() {
        let err = json(
            r#"{"upstream_url":"http://a","policy_providers":[{"id":"f","type":"file","path":"p","pth":"x"}]}"#,
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("pth"), "{err}");
    }

    #[test]
    fn providers_of_both_kinds_parse() {
        let cfg = json(
            r#"{"upstream_url":"http://a","policy_providers":[
                {"id":"f","type":"file","path":"/etc/p.json"},
                {"id":"h","type":"http","url":"http://127.0.0.1:9/sync","headers":{"x-key":"${KEY}"},"encoding":"protobuf"}]}"#,
            &[("KEY", "s3cret")],
        )
        .unwrap();
        assert_eq!(
            cfg.policy_providers[0],
            PolicyProviderConfig::File {
                id: "f".into(),
                path: "/etc/p.json".into()
            }
        );
        let PolicyProviderConfig::Http(h) = &cfg.policy_providers[1] else {
            panic!("expected http provider");
        };
        assert_eq!(h.poll_interval_secs, 60);
        assert_eq!(h.encoding, PolicyEncoding::Protobuf);
        assert_eq!(h.headers["x-key"], "s3cret");
    }

    #[test]
    fn duplicate_provider_ids_are_rejected() {
        let err = json(
            r#"{"upstream_url":"http://a","policy_providers":[
                {"id":"f","type":"file","path":"a"},{"id":"f","type":"file","path":"b"}]}"#,
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
    }

    #[test]
    fn env_overrides_top_level_and_nested_keys() {
        let cfg = json(
            r#"{"upstream_url":"http://a","listen_port":1}"#,
            &[
                ("EDGE_LISTEN_PORT", "9100"),
                ("EDGE_LOG_LEVEL", "debug"),
                (
                    "EDGE_PROMETHEUS__TARGET_URL",
                    "http://127.0.0.1:9200/metrics",
                ),
                ("EDGE_SERVICE__VERSION", "1.0"),
                ("EDGE_UNRELATED_THING", "ignored"),
                ("OTHER", "x"),
            ],
        )
        .unwrap();
        assert_eq!(cfg.listen_port, 9100);
        assert_eq!(cfg.log_level, LogLevel::Debug);
        assert_eq!(
            cfg.prometheus.target_url.as_deref(),
            Some("http://127.0.0.1:9200/metrics")
        );
        assert_eq!(cfg.service.version.as_deref(), Some("1.0"));
    }

    #[test]
    fn env_override_with_json_value() {
        let cfg = json(
            r#"{"upstream_url":"http://a"}"#,
            &[(
                "EDGE_POLICY_PROVIDERS",
                r#"[{"id":"f","type":"file","path":"x.json"}]"#,
            )],
        )
        .unwrap();
        assert_eq!(cfg.policy_providers.len(), 1);
    }

    #[test]
    fn bad_env_value_is_a_schema_error() {
        let err = json(
            r#"{"upstream_url":"http://a"}"#,
            &[("EDGE_LISTEN_PORT", "eighty")],
        )
        .unwrap_err();
        assert!(err.to_string().contains("listen_port"), "{err}");
    }

    #[test]
    fn variables_are_substituted_and_missing_ones_named() {
        let cfg = json(
            r#"{"upstream_url":"http://${HOST}:${PORT}/x"}"#,
            &[("HOST", "127.0.0.1"), ("PORT", "9")],
        )
        .unwrap();
        assert_eq!(cfg.upstream_url, "http://127.0.0.1:9/x");
        let err = json(r#"{"upstream_url":"http://${NOPE}"}"#, &[]).unwrap_err();
        match err {
            ConfigError::MissingEnvVar { var, key } => {
                assert_eq!(var, "NOPE");
                assert_eq!(key, "upstream_url");
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn yaml_is_accepted() {
        let cfg = Config::from_str_with_env(
            "upstream_url: http://127.0.0.1:9\nlisten_port: 0\nservice:\n  name: sidecar\n",
            Format::Yaml,
            env(&[]),
        )
        .unwrap();
        assert_eq!(cfg.listen_port, 0);
        assert_eq!(cfg.service.name, "sidecar");
    }

    #[test]
    fn invalid_values_are_rejected() {
        for (text, key) in [
            (r#"{"upstream_url":"ftp://a"}"#, "upstream_url"),
            (
                r#"{"upstream_url":"http://a","logs_url":"nope"}"#,
                "logs_url",
            ),
            (
                r#"{"upstream_url":"http://a","listen_address":"localhost"}"#,
                "listen_address",
            ),
            (
                r#"{"upstream_url":"http://a","max_body_size":0}"#,
                "max_body_size",
            ),
            (
                r#"{"upstream_url":"http://a","log_level":"loud"}"#,
                "log_level",
            ),
        ] {
            let err = json(text, &[]).unwrap_err();
            assert!(err.to_string().contains(key), "{text}: {err}");
        }
    }

    #[test]
    fn syntax_errors_are_typed() {
        assert!(matches!(
            json("{", &[]).unwrap_err(),
            ConfigError::Syntax { format: "JSON", .. }
        ));
        assert!(matches!(
            json("[1]", &[]).unwrap_err(),
            ConfigError::Schema { .. }
        ));
    }

    #[test]
    fn load_reads_files_and_detects_format() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("edge.yaml");
        std::fs::write(&p, "upstream_url: http://127.0.0.1:7\n").unwrap();
        let cfg = Config::load_with_env(&p, env(&[])).unwrap();
        assert_eq!(cfg.upstream_url, "http://127.0.0.1:7");
        let missing = Config::load_with_env(dir.path().join("none.json"), env(&[])).unwrap_err();
        assert!(matches!(missing, ConfigError::Io { .. }));
    }
}
