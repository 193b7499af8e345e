//! `awsenv serve`, `exec --ecs-server` and `simulate --ecs-server`: the session pipeline as a
//! source the credential endpoint calls again whenever its session needs renewing.

use std::ffi::OsString;

use crate::cli::assume::AssumeArgs;
use crate::cli::options::SessionOpts;
use crate::cli::serve::ServeArgs;
use crate::cli::simulate::SimulateArgs;
use crate::cli::{Cli, Command};
use crate::cmd::options::{assume_request, remote_request, simulate_request};
use crate::cmd::output::{refuse_terminal, Output};
use crate::endpoint::detached::{Launch, Secrets};
use crate::endpoint::refresh::{lead_seconds, SessionSource};
use crate::endpoint::{child, detached};
use crate::env::process;
use crate::error::{Error, Result};
use crate::session::remote::{self, Remote};
use crate::session::simulate::Simulated;
use crate::session::{assume, simulate as sim};
use crate::shell;

type EnvVars = Vec<(OsString, OsString)>;

#[inline(never)]
pub fn run(a: &ServeArgs) -> Result<Output> {
    let force = a.assume.session.shell.force;
    refuse_write_profile(&a.assume.out.write_profile)?;
    let lead = lead_seconds(
        a.refresh_before.as_deref(),
        a.assume.session.duration.as_deref(),
    )?;
    if detached::is_server() {
        return Err(detached::serve(lead, |secrets| {
            let mut args = a.assume.clone();
            args.session.external_id = secrets.external_id.clone();
            Box::new(assume_source(&args))
        }));
    }
    let source = Box::new(assume_source(&a.assume));
    // Before the server starts: it must not outlive a refusal to print.
    refuse_terminal(force)?;
    let shell = shell::detect(a.assume.session.shell.shell)?;
    let launch = launch(&a.assume.session)?;
    let script = detached::start(source, lead, shell, crate::environ::all().to_vec(), launch)?;
    Ok(Output::Script { script, force })
}

/// `exec --ecs-server ROLE -- CMD`. Returns only on failure.
pub fn exec(e: &crate::cli::exec::ExecArgs, base: EnvVars) -> Error {
    let lead = refuse_write_profile(&e.assume.out.write_profile).and_then(|_| {
        lead_seconds(
            e.endpoint.refresh_before.as_deref(),
            e.assume.session.duration.as_deref(),
        )
    });
    match lead {
        Ok(lead) => child::run(Box::new(assume_source(&e.assume)), lead, base, &e.command),
        Err(e) => e,
    }
}

/// `simulate --ecs-server ...`: with a command, runs it (and returns only on failure); without,
/// serves in the background like `serve`.
pub fn simulate(a: &SimulateArgs, base: EnvVars) -> Result<Output> {
    let force = a.session.shell.force;
    refuse_write_profile(&a.out.write_profile)?;
    if a.dry_run {
        return Err(Error::usage(
            "--dry-run prints the request and serves nothing: drop --ecs-server",
        ));
    }
    let lead = lead_seconds(
        a.endpoint.refresh_before.as_deref(),
        a.session.duration.as_deref(),
    )?;
    if !a.command.is_empty() {
        return Err(child::run(
            Box::new(simulate_source(a)),
            lead,
            base,
            &a.command,
        ));
    }
    if detached::is_server() {
        return Err(detached::serve(lead, |secrets| {
            let mut args = a.clone();
            args.session.external_id = secrets.external_id.clone();
            Box::new(simulate_source(&args))
        }));
    }
    refuse_terminal(force)?;
    let shell = shell::detect(a.session.shell.shell)?;
    let launch = launch(&a.session)?;
    let script = detached::start(Box::new(simulate_source(a)), lead, shell, base, launch)?;
    Ok(Output::Script { script, force })
}

/// Options whose values must not reach the server's argv, which any local user can read in
/// /proc/PID/cmdline for the server's whole life: the MFA code (renewals never send it) and
/// the external id (handed over on the pipe).
const SECRET_LONG: [&str; 2] = ["--token-code", "--external-id"];
const SECRET_SHORT: &str = "-e";

