//! This process's own arguments and environment, as the rest of awsenv sees them.
//!
//! The process environment is read, never written, once `main` has started: `setenv` is not
//! thread-safe (glibc and musl may free or move the array a concurrent `getenv` reads), and
//! the SDK's runtime, the endpoint's renewal thread and its server run threads. What awsenv
//! needs the SDK to see differently (the user's original keys back, environment keys hidden so
//! that a profile wins, the metadata service off) is an [`EnvView`]: a value with the changes
//! on top of the process environment, handed to the SDK's config loader, and copied, not
//! shared, by each thread that needs its own. `clippy.toml` forbids `set_var`/`remove_var`;
//! [`startup`] is the one place allowed, before any thread exists. It then has the environment
//! read once into [`crate::environ`], the table every other read looks in.

use std::collections::HashMap;
use std::ffi::OsString;
use std::sync::OnceLock;

use aws_types::os_shim_internal::Env;

use crate::env::vars::{Snapshot, MANAGED};

static ARGS: OnceLock<Vec<OsString>> = OnceLock::new();

/// Set in the process environment of `credential-process` and so inherited by any
/// `credential_process` the SDK starts for its source: a second awsenv there is a loop.
pub const IN_CREDENTIAL_PROCESS: &str = "AWSENV_IN_CREDENTIAL_PROCESS";

/// What this process was started to be, read once by [`startup`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Started {
    /// Started by `awsenv credential-process` higher up the process tree (see
    /// [`IN_CREDENTIAL_PROCESS`]).
    pub under_credential_process: bool,
    /// Started by the endpoint's foreground half (the marker is removed, so that nothing this
    /// process starts believes the same).
    pub as_endpoint: bool,
}

static STARTED: OnceLock<Started> = OnceLock::new();

/// The marker the endpoint's foreground half starts its background half with.
pub const ENDPOINT_HANDOFF: &str = "AWSENV_ENDPOINT_HANDOFF";

/// Start-up, before any thread exists (`cmd::run` calls it first thing; `set_var` is sound only
/// then): keeps the arguments and reads (and clears)
/// the markers that say what this process is. `credential_process` says whether this run is
/// `awsenv credential-process`, whose marker every process it starts must inherit.
#[allow(clippy::disallowed_methods)] // the one place: no thread exists yet
pub fn startup(args: Vec<OsString>, credential_process: bool) -> Started {
    ARGS.get_or_init(|| args);
    let started = Started {
        under_credential_process: std::env::var_os(IN_CREDENTIAL_PROCESS).is_some(),
        as_endpoint: std::env::var_os(ENDPOINT_HANDOFF).is_some(),
    };
    if started.as_endpoint {
        std::env::remove_var(ENDPOINT_HANDOFF);
    }
    if credential_process && !started.under_credential_process {
        std::env::set_var(IN_CREDENTIAL_PROCESS, "1");
    }
    // Every later read is of this table, with the changes above in it.
    // Read before the changes above, the table would keep the endpoint's marker and hand it
    // to every child: a start-up in the wrong order must not run on.
    assert!(
        crate::environ::freeze(),
        "awsenv: the environment was read before start-up"
    );
    *STARTED.get_or_init(|| started)
}

/// What [`startup`] found; the defaults where it did not run (the unit tests, the broker).
pub fn started() -> Started {
    STARTED.get().copied().unwrap_or_default()
}

/// The arguments the process was started with, as `main` received them (on musl and macOS
/// `std::env::args` is empty without Rust's own start-up, which `main` skips).
pub fn args() -> Vec<OsString> {
    match ARGS.get() {
        Some(a) => a.clone(),
        None => std::env::args_os().collect(),
    }
}

/// The environment as the SDK is to see it: the process's own, with changes on top.
#[derive(Clone, Debug, Default)]
pub struct EnvView {
    /// Later entries win; `None` removes the variable.
    changes: Vec<(String, Option<String>)>,
}

impl EnvView {
    /// The value as the SDK will see it; a value that is not UTF-8 counts as unset, as it does
    /// for the SDK.
    pub fn get(&self, name: &str) -> Option<String> {
        match self.changes.iter().rev().find(|(k, _)| k == name) {
            Some((_, v)) => v.clone(),
            None => crate::environ::var(name).map(str::to_string),
        }
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.changes
            .push((name.to_string(), Some(value.to_string())));
    }

    pub fn remove(&mut self, name: &str) {
        self.changes.push((name.to_string(), None));
    }

    /// Every variable awsenv manages as in `snap`: set there, or unset.
    pub fn restore(&mut self, snap: &Snapshot) {
        for name in MANAGED {
            match snap.get(name) {
                Some(v) => self.set(name, v),
                None => self.remove(name),
            }
        }
    }

    /// This view in the SDK's own type, for its config loader; made on a cache miss only.
    pub fn sdk_env(&self) -> Env {
        let mut map: HashMap<String, String> = crate::environ::all()
            .iter()
            .filter_map(|(k, v)| Some((k.to_str()?.to_string(), v.to_str()?.to_string())))
            .collect();
        for (k, v) in &self.changes {
            match v {
                Some(v) => map.insert(k.clone(), v.clone()),
                None => map.remove(k),
            };
        }
        Env::from(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // the process's own environment, to compare
    fn changes_on_top_of_the_process_environment() {
        let path = std::env::var("PATH").ok();
        let mut v = EnvView::default();
        assert_eq!(v.get("PATH"), path);
        v.set("AWSENV_TEST_VIEW", "a");
        v.set("AWSENV_TEST_VIEW", "b");
        v.remove("PATH");
        assert_eq!(v.get("AWSENV_TEST_VIEW").as_deref(), Some("b"));
        assert_eq!(v.get("PATH"), None);
        let sdk = v.sdk_env();
        assert_eq!(sdk.get("AWSENV_TEST_VIEW").ok().as_deref(), Some("b"));
        assert!(sdk.get("PATH").is_err());
        // The process itself is unchanged.
        assert_eq!(std::env::var("PATH").ok(), path);
        assert!(std::env::var_os("AWSENV_TEST_VIEW").is_none());
    }

    #[test]
    fn restore_sets_and_unsets_every_managed_variable() {
        let mut snap = Snapshot::new();
        snap.insert("AWS_ACCESS_KEY_ID".into(), "AKIAORIGINAL".into());
        let mut v = EnvView::default();
        v.set("AWS_SESSION_TOKEN", "role-token");
        v.restore(&snap);
        assert_eq!(v.get("AWS_ACCESS_KEY_ID").as_deref(), Some("AKIAORIGINAL"));
        assert_eq!(v.get("AWS_SESSION_TOKEN"), None);
    }
}
