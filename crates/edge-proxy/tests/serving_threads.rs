//! Connections are served thread per core: each accepted connection is
//! handed to one of `ServerSettings::workers` serving threads (not the
//! caller's runtime) and stays there for all its requests; connections are
//! spread over the threads; large bodies still go to the caller's blocking
//! pool.

mod common;

use std::sync::Arc;

use edge_modules::{
    ModuleRegistration, ModuleResponse, ProxyModule, RequestAction, RequestParts, Route, Routes,
};
use edge_proxy::ServerSettings;
use http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::Server;

/// Answers every request with the name and id of the thread that ran it.
struct WhereAmI;

impl ProxyModule for WhereAmI {
    fn name(&self) -> &str {
        "where_am_i"
    }
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        true
    }
    fn on_request(&self, _req: &RequestParts<'_>, _body: &[u8]) -> RequestAction {
        let t = std::thread::current();
        let answer = format!("{}|{:?}", t.name().unwrap_or(""), t.id());
        RequestAction::Respond(ModuleResponse::json(StatusCode::OK, answer))
    }
}

/// Sends one request with a `len`-byte body on `conn` and returns the
/// response body (the connection stays open).
async fn ask(conn: &mut TcpStream, len: usize) -> String {
    let head = format!("POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: {len}\r\n\r\n");
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&vec![b'a'; len]).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = conn.read(&mut buf).await.unwrap();
        assert!(n > 0, "connection closed early");
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            continue;
        };
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().unwrap())
            })
            .expect("content-length");
        if body.len() >= length {
            return body[..length].to_owned();
        }
    }
}

/// Starts a server with the [`WhereAmI`] module on `POST /in`.
async fn start(settings: ServerSettings) -> Server {
    let registrations = vec![ModuleRegistration::new(
        Arc::new(WhereAmI),
        Routes::Exact(vec![Route::post("/in")]),
        "http://127.0.0.1:9".to_owned(),
    )];
    Server::start(settings, registrations).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_spread_over_serving_threads_and_stay_on_theirs() {
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        workers: 2,
        ..ServerSettings::default()
    };
    let server = start(settings).await;
    let addr = server.addr;

    let mut first = TcpStream::connect(addr).await.unwrap();
    let a = ask(&mut first, 10).await;
    // The first connection is open (and counted) before the second one is
    // accepted, so the second goes to the other thread.
    let mut second = TcpStream::connect(addr).await.unwrap();
    let b = ask(&mut second, 10).await;
    assert!(a.starts_with("edge-worker|"), "{a}");
    assert!(b.starts_with("edge-worker|"), "{b}");
    assert_ne!(a, b, "two open connections share a serving thread");
    for _ in 0..5 {
        assert_eq!(ask(&mut first, 10).await, a);
        assert_eq!(ask(&mut second, 10).await, b);
    }
    // A body above the inline limit is evaluated on the blocking pool of
    // the runtime the server was started on, not on the serving thread.
    let large = ask(&mut first, 64 * 1024).await;
    assert!(!large.starts_with("edge-worker|"), "{large}");
    assert_eq!(ask(&mut first, 10).await, a);

    drop((first, second));
    server.stop().await;
}

/// Shutdown with requests stuck on every serving thread: the threads' grace
/// periods run together, so the server stops after one grace period, not
/// one per busy thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serving_threads_share_one_grace_period() {
    let grace = std::time::Duration::from_millis(1500);
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        workers: 3,
        shutdown_grace_period: grace,
        body_read_timeout: std::time::Duration::from_secs(60),
        ..ServerSettings::default()
    };
    let server = start(settings).await;
    let addr = server.addr;

    // One connection per thread, each in the middle of a request whose body
    // never completes; each is open before the next is accepted, so they
    // land on three different threads.
    let mut stuck = Vec::new();
    for _ in 0..3 {
        let mut conn = TcpStream::connect(addr).await.unwrap();
        ask(&mut conn, 10).await;
        conn.write_all(b"POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc")
            .await
            .unwrap();
        stuck.push(conn);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;

    let started = std::time::Instant::now();
    server.stop().await;
    let took = started.elapsed();
    // Sequential drains would take three grace periods (4.5 s).
    assert!(took >= grace, "stopped before the grace period: {took:?}");
    assert!(
        took < grace * 2,
        "the grace periods of the serving threads added up: {took:?}"
    );
    drop(stuck);
}
