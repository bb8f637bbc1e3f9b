//! The multi-pattern seam: the string conditions of one signal that are not
//! plain case-sensitive equality (`regex`, `starts_with`, `ends_with`,
//! `contains`, and every case-insensitive form) are compiled into one
//! `edge_hyperscan::MatcherIndex` keyed by slot (selected field), so a field
//! is scanned once per record for all policies. Without the `vectorscan`
//! feature (or when the index cannot be built) no pattern is registered and
//! every such condition runs through the `regex` crate in [`crate::matcher`];
//! results are identical.

#[cfg(feature = "vectorscan")]
mod imp {
    use edge_hyperscan::{
        Database, MatchSet, MatcherIndexBuilder, Pattern, PatternFlags, PatternId,
    };

    /// Collects the patterns of one signal.
    #[derive(Debug, Default)]
    pub(crate) struct PatternBuilder {
        builder: MatcherIndexBuilder<u16>,
        added: bool,
    }

    impl PatternBuilder {
        /// Register `expression` (RE2 syntax) for `slot`; the returned id is
        /// dense per slot and shared by identical patterns. `None` when the
        /// pattern stays on the regex path.
        pub(crate) fn add(&mut self, slot: u16, expression: &str, caseless: bool) -> Option<u32> {
            let flags = PatternFlags {
                caseless,
                single_match: true,
                utf8: true,
                ..Default::default()
            };
            match self
                .builder
                .add(slot, Pattern::with_flags(expression, flags))
            {
                Ok(PatternId(id)) => {
                    self.added = true;
                    Some(id)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "pattern stays on the regex path");
                    None
                }
            }
        }

        /// Compile; `None` when nothing was added or the build failed (then
        /// every registered pattern must go back to the regex path).
        pub(crate) fn build(self) -> Option<PatternIndex> {
            if !self.added {
                return None;
            }
            match self.builder.build() {
                Ok(index) => {
                    // A dense table by slot: no key hashing per scan.
                    let mut by_slot: Vec<Option<Database>> = Vec::new();
                    for (slot, db) in index.into_databases() {
                        let s = usize::from(slot);
                        if by_slot.len() <= s {
                            by_slot.resize_with(s + 1, || None);
                        }
                        by_slot[s] = Some(db);
                    }
                    Some(PatternIndex { by_slot })
                }
                Err(e) => {
                    tracing::warn!(error = %e, "multi-pattern index not built; using the regex path");
                    None
                }
            }
        }
    }

    /// One signal's compiled patterns.
    #[derive(Debug)]
    pub(crate) struct PatternIndex {
        by_slot: Vec<Option<Database>>,
    }

    /// Reusable scan output (kept in the per-thread scratch).
    #[derive(Debug, Default)]
    pub(crate) struct ScanBuf(MatchSet);

    impl PatternIndex {
        /// Scan `hay` with every pattern of `slot`, calling `hit` with the
        /// id of each pattern that matches.
        #[inline]
        pub(crate) fn scan(
            &self,
            slot: u16,
            hay: &str,
            buf: &mut ScanBuf,
            mut hit: impl FnMut(u32),
        ) {
            if let Some(Some(db)) = self.by_slot.get(usize::from(slot)) {
                // `hay` is a `&str`: no UTF-8 validation per scan.
                db.scan_str_or_regex(hay, &mut buf.0);
                for id in buf.0.iter() {
                    hit(id.0);
                }
            }
        }
    }
}

#[cfg(not(feature = "vectorscan"))]
mod imp {
    /// Without the `vectorscan` feature nothing is registered.
    #[derive(Debug, Default)]
    pub(crate) struct PatternBuilder;

    impl PatternBuilder {
        pub(crate) fn add(
            &mut self,
            _slot: u16,
            _expression: &str,
            _caseless: bool,
        ) -> Option<u32> {
            None
        }

        pub(crate) fn build(self) -> Option<PatternIndex> {
            None
        }
    }

    /// Never constructed without the feature.
    #[derive(Debug)]
    pub(crate) enum PatternIndex {}

    /// Reusable scan output (unused without the feature).
    #[derive(Debug, Default)]
    pub(crate) struct ScanBuf;

    impl PatternIndex {
        pub(crate) fn scan(
            &self,
            _slot: u16,
            _hay: &str,
            _buf: &mut ScanBuf,
            _hit: impl FnMut(u32),
        ) {
            match *self {}
        }
    }
}

pub(crate) use imp::{PatternBuilder, PatternIndex, ScanBuf};
