//! Sending requests upstream: the pooled client, connect and total timeouts,
//! bounded retries, and turning what the upstream did into what the client
//! sees.
//!
//! The rule: the client is never told "accepted" for data that did not
//! reach the upstream. The upstream's status, headers and body pass through
//! (`429`/`5xx` with `Retry-After` included). A failure to connect
//! (refused, or the connect timeout) or a connection reset becomes `502`,
//! the total timeout `504`, each with a one-line
//! reason, so agents retry. A response body that fails part-way is never
//! passed on as a complete `2xx`: small bodies are read whole before the
//! response head is sent (a failure then becomes `502`/`504`), larger ones
//! are streamed and a failure aborts the client connection.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt;
use http::header::{self, HeaderValue};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use rustls_pki_types::CertificateDer;
use tokio::time::Instant;
use tokio_rustls::rustls;

use edge_modules::ResponseFilter;

use crate::body::{Progress, RequestBody};
use crate::headers::strip_hop_by_hop;
use crate::metrics::{Metrics, RetryReason, UpstreamErrorKind};
use crate::pool::{Lease, Pool, PoolSettings, SendError};
use crate::server::{full, text, BoxError, Chunks, ProxyBody};
use crate::ProxyError;

/// Response bodies up to this size are read completely before the client
/// gets the response head, so that a failure part-way becomes an error
/// status instead of a truncated success.
const BUFFER_RESPONSE_BYTES: usize = 1024 * 1024;

/// Longest single wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Pooled connections idle this long are checked for bytes or a close the
/// runtime has not noticed yet before they carry a request (see
/// [`crate::pool`]): all of them. The check is one `poll` of one socket
/// with no wait, and an upstream can close (or answer `408` and close) a
/// connection at any time, also just after its last use.
pub(crate) const PROBE_IDLE_AFTER: Duration = Duration::ZERO;

/// When an upstream request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after the first; `0` disables retries. Only failures
    /// where the request certainly did not reach the upstream (connection
    /// refused, connect timeout) are retried, plus `502`/`503`/`504`
    /// answers when `on_gateway_errors` is set. A streamed request body is
    /// sent again only if no attempt began to read it (it is not kept), so
    /// never after a gateway error.
    pub retries: u32,
    /// Base delay before the first retry; doubled for each further attempt,
    /// with random jitter (between half and all of it).
    pub backoff: Duration,
    /// Also retry on `502`, `503` and `504` answers, waiting at least the
    /// upstream's `Retry-After` (in seconds). Such a request did reach the
    /// upstream, so this is only safe for upstreams that reject as a whole.
    pub on_gateway_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 0,
            backoff: Duration::from_millis(100),
            on_gateway_errors: false,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0-based), with jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let full = self
            .backoff
            .saturating_mul(1u32 << attempt.min(16))
            .min(MAX_BACKOFF);
        let half = full / 2;
        let spread = u64::try_from((full - half).as_micros()).unwrap_or(u64::MAX);
        half + Duration::from_micros(random_u64() % spread.saturating_add(1))
    }
}

/// A random number for jitter, from the standard library's per-process
/// randomly keyed hasher (no extra dependency; not for cryptography).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into()),
    );
    h.finish()
}

/// Where a registration's requests go: the upstream's scheme and authority
/// and the base path, parsed once so that a request only appends its path
/// and query.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    scheme: Scheme,
    authority: Authority,
    /// Base path without its trailing `/` (often empty).
    prefix: String,
    /// A fixed path (and query) sent instead of the request's path.
    fixed_path: Option<String>,
    /// `Authorization: Basic` from credentials in the URL, sent unless the
    /// client sent its own `Authorization`.
    basic_auth: Option<HeaderValue>,
    /// The `Host` header for this upstream (with the port unless it is the
    /// scheme's default), built once instead of per request.
    host: HeaderValue,
    /// `scheme://authority/`: what the connector is given for a new
    /// connection.
    connect_uri: Uri,
    /// The connection pool slot of this upstream: the same for every
    /// target with the same scheme and authority (see [`assign_slots`]).
    slot: usize,
}

