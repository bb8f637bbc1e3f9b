use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{json, Value};

use super::*;

fn registry(policies: Value) -> Arc<Registry> {
    let parsed = parse_document(&json!({ "policies": policies }).to_string(), Format::Json)
        .expect("policy document");
    assert!(
        parsed.errors.is_empty(),
        "policy errors: {:?}",
        parsed.errors
    );
    let r = Arc::new(Registry::new());
    r.update_source("test", parsed.policies);
    r
}

fn drop_policy(id: &str, matchers: Value) -> Value {
    json!({"id": id, "name": id, "metric": {"match": matchers, "keep": false}})
}

fn module(policies: Value) -> PrometheusModule {
    PrometheusModule::new(registry(policies), PrometheusSettings::default())
}

fn head(filter: &mut ScrapeFilter, content_type: &str, encoding: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap(),
    );
    if let Some(e) = encoding {
        headers.insert(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_str(e).unwrap(),
        );
    }
    filter.on_head(StatusCode::OK, &mut headers);
    headers
}

const TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";
const OM: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Runs a whole body through a fresh filter, in chunks of the given sizes
/// (cycled), and returns the output.
fn run_chunked(m: &PrometheusModule, content_type: &str, body: &[u8], sizes: &[usize]) -> Vec<u8> {
    let mut f = m.scrape_filter();
    head(&mut f, content_type, None);
    let mut out = Vec::new();
    let mut rest = body;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].min(rest.len()).max(1);
        let (chunk, tail) = rest.split_at(n);
        f.on_chunk(chunk, &mut out);
        rest = tail;
        i += 1;
    }
    f.finish(&mut out);
    out
}

fn run(m: &PrometheusModule, content_type: &str, body: &str) -> String {
    String::from_utf8(run_chunked(
        m,
        content_type,
        body.as_bytes(),
        &[body.len().max(1)],
    ))
    .unwrap()
}

