//! The whole life of a proxy process: configuration, logging, runtime,
//! serving, signals. Binaries call [`run_config_file`] and map its error to
//! an exit code.

use std::path::Path;

use edge_config::{Config, ConfigError};

use crate::{App, Distribution, ProxyError};

/// Why a proxy process stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The configuration could not be loaded.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Logging could not be set up.
    #[error("logging: {0}")]
    Logging(#[from] edge_observability::InitError),
    /// The async runtime could not start.
    #[error("runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The proxy failed to start or run.
    #[error(transparent)]
    Proxy(#[from] ProxyError),
}

/// Loads `path`, installs JSON logging on stdout, serves `distribution` until
/// SIGINT/SIGTERM and drains in-flight requests. Blocks the calling thread.
pub fn run_config_file(path: &Path, distribution: Distribution) -> Result<(), RunError> {
    let config = Config::load(path)?;
    let level = config
        .log_level
        .as_str()
        .parse::<edge_observability::Level>()
        .unwrap_or(edge_observability::Level::Info);
    let _logging = edge_observability::init(edge_observability::Options {
        level,
        ..edge_observability::Options::default()
    })?;
    // A misspelled override would otherwise be ignored without a word; only
    // names are logged (values may be API keys).
    for unknown in edge_config::unknown_process_env_vars(path) {
        tracing::warn!(
            variable = %unknown.name,
            suggestion = unknown.suggestion.as_deref(),
            "{unknown}"
        );
    }
    if let Some(warning) = crate::app::budget_warning(&config) {
        tracing::warn!(max_inflight_bytes = config.max_inflight_bytes, "{warning}");
    }
    let unserved = crate::app::unserved_keys(&config, distribution);
    if !unserved.is_empty() {
        tracing::warn!(
            keys = %unserved.join(", "),
            "these configuration keys are ignored: the Datadog distribution does not serve \
             Datadog metrics, Prometheus or OTLP; run `edge` for them"
        );
    }
    // This runtime, on the calling thread, accepts connections (the serving
    // threads, one per core, each run their own; see `ServerSettings`),
    // serves the admin listener and runs the policy providers.
    //
    // Module work on large or compressed bodies (decode, evaluate,
    // re-encode) runs on its blocking pool and is CPU-bound: many more
    // threads than cores only add memory (each one holds a decoded body)
    // without adding throughput. Requests beyond that wait in the pool's
    // queue with only their received bytes in memory. Twice the cores (at
    // least 4) leaves room for the pool's other users (DNS lookups of the
    // upstream, provider start and stop).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("edge-blocking")
        .max_blocking_threads((cores * 2).max(4))
        .build()
        .map_err(RunError::Runtime)?;
    runtime.block_on(async {
        let app = App::build(&config, distribution).await?;
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            distribution = ?distribution,
            address = %app.local_addr(),
            upstream = %redact_url(&config.upstream_url),
            providers = config.policy_providers.len(),
            "edge started"
        );
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        tokio::spawn(release_memory_when_idle(app.registry().clone()));
        app.run(crate::shutdown_signal()).await
    })?;
    tracing::info!("edge stopped");
    Ok(())
}

/// Keeps glibc malloc's footprint close to what is in use (measured in the
/// README's performance section): two arenas instead of up to eight per core
/// (each keeps the memory freed into it), and a fixed mmap threshold so
/// bodies up to 4 MiB reuse arena memory while larger ones are mapped on
/// their own and returned to the OS when freed.
///
/// The trim threshold (free memory at the top of an arena kept for the next
/// requests instead of handed back at once) is 16 MiB per arena: with
/// 1 MiB, a 1 MB body's decoded and re-encoded buffers went back to the OS
/// after every request and were faulted in again by the next one (about
/// 210 minor faults and 0.3 ms of kernel time per request, 20% more CPU per
/// GB on 1 MB OTLP protobuf bodies). What a burst leaves is handed back once
/// the process is quiet ([`crate::idle_memory::trim_heap`]).
/// The binaries call it first thing in `main`; elsewhere it does nothing.
pub fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters and takes glibc's
    // own locks; it is called before the runtime's threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    crate::idle_memory::set_trim_threshold(16 * 1024 * 1024);
}

/// How often [`release_memory_when_idle`] looks at the process's CPU time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// CPU time within one [`IDLE_CHECK`] below which the process counts as idle
/// (1%: timers and an occasional scrape, not traffic).
const IDLE_CPU: std::time::Duration = std::time::Duration::from_millis(20);

