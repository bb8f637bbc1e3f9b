//! Where a problem sits in a configuration text: the 1-based line of a key,
//! for messages in the `FILE:LINE: message` form. The text is searched, not
//! parsed again, so that a file that does not parse still gets lines.

use std::path::Path;

use crate::ConfigError;

/// `FILE[:LINE[:COLUMN]]: message` for `error`, which came from the
/// configuration `file` whose text is `text`; an error that is not about
/// the file's content (it cannot be read, an `EDGE_*` override is wrong) is
/// shown without the file.
pub fn render(file: &Path, text: &str, error: &ConfigError) -> String {
    if matches!(
        error,
        ConfigError::Io { .. } | ConfigError::EnvOverride { .. }
    ) {
        return error.to_string();
    }
    let (line, column) = error.position(text);
    format!("{}: {error}", place(file, line, column))
}

/// `FILE[:LINE[:COLUMN]]`, leaving out what is unknown (a column only
/// with a line).
pub fn place(file: &Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", file.display()),
        (Some(line), None) => format!("{}:{line}", file.display()),
        _ => file.display().to_string(),
    }
}

/// What a program prints when the configuration `file` does not load:
/// every problem (see [`Config::diagnose`](crate::Config::diagnose)), each
/// with its line, and a summary saying how many there are. `None` when it
/// loads.
pub fn startup_report(file: &Path) -> Option<(Vec<String>, String)> {
    let errors = crate::Config::diagnose(file).err()?;
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let lines = errors.iter().map(|e| render(file, &text, e)).collect();
    let summary = format!(
        "not started: {} configuration problem(s){}",
        errors.len(),
        if errors.len() >= crate::MAX_REPORTED_ERRORS {
            " (the first ones)"
        } else {
            ""
        }
    );
    Some((lines, summary))
}

/// The last segment of a dotted key path (`a.b[2].c` gives `c`).
pub fn key_leaf(key: &str) -> &str {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    leaf.split('[').next().unwrap_or(leaf)
}

