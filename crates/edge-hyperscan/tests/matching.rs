//! Behaviour of `Database` and `MatcherIndex` against the `regex` crate.

use std::sync::Arc;

use edge_hyperscan::{
    Database, Engine, MatchSet, MatcherIndexBuilder, Pattern, PatternFlags, PatternId,
};

fn ids(set: &MatchSet) -> Vec<u32> {
    let mut ids: Vec<u32> = set.iter().map(|id| id.0).collect();
    ids.sort_unstable();
    ids
}

fn scan(db: &Database, haystack: &str) -> Vec<u32> {
    let mut set = MatchSet::new();
    db.scan(haystack.as_bytes(), &mut set).unwrap();
    ids(&set)
}

/// Asserts that the database agrees with `regex::Regex::is_match` for every
/// pattern on every haystack, and with its own regex-only path.
fn assert_agrees(patterns: &[Pattern], haystacks: &[&str]) {
    let db = Database::compile(patterns).unwrap();
    let mut set = MatchSet::new();
    let mut reference = MatchSet::new();
    for haystack in haystacks {
        db.scan(haystack.as_bytes(), &mut set).unwrap();
        db.scan_with_regex(haystack.as_bytes(), &mut reference);
        for (i, pattern) in patterns.iter().enumerate() {
            let re = regex::RegexBuilder::new(&pattern.expression)
                .case_insensitive(pattern.flags.caseless)
                .multi_line(pattern.flags.multiline)
                .dot_matches_new_line(pattern.flags.dotall)
                .build()
                .unwrap();
            let id = PatternId(i as u32);
            assert_eq!(
                set.contains(id),
                re.is_match(haystack),
                "pattern {:?} ({:?}, engine {:?}) on {:?}",
                pattern.expression,
                pattern.flags,
                db.engine(id),
                haystack
            );
            assert_eq!(set.contains(id), reference.contains(id));
        }
    }
}

#[test]
fn multi_pattern_id_sets() {
    let db = Database::compile(&[
        Pattern::new("error"),
        Pattern::new("timeout after [0-9]+ms"),
        Pattern::new("^GET "),
        Pattern::new(r"status=5\d\d"),
    ])
    .unwrap();
    assert_eq!(db.len(), 4);
    assert_eq!(scan(&db, "GET /a status=503 error"), vec![0, 2, 3]);
    assert_eq!(scan(&db, "POST timeout after 30ms"), vec![1]);
    assert_eq!(scan(&db, "nothing here"), Vec::<u32>::new());
    assert_eq!(scan(&db, "x GET / status=404"), Vec::<u32>::new());
    for id in 0..4 {
        assert_eq!(db.engine(PatternId(id)), Some(Engine::Vectorscan));
    }
    assert_eq!(db.engine(PatternId(4)), None);
}

#[test]
fn compile_error_names_pattern_index_and_reason() {
    let err = Database::compile(&[
        Pattern::new("ok"),
        Pattern::new("([bad"),
        Pattern::new("also ok"),
    ])
    .unwrap_err();
    assert_eq!(err.index(), 1);
    assert_eq!(err.expression(), "([bad");
    assert!(err.message().contains("unclosed"), "{}", err.message());
    let text = err.to_string();
    assert!(text.contains("invalid regex \"([bad\""), "{text}");
    assert!(text.contains("pattern 1"), "{text}");
}

/// Field case 18 (RE-UNSUPPORTED-SYNTAX): look-around and back-references are
/// not RE2 and are rejected per pattern with the pattern named; a valid
/// pattern next to them still works; PREFILTER is never used.
#[test]
fn field_case_18_unsupported_syntax_rejected_per_pattern() {
    let mut builder = MatcherIndexBuilder::new();
    let pw = builder
        .add("body", Pattern::new("^(?=.*[0-9])(?=.*[a-z]).{12,}$"))
        .unwrap_err();
    assert_eq!(pw.expression(), "^(?=.*[0-9])(?=.*[a-z]).{12,}$");
    assert!(pw.message().contains("look-around"), "{}", pw.message());
    let br = builder.add("body", Pattern::new(r"(ab)-\1")).unwrap_err();
    assert_eq!(br.expression(), r"(ab)-\1");
    assert!(br.message().contains("backreferences"), "{}", br.message());
    for bad in [r"\N", r"(?<=a)b", r"\C", r"(?|a)"] {
        assert!(
            builder.add("body", Pattern::new(bad)).is_err(),
            "{bad} must be rejected as it is not RE2"
        );
    }
    let ok = builder
        .add("body", Pattern::new("timeout after [0-9]+ms"))
        .unwrap();
    assert_eq!(ok, PatternId(0), "rejected patterns consume no id");
    let index = builder.build().unwrap();
    let mut set = MatchSet::new();
    assert!(index.scan("body", b"timeout after 250ms", &mut set));
    assert_eq!(ids(&set), vec![0]);
}

