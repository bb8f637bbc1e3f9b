//! Edge's own HTTP/1.1 upstream connection pool: one per serving thread,
//! built on `hyper::client::conn::http1`.
//!
//! A serving thread's requests only use the connections of its own pool,
//! whose connection tasks run on its own runtime: nothing is shared between
//! threads (each pool's lock is only ever taken by its own thread, so it is
//! never contended). Per request, a connection is taken from the pool (the
//! most recently used one, so few stay warm), or a new one is made; it goes
//! back when the response body was read to its end and the request body
//! was sent whole, and is closed otherwise.
//!
//! Rules:
//! - keep-alive reuse; an idle connection is closed after the idle timeout
//!   (a per-pool task closes them even without traffic) and at most
//!   `max_idle_per_host` stay idle per upstream;
//! - a pooled connection the upstream closed (`Connection: close`, or
//!   closed while idle) is never used again;
//! - a pooled connection idle for at least [`PoolSettings::probe_after`]
//!   (every one, in Edge) is checked for what the runtime has not noticed
//!   yet (the upstream's bytes, FIN or reset can arrive while the serving
//!   thread is busy, after its last look at the sockets): a non-blocking
//!   `poll` of its socket, which reads nothing. One with anything to read
//!   (an unsolicited response such as a `408` before a close, or over TLS a
//!   `close_notify` alert), half-closed, closed or reset is dropped before
//!   anything is written, and the request takes another;
//! - a request that hyper hands back unsent (the connection turned out to
//!   be closed before anything was written) is sent again on another or a
//!   fresh connection, as the previous pool did. A request that may have
//!   been written is never sent again here (that is the retry policy's
//!   business, which retries only what certainly did not reach the
//!   upstream).

use std::future::Future;
use std::os::fd::RawFd;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::FutureExt as _;
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use tokio::time::Instant;

use crate::body::OutBody;
use crate::server::BoxError;

/// Idle connections of one upstream (scheme and authority), oldest
/// first; taken from the back.
type Host = Vec<Idle>;

struct Idle {
    tx: SendRequest<OutBody>,
    socket: Liveness,
    since: Instant,
}

struct State {
    /// By upstream slot (see [`crate::upstream::Target::slot`]), created
    /// on first use.
    hosts: Vec<Host>,
    /// A task closing expired idle connections is running.
    reaper: bool,
}

/// Limits of a pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSettings {
    /// Idle connections older than this are closed.
    pub idle_timeout: Duration,
    /// Most idle connections kept per upstream; more are closed.
    pub max_idle_per_host: usize,
    /// A pooled connection idle at least this long has its socket checked
    /// before it is used (one system call); connections reused sooner skip
    /// the check.
    pub probe_after: Duration,
}

/// The connection pool of one serving thread.
pub(crate) struct Pool {
    state: Mutex<State>,
    settings: PoolSettings,
}

