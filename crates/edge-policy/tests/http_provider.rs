//! HTTP policy provider and sync client tests. Every server here listens on
//! 127.0.0.1 and stops when the test ends: a small in-process policy server
//! (scriptable failures, JSON and protobuf), and the conformance harness's
//! `policy-server` when `/work/shared/conformance/harness.py` exists.

use edge_policy::eval::{EvalOptions, Signal};
use edge_policy::http_provider::backoff;
use edge_policy::parse::parse_policy;
use edge_policy::sync::{
    decode_response, request_to_json, ClientIdentity, Encoding, SyncClient, SyncConfig,
    SyncErrorKind,
};
use edge_policy::{HttpProvider, HttpProviderHandle, Registry};
use edge_proto::policy::v1 as pb;
use edge_proto::prost::Message as _;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// A scriptable policy server.

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    /// Answer with the current policies.
    Serve,
    /// Answer with this status and a small body; the report is not counted.
    Status(u16),
    /// Answer 200 with a body that is not a SyncResponse.
    Garbage,
    /// Answer 200 with `errorMessage` set; the report is not counted.
    ErrorMessage,
    /// Wait this long before answering (the client should time out first).
    Hang(Duration),
    /// Answer 200 with this many bytes of JSON whitespace, with a
    /// `Content-Length` or (`framed: false`) ended by closing.
    Huge { bytes: usize, framed: bool },
}

#[derive(Debug, Clone)]
struct Seen {
    content_type: String,
    headers: Vec<(String, String)>,
    body: Value,
}

struct State {
    mode: Mode,
    policies: Value,
    hash: String,
    interval: u32,
    requests: Vec<Seen>,
    hits: BTreeMap<String, i64>,
    misses: BTreeMap<String, i64>,
    errors: BTreeMap<String, Vec<String>>,
}

struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    fn start(policies: Value, hash: &str) -> TestServer {
        TestServer::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), policies, hash)
    }

    fn start_on(listener: TcpListener, policies: Value, hash: &str) -> TestServer {
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let state = Arc::new(Mutex::new(State {
            mode: Mode::Serve,
            policies,
            hash: hash.into(),
            interval: 0,
            requests: Vec::new(),
            hits: BTreeMap::new(),
            misses: BTreeMap::new(),
            errors: BTreeMap::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Stops by itself after a minute even if the test forgets it.
            let deadline = Instant::now() + Duration::from_secs(60);
            while !sp.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => handle(stream, &st, &sp),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        TestServer {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}/v1/policy/sync", self.addr)
    }

    fn set_mode(&self, m: Mode) {
        self.state.lock().unwrap().mode = m;
    }

    fn set_policies(&self, p: Value, hash: &str) {
        let mut s = self.state.lock().unwrap();
        s.policies = p;
        s.hash = hash.into();
    }

    fn set_interval(&self, secs: u32) {
        self.state.lock().unwrap().interval = secs;
    }

    fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().requests.clone()
    }

    fn request_count(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }

    fn hits(&self, id: &str) -> i64 {
        self.state
            .lock()
            .unwrap()
            .hits
            .get(id)
            .copied()
            .unwrap_or(0)
    }

    fn misses(&self, id: &str) -> i64 {
        self.state
            .lock()
            .unwrap()
            .misses
            .get(id)
            .copied()
            .unwrap_or(0)
    }

    fn errors(&self, id: &str) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .errors
            .get(id)
            .cloned()
            .unwrap_or_default()
    }

    fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn int_of(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::String(s)) => s.parse().unwrap(),
        Some(Value::Number(n)) => n.as_i64().unwrap(),
        _ => 0,
    }
}

