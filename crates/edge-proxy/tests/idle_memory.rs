//! The proxy keeps serving and reloading policies after the idle release of
//! its code pages and free heap (`edge_proxy::idle_memory`): the released
//! code (HTTP path, JSON codec, policy and Vectorscan compilers) faults back
//! in when it runs again.

mod common;

use std::time::Duration;

use common::*;
use http::StatusCode;
use serde_json::json;

const API_KEY: &str = "0123456789abcdef0123456789abcdef";

async fn post_mixed(proxy: &Proxy) {
    let resp = client()
        .post(proxy.url("/api/v2/logs"))
        .header("DD-API-KEY", API_KEY)
        .header("Content-Type", "application/json")
        .body(MIXED)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
}

fn release() {
    edge_proxy::idle_memory::trim_heap();
    let released = edge_proxy::idle_memory::release_file_pages();
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert!(released.mappings > 0, "{released:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_and_reloads_policies_after_its_code_pages_were_released() {
    let sink = Sink::start().await;
    let proxy = Proxy::start(&sink.url(), POLICIES, json!({})).await;
    release();
    post_mixed(&proxy).await;
    assert_eq!(
        messages(&sink.requests().last().unwrap().json()),
        MIXED_KEPT
    );

    // A reload compiles a regex again (the Vectorscan compiler runs from
    // released pages).
    release();
    let tmp = proxy.dir.path().join("policies.json.tmp");
    std::fs::write(
        &tmp,
        r#"{"policies":[{"id":"drop-disk","name":"drop disk messages",
            "log":{"match":[{"log_field":"body","regex":"^disk (almost )?full"}],"keep":"none"}}]}"#,
    )
    .unwrap();
    std::fs::rename(&tmp, &proxy.policy_path).unwrap();
    let mut applied = false;
    for _ in 0..200 {
        post_mixed(&proxy).await;
        let last = messages(&sink.requests().last().unwrap().json());
        if !last.iter().any(|m| m == "disk almost full") {
            assert_eq!(last.len(), 4, "{last:?}");
            applied = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(applied, "the reloaded policy took effect");

    release();
    post_mixed(&proxy).await;
    let last = messages(&sink.requests().last().unwrap().json());
    assert!(!last.iter().any(|m| m == "disk almost full"), "{last:?}");
    assert_eq!(last.len(), 4, "{last:?}");
    proxy.shutdown().await.unwrap();
}
