//! Client side of the policy sync protocol (spec §1.16, §3.7): one
//! `POST /v1/policy/sync` exchange carrying a `SyncRequest` and answered by a
//! `SyncResponse`, in proto JSON (default) or binary protobuf.
//!
//! [`SyncClient::sync`] reads the provider's counters from the [`Registry`],
//! reports them, and only once the server accepted the report subtracts
//! exactly what was sent ([`Registry::subtract_reported`]); counts that arrive
//! meanwhile stay for the next report, and a failed exchange subtracts
//! nothing. A response whose `hash` equals the one already applied changes
//! nothing; any other response replaces the provider's whole policy set.
//!
//! [`run_server_mode`] is the conformance runner's `--server` mode (§4.7).
//!
//! The client is blocking (`reqwest::blocking`); call it from a plain thread,
//! never from inside an async runtime.

use crate::engine::PolicyStatus;
use crate::eval::{EvalError, EvalOptions, EvalReport};
use crate::parse::{parse_envelope, parse_sync_response_protobuf, ParsedPolicies};
use crate::registry::{priority, Registry};
use edge_proto::common::v1 as otel;
use edge_proto::policy::v1 as pb;
use prost::Message as _;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Path of the sync endpoint on a policy server.
pub const SYNC_PATH: &str = "/v1/policy/sync";

const JSON_CONTENT_TYPE: &str = "application/json";
const PROTOBUF_CONTENT_TYPE: &str = "application/x-protobuf";
/// Longest part of an error response body kept in a [`SyncError::Status`].
const MAX_ERROR_BODY: usize = 256;

/// Wire encoding of the sync exchange.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Proto JSON (lowerCamelCase keys, 64-bit integers as strings).
    #[default]
    Json,
    /// Binary protobuf (`application/x-protobuf`).
    Protobuf,
}

impl Encoding {
    /// The `Content-Type` / `Accept` value of this encoding.
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Json => JSON_CONTENT_TYPE,
            Encoding::Protobuf => PROTOBUF_CONTENT_TYPE,
        }
    }
}

/// Who is syncing: sent as `ClientMetadata.resource_attributes` and
/// `ClientMetadata.labels`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    /// `service.name`.
    pub service_name: String,
    /// `service.namespace` (omitted when `None`).
    pub service_namespace: Option<String>,
    /// `service.version`.
    pub service_version: String,
    /// `service.instance.id`; unique per process by default.
    pub instance_id: String,
    /// Further resource attributes (sent after the four above).
    pub resource_attributes: Vec<(String, String)>,
    /// Labels.
    pub labels: Vec<(String, String)>,
}

impl Default for ClientIdentity {
    fn default() -> Self {
        ClientIdentity {
            service_name: "edge".into(),
            service_namespace: None,
            service_version: env!("CARGO_PKG_VERSION").into(),
            instance_id: random_instance_id(),
            resource_attributes: Vec::new(),
            labels: Vec::new(),
        }
    }
}

/// A random 128-bit hex id.
pub fn random_instance_id() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// Settings of a [`SyncClient`].
#[derive(Clone)]
pub struct SyncConfig {
    /// Full sync URL, including the path (usually ending in [`SYNC_PATH`]).
    pub url: String,
    /// Request and preferred response encoding.
    pub encoding: Encoding,
    /// Extra request headers, e.g. an API key. Values are never logged nor
    /// printed by `Debug`.
    pub headers: Vec<(String, String)>,
    /// Limit for one whole exchange (a hanging server counts as a failure).
    pub request_timeout: Duration,
    /// Limit for establishing the connection.
    pub connect_timeout: Duration,
    /// Client identity.
    pub identity: ClientIdentity,
    /// Largest response body read (after any `Content-Encoding` is undone);
    /// a larger one fails the exchange before it is held in memory.
    pub max_response_bytes: usize,
}

