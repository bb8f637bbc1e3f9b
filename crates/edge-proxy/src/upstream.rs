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

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt;
use http::header;
use http::{HeaderMap, Method, Response, StatusCode};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use tokio::time::Instant;

use edge_modules::ResponseFilter;

use crate::headers::forwardable;
use crate::metrics::{Metrics, RetryReason, UpstreamErrorKind};
use crate::server::{full, text, BoxError, ProxyBody};
use crate::ProxyError;

/// Response bodies up to this size are read completely before the client
/// gets the response head, so that a failure part-way becomes an error
/// status instead of a truncated success.
const BUFFER_RESPONSE_BYTES: usize = 1024 * 1024;

/// Longest single wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// When an upstream request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after the first; `0` disables retries. Only failures
    /// where the request certainly did not reach the upstream (connection
    /// refused, connect timeout) are retried, plus `502`/`503`/`504`
    /// answers when `on_gateway_errors` is set.
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

/// One request to send upstream.
pub(crate) struct Outgoing<'a> {
    /// Route index (for metrics).
    pub route: usize,
    /// Module name (for logs).
    pub module: &'a str,
    /// Request method.
    pub method: Method,
    /// Full upstream URL. Never logged: its query may carry an API key.
    pub url: String,
    /// Headers to send (already without hop-by-hop headers).
    pub headers: HeaderMap,
    /// Body to send; cheap to clone for a retry.
    pub body: Bytes,
}

/// The upstream client with its timeouts and retry policy.
pub(crate) struct Upstream {
    client: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
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

impl Upstream {
    /// Builds the pooled client. `timeout` bounds a whole exchange,
    /// retries and the response body included.
    pub(crate) fn new(
        connect_timeout: Duration,
        timeout: Duration,
        retry: RetryPolicy,
        pool_idle_timeout: Duration,
    ) -> Result<Upstream, ProxyError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .no_gzip()
            .default_headers(HeaderMap::new())
            // Connections idle this long are closed before the upstream is
            // likely to close them itself (a request written on a connection
            // the upstream is closing fails with 502).
            .pool_idle_timeout(pool_idle_timeout)
            .build()
            .map_err(|e| ProxyError::Setup(format!("upstream client: {e}")))?;
        Ok(Upstream {
            client,
            timeout,
            retry,
        })
    }

    /// Sends `req` (retrying as the policy allows) and turns the outcome
    /// into the client's response. `filter` rewrites the response body.
    pub(crate) async fn forward(
        &self,
        metrics: &Metrics,
        req: Outgoing<'_>,
        filter: Option<Box<dyn ResponseFilter>>,
    ) -> Response<ProxyBody> {
        let deadline = Instant::now() + self.timeout;
        let mut req = req;
        match self.send(metrics, &mut req, deadline).await {
            Ok(upstream) => relay(metrics, req.module, upstream, filter).await,
            Err(failure) => failure.response(),
        }
    }

