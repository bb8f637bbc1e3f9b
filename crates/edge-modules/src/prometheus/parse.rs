//! Line parser for the Prometheus text format (0.0.4) and OpenMetrics 1.0.
//!
//! The parser never allocates on the common path: it returns byte ranges
//! into the line and flags the ones that contain backslash escapes, so the
//! caller unescapes (and allocates) only when a policy actually reads a value.
//! It is total: every input yields either a [`Line`] or a [`Malformed`]
//! error, never a panic (checked by a property test over arbitrary bytes).

use std::borrow::Cow;
use std::ops::Range;

/// A name or value inside a line: its byte range (without quotes) and
/// whether it contains backslash escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range in the line.
    pub range: Range<usize>,
    /// Whether the range contains `\` escapes that must be interpreted.
    pub escaped: bool,
}

impl Token {
    /// The token's text, unescaped when needed.
    pub fn text<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let raw = line.get(self.range.clone()).unwrap_or("");
        if self.escaped {
            unescape(raw)
        } else {
            Cow::Borrowed(raw)
        }
    }

    /// The raw bytes of the token as they appear in the line.
    pub fn raw<'a>(&self, line: &'a str) -> &'a str {
        line.get(self.range.clone()).unwrap_or("")
    }
}

/// One `name="value"` pair of a sample's label set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    /// The label name (bare or quoted).
    pub name: Token,
    /// The label value (always quoted in the input).
    pub value: Token,
}

/// Which metadata a `#` line carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaKind {
    /// `# HELP name text`.
    Help,
    /// `# TYPE name type`.
    Type,
    /// `# UNIT name unit` (OpenMetrics).
    Unit,
}

/// A classified line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    /// Empty or only whitespace.
    Blank,
    /// A comment that is not HELP, TYPE, UNIT or EOF.
    Comment,
    /// A metadata line: family name and the text after it (may be empty).
    Meta {
        /// HELP, TYPE or UNIT.
        kind: MetaKind,
        /// The family name.
        name: Token,
        /// The rest of the line (help text with escapes, type or unit).
        text: Token,
    },
    /// `# EOF` (OpenMetrics end of exposition).
    Eof,
    /// A sample; its labels were written to the caller's vector.
    Sample {
        /// The metric name (bare, or quoted inside the braces).
        name: Token,
        /// Where an exemplar (` # {...} value`) starts: the end of the last
        /// token before it, so `line[..at]` is the sample without exemplar.
        exemplar_at: Option<usize>,
    },
}

/// Why a line could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed exposition line: {0}")]
pub(crate) struct Malformed(pub &'static str);

type Result<T> = std::result::Result<T, Malformed>;

/// Interprets `\\`, `\"` and `\n`. Any other escape keeps its backslash
/// literally (what Prometheus itself does), so `D:\temp` stays `D:\temp`.
pub(crate) fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('n') => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b':'
}