/// Why a request could not be exchanged.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SendError {
    /// No connection could be made (refused, unreachable, timeout, TLS).
    #[error("connecting to the upstream failed")]
    Connect(#[source] BoxError),
    /// The connection failed during the exchange.
    #[error("upstream exchange failed")]
    Exchange(#[source] hyper::Error),
}

/// A connection in use by one request; back to the pool by
/// [`Lease::release`], closed (after the exchange under way) when dropped.
pub(crate) struct Lease {
    pool: Arc<Pool>,
    host: usize,
    tx: SendRequest<OutBody>,
    socket: Liveness,
}

impl Lease {
    /// Puts the connection back: to be called when the response body was
    /// read to its end and the request body sent whole.
    pub(crate) fn release(self) {
        let Lease {
            pool,
            host,
            tx,
            socket,
        } = self;
        pool.put(host, tx, socket);
    }
}

/// The TCP socket under a connection's I/O, for [`Liveness`].
pub(crate) trait Socket {
    /// The socket's descriptor; `None` when there is no such socket.
    fn socket(&self) -> Option<RawFd>;
}

impl Socket for hyper_util::rt::TokioIo<tokio::net::TcpStream> {
    fn socket(&self) -> Option<RawFd> {
        use std::os::fd::AsRawFd as _;
        Some(self.inner().as_raw_fd())
    }
}

/// A look at a pooled connection's socket. The descriptor is forgotten
/// (under the lock) before the connection's I/O closes it, so a look never
/// reaches a descriptor that was closed or reused meanwhile.
#[derive(Clone, Default)]
pub(crate) struct Liveness(Arc<Mutex<Option<RawFd>>>);

impl Liveness {
    fn lock(&self) -> MutexGuard<'_, Option<RawFd>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the idle connection may still carry a request: only when
    /// its socket has nothing to read and is neither half-closed, closed nor
    /// reset. An idle HTTP/1.1 connection is owed nothing, so any bytes are
    /// the end of it: an unsolicited response (such as a `408` before a
    /// close) or, over TLS, a `close_notify` alert (at worst a late session
    /// ticket, which costs a new connection). Nothing is read: one `poll`
    /// with no wait.
    fn open(&self) -> bool {
        let socket = self.lock();
        let Some(fd) = *socket else {
            // Its I/O is gone: the connection ended.
            return false;
        };
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let events = libc::POLLIN | libc::POLLRDHUP;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let events = libc::POLLIN;
        let mut pollfd = libc::pollfd {
            fd,
            events,
            revents: 0,
        };
        // SAFETY: `fd` is open: the connection's I/O forgets it under this
        // lock before closing it. One valid, exclusively borrowed pollfd; a
        // zero timeout never blocks, and `poll` reads nothing.
        let ready = unsafe { libc::poll(&mut pollfd, 1, 0) };
        // Ready (readable, half-closed, hung up, failed) or an error: not
        // to be used.
        ready == 0
    }
}

/// A connection's I/O, which forgets its socket in its [`Liveness`] before
/// closing it.
struct Watched<Io> {
    io: Io,
    socket: Liveness,
}

impl<Io> Drop for Watched<Io> {
    fn drop(&mut self) {
        // The descriptor closes right after this, when `io` is dropped.
        *self.socket.lock() = None;
    }
}

impl<Io: hyper::rt::Read + Unpin> hyper::rt::Read for Watched<Io> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<Io: hyper::rt::Write + Unpin> hyper::rt::Write for Watched<Io> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

impl Pool {
    pub(crate) fn new(settings: PoolSettings) -> Arc<Pool> {
        Arc::new(Pool {
            state: Mutex::new(State {
                hosts: Vec::new(),
                reaper: false,
            }),
            settings,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding it; a poisoned pool is still sound.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most recent idle connection of `host` that is still usable;
    /// closed and expired ones are dropped on the way.
    fn take(&self, host: usize) -> Option<Idle> {
        let now = Instant::now();
        let mut state = self.lock();
        let idle = state.hosts.get_mut(host)?;
        while let Some(conn) = idle.pop() {
            if now.saturating_duration_since(conn.since) >= self.settings.idle_timeout {
                // The older ones expired too.
                idle.clear();
                return None;
            }
            if !conn.tx.is_closed() {
                return Some(conn);
            }
        }
        None
    }

    /// Keeps `tx` as idle, unless it is closed or the host has enough.
    fn put(self: &Arc<Self>, host: usize, tx: SendRequest<OutBody>, socket: Liveness) {
        if tx.is_closed() || self.settings.max_idle_per_host == 0 {
            return;
        }
        let mut state = self.lock();
        if state.hosts.len() <= host {
            state.hosts.resize_with(host + 1, Vec::new);
        }
        let idle = &mut state.hosts[host];
        if idle.len() >= self.settings.max_idle_per_host {
            // The oldest goes: it is the likeliest to be closed by the
            // upstream.
            idle.remove(0);
        }
        idle.push(Idle {
            tx,
            socket,
            since: Instant::now(),
        });
        if !state.reaper {
            state.reaper = true;
            drop(state);
            tokio::spawn(reap(Arc::downgrade(self)));
        }
    }

    /// Removes idle connections idle since `expired` or earlier; returns
    /// when the next one expires (`None`: none left, the reaper stops).
    fn expire(&self, now: Instant) -> Option<Instant> {
        let timeout = self.settings.idle_timeout;
        let mut state = self.lock();
        let mut next: Option<Instant> = None;
        for idle in &mut state.hosts {
            idle.retain(|c| now.saturating_duration_since(c.since) < timeout && !c.tx.is_closed());
            if let Some(first) = idle.first() {
                let at = first.since + timeout;
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        if next.is_none() {
            state.reaper = false;
        }
        next
    }

    /// Idle connections of every upstream (for tests and metrics).
    #[cfg(test)]
    fn idle(&self) -> usize {
        self.lock().hosts.iter().map(Vec::len).sum()
    }
}

/// Closes a pool's idle connections as they expire, while there are any
/// (and the pool exists).
async fn reap(pool: Weak<Pool>) {
    let mut at = Instant::now();
    loop {
        let next = match pool.upgrade() {
            Some(pool) => pool.expire(at),
            None => return,
        };
        let Some(next) = next else { return };
        tokio::time::sleep_until(next).await;
        at = Instant::now();
    }
}

/// Sends `req` (its URI in the form sent on the connection) on a pooled
/// or new connection of `pool` to the upstream in slot `host`. `connect`
/// makes a new connection's I/O.
pub(crate) async fn send<C, Fut, Io>(
    pool: &Arc<Pool>,
    host: usize,
    mut req: Request<OutBody>,
    connect: C,
) -> Result<(Response<Incoming>, Lease), SendError>
where
    C: Fn() -> Fut,
    Fut: Future<Output = Result<Io, BoxError>>,
    Io: hyper::rt::Read + hyper::rt::Write + Socket + Unpin + Send + 'static,
{
    loop {
        let (mut tx, socket, reused) = match pool.take(host) {
            Some(idle) => {
                // Ready at once unless the connection is still finishing its
                // last exchange (never for long: it only goes back once its
                // response was read) or closing.
                let mut tx = idle.tx;
                match tx.ready().now_or_never() {
                    Some(Ok(())) => {}
                    // Closed meanwhile, or busy: another one is tried.
                    Some(Err(_)) | None => continue,
                }
                let idle_for = Instant::now().saturating_duration_since(idle.since);
                if idle_for >= pool.settings.probe_after && !idle.socket.open() {
                    // Closed (or being closed) by the upstream, and the
                    // connection's task has not seen it yet: nothing was
                    // written on it, and it is dropped.
                    tracing::debug!("pooled upstream connection was closed; using another");
                    continue;
                }
                (tx, idle.socket, true)
            }
            // Rare: boxed, so that the common path's future stays small.
            None => {
                let (tx, socket) = Box::pin(open(&connect)).await?;
                (tx, socket, false)
            }
        };
        match tx.try_send_request(req).await {
            Ok(resp) => {
                return Ok((
                    resp,
                    Lease {
                        pool: pool.clone(),
                        host,
                        tx,
                        socket,
                    },
                ))
            }
            Err(mut error) => match error.take_message() {
                // Nothing was written: a pooled connection the upstream
                // had closed. Sent again on another one.
                Some(unsent) if reused => {
                    tracing::debug!(
                        error = %error.error(),
                        "pooled upstream connection was closed; sending on another"
                    );
                    req = unsent;
                }
                _ => return Err(SendError::Exchange(error.into_error())),
            },
        }
    }
}

/// A new connection, ready for its first request, with the look at its
/// socket.
async fn open<C, Fut, Io>(connect: &C) -> Result<(SendRequest<OutBody>, Liveness), SendError>
where
    C: Fn() -> Fut,
    Fut: Future<Output = Result<Io, BoxError>>,
    Io: hyper::rt::Read + hyper::rt::Write + Socket + Unpin + Send + 'static,
{
    let io = connect().await.map_err(SendError::Connect)?;
    let socket = Liveness(Arc::new(Mutex::new(io.socket())));
    let io = Watched {
        io,
        socket: socket.clone(),
    };
    Ok((handshake(io).await?, socket))
}

/// Starts HTTP/1.1 on a new connection and spawns its task on the current
/// (serving thread's) runtime.
async fn handshake<Io>(io: Io) -> Result<SendRequest<OutBody>, SendError>
where
    Io: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (tx, conn) = http1::Builder::new()
        .handshake(io)
        .await
        .map_err(|e| SendError::Connect(Box::new(e)))?;
    tokio::spawn(async move {
        if let Err(error) = conn.await {
            tracing::debug!(%error, "upstream connection closed with an error");
        }
    });
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one request from `s`; its body.
    fn read_request(s: &mut impl std::io::Read) -> String {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 1024];
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if buf.len() >= end + 4 + len {
                    return String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned();
                }
            }
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "client closed");
            buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn request(uri: &str, body: &'static str) -> Request<OutBody> {
        let body = crate::body::RequestBody::Buffered(bytes::Bytes::from_static(body.as_bytes()));
        let mut req = Request::new(body.attempt().unwrap());
        *req.method_mut() = http::Method::POST;
        *req.uri_mut() = uri.parse().unwrap();
        req.headers_mut()
            .insert(http::header::HOST, http::HeaderValue::from_static("x"));
        req
    }

    /// The pooled connection looks open when it is taken, but the upstream
    /// had closed it: hyper hands the request back unsent, and it goes on a
    /// fresh connection (once).
    #[tokio::test]
    async fn an_unsent_request_on_a_stale_connection_goes_on_a_fresh_one() {
        use std::io::Write;
        use tokio::io::AsyncReadExt;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        // The "client": a socket whose byte wakes this task in the same
        // reactor turn as the upstream's close, just before the
        // connection's task.
        let bell_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut bell = tokio::net::TcpStream::connect(bell_listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut bell_tx, _) = bell_listener.accept().unwrap();
        let (close_tx, close_rx) = std::sync::mpsc::channel::<()>();
        let (closed_tx, closed_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let (mut first, _) = listener.accept().unwrap();
            seen.push((0, read_request(&mut first)));
            first
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            close_rx.recv().unwrap();
            bell_tx.write_all(b"!").unwrap();
            drop(first);
            closed_tx.send(()).unwrap();
            let (mut second, _) = listener.accept().unwrap();
            seen.push((1, read_request(&mut second)));
            second
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            seen
        });
        let pool = Pool::new(PoolSettings {
            idle_timeout: Duration::from_secs(30),
            max_idle_per_host: 4,
            probe_after: Duration::from_secs(30),
        });
        let connect = || async move {
            tokio::net::TcpStream::connect(addr)
                .await
                .map(hyper_util::rt::TokioIo::new)
                .map_err(|e| Box::new(e) as BoxError)
        };
        let uri = "/x";
        let (resp, lease) = send(&pool, 0, request(uri, "one"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        drop(resp);
        lease.release();
        // The connection task settles (ready for the next request).
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.idle(), 1);
        // Closed by the upstream; this thread (the runtime) learns it only
        // when the connection task runs again, after the request is queued.
        close_tx.send(()).unwrap();
        closed_rx.recv().unwrap();
        let mut ring = [0u8; 1];
        bell.read_exact(&mut ring).await.unwrap();
        assert!(pool.lock().hosts[0].iter().all(|c| !c.tx.is_closed()));
        let (resp, _lease) = send(&pool, 0, request(uri, "two"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        let seen = server.join().unwrap();
        assert_eq!(seen, [(0, "one".to_owned()), (1, "two".to_owned())]);
    }

    /// The upstream closes the pooled connection while the serving thread
    /// is busy (here: blocked), so the runtime has not seen the close when
    /// the next request takes the connection, and hyper would write the
    /// request on it and fail (a `502`). The look at the socket finds the
    /// close first: the request goes on a fresh connection, and the
    /// upstream gets each request once.
    #[tokio::test]
    async fn a_close_the_runtime_has_not_seen_is_found_before_writing() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (close_tx, close_rx) = std::sync::mpsc::channel::<()>();
        let (closed_tx, closed_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let (mut first, _) = listener.accept().unwrap();
            seen.push((0, read_request(&mut first)));
            first
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            close_rx.recv().unwrap();
            drop(first);
            closed_tx.send(()).unwrap();
            // A request written on the closed connection would not be
            // read: the next one must come on a new connection.
            let (mut second, _) = listener.accept().unwrap();
            seen.push((1, read_request(&mut second)));
            second
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            seen
        });
        let pool = Pool::new(PoolSettings {
            idle_timeout: Duration::from_secs(30),
            max_idle_per_host: 4,
            probe_after: Duration::ZERO,
        });
        let connect = || async move {
            tokio::net::TcpStream::connect(addr)
                .await
                .map(hyper_util::rt::TokioIo::new)
                .map_err(|e| Box::new(e) as BoxError)
        };
        let (resp, lease) = send(&pool, 0, request("/x", "one"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        drop(resp);
        lease.release();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.idle(), 1);
        // From here until `send` awaits, this thread (the runtime) does not
        // look at its sockets.
        close_tx.send(()).unwrap();
        closed_rx.recv().unwrap();
        let fd = pool.lock().hosts[0][0].socket.lock().unwrap();
        let mut pollfd = libc::pollfd {
            fd,
            events: libc::POLLIN | libc::POLLRDHUP,
            revents: 0,
        };
        // SAFETY: one valid pollfd; the descriptor is the idle
        // connection's, open while the pool holds it.
        let ready = unsafe { libc::poll(&mut pollfd, 1, 5000) };
        assert_eq!(ready, 1, "the upstream's close reached the socket");
        assert!(!pool.lock().hosts[0][0].tx.is_closed());
        let (resp, _lease) = send(&pool, 0, request("/x", "two"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        let seen = server.join().unwrap();
        assert_eq!(seen, [(0, "one".to_owned()), (1, "two".to_owned())]);
    }
    /// Waits (blocking the runtime, so that it does not see the socket)
    /// until the idle connection's socket has something to read.
    fn wait_readable(pool: &Pool) {
        let fd = pool.lock().hosts[0][0].socket.lock().unwrap();
        let mut pollfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; the descriptor is the idle
        // connection's, open while the pool holds it.
        let ready = unsafe { libc::poll(&mut pollfd, 1, 5000) };
        assert_eq!(ready, 1, "the upstream's bytes reached the socket");
        assert!(!pool.lock().hosts[0][0].tx.is_closed());
    }

    /// A plain HTTP upstream answers `408` on the idle pooled connection
    /// and closes it, right after its last use and before the runtime
    /// looked at it: the connection is not used (the request would get the
    /// `408`, or fail), the request goes on a new one, and the upstream
    /// sees each request once.
    #[tokio::test]
    async fn an_unsolicited_response_on_an_idle_connection_is_not_reused() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (close_tx, close_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let (mut first, _) = listener.accept().unwrap();
            seen.push((0, read_request(&mut first)));
            first
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            close_rx.recv().unwrap();
            first
                .write_all(
                    b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
                )
                .unwrap();
            drop(first);
            let (mut second, _) = listener.accept().unwrap();
            seen.push((1, read_request(&mut second)));
            second
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            seen
        });
        let pool = edge_pool();
        let connect = || async move {
            tokio::net::TcpStream::connect(addr)
                .await
                .map(hyper_util::rt::TokioIo::new)
                .map_err(|e| Box::new(e) as BoxError)
        };
        let (resp, lease) = send(&pool, 0, request("/x", "one"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        drop(resp);
        lease.release();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.idle(), 1);
        close_tx.send(()).unwrap();
        wait_readable(&pool);
        let (resp, _lease) = send(&pool, 0, request("/x", "two"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        let seen = server.join().unwrap();
        assert_eq!(seen, [(0, "one".to_owned()), (1, "two".to_owned())]);
    }

    /// A pool with the settings Edge runs with.
    fn edge_pool() -> Arc<Pool> {
        Pool::new(PoolSettings {
            idle_timeout: Duration::from_secs(30),
            max_idle_per_host: 4,
            probe_after: crate::upstream::PROBE_IDLE_AFTER,
        })
    }

    /// A TLS connection to `addr` (certificate for `127.0.0.1`).
    async fn tls_connect(
        connector: tokio_rustls::TlsConnector,
        addr: std::net::SocketAddr,
    ) -> Result<
        hyper_rustls::MaybeHttpsStream<hyper_util::rt::TokioIo<tokio::net::TcpStream>>,
        BoxError,
    > {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        let name = rustls_pki_types::ServerName::try_from("127.0.0.1")?;
        let io = hyper_util::rt::TokioIo::new(hyper_util::rt::TokioIo::new(tcp));
        let tls = connector.connect(name, io).await?;
        Ok(hyper_rustls::MaybeHttpsStream::Https(
            hyper_util::rt::TokioIo::new(tls),
        ))
    }

    /// A server configuration with a certificate for `127.0.0.1` and a
    /// connector that trusts it.
    fn tls_configs() -> (
        Arc<tokio_rustls::rustls::ServerConfig>,
        tokio_rustls::TlsConnector,
    ) {
        use tokio_rustls::rustls;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &ca, &ca_key)
            .unwrap();
        let server_config = Arc::new(
            rustls::ServerConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(
                    vec![leaf.der().clone()],
                    rustls_pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
                )
                .unwrap(),
        );
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der().clone()).unwrap();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth(),
        ));

        (server_config, connector)
    }

    /// A TLS upstream sends `close_notify` on the idle pooled connection
    /// and closes it: the alert is bytes to read, not a reason to use the
    /// connection. The request goes on a new connection (instead of failing
    /// on the closed one: a `502`), and the upstream sees each request once.
    #[tokio::test]
    async fn a_tls_close_notify_on_an_idle_connection_is_not_reused() {
        use std::io::Write;
        use tokio_rustls::rustls;
        let (server_config, connector) = tls_configs();

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (close_tx, close_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let accept = || {
                let (tcp, _) = listener.accept().unwrap();
                let conn = rustls::ServerConnection::new(server_config.clone()).unwrap();
                rustls::StreamOwned::new(conn, tcp)
            };
            let mut seen = Vec::new();
            let mut first = accept();
            seen.push((0, read_request(&mut first)));
            first
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            first.flush().unwrap();
            close_rx.recv().unwrap();
            first.conn.send_close_notify();
            first.flush().unwrap();
            drop(first);
            let mut second = accept();
            seen.push((1, read_request(&mut second)));
            second
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            second.flush().unwrap();
            seen
        });
        let pool = edge_pool();
        let connect = || tls_connect(connector.clone(), addr);
        let (resp, lease) = send(&pool, 0, request("/x", "one"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        drop(resp);
        lease.release();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.idle(), 1);
        close_tx.send(()).unwrap();
        wait_readable(&pool);
        let (resp, _lease) = send(&pool, 0, request("/x", "two"), connect)
            .await
            .expect("sent on a new connection");
        assert_eq!(resp.status(), 202);
        let seen = server.join().unwrap();
        assert_eq!(seen, [(0, "one".to_owned()), (1, "two".to_owned())]);
    }

    /// A TLS upstream sends `close_notify` in the same write as its
    /// response and keeps the TCP connection open (no FIN): the alert is read
    /// from the socket with the response, so it waits inside rustls, not in
    /// the socket, where `poll` cannot see it. The connection is reused as
    /// soon as the response was read, yet the request goes on a new
    /// connection and arrives once; it is never written on the closed one
    /// (where it would wait for an answer that never comes).
    #[tokio::test]
    async fn a_close_notify_read_with_the_response_is_not_reused() {
        use http_body_util::BodyExt as _;
        use std::io::Write;
        use tokio_rustls::rustls;
        let (server_config, connector) = tls_configs();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let server = std::thread::spawn(move || {
            let accept = || {
                let (tcp, _) = listener.accept().unwrap();
                let conn = rustls::ServerConnection::new(server_config.clone()).unwrap();
                rustls::StreamOwned::new(conn, tcp)
            };
            let mut seen = Vec::new();
            let mut first = accept();
            seen.push((0, read_request(&mut first)));
            // The response and the alert in one write to the socket.
            first
                .conn
                .writer()
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            first.conn.send_close_notify();
            first.flush().unwrap();
            let mut second = accept();
            seen.push((1, read_request(&mut second)));
            second
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            second.flush().unwrap();
            // The first connection stays open (no FIN) until the end.
            done_rx.recv().unwrap();
            drop(first);
            seen
        });
        let pool = edge_pool();
        let connect = || tls_connect(connector.clone(), addr);
        let (resp, lease) = send(&pool, 0, request("/x", "one"), connect).await.unwrap();
        assert_eq!(resp.status(), 202);
        resp.into_body().collect().await.unwrap();
        lease.release();
        let (resp, _lease) = tokio::time::timeout(
            Duration::from_secs(10),
            send(&pool, 0, request("/x", "two"), connect),
        )
        .await
        .expect("not sent on the closed connection")
        .expect("sent on a new connection");
        assert_eq!(resp.status(), 202);
        done_tx.send(()).unwrap();
        let seen = server.join().unwrap();
        assert_eq!(seen, [(0, "one".to_owned()), (1, "two".to_owned())]);
    }
}
