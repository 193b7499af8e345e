//! Where the source credentials come from, the environment they are read from, and the one
//! rule for role chaining.

use crate::aws::sts::Sts;
use crate::creds::RoleSession;
use crate::env::change::{self as envchange, EnvSink, SavedPlan};
use crate::env::process::EnvView;
use crate::env::saved::{Saved, RERUN};
use crate::env::vars::{self, Snapshot};
use crate::error::{Error, Result};
use crate::log;
use crate::session::options::{SessionOptions, SourceKind};
use crate::session::params::CHAIN_MAX_DURATION;
use crate::shell::names::NO_SAVE;
use crate::shell::script::Script;
use crate::shell::Shell;

/// The environment as awsenv must see it: what to restore to, and what was saved already.
pub struct EnvContext {
    pub saved: Option<Saved>,
    /// As far as this process can know them: see `held_missing`.
    pub originals: Snapshot,
    pub current: Snapshot,
    /// The originals' secret values are held by the shell and were not passed to this process.
    pub held_missing: bool,
    /// A credential endpoint serves the active role (`AWSENV_SERVER` is set).
    pub served: bool,
}

impl EnvContext {
    pub fn read() -> Result<EnvContext> {
        let saved = Saved::from_process_env()?;
        let current = vars::snapshot_process_env()?;
        let (originals, held_missing) = match &saved {
            Some(s) => s.originals(),
            None => (current.clone(), false),
        };
        Ok(EnvContext {
            saved,
            originals,
            current,
            held_missing,
            served: crate::environ::var_os(vars::AWSENV_SERVER).is_some_and(|v| !v.is_empty()),
        })
    }

    /// Err when `source` needs the original secret values and only the shell has them: the
    /// caller then asks the shell to run awsenv again with them (`Error::NeedsShell`). Not
    /// needed for a cache hit, whose key names the source by its access key id alone.
    pub fn require_source(&self, source: &SourceKind) -> Result<()> {
        if !self.held_missing || !matches!(source, SourceKind::Default) {
            return Ok(());
        }
        let held = self
            .saved
            .as_ref()
            .map(|s| s.held.join(", "))
            .unwrap_or_default();
        if crate::environ::var_os(RERUN).is_some() {
            return Err(Error::usage(format!(
                "a role is active, and your original {held} are held by the shell that first \
                 assumed it, not by this one (a child shell?). Run `awsenv unset` here to drop \
                 the role, assume from that shell, or use --chain to start from the active role."
            )));
        }
        Err(Error::NeedsShell(format!(
            "a role is active, and your original {held} are held by your shell, where awsenv \
             cannot read them from here. Drop the role first (`sudo-off` or `eval \"$(awsenv \
             unset)\"`), evaluate `awsenv assume` in the shell itself, or use --chain."
        )))
    }

    /// Names the source without reading any file or changing anything: the cache key's part
    /// for it, so that a hit needs nothing else.
    pub fn source_label(&self, source: &SourceKind) -> Result<String> {
        match source {
            SourceKind::ActiveRole => {
                let arn = crate::environ::value(vars::AWSENV_ROLE_ARN).ok_or_else(|| {
                    Error::usage(
                        "--chain needs an active awsenv role to start from; assume one first",
                    )
                })?;
                Ok(format!("role:{arn}"))
            }
            SourceKind::Profile(p) => Ok(format!("profile:{p}")),
            SourceKind::Default => {
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

    /// The environment the SDK must see to find the source credentials, on a miss only:
    /// `--chain` keeps the active role; otherwise the originals come back, and `--profile`
    /// hides environment keys so the profile wins.
    pub fn source_view(&self, source: &SourceKind) -> EnvView {
        let mut view = EnvView::default();
        match source {
            SourceKind::ActiveRole => {}
            SourceKind::Profile(_) => {
                view.restore(&self.originals);
                for v in [
                    vars::AWS_ACCESS_KEY_ID,
                    vars::AWS_SECRET_ACCESS_KEY,
                    vars::AWS_SESSION_TOKEN,
                ] {
                    view.remove(v);
                }
            }
            SourceKind::Default => view.restore(&self.originals),
        }
        view
    }

    /// Activates `act` in `sink`, saving the environment first if no role was active (unless
    /// AWSENV_NO_SAVE says something else restores it, as direnv does).
    /// A served role's endpoint variables go too (see [`envchange::leave_endpoint`]); the
    /// command that prints this stops the endpoint itself.
    pub fn activate(&self, sink: &mut impl EnvSink, act: &RoleSession) -> Result<()> {
        let no_save = crate::environ::switch(NO_SAVE);
        match &self.saved {
            Some(_) => envchange::activate(sink, act, SavedPlan::Keep(&self.originals))?,
            None if no_save => envchange::activate(sink, act, SavedPlan::Keep(&self.current))?,
            None => {
                let saved = Saved::new(&self.current);
                envchange::activate(sink, act, SavedPlan::New(&saved, &self.current))?
            }
        }
        // Only a saved state tells the user's own container variables from the endpoint's.
        let none = Snapshot::new();
        let originals = if self.saved.is_some() {
            &self.originals
        } else {
            &none
        };
        if self.served {
            envchange::leave_endpoint(sink, originals)?;
        }
        Ok(())
    }

    /// The script that activates `act` in the user's shell.
    pub fn activation(&self, shell: Shell, act: &RoleSession) -> Result<Script> {
        let mut s = Script::new(shell);
        self.activate(&mut s, act)?;
        Ok(s)
    }
}

/// Why `--chain` is role chaining, for the rule's message.
pub const CHAIN_WHY: &str = "--chain starts from the active role's credentials";

/// The one rule for role chaining: AWS limits a session made from role credentials to one
/// hour. A duration the user typed is never changed (a longer one is refused); one that came
/// from a profile is capped at an hour, with a warning. `why` says what makes it chaining.
pub fn chain_duration(options: &SessionOptions, why: &str) -> Result<u64> {
    let d = options.duration;
    if d <= CHAIN_MAX_DURATION {
        return Ok(d);
    }
    if options.duration_given {
        return Err(Error::usage(format!(
            "{why}, and AWS limits sessions made from role credentials (role chaining) to 1 \
             hour; -d {d} is longer. Use -d 1h or less."
        )));
    }
    log::warn(format_args!(
        "{why}, and AWS limits sessions made from role credentials (role chaining) to 1 hour: \
         asking for 1h instead of {d}s"
    ));
    Ok(CHAIN_MAX_DURATION)
}

/// The duration to ask for, once the source credentials are known: the chaining rule applies
/// when the options say the source is a role, or when the credentials themselves are a role
/// session (SSO, or role keys in the environment), which one GetCallerIdentity tells; it is
/// asked only when the duration is over the limit.
pub async fn duration_for(sts: &Sts, options: &SessionOptions) -> Result<u64> {
    if options.duration <= CHAIN_MAX_DURATION {
        return Ok(options.duration);
    }
    let why = match &options.chained {
        Some(why) => why.clone(),
        None if sts.credentials().session_token().is_some() => {
            let (_, _, arn) = sts.caller_identity().await?;
            if !arn.contains(":assumed-role/") {
                return Ok(options.duration);
            }
            format!("the source credentials are a role session ({arn})")
        }
        None => return Ok(options.duration),
    };
    chain_duration(options, &why)
}
