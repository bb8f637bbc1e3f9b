//! Safe wrappers around the C libraries the codec uses: ISA-L's deflate
//! (re-encoding) and libdeflate's whole-buffer inflate and CRC-32 (gzip
//! decoding). All of the codec's `unsafe` code is in this module.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;
use std::ptr::NonNull;

use isal_sys::igzip_lib as isal;
use libdeflate_sys as ld;

/// The container ISA-L writes around the deflate data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrapper {
    /// gzip header and CRC-32/length trailer.
    Gzip,
    /// zlib header and Adler-32 trailer.
    Zlib,
    /// Raw deflate, no container.
    Raw,
}

/// Size of the scratch buffer ISA-L needs at `level` (its "default" size
/// for each level; level 0 needs none).
const fn level_buf_size(level: u32) -> usize {
    match level {
        0 => 0,
        1 => isal::ISAL_DEF_LVL1_DEFAULT as usize,
        2 => isal::ISAL_DEF_LVL2_DEFAULT as usize,
        _ => isal::ISAL_DEF_LVL3_DEFAULT as usize,
    }
}

/// An ISA-L deflate stream (about 80 KiB) with its level scratch buffer
/// (324 KiB at level 2), reusable for any number of bodies: every
/// [`Deflater::compress`] starts from a reset stream, so its output only
/// depends on its input, whatever the stream compressed before.
pub(super) struct Deflater {
    stream: Box<isal::isal_zstream>,
    /// ISA-L's scratch space (hash tables, pending tokens); it only writes it
    /// before reading it, so it is never initialised here.
    level_buf: Box<[MaybeUninit<u8>]>,
    level: u32,
}

impl Deflater {
    /// A stream compressing at ISA-L `level` (0 to 3; higher is clamped).
    pub(super) fn new(level: u32) -> Self {
        let level = level.min(3);
        // The stream is too large for the stack: allocated zeroed on the
        // heap.
        let layout = std::alloc::Layout::new::<isal::isal_zstream>();
        // SAFETY: the layout is not zero-sized; `isal_zstream` is plain C
        // data (integers, arrays and raw pointers), for which all zero bytes
        // is a valid value, and the memory comes from the global allocator
        // with the layout `Box` frees it with.
        let mut stream = unsafe {
            let raw = std::alloc::alloc_zeroed(layout).cast::<isal::isal_zstream>();
            if raw.is_null() {
                std::alloc::handle_alloc_error(layout);
            }
            Box::from_raw(raw)
        };
        // SAFETY: `stream` is a valid, exclusively borrowed stream.
        unsafe { isal::isal_deflate_init(&mut *stream) };
        let level_buf = Box::new_uninit_slice(level_buf_size(level));
        #[cfg(test)]
        tests::count_created(true);
        Deflater {
            stream,
            level_buf,
            level,
        }
    }

    /// Compresses all of `data` as one stream in `wrapper`, appending it to
    /// `out` (which grows as needed).
    pub(super) fn compress(
        &mut self,
        wrapper: Wrapper,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let stream = &mut *self.stream;
        // Whatever the last use left (finished, failed half-way), the stream
        // starts afresh: state, history and hash tables are reinitialised.
        // SAFETY: `stream` was set up by `isal_deflate_init`.
        unsafe { isal::isal_deflate_reset(stream) };
        stream.level = self.level;
        stream.level_buf = self.level_buf.as_mut_ptr().cast();
        stream.level_buf_size = self.level_buf.len() as u32;
        stream.gzip_flag = match wrapper {
            Wrapper::Gzip => isal::IGZIP_GZIP,
            Wrapper::Zlib => isal::IGZIP_ZLIB,
            Wrapper::Raw => isal::IGZIP_DEFLATE,
        } as u16;
        stream.flush = isal::NO_FLUSH as u16;
        stream.end_of_stream = 0;

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
            // (ISA-L never writes through `next_in`), its output `room`
            // writable bytes of `out`'s spare capacity, and its scratch
            // buffer `level_buf` (`level_buf_size` bytes), all alive and not
            // otherwise borrowed for the call.
            let rc = unsafe { isal::isal_deflate(stream) };
            // The pointers are not used again before being set anew.
            stream.next_in = std::ptr::null_mut();
            stream.next_out = std::ptr::null_mut();
            if rc != isal::COMP_OK as i32 {
                return Err(format!("ISA-L deflate failed ({rc})"));
            }
            let consumed = take - stream.avail_in as usize;
            let written = room - stream.avail_out as usize;
            rest = &rest[consumed..];
            // SAFETY: ISA-L initialised the `written <= room` bytes after
            // `out.len()`.
            unsafe { out.set_len(out.len() + written) };
            if stream.internal_state.state == isal::isal_zstate_state_ZSTATE_END {
                return Ok(());
            }
            if consumed == 0 && written == 0 && room > 0 {
                return Err("ISA-L deflate made no progress".to_owned());
            }
        }
    }
}

