//! Diagnostics on stderr for `--verbose` / `AWSENV_LOG=debug`, and one-line warnings.
//! Callers pass names, ARNs and timings only: nothing here ever receives a secret.

use std::fmt::Arguments;
use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

pub fn init(verbose: bool) {
    let from_env = std::env::var("AWSENV_LOG")
        .map(|v| v.eq_ignore_ascii_case("debug"))
        .unwrap_or(false);
    VERBOSE.store(verbose || from_env, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

pub fn debug(args: Arguments<'_>) {
    if enabled() {
        eprintln!("awsenv: {args}");
    }
}

pub fn warn(args: Arguments<'_>) {
    eprintln!("awsenv: warning: {args}");
}
