//! The HTTP/1.1 server: accept loop, routing, admin routes, body limits,
//! module calls and forwarding.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use edge_modules::{
    DecodeFailure, ModuleRegistration, ModuleResponse, RequestAction, RequestParts, Routes,
};

use crate::codec::{self, ContentEncoding, DecodeError};
use crate::headers::forwardable;
use crate::metrics::Metrics;
use crate::upstream::{Outgoing, RetryPolicy, Upstream};
use crate::ProxyError;

/// Boxed error type of response bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The body type of every response the proxy sends.
pub type ProxyBody = UnsyncBoxBody<Bytes, BoxError>;

/// Network and limit settings of the server.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Main listener address.
    pub listen: SocketAddr,
    /// Separate admin listener; `None` serves `/_edge/*` on the main one.
    pub admin_listen: Option<SocketAddr>,
    /// Time allowed for a client to send the request head.
    pub header_read_timeout: Duration,
    /// Largest request head in bytes (at least 8 KiB).
    pub max_header_bytes: usize,
    /// Requests processed concurrently; more wait for a slot.
    pub max_concurrent_requests: usize,
    /// Upstream connect timeout.
    pub upstream_connect_timeout: Duration,
    /// Upstream total timeout: the whole exchange, retries and response
    /// body included.
    pub upstream_timeout: Duration,
    /// When upstream requests are sent again.
    pub upstream_retry: RetryPolicy,
    /// Time in-flight requests get after a shutdown signal.
    pub shutdown_grace_period: Duration,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_listen: None,
            header_read_timeout: Duration::from_secs(10),
            max_header_bytes: 64 * 1024,
            max_concurrent_requests: 1024,
            upstream_connect_timeout: Duration::from_secs(5),
            upstream_timeout: Duration::from_secs(30),
            upstream_retry: RetryPolicy::default(),
            shutdown_grace_period: Duration::from_secs(10),
        }
    }
}

/// What the admin routes report besides the proxy's own counters.
pub trait AdminSource: Send + Sync + 'static {
    /// Body of `/_edge/ready` (always served with 200 once started).
    fn readiness(&self) -> serde_json::Value;
    /// Body of `/_edge/policies`.
    fn policies(&self) -> serde_json::Value;
    /// Extra metrics (policy and provider counters) in Prometheus text format.
    fn write_metrics(&self, _out: &mut String) {}
}

/// An [`AdminSource`] with nothing to report (no policy engine).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPolicies;

impl AdminSource for NoPolicies {
    fn readiness(&self) -> serde_json::Value {
        serde_json::json!({"status": "ready", "policies_loaded": false, "fail_open": true})
    }
    fn policies(&self) -> serde_json::Value {
        serde_json::json!({"policies": []})
    }
}

struct Shared {
    registrations: Vec<ModuleRegistration>,
    fallback: Option<usize>,
    upstream: Upstream,
    metrics: Metrics,
    admin: Arc<dyn AdminSource>,
    limit: Arc<Semaphore>,
    admin_on_main: bool,
}

impl Shared {
    fn admin_route(&self) -> usize {
        self.registrations.len()
    }
    fn unrouted(&self) -> usize {
        self.registrations.len() + 1
    }
    fn route(&self, method: &Method, path: &str) -> Option<usize> {
        self.registrations
            .iter()
            .position(|r| r.matches(method, path))
            .or(self.fallback)
    }
}

/// A bound, not yet running proxy server.
pub struct ProxyServer {
    listener: TcpListener,
    admin_listener: Option<TcpListener>,
    settings: ServerSettings,
    shared: Arc<Shared>,
}

