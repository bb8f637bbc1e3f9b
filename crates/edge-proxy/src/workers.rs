//! Thread-per-core serving: accepted connections are handed to a fixed set
//! of threads, each running its own single-threaded tokio runtime with its
//! own upstream connection pool (see [`crate::upstream`]).
//!
//! A request is then read, evaluated and forwarded on one thread, and the
//! upstream connection it uses belongs to that thread too: no task moves
//! between threads, and no thread wakes another one per request (a
//! multi-threaded runtime woke its idle worker through a futex for most
//! requests, and moved the client and upstream connection tasks between
//! workers). Large and compressed bodies still go to the caller's blocking
//! pool.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::ProxyError;

/// A connection to serve, as a future that registers its socket with the
/// runtime that first polls it.
pub(crate) type Job = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

thread_local! {
    /// Index of the serving thread running on this thread (0 elsewhere):
    /// which upstream pool the thread's requests use.
    static WORKER: Cell<usize> = const { Cell::new(0) };
}

/// The index of the serving thread this code runs on (0 off serving
/// threads).
pub(crate) fn current() -> usize {
    WORKER.with(Cell::get)
}

/// How many serving threads to run by default: `TOKIO_WORKER_THREADS` when
/// set (what the multi-threaded runtime used to read), else one per
/// available core.
pub(crate) fn default_count() -> usize {
    std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// Starts `count` (at least one) serving threads, each building its own
/// runtime. Each serves the jobs it is given until [`Workers::finish`];
/// connections are told to close through their own stop signal, and
/// whatever is still open `grace` after the last job arrived is dropped.
pub(crate) async fn start(count: usize, grace: Duration) -> Result<Workers, ProxyError> {
    let mut workers = Vec::with_capacity(count.max(1));
    // The serving threads log to the caller's subscriber, also when it is
    // a scoped (thread-local) one, as an embedding application or a test
    // may install.
    let dispatch = tracing::dispatcher::get_default(|d| d.clone());
    for index in 0..count.max(1) {
        let dispatch = dispatch.clone();
        let (jobs, rx) = mpsc::unbounded_channel();
        let (done_tx, done) = oneshot::channel();
        let (built_tx, built) = oneshot::channel();
        let open = Arc::new(AtomicUsize::new(0));
        let thread_open = open.clone();
        std::thread::Builder::new()
            .name("edge-worker".to_owned())
            .spawn(move || {
                let _logging = tracing::dispatcher::set_default(&dispatch);
                WORKER.with(|w| w.set(index));
                // DNS lookups of the upstream are its only blocking work.
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .max_blocking_threads(4)
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = built_tx.send(Err(error));
                        return;
                    }
                };
                let _ = built_tx.send(Ok(()));
                let remaining = runtime.block_on(serve_jobs(rx, thread_open, grace));
                // Pooled upstream connections and timers go with the
                // runtime, before the server reports that it stopped.
                drop(runtime);
                let _ = done_tx.send(remaining);
            })
            .map_err(ProxyError::Io)?;
        match built.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Err(ProxyError::Io(error)),
            Err(_) => {
                return Err(ProxyError::Io(std::io::Error::other(
                    "serving thread failed to start",
                )))
            }
        }
        workers.push(Worker { jobs, open, done });
    }
    Ok(Workers { workers, next: 0 })
}

/// The running serving threads.
pub(crate) struct Workers {
    workers: Vec<Worker>,
    next: usize,
}

struct Worker {
    jobs: mpsc::UnboundedSender<Job>,
    /// Connections handed to this thread and not finished.
    open: Arc<AtomicUsize>,
    /// Connections still open when the thread stopped.
    done: oneshot::Receiver<usize>,
}

impl Workers {
    /// Hands a connection to the thread with the fewest open connections
    /// (the next one in turn among equals).
    pub(crate) fn dispatch(&mut self, job: Job) {
        let n = self.workers.len();
        let mut best = self.next % n;
        let mut least = usize::MAX;
        for k in 0..n {
            let i = (self.next + k) % n;
            let open = self.workers[i].open.load(Ordering::Relaxed);
            if open < least {
                least = open;
                best = i;
            }
        }
        self.next = best + 1;
        let worker = &self.workers[best];
        worker.open.fetch_add(1, Ordering::Relaxed);
        if worker.jobs.send(job).is_err() {
            // The thread is gone (it panicked): the connection is dropped.
            worker.open.fetch_sub(1, Ordering::Relaxed);
            tracing::error!(worker = best, "serving thread stopped; connection dropped");
        }
    }

    /// Connections open on the serving threads.
    pub(crate) fn open(&self) -> usize {
        self.workers
            .iter()
            .map(|w| w.open.load(Ordering::Relaxed))
            .sum()
    }

    /// Stops handing out connections and waits for every thread to stop;
    /// returns how many connections were dropped at the end of the grace
    /// period.
    pub(crate) async fn finish(self) -> usize {
        // Every thread is told first, so that their grace periods run at
        // the same time rather than one after another.
        let done: Vec<_> = self
            .workers
            .into_iter()
            .map(|worker| {
                drop(worker.jobs);
                worker.done
            })
            .collect();
        let mut remaining = 0;
        for done in done {
            // A thread that panicked has nothing left to wait for.
            remaining += done.await.unwrap_or(0);
        }
        remaining
    }
}

/// Marks a connection of a serving thread as finished when dropped (also
/// when its task is aborted).
struct OpenGuard(Arc<AtomicUsize>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A serving thread's loop: spawns every job it receives; once the sender
/// is gone, waits up to `grace` for the connections, then drops the rest.
async fn serve_jobs(
    mut jobs: mpsc::UnboundedReceiver<Job>,
    open: Arc<AtomicUsize>,
    grace: Duration,
) -> usize {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            job = jobs.recv() => match job {
                Some(job) => {
                    let guard = OpenGuard(open.clone());
                    connections.spawn(async move {
                        let _guard = guard;
                        job.await;
                    });
                }
                None => break,
            },
        }
    }
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drain).await.is_ok() {
        return 0;
    }
    let remaining = connections.len();
    connections.shutdown().await;
    remaining
}
