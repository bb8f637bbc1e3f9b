//! Reading a configuration: file format, environment overrides, `${VAR}`
//! substitution, schema check and validation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

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

/// Top-level keys an `EDGE_*` variable may override: every field of
/// [`Config`], read from the schema itself so that a new key is overridable
/// without being listed anywhere. Other `EDGE_*` variables (for example
/// `EDGE_BIN` used by tests, or unrelated ones) are not configuration.
fn top_level_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<&'static [&'static str]> = OnceLock::new();
    KEYS.get_or_init(struct_fields::<Config>)
}

/// The field names that `#[derive(Deserialize)]` hands to
/// `deserialize_struct` for `T` (empty when `T` is not a plain struct).
fn struct_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(FieldProbe(&mut fields));
    fields.unwrap_or(&[])
}

/// A deserializer that only records the field list of the struct asked for.
struct FieldProbe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> serde::Deserializer<'de> for FieldProbe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(serde::de::Error::custom("field probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The configuration with every default applied, as a JSON tree: tells an
/// override which type a key holds (`EDGE_X=true` for a boolean key is a
/// boolean, `EDGE_X=5` for a numeric key a number).
fn defaults_document() -> &'static Value {
    static DEFAULTS: OnceLock<Value> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        // `upstream_url` is the only key without a default.
        serde_json::from_value::<Config>(serde_json::json!({"upstream_url": "http://127.0.0.1"}))
            .ok()
            .and_then(|c| serde_json::to_value(c).ok())
            .unwrap_or(Value::Null)
    })
}

/// Suffix of `EDGE_<KEY>_FILE`: the value is read from the named file
/// (Docker and Kubernetes secrets are mounted as files).
const FILE_SUFFIX: &str = "_file";

/// Prefix of `${file:PATH}` substitutions.
const FILE_REFERENCE: &str = "file:";

const ENV_PREFIX: &str = "EDGE_";