/// What [`Inflater::inflate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inflated {
    /// The stream ended after `used_in` input bytes; its output was appended.
    Done {
        /// Input bytes the deflate stream took.
        used_in: usize,
    },
    /// The output does not fit in the spare capacity given.
    NoRoom,
    /// The data is not a valid deflate stream, or is cut short.
    BadData,
}

/// A libdeflate decompressor (whole-buffer raw deflate), freed on drop.
/// libdeflate sets up all of its state at the start of every call, so one
/// decompressor serves any number of streams, whatever the previous ones
/// were or how they failed.
pub(super) struct Inflater(NonNull<ld::libdeflate_decompressor>);

impl Inflater {
    /// A new decompressor; `None` when out of memory.
    pub(super) fn new() -> Option<Self> {
        // SAFETY: no preconditions; a null result means out of memory.
        let raw = unsafe { ld::libdeflate_alloc_decompressor() };
        #[cfg(test)]
        tests::count_created(false);
        NonNull::new(raw).map(Inflater)
    }

    /// Inflates the raw deflate stream at the start of `input` into `out`'s
    /// spare capacity. On `Done` the output is appended to `out`; otherwise
    /// `out`'s length is unchanged (its spare capacity may be overwritten).
    pub(super) fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>) -> Inflated {
        let room = out.capacity() - out.len();
        let (mut used_in, mut used_out) = (0usize, 0usize);
        // SAFETY: the decompressor is live and used by one caller at a time
        // (`&mut self`); `input` is readable for its length; the output is
        // `out`'s spare capacity, writable for `room` bytes (libdeflate only
        // writes it); both counters are valid for writes.
        let rc = unsafe {
            ld::libdeflate_deflate_decompress_ex(
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
                Inflated::Done {
                    used_in: used_in.min(input.len()),
                }
            }
            ld::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => Inflated::NoRoom,
            _ => Inflated::BadData,
        }
    }
}

impl Drop for Inflater {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once.
        unsafe { ld::libdeflate_free_decompressor(self.0.as_ptr()) }
    }
}

/// The CRC-32 of `data` (gzip's, as in RFC 1952), computed by libdeflate.
pub(super) fn crc32(data: &[u8]) -> u32 {
    // SAFETY: `data` is readable for its length; libdeflate only reads it.
    unsafe { ld::libdeflate_crc32(0, data.as_ptr().cast(), data.len()) }
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;

    thread_local! {
        static CREATED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    }

    /// Counts a deflater (`true`) or an inflater created on this thread.
    pub(in crate::codec) fn count_created(deflater: bool) {
        CREATED.with(|c| {
            let (d, i) = c.get();
            c.set(if deflater { (d + 1, i) } else { (d, i + 1) });
        });
    }

    /// Deflaters and inflaters created on this thread so far.
    pub(in crate::codec) fn created() -> (usize, usize) {
        CREATED.with(Cell::get)
    }

    #[test]
    fn crc32_is_gzips() {
        assert_eq!(super::crc32(b""), 0);
        assert_eq!(super::crc32(b"123456789"), 0xcbf4_3926);
    }
}
