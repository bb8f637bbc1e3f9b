//! Shared pieces of the loopback load benchmark tools (see
//! `benches/load/README.md`): the four binaries `edge-sink`, `edge-load`,
//! `plain-proxy` and `edge-payload` live in `src/bin/`.

#![warn(missing_docs)]

use std::time::Duration;

pub mod payload;

/// Builds a tokio runtime with `threads` workers (`0`: current thread).
pub fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    if threads == 0 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
}

/// Value at quantile `q` (0..=1) of sorted `values`; 0 when empty.
pub fn quantile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Sleeps `limit`, then exits the process: every server started by the
/// benchmark stops by itself even if its driver dies.
pub fn exit_after(limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("lifetime of {}s reached; exiting", limit.as_secs());
        std::process::exit(0);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantiles_pick_ranks() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(super::quantile(&v, 0.5), 51);
        assert_eq!(super::quantile(&v, 0.99), 99);
        assert_eq!(super::quantile(&v, 1.0), 100);
        assert_eq!(super::quantile(&[], 0.5), 0);
    }
}
