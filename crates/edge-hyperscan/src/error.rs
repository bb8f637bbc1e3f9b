//! Error types.

/// A pattern could not be compiled because it is not a valid RE2-syntax
/// regular expression (as judged by the `regex` crate), or it exceeds the
/// `regex` crate's size limits.
///
/// Patterns that are valid but that Vectorscan cannot handle never produce
/// this error: they are matched by the fallback engine instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("pattern {index}: invalid regex \"{expression}\": {message}")]
pub struct CompileError {
    index: usize,
    expression: String,
    message: String,
}

impl CompileError {
    pub(crate) fn new(index: usize, expression: &str, message: impl Into<String>) -> Self {
        Self {
            index,
            expression: expression.to_owned(),
            message: message.into(),
        }
    }

    /// Position of the offending pattern in the list that was compiled (for
    /// [`MatcherIndexBuilder::add`](crate::MatcherIndexBuilder::add), the id
    /// it would have received within its key).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The offending expression, verbatim.
    #[must_use]
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Why it was rejected: a one-line reason such as `unclosed group`.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Vectorscan failed while scanning (for example it could not allocate
/// scratch space). [`MatcherIndex::scan`](crate::MatcherIndex::scan) recovers
/// from this by matching with the fallback engine.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("vectorscan scan failed with error code {code}")]
pub struct ScanError {
    code: i32,
}

impl ScanError {
    pub(crate) fn new(code: i32) -> Self {
        Self { code }
    }

    /// The `hs_error_t` code returned by Vectorscan.
    #[must_use]
    pub fn code(&self) -> i32 {
        self.code
    }
}
