//! The state saved before the first change: `AWSENV_SAVED`, which `awsenv unset` (a child
//! process) reads. It holds the non-secret values only. Secret values (secret keys and tokens)
//! are never written anywhere by awsenv: the emitted code copies each into an unexported shell
//! variable ([`holder`]) of the shell that evaluates it, and the restore code reads them back
//! from there. So no secret lands on disk, no child process sees them, and a child shell's
//! `unset` cannot take its parent's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::env::vars::{Snapshot, AWSENV_SAVED, MANAGED, SECRET};
use crate::error::{Error, Result};

const FORMAT_VERSION: u32 = 2;

pub use crate::shell::names::RERUN;
use crate::shell::names::{HOLDER_PREFIX, LOCAL_PREFIX};

/// The unexported shell variable that holds the original value of secret variable `name`.
pub fn holder(name: &str) -> String {
    format!("{HOLDER_PREFIX}{name}")
}

/// The unexported shell variable that holds the value of `name` when the shell had it set but
/// not exported (so awsenv never saw it) before the first change.
pub fn local_holder(name: &str) -> String {
    format!("{LOCAL_PREFIX}{name}")
}

/// What `AWSENV_SAVED` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(rename = "v")]
    pub version: u32,
    /// The managed, non-secret variables that were set, with their values.
    pub vars: BTreeMap<String, String>,
    /// The secret variables that were set; the shell holds their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<String>,
}

impl Saved {
    /// The state to save for `snap`: non-secret values as they are, secret ones by name.
    pub fn new(snap: &Snapshot) -> Saved {
        let (secret, plain): (Snapshot, Snapshot) = snap
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .partition(|(k, _)| SECRET.contains(&k.as_str()));
        Saved {
            version: FORMAT_VERSION,
            vars: plain,
            held: secret.into_keys().collect(),
        }
    }

    pub fn encode(&self) -> String {
        // Serialising a struct of strings cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn decode(text: &str) -> Result<Saved> {
        let saved: Saved = serde_json::from_str(text).map_err(|_| {
            Error::usage(format!(
                "{AWSENV_SAVED} is not something awsenv wrote; unset it (or open a new shell) \
                 and try again"
            ))
        })?;
        if saved.version != FORMAT_VERSION {
            return Err(Error::usage(format!(
                "{AWSENV_SAVED} was written by another version of awsenv (format {}); restore \
                 with that version or open a new shell",
                saved.version
            )));
        }
        let foreign = saved
            .vars
            .keys()
            .any(|k| !MANAGED.contains(&k.as_str()) || SECRET.contains(&k.as_str()))
            || saved.held.iter().any(|k| !SECRET.contains(&k.as_str()));
        if foreign {
            return Err(Error::usage(format!(
                "{AWSENV_SAVED} names a variable awsenv does not manage; open a new shell"
            )));
        }
        Ok(saved)
    }

    /// The saved state in the environment of this process, if a role is active.
    pub fn from_process_env() -> Result<Option<Saved>> {
        match crate::environ::nonempty(AWSENV_SAVED) {
            Some(v) => Saved::decode(v).map(Some),
            None => Ok(None),
        }
    }

    /// The original environment as far as this process can know it: the saved values, and
    /// the held secrets the shell passed in this process's environment (it does so only when
    /// it runs awsenv again for that purpose). The second value says whether any is missing.
    pub fn originals(&self) -> (Snapshot, bool) {
        let mut snap = self.vars.clone();
        let mut missing = false;
        for name in &self.held {
            match crate::environ::var(&holder(name)) {
                Some(v) => {
                    snap.insert(name.clone(), v.to_string());
                }
                None => missing = true,
            }
        }
        (snap, missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_state_round_trips_and_rejects_foreign_values() {
        let saved = Saved {
            version: FORMAT_VERSION,
            vars: [("AWS_PROFILE".to_string(), "dev".to_string())].into(),
            held: vec!["AWS_SECRET_ACCESS_KEY".into()],
        };
        assert_eq!(Saved::decode(&saved.encode()).unwrap(), saved);
        for bad in [
            "",
            "{}",
            r#"{"v":1,"vars":{}}"#,
            r#"{"v":2,"vars":{"PATH":"/x"}}"#,
            r#"{"v":2,"vars":{"AWS_SECRET_ACCESS_KEY":"x"}}"#,
            r#"{"v":2,"vars":{},"held":["AWS_PROFILE"]}"#,
            r#"{"v":2,"vars":{},"held":["PATH"]}"#,
        ] {
            assert!(Saved::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_kept_by_name_only() {
        let snap: Snapshot = [
            ("AWS_ACCESS_KEY_ID".to_string(), "AKIA1".to_string()),
            (
                "AWS_SECRET_ACCESS_KEY".to_string(),
                "s3cr3t/value".to_string(),
            ),
            ("AWS_SESSION_TOKEN".to_string(), "tok3n-value".to_string()),
        ]
        .into();
        let saved = Saved::new(&snap);
        let text = saved.encode();
        assert!(
            !text.contains("s3cr3t") && !text.contains("tok3n"),
            "{text}"
        );
        assert_eq!(saved.held, ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
        assert_eq!(saved.vars.get("AWS_ACCESS_KEY_ID").unwrap(), "AKIA1");
    }
}
