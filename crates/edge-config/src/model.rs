//! The configuration schema and its defaults.

use std::collections::BTreeMap;
use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize};

use crate::ConfigError;

/// The proxy configuration (see EDGE_BEHAVIOUR section 7).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the proxy listens on.
    #[serde(default = "default_listen_address")]
    pub listen_address: String,
    /// Port the proxy listens on (0 picks a free port).
    #[serde(default = "default_listen_port", deserialize_with = "num")]
    pub listen_port: u16,
    /// Default upstream: passthrough traffic and every route without its own URL.
    pub upstream_url: String,
    /// Upstream for Datadog logs (`POST /api/v2/logs`); falls back to `upstream_url`.
    #[serde(default)]
    pub logs_url: Option<String>,
    /// Upstream for Datadog metrics; falls back to `upstream_url`.
    #[serde(default)]
    pub metrics_url: Option<String>,
    /// Upstreams for the OTLP/HTTP routes.
    #[serde(default)]
    pub otlp: OtlpConfig,
    /// Level of Edge's own logs.
    #[serde(default)]
    pub log_level: LogLevel,
    /// Largest request body accepted as received, in bytes.
    #[serde(default = "default_max_body_size", deserialize_with = "num")]
    pub max_body_size: usize,
    /// Largest request body after decompression, in bytes.
    #[serde(default = "default_max_decoded_bytes", deserialize_with = "num")]
    pub max_decoded_bytes: usize,
    /// Timeout for establishing an upstream connection.
    #[serde(default = "default_connect_timeout_ms", deserialize_with = "num")]
    pub upstream_connect_timeout_ms: u64,
    /// Timeout for a whole upstream exchange.
    #[serde(default = "default_upstream_timeout_ms", deserialize_with = "num")]
    pub upstream_timeout_ms: u64,
    /// Extra attempts after an upstream failure that certainly did not
    /// deliver the request (connection refused, connect timeout); `0` means
    /// no retries.
    #[serde(default, deserialize_with = "num")]
    pub upstream_retries: u32,
    /// Base delay before the first retry; doubles per attempt, with jitter.
    #[serde(
        default = "default_upstream_retry_backoff_ms",
        deserialize_with = "num"
    )]
    pub upstream_retry_backoff_ms: u64,
    /// Pooled upstream connections idle this long are closed. Keep it below
    /// the upstream's own keep-alive timeout, or a request sent on a
    /// connection the upstream is closing fails with `502`.
    #[serde(
        default = "default_upstream_pool_idle_timeout_ms",
        deserialize_with = "num"
    )]
    pub upstream_pool_idle_timeout_ms: u64,
    /// PEM file of extra CA certificates trusted for `https://` upstreams,
    /// besides the built-in Mozilla roots (private or internal CAs).
    #[serde(default)]
    pub upstream_ca_file: Option<String>,
    /// Also retry when the upstream answers `502`, `503` or `504` (waiting at
    /// least its `Retry-After`), within `upstream_timeout_ms`.
    #[serde(default, deserialize_with = "flag")]
    pub upstream_retry_on_gateway_errors: bool,
    /// Requests processed at the same time; further requests wait up to
    /// `overload_wait_ms`, then get `503` with `Retry-After`.
    #[serde(default = "default_max_concurrent_requests", deserialize_with = "num")]
    pub max_concurrent_requests: usize,
    /// How long in-flight requests may run after a shutdown signal.
    #[serde(default = "default_shutdown_grace_period_ms", deserialize_with = "num")]
    pub shutdown_grace_period_ms: u64,
    /// Time a client has to send the request head.
    #[serde(default = "default_header_read_timeout_ms", deserialize_with = "num")]
    pub header_read_timeout_ms: u64,
    /// Largest request head (request line plus headers), in bytes.
    #[serde(default = "default_max_header_bytes", deserialize_with = "num")]
    pub max_header_bytes: usize,
    /// Most header fields in a request head; more are refused with `431`.
    #[serde(default = "default_max_headers", deserialize_with = "num")]
    pub max_headers: usize,
    /// Time a client has to send the whole request body once the head is
    /// read; slower clients get `408` and nothing is forwarded.
    #[serde(default = "default_body_read_timeout_ms", deserialize_with = "num")]
    pub body_read_timeout_ms: u64,
    /// A keep-alive connection with no request in flight that sends nothing
    /// for this long is closed.
    #[serde(default = "default_idle_timeout_ms", deserialize_with = "num")]
    pub idle_timeout_ms: u64,
    /// How long a request may wait for a free slot when
    /// `max_concurrent_requests` are already in flight before it is answered
    /// `503` with `Retry-After` (0: answer at once).
    #[serde(default = "default_overload_wait_ms", deserialize_with = "num")]
    pub overload_wait_ms: u64,
    /// Memory budget shared by all requests, in bytes: request bodies held,
    /// decompressed bodies, the working memory modules estimate they need to
    /// evaluate a decoded body (parse trees, scratch, the modified body;
    /// calibrated by measurement, between 1.5 and 11 times the decoded size
    /// depending on the module and format) and what re-encoding a modified
    /// body takes, each reserved before the work starts and given back when
    /// it ends (a modified body's bytes until it was sent). A request that
    /// does not fit now is answered `503` with `Retry-After` and not
    /// forwarded. A body within the size limits whose evaluation could never
    /// fit, even in an empty budget, is forwarded unfiltered (fail open); a
    /// decoded body that alone could never fit gets `413`.
    /// Process memory beyond the budget: the binary, idle connections,
    /// allocator slack (tens of MB).
    #[serde(default = "default_max_inflight_bytes", deserialize_with = "num")]
    pub max_inflight_bytes: usize,
    /// TLS on the main listener; plain HTTP when absent. A separate admin
    /// listener always speaks plain HTTP.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    /// Separate `host:port` for the `/_edge/*` admin routes. When absent they
    /// are served on the main listener.
    #[serde(default)]
    pub admin_listen_address: Option<String>,
    /// Identity of this Edge instance, reported to policy servers.
    #[serde(default)]
    pub service: ServiceConfig,
    /// Where policies come from.
    #[serde(default)]
    pub policy_providers: Vec<PolicyProviderConfig>,
    /// Prometheus scrape filter settings.
    #[serde(default)]
    pub prometheus: PrometheusConfig,
}

