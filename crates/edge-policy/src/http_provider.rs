//! [`HttpProvider`]: keeps a [`Registry`] source in sync with a policy server
//! (`POST /v1/policy/sync`, see [`crate::sync`]).
//!
//! Behaviour (EDGE_BEHAVIOUR §8, field case 25):
//! * startup never waits for the server: [`HttpProvider::spawn`] returns at
//!   once and the first sync runs immediately on the provider's own thread;
//!   until it succeeds the source has no policies (fail-open), or the set
//!   restored from the optional cache file;
//! * then one sync per `recommended_sync_interval_seconds`, or the configured
//!   interval when the server gives none;
//! * a failed sync (connection refused, timeout, non-2xx, undecodable body,
//!   `error_message`) keeps the last good policies, logs one error per change
//!   of failure kind (repeats go to `debug`) and retries with exponential
//!   backoff and jitter, capped at the interval;
//! * hits and misses are subtracted only after a report was accepted;
//! * [`HttpProviderHandle::shutdown`] sends a final report.
//!
//! Header values (API keys) are never logged.

use crate::registry::{priority, Registry};
use crate::sync::{
    decode_response, redact_url, ClientIdentity, Encoding, SyncClient, SyncConfig, SyncError,
    SyncErrorKind,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Default polling interval.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// Default first backoff step after a failure.
pub const DEFAULT_MIN_BACKOFF: Duration = Duration::from_secs(1);
/// Default limit for the final report at shutdown.
pub const DEFAULT_FINAL_REPORT_TIMEOUT: Duration = Duration::from_secs(2);

/// A policy source polled over HTTP. Configure with the `with_*` methods,
/// then [`HttpProvider::spawn`].
#[derive(Debug, Clone)]
pub struct HttpProvider {
    id: String,
    config: SyncConfig,
    interval: Duration,
    min_backoff: Duration,
    final_report_timeout: Duration,
    cache_file: Option<PathBuf>,
}

impl HttpProvider {
    /// A provider with source id `id` syncing from `url` (the full sync URL)
    /// every 60 s, JSON encoding, no extra headers.
    pub fn new(id: impl Into<String>, url: impl Into<String>) -> HttpProvider {
        HttpProvider {
            id: id.into(),
            config: SyncConfig::new(url),
            interval: DEFAULT_INTERVAL,
            min_backoff: DEFAULT_MIN_BACKOFF,
            final_report_timeout: DEFAULT_FINAL_REPORT_TIMEOUT,
            cache_file: None,
        }
    }

    /// Everything a configuration entry `{id, type: "http", url,
    /// poll_interval_secs, headers, encoding}` carries, plus the client
    /// identity (from the `service` config section).
    pub fn from_parts(
        id: impl Into<String>,
        url: impl Into<String>,
        poll_interval_secs: u64,
        headers: impl IntoIterator<Item = (String, String)>,
        encoding: Encoding,
        identity: ClientIdentity,
    ) -> HttpProvider {
        HttpProvider::new(id, url)
            .with_interval(Duration::from_secs(poll_interval_secs.max(1)))
            .with_headers(headers)
            .with_encoding(encoding)
            .with_identity(identity)
    }

    /// The source id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Polling interval used when the server recommends none (minimum 10 ms).
    pub fn with_interval(mut self, interval: Duration) -> HttpProvider {
        self.interval = interval.max(Duration::from_millis(10));
        self
    }

    /// Add request headers (e.g. `("x-api-key", key)`); values are never
    /// logged.
    pub fn with_headers(
        mut self,
        headers: impl IntoIterator<Item = (String, String)>,
    ) -> HttpProvider {
        self.config.headers.extend(headers);
        self
    }

    /// Wire encoding.
    pub fn with_encoding(mut self, encoding: Encoding) -> HttpProvider {
        self.config.encoding = encoding;
        self
    }

    /// Client identity sent in `ClientMetadata`.
    pub fn with_identity(mut self, identity: ClientIdentity) -> HttpProvider {
        self.config.identity = identity;
        self
    }

    /// Largest policy-server response read (default
    /// [`crate::sync::DEFAULT_MAX_RESPONSE_BYTES`]); a larger one is a failed
    /// sync and the last good policies stay.
    pub fn with_max_response_bytes(mut self, limit: usize) -> HttpProvider {
        self.config.max_response_bytes = limit;
        self
    }

    /// Whole-exchange and connect timeouts.
    pub fn with_timeouts(mut self, request: Duration, connect: Duration) -> HttpProvider {
        self.config.request_timeout = request;
        self.config.connect_timeout = connect;
        self
    }

    /// First backoff step after a failure (doubles per failure, capped at
    /// the interval).
    pub fn with_min_backoff(mut self, d: Duration) -> HttpProvider {
        self.min_backoff = d.max(Duration::from_millis(1));
        self
    }

    /// Limit for the final report at shutdown.
    pub fn with_final_report_timeout(mut self, d: Duration) -> HttpProvider {
        self.final_report_timeout = d;
        self
    }

    /// Keep the last applied response in `path` and restore it at start, so
    /// a restart while the server is down keeps the last good set.
    pub fn with_cache_file(mut self, path: impl Into<PathBuf>) -> HttpProvider {
        self.cache_file = Some(path.into());
        self
    }

    /// Start syncing into `registry` on a background thread. Returns as soon
    /// as the configuration is validated (and the cache, if any, restored);
    /// never waits for the server.
    ///
    /// Blocks briefly while the HTTP client starts; from async code prefer
    /// `spawn_blocking` for this and for [`HttpProviderHandle::shutdown`].
    pub fn spawn(&self, registry: Arc<Registry>) -> Result<HttpProviderHandle, SyncError> {
        registry.set_source_priority(&self.id, priority::HTTP);
        let restored_hash = self
            .cache_file
            .as_deref()
            .and_then(|p| restore_cache(&self.id, p, &registry));
        let state = Arc::new(Mutex::new(HttpProviderStatus {
            hash: restored_hash.clone(),
            ..HttpProviderStatus::default()
        }));
        let (tx, rx) = mpsc::channel::<Command>();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), SyncError>>();
        let me = self.clone();
        let worker_state = state.clone();
        let thread = std::thread::Builder::new()
            .name(format!("policy-http-{}", self.id))
            .spawn(move || {
                // The blocking client owns a runtime: build and drop it here,
                // never on the caller's (possibly async) thread.
                let mut client = match SyncClient::new(&me.config) {
                    Ok(c) => {
                        let _ = ready_tx.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                client.set_last_hash(restored_hash);
                Worker {
                    p: me,
                    client,
                    registry,
                    state: worker_state,
                    rx,
                }
                .run();
            })
            .map_err(|e| SyncError::Client(format!("cannot start the provider thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(SyncError::Client(
                    "provider thread ended during start".into(),
                ));
            }
        }
        tracing::info!(source = %self.id, url = %redact_url(&self.config.url), interval_ms = self.interval.as_millis() as u64, encoding = ?self.config.encoding, "http policy provider started");
        Ok(HttpProviderHandle {
            tx: Some(tx),
            thread: Some(thread),
            state,
        })
    }
}

/// Sync health of one [`HttpProvider`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpProviderStatus {
    /// Successful syncs.
    pub syncs_ok: u64,
    /// Failed syncs.
    pub syncs_failed: u64,
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// Time of the last successful sync.
    pub last_success: Option<SystemTime>,
    /// The last failure, when the last sync failed.
    pub last_error: Option<String>,
    /// Hash of the applied policy set.
    pub hash: Option<String>,
    /// Policies in the applied set.
    pub policies: usize,
}

