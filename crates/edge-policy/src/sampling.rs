//! 56-bit randomness, thresholds and W3C tracestate `ot` handling (§1.7,
//! §1.10).

use std::cell::Cell;

/// 2^56.
pub(crate) const MAX_T: u64 = 1 << 56;
const MASK56: u64 = MAX_T - 1;

/// T = ⌊(1 − p) · 2^56⌋ for a probability p in [0, 1], computed in f64.
pub(crate) fn threshold(p: f64) -> u64 {
    if p >= 1.0 {
        return 0;
    }
    if p <= 0.0 {
        return MAX_T;
    }
    ((1.0 - p) * MAX_T as f64).floor() as u64
}

/// 64-bit FNV-1a.
pub(crate) fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Hash a key string to 56 bits.
pub(crate) fn hash56(s: &[u8]) -> u64 {
    fnv1a64(&[s]) & MASK56
}

/// The least-significant 56 bits (last 7 bytes, big-endian) of an id.
pub(crate) fn id_randomness(id: &[u8]) -> Option<u64> {
    if id.is_empty() || id.iter().all(|b| *b == 0) {
        return None;
    }
    let tail = &id[id.len().saturating_sub(7)..];
    Some(tail.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

thread_local! {
    static RNG: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish() | 1
}

/// A fresh 56-bit random number (thread-local SplitMix64; cheap, no lock).
pub(crate) fn random56() -> u64 {
    RNG.with(|c| {
        let s = c.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        c.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) & MASK56
    })
}

/// Encode a threshold for the `th` sub-key: 14 hex digits truncated to
/// `precision`, trailing zeros stripped, `0` for zero.
pub(crate) fn encode_th(t: u64, precision: u32) -> String {
    if t == 0 {
        return "0".to_owned();
    }
    let full = format!("{:014x}", t.min(MASK56));
    let cut = &full[..(precision.clamp(1, 14) as usize)];
    let trimmed = cut.trim_end_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Decode a `th` value: 1–14 hex digits, right-padded to 14.
pub(crate) fn decode_th(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 14 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = u64::from_str_radix(s, 16).ok()?;
    Some(v << (4 * (14 - s.len())))
}

/// Decode an `rv` value: exactly 14 hex digits.
pub(crate) fn decode_rv(s: &str) -> Option<u64> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// The `ot` sub-keys of interest in a tracestate.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OtState<'a> {
    pub(crate) th: Option<u64>,
    /// The incoming `th` text when it is valid.
    pub(crate) th_text: Option<&'a str>,
    pub(crate) rv: Option<u64>,
}

fn ot_value(tracestate: &str) -> Option<&str> {
    tracestate
        .split(',')
        .map(str::trim)
        .find_map(|m| m.strip_prefix("ot="))
}

/// Read `th` and `rv` from the `ot` member.
pub(crate) fn read_ot(tracestate: &str) -> OtState<'_> {
    let mut st = OtState::default();
    if let Some(ot) = ot_value(tracestate) {
        for sub in ot.split(';') {
            if let Some((k, v)) = sub.split_once(':') {
                match k.trim() {
                    "th" if st.th.is_none() => {
                        st.th = decode_th(v.trim());
                        st.th_text = st.th.map(|_| v.trim());
                    }
                    "rv" if st.rv.is_none() => st.rv = decode_rv(v.trim()),
                    _ => {}
                }
            }
        }
    }
    st
}

/// Rewrite a tracestate with `th:<th>` as the last `ot` sub-key and the `ot`
/// member first (§1.10.5).
pub(crate) fn write_th(tracestate: &str, th: &str) -> String {
    let mut ot_subs: Vec<&str> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    let mut seen_ot = false;
    for m in tracestate
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        if let Some(v) = m.strip_prefix("ot=") {
            if !seen_ot {
                seen_ot = true;
                ot_subs.extend(
                    v.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty() && !s.starts_with("th:")),
                );
            }
        } else {
            others.push(m);
        }
    }
    let mut out = String::with_capacity(tracestate.len() + 8);
    out.push_str("ot=");
    for s in &ot_subs {
        out.push_str(s);
        out.push(';');
    }
    out.push_str("th:");
    out.push_str(th);
    for o in others {
        out.push(',');
        out.push_str(o);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_table() {
        let cases: &[(f32, &str, &str, &str)] = &[
            (100.0, "0", "0", "0"),
            (75.0, "40000000000000", "4", "4"),
            (50.0, "80000000000000", "8", "8"),
            (33.3, "aac08333333330", "aac", "aac08333"),
            (25.0, "c0000000000000", "c", "c"),
            (10.0, "e6666666666668", "e666", "e6666666"),
            (1.0, "fd70a3d70a3d70", "fd7", "fd70a3d7"),
            (0.01, "fff9724747ae18", "fff9", "fff97247"),
        ];
        for (pct, hex, p4, p8) in cases {
            let t = threshold(f64::from(*pct) / 100.0);
            let want = u64::from_str_radix(hex, 16).unwrap();
            assert_eq!(t, want, "{pct}");
            assert_eq!(encode_th(t, 4), *p4);
            assert_eq!(encode_th(t, 8), *p8);
        }
        assert_eq!(threshold(0.0), MAX_T);
    }

    #[test]
    fn tracestate_rewrite_examples() {
        assert_eq!(write_th("", "8"), "ot=th:8");
        assert_eq!(write_th("vendor=existing", "8"), "ot=th:8,vendor=existing");
        assert_eq!(
            write_th("ot=th:c,vendor=existing", "8"),
            "ot=th:8,vendor=existing"
        );
        assert_eq!(write_th("ot=th:4;rv:abc123", "8"), "ot=rv:abc123;th:8");
        assert_eq!(
            write_th("ot=rv:ffffffffffffff,vendor=keep-me", "8"),
            "ot=rv:ffffffffffffff;th:8,vendor=keep-me"
        );
        assert_eq!(
            write_th("vendor1=abc, vendor2=xyz", "0"),
            "ot=th:0,vendor1=abc,vendor2=xyz"
        );
        assert_eq!(write_th("a=1,ot=th:1", "8"), "ot=th:8,a=1");
    }

    #[test]
    fn ot_parsing() {
        let st = read_ot("x=y,ot=rv:10000000000000;th:8");
        assert_eq!(st.rv, Some(0x10000000000000));
        assert_eq!(st.th, Some(0x80000000000000));
        assert_eq!(read_ot("ot=rv:abc123").rv, None);
        assert_eq!(read_ot("ot=th:zz").th, None);
    }

    #[test]
    fn id_randomness_is_last_seven_bytes() {
        let id = hex::decode("4bf92f3577b34da6a3ce929d0e0e4736").unwrap();
        assert_eq!(id_randomness(&id), Some(0xce929d0e0e4736));
        assert_eq!(id_randomness(&[0; 16]), None);
        assert_eq!(id_randomness(&[]), None);
    }

    #[test]
    fn random56_is_in_range_and_varies() {
        let a: Vec<u64> = (0..100).map(|_| random56()).collect();
        assert!(a.iter().all(|v| *v < MAX_T));
        assert!(a.windows(2).any(|w| w[0] != w[1]));
    }
}
