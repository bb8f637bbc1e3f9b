//! Property tests: for random simple regexes and haystacks, `MatcherIndex`
//! answers exactly like `regex::Regex::is_match` with the same flags; and a
//! database of policy-like patterns (literals, anchors, small regexes, mixed
//! case sensitivity) agrees with the regex path on field values long enough
//! for Vectorscan's accelerated paths.
//!
//! `PROPTEST_CASES=1000 cargo test -p edge-hyperscan --test proptest_regex`
//! runs a longer search.

use edge_hyperscan::{MatchSet, MatcherIndexBuilder, Pattern, PatternFlags};
use proptest::prelude::*;

/// One token of a pattern: literals, classes and assertions that exercise the
/// places where PCRE-style engines and RE2 tend to differ.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[abcAB]".prop_map(|s| s),
        1 => Just("é".to_owned()),
        1 => Just("K".to_owned()),
        1 => Just(r"\n".to_owned()),
        1 => Just(r"\.".to_owned()),
        2 => Just(".".to_owned()),
        1 => Just("[ab]".to_owned()),
        1 => Just("[^a]".to_owned()),
        1 => Just("[a-c1]".to_owned()),
        1 => Just(r"\d".to_owned()),
        1 => Just(r"\s".to_owned()),
        1 => Just(r"\w".to_owned()),
        1 => Just(r"\pL".to_owned()),
        1 => Just("^".to_owned()),
        1 => Just("$".to_owned()),
        1 => Just(r"\A".to_owned()),
        1 => Just(r"\z".to_owned()),
        1 => Just(r"\b".to_owned()),
        1 => Just(r"\B".to_owned()),
        1 => Just("(?m:^)".to_owned()),
        1 => Just("(?m:$)".to_owned()),
    ]
}

fn regex_text() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|parts| parts.concat()),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| format!("(?:{})", parts.join("|"))),
            (
                inner.clone(),
                prop_oneof![
                    Just("*"),
                    Just("+"),
                    Just("?"),
                    Just("{2}"),
                    Just("{1,3}"),
                    Just("{0,2}"),
                    Just("*?")
                ]
            )
                .prop_map(|(sub, op)| format!("(?:{sub}){op}")),
            inner.clone().prop_map(|sub| format!("({sub})")),
            inner.clone().prop_map(|sub| format!("(?P<g>{sub})")),
            inner.prop_map(|sub| format!("(?i:{sub})")),
        ]
    })
}

fn flags() -> impl Strategy<Value = PatternFlags> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(caseless, multiline, dotall, utf8)| PatternFlags {
            caseless,
            single_match: false,
            utf8,
            dotall,
            multiline,
        },
    )
}

fn haystack() -> impl Strategy<Value = String> {
    "[abcAB1 é\n_.K\u{212A}]{0,12}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn matcher_index_agrees_with_regex(
        patterns in prop::collection::vec((regex_text(), flags()), 1..6),
        haystacks in prop::collection::vec(haystack(), 1..10),
    ) {
        let mut builder = MatcherIndexBuilder::new();
        let mut references = Vec::new();
        for (expression, flags) in &patterns {
            let reference = regex::RegexBuilder::new(expression)
                .case_insensitive(flags.caseless)
                .multi_line(flags.multiline)
                .dot_matches_new_line(flags.dotall)
                .build();
            let added = builder.add("field", Pattern::with_flags(expression.clone(), *flags));
            // Both accept or both reject (e.g. a size limit).
            prop_assert_eq!(reference.is_ok(), added.is_ok(), "{:?}", expression);
            if let (Ok(reference), Ok(id)) = (reference, added) {
                references.push((id, reference, expression.clone(), *flags));
            }
        }
        let index = builder.build().unwrap();
        let mut set = MatchSet::new();
        for haystack in &haystacks {
            let has_key = index.scan("field", haystack.as_bytes(), &mut set);
            prop_assert_eq!(has_key, !references.is_empty());
            for (id, reference, expression, flags) in &references {
                prop_assert_eq!(
                    set.contains(*id),
                    reference.is_match(haystack),
                    "pattern {:?} {:?} engine {:?} haystack {:?}",
                    expression,
                    flags,
                    index.database("field").and_then(|db| db.engine(*id)),
                    haystack
                );
            }
        }
    }
}

/// Words that policies match on, with the case and Unicode folds that make
/// Vectorscan split literals (`s`/`ſ`, `k`/`K`) and bytes that are not
/// letters.
const WORDS: &[&str] = &[
    "info", "INFO", "error", "Warn", "str", "strasse", "disk", "task", "user=", "==", "ſtr", "é",
    "ab", "x", "id-42", "fo", "GET", "/api/v1",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_owned)
}

/// What the policy matchers compile to: `contains`, `starts_with`,
/// `ends_with`, `exact`, and a few small regexes built from the words.
fn policy_pattern() -> impl Strategy<Value = Pattern> {
    (word(), word(), 0..7u8, any::<bool>()).prop_map(|(a, b, shape, caseless)| {
        let (a, b) = (edge_hyperscan::escape(&a), edge_hyperscan::escape(&b));
        let expression = match shape {
            0 => format!("^{a}"),
            1 => format!("{a}$"),
            2 => format!("^{a}$"),
            3 => format!("{a}[0-9]+"),
            4 => format!("{a}.*{b}"),
            _ => a,
        };
        Pattern::with_flags(
            expression,
            PatternFlags {
                caseless,
                ..PatternFlags::default()
            },
        )
    })
}

/// Field values up to a few hundred bytes: runs of filler with the policy
/// words in between, so that matches land at the start, in the middle and at
/// the very end, across Vectorscan's block and small-buffer paths.
fn long_haystack() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        1 => word(),
        3 => (prop::sample::select(&["a", "q", " ", "x", "-", "hello world ", "0"][..]), 0..24usize)
            .prop_map(|(fill, n)| fill.repeat(n)),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// One database of policy-like patterns against long field values: the
    /// accelerated scan must give exactly the regex answer for every pattern.
    #[test]
    fn policy_patterns_on_long_haystacks_agree_with_regex(
        patterns in prop::collection::vec(policy_pattern(), 2..8),
        haystacks in prop::collection::vec(long_haystack(), 1..24),
    ) {
        let db = edge_hyperscan::Database::compile(&patterns).unwrap();
        let mut fast = MatchSet::new();
        let mut reference = MatchSet::new();
        for haystack in &haystacks {
            db.scan(haystack.as_bytes(), &mut fast).unwrap();
            db.scan_with_regex(haystack.as_bytes(), &mut reference);
            let mut got: Vec<usize> = fast.iter().map(|id| id.index()).collect();
            let mut want: Vec<usize> = reference.iter().map(|id| id.index()).collect();
            got.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(
                got,
                want,
                "patterns {:?} haystack {:?}",
                patterns.iter().map(|p| (&p.expression, p.flags.caseless)).collect::<Vec<_>>(),
                haystack
            );
        }
    }
}