fn is_label_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_space(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// A run of bytes accepted by `start`/`rest`; empty range if none.
    fn ident(&mut self, start: fn(u8) -> bool, rest: fn(u8) -> bool) -> Range<usize> {
        let from = self.pos;
        if self.peek().is_some_and(start) {
            self.pos += 1;
            while self.peek().is_some_and(rest) {
                self.pos += 1;
            }
        }
        from..self.pos
    }

    /// A double-quoted string starting at the cursor; the range excludes
    /// the quotes.
    fn quoted(&mut self) -> Result<Token> {
        if !self.eat(b'"') {
            return Err(Malformed("expected '\"'"));
        }
        let from = self.pos;
        let mut escaped = false;
        loop {
            match self.peek() {
                None => return Err(Malformed("unterminated quoted string")),
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 1;
                    if self.at_end() {
                        return Err(Malformed("unterminated quoted string"));
                    }
                    self.pos += 1;
                }
                Some(b'"') => {
                    let token = Token {
                        range: from..self.pos,
                        escaped,
                    };
                    self.pos += 1;
                    return Ok(token);
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// A run of non-space bytes.
    fn word(&mut self) -> Range<usize> {
        let from = self.pos;
        while self.peek().is_some_and(|b| !is_space(b)) {
            self.pos += 1;
        }
        from..self.pos
    }
}

/// Classifies one line (without its line terminator). Sample labels are
/// written to `labels`, which is cleared first.
pub(crate) fn parse_line(line: &str, labels: &mut Vec<Label>) -> Result<Line> {
    labels.clear();
    let mut c = Cursor {
        s: line.as_bytes(),
        pos: 0,
    };
    c.skip_space();
    match c.peek() {
        None => Ok(Line::Blank),
        Some(b'#') => {
            c.pos += 1;
            parse_comment(line, c)
        }
        Some(_) => parse_sample(line, c, labels),
    }
}

fn parse_comment(line: &str, mut c: Cursor<'_>) -> Result<Line> {
    if !c.skip_space() {
        return Ok(Line::Comment);
    }
    let keyword = c.word();
    let kind = match &line.as_bytes()[keyword.clone()] {
        b"HELP" => MetaKind::Help,
        b"TYPE" => MetaKind::Type,
        b"UNIT" => MetaKind::Unit,
        b"EOF" => {
            c.skip_space();
            return if c.at_end() {
                Ok(Line::Eof)
            } else {
                Ok(Line::Comment)
            };
        }
        _ => return Ok(Line::Comment),
    };
    if !c.skip_space() {
        return Err(Malformed("metadata line without a metric name"));
    }
    let name = if c.peek() == Some(b'"') {
        c.quoted()?
    } else {
        let range = c.ident(is_name_start, is_name_char);
        if range.is_empty() {
            return Err(Malformed("metadata line without a metric name"));
        }
        Token {
            range,
            escaped: false,
        }
    };
    let text_start = match c.peek() {
        None => c.pos,
        Some(b) if is_space(b) => c.pos + 1,
        Some(_) => return Err(Malformed("invalid character in metric name")),
    };
    let text_start = text_start.min(line.len());
    let mut text = Token {
        range: text_start..line.len(),
        escaped: line.as_bytes()[text_start..].contains(&b'\\'),
    };
    if kind != MetaKind::Help {
        // TYPE and UNIT values are single words; surrounding space is noise.
        let raw = &line[text.range.clone()];
        let trimmed = raw.trim_matches(|ch| ch == ' ' || ch == '\t');
        let offset = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        text.range = text_start + offset..text_start + offset + trimmed.len();
        text.escaped = false;
        if kind == MetaKind::Type && trimmed.is_empty() {
            return Err(Malformed("TYPE line without a type"));
        }
    }
    Ok(Line::Meta { kind, name, text })
}

fn parse_sample(line: &str, mut c: Cursor<'_>, labels: &mut Vec<Label>) -> Result<Line> {
    let mut name = None;
    let mut spaced = false;
    if c.peek() != Some(b'{') {
        let range = c.ident(is_name_start, is_name_char);
        if range.is_empty() {
            return Err(Malformed("invalid metric name"));
        }
        name = Some(Token {
            range,
            escaped: false,
        });
        spaced = c.skip_space();
    }
    if c.peek() == Some(b'{') {
        spaced = false;
        let inner = parse_labels(line, &mut c, labels, name.is_none())?;
        if name.is_none() {
            name = inner;
        }
    }
    let Some(name) = name else {
        return Err(Malformed("sample without a metric name"));
    };
    check_duplicates(line, labels)?;
    if !c.skip_space() && !spaced {
        return Err(Malformed("missing space before the value"));
    }
    let value = c.word();
    if !is_number(&line[value.clone()]) {
        return Err(Malformed("invalid sample value"));
    }
    let mut last_end = value.end;
    c.skip_space();
    if c.peek().is_some_and(|b| b != b'#') {
        let ts = c.word();
        if !is_number(&line[ts.clone()]) {
            return Err(Malformed("invalid timestamp"));
        }
        last_end = ts.end;
        c.skip_space();
    }
    let mut exemplar_at = None;
    if c.eat(b'#') {
        if !c.skip_space() || c.peek() != Some(b'{') {
            return Err(Malformed("invalid exemplar"));
        }
        parse_exemplar(line, &mut c)?;
        exemplar_at = Some(last_end);
    }
    c.skip_space();
    if !c.at_end() {
        return Err(Malformed("unexpected text after the sample"));
    }
    Ok(Line::Sample { name, exemplar_at })
}

fn parse_exemplar(line: &str, c: &mut Cursor<'_>) -> Result<()> {
    // Exemplar labels go to a scratch vector: they are not sample labels.
    // Exemplars are rare, so the allocation does not matter.
    let mut scratch = Vec::new();
    if parse_labels(line, c, &mut scratch, false)?.is_some() {
        return Err(Malformed("metric name inside an exemplar"));
    }
    if !c.skip_space() {
        return Err(Malformed("exemplar without a value"));
    }
    let value = c.word();
    if !is_number(&line[value]) {
        return Err(Malformed("invalid exemplar value"));
    }
    c.skip_space();
    if !c.at_end() {
        let ts = c.word();
        if !is_number(&line[ts]) {
            return Err(Malformed("invalid exemplar timestamp"));
        }
    }
    Ok(())
}

/// Parses `{...}` at the cursor. With `allow_name`, a first quoted string not
/// followed by `=` is the metric name (Prometheus 3 UTF-8 names) and is
/// returned.
fn parse_labels(
    line: &str,
    c: &mut Cursor<'_>,
    labels: &mut Vec<Label>,
    allow_name: bool,
) -> Result<Option<Token>> {
    if !c.eat(b'{') {
        return Err(Malformed("expected '{'"));
    }
    let mut metric_name = None;
    let mut first = true;
    loop {
        c.skip_space();
        if c.eat(b'}') {
            return Ok(metric_name);
        }
        let quoted = c.peek() == Some(b'"');
        let name = if quoted {
            c.quoted()?
        } else {
            let range = c.ident(is_label_start, is_label_char);
            if range.is_empty() {
                return Err(Malformed("invalid label name"));
            }
            Token {
                range,
                escaped: false,
            }
        };
        c.skip_space();
        if c.eat(b'=') {
            c.skip_space();
            let value = c.quoted()?;
            labels.push(Label { name, value });
        } else if quoted && allow_name && first {
            metric_name = Some(name);
        } else {
            return Err(Malformed("label without '='"));
        }
        first = false;
        c.skip_space();
        if c.eat(b',') {
            continue;
        }
        if c.eat(b'}') {
            return Ok(metric_name);
        }
        let _ = line;
        return Err(Malformed("expected ',' or '}' in label set"));
    }
}

fn check_duplicates(line: &str, labels: &[Label]) -> Result<()> {
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let same = if a.name.escaped || b.name.escaped {
                a.name.text(line) == b.name.text(line)
            } else {
                a.name.raw(line) == b.name.raw(line)
            };
            if same {
                return Err(Malformed("duplicate label name"));
            }
        }
    }
    Ok(())
}

/// Whether `s` is a sample value or timestamp: a decimal float, `NaN`,
/// `+Inf`/`-Inf`/`Inf` (any case).
fn is_number(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    // `str::parse::<f64>` also accepts "infinity" and "nan" in any case,
    // which Prometheus' parser accepts as well.
    s.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(line: &str) -> (String, Vec<(String, String)>, Option<usize>) {
        let mut labels = Vec::new();
        match parse_line(line, &mut labels).expect("parses") {
            Line::Sample { name, exemplar_at } => (
                name.text(line).into_owned(),
                labels
                    .iter()
                    .map(|l| {
                        (
                            l.name.text(line).into_owned(),
                            l.value.text(line).into_owned(),
                        )
                    })
                    .collect(),
                exemplar_at,
            ),
            other => panic!("not a sample: {other:?}"),
        }
    }

    #[test]
    fn plain_and_labelled_samples() {
        assert_eq!(sample("up 1"), ("up".into(), vec![], None));
        assert_eq!(
            sample(r#"http_requests_total{method="post",code="200"} 1027 1395066363000"#),
            (
                "http_requests_total".into(),
                vec![
                    ("method".into(), "post".into()),
                    ("code".into(), "200".into())
                ],
                None
            )
        );
        assert_eq!(sample("m{} 1").1, vec![]);
        assert_eq!(sample(r#"m{a="1",} 1"#).1, vec![("a".into(), "1".into())]);
        assert_eq!(
            sample(r#"m { a = "1" } 1"#).1,
            vec![("a".into(), "1".into())]
        );
    }

    #[test]
    fn special_values() {
        for v in ["NaN", "+Inf", "-Inf", "Inf", "1e-3", "-0", "1.5E+10", ".5"] {
            assert_eq!(sample(&format!("m {v}")).0, "m", "{v}");
        }
        assert!(parse_line("m abc", &mut Vec::new()).is_err());
        assert!(parse_line("m 1 xyz", &mut Vec::new()).is_err());
    }

    #[test]
    fn escapes_are_interpreted() {
        let (_, labels, _) =
            sample(r#"app_info{path="C:\\temp\\",msg="say \"hi\"",multi="a\nb"} 1"#);
        assert_eq!(
            labels,
            vec![
                ("path".into(), "C:\\temp\\".into()),
                ("msg".into(), "say \"hi\"".into()),
                ("multi".into(), "a\nb".into()),
            ]
        );
        // An unknown escape keeps its backslash.
        let (_, labels, _) = sample(r#"app_info{path="D:\temp"} 1"#);
        assert_eq!(labels, vec![("path".into(), "D:\\temp".into())]);
    }

    #[test]
    fn quoted_utf8_names() {
        let (name, labels, _) = sample(r#"{"my.metric",env="dev"} 1"#);
        assert_eq!(name, "my.metric");
        assert_eq!(labels, vec![("env".into(), "dev".into())]);
        let (name, labels, _) = sample(r#"m{"label.with.dots"="x"} 1"#);
        assert_eq!(name, "m");
        assert_eq!(labels, vec![("label.with.dots".into(), "x".into())]);
    }

    #[test]
    fn exemplars() {
        let line = r#"req_seconds_bucket{le="0.01"} 1 # {trace_id="abc"} 0.006 1700000000.0"#;
        let (_, labels, at) = sample(line);
        assert_eq!(labels, vec![("le".into(), "0.01".into())]);
        assert_eq!(&line[..at.unwrap()], r#"req_seconds_bucket{le="0.01"} 1"#);
        let (_, _, at) = sample(r#"x_bucket{le="+Inf"} 2 # {} 1.0"#);
        assert!(at.is_some());
        let (_, _, at) = sample(r#"x_total 2 1700000000 # {"trace.id"="t"} 1.0"#);
        assert_eq!(at, Some("x_total 2 1700000000".len()));
    }

    #[test]
    fn field_case_16_inputs_are_rejected_without_panic() {
        let mut labels = Vec::new();
        for line in [
            "{A}0",
            r#"o{="foo"} 0"#,
            r#"m{a="1",a="2"} 1"#,
            r#"m{a="1" 1"#,
            r#"m{a="1} 1"#,
            "m{a} 1",
            "m",
            "m{}",
            r#"m{a="x\"#,
            "3m 1",
        ] {
            assert!(parse_line(line, &mut labels).is_err(), "{line}");
        }
    }

    #[test]
    fn metadata_lines() {
        let mut labels = Vec::new();
        let line = r#"# HELP http_requests_total The total \\ number\n of requests."#;
        match parse_line(line, &mut labels).unwrap() {
            Line::Meta { kind, name, text } => {
                assert_eq!(kind, MetaKind::Help);
                assert_eq!(name.text(line), "http_requests_total");
                assert_eq!(text.text(line), "The total \\ number\n of requests.");
            }
            other => panic!("{other:?}"),
        }
        let line = "# TYPE  foo counter ";
        match parse_line(line, &mut labels).unwrap() {
            Line::Meta { kind, name, text } => {
                assert_eq!(kind, MetaKind::Type);
                assert_eq!(name.text(line), "foo");
                assert_eq!(text.text(line), "counter");
            }
            other => panic!("{other:?}"),
        }
        let line = r#"# UNIT "my.metric" seconds"#;
        match parse_line(line, &mut labels).unwrap() {
            Line::Meta { kind, name, text } => {
                assert_eq!(kind, MetaKind::Unit);
                assert_eq!(name.text(line), "my.metric");
                assert_eq!(text.text(line), "seconds");
            }
            other => panic!("{other:?}"),
        }
        let line = "# HELP foo";
        assert!(matches!(
            parse_line(line, &mut labels),
            Ok(Line::Meta { .. })
        ));
        assert_eq!(parse_line("# EOF", &mut labels), Ok(Line::Eof));
        assert_eq!(parse_line("# EOF ", &mut labels), Ok(Line::Eof));
        assert_eq!(
            parse_line("# just a comment", &mut labels),
            Ok(Line::Comment)
        );
        assert_eq!(parse_line("#", &mut labels), Ok(Line::Comment));
        assert_eq!(parse_line("   ", &mut labels), Ok(Line::Blank));
        assert!(parse_line("# TYPE", &mut labels).is_err());
        assert!(parse_line("# TYPE foo", &mut labels).is_err());
        assert!(parse_line("# HELP 9x text", &mut labels).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let text = String::from_utf8_lossy(&bytes);
            let mut labels = Vec::new();
            if let Ok(Line::Sample { name, exemplar_at }) = parse_line(&text, &mut labels) {
                let _ = name.text(&text);
                if let Some(at) = exemplar_at {
                    proptest::prop_assert!(text.get(..at).is_some());
                }
                for l in &labels {
                    let _ = (l.name.text(&text), l.value.text(&text));
                }
            }
        }

        #[test]
        fn never_panics_on_exposition_like_text(text in r#"[a-z_{}"=,# \\.0-9eEINaf+\-]{0,80}"#) {
            let mut labels = Vec::new();
            let _ = parse_line(&text, &mut labels);
        }
    }
}
