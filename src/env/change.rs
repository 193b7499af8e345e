//! The environment change: the script (or child environment) that switches to a role, and the
//! one that switches back.

use crate::creds::RoleSession;
use crate::env::saved::{holder, local_holder, Saved};
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
    /// Keeps the current values of secret `names` where only this sink can read them back.
    fn hold(&mut self, names: &[&str]) -> Result<()>;
    /// Before the first change, what a restore needs to know about the shell's own variables.
    fn remember_scopes(&mut self) -> Result<()> {
        Ok(())
    }
    /// Before the first change: `names` are the managed variables this process did not see;
    /// those the shell has set (unexported) are kept where only the shell can read them back.
    fn hold_unexported(&mut self, _names: &[&str]) -> Result<()> {
        Ok(())
    }
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
        self.hide(names)
    }

    fn remember_scopes(&mut self) -> Result<()> {
        Script::remember_scopes(self, &MANAGED)
    }

    fn hold_unexported(&mut self, names: &[&str]) -> Result<()> {
        Script::hold_unexported(self, names, local_holder)
    }

    fn hold(&mut self, names: &[&str]) -> Result<()> {
        Script::hold(self, names, holder)
    }
}

/// Makes `act` the active role in `sink`. The state it produces depends only on the original
/// environment and this request, not on which role was active before.
pub fn activate(sink: &mut impl EnvSink, act: &RoleSession, plan: SavedPlan<'_>) -> Result<()> {
    let originals = match &plan {
        SavedPlan::New(_, snap) | SavedPlan::Keep(snap) => *snap,
    };
    if let SavedPlan::New(saved, _) = &plan {
        // Before any change: which variables are the shell's own, and the user's held values.
        sink.remember_scopes()?;
        let unseen: Vec<&str> = MANAGED
            .into_iter()
            .filter(|n| !originals.contains_key(*n))
            .collect();
        sink.hold_unexported(&unseen)?;
        let held: Vec<&str> = saved.held.iter().map(String::as_str).collect();
        sink.hold(&held)?;
    }
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

/// After a served role (`awsenv serve`), a role with keys: the endpoint's variables go back
/// to what they were before the first change, as if no endpoint had been (a plain assume
/// leaves them as they are), and its marker goes. An original token that only the shell holds
/// (a cache hit does not ask for it) is removed here; `unset` puts it back.
pub fn leave_endpoint(sink: &mut impl EnvSink, originals: &Snapshot) -> Result<()> {
    for name in ENDPOINT {
        match originals.get(name) {
            Some(v) => sink.set(name, v, SECRET.contains(&name))?,
            None => sink.remove([name])?,
        }
    }
    sink.remove([AWSENV_SERVER])
}

/// The script that makes `act` the active role.
pub fn activation_script(shell: Shell, act: &RoleSession, plan: SavedPlan<'_>) -> Result<Script> {
    let mut s = Script::new(shell);
    activate(&mut s, act, plan)?;
    Ok(s)
}

/// Printed by the restore code in a shell that does not hold the secrets (a child of the
/// shell that assumed the role): the role's keys go, and nothing of the parent's is touched.
const HELD_ELSEWHERE: &str = "awsenv: warning: your original AWS secret values are held by the \
    shell where the role was first assumed, not this one; the keys of the role are removed here";

/// The script that restores the saved state and removes every marker. It prints no secret:
/// held values are read back from the shell's own variables.
pub fn restore_script(shell: Shell, saved: &Saved) -> Result<Script> {
    let mut s = Script::new(shell);
    let held: Vec<&str> = saved.held.iter().map(String::as_str).collect();
    let missing: Vec<&str> = MANAGED
        .into_iter()
        .filter(|n| !saved.vars.contains_key(*n) && !held.contains(n))
        .collect();
    s.unset(missing.iter().copied())?;
    s.unset(MARKERS)?;
    s.restore_unexported(&missing, local_holder)?;
    // An access key id without its secret is worse than none: it goes with the held values.
    let key_id = saved
        .vars
        .get(AWS_ACCESS_KEY_ID)
        .filter(|_| !held.is_empty())
        .map(|v| (AWS_ACCESS_KEY_ID, v.as_str()));
    for name in MANAGED {
        if let Some(v) = saved.vars.get(name) {
            if key_id.is_none() || name != AWS_ACCESS_KEY_ID {
                s.restore(name, v, false)?;
            }
        }
    }
    let with: Vec<(&str, &str)> = key_id.into_iter().collect();
    s.restore_held(&held, &with, holder, HELD_ELSEWHERE)?;
    s.forget_scopes();
    Ok(s)
}

/// The script that drops an active role whose previous state was not saved (direnv restores
/// it itself): the role's credentials and every marker go.
pub fn drop_script(shell: Shell) -> Result<Script> {
    let mut s = Script::new(shell);
    s.unset([
        AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN,
        AWS_CREDENTIAL_EXPIRATION,
    ])?;
    s.unset(MARKERS)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act() -> RoleSession {
        crate::creds::sample_role_session()
    }

    #[test]
    fn bash_activation_exact() {
        let originals: Snapshot = [
            ("AWS_REGION".to_string(), "eu-west-1".to_string()),
            (
                "AWS_SECRET_ACCESS_KEY".to_string(),
                "my/own secret".to_string(),
            ),
        ]
        .into();
        let saved = Saved::new(&originals);
        let s = activation_script(Shell::Bash, &act(), SavedPlan::New(&saved, &originals)).unwrap();
        // What awsenv did not see, the shell keeps if it has it (set, so unexported).
        let locals: String = MANAGED
            .iter()
            .filter(|n| !originals.contains_key(**n))
            .map(|n| {
                format!(
                    "if [ -n \"${{{n}+x}}\" ]; then __awsenv_local_{n}=\"${{{n}-}}\"; \
                     export -n __awsenv_local_{n}; fi;\n"
                )
            })
            .collect();
        assert_eq!(locals.lines().count(), MANAGED.len() - 2);
        let rest = s
            .as_str()
            .strip_prefix(&locals)
            .unwrap_or_else(|| panic!("{}", s.as_str()));
        assert_eq!(
            rest,
            "__awsenv_saved_AWS_SECRET_ACCESS_KEY=\"${AWS_SECRET_ACCESS_KEY-}\"; export -n __awsenv_saved_AWS_SECRET_ACCESS_KEY;\n\
             unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_ACCOUNT_ID AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME;\n\
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
             export AWSENV_SAVED='{\"v\":2,\"vars\":{\"AWS_REGION\":\"eu-west-1\"},\"held\":[\"AWS_SECRET_ACCESS_KEY\"]}';\n"
        );
        assert!(s.holds_secrets());
        assert!(
            !s.as_str().contains("my/own"),
            "the user's own secret is never printed"
        );
    }

    #[test]
    fn leaving_an_endpoint_puts_the_users_container_variables_back() {
        let originals: Snapshot = [(
            AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.to_string(),
            "/v2/credentials/x".to_string(),
        )]
        .into();
        let mut s = Script::new(Shell::Bash);
        leave_endpoint(&mut s, &originals).unwrap();
        assert_eq!(
            s.as_str(),
            "unset AWS_CONTAINER_CREDENTIALS_FULL_URI;\n\
             unset AWS_CONTAINER_AUTHORIZATION_TOKEN;\n\
             export AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/x;\n\
             unset AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;\n\
             unset AWSENV_SERVER;\n"
        );
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
        let saved = Saved::new(
            &[
                ("AWS_PROFILE".to_string(), "it’s".to_string()),
                ("AWS_ACCESS_KEY_ID".to_string(), "AKIA1".to_string()),
                ("AWS_SECRET_ACCESS_KEY".to_string(), "a'b".to_string()),
            ]
            .into(),
        );
        let s = restore_script(Shell::Powershell, &saved).unwrap();
        assert!(!s.holds_secrets());
        let text = s.as_str();
        assert!(!text.contains("a'b") && !text.contains("a''b"), "{text}");
        let h = "__awsenv_saved_AWS_SECRET_ACCESS_KEY";
        assert!(
            text.ends_with(&format!(
                "$env:AWS_PROFILE = 'it’’s';\n\
                 if ((Test-Path Variable:global:{h})) {{\n\
                 $env:AWS_ACCESS_KEY_ID = 'AKIA1';\n\
                 $env:AWS_SECRET_ACCESS_KEY = $global:{h};\n\
                 }} else {{\n\
                 Remove-Item -LiteralPath Env:AWS_ACCESS_KEY_ID -ErrorAction SilentlyContinue;\n\
                 Remove-Item -LiteralPath Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue;\n\
                 [Console]::Error.WriteLine('{HELD_ELSEWHERE}');\n\
                 }}\n\
                 Remove-Variable -Name {h} -Scope Global -ErrorAction SilentlyContinue;\n"
            )),
            "{text}"
        );
        for m in MARKERS {
            assert!(
                text.contains(&format!("Remove-Item -LiteralPath Env:{m} ")),
                "{m}"
            );
        }
        assert!(!text.contains("Env:AWS_PROFILE "));
    }

    #[test]
    fn bash_restore_reads_the_held_values() {
        let saved = Saved::new(
            &[
                ("AWS_ACCESS_KEY_ID".to_string(), "AKIA1".to_string()),
                ("AWS_SECRET_ACCESS_KEY".to_string(), "s".to_string()),
            ]
            .into(),
        );
        let s = restore_script(Shell::Bash, &saved).unwrap();
        let h = "__awsenv_saved_AWS_SECRET_ACCESS_KEY";
        assert!(
            s.as_str().ends_with(&format!(
                "if [ -n \"${{{h}+x}}\" ]; then\n\
                 export AWS_ACCESS_KEY_ID=AKIA1;\n\
                 export AWS_SECRET_ACCESS_KEY=\"${h}\";\n\
                 else\n\
                 unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY;\n\
                 printf '%s\\n' '{HELD_ELSEWHERE}' >&2;\n\
                 fi;\n\
                 unset {h};\n"
            )),
            "{}",
            s.as_str()
        );
    }
}