/// Hands memory that the last burst of work left resident back to the OS
/// once the process goes quiet (see [`crate::idle_memory`]).
///
/// - glibc only returns the free space at the top of an arena; what is
///   freed below a live allocation (request bodies, decoded batches, the
///   Vectorscan compiler's work memory at start and on policy reloads) stays
///   resident. After a burst of 1 MB bodies that was 25 MB of free heap kept
///   for good (README, Performance); `malloc_trim(0)` releases the free
///   pages of every arena.
/// - Code and read-only data that ran once (the policy and pattern
///   compilers, start-up) stay mapped: 2.5 MB with policies. They are
///   unmapped; what runs again faults back from the page cache
///   (`EDGE_RELEASE_FILE_PAGES=0` keeps them).
///
/// Both walk process-wide structures (arena locks, page tables), so they run
/// only when the last [`IDLE_CHECK`] used less than [`IDLE_CPU`] and compiled
/// no policy snapshot, once per quiet period that follows activity (the
/// start and every policy compile count as activity), once more when the
/// quiet lasts 30 s, and after requests too light to count as activity
/// once they have grown the resident set and nothing has run for a while
/// (backing off when that repeats; [`IdleWatch`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
async fn release_memory_when_idle(registry: std::sync::Arc<edge_policy::Registry>) {
    // The first check comes one period after start (not at once, as a plain
    // `interval` would), so that it sees the whole start-up and releases
    // after it, not in the middle of it.
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + IDLE_CHECK, IDLE_CHECK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let release_pages = crate::idle_memory::release_file_pages_enabled();
    let mut watch = IdleWatch::new(process_cpu_time(), registry.compiles());
    loop {
        ticks.tick().await;
        if watch.went_quiet(process_cpu_time(), registry.compiles(), resident_bytes()) {
            crate::idle_memory::trim_heap();
            let pages = if release_pages {
                crate::idle_memory::release_file_pages()
            } else {
                crate::idle_memory::ReleasedPages::default()
            };
            tracing::debug!(
                released_file_mappings = pages.mappings,
                released_file_bytes = pages.resident_bytes,
                "returned free heap and unused code pages to the OS"
            );
            // The release's own CPU time does not count as activity.
            watch.restart(process_cpu_time(), resident_bytes());
        }
    }
}

/// Quiet checks in a row after which memory is released a second time
/// (30 s): what ran shortly after the first release (the blocking pool's
/// threads exit after 10 s without work, idle upstream connections close)
/// leaves again.
const LATE_RELEASE_CHECKS: u32 = 15;

/// Growth of the resident set since the last release that makes a quiet
/// process release again: light traffic (a few requests, too little CPU
/// time to count as work) faults back in the code pages it runs, 4 MB for
/// one Datadog request.
const RESIDENT_GROWTH: u64 = 2 * 1024 * 1024;

/// Quiet checks in a row with the resident set grown by [`RESIDENT_GROWTH`]
/// and next to no CPU time ([`STILL_CPU`]) before that release (6 s). After
/// such a release the count needed doubles, up to [`MAX_GROWN_CHECKS`]
/// (5 min), until the next traffic: a trickle of requests that keeps
/// faulting the same pages back in is not answered with a release each
/// time.
const GROWN_CHECKS: u32 = 3;

/// The most quiet checks [`GROWN_CHECKS`] grows to.
const MAX_GROWN_CHECKS: u32 = 150;

/// CPU time within one check below which nothing at all ran (timers only).
const STILL_CPU: std::time::Duration = std::time::Duration::from_millis(1);

/// Decides, one check at a time, when the process went quiet: the first
/// check without work ([`IDLE_CPU`] or more of CPU time, or a policy
/// compile) after one with work, once more after [`LATE_RELEASE_CHECKS`]
/// quiet checks in a row, and after [`GROWN_CHECKS`] quiet checks with the
/// resident set [`RESIDENT_GROWTH`] above what it was after the last
/// release.
#[derive(Debug)]
struct IdleWatch {
    cpu: std::time::Duration,
    compiles: u64,
    /// Quiet checks since the last one with work (0: just worked).
    quiet: u32,
    /// Resident bytes after the last release (0 before the first one).
    released_at: u64,
    /// Quiet checks in a row with the resident set grown and nothing run.
    grown: u32,
    /// Such checks needed for a release (doubles after each).
    grown_needed: u32,
}

