//! The environment change: the script (or child environment) that switches to a role, and the
//! one that switches back.

use crate::creds::RoleSession;
use crate::env::saved::Saved;
use crate::env::vars::*;
use crate::error::Result;
use crate::shell::script::Script;
use crate::shell::Shell;

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
pub fn activate(sink: &mut impl EnvSink, act: &RoleSession, plan: SavedPlan<'_>) -> Result<()> {
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
    sink.set(AWS_ACCESS_KEY_ID, &act.session.access_key_id, false)?;
    sink.set(AWS_SECRET_ACCESS_KEY, &act.session.secret_access_key, true)?;
    sink.set(AWS_SESSION_TOKEN, &act.session.session_token, true)?;
    sink.set(
        AWS_CREDENTIAL_EXPIRATION,
        &act.session.expiration_rfc3339(),
        false,
    )?;
    sink.set(AWSENV_ROLE, &act.role_name, false)?;
    sink.set(AWSENV_ROLE_ARN, &act.role_arn, false)?;
    sink.set(AWSENV_SESSION_ARN, &act.session.session_arn, false)?;
    sink.set(
        AWSENV_EXPIRES_AT,
        &act.session.expires_at.to_string(),
        false,
    )?;
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
pub fn activation_script(shell: Shell, act: &RoleSession, plan: SavedPlan<'_>) -> Result<Script> {
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

    fn act() -> RoleSession {
        RoleSession {
            role_arn: "arn:aws:iam::123456789012:role/T".into(),
            role_name: "T".into(),
            simulated_by: None,
            source: "env:AKIAEXAMPLE".into(),
            duration: 3600,
            region: None,
            session: crate::creds::Session {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_access_key: "secret/key".into(),
                session_token: "tok".into(),
                expires_at: 1_795_269_600,
                session_arn: "arn:aws:sts::123456789012:assumed-role/T/s".into(),
            },
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
             export AWSENV_EXPIRES_AT=1795269600;\n\
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
        want += "$env:AWSENV_EXPIRES_AT = '1795269600';\n$env:AWSENV_SOURCE = 'env:AKIAEXAMPLE';\n";
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
