//! The process environment, read once.
//!
//! `env::process::startup` makes the only changes the process ever makes to its environment,
//! before any thread exists, then reads it whole into one sorted table ([`freeze`]); every
//! other read in awsenv is a lookup there. So no thread can see the environment change under
//! it, and a lookup is a binary search instead of `getenv`'s compare against every entry (a
//! cached `assume` asks for about forty names: 7% of its instructions went to musl's
//! `getenv`). `clippy.toml` forbids `std::env::var` and its siblings elsewhere.
//!
//! What is not awsenv's own reads the process environment itself: clap, the SDK where it is not
//! handed an `EnvView`, and child processes (which inherit it). They see the same values:
//! nothing changes it after start-up.

use std::ffi::{OsStr, OsString};
use std::sync::OnceLock;

static ENVIRON: OnceLock<Vec<(OsString, OsString)>> = OnceLock::new();

/// Reads the process environment into the table, sorted by name. Where a name occurs twice,
/// the first entry counts, as for `getenv`.
#[allow(clippy::disallowed_methods)] // the one read
fn read() -> Vec<(OsString, OsString)> {
    let mut vars: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    // Stable: of equal names, the first stays first, and `dedup_by` keeps it.
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    vars.dedup_by(|later, first| later.0 == first.0);
    vars
}

/// Takes the table now: start-up calls it after its own changes. Returns false if something
/// read the environment earlier (a start-up in the wrong order), which then keeps that table.
pub fn freeze() -> bool {
    let mut fresh = false;
    ENVIRON.get_or_init(|| {
        fresh = true;
        read()
    });
    fresh
}

/// The table; read on first use where start-up did not run (unit tests, the broker).
fn table() -> &'static [(OsString, OsString)] {
    ENVIRON.get_or_init(read)
}

/// The value of `name`, as `std::env::var_os`.
pub fn var_os(name: &str) -> Option<&'static OsStr> {
    let t = table();
    t.binary_search_by(|(k, _)| k.as_os_str().cmp(OsStr::new(name)))
        .ok()
        .map(|i| t[i].1.as_os_str())
}

/// The value of `name` if it is set and UTF-8, as `std::env::var(name).ok()`.
pub fn var(name: &str) -> Option<&'static str> {
    var_os(name).and_then(OsStr::to_str)
}

/// The value of `name` if it is set, UTF-8 and not empty: how awsenv reads most settings (an
/// empty value is an unset one).
pub fn nonempty(name: &str) -> Option<&'static str> {
    var(name).filter(|v| !v.is_empty())
}

/// [`nonempty`], owned: for a value that goes into a struct or an error.
pub fn value(name: &str) -> Option<String> {
    nonempty(name).map(str::to_string)
}

/// Whether `name` is set to something other than empty or `0`: awsenv's switches.
pub fn switch(name: &str) -> bool {
    var(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Every variable, sorted by name.
pub fn all() -> &'static [(OsString, OsString)] {
    table()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // compared with the process's own
    fn lookups_agree_with_the_process_environment() {
        let process: Vec<(OsString, OsString)> = std::env::vars_os().collect();
        assert!(!process.is_empty(), "the test process has an environment");
        for (k, v) in &process {
            let name = k.to_str().expect("UTF-8 names in the test environment");
            assert_eq!(var_os(name), std::env::var_os(name).as_deref(), "{name}");
            assert_eq!(var(name), v.to_str(), "{name}");
        }
        assert_eq!(var_os("AWSENV_TEST_NOT_SET_ANYWHERE"), None);
        assert_eq!(all().len(), {
            let mut names: Vec<_> = process.iter().map(|(k, _)| k).collect();
            names.sort();
            names.dedup();
            names.len()
        });
        assert!(all().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn switches_and_empty_values() {
        // PATH is set and not empty for any test run; the names below are never set.
        assert!(nonempty("PATH").is_some());
        assert!(!switch("AWSENV_TEST_NOT_SET_ANYWHERE"));
        assert_eq!(nonempty("AWSENV_TEST_NOT_SET_ANYWHERE"), None);
    }
}
