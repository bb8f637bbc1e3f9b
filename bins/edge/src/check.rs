//! `edge policy check` and `edge config check`: report every problem of
//! every file as `FILE[:LINE[:COLUMN]]: message` lines on stderr, so editors
//! and CI logs link straight to the spot.

use std::fmt::Write as _;
use std::path::Path;

use edge_policy::parse::{parse_document, FileError, Format};

/// One problem found in a file.
#[derive(Debug)]
pub struct Diagnostic {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    fn at(line: Option<usize>, column: Option<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line,
            column,
            message: message.into(),
        }
    }

    /// `FILE:LINE:COLUMN: message`, leaving out what is unknown.
    pub fn render(&self, file: &Path) -> String {
        let mut out = file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
            if let Some(column) = self.column {
                let _ = write!(out, ":{column}");
            }
        }
        let _ = write!(out, ": {}", self.message);
        out
    }
}

/// Outcome of checking one policy file.
#[derive(Debug)]
pub struct PolicyReport {
    /// Policy entries in the document.
    pub policies: usize,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// Keys the specification does not define (ignored by Edge, usually a
    /// typo); they do not fail the check.
    pub warnings: Vec<Diagnostic>,
}

/// Parses and compiles every policy of `text`; collects every parse error and
/// every compile error, each with the line of its policy when it can be found.
pub fn check_policies(text: &str, format: Format) -> PolicyReport {
    let parsed = match parse_document(text, format) {
        Ok(parsed) => parsed,
        Err(error) => {
            let (line, column) = match &error {
                FileError::Json(e) if e.line() > 0 => (Some(e.line()), Some(e.column())),
                FileError::Yaml(e) => match e.location() {
                    Some(l) => (Some(l.line()), Some(l.column())),
                    None => (None, None),
                },
                _ => (None, None),
            };
            return PolicyReport {
                policies: 0,
                diagnostics: vec![Diagnostic::at(line, column, error.to_string())],
                warnings: Vec::new(),
            };
        }
    };
    let mut diagnostics = Vec::new();
    for e in &parsed.errors {
        let line = e.id.as_deref().and_then(|id| find_id_line(text, id));
        let what = match &e.id {
            Some(id) => format!("policy[{}] `{id}`", e.index),
            None => format!("policy[{}]", e.index),
        };
        diagnostics.push(Diagnostic::at(line, None, format!("{what}: {}", e.message)));
    }
    let mut warnings = Vec::new();
    for k in &parsed.unknown_keys {
        // The key's first line at or after its policy's `id`.
        let start = k.id.as_deref().and_then(|id| find_id_line(text, id));
        let line = find_key_line_from(text, &k.key, start.unwrap_or(1));
        let what = match &k.id {
            Some(id) => format!("policy[{}] `{id}`", k.index),
            None => format!("policy[{}]", k.index),
        };
        let hint = match &k.did_you_mean {
            Some(known) => format!(" (did you mean `{known}`?)"),
            None => String::new(),
        };
        warnings.push(Diagnostic::at(
            line,
            None,
            format!(
                "warning: {what}: {}: unknown key `{}` is ignored{hint}",
                k.section, k.key
            ),
        ));
    }
    let policies = parsed.policies.len();
    let entries_with_parse_errors = parsed.errors.len();
    let ids: Vec<String> = parsed.policies.iter().map(|p| p.id.clone()).collect();
    let registry = edge_policy::Registry::new();
    registry.update_source_parsed("check", parsed);
    for status in registry.policy_statuses() {
        for e in &status.errors {
            // Parse errors are reported above, from the parser itself.
            if e.starts_with("parse error:") {
                continue;
            }
            let line = find_id_line(text, &status.id);
            let what = match ids.iter().position(|id| *id == status.id) {
                Some(index) => format!("policy[{index}] `{}`", status.id),
                None => format!("policy `{}`", status.id),
            };
            diagnostics.push(Diagnostic::at(line, None, format!("{what}: {e}")));
        }
    }
    diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
    warnings.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
    PolicyReport {
        policies: policies + entries_with_parse_errors,
        diagnostics,
        warnings,
    }
}

/// Checks a configuration file with the process environment; the error, if
/// any, carries the line of the offending key when it can be found.
pub fn check_config(file: &Path) -> Result<(), Diagnostic> {
    use edge_config::ConfigError;
    let error = match edge_config::Config::load(file) {
        Ok(config) => return check_runnable(file, &config),
        Err(error) => error,
    };
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let line = match &error {
        ConfigError::Syntax { message, .. } => line_column_in(message),
        ConfigError::Schema { key, message } => {
            // For an unknown key the message names it; otherwise the path
            // names the key whose value is wrong.
            let named = message
                .split('`')
                .nth(1)
                .filter(|_| message.starts_with("unknown field"));
            let last = named.unwrap_or_else(|| key_leaf(key));
            (find_key_line(&text, last), None)
        }
        ConfigError::Invalid { key, .. } | ConfigError::MissingEnvVar { key, .. } => {
            (find_key_line(&text, key_leaf(key)), None)
        }
        _ => (None, None),
    };
    Err(Diagnostic::at(line.0, line.1, error.to_string()))
}

