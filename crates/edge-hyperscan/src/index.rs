//! [`MatcherIndex`]: one [`Database`] per key (typically per record field).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::analyse::{analyse, Analysed};
use crate::database::Database;
use crate::error::CompileError;
use crate::match_set::{MatchSet, PatternId};
use crate::pattern::Pattern;

/// Collects patterns per key and validates each as it is added.
///
/// ```
/// use edge_hyperscan::{MatchSet, MatcherIndexBuilder, Pattern};
///
/// let mut builder = MatcherIndexBuilder::new();
/// let timeout = builder.add("body", Pattern::new("timeout after [0-9]+ms"))?;
/// let debug = builder.add("severity", Pattern::caseless("^debug$"))?;
/// let index = builder.build()?;
///
/// let mut matched = MatchSet::new();
/// assert!(index.scan("body", b"GET /x: timeout after 30ms", &mut matched));
/// assert!(matched.contains(timeout));
/// assert!(index.scan("severity", b"DEBUG", &mut matched));
/// assert!(matched.contains(debug));
/// assert!(!index.scan("trace_id", b"abc", &mut matched));
/// # Ok::<(), edge_hyperscan::CompileError>(())
/// ```
#[derive(Debug)]
pub struct MatcherIndexBuilder<K> {
    keys: HashMap<K, KeyPatterns>,
}

#[derive(Debug, Default)]
struct KeyPatterns {
    analysed: Vec<Analysed>,
    ids: HashMap<Pattern, PatternId>,
}

impl<K: Hash + Eq + Clone> Default for MatcherIndexBuilder<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Hash + Eq + Clone> MatcherIndexBuilder<K> {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self {
            keys: HashMap::new(),
        }
    }

    /// Adds `pattern` under `key` and returns its id within that key.
    ///
    /// Ids are dense, start at 0 for each key and never change. Adding an
    /// identical pattern (same expression and flags) to the same key again
    /// returns the existing id, so policies that share a pattern share the
    /// work. An invalid pattern is rejected here, consumes no id, and leaves
    /// the builder usable.
    pub fn add(&mut self, key: K, pattern: Pattern) -> Result<PatternId, CompileError> {
        if let Some(&id) = self.keys.get(&key).and_then(|k| k.ids.get(&pattern)) {
            return Ok(id);
        }
        let next = self.keys.get(&key).map_or(0, |k| k.analysed.len());
        let id = u32::try_from(next).map(PatternId).map_err(|_| {
            CompileError::new(next, &pattern.expression, "too many patterns for one key")
        })?;
        let analysed = analyse(next, &pattern)?;
        let entry = self.keys.entry(key).or_default();
        entry.analysed.push(analysed);
        entry.ids.insert(pattern, id);
        Ok(id)
    }

    /// Compiles one database per key.
    ///
    /// Every pattern was validated by [`add`](Self::add); patterns Vectorscan
    /// rejects fall back to the `regex` engine, so this currently always
    /// succeeds. The `Result` leaves room for build-time limits.
    pub fn build(self) -> Result<MatcherIndex<K>, CompileError> {
        let databases = self
            .keys
            .into_iter()
            .filter(|(_, patterns)| !patterns.analysed.is_empty())
            .map(|(key, patterns)| (key, Database::from_analysed(patterns.analysed)))
            .collect();
        Ok(MatcherIndex { databases })
    }
}

/// Compiled patterns grouped by key: scanning a key's value once answers for
/// every pattern registered under that key.
///
/// `Send + Sync` when `K` is; share it behind an `Arc` and scan from any
/// number of threads.
#[derive(Debug)]
pub struct MatcherIndex<K> {
    databases: HashMap<K, Database>,
}

static SCAN_FAILURE_LOGGED: AtomicBool = AtomicBool::new(false);

/// Logs a Vectorscan scan failure: a warning the first time in the process,
/// at debug level afterwards.
pub(crate) fn log_scan_failure(err: &crate::error::ScanError) {
    if !SCAN_FAILURE_LOGGED.swap(true, Ordering::Relaxed) {
        tracing::warn!(error = %err, "vectorscan scan failed; matching with the regex engine");
    } else {
        tracing::debug!(error = %err, "vectorscan scan failed; matching with the regex engine");
    }
}

impl<K: Hash + Eq + Clone> MatcherIndex<K> {
    /// Scans `haystack` with every pattern registered under `key`, leaving the
    /// ids of the matching ones in `set` (cleared first).
    ///
    /// Returns `false`, with `set` empty, when the key has no patterns. If
    /// Vectorscan fails, the patterns are matched with the `regex` engine
    /// instead, so the answer is always complete.
    pub fn scan<Q>(&self, key: &Q, haystack: &[u8], set: &mut MatchSet) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let Some(db) = self.databases.get(key) else {
            set.clear();
            return false;
        };
        if let Err(err) = db.scan(haystack, set) {
            log_scan_failure(&err);
            db.scan_with_regex(haystack, set);
        }
        true
    }

    /// Takes the index apart into its per-key databases (for callers that
    /// keep them in their own dense table instead of hashing the key per
    /// scan).
    pub fn into_databases(self) -> impl Iterator<Item = (K, Database)> {
        self.databases.into_iter()
    }

    /// The keys that have at least one pattern.
    pub fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.databases.keys()
    }

    /// The database of one key.
    pub fn database<Q>(&self, key: &Q) -> Option<&Database>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.databases.get(key)
    }

    /// Number of keys with patterns.
    #[must_use]
    pub fn len(&self) -> usize {
        self.databases.len()
    }

    /// Whether no key has patterns.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.databases.is_empty()
    }
}
