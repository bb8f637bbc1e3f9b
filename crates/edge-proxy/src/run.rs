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
        tokio::spawn(trim_when_idle());
        app.run(crate::shutdown_signal()).await
    })?;
    tracing::info!("edge stopped");
    Ok(())
}

/// Keeps glibc malloc's footprint close to what is in use (measured in the
/// README's performance section): two arenas instead of up to eight per core
/// (each keeps the memory freed into it), and a fixed mmap threshold so
/// bodies up to 4 MiB reuse arena memory (no page faults per request) while
/// larger ones are mapped on their own and returned to the OS when freed.
/// The binaries call it first thing in `main`; elsewhere it does nothing.
pub fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters and takes glibc's
    // own locks; it is called before the runtime's threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// How often [`trim_when_idle`] looks at the process's CPU time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// CPU time within one [`TRIM_CHECK`] below which the process counts as idle
/// (1%: timers and an occasional scrape, not traffic).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const IDLE_CPU: std::time::Duration = std::time::Duration::from_millis(20);

/// Hands the memory glibc malloc keeps after a burst back to the OS once the
/// process goes quiet.
///
/// glibc only returns the free space at the top of an arena; what is freed
/// below a live allocation (request bodies, decoded batches, the Vectorscan
/// compiler's work memory at start and on policy reloads) stays resident.
/// After a burst of 1 MB bodies that was 25 MB of free heap kept for good
/// (README, Performance); `malloc_trim(0)` releases the free pages of every
/// arena. It walks the arenas under their locks, so it runs only when the
/// last [`TRIM_CHECK`] used less than [`IDLE_CPU`], once per quiet period
/// that follows activity (the start counts as activity).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
async fn trim_when_idle() {
    let mut ticks = tokio::time::interval(TRIM_CHECK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = process_cpu_time();
    let mut active = true;
    loop {
        ticks.tick().await;
        let now = process_cpu_time();
        if now.saturating_sub(last) >= IDLE_CPU {
            active = true;
        } else if active {
            active = false;
            // SAFETY: malloc_trim takes glibc's arena locks itself and only
            // releases pages of free chunks.
            unsafe {
                libc::malloc_trim(0);
            }
            tracing::debug!("returned free heap memory to the OS");
        }
        // The trim's own CPU time does not count as activity.
        last = process_cpu_time();
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

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn process_cpu_time_counts_work_done() {
        let before = super::process_cpu_time();
        let mut x = 0u64;
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let used = super::process_cpu_time().saturating_sub(before);
        assert!(used >= std::time::Duration::from_millis(5), "{used:?}");
    }
}