/// Certificate and key for TLS on the listeners.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM file with the certificate chain, leaf first.
    pub cert_file: String,
    /// PEM file with the private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: String,
}

/// Upstreams and body checks for OTLP/HTTP.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OtlpConfig {
    /// Upstream for `/v1/logs`.
    #[serde(default)]
    pub logs_url: Option<String>,
    /// Upstream for `/v1/metrics`.
    #[serde(default)]
    pub metrics_url: Option<String>,
    /// Upstream for `/v1/traces`.
    #[serde(default)]
    pub traces_url: Option<String>,
    /// Check bodies of a signal that has no policies (malformed: `400`, no
    /// records: answered locally), as the behaviour spec asks. `false`
    /// forwards them as received, still compressed, without decoding them:
    /// the upstream then judges malformed or empty exports itself.
    #[serde(default = "default_true", deserialize_with = "flag")]
    pub verify_unfiltered: bool,
}

impl Default for OtlpConfig {
    fn default() -> Self {
        OtlpConfig {
            logs_url: None,
            metrics_url: None,
            traces_url: None,
            verify_unfiltered: true,
        }
    }
}

fn default_true() -> bool {
    true
}

/// Level of Edge's own logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Everything.
    Trace,
    /// Per-request events.
    Debug,
    /// Lifecycle events (the default).
    #[default]
    Info,
    /// Problems that Edge works around.
    Warn,
    /// Failures.
    Error,
}

impl LogLevel {
    /// The level as a `tracing` filter directive.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identity of this Edge instance.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// `service.name` (default `edge`).
    #[serde(default = "default_service_name")]
    pub name: String,
    /// `service.namespace`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// `service.version` (default: the crate version).
    #[serde(default)]
    pub version: Option<String>,
    /// Extra resource attributes.
    #[serde(default)]
    pub resource_attributes: BTreeMap<String, String>,
    /// Labels sent to policy servers.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            name: default_service_name(),
            namespace: None,
            version: None,
            resource_attributes: BTreeMap::new(),
            labels: BTreeMap::new(),
        }
    }
}