fn handle(mut stream: TcpStream, state: &Mutex<State>, stop: &AtomicBool) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_owned());
            if k == "content-length" {
                len = v.parse().unwrap();
            }
            headers.push((k, v));
        }
    }
    let mut body = vec![0u8; len];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let protobuf = content_type.contains("protobuf");
    let request: Value = if protobuf {
        let r = pb::SyncRequest::decode(body.as_slice()).unwrap();
        json!({
            "fullSync": r.full_sync,
            "lastSuccessfulHash": r.last_successful_hash,
            "policyStatuses": r.policy_statuses.iter().map(|s| json!({
                "id": s.id, "matchHits": s.match_hits, "matchMisses": s.match_misses, "errors": s.errors,
            })).collect::<Vec<_>>(),
        })
    } else {
        serde_json::from_slice(&body).unwrap()
    };
    let mode = {
        let mut s = state.lock().unwrap();
        s.requests.push(Seen {
            content_type: content_type.clone(),
            headers,
            body: request.clone(),
        });
        s.mode.clone()
    };
    if let Mode::Huge { bytes, framed } = mode {
        let length = if framed {
            format!("Content-Length: {bytes}\r\n")
        } else {
            String::new()
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes());
        let chunk = vec![b' '; 64 * 1024];
        let mut left = bytes;
        while left > 0 && !stop.load(Ordering::SeqCst) {
            let n = left.min(chunk.len());
            // The client stops reading at its limit: a failed write ends it.
            if stream.write_all(&chunk[..n]).is_err() {
                return;
            }
            left -= n;
        }
        return;
    }
    let (status, ctype, payload): (u16, &str, Vec<u8>) = match mode {
        Mode::Serve => {
            let mut s = state.lock().unwrap();
            for st in request["policyStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                let id = st["id"].as_str().unwrap().to_owned();
                *s.hits.entry(id.clone()).or_default() += int_of(st.get("matchHits"));
                *s.misses.entry(id.clone()).or_default() += int_of(st.get("matchMisses"));
                for e in st["errors"].as_array().cloned().unwrap_or_default() {
                    let e = e.as_str().unwrap().to_owned();
                    let list = s.errors.entry(id.clone()).or_default();
                    if !list.contains(&e) {
                        list.push(e);
                    }
                }
            }
            if protobuf {
                let resp = pb::SyncResponse {
                    policies: s
                        .policies
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| parse_policy(p).unwrap())
                        .collect(),
                    hash: s.hash.clone(),
                    sync_timestamp_unix_nano: 1_700_000_000_000_000_000,
                    recommended_sync_interval_seconds: s.interval,
                    sync_type: 1,
                    error_message: String::new(),
                    extension_configs: Vec::new(),
                };
                (200, "application/x-protobuf", resp.encode_to_vec())
            } else {
                let mut resp = json!({
                    "policies": s.policies,
                    "hash": s.hash,
                    "syncTimestampUnixNano": "1700000000000000000",
                    "syncType": 1,
                });
                if s.interval > 0 {
                    resp["recommendedSyncIntervalSeconds"] = json!(s.interval);
                }
                (200, "application/json", serde_json::to_vec(&resp).unwrap())
            }
        }
        Mode::Status(code) => (code, "text/plain", b"backend unavailable".to_vec()),
        Mode::Garbage => (
            200,
            "application/json",
            b"<html>not a sync response</html>".to_vec(),
        ),
        Mode::ErrorMessage => (
            200,
            "application/json",
            br#"{"errorMessage":"database is down"}"#.to_vec(),
        ),
        Mode::Huge { .. } => unreachable!("answered above"),
        Mode::Hang(d) => {
            let end = Instant::now() + d;
            while Instant::now() < end && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
            (200, "application/json", b"{}".to_vec())
        }
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&payload);
    let _ = stream.flush();
}

// ---------------------------------------------------------------------------
// Helpers.

fn policies_a() -> Value {
    json!([
        {"id": "drop-debug", "name": "drop debug",
         "log": {"match": [{"log_field": "severity_text", "exact": "DEBUG"}], "keep": "none"}},
        {"id": "keep-errors", "name": "keep errors",
         "log": {"match": [{"log_field": "severity_text", "exact": "ERROR"}], "keep": "all"}}
    ])
}

fn policies_b() -> Value {
    json!([
        {"id": "drop-info", "name": "drop info",
         "log": {"match": [{"logField": "LOG_FIELD_SEVERITY_TEXT", "exact": "INFO"}], "keep": "none"}}
    ])
}

fn logs(severities: &[&str]) -> Value {
    let records: Vec<Value> = severities
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"severityText": s, "body": {"stringValue": format!("record {i}")}}))
        .collect();
    json!({"resourceLogs": [{"resource": {"attributes": []}, "scopeLogs": [{"logRecords": records}]}]})
}

