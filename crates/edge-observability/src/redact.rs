//! Hiding credentials in logged headers.

/// What a sensitive header value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Whether a header carries credentials and must never be logged verbatim:
/// `authorization`, `proxy-authorization`, `cookie`, `set-cookie`, `api-key`
/// and any name ending in `-api-key` (e.g. `dd-api-key`, `x-api-key`).
/// Names compare case-insensitively.
#[must_use]
pub fn is_sensitive_header(name: &str) -> bool {
    const EXACT: [&str; 5] = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "api-key",
    ];
    const SUFFIX: &str = "-api-key";
    let name = name.trim();
    EXACT.iter().any(|exact| name.eq_ignore_ascii_case(exact))
        || (name.len() > SUFFIX.len()
            && name
                .get(name.len() - SUFFIX.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(SUFFIX)))
}

/// The value to log for header `name`: [`REDACTED`] for credentials (see
/// [`is_sensitive_header`]), otherwise `value` unchanged. Does not allocate.
///
/// ```
/// use edge_observability::redact_header_value;
///
/// assert_eq!(redact_header_value("DD-API-KEY", "abc123"), "<redacted>");
/// assert_eq!(redact_header_value("content-type", "application/json"), "application/json");
/// ```
#[must_use]
pub fn redact_header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if is_sensitive_header(name) {
        REDACTED
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_names_are_redacted_case_insensitively() {
        for name in [
            "authorization",
            "Authorization",
            "PROXY-AUTHORIZATION",
            "cookie",
            "Set-Cookie",
            "dd-api-key",
            "DD-API-KEY",
            "x-api-key",
            "X-Api-Key",
            "api-key",
        ] {
            assert!(is_sensitive_header(name), "{name}");
            assert_eq!(
                redact_header_value(name, "secret-value"),
                REDACTED,
                "{name}"
            );
        }
    }

    #[test]
    fn other_headers_pass_through() {
        for name in [
            "content-type",
            "content-encoding",
            "x-api-key-id",
            "api-keys",
            "-api-key",
            "authorization-hint",
            "cookies",
            "dd-evp-origin",
            "",
            "ключ-api-key-not",
        ] {
            assert!(!is_sensitive_header(name), "{name}");
            assert_eq!(redact_header_value(name, "visible"), "visible", "{name}");
        }
    }

    #[test]
    fn non_ascii_names_do_not_panic() {
        // The suffix check must not slice inside a multi-byte character.
        assert!(!is_sensitive_header("é-api-ke"));
        assert!(is_sensitive_header("é-api-key"));
        assert!(!is_sensitive_header("aé"));
    }
}