    async fn send(
        &self,
        metrics: &Metrics,
        req: &mut Outgoing<'_>,
        deadline: Instant,
    ) -> Result<reqwest::Response, Failure> {
        let mut attempt = 0u32;
        loop {
            let now = Instant::now();
            let remaining = deadline.saturating_duration_since(now);
            if remaining.is_zero() {
                metrics.upstream_error(UpstreamErrorKind::Timeout);
                return Err(Failure {
                    kind: UpstreamErrorKind::Timeout,
                });
            }
            // Only an attempt that may be followed by another needs its own
            // copy of the headers; the last one (the only one by default)
            // takes them.
            let headers = if attempt < self.retry.retries {
                req.headers.clone()
            } else {
                std::mem::take(&mut req.headers)
            };
            let sent = self
                .client
                .request(req.method.clone(), req.url.as_str())
                .headers(headers)
                .body(req.body.clone())
                .timeout(remaining)
                .send()
                .await;
            metrics.upstream_attempt(req.route, now.elapsed());
            let retries_left = attempt < self.retry.retries;
            match sent {
                Ok(resp) => {
                    let status = resp.status();
                    let gateway_error = matches!(
                        status,
                        StatusCode::BAD_GATEWAY
                            | StatusCode::SERVICE_UNAVAILABLE
                            | StatusCode::GATEWAY_TIMEOUT
                    );
                    if !(retries_left && self.retry.on_gateway_errors && gateway_error) {
                        return Ok(resp);
                    }
                    let Some(retry_after) = retry_after(resp.headers()) else {
                        // A date or garbage: the upstream asked for
                        // something we do not interpret; let the client
                        // decide.
                        return Ok(resp);
                    };
                    let wait = self.retry.backoff(attempt).max(retry_after);
                    if Instant::now() + wait >= deadline {
                        return Ok(resp);
                    }
                    tracing::debug!(
                        module = req.module,
                        status = status.as_u16(),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "upstream answered with a gateway error; retrying"
                    );
                    drop(resp);
                    metrics.retry(RetryReason::Status);
                    tokio::time::sleep(wait).await;
                }
                Err(error) => {
                    let kind = classify(&error);
                    metrics.upstream_error(kind);
                    let wait = self.retry.backoff(attempt);
                    if retries_left && kind.nothing_sent() && Instant::now() + wait < deadline {
                        tracing::debug!(
                            module = req.module,
                            kind = kind.label(),
                            attempt,
                            wait_ms = wait.as_millis() as u64,
                            error = %innermost(&error),
                            "upstream attempt failed before sending; retrying"
                        );
                        metrics.retry(RetryReason::Connect);
                        tokio::time::sleep(wait).await;
                    } else {
                        // The URL is not logged: its query may carry an
                        // API key.
                        tracing::warn!(
                            module = req.module,
                            kind = kind.label(),
                            attempts = attempt + 1,
                            error = %innermost(&error),
                            "upstream request failed"
                        );
                        return Err(Failure { kind });
                    }
                }
            }
            attempt += 1;
        }
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
fn classify(error: &reqwest::Error) -> UpstreamErrorKind {
    if error.is_connect() {
        return if error.is_timeout() {
            UpstreamErrorKind::ConnectTimeout
        } else {
            UpstreamErrorKind::Connect
        };
    }
    if error.is_timeout() {
        return UpstreamErrorKind::Timeout;
    }
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

/// The innermost cause: reqwest's own message includes the URL.
fn innermost(error: &reqwest::Error) -> String {
    let mut e: &dyn std::error::Error = error;
    while let Some(source) = e.source() {
        e = source;
    }
    e.to_string()
}

/// Passes the upstream's response on. Without a filter, a body of up to
/// [`BUFFER_RESPONSE_BYTES`] is read completely first.
async fn relay(
    metrics: &Metrics,
    module: &str,
    mut upstream: reqwest::Response,
    filter: Option<Box<dyn ResponseFilter>>,
) -> Response<ProxyBody> {
    let status = upstream.status();
    let mut headers = forwardable(upstream.headers(), &[]);
    if let Some(mut filter) = filter {
        // TODO: a filtered (streamed) body that fails part-way aborts the
        // client connection after the head was sent; it is not buffered
        // because scrapes can be large.
        let stream = upstream
            .bytes_stream()
            .map_err(|e| -> BoxError { Box::new(e) });
        filter.on_head(status, &mut headers);
        headers.remove(header::CONTENT_LENGTH);
        let body = BodyExt::boxed_unsync(StreamBody::new(filtered(stream, filter)));
        return with_head(body, status, headers);
    }
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0usize;
    loop {
        match upstream.chunk().await {
            Ok(Some(chunk)) => {
                len += chunk.len();
                chunks.push(chunk);
                if len > BUFFER_RESPONSE_BYTES {
                    // Large body: stream the rest. A failure from here on
                    // aborts the client connection (never a complete 2xx).
                    let head = futures_util::stream::iter(chunks.into_iter().map(Ok));
                    let rest = upstream
                        .bytes_stream()
                        .map_err(|e| -> BoxError { Box::new(e) });
                    let stream = futures_util::StreamExt::chain(head, rest).map_ok(Frame::data);
                    let body = BodyExt::boxed_unsync(StreamBody::new(stream));
                    return with_head(body, status, headers);
                }
            }
            Ok(None) => break,
            Err(error) => {
                let kind = match classify(&error) {
                    // The connection existed; whatever it says, the body
                    // was cut.
                    UpstreamErrorKind::Connect | UpstreamErrorKind::Other => {
                        UpstreamErrorKind::Reset
                    }
                    k => k,
                };
                metrics.upstream_error(kind);
                tracing::warn!(
                    module,
                    kind = kind.label(),
                    status = status.as_u16(),
                    received = len,
                    error = %innermost(&error),
                    "upstream response body failed part-way"
                );
                return Failure { kind }.response();
            }
        }
    }
    let body = match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.pop().unwrap_or_default(),
        _ => {
            let mut all = BytesMut::with_capacity(len);
            for c in &chunks {
                all.extend_from_slice(c);
            }
            all.freeze()
        }
    };
    let mut resp = full(status, body);
    *resp.headers_mut() = headers;
    resp
}

fn with_head(body: ProxyBody, status: StatusCode, headers: HeaderMap) -> Response<ProxyBody> {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    *resp.headers_mut() = headers;
    resp
}

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
                        return Some((Ok(Frame::data(Bytes::from(out))), (stream, None)));
                    }
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
