//! Per-thread memo of slot results for short values.
//!
//! Resolving a slot that has patterns costs a literal lookup and one
//! Vectorscan scan (a mostly fixed cost of a few hundred instructions
//! however short the value), yet most scanned values repeat from record to
//! record: severities, routes, service and host names, status codes. The
//! memo remembers, per thread, which raw conditions a short value hit
//! (exact literals and patterns) so a repeated value costs one hash of its
//! bytes and one comparison (about 50 instructions).
//!
//! * Key: the id of the [`super::SignalIndex`] (unique per build, from a
//!   global counter, so a dropped index and a new one at the same address
//!   are never confused), the slot, whether the value is a string or hex
//!   text of bytes (raws for string-only `equals` differ), and the exact
//!   value bytes, compared in full on every hit.
//! * Value: the raw ids hit (after the string-only filter).
//! * Bounded: a fixed set-associative table (two ways, least recently used
//!   replaced); values longer than [`MAX_KEY`] bytes or hitting more than
//!   [`MAX_RAWS`] raws are not memoized.
//!
//! TODO: short values that never repeat (e.g. 40-60 byte log bodies) are
//! inserted too and can evict hot entries; admitting a value only on its
//! second sighting (or per-slot admission) would avoid that.

use std::sync::atomic::{AtomicU64, Ordering};

/// Longest value (bytes of the scanned text) that is memoized.
pub(super) const MAX_KEY: usize = 64;
/// Most raw ids one entry holds.
const MAX_RAWS: usize = 10;
const WAYS: usize = 2;
// `Memo::get` probes exactly two ways.
const _: () = assert!(WAYS == 2);
#[cfg(not(test))]
const SETS_LOG2: u32 = 7;
/// Tests use a tiny table where the set is the key length (see
/// [`set_of`]): keys of one length always share a set and entries are
/// evicted often, so a flaw in the key comparison or the replacement shows.
#[cfg(test)]
const SETS_LOG2: u32 = 2;
const SETS: usize = 1 << SETS_LOG2;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh index identity (never 0, never reused in this process).
pub(super) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Slot, kind and length of a key in one word.
#[inline]
fn tag(slot: u16, is_str: bool, len: usize) -> u32 {
    u32::from(slot) | (u32::from(is_str) << 16) | ((len as u32) << 24)
}

#[derive(Clone, Copy)]
struct Entry {
    /// Index identity; 0 marks an empty entry.
    id: u64,
    /// [`tag`] of the key.
    tag: u32,
    n: u32,
    raws: [u32; MAX_RAWS],
    key: [u8; MAX_KEY],
}

const EMPTY: Entry = Entry {
    id: 0,
    tag: 0,
    n: 0,
    raws: [0; MAX_RAWS],
    key: [0; MAX_KEY],
};

#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn load4(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// `stored[..key.len()] == key` with word loads (`key.len() <= MAX_KEY`);
/// the tags already compared equal lengths.
#[inline(always)]
fn same_bytes(stored: &[u8; MAX_KEY], key: &[u8]) -> bool {
    let n = key.len();
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if load8(stored, i) != load8(key, i) {
                return false;
            }
            i += 8;
        }
        load8(stored, n - 8) == load8(key, n - 8)
    } else if n >= 4 {
        load4(stored, 0) == load4(key, 0) && load4(stored, n - 4) == load4(key, n - 4)
    } else if n > 0 {
        stored[0] == key[0] && stored[n / 2] == key[n / 2] && stored[n - 1] == key[n - 1]
    } else {
        true
    }
}

/// The set of a key: from the value and the index only, so the same value
/// on two slots, or as text and as bytes, shares a set (two ways) and is
/// told apart by the full comparison in [`Entry::is`].
#[inline(always)]
fn set_of(id: u64, key: &[u8]) -> usize {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let n = key.len();
    let mut h = id ^ ((n as u64) << 56);
    let mut mix = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            mix(load8(key, i));
            i += 8;
        }
        mix(load8(key, n - 8));
    } else if n >= 4 {
        mix(load4(key, 0) | (load4(key, n - 4) << 32));
    } else if n > 0 {
        mix(u64::from(key[0]) | (u64::from(key[n / 2]) << 8) | (u64::from(key[n - 1]) << 16));
    } else {
        mix(0);
    }
    if cfg!(test) {
        return n & (SETS - 1);
    }
    (h >> (64 - SETS_LOG2)) as usize
}

