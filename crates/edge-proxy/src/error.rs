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

/// One line for a start-up error and its causes, for a binary to print: each
/// cause is appended (`: cause`) unless the text already ends with it, so a
/// message that quotes its own source (`cannot read config file x: No such
/// file`) does not repeat it.
pub fn error_report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let part = c.to_string();
        if !part.is_empty() && !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read config file x.yaml: {source}")]
    struct Quoting {
        source: std::io::Error,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("starting failed")]
    struct Wrapping {
        #[source]
        source: Quoting,
    }

    #[test]
    fn causes_quoted_by_their_parent_are_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let e = Wrapping {
            source: Quoting { source: io },
        };
        assert_eq!(
            error_report(&e),
            "starting failed: cannot read config file x.yaml: No such file"
        );
    }
}