/// What `edge run` checks beyond the file itself (certificate and key
/// files, `upstream_ca_file`, listen addresses, upstream URLs), with the
/// line of the key the message starts with.
fn check_runnable(file: &Path, config: &edge_config::Config) -> Result<(), Diagnostic> {
    let Err(error) = edge_proxy::validate(config, edge_proxy::Distribution::Full) else {
        return Ok(());
    };
    let message = error.to_string();
    let detail = match &error {
        edge_proxy::ProxyError::Setup(detail) => detail.as_str(),
        _ => "",
    };
    let key = detail
        .split([' ', ':'])
        .next()
        .filter(|k| {
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
        })
        .unwrap_or("");
    let text = std::fs::read_to_string(file).unwrap_or_default();
    Err(Diagnostic::at(
        find_key_line(&text, key_leaf(key)),
        None,
        message,
    ))
}

/// Problems of the policy files a valid configuration names: a file that
/// does not exist or cannot be read (relative paths are resolved from the
/// directory Edge starts in) and files with invalid policies. Warnings, not
/// errors: Edge starts without those policies (fail open) and loads the
/// file once it appears or is fixed.
pub fn policy_file_warnings(file: &Path) -> Vec<Diagnostic> {
    let Ok(config) = edge_config::Config::load(file) else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut found = Vec::new();
    for (i, provider) in config.policy_providers.iter().enumerate() {
        let edge_config::PolicyProviderConfig::File { path, .. } = provider else {
            continue;
        };
        let line = find_value_line(&text, path);
        let key = format!("policy_providers[{i}].path");
        let message = match std::fs::read_to_string(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "warning: `{key}`: {path} does not exist (relative paths are resolved from the \
                 directory Edge starts in); Edge would run without these policies until it appears"
            ),
            Err(e) => format!(
                "warning: `{key}`: cannot read {path}: {e}; Edge would run without these policies"
            ),
            Ok(policies) => {
                let report = check_policies(&policies, Format::from_path(Path::new(path)));
                match report.diagnostics.len() {
                    0 => continue,
                    n => format!(
                        "warning: `{key}`: {path} has {n} problem(s) (`edge policy check {path}` \
                         lists them); invalid policies are skipped"
                    ),
                }
            }
        };
        found.push(Diagnostic::at(line, None, message));
    }
    found
}

/// The first line holding `value` as a YAML/JSON value (`: value` or
/// `: "value"`).
fn find_value_line(text: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.split_once(':').is_some_and(|(_, v)| {
                v.trim().trim_end_matches(',').trim_matches(['"', '\'']) == value
            })
        })
        .map(|i| i + 1)
}

/// Header names whose values are credentials.
fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie"
    ) || [
        "api-key", "apikey", "api_key", "token", "secret", "password",
    ]
    .iter()
    .any(|s| name.contains(s))
}

/// Secrets written into a configuration file instead of coming from the
/// environment or a file (`${VAR}`, `${file:/path}`): credential headers of
/// policy providers and passwords in URLs. Warnings, not errors: the file
/// still works, but whoever can read it can read the secret.
pub fn literal_secrets(file: &Path) -> Vec<Diagnostic> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let Ok(doc) = serde_yaml::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let warn = |key: &str, leaf: &str, what: &str| {
        Diagnostic::at(
            find_key_line(&text, leaf),
            None,
            format!(
                "warning: `{key}` {what} written in the file; use ${{VAR}} or ${{file:/path}} \
                 (or an EDGE_<KEY>_FILE variable) so it stays out of the configuration"
            ),
        )
    };
    if let Some(providers) = doc.get("policy_providers").and_then(|p| p.as_array()) {
        for (i, provider) in providers.iter().enumerate() {
            let Some(headers) = provider.get("headers").and_then(|h| h.as_object()) else {
                continue;
            };
            for (name, value) in headers {
                if is_secret_header(name) && value.as_str().is_some_and(|v| !v.contains("${")) {
                    let key = format!("policy_providers[{i}].headers.{name}");
                    found.push(warn(&key, name, "holds a credential"));
                }
            }
        }
    }
    let mut urls = Vec::new();
    collect_urls(&doc, &mut String::new(), &mut urls);
    for (key, url) in urls {
        if url_has_password(&url) && !url.contains("${") {
            found.push(warn(&key, key_leaf(&key), "has a password in its URL"));
        }
    }
    found
}

