//! Validation and routing of one pattern.
//!
//! Every pattern is parsed with `regex-syntax` (the parser behind the `regex`
//! crate) into its high-level IR, with the pattern's flags applied, and built
//! with the `regex` crate. The IR then decides which engine matches it:
//!
//! * **Trivial**: it can match the empty string and has no assertions, so it
//!   matches at offset 0 of every haystack (`a*`, `x?`, the empty pattern).
//! * **Vectorscan**: the IR is printed back as a Vectorscan expression in which
//!   every character is explicit: case folding, `.`, `\d`, `\w`, `\pL` and
//!   friends are already expanded by `regex-syntax` into Unicode code point
//!   classes, so Vectorscan never applies its own (PCRE) interpretation of
//!   them. Text anchors become `\A` and `\z` (PCRE's `$` would also match
//!   before a final newline, RE2's does not).
//! * **Prefilter**: patterns whose only obstacle is an assertion Vectorscan
//!   cannot express with RE2 semantics (word boundaries, multi-line `^`,
//!   CRLF-aware anchors): Vectorscan runs the pattern with those assertions
//!   removed, which matches a superset (assertions only restrict), and the
//!   `regex` crate confirms each candidate. Patterns that can match the empty
//!   string stay on the regex path.
//! * **Regex**: everything else the printer refuses (byte classes, classes
//!   that match nothing) and everything Vectorscan rejects (too large,
//!   embedded anchors, ...).

// TODO: the reference is the `regex` crate, whose `\d`, `\s`, `\w` and `\b`
// are Unicode-aware; RE2's are ASCII-only. The two differ only on non-ASCII
// digits, spaces and word characters, but a policy written against RE2 can
// match slightly more here.
// TODO: Vectorscan can take seconds to compile (or to reject as too large)
// patterns with big Unicode classes under a repeat, e.g. `(?i)\w{1,100}`; a
// reload with many of them is slow. A compile-time budget per pattern that
// sends slow ones to the regex path would bound it.

use std::fmt::Write as _;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::error::CompileError;
use crate::ffi;
use crate::pattern::Pattern;

/// Which engine matches a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Engine {
    /// Matched by the Vectorscan database.
    Vectorscan,
    /// Matched by the `regex` crate inside the same scan call, because
    /// Vectorscan cannot express it with RE2 semantics or rejected it.
    Regex,
    /// Matches every haystack (it matches the empty string without any
    /// assertion); no engine runs.
    Trivial,
    /// Vectorscan finds candidates with the pattern's unsupported assertions
    /// removed; the `regex` crate confirms each candidate.
    Prefilter,
}

/// A validated pattern and the plan for matching it.
#[derive(Debug)]
pub(crate) struct Analysed {
    pub(crate) regex: regex::bytes::Regex,
    pub(crate) route: Route,
    /// Whether the pattern matches the empty haystack.
    pub(crate) matches_empty: bool,
    /// Literals one of which every match starts with (so one of them occurs
    /// in every haystack the pattern matches); `None` when there is no
    /// small, non-empty such set.
    pub(crate) needles: Option<Needles>,
}

/// Most required literals kept per pattern.
const MAX_NEEDLES: usize = 8;

fn needles(hir: &Hir) -> Option<Needles> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix).limit_total(64);
    let seq = ex.extract(hir);
    let lits: Vec<Vec<u8>> = match seq.literals() {
        Some(lits) if !lits.is_empty() && lits.len() <= MAX_NEEDLES => {
            lits.iter().map(|l| l.as_bytes().to_vec()).collect()
        }
        // Too many (a class after a literal): their common prefix.
        Some(lits) if !lits.is_empty() => vec![seq.longest_common_prefix()?.to_vec()],
        _ => return None,
    };
    if lits.iter().any(Vec::is_empty) {
        return None;
    }
    // A pattern that starts with `\A` (`^` without multi-line) can only
    // match at offset 0.
    let anchored = match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Concat(parts) => parts
            .first()
            .is_some_and(|h| h.kind() == &HirKind::Look(Look::Start)),
        _ => false,
    };
    Some(Needles { anchored, lits })
}

/// Literals one of which starts every match of a pattern.
#[derive(Debug, Clone)]
pub(crate) struct Needles {
    /// Matches only start at offset 0: the literal is a prefix of the
    /// haystack.
    pub(crate) anchored: bool,
    pub(crate) lits: Vec<Vec<u8>>,
}

