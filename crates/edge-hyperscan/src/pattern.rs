//! [`Pattern`] and [`PatternFlags`].

/// Options that change how a [`Pattern`] matches.
///
/// Every flag defaults to `false`. The meaning of each pattern is always the
/// meaning the `regex` crate (an RE2-compatible dialect) gives it with the
/// same options: an unanchored search, Unicode-aware classes and case folding,
/// `.` matching one code point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PatternFlags {
    /// Match letters regardless of case, with Unicode simple case folding
    /// (like `(?i)`).
    pub caseless: bool,
    /// Report a pattern at most once per scan. Scans only ever record whether
    /// each pattern matched, so this is always the behaviour; the flag is
    /// accepted so that callers can state it and has no further effect.
    pub single_match: bool,
    /// The caller's haystacks are UTF-8 text. Unicode mode is always on (RE2
    /// semantics require it), and a haystack that is not valid UTF-8 is
    /// detected on every scan and matched by the fallback engine with the
    /// byte-oriented semantics of `regex::bytes`, so this flag does not change
    /// results; it is accepted for parity with Vectorscan's flag set.
    pub utf8: bool,
    /// `.` also matches `\n` (like `(?s)`).
    pub dotall: bool,
    /// `^` and `$` also match at the start and end of each line (like `(?m)`).
    pub multiline: bool,
}

/// A regular expression in RE2 syntax plus its [`PatternFlags`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pattern {
    /// The expression text, e.g. `timeout after [0-9]+ms`.
    pub expression: String,
    /// Matching options.
    pub flags: PatternFlags,
}

impl Pattern {
    /// A pattern with default flags.
    #[must_use]
    pub fn new(expression: impl Into<String>) -> Self {
        Self {
            expression: expression.into(),
            flags: PatternFlags::default(),
        }
    }

    /// A pattern with the given flags.
    #[must_use]
    pub fn with_flags(expression: impl Into<String>, flags: PatternFlags) -> Self {
        Self {
            expression: expression.into(),
            flags,
        }
    }

    /// A case-insensitive pattern with otherwise default flags.
    #[must_use]
    pub fn caseless(expression: impl Into<String>) -> Self {
        Self::with_flags(
            expression,
            PatternFlags {
                caseless: true,
                ..PatternFlags::default()
            },
        )
    }
}

/// Escapes every metacharacter in `literal`, so that the result matches the
/// literal text itself. Callers build `contains` (`escape(x)`),
/// `starts_with` (`^` + `escape(x)`), `ends_with` (`escape(x)` + `$`) and
/// exact (`^…$`) patterns from it.
#[must_use]
pub fn escape(literal: &str) -> String {
    regex::escape(literal)
}
