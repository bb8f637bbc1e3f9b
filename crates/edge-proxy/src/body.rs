//! Request bodies sent upstream: a buffered body (read whole, possibly
//! changed by a module) or the client's body streamed through as it arrives.
//!
//! A streamed body is only used for a body the module does not inspect and
//! whose length the client declared (within `max_body_size`), so the limit is
//! enforced before anything is forwarded. While it streams, the body read
//! timeout still applies, and a body that fails (timeout, client gone, cut
//! short) aborts the upstream request, so the upstream never receives a
//! complete request for a body the client did not completely send.
//!
//! The body read timeout counts only the time spent waiting for the client
//! (the upstream asked for more and none had arrived): time the upstream
//! takes to read (backpressure) or to be reached does not count against the
//! client. That waiting time is also left out of the upstream timeout (see
//! [`Progress::client_wait`]).
//!
//! A streamed body can be sent only once. It sits in a shared slot until the
//! upstream connection first asks for it: a failed attempt that never polled
//! it (connection refused, connect timeout) leaves it there, so the retry can
//! take it back and send it whole.

use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Response, StatusCode};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::sync::Notify;
use tokio::time::{Duration, Instant, Sleep};

use crate::server::{text, BoxError, ProxyBody};

/// Why a streamed body did not arrive whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFailure {
    /// Not received within the body read timeout.
    TimedOut,
    /// The client's connection failed or ended before the declared length.
    Read,
}

impl BodyFailure {
    /// What the client is told (the connection is closed afterwards: the
    /// body was not read to its end).
    pub(crate) fn response(self) -> Response<ProxyBody> {
        let mut resp = match self {
            BodyFailure::TimedOut => text(
                StatusCode::REQUEST_TIMEOUT,
                "request body not received in time",
            ),
            BodyFailure::Read => text(StatusCode::BAD_REQUEST, "cannot read request body"),
        };
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        resp
    }
}

/// Error of a streamed body's frame when it fails (aborts the upstream
/// request).
#[derive(Debug, thiserror::Error)]
enum StreamError {
    #[error("request body not received within the body read timeout")]
    TimedOut,
    #[error("request body ended before its declared length")]
    Short,
    #[error("reading the request body failed: {0}")]
    Read(hyper::Error),
}

// 0: still arriving.
const DONE: u8 = 1;
const TIMED_OUT: u8 = 2;
const READ_FAILED: u8 = 3;
/// Dropped before the end without failing (the upstream connection gave the
/// body up, e.g. it answered early and closed).
const ABANDONED: u8 = 4;

/// What the server and the upstream client both see of a streamed body.
#[derive(Debug)]
pub(crate) struct Progress {
    state: AtomicU8,
    received: AtomicU64,
    /// Reference for the microsecond counts below.
    created: Instant,
    /// Time spent waiting for the client in waits that ended, in µs.
    waited_us: AtomicU64,
    /// Start of the current wait for the client, in µs after `created`
    /// plus one; `0` when not waiting.
    waiting_since_us: AtomicU64,
    /// Woken when `state` changes.
    changed: Notify,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            state: AtomicU8::new(0),
            received: AtomicU64::new(0),
            created: Instant::now(),
            waited_us: AtomicU64::new(0),
            waiting_since_us: AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    fn set_state(&self, state: u8) {
        self.state.store(state, Ordering::Release);
        self.changed.notify_waiters();
    }

    fn micros(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.created).as_micros() as u64
    }

    /// Total time spent so far waiting for the client's bytes (the
    /// upstream wanted more and none had arrived), the current wait
    /// included.
    pub(crate) fn client_wait(&self) -> Duration {
        let mut us = self.waited_us.load(Ordering::Acquire);
        let since = self.waiting_since_us.load(Ordering::Acquire);
        if since > 0 {
            us += self.micros(Instant::now()).saturating_sub(since - 1);
        }
        Duration::from_micros(us)
    }

    /// Waits until the body was received whole (`Ok`), failed, or was
    /// given up by the upstream connection (`Err(None)`).
    pub(crate) async fn finished(&self) -> Result<(), Option<BodyFailure>> {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match self.state.load(Ordering::Acquire) {
                0 => changed.await,
                DONE => return Ok(()),
                ABANDONED => return Err(None),
                _ => return Err(self.failure()),
            }
        }
    }

    /// Whether the body was received (and passed on) whole.
    pub(crate) fn done(&self) -> bool {
        self.state.load(Ordering::Acquire) == DONE
    }

    /// Bytes received from the client so far.
    pub(crate) fn received(&self) -> u64 {
        self.received.load(Ordering::Acquire)
    }

    /// Why the body failed, if it did.
    pub(crate) fn failure(&self) -> Option<BodyFailure> {
        match self.state.load(Ordering::Acquire) {
            TIMED_OUT => Some(BodyFailure::TimedOut),
            READ_FAILED => Some(BodyFailure::Read),
            _ => None,
        }
    }
}

