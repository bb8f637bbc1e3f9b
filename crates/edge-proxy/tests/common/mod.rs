//! Test harness: an in-process upstream sink and a proxy started from a
//! configuration, both on 127.0.0.1 with ephemeral ports.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// One request the sink received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    /// The body decoded per its `Content-Encoding`.
    pub fn decoded(&self) -> Vec<u8> {
        let enc = self
            .headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .unwrap_or_default();
        decode(&enc, &self.body)
    }

    /// The body decoded and parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.decoded()).expect("upstream body is JSON")
    }
}

pub fn decode(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "gzip" | "x-gzip" => {
            flate2::read::MultiGzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        "deflate" => {
            if flate2::read::ZlibDecoder::new(body)
                .read_to_end(&mut out)
                .is_err()
            {
                out.clear();
                flate2::read::DeflateDecoder::new(body)
                    .read_to_end(&mut out)
                    .unwrap();
            }
        }
        "zstd" => out = zstd::stream::decode_all(body).unwrap(),
        _ => out = body.to_vec(),
    }
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd_compress(data: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(data, 3).unwrap()
}

/// How the sink answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
    pub headers: Vec<(String, String)>,
    pub delay: Duration,
}

impl Default for Reply {
    fn default() -> Self {
        Reply {
            status: StatusCode::ACCEPTED,
            body: Bytes::from_static(b"{\"sink\":\"ok\"}"),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-sink".into(), "1".into()),
            ],
            delay: Duration::ZERO,
        }
    }
}

