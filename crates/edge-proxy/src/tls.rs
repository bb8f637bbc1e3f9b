//! TLS on the listener: certificate and key from PEM files, rustls with the
//! ring provider, HTTP/1.1 only. Also reads `upstream_ca_file`.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

use crate::server::TlsFiles;
use crate::ProxyError;

/// Builds an acceptor from the certificate chain and key in `files`.
pub(crate) fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, ProxyError> {
    let certs = certificates(&files.cert_file, "tls.cert_file")?;
    // The key's contents are never put into an error or a log line.
    let key = PrivateKeyDer::from_pem_file(&files.key_file)
        .map_err(|e| setup(&format!("tls.key_file {}: {e}", files.key_file.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup(&format!("tls: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| setup(&format!("tls: certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The CA certificates of the PEM file at `path` (`upstream_ca_file`).
pub(crate) fn ca_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ProxyError> {
    certificates(path, "upstream_ca_file")
}

/// Every certificate of the PEM file at `path`, configured as `key`; at
/// least one, else an error naming the key and the file.
fn certificates(path: &Path, key: &str) -> Result<Vec<CertificateDer<'static>>, ProxyError> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            let why = match e {
                rustls_pki_types::pem::Error::Io(io) => io.to_string(),
                _ => "not a valid PEM certificate file".to_owned(),
            };
            setup(&format!("{key} {}: {why}", path.display()))
        })?;
    if certs.is_empty() {
        return Err(setup(&format!(
            "{key} {}: no certificate found",
            path.display()
        )));
    }
    Ok(certs)
}

fn setup(message: &str) -> ProxyError {
    ProxyError::Setup(message.to_owned())
}
