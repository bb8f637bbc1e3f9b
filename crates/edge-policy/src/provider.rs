//! Policy providers: sources that deliver full policy sets into a
//! [`Registry`].

use crate::parse::{parse_document, Format};
use crate::registry::{priority, Registry};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Provider failures.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The watched path is unusable.
    #[error("{path}: {message}")]
    Path {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file watcher could not start.
    #[error("file watcher: {0}")]
    Watch(#[from] notify::Error),
    /// The worker thread could not start.
    #[error("worker thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// A running provider; dropping it does not stop it, call
/// [`ProviderHandle::shutdown`].
pub struct ProviderHandle {
    status: Arc<Mutex<ReloadStatus>>,
    stop: Arc<AtomicBool>,
    wake: mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for ProviderHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderHandle").finish_non_exhaustive()
    }
}

/// Outcome of a provider's loads, for health endpoints and metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadStatus {
    /// Times the source was read, whatever came of it (a file provider
    /// reads its file once at start and again after each change in its
    /// directory).
    pub reads: u64,
    /// Successful loads (including the first).
    pub loads: u64,
    /// Failed loads (unreadable or invalid document).
    pub failures: u64,
    /// Whether the most recent attempt failed (the previous set is active).
    pub last_failed: bool,
    /// The most recent failure.
    pub last_error: Option<String>,
    /// Digest (hex) of the document currently applied.
    pub digest: Option<String>,
    /// Policies decoded from the applied document.
    pub policies: usize,
    /// Entries of the applied document that failed to parse.
    pub parse_errors: usize,
    /// When a document was last applied.
    pub last_success: Option<std::time::SystemTime>,
}