enum Command {
    SyncNow,
    Stop,
}

/// A running [`HttpProvider`]. Dropping it stops the provider without
/// waiting (the final report still runs on its thread);
/// [`HttpProviderHandle::shutdown`] waits for it.
#[derive(Debug)]
pub struct HttpProviderHandle {
    tx: Option<mpsc::Sender<Command>>,
    thread: Option<std::thread::JoinHandle<()>>,
    state: Arc<Mutex<HttpProviderStatus>>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Command::SyncNow => "SyncNow",
            Command::Stop => "Stop",
        })
    }
}

impl HttpProviderHandle {
    /// Sync now instead of waiting for the timer.
    pub fn sync_now(&self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Command::SyncNow);
        }
    }

    /// Current sync health.
    pub fn status(&self) -> HttpProviderStatus {
        lock(&self.state).clone()
    }

    /// Stop polling, send the final status report (bounded by the final
    /// report timeout, plus any exchange already in flight) and wait for the
    /// thread. The delivered policies stay in the registry.
    pub fn shutdown(mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Command::Stop);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for HttpProviderHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Command::Stop);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

struct Worker {
    p: HttpProvider,
    client: SyncClient,
    registry: Arc<Registry>,
    state: Arc<Mutex<HttpProviderStatus>>,
    rx: mpsc::Receiver<Command>,
}

