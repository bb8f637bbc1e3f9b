//! Handing memory that an idle process no longer uses back to the OS.
//!
//! Two things stay resident after work that does not come back soon (policy
//! compiles at start and on reloads, a burst of traffic):
//!
//! - free heap that glibc malloc keeps ([`trim_heap`]: `malloc_trim(0)`);
//! - pages of the binary's and shared libraries' code and read-only data
//!   that ran once (Vectorscan's pattern compiler, the policy compiler, the
//!   configuration loader): about 2.5 MB of the idle RSS with policies
//!   (README, Performance). [`release_file_pages`] unmaps them with
//!   `madvise(MADV_DONTNEED)`; what runs again faults back in from the page
//!   cache (a minor fault, no disk read while the file stays cached).
//!
//! Only the pages the kernel itself drops under memory pressure are
//! released: clean, private, read-only file mappings without a single
//! copied-on-write page (`Anonymous: 0 kB` in `/proc/self/smaps`), never
//! locked ones. The relocated `.data.rel.ro`/GOT (written by the dynamic
//! loader before it was made read-only) holds copied pages and is left
//! alone, as are the writable data, heap and stacks.
//!
//! Linux with glibc only; elsewhere both calls do nothing. The environment
//! variable `EDGE_RELEASE_FILE_PAGES=0` turns the page release off (the heap
//! trim stays).

/// What [`release_file_pages`] unmapped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReleasedPages {
    /// Mappings given to `madvise`.
    pub mappings: usize,
    /// Resident bytes of those mappings just before (what the call could
    /// release; the pages that run again come back).
    pub resident_bytes: u64,
}

/// Whether [`release_file_pages`] should run: `EDGE_RELEASE_FILE_PAGES`
/// unset or anything but `0`.
pub fn release_file_pages_enabled() -> bool {
    std::env::var_os("EDGE_RELEASE_FILE_PAGES").is_none_or(|v| v != "0")
}

/// The malloc trim threshold [`crate::tune_malloc`] set (0: not set, glibc's
/// own rules apply and [`trim_heap`] leaves the threshold alone).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
static TRIM_THRESHOLD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Sets glibc's trim threshold and remembers it for [`trim_heap`].
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn set_trim_threshold(bytes: usize) {
    TRIM_THRESHOLD.store(bytes, std::sync::atomic::Ordering::Relaxed);
    let bytes = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only changes an allocator parameter under glibc's
    // own lock.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, bytes);
    }
}

/// Returns the free memory of every malloc arena to the OS (glibc only, a
/// no-op elsewhere).
///
/// `malloc_trim(0)` releases free chunks and the top of the main arena, but
/// never the top of a thread arena's heap: glibc shrinks that only when a
/// chunk of 64 KiB or more is freed into the arena while its top is over
/// the trim threshold. With the large threshold [`crate::tune_malloc`] sets
/// (so that large bodies reuse arena memory instead of faulting fresh
/// pages for every request), the top of a thread arena could otherwise
/// keep up to that much resident for good. So the threshold is lowered for
/// a moment and two short-lived threads (glibc hands the arenas to new
/// threads in turn, and `tune_malloc` allows two) each free such a chunk.
/// The process should be quiet (it is called when it is): requests served
/// meanwhile only see the lower threshold.
pub fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let kept = TRIM_THRESHOLD.load(std::sync::atomic::Ordering::Relaxed);
        if kept > 0 {
            // SAFETY: as in `set_trim_threshold`.
            unsafe {
                libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024);
            }
            // One after the other: the second is handed the arena after the
            // first one's, or the same thread arena again when no other
            // thread uses it (the main arena's top `malloc_trim` releases).
            for _ in 0..2 {
                let probe = std::thread::Builder::new()
                    .name("edge-trim".into())
                    .spawn(|| drop(std::hint::black_box(vec![1u8; 256 * 1024])));
                if let Ok(probe) = probe {
                    let _ = probe.join();
                }
            }
            set_trim_threshold(kept);
        }
        // SAFETY: malloc_trim takes glibc's arena locks itself and only
        // releases pages of free chunks.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// Unmaps the resident pages of the clean read-only file mappings (code and