/// Every string value that looks like an http(s) URL, with its dotted key.
fn collect_urls(node: &serde_json::Value, key: &mut String, out: &mut Vec<(String, String)>) {
    match node {
        serde_json::Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => {
            out.push((key.clone(), s.clone()));
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = key.len();
                key.push_str(&format!("[{i}]"));
                collect_urls(item, key, out);
                key.truncate(len);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let len = key.len();
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(k);
                collect_urls(item, key, out);
                key.truncate(len);
            }
        }
        _ => {}
    }
}

/// `scheme://user:password@host...`
fn url_has_password(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// The last segment of a dotted key path (`a.b[2].c` gives `c`).
fn key_leaf(key: &str) -> &str {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    leaf.split('[').next().unwrap_or(leaf)
}

/// `line X column Y` in a parser message.
fn line_column_in(message: &str) -> (Option<usize>, Option<usize>) {
    let number_after = |word: &str| {
        let start = message.find(word)? + word.len();
        let digits: String = message[start..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    (number_after("line "), number_after("column "))
}

/// The first line at or after line `from` (1-based) that sets `key`.
fn find_key_line_from(text: &str, key: &str, from: usize) -> Option<usize> {
    let skip = from.saturating_sub(1);
    let rest: String = text.lines().skip(skip).collect::<Vec<_>>().join("\n");
    find_key_line(&rest, key)
        .map(|line| line + skip)
        .or_else(|| find_key_line(text, key))
}

/// The first line that sets `key` (as `key:` or `"key":`).
fn find_key_line(text: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    text.lines()
        .position(|line| {
            let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
            let quoted = format!("\"{key}\"");
            [key, quoted.as_str()].iter().any(|k| {
                line.match_indices(k).any(|(i, _)| {
                    let before = line[..i].chars().next_back();
                    let rest = line[i + k.len()..].trim_start();
                    rest.starts_with(':')
                        && (i == line.len() - trimmed.len()
                            || matches!(before, Some(' ' | '{' | ',' | '\t')))
                })
            })
        })
        .map(|i| i + 1)
}

/// The first line that holds `id: <id>` (YAML, bare or quoted) or
/// `"id": "<id>"` (JSON).
fn find_id_line(text: &str, id: &str) -> Option<usize> {
    if id.is_empty() {
        return None;
    }
    text.lines()
        .position(|line| {
            line.match_indices("id").any(|(i, _)| {
                let before = line[..i].chars().next_back();
                if matches!(before, Some(c) if c.is_alphanumeric() || c == '_') {
                    return false;
                }
                let rest = line[i + 2..].trim_start_matches('"').trim_start();
                let Some(rest) = rest.strip_prefix(':') else {
                    return false;
                };
                let rest = rest.trim_start();
                let value = rest.trim_start_matches(['"', '\'']);
                value.starts_with(id)
                    && !value[id.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lines_are_found_in_yaml_and_json() {
        let yaml = "policies:\n  - id: a\n    name: x\n  - name: y\n    id: \"ab\"\n";
        assert_eq!(find_id_line(yaml, "a"), Some(2));
        assert_eq!(find_id_line(yaml, "ab"), Some(5));
        assert_eq!(find_id_line(yaml, "b"), None);
        let json = "{\"policies\": [\n {\"name\": \"x\", \"id\": \"p-1\"},\n {\"id\": \"p\"}]}";
        assert_eq!(find_id_line(json, "p"), Some(3));
        assert_eq!(find_id_line(json, "p-1"), Some(2));
    }

    #[test]
    fn key_lines_are_found() {
        let yaml = "upstream_url: http://a\nprometheus:\n  path: metrics\n";
        assert_eq!(find_key_line(yaml, "path"), Some(3));
        assert_eq!(find_key_line(yaml, "url"), None);
        let json = "{\n  \"upstream_url\": \"x\",\n  \"listen_port\": 1\n}";
        assert_eq!(find_key_line(json, "listen_port"), Some(3));
        assert_eq!(key_leaf("policy_providers[1].url"), "url");
        assert_eq!(key_leaf("policy_providers[1]"), "policy_providers");
    }

    #[test]
    fn secret_headers_and_url_passwords_are_recognised() {
        assert!(is_secret_header("Authorization"));
        assert!(is_secret_header("DD-API-KEY"));
        assert!(is_secret_header("x-auth-token"));
        assert!(!is_secret_header("content-type"));
        assert!(url_has_password("https://u:p@host/x"));
        assert!(!url_has_password("https://host/x?a=b@c"));
        assert!(!url_has_password("https://user@host/"));
    }

    #[test]
    fn parser_positions_are_read() {
        assert_eq!(
            line_column_in("expected `,` at line 4 column 17"),
            (Some(4), Some(17))
        );
        assert_eq!(line_column_in("no position"), (None, None));
    }
}