/// Default [`SyncConfig::max_response_bytes`]: 16 MiB, room for tens of
/// thousands of policies.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// How much of an error response is read for its excerpt.
const ERROR_BODY_READ: u64 = 4096;

impl SyncConfig {
    /// JSON encoding, no headers, 10 s request / 5 s connect timeouts, a
    /// default identity and [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn new(url: impl Into<String>) -> SyncConfig {
        SyncConfig {
            url: url.into(),
            encoding: Encoding::Json,
            headers: Vec::new(),
            request_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            identity: ClientIdentity::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl std::fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SyncConfig")
            .field("url", &redact_url(&self.url))
            .field("encoding", &self.encoding)
            .field("headers", &names)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("identity", &self.identity)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Coarse failure classes, used to log a failure once per change of kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncErrorKind {
    /// Bad configuration.
    Config,
    /// The connection could not be established.
    Connect,
    /// The exchange timed out.
    Timeout,
    /// Other transport failures.
    Transport,
    /// A non-2xx status.
    Status(u16),
    /// An undecodable body.
    Decode,
    /// `SyncResponse.error_message` was set.
    Server,
}

/// Sync failures. None of them carries a header value.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The sync URL is unusable.
    #[error("invalid sync URL {url:?}: {reason}")]
    Url {
        /// The URL, without credentials or query.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A configured header is unusable (the value is not shown).
    #[error("invalid header {name:?}: {reason}")]
    Header {
        /// Header name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The connection to the policy server failed.
    #[error("cannot connect to the policy server: {0}")]
    Connect(String),
    /// The exchange exceeded the timeout.
    #[error("policy server timed out: {0}")]
    Timeout(String),
    /// Any other transport failure.
    #[error("policy sync transport error: {0}")]
    Transport(String),
    /// The server answered with a non-2xx status.
    #[error("policy server answered HTTP {status}: {body}")]
    Status {
        /// HTTP status code.
        status: u16,
        /// Start of the response body.
        body: String,
    },
    /// The response body is not a `SyncResponse`.
    #[error("invalid sync response: {0}")]
    Decode(String),
    /// The response body is larger than
    /// [`SyncConfig::max_response_bytes`]; it was not read further.
    #[error("policy server response larger than {limit} bytes (max_response_bytes)")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The server reported a failure in `error_message`.
    #[error("policy server reported an error: {0}")]
    Server(String),
}

impl SyncError {
    /// The failure class.
    pub fn kind(&self) -> SyncErrorKind {
        match self {
            SyncError::Url { .. } | SyncError::Header { .. } | SyncError::Client(_) => {
                SyncErrorKind::Config
            }
            SyncError::Connect(_) => SyncErrorKind::Connect,
            SyncError::Timeout(_) => SyncErrorKind::Timeout,
            SyncError::Transport(_) => SyncErrorKind::Transport,
            SyncError::Status { status, .. } => SyncErrorKind::Status(*status),
            SyncError::Decode(_) | SyncError::TooLarge { .. } => SyncErrorKind::Decode,
            SyncError::Server(_) => SyncErrorKind::Server,
        }
    }

    /// Whether retrying the same exchange may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self.kind(), SyncErrorKind::Config)
    }

    fn from_reqwest(e: reqwest::Error) -> SyncError {
        let timeout = e.is_timeout();
        let connect = e.is_connect();
        let text = error_chain(&e.without_url());
        if timeout {
            SyncError::Timeout(text)
        } else if connect {
            SyncError::Connect(text)
        } else {
            SyncError::Transport(text)
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// The URL with user info, query and fragment removed (safe to log).
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => "<invalid url>".into(),
    }
}

/// A decoded `SyncResponse`.
#[derive(Debug, Clone, Default)]
pub struct SyncReply {
    /// The policy set (entries that failed to parse are kept as errors so
    /// they are reported).
    pub policies: ParsedPolicies,
    /// `hash`; empty when the server sent none.
    pub hash: String,
    /// `sync_timestamp_unix_nano`.
    pub sync_timestamp_unix_nano: u64,
    /// `recommended_sync_interval_seconds` (0 = no recommendation).
    pub recommended_sync_interval_seconds: u32,
    /// `error_message`; non-empty means the sync failed.
    pub error_message: String,
    /// How the body was encoded.
    pub encoding: Encoding,
}

/// Decode a `SyncResponse` body. `content_type` (the response header) wins;
/// without it, `requested` decides.
pub fn decode_response(
    body: &[u8],
    content_type: Option<&str>,
    requested: Encoding,
) -> Result<SyncReply, SyncError> {
    let encoding = match content_type.map(str::to_ascii_lowercase) {
        Some(ct) if ct.contains("protobuf") => Encoding::Protobuf,
        Some(ct) if ct.contains("json") => Encoding::Json,
        _ => requested,
    };
    match encoding {
        Encoding::Json => decode_json_response(body),
        Encoding::Protobuf => {
            let r =
                parse_sync_response_protobuf(body).map_err(|e| SyncError::Decode(e.to_string()))?;
            Ok(SyncReply {
                policies: ParsedPolicies {
                    policies: r.policies,
                    errors: Vec::new(),
                    unknown_keys: Vec::new(),
                },
                hash: r.hash,
                sync_timestamp_unix_nano: r.sync_timestamp_unix_nano,
                recommended_sync_interval_seconds: r.recommended_sync_interval_seconds,
                error_message: r.error_message,
                encoding: Encoding::Protobuf,
            })
        }
    }
}

fn pick<'a>(m: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a Value> {
    m.get(camel)
        .or_else(|| m.get(snake))
        .filter(|v| !v.is_null())
}

fn json_u64(v: Option<&Value>, what: &str) -> Result<u64, SyncError> {
    match v {
        None => Ok(0),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| SyncError::Decode(format!("`{what}` is not an unsigned integer"))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| SyncError::Decode(format!("`{what}` is not an unsigned integer"))),
        Some(_) => Err(SyncError::Decode(format!(
            "`{what}` is not an unsigned integer"
        ))),
    }
}

fn json_string(v: Option<&Value>, what: &str) -> Result<String, SyncError> {
    match v {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(SyncError::Decode(format!("`{what}` is not a string"))),
    }
}

fn decode_json_response(body: &[u8]) -> Result<SyncReply, SyncError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| SyncError::Decode(e.to_string()))?;
    let Value::Object(m) = &v else {
        return Err(SyncError::Decode("expected a JSON object".into()));
    };
    let policies = match pick(m, "policies", "policies") {
        None => ParsedPolicies::default(),
        Some(p @ Value::Array(_)) => {
            parse_envelope(p).map_err(|e| SyncError::Decode(e.to_string()))?
        }
        Some(_) => return Err(SyncError::Decode("`policies` is not an array".into())),
    };
    let interval = json_u64(
        pick(
            m,
            "recommendedSyncIntervalSeconds",
            "recommended_sync_interval_seconds",
        ),
        "recommendedSyncIntervalSeconds",
    )?;
    Ok(SyncReply {
        policies,
        hash: json_string(pick(m, "hash", "hash"), "hash")?,
        sync_timestamp_unix_nano: json_u64(
            pick(m, "syncTimestampUnixNano", "sync_timestamp_unix_nano"),
            "syncTimestampUnixNano",
        )?,
        recommended_sync_interval_seconds: u32::try_from(interval).unwrap_or(u32::MAX),
        error_message: json_string(pick(m, "errorMessage", "error_message"), "errorMessage")?,
        encoding: Encoding::Json,
    })
}