/// Run a log batch through the registry's current snapshot; returns how many
/// records survived.
fn send(registry: &Registry, severities: &[&str]) -> usize {
    let mut doc = logs(severities);
    edge_policy::otlp_json::process_logs(&registry.snapshot(), &mut doc);
    doc["resourceLogs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["scopeLogs"].as_array().unwrap().iter())
        .map(|s| s["logRecords"].as_array().unwrap().len())
        .sum()
}

fn ids(registry: &Registry) -> Vec<String> {
    registry
        .policy_statuses()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn fast(p: HttpProvider) -> HttpProvider {
    p.with_interval(Duration::from_millis(150))
        .with_min_backoff(Duration::from_millis(20))
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(1))
}

fn start(server_url: &str) -> (Arc<Registry>, HttpProviderHandle) {
    let registry = Arc::new(Registry::new());
    let handle = fast(HttpProvider::new("central", server_url))
        .spawn(registry.clone())
        .unwrap();
    (registry, handle)
}

fn free_port_listener() -> (u16, TcpListener) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    (l.local_addr().unwrap().port(), l)
}

// ---------------------------------------------------------------------------
// Provider behaviour.

#[test]
fn policies_are_picked_up_and_hits_match_traffic() {
    let server = TestServer::start(policies_a(), "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || {
        ids(&registry) == ["drop-debug", "keep-errors"]
    });

    assert_eq!(
        send(&registry, &["DEBUG", "INFO", "DEBUG", "ERROR", "DEBUG"]),
        2
    );
    wait_until("hits reported", || server.hits("drop-debug") == 3);
    assert_eq!(server.hits("keep-errors"), 1);
    // Reported counters are gone locally, and later syncs do not resend them.
    wait_until("local counters reset", || {
        registry
            .policy_statuses()
            .iter()
            .all(|s| s.match_hits == 0 && s.match_misses == 0)
    });
    let n = server.request_count();
    wait_until("two more syncs", || server.request_count() >= n + 2);
    assert_eq!(server.hits("drop-debug"), 3);
    assert_eq!(server.hits("keep-errors"), 1);

    // The first request is a full sync without statuses; later ones echo the
    // hash and carry the client identity.
    let reqs = server.requests();
    assert_eq!(reqs[0].body["fullSync"], json!(true));
    assert!(reqs[0].content_type.starts_with("application/json"));
    let last = &reqs.last().unwrap().body;
    assert_eq!(last["lastSuccessfulHash"], json!("h1"));
    assert!(last.get("fullSync").is_none() || last["fullSync"] == json!(false));
    assert_eq!(
        last["lastSyncTimestampUnixNano"],
        json!("1700000000000000000")
    );
    let md = &last["clientMetadata"];
    let stages = md["supportedPolicyStages"].as_array().unwrap();
    assert!(stages.contains(&json!("POLICY_STAGE_LOG_FILTER")));
    assert!(stages.contains(&json!("POLICY_STAGE_TRACE_SAMPLING")));
    let keys: Vec<&str> = md["resourceAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| kv["key"].as_str().unwrap())
        .collect();
    for k in ["service.name", "service.version", "service.instance.id"] {
        assert!(keys.contains(&k), "missing {k} in {keys:?}");
    }
    handle.shutdown();
    server.stop();
}

