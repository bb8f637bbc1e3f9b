//! Safe multi-pattern matching over Vectorscan for Edge policies.
//!
//! Policies hold many regular expressions per record field. This crate
//! compiles all patterns of one field into one [`Database`], so a field is
//! scanned once for every policy, and answers with the set of pattern ids
//! that match ([`MatchSet`]). [`MatcherIndex`] keeps one database per key.
//!
//! # Semantics
//!
//! Patterns use RE2 syntax and RE2 search semantics ("does it match
//! anywhere"), exactly as the `regex` crate implements them with the same
//! flags. Each pattern is validated with `regex-syntax` and the `regex` crate
//! (an invalid one is a [`CompileError`]); Vectorscan is an accelerator, not
//! the definition. Where Vectorscan's PCRE dialect differs or refuses the
//! pattern, the pattern is matched by the `regex` crate inside the same
//! `scan` call ([`Engine`] says which engine a pattern uses).
//!
//! # Threads
//!
//! Databases are immutable and `Send + Sync`. Each thread that scans keeps one
//! Vectorscan scratch space in a thread-local, grown to fit every database it
//! scans, so scanning takes no lock.
//!
//! All `unsafe` code lives in the private `ffi` module.

#![warn(missing_docs)]

mod analyse;
mod database;
mod error;
mod ffi;
mod index;
mod match_set;
mod pattern;

pub use analyse::Engine;
pub use database::Database;
pub use error::{CompileError, ScanError};
pub use index::{MatcherIndex, MatcherIndexBuilder};
pub use match_set::{MatchSet, PatternId};
pub use pattern::{escape, Pattern, PatternFlags};