impl Config {
    /// Loads `path` with overrides and substitutions from the process
    /// environment.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        Config::load_with_env(path, process_env())
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
        Config::diagnose_str_with_env(text, format, env).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Loads `path` like [`Config::load`], but on failure reports every
    /// problem found rather than the first: each unknown key, value of the
    /// wrong type and missing required key (up to [`MAX_REPORTED_ERRORS`];
    /// after each one the offending key, or the list entry missing a key,
    /// is left out and the rest read again); the first is the
    /// error [`Config::load`] returns. Values that parse but are not
    /// acceptable ([`Config::problems`]) are all reported too, once every
    /// key has the right type (validation needs a complete configuration).
    /// Never empty on `Err`.
    pub fn diagnose(path: impl AsRef<Path>) -> Result<Config, Vec<ConfigError>> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| {
            vec![ConfigError::Io {
                path: path.to_owned(),
                source,
            }]
        })?;
        Config::diagnose_str_with_env(&text, Format::detect(path, &text), process_env())
    }

    /// [`Config::diagnose`] for configuration text with the given
    /// environment.
    pub fn diagnose_str_with_env(
        text: &str,
        format: Format,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, Vec<ConfigError>> {
        let env: BTreeMap<String, String> = env.into_iter().collect();
        let mut doc = parse_document(text, format).map_err(|e| vec![e])?;
        let overridden = apply_env_overrides(&mut doc, &env).map_err(|e| vec![e])?;
        substitute(&mut doc, &env, &mut String::new()).map_err(|e| vec![e])?;
        // A bad value that came from an `EDGE_*` variable names the variable.
        let blame_env = |error: ConfigError| match error {
            ConfigError::Schema { key, message } | ConfigError::Invalid { key, message } => {
                match overridden.iter().find(|(path, _)| {
                    key.strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                }) {
                    Some((_, var)) => ConfigError::EnvOverride {
                        var: var.clone(),
                        message: format!("`{key}`: {message}"),
                    },
                    None => ConfigError::Schema { key, message },
                }
            }
            other => other,
        };
        let config = deserialize_all(doc)
            .map_err(|errors| errors.into_iter().map(&blame_env).collect::<Vec<_>>())?;
        let problems: Vec<ConfigError> = config
            .problems()
            .into_iter()
            .take(MAX_REPORTED_ERRORS)
            .map(|e| match e {
                // Keep the variant of validation errors from the file.
                ConfigError::Invalid { key, message } => match blame_env(ConfigError::Invalid {
                    key: key.clone(),
                    message: message.clone(),
                }) {
                    ConfigError::Schema { .. } => ConfigError::Invalid { key, message },
                    blamed => blamed,
                },
                other => other,
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(config)
    }
}

/// The process environment's variables that are valid Unicode.
fn process_env() -> impl Iterator<Item = (String, String)> {
    std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
}

/// How many schema problems [`Config::diagnose`] reports at most.
pub const MAX_REPORTED_ERRORS: usize = 20;

/// Deserializes `doc`; on failure, every schema problem (up to
/// [`MAX_REPORTED_ERRORS`]): after each one the offending key is taken out
/// of the document and the rest is read again. A map that misses a
/// required key is reported and taken out as a whole (unless it is the
/// document), except when the key was taken out for its bad value, which
/// was reported already. Keys are reported as written in the file: a list
/// entry keeps its index after an entry before it was taken out.
fn deserialize_all(doc: Value) -> Result<Config, Vec<ConfigError>> {
    let first = match serde_path_to_error::deserialize::<_, Config>(&doc) {
        Ok(config) => return Ok(config),
        Err(e) => e,
    };
    let mut doc = doc;
    let mut errors = Vec::new();
    // What was taken out, as paths of the original document.
    let mut removed: Vec<Vec<Seg>> = Vec::new();
    let mut next = Some(first);
    while let Some(e) = next.take() {
        let message = with_suggestion(e.inner().to_string());
        let Some(current) = segments_of(e.path()) else {
            errors.push(ConfigError::Schema {
                key: e.path().to_string(),
                message,
            });
            break;
        };
        let original = to_original(&current, &removed);
        let key = render_path(&original);
        let (mut target, mut target_original) = (current.clone(), original.clone());
        if let Some(field) = quoted_after(&message, "missing field `") {
            let mut missing = original.clone();
            missing.push(Seg::Key(field.to_owned()));
            if !removed.contains(&missing) {
                errors.push(ConfigError::Schema { key, message });
            }
        } else {
            // Inside an internally tagged enum the path stops at the
            // entry: the unknown key is named only by the message.
            if let Some(unknown) = quoted_after(&message, "unknown field `") {
                let leaf = Seg::Key(unknown.to_owned());
                if current.last() != Some(&leaf) {
                    target.push(leaf.clone());
                    target_original.push(leaf);
                }
            }
            errors.push(ConfigError::Schema { key, message });
        }
        if errors.len() >= MAX_REPORTED_ERRORS || !remove_at(&mut doc, &target) {
            break;
        }
        removed.push(target_original);
        next = serde_path_to_error::deserialize::<_, Config>(&doc).err();
    }
    Err(errors)
}

/// One step of a key path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The steps of a path `serde_path_to_error` recorded; `None` when one is
/// unknown.
fn segments_of(path: &serde_path_to_error::Path) -> Option<Vec<Seg>> {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// `a.b[2].c` (`.` for the document itself), as `serde_path_to_error`
/// writes paths.
fn render_path(path: &[Seg]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for segment in path {
        match segment {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// `current` (a path in the document after the entries in `removed` were
/// taken out) as a path in the original document: each list index counts
/// the entries of that list taken out before it.
fn to_original(current: &[Seg], removed: &[Vec<Seg>]) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::with_capacity(current.len());
    for segment in current {
        let Seg::Index(index) = segment else {
            out.push(segment.clone());
            continue;
        };
        let mut taken: Vec<usize> = removed
            .iter()
            .filter_map(|path| match path.split_last() {
                Some((Seg::Index(i), list)) if list == out.as_slice() => Some(*i),
                _ => None,
            })
            .collect();
        taken.sort_unstable();
        let mut original = *index;
        for i in taken {
            if i <= original {
                original += 1;
            }
        }
        out.push(Seg::Index(original));
    }
    out
}

/// The name in backquotes right after `prefix` at the start of `message`.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// Takes the node at `path` out of `doc` (keeping the order of what
/// remains); false when there is none, or it is the document itself.
fn remove_at(doc: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = doc;
    for segment in parents {
        node = match (node, segment) {
            (Value::Array(items), Seg::Index(i)) => match items.get_mut(*i) {
                Some(child) => child,
                None => return false,
            },
            (Value::Object(map), Seg::Key(key)) => match map.get_mut(key) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match (node, last) {
        (Value::Array(items), Seg::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        (Value::Object(map), Seg::Key(key)) => map.shift_remove(key).is_some(),
        _ => false,
    }
}

/// `message` with `(did you mean `x`?)` added when it is serde's
/// "unknown field/variant `a`, expected ..." and one of the expected names
/// is close to `a`.
fn with_suggestion(message: String) -> String {
    if !(message.starts_with("unknown field `") || message.starts_with("unknown variant `")) {
        return message;
    }
    let mut quoted = message.split('`').skip(1).step_by(2);
    let Some(unknown) = quoted.next() else {
        return message;
    };
    let allowed = unknown.len().div_ceil(3).clamp(1, 3);
    match closest_name(unknown, quoted, allowed) {
        Some(known) => format!("{message} (did you mean `{known}`?)"),
        None => message,
    }
}

fn parse_document(text: &str, format: Format) -> Result<Value, ConfigError> {
    let value = match format {
        Format::Json => {
            serde_json::from_str::<UniqueKeys>(text)
                .map_err(|e| ConfigError::Syntax {
                    format: "JSON",
                    message: e.to_string(),
                })?
                .0
        }
        Format::Yaml => {
            if text.trim().is_empty() {
                Value::Object(Map::new())
            } else {
                serde_yaml::from_str::<UniqueKeys>(text)
                    .map_err(|e| ConfigError::Syntax {
                        format: "YAML",
                        message: e.to_string(),
                    })?
                    .0
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

/// A JSON value read from JSON or YAML text in which no map has the same
/// key twice: a key given twice (a merge left-over, a pasted block) is a
/// syntax error naming the key (JSON also gives its place) rather than
/// silently the last value.
struct UniqueKeys(Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a configuration value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` is given twice in the same map"
                )));
            }
            let UniqueKeys(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Applies the `EDGE_*` overrides; returns the dotted key each one set and
/// its variable.
fn apply_env_overrides(
    doc: &mut Value,
    env: &BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut applied = Vec::new();
    for (var, raw) in env {
        let Some((path, from_file)) = override_path(var) else {
            continue;
        };
        if path.iter().any(String::is_empty) {
            return Err(ConfigError::EnvOverride {
                var: var.clone(),
                message: "empty key segment".to_owned(),
            });
        }
        let raw = if from_file {
            read_secret_file(raw).map_err(|message| ConfigError::EnvOverride {
                var: var.clone(),
                message,
            })?
        } else {
            raw.clone()
        };
        let value = env_value(&raw, lookup(defaults_document(), &path)).map_err(|message| {
            ConfigError::EnvOverride {
                var: var.clone(),
                message,
            }
        })?;
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
        applied.push((path.join("."), var.clone()));
    }
    Ok(applied)
}

/// The key path an `EDGE_*` variable overrides (lowercase segments), and
/// whether it names a file holding the value (`EDGE_<KEY>_FILE`, unless
/// `<key>_file` is itself a key); `None` for a variable that overrides no
/// top-level key.
fn override_path(var: &str) -> Option<(Vec<String>, bool)> {
    let keys = top_level_keys();
    let rest = var.strip_prefix(ENV_PREFIX)?;
    let mut path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
    if keys.contains(&path[0].as_str()) {
        return Some((path, false));
    }
    let last = path.last_mut().expect("split yields one segment");
    let stripped = last.strip_suffix(FILE_SUFFIX)?;
    if stripped.is_empty() {
        return None;
    }
    *last = stripped.to_owned();
    keys.contains(&path[0].as_str()).then_some((path, true))
}

/// `EDGE_*` variables that Edge's binaries, build and test scripts read
/// besides the configuration overrides; they are not reported by
/// [`unknown_env_vars`].
pub const OTHER_EDGE_VARS: &[&str] = &[
    // Read by the proxy at run time.
    "EDGE_RELEASE_FILE_PAGES",
    // Build settings (build scripts, Dockerfile).
    "EDGE_BUILD_COMMIT",
    "EDGE_BUILD_PROFILE",
    "EDGE_BUILD_RUSTC",
    "EDGE_BUILD_TARGET",
    "EDGE_ICF",
    "EDGE_LINK_PROBE_RUSTC",
    "EDGE_PIE",
    "EDGE_RELR",
    "EDGE_STARTUP_ORDER",
    "EDGE_STATIC_LIBSTDCXX",
    // Test and benchmark scripts.
    "EDGE_BENCH_BODY",
    "EDGE_BENCH_HEADERS",
    "EDGE_BIN",
    "EDGE_DATADOG_BIN",
    "EDGE_PYTHON",
    "EDGE_SHARED",
    "EDGE_SKIP_FUZZ",
    "EDGE_VENV",
];

/// An `EDGE_*` environment variable that configures nothing: most likely
/// a misspelled override, which would otherwise be ignored silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnvVar {
    /// The variable's name. Its value is never looked at: it may be a
    /// secret.
    pub name: String,
    /// The known variable it most likely meant, if one is close.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownEnvVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{name} is not a configuration override, and this configuration does not refer to it as ${{{name}}}",
            name = self.name
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean {s}?)")?;
        }
        f.write_str("; it is ignored")
    }
}

/// The variables among `names` (names only, never values) that start
/// with `EDGE_` but override no configuration key (`EDGE_<KEY>`,
/// `EDGE_<KEY>_FILE`), are not referred to as `${NAME}` in the
/// configuration text `config_text`, are not one of [`OTHER_EDGE_VARS`],
/// and are not Kubernetes service links (`EDGE_GATEWAY_SERVICE_HOST` and
/// the like, for a Service named `edge-gateway`); sorted by name. An
/// override of a known key with a misspelled nested key is not listed:
/// loading refuses it already.
pub fn unknown_env_vars<'a>(
    config_text: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<UnknownEnvVar> {
    let referenced = references(config_text);
    let names: Vec<&str> = names.into_iter().collect();
    let mut unknown: Vec<UnknownEnvVar> = names
        .iter()
        .copied()
        .filter(|name| name.starts_with(ENV_PREFIX))
        .filter(|name| override_path(name).is_none())
        .filter(|name| !OTHER_EDGE_VARS.contains(name) && !referenced.contains(name))
        .filter(|name| !is_service_link(name, &names))
        .map(|name| UnknownEnvVar {
            name: name.to_owned(),
            suggestion: likely_meant(name),
        })
        .collect();
    unknown.sort_by(|a, b| a.name.cmp(&b.name));
    unknown.dedup();
    unknown
}

/// [`unknown_env_vars`] of the process environment for the configuration
/// file `path` (an unreadable file refers to no variable).
pub fn unknown_process_env_vars(path: &Path) -> Vec<UnknownEnvVar> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let names: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .collect();
    unknown_env_vars(&text, names.iter().map(String::as_str))
}

/// Whether `name` is one of the variables Kubernetes gives a pod for each
/// Service of its namespace (`<SVC>_SERVICE_HOST`, `<SVC>_SERVICE_PORT`,
/// `<SVC>_SERVICE_PORT_<NAME>`, `<SVC>_PORT`, `<SVC>_PORT_<N>_<PROTO>` and
/// its `_PROTO`, `_PORT`, `_ADDR`): a Service named `edge-gateway` gives
/// `EDGE_GATEWAY_*` ones. Only when `<SVC>_SERVICE_HOST` is among `names`,
/// as Kubernetes always sets it.
fn is_service_link(name: &str, names: &[&str]) -> bool {
    let port_address = |rest: &str| {
        let mut parts = rest.split('_');
        let number = parts.next().unwrap_or_default();
        let protocol = parts.next().unwrap_or_default();
        let field = parts.next();
        !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && matches!(protocol, "TCP" | "UDP" | "SCTP")
            && matches!(field, None | Some("PROTO" | "PORT" | "ADDR"))
            && parts.next().is_none()
    };
    names
        .iter()
        .filter_map(|n| n.strip_suffix("_SERVICE_HOST"))
        .filter_map(|service| name.strip_prefix(service))
        .any(|rest| match rest {
            "_SERVICE_HOST" | "_SERVICE_PORT" | "_PORT" => true,
            _ => {
                if let Some(port_name) = rest.strip_prefix("_SERVICE_PORT_") {
                    !port_name.is_empty()
                } else {
                    rest.strip_prefix("_PORT_").is_some_and(port_address)
                }
            }
        })
}

/// The names `${NAME}` refers to anywhere in `text`.
fn references(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    names
}

/// Every variable Edge knows: an override per key and nested key (as far as
/// the defaults have them), with and without `_FILE`, and
/// [`OTHER_EDGE_VARS`].
fn known_vars() -> &'static [String] {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut known = Vec::new();
        for key in top_level_keys() {
            let var = format!("{ENV_PREFIX}{}", key.to_ascii_uppercase());
            if let Some(Value::Object(nested)) = defaults_document().get(*key) {
                for sub in nested.keys() {
                    known.push(format!("{var}__{}", sub.to_ascii_uppercase()));
                }
            }
            known.push(var);
        }
        let files: Vec<String> = known
            .iter()
            .map(|v| format!("{v}{}", FILE_SUFFIX.to_ascii_uppercase()))
            .collect();
        known.extend(files);
        known.extend(OTHER_EDGE_VARS.iter().map(|v| (*v).to_owned()));
        known
    })
}

/// The known variable `name` most likely meant (see [`closest_name`]).
fn likely_meant(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    let tail = upper.len().saturating_sub(ENV_PREFIX.len());
    let allowed = tail.div_ceil(3).clamp(1, 3);
    closest_name(&upper, known_vars().iter().map(String::as_str), allowed).map(str::to_owned)
}

/// The name among `known` that `name` most likely meant: the closest by
/// edit distance when at most `allowed` edits away (the shorter one on a
/// tie), else the shortest one that extends it by a `_` segment
/// (`EDGE_UPSTREAM` for `EDGE_UPSTREAM_URL`, `poll_interval` for
/// `poll_interval_secs`).
fn closest_name<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
    allowed: usize,
) -> Option<&'a str> {
    let known: Vec<&str> = known.into_iter().collect();
    let closest = known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, k)| (*d, k.len()))
        .map(|(_, k)| k);
    closest.or_else(|| {
        let prefix = format!("{name}_");
        known
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .min_by_key(|k| k.len())
            .copied()
    })
}

/// Levenshtein distance over bytes (variable names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The default at `path`, if the defaults have one.
fn lookup<'a>(defaults: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(defaults, |node, key| node.get(key))
}

/// Turns an override's text into a value: JSON for arrays and objects, a
/// boolean or number when the key's default is one, otherwise a string
/// (numeric keys also accept numeric strings, and a value of the wrong type
/// is reported by the schema check with the key's name).
fn env_value(raw: &str, default: Option<&Value>) -> Result<Value, String> {
    let trimmed = raw.trim();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return serde_json::from_str(raw)
            .map_err(|e| format!("value looks like JSON but does not parse: {e}"));
    }
    let typed = match default {
        Some(Value::Bool(_)) => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Some(Value::Bool(false)),
            _ => None,
        },
        Some(Value::Number(_)) => serde_json::from_str::<serde_json::Number>(trimmed)
            .ok()
            .map(Value::Number),
        _ => None,
    };
    Ok(typed.unwrap_or_else(|| Value::String(raw.to_owned())))
}

/// Reads a secret from a file; one trailing newline is dropped (files
/// written by `echo` or editors end with one).
fn read_secret_file(path: &str) -> Result<String, String> {
    let mut text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read secret file {path}: {e}"))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// Replaces `${VAR}` (an environment variable) and `${file:PATH}` (the
/// contents of a file, one trailing newline dropped) in every string value.
/// `key` tracks the dotted path for error messages.
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
        if let Some(path) = name.strip_prefix(FILE_REFERENCE) {
            let secret = read_secret_file(path).map_err(|message| ConfigError::Invalid {
                key: key.to_owned(),
                message,
            })?;
            out.push_str(&secret);
            rest = &after[end + 1..];
            continue;
        }
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
    fn upstream_urls_with_impossible_ports_are_refused_with_their_key() {
        for (doc, key) in [
            (
                r#"{"upstream_url":"http://127.0.0.1:99999"}"#,
                "upstream_url",
            ),
            (r#"{"upstream_url":"http://127.0.0.1:0"}"#, "upstream_url"),
            (r#"{"upstream_url":"http://h:abc/x"}"#, "upstream_url"),
            (
                r#"{"upstream_url":"http://a","logs_url":"https://u:p@h:70000"}"#,
                "logs_url",
            ),
        ] {
            let err = json(doc, &[]).unwrap_err().to_string();
            assert!(err.contains(key) && err.contains("port"), "{doc}: {err}");
        }
        for ok in [
            "http://h:8080",
            "http://h:",
            "https://u:p@h:443/x",
            "http://[::1]:9000",
            "http://[::1]",
        ] {
            let doc = format!(r#"{{"upstream_url":"{ok}"}}"#);
            assert!(json(&doc, &[]).is_ok(), "{ok}");
        }
    }

    #[test]
    fn otlp_verify_unfiltered_defaults_on_and_can_be_turned_off() {
        let cfg = json(r#"{"upstream_url":"http://a"}"#, &[]).unwrap();
        assert!(cfg.otlp.verify_unfiltered);
        let cfg = json(
            r#"{"upstream_url":"http://a","otlp":{"verify_unfiltered":false}}"#,
            &[],
        )
        .unwrap();
        assert!(!cfg.otlp.verify_unfiltered);
        let cfg = json(
            r#"{"upstream_url":"http://a"}"#,
            &[("EDGE_OTLP__VERIFY_UNFILTERED", "false")],
        )
        .unwrap();
        assert!(!cfg.otlp.verify_unfiltered);
        assert!(json(
            r#"{"upstream_url":"http://a","otlp":{"verify_unfiltered":"maybe"}}"#,
            &[],
        )
        .is_err());
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

    /// Kubernetes gives every pod the variables of each Service of its
    /// namespace ("service links"): deploy/kubernetes's `edge-gateway`
    /// Service gives `EDGE_GATEWAY_*` ones to Edge's own pods. They are no
    /// misspelled overrides.
    #[test]
    fn kubernetes_service_link_variables_are_not_reported() {
        let links = [
            "EDGE_GATEWAY_SERVICE_HOST",
            "EDGE_GATEWAY_SERVICE_PORT",
            "EDGE_GATEWAY_SERVICE_PORT_OTLP_HTTP",
            "EDGE_GATEWAY_PORT",
            "EDGE_GATEWAY_PORT_4318_TCP",
            "EDGE_GATEWAY_PORT_4318_TCP_PROTO",
            "EDGE_GATEWAY_PORT_4318_TCP_PORT",
            "EDGE_GATEWAY_PORT_4318_TCP_ADDR",
            "EDGE_SERVICE_HOST",
            "EDGE_PORT",
            "EDGE_PORT_8080_UDP",
        ];
        assert_eq!(unknown_env_vars("{}", links), []);
        // Without the Service's host variable they are no service links.
        let found: Vec<String> = unknown_env_vars(
            "{}",
            [
                "EDGE_GATEWAY_PORT",
                "EDGE_ADMIN_PORT",
                "EDGE_SERVICE_HOST_X",
            ],
        )
        .into_iter()
        .map(|u| u.name)
        .collect();
        assert_eq!(
            found,
            [
                "EDGE_ADMIN_PORT",
                "EDGE_GATEWAY_PORT",
                "EDGE_SERVICE_HOST_X"
            ]
        );
    }

    #[test]
    fn misspelled_edge_variables_are_listed_with_their_likely_spelling() {
        let text = "upstream_url: ${EDGE_UPSTREAM}\nlogs_url: ${EDGE_LOGS_UPSTREAM}\n";
        let names = [
            "EDGE_LISTEN_PROT",
            "EDGE_PROMETHEUS_TARGET_URL",
            "EDGE_UPSTREAM_URL_FIEL",
            "EDGE_LOG_LEVLE",
            "EDGE_UPSTREAM_URI",
            "EDGE_COMPLETELY_DIFFERENT_THING",
            // Known: overrides, files, references, tools' variables.
            "EDGE_LISTEN_PORT",
            "EDGE_PROMETHEUS__TARGET_URL",
            "EDGE_UPSTREAM_URL_FILE",
            "EDGE_UPSTREAM",
            "EDGE_LOGS_UPSTREAM",
            "EDGE_BIN",
            "EDGE_RELEASE_FILE_PAGES",
            // Not Edge's.
            "PATH",
            "RUST_LOG",
        ];
        let found: Vec<(String, Option<String>)> = unknown_env_vars(text, names)
            .into_iter()
            .map(|u| (u.name, u.suggestion))
            .collect();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            found,
            [
                ("EDGE_COMPLETELY_DIFFERENT_THING".to_owned(), None),
                ("EDGE_LISTEN_PROT".to_owned(), s("EDGE_LISTEN_PORT")),
                ("EDGE_LOG_LEVLE".to_owned(), s("EDGE_LOG_LEVEL")),
                (
                    "EDGE_PROMETHEUS_TARGET_URL".to_owned(),
                    s("EDGE_PROMETHEUS__TARGET_URL")
                ),
                ("EDGE_UPSTREAM_URI".to_owned(), s("EDGE_UPSTREAM_URL")),
                (
                    "EDGE_UPSTREAM_URL_FIEL".to_owned(),
                    s("EDGE_UPSTREAM_URL_FILE")
                ),
            ]
        );
        // Without the reference, `EDGE_UPSTREAM` is a likely misspelling.
        let found = unknown_env_vars("{}", ["EDGE_UPSTREAM"]);
        assert_eq!(found[0].suggestion.as_deref(), Some("EDGE_UPSTREAM_URL"));
        assert_eq!(
            found[0].to_string(),
            "EDGE_UPSTREAM is not a configuration override, and this configuration \
             does not refer to it as ${EDGE_UPSTREAM} (did you mean EDGE_UPSTREAM_URL?); \
             it is ignored"
        );
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

    /// Leaves of the defaults tree: scalars, empty maps and arrays.
    fn leaves(node: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
        match node {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    path.push(k.clone());
                    leaves(v, path, out);
                    path.pop();
                }
            }
            other => out.push((path.clone(), other.clone())),
        }
    }

    /// Candidate overrides for a key with this default: the text to put in
    /// the variable, the extra path segment (for maps) and the value
    /// expected in the loaded configuration.
    fn candidates(default: &Value) -> Vec<(String, Option<&'static str>, Value)> {
        match default {
            Value::Bool(b) => vec![((!b).to_string(), None, Value::Bool(!b))],
            Value::Number(n) => {
                let bumped = match (n.as_u64(), n.as_f64()) {
                    (Some(u), _) => serde_json::json!(u + 1),
                    (None, Some(f)) => serde_json::json!(f + 1.0),
                    _ => Value::Number(n.clone()),
                };
                vec![
                    (bumped.to_string(), None, bumped),
                    (n.to_string(), None, Value::Number(n.clone())),
                ]
            }
            Value::String(s) => vec![(s.clone(), None, Value::String(s.clone()))],
            Value::Array(_) => vec![("[]".to_owned(), None, serde_json::json!([]))],
            Value::Object(_) => vec![("x".to_owned(), Some("probe"), serde_json::json!("x"))],
            Value::Null => ["1", "http://127.0.0.1:9", "127.0.0.1:9", "true"]
                .into_iter()
                .map(|text| (text.to_owned(), None, Value::Null))
                .collect(),
        }
    }

    #[test]
    fn every_key_can_be_overridden_from_the_environment() {
        let defaults = defaults_document();
        let serialised: std::collections::BTreeSet<&str> = defaults
            .as_object()
            .expect("the defaults serialise to a map")
            .keys()
            .map(String::as_str)
            .collect();
        let probed: std::collections::BTreeSet<&str> = top_level_keys().iter().copied().collect();
        assert!(probed.contains("upstream_url") && probed.contains("listen_port"));
        assert_eq!(probed, serialised, "schema fields vs serialised defaults");

        let mut all = Vec::new();
        leaves(defaults, &mut Vec::new(), &mut all);
        assert!(all.len() >= serialised.len());
        for (mut path, default) in all {
            let mut accepted = false;
            let mut tried = Vec::new();
            for (text, extra, expected) in candidates(&default) {
                if let Some(extra) = extra {
                    path.push(extra.to_owned());
                }
                let var = format!("EDGE_{}", path.join("__").to_ascii_uppercase());
                let result = json(r#"{"upstream_url":"http://127.0.0.1:1"}"#, &[(&var, &text)]);
                if let Ok(cfg) = &result {
                    let loaded = serde_json::to_value(cfg).unwrap();
                    let got = lookup(&loaded, &path).cloned().unwrap_or(Value::Null);
                    if expected.is_null() {
                        assert!(!got.is_null(), "{var}={text} did not apply");
                    } else {
                        assert_eq!(got, expected, "{var}={text} did not apply");
                    }
                    accepted = true;
                }
                tried.push(format!("{var}={text}: {result:?}"));
                if extra.is_some() {
                    path.pop();
                }
                if accepted {
                    break;
                }
            }
            if !accepted && default.is_null() {
                // An optional section: give it as a JSON object, filling in
                // the fields the schema asks for one by one.
                let var = format!("EDGE_{}", path.join("__").to_ascii_uppercase());
                let mut object = serde_json::Map::new();
                for _ in 0..16 {
                    let text = Value::Object(object.clone()).to_string();
                    match json(r#"{"upstream_url":"http://127.0.0.1:1"}"#, &[(&var, &text)]) {
                        Ok(cfg) => {
                            let loaded = serde_json::to_value(&cfg).unwrap();
                            assert!(lookup(&loaded, &path).is_some_and(|v| !v.is_null()));
                            accepted = true;
                            break;
                        }
                        // Named after the variable: "`tls`: missing field `x`".
                        Err(ConfigError::EnvOverride { message, .. })
                            if message.contains(": missing field `") =>
                        {
                            let field = message.split('`').nth(3).unwrap().to_owned();
                            object.insert(field, Value::String("x".to_owned()));
                        }
                        Err(other) => {
                            tried.push(format!("{var}={text}: {other:?}"));
                            break;
                        }
                    }
                }
            }
            assert!(accepted, "no override accepted for {path:?}: {tried:#?}");
        }
    }

    #[test]
    fn typed_overrides_follow_the_default() {
        assert_eq!(
            env_value("42", Some(&serde_json::json!(1))).unwrap(),
            serde_json::json!(42)
        );
        assert_eq!(
            env_value("on", Some(&serde_json::json!(false))).unwrap(),
            serde_json::json!(true)
        );
        // A string key keeps digits as text.
        assert_eq!(
            env_value("1.0", Some(&serde_json::json!("x"))).unwrap(),
            serde_json::json!("1.0")
        );
        // Not a number for a numeric key: passed on as text so the schema
        // check names the key.
        assert_eq!(
            env_value("lots", Some(&serde_json::json!(1))).unwrap(),
            serde_json::json!("lots")
        );
    }

    #[test]
    fn secrets_come_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("upstream");
        std::fs::write(&url, "http://127.0.0.1:7/intake\n").unwrap();
        let key = dir.path().join("api-key");
        std::fs::write(&key, "s3cret\n").unwrap();
        let text = format!(
            r#"{{"upstream_url":"http://a","policy_providers":[
                {{"id":"h","type":"http","url":"http://127.0.0.1:9/sync","headers":{{"x-api-key":"${{file:{}}}"}}}}]}}"#,
            key.display()
        );
        let cfg = json(&text, &[("EDGE_UPSTREAM_URL_FILE", url.to_str().unwrap())]).unwrap();
        assert_eq!(cfg.upstream_url, "http://127.0.0.1:7/intake");
        let PolicyProviderConfig::Http(h) = &cfg.policy_providers[0] else {
            panic!("expected http provider");
        };
        assert_eq!(h.headers["x-api-key"], "s3cret");

        let missing = dir.path().join("missing");
        let err = json(
            r#"{"upstream_url":"http://a"}"#,
            &[("EDGE_LOGS_URL_FILE", missing.to_str().unwrap())],
        )
        .unwrap_err();
        assert!(
            matches!(&err, ConfigError::EnvOverride { var, .. } if var == "EDGE_LOGS_URL_FILE"),
            "{err}"
        );
        let err = json(
            &format!(r#"{{"upstream_url":"${{file:{}}}"}}"#, missing.display()),
            &[],
        )
        .unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { key, .. } if key == "upstream_url"),
            "{err}"
        );
        // Not a key: ignored like any other unrelated variable.
        assert!(json(
            r#"{"upstream_url":"http://a"}"#,
            &[("EDGE_BIN_FILE", "/nope")]
        )
        .is_ok());
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
    fn numbers_out_of_range_say_the_range_and_the_variable() {
        for (value, want) in [
            ("-1", "-1 is out of range (0 to 65535)"),
            ("70000", "70000 is out of range (0 to 65535)"),
            ("1.5", "1.5 is not a whole number from 0 to 65535"),
            ("\"lots\"", "`lots` is not a whole number from 0 to 65535"),
            ("true", "expected a whole number from 0 to 65535"),
        ] {
            let text = format!(r#"{{"upstream_url":"http://a","listen_port":{value}}}"#);
            let err = json(&text, &[]).unwrap_err();
            assert!(
                matches!(&err, ConfigError::Schema { key, .. } if key == "listen_port"),
                "{value}: {err:?}"
            );
            assert!(err.to_string().contains(want), "{value}: {err}");
        }
        // Whole numbers written as floats or strings are fine.
        let cfg = json(
            r#"{"upstream_url":"http://a","listen_port":"9000","max_body_size":1048576.0}"#,
            &[],
        )
        .unwrap();
        assert_eq!((cfg.listen_port, cfg.max_body_size), (9000, 1 << 20));

        // From the environment: the variable is named.
        for (var, value, want) in [
            ("EDGE_LISTEN_PORT", "70000", "70000 is out of range"),
            ("EDGE_LISTEN_PORT", "lots", "`lots` is not a whole number"),
            ("EDGE_UPSTREAM_URL", "ftp://a", "upstream_url"),
            ("EDGE_OTLP__LOGS_URL", "nope", "otlp.logs_url"),
        ] {
            let err = json(r#"{"upstream_url":"http://a"}"#, &[(var, value)]).unwrap_err();
            match &err {
                ConfigError::EnvOverride {
                    var: named,
                    message,
                } => {
                    assert_eq!(named, var);
                    assert!(message.contains(want), "{var}={value}: {err}");
                }
                other => panic!("{var}={value}: {other:?}"),
            }
        }
        // The same mistakes in the file still point at the key.
        let err = json(r#"{"upstream_url":"ftp://a"}"#, &[]).unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{err:?}");
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
    fn a_key_given_twice_is_refused_with_its_place() {
        let none = std::iter::empty::<(String, String)>;
        let yaml = "upstream_url: http://127.0.0.1:1\nlisten_port: 8080\nupstream_url: http://127.0.0.1:2\n";
        let error = Config::from_str_with_env(yaml, Format::Yaml, none()).unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, ConfigError::Syntax { .. }), "{text}");
        assert!(text.contains("`upstream_url` is given twice"), "{text}");
        let nested = "upstream_url: http://127.0.0.1:1\npolicy_providers:\n  - type: file\n    id: a\n    path: p.yaml\n    id: b\n";
        let error = Config::from_str_with_env(nested, Format::Yaml, none()).unwrap_err();
        assert!(error.to_string().contains("`id` is given twice"), "{error}");
        let json = r#"{"upstream_url":"http://127.0.0.1:1","listen_port":1,"listen_port":2}"#;
        let error = Config::from_str_with_env(json, Format::Json, none()).unwrap_err();
        assert!(
            error.to_string().contains("`listen_port` is given twice"),
            "{error}"
        );
        // The same key in different maps is fine.
        let ok = "upstream_url: http://127.0.0.1:1\nprometheus:\n  path: /m\notlp:\n  logs_url: http://127.0.0.1:3\npolicy_providers:\n  - {type: file, id: a, path: a.yaml}\n  - {type: file, id: b, path: b.yaml}\n";
        Config::from_str_with_env(ok, Format::Yaml, none()).unwrap();
    }

    #[test]
    fn diagnose_reports_every_unacceptable_value() {
        let text = "\
upstream_url: http://127.0.0.1:1
max_body_size: 0
logs_url: http://h:0
max_header_bytes: 10
upstream_timeout_ms: 0
admin_listen_address: nothost
";
        let errors = Config::diagnose_str_with_env(
            text,
            Format::Yaml,
            [("EDGE_IDLE_TIMEOUT_MS".to_owned(), "0".to_owned())],
        )
        .unwrap_err();
        let keys: Vec<String> = errors
            .iter()
            .map(|e| match e {
                ConfigError::Invalid { key, .. } => key.clone(),
                ConfigError::EnvOverride { var, .. } => var.clone(),
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(
            keys,
            [
                "logs_url",
                "admin_listen_address",
                "max_body_size",
                "max_header_bytes",
                "upstream_timeout_ms",
                "EDGE_IDLE_TIMEOUT_MS",
            ]
        );
        // `load` still returns the first.
        let first =
            Config::from_str_with_env(text, Format::Yaml, std::iter::empty::<(String, String)>())
                .unwrap_err();
        assert!(matches!(first, ConfigError::Invalid { ref key, .. } if key == "logs_url"));
    }

    #[test]
    fn diagnose_reports_every_schema_problem_with_suggestions() {
        let text = "\
upstream_url: http://127.0.0.1:9
lisen_address: 0.0.0.0
listen_port: eighty
prometheus:
  pth: /metrics
  target_url: http://127.0.0.1:9100/metrics
policy_providers:
  - type: fil
    id: a
    path: p.yaml
  - type: http
    id: b
    url: http://127.0.0.1:9/sync
    poll_interval: 5
    headers:
      x-team: [1]
  - type: http
    id: c
service:
  resource_attributes:
    k8s.pod.name: [1]
    k8s.namespace: ok
  nme: x
completely_unrelated: 1
";
        let errors = Config::diagnose_str_with_env(
            text,
            Format::Yaml,
            std::iter::empty::<(String, String)>(),
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let has = |needle: &str| shown.iter().any(|e| e.contains(needle));
        assert!(
            has("`lisen_address`") && has("(did you mean `listen_address`?)"),
            "{shown:#?}"
        );
        assert!(has("invalid config at `listen_port`"), "{shown:#?}");
        assert!(has("`pth`") && has("(did you mean `path`?)"), "{shown:#?}");
        assert!(
            has("unknown variant `fil`") && has("(did you mean `file`?)"),
            "{shown:#?}"
        );
        // Reported where it is in the file, although the entry before it
        // was taken out.
        assert!(
            has("invalid config at `policy_providers[1]`: unknown field `poll_interval`")
                && has("(did you mean `poll_interval_secs`?)"),
            "{shown:#?}"
        );
        // Inside a provider entry the path stops at the entry.
        assert!(
            has("invalid config at `policy_providers[1]`: invalid type: sequence"),
            "{shown:#?}"
        );
        // A key with dots in it is taken out alone; what follows it is
        // still read.
        assert!(
            has("invalid config at `service.resource_attributes.k8s.pod.name`"),
            "{shown:#?}"
        );
        assert!(has("`nme`") && has("(did you mean `name`?)"), "{shown:#?}");
        // A list entry that misses a required key, after all that.
        assert!(
            has("invalid config at `policy_providers[2]`: missing field `url`"),
            "{shown:#?}"
        );
        assert!(has("`completely_unrelated`"), "{shown:#?}");
        assert!(!shown
            .iter()
            .any(|e| e.contains("completely_unrelated") && e.contains("did you mean")));
        // The entry whose `type` was wrong is not reported missing it.
        assert!(!has("missing field `type`"), "{shown:#?}");
        assert_eq!(errors.len(), 10, "{shown:#?}");
        // The first is what a plain load reports.
        let first =
            Config::from_str_with_env(text, Format::Yaml, std::iter::empty::<(String, String)>())
                .unwrap_err();
        assert_eq!(first.to_string(), shown[0]);

        // A required key with a bad value is reported once.
        let errors = Config::diagnose_str_with_env(
            "upstream_url: [1]\nlisten_prot: 1\n",
            Format::Yaml,
            std::iter::empty::<(String, String)>(),
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{shown:#?}");
        assert!(
            !shown.iter().any(|e| e.contains("missing field")),
            "{shown:#?}"
        );

        // A missing required key alone.
        let errors = Config::diagnose_str_with_env(
            "{}",
            Format::Json,
            std::iter::empty::<(String, String)>(),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0]
            .to_string()
            .contains("missing field `upstream_url`"));

        // Many problems stop at the limit.
        let many: String = (0..40).map(|i| format!("unknown_{i}: 1\n")).collect();
        let errors = Config::diagnose_str_with_env(
            &format!("upstream_url: http://127.0.0.1:9\n{many}"),
            Format::Yaml,
            std::iter::empty::<(String, String)>(),
        )
        .unwrap_err();
        assert_eq!(errors.len(), MAX_REPORTED_ERRORS);
    }

    #[test]
    fn paths_map_back_to_the_original_document() {
        let k = |s: &str| Seg::Key(s.to_owned());
        let removed = vec![
            vec![k("p"), Seg::Index(0)],
            vec![k("p"), Seg::Index(2)],
            vec![k("other"), Seg::Index(0)],
        ];
        // Entries 0 and 2 of `p` are gone: what is now 1 was 3.
        assert_eq!(
            to_original(&[k("p"), Seg::Index(1), k("x")], &removed),
            [k("p"), Seg::Index(3), k("x")]
        );
        assert_eq!(
            to_original(&[k("p"), Seg::Index(0)], &removed),
            [k("p"), Seg::Index(1)]
        );
        assert_eq!(render_path(&[k("p"), Seg::Index(3), k("x")]), "p[3].x");
        assert_eq!(render_path(&[]), ".");
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