#[test]
fn failed_reports_are_neither_lost_nor_double_counted() {
    let server = TestServer::start(policies_a(), "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || !ids(&registry).is_empty());
    send(&registry, &["DEBUG", "DEBUG"]);
    wait_until("first report", || server.hits("drop-debug") == 2);

    for mode in [Mode::Status(500), Mode::ErrorMessage, Mode::Garbage] {
        server.set_mode(mode);
        let n = server.request_count();
        send(&registry, &["DEBUG", "INFO"]);
        wait_until("rejected syncs", || server.request_count() >= n + 2);
        assert!(handle.status().consecutive_failures >= 1);
        // Still counted locally, still enforced.
        let st = registry.policy_statuses_for("central");
        assert!(st.iter().any(|s| s.id == "drop-debug" && s.match_hits >= 1));
        assert_eq!(send(&registry, &["DEBUG"]), 0);
    }
    server.set_mode(Mode::Serve);
    // 2 before + 3 modes × 2 DEBUG records.
    wait_until("backlog reported", || server.hits("drop-debug") == 8);
    let n = server.request_count();
    wait_until("more syncs", || server.request_count() >= n + 2);
    assert_eq!(server.hits("drop-debug"), 8);
    assert_eq!(handle.status().consecutive_failures, 0);
    handle.shutdown();
    server.stop();
}

#[test]
fn server_down_at_startup_then_up() {
    let (port, listener) = free_port_listener();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}/v1/policy/sync");
    let registry = Arc::new(Registry::new());
    let t0 = Instant::now();
    let handle = fast(HttpProvider::new("central", &url))
        .spawn(registry.clone())
        .unwrap();
    assert!(
        t0.elapsed() < Duration::from_millis(1500),
        "spawn waited for the server"
    );
    // Fail-open: nothing loaded, everything passes.
    assert!(ids(&registry).is_empty());
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 2);
    wait_until("failed syncs", || handle.status().syncs_failed >= 2);
    let st = handle.status();
    assert!(
        st.last_error.as_deref().unwrap().contains("connect"),
        "{st:?}"
    );

    let server = TestServer::start_on(
        TcpListener::bind(("127.0.0.1", port)).expect("rebind the port"),
        policies_a(),
        "h1",
    );
    wait_until("policies after the server came up", || {
        !ids(&registry).is_empty()
    });
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    handle.shutdown();
    server.stop();
}

#[test]
fn server_going_away_keeps_the_last_good_policies() {
    let server = TestServer::start(policies_a(), "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || !ids(&registry).is_empty());
    server.stop();
    wait_until("failed syncs", || handle.status().consecutive_failures >= 2);
    assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    handle.shutdown();
}

#[test]
fn garbage_and_error_answers_keep_the_last_good_policies() {
    let server = TestServer::start(policies_a(), "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || !ids(&registry).is_empty());
    for (mode, text) in [
        (Mode::Garbage, "invalid sync response"),
        (Mode::Status(503), "HTTP 503"),
        (Mode::ErrorMessage, "database is down"),
    ] {
        server.set_mode(mode);
        wait_until(text, || {
            handle
                .status()
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains(text))
        });
        assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
        assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    }
    handle.shutdown();
    server.stop();
}

#[test]
fn an_oversized_response_is_refused_and_the_last_good_policies_stay() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_millis(100))
        .with_min_backoff(Duration::from_millis(20))
        .with_max_response_bytes(1 << 20)
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    // Announced by its length (refused unread), then unframed (refused at
    // the limit while reading): 64 MiB either way, never held.
    for framed in [true, false] {
        let before = handle.status().syncs_failed;
        server.set_mode(Mode::Huge {
            bytes: 64 << 20,
            framed,
        });
        wait_until("refused", || {
            let st = handle.status();
            st.syncs_failed > before
                && st
                    .last_error
                    .as_deref()
                    .is_some_and(|e| e.contains("larger than 1048576 bytes"))
        });
        assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
        assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    }
    server.set_mode(Mode::Serve);
    wait_until("recovered", || handle.status().consecutive_failures == 0);
    handle.shutdown();
    server.stop();
}

#[test]
fn the_largest_response_limit_still_reads_responses() {
    // `usize::MAX + 1` bytes to read would overflow: the answer must still
    // be read whole, not taken as empty.
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_millis(100))
        .with_max_response_bytes(usize::MAX)
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
    handle.shutdown();
    server.stop();
}

#[test]
fn hanging_server_times_out_and_recovers() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_millis(100))
        .with_min_backoff(Duration::from_millis(20))
        .with_timeouts(Duration::from_millis(300), Duration::from_millis(300))
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    server.set_mode(Mode::Hang(Duration::from_millis(1500)));
    wait_until("timeout", || {
        handle
            .status()
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("timed out"))
    });
    assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
    server.set_mode(Mode::Serve);
    wait_until("recovery", || handle.status().consecutive_failures == 0);
    handle.shutdown();
    server.stop();
}