/// Field case 18, second half: valid RE2 that Vectorscan refuses or would
/// interpret differently falls back silently and matches like `regex`.
#[test]
fn field_case_18_fallback_patterns() {
    let patterns = [
        Pattern::new(r"\bword\b"),
        Pattern::new(r"(?P<name>x)y"),
        Pattern::new(r"^\pL+$"),
        Pattern::new(r"a{1000}"),
        Pattern::new(r"[a-z]{1,300}z"),
        Pattern::new(r"(?i)straße"),
        Pattern::new(r"a\Bb"),
        Pattern::new(r"(?m)^line$"),
        Pattern::new(r"[^\x00-\x{10FFFF}]"),
        Pattern::new(r"x\Ay"),
    ];
    let long_a = "a".repeat(1000);
    let long_w = format!("{}z", "w".repeat(300));
    let haystacks = [
        "a word here",
        "swordfish",
        "xy",
        "x y",
        "Ünïcödé",
        "abc1",
        long_a.as_str(),
        &long_a[1..],
        long_w.as_str(),
        "STRASSE",
        "Straße",
        "ab",
        "first\nline\nlast",
        "line\n",
        "",
    ];
    assert_agrees(&patterns, &haystacks);
    let db = Database::compile(&patterns).unwrap();
    assert_eq!(
        db.engine(PatternId(0)),
        Some(Engine::Prefilter),
        "word boundary"
    );
    assert_eq!(
        db.engine(PatternId(1)),
        Some(Engine::Vectorscan),
        "named group"
    );
    assert_eq!(db.engine(PatternId(6)), Some(Engine::Prefilter), "\\B");
}

