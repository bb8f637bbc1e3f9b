//! Structured logging, levels and spans for Edge, built on tracing.
//!
//! * [`init`] installs the process-wide subscriber: JSON lines on stdout
//!   (`timestamp`, `level`, `target`, `message` and the event's fields at the
//!   top level), or a human-readable format for development. The level comes
//!   from [`Options`], overridden by `EDGE_LOG_LEVEL` (a [`Level`] name) or,
//!   failing that, `RUST_LOG` (full `tracing-subscriber` filter directives).
//! * [`timed`] measures a piece of work and logs its duration when done.
//! * [`redact_header_value`] hides credentials before headers are logged.
//! * [`init_for_tests`] captures the same JSON output in memory so tests can
//!   assert on what was logged.
//!
//! ```
//! use edge_observability::{init_for_tests, timed, Level, Options};
//!
//! let (capture, _guard) = init_for_tests(&Options { level: Level::Debug, ..Options::default() });
//! {
//!     let _work = timed("load_policies");
//!     tracing::info!(policies = 3, "policies loaded");
//! }
//! let lines = capture.json_lines();
//! assert_eq!(lines[0]["message"], "load_policies started");
//! assert_eq!(lines[1]["policies"], 3);
//! assert_eq!(lines[2]["message"], "load_policies completed");
//! ```

#![warn(missing_docs)]

mod capture;
mod init;
mod level;
mod redact;
mod timed;

pub use capture::{init_for_tests, Capture, CaptureGuard, CaptureWriter};
pub use init::{
    check_env, init, resolve_filter, FilterSource, Format, Guard, InitError, Options,
    EDGE_LOG_LEVEL, RUST_LOG,
};
pub use level::{Level, ParseLevelError};
pub use redact::{is_sensitive_header, redact_header_value, REDACTED};
pub use timed::{timed, Timed};