impl Target {
    /// Parses an `http://` or `https://` base URL. The error never contains
    /// the URL (it may carry credentials).
    pub(crate) fn parse(base: &str) -> Result<Target, ProxyError> {
        let bad = |why: &str| ProxyError::Setup(format!("upstream URL: {why}"));
        let uri: Uri = base.parse().map_err(|_| bad("not a URL"))?;
        let scheme = match uri.scheme_str() {
            Some("http") => Scheme::HTTP,
            Some("https") => Scheme::HTTPS,
            _ => return Err(bad("scheme must be http or https")),
        };
        let full_authority = uri.authority().ok_or_else(|| bad("no host"))?.as_str();
        let (userinfo, host) = match full_authority.rsplit_once('@') {
            Some((userinfo, host)) => (Some(userinfo), host),
            None => (None, full_authority),
        };
        let authority: Authority = host.parse().map_err(|_| bad("invalid host"))?;
        if authority.host().is_empty() {
            return Err(bad("no host"));
        }
        // `http` accepts any text after the host's colon; a port that is
        // not a number in range would silently become the scheme's default.
        let after_host = authority
            .as_str()
            .get(authority.host().len()..)
            .unwrap_or_default();
        if let Some(port) = after_host.strip_prefix(':') {
            // Empty (`h:`) means the default port.
            let valid = port.is_empty()
                || (port.bytes().all(|b| b.is_ascii_digit())
                    && port.parse::<u16>().is_ok_and(|p| p != 0));
            if !valid {
                return Err(bad("invalid port"));
            }
        } else if !after_host.is_empty() {
            return Err(bad("invalid host"));
        }
        let basic_auth = match userinfo {
            Some(userinfo) => Some(basic_auth(userinfo).ok_or_else(|| bad("invalid credentials"))?),
            None => None,
        };
        if uri.query().is_some() {
            return Err(bad("a base URL cannot have a query"));
        }
        let default_port = if scheme == Scheme::HTTPS { 443 } else { 80 };
        let host = match authority.port_u16() {
            Some(port) if port != default_port => format!("{}:{port}", authority.host()),
            _ => authority.host().to_owned(),
        };
        let host = HeaderValue::try_from(host).map_err(|_| bad("invalid host"))?;
        let connect_uri = Uri::builder()
            .scheme(scheme.clone())
            .authority(authority.clone())
            .path_and_query("/")
            .build()
            .map_err(|_| bad("invalid host"))?;
        Ok(Target {
            host,
            connect_uri,
            slot: 0,
            scheme,
            authority,
            prefix: uri.path().trim_end_matches('/').to_owned(),
            fixed_path: None,
            basic_auth,
        })
    }

    /// Sends requests at `path` (after the base path) instead of their own
    /// path; their query is appended to it.
    pub(crate) fn with_fixed_path(mut self, path: Option<String>) -> Target {
        self.fixed_path = path;
        self
    }

    /// The `Host` header value for this upstream.
    pub(crate) fn host(&self) -> &HeaderValue {
        &self.host
    }

    /// `Authorization` from credentials in the base URL, if any.
    pub(crate) fn basic_auth(&self) -> Option<&HeaderValue> {
        self.basic_auth.as_ref()
    }

    /// The request target sent upstream for a request with
    /// `path_and_query` (as received, already validated by the server's
    /// parser): the base path joined with it (origin form), or the
    /// upstream's authority for `CONNECT`.
    pub(crate) fn request_target(
        &self,
        method: &Method,
        path_and_query: Option<&PathAndQuery>,
    ) -> Option<Uri> {
        if method == Method::CONNECT {
            return Some(Uri::from(self.authority.clone()));
        }
        if let Some(fixed) = &self.fixed_path {
            let mut joined = format!("{}{fixed}", self.prefix);
            if let Some(query) = path_and_query.and_then(|pq| pq.query()) {
                joined.push(if fixed.contains('?') { '&' } else { '?' });
                joined.push_str(query);
            }
            return PathAndQuery::try_from(joined).ok().map(Uri::from);
        }
        let pq = match (self.prefix.is_empty(), path_and_query) {
            // The common case: no base path, so the received path and
            // query are reused as they are (no copy, no re-parse).
            (true, Some(pq)) => pq.clone(),
            (_, pq) => {
                let tail = pq.map_or("/", |pq| pq.as_str());
                let mut joined = String::with_capacity(self.prefix.len() + tail.len());
                joined.push_str(&self.prefix);
                joined.push_str(tail);
                PathAndQuery::try_from(joined).ok()?
            }
        };
        Some(Uri::from(pq))
    }

    /// The connection pool slot of this upstream.
    pub(crate) fn slot(&self) -> usize {
        self.slot
    }
}

/// Gives targets with the same scheme and authority (compared as URLs do:
/// the host without regard to case) the same connection pool slot, and
/// others their own; slots are numbered from 0.
pub(crate) fn assign_slots(targets: &mut [Target]) {
    let mut next = 0;
    for i in 0..targets.len() {
        let (before, rest) = targets.split_at_mut(i);
        let target = &mut rest[0];
        target.slot = match before
            .iter()
            .find(|t| t.scheme == target.scheme && t.authority == target.authority)
        {
            Some(same) => same.slot,
            None => {
                next += 1;
                next - 1
            }
        };
    }
}

