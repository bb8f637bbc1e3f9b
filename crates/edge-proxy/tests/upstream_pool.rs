//! The upstream connection pool (one per serving thread): keep-alive reuse,
//! upstream closes (between requests, `Connection: close`), idle timeout,
//! the cap on idle connections, and per-thread isolation. Every request is
//! delivered exactly once.

mod common;
use common::read_head;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use edge_proxy::ServerSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How the upstream answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    KeepAlive,
    /// `Connection: close`, then closes.
    ConnectionClose,
}

/// A raw HTTP/1.1 upstream that records which of its connections carried
/// which request body.
struct Upstream {
    addr: std::net::SocketAddr,
    /// (connection number, body) per request, in arrival order.
    log: Arc<Mutex<Vec<(usize, String)>>>,
    opened: Arc<AtomicUsize>,
    closed: Arc<AtomicUsize>,
    mode: Arc<Mutex<Mode>>,
    delay: Arc<Mutex<Duration>>,
    /// Bumped to make every open connection close.
    kick: watch::Sender<u64>,
}

impl Upstream {
    async fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Upstream {
            addr,
            log: Arc::default(),
            opened: Arc::default(),
            closed: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::KeepAlive)),
            delay: Arc::default(),
            kick: watch::channel(0).0,
        };
        let (log, opened, closed, mode, delay, kick) = (
            up.log.clone(),
            up.opened.clone(),
            up.closed.clone(),
            up.mode.clone(),
            up.delay.clone(),
            up.kick.clone(),
        );
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let id = opened.fetch_add(1, Ordering::SeqCst);
                let (log, closed, mode, delay) =
                    (log.clone(), closed.clone(), mode.clone(), delay.clone());
                let mut kicked = kick.subscribe();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = serve(stream, id, &log, &mode, &delay) => {}
                        _ = kicked.changed() => {}
                    }
                    closed.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        up
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn log(&self) -> Vec<(usize, String)> {
        self.log.lock().unwrap().clone()
    }

    fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }

    fn closed(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }

    /// Closes every open connection and waits until they are closed.
    async fn close_all(&self) {
        let open = self.opened() - self.closed();
        let before = self.closed();
        self.kick.send_modify(|k| *k += 1);
        assert!(eventually(|| self.closed() >= before + open).await);
    }
}

/// Serves requests on one connection until the client closes it (or the
/// mode closes it).
async fn serve(
    mut stream: TcpStream,
    id: usize,
    log: &Mutex<Vec<(usize, String)>>,
    mode: &Mutex<Mode>,
    delay: &Mutex<Duration>,
) {
    let mut buf = Vec::new();
    loop {
        let Some((head_len, body_len)) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        while buf.len() < head_len + body_len {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_len..head_len + body_len]).into_owned();
        buf.drain(..head_len + body_len);
        log.lock().unwrap().push((id, body));
        let wait = *delay.lock().unwrap();
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let mode = *mode.lock().unwrap();
        let close = mode == Mode::ConnectionClose;
        let head = if close {
            "HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
        } else {
            "HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}"
        };
        if stream.write_all(head.as_bytes()).await.is_err() || close {
            return;
        }
    }
}

async fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    let end = tokio::time::Instant::now() + Duration::from_secs(5);
    while tokio::time::Instant::now() < end {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cond()
}

