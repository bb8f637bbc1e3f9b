//! Small, allocation-light JSON helpers for the Datadog module: splitting a
//! body into top-level elements without parsing them, decoding string
//! escapes leniently, and repairing the input faults real agents send
//! (unpaired UTF-16 surrogate escapes, invalid UTF-8).

use std::borrow::Cow;
use std::ops::Range;

/// The shape of a Datadog logs body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Body {
    /// `[ ... ]` with the byte ranges of its elements (whitespace trimmed).
    Array(Vec<Range<usize>>),
    /// One JSON object (range of the object).
    Object(Range<usize>),
}

/// Deepest nesting the splitter accepts; deeper bodies are forwarded
/// untouched rather than processed.
const MAX_DEPTH: usize = 128;

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ws(bytes[i]) {
        i += 1;
    }
    i
}

/// Scans one value starting at `i` (not whitespace) and returns the index
/// just after it. Only structure is checked (strings, brackets, depth); the
/// tokens inside are validated later by the element parser.
fn scan_value(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let mut depth = 0usize;
    loop {
        let b = *bytes.get(i)?;
        match b {
            b'"' => {
                i += 1;
                // Jump from one quote or backslash to the next: most of a
                // log body is string content.
                loop {
                    i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
                    if bytes[i] == b'\\' {
                        i += 2;
                    } else {
                        break;
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
                i += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    // End of the enclosing container: a scalar ended here.
                    return Some(i);
                }
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => return Some(i),
            _ if depth == 0 && is_ws(b) => return Some(i),
            _ => i += 1,
        }
        if depth == 0 && matches!(bytes[start], b'{' | b'[' | b'"') {
            return Some(i);
        }
    }
}

/// Whether the container value `raw` nests at most `limit` levels deep
/// (strings skipped; the value is already known to be valid JSON).
pub(crate) fn nesting_within(raw: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'"' => {
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &raw[i.min(raw.len())..]) {
                        Some(k) if raw[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k;
                            break;
                        }
                        None => return true,
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    true
}

/// Deepest nesting of a top-level entry's value inside an array body
/// (the array and the log object are the first two levels).
pub(crate) const MAX_VALUE_DEPTH: usize = MAX_DEPTH - 2;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Index of the first `"`, `\\` or control character at or after `i`.
#[inline]
fn string_stop(b: &[u8], mut i: usize) -> usize {
    // Eight bytes at a time: the lowest flagged byte of each mask is exact.
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(w);
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let m = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
        i += 1;
    }
    i
}

/// From just after an opening quote, the index of the closing quote of a
/// string JSON accepts, and whether the string has escapes. Escapes other
/// than `\\u` are accepted when `escapes`; `None` for anything else (left
/// to the full parser).
fn scan_string(b: &[u8], mut i: usize, escapes: bool) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        i = string_stop(b, i);
        match *b.get(i)? {
            b'"' => return Some((i, escaped)),
            b'\\' if escapes => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                    escaped = true;
                    i += 2;
                }
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// End of a JSON number starting at `i` (strict grammar).
fn scan_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i > s).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match *b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}