/// Proto JSON of a `SyncRequest` (lowerCamelCase, enum names, 64-bit
/// integers as strings, default values omitted).
pub fn request_to_json(req: &pb::SyncRequest) -> Value {
    let mut out = Map::new();
    if let Some(md) = &req.client_metadata {
        let mut m = Map::new();
        let stages: Vec<Value> = md
            .supported_policy_stages
            .iter()
            .map(|s| match pb::PolicyStage::try_from(*s) {
                Ok(st) => Value::from(st.as_str_name()),
                Err(_) => Value::from(*s),
            })
            .collect();
        if !stages.is_empty() {
            m.insert("supportedPolicyStages".into(), Value::Array(stages));
        }
        if !md.labels.is_empty() {
            m.insert(
                "labels".into(),
                Value::Array(md.labels.iter().map(key_value_json).collect()),
            );
        }
        if !md.resource_attributes.is_empty() {
            m.insert(
                "resourceAttributes".into(),
                Value::Array(md.resource_attributes.iter().map(key_value_json).collect()),
            );
        }
        // TODO: supported_extensions are not advertised yet.
        out.insert("clientMetadata".into(), Value::Object(m));
    }
    if req.full_sync {
        out.insert("fullSync".into(), Value::Bool(true));
    }
    if req.last_sync_timestamp_unix_nano != 0 {
        out.insert(
            "lastSyncTimestampUnixNano".into(),
            Value::String(req.last_sync_timestamp_unix_nano.to_string()),
        );
    }
    if !req.last_successful_hash.is_empty() {
        out.insert(
            "lastSuccessfulHash".into(),
            Value::String(req.last_successful_hash.clone()),
        );
    }
    if !req.policy_statuses.is_empty() {
        let list = req.policy_statuses.iter().map(status_json).collect();
        out.insert("policyStatuses".into(), Value::Array(list));
    }
    Value::Object(out)
}