impl Worker {
    fn run(mut self) {
        let id = self.p.id.clone();
        let url = self.client.url_for_logs().to_owned();
        let mut delay = Duration::ZERO;
        let mut interval = self.p.interval;
        let mut failures: u32 = 0;
        let mut last_kind: Option<SyncErrorKind> = None;
        // `Stop` or a dropped handle ends the loop.
        while let Ok(Command::SyncNow) | Err(RecvTimeoutError::Timeout) =
            self.rx.recv_timeout(delay)
        {
            match self.client.sync(&self.registry, &id, true) {
                Ok(o) => {
                    if last_kind.take().is_some() {
                        tracing::info!(source = %id, url = %url, failures, "policy sync recovered");
                    }
                    failures = 0;
                    if o.changed {
                        tracing::info!(source = %id, policies = o.policies, parse_errors = o.parse_errors, hash = %o.hash, reported = o.reported, "policies updated from server");
                        if let (Some(path), Some((body, _))) = (&self.p.cache_file, &o.body) {
                            write_cache(&id, path, body);
                        }
                    } else {
                        tracing::debug!(source = %id, hash = %o.hash, reported = o.reported, "policies unchanged");
                    }
                    interval = o.recommended_interval.unwrap_or(self.p.interval);
                    delay = interval;
                    let mut st = lock(&self.state);
                    st.syncs_ok += 1;
                    st.consecutive_failures = 0;
                    st.last_success = Some(SystemTime::now());
                    st.last_error = None;
                    if o.changed {
                        st.hash = Some(o.hash).filter(|h| !h.is_empty());
                        st.policies = o.policies;
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    delay = backoff(failures, self.p.min_backoff, interval);
                    let kind = e.kind();
                    if last_kind != Some(kind) {
                        tracing::error!(source = %id, url = %url, error = %e, retry_in_ms = delay.as_millis() as u64, "policy sync failed; keeping the last good policies");
                    } else {
                        tracing::debug!(source = %id, url = %url, error = %e, failures, retry_in_ms = delay.as_millis() as u64, "policy sync still failing");
                    }
                    last_kind = Some(kind);
                    let mut st = lock(&self.state);
                    st.syncs_failed += 1;
                    st.consecutive_failures = failures;
                    st.last_error = Some(e.to_string());
                }
            }
        }
        self.final_report(&id);
    }

    fn final_report(&mut self, id: &str) {
        if self.client.last_hash().is_none() {
            // Nothing from this server was ever applied: nothing to report.
            return;
        }
        let timeout = Some(self.p.final_report_timeout);
        match self
            .client
            .sync_with_timeout(&self.registry, id, false, timeout)
        {
            Ok(o) => {
                tracing::info!(source = %id, reported = o.reported, "final policy status report sent")
            }
            Err(e) => {
                tracing::warn!(source = %id, error = %e, "final policy status report failed; unreported counters are lost")
            }
        }
    }
}

/// Exponential backoff with jitter: `min · 2^(failures-1)` capped at `max`,
/// then a uniformly random point in its upper half.
pub fn backoff(failures: u32, min: Duration, max: Duration) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let full = min.saturating_mul(1u32 << exp).min(max.max(min));
    let half = full / 2;
    let span = (full - half).as_micros() as u64;
    let jitter = if span == 0 {
        0
    } else {
        rand::random::<u64>() % (span + 1)
    };
    half + Duration::from_micros(jitter)
}

fn restore_cache(id: &str, path: &Path, registry: &Registry) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(source = id, file = %path.display(), error = %e, "cannot read the policy cache");
            return None;
        }
    };
    let guess = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Encoding::Json,
        _ => Encoding::Protobuf,
    };
    match decode_response(&bytes, None, guess) {
        Ok(reply) if reply.error_message.is_empty() => {
            tracing::info!(source = id, file = %path.display(), policies = reply.policies.policies.len(), hash = %reply.hash, "restored policies from the cache until the server answers");
            let hash = reply.hash;
            registry.update_source_parsed(id, reply.policies);
            Some(hash).filter(|h| !h.is_empty())
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(source = id, file = %path.display(), error = %e, "ignoring an unreadable policy cache");
            None
        }
    }
}

fn write_cache(id: &str, path: &Path, body: &[u8]) {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let res = std::fs::write(&tmp, body).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = res {
        tracing::warn!(source = id, file = %path.display(), error = %e, "cannot write the policy cache");
    }
}
