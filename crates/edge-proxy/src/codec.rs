//! Request body decompression with a hard output limit, and re-encoding.
//!
//! Decoding reads at most `limit + 1` bytes of output, so a decompression
//! bomb costs at most the limit in memory before it is refused.

#![deny(unsafe_code)]

mod native;

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, Read};
use std::thread::LocalKey;

use http::HeaderMap;

/// A `Content-Encoding` the proxy can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncoding {
    /// No encoding (absent, empty or `identity`).
    Identity,
    /// `gzip` or `x-gzip` (all members are read).
    Gzip,
    /// `deflate`, zlib-wrapped or raw.
    Deflate,
    /// `zstd` (all frames are read).
    Zstd,
}

impl ContentEncoding {
    /// Reads the request's `Content-Encoding`. `Err` carries the unsupported
    /// value (safe to log: it is not a secret) for the caller to report.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, String> {
        let mut values = headers.get_all(http::header::CONTENT_ENCODING).iter();
        let Some(value) = values.next() else {
            return Ok(ContentEncoding::Identity);
        };
        if values.next().is_some() {
            return Err("multiple encodings".to_owned());
        }
        let Ok(text) = value.to_str() else {
            return Err("non-ASCII value".to_owned());
        };
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("identity") {
            Ok(ContentEncoding::Identity)
        } else if text.eq_ignore_ascii_case("gzip") || text.eq_ignore_ascii_case("x-gzip") {
            Ok(ContentEncoding::Gzip)
        } else if text.eq_ignore_ascii_case("deflate") {
            Ok(ContentEncoding::Deflate)
        } else if text.eq_ignore_ascii_case("zstd") {
            Ok(ContentEncoding::Zstd)
        } else {
            Err(text.chars().take(32).collect())
        }
    }
}

/// The exact wire format found while decoding, so a changed body is
/// re-encoded the way the client sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Uncompressed.
    Identity,
    /// gzip.
    Gzip,
    /// zlib-wrapped deflate.
    Zlib,
    /// Raw deflate.
    RawDeflate,
    /// zstd.
    Zstd,
}

/// Why decoding failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The decoded body would exceed the limit.
    #[error("decoded body exceeds {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The compressed data is corrupt, truncated or followed by garbage.
    #[error("{0}")]
    Corrupt(String),
}

/// Largest zstd window accepted (2^25 = 32 MiB), bounding decoder memory.
const ZSTD_WINDOW_LOG_MAX: u32 = 25;

/// Decodes `body` sent with `encoding`, refusing output over `limit` bytes.
pub fn decode(
    encoding: ContentEncoding,
    body: &[u8],
    limit: usize,
) -> Result<(Cow<'_, [u8]>, Codec), DecodeError> {
    match encoding {
        ContentEncoding::Identity => {
            if body.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
            Ok((Cow::Borrowed(body), Codec::Identity))
        }
        ContentEncoding::Gzip => decode_gzip(body, limit).map(|b| (Cow::Owned(b), Codec::Gzip)),
        ContentEncoding::Deflate => {
            let zlib = looks_like_zlib(body);
            let mut out = Vec::with_capacity(capacity_hint(body, false, limit));
            let rest = inflate_member(&mut flate2::Decompress::new(zlib), body, limit, &mut out)?;
            ensure_only_padding(rest)?;
            let codec = if zlib { Codec::Zlib } else { Codec::RawDeflate };
            Ok((Cow::Owned(out), codec))
        }
        ContentEncoding::Zstd => {
            let mut decoder = zstd::stream::read::Decoder::with_buffer(body)
                .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
            decoder
                .window_log_max(ZSTD_WINDOW_LOG_MAX)
                .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
            let out = Vec::with_capacity(capacity_hint(body, false, limit));
            read_limited(&mut decoder, limit, out).map(|b| (Cow::Owned(b), Codec::Zstd))
        }
    }
}