/// `Basic` credentials from the `user:password` part of a URL
/// (percent-decoded, as browsers and the previous client did).
fn basic_auth(userinfo: &str) -> Option<HeaderValue> {
    use base64::Engine as _;
    let (user, password) = match userinfo.split_once(':') {
        Some((u, p)) => (u, p),
        None => (userinfo, ""),
    };
    let mut plain = percent_decode(user)?;
    plain.push(b':');
    plain.extend(percent_decode(password)?);
    let encoded = base64::engine::general_purpose::STANDARD.encode(plain);
    let mut value = HeaderValue::try_from(format!("Basic {encoded}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// One request to send upstream.
pub(crate) struct Outgoing<'a> {
    /// Route index (for metrics).
    pub route: usize,
    /// Module name (for logs).
    pub module: &'a str,
    /// The upstream it goes to.
    pub target: &'a Target,
    /// Request method.
    pub method: Method,
    /// The request target as sent (see [`Target::request_target`]). Never
    /// logged: its query may carry an API key.
    pub uri: Uri,
    /// Headers to send (already without hop-by-hop headers).
    pub headers: HeaderMap,
    /// Body to send: buffered (cheap to clone for a retry) or streamed from
    /// the client (sent again only if no attempt read it).
    pub body: RequestBody,
}

/// The connector: TCP (no delay), TLS for `https` upstreams, and a timeout
/// over both.
type Connector = TimedConnect<HttpsConnector<HttpConnector>>;

/// The upstream client with its timeouts and retry policy.
pub(crate) struct Upstream {
    /// One connection pool per serving thread (index
    /// [`crate::workers::current`]): a thread's requests only use the
    /// connections its own runtime drives.
    pools: Vec<Arc<Pool>>,
    connector: Connector,
    timeout: Duration,
    retry: RetryPolicy,
}

/// Settings of the upstream client.
pub(crate) struct ClientSettings {
    /// Bound on establishing a connection (TCP and TLS handshake).
    pub connect_timeout: Duration,
    /// Bound on a whole exchange, retries and the response body included
    /// (not counting time spent waiting for a streamed body's client).
    pub timeout: Duration,
    /// When requests are sent again.
    pub retry: RetryPolicy,
    /// Pooled connections idle this long are closed.
    pub pool_idle_timeout: Duration,
    /// Most idle connections a pool keeps per upstream.
    pub pool_max_idle_per_host: usize,
    /// CA certificates trusted for `https` upstreams besides the web PKI
    /// roots.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Connection pools, one per serving thread.
    pub pools: usize,
}

/// A failed exchange, as the client will see it.
#[derive(Debug, Clone, Copy)]
struct Failure {
    kind: UpstreamErrorKind,
}

impl Failure {
    fn response(self) -> Response<ProxyBody> {
        let (status, reason) = match self.kind {
            UpstreamErrorKind::Connect => (StatusCode::BAD_GATEWAY, "upstream unreachable"),
            // Unreachable rather than slow: nothing was sent.
            UpstreamErrorKind::ConnectTimeout => {
                (StatusCode::BAD_GATEWAY, "upstream connection timed out")
            }
            UpstreamErrorKind::Timeout => (StatusCode::GATEWAY_TIMEOUT, "upstream timed out"),
            UpstreamErrorKind::Reset => (
                StatusCode::BAD_GATEWAY,
                "upstream connection closed before the response was complete",
            ),
            UpstreamErrorKind::Other => (StatusCode::BAD_GATEWAY, "upstream connection failed"),
        };
        text(status, reason)
    }
}

/// The TLS settings for `https` upstreams: rustls with the ring provider,
/// TLS 1.2 and 1.3, the Mozilla root store of `webpki-roots` plus
/// `extra_roots`, HTTP/1.1 by ALPN.
fn tls_config(extra_roots: &[CertificateDer<'static>]) -> Result<rustls::ClientConfig, ProxyError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in extra_roots {
        roots
            .add(cert.clone())
            .map_err(|e| ProxyError::Setup(format!("upstream CA certificate: {e}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ProxyError::Setup(format!("upstream TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

impl Upstream {
    /// Builds the pooled client: no proxy from the environment, no
    /// redirects, no decompression, HTTP/1.1.
    pub(crate) fn new(settings: ClientSettings) -> Result<Upstream, ProxyError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        // Probes idle pooled connections, so a peer that vanished without a
        // reset is noticed (what reqwest did by default).
        http.set_keepalive(Some(Duration::from_secs(15)));
        http.set_connect_timeout(Some(settings.connect_timeout));
        // `https` and `http` upstreams alike (not forced to TLS); this keeps
        // the ALPN list of the config, which the builder would clear.
        let https = HttpsConnector::from((http, tls_config(&settings.extra_roots)?));
        let connector = TimedConnect {
            inner: https,
            timeout: settings.connect_timeout,
        };
        let pool = PoolSettings {
            // Connections idle this long are closed before the upstream is
            // likely to close them itself (a request written on a connection
            // the upstream is closing fails with 502).
            idle_timeout: settings.pool_idle_timeout,
            max_idle_per_host: settings.pool_max_idle_per_host,
            probe_after: PROBE_IDLE_AFTER,
        };
        let pools = (0..settings.pools.max(1))
            .map(|_| Pool::new(pool))
            .collect();
        Ok(Upstream {
            pools,
            connector,
            timeout: settings.timeout,
            retry: settings.retry,
        })
    }

    /// A new connection's I/O to `uri`'s upstream (TCP, and TLS for
    /// `https`), within the connect timeout.
    fn connect(
        &self,
        uri: Uri,
    ) -> impl Future<Output = Result<<Connector as tower_service::Service<Uri>>::Response, BoxError>>
    {
        let mut connector = self.connector.clone();
        async move {
            futures_util::future::poll_fn(|cx| {
                tower_service::Service::<Uri>::poll_ready(&mut connector, cx)
            })
            .await?;
            tower_service::Service::<Uri>::call(&mut connector, uri).await
        }
    }

    /// Sends `req` (retrying as the policy allows) and turns the outcome
    /// into the client's response. `filter` rewrites the response body.
    pub(crate) async fn forward(
        &self,
        metrics: &Metrics,
        req: Outgoing<'_>,
        filter: Option<Box<dyn ResponseFilter>>,
    ) -> Response<ProxyBody> {
        let deadline = Deadline {
            base: Instant::now() + self.timeout,
            body: req.body.progress(),
        };
        let mut req = req;
        match self.send(metrics, &mut req, &deadline).await {
            Ok((upstream, lease)) => {
                if upstream.status().is_success() {
                    if let Err(resp) = finish_body(metrics, &req, &deadline).await {
                        return resp;
                    }
                }
                let conn = Conn {
                    lease,
                    body: req.body.progress(),
                };
                relay(metrics, req.module, upstream, conn, filter, deadline.at()).await
            }
            Err(failure) => match req.body.failure() {
                Some(body_failure) => body_failure.response(),
                None => failure.response(),
            },
        }
    }

    async fn send(
        &self,
        metrics: &Metrics,
        req: &mut Outgoing<'_>,
        deadline: &Deadline,
    ) -> Result<(Response<Incoming>, Lease), Failure> {
        let mut attempt = 0u32;
        // What made the previous attempt fail, when it is being retried
        // after it could not connect.
        let mut previous: Option<UpstreamErrorKind> = None;
        // Why this attempt is a retry: counted once it is really made.
        let mut retrying: Option<RetryReason> = None;
        loop {
            let now = Instant::now();
            if deadline.at() <= now {
                // A backoff sleep may end a little after the deadline (the
                // timer's resolution): that is not the upstream timing out,
                // so the client gets the failure that was being retried.
                let kind = out_of_time(previous);
                if previous.is_none() {
                    metrics.upstream_error(kind);
                }
                tracing::warn!(
                    module = req.module,
                    upstream = %req.target.authority,
                    kind = kind.label(),
                    attempts = attempt,
                    "upstream request failed"
                );
                return Err(Failure { kind });
            }
            if let Some(reason) = retrying.take() {
                metrics.retry(reason);
            }
            // Only an attempt that may be followed by another needs its own
            // copy of the headers and URI; the last one (the only one by
            // default) takes them.
            let (headers, uri) = if attempt < self.retry.retries {
                (req.headers.clone(), req.uri.clone())
            } else {
                (
                    std::mem::take(&mut req.headers),
                    std::mem::take(&mut req.uri),
                )
            };
            let Some(body) = req.body.attempt() else {
                // Unreachable: a streamed body is only tried again when no
                // attempt read it.
                return Err(Failure {
                    kind: UpstreamErrorKind::Other,
                });
            };
            let mut request = Request::new(body);
            *request.method_mut() = req.method.clone();
            *request.uri_mut() = uri;
            *request.headers_mut() = headers;
            let pool = &self.pools[crate::workers::current() % self.pools.len()];
            let target = req.target;
            let sent = deadline
                .run(crate::pool::send(pool, target.slot(), request, || {
                    self.connect(target.connect_uri.clone())
                }))
                .await;
            metrics.upstream_attempt(req.route, now.elapsed());
            // A streamed body that an attempt began to read cannot be sent
            // again.
            let retries_left = attempt < self.retry.retries && req.body.can_resend();
            let error = match sent {
                Ok(Ok((resp, lease))) => {
                    let status = resp.status();
                    let gateway_error = matches!(
                        status,
                        StatusCode::BAD_GATEWAY
                            | StatusCode::SERVICE_UNAVAILABLE
                            | StatusCode::GATEWAY_TIMEOUT
                    );
                    if !(retries_left && self.retry.on_gateway_errors && gateway_error) {
                        return Ok((resp, lease));
                    }
                    let Some(retry_after) = retry_after(resp.headers()) else {
                        // A date or garbage: the upstream asked for
                        // something we do not interpret; let the client
                        // decide.
                        return Ok((resp, lease));
                    };
                    let wait = self.retry.backoff(attempt).max(retry_after);
                    if !retry_fits(Instant::now(), wait, deadline.at()) {
                        return Ok((resp, lease));
                    }
                    tracing::debug!(
                        module = req.module,
                        status = status.as_u16(),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "upstream answered with a gateway error; retrying"
                    );
                    // Its body is not read: the connection is closed.
                    drop((resp, lease));
                    retrying = Some(RetryReason::Status);
                    // Its answer is gone: past the deadline, the client
                    // gets a timeout, not an older attempt's failure.
                    previous = None;
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                Ok(Err(error)) => {
                    if req.body.failure().is_some() {
                        // The client's body failed (timeout, disconnect),
                        // which aborted the upstream request: not an
                        // upstream error; the caller answers the client.
                        return Err(Failure {
                            kind: UpstreamErrorKind::Other,
                        });
                    }
                    error
                }
                Err(Elapsed) => {
                    metrics.upstream_error(UpstreamErrorKind::Timeout);
                    tracing::warn!(
                        module = req.module,
                        upstream = %req.target.authority,
                        kind = UpstreamErrorKind::Timeout.label(),
                        attempts = attempt + 1,
                        "upstream request failed"
                    );
                    return Err(Failure {
                        kind: UpstreamErrorKind::Timeout,
                    });
                }
            };
            let kind = classify(&error);
            metrics.upstream_error(kind);
            let wait = self.retry.backoff(attempt);
            if retries_left
                && kind.nothing_sent()
                && retry_fits(Instant::now(), wait, deadline.at())
            {
                tracing::debug!(
                    module = req.module,
                    kind = kind.label(),
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    error = %innermost(&error),
                    "upstream attempt failed before sending; retrying"
                );
                retrying = Some(RetryReason::Connect);
                previous = Some(kind);
                tokio::time::sleep(wait).await;
            } else {
                // Only the upstream's host and port are logged: the URL's
                // credentials and query may carry an API key.
                tracing::warn!(
                    module = req.module,
                    upstream = %req.target.authority,
                    kind = kind.label(),
                    attempts = attempt + 1,
                    error = %innermost(&error),
                    "upstream request failed"
                );
                return Err(Failure { kind });
            }
            attempt += 1;
        }
    }
}

/// The least time a retry must leave its attempt before the deadline: a
/// retry whose backoff ends just before it would only time out (or find the
/// deadline passed when its sleep, rounded up to the timer's resolution,
/// ends).
const RETRY_ATTEMPT_MARGIN: Duration = Duration::from_millis(20);

/// Whether waiting `wait` from `now` and then trying again still leaves the
/// attempt [`RETRY_ATTEMPT_MARGIN`] before `deadline`.
fn retry_fits(now: Instant, wait: Duration, deadline: Instant) -> bool {
    // Subtracting, not adding: `wait` may come from an upstream's
    // `Retry-After` and be too large to add to an instant.
    deadline
        .checked_duration_since(now)
        .and_then(|left| left.checked_sub(RETRY_ATTEMPT_MARGIN))
        .is_some_and(|left| wait <= left)
}

/// The failure to report when the deadline has passed before an attempt:
/// the one being retried, or a timeout when there was none.
fn out_of_time(previous: Option<UpstreamErrorKind>) -> UpstreamErrorKind {
    previous.unwrap_or(UpstreamErrorKind::Timeout)
}

/// The end of the upstream timeout: `upstream_timeout` after the exchange
/// began, later by the time spent waiting for a streamed body's client
/// (the upstream is not charged for a slow upload, as it is not when the
/// body is read before forwarding).
struct Deadline {
    base: Instant,
    body: Option<Arc<Progress>>,
}

/// The upstream timeout ran out.
struct Elapsed;

impl Deadline {
    /// The deadline as of now.
    fn at(&self) -> Instant {
        match &self.body {
            Some(progress) => self.base + progress.client_wait(),
            None => self.base,
        }
    }

    /// Runs `fut` until the deadline (which may move while it runs).
    async fn run<F: Future>(&self, fut: F) -> Result<F::Output, Elapsed> {
        tokio::pin!(fut);
        loop {
            match tokio::time::timeout_at(self.at(), fut.as_mut()).await {
                Ok(out) => return Ok(out),
                Err(_) if self.at() <= Instant::now() => return Err(Elapsed),
                Err(_) => {}
            }
        }
    }
}

/// For a streamed body the upstream answered with a success before it was
/// all sent: waits for the rest to arrive and be passed on, so the client
/// never gets a `2xx` for a body the upstream did not completely receive.
/// `Err` is the client's answer when it does not.
async fn finish_body(
    metrics: &Metrics,
    req: &Outgoing<'_>,
    deadline: &Deadline,
) -> Result<(), Response<ProxyBody>> {
    let Some(progress) = req.body.progress() else {
        return Ok(());
    };
    let kind = if req.body.can_resend() {
        // No attempt began reading the body: the upstream answered
        // without it.
        UpstreamErrorKind::Reset
    } else {
        // TODO: this relies on the upstream connection polling the rest of
        // the body (hyper does while the connection lives); time spent
        // waiting for the client moves the deadline, and the body read
        // timeout ends such a wait.
        match deadline.run(progress.finished()).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(Some(failure))) => return Err(failure.response()),
            // The upstream connection dropped the rest of the body.
            Ok(Err(None)) => UpstreamErrorKind::Reset,
            Err(Elapsed) => UpstreamErrorKind::Timeout,
        }
    };
    metrics.upstream_error(kind);
    tracing::warn!(
        module = req.module,
        kind = kind.label(),
        "upstream answered before receiving the whole request body, which did not follow"
    );
    Err(Failure { kind }.response())
}

impl crate::pool::Socket
    for hyper_rustls::MaybeHttpsStream<hyper_util::rt::TokioIo<tokio::net::TcpStream>>
{
    fn socket(&self) -> Option<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd as _;
        Some(match self {
            hyper_rustls::MaybeHttpsStream::Http(tcp) => tcp.inner().as_raw_fd(),
            hyper_rustls::MaybeHttpsStream::Https(tls) => {
                tls.inner().get_ref().0.inner().inner().as_raw_fd()
            }
        })
    }
}

/// Bounds establishing a connection (TCP connect and TLS handshake) by the
/// connect timeout, like the per-address TCP timeout alone would not.
#[derive(Clone)]
pub(crate) struct TimedConnect<C> {
    inner: C,
    timeout: Duration,
}

/// Establishing the upstream connection took longer than the connect
/// timeout.
#[derive(Debug, thiserror::Error)]
#[error("connecting to the upstream timed out")]
struct ConnectTimedOut;

impl<C> tower_service::Service<Uri> for TimedConnect<C>
where
    C: tower_service::Service<Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(Box::new(ConnectTimedOut) as BoxError),
            }
        })
    }
}

