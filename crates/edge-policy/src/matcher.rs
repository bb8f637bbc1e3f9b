//! Compiled match conditions and the string-matching seam.
//!
//! [`StringMatcher`] is the one place where string conditions (`exact`,
//! `regex`, `starts_with`, `ends_with`, `contains`, case-insensitive or not)
//! are executed. It uses the `regex` crate (RE2 semantics).
//! With the `vectorscan` feature, [`crate::scan`] executes the same
//! conditions through one multi-pattern scan per field; this module stays
//! the reference implementation and the fallback.

use crate::record::ValueRef;
use regex::{Regex, RegexBuilder};
use std::cmp::Ordering;

/// One compiled string condition.
#[derive(Debug, Clone)]
pub(crate) enum StringMatcher {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
    Regex(Regex),
}

/// Which literal string condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiteralKind {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

/// Compile a regular expression with RE2-compatible syntax. The error is the
/// reason text (single line).
pub(crate) fn compile_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .build()
        .map_err(|e| {
            e.to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
}

impl StringMatcher {
    pub(crate) fn literal(kind: LiteralKind, lit: &str, case_insensitive: bool) -> StringMatcher {
        if case_insensitive {
            // Unicode simple case folding, as RE2's (?i) does.
            let esc = regex::escape(lit);
            let pat = match kind {
                LiteralKind::Exact => format!(r"\A(?:{esc})\z"),
                LiteralKind::Prefix => format!(r"\A(?:{esc})"),
                LiteralKind::Suffix => format!(r"(?:{esc})\z"),
                LiteralKind::Contains => esc,
            };
            match compile_regex(&pat, true) {
                Ok(r) => return StringMatcher::Regex(r),
                Err(e) => {
                    // Cannot happen for an escaped literal short of size
                    // limits; fall back to case-sensitive matching.
                    tracing::warn!(error = %e, "case-insensitive literal fell back to exact case");
                }
            }
        }
        let s = lit.to_owned();
        match kind {
            LiteralKind::Exact => StringMatcher::Exact(s),
            LiteralKind::Prefix => StringMatcher::Prefix(s),
            LiteralKind::Suffix => StringMatcher::Suffix(s),
            LiteralKind::Contains => StringMatcher::Contains(s),
        }
    }

    /// The RE2 expression equivalent to this matcher (without the
    /// case-insensitive flag, which callers pass separately).
    #[cfg_attr(not(feature = "vectorscan"), allow(dead_code))]
    pub(crate) fn expression(&self) -> String {
        match self {
            StringMatcher::Exact(l) => format!(r"\A(?:{})\z", regex::escape(l)),
            StringMatcher::Prefix(l) => format!(r"\A(?:{})", regex::escape(l)),
            StringMatcher::Suffix(l) => format!(r"(?:{})\z", regex::escape(l)),
            StringMatcher::Contains(l) => regex::escape(l),
            StringMatcher::Regex(r) => r.as_str().to_owned(),
        }
    }

    #[inline]
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            StringMatcher::Exact(l) => s == l,
            StringMatcher::Prefix(l) => s.starts_with(l.as_str()),
            StringMatcher::Suffix(l) => s.ends_with(l.as_str()),
            StringMatcher::Contains(l) => s.contains(l.as_str()),
            StringMatcher::Regex(r) => r.is_match(s),
        }
    }
}

/// Numeric literal of an ordering comparison or equality.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    Int(i64),
    Double(f64),
}

/// Compare an int with a double mathematically (no precision loss).
fn cmp_int_double(i: i64, d: f64) -> Option<Ordering> {
    if d.is_nan() {
        return None;
    }
    if d >= 9_223_372_036_854_775_808.0 {
        return Some(Ordering::Less);
    }
    if d < -9_223_372_036_854_775_808.0 {
        return Some(Ordering::Greater);
    }
    let t = d.trunc();
    let ti = t as i64;
    match i.cmp(&ti) {
        Ordering::Equal => {
            let frac = d - t;
            if frac > 0.0 {
                Some(Ordering::Less)
            } else if frac < 0.0 {
                Some(Ordering::Greater)
            } else {
                Some(Ordering::Equal)
            }
        }
        o => Some(o),
    }
}

impl Num {
    /// Ordering of `field` relative to `self`; `None` for NaN.
    fn field_cmp(self, field: Num) -> Option<Ordering> {
        match (field, self) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (Num::Double(a), Num::Double(b)) => a.partial_cmp(&b),
            (Num::Int(a), Num::Double(b)) => cmp_int_double(a, b),
            (Num::Double(a), Num::Int(b)) => cmp_int_double(b, a).map(Ordering::reverse),
        }
    }
}

/// Ordering operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// Typed equality literal.
#[derive(Debug, Clone)]
pub(crate) enum TypedLit {
    Bool(bool),
    Num(Num),
    Bytes(Vec<u8>),
    /// String literal; the optional bytes are its hex decoding, used against
    /// well-known identifier fields.
    Str(StringMatcher, Option<Vec<u8>>),
}

/// A compiled match condition.
#[derive(Debug, Clone)]
pub(crate) enum Condition {
    /// `exact` (the optional bytes are the literal decoded as hex, for
    /// well-known identifier fields).
    Exact(StringMatcher, Option<Vec<u8>>),
    /// `regex`, `starts_with`, `ends_with`, `contains`.
    Str(StringMatcher),
    Exists(bool),
    Equals(TypedLit),
    Cmp(CmpOp, Num),
}

/// Lowercase hex rendering.
pub(crate) fn to_hex(b: &[u8]) -> String {
    hex::encode(b)
}

