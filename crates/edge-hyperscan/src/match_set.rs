//! [`PatternId`] and the reusable [`MatchSet`].

use std::fmt;

/// Identifies a pattern within one [`Database`](crate::Database) (its index in
/// the slice given to [`Database::compile`](crate::Database::compile)) or
/// within one key of a [`MatcherIndex`](crate::MatcherIndex).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PatternId(pub u32);

impl PatternId {
    /// The id as an index into the pattern list it came from.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for PatternId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The set of pattern ids that matched one haystack.
///
/// A bitset for O(1) [`contains`](Self::contains) plus a list of the set ids
/// for iteration and cheap clearing. Scanning clears and refills it; once it
/// has grown to the size of the largest database it is used with, scans do
/// not allocate. Keep one per worker (or per field) and reuse it.
#[derive(Clone, Default)]
pub struct MatchSet {
    words: Vec<u64>,
    ids: Vec<u32>,
}

impl MatchSet {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for ids below `capacity` without allocating.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        let mut set = Self::new();
        set.reserve(capacity);
        set
    }

    /// Makes room for ids below `capacity`. Never shrinks.
    pub fn reserve(&mut self, capacity: usize) {
        let words = capacity.div_ceil(64);
        if self.words.len() < words {
            self.words.resize(words, 0);
        }
        if self.ids.capacity() < capacity {
            self.ids.reserve(capacity - self.ids.len());
        }
    }

    /// Removes every id, keeping the allocated capacity.
    pub fn clear(&mut self) {
        for &id in &self.ids {
            if let Some(word) = self.words.get_mut((id / 64) as usize) {
                *word = 0;
            }
        }
        self.ids.clear();
    }

    /// Whether `id` matched.
    #[must_use]
    pub fn contains(&self, id: PatternId) -> bool {
        self.contains_raw(id.0)
    }

    /// Iterates over the matched ids in the order they were found. The order
    /// is not meaningful; sort if you need one.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PatternId> + '_ {
        self.ids.iter().map(|&id| PatternId(id))
    }

    /// Number of matched ids.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing matched.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds `id` (idempotent).
    pub fn insert(&mut self, id: PatternId) {
        self.insert_raw(id.0);
    }

    /// Keeps only the ids for which `keep` is true.
    pub(crate) fn retain_raw(&mut self, mut keep: impl FnMut(u32) -> bool) {
        let words = &mut self.words;
        self.ids.retain(|&id| {
            let k = keep(id);
            if !k {
                if let Some(word) = words.get_mut((id / 64) as usize) {
                    *word &= !(1u64 << (id % 64));
                }
            }
            k
        });
    }

    pub(crate) fn contains_raw(&self, id: u32) -> bool {
        self.words
            .get((id / 64) as usize)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// Adds `id`. Called from the Vectorscan callback, so it must not panic;
    /// it only allocates when the set was not reserved for the database.
    pub(crate) fn insert_raw(&mut self, id: u32) {
        let word_index = (id / 64) as usize;
        if word_index >= self.words.len() {
            self.words.resize(word_index + 1, 0);
        }
        let bit = 1u64 << (id % 64);
        let word = &mut self.words[word_index];
        if *word & bit == 0 {
            *word |= bit;
            self.ids.push(id);
        }
    }
}

impl fmt::Debug for MatchSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.ids.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a MatchSet {
    type Item = PatternId;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, u32>, fn(&u32) -> PatternId>;

    fn into_iter(self) -> Self::IntoIter {
        fn to_id(id: &u32) -> PatternId {
            PatternId(*id)
        }
        self.ids.iter().map(to_id as fn(&u32) -> PatternId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_contains_clear() {
        let mut set = MatchSet::with_capacity(200);
        assert!(set.is_empty());
        set.insert(PatternId(3));
        set.insert(PatternId(130));
        set.insert(PatternId(3));
        assert_eq!(set.len(), 2);
        assert!(set.contains(PatternId(3)));
        assert!(set.contains(PatternId(130)));
        assert!(!set.contains(PatternId(4)));
        assert!(!set.contains(PatternId(100_000)));
        let mut ids: Vec<_> = set.iter().collect();
        ids.sort();
        assert_eq!(ids, vec![PatternId(3), PatternId(130)]);
        set.clear();
        assert!(set.is_empty());
        assert!(!set.contains(PatternId(3)));
        assert!(!set.contains(PatternId(130)));
    }

    #[test]
    fn grows_on_demand() {
        let mut set = MatchSet::new();
        set.insert(PatternId(1000));
        assert!(set.contains(PatternId(1000)));
        assert_eq!(
            (&set).into_iter().collect::<Vec<_>>(),
            vec![PatternId(1000)]
        );
    }

    #[test]
    fn reuse_does_not_reallocate() {
        let mut set = MatchSet::with_capacity(128);
        let words = set.words.as_ptr();
        let ids = set.ids.as_ptr();
        for round in 0..10u32 {
            set.clear();
            for id in 0..128 {
                if (id + round) % 3 == 0 {
                    set.insert(PatternId(id));
                }
            }
        }
        assert_eq!(words, set.words.as_ptr());
        assert_eq!(ids, set.ids.as_ptr());
    }
}