fn key_value_json(kv: &otel::KeyValue) -> Value {
    use otel::any_value::Value as V;
    let value = match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
        Some(V::StringValue(s)) => json!({ "stringValue": s }),
        Some(V::BoolValue(b)) => json!({ "boolValue": b }),
        Some(V::IntValue(i)) => json!({ "intValue": i.to_string() }),
        Some(V::DoubleValue(d)) => json!({ "doubleValue": d }),
        // Identity attributes are strings; other kinds are not produced here.
        _ => json!({}),
    };
    json!({ "key": kv.key, "value": value })
}

fn status_json(s: &pb::PolicySyncStatus) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(s.id.clone()));
    if s.match_hits != 0 {
        m.insert("matchHits".into(), Value::String(s.match_hits.to_string()));
    }
    if s.match_misses != 0 {
        m.insert(
            "matchMisses".into(),
            Value::String(s.match_misses.to_string()),
        );
    }
    if !s.errors.is_empty() {
        m.insert("errors".into(), json!(s.errors));
    }
    for (name, st) in [
        ("remove", &s.remove),
        ("redact", &s.redact),
        ("rename", &s.rename),
        ("add", &s.add),
    ] {
        if let Some(st) = st {
            m.insert(
                name.into(),
                json!({ "hits": st.hits.to_string(), "misses": st.misses.to_string() }),
            );
        }
    }
    Value::Object(m)
}

fn string_kv(key: &str, value: &str) -> otel::KeyValue {
    otel::KeyValue {
        key: key.to_owned(),
        value: Some(otel::AnyValue {
            value: Some(otel::any_value::Value::StringValue(value.to_owned())),
        }),
    }
}

fn client_metadata(id: &ClientIdentity) -> pb::ClientMetadata {
    let mut attrs = vec![
        string_kv("service.name", &id.service_name),
        string_kv("service.version", &id.service_version),
        string_kv("service.instance.id", &id.instance_id),
    ];
    if let Some(ns) = &id.service_namespace {
        attrs.insert(1, string_kv("service.namespace", ns));
    }
    for (k, v) in &id.resource_attributes {
        if !attrs.iter().any(|a| &a.key == k) {
            attrs.push(string_kv(k, v));
        }
    }
    pb::ClientMetadata {
        supported_policy_stages: vec![
            pb::PolicyStage::LogFilter as i32,
            pb::PolicyStage::LogTransform as i32,
            pb::PolicyStage::MetricFilter as i32,
            pb::PolicyStage::TraceSampling as i32,
        ],
        labels: id.labels.iter().map(|(k, v)| string_kv(k, v)).collect(),
        resource_attributes: attrs,
        supported_extensions: Vec::new(),
    }
}