/// `Retry-After` in seconds; absent means zero, an HTTP date or garbage
/// means `None`.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    match headers.get(header::RETRY_AFTER) {
        None => Some(Duration::ZERO),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs),
    }
}

/// Sorts a client error into the metric's kinds.
fn classify(error: &SendError) -> UpstreamErrorKind {
    if let SendError::Connect(cause) = error {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&**cause);
        while let Some(e) = source {
            let timed_out = e.is::<ConnectTimedOut>()
                || e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
            if timed_out {
                return UpstreamErrorKind::ConnectTimeout;
            }
            source = e.source();
        }
        return UpstreamErrorKind::Connect;
    }
    classify_exchange(error)
}

/// Sorts a failure of an established connection: resets and early closes,
/// or anything else.
fn classify_exchange(error: &(dyn std::error::Error + 'static)) -> UpstreamErrorKind {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            if matches!(
                io.kind(),
                K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof
            ) {
                return UpstreamErrorKind::Reset;
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() || h.is_canceled() || h.is_closed() {
                return UpstreamErrorKind::Reset;
            }
        }
        source = e.source();
    }
    UpstreamErrorKind::Other
}

/// The innermost cause (the outer messages add nothing for an operator).
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut e: &dyn std::error::Error = error;
    while let Some(source) = e.source() {
        e = source;
    }
    e.to_string()
}