impl IdleWatch {
    /// Starts active (start-up is work) from the current CPU time and
    /// registry compile count.
    #[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
    fn new(cpu: std::time::Duration, compiles: u64) -> IdleWatch {
        IdleWatch {
            cpu,
            compiles,
            quiet: 0,
            released_at: 0,
            grown: 0,
            grown_needed: GROWN_CHECKS,
        }
    }

    /// Takes one check's readings; true when memory should be released now.
    #[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
    fn went_quiet(&mut self, cpu: std::time::Duration, compiles: u64, resident: u64) -> bool {
        let used = cpu.saturating_sub(self.cpu);
        let busy = used >= IDLE_CPU || compiles != self.compiles;
        self.cpu = cpu;
        self.compiles = compiles;
        if busy {
            self.quiet = 0;
            self.grown = 0;
            self.grown_needed = GROWN_CHECKS;
            return false;
        }
        self.quiet = self.quiet.saturating_add(1);
        if used < STILL_CPU && resident >= self.released_at.saturating_add(RESIDENT_GROWTH) {
            self.grown = self.grown.saturating_add(1);
        } else {
            self.grown = 0;
        }
        if self.quiet == 1 || self.quiet == LATE_RELEASE_CHECKS {
            return true;
        }
        if self.grown >= self.grown_needed {
            self.grown_needed = (self.grown_needed * 2).min(MAX_GROWN_CHECKS);
            return true;
        }
        false
    }

    /// Sets the CPU time the next check compares with (after the release,
    /// whose own CPU time is not activity) and the resident set the
    /// release left.
    #[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
    fn restart(&mut self, cpu: std::time::Duration, resident: u64) {
        self.cpu = cpu;
        self.released_at = resident;
        self.grown = 0;
    }
}

/// CPU time (user + system) of the whole process so far.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn process_cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

/// Resident set size of the process in bytes (`/proc/self/statm`; 0 when
/// it cannot be read, which never triggers a release).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_bytes() -> u64 {
    let Ok(statm) = std::fs::read_to_string("/proc/self/statm") else {
        return 0;
    };
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages.saturating_mul(u64::try_from(page).unwrap_or(4096))
}