/// A proxy with [`Forward`] on `POST /in` in front of `upstream`.
struct Proxy {
    addr: std::net::SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn proxy(upstream: &Upstream, settings: ServerSettings) -> Proxy {
    let (addr, stop) = common::forwarding_proxy(upstream.url(), settings).await;
    Proxy { addr, _stop: stop }
}

/// Posts `body` on the keep-alive client connection `conn`; the status.
async fn post(conn: &mut TcpStream, body: &str) -> u16 {
    let head = format!(
        "POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 4096];
        let n = conn.read(&mut chunk).await.unwrap();
        assert!(n > 0, "proxy closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        if buf.len() >= end + 4 + len {
            return head[9..12].parse().unwrap();
        }
    }
}

fn settings(workers: usize) -> ServerSettings {
    ServerSettings {
        workers,
        upstream_timeout: Duration::from_secs(3),
        ..ServerSettings::default()
    }
}

/// The bodies the upstream received, in order.
fn bodies(up: &Upstream) -> Vec<String> {
    up.log().into_iter().map(|(_, b)| b).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequential_requests_reuse_one_upstream_connection() {
    let up = Upstream::start().await;
    let proxy = proxy(&up, settings(1)).await;
    let mut conn = TcpStream::connect(proxy.addr).await.unwrap();
    let sent: Vec<String> = (0..20).map(|i| format!("r{i}")).collect();
    for body in &sent {
        assert_eq!(post(&mut conn, body).await, 202);
    }
    assert_eq!(bodies(&up), sent);
    assert_eq!(up.opened(), 1, "{:?}", up.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_the_upstream_closed_between_requests_is_not_used() {
    let up = Upstream::start().await;
    let proxy = proxy(&up, settings(1)).await;
    let mut conn = TcpStream::connect(proxy.addr).await.unwrap();
    let mut sent = Vec::new();
    for i in 0..20 {
        let body = format!("r{i}");
        assert_eq!(post(&mut conn, &body).await, 202, "{body}");
        sent.push(body);
        // Closed while idle in the pool; the next request comes at once.
        up.close_all().await;
    }
    // Each delivered once, in order, each on a fresh connection.
    assert_eq!(bodies(&up), sent);
    assert_eq!(up.opened(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_close_from_the_upstream_is_honoured() {
    let up = Upstream::start().await;
    *up.mode.lock().unwrap() = Mode::ConnectionClose;
    let proxy = proxy(&up, settings(1)).await;
    let mut conn = TcpStream::connect(proxy.addr).await.unwrap();
    let sent: Vec<String> = (0..10).map(|i| format!("r{i}")).collect();
    for body in &sent {
        assert_eq!(post(&mut conn, body).await, 202, "{body}");
    }
    assert_eq!(bodies(&up), sent);
    let ids: Vec<usize> = up.log().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, (0..10).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let up = Upstream::start().await;
    let proxy = proxy(
        &up,
        ServerSettings {
            // Long enough that the check just after the request does not
            // race with it on a loaded machine.
            upstream_pool_idle_timeout: Duration::from_millis(600),
            ..settings(1)
        },
    )
    .await;
    let mut conn = TcpStream::connect(proxy.addr).await.unwrap();
    assert_eq!(post(&mut conn, "a").await, 202);
    assert_eq!(up.closed(), 0);
    // Closed by the proxy without any further request.
    assert!(eventually(|| up.closed() == 1).await);
    assert_eq!(post(&mut conn, "b").await, 202);
    assert_eq!(up.opened(), 2);
    assert_eq!(bodies(&up), ["a", "b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_the_cap_of_idle_connections_is_kept() {
    let up = Upstream::start().await;
    // The five requests overlap as long as none starts this much later
    // than the first.
    *up.delay.lock().unwrap() = Duration::from_millis(800);
    let proxy = proxy(
        &up,
        ServerSettings {
            upstream_pool_max_idle_per_host: 2,
            upstream_pool_idle_timeout: Duration::from_secs(60),
            ..settings(1)
        },
    )
    .await;
    // Five at once: five upstream connections.
    let mut clients = Vec::new();
    for i in 0..5 {
        let addr = proxy.addr;
        clients.push(tokio::spawn(async move {
            let mut conn = TcpStream::connect(addr).await.unwrap();
            let status = post(&mut conn, &format!("c{i}")).await;
            (status, conn)
        }));
    }
    let mut conns = Vec::new();
    for c in clients {
        let (status, conn) = c.await.unwrap();
        assert_eq!(status, 202);
        conns.push(conn);
    }
    assert_eq!(up.opened(), 5);
    // Two stay idle, three are closed.
    assert!(eventually(|| up.closed() == 3).await, "{}", up.closed());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(up.closed(), 3);
    // The two kept are reused.
    *up.delay.lock().unwrap() = Duration::ZERO;
    assert_eq!(post(&mut conns[0], "d").await, 202);
    assert_eq!(post(&mut conns[1], "e").await, 202);
    assert_eq!(up.opened(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_serving_thread_uses_its_own_connections() {
    let up = Upstream::start().await;
    let proxy = proxy(&up, settings(2)).await;
    // Two client connections, on two serving threads (each goes to the
    // thread with the fewest open connections).
    let mut a = TcpStream::connect(proxy.addr).await.unwrap();
    assert_eq!(post(&mut a, "a0").await, 202);
    let mut b = TcpStream::connect(proxy.addr).await.unwrap();
    assert_eq!(post(&mut b, "b0").await, 202);
    for i in 1..5 {
        assert_eq!(post(&mut a, &format!("a{i}")).await, 202);
        assert_eq!(post(&mut b, &format!("b{i}")).await, 202);
    }
    // Strictly one after another, yet one upstream connection per thread,
    // each carrying only its own thread's requests.
    assert_eq!(up.opened(), 2, "{:?}", up.log());
    let log = up.log();
    let conn_of = |prefix: char| -> Vec<usize> {
        let mut ids: Vec<usize> = log
            .iter()
            .filter(|(_, b)| b.starts_with(prefix))
            .map(|(id, _)| *id)
            .collect();
        ids.dedup();
        ids
    };
    let (ca, cb) = (conn_of('a'), conn_of('b'));
    assert_eq!(ca.len(), 1, "{log:?}");
    assert_eq!(cb.len(), 1, "{log:?}");
    assert_ne!(ca, cb);
}

/// Holds the serving thread inside the module while the body is `hold`:
/// says so on `held`, and returns once `go` says so.
struct Holding {
    held: Mutex<std::sync::mpsc::Sender<()>>,
    go: Mutex<std::sync::mpsc::Receiver<()>>,
}

impl edge_modules::ProxyModule for Holding {
    fn name(&self) -> &str {
        "holding"
    }

    fn inspects_request_body(&self, _req: &edge_modules::RequestParts<'_>) -> bool {
        true
    }

    fn on_request(
        &self,
        _req: &edge_modules::RequestParts<'_>,
        body: &[u8],
    ) -> edge_modules::RequestAction {
        if body == b"hold" {
            self.held.lock().unwrap().send(()).unwrap();
            let go = self.go.lock().unwrap();
            go.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        edge_modules::RequestAction::ForwardOriginal
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_connection_closed_while_the_serving_thread_was_busy_is_not_written_to() {
    use edge_modules::{ModuleRegistration, Route, Routes};
    let up = Upstream::start().await;
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel();
    let module = Holding {
        held: Mutex::new(held_tx),
        go: Mutex::new(go_rx),
    };
    let registrations = vec![ModuleRegistration::new(
        Arc::new(module),
        Routes::Exact(vec![Route::post("/in")]),
        up.url(),
    )];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..settings(1)
    };
    let server =
        edge_proxy::ProxyServer::bind(settings, registrations, Arc::new(edge_proxy::NoPolicies))
            .await
            .unwrap();
    let addr = server.local_addr();
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let mut conn = TcpStream::connect(addr).await.unwrap();
    assert_eq!(post(&mut conn, "a").await, 202);
    // The next request stops the (only) serving thread in the module; the
    // upstream closes the idle pooled connection meanwhile, unseen by the
    // serving thread's runtime.
    let client = tokio::spawn(async move { post(&mut conn, "hold").await });
    tokio::task::spawn_blocking(move || held_rx.recv().unwrap())
        .await
        .unwrap();
    up.close_all().await;
    // Idle long enough to be checked before use (Edge checks connections
    // idle for half a second or more).
    tokio::time::sleep(Duration::from_millis(600)).await;
    go_tx.send(()).unwrap();
    assert_eq!(client.await.unwrap(), 202);
    assert_eq!(bodies(&up), ["a", "hold"]);
    assert_eq!(up.opened(), 2);
}
