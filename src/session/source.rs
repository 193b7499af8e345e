//! Where the source credentials come from, the environment they are read from, and the one
//! rule for role chaining.

use crate::creds::RoleSession;
use crate::env::change::{self as envchange, EnvSink, SavedPlan};
use crate::env::saved::Saved;
use crate::env::vars::{self, Snapshot};
use crate::error::{Error, Result};
use crate::session::params::CHAIN_MAX_DURATION;
use crate::shell::script::Script;
use crate::shell::Shell;

/// Where source credentials come from.
#[derive(Debug, Clone)]
pub enum SourceKind {
    /// The SDK's default chain over the environment as it was before any awsenv role.
    Default,
    /// A named profile (`--profile`).
    Profile(String),
    /// The active awsenv role (`--chain`).
    ActiveRole,
}

impl SourceKind {
    /// The profile the SDK must load the source from, if one is named.
    pub fn profile(&self) -> Option<&str> {
        match self {
            SourceKind::Profile(p) => Some(p),
            SourceKind::Default | SourceKind::ActiveRole => None,
        }
    }
}

/// The environment as awsenv must see it: what to restore to, and what was saved already.
pub struct EnvContext {
    pub saved: Option<Saved>,
    pub originals: Snapshot,
    pub current: Snapshot,
}

impl EnvContext {
    pub fn read() -> Result<EnvContext> {
        let saved = Saved::from_process_env()?;
        let current = vars::snapshot_process_env()?;
        let originals = match &saved {
            Some(s) => s.originals().map_err(|e| {
                Error::Io(format!(
                    "{e}\nRun `awsenv unset` (or open a new shell) before assuming again."
                ))
            })?,
            None => current.clone(),
        };
        Ok(EnvContext {
            saved,
            originals,
            current,
        })
    }

    /// Puts this process's environment where the source credentials must come from, and names
    /// that source without reading any file: `--chain` keeps the active role; otherwise the
    /// originals come back, and `--profile` hides environment keys so the profile wins.
    pub fn prepare_source(&self, source: &SourceKind) -> Result<String> {
        match source {
            SourceKind::ActiveRole => {
                let arn = std::env::var(vars::AWSENV_ROLE_ARN)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        Error::usage(
                            "--chain needs an active awsenv role to start from; assume one first",
                        )
                    })?;
                Ok(format!("role:{arn}"))
            }
            SourceKind::Profile(p) => {
                vars::apply_to_process_env(&self.originals);
                for v in [
                    vars::AWS_ACCESS_KEY_ID,
                    vars::AWS_SECRET_ACCESS_KEY,
                    vars::AWS_SESSION_TOKEN,
                ] {
                    std::env::remove_var(v);
                }
                Ok(format!("profile:{p}"))
            }
            SourceKind::Default => {
                vars::apply_to_process_env(&self.originals);
                if let Some(k) = self.originals.get(vars::AWS_ACCESS_KEY_ID) {
                    Ok(format!("env:{k}"))
                } else if let Some(p) = self.originals.get("AWS_PROFILE") {
                    Ok(format!("profile:{p}"))
                } else {
                    Ok("default".to_string())
                }
            }
        }
    }

    /// Activates `act` in `sink`, saving the environment first if no role was active (unless
    /// AWSENV_NO_SAVE says something else restores it, as direnv does).
    pub fn activate(&self, sink: &mut impl EnvSink, act: &RoleSession) -> Result<()> {
        let no_save = std::env::var("AWSENV_NO_SAVE").is_ok_and(|v| !v.is_empty() && v != "0");
        match &self.saved {
            Some(_) => envchange::activate(sink, act, SavedPlan::Keep(&self.originals)),
            None if no_save => envchange::activate(sink, act, SavedPlan::Keep(&self.current)),
            None => {
                let saved = Saved::store(&self.current)?;
                envchange::activate(sink, act, SavedPlan::New(&saved, &self.current))
            }
        }
    }

    /// The script that activates `act` in the user's shell.
    pub fn activation(&self, shell: Shell, act: &RoleSession) -> Result<Script> {
        let mut s = Script::new(shell);
        self.activate(&mut s, act)?;
        Ok(s)
    }
}

/// AWS limits a session made from role credentials (role chaining) to one hour.
pub fn check_chain_duration(duration: u64) -> Result<()> {
    if duration > CHAIN_MAX_DURATION {
        return Err(Error::usage(format!(
            "--chain: AWS limits sessions made from role credentials (role chaining) to 1 hour; \
             -d {duration} is longer. Use -d 1h or less, or assume without --chain."
        )));
    }
    Ok(())
}
