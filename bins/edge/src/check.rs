//! `edge policy check` and `edge config check`: report every problem of
//! every file as `FILE[:LINE[:COLUMN]]: message` lines on stderr, so editors
//! and CI logs link straight to the spot.

use std::path::Path;

use edge_config::locate::{
    key_leaf, key_line as find_key_line, key_line_from as find_key_line_from,
};
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
        format!(
            "{}: {}",
            edge_config::locate::place(file, self.line, self.column),
            self.message
        )
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
    // Every entry's id in document order (parsed or not), its start line,
    // and the document index of each parsed policy: errors point at the
    // entry they belong to even after entries that failed to parse and with
    // duplicate ids.
    let total = parsed.policies.len() + parsed.errors.len();
    let mut entry_ids: Vec<Option<String>> = vec![None; total];
    let failed: std::collections::HashSet<usize> = parsed.errors.iter().map(|e| e.index).collect();
    let doc_indexes: Vec<usize> = (0..total).filter(|i| !failed.contains(i)).collect();
    for (policy, &index) in parsed.policies.iter().zip(&doc_indexes) {
        entry_ids[index] = Some(policy.id.clone());
    }
    for e in &parsed.errors {
        if let Some(slot) = entry_ids.get_mut(e.index) {
            slot.clone_from(&e.id);
        }
    }
    let starts = entry_start_lines(text, format).filter(|s| s.len() == total);
    let entry_line = |index: usize| -> Option<usize> {
        match entry_ids.get(index).cloned().flatten() {
            Some(id) if !id.is_empty() => {
                let nth = entry_ids[..index]
                    .iter()
                    .filter(|other| other.as_deref() == Some(id.as_str()))
                    .count();
                let lines = find_id_lines(text, &id);
                lines
                    .get(nth)
                    .or(lines.first())
                    .copied()
                    .or_else(|| starts.as_ref().map(|s| s[index]))
            }
            _ => starts.as_ref().map(|s| s[index]),
        }
    };
    let mut diagnostics = Vec::new();
    for e in &parsed.errors {
        let line = entry_line(e.index);
        let what = match &e.id {
            Some(id) => format!("policy[{}] `{id}`", e.index),
            None => format!("policy[{}]", e.index),
        };
        diagnostics.push(Diagnostic::at(line, None, format!("{what}: {}", e.message)));
    }
    let mut warnings = Vec::new();
    for k in &parsed.unknown_keys {
        // The key's first line at or after its policy's start.
        let start = entry_line(k.index);
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
    let registry = edge_policy::Registry::new();
    registry.update_source_parsed("check", parsed);
    for status in registry.policy_statuses() {
        for e in &status.errors {
            // Parse errors are reported above, from the parser itself.
            if e.starts_with("parse error:") {
                continue;
            }
            // With duplicate ids the last occurrence is the one compiled.
            let index = (0..total)
                .rev()
                .find(|&i| entry_ids[i].as_deref() == Some(status.id.as_str()));
            let (line, what) = match index {
                Some(index) => (
                    entry_line(index),
                    format!("policy[{index}] `{}`", status.id),
                ),
                None => (
                    find_id_line(text, &status.id),
                    format!("policy `{}`", status.id),
                ),
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

/// Checks a configuration file with the process environment: every
/// problem found (each unknown key and wrong value, with its line when it
/// can be found), or what `edge run` would refuse beyond the file itself.
pub fn check_config(file: &Path) -> Result<(), Vec<Diagnostic>> {
    let errors = match edge_config::Config::diagnose(file) {
        Ok(config) => return check_runnable(file, &config).map_err(|d| vec![d]),
        Err(errors) => errors,
    };
    Err(config_diagnostics(file, &errors))
}

/// `errors` of the configuration `file` with their lines.
pub fn config_diagnostics(file: &Path, errors: &[edge_config::ConfigError]) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    errors
        .iter()
        .map(|error| {
            let (line, column) = error.position(&text);
            Diagnostic::at(line, column, error.to_string())
        })
        .collect()
}

/// Warnings about a configuration that loads (values that work but
/// defeat filtering), with the line of the key.
pub fn config_warnings(file: &Path) -> Vec<Diagnostic> {
    let Ok(config) = edge_config::Config::load(file) else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(file).unwrap_or_default();
    edge_proxy::budget_warning(&config)
        .map(|warning| {
            Diagnostic::at(
                find_key_line(&text, "max_inflight_bytes"),
                None,
                format!("warning: {warning}"),
            )
        })
        .into_iter()
        .collect()
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

/// The first line that holds `id: <id>` (YAML, bare or quoted) or
/// `"id": "<id>"` (JSON).
fn find_id_line(text: &str, id: &str) -> Option<usize> {
    find_id_lines(text, id).first().copied()
}

/// Every line that holds `id: <id>` (YAML, bare or quoted) or
/// `"id": "<id>"` (JSON), in order.
fn find_id_lines(text: &str, id: &str) -> Vec<usize> {
    if id.is_empty() {
        return Vec::new();
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
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
        .map(|(i, _)| i + 1)
        .collect()
}

/// The 1-based line where each policy entry of the document starts, in
/// document order; `None` when the layout is not recognised (the caller
/// then checks the count against the parsed entries anyway).
fn entry_start_lines(text: &str, format: Format) -> Option<Vec<usize>> {
    match format {
        Format::Json => json_entry_lines(text),
        Format::Yaml => Some(yaml_entry_lines(text)),
    }
}

/// Start lines of the entries of a JSON document: the elements of a
/// top-level array or of a top-level `policies` array, or the single
/// top-level object.
fn json_entry_lines(text: &str) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    let mut line = 1usize;
    // Depth of nesting and the depth at which entries sit (once known).
    let mut depth = 0usize;
    let mut entry_depth: Option<usize> = None;
    let mut expecting_entry = false;
    let mut in_string = false;
    let mut escaped = false;
    let mut string = String::new();
    let mut last_key_at_depth1: Option<String> = None;
    let mut top_is_object = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                if depth == 1 && top_is_object {
                    last_key_at_depth1 = Some(std::mem::take(&mut string));
                }
            } else {
                string.push(c);
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if expecting_entry && c != ']' {
            lines.push(line);
            expecting_entry = false;
        }
        match c {
            '"' => {
                in_string = true;
                string.clear();
            }
            '{' | '[' => {
                if depth == 0 {
                    top_is_object = c == '{';
                    if c == '[' {
                        entry_depth = Some(1);
                        expecting_entry = true;
                    } else {
                        lines.push(line);
                    }
                } else if depth == 1
                    && c == '['
                    && top_is_object
                    && last_key_at_depth1.as_deref() == Some("policies")
                {
                    lines.clear();
                    entry_depth = Some(2);
                    expecting_entry = true;
                }
                depth += 1;
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                expecting_entry = false;
            }
            ',' => {
                if Some(depth) == entry_depth {
                    expecting_entry = true;
                }
                if depth == 1 {
                    last_key_at_depth1 = None;
                }
            }
            _ => {}
        }
    }
    Some(lines)
}

/// Start lines of the entries of a (multi-document) YAML policy file: the
/// `- ` items of each document's top-level `policies:` list or top-level
/// sequence, or line 1 of a document that is a single policy.
fn yaml_entry_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    // Inside a list: the indentation of its items.
    let mut item_indent: Option<usize> = None;
    let mut in_policies = false;
    let mut doc_start: Option<usize> = None;
    let mut doc_has_list = false;
    let mut doc_is_single_policy = false;
    let finish_doc = |lines: &mut Vec<usize>, start: Option<usize>, list: bool, single: bool| {
        if let (Some(start), false, true) = (start, list, single) {
            lines.push(start);
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if raw.starts_with("---") {
            finish_doc(&mut lines, doc_start, doc_has_list, doc_is_single_policy);
            doc_start = None;
            doc_has_list = false;
            doc_is_single_policy = false;
            item_indent = None;
            in_policies = false;
            continue;
        }
        let indent = raw.len() - trimmed.len();
        if doc_start.is_none() {
            doc_start = Some(number);
            if indent == 0 && (trimmed.starts_with("- ") || trimmed == "-") {
                doc_has_list = true;
                item_indent = Some(0);
                lines.push(number);
                continue;
            }
        }
        if indent == 0 && !trimmed.starts_with('-') {
            in_policies = trimmed.starts_with("policies:");
            item_indent = None;
            if in_policies {
                doc_has_list = true;
            } else if !doc_has_list {
                doc_is_single_policy = true;
            }
            continue;
        }
        if !in_policies && item_indent != Some(0) {
            continue;
        }
        let is_item = trimmed.starts_with("- ") || trimmed == "-";
        match item_indent {
            None if is_item => {
                item_indent = Some(indent);
                lines.push(number);
            }
            Some(n) if is_item && indent == n => lines.push(number),
            _ => {}
        }
    }
    finish_doc(&mut lines, doc_start, doc_has_list, doc_is_single_policy);
    lines
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
    fn secret_headers_and_url_passwords_are_recognised() {
        assert!(is_secret_header("Authorization"));
        assert!(is_secret_header("DD-API-KEY"));
        assert!(is_secret_header("x-auth-token"));
        assert!(!is_secret_header("content-type"));
        assert!(url_has_password("https://u:p@host/x"));
        assert!(!url_has_password("https://host/x?a=b@c"));
        assert!(!url_has_password("https://user@host/"));
    }

    /// A policy's errors name its own index and line, also after an entry
    /// that failed to parse, for the second copy of a duplicate id, and for
    /// an entry without an id.
    #[test]
    fn errors_point_at_their_own_entry() {
        let yaml = "policies:\n\
                    - id: k1\n  log: {match: [{log_field: body, regex: a}], keep: none}\n\
                    - id: k2\n  log: {match: [{log_field: nope, regex: a}], keep: none}\n\
                    - id: k3\n  log: {match: [{log_field: body, regex: a}], keep: none}\n\
                    - name: no-id\n  log: {match: [{log_field: body, regex: a}], keep: none}\n\
                    - id: k5\n  log: {match: [{log_field: body, regex: \"([\"}], keep: none}\n\
                    - id: k3\n  log: {match: [{log_field: body, regex: \"(x\"}], keep: none}\n";
        let json = "{\"policies\": [\n\
                    {\"id\": \"k1\", \"log\": {\"match\": [{\"log_field\": \"body\", \"regex\": \"a\"}], \"keep\": \"none\"}},\n\
                    {\"id\": \"k2\", \"log\": {\"match\": [{\"log_field\": \"nope\", \"regex\": \"a\"}], \"keep\": \"none\"}},\n\
                    {\"id\": \"k3\", \"log\": {\"match\": [{\"log_field\": \"body\", \"regex\": \"a\"}], \"keep\": \"none\"}},\n\
                    {\"name\": \"no-id\", \"log\": {\"match\": [{\"log_field\": \"body\", \"regex\": \"a\"}], \"keep\": \"none\"}},\n\
                    {\"id\": \"k5\", \"log\": {\"match\": [{\"log_field\": \"body\", \"regex\": \"([\"}], \"keep\": \"none\"}},\n\
                    {\"id\": \"k3\", \"log\": {\"match\": [{\"log_field\": \"body\", \"regex\": \"(x\"}], \"keep\": \"none\"}}\n\
                    ]}\n";
        for (text, format, first) in [(yaml, Format::Yaml, 2), (json, Format::Json, 2)] {
            let step = if format == Format::Yaml { 2 } else { 1 };
            let line_of = |index: usize| Some(first + index * step);
            let report = check_policies(text, format);
            let found: Vec<(Option<usize>, String)> = report
                .diagnostics
                .iter()
                .map(|d| (d.line, d.message.clone()))
                .collect();
            let at = |prefix: &str| {
                found
                    .iter()
                    .filter(|(_, m)| m.starts_with(prefix))
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
            };
            assert_eq!(at("policy[1] `k2`"), vec![line_of(1)], "{found:?}");
            assert_eq!(at("policy[3]: missing id"), vec![line_of(3)], "{found:?}");
            assert_eq!(at("policy[4] `k5`"), vec![line_of(4)], "{found:?}");
            assert!(!at("policy[5] `k3`").is_empty(), "{found:?}");
            assert!(
                at("policy[5] `k3`").iter().all(|l| *l == line_of(5)),
                "{found:?}"
            );
            assert!(at("policy[2]").is_empty(), "{found:?}");
        }
    }

    #[test]
    fn entry_lines_are_found() {
        let yaml = "# c\npolicies:\n  - id: a\n    log:\n      match:\n        - x: 1\n  - id: b\n---\n- id: c\n- id: d\n---\nid: e\nlog: {}\n";
        assert_eq!(yaml_entry_lines(yaml), vec![3, 7, 9, 10, 12]);
        let json = "{\"x\": [1, 2],\n \"policies\": [\n  {\"id\": \"a,[\"},\n  {\"id\": \"b\", \"m\": [{}, {}]}\n]}";
        assert_eq!(json_entry_lines(json), Some(vec![3, 4]));
        assert_eq!(json_entry_lines("[{},\n{}]"), Some(vec![1, 2]));
        assert_eq!(json_entry_lines("\n{\"id\": \"a\"}"), Some(vec![2]));
    }
}
