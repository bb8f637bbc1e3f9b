//! The shared byte budget (`max_inflight_bytes`) covers what modules use to
//! process a body and what re-encoding takes, not only the bodies held:
//! requests whose processing does not fit now get `503` with `Retry-After`
//! and are not forwarded, those that could never fit are forwarded
//! unfiltered (fail open: the body is within the body limits), and the
//! budget is back to 0 once requests finish.

mod common;

use std::io::Write as _;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::{eventually, metric, Server, Sink};
use edge_modules::{ModuleRegistration, ProxyModule, RequestAction, RequestParts, Route, Routes};
use edge_proxy::ServerSettings;

const MIB: usize = 1024 * 1024;
/// Decoded size of each test body.
const DECODED: usize = 200 * 1024;

/// A module that says it needs `factor` times the decoded body, upper-cases
/// the body, and holds every call until the gate opens.
struct Holds {
    factor: usize,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Gate {
    /// Calls that entered the module so far.
    fn entered(&self) -> usize {
        self.state.lock().unwrap().0
    }

    fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }

    fn pass(&self) {
        let mut state = self.state.lock().unwrap();
        state.0 += 1;
        while !state.1 {
            state = self.changed.wait(state).unwrap();
        }
    }
}

impl ProxyModule for Holds {
    fn name(&self) -> &str {
        "holds"
    }
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        true
    }
    fn working_memory(&self, _req: &RequestParts<'_>, decoded_len: usize) -> usize {
        decoded_len * self.factor
    }
    fn on_request(&self, _req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        self.gate.pass();
        RequestAction::ForwardModified(Bytes::from(body.to_ascii_uppercase()))
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn inflight(client: &reqwest::Client, addr: std::net::SocketAddr) -> f64 {
    let text = client
        .get(format!("http://{addr}/_edge/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    metric(&text, "edge_inflight_bytes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processing_memory_is_reserved_from_the_budget() {
    let sink = Sink::start().await;
    let gate = Arc::new(Gate::default());
    let registrations = vec![
        // 8 times the decoded body: about 1.6 MiB of processing each, plus
        // the decoded body and the re-encode.
        ModuleRegistration::new(
            Arc::new(Holds {
                factor: 8,
                gate: gate.clone(),
            }),
            Routes::Exact(vec![Route::post("/held")]),
            sink.url(),
        )
        .with_limits(MIB, 256 * 1024),
        // 100 times: 20 MiB, more than the whole budget.
        ModuleRegistration::new(
            Arc::new(Holds {
                factor: 100,
                gate: gate.clone(),
            }),
            Routes::Exact(vec![Route::post("/greedy")]),
            sink.url(),
        )
        .with_limits(MIB, 256 * 1024),
    ];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_inflight_bytes: 10 * MIB,
        ..ServerSettings::default()
    };
    let server = Server::start(settings, registrations).await;
    let addr = server.addr;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let plain: Vec<u8> = (0..DECODED).map(|i| b"abcdefgh"[i % 8]).collect();
    let wire = gzip(&plain);

    // Processing that could never fit the budget is skipped: the module is
    // not called and the body goes upstream exactly as sent (fail open; it
    // is within the body limits), and it is counted.
    for (i, (body, encoding)) in [(plain.clone(), "identity"), (wire.clone(), "gzip")]
        .into_iter()
        .enumerate()
    {
        let resp = client
            .post(format!("http://{addr}/greedy"))
            .header("content-encoding", encoding)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
        let received = sink.requests();
        assert_eq!(received.len(), i + 1);
        assert_eq!(&received[i].body[..], &body[..], "{encoding}: untouched");
    }
    assert_eq!(gate.entered(), 0);
    assert_eq!(inflight(&client, addr).await, 0.0);
    let text = client
        .get(format!("http://{addr}/_edge/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        metric(&text, "edge_request_unfiltered_over_budget_total"),
        2.0
    );
    let forwarded_before = sink.count();

    // Four requests fit (about 2.2 MiB each); all four are held in the
    // module at once.
    let mut held = Vec::new();
    for _ in 0..4 {
        let req = client
            .post(format!("http://{addr}/held"))
            .header("content-encoding", "gzip")
            .body(wire.clone());
        held.push(tokio::spawn(req.send()));
    }
    assert!(
        eventually(Duration::from_secs(10), || gate.entered() == 4).await,
        "entered {}",
        gate.entered()
    );
    let used = inflight(&client, addr).await as usize;
    // Each holds its decoded body and 8 times it for processing.
    assert!(used >= 4 * 9 * DECODED, "{used}");
    assert!(used <= 10 * MIB, "{used}");

    // A fifth does not fit now: 503 with Retry-After, not forwarded, and
    // its module call never happens.
    let resp = client
        .post(format!("http://{addr}/held"))
        .header("content-encoding", "gzip")
        .body(wire.clone())
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("answered at once, not held in the module");
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "1");
    assert_eq!(gate.entered(), 4);
    assert_eq!(sink.count(), forwarded_before);

    gate.open();
    for task in held {
        let resp = task.await.unwrap().unwrap();
        assert_eq!(resp.status(), 202);
    }
    // Each was forwarded once, modified and re-encoded.
    let received = sink.requests();
    assert_eq!(received.len(), forwarded_before + 4);
    for r in &received[forwarded_before..] {
        assert_eq!(gunzip(&r.body), plain.to_ascii_uppercase());
    }
    // Everything is given back once the requests are done.
    let mut last = f64::NAN;
    for _ in 0..200 {
        last = inflight(&client, addr).await;
        if last == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(last, 0.0);

    server.stop().await;
}

/// A body the Datadog modules pass through unread (its `Content-Type` is
/// not one they parse) needs no working memory: within the limits, it is
/// forwarded untouched, as the contract says, even when parsing a body of
/// its size could never fit the budget (Datadog logs answered `413` when
/// its estimate applied to every body it decoded; the series module does
/// not even decode such bodies). A JSON body of the same size is
/// forwarded unfiltered too, for want of memory to filter it (fail open).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_the_datadog_modules_do_not_parse_reserve_no_working_memory() {
    let sink = Sink::start().await;
    let registry = Arc::new(edge_policy::Registry::new());
    registry.update_source_parsed(
        "test",
        edge_policy::parse::parse_document(
            r#"{"policies":[
                {"id":"l","name":"l","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}},
                {"id":"m","name":"m","metric":{"match":[{"metric_field":"name","exists":true}],"keep":false}}]}"#,
            edge_policy::parse::Format::Json,
        )
        .unwrap(),
    );
    let registrations = vec![
        ModuleRegistration::new(
            Arc::new(edge_modules::DatadogModule::new(registry.clone())),
            Routes::Exact(vec![Route::post("/api/v2/logs")]),
            sink.url(),
        ),
        ModuleRegistration::new(
            Arc::new(edge_modules::DatadogMetricsModule::new(registry)),
            Routes::Exact(vec![Route::post("/api/v2/series")]),
            sink.url(),
        ),
    ];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_inflight_bytes: 4 * MIB,
        ..ServerSettings::default()
    };
    let server = Server::start(settings, registrations).await;
    let addr = server.addr;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    // Parsing 1.5 MiB would take 5.25 (logs) or 2 (series) times that on
    // top of the body held: more than the 4 MiB.
    let mut plain = vec![b'x'; 3 * MIB / 2];
    plain[0] = b'{';
    let wire = gzip(&plain);
    let mut expected = 0;
    for path in ["/api/v2/logs", "/api/v2/series"] {
        for (body, encoding) in [(&plain, "identity"), (&wire, "gzip")] {
            let resp = client
                .post(format!("http://{addr}{path}"))
                .header("content-type", "text/plain")
                .header("content-encoding", encoding)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 202, "{path} {encoding}");
            expected += 1;
            let received = sink.requests();
            assert_eq!(received.len(), expected);
            assert_eq!(&received[expected - 1].body[..], &body[..], "untouched");
        }
    }
    let resp = client
        .post(format!("http://{addr}/api/v2/logs"))
        .header("content-type", "application/json")
        .body(plain.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let received = sink.requests();
    assert_eq!(received.len(), expected + 1);
    assert_eq!(&received[expected].body[..], &plain[..], "untouched");
    assert_eq!(inflight(&client, addr).await, 0.0);

    server.stop().await;
}

/// A module that reserves working memory and then panics.
struct Panics;

impl ProxyModule for Panics {
    fn name(&self) -> &str {
        "panics"
    }
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        true
    }
    fn working_memory(&self, _req: &RequestParts<'_>, decoded_len: usize) -> usize {
        decoded_len * 4
    }
    fn on_request(&self, _req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        panic!("module bug on a {} byte body", body.len());
    }
}