/// The total timeout ran out while the response body was arriving.
#[derive(Debug, thiserror::Error)]
#[error("upstream response body not received within the timeout")]
struct BodyTimedOut;

/// The connection a response came on, and the request body it sent.
struct Conn {
    lease: Lease,
    body: Option<Arc<Progress>>,
}

impl Conn {
    /// The response body was read to its end: the connection goes back to
    /// the pool if the request body was sent whole too (else it is closed
    /// once done with it).
    fn response_read(self) {
        if self.body.as_ref().is_none_or(|p| p.done()) {
            self.lease.release();
        }
    }
}

/// The response body's data frames, each awaited no later than `deadline`
/// (trailers are dropped); `conn` goes back to the pool at the end.
fn body_stream(
    body: Incoming,
    conn: Conn,
    deadline: Instant,
) -> impl futures_util::Stream<Item = Result<Bytes, BoxError>> + Send + 'static {
    futures_util::stream::unfold(Some((body, conn)), move |state| async move {
        let (mut body, conn) = state?;
        loop {
            match tokio::time::timeout_at(deadline, body.frame()).await {
                Err(_) => return Some((Err(Box::new(BodyTimedOut) as BoxError), None)),
                Ok(None) => {
                    conn.response_read();
                    return None;
                }
                Ok(Some(Err(e))) => return Some((Err(Box::new(e) as BoxError), None)),
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        return Some((Ok(data), Some((body, conn))));
                    }
                }
            }
        }
    })
}

