//! The multi-pattern seam: all string conditions (`exact`, `regex`,
//! `starts_with`, `ends_with`, `contains`, case-insensitive or not) of one
//! signal are compiled into one `edge_hyperscan::MatcherIndex` keyed by
//! selected field ("slot"), so a field is scanned once per record for all
//! policies, lazily on first use. Without the `vectorscan` feature (or when
//! the index cannot be built) every condition runs through the `regex` crate
//! in [`crate::matcher`]; results are identical.

use crate::compile::Matcher;
use crate::record::{AttrScope, LogField, MetricField, TraceField};

/// What a slot selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SlotKey {
    Log(LogField),
    Metric(MetricField),
    Trace(TraceField),
    Attr(AttrScope, Vec<String>),
}

#[cfg(feature = "vectorscan")]
mod imp {
    use super::SlotKey;
    use crate::compile::Matcher;
    use crate::matcher::Condition;
    use edge_hyperscan::{
        MatchSet, MatcherIndex, MatcherIndexBuilder, Pattern, PatternFlags, PatternId,
    };
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// One signal's compiled string patterns.
    #[derive(Debug)]
    pub(crate) struct StringIndex {
        index: MatcherIndex<u16>,
        slots: usize,
    }

    impl StringIndex {
        /// Register every eligible matcher; on success their `hs` field
        /// points into the index.
        pub(crate) fn build<'m, S: 'm>(
            matchers: impl Iterator<Item = &'m mut Matcher<S>>,
            key_of: impl Fn(&S) -> Option<SlotKey>,
        ) -> Option<StringIndex> {
            let mut ms: Vec<&mut Matcher<S>> = matchers.collect();
            let mut slots: HashMap<SlotKey, u16> = HashMap::new();
            let mut builder = MatcherIndexBuilder::<u16>::new();
            let mut ids: Vec<Option<(u16, u32)>> = Vec::with_capacity(ms.len());
            for m in ms.iter() {
                let sm = match &m.cond {
                    Some(Condition::Str(sm)) | Some(Condition::Exact(sm, _)) => sm,
                    _ => {
                        ids.push(None);
                        continue;
                    }
                };
                let Some(key) = key_of(&m.sel) else {
                    ids.push(None);
                    continue;
                };
                let next = slots.len();
                let Ok(next) = u16::try_from(next) else {
                    ids.push(None);
                    continue;
                };
                let slot = *slots.entry(key).or_insert(next);
                let flags = PatternFlags {
                    caseless: m.ci,
                    single_match: true,
                    utf8: true,
                    ..Default::default()
                };
                match builder.add(slot, Pattern::with_flags(sm.expression(), flags)) {
                    Ok(PatternId(id)) => ids.push(Some((slot, id))),
                    Err(e) => {
                        tracing::debug!(error = %e, "pattern stays on the regex path");
                        ids.push(None);
                    }
                }
            }
            if slots.is_empty() {
                return None;
            }
            let index = match builder.build() {
                Ok(i) => i,
                Err(e) => {
                    tracing::warn!(error = %e, "multi-pattern index not built; using the regex path");
                    return None;
                }
            };
            for (m, id) in ms.iter_mut().zip(ids) {
                m.hs = id;
            }
            Some(StringIndex {
                index,
                slots: slots.len(),
            })
        }
    }

    #[derive(Default)]
    struct Scratch {
        generation: u64,
        seen: Vec<u64>,
        sets: Vec<MatchSet>,
    }

    thread_local! {
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    }

    /// Per-record scan state: each slot is scanned at most once.
    pub(crate) struct Scan<'a> {
        index: Option<&'a StringIndex>,
        scratch: Option<&'a mut Scratch>,
    }

    impl Scan<'_> {
        /// Whether pattern `id` of `slot` matches `hay` (the slot's value
        /// for the current record).
        pub(crate) fn is_match(&mut self, slot: u16, id: u32, hay: &str) -> Option<bool> {
            let (index, scratch) = (self.index?, self.scratch.as_deref_mut()?);
            let s = usize::from(slot);
            if scratch.seen[s] != scratch.generation {
                index
                    .index
                    .scan(&slot, hay.as_bytes(), &mut scratch.sets[s]);
                scratch.seen[s] = scratch.generation;
            }
            Some(scratch.sets[s].contains(PatternId(id)))
        }
    }

    /// Run `f` with scan state for one record.
    pub(crate) fn with_scan<R>(
        index: Option<&StringIndex>,
        f: impl FnOnce(&mut Scan<'_>) -> R,
    ) -> R {
        let Some(index) = index else {
            return f(&mut Scan {
                index: None,
                scratch: None,
            });
        };
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                scratch.generation = scratch.generation.wrapping_add(1);
                if scratch.seen.len() < index.slots {
                    scratch.seen.resize(index.slots, 0);
                    scratch.sets.resize_with(index.slots, MatchSet::new);
                }
                f(&mut Scan {
                    index: Some(index),
                    scratch: Some(&mut scratch),
                })
            }
            Err(_) => {
                // Re-entrant evaluation (e.g. from an extension handler).
                let mut local = Scratch {
                    generation: 1,
                    seen: vec![0; index.slots],
                    sets: (0..index.slots).map(|_| MatchSet::new()).collect(),
                };
                f(&mut Scan {
                    index: Some(index),
                    scratch: Some(&mut local),
                })
            }
        })
    }
}

#[cfg(not(feature = "vectorscan"))]
mod imp {
    use super::SlotKey;
    use crate::compile::Matcher;

    /// Placeholder: without the `vectorscan` feature no index is built.
    #[derive(Debug)]
    pub(crate) struct StringIndex;

    impl StringIndex {
        pub(crate) fn build<'m, S: 'm>(
            _matchers: impl Iterator<Item = &'m mut Matcher<S>>,
            _key_of: impl Fn(&S) -> Option<SlotKey>,
        ) -> Option<StringIndex> {
            None
        }
    }

    /// Per-record scan state (unused without the index).
    pub(crate) struct Scan<'a>(std::marker::PhantomData<&'a ()>);

    impl Scan<'_> {
        pub(crate) fn is_match(&mut self, _slot: u16, _id: u32, _hay: &str) -> Option<bool> {
            None
        }
    }

    pub(crate) fn with_scan<R>(
        _index: Option<&StringIndex>,
        f: impl FnOnce(&mut Scan<'_>) -> R,
    ) -> R {
        f(&mut Scan(std::marker::PhantomData))
    }
}

pub(crate) use imp::{with_scan, Scan, StringIndex};

/// Build an index over `matchers` (helper keeping the engine cfg-free).
pub(crate) fn build_index<'m, S: 'm>(
    matchers: impl Iterator<Item = &'m mut Matcher<S>>,
    key_of: impl Fn(&S) -> Option<SlotKey>,
) -> Option<StringIndex> {
    StringIndex::build(matchers, key_of)
}