#[test]
fn changed_policies_switch_and_same_hash_changes_nothing() {
    let server = TestServer::start(policies_a(), "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || !ids(&registry).is_empty());
    let snap = registry.snapshot();
    let n = server.request_count();
    wait_until("more syncs", || server.request_count() >= n + 2);
    assert!(
        Arc::ptr_eq(&snap, &registry.snapshot()),
        "an unchanged hash rebuilt the snapshot"
    );

    server.set_policies(policies_b(), "h2");
    wait_until("switch", || ids(&registry) == ["drop-info"]);
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    // The status is set just after the registry is updated.
    wait_until("status", || {
        let st = handle.status();
        st.hash.as_deref() == Some("h2") && st.policies == 1
    });

    server.set_policies(json!([]), "h3");
    wait_until("empty set", || ids(&registry).is_empty());
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 2);
    handle.shutdown();
    server.stop();
}

#[test]
fn protobuf_encoding() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = fast(HttpProvider::new("central", server.url()))
        .with_encoding(Encoding::Protobuf)
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || {
        ids(&registry) == ["drop-debug", "keep-errors"]
    });
    send(&registry, &["DEBUG", "DEBUG", "ERROR"]);
    wait_until("hits reported", || server.hits("drop-debug") == 2);
    assert_eq!(server.hits("keep-errors"), 1);
    let reqs = server.requests();
    assert!(reqs
        .iter()
        .all(|r| r.content_type == "application/x-protobuf"));
    assert!(reqs.iter().all(|r| r
        .headers
        .iter()
        .any(|(k, v)| k == "accept" && v == "application/x-protobuf")));
    assert_eq!(reqs.last().unwrap().body["lastSuccessfulHash"], json!("h1"));
    handle.shutdown();
    server.stop();
}

#[test]
fn configured_headers_are_sent_and_never_shown() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let provider = fast(HttpProvider::new("central", server.url()))
        .with_headers([("X-Api-Key".to_owned(), "s3cr3t-value".to_owned())]);
    assert!(!format!("{provider:?}").contains("s3cr3t-value"));
    let handle = provider.spawn(registry.clone()).unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    let reqs = server.requests();
    assert!(reqs[0]
        .headers
        .iter()
        .any(|(k, v)| k == "x-api-key" && v == "s3cr3t-value"));
    server.set_mode(Mode::Status(401));
    wait_until("401", || handle.status().last_error.is_some());
    assert!(!handle.status().last_error.unwrap().contains("s3cr3t-value"));
    handle.shutdown();
    server.stop();

    // An invalid header value is rejected without echoing it.
    let err = HttpProvider::new("x", "http://127.0.0.1:1/v1/policy/sync")
        .with_headers([("x-api-key".to_owned(), "bad\nvalue".to_owned())])
        .spawn(Arc::new(Registry::new()))
        .unwrap_err();
    assert!(err.to_string().contains("x-api-key") && !err.to_string().contains("bad\nvalue"));
}

#[test]
fn interval_is_honoured() {
    // Configured interval, no recommendation.
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_millis(200))
        .spawn(registry.clone())
        .unwrap();
    wait_until("first sync", || server.request_count() >= 1);
    let n0 = server.request_count();
    std::thread::sleep(Duration::from_millis(1100));
    let n = server.request_count() - n0;
    assert!(
        (3..=7).contains(&n),
        "{n} syncs in 1.1 s at a 200 ms interval"
    );
    handle.shutdown();
    server.stop();

    // The server's recommendation (1 s) wins over the configured 50 ms.
    let server = TestServer::start(policies_a(), "h1");
    server.set_interval(1);
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_millis(50))
        .spawn(registry.clone())
        .unwrap();
    wait_until("first sync", || server.request_count() >= 1);
    std::thread::sleep(Duration::from_millis(1500));
    let n = server.request_count();
    assert!(
        (2..=3).contains(&n),
        "{n} syncs in 1.5 s with a 1 s recommendation"
    );
    handle.shutdown();
    server.stop();
}

#[test]
fn compile_errors_are_reported_and_the_valid_policy_works() {
    let policies = json!([
        {"id": "bad-regex", "log": {"match": [{"log_field": "body", "regex": "([bad"}], "keep": "none"}},
        {"id": "drop-debug", "log": {"match": [{"log_field": "severity_text", "exact": "DEBUG"}], "keep": "none"}}
    ]);
    let server = TestServer::start(policies, "h1");
    let (registry, handle) = start(&server.url());
    wait_until("policies", || ids(&registry).len() == 2);
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    wait_until("errors reported", || !server.errors("bad-regex").is_empty());
    let errs = server.errors("bad-regex");
    assert!(
        errs[0].starts_with("log: match[0]: invalid regex \"([bad\""),
        "{errs:?}"
    );
    wait_until("hits", || server.hits("drop-debug") == 1);
    assert_eq!(server.hits("bad-regex"), 0);
    handle.shutdown();
    server.stop();
}

