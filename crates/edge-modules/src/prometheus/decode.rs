//! Streaming decompression of a scrape body (`Content-Encoding`), so the
//! filter can read what a target compressed for a client that accepts gzip
//! (every Prometheus server does).

use std::io::Write;

/// Compressed input is fed in slices of this size, which bounds the
/// decompressed output produced at once (about 1 MiB for deflate).
const INPUT_SLICE: usize = 1024;

/// Largest zstd window accepted (8 MiB), so a hostile frame cannot make the
/// decoder allocate more.
const ZSTD_WINDOW_LOG_MAX: u32 = 23;

/// A body decoder for one scrape.
pub(crate) enum BodyDecoder {
    /// `gzip`/`x-gzip`, all members.
    Gzip(flate2::write::MultiGzDecoder<Vec<u8>>),
    /// `deflate` (zlib-wrapped).
    Deflate(flate2::write::ZlibDecoder<Vec<u8>>),
    /// `zstd`.
    Zstd(Box<zstd::stream::write::Decoder<'static, Vec<u8>>>),
}

/// The encoding is not one Edge decodes.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl BodyDecoder {
    /// A decoder for a `Content-Encoding` value; `Ok(None)` for identity.
    pub fn for_encoding(value: &str) -> Result<Option<BodyDecoder>, Unsupported> {
        let v = value.trim();
        if v.is_empty() || v.eq_ignore_ascii_case("identity") {
            Ok(None)
        } else if v.eq_ignore_ascii_case("gzip") || v.eq_ignore_ascii_case("x-gzip") {
            Ok(Some(BodyDecoder::Gzip(flate2::write::MultiGzDecoder::new(
                Vec::new(),
            ))))
        } else if v.eq_ignore_ascii_case("deflate") {
            Ok(Some(BodyDecoder::Deflate(flate2::write::ZlibDecoder::new(
                Vec::new(),
            ))))
        } else if v.eq_ignore_ascii_case("zstd") {
            let mut d = zstd::stream::write::Decoder::new(Vec::new()).map_err(|_| Unsupported)?;
            d.window_log_max(ZSTD_WINDOW_LOG_MAX)
                .map_err(|_| Unsupported)?;
            Ok(Some(BodyDecoder::Zstd(Box::new(d))))
        } else {
            Err(Unsupported)
        }
    }

    fn sink(&mut self) -> &mut Vec<u8> {
        match self {
            BodyDecoder::Gzip(d) => d.get_mut(),
            BodyDecoder::Deflate(d) => d.get_mut(),
            BodyDecoder::Zstd(d) => d.get_mut(),
        }
    }

    fn write(&mut self, input: &[u8]) -> std::io::Result<()> {
        match self {
            BodyDecoder::Gzip(d) => d.write_all(input),
            BodyDecoder::Deflate(d) => d.write_all(input),
            BodyDecoder::Zstd(d) => d.write_all(input),
        }
    }

    /// Decodes `input`, handing decoded bytes to `each` in bounded pieces.
    /// `each` returns `false` to stop early.
    pub fn decode(
        &mut self,
        input: &[u8],
        each: &mut dyn FnMut(&[u8]) -> bool,
    ) -> std::io::Result<()> {
        for piece in input.chunks(INPUT_SLICE) {
            self.write(piece)?;
            if !self.drain(each) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Flushes the decoder at the end of the body.
    pub fn finish(&mut self, each: &mut dyn FnMut(&[u8]) -> bool) -> std::io::Result<()> {
        match self {
            BodyDecoder::Gzip(d) => d.try_finish()?,
            BodyDecoder::Deflate(d) => d.try_finish()?,
            BodyDecoder::Zstd(d) => d.flush()?,
        }
        self.drain(each);
        Ok(())
    }

    fn drain(&mut self, each: &mut dyn FnMut(&[u8]) -> bool) -> bool {
        let sink = self.sink();
        if sink.is_empty() {
            return true;
        }
        let buf = std::mem::take(sink);
        let go_on = each(&buf);
        let sink = self.sink();
        *sink = buf;
        sink.clear();
        go_on
    }
}
