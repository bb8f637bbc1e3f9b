//! The module for every request no other module claims.

use crate::{ProxyModule, Routes};

/// Forwards requests byte for byte: method, path, query, headers (minus
/// hop-by-hop) and body unchanged; the client gets the upstream's answer.
#[derive(Debug, Default, Clone, Copy)]
pub struct PassthroughModule;

impl PassthroughModule {
    /// The routes it serves: everything unclaimed.
    pub fn routes() -> Routes {
        Routes::Fallback
    }
}

impl ProxyModule for PassthroughModule {
    fn name(&self) -> &str {
        "passthrough"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RequestAction, RequestParts};

    #[test]
    fn passthrough_never_inspects_or_changes() {
        let headers = http::HeaderMap::new();
        let req = RequestParts {
            method: &http::Method::PUT,
            path: "/anything",
            query: Some("a=1"),
            headers: &headers,
        };
        let m = PassthroughModule;
        assert!(!m.inspects_request_body(&req));
        assert!(matches!(
            m.on_request(&req, b"x"),
            RequestAction::ForwardOriginal
        ));
        assert!(m.response_filter(&req).is_none());
        assert_eq!(PassthroughModule::routes(), Routes::Fallback);
    }
}