impl ProxyServer {
    /// Binds the listeners and builds the upstream client.
    pub async fn bind(
        settings: ServerSettings,
        registrations: Vec<ModuleRegistration>,
        admin: Arc<dyn AdminSource>,
    ) -> Result<Self, ProxyError> {
        let fallbacks: Vec<usize> = registrations
            .iter()
            .enumerate()
            .filter(|(_, r)| r.routes == Routes::Fallback)
            .map(|(i, _)| i)
            .collect();
        if fallbacks.len() > 1 {
            return Err(ProxyError::Setup(
                "more than one fallback registration".to_owned(),
            ));
        }
        let upstream = Upstream::new(
            settings.upstream_connect_timeout,
            settings.upstream_timeout,
            settings.upstream_retry,
        )?;
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| ProxyError::Bind {
                    addr: settings.listen,
                    source,
                })?;
        let admin_listener = match settings.admin_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| ProxyError::Bind { addr, source })?,
            ),
            None => None,
        };
        let mut names: Vec<String> = registrations
            .iter()
            .map(|r| r.module.name().to_owned())
            .collect();
        names.push("admin".to_owned());
        names.push("unrouted".to_owned());
        let shared = Arc::new(Shared {
            fallback: fallbacks.first().copied(),
            registrations,
            upstream,
            metrics: Metrics::new(names),
            admin,
            limit: Arc::new(Semaphore::new(settings.max_concurrent_requests.max(1))),
            admin_on_main: settings.admin_listen.is_none(),
        });
        Ok(ProxyServer {
            listener,
            admin_listener,
            settings,
            shared,
        })
    }

    /// The main listener's address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The admin listener's address, when separate.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then stops accepting and lets
    /// in-flight requests finish within the grace period.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> Result<(), ProxyError> {
        let ProxyServer {
            listener,
            admin_listener,
            settings,
            shared,
        } = self;
        let graceful = GracefulShutdown::new();
        tracing::info!(
            address = %listener.local_addr().map_err(ProxyError::Io)?,
            admin = ?admin_listener.as_ref().and_then(|l| l.local_addr().ok()),
            "listening"
        );
        tokio::pin!(shutdown);
        loop {
            let (accepted, admin_conn) = tokio::select! {
                _ = &mut shutdown => break,
                r = listener.accept() => (r, false),
                r = accept_optional(admin_listener.as_ref()) => (r, true),
            };
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of descriptors and similar: back off briefly.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let shared = shared.clone();
            let service = service_fn(move |req| handle(shared.clone(), req, admin_conn));
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(settings.header_read_timeout)
                .max_buf_size(settings.max_header_bytes.max(8192))
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            let conn = graceful.watch(conn);
            tokio::spawn(async move {
                if let Err(error) = conn.await {
                    tracing::debug!(%peer, %error, "connection closed with error");
                }
            });
        }
        drop(listener);
        drop(admin_listener);
        tracing::info!(
            grace_period_ms = settings.shutdown_grace_period.as_millis() as u64,
            "shutting down; finishing in-flight requests"
        );
        match tokio::time::timeout(settings.shutdown_grace_period, graceful.shutdown()).await {
            Ok(()) => tracing::info!("all connections closed"),
            Err(_) => tracing::warn!("grace period elapsed; dropping remaining connections"),
        }
        Ok(())
    }
}