#[test]
fn final_report_at_shutdown() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_secs(60))
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    send(&registry, &["DEBUG", "INFO", "DEBUG"]);
    assert_eq!(server.hits("drop-debug"), 0);
    handle.shutdown();
    assert_eq!(server.hits("drop-debug"), 2);
    assert_eq!(server.misses("drop-debug"), 0);
    assert_eq!(server.request_count(), 2);
    server.stop();
}

#[test]
fn sync_now_triggers_an_immediate_sync() {
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = HttpProvider::new("central", server.url())
        .with_interval(Duration::from_secs(60))
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    server.set_policies(policies_b(), "h2");
    handle.sync_now();
    wait_until("switch", || ids(&registry) == ["drop-info"]);
    handle.shutdown();
    server.stop();
}

#[test]
fn cache_keeps_the_last_good_set_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("central.cache");
    let server = TestServer::start(policies_a(), "h1");
    let registry = Arc::new(Registry::new());
    let handle = fast(HttpProvider::new("central", server.url()))
        .with_cache_file(&cache)
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || !ids(&registry).is_empty());
    wait_until("cache written", || cache.exists());
    handle.shutdown();
    server.stop();

    // "Restart" with the server down: the cached set is active at once.
    let (port, l) = free_port_listener();
    drop(l);
    let registry = Arc::new(Registry::new());
    let handle = fast(HttpProvider::new(
        "central",
        format!("http://127.0.0.1:{port}/v1/policy/sync"),
    ))
    .with_cache_file(&cache)
    .spawn(registry.clone())
    .unwrap();
    assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    wait_until("a failed sync", || handle.status().syncs_failed >= 1);
    assert_eq!(ids(&registry), ["drop-debug", "keep-errors"]);
    handle.shutdown();
}

#[test]
fn two_providers_share_one_registry() {
    let a = TestServer::start(policies_a(), "a1");
    let b = TestServer::start(policies_b(), "b1");
    let registry = Arc::new(Registry::new());
    let ha = fast(HttpProvider::new("a", a.url()))
        .spawn(registry.clone())
        .unwrap();
    let hb = fast(HttpProvider::new("b", b.url()))
        .spawn(registry.clone())
        .unwrap();
    wait_until("both sets", || ids(&registry).len() == 3);
    assert_eq!(send(&registry, &["DEBUG", "INFO", "WARN"]), 1);
    wait_until("hits per provider", || {
        a.hits("drop-debug") == 1 && b.hits("drop-info") == 1
    });
    assert_eq!(a.hits("drop-info"), 0);
    assert_eq!(b.hits("drop-debug"), 0);
    // One provider's update replaces only its own policies.
    b.set_policies(json!([]), "b2");
    wait_until("b emptied", || {
        ids(&registry) == ["drop-debug", "keep-errors"]
    });
    ha.shutdown();
    hb.shutdown();
    a.stop();
    b.stop();
}

// ---------------------------------------------------------------------------
// Sync client pieces.

#[test]
fn request_json_is_proto_json() {
    let registry = Registry::new();
    registry.update_source("s", vec![parse_policy(&policies_a()[0]).unwrap()]);
    send(&registry, &["DEBUG"]);
    let identity = ClientIdentity {
        service_name: "edge-test".into(),
        service_namespace: Some("ns".into()),
        instance_id: "i-1".into(),
        labels: vec![("env".into(), "test".into())],
        ..ClientIdentity::default()
    };
    let client = SyncClient::new(&SyncConfig {
        identity,
        ..SyncConfig::new("http://127.0.0.1:9/")
    })
    .unwrap();
    let req = client.build_request(&registry.policy_statuses_for("s"));
    let v = request_to_json(&req);
    assert_eq!(v["fullSync"], json!(true));
    assert_eq!(
        v["policyStatuses"][0],
        json!({"id": "drop-debug", "matchHits": "1"})
    );
    assert_eq!(
        v["clientMetadata"]["labels"][0],
        json!({"key": "env", "value": {"stringValue": "test"}})
    );
    let attrs = &v["clientMetadata"]["resourceAttributes"];
    assert_eq!(
        attrs[0],
        json!({"key": "service.name", "value": {"stringValue": "edge-test"}})
    );
    assert_eq!(attrs[1]["key"], json!("service.namespace"));
    assert!(attrs
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["key"] == "service.instance.id" && a["value"]["stringValue"] == "i-1"));
}