/// One policy source.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum PolicyProviderConfig {
    /// A JSON or YAML file, reloaded on change.
    File {
        /// Provider id, unique in the configuration.
        id: String,
        /// Path of the policy file.
        path: String,
    },
    /// A policy server polled over HTTP.
    Http(HttpProviderConfig),
}

impl PolicyProviderConfig {
    /// The provider id.
    pub fn id(&self) -> &str {
        match self {
            PolicyProviderConfig::File { id, .. } => id,
            PolicyProviderConfig::Http(h) => &h.id,
        }
    }
}

/// Settings of an HTTP policy provider.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HttpProviderConfig {
    /// Provider id, unique in the configuration.
    pub id: String,
    /// The sync endpoint.
    pub url: String,
    /// Seconds between syncs unless the server recommends otherwise.
    #[serde(default = "default_poll_interval_secs", deserialize_with = "num")]
    pub poll_interval_secs: u64,
    /// Extra request headers (values may use `${VAR}`).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Wire encoding of the sync exchange.
    #[serde(default)]
    pub encoding: PolicyEncoding,
    /// Largest sync response read, in bytes (decompressed); a larger one
    /// is a failed sync and the last good policies stay.
    #[serde(default = "default_max_response_bytes", deserialize_with = "num")]
    pub max_response_bytes: usize,
}

/// Wire encoding of the HTTP policy sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyEncoding {
    /// Proto JSON.
    #[default]
    Json,
    /// Binary protobuf.
    Protobuf,
}

/// Prometheus scrape filter settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusConfig {
    /// Path the filtered scrape is served on.
    #[serde(default = "default_prometheus_path")]
    pub path: String,
    /// The application's scrape endpoint; the route is disabled without it.
    #[serde(default)]
    pub target_url: Option<String>,
    /// Largest scrape read from the target.
    #[serde(default = "default_scrape_bytes", deserialize_with = "num")]
    pub max_input_bytes_per_scrape: usize,
    /// Largest filtered scrape returned.
    #[serde(default = "default_scrape_bytes", deserialize_with = "num")]
    pub max_output_bytes_per_scrape: usize,
}

impl Default for PrometheusConfig {
    fn default() -> Self {
        PrometheusConfig {
            path: default_prometheus_path(),
            target_url: None,
            max_input_bytes_per_scrape: default_scrape_bytes(),
            max_output_bytes_per_scrape: default_scrape_bytes(),
        }
    }
}

impl Config {
    /// Upstream for Datadog logs.
    pub fn logs_upstream(&self) -> &str {
        self.logs_url.as_deref().unwrap_or(&self.upstream_url)
    }

    /// Upstream for Datadog metrics.
    pub fn metrics_upstream(&self) -> &str {
        self.metrics_url.as_deref().unwrap_or(&self.upstream_url)
    }

