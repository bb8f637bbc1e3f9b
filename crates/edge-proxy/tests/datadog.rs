//! End-to-end behaviour of the Datadog distribution: an in-process upstream
//! sink, the proxy built from configuration with a file policy provider, and
//! a real HTTP client, all on 127.0.0.1.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use http::StatusCode;
use serde_json::json;

const API_KEY: &str = "0123456789abcdef0123456789abcdef";

async fn post_logs(proxy: &Proxy, body: Vec<u8>, encoding: Option<&str>) -> reqwest::Response {
    let mut req = client()
        .post(proxy.url("/api/v2/logs"))
        .header("DD-API-KEY", API_KEY)
        .header("Content-Type", "application/json")
        .header("DD-EVP-ORIGIN", "agent");
    if let Some(e) = encoding {
        req = req.header("Content-Encoding", e);
    }
    req.body(body).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_mixed_logs_with_every_encoding() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("identity", None, MIXED.as_bytes().to_vec()),
        (
            "identity header",
            Some("identity"),
            MIXED.as_bytes().to_vec(),
        ),
        ("gzip", Some("gzip"), gzip(MIXED.as_bytes())),
        ("x-gzip", Some("x-gzip"), gzip(MIXED.as_bytes())),
        ("GZIP upper", Some("GZIP"), gzip(MIXED.as_bytes())),
        ("deflate zlib", Some("deflate"), zlib(MIXED.as_bytes())),
        (
            "deflate raw",
            Some("deflate"),
            raw_deflate(MIXED.as_bytes()),
        ),
        ("zstd", Some("zstd"), zstd_compress(MIXED.as_bytes())),
    ];
    for (i, (name, encoding, body)) in cases.into_iter().enumerate() {
        let resp = post_logs(&proxy, body, encoding).await;
        assert_eq!(resp.status(), StatusCode::ACCEPTED, "{name}");
        assert_eq!(
            resp.headers()["x-sink"],
            "1",
            "{name}: upstream headers relayed"
        );
        assert_eq!(resp.text().await.unwrap(), r#"{"sink":"ok"}"#, "{name}");
        let got = &sink.requests()[i];
        assert_eq!(got.path, "/api/v2/logs", "{name}");
        assert_eq!(
            got.headers["dd-api-key"], API_KEY,
            "{name}: api key forwarded"
        );
        assert_eq!(got.headers["dd-evp-origin"], "agent", "{name}");
        assert_eq!(
            got.headers["host"],
            sink.addr.to_string(),
            "{name}: Host comes from the upstream URL"
        );
        assert_eq!(
            got.headers
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{name}: re-encoded with the client's encoding"
        );
        assert_eq!(
            got.headers["content-length"],
            got.body.len().to_string(),
            "{name}"
        );
        let v = got.json();
        assert_eq!(messages(&v), MIXED_KEPT, "{name}");
        // Kept logs keep their fields (and nested objects) intact.
        assert_eq!(v[0]["ddtags"], "env:prod", "{name}");
        assert_eq!(v[1]["attrs"]["pct"], 97, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchanged_body_is_forwarded_byte_for_byte() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let plain =
        br#"[ {"message":"a","status":"info"} ,{"message":"b","status":"warn", "x": 1.50} ]"#;
    let wire = gzip(plain);
    let resp = post_logs(&proxy, wire.clone(), Some("gzip")).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let got = &sink.requests()[0];
    assert_eq!(got.body, wire, "original compressed bytes forwarded");
    assert_eq!(got.headers["content-length"], wire.len().to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_elements_keep_their_exact_bytes() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let body =
        br#"[{"message":"keep me", "n":1.0e2,"s":"\u00e9"},{"message":"x","status":"debug"}]"#;
    let resp = post_logs(&proxy, body.to_vec(), None).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(
        sink.requests()[0].body,
        &br#"[{"message":"keep me", "n":1.0e2,"s":"\u00e9"}]"#[..]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_object_body_is_filtered() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let resp = post_logs(
        &proxy,
        br#"{"message":"x","status":"debug"}"#.to_vec(),
        None,
    )
    .await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.text().await.unwrap(), "{}");
    let kept = br#"{"message":"x","status":"info"}"#;
    let resp = post_logs(&proxy, kept.to_vec(), None).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
    assert_eq!(sink.requests()[0].body, &kept[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_dropped_answers_202_without_calling_upstream() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let body =
        r#"[{"message":"a","status":"debug"},{"message":"GET /health 200","status":"info"}]"#;
    let resp = post_logs(&proxy, zstd_compress(body.as_bytes()), Some("zstd")).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.text().await.unwrap(), "{}");
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_status_and_retry_after_reach_the_client() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    for status in [
        StatusCode::FORBIDDEN,
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::SERVICE_UNAVAILABLE,
    ] {
        sink.set_reply(Reply {
            status,
            body: "nope".into(),
            headers: vec![("retry-after".into(), "2".into())],
            ..Reply::default()
        });
        let resp = post_logs(&proxy, MIXED.as_bytes().to_vec(), None).await;
        assert_eq!(resp.status(), status);
        assert_eq!(resp.headers()["retry-after"], "2");
        assert_eq!(resp.text().await.unwrap(), "nope");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_file_rewrite_applies_without_restart_or_failed_request() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let url = proxy.url("/api/v2/logs");
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let sender = {
        let (stop, failures, sent) = (stop.clone(), failures.clone(), sent.clone());
        tokio::spawn(async move {
            let c = client();
            while !stop.load(Ordering::SeqCst) {
                let r = c
                    .post(&url)
                    .header("DD-API-KEY", API_KEY)
                    .header("Content-Type", "application/json")
                    .body(r#"[{"message":"steady","status":"info"},{"message":"noise","status":"notice"}]"#)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == StatusCode::ACCEPTED => {}
                    _ => {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                }
                sent.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    assert!(eventually(Duration::from_secs(5), || sent.load(Ordering::SeqCst) > 10).await);
    // Before: both records forwarded.
    let last = sink.requests().last().unwrap().json();
    assert_eq!(messages(&last), ["steady", "noise"]);

    // Atomic replace (write + rename), as editors and ConfigMaps do.
    let tmp = proxy.dir.path().join("policies.json.tmp");
    std::fs::write(
        &tmp,
        r#"{"policies":[{"id":"drop-notice","name":"drop notice",
            "log":{"match":[{"log_field":"severity_text","exact":"notice"}],"keep":"none"}}]}"#,
    )
    .unwrap();
    std::fs::rename(&tmp, &proxy.policy_path).unwrap();
    let applied = eventually(Duration::from_secs(10), || {
        sink.requests()
            .last()
            .map(|r| messages(&r.json()) == ["steady"])
            .unwrap_or(false)
    })
    .await;
    assert!(applied, "new policy took effect");

    // Rewrite in place with an invalid file: the last good policies stay.
    std::fs::write(&proxy.policy_path, r#"{"policies":["#).unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let before = sink.count();
    assert!(eventually(Duration::from_secs(5), || sink.count() > before + 3).await);
    assert_eq!(
        messages(&sink.requests().last().unwrap().json()),
        ["steady"]
    );

    stop.store(true, Ordering::SeqCst);
    sender.await.unwrap();
    assert_eq!(
        failures.load(Ordering::SeqCst),
        0,
        "no request failed during reloads"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_is_forwarded_untouched() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    for body in [
        &br#"[{"message":"#[..],
        b"not json at all",
        b"[1,2",
        b"{\"a\":1} x",
    ] {
        let resp = post_logs(&proxy, body.to_vec(), None).await;
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
    }
    let got: Vec<_> = sink.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(got[0], &br#"[{"message":"#[..]);
    assert_eq!(got[1], &b"not json at all"[..]);
    assert_eq!(got[2], &b"[1,2"[..]);
    assert_eq!(got[3], &b"{\"a\":1} x"[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_object_elements_are_kept_untouched() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let body = br#"[42,{"message":"x","status":"debug"},"str",{"message":"y"},null]"#;
    let resp = post_logs(&proxy, body.to_vec(), None).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(
        sink.requests()[0].body,
        &br#"[42,"str",{"message":"y"},null]"#[..]
    );
}

/// Field case 6: lone surrogates and invalid UTF-8 never lose the batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lone_surrogates_and_invalid_utf8_do_not_lose_the_batch() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let mut body = br#"[{"message":"ok line","service":"svc","ddsource":"app","hostname":"host-a","status":"info"},
 {"message":"bad \ud83d line","service":"svc","ddsource":"app","hostname":"host-a","status":"info"},
 {"message":"raw a"#
        .to_vec();
    body.push(0xff);
    body.extend_from_slice(br#"b","status":"info"},{"message":"drop \ud83d","status":"debug"}]"#);
    let resp = post_logs(&proxy, gzip(&body), Some("gzip")).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let got = &sink.requests()[0];
    let plain = got.decoded();
    // The kept bad records are forwarded with their raw bytes.
    assert!(plain.windows(6).any(|w| w == br"\ud83d"));
    assert!(plain.contains(&0xff));
    let text = String::from_utf8_lossy(&plain);
    assert!(text.contains("ok line"));
    assert!(
        !text.contains("drop"),
        "the debug record was still evaluated and dropped"
    );
}

/// Field case 8: all gzip members are decoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_member_gzip_is_processed_entirely() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let mut wire = gzip(br#"[{"message":"a"},{"message":"x","status":"debug"}"#);
    wire.extend(gzip(br#",{"message":"b"}]"#));
    let resp = post_logs(&proxy, wire, Some("gzip")).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(messages(&sink.requests()[0].json()), ["a", "b"]);
}

/// EDGE_BEHAVIOUR section 3: a body that cannot be decompressed is forwarded
/// untouched and the upstream decides (Datadog answers 400, which the agent
/// does not retry). Edge never truncates it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_or_corrupt_compression_is_forwarded_untouched() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    sink.set_reply(Reply {
        status: StatusCode::BAD_REQUEST,
        body: "bad payload".into(),
        ..Reply::default()
    });
    let full = gzip(MIXED.as_bytes());
    let truncated = full[..full.len() / 2].to_vec();
    let mut garbage = full.clone();
    garbage.extend_from_slice(b"trailing garbage");
    for (body, enc) in [
        (truncated, "gzip"),
        (garbage, "gzip"),
        (b"not zstd".to_vec(), "zstd"),
        (gzip(MIXED.as_bytes()), "br"),
    ] {
        let resp = post_logs(&proxy, body.clone(), Some(enc)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert_eq!(resp.text().await.unwrap(), "bad payload");
        let got = sink.requests().pop().unwrap();
        assert_eq!(got.body, body, "{enc}: forwarded as received");
        assert_eq!(got.headers["content-encoding"], enc);
    }
    let metrics = proxy.metrics_text().await;
    assert!(
        metrics.contains("edge_request_decode_failures_total 4"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_limit_bodies_get_413_and_are_not_forwarded() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"max_body_size": 4096, "max_decoded_bytes": 65536}),
    )
    .await;
    // Declared length over the limit.
    let big = vec![b' '; 5000];
    let resp = post_logs(&proxy, big.clone(), None).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.text().await.unwrap().len() < 80, "short reason");
    // Chunked, no Content-Length.
    let stream = futures_util::stream::iter(
        (0..10).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 1000]))),
    );
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .header("DD-API-KEY", API_KEY)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Passthrough routes are bounded too.
    let resp = client()
        .put(proxy.url("/other"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(sink.count(), 0);
}

/// Field case 9: a decompression bomb stops at the decoded limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decompression_bombs_get_413() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"max_decoded_bytes": 1048576})).await;
    let zeros = vec![b' '; 64 * 1024 * 1024];
    for (enc, wire) in [
        ("gzip", gzip(&zeros)),
        ("deflate", zlib(&zeros)),
        ("zstd", zstd_compress(&zeros)),
    ] {
        assert!(wire.len() < 1024 * 1024, "{enc} bomb is small on the wire");
        let resp = post_logs(&proxy, wire, Some(enc)).await;
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE, "{enc}");
    }
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_pass_through_byte_for_byte() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    sink.set_reply(Reply {
        status: StatusCode::IM_A_TEAPOT,
        body: vec![0u8, 159, 146, 150].into(),
        headers: vec![
            ("x-up".into(), "yes".into()),
            ("set-cookie".into(), "a=b".into()),
        ],
        ..Reply::default()
    });
    let body: Vec<u8> = (0..=255u8).collect();
    let resp = client()
        .put(proxy.url("/api/v1/whatever/?q=%20x&api_key=abc"))
        .header("DD-API-KEY", API_KEY)
        .header("Content-Encoding", "gzip")
        .header("X-Custom", "v")
        .header("Connection", "keep-alive, X-Hop")
        .header("X-Hop", "should not pass")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(resp.headers()["x-up"], "yes");
    assert_eq!(resp.headers()["set-cookie"], "a=b");
    assert_eq!(resp.bytes().await.unwrap(), vec![0u8, 159, 146, 150]);
    let got = &sink.requests()[0];
    assert_eq!(got.method, http::Method::PUT);
    assert_eq!(got.path, "/api/v1/whatever/");
    assert_eq!(got.query.as_deref(), Some("q=%20x&api_key=abc"));
    assert_eq!(got.body, body);
    assert_eq!(got.headers["x-custom"], "v");
    assert_eq!(got.headers["content-encoding"], "gzip");
    assert!(got.headers.get("x-hop").is_none());
    // Logs on another method or path variant are passthrough too (exact match).
    let resp = client()
        .post(proxy.url("/api/v2/logs/"))
        .body(r#"[{"status":"debug"}]"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(sink.requests()[1].body, &br#"[{"status":"debug"}]"#[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_down_is_502_and_slow_is_504() {
    // A port with nothing listening: bind, read the port, close.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let proxy = Proxy::start(&format!("http://{closed}"), POLICIES, json!({})).await;
    let resp = post_logs(&proxy, MIXED.as_bytes().to_vec(), None).await;
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    let text = resp.text().await.unwrap();
    assert_eq!(text.lines().count(), 1, "one-line reason: {text}");

    let sink = Sink::start().await;
    sink.set_reply(Reply {
        delay: Duration::from_secs(5),
        ..Reply::default()
    });
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({"upstream_timeout_ms": 300})).await;
    let started = std::time::Instant::now();
    let resp = post_logs(&proxy, MIXED.as_bytes().to_vec(), None).await;
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(3));
    let metrics = proxy.metrics_text().await;
    assert!(
        metrics.contains("edge_upstream_errors_total{kind=\"timeout\"} 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_are_served_locally() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let c = client();
    let health = c.get(proxy.url("/_edge/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.json::<serde_json::Value>().await.unwrap(),
        json!({"status":"ok"})
    );
    let ready: serde_json::Value = c
        .get(proxy.url("/_edge/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["policies_loaded"], true);
    let policies: serde_json::Value = c
        .get(proxy.url("/_edge/policies"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = policies["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["drop-debug", "drop-health"]);
    post_logs(&proxy, MIXED.as_bytes().to_vec(), None).await;
    let metrics = c
        .get(proxy.url("/_edge/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("edge_records_dropped_total{signal=\"log\",module=\"datadog\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("edge_records_kept_total{signal=\"log\",module=\"datadog\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("edge_requests_total{route=\"datadog_logs\",status_class=\"2xx\"} 1"),
        "{metrics}"
    );
    // Unknown admin paths are not forwarded.
    let resp = c.post(proxy.url("/_edge/anything")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(sink.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_can_live_on_their_own_listener() {
    let sink = Sink::start().await;
    let admin_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = Proxy::start(
        &sink.url(),
        POLICIES,
        json!({"admin_listen_address": format!("127.0.0.1:{admin_port}")}),
    )
    .await;
    let c = client();
    let on_main = c.get(proxy.url("/_edge/health")).send().await.unwrap();
    assert_eq!(on_main.status(), StatusCode::NOT_FOUND);
    let on_admin = c
        .get(format!("http://127.0.0.1:{admin_port}/_edge/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_admin.status(), StatusCode::OK);
    assert_eq!(sink.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_starts_fail_open_without_policies() {
    let sink = Sink::start().await;
    // Field case 25: a policy server that is down never blocks the data path.
    let proxy = Proxy::start(
        &sink.url(),
        "{\"policies\":[",
        json!({"policy_providers": [
            {"id":"remote","type":"http","url":"http://127.0.0.1:9/","poll_interval_secs":1}
        ]}),
    )
    .await;
    let ready: serde_json::Value = client()
        .get(proxy.url("/_edge/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["fail_open"], true);
    let wire = gzip(MIXED.as_bytes());
    let resp = post_logs(&proxy, wire.clone(), Some("gzip")).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.requests()[0].body, wire);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let sink = Sink::start().await;
    sink.set_reply(Reply {
        delay: Duration::from_millis(700),
        ..Reply::default()
    });
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    let url = proxy.url("/api/v2/logs");
    let in_flight = tokio::spawn(async move {
        client()
            .post(url)
            .header("Content-Type", "application/json")
            .body(MIXED)
            .send()
            .await
            .map(|r| r.status())
    });
    assert!(eventually(Duration::from_secs(5), || sink.count() == 1).await);
    let addr = proxy.addr;
    proxy.shutdown().await.unwrap();
    assert_eq!(in_flight.await.unwrap().unwrap(), StatusCode::ACCEPTED);
    // No longer accepting.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