async fn accept_optional(
    listener: Option<&TcpListener>,
) -> std::io::Result<(tokio::net::TcpStream, SocketAddr)> {
    match listener {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    admin_conn: bool,
) -> Result<Response<ProxyBody>, Infallible> {
    let start = Instant::now();
    let (route, response) = dispatch(&shared, req, admin_conn).await;
    shared
        .metrics
        .request_done(route, response.status().as_u16(), start.elapsed());
    Ok(response)
}

async fn dispatch(
    shared: &Arc<Shared>,
    req: Request<Incoming>,
    admin_conn: bool,
) -> (usize, Response<ProxyBody>) {
    let path = req.uri().path();
    if path == "/_edge" || path.starts_with("/_edge/") {
        // Never forwarded, whichever listener it arrived on.
        if admin_conn || shared.admin_on_main {
            return (shared.admin_route(), admin(shared, req.method(), path));
        }
        return (
            shared.admin_route(),
            text(StatusCode::NOT_FOUND, "not found"),
        );
    }
    if admin_conn {
        return (
            shared.admin_route(),
            text(StatusCode::NOT_FOUND, "not found"),
        );
    }
    let Some(index) = shared.route(req.method(), path) else {
        return (shared.unrouted(), text(StatusCode::NOT_FOUND, "no route"));
    };
    let Ok(_permit) = shared.limit.clone().acquire_owned().await else {
        return (
            index,
            text(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
        );
    };
    (index, proxy(shared, index, req).await)
}

fn admin(shared: &Shared, method: &Method, path: &str) -> Response<ProxyBody> {
    let known = matches!(
        path,
        "/_edge/health" | "/_edge/ready" | "/_edge/metrics" | "/_edge/policies"
    );
    if !known {
        return text(StatusCode::NOT_FOUND, "not found");
    }
    if method != Method::GET && method != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    match path {
        "/_edge/health" => json(StatusCode::OK, &serde_json::json!({"status": "ok"})),
        "/_edge/ready" => json(StatusCode::OK, &shared.admin.readiness()),
        "/_edge/policies" => json(StatusCode::OK, &shared.admin.policies()),
        _ => {
            let mut out = String::with_capacity(4096);
            shared.metrics.render(&mut out);
            for reg in &shared.registrations {
                reg.module.write_metrics(&mut out);
            }
            shared.admin.write_metrics(&mut out);
            let mut resp = full(StatusCode::OK, Bytes::from(out));
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            resp
        }
    }
}

/// What to send upstream after the module ran.
enum Outcome {
    Forward { body: Bytes, modified: bool },
    Respond(ModuleResponse),
    Reject(StatusCode, &'static str),
}

async fn proxy(shared: &Shared, index: usize, req: Request<Incoming>) -> Response<ProxyBody> {
    let reg = &shared.registrations[index];
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > reg.max_request_body as u64) {
        shared.metrics.too_large();
        return text(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    }
    let body = match Limited::new(body, reg.max_request_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            if error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                shared.metrics.too_large();
                return text(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
            }
            tracing::debug!(%error, "reading request body failed");
            return text(StatusCode::BAD_REQUEST, "cannot read request body");
        }
    };
    let received = body.len();

    let inspect = {
        let rp = request_parts(&parts);
        reg.module.inspects_request_body(&rp)
    };
    let outcome = if inspect {
        run_module(shared, reg, &parts, body).await
    } else {
        Outcome::Forward {
            body,
            modified: false,
        }
    };

    let (body, modified) = match outcome {
        Outcome::Forward { body, modified } => (body, modified),
        Outcome::Respond(r) => {
            shared.metrics.bytes(received, 0);
            let mut resp = full(r.status, r.body);
            resp.headers_mut().extend(r.headers);
            return resp;
        }
        Outcome::Reject(status, reason) => return text(status, reason),
    };
    shared.metrics.bytes(received, body.len());

    let filter = {
        let rp = request_parts(&parts);
        reg.module.response_filter(&rp)
    };
    let url = upstream_url(&reg.upstream_url, parts.uri.path(), parts.uri.query());
    let headers = forwardable(
        &parts.headers,
        &[header::HOST, header::CONTENT_LENGTH, header::EXPECT],
    );
    tracing::debug!(
        module = reg.module.name(),
        method = %parts.method,
        path = parts.uri.path(),
        bytes = body.len(),
        modified,
        "forwarding"
    );
    let outgoing = Outgoing {
        route: index,
        module: reg.module.name(),
        method: parts.method.clone(),
        url,
        headers,
        body,
    };
    shared
        .upstream
        .forward(&shared.metrics, outgoing, filter)
        .await
}

fn request_parts(parts: &http::request::Parts) -> RequestParts<'_> {
    RequestParts {
        method: &parts.method,
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
    }
}

/// Decodes, calls the module and re-encodes, off the async threads.
async fn run_module(
    shared: &Shared,
    reg: &ModuleRegistration,
    parts: &http::request::Parts,
    body: Bytes,
) -> Outcome {
    let module = reg.module.clone();
    let limit = reg.max_decoded_body;
    let method = parts.method.clone();
    let uri = parts.uri.clone();
    let headers = parts.headers.clone();
    let original = body.clone();
    let task = tokio::task::spawn_blocking(move || {
        let rp = RequestParts {
            method: &method,
            path: uri.path(),
            query: uri.query(),
            headers: &headers,
        };
        let call = || -> (Outcome, bool) {
            let encoding = match ContentEncoding::from_headers(&headers) {
                Ok(e) => e,
                Err(name) => {
                    let why = DecodeFailure::UnsupportedEncoding(name);
                    return (
                        apply(module.on_undecodable_body(&rp, &why), &body, None),
                        true,
                    );
                }
            };
            match codec::decode(encoding, &body, limit) {
                Ok((decoded, codec)) => (
                    apply(module.on_request(&rp, &decoded), &body, Some(codec)),
                    false,
                ),
                Err(DecodeError::TooLarge { .. }) => (
                    Outcome::Reject(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "decoded request body too large",
                    ),
                    false,
                ),
                Err(DecodeError::Corrupt(reason)) => {
                    let why = DecodeFailure::Corrupt(reason);
                    (
                        apply(module.on_undecodable_body(&rp, &why), &body, None),
                        true,
                    )
                }
            }
        };
        // A bug in a module fails open for this request instead of taking
        // the connection down.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(call))
    });
    match task.await {
        Ok(Ok((outcome, undecodable))) => {
            if undecodable {
                shared.metrics.decode_failure();
            }
            if matches!(&outcome, Outcome::Reject(s, _) if *s == StatusCode::PAYLOAD_TOO_LARGE) {
                shared.metrics.too_large();
            }
            outcome
        }
        _ => {
            tracing::error!(
                module = reg.module.name(),
                "module failed; forwarding the request untouched"
            );
            Outcome::Forward {
                body: original,
                modified: false,
            }
        }
    }
}

/// Turns a module action into what is sent, re-encoding a modified body with
/// the client's encoding.
fn apply(action: RequestAction, original: &Bytes, codec: Option<codec::Codec>) -> Outcome {
    match action {
        RequestAction::ForwardOriginal => Outcome::Forward {
            body: original.clone(),
            modified: false,
        },
        RequestAction::Respond(r) => Outcome::Respond(r),
        RequestAction::ForwardModified(decoded) => {
            let Some(codec) = codec else {
                // Nothing was decoded, so nothing can have been modified.
                return Outcome::Forward {
                    body: original.clone(),
                    modified: false,
                };
            };
            match codec::encode(codec, &decoded) {
                Ok(encoded) => Outcome::Forward {
                    body: Bytes::from(encoded),
                    modified: true,
                },
                Err(error) => {
                    tracing::error!(%error, "re-encoding failed; forwarding the original body");
                    Outcome::Forward {
                        body: original.clone(),
                        modified: false,
                    }
                }
            }
        }
    }
}

fn upstream_url(base: &str, path: &str, query: Option<&str>) -> String {
    let base = base.trim_end_matches('/');
    let mut url = String::with_capacity(base.len() + path.len() + query.map_or(0, |q| q.len() + 1));
    url.push_str(base);
    url.push_str(path);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

fn full(status: StatusCode, body: Bytes) -> Response<ProxyBody> {
    let mut resp = Response::new(BodyExt::boxed_unsync(
        Full::new(body).map_err(|never| -> BoxError { match never {} }),
    ));
    *resp.status_mut() = status;
    resp
}

fn text(status: StatusCode, line: &'static str) -> Response<ProxyBody> {
    let mut resp = full(status, Bytes::from(format!("{line}\n")));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response<ProxyBody> {
    let mut resp = full(status, Bytes::from(value.to_string()));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_url_joins_base_path_and_query() {
        assert_eq!(
            upstream_url("http://127.0.0.1:9/", "/api/v2/logs", Some("api_key=x")),
            "http://127.0.0.1:9/api/v2/logs?api_key=x"
        );
        assert_eq!(
            upstream_url("https://h/prefix", "/a", None),
            "https://h/prefix/a"
        );
    }
}
