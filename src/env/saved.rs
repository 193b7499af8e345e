//! The state saved before the first change: `AWSENV_SAVED`, which `awsenv unset` (a child
//! process) reads. Secret values (secret keys and tokens) are not put there, where every child
//! process and every `env` dump would see them: they go to a 0600 file named in it.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::env::vars::{Snapshot, AWSENV_SAVED, MANAGED, SECRET};
use crate::error::{Error, Result};
use crate::store::fs as files;

const FORMAT_VERSION: u32 = 1;

/// What `AWSENV_SAVED` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(rename = "v")]
    pub version: u32,
    /// The managed, non-secret variables that were set, with their values.
    pub vars: BTreeMap<String, String>,
    /// Name of the 0600 file (in the state directory) that holds the secret ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<String>,
}

impl Saved {
    /// Saves `snap`, writing the secret values to a new private file when there are any.
    pub fn store(snap: &Snapshot) -> Result<Saved> {
        let (secret, plain): (Snapshot, Snapshot) = snap
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .partition(|(k, _)| SECRET.contains(&k.as_str()));
        let secrets = if secret.is_empty() {
            None
        } else {
            let dir = files::state_dir()?;
            if let Some(parent) = dir.parent() {
                files::check_existing_dir(parent)?;
            }
            files::secure_dir(&dir)?;
            prune_old(&dir);
            let id = format!("{}.json", files::unique_suffix());
            let body = serde_json::to_vec(&secret)
                .map_err(|e| Error::Io(format!("cannot encode the saved state: {e}")))?;
            files::write_private_atomic(&dir.join(&id), &body)?;
            Some(id)
        };
        Ok(Saved {
            version: FORMAT_VERSION,
            vars: plain,
            secrets,
        })
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
        if let Some(id) = &saved.secrets {
            // A name, never a path: nothing in the environment may point awsenv elsewhere.
            let stem = id.strip_suffix(".json").unwrap_or("");
            if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::usage(format!(
                    "{AWSENV_SAVED} names an invalid state file; open a new shell"
                )));
            }
        }
        for k in saved.vars.keys() {
            if !MANAGED.contains(&k.as_str()) || SECRET.contains(&k.as_str()) {
                return Err(Error::usage(format!(
                    "{AWSENV_SAVED} names a variable awsenv does not manage; open a new shell"
                )));
            }
        }
        Ok(saved)
    }

    /// The saved state in the environment of this process, if a role is active.
    pub fn from_process_env() -> Result<Option<Saved>> {
        match std::env::var(AWSENV_SAVED) {
            Ok(v) if !v.is_empty() => Saved::decode(&v).map(Some),
            _ => Ok(None),
        }
    }

    fn secrets_path(&self) -> Result<Option<PathBuf>> {
        match &self.secrets {
            Some(id) => Ok(Some(files::state_dir()?.join(id))),
            None => Ok(None),
        }
    }

    /// The complete original snapshot. Err when the secret part was lost (a cleared state
    /// directory, a new login), naming what cannot be restored.
    pub fn originals(&self) -> Result<Snapshot> {
        let mut snap = self.vars.clone();
        if let Some(path) = self.secrets_path()? {
            let text = fs::read(&path).map_err(|e| {
                Error::Io(format!(
                    "the saved secret values ({}) are gone: {e}. `awsenv unset` can still clear the \
                     role; your original credentials must be set again by hand.",
                    path.display()
                ))
            })?;
            let secret: Snapshot = serde_json::from_slice(&text)
                .map_err(|_| Error::Io(format!("the saved state {} is corrupt", path.display())))?;
            for (k, v) in secret {
                if SECRET.contains(&k.as_str()) {
                    snap.insert(k, v);
                }
            }
        }
        Ok(snap)
    }

    /// Removes the secret file; the caller is done with this saved state.
    pub fn discard(&self) {
        if let Ok(Some(path)) = self.secrets_path() {
            let _ = fs::remove_file(path);
        }
    }
}

/// Shells that exited without `unset` leave their state files behind; a month is far beyond
/// any session (12 h at most), so older files belong to no living shell that could restore.
fn prune_old(dir: &std::path::Path) {
    const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > MAX_AGE);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_state_round_trips_and_rejects_foreign_values() {
        let saved = Saved {
            version: 1,
            vars: [("AWS_PROFILE".to_string(), "dev".to_string())].into(),
            secrets: Some("0123abcdef.json".into()),
        };
        assert_eq!(Saved::decode(&saved.encode()).unwrap(), saved);
        for bad in [
            "",
            "{}",
            r#"{"v":2,"vars":{}}"#,
            r#"{"v":1,"vars":{"PATH":"/x"}}"#,
            r#"{"v":1,"vars":{"AWS_SECRET_ACCESS_KEY":"x"}}"#,
            r#"{"v":1,"vars":{},"secrets":"../../etc/passwd"}"#,
            r#"{"v":1,"vars":{},"secrets":"/tmp/x.json"}"#,
        ] {
            assert!(Saved::decode(bad).is_err(), "{bad}");
        }
    }
}
