//! Compile a few policy-style patterns into one matcher per field and scan
//! log lines with them.
//!
//! Run: `cargo run -p edge-examples --example hyperscan_match`

use edge_hyperscan::{escape, MatchSet, MatcherIndexBuilder, Pattern};

fn main() -> anyhow::Result<()> {
    let mut builder = MatcherIndexBuilder::new();
    let rules = [
        ("body", Pattern::new("timeout after [0-9]+ms")),
        ("body", Pattern::caseless(escape("connection refused"))),
        ("body", Pattern::new(r"\buser=\w+")),
        ("body", Pattern::new(r"status=5\d\d")),
        ("severity", Pattern::caseless("^(debug|trace)$")),
    ];
    let mut names = Vec::new();
    for (key, pattern) in rules {
        let id = builder.add(key, pattern.clone())?;
        names.push((key, id, pattern.expression));
    }
    // An invalid pattern is reported with its text and the reason.
    if let Err(err) = builder.add("body", Pattern::new("(?=lookahead)")) {
        println!("rejected: {err}");
    }
    let index = builder.build()?;

    let lines = [
        ("info", "GET /api status=200 user=alice"),
        ("error", "upstream Connection Refused, timeout after 250ms"),
        ("DEBUG", "GET /health status=503"),
    ];
    let mut matched = MatchSet::new();
    for (severity, body) in lines {
        println!("{severity:>5} | {body}");
        for (key, value) in [("severity", severity), ("body", body)] {
            index.scan(key, value.as_bytes(), &mut matched);
            for (name_key, id, expression) in &names {
                if *name_key == key && matched.contains(*id) {
                    println!("      {key} matched {expression:?}");
                }
            }
        }
    }
    Ok(())
}