/// Field case 19 (RE-EMPTY-MATCH): empty-matching patterns compile and follow
/// RE2 semantics, including on zero-length input.
#[test]
fn field_case_19_empty_match() {
    let db = Database::compile(&[
        Pattern::new(".*"),
        Pattern::new("^$"),
        Pattern::new("(^|x)"),
        Pattern::new("a?"),
        Pattern::new(r"^\s*$"),
        Pattern::new("^"),
        Pattern::new("a*"),
        Pattern::new("$"),
    ])
    .unwrap();
    assert_eq!(scan(&db, ""), vec![0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(scan(&db, "   "), vec![0, 2, 3, 4, 5, 6, 7]);
    assert_eq!(scan(&db, "abc"), vec![0, 2, 3, 5, 6, 7]);
    assert_eq!(scan(&db, "\n"), vec![0, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn empty_match_patterns_agree_with_regex() {
    let patterns: Vec<Pattern> = [
        "^$",
        "(^|x)",
        r"^\s*$",
        "(?m)^$",
        "(?m)^",
        "(?m)$",
        "x*$",
        "^x*",
        r"\z",
        r"\A",
        "(?m)^a*$",
        "(a|^)b?",
        "(?m)(^|,)x?",
        "b*(?m:$)",
    ]
    .into_iter()
    .map(Pattern::new)
    .collect();
    assert_agrees(
        &patterns,
        &[
            "", "x", "xx", "a\n", "\n", "\n\n", "a\n\nb", "ab", ",", " x ", "b\n", "\nb",
        ],
    );
}

#[test]
fn caseless_and_literals() {
    let literal = |text: &str, anchor_start: bool, anchor_end: bool| {
        let mut expr = String::new();
        if anchor_start {
            expr.push('^');
        }
        expr.push_str(&regex::escape(text));
        if anchor_end {
            expr.push('$');
        }
        Pattern::caseless(expr)
    };
    let patterns = [
        literal("Error", false, false),   // contains
        literal("GET /api", true, false), // starts_with
        literal(".json", false, true),    // ends_with
        literal("a+b (c)?", true, true),  // exact, with metacharacters
        literal("ÉTÉ", false, false),     // non-ASCII folding
        Pattern::caseless("k"),           // folds with U+212A KELVIN SIGN
    ];
    assert_agrees(
        &patterns,
        &[
            "an ERROR occurred",
            "get /API/v1",
            "x get /api",
            "FILE.JSON",
            "file.jsonx",
            "A+B (C)?",
            "a+b (c)",
            "aab c",
            "l'été",
            "\u{212A}",
            "K",
        ],
    );
    let db = Database::compile(&patterns).unwrap();
    assert_eq!(scan(&db, "an ERROR occurred"), vec![0]);
    assert_eq!(scan(&db, "A+B (C)?"), vec![3]);
    assert_eq!(scan(&db, "L'ÉTÉ"), vec![4]);
    assert_eq!(scan(&db, "\u{212A}"), vec![5]);
}

#[test]
fn utf8_semantics() {
    for utf8 in [false, true] {
        let flags = PatternFlags {
            utf8,
            ..PatternFlags::default()
        };
        let patterns = [
            Pattern::with_flags("^.$", flags),
            Pattern::with_flags(r"^\pL+$", flags),
            Pattern::with_flags("é+", flags),
            Pattern::with_flags(r"^\d+$", flags),
            Pattern::with_flags("[^a]", flags),
            Pattern::with_flags(r"\w", flags),
        ];
        assert_agrees(
            &patterns,
            &["é", "ab", "日本語", "١٢٣", "123", "a", "ééé", "-"],
        );
        let db = Database::compile(&patterns).unwrap();
        assert_eq!(scan(&db, "é"), vec![0, 1, 2, 4, 5]);
        // Not UTF-8: matched like regex::bytes, without crashing or
        // Vectorscan's undefined behaviour on invalid input.
        let mut set = MatchSet::new();
        db.scan(b"\xff\xfe", &mut set).unwrap();
        let mut reference = MatchSet::new();
        db.scan_with_regex(b"\xff\xfe", &mut reference);
        assert_eq!(ids(&set), ids(&reference));
        assert_eq!(ids(&set), Vec::<u32>::new());
        db.scan(b"\xff\xc3\xa9", &mut set).unwrap();
        assert_eq!(ids(&set), vec![2, 4, 5]);
    }
}

#[test]
fn dotall_and_multiline_flags() {
    let dotall = PatternFlags {
        dotall: true,
        ..PatternFlags::default()
    };
    let multiline = PatternFlags {
        multiline: true,
        ..PatternFlags::default()
    };
    let patterns = [
        Pattern::new("a.b"),
        Pattern::with_flags("a.b", dotall),
        Pattern::new("^b$"),
        Pattern::with_flags("^b$", multiline),
        Pattern::new("a$"),
    ];
    assert_agrees(&patterns, &["a\nb", "axb", "a\nb\nc", "b", "a\n"]);
    let db = Database::compile(&patterns).unwrap();
    assert_eq!(scan(&db, "a\nb"), vec![1, 3]);
    assert_eq!(
        scan(&db, "a\n"),
        Vec::<u32>::new(),
        "RE2 `$` ignores a final newline"
    );
}

#[test]
fn matcher_index_keys_and_dedup() {
    let mut builder = MatcherIndexBuilder::<String>::new();
    let a = builder.add("body".into(), Pattern::new("foo")).unwrap();
    let b = builder.add("body".into(), Pattern::new("bar")).unwrap();
    let a_again = builder.add("body".into(), Pattern::new("foo")).unwrap();
    let a_ci = builder
        .add("body".into(), Pattern::caseless("foo"))
        .unwrap();
    let s = builder
        .add("severity".into(), Pattern::new("^ERROR$"))
        .unwrap();
    assert_eq!(
        (a, b, a_again, a_ci, s),
        (
            PatternId(0),
            PatternId(1),
            PatternId(0),
            PatternId(2),
            PatternId(0)
        )
    );
    assert!(builder.add("other".into(), Pattern::new("(")).is_err());
    let index = builder.build().unwrap();
    let mut keys: Vec<&String> = index.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["body", "severity"],
        "a key whose only pattern failed has no database"
    );
    let mut set = MatchSet::new();
    assert!(index.scan("body", b"FOO bar", &mut set));
    assert_eq!(ids(&set), vec![1, 2]);
    assert!(index.scan("severity", b"ERROR", &mut set));
    assert_eq!(ids(&set), vec![0]);
    assert!(!index.scan("other", b"(", &mut set));
    assert!(set.is_empty());
    assert_eq!(index.len(), 2);
    assert_eq!(index.database("body").map(Database::len), Some(3));
}

#[test]
fn concurrent_scanning_from_many_threads() {
    let patterns: Vec<Pattern> = (0..50)
        .map(|i| Pattern::new(format!(r"user{i}\b|id={i}x")))
        .chain([Pattern::new("timeout"), Pattern::new(r"\d{3}ms")])
        .collect();
    let db = Arc::new(Database::compile(&patterns).unwrap());
    let other = Arc::new(Database::compile(&[Pattern::new("other"), Pattern::new("x+y")]).unwrap());
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let db = Arc::clone(&db);
            let other = Arc::clone(&other);
            std::thread::spawn(move || {
                let mut set = MatchSet::new();
                for i in 0..2000u32 {
                    let n = (i + t) % 50;
                    let line = format!("id={n}x timeout after 250ms other xxy");
                    db.scan(line.as_bytes(), &mut set).unwrap();
                    assert_eq!(ids(&set), vec![n, 50, 51], "{line}");
                    other.scan(line.as_bytes(), &mut set).unwrap();
                    assert_eq!(ids(&set), vec![0, 1]);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

#[test]
fn empty_database_and_empty_haystack() {
    let db = Database::compile(&[]).unwrap();
    assert!(db.is_empty());
    assert_eq!(scan(&db, "anything"), Vec::<u32>::new());
    let db = Database::compile(&[Pattern::new("a")]).unwrap();
    assert_eq!(scan(&db, ""), Vec::<u32>::new());
}

#[test]
fn match_set_is_reused_across_databases() {
    let big = Database::compile(
        &(0..200)
            .map(|i| Pattern::new(format!("k{i}v")))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let small = Database::compile(&[Pattern::new("k1v")]).unwrap();
    let mut set = MatchSet::new();
    big.scan(b"k150v k3v", &mut set).unwrap();
    assert_eq!(ids(&set), vec![3, 150]);
    small.scan(b"k1v", &mut set).unwrap();
    assert_eq!(ids(&set), vec![0], "scan clears the previous result");
}

#[test]
fn required_literal_prefilter_agrees_with_regex() {
    // Every pattern needs one of a few literals, so haystacks without them
    // are answered before Vectorscan runs; the answers must not change.
    let patterns = [
        Pattern::new(r"timeout after [0-9]+ms in step 2\b"),
        Pattern::new("request-3-(failed|aborted)"),
        Pattern::new("^/api/v1/[a-z]+$"),
        Pattern::caseless("^(error|warn)$"),
    ];
    assert_agrees(
        &patterns,
        &[
            "",
            "GET /api/v2/orders/1 completed",
            "upstream timeout after 12ms in step 2 (retrying)",
            "upstream timeout after 12ms in step 23",
            "request-3-aborted: reset",
            "request-33-failed",
            "/api/v1/orders",
            "/api/v1/orders/",
            "ERROR",
            "Warn",
            "warning",
        ],
    );
}

/// Vectorscan 5.4.12's double-shufti accelerator skipped a literal that ends
/// the haystack when the literal's last byte pair straddled the end of the
/// accelerated range (the engine stops one byte early). Seen as: a
/// case-insensitive `user=` or `INFO` at the end of a 20–70 byte field not
/// matching when the database also held an anchored pattern and a literal
/// with a `ſ`/`=` alternative. Fixed in the vendored vectorscan-rs-sys.
#[test]
fn literal_ending_the_haystack_is_found_at_every_length() {
    let caseless = |e: &str| Pattern::caseless(e);
    let sets: [Vec<Pattern>; 4] = [
        vec![caseless("user="), caseless("ab"), Pattern::new("^info")],
        vec![caseless("straße"), caseless("INFO"), caseless("^INFO")],
        vec![caseless("str"), caseless("INFO"), Pattern::new("x$")],
        vec![caseless("disk$"), caseless("fo"), caseless("^disk$")],
    ];
    let tails = ["user=", "INFO", "usEr=", "info", "xfo", "ab"];
    for patterns in &sets {
        for fill in ["q", "a", "x", "hello world ", "-"] {
            let mut haystacks = Vec::new();
            for tail in tails {
                for n in 0..90 {
                    haystacks.push(format!("{}{tail}", fill.repeat(n)));
                }
            }
            let db = Database::compile(patterns).unwrap();
            let (mut set, mut reference) = (MatchSet::new(), MatchSet::new());
            let mut buf = Vec::new();
            for haystack in &haystacks {
                db.scan_with_regex(haystack.as_bytes(), &mut reference);
                // Also from unaligned addresses (the accelerator peels an
                // unaligned head before its aligned loop).
                for skip in [0, 1, 15] {
                    buf.clear();
                    buf.resize(skip, b'#');
                    buf.extend_from_slice(haystack.as_bytes());
                    db.scan(&buf[skip..], &mut set).unwrap();
                    assert_eq!(
                        ids(&set),
                        ids(&reference),
                        "patterns {patterns:?} on {haystack:?} at +{skip}"
                    );
                }
            }
        }
    }
}
