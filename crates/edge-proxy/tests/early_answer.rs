//! A streamed upload the upstream answers early (before reading it): the
//! client connection neither waits for its next request head nor counts the
//! header read timeout until the body is through, and a body that stops
//! arriving after the answer ends the connection after the idle timeout.
mod common;
use common::read_head;

use std::time::{Duration, Instant};

use edge_proxy::ServerSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn proxy(
    up: std::net::SocketAddr,
    settings: ServerSettings,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    common::forwarding_proxy(format!("http://{up}"), settings).await
}

/// Upstream: answers 202 to every request after reading it whole; if `early`,
/// answers 400 right after the head and then reads (drains) the body.
async fn upstream(early: bool) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    let Some((h, b)) = read_head(&mut s, &mut buf).await else {
                        return;
                    };
                    if early {
                        let _ = s
                            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad")
                            .await;
                    }
                    while buf.len() < h + b {
                        let mut c = [0u8; 4096];
                        match s.read(&mut c).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&c[..n]),
                        }
                    }
                    buf.drain(..h + b);
                    if !early {
                        let _ = s
                            .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}")
                            .await;
                    }
                }
            });
        }
    });
    addr
}

async fn read_response(conn: &mut TcpStream) -> Result<String, String> {
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 4096];
        let n = conn.read(&mut chunk).await.map_err(|e| format!("{e}"))?;
        if n == 0 {
            return Err(format!("closed; got {:?}", String::from_utf8_lossy(&buf)));
        }
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
            return Ok(head);
        }
    }
}

fn settings() -> ServerSettings {
    ServerSettings {
        workers: 1,
        header_read_timeout: Duration::from_millis(300),
        ..ServerSettings::default()
    }
}

/// The upstream answers 400 at once and keeps reading the body; the client
/// keeps uploading (1.5 s) past header_read_timeout (300 ms).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_after_an_early_answer_is_not_cut_by_the_head_timeout() {
    let up = upstream(true).await;
    let (addr, _stop) = proxy(up, settings()).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    let len = 40 * 4096;
    c.write_all(
        format!("POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: {len}\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let start = Instant::now();
    let mut err = None;
    for i in 0..40 {
        if let Err(e) = c.write_all(&[b'x'; 4096]).await {
            err = Some((i, start.elapsed(), e.to_string()));
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let r = read_response(&mut c).await;
    // Then a second request on the same connection.
    let second = async {
        c.write_all(b"POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nab")
            .await
            .map_err(|e| e.to_string())?;
        read_response(&mut c).await
    }
    .await;
    assert!(err.is_none() && r.is_ok(), "upload cut: {err:?} {r:?}");
    assert!(r.unwrap().starts_with("http/1.1 400"));
    // The connection stays usable.
    let second = second.expect("second request on the same connection");
    assert!(second.starts_with("http/1.1 400"), "{second}");
}

/// Upstream answers 400 at once, then neither reads nor closes; the client
/// keeps trying to upload. Does Edge ever close the client connection?
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_stalled_after_an_early_answer_is_closed_after_the_idle_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let up = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = Vec::new();
                if read_head(&mut s, &mut buf).await.is_some() {
                    let _ = s
                        .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad")
                        .await;
                    tokio::time::sleep(Duration::from_secs(20)).await;
                }
            });
        }
    });
    let (addr, _stop) = proxy(
        up,
        ServerSettings {
            idle_timeout: Duration::from_secs(1),
            ..settings()
        },
    )
    .await;
    let c = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = c.into_split();
    let len = 9 * 1024 * 1024;
    wr.write_all(
        format!("POST /in HTTP/1.1\r\nhost: x\r\ncontent-length: {len}\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let start = Instant::now();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'x'; 65536];
        loop {
            if wr.write_all(&chunk).await.is_err() {
                return start.elapsed();
            }
        }
    });
    let mut b = vec![0u8; 4096];
    let mut got = Vec::new();
    let res = tokio::time::timeout(Duration::from_secs(8), async {
        loop {
            match rd.read(&mut b).await {
                Ok(0) => return "eof".to_owned(),
                Err(e) => return e.to_string(),
                Ok(n) => got.extend_from_slice(&b[..n]),
            }
        }
    })
    .await;
    writer.abort();
    let ended = res.expect("the client connection is closed within 8 s");
    assert!(ended == "eof" || !ended.is_empty(), "{ended}");
    assert!(
        String::from_utf8_lossy(&got).starts_with("HTTP/1.1 400"),
        "the early answer reached the client first: {:?}",
        String::from_utf8_lossy(&got)
    );
}
