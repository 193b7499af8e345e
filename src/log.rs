//! Everything awsenv writes to stderr goes through here: diagnostics for `--verbose` /
//! `AWSENV_LOG=debug`, warnings, and the final error. Each message is redacted against every
//! secret awsenv has seen in this process (source keys, tokens, new session credentials), so a
//! secret echoed by an endpoint, a proxy or an SDK error chain never reaches the terminal.

use std::fmt::Arguments;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static VERBOSE: AtomicBool = AtomicBool::new(false);
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

pub fn init(verbose: bool) {
    let from_env =
        crate::environ::var("AWSENV_LOG").is_some_and(|v| v.eq_ignore_ascii_case("debug"));
    VERBOSE.store(verbose || from_env, Ordering::Relaxed);
}

/// Remembers a value that must never be shown. Short values are not secrets anyone could
/// recognise, and redacting them would mangle ordinary words.
pub fn secret(value: &str) {
    if value.len() >= 8 {
        if let Ok(mut s) = SECRETS.lock() {
            if !s.iter().any(|x| x == value) {
                s.push(value.to_string());
            }
        }
    }
}

/// `text` with every registered secret replaced by `[redacted]`.
pub fn redact(text: &str) -> String {
    let secrets = SECRETS.lock().map(|s| s.clone()).unwrap_or_default();
    crate::error::scrub(
        text,
        &secrets.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

pub fn enabled() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

pub fn debug(args: Arguments<'_>) {
    if enabled() {
        eprintln!("awsenv: {}", redact(&args.to_string()));
    }
}

/// A line the user asked for (not a diagnostic): always shown.
pub fn info(args: Arguments<'_>) {
    eprintln!("awsenv: {}", redact(&args.to_string()));
}

pub fn warn(args: Arguments<'_>) {
    eprintln!("awsenv: warning: {}", redact(&args.to_string()));
}

pub fn error(text: &str) {
    eprintln!("awsenv: {}", redact(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_are_redacted() {
        secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        secret("short");
        assert_eq!(
            redact("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY was short"),
            "key [redacted] was short"
        );
    }
}