/// A module that panics after its working memory was reserved fails open
/// (the body is forwarded untouched) and gives the whole reservation back,
/// whether it ran on the connection's thread (a small identity body) or on
/// the blocking pool (compressed or large bodies).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_panic_gives_its_processing_reservation_back() {
    let sink = Sink::start().await;
    let registrations = vec![ModuleRegistration::new(
        Arc::new(Panics),
        Routes::Exact(vec![Route::post("/panics")]),
        sink.url(),
    )];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_inflight_bytes: 10 * MIB,
        ..ServerSettings::default()
    };
    let server = Server::start(settings, registrations).await;
    let addr = server.addr;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let small = b"[{\"message\":\"a\"}]".to_vec();
    let large: Vec<u8> = (0..DECODED).map(|i| b"abcdefgh"[i % 8]).collect();
    let bodies = [
        (small.clone(), "identity"),
        (large.clone(), "identity"),
        (gzip(&large), "gzip"),
    ];
    for (i, (body, encoding)) in bodies.iter().enumerate() {
        let resp = client
            .post(format!("http://{addr}/panics"))
            .header("content-encoding", *encoding)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202, "{encoding}");
        assert_eq!(&sink.requests()[i].body[..], &body[..], "untouched");
        let mut last = f64::NAN;
        for _ in 0..200 {
            last = inflight(&client, addr).await;
            if last == 0.0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(last, 0.0, "{encoding}");
    }

    server.stop().await;
}
