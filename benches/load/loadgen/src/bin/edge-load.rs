//! `edge-load`: a closed-loop HTTP/1.1 load generator. Each of `--connections`
//! keep-alive connections sends the payload, waits for the response and
//! sends again until the duration is over. Prints one JSON object with
//! requests/s, payload MB/s, latency percentiles and errors.

use std::io::Read as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use clap::Parser;
use http::{HeaderName, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

/// Closed-loop HTTP load generator.
#[derive(Debug, Parser)]
struct Args {
    /// Target URL (http only), e.g. http://127.0.0.1:8126/api/v2/logs.
    #[arg(long)]
    url: String,
    /// Request body file, sent as is.
    #[arg(long)]
    body: PathBuf,
    /// Extra header `name: value` (repeatable).
    #[arg(long = "header", short = 'H')]
    headers: Vec<String>,
    /// Concurrent connections.
    #[arg(long, short = 'c', default_value_t = 50)]
    connections: usize,
    /// Measured seconds.
    #[arg(long, short = 'd', default_value_t = 10.0)]
    duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Runtime worker threads (0: a single current-thread runtime).
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    statuses: std::collections::BTreeMap<u16, u64>,
}

/// Uncompressed size of the body: gzip bodies are inflated to count.
fn decoded_len(body: &[u8], headers: &[(HeaderName, HeaderValue)]) -> anyhow::Result<usize> {
    let gzip = headers.iter().any(|(n, v)| {
        n == http::header::CONTENT_ENCODING && v.as_bytes().eq_ignore_ascii_case(b"gzip")
    });
    if !gzip {
        return Ok(body.len());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(body)
        .read_to_end(&mut out)
        .context("payload is not valid gzip")?;
    Ok(out.len())
}

async fn connection(
    uri: Uri,
    body: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
    measure_from: Instant,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let authority = uri.authority().map(|a| a.to_string()).unwrap_or_default();
    'reconnect: while Instant::now() < until {
        let stream = match tokio::net::TcpStream::connect(&authority).await {
            Ok(s) => s,
            Err(_) => {
                tally.errors += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Ok((mut sender, conn)) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await
        else {
            tally.errors += 1;
            continue;
        };
        tokio::spawn(conn);
        loop {
            let started = Instant::now();
            if started >= until {
                break 'reconnect;
            }
            if sender.ready().await.is_err() {
                tally.errors += 1;
                continue 'reconnect;
            }
            let mut req = Request::new(Full::new(body.clone()));
            *req.method_mut() = Method::POST;
            *req.uri_mut() = uri.clone();
            let h = req.headers_mut();
            h.insert(
                http::header::HOST,
                HeaderValue::from_str(&authority).unwrap_or(HeaderValue::from_static("localhost")),
            );
            for (n, v) in &headers {
                h.append(n.clone(), v.clone());
            }
            let ok = match sender.send_request(req).await {
                Ok(resp) => {
                    let status = resp.status();
                    let drained = resp.into_body().collect().await.is_ok();
                    if started >= measure_from {
                        *tally.statuses.entry(status.as_u16()).or_default() += 1;
                    }
                    drained && status.is_success()
                }
                Err(_) => false,
            };
            if started >= measure_from {
                if ok {
                    let us = started.elapsed().as_micros().min(u32::MAX as u128) as u32;
                    tally.latencies_us.push(us);
                } else {
                    tally.errors += 1;
                }
            }
            if !ok {
                continue 'reconnect;
            }
        }
    }
    tally
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let uri: Uri = args.url.parse().context("bad --url")?;
    anyhow::ensure!(uri.scheme_str() == Some("http"), "only http:// URLs");
    let body = Bytes::from(
        std::fs::read(&args.body).with_context(|| format!("reading {}", args.body.display()))?,
    );
    let mut headers = Vec::new();
    for h in &args.headers {
        let (n, v) = h.split_once(':').context("headers are `name: value`")?;
        headers.push((
            HeaderName::from_bytes(n.trim().as_bytes())?,
            HeaderValue::from_str(v.trim())?,
        ));
    }
    let decoded = decoded_len(&body, &headers)?;
    let rt = edge_loadgen::runtime(args.threads)?;
    let tallies = rt.block_on(async {
        let start = Instant::now();
        let measure_from = start + Duration::from_secs_f64(args.warmup);
        let until = measure_from + Duration::from_secs_f64(args.duration);
        let tasks: Vec<_> = (0..args.connections)
            .map(|_| {
                tokio::spawn(connection(
                    uri.clone(),
                    body.clone(),
                    headers.clone(),
                    measure_from,
                    until,
                ))
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await?);
        }
        anyhow::Ok(out)
    })?;
    let mut lat: Vec<u32> = Vec::new();
    let mut errors = 0;
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    for t in tallies {
        lat.extend(t.latencies_us);
        errors += t.errors;
        for (s, n) in t.statuses {
            *statuses.entry(s).or_default() += n;
        }
    }
    lat.sort_unstable();
    let ok = lat.len() as f64;
    let secs = args.duration;
    let ms = |q: f64| f64::from(edge_loadgen::quantile(&lat, q)) / 1000.0;
    let report = serde_json::json!({
        "url": args.url,
        "connections": args.connections,
        "seconds": secs,
        "requests": lat.len(),
        "errors": errors,
        "statuses": statuses.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect::<serde_json::Map<_, _>>(),
        "rps": ok / secs,
        "payload_bytes": decoded,
        "wire_bytes": body.len(),
        "payload_mb_per_s": ok * decoded as f64 / secs / 1e6,
        "wire_mb_per_s": ok * body.len() as f64 / secs / 1e6,
        "p50_ms": ms(0.5),
        "p99_ms": ms(0.99),
        "max_ms": ms(1.0),
    });
    println!("{report}");
    Ok(())
}
