//! The variables awsenv manages, the state it saves before it first changes them, and the
//! scripts that switch to a role and back.
//!
//! The saved state is exported as `AWSENV_SAVED` so that `awsenv unset`, a child process, can
//! read it. Secret values (secret keys and tokens) are not put there, where every child process
//! and every `env` dump would see them: they go to a 0600 file named in `AWSENV_SAVED`.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths;
use crate::shell::{Script, Shell};

pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
pub const AWS_CREDENTIAL_EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";

/// Variables that would contradict freshly exported role credentials, unset while a role is
/// active. `AWS_PROFILE` in particular: awsenv never points it at a name that is not a profile.
pub const CONTRADICTING: [&str; 7] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SECURITY_TOKEN",
    "AWS_ACCOUNT_ID",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
];

/// Every variable awsenv may change, and so saves before the first change.
pub const MANAGED: [&str; 13] = [
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AWS_CREDENTIAL_EXPIRATION,
    AWS_REGION,
    AWS_DEFAULT_REGION,
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SECURITY_TOKEN",
    "AWS_ACCOUNT_ID",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
];

/// Values that must never be shown, logged, or exported in clear beyond their own variable.
pub const SECRET: [&str; 3] = [
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    "AWS_SECURITY_TOKEN",
];

pub const AWSENV_ROLE: &str = "AWSENV_ROLE";
pub const AWSENV_ROLE_ARN: &str = "AWSENV_ROLE_ARN";
pub const AWSENV_SESSION_ARN: &str = "AWSENV_SESSION_ARN";
pub const AWSENV_SIMULATED_BY: &str = "AWSENV_SIMULATED_BY";
pub const AWSENV_EXPIRES_AT: &str = "AWSENV_EXPIRES_AT";
pub const AWSENV_SOURCE: &str = "AWSENV_SOURCE";
pub const AWSENV_SAVED: &str = "AWSENV_SAVED";

/// The variables awsenv itself sets; `unset` removes them all. User settings such as
/// `AWSENV_SHELL` or `AWSENV_DEFAULT_ROLE` are not markers and are left alone.
pub const MARKERS: [&str; 7] = [
    AWSENV_ROLE,
    AWSENV_ROLE_ARN,
    AWSENV_SESSION_ARN,
    AWSENV_SIMULATED_BY,
    AWSENV_EXPIRES_AT,
    AWSENV_SOURCE,
    AWSENV_SAVED,
];

const FORMAT_VERSION: u32 = 1;

/// A snapshot of the managed variables: name → value, for those that were set.
pub type Snapshot = BTreeMap<String, String>;

/// Reads the managed variables from the process environment. A value that is not UTF-8 cannot
/// be written back byte for byte, so it is refused rather than mangled.
pub fn snapshot_process_env() -> Result<Snapshot> {
    let mut snap = Snapshot::new();
    for name in MANAGED {
        if let Some(v) = std::env::var_os(name) {
            let v = v.into_string().map_err(|_| {
                Error::usage(format!(
                    "{name} holds bytes that are not UTF-8; awsenv could not restore it exactly. \
                     Fix or unset {name} first."
                ))
            })?;
            snap.insert(name.to_string(), v);
        }
    }
    Ok(snap)
}

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
            let dir = paths::state_dir()?;
            if let Some(parent) = dir.parent() {
                paths::check_existing_dir(parent)?;
            }
            paths::secure_dir(&dir)?;
            prune_old(&dir);
            let id = format!("{}.json", paths::unique_suffix());
            let body = serde_json::to_vec(&secret)
                .map_err(|e| Error::Io(format!("cannot encode the saved state: {e}")))?;
            paths::write_private_atomic(&dir.join(&id), &body)?;
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
            Some(id) => Ok(Some(paths::state_dir()?.join(id))),
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