/// Reads the JSON object at the start of `text`, calling `member` with
/// each `(key, raw value, escaped)` (in order, duplicates kept; `escaped`
/// when the value is a string with escapes), and returns the index just
/// after it. Strict: only what `serde_json` accepts, and only the common shape
/// (keys without escapes, values without `\\u` escapes); `None` leaves the
/// object to the full parser. Nested values are checked by `serde_json`
/// and against the nesting limit.
pub(crate) fn scan_object<'a>(
    text: &'a str,
    mut member: impl FnMut(&'a str, &'a str, bool),
) -> Option<usize> {
    let b = text.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut i = skip_ws(b, 1);
    if b.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (key_end, _) = scan_string(b, i + 1, false)?;
        let key = text.get(i + 1..key_end)?;
        i = skip_ws(b, key_end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let mut escaped = false;
        let end = match *b.get(start)? {
            b'"' => {
                let (end, esc) = scan_string(b, start + 1, true)?;
                escaped = esc;
                end + 1
            }
            b't' if b[start..].starts_with(b"true") => start + 4,
            b'f' if b[start..].starts_with(b"false") => start + 5,
            b'n' if b[start..].starts_with(b"null") => start + 4,
            b'{' | b'[' => {
                let mut stream = serde_json::Deserializer::from_str(text.get(start..)?)
                    .into_iter::<serde::de::IgnoredAny>();
                stream.next()?.ok()?;
                let end = start + stream.byte_offset();
                if !nesting_within(&b[start..end], MAX_VALUE_DEPTH) {
                    return None;
                }
                end
            }
            _ => scan_number(b, start)?,
        };
        member(key, text.get(start..end)?, escaped);
        i = skip_ws(b, end);
        match *b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// Splits a body into elements. `None` when the body is not a JSON array or
/// object at the top level, or is structurally broken.
pub(crate) fn split(bytes: &[u8]) -> Option<Body> {
    let mut i = skip_ws(bytes, 0);
    // A UTF-8 byte order mark is tolerated.
    if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) {
        i = skip_ws(bytes, i + 3);
    }
    match *bytes.get(i)? {
        b'{' => {
            let end = scan_value(bytes, i)?;
            if skip_ws(bytes, end) != bytes.len() {
                return None;
            }
            Some(Body::Object(i..end))
        }
        b'[' => {
            let mut elements = Vec::new();
            i = skip_ws(bytes, i + 1);
            if bytes.get(i) == Some(&b']') {
                return (skip_ws(bytes, i + 1) == bytes.len()).then_some(Body::Array(elements));
            }
            loop {
                let start = i;
                let end = scan_value(bytes, start)?;
                if end == start {
                    return None;
                }
                elements.push(start..end);
                i = skip_ws(bytes, end);
                match *bytes.get(i)? {
                    b',' => i = skip_ws(bytes, i + 1),
                    b']' => {
                        return (skip_ws(bytes, i + 1) == bytes.len())
                            .then_some(Body::Array(elements));
                    }
                    _ => return None,
                }
            }
        }
        _ => None,
    }
}

fn hex4(bytes: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(bytes.get(..4)?).ok()?;
    u16::from_str_radix(s, 16).ok()
}

/// Decodes the inside of a JSON string literal (without the quotes).
/// Borrowed when there is no escape. Unpaired surrogates and malformed
/// escapes become U+FFFD instead of failing.
pub(crate) fn unescape(inner: &str) -> Cow<'_, str> {
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&inner[plain_start..i]);
        let Some(&esc) = bytes.get(i + 1) else {
            out.push('\u{FFFD}');
            i += 1;
            plain_start = i;
            break;
        };
        i += 2;
        match esc {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => match hex4(&bytes[i..]) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    i += 4;
                    let lo = if bytes[i..].starts_with(b"\\u") {
                        hex4(&bytes[i + 2..])
                    } else {
                        None
                    };
                    match lo {
                        Some(lo @ 0xDC00..=0xDFFF) => {
                            i += 6;
                            let c = 0x10000 + (((hi as u32) - 0xD800) << 10) + (lo as u32 - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        }
                        _ => out.push('\u{FFFD}'),
                    }
                }
                Some(cp) => {
                    i += 4;
                    out.push(char::from_u32(cp as u32).unwrap_or('\u{FFFD}'));
                }
                None => out.push('\u{FFFD}'),
            },
            _ => out.push('\u{FFFD}'),
        }
        plain_start = i;
    }
    if plain_start < inner.len() {
        out.push_str(&inner[plain_start..]);
    }
    Cow::Owned(out)
}

