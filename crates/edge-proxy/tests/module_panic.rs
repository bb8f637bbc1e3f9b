//! A module that panics fails open: the request is forwarded untouched,
//! whether it was evaluated on the connection's worker (small identity
//! bodies) or on the blocking pool (large or compressed ones).

mod common;

use std::io::Write as _;
use std::sync::Arc;

use common::{Server, Sink};
use edge_modules::{ModuleRegistration, ProxyModule, RequestAction, RequestParts, Route, Routes};
use edge_proxy::ServerSettings;

struct Explodes;

impl ProxyModule for Explodes {
    fn name(&self) -> &str {
        "explodes"
    }
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        true
    }
    fn on_request(&self, _req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        panic!("module bug on a {} byte body", body.len());
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_module_forwards_the_request_untouched() {
    let sink = Sink::start().await;
    let registrations = vec![ModuleRegistration::new(
        Arc::new(Explodes),
        Routes::Exact(vec![Route::post("/in")]),
        sink.url(),
    )];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerSettings::default()
    };
    let server = Server::start(settings, registrations).await;
    let addr = server.addr;

    let small = b"small body".to_vec();
    let large = vec![b'x'; 256 * 1024];
    let compressed = gzip(b"compressed body");
    let client = reqwest::Client::new();
    for (body, encoding) in [
        (small.clone(), None),
        (large.clone(), None),
        (compressed.clone(), Some("gzip")),
    ] {
        let mut req = client.post(format!("http://{addr}/in")).body(body.clone());
        if let Some(e) = encoding {
            req = req.header("content-encoding", e);
        }
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
    }
    let got: Vec<Vec<u8>> = sink
        .requests()
        .into_iter()
        .map(|r| r.body.to_vec())
        .collect();
    assert_eq!(got, vec![small, large, compressed]);

    // The proxy is still serving after the panics.
    let resp = client
        .post(format!("http://{addr}/in"))
        .body("again")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    server.stop().await;
}