/// The server's arguments (this process's, less the secret options) and the secrets it needs.
fn launch(session: &SessionOpts) -> Result<Launch> {
    let args = strip_secrets(process::args().into_iter().skip(1));
    // However the options were spelled (`-e ID`, `-eID`, `--external-id=ID`, …), the parser
    // must find none of them left; a spelling this misses is refused, never passed on.
    let reparsed =
        Cli::try_parse_from(std::iter::once(OsString::from("awsenv")).chain(args.clone()));
    let left = match reparsed.as_ref().map(|c| &c.command) {
        Ok(Command::Serve(s)) => Some(&s.assume.session),
        Ok(Command::Simulate(s)) => Some(&s.session),
        _ => None,
    };
    if !left.is_some_and(|s| s.token_code.is_none() && s.external_id.is_none()) {
        return Err(Error::usage(
            "cannot start the endpoint without its MFA code or external id in its command line; \
             give them as separate arguments: --token-code CODE, --external-id ID",
        ));
    }
    Ok(Launch {
        args,
        secrets: Secrets {
            external_id: session.external_id.clone(),
        },
    })
}

fn strip_secrets(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        let s = a.to_string_lossy();
        if s == "--" {
            out.push(a);
            out.extend(args);
            break;
        }
        if SECRET_LONG.contains(&s.as_ref()) || s == SECRET_SHORT {
            args.next();
            continue;
        }
        let attached = SECRET_LONG
            .iter()
            .any(|l| s.strip_prefix(l).is_some_and(|r| r.starts_with('=')))
            || (s.starts_with(SECRET_SHORT) && !s.starts_with("--"));
        if !attached {
            out.push(a);
        }
    }
    out
}

fn refuse_write_profile(write_profile: &Option<String>) -> Result<()> {
    if write_profile.is_some() {
        return Err(Error::usage(
            "--write-profile writes one session to a file; the endpoint renews sessions: use one \
             or the other",
        ));
    }
    Ok(())
}

/// The options of one fetch: a cached session must have `min_ttl` left (`None`: not a cached
/// role session, though the cached MFA session is used), and an MFA code works once, so a
/// refresh never sends it again.
fn fetch_opts(s: &SessionOpts, min_ttl: Option<u64>, refresh: bool) -> SessionOpts {
    let mut s = s.clone();
    match min_ttl {
        Some(t) => s.min_ttl = Some(t.to_string()),
        None => s.fresh = true,
    }
    if refresh {
        s.token_code = None;
        s.no_prompt = true;
    }
    s
}

/// `assume`'s pipeline (a role, a profile, a chain), as often as the endpoint asks.
fn assume_source(args: &AssumeArgs) -> impl SessionSource {
    let args = args.clone();
    move |min_ttl: Option<u64>, refresh: bool| {
        let mut a = args.clone();
        a.session = fetch_opts(&args.session, min_ttl, refresh);
        assume::prepare(assume_request(&a, false)?).map(|p| p.role)
    }
}

/// `simulate`'s pipeline, local or through the broker (`--remote`).
fn simulate_source(args: &SimulateArgs) -> impl SessionSource {
    let mut args = args.clone();
    args.command.clear();
    move |min_ttl: Option<u64>, refresh: bool| {
        let mut a = args.clone();
        a.session = fetch_opts(&args.session, min_ttl, refresh);
        // The fidelity report was shown once; a refresh repeats nothing.
        a.quiet |= refresh;
        let ready = if a.remote {
            match remote::prepare(remote_request(&a, false)?)? {
                Remote::Ready(p) => Some(p),
                Remote::DryRun(_) => None,
            }
        } else {
            match sim::prepare(simulate_request(&a, false)?)? {
                Simulated::Ready(p) => Some(p),
                Simulated::DryRun(_) => None,
            }
        };
        ready
            .map(|p| p.role)
            .ok_or_else(|| Error::usage("--dry-run serves nothing"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(args: &[&str]) -> Vec<String> {
        strip_secrets(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn secret_options_leave_the_servers_arguments_however_spelled() {
        let kept = ["serve", "-d", "15m", "role"];
        for spelled in [
            &["--token-code", "123456", "--external-id", "x1"][..],
            &["--token-code=123456", "--external-id=x1"],
            &["-e", "x1", "--token-code", "123456"],
            &["-ex1"],
            &["-e=x1"],
        ] {
            let args: Vec<&str> = ["serve"]
                .into_iter()
                .chain(spelled.iter().copied())
                .chain(["-d", "15m", "role"])
                .collect();
            assert_eq!(strip(&args), kept, "{spelled:?}");
        }
        // After `--` everything is the command's.
        assert_eq!(strip(&["x", "--", "-e", "v"]), ["x", "--", "-e", "v"]);
    }
}