#[test]
fn decode_accepts_canonical_and_loose_json_and_protobuf() {
    let body = json!({
        "policies": [{"id": "p", "name": "p", "enabled": true, "log": {
            "match": [{"logField": 2, "exact": "DEBUG"}], "keep": "none"}}],
        "hash": "abc",
        "syncTimestampUnixNano": "123",
        "recommendedSyncIntervalSeconds": "30",
        "syncType": "SYNC_TYPE_FULL"
    });
    let r = decode_response(
        body.to_string().as_bytes(),
        Some("application/json"),
        Encoding::Json,
    )
    .unwrap();
    assert_eq!(r.policies.policies.len(), 1);
    assert_eq!(
        (
            r.hash.as_str(),
            r.sync_timestamp_unix_nano,
            r.recommended_sync_interval_seconds
        ),
        ("abc", 123, 30)
    );
    // `{}` is an empty set, not garbage; a bad entry is kept as an error.
    let r = decode_response(b"{}", None, Encoding::Json).unwrap();
    assert!(r.policies.policies.is_empty());
    let r = decode_response(
        br#"{"policies":[{"id":"x","log":42}]}"#,
        None,
        Encoding::Json,
    )
    .unwrap();
    assert_eq!(r.policies.errors.len(), 1);
    for garbage in [
        &b"<html>"[..],
        b"[1,2]",
        br#"{"policies": 3}"#,
        br#"{"hash": 5}"#,
    ] {
        let e = decode_response(garbage, None, Encoding::Json).unwrap_err();
        assert_eq!(e.kind(), SyncErrorKind::Decode, "{e}");
    }
    // The response content type wins over the requested encoding.
    let pbr = pb::SyncResponse {
        hash: "h".into(),
        ..Default::default()
    };
    let r = decode_response(
        &pbr.encode_to_vec(),
        Some("application/x-protobuf"),
        Encoding::Json,
    )
    .unwrap();
    assert_eq!(r.hash, "h");
    assert_eq!(r.encoding, Encoding::Protobuf);
}

#[test]
fn backoff_grows_with_jitter_and_is_capped() {
    let min = Duration::from_millis(100);
    let max = Duration::from_secs(2);
    for f in 1..12u32 {
        let full = (min * 2u32.pow(f - 1)).min(max);
        for _ in 0..50 {
            let d = backoff(f, min, max);
            assert!(d >= full / 2 && d <= full, "failure {f}: {d:?}");
        }
    }
    let samples: std::collections::HashSet<Duration> =
        (0..20).map(|_| backoff(5, min, max)).collect();
    assert!(samples.len() > 1, "no jitter");
}

#[test]
fn sync_errors_are_typed() {
    let (port, l) = free_port_listener();
    drop(l);
    let mut c = SyncClient::new(&SyncConfig::new(format!(
        "http://127.0.0.1:{port}/v1/policy/sync"
    )))
    .unwrap();
    let r = Registry::new();
    assert_eq!(
        c.sync(&r, "s", true).unwrap_err().kind(),
        SyncErrorKind::Connect
    );
    let e = SyncClient::new(&SyncConfig::new("ftp://user:pw@127.0.0.1/x")).unwrap_err();
    assert_eq!(e.kind(), SyncErrorKind::Config);
    assert!(!e.to_string().contains("pw"));
    let server = TestServer::start(policies_a(), "h1");
    server.set_mode(Mode::Status(404));
    let mut c = SyncClient::new(&SyncConfig::new(server.url())).unwrap();
    assert_eq!(
        c.sync(&r, "s", true).unwrap_err().kind(),
        SyncErrorKind::Status(404)
    );
    server.stop();
}

// ---------------------------------------------------------------------------
// Runner `--server` mode.