/// An in-process upstream that records every request.
pub struct Sink {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub reply: Arc<Mutex<Reply>>,
    stop: Option<oneshot::Sender<()>>,
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let reply: Arc<Mutex<Reply>> = Arc::default();
        let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
        let (rec, rep) = (received.clone(), reply.clone());
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    _ = &mut stop_rx => break,
                    a = listener.accept() => a,
                };
                let Ok((stream, _)) = accepted else { continue };
                let (rec, rep) = (rec.clone(), rep.clone());
                tokio::spawn(async move {
                    let svc = service_fn(move |req: http::Request<Incoming>| {
                        let (rec, rep) = (rec.clone(), rep.clone());
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body.collect().await.unwrap().to_bytes();
                            rec.lock().unwrap().push(Received {
                                method: parts.method,
                                path: parts.uri.path().to_owned(),
                                query: parts.uri.query().map(str::to_owned),
                                headers: parts.headers,
                                body,
                            });
                            let reply = rep.lock().unwrap().clone();
                            if !reply.delay.is_zero() {
                                tokio::time::sleep(reply.delay).await;
                            }
                            let mut resp = http::Response::new(Full::new(reply.body));
                            *resp.status_mut() = reply.status;
                            for (k, v) in reply.headers {
                                resp.headers_mut().append(
                                    http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                                    http::HeaderValue::from_str(&v).unwrap(),
                                );
                            }
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Sink {
            addr,
            received,
            reply,
            stop: Some(stop_tx),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn set_reply(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// A running proxy.
pub struct Proxy {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub policy_path: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), edge_proxy::ProxyError>>>,
}

pub const POLICIES: &str = r#"{"policies":[
  {"id":"drop-debug","name":"drop debug logs",
   "log":{"match":[{"log_field":"severity_text","exact":"debug","case_insensitive":true}],"keep":"none"}},
  {"id":"drop-health","name":"drop health checks",
   "log":{"match":[{"log_field":"body","regex":"^GET /health(z)? [0-9]{3}"}],"keep":"none"}}
]}"#;

impl Proxy {
    /// Starts a proxy in front of `upstream` with `policies` in a file
    /// provider; `extra` is merged into the configuration.
    pub async fn start(upstream: &str, policies: &str, extra: serde_json::Value) -> Proxy {
        Self::start_as(edge_proxy::Distribution::Datadog, upstream, policies, extra).await
    }

    /// Like [`Proxy::start`], serving `distribution`'s routes.
    pub async fn start_as(
        distribution: edge_proxy::Distribution,
        upstream: &str,
        policies: &str,
        extra: serde_json::Value,
    ) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let policy_path = dir.path().join("policies.json");
        std::fs::write(&policy_path, policies).unwrap();
        let mut config = serde_json::json!({
            "listen_address": "127.0.0.1",
            "listen_port": 0,
            "upstream_url": upstream,
            "upstream_connect_timeout_ms": 1000,
            "upstream_timeout_ms": 2000,
            "shutdown_grace_period_ms": 3000,
            "policy_providers": [{"id": "test", "type": "file", "path": policy_path}],
        });
        if let serde_json::Value::Object(extra) = extra {
            for (k, v) in extra {
                config[k] = v;
            }
        }
        let config = edge_config::Config::from_str_with_env(
            &config.to_string(),
            edge_config::Format::Json,
            std::iter::empty(),
        )
        .unwrap();
        let app = edge_proxy::App::build(&config, distribution).await.unwrap();
        let addr = app.local_addr();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run(async move {
            let _ = stop_rx.await;
        }));
        Proxy {
            addr,
            dir,
            policy_path,
            stop: Some(stop_tx),
            task: Some(task),
        }
    }

    /// The proxy's `/_edge/metrics` text.
    pub async fn metrics_text(&self) -> String {
        client()
            .get(self.url("/_edge/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Signals shutdown and waits for the server to finish.
    pub async fn shutdown(mut self) -> Result<(), edge_proxy::ProxyError> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.task.take().unwrap().await.unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A mixed batch: two kept, three dropped (two debug, one health check).
pub const MIXED: &str = r#"[
 {"message":"user logged in","status":"info","service":"auth","hostname":"h1","ddsource":"go","ddtags":"env:prod"},
 {"message":"cache miss","status":"debug","service":"auth"},
 {"message":"GET /healthz 200 1ms","status":"info","service":"web"},
 {"message":"disk almost full","status":"warn","service":"node","attrs":{"pct":97}},
 {"message":"verbose","level":"DEBUG"}
]"#;

/// Messages of the kept logs in `MIXED`.
pub const MIXED_KEPT: [&str; 2] = ["user logged in", "disk almost full"];

pub fn messages(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|l| l["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Waits until `cond` holds or the timeout passes.
pub async fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < deadline {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    cond()
}

/// The value of one series (name with its labels, exactly as rendered) in a
/// Prometheus text exposition; panics with the whole text when absent.
pub fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

/// Reads a request head into `buf`; its length and the body's
/// (`content-length`). `None` when the connection ends.
pub async fn read_head(
    stream: &mut tokio::net::TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(usize, usize)> {
    use tokio::io::AsyncReadExt as _;
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            return Some((end + 4, len));
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A [`edge_proxy::ProxyServer`] running on the test's runtime.
pub struct Server {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), edge_proxy::ProxyError>>,
}

impl Server {
    /// Binds `settings` (whose `listen` the caller chooses) with
    /// `registrations` and no policies, and runs it until [`Server::stop`].
    pub async fn start(
        settings: edge_proxy::ServerSettings,
        registrations: Vec<edge_modules::ModuleRegistration>,
    ) -> Server {
        let server = edge_proxy::ProxyServer::bind(
            settings,
            registrations,
            Arc::new(edge_proxy::NoPolicies),
        )
        .await
        .unwrap();
        let addr = server.local_addr();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        Server { addr, stop, task }
    }

    /// Asks the server to stop and waits until it has, asserting a clean
    /// shutdown.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

/// Starts Edge with one module forwarding `POST /in` untouched to
/// `upstream` (a URL), listening on 127.0.0.1 with `settings` otherwise; it
/// stops when the returned sender is dropped.
pub async fn forwarding_proxy(
    upstream: String,
    settings: edge_proxy::ServerSettings,
) -> (SocketAddr, oneshot::Sender<()>) {
    use edge_modules::{ModuleRegistration, PassthroughModule, Route, Routes};
    let registrations = vec![ModuleRegistration::new(
        Arc::new(PassthroughModule),
        Routes::Exact(vec![Route::post("/in")]),
        upstream,
    )];
    let settings = edge_proxy::ServerSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..settings
    };
    let server = Server::start(settings, registrations).await;
    (server.addr, server.stop)
}