impl Entry {
    #[inline(always)]
    fn is(&self, id: u64, tag: u32, key: &[u8]) -> bool {
        self.id == id && self.tag == tag && same_bytes(&self.key, key)
    }
}

/// The memo table (about 30 KiB, allocated once per thread).
pub(super) struct Memo {
    entries: Box<[[Entry; WAYS]; SETS]>,
    /// Per set: the way used most recently.
    mru: [u8; SETS],
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            entries: vec![[EMPTY; WAYS]; SETS]
                .into_boxed_slice()
                .try_into()
                .unwrap_or_else(|_| unreachable!("SETS entries")),
            mru: [0; SETS],
        }
    }
}

/// Where a missed key goes once its result is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Miss(usize);

impl Memo {
    /// The raw ids memoized for the key, or where to [`Memo::put`] them.
    /// `key.len()` must be at most [`MAX_KEY`].
    #[inline(always)]
    pub(super) fn get(
        &mut self,
        id: u64,
        slot: u16,
        is_str: bool,
        key: &[u8],
    ) -> Result<&[u32], Miss> {
        debug_assert!(key.len() <= MAX_KEY);
        let set = set_of(id, key) & (SETS - 1);
        let tag = tag(slot, is_str, key.len());
        let ways = &self.entries[set];
        let way = if ways[0].is(id, tag, key) {
            0
        } else if ways[1].is(id, tag, key) {
            1
        } else {
            return Err(Miss(set));
        };
        self.mru[set] = way as u8;
        let e = &self.entries[set][way];
        Ok(&e.raws[..(e.n as usize).min(MAX_RAWS)])
    }

    /// Memoize `raws` for the key (replacing the least recently used way
    /// of its set); a no-op when there are too many raws.
    #[inline]
    pub(super) fn put(
        &mut self,
        miss: Miss,
        id: u64,
        slot: u16,
        is_str: bool,
        key: &[u8],
        raws: &[u32],
    ) {
        if raws.len() > MAX_RAWS || key.len() > MAX_KEY {
            return;
        }
        let set = miss.0 & (SETS - 1);
        let way = (usize::from(self.mru[set]) + 1) % WAYS;
        self.mru[set] = way as u8;
        let e = &mut self.entries[set][way];
        e.id = id;
        e.tag = tag(slot, is_str, key.len());
        e.key[..key.len()].copy_from_slice(key);
        e.n = raws.len() as u32;
        e.raws[..raws.len()].copy_from_slice(raws);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_bounded_and_keys_compared_in_full() {
        let mut m = Memo::default();
        // Far more distinct keys than entries: the table never grows and old
        // keys are evicted.
        for i in 0..10_000u32 {
            let key = format!("v{i}");
            let miss = m.get(1, 0, true, key.as_bytes()).expect_err("new key");
            m.put(miss, 1, 0, true, key.as_bytes(), &[i]);
        }
        assert_eq!(m.entries.len(), SETS);
        // The most recent key is there; keys differing in any part are not.
        assert_eq!(m.get(1, 0, true, b"v9999"), Ok(&[9999u32][..]));
        assert!(m.get(2, 0, true, b"v9999").is_err());
        assert!(m.get(1, 1, true, b"v9999").is_err());
        assert!(m.get(1, 0, false, b"v9999").is_err());
        assert!(m.get(1, 0, true, b"v99x").is_err());
        assert!(m.get(1, 0, true, b"v9990").is_err());
        assert!(m.get(1, 0, true, b"v9998x").is_err());
        // Too many raws or too long: not memoized.
        let miss = m.get(1, 0, true, b"many").expect_err("new key");
        m.put(miss, 1, 0, true, b"many", &[0; MAX_RAWS + 1]);
        assert!(m.get(1, 0, true, b"many").is_err());
    }

    #[test]
    fn word_comparison_sees_every_byte() {
        for n in 0..=MAX_KEY {
            let key: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
            let mut stored = [0xffu8; MAX_KEY];
            stored[..n].copy_from_slice(&key);
            assert!(same_bytes(&stored, &key), "len {n}");
            for i in 0..n {
                let mut other = stored;
                other[i] ^= 0x20;
                assert!(!same_bytes(&other, &key), "len {n}, byte {i}");
            }
            assert!(set_of(1, &key) < SETS);
        }
    }

    #[test]
    fn ids_are_unique() {
        let a = next_id();
        let b = next_id();
        assert!(a != 0 && b > a);
    }
}
