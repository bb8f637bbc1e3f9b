//! [`Database`]: many patterns, one scan.

use crate::analyse::{analyse, Analysed, Engine, Route};
use crate::error::{CompileError, ScanError};
use crate::ffi;
use crate::match_set::{MatchSet, PatternId};
use crate::pattern::Pattern;

/// Patterns compiled together so that one [`scan`](Self::scan) call answers,
/// for every pattern, whether it matches anywhere in a haystack.
///
/// Most patterns go into a single Vectorscan block-mode database; patterns
/// Vectorscan cannot match with RE2 semantics are matched by the `regex` crate
/// in the same call (see [`Engine`]). Results are always those of the `regex`
/// crate with the pattern's flags.
///
/// A `Database` is `Send + Sync` and is meant to be shared (e.g. in an `Arc`):
/// scans from many threads run concurrently without locks, each thread using
/// its own Vectorscan scratch space, created on its first scan and kept in a
/// thread-local for all databases that thread scans.
#[derive(Debug)]
pub struct Database {
    hs: Option<ffi::HsDatabase>,
    regexes: Vec<regex::bytes::Regex>,
    engines: Vec<Engine>,
    /// Ids inside `hs`.
    accelerated: Vec<u32>,
    /// Ids matched with `regexes` on every non-empty haystack.
    fallback: Vec<u32>,
    /// Ids that match every non-empty haystack.
    trivial: Vec<u32>,
    /// Ids that match the empty haystack.
    empty: Vec<u32>,
    /// Whether some accelerated ids are prefilters whose hits need
    /// confirming with their regex.
    prefiltered: bool,
    /// When every pattern needs one of a few literals: those literals. A
    /// non-empty haystack containing none of them matches nothing, without
    /// entering Vectorscan (whose per-call setup dominates on short fields).
    needles: Option<Vec<Needle>>,
}

/// A literal some pattern's match starts with.
#[derive(Debug)]
enum Needle {
    /// At offset 0.
    Prefix(Vec<u8>),
    /// Anywhere.
    Anywhere(Box<memchr::memmem::Finder<'static>>),
}

impl Needle {
    #[inline]
    fn in_haystack(&self, haystack: &[u8]) -> bool {
        match self {
            Needle::Prefix(p) => haystack.starts_with(p),
            Needle::Anywhere(f) => f.find(haystack).is_some(),
        }
    }
}

/// Most literals checked before a scan; beyond that Vectorscan's own
/// literal matcher is faster.
const MAX_DB_NEEDLES: usize = 8;

impl Database {
    /// Validates and compiles `patterns`. Pattern `i` gets [`PatternId`] `i`.
    ///
    /// Fails with the first pattern that is not a valid regular expression
    /// for the `regex` crate. Patterns that only Vectorscan rejects are not an
    /// error: they fall back to the `regex` engine.
    pub fn compile(patterns: &[Pattern]) -> Result<Self, CompileError> {
        if u32::try_from(patterns.len()).is_err() {
            return Err(CompileError::new(
                u32::MAX as usize,
                "",
                "too many patterns for one database",
            ));
        }
        let analysed = patterns
            .iter()
            .enumerate()
            .map(|(index, pattern)| analyse(index, pattern))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_analysed(analysed))
    }

    pub(crate) fn from_analysed(analysed: Vec<Analysed>) -> Self {
        let mut regexes = Vec::with_capacity(analysed.len());
        let mut engines = Vec::with_capacity(analysed.len());
        let mut fallback = Vec::new();
        let mut trivial = Vec::new();
        let mut empty = Vec::new();
        // (id, expression, flags) for Vectorscan.
        let mut candidates: Vec<(u32, String, u32)> = Vec::new();
        // (anchored, literal) pairs every pattern's matches start with.
        let mut needles: Option<Vec<(bool, Vec<u8>)>> = Some(Vec::new());
        for item in &analysed {
            match (&mut needles, &item.needles) {
                (Some(all), Some(own)) => {
                    for lit in &own.lits {
                        let n = (own.anchored, lit.clone());
                        if !all.contains(&n) {
                            all.push(n);
                        }
                    }
                    if all.len() > MAX_DB_NEEDLES {
                        needles = None;
                    }
                }
                _ => needles = None,
            }
        }
        let needles = needles.filter(|n| !n.is_empty()).map(|n| {
            n.into_iter()
                .map(|(anchored, lit)| {
                    if anchored {
                        Needle::Prefix(lit)
                    } else {
                        Needle::Anywhere(Box::new(memchr::memmem::Finder::new(&lit).into_owned()))
                    }
                })
                .collect()
        });
        for (id, item) in analysed.into_iter().enumerate() {
            let id = id as u32;
            if item.matches_empty {
                empty.push(id);
            }
            regexes.push(item.regex);
            match item.route {
                Route::Trivial => {
                    engines.push(Engine::Trivial);
                    trivial.push(id);
                }
                Route::Regex { .. } => {
                    engines.push(Engine::Regex);
                    fallback.push(id);
                }
                Route::Vectorscan { expression, flags } => {
                    engines.push(Engine::Vectorscan);
                    candidates.push((id, expression, flags));
                }
                Route::Prefilter { expression, flags } => {
                    engines.push(Engine::Prefilter);
                    candidates.push((id, expression, flags));
                }
            }
        }

        // Expressions that pass `hs_expression_info` can still fail to build
        // (too large as part of the whole set, internal limits): move the one
        // Vectorscan names to the fallback and retry.
        let hs = loop {
            if candidates.is_empty() {
                break None;
            }
            let expressions: Vec<&str> = candidates.iter().map(|c| c.1.as_str()).collect();
            let flags: Vec<u32> = candidates.iter().map(|c| c.2).collect();
            let ids: Vec<u32> = candidates.iter().map(|c| c.0).collect();
            match ffi::compile(&expressions, &flags, &ids) {
                Ok(db) => break Some(db),
                Err(failure) => match failure.expression {
                    Some(i) if i < candidates.len() => {
                        let (id, _, _) = candidates.remove(i);
                        tracing::debug!(
                            id,
                            reason = failure.message.as_str(),
                            "vectorscan rejected pattern; using the regex fallback"
                        );
                        engines[id as usize] = Engine::Regex;
                        fallback.push(id);
                    }
                    _ => {
                        tracing::warn!(
                            patterns = candidates.len(),
                            reason = failure.message.as_str(),
                            "vectorscan could not build the database; using the regex fallback"
                        );
                        for (id, _, _) in candidates.drain(..) {
                            engines[id as usize] = Engine::Regex;
                            fallback.push(id);
                        }
                    }
                },
            }
        };
        fallback.sort_unstable();
        let accelerated = candidates.iter().map(|c| c.0).collect();
        let prefiltered = engines.contains(&Engine::Prefilter);
        Self {
            hs,
            regexes,
            engines,
            accelerated,
            fallback,
            trivial,
            empty,
            prefiltered,
            needles,
        }
    }