/// Passes the upstream's response on. Without a filter, a body of up to
/// [`BUFFER_RESPONSE_BYTES`] is read completely first. The body must arrive
/// before `deadline`.
async fn relay(
    metrics: &Metrics,
    module: &str,
    upstream: Response<Incoming>,
    conn: Conn,
    filter: Option<Box<dyn ResponseFilter>>,
    deadline: Instant,
) -> Response<ProxyBody> {
    let (parts, mut body) = upstream.into_parts();
    let status = parts.status;
    let mut headers = parts.headers;
    strip_hop_by_hop(&mut headers, &[]);
    if let Some(mut filter) = filter {
        // TODO: a filtered (streamed) body that fails part-way aborts the
        // client connection after the head was sent; it is not buffered
        // because scrapes can be large.
        let stream = body_stream(body, conn, deadline);
        filter.on_head(status, &mut headers);
        headers.remove(header::CONTENT_LENGTH);
        let body = BodyExt::boxed_unsync(StreamBody::new(filtered(stream, filter)));
        return with_head(body, status, headers);
    }
    let mut chunks = Chunks::default();
    let mut len = 0usize;
    loop {
        let kind = match frame_by(&mut body, deadline).await {
            Ok(Some(Ok(frame))) => {
                let Ok(chunk) = frame.into_data() else {
                    continue; // trailers are not forwarded
                };
                len += chunk.len();
                chunks.push(chunk);
                if len > BUFFER_RESPONSE_BYTES {
                    // Large body: stream the rest. A failure from here on
                    // aborts the client connection (never a complete 2xx).
                    let head = futures_util::stream::iter(chunks.into_vec().into_iter().map(Ok));
                    let rest = body_stream(body, conn, deadline);
                    let stream = futures_util::StreamExt::chain(head, rest).map_ok(Frame::data);
                    let body = BodyExt::boxed_unsync(StreamBody::new(stream));
                    return with_head(body, status, headers);
                }
                continue;
            }
            Ok(None) => {
                conn.response_read();
                break;
            }
            // The connection existed; whatever it says, the body was cut.
            Ok(Some(Err(error))) => match classify_exchange(&error) {
                UpstreamErrorKind::Other => (UpstreamErrorKind::Reset, innermost(&error)),
                k => (k, innermost(&error)),
            },
            Err(_) => (UpstreamErrorKind::Timeout, BodyTimedOut.to_string()),
        };
        let (kind, error) = kind;
        metrics.upstream_error(kind);
        tracing::warn!(
            module,
            kind = kind.label(),
            status = status.as_u16(),
            received = len,
            error,
            "upstream response body failed part-way"
        );
        return Failure { kind }.response();
    }
    let mut resp = full(status, chunks.join(len));
    *resp.headers_mut() = headers;
    resp
}

