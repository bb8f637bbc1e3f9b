//! HTTPS upstreams: the upstream certificate is verified (web PKI roots plus
//! configured extra CAs), ALPN asks for HTTP/1.1, credentials in the
//! upstream URL become `Authorization: Basic`, and the connect timeout
//! bounds the TLS handshake as well as the TCP connect.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use edge_proxy::ServerSettings;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// A test CA and a server certificate for 127.0.0.1 signed by it.
struct Pki {
    ca: CertificateDer<'static>,
    leaf: CertificateDer<'static>,
    leaf_key: PrivateKeyDer<'static>,
}

fn pki() -> Pki {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "edge test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    Pki {
        ca: ca.der().clone(),
        leaf: leaf.der().clone(),
        leaf_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    }
}

/// What the TLS upstream saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    path_and_query: String,
    authorization: Option<String>,
    host: Option<String>,
    alpn: Option<Vec<u8>>,
    body: Bytes,
}

/// An HTTPS upstream on 127.0.0.1 answering `202` and recording requests.
async fn tls_upstream(pki: &Pki) -> (SocketAddr, Arc<Mutex<Vec<Seen>>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.leaf.clone()], pki.leaf_key.clone_key())
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let record = record.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
                let svc = service_fn(move |req: http::Request<Incoming>| {
                    let record = record.clone();
                    let alpn = alpn.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let header = |name: http::header::HeaderName| {
                            parts
                                .headers
                                .get(name)
                                .map(|v| v.to_str().unwrap().to_owned())
                        };
                        record.lock().unwrap().push(Seen {
                            path_and_query: parts
                                .uri
                                .path_and_query()
                                .map(|pq| pq.as_str().to_owned())
                                .unwrap_or_default(),
                            authorization: header(http::header::AUTHORIZATION),
                            host: header(http::header::HOST),
                            alpn,
                            body,
                        });
                        let mut resp = http::Response::new(Full::new(Bytes::from_static(b"{}")));
                        *resp.status_mut() = http::StatusCode::ACCEPTED;
                        Ok::<_, std::convert::Infallible>(resp)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    (addr, seen)
}

/// Starts Edge forwarding `POST /in` to `upstream`; stops when the returned
/// sender is dropped.
async fn edge(
    upstream: String,
    extra_roots: Vec<CertificateDer<'static>>,
    connect_timeout: Duration,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let settings = ServerSettings {
        upstream_extra_roots: extra_roots,
        upstream_connect_timeout: connect_timeout,
        ..ServerSettings::default()
    };
    common::forwarding_proxy(upstream, settings).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_upstream_with_a_trusted_ca() {
    let pki = pki();
    let (up, seen) = tls_upstream(&pki).await;
    let base = format!("https://us%65r:p%40ss@127.0.0.1:{}/prefix/", up.port());
    let (addr, _stop) = edge(base, vec![pki.ca.clone()], Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    for i in 0..3 {
        let resp = client
            .post(format!("http://{addr}/in?n={i}"))
            .body(format!("body {i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
        assert_eq!(resp.text().await.unwrap(), "{}");
    }
    // A client's own Authorization wins over the URL's credentials.
    let resp = client
        .post(format!("http://{addr}/in"))
        .header("authorization", "Bearer client")
        .body("own auth")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4, "{seen:?}");
    for (i, s) in seen.iter().take(3).enumerate() {
        assert_eq!(s.path_and_query, format!("/prefix/in?n={i}"));
        assert_eq!(s.body, format!("body {i}"));
        // base64("user:p@ss"): percent-decoded credentials.
        assert_eq!(s.authorization.as_deref(), Some("Basic dXNlcjpwQHNz"));
        assert_eq!(
            s.host.as_deref(),
            Some(&*format!("127.0.0.1:{}", up.port()))
        );
        assert_eq!(s.alpn.as_deref(), Some(&b"http/1.1"[..]));
    }
    assert_eq!(seen[3].authorization.as_deref(), Some("Bearer client"));
    assert_eq!(seen[3].path_and_query, "/prefix/in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_upstream_with_an_unknown_ca_is_refused() {
    let pki = pki();
    let (up, seen) = tls_upstream(&pki).await;
    let (addr, _stop) = edge(
        format!("https://127.0.0.1:{}", up.port()),
        Vec::new(),
        Duration::from_secs(5),
    )
    .await;
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/in"))
        .body("never delivered")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    assert_eq!(resp.text().await.unwrap(), "upstream unreachable\n");
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_timeout_covers_a_stalled_tls_handshake() {
    // Accepts TCP connections and never answers the TLS handshake.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((tcp, _)) = listener.accept().await {
            open.push(tcp);
        }
    });
    let (addr, _stop) = edge(
        format!("https://127.0.0.1:{port}"),
        Vec::new(),
        Duration::from_millis(300),
    )
    .await;
    let started = Instant::now();
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/in"))
        .body("x")
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(resp.status(), 502);
    assert_eq!(
        resp.text().await.unwrap(),
        "upstream connection timed out\n"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    held.abort();
}

/// `cert` as a PEM block.
fn pem(cert: &CertificateDer<'_>) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

fn config(upstream: &str, ca_file: Option<&std::path::Path>) -> edge_config::Config {
    let mut doc = serde_json::json!({
        "listen_address": "127.0.0.1",
        "listen_port": 0,
        "upstream_url": upstream,
    });
    if let Some(path) = ca_file {
        doc["upstream_ca_file"] = serde_json::json!(path);
    }
    edge_config::Config::from_str_with_env(
        &doc.to_string(),
        edge_config::Format::Json,
        std::iter::empty(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_ca_file_is_trusted_from_the_configuration() {
    let pki = pki();
    let (up, seen) = tls_upstream(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, pem(&pki.ca)).unwrap();
    let upstream = format!("https://127.0.0.1:{}", up.port());
    let app = edge_proxy::App::build(
        &config(&upstream, Some(&ca_file)),
        edge_proxy::Distribution::Datadog,
    )
    .await
    .unwrap();
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.run(async {
        let _ = stopped.await;
    }));
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/anything"))
        .body("through a private CA")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    assert_eq!(seen.lock().unwrap().len(), 1);
    let _ = stop.send(());
    let _ = task.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_upstream_ca_file_stops_the_start_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    let cut = dir.path().join("cut.pem");
    std::fs::write(&cut, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
    for path in [&empty, &missing, &cut] {
        let err = edge_proxy::ServerSettings::from_config(&config("https://h", Some(path)))
            .unwrap_err()
            .to_string();
        assert!(err.contains("upstream_ca_file"), "{err}");
        assert!(!err.contains("[67, 69"), "readable, not bytes: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_route_upstream_names_the_route() {
    let mut config = config("http://127.0.0.1:8080", None);
    config.logs_url = Some("http://127.0.0.1:99999".to_owned());
    let err = edge_proxy::App::build(&config, edge_proxy::Distribution::Datadog)
        .await
        .err()
        .expect("bad port refused")
        .to_string();
    assert!(err.contains("invalid port"), "{err}");
    assert!(err.contains("upstream of `datadog"), "{err}");
    assert!(
        !err.contains("99999"),
        "the URL itself is not repeated: {err}"
    );
}
