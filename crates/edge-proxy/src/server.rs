//! The HTTP/1.1 server: accept loop, routing, admin routes, body limits,
//! module calls and forwarding.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore, TryAcquireError};
use tokio::task::JoinSet;

use edge_modules::{
    DecodeFailure, ModuleRegistration, ModuleResponse, ProxyModule, RequestAction, RequestParts,
    Routes,
};

use crate::body::{RequestBody, Streamed};
use crate::budget::{ByteBudget, Reservation};
use crate::codec::{self, ContentEncoding, DecodeError};
use crate::headers::strip_hop_by_hop;
use crate::metrics::Metrics;
use crate::upstream::{ClientSettings, Outgoing, RetryPolicy, Target, Upstream};
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
    /// Largest request head in bytes (request line plus header lines);
    /// larger heads get `431`.
    pub max_header_bytes: usize,
    /// Most header fields in a request head; more get `431`.
    pub max_headers: usize,
    /// Time allowed for the whole request body once the head is read;
    /// slower clients get `408`.
    pub body_read_timeout: Duration,
    /// A keep-alive connection with no request in flight that sends nothing
    /// for this long is closed.
    pub idle_timeout: Duration,
    /// Requests processed concurrently; more wait up to `overload_wait` for
    /// a slot, then get `503` with `Retry-After`.
    pub max_concurrent_requests: usize,
    /// How long a request waits for a free slot before it is refused.
    pub overload_wait: Duration,
    /// Bytes of request bodies, decompressed bodies, module working memory
    /// ([`ProxyModule::working_memory`]) and re-encoding held at once, over
    /// all requests; a request that would exceed it gets `503`. A decoded
    /// body that alone could never fit gets `413`; one whose evaluation
    /// could never fit is forwarded unfiltered.
    pub max_inflight_bytes: usize,
    /// TLS on the main listener (the admin listener stays plain HTTP).
    pub tls: Option<TlsFiles>,
    /// Upstream connect timeout.
    pub upstream_connect_timeout: Duration,
    /// Upstream total timeout: the whole exchange, retries and response
    /// body included.
    pub upstream_timeout: Duration,
    /// When upstream requests are sent again.
    pub upstream_retry: RetryPolicy,
    /// Pooled upstream connections idle this long are closed.
    pub upstream_pool_idle_timeout: Duration,
    /// Most idle upstream connections each serving thread keeps per
    /// upstream; connections beyond it are closed when their request ends.
    pub upstream_pool_max_idle_per_host: usize,
    /// CA certificates trusted for `https` upstreams in addition to the
    /// built-in web PKI roots (`webpki-roots`), e.g. a private CA.
    pub upstream_extra_roots: Vec<rustls_pki_types::CertificateDer<'static>>,
    /// Time in-flight requests get after a shutdown signal.
    pub shutdown_grace_period: Duration,
    /// Threads serving connections, each with its own single-threaded
    /// runtime and upstream connection pool (at least one). The default is
    /// `TOKIO_WORKER_THREADS` when set, else one per available core.
    pub workers: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_listen: None,
            header_read_timeout: Duration::from_secs(10),
            max_header_bytes: 64 * 1024,
            max_headers: HYPER_DEFAULT_MAX_HEADERS,
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_concurrent_requests: 1024,
            overload_wait: Duration::from_millis(50),
            max_inflight_bytes: 256 * 1024 * 1024,
            tls: None,
            upstream_connect_timeout: Duration::from_secs(5),
            upstream_timeout: Duration::from_secs(30),
            upstream_retry: RetryPolicy::default(),
            upstream_pool_idle_timeout: Duration::from_secs(4),
            upstream_pool_max_idle_per_host: 128,
            upstream_extra_roots: Vec::new(),
            shutdown_grace_period: Duration::from_secs(10),
            workers: crate::workers::default_count(),
        }
    }
}

/// hyper's own header count limit; asking for another one moves the header
/// array to the heap, so it is only set when it differs.
const HYPER_DEFAULT_MAX_HEADERS: usize = 100;

/// Certificate chain and private key files (PEM) for TLS on the listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert_file: PathBuf,
    /// Private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
}

