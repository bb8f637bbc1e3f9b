//! `otlp.verify_unfiltered`: whether OTLP bodies of a signal without
//! policies are decoded and checked (default) or forwarded as received.

mod common;

use common::*;
use edge_proxy::Distribution;
use http::StatusCode;
use serde_json::json;

const NO_POLICIES: &str = r#"{"policies":[]}"#;

const LOG_POLICY: &str = r#"{"policies":[
  {"id":"drop-debug","name":"drop debug logs",
   "log":{"match":[{"log_field":"severity_text","exact":"debug"}],"keep":"none"}}
]}"#;

/// Not protobuf: field 1 announced as 100 bytes long with 3 following.
const MALFORMED: &[u8] = &[0x0a, 0x64, 0x01, 0x02, 0x03];

async fn post(proxy: &Proxy, path: &str, body: Vec<u8>) -> reqwest::Response {
    client()
        .post(proxy.url(path))
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "gzip")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_malformed_bodies_are_refused_without_policies() {
    let sink = Sink::start().await;
    let proxy = Proxy::start_as(Distribution::Full, &sink.url(), NO_POLICIES, json!({})).await;
    let resp = post(&proxy, "/v1/logs", gzip(MALFORMED)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // An export without records is answered locally.
    let resp = post(&proxy, "/v1/traces", gzip(b"")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(sink.count(), 0, "nothing forwarded");
}

/// `gzip(data)` with the optional header CRC (FHCRC) added: right, or off
/// by one.
fn gzip_with_header_crc(data: &[u8], right: bool) -> Vec<u8> {
    let plain = gzip(data);
    let mut header = plain[..10].to_vec();
    header[3] |= 0x02;
    let mut crc = flate2::Crc::new();
    crc.update(&header);
    let crc16 = crc.sum() as u16 ^ u16::from(!right);
    let mut wire = header;
    wire.extend(crc16.to_le_bytes());
    wire.extend(&plain[10..]);
    wire
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_header_crcs_are_checked_and_corrupt_bodies_say_why() {
    let sink = Sink::start().await;
    let proxy = Proxy::start_as(Distribution::Full, &sink.url(), NO_POLICIES, json!({})).await;
    // An empty export with a right header CRC is answered locally.
    let resp = post(&proxy, "/v1/traces", gzip_with_header_crc(b"", true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut truncated = gzip(b"");
    truncated.truncate(truncated.len() - 3);
    for (body, why) in [
        (gzip_with_header_crc(b"", false), "gzip header CRC mismatch"),
        (truncated, "truncated gzip trailer"),
        (b"\x1f\x8b\x09".to_vec(), "truncated gzip header"),
        // Zero bytes alone are no gzip member (padding only counts after one).
        (vec![0u8; 16], "not gzip data (bad magic bytes)"),
    ] {
        let resp = post(&proxy, "/v1/traces", body).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{why}");
        let text = String::from_utf8_lossy(&resp.bytes().await.unwrap()).into_owned();
        assert!(
            text.contains(&format!("corrupt compressed body: {why}")),
            "{why}: {text}"
        );
    }
    assert_eq!(sink.count(), 0, "nothing forwarded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opted_out_bodies_without_policies_are_forwarded_as_received() {
    let sink = Sink::start().await;
    let extra = json!({"otlp": {"verify_unfiltered": false}});
    let proxy = Proxy::start_as(Distribution::Full, &sink.url(), NO_POLICIES, extra).await;
    // A truncated gzip stream: not even decompressible. Forwarded as is.
    let mut body = gzip(MALFORMED);
    body.truncate(body.len() - 4);
    let resp = post(&proxy, "/v1/logs", body.clone()).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED, "the upstream's answer");
    let got = sink.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/v1/logs");
    assert_eq!(got[0].body, body, "exact bytes, still compressed");
    assert_eq!(got[0].headers["content-encoding"], "gzip");
    let resp = post(&proxy, "/v1/metrics", gzip(b"")).await;
    assert_eq!(
        resp.status(),
        StatusCode::ACCEPTED,
        "empty export forwarded too"
    );
    assert_eq!(sink.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opted_out_signals_with_policies_are_still_checked() {
    let sink = Sink::start().await;
    let extra = json!({"otlp": {"verify_unfiltered": false}});
    let proxy = Proxy::start_as(Distribution::Full, &sink.url(), LOG_POLICY, extra).await;
    // Logs have a policy: checked, refused.
    let resp = post(&proxy, "/v1/logs", gzip(MALFORMED)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(sink.count(), 0);
    // Traces have none: forwarded.
    let resp = post(&proxy, "/v1/traces", gzip(MALFORMED)).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(sink.count(), 1);
}