impl ProviderHandle {
    /// The provider's load status.
    pub fn status(&self) -> ReloadStatus {
        match self.status.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Ask the provider to re-read its file now (for example on SIGHUP).
    /// The read happens on the provider's worker after the debounce delay;
    /// an unchanged document is not re-applied.
    pub fn reload(&self) {
        let _ = self.wake.send(());
    }

    /// Stop the provider and wait for its worker to finish. The policies it
    /// delivered stay in the registry.
    pub fn shutdown(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.wake.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A source of policy sets.
pub trait Provider: Send + Sync {
    /// The source id used in the registry and in status reports.
    fn id(&self) -> &str;
    /// Start delivering into `registry`: performs the first load
    /// synchronously, then keeps the registry updated until shut down.
    fn start(&self, registry: Arc<Registry>) -> Result<ProviderHandle, ProviderError>;
}

/// How often a provider whose directory does not exist looks for it.
const DIR_POLL: Duration = Duration::from_secs(2);

/// Longest a burst of events can hold a reload back, in debounce periods.
const MAX_DEBOUNCE_PERIODS: u32 = 5;

/// Loads a JSON or YAML policy file and reloads it when it changes.
///
/// The parent directory is watched (not the file), so atomic renames,
/// editor swap files, delete + recreate and symlink swaps are all seen.
/// A directory that does not exist yet is looked for every 2 s and watched
/// once it appears. Events are debounced. An unreadable or invalid file keeps the last good
/// policy set and logs one error per change. Changes to other files of the
/// directory are ignored (unless the policy file is a symbolic link, which
/// may go through them), and a reload is never held back by a burst of
/// events for more than five debounce periods.
#[derive(Debug, Clone)]
pub struct FileProvider {
    id: String,
    path: PathBuf,
    debounce: Duration,
    dir_poll: Duration,
}

impl FileProvider {
    /// A provider for `path` with source id `"file"` and 200 ms debounce.
    pub fn new(path: impl Into<PathBuf>) -> FileProvider {
        FileProvider {
            id: "file".into(),
            path: path.into(),
            debounce: Duration::from_millis(200),
            dir_poll: DIR_POLL,
        }
    }

    /// Use another source id (several files at once).
    pub fn with_id(mut self, id: impl Into<String>) -> FileProvider {
        self.id = id.into();
        self
    }

    /// Change the debounce delay.
    pub fn with_debounce(mut self, d: Duration) -> FileProvider {
        self.debounce = d;
        self
    }

    /// Change how often a missing directory is looked for (default 2 s).
    pub fn with_dir_poll(mut self, d: Duration) -> FileProvider {
        self.dir_poll = d;
        self
    }

    /// Read and apply the file once. Returns whether the registry was
    /// updated.
    pub fn load_once(&self, registry: &Registry) -> bool {
        load(&self.id, &self.path, registry, &mut LoadState::default())
    }
}

fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

#[derive(Default)]
struct LoadState {
    /// Digest of the text currently applied.
    applied: Option<u64>,
    /// Digest of the last text that failed (its error was already logged).
    failed: Option<u64>,
    status: Arc<Mutex<ReloadStatus>>,
}

impl LoadState {
    fn fail(&mut self, digest: Option<u64>, error: String) -> bool {
        let mut st = self.status.lock().unwrap_or_else(|p| p.into_inner());
        st.failures += 1;
        st.last_failed = true;
        st.last_error = Some(error);
        self.failed = digest;
        false
    }
}

/// Why a policy file could not be applied.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Read(std::io::ErrorKind),
    Parse,
}

/// The log message for a failed load: what is wrong, and what Edge does
/// meanwhile, which depends on whether this file was ever applied (before
/// the first good load its policies are simply absent: fail open).
fn failure_message(failure: Failure, applied_before: bool) -> &'static str {
    match (failure, applied_before) {
        (Failure::Read(_), true) => "cannot read policy file; keeping the previous policies",
        (Failure::Parse, true) => "invalid policy file; keeping the previous policies",
        (Failure::Read(std::io::ErrorKind::NotFound), false) => {
            "policy file not found; running without its policies (fail open) until it appears"
        }
        (Failure::Read(_), false) => {
            "cannot read policy file; running without its policies (fail open) until it can be read"
        }
        (Failure::Parse, false) => {
            "invalid policy file; running without its policies (fail open) until it is fixed"
        }
    }
}

/// Read, parse and apply the file. Unchanged content is not re-applied, and
/// the same broken content is reported once.
fn load(id: &str, path: &Path, registry: &Registry, state: &mut LoadState) -> bool {
    if let Ok(mut st) = state.status.lock() {
        st.reads += 1;
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("{}: {e}", path.display());
            let repeated = state
                .status
                .lock()
                .map(|s| s.last_failed && s.last_error.as_deref() == Some(msg.as_str()))
                .unwrap_or(false);
            if !repeated {
                let what = failure_message(Failure::Read(e.kind()), state.applied.is_some());
                // A relative path is resolved from the directory Edge runs
                // in, which may not be the one its author thought of.
                let resolved = path
                    .is_relative()
                    .then(|| std::path::absolute(path).ok())
                    .flatten()
                    .map(|p| p.display().to_string());
                tracing::error!(source = id, file = %path.display(), resolved, error = %e, "{what}");
            }
            return state.fail(None, msg);
        }
    };
    let d = digest(&text);
    if state.applied == Some(d) {
        // Same content as the active set (e.g. recreated after a delete).
        let was_failing = match state.status.lock() {
            Ok(mut st) => std::mem::replace(&mut st.last_failed, false),
            Err(_) => false,
        };
        if was_failing {
            tracing::info!(source = id, file = %path.display(), "policy file is readable again; its policies (unchanged) stay active");
        }
        return false;
    }
    if state.failed == Some(d) {
        return false;
    }
    match parse_document(&text, Format::from_path(path)) {
        Ok(parsed) => {
            for e in &parsed.errors {
                tracing::warn!(source = id, file = %path.display(), error = %e, "skipping policy that failed to parse");
            }
            tracing::info!(source = id, file = %path.display(), policies = parsed.policies.len(), parse_errors = parsed.errors.len(), "loaded policy file");
            let (n, errors) = (parsed.policies.len(), parsed.errors.len());
            registry.update_source_parsed(id, parsed);
            state.applied = Some(d);
            state.failed = None;
            let mut st = state.status.lock().unwrap_or_else(|p| p.into_inner());
            st.loads += 1;
            st.last_failed = false;
            st.digest = Some(format!("{d:016x}"));
            st.policies = n;
            st.parse_errors = errors;
            st.last_success = Some(std::time::SystemTime::now());
            true
        }
        Err(e) => {
            let what = failure_message(Failure::Parse, state.applied.is_some());
            tracing::error!(source = id, file = %path.display(), error = %e, "{what}");
            state.fail(Some(d), format!("{}: {e}", path.display()))
        }
    }
}