#[test]
fn runner_server_mode_reports_this_runs_counters() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    let output = dir.path().join("out.json");
    std::fs::write(
        &input,
        logs(&["DEBUG", "INFO", "ERROR", "DEBUG"]).to_string(),
    )
    .unwrap();
    let stats = dir.path().join("stats.json");
    let server = TestServer::start(policies_a(), "h1");
    let opts = EvalOptions {
        policies: None,
        server: Some(server.url()),
        input: input.clone(),
        output: output.clone(),
        stats: Some(stats.clone()),
        signal: Some(Signal::Log),
    };
    let report = edge_policy::eval::run(opts.clone()).unwrap();
    assert_eq!(report.summary.dropped, 2);
    // The stats file is written in server mode too.
    let stats: Value = serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap();
    let hits = |id: &str| {
        stats["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["policy_id"] == id)
            .map(|p| p["hits"].clone())
    };
    assert_eq!(hits("drop-debug"), Some(Value::from(2)), "{stats}");
    assert_eq!(hits("keep-errors"), Some(Value::from(1)), "{stats}");
    let out: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(
        out["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.hits("drop-debug"), 2);
    assert_eq!(server.hits("keep-errors"), 1);
    server.stop();

    // No server: a non-zero exit (an error), not a silent pass-through.
    let (port, l) = free_port_listener();
    drop(l);
    let opts = EvalOptions {
        server: Some(format!("http://127.0.0.1:{port}/v1/policy/sync")),
        ..opts
    };
    assert!(edge_policy::eval::run(opts).is_err());
}

// ---------------------------------------------------------------------------
// Against the conformance harness's policy server, when available.

struct HarnessServer {
    child: std::process::Child,
    port: u16,
}

impl HarnessServer {
    fn start(policies: &std::path::Path) -> Option<HarnessServer> {
        let harness = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/harness.py");
        if !harness.is_file() {
            eprintln!("skipping: {} not found", harness.display());
            return None;
        }
        let mut child = match std::process::Command::new("python3")
            .arg(&harness)
            .args([
                "policy-server",
                "--port",
                "0",
                "--interval",
                "1",
                "--policies",
            ])
            .arg(policies)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("skipping: cannot run python3: {e}");
                return None;
            }
        };
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).ok()? > 0 {
            if let Some(p) = line.trim().strip_prefix("HTTP_PORT=") {
                let port = p.parse().ok()?;
                return Some(HarnessServer { child, port });
            }
            line.clear();
        }
        let _ = child.kill();
        None
    }

    fn get(&self, path: &str) -> Value {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        serde_json::from_str(body).unwrap_or(Value::Null)
    }

    fn hits(&self, id: &str) -> i64 {
        let stats = self.get("/stats");
        stats["policies"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["policy_id"] == id)
            .map(|p| p["hits"].as_i64().unwrap())
            .unwrap_or(0)
    }
}

impl Drop for HarnessServer {
    fn drop(&mut self) {
        let _ = TcpStream::connect(("127.0.0.1", self.port)).and_then(|mut s| {
            write!(s, "GET /shutdown HTTP/1.0\r\n\r\n")?;
            let mut sink = String::new();
            s.read_to_string(&mut sink).map(|_| ())
        });
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn harness_policy_server_round_trip_and_file_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policies.json");
    std::fs::write(&file, json!({"policies": policies_a()}).to_string()).unwrap();
    let Some(server) = HarnessServer::start(&file) else {
        return;
    };
    let url = format!("http://127.0.0.1:{}/v1/policy/sync", server.port);
    let registry = Arc::new(Registry::new());
    let handle = fast(HttpProvider::new("central", url))
        .spawn(registry.clone())
        .unwrap();
    wait_until("policies", || {
        ids(&registry) == ["drop-debug", "keep-errors"]
    });
    assert_eq!(send(&registry, &["DEBUG", "DEBUG", "ERROR", "INFO"]), 2);
    wait_until("hits at /stats", || {
        server.hits("drop-debug") == 2 && server.hits("keep-errors") == 1
    });

    // The server re-reads its file; the provider switches (interval 1 s).
    std::fs::write(&file, json!({"policies": policies_b()}).to_string()).unwrap();
    wait_until("switch", || ids(&registry) == ["drop-info"]);
    assert_eq!(send(&registry, &["DEBUG", "INFO"]), 1);
    handle.shutdown();
    assert_eq!(server.hits("drop-info"), 1);
    assert_eq!(server.hits("drop-debug"), 2);
}