/// The string view of a value: strings (non-empty) and bytes (lowercase
/// hex); nothing for other types.
pub(crate) fn with_string_view<T>(v: &ValueRef<'_>, f: impl FnOnce(&str) -> T) -> Option<T> {
    match v {
        ValueRef::Str(s) if !s.is_empty() => Some(f(s)),
        ValueRef::Bytes(b) if !b.is_empty() => Some(f(&to_hex(b))),
        _ => None,
    }
}

impl Condition {
    /// Evaluate the (un-negated) condition against the selected value.
    /// `well_known_id` is true for trace/span/parent-span id fields.
    pub(crate) fn test(&self, v: Option<&ValueRef<'_>>, well_known_id: bool) -> bool {
        match self {
            Condition::Exists(want) => v.is_some() == *want,
            Condition::Exact(m, hex) => match v {
                None => false,
                Some(ValueRef::Bytes(b)) if well_known_id => match hex {
                    Some(h) => h.as_slice() == &b[..],
                    None => false,
                },
                Some(v) => with_string_view(v, |s| m.is_match(s)).unwrap_or(false),
            },
            Condition::Str(m) => v
                .and_then(|v| with_string_view(v, |s| m.is_match(s)))
                .unwrap_or(false),
            Condition::Equals(lit) => match (lit, v) {
                (_, None) => false,
                (TypedLit::Bool(b), Some(ValueRef::Bool(x))) => b == x,
                (TypedLit::Num(n), Some(ValueRef::Int(i))) => {
                    n.field_cmp(Num::Int(*i)) == Some(Ordering::Equal)
                }
                (TypedLit::Num(n), Some(ValueRef::Double(d))) => {
                    n.field_cmp(Num::Double(*d)) == Some(Ordering::Equal)
                }
                (TypedLit::Bytes(l), Some(ValueRef::Bytes(b))) => l.as_slice() == &b[..],
                (TypedLit::Str(m, _), Some(ValueRef::Str(s))) => !s.is_empty() && m.is_match(s),
                (TypedLit::Str(_, hex), Some(ValueRef::Bytes(b))) if well_known_id => {
                    hex.as_deref() == Some(&b[..])
                }
                _ => false,
            },
            Condition::Cmp(op, lit) => {
                let field = match v {
                    Some(ValueRef::Int(i)) => Num::Int(*i),
                    Some(ValueRef::Double(d)) => Num::Double(*d),
                    _ => return false,
                };
                match lit.field_cmp(field) {
                    None => false,
                    Some(o) => match op {
                        CmpOp::Gt => o == Ordering::Greater,
                        CmpOp::Gte => o != Ordering::Less,
                        CmpOp::Lt => o == Ordering::Less,
                        CmpOp::Lte => o != Ordering::Greater,
                    },
                }
            }
        }
    }
}

/// Decode hex text (case-insensitive, even length).
pub(crate) fn decode_hex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn int_double_comparison_is_exact() {
        assert_eq!(cmp_int_double(3, 3.0), Some(Ordering::Equal));
        assert_eq!(cmp_int_double(3, 3.5), Some(Ordering::Less));
        assert_eq!(cmp_int_double(-3, -3.5), Some(Ordering::Greater));
        // 2^53 + 1 is not representable as f64; exact comparison still works.
        assert_eq!(
            cmp_int_double(9_007_199_254_740_993, 9_007_199_254_740_992.0),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp_int_double(i64::MAX, 9.3e18), Some(Ordering::Less));
        assert_eq!(cmp_int_double(1, f64::NAN), None);
    }

    #[test]
    fn string_view_rules() {
        let c = Condition::Str(StringMatcher::literal(LiteralKind::Contains, "4", false));
        assert!(c.test(Some(&ValueRef::str("42")), false));
        assert!(!c.test(Some(&ValueRef::Int(42)), false));
        assert!(!c.test(Some(&ValueRef::Bool(true)), false));
        assert!(c.test(Some(&ValueRef::Bytes(Cow::Owned(vec![0x4a]))), false));
        let e = Condition::Exact(StringMatcher::literal(LiteralKind::Exact, "", false), None);
        assert!(!e.test(Some(&ValueRef::str("")), false));
    }

    #[test]
    fn case_insensitive_literals_fold_unicode() {
        let m = StringMatcher::literal(LiteralKind::Exact, "straße", true);
        assert!(m.is_match("STRAßE"));
        assert!(!m.is_match("STRAßE!"));
        let p = StringMatcher::literal(LiteralKind::Prefix, "a.b", true);
        assert!(p.is_match("A.B.c"));
        assert!(!p.is_match("axb"));
    }

    #[test]
    fn typed_equality_table() {
        let int5 = Condition::Equals(TypedLit::Num(Num::Int(5)));
        assert!(int5.test(Some(&ValueRef::Double(5.0)), false));
        assert!(!int5.test(Some(&ValueRef::str("5")), false));
        let s = Condition::Equals(TypedLit::Str(
            StringMatcher::literal(LiteralKind::Exact, "5", false),
            None,
        ));
        assert!(!s.test(Some(&ValueRef::Int(5)), false));
        let nan = Condition::Cmp(CmpOp::Gte, Num::Double(f64::NAN));
        assert!(!nan.test(Some(&ValueRef::Double(1.0)), false));
        let gt = Condition::Cmp(CmpOp::Gt, Num::Double(2.5));
        assert!(gt.test(Some(&ValueRef::Int(3)), false));
        assert!(!gt.test(Some(&ValueRef::Int(2)), false));
        let bytes = Condition::Equals(TypedLit::Bytes(vec![0xab]));
        assert!(bytes.test(Some(&ValueRef::Bytes(Cow::Owned(vec![0xab]))), false));
        assert!(!bytes.test(Some(&ValueRef::Bytes(Cow::Owned(vec![0xab, 0]))), false));
    }
}