/// `body`'s next frame, unless `deadline` passes first. A frame that is
/// there already (a small body arrives with its head) sets no timer.
async fn frame_by(
    body: &mut Incoming,
    deadline: Instant,
) -> Result<Option<Result<Frame<Bytes>, hyper::Error>>, tokio::time::error::Elapsed> {
    use futures_util::FutureExt as _;
    let mut next = body.frame();
    if let Some(frame) = (&mut next).now_or_never() {
        return Ok(frame);
    }
    tokio::time::timeout_at(deadline, next).await
}

fn with_head(body: ProxyBody, status: StatusCode, headers: HeaderMap) -> Response<ProxyBody> {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    *resp.headers_mut() = headers;
    resp
}

/// A response filter could not complete the body (a limit cut it, or the
/// rest could not be read): the client must not get it as a complete
/// response.
#[derive(Debug, thiserror::Error)]
#[error("the response filter could not complete the body")]
struct FilterCut;

fn filtered(
    stream: impl futures_util::Stream<Item = Result<Bytes, BoxError>> + Send + 'static,
    filter: Box<dyn ResponseFilter>,
) -> impl futures_util::Stream<Item = Result<Frame<Bytes>, BoxError>> + Send + 'static {
    let stream = Box::pin(stream);
    futures_util::stream::unfold(
        (stream, Some(filter)),
        |(mut stream, mut filter)| async move {
            use futures_util::StreamExt;
            loop {
                let f = filter.as_mut()?;
                let mut out = Vec::new();
                match stream.next().await {
                    Some(Ok(chunk)) => f.on_chunk(&chunk, &mut out),
                    Some(Err(e)) => return Some((Err(e), (stream, None))),
                    None => {
                        f.finish(&mut out);
                        if f.aborted() {
                            return Some((Err(Box::new(FilterCut) as BoxError), (stream, None)));
                        }
                        return Some((Ok(Frame::data(Bytes::from(out))), (stream, None)));
                    }
                }
                if f.aborted() {
                    // The upstream body is not read further.
                    return Some((Err(Box::new(FilterCut) as BoxError), (stream, None)));
                }
                if !out.is_empty() {
                    return Some((Ok(Frame::data(Bytes::from(out))), (stream, filter)));
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_is_only_scheduled_with_time_left_for_its_attempt() {
        let now = Instant::now();
        let deadline = now + Duration::from_millis(500);
        assert!(retry_fits(now, Duration::from_millis(300), deadline));
        assert!(retry_fits(
            now,
            Duration::from_millis(500) - RETRY_ATTEMPT_MARGIN,
            deadline
        ));
        // A wait ending less than the margin before the deadline (the
        // sleep may overrun it) is not retried.
        assert!(!retry_fits(now, Duration::from_millis(499), deadline));
        assert!(!retry_fits(now, Duration::from_millis(490), deadline));
        assert!(!retry_fits(now, Duration::from_millis(600), deadline));
        // A `Retry-After` of any size, and a deadline already passed.
        assert!(!retry_fits(now, Duration::MAX, deadline));
        assert!(!retry_fits(
            now,
            Duration::from_secs(u64::MAX / 2),
            deadline
        ));
        assert!(!retry_fits(deadline, Duration::ZERO, now));
    }

    #[test]
    fn a_deadline_passed_during_a_backoff_reports_the_retried_failure() {
        // Retrying a refused connection: 502, not 504.
        assert_eq!(
            out_of_time(Some(UpstreamErrorKind::Connect)),
            UpstreamErrorKind::Connect
        );
        assert_eq!(
            Failure {
                kind: out_of_time(Some(UpstreamErrorKind::Connect))
            }
            .response()
            .status(),
            StatusCode::BAD_GATEWAY
        );
        assert_eq!(out_of_time(None), UpstreamErrorKind::Timeout);
        assert_eq!(
            Failure {
                kind: out_of_time(None)
            }
            .response()
            .status(),
            StatusCode::GATEWAY_TIMEOUT
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy {
            retries: 5,
            backoff: Duration::from_millis(100),
            on_gateway_errors: false,
        };
        for _ in 0..50 {
            let b0 = p.backoff(0);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(400) && b3 <= Duration::from_millis(800));
            assert!(p.backoff(40) <= MAX_BACKOFF);
        }
    }

    /// The URL a request for `pq` goes to: where the connection goes and
    /// the request target sent on it.
    fn joined(base: &str, pq: &str) -> String {
        let pq = PathAndQuery::try_from(pq).unwrap();
        let t = Target::parse(base).unwrap();
        let target = t.request_target(&Method::POST, Some(&pq)).unwrap();
        let base = t.connect_uri.to_string();
        format!("{}{target}", base.trim_end_matches('/'))
    }

    #[test]
    fn target_joins_base_path_and_query() {
        assert_eq!(
            joined("http://127.0.0.1:9/", "/api/v2/logs?api_key=x"),
            "http://127.0.0.1:9/api/v2/logs?api_key=x"
        );
        assert_eq!(joined("https://h/prefix", "/a"), "https://h/prefix/a");
        assert_eq!(
            joined("https://h/prefix/", "/a?b=c"),
            "https://h/prefix/a?b=c"
        );
        assert_eq!(
            joined("http://[::1]:8080", "/v1/logs"),
            "http://[::1]:8080/v1/logs"
        );
        let t = Target::parse("http://h:1")
            .unwrap()
            .with_fixed_path(Some("/stats/prometheus".into()));
        let pq = PathAndQuery::from_static("/metrics?name[]=up");
        assert_eq!(
            t.request_target(&Method::GET, Some(&pq)).unwrap(),
            "/stats/prometheus?name[]=up"
        );
        let pq = PathAndQuery::from_static("/metrics");
        assert_eq!(
            t.request_target(&Method::GET, Some(&pq)).unwrap(),
            "/stats/prometheus"
        );
        let t = t.with_fixed_path(Some("/x?a=1".into()));
        let pq = PathAndQuery::from_static("/metrics?b=2");
        assert_eq!(
            t.request_target(&Method::GET, Some(&pq)).unwrap(),
            "/x?a=1&b=2"
        );
        let t = Target::parse("http://h:1/p").unwrap();
        assert_eq!(t.request_target(&Method::POST, None).unwrap(), "/p/");
        assert_eq!(t.request_target(&Method::CONNECT, None).unwrap(), "h:1");
        let t = Target::parse("https://h").unwrap();
        assert_eq!(t.request_target(&Method::GET, None).unwrap(), "/");
        assert_eq!(t.connect_uri, "https://h/");
        for (base, host) in [
            ("http://h:1/p", "h:1"),
            ("http://h:80", "h"),
            ("http://h:443", "h:443"),
            ("https://h:443/", "h"),
            ("https://u:p@h:8443", "h:8443"),
            ("http://[::1]:9", "[::1]:9"),
        ] {
            assert_eq!(Target::parse(base).unwrap().host(), host, "{base}");
        }
    }

    #[test]
    fn targets_share_a_pool_slot_by_scheme_and_authority() {
        let mut targets: Vec<Target> = [
            "http://h:1/x",
            "https://h:1/y",
            "http://H:1/z",
            "http://u:p@h:1",
            "http://h:2",
        ]
        .iter()
        .map(|u| Target::parse(u).unwrap())
        .collect();
        assign_slots(&mut targets);
        let slots: Vec<usize> = targets.iter().map(Target::slot).collect();
        assert_eq!(slots, [0, 1, 0, 0, 2]);
    }

    #[test]
    fn target_accepts_ports_and_ipv6_literals() {
        for (url, host) in [
            ("http://h:8080/", "h:8080"),
            ("http://h:80/", "h"),
            ("http://h:/", "h"),
            ("https://[::1]:8443", "[::1]:8443"),
            ("http://[::1]/x", "[::1]"),
            ("https://h:65535", "h:65535"),
        ] {
            let t = Target::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(t.host(), host, "{url}");
        }
    }

    #[test]
    fn target_refuses_what_it_cannot_send_to() {
        for bad in [
            "ftp://h",
            "h:80",
            "/path",
            "http://h/?q=1",
            "not a url",
            "http://127.0.0.1:99999/",
            "https://intake:84433",
            "http://127.0.0.1:18432x/",
            "http://h:+80/",
            "http://127.0.0.1:0",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_in_the_url_become_basic_auth_and_leave_the_authority() {
        let t = Target::parse("https://us%65r:p%40ss@h:8443/x").unwrap();
        assert_eq!(t.authority.as_str(), "h:8443");
        let auth = t.basic_auth().unwrap();
        // base64("user:p@ss")
        assert_eq!(auth, "Basic dXNlcjpwQHNz");
        assert!(auth.is_sensitive());
        let err = Target::parse("https://user:secret@h:8443/x?q").unwrap_err();
        assert!(!err.to_string().contains("secret"));
        assert!(Target::parse("http://h").unwrap().basic_auth().is_none());
    }

    #[test]
    fn retry_after_seconds_only() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, http::HeaderValue::from_static(" 2 "));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            header::RETRY_AFTER,
            http::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), None);
    }
}