    /// Checks what the schema cannot express: URLs, addresses, limits and
    /// provider ids. The first of [`Config::problems`].
    pub fn validate(&self) -> Result<(), ConfigError> {
        match self.problems().into_iter().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Every value the schema accepts but Edge does not (URLs, addresses,
    /// limits, provider ids), in the order of the configuration reference.
    pub fn problems(&self) -> Vec<ConfigError> {
        let mut out = Vec::new();
        out.extend(check_url("upstream_url", &self.upstream_url).err());
        let optional_urls = [
            ("logs_url", &self.logs_url),
            ("metrics_url", &self.metrics_url),
            ("otlp.logs_url", &self.otlp.logs_url),
            ("otlp.metrics_url", &self.otlp.metrics_url),
            ("otlp.traces_url", &self.otlp.traces_url),
            ("prometheus.target_url", &self.prometheus.target_url),
        ];
        for (key, url) in optional_urls {
            if let Some(url) = url {
                out.extend(check_url(key, url).err());
            }
        }
        if self.listen_address.parse::<std::net::IpAddr>().is_err() {
            out.push(invalid("listen_address", "expected an IP address"));
        }
        if let Some(admin) = &self.admin_listen_address {
            if admin.parse::<std::net::SocketAddr>().is_err() {
                out.push(invalid("admin_listen_address", "expected ip:port"));
            }
        }
        if self.max_body_size == 0 {
            out.push(invalid("max_body_size", "must be greater than 0"));
        }
        if self.max_decoded_bytes == 0 {
            out.push(invalid("max_decoded_bytes", "must be greater than 0"));
        }
        if self.max_inflight_bytes == 0 {
            out.push(invalid("max_inflight_bytes", "must be greater than 0"));
        }
        if self.max_headers == 0 {
            out.push(invalid("max_headers", "must be greater than 0"));
        }
        if self.max_header_bytes < 1024 {
            out.push(invalid("max_header_bytes", "must be at least 1024"));
        }
        for (key, ms) in [
            (
                "upstream_connect_timeout_ms",
                self.upstream_connect_timeout_ms,
            ),
            ("upstream_timeout_ms", self.upstream_timeout_ms),
            ("header_read_timeout_ms", self.header_read_timeout_ms),
            ("body_read_timeout_ms", self.body_read_timeout_ms),
            ("idle_timeout_ms", self.idle_timeout_ms),
            (
                "upstream_pool_idle_timeout_ms",
                self.upstream_pool_idle_timeout_ms,
            ),
        ] {
            if ms == 0 {
                out.push(invalid(key, "must be greater than 0"));
            }
        }

        if let Some(tls) = &self.tls {
            if tls.cert_file.is_empty() {
                out.push(invalid("tls.cert_file", "must not be empty"));
            }
            if tls.key_file.is_empty() {
                out.push(invalid("tls.key_file", "must not be empty"));
            }
        }
        if self.max_concurrent_requests == 0 {
            out.push(invalid("max_concurrent_requests", "must be greater than 0"));
        }
        if !self.prometheus.path.starts_with('/') {
            out.push(invalid("prometheus.path", "must start with '/'"));
        }
        let mut ids = std::collections::BTreeSet::new();
        for (i, provider) in self.policy_providers.iter().enumerate() {
            let key = format!("policy_providers[{i}]");
            if provider.id().is_empty() {
                out.push(invalid(&format!("{key}.id"), "must not be empty"));
            }
            if !ids.insert(provider.id()) {
                out.push(invalid(
                    &format!("{key}.id"),
                    &format!("duplicate provider id `{}`", provider.id()),
                ));
            }
            match provider {
                PolicyProviderConfig::File { path, .. } if path.is_empty() => {
                    out.push(invalid(&format!("{key}.path"), "must not be empty"));
                }
                PolicyProviderConfig::Http(h) => {
                    out.extend(check_url(&format!("{key}.url"), &h.url).err());
                    if h.max_response_bytes == 0 {
                        out.push(invalid(
                            &format!("{key}.max_response_bytes"),
                            "must be greater than 0",
                        ));
                    }
                    if h.poll_interval_secs == 0 {
                        out.push(invalid(
                            &format!("{key}.poll_interval_secs"),
                            "must be greater than 0",
                        ));
                    }
                }
                PolicyProviderConfig::File { .. } => {}
            }
        }
        out
    }
}

fn invalid(key: &str, message: &str) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        message: message.to_owned(),
    }
}

fn check_url(key: &str, url: &str) -> Result<(), ConfigError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| invalid(key, &format!("not a URL: {e}")))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err(invalid(key, "scheme must be http or https")),
    }
    let Some(authority) = uri.authority() else {
        return Err(invalid(key, "URL has no host"));
    };
    // What follows the host (after any credentials): nothing, or `:PORT`
    // with PORT empty (the default) or 1-65535.
    let host_port = authority
        .as_str()
        .rsplit_once('@')
        .map_or(authority.as_str(), |(_, h)| h);
    let after_host = host_port.get(authority.host().len()..).unwrap_or_default();
    let port_ok = match after_host.strip_prefix(':') {
        None => after_host.is_empty(),
        Some("") => true,
        Some(port) => {
            port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p != 0)
        }
    };
    if !port_ok {
        return Err(invalid(key, "port must be a number from 1 to 65535"));
    }
    Ok(())
}