#[derive(Debug)]
pub(crate) enum Route {
    Trivial,
    Vectorscan {
        expression: String,
        flags: u32,
    },
    /// Like `Vectorscan`, but the expression is a relaxation: hits must be
    /// confirmed with the regex.
    Prefilter {
        expression: String,
        flags: u32,
    },
    Regex {
        reason: String,
    },
}

/// Validates `pattern` (number `index` in its list) and decides its route.
pub(crate) fn analyse(index: usize, pattern: &Pattern) -> Result<Analysed, CompileError> {
    let expr = pattern.expression.as_str();
    let flags = pattern.flags;
    // `utf8(true)` rejects what `regex::Regex` (the &str API) rejects: patterns
    // that could match invalid UTF-8, such as `(?-u:\xFF)`.
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(flags.caseless)
        .multi_line(flags.multiline)
        .dot_matches_new_line(flags.dotall)
        .unicode(true)
        .utf8(true)
        .build()
        .parse(expr)
        .map_err(|err| CompileError::new(index, expr, syntax_reason(&err)))?;
    let regex = regex::bytes::RegexBuilder::new(expr)
        .case_insensitive(flags.caseless)
        .multi_line(flags.multiline)
        .dot_matches_new_line(flags.dotall)
        .unicode(true)
        .build()
        .map_err(|err| CompileError::new(index, expr, regex_reason(&err)))?;
    let matches_empty = regex.is_match(b"");

    let props = hir.properties();
    let can_be_empty = props.minimum_len() == Some(0);
    let route = if can_be_empty && props.look_set().is_empty() {
        Route::Trivial
    } else {
        let mut expression = String::with_capacity(expr.len() * 2);
        let mut relaxed = false;
        let printed = match print(&hir, &mut expression, false, &mut relaxed) {
            // A relaxation that can match the empty string would hit every
            // haystack: no use as a prefilter.
            Err(_) if !can_be_empty => {
                expression.clear();
                print(&hir, &mut expression, true, &mut relaxed)
            }
            other => other,
        };
        match printed {
            Err(reason) => Route::Regex {
                reason: reason.to_owned(),
            },
            Ok(()) => {
                let mut hs_flags = ffi::BASE_FLAGS;
                if can_be_empty {
                    hs_flags |= ffi::ALLOW_EMPTY;
                }
                match ffi::check_expression(&expression, hs_flags) {
                    Ok(()) if relaxed => Route::Prefilter {
                        expression,
                        flags: hs_flags,
                    },
                    Ok(()) => Route::Vectorscan {
                        expression,
                        flags: hs_flags,
                    },
                    Err(message) => Route::Regex {
                        reason: format!("vectorscan: {message}"),
                    },
                }
            }
        }
    };
    if let Route::Regex { reason } = &route {
        tracing::debug!(
            index,
            pattern = expr,
            reason = reason.as_str(),
            "pattern uses the regex fallback"
        );
    }
    let needles = if can_be_empty { None } else { needles(&hir) };
    Ok(Analysed {
        regex,
        route,
        matches_empty,
        needles,
    })
}

/// A one-line reason from a `regex-syntax` error (its `Display` spans several
/// lines with a caret diagram).
fn syntax_reason(err: &regex_syntax::Error) -> String {
    match err {
        regex_syntax::Error::Parse(err) => err.kind().to_string(),
        regex_syntax::Error::Translate(err) => err.kind().to_string(),
        other => last_line(&other.to_string()),
    }
}

fn regex_reason(err: &regex::Error) -> String {
    last_line(&err.to_string())
}

fn last_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text);
    line.trim().trim_start_matches("error: ").to_owned()
}