impl Provider for FileProvider {
    fn id(&self) -> &str {
        &self.id
    }

    fn start(&self, registry: Arc<Registry>) -> Result<ProviderHandle, ProviderError> {
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        registry.set_source_priority(&self.id, priority::FILE);
        let mut state = LoadState::default();
        let status = state.status.clone();
        let (tx, rx) = mpsc::channel::<()>();
        // A directory that exists now is watched at once (a watcher error is
        // a start failure); one that does not is polled for until it appears.
        let mut watcher = if dir.is_dir() {
            Some(watch_dir(&dir, &self.path, tx.clone())?)
        } else {
            tracing::warn!(
                source = %self.id,
                file = %self.path.display(),
                directory = %dir.display(),
                "policy file directory does not exist; running without its policies (fail open) until it appears"
            );
            None
        };
        load(&self.id, &self.path, &registry, &mut state);
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let ev_tx = tx.clone();
        let (id, path, debounce, poll) = (
            self.id.clone(),
            self.path.clone(),
            self.debounce,
            self.dir_poll,
        );
        let thread = std::thread::Builder::new()
            .name(format!("policy-file-{id}"))
            .spawn(move || loop {
                let woke = if watcher.is_some() {
                    rx.recv().map_err(|_| ())
                } else {
                    // No directory to watch: look for it now and then.
                    match rx.recv_timeout(poll) {
                        Ok(()) => Ok(()),
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            if !dir.is_dir() {
                                continue;
                            }
                            Ok(())
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => Err(()),
                    }
                };
                if woke.is_err() || stop2.load(Ordering::SeqCst) {
                    break;
                }
                // Debounce: wait until events stop arriving, but no longer
                // than a few debounce periods, so that a file written on
                // and on (a log next to the policies) cannot hold a change
                // back.
                let settle_by = std::time::Instant::now() + debounce * MAX_DEBOUNCE_PERIODS;
                loop {
                    let left = settle_by.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() || rx.recv_timeout(debounce.min(left)).is_err() {
                        break;
                    }
                    if stop2.load(Ordering::SeqCst) {
                        return;
                    }
                }
                match (&watcher, dir.is_dir()) {
                    // Watched anew after every wake-up: the directory may
                    // have been deleted and created again meanwhile (often
                    // with the same inode), and the old watch went with
                    // the old directory. The file is read after this, so a
                    // change between the two watches is not missed.
                    (Some(_), true) => {
                        watcher = None;
                        match watch_dir(&dir, &path, ev_tx.clone()) {
                            Ok(w) => watcher = Some(w),
                            Err(error) => {
                                tracing::error!(source = %id, directory = %dir.display(), %error, "cannot watch policy file directory; looking for changes every {}s", poll.as_secs_f32());
                            }
                        }
                    }
                    (None, true) => match watch_dir(&dir, &path, ev_tx.clone()) {
                        Ok(w) => {
                            tracing::info!(source = %id, directory = %dir.display(), "policy file directory appeared; watching it");
                            watcher = Some(w);
                        }
                        Err(error) => {
                            tracing::error!(source = %id, directory = %dir.display(), %error, "cannot watch policy file directory; looking for changes every {}s", poll.as_secs_f32());
                        }
                    },
                    // The directory went away (its watch with it): poll
                    // until it comes back.
                    (Some(_), false) => watcher = None,
                    _ => {}
                }
                load(&id, &path, &registry, &mut state);
            })?;
        Ok(ProviderHandle {
            status,
            stop,
            wake: tx,
            thread: Some(thread),
        })
    }
}