/// The client's body being passed through.
struct Stream {
    body: Incoming,
    /// Bytes still to come (the declared length minus what arrived).
    remaining: u64,
    /// Time left to wait for the client (the body read timeout minus the
    /// waits that ended).
    budget: Duration,
    /// When the current wait for the client began.
    waiting_since: Option<Instant>,
    /// End of the current wait's budget.
    deadline: Pin<Box<Sleep>>,
    progress: Arc<Progress>,
    /// Keeps the client connection from waiting for its next request head
    /// until the body is through (dropped at the end or with the stream).
    upload: Option<crate::server::Upload>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        // A wait that ends here must not go on counting.
        self.end_wait(Instant::now());
        if self.progress.state.load(Ordering::Acquire) == 0 {
            self.progress.set_state(ABANDONED);
        }
    }
}

impl Stream {
    fn fail(
        &mut self,
        state: u8,
        error: StreamError,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.end_wait(Instant::now());
        self.progress.set_state(state);
        Poll::Ready(Some(Err(Box::new(error))))
    }

    /// Ends the current wait for the client, if any, charging it to the
    /// budget.
    fn end_wait(&mut self, now: Instant) {
        if let Some(since) = self.waiting_since.take() {
            let waited = now.saturating_duration_since(since);
            self.budget = self.budget.saturating_sub(waited);
            self.progress
                .waited_us
                .fetch_add(waited.as_micros() as u64, Ordering::AcqRel);
            self.progress.waiting_since_us.store(0, Ordering::Release);
        }
    }

    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        loop {
            let polled = Pin::new(&mut self.body).poll_frame(cx);
            let frame = match polled {
                Poll::Pending => {
                    if self.waiting_since.is_none() {
                        // Only waiting for the client counts against the
                        // body read timeout.
                        let now = Instant::now();
                        self.waiting_since = Some(now);
                        let since = self.progress.micros(now) + 1;
                        self.progress
                            .waiting_since_us
                            .store(since, Ordering::Release);
                        let end = now + self.budget;
                        self.deadline.as_mut().reset(end);
                    }
                    if self.deadline.as_mut().poll(cx).is_ready() {
                        return self.fail(TIMED_OUT, StreamError::TimedOut);
                    }
                    return Poll::Pending;
                }
                Poll::Ready(None) => return self.fail(READ_FAILED, StreamError::Short),
                Poll::Ready(Some(Err(e))) => return self.fail(READ_FAILED, StreamError::Read(e)),
                Poll::Ready(Some(Ok(frame))) => frame,
            };
            self.end_wait(Instant::now());
            let Ok(data) = frame.into_data() else {
                continue; // trailers are not forwarded (none with a length)
            };
            let n = data.len() as u64;
            // The server's parser never yields more than the declared
            // length.
            self.remaining = self.remaining.saturating_sub(n);
            self.progress.received.fetch_add(n, Ordering::AcqRel);
            if self.remaining == 0 {
                self.progress.set_state(DONE);
                self.upload = None;
            }
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
    }
}

/// A client body to stream upstream, with what the server needs to know
/// about it.
pub(crate) struct Streamed {
    slot: Arc<Mutex<Option<Box<Stream>>>>,
    len: u64,
    progress: Arc<Progress>,
}

impl Streamed {
    /// Streams `body` of declared length `len` (more than zero); waiting
    /// for the client's bytes may take `timeout` in all.
    /// `upload` is the client connection's guard, held until the body is
    /// through.
    pub(crate) fn new(
        body: Incoming,
        len: u64,
        timeout: Duration,
        upload: Option<crate::server::Upload>,
    ) -> Streamed {
        let progress = Arc::new(Progress::new());
        let stream = Stream {
            body,
            remaining: len,
            budget: timeout,
            waiting_since: None,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            progress: progress.clone(),
            upload,
        };
        Streamed {
            slot: Arc::new(Mutex::new(Some(Box::new(stream)))),
            len,
            progress,
        }
    }

    /// The body's progress, shared with the body given to the client.
    pub(crate) fn progress(&self) -> Arc<Progress> {
        self.progress.clone()
    }

    /// What is left of the body if no attempt read it (see
    /// [`Leftover::drain`]).
    pub(crate) fn leftover(&self) -> Leftover {
        Leftover {
            slot: self.slot.clone(),
        }
    }

    fn can_resend(&self) -> bool {
        self.slot.lock().is_ok_and(|slot| slot.is_some())
    }
}

