//! `plain-proxy`: a minimal reverse proxy that streams request and response
//! bytes between client and upstream without looking at them. It is the
//! "plain byte-forwarding proxy" baseline Edge's passthrough is compared to.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// Minimal byte-forwarding reverse proxy.
#[derive(Debug, Parser)]
struct Args {
    /// Listen address (keep it on loopback).
    #[arg(long, default_value = "127.0.0.1:9100")]
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

type HttpClient = Client<HttpConnector, Incoming>;

async fn forward(
    mut req: Request<Incoming>,
    client: HttpClient,
    upstream: String,
) -> Result<Response<http_body_util::Either<Incoming, String>>, std::convert::Infallible> {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let uri: Uri = match format!("http://{upstream}{path}").parse() {
        Ok(u) => u,
        Err(_) => return Ok(error(StatusCode::BAD_REQUEST)),
    };
    *req.uri_mut() = uri;
    req.headers_mut().remove(http::header::HOST);
    match client.request(req).await {
        Ok(resp) => Ok(resp.map(http_body_util::Either::Left)),
        Err(_) => Ok(error(StatusCode::BAD_GATEWAY)),
    }
}

fn error(status: StatusCode) -> Response<http_body_util::Either<Incoming, String>> {
    let mut r = Response::new(http_body_util::Either::Right(format!("{status}\n")));
    *r.status_mut() = status;
    r
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    edge_loadgen::exit_after(Duration::from_secs(args.max_seconds));
    let rt = edge_loadgen::runtime(args.threads)?;
    rt.block_on(async move {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client: HttpClient = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(1024)
            .build(connector);
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        eprintln!("plain-proxy listening on {}", listener.local_addr()?);
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let client = client.clone();
            let upstream = args.upstream.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| forward(req, client.clone(), upstream.clone()));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    })
}
