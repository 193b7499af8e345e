//! The entry point. `no_main`: Rust's own start-up, before `main`, reads and parses
//! /proc/self/maps to place the main thread's stack-overflow guard, about a tenth of a cached
//! call's instructions and four system calls, for a message awsenv never needs. Everything
//! else that start-up does for awsenv is done here, on every platform:
//! - the arguments come from `argc`/`argv`: only glibc hands them to Rust's `std::env::args`
//!   before `main`; musl (the static binaries) and macOS do that in the start-up we skip;
//! - file descriptors 0–2 stay open: a closed one is opened on /dev/null, so that the first
//!   file awsenv opens can never become its stdout (and be written shell code to);
//! - SIGPIPE is ignored: a closed stdout is an error awsenv handles (children get the default
//!   back from std when they start).
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
use std::ffi::{CStr, OsString};

/// The static (musl) binaries allocate with dlmalloc: musl's mallocng maps a fresh group of
/// pages per size class and unmaps it when empty, so a cached `assume` spent a third of its
/// time in page faults and mmap calls for memory glibc's heap would have reused (measured,
/// interleaved: 0.51 ms with mallocng, 0.36 ms with dlmalloc; bench/run). It is the allocator
/// Rust's std uses on wasm, thread-safe here behind one mutex (kept across `fork`).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOC: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

// Under `cargo test` the test harness brings its own `main`.
#[cfg(not(test))]
#[no_mangle]
// Called by the C runtime alone, which guarantees `argv`.
#[allow(clippy::not_unsafe_ptr_arg_deref)]
pub extern "C" fn main(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: setting a signal's disposition to "ignore" before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    keep_standard_fds_open();
    // SAFETY: the C runtime passes `argc` valid, NUL-terminated strings in `argv`.
    let args = unsafe { arguments(argc, argv) };
    awsenv::cmd::run(args)
}

/// `argv` as Rust's own start-up would give it to `std::env::args_os`.
///
/// # Safety
/// `argv` must point to `argc` pointers to NUL-terminated strings (or be null with `argc` 0).
#[cfg(not(test))]
unsafe fn arguments(argc: libc::c_int, argv: *const *const libc::c_char) -> Vec<OsString> {
    use std::os::unix::ffi::OsStrExt;
    let count = usize::try_from(argc).unwrap_or(0);
    if argv.is_null() {
        return Vec::new();
    }
    (0..count)
        .map(|i| *argv.add(i))
        .take_while(|p| !p.is_null())
        .map(|p| std::ffi::OsStr::from_bytes(CStr::from_ptr(p).to_bytes()).to_os_string())
        .collect()
}

/// What std does before `main` on Unix: a standard descriptor that is closed is opened on
/// /dev/null. `fcntl(F_GETFD)` rather than one `poll`: poll does not report closed descriptors
/// on macOS (std makes the same choice there).
#[cfg(not(test))]
fn keep_standard_fds_open() {
    for fd in 0..=2 {
        // SAFETY: F_GETFD only reads the descriptor's flags.
        let closed = unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        if closed {
            // SAFETY: a plain open of a constant path; the lowest free descriptor, which is
            // `fd` since every lower one is open, is the one it takes.
            let opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
            if opened != fd {
                // Nothing to write to and no /dev/null: the one safe answer is to stop.
                std::process::abort();
            }
        }
    }
}

/// The one `pow` the binary calls (the SDK's retry backoff), from the `libm` crate, so that the
/// dynamic loader does not map libm.so for it: a shared library costs every call, cached ones
/// included, about ten system calls and a dozen page faults at start-up. Only where libm is a
/// shared library of its own (glibc); musl's static libc and macOS's libSystem have it inside.
///
/// SAFETY of defining a C symbol: `pow` is defined once in this binary, which overrides
/// glibc's for every caller in it. Rust code reaches it through `f64::powf`, C code of the
/// dependencies through the C declaration; both get the same IEEE-754 function (`libm` is a
/// port of musl's `pow`, correctly rounded in all but rare cases). What differs is only `errno`
/// on a domain or range error, which glibc sets and `libm` does not: nothing in this binary
/// reads `errno` after `pow`.
#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
#[no_mangle]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
