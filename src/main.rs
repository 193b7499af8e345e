//! The entry point. `no_main`: Rust's own start-up, before `main`, reads and parses
//! /proc/self/maps to place the main thread's stack-overflow guard, about a tenth of a cached
//! call's instructions and four system calls, for a message awsenv never needs. Everything else
//! it does is done here: SIGPIPE ignored (a closed stdout is an error awsenv handles; children
//! get the default back from std when they start).
#![cfg_attr(not(test), no_main)]

// Under `cargo test` the test harness brings its own `main`.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: setting a signal's disposition to "ignore" before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    awsenv::cmd::run()
}

/// The one `pow` the binary calls (the SDK's retry backoff), from the `libm` crate, so that the
/// dynamic loader does not map libm.so for it: a shared library costs every call, cached ones
/// included, about ten system calls and a dozen page faults at start-up.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