fn now_unix_nano() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// What one successful sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// Whether the provider's policy set was replaced.
    pub changed: bool,
    /// Number of policies in the response.
    pub policies: usize,
    /// Number of response entries that failed to parse.
    pub parse_errors: usize,
    /// The response hash (may be empty).
    pub hash: String,
    /// The server's polling hint, when it gave one.
    pub recommended_interval: Option<Duration>,
    /// Number of policy statuses the server accepted.
    pub reported: usize,
    /// The raw response body (for caching) when the set changed.
    pub body: Option<(Vec<u8>, Encoding)>,
}

/// A blocking sync client bound to one server and one registry source.
pub struct SyncClient {
    http: reqwest::blocking::Client,
    url: reqwest::Url,
    log_url: String,
    encoding: Encoding,
    headers: reqwest::header::HeaderMap,
    metadata: pb::ClientMetadata,
    last_hash: Option<String>,
    last_sync_unix_nano: u64,
    max_response_bytes: usize,
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient")
            .field("url", &self.log_url)
            .field("encoding", &self.encoding)
            .field("last_hash", &self.last_hash)
            .finish_non_exhaustive()
    }
}

impl SyncClient {
    /// Validate the configuration and build the client. Must not be called
    /// from inside an async runtime.
    pub fn new(config: &SyncConfig) -> Result<SyncClient, SyncError> {
        let log_url = redact_url(&config.url);
        let url = reqwest::Url::parse(&config.url).map_err(|e| SyncError::Url {
            url: log_url.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SyncError::Url {
                url: log_url,
                reason: format!("unsupported scheme {:?}", url.scheme()),
            });
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &config.headers {
            let n = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                SyncError::Header {
                    name: name.clone(),
                    reason: e.to_string(),
                }
            })?;
            let mut v =
                reqwest::header::HeaderValue::from_str(value).map_err(|_| SyncError::Header {
                    name: name.clone(),
                    reason: "value is not a valid header value".into(),
                })?;
            v.set_sensitive(true);
            headers.append(n, v);
        }
        let http = reqwest::blocking::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("edge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Client(error_chain(&e)))?;
        Ok(SyncClient {
            http,
            url,
            log_url,
            encoding: config.encoding,
            headers,
            metadata: client_metadata(&config.identity),
            last_hash: None,
            last_sync_unix_nano: 0,
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// The sync URL, safe to log.
    pub fn url_for_logs(&self) -> &str {
        &self.log_url
    }

    /// Hash of the policy set currently applied from this server.
    pub fn last_hash(&self) -> Option<&str> {
        self.last_hash.as_deref()
    }

    /// Declare that the set with `hash` is already applied (e.g. restored
    /// from a cache), so an unchanged server answer is not re-applied.
    pub fn set_last_hash(&mut self, hash: Option<String>) {
        self.last_hash = hash.filter(|h| !h.is_empty());
    }

    /// Build the request for the given statuses. `full_sync` is set while no
    /// set from this server is applied.
    pub fn build_request(&self, statuses: &[PolicyStatus]) -> pb::SyncRequest {
        pb::SyncRequest {
            client_metadata: Some(self.metadata.clone()),
            full_sync: self.last_hash.is_none(),
            last_sync_timestamp_unix_nano: self.last_sync_unix_nano,
            last_successful_hash: self.last_hash.clone().unwrap_or_default(),
            policy_statuses: statuses.iter().map(PolicyStatus::to_proto).collect(),
        }
    }

    /// One exchange: send `req`, decode the answer. Does not touch any
    /// registry.
    pub fn exchange(&self, req: &pb::SyncRequest) -> Result<(SyncReply, Vec<u8>), SyncError> {
        self.exchange_with_timeout(req, None)
    }

    fn exchange_with_timeout(
        &self,
        req: &pb::SyncRequest,
        timeout: Option<Duration>,
    ) -> Result<(SyncReply, Vec<u8>), SyncError> {
        use reqwest::header::{ACCEPT, CONTENT_TYPE};
        let body = match self.encoding {
            Encoding::Json => serde_json::to_vec(&request_to_json(req))
                .map_err(|e| SyncError::Transport(e.to_string()))?,
            Encoding::Protobuf => req.encode_to_vec(),
        };
        let ct = self.encoding.content_type();
        let mut rb = self
            .http
            .post(self.url.clone())
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, ct)
            .header(ACCEPT, ct)
            .body(body);
        if let Some(t) = timeout {
            rb = rb.timeout(t);
        }
        let resp = rb.send().map_err(SyncError::from_reqwest)?;
        let status = resp.status();
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if !status.is_success() {
            // Only the start is shown: the rest is not read.
            let mut head = Vec::new();
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(resp, ERROR_BODY_READ),
                &mut head,
            );
            return Err(SyncError::Status {
                status: status.as_u16(),
                body: body_excerpt(&head),
            });
        }
        let bytes = read_capped(resp, self.max_response_bytes)?;
        let reply = decode_response(&bytes, content_type.as_deref(), self.encoding)?;
        Ok((reply, bytes))
    }

    /// Report this source's statuses and, when `apply`, install the
    /// returned policy set into `registry` under `source_id` (unless its hash
    /// is the one already applied).
    ///
    /// Counters are subtracted only when the server accepted the report (a
    /// 2xx decodable answer without `error_message`).
    pub fn sync(
        &mut self,
        registry: &Registry,
        source_id: &str,
        apply: bool,
    ) -> Result<SyncOutcome, SyncError> {
        self.sync_with_timeout(registry, source_id, apply, None)
    }

    /// [`SyncClient::sync`] with a per-exchange timeout overriding the
    /// configured one (e.g. for the final report at shutdown).
    pub fn sync_with_timeout(
        &mut self,
        registry: &Registry,
        source_id: &str,
        apply: bool,
        timeout: Option<Duration>,
    ) -> Result<SyncOutcome, SyncError> {
        let statuses: Vec<PolicyStatus> = registry
            .policy_statuses_for(source_id)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let req = self.build_request(&statuses);
        let (reply, raw) = self.exchange_with_timeout(&req, timeout)?;
        if !reply.error_message.is_empty() {
            return Err(SyncError::Server(reply.error_message));
        }
        // The server accepted the report: forget exactly what was sent.
        registry.subtract_reported(&statuses);
        self.last_sync_unix_nano = if reply.sync_timestamp_unix_nano != 0 {
            reply.sync_timestamp_unix_nano
        } else {
            now_unix_nano()
        };
        let mut outcome = SyncOutcome {
            changed: false,
            policies: reply.policies.policies.len(),
            parse_errors: reply.policies.errors.len(),
            hash: reply.hash.clone(),
            recommended_interval: (reply.recommended_sync_interval_seconds > 0)
                .then(|| Duration::from_secs(u64::from(reply.recommended_sync_interval_seconds))),
            reported: statuses.len(),
            body: None,
        };
        let encoding = reply.encoding;
        let unchanged = !reply.hash.is_empty() && self.last_hash.as_deref() == Some(&reply.hash);
        if apply && !unchanged {
            for e in &reply.policies.errors {
                tracing::warn!(source = source_id, error = %e, "skipping synced policy that failed to parse");
            }
            registry.update_source_parsed(source_id, reply.policies);
            // An empty hash is remembered as "applied, unknown hash" so the
            // next request is no longer a full sync.
            self.last_hash = Some(reply.hash);
            outcome.changed = true;
            outcome.body = Some((raw, encoding));
        }
        Ok(outcome)
    }
}

/// The whole body of `resp`, refused once it is known to exceed `limit`
/// bytes: by its `Content-Length` before anything is read, or while reading.
fn read_capped(resp: reqwest::blocking::Response, limit: usize) -> Result<Vec<u8>, SyncError> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(SyncError::TooLarge { limit });
    }
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    std::io::Read::read_to_end(&mut std::io::Read::take(resp, cap), &mut bytes).map_err(|e| {
        // reqwest's reader wraps its own errors (a timeout among them).
        match e
            .into_inner()
            .map(|inner| inner.downcast::<reqwest::Error>())
        {
            Some(Ok(error)) => SyncError::from_reqwest(*error),
            Some(Err(other)) => SyncError::Transport(other.to_string()),
            None => SyncError::Transport("reading the response failed".into()),
        }
    })?;
    if bytes.len() > limit {
        return Err(SyncError::TooLarge { limit });
    }
    Ok(bytes)
}