    /// Number of patterns.
    #[must_use]
    pub fn len(&self) -> usize {
        self.regexes.len()
    }

    /// Whether the database holds no pattern.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// Which engine matches pattern `id`, or `None` for an unknown id.
    #[must_use]
    pub fn engine(&self, id: PatternId) -> Option<Engine> {
        self.engines.get(id.index()).copied()
    }

    /// Clears `set`, then adds the id of every pattern that matches somewhere
    /// in `haystack`.
    ///
    /// `set` grows to the number of patterns on first use and never allocates
    /// again for this or a smaller database. The only error is a failure inside
    /// Vectorscan (e.g. no memory for scratch space); `set` is then incomplete
    /// and [`scan_with_regex`](Self::scan_with_regex) gives the full answer.
    pub fn scan(&self, haystack: &[u8], set: &mut MatchSet) -> Result<(), ScanError> {
        // The accelerated expressions are compiled in UTF-8 mode, where
        // Vectorscan's results on invalid UTF-8 are undefined; such
        // haystacks take the regex path instead.
        let utf8 = std::str::from_utf8(haystack).is_ok();
        self.scan_checked(haystack, utf8, set)
    }

    /// Like [`scan`](Self::scan) for a haystack already known to be UTF-8
    /// (no validation pass).
    pub fn scan_str(&self, haystack: &str, set: &mut MatchSet) -> Result<(), ScanError> {
        self.scan_checked(haystack.as_bytes(), true, set)
    }

    /// [`scan_str`](Self::scan_str) that always gives the complete answer:
    /// if Vectorscan fails, the patterns are matched with the `regex` engine
    /// (the first failure in the process is logged as a warning).
    pub fn scan_str_or_regex(&self, haystack: &str, set: &mut MatchSet) {
        if let Err(err) = self.scan_str(haystack, set) {
            crate::index::log_scan_failure(&err);
            self.scan_with_regex(haystack.as_bytes(), set);
        }
    }

    #[inline]
    fn scan_checked(
        &self,
        haystack: &[u8],
        utf8: bool,
        set: &mut MatchSet,
    ) -> Result<(), ScanError> {
        set.clear();
        set.reserve(self.len());
        if haystack.is_empty() {
            for &id in &self.empty {
                set.insert_raw(id);
            }
            return Ok(());
        }
        if let Some(needles) = &self.needles {
            if !needles.iter().any(|n| n.in_haystack(haystack)) {
                return Ok(());
            }
        }
        for &id in &self.trivial {
            set.insert_raw(id);
        }
        if let Some(hs) = &self.hs {
            // Haystacks too long for Vectorscan's 32-bit length also take
            // the regex path.
            if utf8 && u32::try_from(haystack.len()).is_ok() {
                ffi::scan(hs, haystack, set).map_err(|failure| ScanError::new(failure.code))?;
                if self.prefiltered {
                    let (engines, regexes) = (&self.engines, &self.regexes);
                    set.retain_raw(|id| {
                        engines[id as usize] != Engine::Prefilter
                            || regexes[id as usize].is_match(haystack)
                    });
                }
            } else {
                self.regex_scan(&self.accelerated, haystack, set);
            }
        }
        self.regex_scan(&self.fallback, haystack, set);
        Ok(())
    }

    /// Like [`scan`](Self::scan) but matches every pattern with the `regex`
    /// crate only. Slow; this is the reference behaviour and the recovery
    /// path when Vectorscan fails.
    pub fn scan_with_regex(&self, haystack: &[u8], set: &mut MatchSet) {
        set.clear();
        set.reserve(self.len());
        for (id, regex) in self.regexes.iter().enumerate() {
            if regex.is_match(haystack) {
                set.insert_raw(id as u32);
            }
        }
    }

    fn regex_scan(&self, ids: &[u32], haystack: &[u8], set: &mut MatchSet) {
        for &id in ids {
            if !set.contains_raw(id) && self.regexes[id as usize].is_match(haystack) {
                set.insert_raw(id);
            }
        }
    }
}