/// Watches `dir` (not recursively) for changes that may concern the policy
/// file `file`, sending one wake-up per event.
fn watch_dir(
    dir: &Path,
    file: &Path,
    tx: mpsc::Sender<()>,
) -> Result<notify::RecommendedWatcher, notify::Error> {
    use notify::Watcher as _;
    let (dir_owned, file_owned, name) = (
        dir.to_path_buf(),
        file.to_path_buf(),
        file.file_name().map(|n| n.to_os_string()),
    );
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Opening or reading a file changes nothing. Such events must not
        // wake the provider: its own read of the policy file would wake it
        // again, re-reading the file after every debounce forever. Nor do
        // changes to other files of the directory (see `concerns`), unless
        // the policy file is a symbolic link: whatever it goes through
        // (`current -> releases/v2`, `policies.json -> prod.json`) may be
        // one of them.
        let wake = match res {
            Ok(event) => {
                !is_read_only(&event.kind)
                    && (concerns(&event, &dir_owned, name.as_deref())
                        || std::fs::symlink_metadata(&file_owned)
                            .is_ok_and(|m| m.file_type().is_symlink()))
            }
            // An error (such as an overflowed event queue): look anyway.
            Err(_) => true,
        };
        if wake {
            let _ = tx.send(());
        }
    })?;
    watcher.watch(dir, notify::RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

/// Whether `event` may change what the policy file (named `name`, in `dir`)
/// reads: unless every path it names is another file of `dir`. Names
/// starting with `..` count (a Kubernetes-style `..data` symlink swap never
/// names the file), as do events on the directory itself and events
/// without paths. The content digest keeps events that change nothing
/// from causing re-applies.
fn concerns(event: &notify::Event, dir: &Path, name: Option<&std::ffi::OsStr>) -> bool {
    let other_file = |p: &PathBuf| {
        p.parent() == Some(dir)
            && p.file_name()
                .is_some_and(|n| Some(n) != name && !n.to_string_lossy().starts_with(".."))
    };
    event.paths.is_empty() || !event.paths.iter().all(other_file)
}

/// Whether a watch event only says a file was opened or read (a close
/// after writing still counts as a change).
fn is_read_only(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(
        kind,
        notify::EventKind::Access(
            AccessKind::Open(_) | AccessKind::Read | AccessKind::Close(AccessMode::Read)
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    const GOOD: &str = r#"{"policies":[{"id":"a","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}}]}"#;
    const OTHER: &str = r#"{"policies":[{"id":"b","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}}]}"#;

    /// A provider on `path` with a debounce of `debounce_ms`, started on a
    /// new registry.
    fn watched(path: &Path, debounce_ms: u64) -> (Arc<Registry>, ProviderHandle) {
        let registry = Arc::new(Registry::new());
        let handle = FileProvider::new(path)
            .with_debounce(Duration::from_millis(debounce_ms))
            .start(registry.clone())
            .unwrap();
        (registry, handle)
    }

    fn ids(r: &Registry) -> Vec<String> {
        r.policy_statuses().into_iter().map(|s| s.id).collect()
    }

    fn wait_for(r: &Registry, want: &[&str]) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if ids(r) == want {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn reading_the_file_does_not_wake_the_provider_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policies.json");
        std::fs::write(&path, GOOD).unwrap();
        let (registry, handle) = watched(&path, 20);
        assert_eq!(handle.status().reads, 1);
        // Others reading the file (a backup job, `cat`) change nothing either.
        for _ in 0..3 {
            std::fs::read_to_string(&path).unwrap();
        }
        // Its own read used to wake it through the directory watch, so it
        // read the file again after every debounce, forever.
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(handle.status().reads, 1, "{:?}", handle.status());
        // A real change is still picked up, and read once.
        std::fs::write(&path, OTHER).unwrap();
        assert!(wait_for(&registry, &["b"]));
        std::thread::sleep(Duration::from_millis(300));
        let st = handle.status();
        assert!((2..=3).contains(&st.reads), "{st:?}");
        assert_eq!(st.loads, 2);
    }

    /// Writes `file` with `content` every 20 ms until the returned flag is
    /// set (then joins with the handle).
    fn keep_writing(
        file: PathBuf,
        content: &'static str,
    ) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let writer = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                std::fs::write(&file, content).unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        (stop, writer)
    }

    /// Starts a provider (100 ms debounce) on `GOOD` while a file is
    /// written every 20 ms, events more often than the debounce: another
    /// file of the directory (`neighbour`, and the policy file is changed to
    /// `OTHER` meanwhile) or, without one, the policy file itself with
    /// `OTHER`. The change must be seen while the writes go on.
    fn change_seen_while_written(neighbour: Option<&str>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policies.json");
        std::fs::write(&path, GOOD).unwrap();
        let (registry, handle) = watched(&path, 100);
        assert_eq!(ids(&registry), vec!["a"]);
        let (stop, writer) = match neighbour {
            Some(name) => {
                let writes = keep_writing(dir.path().join(name), "a log line\n");
                std::thread::sleep(Duration::from_millis(150));
                std::fs::write(&path, OTHER).unwrap();
                writes
            }
            None => keep_writing(path.clone(), OTHER),
        };
        let reloaded = wait_for(&registry, &["b"]);
        stop.store(true, Ordering::SeqCst);
        writer.join().unwrap();
        assert!(reloaded, "change held back: {:?}", ids(&registry));
        handle.shutdown();
    }

    #[test]
    fn only_events_that_may_concern_the_file_wake_the_provider() {
        use notify::event::{CreateKind, Event, EventKind};
        let dir = Path::new("/etc/edge");
        let name = Some(std::ffi::OsStr::new("policies.json"));
        let event = |paths: &[&str]| {
            let mut e = Event::new(EventKind::Create(CreateKind::File));
            for p in paths {
                e = e.add_path(PathBuf::from(p));
            }
            e
        };
        assert!(!concerns(&event(&["/etc/edge/app.log"]), dir, name));
        assert!(!concerns(
            &event(&["/etc/edge/.policies.json.swp"]),
            dir,
            name
        ));
        assert!(concerns(&event(&["/etc/edge/policies.json"]), dir, name));
        assert!(concerns(
            &event(&["/etc/edge/tmp", "/etc/edge/policies.json"]),
            dir,
            name
        ));
        assert!(concerns(&event(&["/etc/edge/..data"]), dir, name));
        assert!(concerns(&event(&["/etc/edge"]), dir, name));
        assert!(concerns(&event(&["/elsewhere/app.log"]), dir, name));
        assert!(concerns(&event(&[]), dir, name));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_swap_with_any_names_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        for (release, content) in [("v1", GOOD), ("v2", OTHER)] {
            std::fs::create_dir(dir.path().join(release)).unwrap();
            std::fs::write(dir.path().join(release).join("policies.json"), content).unwrap();
        }
        std::os::unix::fs::symlink("v1", dir.path().join("current")).unwrap();
        let path = dir.path().join("policies.json");
        std::os::unix::fs::symlink("current/policies.json", &path).unwrap();
        let (registry, handle) = watched(&path, 30);
        assert_eq!(ids(&registry), vec!["a"]);
        // `ln -sfn v2 current_tmp && mv -T current_tmp current`: the events
        // name only `current_tmp` and `current`.
        std::os::unix::fs::symlink("v2", dir.path().join("current_tmp")).unwrap();
        std::fs::rename(dir.path().join("current_tmp"), dir.path().join("current")).unwrap();
        assert!(wait_for(&registry, &["b"]), "{:?}", ids(&registry));
        handle.shutdown();
    }

    #[test]
    fn a_file_written_on_and_on_next_to_the_policies_does_not_hold_a_reload_back() {
        change_seen_while_written(Some("app.log"));
    }

    #[test]
    fn events_that_never_pause_delay_a_reload_by_at_most_a_few_debounces() {
        change_seen_while_written(None);
    }

    #[test]
    fn reloads_on_atomic_rename_and_keeps_last_good_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policies.json");
        std::fs::write(&path, GOOD).unwrap();
        let (registry, handle) = watched(&path, 30);
        assert_eq!(ids(&registry), vec!["a"]);

        // Editor-style save: write a temp file, rename over the original.
        let tmp = dir.path().join(".policies.json.swp");
        std::fs::write(&tmp, OTHER).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert!(
            wait_for(&registry, &["b"]),
            "rename not picked up: {:?}",
            ids(&registry)
        );

        // Invalid file: the previous set stays.
        std::fs::write(&path, "{ not json").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(ids(&registry), vec!["b"]);

        // Delete and recreate.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, GOOD).unwrap();
        assert!(
            wait_for(&registry, &["a"]),
            "recreate not picked up: {:?}",
            ids(&registry)
        );
        handle.shutdown();
    }

    #[cfg(unix)]
    #[test]
    fn reloads_on_kubernetes_style_symlink_swap() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("v1")).unwrap();
        std::fs::create_dir(d.join("v2")).unwrap();
        std::fs::write(d.join("v1/policies.json"), GOOD).unwrap();
        std::fs::write(d.join("v2/policies.json"), OTHER).unwrap();
        symlink("v1", d.join("..data")).unwrap();
        symlink("..data/policies.json", d.join("policies.json")).unwrap();
        let registry = Arc::new(Registry::new());
        let handle = FileProvider::new(d.join("policies.json"))
            .with_debounce(Duration::from_millis(30))
            .start(registry.clone())
            .unwrap();
        assert_eq!(ids(&registry), vec!["a"]);
        symlink("v2", d.join("..data_tmp")).unwrap();
        std::fs::rename(d.join("..data_tmp"), d.join("..data")).unwrap();
        assert!(
            wait_for(&registry, &["b"]),
            "swap not picked up: {:?}",
            ids(&registry)
        );
        handle.shutdown();
    }

    #[test]
    fn picks_up_a_file_whose_directory_appears_later() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/pdir");
        let path = sub.join("p.json");
        let registry = Arc::new(Registry::new());
        let handle = FileProvider::new(&path)
            .with_debounce(Duration::from_millis(30))
            .with_dir_poll(Duration::from_millis(50))
            .start(registry.clone())
            .expect("a missing directory is not a start failure");
        assert!(ids(&registry).is_empty());
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(&path, GOOD).unwrap();
        assert!(
            wait_for(&registry, &["a"]),
            "file not picked up: {:?}",
            ids(&registry)
        );
        // Now watched: a change is seen.
        std::fs::write(&path, OTHER).unwrap();
        assert!(wait_for(&registry, &["b"]), "{:?}", ids(&registry));
        // The directory goes away and comes back with another file.
        std::fs::remove_dir_all(&sub).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(&path, GOOD).unwrap();
        assert!(wait_for(&registry, &["a"]), "{:?}", ids(&registry));
        handle.shutdown();
    }

    #[test]
    fn a_directory_deleted_and_created_again_at_once_is_watched_anew() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("pdir");
        std::fs::create_dir_all(&sub).unwrap();
        let path = sub.join("p.json");
        std::fs::write(&path, GOOD).unwrap();
        let registry = Arc::new(Registry::new());
        // A long debounce: the deletion and the re-creation are one burst,
        // so the provider only looks once the new directory is there.
        let handle = FileProvider::new(&path)
            .with_debounce(Duration::from_millis(300))
            .with_dir_poll(Duration::from_millis(50))
            .start(registry.clone())
            .unwrap();
        assert!(wait_for(&registry, &["a"]));
        std::fs::remove_dir_all(&sub).unwrap();
        std::fs::create_dir_all(&sub).unwrap();
        // Past the debounce: the provider looked and found no file.
        std::thread::sleep(Duration::from_millis(800));
        std::fs::write(&path, OTHER).unwrap();
        assert!(
            wait_for(&registry, &["b"]),
            "a change in the new directory was not seen: {:?}",
            ids(&registry)
        );
        handle.shutdown();
    }

    /// Captures what `f` logs on this thread.
    fn logs_of(f: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Buf(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Buf::default();
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let out = buf.0.lock().unwrap().clone();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_removed_file_that_comes_back_is_logged_at_info() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, GOOD).unwrap();
        let registry = Registry::new();
        let mut state = LoadState::default();
        assert!(load("f", &path, &registry, &mut state));
        std::fs::remove_file(&path).unwrap();
        let gone = logs_of(|| {
            load("f", &path, &registry, &mut state);
        });
        assert!(gone.contains("keeping the previous policies"), "{gone}");
        std::fs::write(&path, GOOD).unwrap();
        let back = logs_of(|| {
            load("f", &path, &registry, &mut state);
        });
        assert!(
            back.contains("INFO") && back.contains("readable again"),
            "{back}"
        );
    }

    #[test]
    fn a_missing_relative_file_is_logged_with_its_resolved_path() {
        let registry = Registry::new();
        let mut state = LoadState::default();
        let relative = Path::new("no-such-dir-for-edge-tests/p.yaml");
        let logs = logs_of(|| {
            load("f", relative, &registry, &mut state);
        });
        let resolved = std::env::current_dir().unwrap().join(relative);
        assert!(
            logs.contains("not found") && logs.contains(&resolved.display().to_string()),
            "{logs}"
        );
        // An absolute path is shown once.
        let dir = tempfile::tempdir().unwrap();
        let absolute = dir.path().join("missing.yaml");
        let logs = logs_of(|| {
            load("f", &absolute, &registry, &mut LoadState::default());
        });
        assert!(!logs.contains("resolved"), "{logs}");
    }

    #[test]
    fn failure_messages_say_what_edge_does_meanwhile() {
        use std::io::ErrorKind;
        // Never loaded: nothing to keep, Edge is fail-open for this file.
        let missing = failure_message(Failure::Read(ErrorKind::NotFound), false);
        assert!(missing.contains("not found") && missing.contains("fail open"));
        assert!(!missing.contains("previous"));
        let denied = failure_message(Failure::Read(ErrorKind::PermissionDenied), false);
        assert!(denied.contains("fail open") && !denied.contains("previous"));
        let invalid = failure_message(Failure::Parse, false);
        assert!(invalid.contains("fail open") && !invalid.contains("previous"));
        // Loaded before: the last good set stays.
        for f in [Failure::Read(ErrorKind::NotFound), Failure::Parse] {
            assert!(failure_message(f, true).contains("keeping the previous policies"));
        }
    }

    #[test]
    fn reload_bad_then_good() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, GOOD).unwrap();
        let (registry, handle) = watched(&path, 30);
        std::fs::write(&path, r#"{"policies":["#).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !handle.status().last_failed && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let st = handle.status();
        assert!(st.last_failed && st.failures >= 1, "{st:?}");
        assert_eq!(ids(&registry), vec!["a"], "v1 stays active");
        std::fs::write(
            &path,
            r#"{"policies":[{"id":"good","log":{"match":[{"log_field":"body","exists":true}]}},
                            {"id":"bad","log":{"match":[{"log_field":"body","regex":"("}]}}]}"#,
        )
        .unwrap();
        assert!(wait_for(&registry, &["bad", "good"]));
        let bad = registry
            .policy_statuses()
            .into_iter()
            .find(|s| s.id == "bad")
            .unwrap();
        assert!(bad.errors[0].starts_with("log: match[0]: invalid regex"));
        std::fs::write(&path, OTHER).unwrap();
        assert!(wait_for(&registry, &["b"]));
        // The status is updated just after the registry: wait for it too.
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut st = handle.status();
        while !(!st.last_failed && st.loads == 3 && st.policies == 1) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            st = handle.status();
        }
        assert!(
            !st.last_failed && st.loads == 3 && st.policies == 1,
            "{st:?}"
        );
        handle.shutdown();
    }
}
