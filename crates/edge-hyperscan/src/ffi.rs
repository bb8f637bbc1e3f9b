//! The only module that touches the Vectorscan C API.
//!
//! It owns three resources: compiled block-mode databases ([`HsDatabase`]),
//! one scratch space per thread (grown on demand so it is valid for every
//! database that thread has scanned), and compile-error records. Everything
//! above this module is safe Rust.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void, CStr, CString};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicU64, Ordering};

use vectorscan_rs_sys as hs;

use crate::match_set::MatchSet;

/// Flags for an accelerated expression: the expression text is UTF-8 and may
/// contain code points above U+007F; each pattern is reported at most once.
pub(crate) const BASE_FLAGS: c_uint = hs::HS_FLAG_UTF8 | hs::HS_FLAG_SINGLEMATCH;
/// Added for expressions that can match the empty string.
pub(crate) const ALLOW_EMPTY: c_uint = hs::HS_FLAG_ALLOWEMPTY;

/// Distinguishes databases so that a thread knows whether its scratch has
/// already been prepared for one. Never reused within a process.
static NEXT_DATABASE_ID: AtomicU64 = AtomicU64::new(1);

/// An error reported by Vectorscan while compiling.
#[derive(Debug, Clone)]
pub(crate) struct HsCompileFailure {
    /// Index into the expression list, when Vectorscan names one.
    pub(crate) expression: Option<usize>,
    /// Vectorscan's message.
    pub(crate) message: String,
}

/// A compiled block-mode database. Immutable after compilation.
#[derive(Debug)]
pub(crate) struct HsDatabase {
    ptr: NonNull<hs::hs_database_t>,
    id: u64,
}

// SAFETY: a Vectorscan database is read-only after compilation; the C API
// documents that one database may be scanned from many threads at once as long
// as each thread uses its own scratch, which `scan` guarantees.
unsafe impl Send for HsDatabase {}
// SAFETY: see the `Send` impl; no method takes `&mut` state inside the database.
unsafe impl Sync for HsDatabase {}

impl Drop for HsDatabase {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from a successful `hs_compile_ext_multi` and is
        // freed exactly once, here.
        let rc = unsafe { hs::hs_free_database(self.ptr.as_ptr()) };
        if rc != hs::HS_SUCCESS as c_int {
            tracing::warn!(code = rc, "hs_free_database failed");
        }
    }
}

/// Checks one expression with `hs_expression_info`, which parses it and
/// reports unsupported constructs without building a database.
pub(crate) fn check_expression(expression: &str, flags: c_uint) -> Result<(), String> {
    let c_expr = CString::new(expression).map_err(|_| "expression contains NUL".to_owned())?;
    let mut info: *mut hs::hs_expr_info_t = ptr::null_mut();
    let mut err: *mut hs::hs_compile_error_t = ptr::null_mut();
    // SAFETY: `c_expr` is a valid NUL-terminated string that outlives the call;
    // `info` and `err` are out-pointers that the call fills on success and on
    // failure respectively.
    let rc = unsafe { hs::hs_expression_info(c_expr.as_ptr(), flags, &mut info, &mut err) };
    if rc == hs::HS_SUCCESS as c_int {
        if !info.is_null() {
            // SAFETY: `info` was allocated by Vectorscan with the misc
            // allocator, which defaults to `malloc`; nothing else set one.
            unsafe { libc::free(info.cast()) };
        }
        Ok(())
    } else {
        Err(take_compile_error(err).message)
    }
}

/// Compiles `expressions` (with matching `flags`) into one block database.
/// Expression `i` reports id `ids[i]`.
pub(crate) fn compile(
    expressions: &[&str],
    flags: &[c_uint],
    ids: &[c_uint],
) -> Result<HsDatabase, HsCompileFailure> {
    debug_assert_eq!(expressions.len(), flags.len());
    debug_assert_eq!(expressions.len(), ids.len());
    let mut c_exprs = Vec::with_capacity(expressions.len());
    for (index, expression) in expressions.iter().enumerate() {
        let c_expr = CString::new(*expression).map_err(|_| HsCompileFailure {
            expression: Some(index),
            message: "expression contains NUL".to_owned(),
        })?;
        c_exprs.push(c_expr);
    }
    let ptrs: Vec<*const c_char> = c_exprs.iter().map(|c| c.as_ptr()).collect();
    let count = c_uint::try_from(ptrs.len()).map_err(|_| HsCompileFailure {
        expression: None,
        message: "too many expressions".to_owned(),
    })?;
    let mut db: *mut hs::hs_database_t = ptr::null_mut();
    let mut err: *mut hs::hs_compile_error_t = ptr::null_mut();
    // SAFETY: the three arrays have `count` elements each and outlive the
    // call; every expression pointer is NUL-terminated (owned by `c_exprs`).
    // A null `ext` array and a null platform are documented as allowed.
    let rc = unsafe {
        hs::hs_compile_ext_multi(
            ptrs.as_ptr(),
            flags.as_ptr(),
            ids.as_ptr(),
            ptr::null(),
            count,
            hs::HS_MODE_BLOCK,
            ptr::null(),
            &mut db,
            &mut err,
        )
    };
    if rc != hs::HS_SUCCESS as c_int {
        return Err(take_compile_error(err));
    }
    let ptr = NonNull::new(db).ok_or_else(|| HsCompileFailure {
        expression: None,
        message: "compiler returned no database".to_owned(),
    })?;
    Ok(HsDatabase {
        ptr,
        id: NEXT_DATABASE_ID.fetch_add(1, Ordering::Relaxed),
    })
}

