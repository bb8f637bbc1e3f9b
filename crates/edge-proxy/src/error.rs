//! Typed errors of the proxy.

use std::net::SocketAddr;

/// Errors that stop the proxy from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// A listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration cannot be turned into a running proxy.
    #[error("invalid setup: {0}")]
    Setup(String),
    /// A policy provider could not be started.
    #[error("policy provider `{id}`: {message}")]
    Provider {
        /// Provider id from the configuration.
        id: String,
        /// What failed.
        message: String,
    },
    /// Other I/O failure.
    #[error("i/o: {0}")]
    Io(#[source] std::io::Error),
}
