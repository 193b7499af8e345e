//! `awsenv exec` and `simulate -- CMD`: run a command with the role in its environment only.
//! No shell in between, every argument passed as it is, and the secrets only in the child's
//! environment, never in an argv.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::cli::exec::ExecArgs;
use crate::cmd::options::assume_request;
use crate::cmd::output::Output;
use crate::cmd::{pick, serve};
use crate::env::child::{program_and_args, spawn_error, ChildEnv};
use crate::error::{Error, Result};
use crate::session::assume::prepare;
use crate::session::pipeline::Prepared;

#[inline(never)]
pub fn run(e: &ExecArgs) -> Result<Output> {
    // The child gets the environment as the user had it, before awsenv adjusted its own for
    // the SDK.
    let base = crate::environ::all().to_vec();
    let picked = pick::when_absent(&e.assume)?.map(|assume| ExecArgs {
        assume,
        ..e.clone()
    });
    let e = picked.as_ref().unwrap_or(e);
    if e.endpoint.ecs_server {
        return Err(serve::exec(e, base));
    }
    let p = prepare(assume_request(&e.assume, false)?)?;
    if picked.is_some() {
        pick::remember(&e.assume);
    }
    Err(exec(&p, base, &e.command))
}

/// Replaces this process with `command` (or `$SHELL`): its exit status, signals and terminal
/// are then the command's own, with nothing of awsenv left in between. Returns only on failure.
pub fn exec(
    prepared: &Prepared,
    base_env: Vec<(OsString, OsString)>,
    command: &[OsString],
) -> Error {
    let mut env = ChildEnv::new(base_env);
    if let Err(e) = prepared.env.activate(&mut env, &prepared.role) {
        return e;
    }
    let (program, args) = program_and_args(command);
    let err = Command::new(&program)
        .args(args)
        .env_clear()
        .envs(env.vars())
        .exec();
    spawn_error(&program, &err)
}