/// A handle on a streamed body that outlives the request sent upstream.
pub(crate) struct Leftover {
    slot: Arc<Mutex<Option<Box<Stream>>>>,
}

impl Leftover {
    /// Reads and discards the body if no upstream attempt took it (e.g. the
    /// upstream was unreachable), within what is left of the body read
    /// timeout (time spent on the upstream did not use it), so that the
    /// client gets the answer on a connection in a clean state (as when
    /// the body was read first) instead of a reset for unread data.
    pub(crate) async fn drain(self) {
        let stream = self.slot.lock().ok().and_then(|mut s| s.take());
        let Some(mut stream) = stream else {
            return;
        };
        let drained = std::future::poll_fn(|cx| loop {
            match stream.poll_frame(cx) {
                Poll::Ready(Some(Ok(_))) => continue,
                Poll::Ready(None) => return Poll::Ready(()),
                Poll::Ready(Some(Err(_))) => return Poll::Ready(()),
                Poll::Pending => return Poll::Pending,
            }
        });
        drained.await;
    }
}

/// The body of one upstream request.
pub(crate) enum RequestBody {
    /// Read whole (and maybe changed); cheap to clone for a retry.
    Buffered(Bytes),
    /// Passed through as it arrives; sent at most once.
    Streamed(Streamed),
}

impl RequestBody {
    /// Bytes the body has (declared length of a streamed body).
    pub(crate) fn len(&self) -> u64 {
        match self {
            RequestBody::Buffered(b) => b.len() as u64,
            RequestBody::Streamed(s) => s.len,
        }
    }

    /// The body for one attempt. A streamed body can be had again only
    /// while no attempt has started reading it: `None` once one has.
    pub(crate) fn attempt(&self) -> Option<OutBody> {
        match self {
            RequestBody::Buffered(b) => Some(OutBody::full(b.clone())),
            RequestBody::Streamed(s) => s.can_resend().then(|| OutBody {
                inner: Inner::Lazy {
                    slot: s.slot.clone(),
                    len: s.len,
                },
            }),
        }
    }

    /// Whether another attempt can send the whole body: always for a
    /// buffered body, for a streamed one only while it was never read.
    pub(crate) fn can_resend(&self) -> bool {
        match self {
            RequestBody::Buffered(_) => true,
            RequestBody::Streamed(s) => s.can_resend(),
        }
    }

    /// A streamed body's progress.
    pub(crate) fn progress(&self) -> Option<Arc<Progress>> {
        match self {
            RequestBody::Buffered(_) => None,
            RequestBody::Streamed(s) => Some(s.progress.clone()),
        }
    }

    /// Why a streamed body failed (the client's fault, not the upstream's).
    pub(crate) fn failure(&self) -> Option<BodyFailure> {
        match self {
            RequestBody::Buffered(_) => None,
            RequestBody::Streamed(s) => s.progress.failure(),
        }
    }
}

/// The body type of upstream requests.
pub(crate) struct OutBody {
    inner: Inner,
}

enum Inner {
    Full(Option<Bytes>),
    /// Not read yet: the stream is still in the shared slot.
    Lazy {
        slot: Arc<Mutex<Option<Box<Stream>>>>,
        len: u64,
    },
    Stream(Box<Stream>),
    /// A stream another attempt took (attempts follow one another, so
    /// this does not happen).
    Gone,
}

impl OutBody {
    fn full(bytes: Bytes) -> OutBody {
        let data = (!bytes.is_empty()).then_some(bytes);
        OutBody {
            inner: Inner::Full(data),
        }
    }
}

/// A streamed body's slot was emptied by another attempt.
#[derive(Debug, thiserror::Error)]
#[error("request body already taken by another attempt")]
struct Taken;

impl Body for OutBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut self.inner;
        loop {
            match this {
                Inner::Full(data) => return Poll::Ready(data.take().map(|d| Ok(Frame::data(d)))),
                Inner::Stream(stream) => return stream.poll_frame(cx),
                Inner::Gone => return Poll::Ready(Some(Err(Box::new(Taken)))),
                Inner::Lazy { slot, .. } => {
                    let taken = slot.lock().ok().and_then(|mut s| s.take());
                    *this = match taken {
                        Some(stream) => Inner::Stream(stream),
                        None => Inner::Gone,
                    };
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Full(data) => data.is_none(),
            Inner::Lazy { .. } | Inner::Gone => false,
            Inner::Stream(s) => s.remaining == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Full(data) => SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64)),
            Inner::Lazy { len, .. } => SizeHint::with_exact(*len),
            Inner::Stream(s) => SizeHint::with_exact(s.remaining),
            Inner::Gone => SizeHint::default(),
        }
    }
}