impl ServerSettings {
    /// Copies the connection limits, overload settings and TLS files of a
    /// configuration onto `self` (the listen addresses and upstream settings
    /// are set by the caller).
    pub fn with_limits_from(mut self, config: &edge_config::Config) -> Self {
        self.max_headers = config.max_headers;
        self.body_read_timeout = Duration::from_millis(config.body_read_timeout_ms);
        self.idle_timeout = Duration::from_millis(config.idle_timeout_ms);
        self.overload_wait = Duration::from_millis(config.overload_wait_ms);
        self.max_inflight_bytes = config.max_inflight_bytes;
        self.upstream_pool_idle_timeout =
            Duration::from_millis(config.upstream_pool_idle_timeout_ms);
        self.tls = config.tls.as_ref().map(|t| TlsFiles {
            cert_file: PathBuf::from(&t.cert_file),
            key_file: PathBuf::from(&t.key_file),
        });
        self
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
    /// Parsed upstream URL of each registration (same index).
    targets: Vec<Target>,
    fallback: Option<usize>,
    upstream: Upstream,
    metrics: Metrics,
    admin: Arc<dyn AdminSource>,
    limit: Arc<Semaphore>,
    overload_wait: Duration,
    budget: Arc<ByteBudget>,
    body_read_timeout: Duration,
    admin_on_main: bool,
    /// The blocking pool of the runtime the server was bound on (serving
    /// threads have none of their own).
    blocking: tokio::runtime::Handle,
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

/// The parsed upstream of each registration, with connection pool slots.
pub(crate) fn parse_targets(
    registrations: &[ModuleRegistration],
) -> Result<Vec<Target>, ProxyError> {
    let mut targets = registrations
        .iter()
        .map(|r| {
            // Name the route whose URL is wrong (never the URL itself:
            // it may carry credentials).
            Target::parse(&r.upstream_url)
                .map(|t| t.with_fixed_path(r.upstream_path.clone()))
                .map_err(|e| match e {
                    ProxyError::Setup(why) => {
                        ProxyError::Setup(format!("{why} (upstream of `{}`)", r.module.name()))
                    }
                    other => other,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    crate::upstream::assign_slots(&mut targets);
    Ok(targets)
}

/// A bound, not yet running proxy server.
pub struct ProxyServer {
    listener: TcpListener,
    admin_listener: Option<TcpListener>,
    settings: ServerSettings,
    shared: Arc<Shared>,
    tls: Option<tokio_rustls::TlsAcceptor>,
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
        let targets = parse_targets(&registrations)?;
        let upstream = Upstream::new(ClientSettings {
            connect_timeout: settings.upstream_connect_timeout,
            timeout: settings.upstream_timeout,
            retry: settings.upstream_retry,
            pool_idle_timeout: settings.upstream_pool_idle_timeout,
            pool_max_idle_per_host: settings.upstream_pool_max_idle_per_host,
            extra_roots: settings.upstream_extra_roots.clone(),
            pools: settings.workers.max(1),
        })?;
        let tls = match &settings.tls {
            Some(files) => Some(crate::tls::acceptor(files)?),
            None => None,
        };
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
            targets,
            upstream,
            metrics: Metrics::new(names),
            admin,
            limit: Arc::new(Semaphore::new(settings.max_concurrent_requests.max(1))),
            overload_wait: settings.overload_wait,
            budget: ByteBudget::new(settings.max_inflight_bytes.max(1)),
            body_read_timeout: settings.body_read_timeout,
            admin_on_main: settings.admin_listen.is_none(),
            blocking: tokio::runtime::Handle::current(),
        });
        Ok(ProxyServer {
            listener,
            admin_listener,
            settings,
            shared,
            tls,
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
    ///
    /// Connections of the main listener are served by
    /// [`ServerSettings::workers`] threads of their own (thread per core,
    /// see `workers.rs`); this future accepts them and serves the separate
    /// admin listener's connections on the caller's runtime.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> Result<(), ProxyError> {
        let ProxyServer {
            listener,
            admin_listener,
            settings,
            shared,
            tls,
        } = self;
        let settings = Arc::new(settings);
        // Connections watch this to start a graceful close.
        let (stop_tx, stop_rx) = watch::channel(());
        let mut workers =
            crate::workers::start(settings.workers, settings.shutdown_grace_period).await?;
        // Admin listener connections, served here.
        let mut connections = JoinSet::new();
        let address = listener.local_addr().map_err(ProxyError::Io)?;
        match admin_listener.as_ref().and_then(|l| l.local_addr().ok()) {
            Some(admin) => tracing::info!(
                %address,
                %admin,
                tls = tls.is_some(),
                "listening"
            ),
            None => tracing::info!(%address, tls = tls.is_some(), "listening"),
        }
        tokio::pin!(shutdown);
        loop {
            let (accepted, admin_conn) = tokio::select! {
                _ = &mut shutdown => break,
                // Reap finished connections so the set does not grow.
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
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
            let conn = Connection {
                shared: shared.clone(),
                settings: settings.clone(),
                admin_conn,
                stop: stop_rx.clone(),
                peer,
            };
            if admin_conn {
                connections.spawn(conn.serve(stream));
                continue;
            }
            // The socket moves to a serving thread's runtime: it leaves
            // this runtime's poller here and joins the other's when the
            // connection's task first runs there.
            let stream = match stream.into_std() {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::debug!(%peer, %error, "accepted connection lost");
                    continue;
                }
            };
            let tls = tls.clone();
            workers.dispatch(Box::pin(async move {
                match tokio::net::TcpStream::from_std(stream) {
                    Ok(stream) => conn.serve_maybe_tls(stream, tls).await,
                    Err(error) => tracing::debug!(%peer, %error, "accepted connection lost"),
                }
            }));
        }
        drop(listener);
        drop(admin_listener);
        tracing::info!(
            grace_period_ms = settings.shutdown_grace_period.as_millis() as u64,
            connections = connections.len() + workers.open(),
            "shutting down; finishing in-flight requests"
        );
        let _ = stop_tx.send(());
        let local = async {
            let drain = async { while connections.join_next().await.is_some() {} };
            match tokio::time::timeout(settings.shutdown_grace_period, drain).await {
                Ok(()) => 0,
                Err(_) => {
                    let remaining = connections.len();
                    connections.shutdown().await;
                    remaining
                }
            }
        };
        // Each serving thread drains within the same grace period.
        let (local, remote) = tokio::join!(local, workers.finish());
        match local + remote {
            0 => tracing::info!("all connections closed"),
            remaining => tracing::warn!(
                connections = remaining,
                "grace period elapsed; dropping remaining connections"
            ),
        }
        Ok(())
    }
}

impl Connection {
    /// Serves a main-listener connection, after the TLS handshake when the
    /// listener has TLS.
    async fn serve_maybe_tls(
        self,
        stream: tokio::net::TcpStream,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) {
        let Some(acceptor) = tls else {
            return self.serve(stream).await;
        };
        let peer = self.peer;
        let handshake = acceptor.accept(stream);
        let limit = self.settings.header_read_timeout;
        match tokio::time::timeout(limit, handshake).await {
            Ok(Ok(stream)) => self.serve(stream).await,
            Ok(Err(error)) => {
                tracing::debug!(%peer, %error, "TLS handshake failed");
            }
            Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
        }
    }
}

/// One accepted connection and what it needs to be served.
struct Connection {
    shared: Arc<Shared>,
    settings: Arc<ServerSettings>,
    admin_conn: bool,
    stop: watch::Receiver<()>,
    peer: SocketAddr,
}

impl Connection {
    /// Serves HTTP/1.1 on `io` until the client closes, the connection is
    /// idle too long, or the server shuts down (in-flight requests finish).
    async fn serve<S>(self, io: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            shared,
            settings,
            admin_conn,
            mut stop,
            peer,
        } = self;
        let activity = Arc::new(Activity::new());
        let io = Tracked {
            inner: io,
            activity: activity.clone(),
        };
        let service = {
            let activity = activity.clone();
            service_fn(move |req| {
                let shared = shared.clone();
                let guard = activity.request_started();
                async move {
                    // A body streamed upstream may still be arriving after
                    // the response was written: `stream_through` takes an
                    // upload guard from the connection's activity.
                    let resp = handle(shared, req, admin_conn, &guard.0).await?;
                    // The request is in flight until its response body was
                    // written (or given up).
                    Ok::<_, Infallible>(resp.map(|body| Served {
                        body,
                        _in_flight: guard,
                    }))
                }
            })
        };
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            // Timed below instead: hyper's own timeout arms a timer for
            // every request head.
            .header_read_timeout(None)
            .max_header_size(settings.max_header_bytes)
            .max_buf_size(settings.max_header_bytes.saturating_add(1024).max(8192))
            .keep_alive(true);
        if settings.max_headers != HYPER_DEFAULT_MAX_HEADERS {
            builder.max_headers(settings.max_headers);
        }
        let conn = builder.serve_connection(TokioIo::new(io), service);
        tokio::pin!(conn);
        let idle = settings.idle_timeout.max(Duration::from_millis(1));
        let head_limit = settings.header_read_timeout.max(Duration::from_millis(1));
        let check = tokio::time::sleep(idle.min(head_limit));
        tokio::pin!(check);
        let stopping = async move {
            let _ = stop.changed().await;
        };
        tokio::pin!(stopping);
        // The timer and the stop signal wake `watch` rather than the task:
        // the connection is polled for every request, they only when they
        // fired (polling them on every wake-up cost more than the rest of
        // the loop).
        let watch = Arc::new(Watch::new());
        let side = std::task::Waker::from(watch.clone());
        let mut closing = false;
        std::future::poll_fn(|cx| loop {
            watch.register(cx.waker());
            if let Poll::Ready(result) = conn.as_mut().poll(cx) {
                if let Err(error) = result {
                    tracing::debug!(%peer, %error, "connection closed with error");
                }
                return Poll::Ready(());
            }
            if !watch.take() {
                return Poll::Pending;
            }
            let mut side_cx = Context::from_waker(&side);
            if !closing && stopping.as_mut().poll(&mut side_cx).is_ready() {
                conn.as_mut().graceful_shutdown();
                closing = true;
                watch.poke();
                continue;
            }
            if check.as_mut().poll(&mut side_cx).is_pending() {
                return Poll::Pending;
            }
            // The timer fired: what the connection does next, and when to
            // look again (polled at once by the next turn, so it is armed).
            watch.poke();
            let now = tokio::time::Instant::now();
            let Some(quiet) = activity.quiet() else {
                check.as_mut().reset(now + idle.min(head_limit));
                continue;
            };
            if quiet.uploading {
                // The response is written but the request body is still
                // arriving (an early answer to a streamed upload): no head
                // is awaited yet. A body that stops arriving for the idle
                // timeout ends the connection (the upstream may have
                // stopped reading it).
                if quiet.since_read >= idle {
                    tracing::debug!(%peer, "request body stalled after the response");
                    return Poll::Ready(());
                }
                check
                    .as_mut()
                    .reset(now + (idle - quiet.since_read).max(Duration::from_millis(1)));
                continue;
            }
            if quiet.awaiting_head >= head_limit {
                // No complete request head within the header read timeout
                // since the connection opened or its last response was
                // written (what hyper's own timeout measured): closed, as
                // hyper closed it. Nothing is in flight, so no response is
                // cut.
                tracing::debug!(%peer, "request head not received in time");
                return Poll::Ready(());
            }
            if !closing && quiet.since_read >= idle {
                tracing::debug!(%peer, "closing idle connection");
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
            let mut wait = head_limit - quiet.awaiting_head;
            if !closing {
                wait = wait.min(idle.saturating_sub(quiet.since_read));
            }
            check
                .as_mut()
                .reset(now + wait.max(Duration::from_millis(1)));
        })
        .await
    }
}

/// Wakes a connection's task for its timer or stop signal, and remembers
/// that one of them needs polling.
struct Watch {
    /// The timer or the stop signal woke (or must be polled again).
    poked: std::sync::atomic::AtomicBool,
    /// The connection task's waker (lock-free; registered every turn).
    task: futures_util::task::AtomicWaker,
}

impl Watch {
    /// Poked, so that the first turn polls (and so arms) both.
    fn new() -> Self {
        Watch {
            poked: std::sync::atomic::AtomicBool::new(true),
            task: futures_util::task::AtomicWaker::new(),
        }
    }

    /// Keeps the task's current waker (cloned only when it changed).
    fn register(&self, waker: &std::task::Waker) {
        self.task.register(waker);
    }

    /// Whether the timer or the stop signal is to be polled (and clears it).
    fn take(&self) -> bool {
        self.poked.swap(false, Ordering::AcqRel)
    }

    /// Marks them to be polled on this turn of the loop.
    fn poke(&self) {
        self.poked.store(true, Ordering::Release);
    }
}

impl std::task::Wake for Watch {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.poke();
        self.task.wake();
    }
}

/// When a connection last received bytes, whether a request is being
/// handled on it, and since when it waits for a request head.
struct Activity {
    last_read_ms: AtomicU64,
    /// When the last request's response was written (or the connection
    /// opened): the start of the wait for the next request head.
    head_wait_ms: AtomicU64,
    in_flight: AtomicUsize,
    /// Request bodies still being streamed upstream.
    uploads: AtomicUsize,
}

/// Marks the current request's body as still arriving until dropped: the
/// connection does not start waiting for the next request head before
/// the body is through, even when the response was written first.
pub(crate) struct Upload(Arc<Activity>);

impl Upload {
    /// A guard for a request body arriving on `connection`.
    fn new(connection: &Arc<Activity>) -> Upload {
        connection.uploads.fetch_add(1, Ordering::AcqRel);
        Upload(connection.clone())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let now = coarse_now_ms();
        self.0.head_wait_ms.store(now, Ordering::Relaxed);
        self.0.uploads.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long a connection with nothing in flight has been quiet.
struct Quiet {
    /// Since it last received bytes.
    since_read: Duration,
    /// Since it began waiting for the next request head.
    awaiting_head: Duration,
    /// A request body is still arriving after its response was written.
    uploading: bool,
}

/// Milliseconds on the coarse monotonic clock: every read on a connection
/// records it, so it must be cheap; a few milliseconds of resolution are
/// plenty for idle timeouts.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn coarse_now_ms() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC_COARSE
    // exists on every Linux since 2.6.32 and cannot fail with a valid
    // pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut ts) };
    (ts.tv_sec as u64)
        .saturating_mul(1000)
        .saturating_add(ts.tv_nsec as u64 / 1_000_000)
}

/// Milliseconds since the first call, on the standard monotonic clock
/// (platforms without a coarse clock).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn coarse_now_ms() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let epoch = *EPOCH.get_or_init(std::time::Instant::now);
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Activity {
    fn new() -> Self {
        let now = coarse_now_ms();
        Activity {
            last_read_ms: AtomicU64::new(now),
            head_wait_ms: AtomicU64::new(now),
            in_flight: AtomicUsize::new(0),
            uploads: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        self.last_read_ms.store(coarse_now_ms(), Ordering::Relaxed);
    }

    /// How long the connection has been quiet; `None` while a request is
    /// being handled (from its head until its response was written).
    fn quiet(&self) -> Option<Quiet> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let now = coarse_now_ms();
        let since =
            |at: &AtomicU64| Duration::from_millis(now.saturating_sub(at.load(Ordering::Relaxed)));
        Some(Quiet {
            since_read: since(&self.last_read_ms),
            awaiting_head: since(&self.head_wait_ms),
            uploading: self.uploads.load(Ordering::Acquire) > 0,
        })
    }

    fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(self.clone())
    }
}

/// Marks a request as being handled until dropped.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let now = coarse_now_ms();
        self.0.last_read_ms.store(now, Ordering::Relaxed);
        self.0.head_wait_ms.store(now, Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request in flight until hyper is done
/// with it (written whole, or given up).
struct Served {
    body: ProxyBody,
    _in_flight: InFlight,
}

impl hyper::body::Body for Served {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, BoxError>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// A stream that records when it last received bytes.
struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
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
    connection: &Arc<Activity>,
) -> Result<Response<ProxyBody>, Infallible> {
    let start = Instant::now();
    let (route, response) = dispatch(&shared, req, admin_conn, connection).await;
    shared
        .metrics
        .request_done(route, response.status().as_u16(), start.elapsed());
    Ok(response)
}

async fn dispatch(
    shared: &Arc<Shared>,
    req: Request<Incoming>,
    admin_conn: bool,
    connection: &Arc<Activity>,
) -> (usize, Response<ProxyBody>) {
    if let Some(refusal) = refuse_unforwardable(&req) {
        let route = if admin_conn {
            shared.admin_route()
        } else {
            shared.unrouted()
        };
        return (route, refusal);
    }
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
    let _permit = match shared.limit.try_acquire() {
        Ok(permit) => permit,
        Err(TryAcquireError::Closed) => {
            return (
                index,
                text(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
            )
        }
        Err(TryAcquireError::NoPermits) => {
            // A short, bounded wait smooths bursts; beyond it the client is
            // told to come back instead of queueing without bound.
            let wait = shared.limit.acquire();
            match tokio::time::timeout(shared.overload_wait, wait).await {
                Ok(Ok(permit)) => permit,
                _ => {
                    shared.metrics.overloaded();
                    return (index, overloaded());
                }
            }
        }
    };
    (index, proxy(shared, index, req, connection).await)
}

/// Requests Edge cannot pass on faithfully, answered before routing and
/// never forwarded (the connection is closed after the answer):
/// - `CONNECT`: Edge is not a tunnel (`501`);
/// - a transfer coding besides the final `chunked` (`gzip, chunked`): the
///   body is still coded once the chunks are removed, and Edge does not
///   decode transfer codings (`501`, RFC 9112 section 6.1); `chunked`
///   applied twice, or an unreadable `Transfer-Encoding`, is malformed
///   (`400`). hyper already refuses a `Transfer-Encoding` whose last coding
///   is not `chunked` (`400`), so only a chunked body can have one.
fn refuse_unforwardable(req: &Request<Incoming>) -> Option<Response<ProxyBody>> {
    if req.method() == Method::CONNECT {
        return Some(closing(text(
            StatusCode::NOT_IMPLEMENTED,
            "CONNECT is not supported",
        )));
    }
    // Common case: a body with a length (or none), so no transfer coding.
    if hyper::body::Body::size_hint(req.body()).exact().is_some() {
        return None;
    }
    let (mut chunked, mut other) = (0usize, false);
    for value in req.headers().get_all(header::TRANSFER_ENCODING) {
        let Ok(value) = value.to_str() else {
            return Some(closing(text(
                StatusCode::BAD_REQUEST,
                "malformed transfer-encoding",
            )));
        };
        for coding in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            if coding.eq_ignore_ascii_case("chunked") {
                chunked += 1;
            } else {
                other = true;
            }
        }
    }
    if chunked > 1 {
        return Some(closing(text(
            StatusCode::BAD_REQUEST,
            "chunked transfer coding applied more than once",
        )));
    }
    if other {
        return Some(closing(text(
            StatusCode::NOT_IMPLEMENTED,
            "transfer coding not supported; only chunked",
        )));
    }
    None
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
            write_limit_gauges(shared, &mut out);
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

/// Gauges of the overload limits: bytes reserved now and the budget.
fn write_limit_gauges(shared: &Shared, out: &mut String) {
    use std::fmt::Write as _;
    let used = shared.budget.used();
    let capacity = shared.budget.capacity();
    let _ = writeln!(
        out,
        "# HELP edge_inflight_bytes Bytes reserved now for request bodies and their processing (read, decoded, working memory, re-encoded)."
    );
    let _ = writeln!(out, "# TYPE edge_inflight_bytes gauge");
    let _ = writeln!(out, "edge_inflight_bytes {used}");
    let _ = writeln!(
        out,
        "# HELP edge_inflight_bytes_limit The in-flight byte budget (max_inflight_bytes)."
    );
    let _ = writeln!(out, "# TYPE edge_inflight_bytes_limit gauge");
    let _ = writeln!(out, "edge_inflight_bytes_limit {capacity}");
}

/// What to send upstream after the module ran.
enum Outcome {
    Forward {
        body: Bytes,
        modified: bool,
        /// The budget a modified body holds while it is sent (the
        /// received body's own reservation is the caller's).
        held: Option<Reservation>,
    },
    Respond(ModuleResponse),
    Reject(StatusCode, &'static str),
    /// The shared byte budget cannot take the decoded body now (503 with
    /// `Retry-After`).
    Overloaded,
}

async fn proxy(
    shared: &Shared,
    index: usize,
    req: Request<Incoming>,
    connection: &Arc<Activity>,
) -> Response<ProxyBody> {
    let reg = &shared.registrations[index];
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A body that can never fit the shared budget is a limit, not overload.
    let hard_limit = reg.max_request_body.min(shared.budget.capacity());
    if declared.is_some_and(|len| len > hard_limit as u64) {
        shared.metrics.too_large();
        return text(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    }
    // Reserved before the body is read (and before `100 Continue` is sent).
    let Some(mut reservation) = shared.budget.try_reserve(declared.unwrap_or(0) as usize) else {
        shared.metrics.overloaded();
        return overloaded();
    };
    let inspect = {
        let rp = request_parts(&parts);
        reg.module.inspects_request_body(&rp)
    };
    // The parser's own length (a chunked body has none, whatever its
    // headers say) decides.
    let exact = hyper::body::Body::size_hint(&body).exact();
    if let Some(len) =
        declared.filter(|&len| !inspect && len > STREAM_BODY_BYTES && exact == Some(len))
    {
        let upload = Upload::new(connection);
        return stream_through(shared, index, parts, body, len, reservation, upload).await;
    }
    let body = match read_body(body, hard_limit, &mut reservation, shared.body_read_timeout).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            shared.metrics.too_large();
            return text(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
        }
        Err(BodyError::Overloaded) => {
            shared.metrics.overloaded();
            return closing(overloaded());
        }
        Err(BodyError::TimedOut) => {
            tracing::debug!(
                module = reg.module.name(),
                "request body not received in time"
            );
            return closing(text(
                StatusCode::REQUEST_TIMEOUT,
                "request body not received in time",
            ));
        }
        Err(BodyError::Read(error)) => {
            tracing::debug!(%error, "reading request body failed");
            return text(StatusCode::BAD_REQUEST, "cannot read request body");
        }
    };
    reservation.shrink_to(body.len());
    let received = body.len();

    let outcome = if inspect {
        run_module(shared, reg, &parts, body).await
    } else {
        Outcome::Forward {
            body,
            modified: false,
            held: None,
        }
    };

    let (body, modified, _held) = match outcome {
        Outcome::Forward {
            body,
            modified,
            held,
        } => (body, modified, held),
        Outcome::Respond(r) => {
            shared.metrics.bytes(received, 0);
            let mut resp = full(r.status, r.body);
            resp.headers_mut().extend(r.headers);
            return resp;
        }
        Outcome::Overloaded => return overloaded(),
        Outcome::Reject(status, reason) => return text(status, reason),
    };
    shared.metrics.bytes(received, body.len());
    send_upstream(shared, index, parts, RequestBody::Buffered(body), modified).await
}

/// Request bodies the module does not inspect are streamed upstream above
/// this declared size; smaller ones arrive with the head or in a few reads,
/// so reading them first costs nothing and keeps them retryable in every
/// case (`upstream_retry_on_gateway_errors` too).
const STREAM_BODY_BYTES: u64 = 64 * 1024;

/// Forwards a body the module does not inspect as it arrives (its declared
/// `len` is within the limits and `reservation` holds it in the budget until
/// the request ends, as for a buffered body).
/// The body read timeout still bounds the time spent waiting for it; a body
/// that fails aborts the upstream request and the client gets `408`/`400`
/// (also when the upstream had already answered `2xx`).
async fn stream_through(
    shared: &Shared,
    index: usize,
    parts: http::request::Parts,
    body: Incoming,
    len: u64,
    reservation: Reservation,
    upload: Upload,
) -> Response<ProxyBody> {
    let _reservation = reservation;
    let streamed = Streamed::new(body, len, shared.body_read_timeout, Some(upload));
    let progress = streamed.progress();
    let leftover = streamed.leftover();
    let response =
        send_upstream(shared, index, parts, RequestBody::Streamed(streamed), false).await;
    let sent = progress.received();
    // A body no attempt read (upstream unreachable) is read now, as it
    // would have been before forwarding.
    leftover.drain().await;
    if let Some(failure) = progress.failure() {
        tracing::debug!(
            module = shared.registrations[index].module.name(),
            ?failure,
            "streamed request body failed"
        );
        return failure.response();
    }
    shared
        .metrics
        .bytes(progress.received() as usize, sent as usize);
    response
}

/// Sends the request with `body` to the registration's upstream and returns
/// what the client gets.
async fn send_upstream(
    shared: &Shared,
    index: usize,
    parts: http::request::Parts,
    body: RequestBody,
    modified: bool,
) -> Response<ProxyBody> {
    let reg = &shared.registrations[index];
    let filter = {
        let rp = request_parts(&parts);
        reg.module.response_filter(&rp)
    };
    let target = &shared.targets[index];
    let Some(uri) = target.request_target(&parts.method, parts.uri.path_and_query()) else {
        return text(StatusCode::BAD_REQUEST, "request path cannot be forwarded");
    };
    let http::request::Parts {
        method,
        mut headers,
        ..
    } = parts;
    // `Host` and `Content-Length` are overwritten in place rather than
    // removed (a removal moves other entries around).
    strip_hop_by_hop(&mut headers, &[header::EXPECT]);
    headers.insert(header::HOST, target.host().clone());
    if modified && headers.contains_key(header::CONTENT_LENGTH) {
        // An unmodified body was read whole, so the client's length is
        // right; a re-encoded one has its own.
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    if let Some(auth) = target.basic_auth() {
        if !headers.contains_key(header::AUTHORIZATION) {
            headers.insert(header::AUTHORIZATION, auth.clone());
        }
    }
    tracing::debug!(
        module = reg.module.name(),
        method = %method,
        path = uri.path(),
        bytes = body.len(),
        modified,
        "forwarding"
    );
    let outgoing = Outgoing {
        route: index,
        module: reg.module.name(),
        target,
        method,
        uri,
        headers,
        body,
    };
    shared
        .upstream
        .forward(&shared.metrics, outgoing, filter)
        .await
}

/// Why a request body was not read.
enum BodyError {
    TooLarge,
    Overloaded,
    TimedOut,
    Read(hyper::Error),
}

/// Reads the whole body within `timeout`, refusing more than `limit` bytes
/// and growing `reservation` as bytes arrive.
async fn read_body(
    mut body: Incoming,
    limit: usize,
    reservation: &mut Reservation,
    timeout: Duration,
) -> Result<Bytes, BodyError> {
    let read = async {
        // Small bodies arrive in one frame: no list is allocated for them.
        let mut chunks = Chunks::default();
        let mut total = 0usize;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(BodyError::Read)?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers are not forwarded
            };
            total += data.len();
            if total > limit {
                return Err(BodyError::TooLarge);
            }
            if total > reservation.held() && !reservation.try_grow(total - reservation.held()) {
                return Err(BodyError::Overloaded);
            }
            chunks.push(data);
        }
        Ok(chunks.join(total))
    };
    // A small body usually came with the head: read without a timer.
    tokio::pin!(read);
    if let Some(done) = futures_util::FutureExt::now_or_never(read.as_mut()) {
        return done;
    }
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// Body chunks as they arrive; the first one is kept without allocating a
/// list, so that a body of one chunk is never copied or listed.
#[derive(Default)]
pub(crate) struct Chunks {
    first: Option<Bytes>,
    rest: Vec<Bytes>,
}

impl Chunks {
    pub(crate) fn push(&mut self, chunk: Bytes) {
        if self.first.is_none() {
            self.first = Some(chunk);
        } else {
            self.rest.push(chunk);
        }
    }

    /// All chunks in order (for streaming the rest of a large body).
    pub(crate) fn into_vec(self) -> Vec<Bytes> {
        let mut all = Vec::with_capacity(1 + self.rest.len());
        all.extend(self.first);
        all.extend(self.rest);
        all
    }

    /// The chunks as one buffer of `total` bytes (no copy for one chunk).
    pub(crate) fn join(self, total: usize) -> Bytes {
        let Some(first) = self.first else {
            return Bytes::new();
        };
        if self.rest.is_empty() {
            return first;
        }
        let mut joined = BytesMut::with_capacity(total);
        joined.extend_from_slice(&first);
        for chunk in &self.rest {
            joined.extend_from_slice(chunk);
        }
        joined.freeze()
    }
}

/// A decoded body, its wire format and the budget it holds.
type Decoded<'a> = (Cow<'a, [u8]>, codec::Codec, Option<Reservation>);

/// Why a body was not decoded within the shared budget.
enum Refusal {
    Codec(DecodeError),
    Overloaded,
}

/// Decodes with the decoded bytes taken from the shared budget: first a
/// guess from the compressed size, then, for bodies that expand more, the
/// full per-request limit. A body that does not fit the budget now is
/// refused as overload; the reservation lives as long as the decoded body.
fn decode_within_budget<'a>(
    encoding: ContentEncoding,
    body: &'a [u8],
    limit: usize,
    budget: &Arc<ByteBudget>,
) -> Result<Decoded<'a>, Refusal> {
    if encoding == ContentEncoding::Identity {
        // Decoding borrows the body: no new bytes.
        return codec::decode(encoding, body, limit)
            .map(|(d, c)| (d, c, None))
            .map_err(Refusal::Codec);
    }
    let guess = limit.min(body.len().saturating_mul(32).max(64 * 1024));
    let mut reservation = budget.try_reserve(guess).ok_or(Refusal::Overloaded)?;
    let decoded = match codec::decode(encoding, body, guess) {
        Err(DecodeError::TooLarge { .. }) if guess < limit => {
            if !reservation.try_grow(limit - guess) {
                return Err(Refusal::Overloaded);
            }
            codec::decode(encoding, body, limit)
        }
        other => other,
    };
    let (decoded, found) = decoded.map_err(Refusal::Codec)?;
    // TODO: the decoder's Vec may hold up to twice its length in capacity;
    // only the length is accounted.
    reservation.shrink_to(decoded.len());
    Ok((decoded, found, Some(reservation)))
}

fn request_parts(parts: &http::request::Parts) -> RequestParts<'_> {
    RequestParts {
        method: &parts.method,
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
    }
}

/// Identity-encoded bodies up to this size are evaluated on the connection's
/// worker thread instead of the blocking pool.
const INLINE_MODULE_BYTES: usize = 16 * 1024;

/// Decodes, calls the module and re-encodes (on the blocking pool unless the
/// body is small and identity-encoded).
async fn run_module(
    shared: &Shared,
    reg: &ModuleRegistration,
    parts: &http::request::Parts,
    body: Bytes,
) -> Outcome {
    // The received body already holds its share of the budget: a decoded
    // body that could not fit next to it even with the budget otherwise
    // empty is too large (413), not a reason to ask for a retry (503).
    let limit = reg
        .max_decoded_body
        .min(shared.budget.capacity().saturating_sub(body.len()));
    let original = body.clone();
    let encoding = ContentEncoding::from_headers(&parts.headers);
    // Small bodies cost less to evaluate than a hand-off to the blocking
    // pool (two thread wake-ups), so they run on the worker itself; large or
    // compressed ones go to the pool so they never stall other connections.
    let inline =
        body.len() <= INLINE_MODULE_BYTES && matches!(encoding, Ok(ContentEncoding::Identity));
    // A bug in a module fails open for this request instead of taking the
    // connection down.
    let result = if inline {
        let rp = request_parts(parts);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            evaluate(&*reg.module, &rp, encoding, &body, limit, &shared.budget)
        }))
        .map_err(|_| ())
    } else {
        let module = reg.module.clone();
        let budget = shared.budget.clone();
        let (method, uri, headers) = (
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.clone(),
        );
        shared
            .blocking
            .spawn_blocking(move || {
                let rp = RequestParts {
                    method: &method,
                    path: uri.path(),
                    query: uri.query(),
                    headers: &headers,
                };
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    evaluate(&*module, &rp, encoding, &body, limit, &budget)
                }))
            })
            .await
            .map_err(|_| ())
            .and_then(|r| r.map_err(|_| ()))
    };
    match result {
        Ok((outcome, note)) => {
            match note {
                Note::Undecodable => shared.metrics.decode_failure(),
                Note::Unfiltered => shared.metrics.unfiltered_over_budget(),
                Note::None => {}
            }
            match &outcome {
                Outcome::Reject(StatusCode::PAYLOAD_TOO_LARGE, _) => shared.metrics.too_large(),
                Outcome::Overloaded => shared.metrics.overloaded(),
                _ => {}
            }
            outcome
        }
        Err(()) => {
            tracing::error!(
                module = reg.module.name(),
                "module failed; forwarding the request untouched"
            );
            Outcome::Forward {
                body: original,
                modified: false,
                held: None,
            }
        }
    }
}

