//! Request body decompression with a hard output limit, and re-encoding.
//!
//! Decoding reads at most `limit + 1` bytes of output, so a decompression
//! bomb costs at most the limit in memory before it is refused.

use std::borrow::Cow;
use std::io::{self, Read};

use http::HeaderMap;
use isal_sys::igzip_lib as isal;
use libdeflate_sys as ld;

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

/// Reads all gzip members; trailing zero bytes are tolerated, anything else
/// after the last member is corruption. Each member is inflated whole by
/// libdeflate (header, CRC-32 and length checked) straight into `out`,
/// sized from the trailer.
fn decode_gzip(body: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    // One byte over the stated size, so a stream of exactly that size
    // fits without growing the buffer.
    let capacity = capacity_hint(body, true, limit)
        .saturating_add(1)
        .min(limit.saturating_add(1));
    let mut out = Vec::with_capacity(capacity);
    let mut inflater = GzipInflater::new()?;
    let mut rest = body;
    loop {
        if rest.iter().all(|&b| b == 0) {
            if body.is_empty() {
                return Err(DecodeError::Corrupt("empty gzip body".to_owned()));
            }
            return Ok(out);
        }
        rest = inflater.member(rest, limit, &mut out)?;
    }
}

/// A libdeflate decompressor (whole-buffer gzip), freed on drop.
struct GzipInflater(std::ptr::NonNull<ld::libdeflate_decompressor>);

impl GzipInflater {
    fn new() -> Result<Self, DecodeError> {
        // SAFETY: no preconditions; a null result means out of memory.
        let raw = unsafe { ld::libdeflate_alloc_decompressor() };
        std::ptr::NonNull::new(raw)
            .map(GzipInflater)
            .ok_or_else(|| DecodeError::Corrupt("gzip decoder allocation failed".to_owned()))
    }

    /// Inflates the gzip member at the start of `input`, appending to
    /// `out`, and returns the input after it. libdeflate needs room for the
    /// whole member: when `out`'s spare capacity is too small the member is
    /// inflated again into a larger buffer (doubling, so at most about twice
    /// the work), and `out` never holds more than `limit + 1` bytes: a
    /// member that does not fit in that is `TooLarge`.
    fn member<'a>(
        &mut self,
        input: &'a [u8],
        limit: usize,
        out: &mut Vec<u8>,
    ) -> Result<&'a [u8], DecodeError> {
        let cap = limit.saturating_add(1);
        loop {
            if out.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
            let room = out.capacity() - out.len();
            let (mut used_in, mut used_out) = (0usize, 0usize);
            // SAFETY: the decompressor is live and used by one caller at a
            // time (`&mut self`); `input` is readable for its length; the
            // output is `out`'s spare capacity, writable for `room` bytes
            // (libdeflate only writes it); both counters are valid.
            let rc = unsafe {
                ld::libdeflate_gzip_decompress_ex(
                    self.0.as_ptr(),
                    input.as_ptr().cast(),
                    input.len(),
                    out.spare_capacity_mut().as_mut_ptr().cast(),
                    room,
                    &mut used_in,
                    &mut used_out,
                )
            };
            match rc {
                ld::libdeflate_result_LIBDEFLATE_SUCCESS => {
                    // SAFETY: libdeflate wrote `used_out <= room` bytes.
                    unsafe { out.set_len(out.len() + used_out.min(room)) };
                    if out.len() > limit {
                        return Err(DecodeError::TooLarge { limit });
                    }
                    return Ok(&input[used_in.min(input.len())..]);
                }
                ld::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => {
                    if out.capacity() >= cap {
                        // The member alone needs more than `cap - len`.
                        return Err(DecodeError::TooLarge { limit });
                    }
                    // Grow like a `Vec` would (doubling, 64 KiB at least),
                    // but never past the limit.
                    let step = out.capacity().max(64 * 1024).min(cap - out.capacity());
                    out.reserve_exact(room + step);
                }
                _ => {
                    return Err(DecodeError::Corrupt(
                        "invalid or truncated gzip data".to_owned(),
                    ))
                }
            }
        }
    }
}

