//! Property test: for random simple regexes and haystacks, `MatcherIndex`
//! answers exactly like `regex::Regex::is_match` with the same flags.
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