/// What [`evaluate`] tells its caller to count besides the outcome.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Note {
    /// Nothing.
    None,
    /// The body could not be decoded.
    Undecodable,
    /// Filtering it could never fit the budget: forwarded unfiltered.
    Unfiltered,
}

/// Decodes the body within the budget and calls the module; the note says
/// what the caller counts.
fn evaluate(
    module: &dyn ProxyModule,
    rp: &RequestParts<'_>,
    encoding: Result<ContentEncoding, String>,
    body: &Bytes,
    limit: usize,
    budget: &Arc<ByteBudget>,
) -> (Outcome, Note) {
    let encoding = match encoding {
        Ok(e) => e,
        Err(name) => {
            let why = DecodeFailure::UnsupportedEncoding(name);
            return (
                apply(module.on_undecodable_body(rp, &why), body, None),
                Note::Undecodable,
            );
        }
    };
    match decode_within_budget(encoding, body, limit, budget) {
        Ok((decoded, codec, reservation)) => {
            let reservation = match reserve_processing(
                module,
                rp,
                body.len(),
                &decoded,
                codec,
                reservation,
                budget,
            ) {
                Ok(reservation) => reservation,
                Err(ProcessingRefusal::Overloaded) => return (Outcome::Overloaded, Note::None),
                Err(ProcessingRefusal::NeverFits { need }) => {
                    // Fail open: within the body limits, so the client's
                    // data goes upstream as sent, unfiltered, rather than
                    // being refused for the memory filtering it would take.
                    tracing::warn!(
                        module = module.name(),
                        decoded_bytes = decoded.len(),
                        processing_bytes = need,
                        max_inflight_bytes = budget.capacity(),
                        "body too large to filter within max_inflight_bytes; forwarded unfiltered"
                    );
                    return (
                        Outcome::Forward {
                            body: body.clone(),
                            modified: false,
                            held: None,
                        },
                        Note::Unfiltered,
                    );
                }
            };
            let outcome = apply(module.on_request(rp, &decoded), body, Some(codec));
            drop(decoded);
            (hold_sent(outcome, reservation), Note::None)
        }
        Err(Refusal::Overloaded) => (Outcome::Overloaded, Note::None),
        Err(Refusal::Codec(DecodeError::TooLarge { .. })) => (
            Outcome::Reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "decoded request body too large",
            ),
            Note::None,
        ),
        Err(Refusal::Codec(DecodeError::Corrupt(reason))) => {
            let why = DecodeFailure::Corrupt(reason);
            (
                apply(module.on_undecodable_body(rp, &why), body, None),
                Note::Undecodable,
            )
        }
    }
}

