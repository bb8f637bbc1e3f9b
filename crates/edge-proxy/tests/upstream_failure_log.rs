//! The "upstream request failed" warning names the upstream (host and port,
//! never credentials or query). Its own test binary: it installs a global
//! log subscriber.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_failure_warning_names_the_upstream() {
    let buf = Buf::default();
    let writer = buf.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    )
    .unwrap();
    // Nothing listens on port 1.
    let proxy = Proxy::start(
        "http://user:secret@127.0.0.1:1",
        r#"{"policies":[]}"#,
        json!({"upstream_retries": 0}),
    )
    .await;
    let resp = client()
        .post(proxy.url("/api/v2/logs?api_key=k"))
        .header("content-type", "application/json")
        .body(r#"[{"message":"m"}]"#)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_server_error(), "{resp:?}");
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    let line = logs
        .lines()
        .find(|l| l.contains("upstream request failed"))
        .unwrap_or_else(|| panic!("no warning in\n{logs}"));
    assert!(line.contains("upstream=127.0.0.1:1"), "{line}");
    assert!(
        !line.contains("secret") && !line.contains("api_key"),
        "{line}"
    );
}
