//! `tune_malloc` and the idle heap release together: the memory of large
//! request bodies stays in the arena between requests (allocating and
//! freeing a 1 MB body's buffers again and again faults no fresh pages in;
//! with glibc handing it back after every request, each one cost about 210
//! page faults), and `idle_memory::trim_heap` still hands all of it back
//! when the process is quiet, also from the top of a thread arena, which
//! `malloc_trim` alone never releases.
//!
//! glibc only; the allocator settings are process-wide, so this binary has
//! one test (libtest runs it on a thread of its own: the first thread after
//! the main one, so in a thread arena, whose top `malloc_trim` alone never
//! releases).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn large_body_buffers_are_reused_and_released_when_idle() {
    use std::hint::black_box;

    fn minor_faults() -> i64 {
        // SAFETY: getrusage only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        assert_eq!(rc, 0);
        usage.ru_minflt
    }

    fn resident_mb() -> f64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: f64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64;
        pages * page / (1024.0 * 1024.0)
    }

    /// One request's worth of large buffers: the decoded body and the
    /// re-encoded output, written in full (non-zero bytes, so every page is
    /// touched), then freed.
    fn request() {
        let decoded = vec![1u8; (1 << 20) + 4096];
        let encoded = vec![2u8; 900 << 10];
        black_box((&decoded, &encoded));
    }

    edge_proxy::tune_malloc();
    {
        for _ in 0..5 {
            request();
        }
        let before = minor_faults();
        let rounds = 40;
        for _ in 0..rounds {
            request();
        }
        let faults = minor_faults() - before;
        // Each round touches about 480 pages; reused arena memory faults
        // none (a few are allowed for unrelated allocations).
        assert!(
            faults < rounds * 4,
            "{faults} minor page faults in {rounds} rounds of 1 MB buffers"
        );

        // A burst of many bodies at once leaves 8 MB free at the top of
        // this thread's arena, under the trim threshold: kept until the
        // process is quiet.
        let burst: Vec<Vec<u8>> = (0..8).map(|_| vec![3u8; 1 << 20]).collect();
        black_box(&burst);
        drop(burst);
        let kept = resident_mb();
        edge_proxy::idle_memory::trim_heap();
        let after = resident_mb();
        assert!(
            kept - after >= 6.0,
            "resident {kept:.1} MB before the idle release, {after:.1} MB after"
        );
    }
}
