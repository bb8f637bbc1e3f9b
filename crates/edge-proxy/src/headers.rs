//! Header rules shared by every route.

use http::header::{self, HeaderName};
use http::HeaderMap;

/// Hop-by-hop headers never forwarded in either direction (what
/// [`is_hop_by_hop`] recognises, besides `Keep-Alive` and `Proxy-*`).
#[cfg(test)]
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

/// Whether `name` is never forwarded: hop-by-hop, `Keep-Alive`, `Proxy-*`,
/// named by `Connection` (lower-cased in `by_connection`) or in `also_skip`.
fn is_dropped(name: &HeaderName, by_connection: &[String], also_skip: &[HeaderName]) -> bool {
    let n = name.as_str();
    is_hop_by_hop(n) || also_skip.contains(name) || by_connection.iter().any(|c| c == n)
}

/// The hop-by-hop headers (`Connection`, `TE`, `Trailer`,
/// `Transfer-Encoding`, `Upgrade`), `Keep-Alive` and `Proxy-*` by
/// (lower-case) name, by length first: every header of every request and
/// response is checked.
fn is_hop_by_hop(n: &str) -> bool {
    let fixed = match n.len() {
        2 => n == "te",
        7 => n == "trailer" || n == "upgrade",
        10 => n == "connection" || n == "keep-alive",
        17 => n == "transfer-encoding",
        _ => false,
    };
    fixed || n.starts_with("proxy-")
}

/// The lower-cased header names listed in `Connection`.
fn named_by_connection(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Removes from `headers`, in place, what [`forwardable`] would not copy.
/// Cheaper than a copy (nothing is allocated when nothing is removed), but
/// the order of the remaining header names may change (their values keep
/// their order).
pub fn strip_hop_by_hop(headers: &mut HeaderMap, also_skip: &[HeaderName]) {
    // The common case, nothing to remove, allocates nothing (a
    // `Connection` header is itself dropped, so it is found here too).
    if !headers.keys().any(|name| is_dropped(name, &[], also_skip)) {
        return;
    }
    let by_connection = named_by_connection(headers);
    let dropped: Vec<HeaderName> = headers
        .keys()
        .filter(|name| is_dropped(name, &by_connection, also_skip))
        .cloned()
        .collect();
    for name in &dropped {
        headers.remove(name);
    }
}

/// Copies `from` without hop-by-hop headers, without the headers named by
/// `Connection`, and without the names in `also_skip`.
pub fn forwardable(from: &HeaderMap, also_skip: &[HeaderName]) -> HeaderMap {
    let by_connection = named_by_connection(from);
    let mut out = HeaderMap::with_capacity(from.len());
    for (name, value) in from {
        if !is_dropped(name, &by_connection, also_skip) {
            out.append(name.clone(), value.clone());
        }
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
    fn stripping_in_place_removes_what_a_copy_leaves_out() {
        let mut h = HeaderMap::new();
        h.insert("connection", HeaderValue::from_static("close, X-Private"));
        h.insert("x-private", HeaderValue::from_static("1"));
        h.insert("host", HeaderValue::from_static("client.example"));
        h.insert("proxy-authorization", HeaderValue::from_static("secret"));
        h.insert("content-type", HeaderValue::from_static("application/json"));
        h.append("x-multi", HeaderValue::from_static("a"));
        h.append("x-multi", HeaderValue::from_static("b"));
        let copied = forwardable(&h, &[header::HOST]);
        strip_hop_by_hop(&mut h, &[header::HOST]);
        let mut names: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, vec!["content-type", "x-multi"]);
        let values: Vec<&HeaderValue> = h.get_all("x-multi").iter().collect();
        assert_eq!(values, vec!["a", "b"]);
        assert_eq!(h, copied);
    }

    #[test]
    fn hop_by_hop_names_are_recognised_by_name() {
        for name in HOP_BY_HOP.iter() {
            assert!(is_hop_by_hop(name.as_str()), "{name}");
        }
        for n in ["keep-alive", "proxy-connection", "proxy-x"] {
            assert!(is_hop_by_hop(n), "{n}");
        }
        for n in [
            "t",
            "tex",
            "trailers",
            "upgrades",
            "connections",
            "content-length",
            "proxy",
        ] {
            assert!(!is_hop_by_hop(n), "{n}");
        }
    }

    #[test]
    fn secrets_are_recognised() {
        for n in ["dd-api-key", "authorization", "cookie", "x-custom-api-key"] {
            assert!(is_secret(&HeaderName::from_static(n)), "{n}");
        }
        assert!(!is_secret(&header::CONTENT_TYPE));
    }
}