/// read-only data of the binary and its shared libraries); see the module
/// documentation. Pages that are used again fault back in from the page
/// cache. Does nothing (and returns zeros) when `/proc/self/smaps` cannot be
/// read and on platforms other than Linux with glibc.
pub fn release_file_pages() -> ReleasedPages {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
            return ReleasedPages::default();
        };
        let mut done = ReleasedPages::default();
        for m in clean_file_mappings(&smaps) {
            // SAFETY: `m` is a whole mapping of this process that the kernel
            // reported as a private, non-writable file mapping holding no
            // anonymous (copied-on-write) page and no locked page. For such
            // a mapping MADV_DONTNEED only drops page-table entries of pages
            // equal to the file's contents; the next access maps the same
            // bytes again from the page cache (what the kernel does anyway
            // when it reclaims them under memory pressure). Nothing in the
            // process remaps or writes these ranges after start (no JIT, no
            // `dlclose`), so the range cannot have changed since it was read.
            let rc = unsafe {
                libc::madvise(
                    m.start as *mut libc::c_void,
                    m.end - m.start,
                    libc::MADV_DONTNEED,
                )
            };
            if rc == 0 {
                done.mappings += 1;
                done.resident_bytes += m.rss_kb * 1024;
            }
        }
        done
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    ReleasedPages::default()
}

/// One mapping of `/proc/self/smaps` that is safe to release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mapping {
    start: usize,
    end: usize,
    rss_kb: u64,
}

