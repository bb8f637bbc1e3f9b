//! A connection's timers and stop signal wake it through a side waker
//! (`Watch` in server.rs), polled only when they fired: these check that
//! neither is lost after many requests on one connection, nor for idle
//! connections when the server stops.
mod common;
use common::read_head;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use edge_modules::{ModuleRegistration, PassthroughModule, Route, Routes};
use edge_proxy::ServerSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Upstream recording (local port of the proxy's connection, request head).
async fn upstream(
    tag: &'static str,
    delay_ms: u64,
) -> (std::net::SocketAddr, Arc<Mutex<Vec<(u16, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, peer)) = listener.accept().await else {
                return;
            };
            let seen = s2.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    let Some((h, b)) = read_head(&mut s, &mut buf).await else {
                        return;
                    };
                    while buf.len() < h + b {
                        let mut c = [0u8; 4096];
                        match s.read(&mut c).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&c[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..h]).to_string();
                    seen.lock().unwrap().push((peer.port(), head));
                    buf.drain(..h + b);
                    tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                    let body = tag;
                    let _ = s
                        .write_all(format!("HTTP/1.1 200 OK\r\nconnection: x-hop\r\nx-hop: 1\r\nkeep-alive: timeout=5\r\nx-keep: 1\r\ncontent-length: {}\r\n\r\n{body}", body.len()).as_bytes())
                        .await;
                }
            });
        }
    });
    (addr, seen)
}

async fn start(
    regs: Vec<ModuleRegistration>,
    settings: ServerSettings,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..settings
    };
    let server = edge_proxy::ProxyServer::bind(settings, regs, Arc::new(edge_proxy::NoPolicies))
        .await
        .unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let h = tokio::spawn(async move {
        let _ = server
            .run(async {
                let _ = stopped.await;
            })
            .await;
    });
    (addr, stop, h)
}

async fn exchange(c: &mut TcpStream, path: &str) -> String {
    c.write_all(
        format!("POST {path} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nab").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 4096];
        let n = c.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed: {:?}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if buf.len() >= end + 4 + len {
                return String::from_utf8_lossy(&buf).to_string();
            }
        }
    }
}

/// `POST /in` passed through to a fresh upstream answering at once.
async fn passthrough_to_new_upstream() -> Vec<ModuleRegistration> {
    let (up, _) = upstream("a", 0).await;
    vec![ModuleRegistration::new(
        Arc::new(PassthroughModule),
        Routes::Exact(vec![Route::post("/in")]),
        format!("http://{up}"),
    )]
}

fn long() -> ServerSettings {
    ServerSettings {
        workers: 2,
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        shutdown_grace_period: Duration::from_secs(30),
        ..ServerSettings::default()
    }
}

/// Many idle keep-alive connections (after one exchange, and fresh ones)
/// are closed promptly on stop, long before any timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stop_closes_idle_connections_promptly() {
    for round in 0..3 {
        let regs = passthrough_to_new_upstream().await;
        let (addr, stop, server) = start(regs, long()).await;
        let mut conns = Vec::new();
        for i in 0..100 {
            let mut c = TcpStream::connect(addr).await.unwrap();
            if i % 2 == 0 {
                let r = exchange(&mut c, "/in").await;
                assert!(r.starts_with("HTTP/1.1 200"), "{r}");
            }
            conns.push(c);
        }
        tokio::time::sleep(Duration::from_millis(20 * round)).await;
        let t = Instant::now();
        drop(stop);
        for mut c in conns {
            let mut b = [0u8; 64];
            let r = tokio::time::timeout(Duration::from_secs(5), c.read(&mut b)).await;
            assert!(matches!(r, Ok(Ok(0)) | Ok(Err(_))), "not closed: {r:?}");
        }
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("server ended")
            .unwrap();
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }
}

/// Idle timeout still fires after many requests on one connection, and the
/// head timeout for a partial head.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_and_head_timeouts_after_traffic() {
    let regs = passthrough_to_new_upstream().await;
    let s = ServerSettings {
        workers: 2,
        idle_timeout: Duration::from_millis(300),
        header_read_timeout: Duration::from_millis(10_000),
        ..ServerSettings::default()
    };
    let (addr, _stop, _server) = start(regs, s).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    for _ in 0..199 {
        exchange(&mut c, "/in").await;
    }
    // Taken before the last exchange: the server's idle clock starts after
    // it, whenever this task gets to run again.
    let t = Instant::now();
    exchange(&mut c, "/in").await;
    let mut b = [0u8; 64];
    let r = tokio::time::timeout(Duration::from_secs(5), c.read(&mut b)).await;
    assert!(matches!(r, Ok(Ok(0)) | Ok(Err(_))), "{r:?}");
    assert!(
        t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(2),
        "{:?}",
        t.elapsed()
    );

    let regs = passthrough_to_new_upstream().await;
    let s = ServerSettings {
        workers: 2,
        idle_timeout: Duration::from_millis(10_000),
        header_read_timeout: Duration::from_millis(300),
        ..ServerSettings::default()
    };
    let (addr, _stop2, _server2) = start(regs, s).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    for _ in 0..50 {
        exchange(&mut c, "/in").await;
    }
    let t = Instant::now();
    // trickle a head slowly: bytes keep arriving (idle does not fire), head never completes
    let mut closed = false;
    for _ in 0..40 {
        if c.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut b = [0u8; 256];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), c.read(&mut b)).await {
            if n == 0 {
                closed = true;
                break;
            }
        }
    }
    let el = t.elapsed();
    assert!(closed, "head timeout never fired");
    assert!(
        el >= Duration::from_millis(250) && el < Duration::from_secs(1),
        "{el:?}"
    );
}