/// Puts the original credentials back into this process's environment, so that the SDK's
/// default chain finds what the user had before any role was active.
///
/// # Safety of `set_var`
/// Called before any thread (the tokio runtime included) is started.
pub fn apply_to_process_env(snap: &Snapshot) {
    for name in MANAGED {
        match snap.get(name) {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

/// A role session ready to be exported.
#[derive(Debug, Clone)]
pub struct Activation {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// RFC 3339, UTC, `Z`.
    pub expiration: String,
    pub expires_at: i64,
    pub session_arn: String,
    pub role_arn: String,
    pub role_name: String,
    pub simulated_by: Option<String>,
    pub region: Option<String>,
    /// Where the source credentials came from (e.g. `profile:dev`, `env:AKIA…`); no secret.
    pub source: String,
}

/// How the saved state stands when a role is activated.
pub enum SavedPlan<'a> {
    /// No role was active: save this state (export it) and base region fallbacks on it.
    New(&'a Saved, &'a Snapshot),
    /// A role is active: keep the state saved at the first assume.
    Keep(&'a Snapshot),
}

/// Where activation writes: a script for the user's shell, or the environment of a child.
pub trait EnvSink {
    fn set(&mut self, name: &str, value: &str, secret: bool) -> Result<()>;
    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()>;
}

impl EnvSink for Script {
    fn set(&mut self, name: &str, value: &str, secret: bool) -> Result<()> {
        if secret {
            self.export_secret(name, value)
        } else {
            self.export(name, value)
        }
    }

    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.unset(names)
    }
}

/// Makes `act` the active role in `sink`. The state it produces depends only on the original
/// environment and this request, not on which role was active before.
pub fn activate(sink: &mut impl EnvSink, act: &Activation, plan: SavedPlan<'_>) -> Result<()> {
    let originals = match &plan {
        SavedPlan::New(_, snap) | SavedPlan::Keep(snap) => *snap,
    };
    sink.remove(CONTRADICTING)?;
    for name in [AWS_REGION, AWS_DEFAULT_REGION] {
        match act
            .region
            .as_deref()
            .or_else(|| originals.get(name).map(String::as_str))
        {
            Some(r) => sink.set(name, r, false)?,
            None => sink.remove([name])?,
        }
    }
    if act.simulated_by.is_none() {
        sink.remove([AWSENV_SIMULATED_BY])?;
    }
    sink.set(AWS_ACCESS_KEY_ID, &act.access_key_id, false)?;
    sink.set(AWS_SECRET_ACCESS_KEY, &act.secret_access_key, true)?;
    sink.set(AWS_SESSION_TOKEN, &act.session_token, true)?;
    sink.set(AWS_CREDENTIAL_EXPIRATION, &act.expiration, false)?;
    sink.set(AWSENV_ROLE, &act.role_name, false)?;
    sink.set(AWSENV_ROLE_ARN, &act.role_arn, false)?;
    sink.set(AWSENV_SESSION_ARN, &act.session_arn, false)?;
    sink.set(AWSENV_EXPIRES_AT, &act.expires_at.to_string(), false)?;
    sink.set(AWSENV_SOURCE, &act.source, false)?;
    if let Some(base) = &act.simulated_by {
        sink.set(AWSENV_SIMULATED_BY, base, false)?;
    }
    if let SavedPlan::New(saved, _) = plan {
        sink.set(AWSENV_SAVED, &saved.encode(), false)?;
    }
    Ok(())
}

/// The script that makes `act` the active role.
pub fn activation_script(shell: Shell, act: &Activation, plan: SavedPlan<'_>) -> Result<Script> {
    let mut s = Script::new(shell);
    activate(&mut s, act, plan)?;
    Ok(s)
}

/// The script that restores `originals` and removes every marker.
pub fn restore_script(shell: Shell, originals: &Snapshot) -> Result<Script> {
    let mut s = Script::new(shell);
    let missing: Vec<&str> = MANAGED
        .into_iter()
        .filter(|n| !originals.contains_key(*n))
        .collect();
    s.unset(missing)?;
    s.unset(MARKERS)?;
    for name in MANAGED {
        if let Some(v) = originals.get(name) {
            if SECRET.contains(&name) {
                s.export_secret(name, v)?;
            } else {
                s.export(name, v)?;
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act() -> Activation {
        Activation {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret/key".into(),
            session_token: "tok".into(),
            expiration: "2026-11-21T14:00:00Z".into(),
            expires_at: 1_795_356_000,
            session_arn: "arn:aws:sts::123456789012:assumed-role/T/s".into(),
            role_arn: "arn:aws:iam::123456789012:role/T".into(),
            role_name: "T".into(),
            simulated_by: None,
            region: None,
            source: "env:AKIAEXAMPLE".into(),
        }
    }

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

    #[test]
    fn bash_activation_exact() {
        let originals: Snapshot = [("AWS_REGION".to_string(), "eu-west-1".to_string())].into();
        let saved = Saved {
            version: 1,
            vars: originals.clone(),
            secrets: None,
        };
        let s = activation_script(Shell::Bash, &act(), SavedPlan::New(&saved, &originals)).unwrap();
        assert_eq!(
            s.as_str(),
            "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_ACCOUNT_ID AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME;\n\
             export AWS_REGION=eu-west-1;\n\
             unset AWS_DEFAULT_REGION;\n\
             unset AWSENV_SIMULATED_BY;\n\
             export AWS_ACCESS_KEY_ID=ASIAEXAMPLE;\n\
             export AWS_SECRET_ACCESS_KEY=secret/key;\n\
             export AWS_SESSION_TOKEN=tok;\n\
             export AWS_CREDENTIAL_EXPIRATION='2026-11-21T14:00:00Z';\n\
             export AWSENV_ROLE=T;\n\
             export AWSENV_ROLE_ARN='arn:aws:iam::123456789012:role/T';\n\
             export AWSENV_SESSION_ARN='arn:aws:sts::123456789012:assumed-role/T/s';\n\
             export AWSENV_EXPIRES_AT=1795356000;\n\
             export AWSENV_SOURCE='env:AKIAEXAMPLE';\n\
             export AWSENV_SAVED='{\"v\":1,\"vars\":{\"AWS_REGION\":\"eu-west-1\"}}';\n"
        );
        assert!(s.holds_secrets());
    }

    #[test]
    fn powershell_activation_exact() {
        let originals = Snapshot::new();
        let mut a = act();
        a.region = Some("us-east-2".into());
        a.simulated_by = Some("arn:aws:iam::123456789012:role/base".into());
        let s = activation_script(Shell::Powershell, &a, SavedPlan::Keep(&originals)).unwrap();
        let rm =
            |n: &str| format!("Remove-Item -LiteralPath Env:{n} -ErrorAction SilentlyContinue;\n");
        let mut want: String = CONTRADICTING.iter().map(|n| rm(n)).collect();
        want += "$env:AWS_REGION = 'us-east-2';\n$env:AWS_DEFAULT_REGION = 'us-east-2';\n";
        want +=
            "$env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';\n$env:AWS_SECRET_ACCESS_KEY = 'secret/key';\n";
        want += "$env:AWS_SESSION_TOKEN = 'tok';\n$env:AWS_CREDENTIAL_EXPIRATION = '2026-11-21T14:00:00Z';\n";
        want +=
            "$env:AWSENV_ROLE = 'T';\n$env:AWSENV_ROLE_ARN = 'arn:aws:iam::123456789012:role/T';\n";
        want += "$env:AWSENV_SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/T/s';\n";
        want += "$env:AWSENV_EXPIRES_AT = '1795356000';\n$env:AWSENV_SOURCE = 'env:AKIAEXAMPLE';\n";
        want += "$env:AWSENV_SIMULATED_BY = 'arn:aws:iam::123456789012:role/base';\n";
        assert_eq!(s.as_str(), want);
    }

    #[test]
    fn powershell_restore_exact() {
        let originals: Snapshot = [
            ("AWS_PROFILE".to_string(), "it’s".to_string()),
            ("AWS_SECRET_ACCESS_KEY".to_string(), "a'b".to_string()),
        ]
        .into();
        let s = restore_script(Shell::Powershell, &originals).unwrap();
        assert!(s.holds_secrets());
        let text = s.as_str();
        assert!(
            text.ends_with("$env:AWS_SECRET_ACCESS_KEY = 'a''b';\n$env:AWS_PROFILE = 'it’’s';\n")
        );
        for m in MARKERS {
            assert!(
                text.contains(&format!("Remove-Item -LiteralPath Env:{m} ")),
                "{m}"
            );
        }
        assert!(!text.contains("Env:AWS_PROFILE "));
    }
}
