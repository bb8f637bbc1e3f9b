//! Header rules shared by every route.

use http::header::{self, HeaderName};
use http::HeaderMap;

/// Hop-by-hop headers never forwarded in either direction.
const HOP_BY_HOP: [HeaderName; 7] = [
    header::CONNECTION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::PROXY_AUTHORIZATION,
    header::PROXY_AUTHENTICATE,
];

/// Headers whose values must never be logged.
pub fn is_secret(name: &HeaderName) -> bool {
    let n = name.as_str();
    n == "authorization"
        || n == "cookie"
        || n == "set-cookie"
        || n == "proxy-authorization"
        || n.ends_with("-api-key")
        || n.ends_with("-application-key")
}

/// Copies `from` without hop-by-hop headers, without the headers named by
/// `Connection`, and without the names in `also_skip`.
pub fn forwardable(from: &HeaderMap, also_skip: &[HeaderName]) -> HeaderMap {
    let named_by_connection: Vec<String> = from
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let mut out = HeaderMap::with_capacity(from.len());
    for (name, value) in from {
        let n = name.as_str();
        if HOP_BY_HOP.contains(name)
            || n == "keep-alive"
            || n.starts_with("proxy-")
            || also_skip.contains(name)
            || named_by_connection.iter().any(|c| c == n)
        {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn hop_by_hop_and_connection_named_headers_are_removed() {
        let mut h = HeaderMap::new();
        h.insert(
            "connection",
            HeaderValue::from_static("keep-alive, X-Private"),
        );
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert("x-private", HeaderValue::from_static("1"));
        h.insert("transfer-encoding", HeaderValue::from_static("chunked"));
        h.insert("proxy-connection", HeaderValue::from_static("keep-alive"));
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("upgrade", HeaderValue::from_static("h2c"));
        h.insert("host", HeaderValue::from_static("client.example"));
        h.insert("dd-api-key", HeaderValue::from_static("k"));
        h.append("x-multi", HeaderValue::from_static("a"));
        h.append("x-multi", HeaderValue::from_static("b"));
        h.insert("retry-after", HeaderValue::from_static("2"));
        let out = forwardable(&h, &[header::HOST]);
        let names: Vec<&str> = out.keys().map(|k| k.as_str()).collect();
        assert_eq!(names, vec!["dd-api-key", "x-multi", "retry-after"]);
        assert_eq!(out.get_all("x-multi").iter().count(), 2);
    }

    #[test]
    fn secrets_are_recognised() {
        for n in ["dd-api-key", "authorization", "cookie", "x-custom-api-key"] {
            assert!(is_secret(&HeaderName::from_static(n)), "{n}");
        }
        assert!(!is_secret(&header::CONTENT_TYPE));
    }
}