impl Drop for GzipInflater {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once.
        unsafe { ld::libdeflate_free_decompressor(self.0.as_ptr()) }
    }
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
const DEFLATE_LEVEL: u32 = 2;
/// Size of the scratch buffer ISA-L needs at [`DEFLATE_LEVEL`].
const DEFLATE_LEVEL_BUF: usize = isal::ISAL_DEF_LVL2_DEFAULT as usize;
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
    let format = match codec {
        Codec::Identity => return Ok(data.to_vec()),
        Codec::Zstd => return zstd::bulk::compress(data, ZSTD_LEVEL),
        // ISA-L writes the gzip or zlib header and trailer itself.
        Codec::Gzip => isal::IGZIP_GZIP,
        Codec::Zlib => isal::IGZIP_ZLIB,
        Codec::RawDeflate => isal::IGZIP_DEFLATE,
    };
    deflate_all(format as u16, data, capacity)
}

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
/// the old one is copied, and the encoder's state. `0` for identity, which
/// sends the module's buffer as it is.
pub fn encode_memory(codec: Codec, compressed_len: usize, decoded_len: usize) -> usize {
    match codec {
        Codec::Identity => 0,
        // zstd's one-shot output is its compress bound; a level 1 context
        // for a large input is about 1.3 MiB.
        Codec::Zstd => decoded_len + decoded_len / 64 + 2 * 1024 * 1024,
        Codec::Gzip | Codec::Zlib | Codec::RawDeflate => {
            let capacity = reencode_capacity(compressed_len, decoded_len);
            capacity
                + capacity / 2
                + 2048
                + DEFLATE_LEVEL_BUF
                + std::mem::size_of::<isal::isal_zstream>()
        }
    }
}

/// Compresses all of `data` with ISA-L's streaming deflate into one growing
/// buffer; `format` is one of ISA-L's `IGZIP_*` wrappers.
fn deflate_all(format: u16, data: &[u8], capacity: usize) -> io::Result<Vec<u8>> {
    // The stream is about 80 KiB: allocated zeroed on the heap, not built
    // on the stack.
    let layout = std::alloc::Layout::new::<isal::isal_zstream>();
    // SAFETY: the layout is not zero-sized; `isal_zstream` is plain C data
    // (integers, arrays and raw pointers), for which all zero bytes is a
    // valid value, and the memory comes from the global allocator with the
    // layout `Box` frees it with. `isal_deflate_init` then sets it up.
    let mut stream = unsafe {
        let raw = std::alloc::alloc_zeroed(layout).cast::<isal::isal_zstream>();
        if raw.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(raw)
    };
    let mut level_buf: Vec<u8> = Vec::with_capacity(DEFLATE_LEVEL_BUF);
    // SAFETY: `stream` is a valid, exclusively borrowed stream.
    unsafe { isal::isal_deflate_init(&mut *stream) };
    stream.level = DEFLATE_LEVEL;
    // ISA-L only writes this scratch buffer before reading it.
    stream.level_buf = level_buf.spare_capacity_mut().as_mut_ptr().cast();
    stream.level_buf_size = DEFLATE_LEVEL_BUF as u32;
    stream.gzip_flag = format;
    stream.flush = isal::NO_FLUSH as u16;

    let mut out = Vec::with_capacity(capacity.max(64));
    let mut rest = data;
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.len() / 2 + 1024);
        }
        let take = rest.len().min(u32::MAX as usize);
        let room = (out.capacity() - out.len()).min(u32::MAX as usize);
        stream.next_in = rest.as_ptr().cast_mut();
        stream.avail_in = take as u32;
        stream.end_of_stream = u16::from(take == rest.len());
        stream.next_out = out.spare_capacity_mut().as_mut_ptr().cast();
        stream.avail_out = room as u32;
        // SAFETY: the stream's input is `take` readable bytes of `rest`
        // (ISA-L never writes through `next_in`), its output `room` writable
        // bytes of `out`'s spare capacity, and its scratch buffer
        // `level_buf`, all alive for the call.
        let rc = unsafe { isal::isal_deflate(&mut *stream) };
        if rc != isal::COMP_OK as i32 {
            return Err(io::Error::other(format!("ISA-L deflate failed ({rc})")));
        }
        let consumed = take - stream.avail_in as usize;
        let written = room - stream.avail_out as usize;
        rest = &rest[consumed..];
        // SAFETY: ISA-L initialised the `written` bytes after `out.len()`.
        unsafe { out.set_len(out.len() + written) };
        if stream.internal_state.state == isal::isal_zstate_state_ZSTATE_END {
            return Ok(out);
        }
        if consumed == 0 && written == 0 && room > 0 {
            return Err(io::Error::other("ISA-L deflate made no progress"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::io::Write;

    const DATA: &[u8] = br#"[{"message":"hello"},{"message":"world"}]"#;

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
                GzipInflater::new().unwrap().member(&lying, limit, &mut out),
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
}