/// Converts and frees a compile-error record.
fn take_compile_error(err: *mut hs::hs_compile_error_t) -> HsCompileFailure {
    if err.is_null() {
        return HsCompileFailure {
            expression: None,
            message: "unknown compile error".to_owned(),
        };
    }
    // SAFETY: a non-null error record from a failed compile call holds a
    // NUL-terminated message; we copy it out before freeing the record once.
    unsafe {
        let record = &*err;
        let message = if record.message.is_null() {
            "unknown compile error".to_owned()
        } else {
            CStr::from_ptr(record.message)
                .to_string_lossy()
                .into_owned()
        };
        let expression = usize::try_from(record.expression).ok();
        hs::hs_free_compile_error(err);
        HsCompileFailure {
            expression,
            message,
        }
    }
}

/// A scan failed inside Vectorscan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HsScanFailure {
    /// The `hs_error_t` code.
    pub(crate) code: i32,
}

/// This thread's scratch space and the databases it has been prepared for.
struct ThreadScratch {
    ptr: *mut hs::hs_scratch_t,
    /// Ids of databases the scratch is known to be valid for. The scratch only
    /// ever grows, so an entry stays true; the list is cleared when it gets
    /// long, which merely costs a cheap re-check on the next scan.
    prepared: Vec<u64>,
}

const MAX_PREPARED: usize = 64;

// TODO: a thread's scratch only grows: after a reload replaces a large
// database with a small one, each scanning thread keeps the larger scratch
// (typically tens of KiB) until it exits.

impl ThreadScratch {
    const fn new() -> Self {
        Self {
            ptr: ptr::null_mut(),
            prepared: Vec::new(),
        }
    }

    /// Makes the scratch valid for `db`, allocating or growing it if needed.
    fn prepare(&mut self, db: &HsDatabase) -> Result<(), HsScanFailure> {
        // Newest first: the databases of the current policy snapshot were
        // prepared last, so a hot loop finds them in a few comparisons.
        if !self.ptr.is_null() && self.prepared.iter().rev().any(|id| *id == db.id) {
            return Ok(());
        }
        // SAFETY: `db.ptr` is a live database; `self.ptr` is either null (a
        // new scratch is allocated) or a scratch this struct owns, which the
        // call may free and replace, updating `self.ptr` in place.
        let rc = unsafe { hs::hs_alloc_scratch(db.ptr.as_ptr(), &mut self.ptr) };
        if rc != hs::HS_SUCCESS as c_int {
            return Err(HsScanFailure { code: rc });
        }
        if self.prepared.len() >= MAX_PREPARED {
            self.prepared.clear();
        }
        self.prepared.push(db.id);
        Ok(())
    }
}

impl Drop for ThreadScratch {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: the scratch is owned by this struct and no scan can be
            // running with it, since scans borrow the struct mutably.
            unsafe { hs::hs_free_scratch(self.ptr) };
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<ThreadScratch> = const { RefCell::new(ThreadScratch::new()) };
}

/// Match callback: records the pattern id and asks Vectorscan to continue.
unsafe extern "C" fn on_match(
    id: c_uint,
    _from: c_ulonglong,
    _to: c_ulonglong,
    _flags: c_uint,
    context: *mut c_void,
) -> c_int {
    // SAFETY: `context` is the `&mut MatchSet` passed to `hs_scan` by
    // `scan_with`, which is alive and not otherwise borrowed for the duration
    // of the scan. `insert_raw` does not panic, so nothing unwinds into C.
    let set = unsafe { &mut *context.cast::<MatchSet>() };
    set.insert_raw(id);
    0
}

/// Scans `haystack` (at most `u32::MAX` bytes, checked by the caller) with
/// `scratch`, adding every matching id to `set`.
fn scan_with(
    db: &HsDatabase,
    scratch: *mut hs::hs_scratch_t,
    haystack: &[u8],
    set: &mut MatchSet,
) -> Result<(), HsScanFailure> {
    let len = c_uint::try_from(haystack.len()).map_err(|_| HsScanFailure { code: -1 })?;
    // SAFETY: `db` is live; `haystack` is valid for `len` bytes (an empty
    // slice still has a non-null, dangling pointer, which Vectorscan does not
    // dereference for a zero length); `scratch` has been prepared for `db` and
    // is used by this thread only; `set` outlives the call and is only
    // accessed through the callback while the call runs.
    let rc = unsafe {
        hs::hs_scan(
            db.ptr.as_ptr(),
            haystack.as_ptr().cast::<c_char>(),
            len,
            0,
            scratch,
            Some(on_match),
            (set as *mut MatchSet).cast::<c_void>(),
        )
    };
    if rc == hs::HS_SUCCESS as c_int || rc == hs::HS_SCAN_TERMINATED {
        Ok(())
    } else {
        Err(HsScanFailure { code: rc })
    }
}

/// Scans `haystack` against `db` using this thread's scratch. Never locks:
/// the scratch lives in a thread-local.
pub(crate) fn scan(
    db: &HsDatabase,
    haystack: &[u8],
    set: &mut MatchSet,
) -> Result<(), HsScanFailure> {
    let fast = SCRATCH.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => Some(
            scratch
                .prepare(db)
                .and_then(|()| scan_with(db, scratch.ptr, haystack, set)),
        ),
        Err(_) => None,
    });
    match fast {
        Ok(Some(result)) => result,
        // The thread-local is being torn down or is (impossibly, since the
        // callback never scans) already in use: use a one-off scratch.
        Ok(None) | Err(_) => {
            let mut scratch = ThreadScratch::new();
            scratch.prepare(db)?;
            scan_with(db, scratch.ptr, haystack, set)
        }
    }
}
