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

    /// For a case-sensitive regex that can only match a whole value from a
    /// small finite set of strings (`^svc-1$`, `^(error|warn)$`), that set:
    /// the condition is then a hash lookup instead of a scan. `None` for
    /// anything else.
    pub(crate) fn exact_set(&self, case_insensitive: bool) -> Option<Vec<String>> {
        let StringMatcher::Regex(r) = self else {
            return None;
        };
        if case_insensitive {
            return None;
        }
        exact_set(r.as_str())
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

/// Most strings a regex may stand for to be answered by hash lookups.
const EXACT_SET_MAX: usize = 32;

/// The finite set of whole values `expression` (RE2 syntax, the `regex`
/// crate's default flags) matches, when it is `^…$` around literals,
/// alternations and small classes. `None` otherwise or when too large.
fn exact_set(expression: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::{HirKind, Look};
    let hir = regex_syntax::Parser::new().parse(expression).ok()?;
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let (first, rest) = parts.split_first()?;
    let (last, middle) = rest.split_last()?;
    if first.kind() != &HirKind::Look(Look::Start) || last.kind() != &HirKind::Look(Look::End) {
        return None;
    }
    let mut set: Vec<Vec<u8>> = vec![Vec::new()];
    for h in middle {
        set = concat_lang(set, h)?;
    }
    let mut out: Vec<String> = set
        .into_iter()
        .map(String::from_utf8)
        .collect::<Result<_, _>>()
        .ok()?;
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// `prefixes` × the finite language of `h` (no look-arounds).
fn concat_lang(prefixes: Vec<Vec<u8>>, h: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    let lang = finite_lang(h)?;
    if prefixes.len().checked_mul(lang.len())? > EXACT_SET_MAX {
        return None;
    }
    let mut out = Vec::with_capacity(prefixes.len() * lang.len());
    for p in &prefixes {
        for l in &lang {
            let mut s = p.clone();
            s.extend_from_slice(l);
            out.push(s);
        }
    }
    Some(out)
}

fn finite_lang(h: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::{Class, HirKind};
    match h.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Class(Class::Unicode(c)) => {
            let mut out = Vec::new();
            for r in c.iter() {
                for cp in u32::from(r.start())..=u32::from(r.end()) {
                    if out.len() >= EXACT_SET_MAX {
                        return None;
                    }
                    let ch = char::from_u32(cp)?;
                    out.push(ch.to_string().into_bytes());
                }
            }
            Some(out)
        }
        HirKind::Capture(c) => finite_lang(&c.sub),
        HirKind::Concat(parts) => {
            let mut set = vec![Vec::new()];
            for p in parts {
                set = concat_lang(set, p)?;
            }
            Some(set)
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(finite_lang(a)?);
                if out.len() > EXACT_SET_MAX {
                    return None;
                }
            }
            Some(out)
        }
        // Byte classes, look-arounds inside, repetitions: not handled.
        _ => None,
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

    #[test]
    fn anchored_literal_regexes_become_literal_sets() {
        let set = |p: &str| exact_set(p);
        assert_eq!(set("^svc-1$"), Some(vec!["svc-1".to_owned()]));
        assert_eq!(
            set(r"^app\.requests\.7$"),
            Some(vec!["app.requests.7".to_owned()])
        );
        assert_eq!(
            set("^(error|warn)$"),
            Some(vec!["error".to_owned(), "warn".to_owned()])
        );
        assert_eq!(
            set(r"\Adb[12](?:x|)\z"),
            Some(vec![
                "db1".into(),
                "db1x".into(),
                "db2".into(),
                "db2x".into()
            ])
        );
        assert_eq!(set("^é$"), Some(vec!["é".to_owned()]));
        // Not whole-value literal sets.
        for p in [
            "svc-1",
            "^svc-1",
            "svc-1$",
            "^svc-[0-9]+$",
            "^[a-z][a-z]$",
            "(?m)^a$",
            "^a$|^b$",
            r"^a\b$",
            "^(?i)abc$",
            "^.$",
        ] {
            let got = set(p);
            // Anything returned must agree with the regex on every member
            // and must not be a superset claim we cannot check: only the
            // patterns above that are finite may return a set.
            if let Some(values) = &got {
                let re = regex::Regex::new(p).unwrap();
                assert!(values.iter().all(|v| re.is_match(v)), "{p}: {values:?}");
            }
            if p != "^(?i)abc$" {
                assert_eq!(got, None, "{p}");
            }
        }
        // `(?i)abc` expands to its 8 case variants, all of which match.
        assert_eq!(set("^(?i)abc$").map(|v| v.len()), Some(8));
        // Case-insensitive matchers never use the set.
        let m = StringMatcher::Regex(compile_regex("^svc-1$", true).unwrap());
        assert_eq!(m.exact_set(true), None);
        let m = StringMatcher::Regex(compile_regex("^svc-1$", false).unwrap());
        assert_eq!(m.exact_set(false), Some(vec!["svc-1".to_owned()]));
    }
}