/// The mappings of an smaps text that [`release_file_pages`] may release:
/// private (`p`), not writable, backed by a file (inode not 0, absolute
/// path), resident, with `Anonymous: 0 kB` and `Locked: 0 kB`. A mapping
/// whose fields are missing or unreadable is skipped.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
fn clean_file_mappings(smaps: &str) -> Vec<Mapping> {
    struct Cur {
        range: Option<(usize, usize)>,
        rss: Option<u64>,
        anonymous: Option<u64>,
        locked: Option<u64>,
    }
    fn finish(cur: &Cur, out: &mut Vec<Mapping>) {
        if let (Some((start, end)), Some(rss), Some(0), Some(0)) =
            (cur.range, cur.rss, cur.anonymous, cur.locked)
        {
            if rss > 0 && end > start {
                out.push(Mapping {
                    start,
                    end,
                    rss_kb: rss,
                });
            }
        }
    }
    let mut out = Vec::new();
    let mut cur: Option<Cur> = None;
    for line in smaps.lines() {
        let mut words = line.split_ascii_whitespace();
        let Some(first) = words.next() else { continue };
        if let Some(key) = first.strip_suffix(':') {
            let Some(c) = cur.as_mut() else { continue };
            let kb = words.next().and_then(|v| v.parse::<u64>().ok());
            match key {
                "Rss" => c.rss = kb,
                "Anonymous" => c.anonymous = kb,
                "Locked" => c.locked = kb,
                _ => {}
            }
            continue;
        }
        // A mapping header: `start-end perms offset dev inode [path]`.
        if let Some(c) = cur.take() {
            finish(&c, &mut out);
        }
        let perms = words.next().unwrap_or("");
        let inode = words.nth(2).unwrap_or("0");
        let path = words.next().unwrap_or("");
        let range = first.split_once('-').and_then(|(a, b)| {
            Some((
                usize::from_str_radix(a, 16).ok()?,
                usize::from_str_radix(b, 16).ok()?,
            ))
        });
        let p = perms.as_bytes();
        let eligible =
            p.len() == 4 && p[1] == b'-' && p[3] == b'p' && inode != "0" && path.starts_with('/');
        cur = Some(Cur {
            range: range.filter(|_| eligible),
            rss: None,
            anonymous: None,
            locked: None,
        });
    }
    if let Some(c) = cur.take() {
        finish(&c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(header: &str, rss: u64, anonymous: u64, locked: u64) -> String {
        format!(
            "{header}\nSize:               8 kB\nRss:            {rss} kB\nPss:               4 kB\n\
             Anonymous:      {anonymous} kB\nLocked:         {locked} kB\nVmFlags: rd ex mr mw me\n"
        )
    }

    #[test]
    fn only_clean_read_only_private_file_mappings_are_released() {
        let smaps = [
            // Code of the binary: released.
            mapping("1000-3000 r-xp 00001000 fd:01 42 /usr/bin/edge", 8, 0, 0),
            // Relocated relro: has copied-on-write pages, kept.
            mapping("3000-4000 r--p 00003000 fd:01 42 /usr/bin/edge", 4, 4, 0),
            // Writable data, kept even when clean.
            mapping("4000-5000 rw-p 00004000 fd:01 42 /usr/bin/edge", 4, 0, 0),
            // Heap and anonymous memory, kept.
            mapping("5000-6000 rw-p 00000000 00:00 0 [heap]", 4, 4, 0),
            mapping("6000-7000 r--p 00000000 00:00 0 ", 4, 0, 0),
            // vDSO, kept.
            mapping("7000-8000 r-xp 00000000 00:00 0 [vdso]", 4, 0, 0),
            // Locked, kept.
            mapping("8000-9000 r--p 00000000 fd:01 43 /lib/libc.so.6", 4, 0, 4),
            // Shared file mapping, kept.
            mapping("9000-a000 r--s 00000000 fd:01 44 /tmp/shm", 4, 0, 0),
            // Not resident: nothing to do.
            mapping("a000-b000 r--p 00000000 fd:01 43 /lib/libc.so.6", 0, 0, 0),
            // Read-only data of a library whose path has a space: released.
            mapping(
                "b000-d000 r--p 00000000 fd:01 45 /opt/my libs/libz.so (deleted)",
                8,
                0,
                0,
            ),
        ]
        .concat();
        assert_eq!(
            clean_file_mappings(&smaps),
            [
                Mapping {
                    start: 0x1000,
                    end: 0x3000,
                    rss_kb: 8
                },
                Mapping {
                    start: 0xb000,
                    end: 0xd000,
                    rss_kb: 8
                },
            ]
        );
    }

    #[test]
    fn a_mapping_without_its_anonymous_count_is_kept() {
        let smaps = "1000-3000 r-xp 00001000 fd:01 42 /usr/bin/edge\nRss: 8 kB\nLocked: 0 kB\n";
        assert!(clean_file_mappings(smaps).is_empty());
        assert!(clean_file_mappings("").is_empty());
        assert!(clean_file_mappings("garbage\nRss: 4 kB\n").is_empty());
    }

    /// Resident file-backed memory of this process (`RssFile`), in kB.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn rss_file_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("RssFile:"))
            .and_then(|v| v.split_ascii_whitespace().next()?.parse().ok())
            .unwrap()
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn released_code_pages_leave_the_rss_and_the_code_still_runs() {
        // The test binary's code, its libraries and the test harness are
        // resident by now (several MB); after the release only what runs
        // again comes back.
        let before = rss_file_kb();
        let released = release_file_pages();
        let after = rss_file_kb();
        assert!(released.mappings > 0, "{released:?}");
        assert!(released.resident_bytes > 0, "{released:?}");
        assert!(
            after < before,
            "RssFile {before} kB before, {after} kB after {released:?}"
        );
        // Code and read-only data fault back in: formatting, allocation,
        // hashing and a second release all still work.
        let text = format!(
            "{:?}",
            std::collections::BTreeMap::from([(1, "a"), (2, "b")])
        );
        assert_eq!(text, r#"{1: "a", 2: "b"}"#);
        assert!(release_file_pages().mappings > 0);
        trim_heap();
    }
}
