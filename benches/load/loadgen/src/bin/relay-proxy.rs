//! `relay-proxy`: the least work an HTTP/1.1 proxy can do, as a ceiling
//! reference for the small-request benchmark.
//!
//! Each client connection gets its own upstream connection (made on its
//! first request). A request is read up to the end of its head plus its
//! `Content-Length`, written upstream as it came, and the upstream's answer
//! is read the same way and written back: four socket calls per request
//! and no header handling at all. It understands nothing else (no chunked
//! bodies, no `Connection: close`, no timeouts, no pooling across clients),
//! so it is a measuring stick, not a proxy to use: what `run.py --nginx`
//! shows as `relay` is the most any proxy could reach on the same cores.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Largest request or response head accepted; longer heads close the
/// connection.
const MAX_HEAD: usize = 64 * 1024;
/// Largest body accepted; a longer `Content-Length` closes the connection.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Content-Length-framed HTTP/1.1 relay (benchmark reference only).
#[derive(Debug, Parser)]
struct Args {
    /// Listen address (keep it on loopback).
    #[arg(long, default_value = "127.0.0.1:9101")]
    listen: SocketAddr,
    /// Upstream `host:port` (plain HTTP).
    #[arg(long, default_value = "127.0.0.1:9000")]
    upstream: String,
    /// Runtime worker threads (0: a single current-thread runtime).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// The process exits after this many seconds.
    #[arg(long, default_value_t = 3600)]
    max_seconds: u64,
}

/// Why a connection pair was given up.
#[derive(Debug)]
enum Stop {
    /// The peer closed or the socket failed.
    Closed,
    /// A head or body over the limits, or a framing this relay does not do.
    Unsupported,
}

impl From<std::io::Error> for Stop {
    fn from(_: std::io::Error) -> Self {
        Stop::Closed
    }
}

/// A socket's read side: bytes read but not yet relayed stay in `buf`.
struct Reader {
    buf: Vec<u8>,
    filled: usize,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            buf: vec![0; 16 * 1024],
            filled: 0,
        }
    }

    /// Reads until one whole message (head and `Content-Length` body) is
    /// buffered; returns its length.
    async fn message(&mut self, socket: &mut TcpStream) -> Result<usize, Stop> {
        let mut searched = 0;
        loop {
            if let Some(end) = find_head_end(&self.buf[..self.filled], searched) {
                let length = end + content_length(&self.buf[..end])?;
                if length > MAX_HEAD + MAX_BODY {
                    return Err(Stop::Unsupported);
                }
                if self.buf.len() < length {
                    self.buf.resize(length, 0);
                }
                while self.filled < length {
                    self.fill(socket).await?;
                }
                return Ok(length);
            }
            if self.filled >= MAX_HEAD {
                return Err(Stop::Unsupported);
            }
            searched = self.filled.saturating_sub(3);
            if self.filled == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
            self.fill(socket).await?;
        }
    }

    async fn fill(&mut self, socket: &mut TcpStream) -> Result<(), Stop> {
        let n = socket.read(&mut self.buf[self.filled..]).await?;
        if n == 0 {
            return Err(Stop::Closed);
        }
        self.filled += n;
        Ok(())
    }

    /// Drops the first `n` bytes (a relayed message); pipelined bytes
    /// after it stay.
    fn consume(&mut self, n: usize) {
        self.buf.copy_within(n..self.filled, 0);
        self.filled -= n;
    }
}

/// The offset just past the blank line ending a head, searching from
/// `from`.
fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    buf[from..]
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| from + p + 4)
}

/// The body length a head announces (0 without `Content-Length`); chunked
/// framing is refused.
fn content_length(head: &[u8]) -> Result<usize, Stop> {
    let mut length = 0;
    for line in head.split(|&b| b == b'\n').skip(1) {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return Err(Stop::Unsupported);
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            let text = std::str::from_utf8(value).map_err(|_| Stop::Unsupported)?;
            length = text.trim().parse().map_err(|_| Stop::Unsupported)?;
        }
    }
    if length > MAX_BODY {
        return Err(Stop::Unsupported);
    }
    Ok(length)
}

/// Relays request/response pairs between `client` and its own upstream
/// connection until either side closes.
async fn relay(mut client: TcpStream, upstream: &str) -> Result<(), Stop> {
    let mut from_client = Reader::new();
    let mut from_upstream = Reader::new();
    let mut up: Option<TcpStream> = None;
    loop {
        let n = from_client.message(&mut client).await?;
        let socket = match &mut up {
            Some(s) => s,
            None => {
                let s = TcpStream::connect(upstream).await?;
                s.set_nodelay(true)?;
                up.insert(s)
            }
        };
        socket.write_all(&from_client.buf[..n]).await?;
        from_client.consume(n);
        let m = from_upstream.message(socket).await?;
        client.write_all(&from_upstream.buf[..m]).await?;
        from_upstream.consume(m);
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    edge_loadgen::exit_after(Duration::from_secs(args.max_seconds));
    let rt = edge_loadgen::runtime(args.threads)?;
    let upstream: &'static str = Box::leak(args.upstream.into_boxed_str());
    rt.block_on(async move {
        let listener = TcpListener::bind(args.listen).await?;
        eprintln!("relay-proxy listening on {}", listener.local_addr()?);
        loop {
            let (client, _) = listener.accept().await?;
            let _ = client.set_nodelay(true);
            tokio::spawn(async move {
                if let Err(Stop::Unsupported) = relay(client, upstream).await {
                    eprintln!("relay-proxy: a message it does not relay (chunked or too large); connection closed");
                }
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing() {
        let head = b"POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 12\r\n\r\n";
        assert_eq!(find_head_end(head, 0), Some(head.len()));
        assert_eq!(content_length(head).unwrap(), 12);
        assert!(matches!(
            content_length(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(Stop::Unsupported)
        ));
        assert_eq!(content_length(b"GET / HTTP/1.1\r\n\r\n").unwrap(), 0);
    }
}