/// Drops userinfo and query from a URL before it is logged.
fn redact_url(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or("");
    match without_query.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((_, host)) => format!("{scheme}://{host}"),
            None => without_query.to_owned(),
        },
        None => without_query.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_lose_credentials_before_logging() {
        assert_eq!(
            super::redact_url("https://u:p@h:1/x?api_key=k"),
            "https://h:1/x"
        );
        assert_eq!(super::redact_url("http://h"), "http://h");
    }

    #[test]
    fn memory_is_released_once_after_start_and_after_every_policy_compile() {
        use std::time::Duration;
        let ms = Duration::from_millis;
        const MB: u64 = 1 << 20;
        let mut w = super::IdleWatch::new(ms(500), 1);
        // Start-up was work: the first quiet check releases, later ones not.
        assert!(w.went_quiet(ms(505), 1, 9 * MB));
        w.restart(ms(530), 3 * MB);
        assert!(!w.went_quiet(ms(531), 1, 3 * MB));
        assert!(!w.went_quiet(ms(532), 1, 3 * MB));
        // A policy reload that took almost no CPU still counts as work.
        assert!(!w.went_quiet(ms(533), 2, 3 * MB));
        assert!(w.went_quiet(ms(534), 2, 3 * MB));
        w.restart(ms(534), 3 * MB);
        // Traffic: released once it stops, and once more after 30 s of
        // quiet.
        assert!(!w.went_quiet(ms(900), 2, 9 * MB));
        assert!(!w.went_quiet(ms(1300), 2, 9 * MB));
        assert!(w.went_quiet(ms(1301), 2, 9 * MB));
        w.restart(ms(1301), 5 * MB);
        for check in 2..super::LATE_RELEASE_CHECKS {
            assert!(!w.went_quiet(ms(1301), 2, 5 * MB), "check {check}");
        }
        assert!(w.went_quiet(ms(1301), 2, 5 * MB));
        w.restart(ms(1301), 3 * MB);
        for _ in 0..100 {
            assert!(!w.went_quiet(ms(1301), 2, 4 * MB));
        }
    }

    /// A few requests too light to count as work still fault code pages
    /// back in: once the resident set has grown by 2 MB and stayed so for
    /// three quiet checks, memory is released again (it was released twice
    /// after start-up and never again).
    #[test]
    fn memory_is_released_again_after_light_traffic_grew_the_resident_set() {
        use std::time::Duration;
        const MB: u64 = 1 << 20;
        let ms = Duration::from_millis;
        let mut w = super::IdleWatch::new(ms(500), 1);
        assert!(w.went_quiet(ms(505), 1, 9 * MB));
        w.restart(ms(505), 3 * MB);
        for _ in 0..super::LATE_RELEASE_CHECKS + 20 {
            if w.went_quiet(ms(505), 1, 3 * MB) {
                w.restart(ms(505), 3 * MB);
            }
        }
        // One light request (3 ms of CPU): 4 MB faulted back in; released
        // once nothing has run for three checks.
        assert!(!w.went_quiet(ms(508), 1, 7 * MB));
        for check in 1..super::GROWN_CHECKS {
            assert!(!w.went_quiet(ms(508), 1, 7 * MB), "check {check}");
        }
        assert!(w.went_quiet(ms(508), 1, 7 * MB));
        w.restart(ms(508), 3 * MB);
        for _ in 0..100 {
            assert!(!w.went_quiet(ms(508), 1, 4 * MB));
        }
        // Growth that goes away by itself (freed heap returned) resets the
        // count; so does a check in which something ran.
        let mut t = 508;
        for rss in [6, 3, 6, 6] {
            assert!(!w.went_quiet(ms(t), 1, rss * MB));
        }
        t += 2;
        assert!(!w.went_quiet(ms(t), 1, 6 * MB));
        assert!(!w.went_quiet(ms(t), 1, 6 * MB));
        assert!(!w.went_quiet(ms(t), 1, 6 * MB));
        // The count needed has doubled after the last release (6 checks).
        for check in 3..6 {
            assert!(!w.went_quiet(ms(t), 1, 6 * MB), "check {check}");
        }
        assert!(w.went_quiet(ms(t), 1, 6 * MB));
        w.restart(ms(t), 3 * MB);
    }

    /// A steady trickle of requests (a few ms of CPU per check, too little
    /// to count as traffic) that keeps the pages it uses resident does not
    /// make the process release memory again and again.
    #[test]
    fn a_steady_trickle_of_requests_is_not_answered_with_releases() {
        use std::time::Duration;
        const MB: u64 = 1 << 20;
        let mut w = super::IdleWatch::new(Duration::from_millis(500), 1);
        assert!(w.went_quiet(Duration::from_millis(505), 1, 9 * MB));
        w.restart(Duration::from_millis(505), 3 * MB);
        let mut releases = 0;
        let mut cpu = 505;
        for check in 0..1000 {
            cpu += 3;
            if w.went_quiet(Duration::from_millis(cpu), 1, 7 * MB) {
                releases += 1;
                assert_eq!(check, super::LATE_RELEASE_CHECKS - 2);
                w.restart(Duration::from_millis(cpu), 3 * MB);
            }
        }
        // Only the late release after start-up; every check ran something.
        assert_eq!(releases, 1);
        // Sparse requests (nothing ran in most checks): releases back off,
        // at most one every 5 min once doubled up.
        let mut releases = 0;
        for check in 0..3000u32 {
            if check % 10 == 0 {
                cpu += 3;
            }
            if w.went_quiet(Duration::from_millis(cpu), 1, 7 * MB) {
                releases += 1;
                w.restart(Duration::from_millis(cpu), 3 * MB);
            }
        }
        assert!(releases <= 12, "{releases} releases in 100 min");
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn process_cpu_time_counts_work_done() {
        let before = super::process_cpu_time();
        let mut x = 0u64;
        // Spins until the CPU time shows 5 ms of work (a busy machine may
        // give this thread little of the wall clock); a clock that does not
        // count work runs into the 5 s cap.
        let start = std::time::Instant::now();
        let mut used = std::time::Duration::ZERO;
        while used < std::time::Duration::from_millis(5)
            && start.elapsed() < std::time::Duration::from_secs(5)
        {
            for _ in 0..10_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            used = super::process_cpu_time().saturating_sub(before);
        }
        assert!(used >= std::time::Duration::from_millis(5), "{used:?}");
    }
}