const EXPOSITION: &str = "\
# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000
http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000
# HELP debug_cache_entries Entries in the debug cache.
# TYPE debug_cache_entries gauge
debug_cache_entries{cache=\"a\"} 12
debug_cache_entries{cache=\"b\"} 7
# A comment between families.
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile=\"0.01\"} 3102
rpc_duration_seconds{quantile=\"0.5\"} 4773
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
# HELP req_seconds Request latency.
# TYPE req_seconds histogram
req_seconds_bucket{env=\"dev\",le=\"0.05\"} 24054
req_seconds_bucket{env=\"dev\",le=\"+Inf\"} 144320
req_seconds_sum{env=\"dev\"} 53423
req_seconds_count{env=\"dev\"} 144320
req_seconds_bucket{env=\"prod\",le=\"0.05\"} 1
req_seconds_bucket{env=\"prod\",le=\"+Inf\"} 2
req_seconds_sum{env=\"prod\"} 0.5
req_seconds_count{env=\"prod\"} 2
untyped_metric 1
weird_values{v=\"nan\"} NaN
weird_values{v=\"inf\"} +Inf
weird_values{v=\"ninf\"} -Inf
";

#[test]
fn no_policies_copies_the_scrape() {
    let m = module(json!([]));
    assert_eq!(run(&m, TEXT, EXPOSITION), EXPOSITION);
}

#[test]
fn drops_a_family_by_name_with_its_metadata() {
    let m = module(json!([drop_policy(
        "drop-debug",
        json!([{"metric_field": "name", "starts_with": "debug_"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    let expected = EXPOSITION.replace(
        "# HELP debug_cache_entries Entries in the debug cache.\n# TYPE debug_cache_entries gauge\ndebug_cache_entries{cache=\"a\"} 12\ndebug_cache_entries{cache=\"b\"} 7\n",
        "",
    );
    assert_eq!(out, expected);
    assert_eq!(m.stats().families_dropped.load(Ordering::Relaxed), 1);
    assert_eq!(m.stats().samples_dropped.load(Ordering::Relaxed), 2);
}

#[test]
fn drops_single_samples_by_label_and_keeps_headers() {
    let m = module(json!([drop_policy(
        "drop-400",
        json!([{"datapoint_attribute": ["code"], "exact": "400"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    assert_eq!(
        out,
        EXPOSITION.replace(
            "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n",
            ""
        )
    );
}

#[test]
fn headers_are_written_only_if_a_later_sample_survives() {
    let m = module(json!([drop_policy(
        "drop-a",
        json!([{"datapoint_attribute": ["cache"], "exact": "a"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    assert_eq!(
        out,
        EXPOSITION.replace("debug_cache_entries{cache=\"a\"} 12\n", "")
    );
}

#[test]
fn histogram_series_are_dropped_whole_and_le_is_not_an_attribute() {
    let m = module(json!([
        drop_policy(
            "drop-dev",
            json!([{"datapoint_attribute": ["env"], "exact": "dev"}])
        ),
        // `le` is not an attribute: this policy never matches.
        drop_policy(
            "drop-le",
            json!([{"datapoint_attribute": ["le"], "exists": true}])
        ),
    ]));
    let out = run(&m, TEXT, EXPOSITION);
    assert!(!out.contains("env=\"dev\""), "{out}");
    assert!(out.contains(
        "# TYPE req_seconds histogram\nreq_seconds_bucket{env=\"prod\",le=\"0.05\"} 1\n"
    ));
    assert!(out.contains("req_seconds_count{env=\"prod\"} 2\n"));
    // The quantile label of summaries is not an attribute either.
    assert!(out.contains("rpc_duration_seconds{quantile=\"0.01\"} 3102\n"));
}

#[test]
fn metric_type_help_and_suffixed_samples_map_to_the_family() {
    let m = module(json!([
        drop_policy("drop-summaries", json!([{"metric_type": "summary"}])),
        drop_policy(
            "drop-by-help",
            json!([{"metric_field": "description", "contains": "HTTP requests"}])
        ),
    ]));
    let out = run(&m, TEXT, EXPOSITION);
    assert!(!out.contains("rpc_duration_seconds"), "{out}");
    assert!(!out.contains("http_requests_total"), "{out}");
    assert!(out.contains("# A comment between families.\n"));
    assert!(out.contains("req_seconds_sum{env=\"dev\"} 53423\n"));
}

#[test]
fn samples_without_metadata_are_their_own_family() {
    let m = module(json!([drop_policy(
        "drop-untyped",
        json!([{"metric_field": "name", "exact": "untyped_metric"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    assert_eq!(out, EXPOSITION.replace("untyped_metric 1\n", ""));
    let m = module(json!([drop_policy(
        "drop-untyped-type",
        json!([{"metric_type": "gauge"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    // Untyped families have no type, so a type matcher leaves them alone.
    assert!(out.contains("untyped_metric 1\n"));
    assert!(out.contains("weird_values{v=\"nan\"} NaN\n"));
    assert!(!out.contains("debug_cache_entries"));
}

#[test]
fn nan_and_inf_values_pass_byte_identical() {
    let m = module(json!([drop_policy(
        "drop-inf",
        json!([{"datapoint_attribute": ["v"], "exact": "inf"}])
    )]));
    let out = run(&m, TEXT, EXPOSITION);
    assert!(out.contains("weird_values{v=\"nan\"} NaN\nweird_values{v=\"ninf\"} -Inf\n"));
    assert!(!out.contains("+Inf\n") || out.contains("le=\"+Inf\""));
    assert_eq!(m.stats().lines_unparsed.load(Ordering::Relaxed), 0);
}

#[test]
fn field_case_15_label_escapes() {
    let body = "\
# TYPE app_info gauge
app_info{path=\"C:\\\\temp\\\\\",msg=\"say \\\"hi\\\"\",multi=\"a\\nb\"} 1
app_info{path=\"D:\\temp\"} 1
";
    let m = module(json!([drop_policy(
        "q",
        json!([{"datapoint_attribute": ["msg"], "equals": "say \"hi\""}])
    )]));
    assert_eq!(
        run(&m, TEXT, body),
        "# TYPE app_info gauge\napp_info{path=\"D:\\temp\"} 1\n"
    );

    // The unknown escape `\t` keeps its backslash: the value is `D:\temp`.
    let m = module(json!([drop_policy(
        "d",
        json!([{"datapoint_attribute": ["path"], "exact": "D:\\temp"}])
    )]));
    let out = run(&m, TEXT, body);
    assert_eq!(out, body.replace("app_info{path=\"D:\\temp\"} 1\n", ""));

    // `\\` and `\n` are unescaped before matching.
    let m = module(json!([drop_policy(
        "n",
        json!([{"datapoint_attribute": ["multi"], "exact": "a\nb"}])
    )]));
    assert_eq!(
        run(&m, TEXT, body),
        "# TYPE app_info gauge\napp_info{path=\"D:\\temp\"} 1\n"
    );
    let m = module(json!([drop_policy(
        "p",
        json!([{"datapoint_attribute": ["path"], "exact": "C:\\temp\\"}])
    )]));
    assert_eq!(
        run(&m, TEXT, body),
        "# TYPE app_info gauge\napp_info{path=\"D:\\temp\"} 1\n"
    );
}

#[test]
fn field_case_16_malformed_lines_pass_and_are_counted() {
    let m = module(json!([drop_policy(
        "drop-x",
        json!([{"metric_field": "name", "exact": "x"}])
    )]));
    for body in [
        "{A}0\n",
        "o{=\"foo\"} 0\n",
        "m{a=\"1\",a=\"2\"} 1\n",
        "m{a=\"1\" 1\n",
        "m{a=\"1\" 1",
        "\u{0}\u{1}garbage\n",
    ] {
        let before = m.stats().lines_unparsed.load(Ordering::Relaxed);
        assert_eq!(run(&m, TEXT, body), body);
        assert_eq!(
            m.stats().lines_unparsed.load(Ordering::Relaxed),
            before + 1,
            "{body:?}"
        );
    }
    // The quoted-name form is valid: metric `my.metric`.
    let m = module(json!([drop_policy(
        "drop-dotted",
        json!([{"metric_field": "name", "exact": "my.metric"}])
    )]));
    assert_eq!(
        run(&m, TEXT, "{\"my.metric\",env=\"dev\"} 1\nother 2\n"),
        "other 2\n"
    );
}

#[test]
fn unparsable_line_flushes_the_held_headers_first() {
    let m = module(json!([drop_policy(
        "drop-m",
        json!([{"metric_field": "name", "exact": "m"}])
    )]));
    let body = "# HELP m help\n# TYPE m gauge\nm{broken 1\nm 2\n";
    assert_eq!(
        run(&m, TEXT, body),
        "# HELP m help\n# TYPE m gauge\nm{broken 1\n"
    );
}

const OM_BODY: &str = "\
# TYPE req_seconds histogram
# UNIT req_seconds seconds
# HELP req_seconds Request latency.
req_seconds_bucket{le=\"0.01\"} 1 # {trace_id=\"4bf92f3577b34da6\"} 0.006 1700000000.0
req_seconds_bucket{le=\"+Inf\"} 2 # {} 1.0
req_seconds_count 2
req_seconds_sum 0.5
req_seconds_created 1700000000.0
# TYPE jobs counter
jobs_total{kind=\"a\"} 3 # {\"trace.id\"=\"abc\"} 1.0
jobs_created{kind=\"a\"} 1700000000.0
# TYPE build info
build_info{version=\"1.2\"} 1
# EOF
";

#[test]
fn openmetrics_keeps_exemplars_and_eof() {
    let m = module(json!([drop_policy(
        "drop-jobs",
        json!([{"metric_field": "name", "exact": "jobs"}])
    )]));
    let out = run(&m, OM, OM_BODY);
    let expected = OM_BODY.replace(
        "# TYPE jobs counter\njobs_total{kind=\"a\"} 3 # {\"trace.id\"=\"abc\"} 1.0\njobs_created{kind=\"a\"} 1700000000.0\n",
        "",
    );
    assert_eq!(out, expected);
    assert_eq!(m.stats().lines_unparsed.load(Ordering::Relaxed), 0);
}

#[test]
fn openmetrics_unit_and_info_families() {
    let m = module(json!([drop_policy(
        "drop-seconds",
        json!([{"metric_field": "unit", "exact": "seconds"}])
    )]));
    let out = run(&m, OM, OM_BODY);
    assert!(!out.contains("req_seconds"), "{out}");
    assert!(out.ends_with("build_info{version=\"1.2\"} 1\n# EOF\n"));
    let m = module(json!([drop_policy(
        "drop-build",
        json!([{"metric_field": "name", "exact": "build"}])
    )]));
    let out = run(&m, OM, OM_BODY);
    assert!(!out.contains("build"), "{out}");
    assert!(out.ends_with("# EOF\n"));
}

#[test]
fn openmetrics_always_ends_with_eof() {
    let m = module(json!([drop_policy(
        "drop-all",
        json!([{"metric_field": "name", "regex": ".*"}])
    )]));
    assert_eq!(run(&m, OM, OM_BODY), "# EOF\n");
    // A body that forgot `# EOF` gets one.
    let body = OM_BODY.replace("# EOF\n", "");
    let m = module(json!([drop_policy(
        "drop-jobs",
        json!([{"metric_field": "name", "exact": "jobs"}])
    )]));
    let out = run(&m, OM, &body);
    assert!(
        out.ends_with("build_info{version=\"1.2\"} 1\n# EOF\n"),
        "{out}"
    );
    assert_eq!(m.stats().eof_added.load(Ordering::Relaxed), 1);
    // Without a final newline too.
    let out = run(&m, OM, "build_info 1");
    assert_eq!(out, "build_info 1\n# EOF\n");
}

#[test]
fn classic_text_never_carries_exemplars() {
    let m = module(json!([drop_policy(
        "drop-none",
        json!([{"metric_field": "name", "exact": "nothing"}])
    )]));
    let body = "req_seconds_bucket{le=\"0.01\"} 1 # {trace_id=\"abc\"} 0.006\r\nother 1\n";
    assert_eq!(
        run(&m, TEXT, body),
        "req_seconds_bucket{le=\"0.01\"} 1\r\nother 1\n"
    );
    assert_eq!(m.stats().exemplars_stripped.load(Ordering::Relaxed), 1);
}

#[test]
fn every_chunk_boundary_gives_the_same_output() {
    let m = module(json!([
        drop_policy(
            "drop-400",
            json!([{"datapoint_attribute": ["code"], "exact": "400"}])
        ),
        drop_policy(
            "drop-debug",
            json!([{"metric_field": "name", "starts_with": "debug_"}])
        ),
        drop_policy(
            "drop-dev",
            json!([{"datapoint_attribute": ["env"], "exact": "dev"}])
        ),
    ]));
    for (ct, body) in [(TEXT, EXPOSITION), (OM, OM_BODY)] {
        let whole = run_chunked(&m, ct, body.as_bytes(), &[body.len()]);
        for split in 1..body.len() {
            let mut f = m.scrape_filter();
            head(&mut f, ct, None);
            let mut out = Vec::new();
            f.on_chunk(&body.as_bytes()[..split], &mut out);
            f.on_chunk(&body.as_bytes()[split..], &mut out);
            f.finish(&mut out);
            assert_eq!(out, whole, "split at {split}");
        }
        for size in 1..8 {
            assert_eq!(
                run_chunked(&m, ct, body.as_bytes(), &[size, size + 3]),
                whole
            );
        }
    }
}

#[test]
fn gzip_and_zstd_scrapes_are_decoded_and_sent_plain() {
    let m = module(json!([drop_policy(
        "drop-debug",
        json!([{"metric_field": "name", "starts_with": "debug_"}])
    )]));
    let plain = run(&m, TEXT, EXPOSITION);

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(EXPOSITION.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let zst = zstd::encode_all(EXPOSITION.as_bytes(), 3).unwrap();
    for (encoding, body) in [("gzip", gz), ("zstd", zst)] {
        for chunk in [1usize, 7, 4096] {
            let mut f = m.scrape_filter();
            let headers = head(&mut f, TEXT, Some(encoding));
            assert!(headers.get(http::header::CONTENT_ENCODING).is_none());
            let mut out = Vec::new();
            for c in body.chunks(chunk) {
                f.on_chunk(c, &mut out);
            }
            f.finish(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), plain, "{encoding} {chunk}");
        }
    }
}

#[test]
fn unknown_encoding_and_error_status_pass_through() {
    let m = module(json!([drop_policy(
        "drop-all",
        json!([{"metric_field": "name", "regex": ".*"}])
    )]));
    let mut f = m.scrape_filter();
    let headers = head(&mut f, TEXT, Some("br"));
    assert_eq!(headers.get(http::header::CONTENT_ENCODING).unwrap(), "br");
    let mut out = Vec::new();
    f.on_chunk(b"\x00compressed", &mut out);
    f.finish(&mut out);
    assert_eq!(out, b"\x00compressed");

    let mut f = m.scrape_filter();
    let mut headers = HeaderMap::new();
    f.on_head(StatusCode::INTERNAL_SERVER_ERROR, &mut headers);
    let mut out = Vec::new();
    f.on_chunk(b"up 1\n", &mut out);
    f.finish(&mut out);
    assert_eq!(out, b"up 1\n");
}

#[test]
fn corrupt_gzip_stops_the_scrape_without_panicking() {
    let m = module(json!([drop_policy(
        "drop-x",
        json!([{"metric_field": "name", "exact": "x"}])
    )]));
    let mut f = m.scrape_filter();
    head(&mut f, TEXT, Some("gzip"));
    let mut out = Vec::new();
    f.on_chunk(b"definitely not gzip data", &mut out);
    f.finish(&mut out);
    assert!(out.is_empty());
    assert_eq!(m.stats().scrapes_decode_failed.load(Ordering::Relaxed), 1);
    // The response ends with an error, not as an empty scrape.
    assert!(f.aborted());
}

#[test]
fn a_cut_scrape_is_aborted_and_a_whole_one_is_not() {
    let settings = PrometheusSettings {
        max_input_bytes: 24,
        ..PrometheusSettings::default()
    };
    let m = PrometheusModule::new(registry(json!([])), settings);
    for (body, cut) in [
        ("a_metric 1\nb_metric 2\n", false),
        ("a_metric 1\nb_metric 2\nc_metric 3\n", true),
    ] {
        let mut f = m.scrape_filter();
        head(&mut f, TEXT, None);
        let mut out = Vec::new();
        f.on_chunk(body.as_bytes(), &mut out);
        assert_eq!(f.aborted(), cut, "{body:?}");
        f.finish(&mut out);
        assert_eq!(f.aborted(), cut, "{body:?}");
    }
}

#[test]
fn byte_limits_cut_the_scrape_at_a_line_boundary() {
    let settings = PrometheusSettings {
        max_input_bytes: 40,
        ..PrometheusSettings::default()
    };
    let m = PrometheusModule::new(
        registry(json!([drop_policy(
            "drop-x",
            json!([{"metric_field": "name", "exact": "x"}])
        )])),
        settings,
    );
    let body = "a_metric 1\nb_metric 2\nc_metric 3\nd_metric 4\ne_metric 5\n";
    for chunk in [1usize, 3, body.len()] {
        let out = run_chunked(&m, OM, body.as_bytes(), &[chunk]);
        // 40 input bytes: three complete lines; no `# EOF` on a cut scrape.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a_metric 1\nb_metric 2\nc_metric 3\n"
        );
    }
    assert_eq!(m.stats().scrapes_truncated.load(Ordering::Relaxed), 3);

    let settings = PrometheusSettings {
        max_output_bytes: 25,
        ..PrometheusSettings::default()
    };
    let m = PrometheusModule::new(
        registry(json!([drop_policy(
            "drop-b",
            json!([{"metric_field": "name", "exact": "b_metric"}])
        )])),
        settings,
    );
    let out = run(&m, TEXT, body);
    assert_eq!(out, "a_metric 1\nc_metric 3\n");
}

#[test]
fn oversized_lines_are_copied_unparsed_with_bounded_buffers() {
    let settings = PrometheusSettings {
        max_line_bytes: 32,
        ..PrometheusSettings::default()
    };
    let m = PrometheusModule::new(
        registry(json!([drop_policy(
            "drop-big",
            json!([{"metric_field": "name", "exact": "big"}])
        )])),
        settings,
    );
    let long = format!("big{{v=\"{}\"}} 1\n", "x".repeat(100));
    let body = format!("# TYPE big gauge\n{long}small 1\nbig 2\n");
    for chunk in [1usize, 5, 16, body.len()] {
        let out = run_chunked(&m, TEXT, body.as_bytes(), &[chunk]);
        let out = String::from_utf8(out).unwrap();
        if chunk == body.len() {
            // A line that arrives whole is parsed whatever its length.
            assert_eq!(out, "small 1\n");
        } else {
            assert_eq!(
                out,
                format!("# TYPE big gauge\n{long}small 1\n"),
                "chunk {chunk}"
            );
        }
    }
    assert!(m.stats().lines_oversized.load(Ordering::Relaxed) >= 3);
}

#[test]
fn module_serves_a_get_route_with_a_filter() {
    let m = module(json!([]));
    assert_eq!(
        PrometheusModule::routes("/metrics"),
        crate::Routes::Exact(vec![crate::Route::get("/metrics")])
    );
    let headers = HeaderMap::new();
    let parts = crate::RequestParts {
        method: &http::Method::GET,
        path: "/metrics",
        query: None,
        headers: &headers,
    };
    assert!(!m.inspects_request_body(&parts));
    assert!(m.response_filter(&parts).is_some());
    let mut text = String::new();
    m.write_metrics(&mut text);
    // The filter above was dropped unused: it still counts as a scrape.
    assert!(text.contains("edge_prometheus_scrapes_total 1"), "{text}");
}

proptest::proptest! {
    #[test]
    fn filter_never_panics_and_copies_when_nothing_matches(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
        split in 0usize..400,
    ) {
        let m = module(json!([drop_policy("drop-nothing", json!([{"metric_field": "name", "exact": "\u{1}never"}]))]));
        let split = split.min(bytes.len());
        let mut f = m.scrape_filter();
        head(&mut f, TEXT, None);
        let mut out = Vec::new();
        f.on_chunk(&bytes[..split], &mut out);
        f.on_chunk(&bytes[split..], &mut out);
        f.finish(&mut out);
        // No sample is dropped, so every byte is copied (exemplars aside).
        if m.stats().exemplars_stripped.load(Ordering::Relaxed) == 0 {
            proptest::prop_assert_eq!(out, bytes);
        }
        proptest::prop_assert_eq!(m.stats().internal_errors.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn filter_never_panics_with_drops(
        text in r#"([a-z_]{1,4}(\{[a-z]{1,2}="[a-z\\"]{0,3}"\})? [0-9NaIf+\-]{1,3}( # \{\} 1)?\n|# (TYPE|HELP|UNIT) [a-z_]{1,4} [a-z]{0,8}\n|# EOF\n){0,12}"#,
        split in 0usize..200,
    ) {
        let m = module(json!([drop_policy("drop-a", json!([{"metric_field": "name", "starts_with": "a"}]))]));
        let bytes = text.as_bytes();
        let split = split.min(bytes.len());
        for ct in [TEXT, OM] {
            let mut f = m.scrape_filter();
            head(&mut f, ct, None);
            let mut out = Vec::new();
            f.on_chunk(&bytes[..split], &mut out);
            f.on_chunk(&bytes[split..], &mut out);
            f.finish(&mut out);
        }
        proptest::prop_assert_eq!(m.stats().internal_errors.load(Ordering::Relaxed), 0);
    }
}

#[test]
fn scrape_target_keeps_the_target_path() {
    let t = |u: &str| scrape_target(u);
    let origin = |o: &str, p: Option<&str>| (o.to_owned(), p.map(str::to_owned));
    assert_eq!(
        t("http://127.0.0.1:9100/metrics"),
        origin("http://127.0.0.1:9100", Some("/metrics"))
    );
    assert_eq!(
        t("http://127.0.0.1:9100/stats/prometheus"),
        origin("http://127.0.0.1:9100", Some("/stats/prometheus"))
    );
    assert_eq!(
        t("http://127.0.0.1:9100"),
        origin("http://127.0.0.1:9100", None)
    );
    assert_eq!(
        t("http://127.0.0.1:9100/"),
        origin("http://127.0.0.1:9100", None)
    );
    assert_eq!(
        t("https://u:p@app/prom/x?y=1#f"),
        origin("https://u:p@app", Some("/prom/x?y=1"))
    );
    assert_eq!(t("http://app?y=1"), origin("http://app", Some("/?y=1")));
}
