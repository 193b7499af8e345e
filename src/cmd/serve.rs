//! `awsenv serve`, `exec --ecs-server` and `simulate --ecs-server`: the session pipeline as a
//! source the credential endpoint calls again whenever its session needs renewing.

use std::ffi::OsString;

use crate::cli::assume::AssumeArgs;
use crate::cli::options::SessionOpts;
use crate::cli::serve::ServeArgs;
use crate::cli::simulate::SimulateArgs;
use crate::cmd::options::{assume_request, remote_request, simulate_request};
use crate::cmd::output::{refuse_terminal, Output};
use crate::endpoint::refresh::{lead_seconds, SessionSource};
use crate::endpoint::{child, detached};
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
    let source = Box::new(assume_source(&a.assume));
    if detached::is_server() {
        return Err(detached::serve(source, lead));
    }
    // Before the server starts: it must not outlive a refusal to print.
    refuse_terminal(force)?;
    let shell = shell::detect(a.assume.session.shell.shell)?;
    let script = detached::start(source, lead, shell, std::env::vars_os().collect())?;
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
    let source = Box::new(simulate_source(a));
    if !a.command.is_empty() {
        return Err(child::run(source, lead, base, &a.command));
    }
    if detached::is_server() {
        return Err(detached::serve(source, lead));
    }
    refuse_terminal(force)?;
    let shell = shell::detect(a.session.shell.shell)?;
    let script = detached::start(source, lead, shell, base)?;
    Ok(Output::Script { script, force })
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
