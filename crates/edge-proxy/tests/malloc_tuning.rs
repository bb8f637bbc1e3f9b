//! `tune_malloc` keeps the memory of large request bodies in the arena
//! between requests: allocating and freeing the buffers of a 1 MB body
//! (decoded body and re-encoded output) again and again does not fault
//! fresh pages in each time. With glibc's memory handed back after every
//! request, each one cost about 210 page faults and 0.3 ms of kernel time.
//!
//! glibc only; the allocator settings are process-wide, so this test has a
//! binary of its own.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn large_body_buffers_are_reused_without_page_faults() {
    use std::hint::black_box;

    fn minor_faults() -> i64 {
        // SAFETY: getrusage only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        assert_eq!(rc, 0);
        usage.ru_minflt
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
    for _ in 0..5 {
        request();
    }
    let before = minor_faults();
    let rounds = 40;
    for _ in 0..rounds {
        request();
    }
    let faults = minor_faults() - before;
    // Each round touches about 480 pages; reused arena memory faults none
    // (a few are allowed for unrelated allocations of the test harness).
    assert!(
        faults < rounds * 4,
        "{faults} minor page faults in {rounds} rounds of 1 MB buffers"
    );
}