/// `line X column Y` in a parser message.
pub fn line_column_in(message: &str) -> (Option<usize>, Option<usize>) {
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
pub fn key_line_from(text: &str, key: &str, from: usize) -> Option<usize> {
    let skip = from.saturating_sub(1);
    let rest: String = text.lines().skip(skip).collect::<Vec<_>>().join("\n");
    key_line(&rest, key)
        .map(|line| line + skip)
        .or_else(|| key_line(text, key))
}

/// The first line that sets `key` (as `key:` or `"key":`).
pub fn key_line(text: &str, key: &str) -> Option<usize> {
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

/// The line of a dotted key path (`prometheus.path`,
/// `policy_providers[1].url`): each segment is looked for from the line of
/// the one before it, so that a leaf name used in several sections is found
/// in the right one (as long as sections are written in order).
pub fn key_path_line(text: &str, key: &str) -> Option<usize> {
    let mut line = 1;
    let mut found = None;
    for segment in key.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        if name.is_empty() {
            continue;
        }
        match key_line_from(text, name, line) {
            Some(at) => {
                line = at;
                found = Some(at);
            }
            // Written out of order or not at all: the leaf anywhere.
            None => return key_line(text, key_leaf(key)),
        }
        // `name[i]`: from the line where its entry `i` starts.
        let index = segment
            .split_once('[')
            .and_then(|(_, rest)| rest.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(at) = index.and_then(|i| list_entry_line(text, line, i)) {
            line = at;
            found = Some(at);
        }
    }
    found
}

/// The line where entry `index` of the list whose key is on line `key_line`
/// starts: YAML `- ` items, or JSON objects written one `{` per line, at
/// the indentation of the first entry. `None` for other layouts.
fn list_entry_line(text: &str, key_line: usize, index: usize) -> Option<usize> {
    let mut indent = None;
    let mut seen = 0;
    for (n, line) in text.lines().enumerate().skip(key_line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let depth = line.len() - trimmed.len();
        let starts_entry = trimmed.starts_with("- ") || trimmed == "-" || trimmed.starts_with('{');
        match indent {
            None if starts_entry => indent = Some(depth),
            None => return None,
            Some(d) if depth < d => return None,
            Some(d) if depth > d => continue,
            // Something else at the entries' depth: the list ended.
            Some(_) if !starts_entry => return None,
            Some(_) => seen += 1,
        }
        if seen == index {
            return Some(n + 1);
        }
    }
    None
}

impl ConfigError {
    /// The line (and column, for syntax errors) of this error in `text`,
    /// the configuration it came from, when it can be found.
    pub fn position(&self, text: &str) -> (Option<usize>, Option<usize>) {
        match self {
            ConfigError::Syntax { message, .. } => line_column_in(message),
            ConfigError::Schema { key, message } => {
                // For an unknown key the message names it; otherwise the
                // path names the key whose value is wrong.
                let named = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.starts_with("unknown field"));
                let line = match named {
                    Some(name) if key_leaf(key) == name => key_path_line(text, key),
                    Some(name) => key_path_line(text, &format!("{key}.{name}")),
                    None => key_path_line(text, key),
                };
                (line, None)
            }
            ConfigError::Invalid { key, .. } | ConfigError::MissingEnvVar { key, .. } => {
                (key_path_line(text, key), None)
            }
            _ => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_in_their_section() {
        let yaml = "upstream_url: http://x\nservice:\n  path: a\nprometheus:\n  path: /m\n";
        assert_eq!(key_line(yaml, "path"), Some(3));
        assert_eq!(key_path_line(yaml, "prometheus.path"), Some(5));
        assert_eq!(key_path_line(yaml, "service.path"), Some(3));
        assert_eq!(key_path_line(yaml, "upstream_url"), Some(1));
        assert_eq!(key_path_line(yaml, "missing"), None);
        assert_eq!(key_line(yaml, "url"), None);
        assert_eq!(line_column_in("no position"), (None, None));
        let json = "{\n  \"policy_providers\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\",\n     \"url\": 1}\n  ]\n}\n";
        assert_eq!(key_path_line(json, "policy_providers[1].url"), Some(5));
        let yaml = "policy_providers:\n  - id: a\n    poll_interval: 1\n  - id: b\n    # note\n    poll_interval: 2\nprometheus:\n  path: /m\n";
        assert_eq!(
            key_path_line(yaml, "policy_providers[0].poll_interval"),
            Some(3)
        );
        assert_eq!(
            key_path_line(yaml, "policy_providers[1].poll_interval"),
            Some(6)
        );
        assert_eq!(key_path_line(yaml, "policy_providers[1]"), Some(4));
        // An entry that is not there: the list's own line.
        assert_eq!(key_path_line(yaml, "policy_providers[5]"), Some(1));
        // Entries at the key's own depth; the list ends at the next key.
        let flat = "policy_providers:\n- id: a\n- id: b\n  url: 1\nother: 2\n";
        assert_eq!(key_path_line(flat, "policy_providers[1].url"), Some(4));
        assert_eq!(key_path_line(flat, "policy_providers[2]"), Some(1));
        assert_eq!(key_leaf("policy_providers[1].url"), "url");
        assert_eq!(key_leaf("policy_providers[1]"), "policy_providers");
        assert_eq!(
            line_column_in("expected value at line 3 column 17"),
            (Some(3), Some(17))
        );
    }

    #[test]
    fn errors_point_at_their_key() {
        let yaml = "upstream_url: http://x\nprometheus:\n  pth: /m\nlisten_port: x\n";
        let unknown = ConfigError::Schema {
            key: "prometheus.pth".into(),
            message: "unknown field `pth`, expected `path`".into(),
        };
        assert_eq!(unknown.position(yaml), (Some(3), None));
        let in_entry = ConfigError::Schema {
            key: "prometheus".into(),
            message: "unknown field `pth`, expected `path`".into(),
        };
        assert_eq!(in_entry.position(yaml), (Some(3), None));
        let wrong = ConfigError::Schema {
            key: "listen_port".into(),
            message: "not a number".into(),
        };
        assert_eq!(wrong.position(yaml), (Some(4), None));
    }
}
