//! The process's allocator: mimalloc, tuned to give memory back promptly.
//!
//! With `override` mimalloc also serves SQLite's C mallocs. glibc's
//! allocator spent a fifth of a 100k import's main thread in `malloc`/`free`
//! (the B-tree balancing, the page cache, the full-text hash, the entity
//! states); mimalloc made the import 16% faster (issue 18's note).
//!
//! Out of the box mimalloc holds freed pages for a second before returning
//! them and asks the kernel for transparent huge pages: a 100k-person join,
//! which frees each batch's memory on another thread than the one that
//! made it, peaked at 204 MB against glibc's 133 MB. Without huge pages
//! (the crate's `no_thp` feature) and with freed pages returned at once it
//! peaks at 147 MB, at no measured cost to the import.
//!
//! Returned at once, though, freed pages came back as page faults: a
//! catch-up decodes entity states on one thread and frees them on the
//! writing one, and each page its decoder took again was a fresh page from
//! the kernel (575k faults, a fifth of a 1.2M-record catch-up's CPU in the
//! kernel). Held for 25 ms they are mostly taken again first: that
//! catch-up's faults 578k -> 24k, its kernel time 2.9 -> 2.2 s (median of
//! three runs each, wall 15.4 -> 14.9 s), a 100k-person import 4.03 ->
//! 3.84 s; peaks: that join 111 -> 120-124 MB, the import 166 -> 168 MB.
//! An idle process still gives everything back within 25 ms.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3 alike;
/// read from the header of mimalloc 3.3.2 in libmimalloc-sys 0.1.49, to be
/// checked again on an upgrade): how many milliseconds freed memory waits
/// before it goes back to the OS.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    /// mimalloc's public `void mi_option_set(mi_option_t, long)`.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// How long freed memory waits before it goes back to the OS (see above).
const PURGE_DELAY_MS: std::ffi::c_long = 25;

/// Returns freed memory to the OS after [`PURGE_DELAY_MS`], unless
/// `MIMALLOC_PURGE_DELAY` in the environment says otherwise (mimalloc has
/// read it already). Called first thing in `main`, before any thread is
/// started.
pub fn tune() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain setter of mimalloc's option table, valid at any
        // time; the option index is checked against mimalloc's header.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}
