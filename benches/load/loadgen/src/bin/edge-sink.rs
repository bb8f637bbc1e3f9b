//! `edge-sink`: an upstream that answers every request with `202 {}` as fast
//! as it can, counting requests and body bytes. `GET /_sink/stats` returns
//! the counters as JSON.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// Fast counting HTTP sink for load benchmarks.
#[derive(Debug, Parser)]
struct Args {
    /// Listen address (keep it on loopback).
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: SocketAddr,
    /// Runtime worker threads (0: a single current-thread runtime).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// The process exits after this many seconds.
    #[arg(long, default_value_t = 3600)]
    max_seconds: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    bytes: AtomicU64,
}

async fn serve(
    req: Request<Incoming>,
    counters: Arc<Counters>,
) -> anyhow::Result<Response<Full<Bytes>>> {
    if req.uri().path() == "/_sink/stats" {
        let body = serde_json::json!({
            "requests": counters.requests.load(Ordering::Relaxed),
            "bytes": counters.bytes.load(Ordering::Relaxed),
        });
        return Ok(Response::new(Full::new(Bytes::from(body.to_string()))));
    }
    let mut body = req.into_body();
    let mut n = 0u64;
    while let Some(frame) = body.frame().await {
        if let Some(data) = frame?.data_ref() {
            n += data.len() as u64;
        }
    }
    counters.requests.fetch_add(1, Ordering::Relaxed);
    counters.bytes.fetch_add(n, Ordering::Relaxed);
    let mut resp = Response::new(Full::new(Bytes::from_static(b"{}")));
    *resp.status_mut() = StatusCode::ACCEPTED;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    edge_loadgen::exit_after(Duration::from_secs(args.max_seconds));
    let rt = edge_loadgen::runtime(args.threads)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        eprintln!("edge-sink listening on {}", listener.local_addr()?);
        let counters = Arc::new(Counters::default());
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let counters = counters.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| serve(req, counters.clone()));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    })
}