/// Writes `hir` as a Vectorscan expression, or says why it cannot be
/// expressed with identical semantics. With `relax`, assertions Vectorscan
/// cannot express are dropped (the result matches a superset) and `relaxed`
/// is set.
fn print(hir: &Hir, out: &mut String, relax: bool, relaxed: &mut bool) -> Result<(), &'static str> {
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).map_err(|_| "literal is not UTF-8")?;
            out.push_str("(?:");
            for c in text.chars() {
                push_char(out, c);
            }
            out.push(')');
        }
        HirKind::Class(Class::Unicode(class)) => {
            if class.ranges().is_empty() {
                return Err("class matches nothing");
            }
            out.push('[');
            for range in class.iter() {
                push_char(out, range.start());
                if range.end() != range.start() {
                    out.push('-');
                    push_char(out, range.end());
                }
            }
            out.push(']');
        }
        HirKind::Class(Class::Bytes(_)) => return Err("byte class"),
        HirKind::Look(look) => match look {
            Look::Start => out.push_str(r"\A"),
            Look::End => out.push_str(r"\z"),
            Look::EndLF => out.push_str("(?m:$)"),
            // PCRE's multi-line `^` does not match after a newline that ends
            // the haystack; RE2's does.
            Look::StartLF if !relax => return Err("multi-line start-of-line assertion"),
            _ if !relax => return Err("word boundary or CRLF-aware assertion"),
            _ => {
                *relaxed = true;
                out.push_str("(?:)");
            }
        },
        HirKind::Repetition(rep) => {
            out.push_str("(?:");
            print(&rep.sub, out, relax, relaxed)?;
            out.push(')');
            // Greediness does not change whether a match exists.
            match (rep.min, rep.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (min, None) => {
                    let _ = write!(out, "{{{min},}}");
                }
                (min, Some(max)) if min == max => {
                    let _ = write!(out, "{{{min}}}");
                }
                (min, Some(max)) => {
                    let _ = write!(out, "{{{min},{max}}}");
                }
            }
        }
        HirKind::Capture(cap) => {
            out.push_str("(?:");
            print(&cap.sub, out, relax, relaxed)?;
            out.push(')');
        }
        HirKind::Concat(subs) => {
            out.push_str("(?:");
            for sub in subs {
                print(sub, out, relax, relaxed)?;
            }
            out.push(')');
        }
        HirKind::Alternation(subs) => {
            out.push_str("(?:");
            for (i, sub) in subs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print(sub, out, relax, relaxed)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

/// ASCII letters and digits stand for themselves; everything else is written
/// as `\x{HEX}`, which means the code point in Vectorscan's UTF-8 mode, both
/// inside and outside classes.
fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::PatternFlags;

    fn route(expr: &str, flags: PatternFlags) -> Route {
        analyse(0, &Pattern::with_flags(expr, flags)).unwrap().route
    }

    #[test]
    fn printer_expands_case_and_anchors() {
        let flags = PatternFlags {
            caseless: true,
            ..PatternFlags::default()
        };
        match route("^ab$", flags) {
            Route::Vectorscan { expression, .. } => {
                assert!(expression.starts_with(r"(?:\A"), "{expression}");
                assert!(expression.contains("[Aa][Bb]"), "{expression}");
                assert!(expression.ends_with(r"\z)"), "{expression}");
            }
            other => panic!("expected vectorscan, got {other:?}"),
        }
    }

    #[test]
    fn word_boundary_is_prefiltered_unless_empty_matching() {
        match route(r"\bword\b", PatternFlags::default()) {
            Route::Prefilter { expression, .. } => {
                assert!(expression.contains("word"), "{expression}");
            }
            other => panic!("expected prefilter, got {other:?}"),
        }
        assert!(matches!(
            route(r"\b", PatternFlags::default()),
            Route::Regex { .. }
        ));
        assert!(matches!(
            route(r"(?m)^x\b", PatternFlags::default()),
            Route::Prefilter { .. }
        ));
    }

    #[test]
    fn empty_matching_without_assertions_is_trivial() {
        for expr in ["", "a*", "x?", "(?:)", "(a|)"] {
            assert!(
                matches!(route(expr, PatternFlags::default()), Route::Trivial),
                "{expr}"
            );
        }
        assert!(!matches!(
            route("^$", PatternFlags::default()),
            Route::Trivial
        ));
    }

    #[test]
    fn errors_are_one_line() {
        let err = analyse(3, &Pattern::new("ab(")).unwrap_err();
        assert_eq!(err.index(), 3);
        assert_eq!(err.expression(), "ab(");
        assert!(!err.message().contains('\n'), "{}", err.message());
        assert!(
            err.message().contains("unclosed group"),
            "{}",
            err.message()
        );
    }
}
