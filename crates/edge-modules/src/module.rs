//! The module interface between the proxy and protocol handlers.
//!
//! The proxy owns the network: it reads and limits the request body,
//! decompresses it, calls the module, re-encodes a modified body and talks
//! to the upstream. A module only sees decoded bytes and decides what happens
//! to them, so it can be tested without any server.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};

/// One route: a method and an exact path (no normalisation, no patterns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The exact request path, without query string.
    pub path: String,
}

impl Route {
    /// A route for `method` on `path`.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Route {
            method,
            path: path.into(),
        }
    }

    /// A `POST` route.
    pub fn post(path: impl Into<String>) -> Self {
        Route::new(Method::POST, path)
    }

    /// A `GET` route.
    pub fn get(path: impl Into<String>) -> Self {
        Route::new(Method::GET, path)
    }

    /// Whether a request matches this route.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// Which requests a registration serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routes {
    /// Exactly these routes.
    Exact(Vec<Route>),
    /// Every request no other registration claims (at most one per proxy).
    Fallback,
}

/// What the module sees of a request.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// The method.
    pub method: &'a Method,
    /// The path, exactly as received.
    pub path: &'a str,
    /// The query string, exactly as received.
    pub query: Option<&'a str>,
    /// The request headers as received (values may be secrets: never log them).
    pub headers: &'a HeaderMap,
}

impl RequestParts<'_> {
    /// The `Content-Type` essence (before any `;`), lowercase-insensitive
    /// comparison is up to the caller. `None` when absent or not ASCII.
    pub fn content_type(&self) -> Option<&str> {
        let value = self
            .headers
            .get(http::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        Some(value.split(';').next().unwrap_or("").trim())
    }
}

/// A response the module produces itself, without calling the upstream.
#[derive(Debug, Clone)]
pub struct ModuleResponse {
    /// Status code.
    pub status: StatusCode,
    /// Headers (the proxy sets `Content-Length`).
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl ModuleResponse {
    /// A JSON response.
    pub fn json(status: StatusCode, body: impl Into<Bytes>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        ModuleResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// A one-line plain-text response.
    pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        ModuleResponse {
            status,
            headers,
            body: body.into(),
        }
    }
}

/// The module's decision about a request.
#[derive(Debug, Clone)]
pub enum RequestAction {
    /// Forward the original request bytes (still compressed) unchanged.
    ForwardOriginal,
    /// Forward this decoded body instead; the proxy re-encodes it with the
    /// client's `Content-Encoding`.
    ForwardModified(Bytes),
    /// Answer the client directly; the upstream is not called.
    Respond(ModuleResponse),
}

/// Why a request body could not be decoded before reaching the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeFailure {
    /// A `Content-Encoding` the proxy does not decode.
    UnsupportedEncoding(String),
    /// The compressed stream is corrupt or truncated.
    Corrupt(String),
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeFailure::UnsupportedEncoding(e) => write!(f, "unsupported content encoding {e}"),
            DecodeFailure::Corrupt(e) => write!(f, "corrupt compressed body: {e}"),
        }
    }
}

/// Streaming transformation of an upstream response body (for example a
/// Prometheus scrape filtered line by line). Memory stays bounded because the
/// filter sees one chunk at a time.
pub trait ResponseFilter: Send {
    /// Called once with the upstream status and headers before any chunk;
    /// may edit the headers (`Content-Length` is removed by the proxy).
    fn on_head(&mut self, _status: StatusCode, _headers: &mut HeaderMap) {}
    /// Consumes one chunk of the upstream body and appends output to `out`.
    fn on_chunk(&mut self, chunk: &[u8], out: &mut Vec<u8>);
    /// Called after the last chunk; flushes buffered output.
    fn finish(&mut self, out: &mut Vec<u8>);
    /// Whether the body cannot be completed (a limit cut it, or the rest of
    /// the upstream body cannot be read): checked after every call above,
    /// the proxy then ends the response with an error, so the client sees
    /// an incomplete response rather than a shorter one that looks whole.
    fn aborted(&self) -> bool {
        false
    }
}