/// Reserves, on top of the decoded body's own reservation (`None` when it
/// borrows the received body), what the module estimates it needs to
/// process `decoded` and what re-encoding its output may take. Processing
/// that could not fit even in an otherwise empty budget next to the received
/// body is skipped (the body is forwarded unfiltered: it is within the body
/// limits); one that does not fit now is overload (`503`).
fn reserve_processing(
    module: &dyn ProxyModule,
    rp: &RequestParts<'_>,
    received: usize,
    decoded: &[u8],
    codec: codec::Codec,
    reservation: Option<Reservation>,
    budget: &Arc<ByteBudget>,
) -> Result<Reservation, ProcessingRefusal> {
    let need = module
        .working_memory(rp, decoded.len())
        .saturating_add(codec::encode_memory(codec, received, decoded.len()));
    let held = reservation.as_ref().map_or(0, Reservation::held);
    if received.saturating_add(held).saturating_add(need) > budget.capacity() {
        return Err(ProcessingRefusal::NeverFits { need });
    }
    match reservation {
        Some(mut reservation) => reservation
            .try_grow(need)
            .then_some(reservation)
            .ok_or(ProcessingRefusal::Overloaded),
        None => budget
            .try_reserve(need)
            .ok_or(ProcessingRefusal::Overloaded),
    }
}

