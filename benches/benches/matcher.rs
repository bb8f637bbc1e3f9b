//! Scan throughput of `edge_hyperscan::Database` against a loop of
//! `regex::bytes::Regex::is_match` and a `regex::bytes::RegexSet`, for 10, 100
//! and 1000 policy-style patterns over typical log lines.
//!
//! Run: `cargo bench -p edge-benches --bench matcher`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use edge_hyperscan::{escape, Database, MatchSet, Pattern};
use std::hint::black_box;
use std::time::Duration;

/// Patterns shaped like real policy conditions: `contains` literals (some
/// case-insensitive), prefixes, and a few regexes with classes and repeats.
fn patterns(count: usize) -> Vec<Pattern> {
    (0..count)
        .map(|i| match i % 6 {
            0 => Pattern::new(escape(&format!("service-{i} failed"))),
            1 => Pattern::caseless(escape(&format!("warn-{i}:"))),
            2 => Pattern::new(format!(r"code=E{i}[0-9]+")),
            3 => Pattern::new(format!(r"^req-{i}-[a-f0-9]{{8}}")),
            4 => Pattern::new(format!(r"user_id={i}\d* (login|logout)")),
            _ => Pattern::new(format!(r"timeout after {i}[0-9]{{2,4}}ms")),
        })
        .collect()
}

fn lines() -> Vec<String> {
    let templates = [
        "2024-05-01T12:00:00Z INFO http GET /api/v1/items/42 status=200 duration=12ms user_id=9313 login",
        "2024-05-01T12:00:01Z WARN upstream timeout after 1500ms host=db-3 retry=2 code=E4411",
        "req-17-deadbeef POST /v1/logs bytes=5120 gzip=true kept=12 dropped=3",
        "2024-05-01T12:00:02Z ERROR service-4 failed: connection refused (os error 111)",
        "level=debug msg=\"cache miss\" key=user:1234:profile ttl=300 node=cache-7",
        "2024-05-01T12:00:03Z INFO kubelet Started container nginx in pod web-5d9c7 namespace=prod",
    ];
    (0..24)
        .map(|i| format!("{} seq={i}", templates[i % templates.len()]))
        .collect()
}

fn regex_of(pattern: &Pattern) -> regex::bytes::Regex {
    regex::bytes::RegexBuilder::new(&pattern.expression)
        .case_insensitive(pattern.flags.caseless)
        .build()
        .expect("benchmark patterns are valid")
}

fn bench(c: &mut Criterion) {
    let lines = lines();
    let bytes: usize = lines.iter().map(String::len).sum();
    let mut group = c.benchmark_group("matcher");
    group
        .throughput(Throughput::Bytes(bytes as u64))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for count in [10usize, 100, 1000] {
        let patterns = patterns(count);
        let db = Database::compile(&patterns).expect("patterns compile");
        let regexes: Vec<_> = patterns.iter().map(regex_of).collect();
        let set = regex::bytes::RegexSetBuilder::new(patterns.iter().map(|p| {
            if p.flags.caseless {
                format!("(?i:{})", p.expression)
            } else {
                p.expression.clone()
            }
        }))
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 30)
        .build()
        .expect("regex set builds");

        // All three must agree before their speed is worth comparing.
        let mut matched = MatchSet::new();
        for line in &lines {
            db.scan(line.as_bytes(), &mut matched).expect("scan");
            for (i, re) in regexes.iter().enumerate() {
                let id = edge_hyperscan::PatternId(i as u32);
                assert_eq!(matched.contains(id), re.is_match(line.as_bytes()), "{line}");
            }
            assert_eq!(set.matches(line.as_bytes()).iter().count(), matched.len());
        }

        group.bench_with_input(BenchmarkId::new("edge_hyperscan", count), &count, |b, _| {
            let mut matched = MatchSet::new();
            b.iter(|| {
                let mut hits = 0;
                for line in &lines {
                    db.scan(black_box(line.as_bytes()), &mut matched)
                        .expect("scan");
                    hits += matched.len();
                }
                hits
            });
        });
        group.bench_with_input(BenchmarkId::new("regex_loop", count), &count, |b, _| {
            b.iter(|| {
                let mut hits = 0;
                for line in &lines {
                    for re in &regexes {
                        hits += usize::from(re.is_match(black_box(line.as_bytes())));
                    }
                }
                hits
            });
        });
        group.bench_with_input(BenchmarkId::new("regex_set", count), &count, |b, _| {
            b.iter(|| {
                let mut hits = 0;
                for line in &lines {
                    hits += set.matches(black_box(line.as_bytes())).iter().count();
                }
                hits
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
