//! The picker: `assume`, `exec`, `console` and `sudo-on` without ROLE, on a terminal, open a
//! type-to-filter list of the roles awsenv knows, the most recently and most often picked
//! first. It draws on and reads from /dev/tty, so it works inside `eval "$(awsenv assume)"`,
//! whose stdout is a pipe. Only reached when ROLE is absent: a named role never gets here.

use std::os::fd::AsRawFd;

use crate::cli::assume::AssumeArgs;
use crate::error::{Error, Result};
use crate::session::choices::{self, Choice};
use crate::store::history;

/// What to do without a terminal.
const NAME_ONE: &str = "no ROLE given, and no terminal to pick one on. Name the role: \
    `awsenv assume ROLE` (or `sudo-on ROLE`, `awsenv exec ROLE -- CMD`), where ROLE is a role \
    ARN, ACCOUNT_ID:NAME, a role NAME in your own account, or a profile of your AWS config that \
    has role_arn; for a bare sudo-on, set AWSENV_DEFAULT_ROLE";

/// `args` with a picked ROLE when none was named; None when one was (the usual case, which
/// costs one comparison).
pub fn when_absent(args: &AssumeArgs) -> Result<Option<AssumeArgs>> {
    if !args.role.is_empty() {
        return Ok(None);
    }
    picked(args).map(Some)
}

/// `args` with the ROLE the user picks.
#[cold]
#[inline(never)]
pub fn picked(args: &AssumeArgs) -> Result<AssumeArgs> {
    let mut a = args.clone();
    let choice = pick()?;
    a.role = choice.role;
    if choice.sso_session.is_some() {
        a.sso_session = choice.sso_session;
    }
    Ok(a)
}

/// Remembers a pick that gave a session, for the order of the next list.
pub fn remember(args: &AssumeArgs) {
    history::record(&args.role);
}

fn pick() -> Result<Choice> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| Error::usage(format!("{NAME_ONE} ({e})")))?;
    let choices = ordered(choices::known(), &history::load());
    if choices.is_empty() {
        return Err(Error::usage(format!(
            "no ROLE given, and awsenv knows no roles to offer (no profile of your AWS config \
             has role_arn, and no IAM Identity Center session is signed in: `awsenv login`). {}",
            &NAME_ONE[NAME_ONE.find("Name the role").unwrap_or(0)..]
        )));
    }
    let labels: Vec<String> = choices.iter().map(Choice::label).collect();
    let picked = on_tty(&tty, || {
        dialoguer::FuzzySelect::new()
            .with_prompt("Role to assume (type to filter, Enter to pick, Esc to cancel)")
            .items(&labels)
            .default(0)
            .max_length(15)
            .interact_on_opt(&dialoguer::console::Term::stderr())
    })?
    .map_err(|e| Error::Io(format!("the role picker failed: {e}")))?;
    match picked {
        Some(i) => Ok(choices[i].clone()),
        None => Err(Error::usage(
            "no role picked (cancelled); name one to skip the list: `awsenv assume ROLE`",
        )),
    }
}

/// The known roles, those picked before first (best first), then the rest in their order.
pub fn ordered(mut known: Vec<Choice>, uses: &[history::Use]) -> Vec<Choice> {
    let rank = |c: &Choice| {
        uses.iter()
            .position(|u| u.role == c.role)
            .unwrap_or(usize::MAX)
    };
    known.sort_by_key(rank);
    known
}

/// Runs `f` with stderr on the terminal: the list is drawn on stderr, which is the terminal
/// unless redirected (`2>log`); then /dev/tty stands in for it until `f` returns.
fn on_tty<T>(tty: &std::fs::File, f: impl FnOnce() -> T) -> Result<T> {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return Ok(f());
    }
    let fail = |e: std::io::Error| Error::Io(format!("cannot draw the role picker: {e}"));
    // SAFETY: dup/dup2 on descriptors this process owns; stderr is put back before return.
    let saved = unsafe { libc::dup(2) };
    if saved < 0 || unsafe { libc::dup2(tty.as_raw_fd(), 2) } < 0 {
        return Err(fail(std::io::Error::last_os_error()));
    }
    let out = f();
    unsafe {
        libc::dup2(saved, 2);
        libc::close(saved);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(role: &str) -> Choice {
        Choice {
            role: role.into(),
            sso_session: None,
            account_id: "1".into(),
            account_name: String::new(),
            role_name: role.into(),
            source: "profile".into(),
        }
    }

    #[test]
    fn picked_before_comes_first_best_first() {
        let uses = vec![
            history::Use {
                role: "b".into(),
                count: 5,
                last: 0,
            },
            history::Use {
                role: "gone".into(),
                count: 9,
                last: 0,
            },
            history::Use {
                role: "d".into(),
                count: 1,
                last: 0,
            },
        ];
        let order: Vec<String> = ordered(vec![c("a"), c("b"), c("c"), c("d")], &uses)
            .into_iter()
            .map(|c| c.role)
            .collect();
        assert_eq!(order, ["b", "d", "a", "c"]);
    }
}