/// A protocol handler plugged into the proxy.
///
/// Hooks are synchronous: they run on a blocking-capable thread with the
/// whole decoded body, which is bounded by the registration's limits.
pub trait ProxyModule: Send + Sync + 'static {
    /// Short name used in metrics labels and logs.
    fn name(&self) -> &str;

    /// Whether the proxy must buffer and decode the request body and call
    /// [`ProxyModule::on_request`]. When `false` the body is forwarded as
    /// received.
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        false
    }

    /// Decides what to do with a request whose decoded body is `body`.
    fn on_request(&self, _req: &RequestParts<'_>, _body: &[u8]) -> RequestAction {
        RequestAction::ForwardOriginal
    }

    /// Heap bytes [`ProxyModule::on_request`] may use, besides the decoded
    /// body it is given, for a decoded body of `decoded_len` bytes: parse
    /// state, trees, scratch and the modified body it returns (which the
    /// proxy holds until it is re-encoded). The proxy reserves this from its
    /// shared byte budget (`max_inflight_bytes`) before calling the hook, so
    /// an estimate must err high; it is called only for bodies the module
    /// inspects. The default, one modified copy plus a little, suits a
    /// module that writes its output once without intermediate structures.
    fn working_memory(&self, _req: &RequestParts<'_>, decoded_len: usize) -> usize {
        decoded_len
            .saturating_add(decoded_len / 8)
            .saturating_add(64 * 1024)
    }

    /// Decides what to do when the body could not be decoded. The default is
    /// fail-open: forward the original bytes and let the upstream decide.
    fn on_undecodable_body(&self, _req: &RequestParts<'_>, _why: &DecodeFailure) -> RequestAction {
        RequestAction::ForwardOriginal
    }

    /// An optional streaming filter for the upstream response body.
    fn response_filter(&self, _req: &RequestParts<'_>) -> Option<Box<dyn ResponseFilter>> {
        None
    }

    /// Appends the module's own metrics in Prometheus text format.
    fn write_metrics(&self, _out: &mut String) {}
}

/// A module together with where and how the proxy uses it.
#[derive(Clone)]
pub struct ModuleRegistration {
    /// The module.
    pub module: Arc<dyn ProxyModule>,
    /// The requests it serves.
    pub routes: Routes,
    /// Base URL of its upstream; the request path and query are appended.
    pub upstream_url: String,
    /// A fixed path (and query) sent upstream instead of the request's
    /// path; the request's query, if any, is appended to it.
    pub upstream_path: Option<String>,
    /// Largest request body as received, in bytes.
    pub max_request_body: usize,
    /// Largest request body after decompression, in bytes.
    pub max_decoded_body: usize,
    /// Largest response body a module hook buffers, in bytes.
    pub max_response_body: usize,
    /// Module-specific settings, opaque to the proxy.
    pub config: serde_json::Value,
}

impl ModuleRegistration {
    /// A registration with the default limits (10 MiB received, 64 MiB
    /// decoded, 10 MiB response).
    pub fn new(
        module: Arc<dyn ProxyModule>,
        routes: Routes,
        upstream_url: impl Into<String>,
    ) -> Self {
        ModuleRegistration {
            module,
            routes,
            upstream_url: upstream_url.into(),
            upstream_path: None,
            max_request_body: 10 * 1024 * 1024,
            max_decoded_body: 64 * 1024 * 1024,
            max_response_body: 10 * 1024 * 1024,
            config: serde_json::Value::Null,
        }
    }

    /// Sends every request of this registration upstream at `path` (with
    /// an optional query) instead of the request's path.
    pub fn with_upstream_path(mut self, path: Option<String>) -> Self {
        self.upstream_path = path;
        self
    }

    /// Sets the request body limits.
    pub fn with_limits(mut self, max_request_body: usize, max_decoded_body: usize) -> Self {
        self.max_request_body = max_request_body;
        self.max_decoded_body = max_decoded_body;
        self
    }

    /// Whether this registration claims the request by an exact route.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        match &self.routes {
            Routes::Exact(routes) => routes.iter().any(|r| r.matches(method, path)),
            Routes::Fallback => false,
        }
    }
}

impl fmt::Debug for ModuleRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleRegistration")
            .field("module", &self.module.name())
            .field("routes", &self.routes)
            .field("upstream_url", &self.upstream_url)
            .field("upstream_path", &self.upstream_path)
            .field("max_request_body", &self.max_request_body)
            .field("max_decoded_body", &self.max_decoded_body)
            .finish()
    }
}