/// Accepts a number or a string holding one (environment overrides are strings).
fn num<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Whole,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: Whole> de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a whole number from 0 to {}", T::MAX)
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
            T::from_u64(n)
                .ok_or_else(|| E::custom(format!("{n} is out of range (0 to {})", T::MAX)))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
            match u64::try_from(n) {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(E::custom(format!("{n} is out of range (0 to {})", T::MAX))),
            }
        }
        fn visit_f64<E: de::Error>(self, n: f64) -> Result<T, E> {
            if n.fract() == 0.0 && n >= 0.0 && n <= u64::MAX as f64 {
                self.visit_u64(n as u64)
            } else {
                Err(E::custom(format!(
                    "{n} is not a whole number from 0 to {}",
                    T::MAX
                )))
            }
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            let t = s.trim();
            match t.parse::<i128>() {
                Ok(n) if n >= 0 => match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("{t} is out of range (0 to {})", T::MAX))),
                },
                Ok(n) => Err(E::custom(format!("{n} is out of range (0 to {})", T::MAX))),
                Err(_) => Err(E::custom(format!(
                    "`{t}` is not a whole number from 0 to {}",
                    T::MAX
                ))),
            }
        }
    }
    deserializer.deserialize_any(V(std::marker::PhantomData))
}

/// Unsigned integer types read by [`num`].
trait Whole: Sized {
    const MAX: u64;
    fn from_u64(n: u64) -> Option<Self>;
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            const MAX: u64 = <$t>::MAX as u64;
            fn from_u64(n: u64) -> Option<Self> {
                <$t>::try_from(n).ok()
            }
        }
    )*};
}
whole!(u16, u32, u64, usize);

/// A boolean, also accepted as the strings `true`/`false` (environment
/// overrides arrive as strings).
fn flag<'de, D>(deserializer: D) -> Result<bool, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrStr {
        Bool(bool),
        Str(String),
    }
    match BoolOrStr::deserialize(deserializer)? {
        BoolOrStr::Bool(b) => Ok(b),
        BoolOrStr::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            other => Err(de::Error::custom(format!("`{other}` is not a boolean"))),
        },
    }
}

fn default_listen_address() -> String {
    "127.0.0.1".to_owned()
}
fn default_listen_port() -> u16 {
    8080
}
fn default_max_body_size() -> usize {
    10 * 1024 * 1024
}
fn default_max_decoded_bytes() -> usize {
    64 * 1024 * 1024
}
fn default_connect_timeout_ms() -> u64 {
    5_000
}
fn default_upstream_timeout_ms() -> u64 {
    30_000
}
fn default_upstream_pool_idle_timeout_ms() -> u64 {
    4_000
}
fn default_upstream_retry_backoff_ms() -> u64 {
    100
}
fn default_max_concurrent_requests() -> usize {
    1024
}
fn default_shutdown_grace_period_ms() -> u64 {
    10_000
}
fn default_header_read_timeout_ms() -> u64 {
    10_000
}
fn default_max_header_bytes() -> usize {
    64 * 1024
}
fn default_max_headers() -> usize {
    100
}
fn default_body_read_timeout_ms() -> u64 {
    30_000
}
fn default_idle_timeout_ms() -> u64 {
    60_000
}
fn default_overload_wait_ms() -> u64 {
    50
}
fn default_max_inflight_bytes() -> usize {
    256 * 1024 * 1024
}
fn default_service_name() -> String {
    "edge".to_owned()
}
fn default_poll_interval_secs() -> u64 {
    60
}
fn default_max_response_bytes() -> usize {
    16 * 1024 * 1024
}
fn default_prometheus_path() -> String {
    "/metrics".to_owned()
}
fn default_scrape_bytes() -> usize {
    16 * 1024 * 1024
}