fn looks_like_zlib(body: &[u8]) -> bool {
    match body {
        [cmf, flg, ..] => {
            cmf & 0x0F == 8 && cmf >> 4 <= 7 && ((u16::from(*cmf) << 8) | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// Output capacity to reserve before inflating `body`, so the output is not
/// copied while it grows: gzip's trailer states the (last member's) size
/// modulo 2^32, other formats get a typical ratio. Never more than `limit`
/// nor 64 times the input, so a lying trailer reserves little; a short
/// guess only means the buffer grows (for gzip, the member that did not fit
/// is inflated again, at most about twice the work in all).
fn capacity_hint(body: &[u8], gzip: bool, limit: usize) -> usize {
    let guess = match body {
        [.., a, b, c, d] if gzip => u32::from_le_bytes([*a, *b, *c, *d]) as usize,
        _ => body.len().saturating_mul(4),
    };
    guess
        .max(body.len())
        .min(body.len().saturating_mul(64))
        .min(limit.saturating_add(1))
}

/// Reads all gzip members (at least one); trailing zero bytes are tolerated,
/// anything else after the last member is corruption. Each member's header is parsed (and
/// its optional header CRC checked) here, its deflate data inflated whole by
/// libdeflate straight into `out`, sized from the trailer, and its CRC-32
/// and length checked here.
fn decode_gzip(body: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    if body.is_empty() {
        return Err(corrupt("empty gzip body"));
    }
    // One byte over the stated size, so a stream of exactly that size
    // fits without growing the buffer.
    let capacity = capacity_hint(body, true, limit)
        .saturating_add(1)
        .min(limit.saturating_add(1));
    let mut out = Vec::with_capacity(capacity);
    with_cached(
        &INFLATER,
        || native::Inflater::new().ok_or_else(|| corrupt("gzip decoder allocation failed")),
        |inflater| {
            // At least one member: zeros alone are not gzip data.
            let mut rest = gzip_member(inflater, body, limit, &mut out)?;
            loop {
                if rest.iter().all(|&b| b == 0) {
                    return Ok(());
                }
                if !rest.starts_with(&GZIP_MAGIC[..rest.len().min(2)]) {
                    return Err(corrupt("unexpected bytes after gzip data"));
                }
                rest = gzip_member(inflater, rest, limit, &mut out)?;
            }
        },
    )?;
    Ok(out)
}

fn corrupt(reason: &str) -> DecodeError {
    DecodeError::Corrupt(reason.to_owned())
}

/// The first two bytes of every gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// gzip header flags (RFC 1952, 2.3.1).
const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
const FRESERVED: u8 = 0xe0;

/// Checks the gzip member header at the start of `input` (RFC 1952: magic,
/// method, flags, the optional extra field, name and comment, and the
/// optional header CRC, the low 16 bits of the CRC-32 of the header bytes
/// before it) and returns its length.
fn gzip_header_len(input: &[u8]) -> Result<usize, DecodeError> {
    let truncated = || corrupt("truncated gzip header");
    if !input.starts_with(&GZIP_MAGIC[..input.len().min(2)]) {
        return Err(corrupt("not gzip data (bad magic bytes)"));
    }
    // ID1 ID2 CM FLG MTIME(4) XFL OS
    let fixed = input.get(..10).ok_or_else(truncated)?;
    let (method, flags) = (fixed[2], fixed[3]);
    if method != 8 {
        return Err(corrupt(
            "invalid gzip header (compression method is not deflate)",
        ));
    }
    if flags & FRESERVED != 0 {
        return Err(corrupt("invalid gzip header (reserved flags set)"));
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = input.get(at..at + 2).ok_or_else(truncated)?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for field in [FNAME, FCOMMENT] {
        if flags & field != 0 {
            // Zero-terminated.
            let text = input.get(at..).ok_or_else(truncated)?;
            at += 1 + text.iter().position(|&b| b == 0).ok_or_else(truncated)?;
        }
    }
    if flags & FHCRC != 0 {
        let stated = input.get(at..at + 2).ok_or_else(truncated)?;
        let crc = native::crc32(&input[..at]);
        if u16::from_le_bytes([stated[0], stated[1]]) != crc as u16 {
            return Err(corrupt("gzip header CRC mismatch"));
        }
        at += 2;
    }
    if at > input.len() {
        return Err(truncated());
    }
    Ok(at)
}

/// Inflates the gzip member at the start of `input`, appending to `out`,
/// and returns the input after it. libdeflate needs room for the whole
/// member: when `out`'s spare capacity is too small the member is inflated
/// again into a larger buffer (doubling, so at most about twice the work),
/// and `out` never holds more than `limit + 1` bytes: a member that does not
/// fit in that is `TooLarge`.
fn gzip_member<'a>(
    inflater: &mut native::Inflater,
    input: &'a [u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<&'a [u8], DecodeError> {
    let data = &input[gzip_header_len(input)?..];
    let cap = limit.saturating_add(1);
    let start = out.len();
    loop {
        if out.len() > limit {
            return Err(DecodeError::TooLarge { limit });
        }
        match inflater.inflate(data, out) {
            native::Inflated::Done { used_in } => {
                if out.len() > limit {
                    return Err(DecodeError::TooLarge { limit });
                }
                let Some((trailer, rest)) = data[used_in..].split_first_chunk::<8>() else {
                    return Err(corrupt("truncated gzip trailer"));
                };
                let [c0, c1, c2, c3, s0, s1, s2, s3] = *trailer;
                if u32::from_le_bytes([c0, c1, c2, c3]) != native::crc32(&out[start..]) {
                    return Err(corrupt("gzip CRC-32 mismatch"));
                }
                if u32::from_le_bytes([s0, s1, s2, s3]) != (out.len() - start) as u32 {
                    return Err(corrupt("gzip length mismatch"));
                }
                return Ok(rest);
            }
            native::Inflated::NoRoom => {
                if out.capacity() >= cap {
                    // The member alone needs more than `cap - len`.
                    return Err(DecodeError::TooLarge { limit });
                }
                // Grow like a `Vec` would (doubling, 64 KiB at least), but
                // never past the limit.
                let room = out.capacity() - out.len();
                let step = out.capacity().max(64 * 1024).min(cap - out.capacity());
                out.reserve_exact(room + step);
            }
            native::Inflated::BadData => return Err(deflate_failure(data, cap - start)),
        }
    }
}

/// Tells why libdeflate refused the deflate `data` of a gzip member (it
/// does not say): inflated again with zlib-rs into a small reused buffer,
/// at most `budget` bytes of output, it either runs out of input
/// (truncated) or finds the corruption. Only runs for refused bodies.
fn deflate_failure(data: &[u8], budget: usize) -> DecodeError {
    let mut inflater = flate2::Decompress::new(false);
    let mut scratch = vec![0u8; 64 * 1024];
    loop {
        let before = (inflater.total_in(), inflater.total_out());
        let rest = &data[(before.0 as usize).min(data.len())..];
        match inflater.decompress(rest, &mut scratch, flate2::FlushDecompress::None) {
            Err(e) => {
                return DecodeError::Corrupt(format!(
                    "corrupt deflate data in gzip member ({})",
                    short_inflate_error(&e)
                ))
            }
            // libdeflate found an error zlib-rs does not: corrupt anyway.
            Ok(flate2::Status::StreamEnd) => break,
            Ok(_) => {}
        }
        let progress = (inflater.total_in(), inflater.total_out()) != before;
        if inflater.total_in() as usize >= data.len() && !progress {
            return corrupt("truncated gzip data");
        }
        if !progress || inflater.total_out() as usize > budget {
            break;
        }
    }
    corrupt("corrupt deflate data in gzip member")
}

/// Inflates one zlib or raw deflate stream from the start of `input`,
/// appending to `out`, and returns the input after its end. `out` never
/// holds more than `limit + 1` bytes: its capacity only grows by exact steps
/// up to that, and decoding stops with `TooLarge` as soon as the output
/// passes the limit.
fn inflate_member<'a>(
    inflater: &mut flate2::Decompress,
    input: &'a [u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<&'a [u8], DecodeError> {
    let cap = limit.saturating_add(1);
    let mut rest = input;
    loop {
        if out.len() > limit {
            return Err(DecodeError::TooLarge { limit });
        }
        if out.len() == out.capacity() {
            // Grow like a `Vec` would (doubling, 64 KiB at least), but never
            // past the limit.
            let step = out.len().max(64 * 1024).min(cap - out.len());
            out.reserve_exact(step);
        }
        let (in_before, out_before) = (inflater.total_in(), out.len());
        let status = inflater
            .decompress_vec(rest, out, flate2::FlushDecompress::None)
            .map_err(|e| DecodeError::Corrupt(short_inflate_error(&e)))?;
        let consumed = (inflater.total_in() - in_before) as usize;
        rest = &rest[consumed..];
        if out.len() > limit {
            return Err(DecodeError::TooLarge { limit });
        }
        if status == flate2::Status::StreamEnd {
            return Ok(rest);
        }
        if consumed == 0 && out.len() == out_before && out.len() < out.capacity() {
            // Room for output and no progress: the input ran out.
            return Err(DecodeError::Corrupt(if rest.is_empty() {
                "truncated compressed body".to_owned()
            } else {
                "compressed stream made no progress".to_owned()
            }));
        }
    }
}

fn short_inflate_error(e: &flate2::DecompressError) -> String {
    e.to_string().chars().take(120).collect()
}

fn ensure_only_padding(rest: &[u8]) -> Result<(), DecodeError> {
    if rest.iter().all(|&b| b == 0) {
        Ok(())
    } else {
        Err(DecodeError::Corrupt(
            "unexpected bytes after compressed stream".to_owned(),
        ))
    }
}

/// Appends the decoder's output to `out`, failing once the total exceeds
/// `limit`.
fn read_limited(
    decoder: &mut impl Read,
    limit: usize,
    mut out: Vec<u8>,
) -> Result<Vec<u8>, DecodeError> {
    let budget = (limit - out.len().min(limit)) as u64 + 1;
    let before = out.len();
    decoder
        .take(budget)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Corrupt(short_io(&e)))?;
    if out.len() - before >= budget as usize {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(out)
}

fn short_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "truncated compressed body".to_owned(),
        _ => e.to_string().chars().take(120).collect(),
    }
}

/// ISA-L compression level for re-encoded bodies (ISA-L has levels 0 to 3).
/// On OTLP and JSON telemetry, level 2 costs about half the CPU of zlib's
/// level 1 and compresses 5 to 30% tighter; the body only travels one hop
/// to the upstream, which inflates it just as fast whatever the level.
/// Level 1 is no cheaper here (callgrind, `profile_modules` 100m gzip, 1 MiB
/// bodies: 1.6 to 3.6% more instructions and 0.6 to 2.8% larger output;
/// 2 and 20 KiB bodies: the same within 1%).
const DEFLATE_LEVEL: u32 = 2;
/// zstd level for re-encoded bodies (1 is zstd's fastest standard level).
const ZSTD_LEVEL: i32 = 1;

/// Compresses `data` in the format `codec` describes.
pub fn encode(codec: Codec, data: &[u8]) -> io::Result<Vec<u8>> {
    // Text telemetry compresses to roughly a quarter at level 1.
    encode_with_capacity(codec, data, data.len() / 4 + 64)
}

/// Like [`encode`], with the output buffer first sized for `capacity` bytes
/// (for instance the size of the body as the client compressed it), so a
/// good guess means the output is written once and never moved.
pub fn encode_with_capacity(codec: Codec, data: &[u8], capacity: usize) -> io::Result<Vec<u8>> {
    let wrapper = match codec {
        Codec::Identity => return Ok(data.to_vec()),
        Codec::Zstd => return zstd::bulk::compress(data, ZSTD_LEVEL),
        // ISA-L writes the gzip or zlib header and trailer itself.
        Codec::Gzip => native::Wrapper::Gzip,
        Codec::Zlib => native::Wrapper::Zlib,
        Codec::RawDeflate => native::Wrapper::Raw,
    };
    let mut out = Vec::with_capacity(capacity.max(64));
    with_cached(
        &DEFLATER,
        || Ok(Box::new(native::Deflater::new(DEFLATE_LEVEL))),
        |deflater| deflater.compress(wrapper, data, &mut out),
    )
    .map_err(io::Error::other)?;
    Ok(out)
}

thread_local! {
    /// This thread's ISA-L stream and scratch buffer (about 400 KiB in all),
    /// kept between re-encodings instead of allocated (and the stream
    /// zeroed) for each one.
    static DEFLATER: Cell<Option<Box<native::Deflater>>> = const { Cell::new(None) };
    /// This thread's libdeflate decompressor (about 10 KiB).
    static INFLATER: Cell<Option<native::Inflater>> = const { Cell::new(None) };
}

/// An ISA-L stream with its level-2 scratch buffer, as [`native::Deflater`]
/// allocates them (about 80 KiB and 324 KiB), rounded up.
const DEFLATER_STATE: usize = 420 * 1024;

/// The output buffer a re-encode of `decoded_len` bytes starts with when the
/// client sent them as `compressed_len` bytes: the client's own compressed
/// size with room for compressing less tightly, never more than deflate's
/// worst case.
pub fn reencode_capacity(compressed_len: usize, decoded_len: usize) -> usize {
    (compressed_len + compressed_len / 2 + 1024).min(decoded_len + decoded_len / 64 + 1024)
}

/// Heap bytes a re-encode of `decoded_len` bytes takes at its peak, output
/// included, when the client sent them as `compressed_len` bytes (see
/// [`reencode_capacity`]): the output buffer, one growth of it by half while
/// the old one is copied, and the encoder's state (counted although each
/// thread keeps one for all its re-encodings, see [`with_cached`]). `0` for identity, which
/// sends the module's buffer as it is.
pub fn encode_memory(codec: Codec, compressed_len: usize, decoded_len: usize) -> usize {
    match codec {
        Codec::Identity => 0,
        // zstd's one-shot output is its compress bound; a level 1 context
        // for a large input is about 1.3 MiB.
        Codec::Zstd => decoded_len + decoded_len / 64 + 2 * 1024 * 1024,
        Codec::Gzip | Codec::Zlib | Codec::RawDeflate => {
            let capacity = reencode_capacity(compressed_len, decoded_len);
            capacity + capacity / 2 + 2048 + DEFLATER_STATE
        }
    }
}

/// Runs `f` with this thread's cached object from `cache`, made by `new`
/// when there is none. Memory stays bounded: at most one object per cache
/// and thread (the proxy's thread pools are bounded), freed when the thread
/// ends. The object is taken out of the cache for the call and put back
/// only when `f` returns, so a panic in `f` drops it rather than leaving a
/// half-used object for the next call, and a nested call (or one during
/// thread teardown) simply makes its own. Objects reset their own state at
/// the start of each use.
fn with_cached<T: 'static, R, E>(
    cache: &'static LocalKey<Cell<Option<T>>>,
    new: impl FnOnce() -> Result<T, E>,
    f: impl FnOnce(&mut T) -> Result<R, E>,
) -> Result<R, E> {
    let mut object = match cache.try_with(Cell::take).ok().flatten() {
        Some(object) => object,
        None => new()?,
    };
    let result = f(&mut object);
    // During thread teardown there is no cache left: the object is dropped.
    let _ = cache.try_with(|c| c.set(Some(object)));
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::io::Write;

    const DATA: &[u8] = br#"[{"message":"hello"},{"message":"world"}]"#;

    /// The re-encoder's state counted in [`encode_memory`] covers what
    /// [`native::Deflater`] allocates at the level used (its stream and its
    /// level buffer), so the constant cannot fall behind ISA-L's sizes.
    #[test]
    fn encode_memory_covers_the_deflater_state() {
        use isal_sys::igzip_lib as isal;
        let level_buf = match DEFLATE_LEVEL {
            0 => 0,
            1 => isal::ISAL_DEF_LVL1_DEFAULT as usize,
            2 => isal::ISAL_DEF_LVL2_DEFAULT as usize,
            _ => isal::ISAL_DEF_LVL3_DEFAULT as usize,
        };
        let state = std::mem::size_of::<isal::isal_zstream>() + level_buf;
        assert!(DEFLATER_STATE >= state, "{DEFLATER_STATE} < {state}");
        // An empty re-encode still counts the state.
        assert!(encode_memory(Codec::Gzip, 0, 0) >= state);
    }

    #[test]
    fn encodings_are_recognised_case_insensitively() {
        let mut h = HeaderMap::new();
        assert_eq!(
            ContentEncoding::from_headers(&h),
            Ok(ContentEncoding::Identity)
        );
        for (v, want) in [
            ("GZIP", ContentEncoding::Gzip),
            ("x-gzip", ContentEncoding::Gzip),
            (" Deflate ", ContentEncoding::Deflate),
            ("zstd", ContentEncoding::Zstd),
            ("", ContentEncoding::Identity),
            ("identity", ContentEncoding::Identity),
        ] {
            h.insert(http::header::CONTENT_ENCODING, HeaderValue::from_static(v));
            assert_eq!(ContentEncoding::from_headers(&h), Ok(want), "{v}");
        }
        h.insert(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_static("br"),
        );
        assert!(ContentEncoding::from_headers(&h).is_err());
        h.insert(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_bytes(b"gz\xffip").unwrap(),
        );
        assert!(ContentEncoding::from_headers(&h).is_err());
    }

    #[test]
    fn round_trips_every_codec() {
        for (codec, enc) in [
            (Codec::Gzip, ContentEncoding::Gzip),
            (Codec::Zlib, ContentEncoding::Deflate),
            (Codec::RawDeflate, ContentEncoding::Deflate),
            (Codec::Zstd, ContentEncoding::Zstd),
            (Codec::Identity, ContentEncoding::Identity),
        ] {
            let wire = encode(codec, DATA).unwrap();
            let (plain, found) = decode(enc, &wire, 1024).unwrap();
            assert_eq!(&*plain, DATA, "{codec:?}");
            assert_eq!(found, codec);
        }
    }

    #[test]
    fn multi_member_gzip_is_read_to_the_end() {
        let mut wire = encode(Codec::Gzip, br#"[{"message":"a"}"#).unwrap();
        wire.extend(encode(Codec::Gzip, br#",{"message":"b"}]"#).unwrap());
        let (plain, _) = decode(ContentEncoding::Gzip, &wire, 1024).unwrap();
        assert_eq!(&*plain, br#"[{"message":"a"},{"message":"b"}]"#);
        // Zero padding is fine, garbage is not.
        let mut padded = wire.clone();
        padded.extend([0u8; 16]);
        assert!(decode(ContentEncoding::Gzip, &padded, 1024).is_ok());
        let mut garbage = wire;
        garbage.extend(b"not gzip");
        assert!(matches!(
            decode(ContentEncoding::Gzip, &garbage, 1024),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn multi_frame_zstd_is_read_to_the_end() {
        let mut wire = encode(Codec::Zstd, b"[1,").unwrap();
        wire.extend(encode(Codec::Zstd, b"2]").unwrap());
        let (plain, _) = decode(ContentEncoding::Zstd, &wire, 1024).unwrap();
        assert_eq!(&*plain, b"[1,2]");
    }

    #[test]
    fn truncated_streams_are_corrupt() {
        for (codec, enc) in [
            (Codec::Gzip, ContentEncoding::Gzip),
            (Codec::Zlib, ContentEncoding::Deflate),
            (Codec::Zstd, ContentEncoding::Zstd),
        ] {
            let wire = encode(codec, DATA).unwrap();
            let cut = &wire[..wire.len() / 2];
            assert!(
                matches!(decode(enc, cut, 1024), Err(DecodeError::Corrupt(_))),
                "{codec:?}"
            );
        }
        assert!(matches!(
            decode(ContentEncoding::Gzip, b"plain text", 1024),
            Err(DecodeError::Corrupt(_))
        ));
    }

    /// A decompression bomb: `data` compressed as tightly as the format
    /// allows (the proxy's own re-encoding uses a fast level instead).
    fn bomb(codec: Codec, data: &[u8]) -> Vec<u8> {
        let best = flate2::Compression::best();
        match codec {
            Codec::Identity => data.to_vec(),
            Codec::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), best);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Codec::Zlib => {
                let mut e = flate2::write::ZlibEncoder::new(Vec::new(), best);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Codec::RawDeflate => {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), best);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Codec::Zstd => zstd::bulk::compress(data, 19).unwrap(),
        }
    }

    #[test]
    fn output_reservation_is_bounded_whatever_the_gzip_trailer_says() {
        let mut wire = encode(Codec::Gzip, DATA).unwrap();
        let n = wire.len();
        // Tiny bodies grow when compressed: never less than the input.
        assert_eq!(capacity_hint(&wire, true, 1 << 20), DATA.len().max(n));
        // A trailer claiming 4 GiB reserves at most 64 times the input.
        wire[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(capacity_hint(&wire, true, 64 << 20), n * 64);
        assert_eq!(capacity_hint(&wire, true, 100), 101);
        assert!(matches!(
            decode(ContentEncoding::Gzip, &wire, 1024),
            Err(DecodeError::Corrupt(_))
        ));
    }

    /// Telemetry-like text of `n` bytes that does not compress to nothing.
    fn text(n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        let mut x = 0x2545_f491_4f6c_dd1du64;
        while out.len() < n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.extend_from_slice(
                format!("{{\"message\":\"req {} took {}ms\"}},", x % 9973, x % 311).as_bytes(),
            );
        }
        out.truncate(n);
        out
    }

    #[test]
    fn gzip_headers_with_optional_fields_are_read() {
        let mut e = flate2::GzBuilder::new()
            .filename("logs.json")
            .comment("sent by a test")
            .extra(vec![1, 2, 3, 4])
            .write(Vec::new(), flate2::Compression::default());
        e.write_all(DATA).unwrap();
        let wire = e.finish().unwrap();
        let (plain, codec) = decode(ContentEncoding::Gzip, &wire, 1024).unwrap();
        assert_eq!((&*plain, codec), (DATA, Codec::Gzip));
    }

    #[test]
    fn large_bodies_round_trip_whatever_the_size_guesses() {
        let data = text(3 * 1024 * 1024 + 17);
        for (codec, enc) in [
            (Codec::Gzip, ContentEncoding::Gzip),
            (Codec::Zlib, ContentEncoding::Deflate),
            (Codec::RawDeflate, ContentEncoding::Deflate),
        ] {
            // An output guess far too small grows; the decoder's does too.
            let wire = encode_with_capacity(codec, &data, 1).unwrap();
            assert_eq!(wire, encode(codec, &data).unwrap(), "{codec:?}");
            let (plain, found) = decode(enc, &wire, data.len()).unwrap();
            assert!(*plain == *data, "{codec:?}");
            assert_eq!(found, codec);
            assert_eq!(
                decode(enc, &wire, data.len() - 1),
                Err(DecodeError::TooLarge {
                    limit: data.len() - 1
                }),
                "{codec:?}"
            );
            let cut = &wire[..wire.len() - 9];
            assert!(
                matches!(decode(enc, cut, data.len()), Err(DecodeError::Corrupt(_))),
                "{codec:?}"
            );
        }
        // A gzip trailer understating the size: the output grows past it,
        // and the CRC/length check then refuses the member.
        let mut wire = encode(Codec::Gzip, &data).unwrap();
        let n = wire.len();
        wire[n - 4..].copy_from_slice(&1000u32.to_le_bytes());
        assert!(matches!(
            decode(ContentEncoding::Gzip, &wire, data.len()),
            Err(DecodeError::Corrupt(_))
        ));
    }

    /// Bytes that do not compress: the deflate output is larger than them.
    fn noise(n: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn re_encoded_bodies_are_standard_streams() {
        // Checked with flate2's own readers, not with `decode`.
        for data in [
            Vec::new(),
            DATA.to_vec(),
            text(2 * 1024 * 1024),
            noise(300 * 1024),
        ] {
            for codec in [Codec::Gzip, Codec::Zlib, Codec::RawDeflate] {
                let wire = encode_with_capacity(codec, &data, 1).unwrap();
                let mut plain = Vec::new();
                match codec {
                    Codec::Gzip => flate2::read::GzDecoder::new(&wire[..]).read_to_end(&mut plain),
                    Codec::Zlib => {
                        flate2::read::ZlibDecoder::new(&wire[..]).read_to_end(&mut plain)
                    }
                    _ => flate2::read::DeflateDecoder::new(&wire[..]).read_to_end(&mut plain),
                }
                .unwrap();
                assert!(plain == data, "{codec:?} {}", data.len());
                assert_eq!(looks_like_zlib(&wire), codec == Codec::Zlib, "{codec:?}");
            }
        }
    }

    #[test]
    fn decoded_output_never_holds_more_than_the_limit() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let wire = bomb(Codec::Gzip, &zeros);
        let mut out = Vec::with_capacity(10);
        let limit = 300 * 1024;
        assert_eq!(
            inflate_member(
                &mut flate2::Decompress::new_gzip(15),
                &wire,
                limit,
                &mut out
            ),
            Err(DecodeError::TooLarge { limit })
        );
        assert!(out.capacity() <= limit + 1, "{}", out.capacity());
    }

    /// `wire` with its last gzip trailer's length field set to `isize`.
    fn with_isize(mut wire: Vec<u8>, isize: u32) -> Vec<u8> {
        let n = wire.len();
        wire[n - 4..].copy_from_slice(&isize.to_le_bytes());
        wire
    }

    #[test]
    fn gzip_members_larger_than_the_trailer_says_are_inflated_again() {
        // The hint comes from the last member's trailer: here 1 byte, while
        // the first member is 2 MiB; its output buffer grows and it is
        // inflated again, as often as needed.
        let big = text(2 * 1024 * 1024);
        let mut wire = encode(Codec::Gzip, &big).unwrap();
        wire.extend(encode(Codec::Gzip, b"x").unwrap());
        let mut want = big.clone();
        want.push(b'x');
        let (plain, _) = decode(ContentEncoding::Gzip, &wire, want.len()).unwrap();
        assert!(*plain == *want);
        // One byte less is too large, whichever member passes the limit.
        assert_eq!(
            decode(ContentEncoding::Gzip, &wire, want.len() - 1),
            Err(DecodeError::TooLarge {
                limit: want.len() - 1
            })
        );
        assert_eq!(
            decode(ContentEncoding::Gzip, &wire, big.len() - 1),
            Err(DecodeError::TooLarge {
                limit: big.len() - 1
            })
        );
        // A first member whose own trailer lies is corrupt.
        let first = with_isize(encode(Codec::Gzip, &big).unwrap(), 7);
        let mut lying = first.clone();
        lying.extend(encode(Codec::Gzip, b"x").unwrap());
        assert!(matches!(
            decode(ContentEncoding::Gzip, &lying, want.len()),
            Err(DecodeError::Corrupt(_))
        ));
        // So is a member cut short, after the first one or alone.
        let mut cut = encode(Codec::Gzip, &big).unwrap();
        let second = encode(Codec::Gzip, &big[..1000]).unwrap();
        cut.extend(&second[..second.len() - 3]);
        assert!(matches!(
            decode(ContentEncoding::Gzip, &cut, 2 * want.len()),
            Err(DecodeError::Corrupt(_))
        ));
        assert!(matches!(
            decode(
                ContentEncoding::Gzip,
                &first[..first.len() - 100],
                want.len()
            ),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn gzip_bombs_with_lying_trailers_stop_at_the_limit() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let wire = bomb(Codec::Gzip, &zeros);
        let limit = 1024 * 1024;
        for isize in [0, 10, limit as u32 - 1, limit as u32, u32::MAX] {
            let lying = with_isize(wire.clone(), isize);
            assert_eq!(
                decode(ContentEncoding::Gzip, &lying, limit),
                Err(DecodeError::TooLarge { limit }),
                "{isize}"
            );
            let mut out = Vec::new();
            assert_eq!(
                gzip_member(
                    &mut native::Inflater::new().unwrap(),
                    &lying,
                    limit,
                    &mut out
                ),
                Err(DecodeError::TooLarge { limit }),
                "{isize}"
            );
            assert!(out.capacity() <= limit + 1, "{}", out.capacity());
        }
        // A trailer stating more than the limit for a body within it: the
        // reservation stays within the limit and the mismatch is corrupt.
        let small = encode(Codec::Gzip, DATA).unwrap();
        assert!(matches!(
            decode(ContentEncoding::Gzip, &with_isize(small, 4096), 1024),
            Err(DecodeError::Corrupt(_))
        ));
    }

    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        crc.sum()
    }

    /// A gzip member written by hand: `flags` (with the optional fields
    /// they announce) and a header CRC that is right, or off by one.
    fn gzip_with_header(data: &[u8], flags: u8, right_crc: bool) -> Vec<u8> {
        let mut wire = vec![0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 255];
        if flags & FEXTRA != 0 {
            wire.extend([4, 0, b'a', b'b', 2, 0]);
        }
        if flags & FNAME != 0 {
            wire.extend(b"logs.json\0");
        }
        if flags & FCOMMENT != 0 {
            wire.extend(b"a comment\0");
        }
        if flags & FHCRC != 0 {
            let crc = crc(&wire) as u16;
            let crc = if right_crc { crc } else { crc ^ 1 };
            wire.extend(crc.to_le_bytes());
        }
        wire.extend(encode(Codec::RawDeflate, data).unwrap());
        wire.extend(crc(data).to_le_bytes());
        wire.extend((data.len() as u32).to_le_bytes());
        wire
    }

    #[test]
    fn gzip_header_crcs_are_checked() {
        for flags in [FHCRC, FHCRC | FEXTRA | FNAME | FCOMMENT, FHCRC | FNAME] {
            let good = gzip_with_header(DATA, flags, true);
            let (plain, _) = decode(ContentEncoding::Gzip, &good, 1024).unwrap();
            assert_eq!(&*plain, DATA, "{flags:#x}");
            // In a second member too.
            let mut two = encode(Codec::Gzip, DATA).unwrap();
            two.extend(gzip_with_header(DATA, flags, false));
            for wire in [gzip_with_header(DATA, flags, false), two] {
                assert_eq!(
                    decode(ContentEncoding::Gzip, &wire, 1024),
                    Err(DecodeError::Corrupt("gzip header CRC mismatch".into())),
                    "{flags:#x}"
                );
            }
        }
        // Without FHCRC there is nothing to check.
        let plain = gzip_with_header(DATA, FNAME | FEXTRA, false);
        assert!(decode(ContentEncoding::Gzip, &plain, 1024).is_ok());
    }

    #[test]
    fn corrupt_gzip_bodies_say_what_is_wrong() {
        let data = text(200 * 1024);
        let wire = encode(Codec::Gzip, &data).unwrap();
        let n = wire.len();
        let with = |at: usize, byte: u8| {
            let mut w = wire.clone();
            w[at] = byte;
            w
        };
        let mut garbage = wire.clone();
        garbage.extend(b"trailing words");
        let mut second_cut = wire.clone();
        second_cut.extend(&wire[..5]);
        let named = gzip_with_header(DATA, FNAME, true);
        // A final block of the reserved type 3 right after the header.
        let bad_block = with(10, 0x07);
        let crc = with(n - 6, wire[n - 6] ^ 0x10);
        let length = with(n - 2, wire[n - 2] ^ 0x10);
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty gzip body"),
            (b"{\"json\":1}", "not gzip data (bad magic bytes)"),
            (&wire[..1], "truncated gzip header"),
            (&wire[..9], "truncated gzip header"),
            (&named[..14], "truncated gzip header"),
            (
                &with(2, 7),
                "invalid gzip header (compression method is not deflate)",
            ),
            (&with(3, 0x20), "invalid gzip header (reserved flags set)"),
            (&wire[..n / 2], "truncated gzip data"),
            (&wire[..n - 3], "truncated gzip trailer"),
            (&second_cut, "truncated gzip header"),
            (&crc, "gzip CRC-32 mismatch"),
            (&length, "gzip length mismatch"),
            (&garbage, "unexpected bytes after gzip data"),
        ];
        for &(body, want) in cases {
            assert_eq!(
                decode(ContentEncoding::Gzip, body, 1 << 20),
                Err(DecodeError::Corrupt(want.into())),
                "{want}"
            );
        }
        match decode(ContentEncoding::Gzip, &bad_block, 1 << 20) {
            Err(DecodeError::Corrupt(why)) => assert!(
                why.starts_with("corrupt deflate data in gzip member ("),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
        // Over the limit stays `TooLarge`, whatever else is wrong after it.
        assert_eq!(
            decode(ContentEncoding::Gzip, &crc, 1000),
            Err(DecodeError::TooLarge { limit: 1000 })
        );
    }

    /// Bodies of many sizes, compressible or not, in every deflate format.
    fn assorted() -> Vec<(Codec, Vec<u8>)> {
        let formats = [Codec::Gzip, Codec::Zlib, Codec::RawDeflate];
        [
            0,
            1,
            41,
            2048,
            20 * 1024,
            70 * 1024,
            300 * 1024,
            1 << 20,
            5,
            3 * 1024 * 1024,
            100,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let data = if i % 3 == 1 { noise(n) } else { text(n) };
            (formats[i % 3], data)
        })
        .collect()
    }

    #[test]
    fn the_cached_deflater_compresses_like_a_fresh_one() {
        let created = native::tests::created();
        for round in 0..2 {
            for (codec, data) in assorted() {
                let wrapper = match codec {
                    Codec::Gzip => native::Wrapper::Gzip,
                    Codec::Zlib => native::Wrapper::Zlib,
                    _ => native::Wrapper::Raw,
                };
                // ISA-L's stored blocks depend on the output room, so both
                // start with the same.
                let capacity = 64 + round * 4096;
                let mut fresh = Vec::with_capacity(capacity);
                native::Deflater::new(DEFLATE_LEVEL)
                    .compress(wrapper, &data, &mut fresh)
                    .unwrap();
                let cached = encode_with_capacity(codec, &data, capacity).unwrap();
                assert!(cached == fresh, "{codec:?} {}", data.len());
            }
        }
        // One deflater per round of fresh ones, and one cached for all.
        assert_eq!(
            native::tests::created().0 - created.0,
            2 * assorted().len() + 1
        );
    }

    #[test]
    fn the_cached_inflater_survives_failures() {
        let created = native::tests::created();
        let bodies = assorted();
        for (i, (codec, data)) in bodies.iter().enumerate() {
            let mut wire = encode(*codec, data).unwrap();
            if *codec != Codec::Gzip {
                wire = encode(Codec::Gzip, data).unwrap();
            }
            // A refused body (corrupt, or over the limit) before each one.
            let mut bad = wire.clone();
            let at = bad.len() / 2;
            bad[at] ^= 0x55;
            if i % 2 == 0 {
                assert!(decode(ContentEncoding::Gzip, &bad, 4 << 20).is_err());
            } else if !data.is_empty() {
                assert!(decode(ContentEncoding::Gzip, &wire, data.len() - 1).is_err());
            }
            let (plain, _) = decode(ContentEncoding::Gzip, &wire, 4 << 20).unwrap();
            assert!(*plain == **data, "{}", data.len());
        }
        assert_eq!(native::tests::created().1 - created.1, 1, "one inflater");
    }

    thread_local! {
        static TEST_CACHE: Cell<Option<Vec<u32>>> = const { Cell::new(None) };
    }

    #[test]
    fn a_panic_mid_use_drops_the_cached_object() {
        let new = || Ok::<_, ()>(vec![0u32]);
        let bump = |v: &mut Vec<u32>| {
            v[0] += 1;
            Ok(v[0])
        };
        assert_eq!(with_cached(&TEST_CACHE, new, bump), Ok(1));
        assert_eq!(with_cached(&TEST_CACHE, new, bump), Ok(2), "reused");
        let panicked = std::panic::catch_unwind(|| {
            with_cached(&TEST_CACHE, new, |v| -> Result<u32, ()> {
                v[0] = 99;
                panic!("half-way")
            })
        });
        assert!(panicked.is_err());
        assert_eq!(with_cached(&TEST_CACHE, new, bump), Ok(1), "a fresh one");
        // An error is not a panic: the object stays.
        assert_eq!(
            with_cached(&TEST_CACHE, new, |_| Err::<u32, _>(())),
            Err(())
        );
        assert_eq!(with_cached(&TEST_CACHE, new, bump), Ok(2));
    }

    #[test]
    fn bombs_stop_at_the_limit() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        for (codec, enc) in [
            (Codec::Gzip, ContentEncoding::Gzip),
            (Codec::Zlib, ContentEncoding::Deflate),
            (Codec::RawDeflate, ContentEncoding::Deflate),
            (Codec::Zstd, ContentEncoding::Zstd),
        ] {
            let wire = bomb(codec, &zeros);
            assert!(wire.len() < 64 * 1024, "{codec:?} compresses well");
            assert_eq!(
                decode(enc, &wire, 1024 * 1024),
                Err(DecodeError::TooLarge { limit: 1024 * 1024 }),
                "{codec:?}"
            );
            // Exactly at the limit is fine.
            assert!(decode(enc, &wire, zeros.len()).is_ok());
        }
        assert_eq!(
            decode(ContentEncoding::Identity, &zeros, 10),
            Err(DecodeError::TooLarge { limit: 10 })
        );
    }

    thread_local! {
        static NESTED_CACHE: Cell<Option<Vec<u32>>> = const { Cell::new(None) };
    }

    #[test]
    fn nested_uses_of_a_cache_get_their_own_object() {
        let new = || Ok::<_, ()>(vec![0u32]);
        let outer = with_cached(&NESTED_CACHE, new, |outer| {
            outer[0] = 7;
            // The outer object is taken: the nested call makes its own and
            // never sees (or aliases) it.
            let inner = with_cached(&NESTED_CACHE, new, |inner| {
                inner[0] += 1;
                Ok(inner[0])
            })?;
            assert_eq!(inner, 1);
            assert_eq!(outer[0], 7, "untouched by the nested call");
            Ok(outer[0])
        });
        assert_eq!(outer, Ok(7));
        // The outer object is the one kept.
        assert_eq!(with_cached(&NESTED_CACHE, new, |v| Ok(v[0])), Ok(7));

        // The same with the real deflater: encoding while this thread's
        // deflater is in use gives the same bytes as encoding alone.
        let data = text(100 * 1024);
        let alone = encode(Codec::Gzip, &data).unwrap();
        let (outer, inner) = with_cached(
            &DEFLATER,
            || Ok(Box::new(native::Deflater::new(DEFLATE_LEVEL))),
            |deflater| {
                let mut outer = Vec::with_capacity(data.len() / 4 + 64);
                let inner = encode(Codec::Gzip, &data).map_err(|e| e.to_string())?;
                deflater.compress(native::Wrapper::Gzip, &data, &mut outer)?;
                Ok::<_, String>((outer, inner))
            },
        )
        .unwrap();
        assert!(outer == alone && inner == alone);
        // And decoding inside a decode of the same thread.
        let wire = encode(Codec::Gzip, &data).unwrap();
        let got = with_cached(
            &INFLATER,
            || native::Inflater::new().ok_or(()),
            |inflater| {
                let (nested, _) = decode(ContentEncoding::Gzip, &wire, 1 << 20).unwrap();
                let mut out = Vec::with_capacity(data.len() + 1);
                gzip_member(inflater, &wire, 1 << 20, &mut out).unwrap();
                Ok((nested.into_owned(), out))
            },
        )
        .unwrap();
        assert!(got.0 == data && got.1 == data);
    }

    #[test]
    fn gzip_members_at_the_edges_of_the_output_buffer() {
        let a = text(5000);
        let first = encode(Codec::Gzip, &a).unwrap();
        let empty = encode(Codec::Gzip, b"").unwrap();
        let x = encode(Codec::Gzip, b"x").unwrap();
        let mut inflater = native::Inflater::new().unwrap();
        // The first member fills the buffer exactly: an empty member still
        // fits (no room needed), a 1-byte one makes the buffer grow.
        for (second, want) in [(&empty, a.len()), (&x, a.len() + 1)] {
            let mut out = Vec::with_capacity(a.len());
            let rest = gzip_member(&mut inflater, &first, 1 << 20, &mut out).unwrap();
            assert!(rest.is_empty());
            assert_eq!(out.len(), out.capacity());
            let rest = gzip_member(&mut inflater, second, 1 << 20, &mut out).unwrap();
            assert!(rest.is_empty());
            assert_eq!(out.len(), want);
        }
        // At the limit exactly: the empty member is fine, one more byte is
        // too large, through `decode` too.
        for (second, ok) in [(&empty, true), (&x, false)] {
            let mut wire = first.clone();
            wire.extend(second.iter());
            let mut out = Vec::with_capacity(a.len());
            let got = gzip_member(&mut inflater, &first, a.len(), &mut out)
                .and_then(|_| gzip_member(&mut inflater, second, a.len(), &mut out));
            let whole = decode(ContentEncoding::Gzip, &wire, a.len());
            if ok {
                assert!(got.is_ok() && whole.is_ok());
            } else {
                let too_large = Err(DecodeError::TooLarge { limit: a.len() });
                assert_eq!(got.map(|_| ()), too_large);
                assert_eq!(whole.map(|_| ()), too_large);
            }
            assert!(out.capacity() <= a.len() + 1, "{}", out.capacity());
        }
    }

    #[test]
    fn gzip_header_fields_running_past_the_body_are_truncated() {
        let truncated = Err(DecodeError::Corrupt("truncated gzip header".into()));
        let header = |flags: u8| vec![0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 255];
        // An extra field longer than the body, with or without a name after.
        for flags in [FEXTRA, FEXTRA | FNAME, FEXTRA | FHCRC] {
            let mut wire = header(flags);
            wire.extend([0xff, 0xff, 1, 2, 3]);
            assert_eq!(decode(ContentEncoding::Gzip, &wire, 1024), truncated);
        }
        // A name or comment that never ends, a header CRC cut short.
        for (flags, tail) in [
            (FNAME, &b"logs.json"[..]),
            (FCOMMENT, b"no end"),
            (FHCRC, b"\x01"),
        ] {
            let mut wire = header(flags);
            wire.extend(tail);
            assert_eq!(decode(ContentEncoding::Gzip, &wire, 1024), truncated);
        }
        // Header complete, no deflate data at all.
        let wire = gzip_with_header(b"", FNAME | FHCRC, true);
        let at = gzip_header_len(&wire).unwrap();
        assert_eq!(
            decode(ContentEncoding::Gzip, &wire[..at], 1024),
            Err(DecodeError::Corrupt("truncated gzip data".into()))
        );
    }

    #[test]
    fn zero_padding_is_only_tolerated_after_gzip_data() {
        let wire = encode(Codec::Gzip, DATA).unwrap();
        // Between members, zeros are garbage (a 400, never data dropped).
        let mut between = wire.clone();
        between.extend([0u8; 4]);
        between.extend(&wire);
        assert_eq!(
            decode(ContentEncoding::Gzip, &between, 1024),
            Err(DecodeError::Corrupt(
                "unexpected bytes after gzip data".into()
            ))
        );
        // Zeros alone are not a gzip body.
        for n in [1, 10, 4096] {
            assert_eq!(
                decode(ContentEncoding::Gzip, &vec![0u8; n], 1024),
                Err(DecodeError::Corrupt(
                    "not gzip data (bad magic bytes)".into()
                )),
                "{n}"
            );
        }
    }

    /// Mutated multi-member gzip bodies decode as flate2's reader decodes
    /// them (or are refused), and never past the limit.
    #[test]
    fn mutated_gzip_bodies_decode_like_flate2_does() {
        let mut x = 0x1234_5678_9abc_def1u64;
        let mut rand = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let parts = [text(3000), noise(700), Vec::new(), text(40_000)];
        for round in 0..1500 {
            let mut plain: Vec<u8> = Vec::new();
            let mut wire = Vec::new();
            for _ in 0..1 + rand(3) {
                let part = &parts[rand(parts.len())];
                plain.extend(part);
                wire.extend(if rand(2) == 0 {
                    encode(Codec::Gzip, part).unwrap()
                } else {
                    bomb(Codec::Gzip, part)
                });
            }
            let original = wire.clone();
            match rand(4) {
                0 => {
                    let at = rand(wire.len());
                    wire[at] ^= 1 << rand(8);
                }
                1 => wire.truncate(rand(wire.len())),
                2 => {
                    let at = rand(wire.len());
                    wire[at] = rand(256) as u8;
                    wire.truncate(wire.len() - rand(wire.len() - at));
                }
                _ => {}
            }
            let limit = if rand(4) == 0 {
                rand(plain.len() + 1)
            } else {
                1 << 20
            };
            let mut reference = Vec::new();
            let theirs = flate2::read::MultiGzDecoder::new(&wire[..])
                .read_to_end(&mut reference)
                .map(|_| reference);
            match decode(ContentEncoding::Gzip, &wire, limit) {
                Ok((ours, _)) => {
                    assert!(ours.len() <= limit, "{round}");
                    let theirs = theirs.unwrap_or_else(|e| panic!("{round}: flate2 {e}"));
                    assert!(*ours == *theirs, "{round}");
                    if wire == original {
                        assert!(*ours == *plain, "{round}");
                    }
                }
                Err(DecodeError::TooLarge { .. }) => {
                    if let Ok(theirs) = theirs {
                        assert!(theirs.len() > limit, "{round}");
                    }
                }
                Err(DecodeError::Corrupt(why)) => {
                    if let Ok(theirs) = &theirs {
                        // flate2 reads no header CRC and stops at an empty
                        // input: a body both accept must agree.
                        assert!(
                            wire.is_empty() || why.contains("CRC"),
                            "{round}: {why} ({} bytes by flate2)",
                            theirs.len()
                        );
                    }
                    assert!(wire != original || limit < plain.len(), "{round}: {why}");
                }
            }
        }
    }

    /// Sends, when dropped, what encoding and decoding give at that time.
    struct AtTeardown(std::sync::mpsc::Sender<Vec<u8>>);

    impl Drop for AtTeardown {
        fn drop(&mut self) {
            let wire = encode(Codec::Gzip, DATA).unwrap();
            let (plain, _) = decode(ContentEncoding::Gzip, &wire, 1024).unwrap();
            let _ = self.0.send(plain.into_owned());
        }
    }

    thread_local! {
        static TEARDOWN: Cell<Option<AtTeardown>> = const { Cell::new(None) };
    }

    #[test]
    fn the_codec_works_while_a_thread_ends() {
        // Thread-local destructors run in no set order: the caches may be
        // gone already, or about to go; either way a fresh object serves.
        for warm in [false, true] {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                TEARDOWN.with(|t| t.set(Some(AtTeardown(tx))));
                if warm {
                    let wire = encode(Codec::Gzip, DATA).unwrap();
                    decode(ContentEncoding::Gzip, &wire, 1024).unwrap();
                }
            })
            .join()
            .unwrap();
            assert_eq!(rx.recv().unwrap(), DATA, "{warm}");
        }
    }
}
