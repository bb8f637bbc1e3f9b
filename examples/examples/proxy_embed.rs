//! Embeds `edge-proxy` with a custom module: a tiny upstream, a proxy whose
//! module upper-cases `POST /shout` bodies and answers `GET /hello` itself,
//! and passthrough for the rest. Everything runs on 127.0.0.1 and stops by
//! itself.
//!
//! Run: `cargo run -p edge-examples --example proxy_embed`

use std::sync::Arc;

use edge_modules::http::{Method, StatusCode};
use edge_modules::{
    ModuleRegistration, ModuleResponse, PassthroughModule, ProxyModule, RequestAction,
    RequestParts, Route, Routes,
};
use edge_proxy::{NoPolicies, ProxyServer, ServerSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Upper-cases request bodies; answers `/hello` directly.
struct Shout;

impl ProxyModule for Shout {
    fn name(&self) -> &str {
        "shout"
    }
    fn inspects_request_body(&self, _req: &RequestParts<'_>) -> bool {
        true
    }
    fn on_request(&self, req: &RequestParts<'_>, body: &[u8]) -> RequestAction {
        if req.path == "/hello" {
            return RequestAction::Respond(ModuleResponse::text(
                StatusCode::OK,
                "hello from edge\n",
            ));
        }
        RequestAction::ForwardModified(body.to_ascii_uppercase().into())
    }
}

/// Sends one HTTP/1.1 request and returns the raw response.
async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> anyhow::Result<String> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut out = String::new();
    s.read_to_string(&mut out).await?;
    Ok(out)
}

/// An "upstream" that echoes the request body back.
async fn echo_upstream() -> anyhow::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut len = 0;
                // Read until the head and the declared body are in.
                loop {
                    let Ok(n) = s.read(&mut buf[len..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    len += n;
                    let text = String::from_utf8_lossy(&buf[..len]).to_string();
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let cl = text[..head_end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if len >= head_end + 4 + cl {
                            let body = &text[head_end + 4..head_end + 4 + cl];
                            let resp = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                            let _ = s.write_all(resp.as_bytes()).await;
                            return;
                        }
                    }
                }
            });
        }
    });
    Ok(addr)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let upstream = format!("http://{}", echo_upstream().await?);
    let registrations = vec![
        ModuleRegistration::new(
            Arc::new(Shout),
            Routes::Exact(vec![
                Route::post("/shout"),
                Route::new(Method::GET, "/hello"),
            ]),
            upstream.clone(),
        ),
        ModuleRegistration::new(Arc::new(PassthroughModule), Routes::Fallback, upstream),
    ];
    let settings = ServerSettings {
        listen: "127.0.0.1:0".parse()?,
        ..ServerSettings::default()
    };
    let server = ProxyServer::bind(settings, registrations, Arc::new(NoPolicies)).await?;
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));

    for (method, path, body) in [
        ("POST", "/shout", "quiet please"),
        ("GET", "/hello", ""),
        ("POST", "/other", "untouched"),
    ] {
        let resp = request(addr, method, path, body).await?;
        let status = resp.lines().next().unwrap_or_default();
        let body = resp.split("\r\n\r\n").nth(1).unwrap_or_default();
        println!("{method} {path} -> {status} | {}", body.trim_end());
    }
    let _ = stop.send(());
    running.await??;
    Ok(())
}