fn body_excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let mut end = text.len().min(MAX_ERROR_BODY);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut s: String = text[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if end < text.len() {
        s.push('…');
    }
    s
}

/// Source id used by the runner's `--server` mode.
pub const RUNNER_SOURCE_ID: &str = "http";

/// The conformance runner's `--server` mode (spec §4.7): sync, process the
/// input like file mode, write the output, then one more sync carrying this
/// run's counters and compile errors. No stats file is written.
///
/// Failures to reach the server map to [`EvalError::Io`] with the URL as the
/// path (a non-zero exit).
pub fn run_server_mode(url: &str, opts: &EvalOptions) -> Result<EvalReport, EvalError> {
    // The blocking client must not run on an async runtime's thread; a scoped
    // thread keeps this callable from anywhere.
    std::thread::scope(|s| match s.spawn(|| server_mode(url, opts)).join() {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

fn server_mode(url: &str, opts: &EvalOptions) -> Result<EvalReport, EvalError> {
    let fail = |e: SyncError| EvalError::Io {
        path: PathBuf::from(redact_url(url)),
        source: std::io::Error::other(e),
    };
    let mut client = SyncClient::new(&SyncConfig::new(url)).map_err(fail)?;
    let registry = Registry::new();
    registry.set_source_priority(RUNNER_SOURCE_ID, priority::HTTP);
    let first = with_retries(|| client.sync(&registry, RUNNER_SOURCE_ID, true)).map_err(fail)?;
    tracing::debug!(policies = first.policies, parse_errors = first.parse_errors, hash = %first.hash, "synced policies");
    // The stats file holds this run's counters, as in file mode (the server
    // also gets them with the next sync).
    let (summary, policies) = crate::eval::process(&registry, opts)?;
    let last = with_retries(|| client.sync(&registry, RUNNER_SOURCE_ID, false)).map_err(fail)?;
    tracing::debug!(reported = last.reported, "reported policy statuses");
    Ok(EvalReport {
        policy_errors: registry
            .policy_statuses()
            .into_iter()
            .flat_map(|s| {
                let id = s.id;
                s.errors
                    .into_iter()
                    .map(move |e| format!("policy `{id}`: {e}"))
            })
            .collect(),
        summary,
        policies,
    })
}

/// Up to three attempts, 100 ms then 300 ms apart, for transient failures.
fn with_retries<T>(mut f: impl FnMut() -> Result<T, SyncError>) -> Result<T, SyncError> {
    let mut delay = Duration::from_millis(100);
    let mut attempt = 1;
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) if attempt < 3 && e.is_transient() => {
                tracing::warn!(attempt, error = %e, "policy sync failed; retrying");
                std::thread::sleep(delay);
                delay *= 3;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}