/// Repairs JSON text so a strict parser accepts it: invalid UTF-8 becomes
/// U+FFFD and unpaired surrogate escapes become `\ufffd`. Everything else is
/// copied unchanged.
pub(crate) fn sanitize(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let cp = hex4(&bytes[(i + 2).min(bytes.len())..]);
        match cp {
            Some(0xD800..=0xDBFF) => {
                let next = i + 6;
                let paired = bytes[next.min(bytes.len())..].starts_with(b"\\u")
                    && matches!(
                        hex4(&bytes[(next + 2).min(bytes.len())..]),
                        Some(0xDC00..=0xDFFF)
                    );
                if paired {
                    i = next + 6;
                } else {
                    out.push_str(&text[plain_start..i]);
                    out.push_str("\\ufffd");
                    i = next;
                    plain_start = i;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str(&text[plain_start..i]);
                out.push_str("\\ufffd");
                i += 6;
                plain_start = i;
            }
            _ => i += 2,
        }
    }
    out.push_str(&text[plain_start.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(body: &str) -> Vec<&str> {
        match split(body.as_bytes()).expect("splits") {
            Body::Array(ranges) => ranges.into_iter().map(|r| &body[r]).collect(),
            Body::Object(r) => vec![&body[r]],
        }
    }

    #[test]
    fn splits_arrays_of_mixed_elements() {
        let body = r#" [ {"a":"x,]}"} , 1, "s\"]" ,[1,[2]], null,{"b":{"c":[]}} ] "#;
        assert_eq!(
            elements(body),
            vec![
                r#"{"a":"x,]}"}"#,
                "1",
                r#""s\"]""#,
                "[1,[2]]",
                "null",
                r#"{"b":{"c":[]}}"#
            ]
        );
    }

    #[test]
    fn splits_single_object_and_empty_array() {
        assert_eq!(elements(r#"{"message":"m"}"#), vec![r#"{"message":"m"}"#]);
        assert_eq!(split(b"[]"), Some(Body::Array(vec![])));
        assert_eq!(split(b" [ ] \n"), Some(Body::Array(vec![])));
    }

    #[test]
    fn rejects_broken_structure() {
        for bad in [
            "",
            "   ",
            "[",
            "[{\"a\":1}",
            "[{\"a\":1},]x",
            "[{\"a\":\"unterminated}]",
            "{\"a\":1} trailing",
            "\"just a string\"",
            "42",
            "[1 2]",
            "[,]",
        ] {
            assert!(split(bad.as_bytes()).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("[{}{}]", "[".repeat(20_000), "]".repeat(20_000));
        assert!(split(deep.as_bytes()).is_none());
    }

    #[test]
    fn unescape_borrows_plain_strings() {
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
        assert_eq!(unescape(r#"a\"b\\c\nd\u00e9"#), "a\"b\\c\nd\u{e9}");
        assert_eq!(unescape(r"\ud83d\ude00"), "\u{1F600}");
    }

    #[test]
    fn unescape_replaces_lone_surrogates() {
        assert_eq!(unescape(r"bad \ud83d line"), "bad \u{FFFD} line");
        assert_eq!(unescape(r"\ude00x"), "\u{FFFD}x");
        assert_eq!(unescape(r"\ud83d"), "\u{FFFD}");
        assert_eq!(unescape(r"\ud83d\u0041"), "\u{FFFD}A");
    }

    #[test]
    fn sanitize_makes_strict_parsers_happy() {
        let raw = b"{\"message\":\"bad \\ud83d line \\ud83d\\ude00 a\xffb \\\\ud83d\"}";
        let fixed = sanitize(raw);
        let v: serde_json::Value = serde_json::from_str(&fixed).expect("parses after repair");
        assert_eq!(
            v["message"],
            "bad \u{FFFD} line \u{1F600} a\u{FFFD}b \\ud83d"
        );
        // Valid text is unchanged.
        assert_eq!(sanitize(br#"{"a":"\u00e9"}"#), r#"{"a":"\u00e9"}"#);
    }
}