/// Why processing a decoded body was not reserved.
enum ProcessingRefusal {
    /// Not even in an otherwise empty budget (forwarded unfiltered);
    /// `need` is what processing would have reserved.
    NeverFits {
        /// Bytes processing would have reserved.
        need: usize,
    },
    /// Not now (`503`).
    Overloaded,
}

/// Keeps in the budget, until the request ends, the bytes of a modified body
/// that is sent; everything else the module and encoder held is given back.
fn hold_sent(outcome: Outcome, mut reservation: Reservation) -> Outcome {
    match outcome {
        Outcome::Forward {
            body,
            modified: true,
            held: None,
        } => {
            reservation.shrink_to(body.len());
            Outcome::Forward {
                body,
                modified: true,
                held: Some(reservation),
            }
        }
        other => other,
    }
}

/// Turns a module action into what is sent, re-encoding a modified body with
/// the client's encoding.
fn apply(action: RequestAction, original: &Bytes, codec: Option<codec::Codec>) -> Outcome {
    match action {
        RequestAction::ForwardOriginal => Outcome::Forward {
            body: original.clone(),
            modified: false,
            held: None,
        },
        RequestAction::Respond(r) => Outcome::Respond(r),
        RequestAction::ForwardModified(decoded) => {
            let Some(codec) = codec else {
                // Nothing was decoded, so nothing can have been modified.
                return Outcome::Forward {
                    body: original.clone(),
                    modified: false,
                    held: None,
                };
            };
            if codec == codec::Codec::Identity {
                // Nothing to encode: the module's buffer is sent as it is.
                return Outcome::Forward {
                    body: decoded,
                    modified: true,
                    held: None,
                };
            }
            // The client's own compressed size, with room for level 1
            // compressing less tightly, sizes the output once.
            let capacity = codec::reencode_capacity(original.len(), decoded.len());
            match codec::encode_with_capacity(codec, &decoded, capacity) {
                Ok(encoded) => Outcome::Forward {
                    body: Bytes::from(encoded),
                    modified: true,
                    held: None,
                },
                Err(error) => {
                    tracing::error!(%error, "re-encoding failed; forwarding the original body");
                    Outcome::Forward {
                        body: original.clone(),
                        modified: false,
                        held: None,
                    }
                }
            }
        }
    }
}

pub(crate) fn full(status: StatusCode, body: Bytes) -> Response<ProxyBody> {
    let mut resp = Response::new(BodyExt::boxed_unsync(
        Full::new(body).map_err(|never| -> BoxError { match never {} }),
    ));
    *resp.status_mut() = status;
    resp
}

pub(crate) fn text(status: StatusCode, line: &'static str) -> Response<ProxyBody> {
    let mut resp = full(status, Bytes::from(format!("{line}\n")));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// `503` with `Retry-After`: the proxy is at a concurrency or memory limit.
fn overloaded() -> Response<ProxyBody> {
    let mut resp = text(StatusCode::SERVICE_UNAVAILABLE, "overloaded; retry later");
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    resp
}

/// Asks hyper to close the connection after this response (the request
/// body was not read to its end).
fn closing(mut resp: Response<ProxyBody>) -> Response<ProxyBody> {
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
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
