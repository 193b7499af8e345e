//! The commands: one short file each, glue between the command line and the layers below.
//! `run` parses, dispatches, and prints once through [`output`].
//!
//! Each subcommand's entry point is `#[inline(never)]`: a function's whole stack frame is
//! reserved on entry, and stack probes touch every page of it, so a dispatcher with every
//! subcommand inlined made a cached `assume` fault in the stack pages of `serve` and `exec`.

pub mod assume;
pub mod broker;
pub mod cache;
pub mod completions;
pub mod console;
pub mod credential_process;
pub mod doctor;
pub mod exec;
pub mod init;
pub mod login;
pub mod options;
pub mod output;
pub mod pick;
pub mod profiles;
pub mod rerun;
pub mod roles;
pub mod serve;
pub mod session_data;
pub mod simulate;
pub mod status;
pub mod unset;

use crate::cli::{Cli, Command};
use crate::env::vars::SECRET;
use crate::error::{Error, Result};
use crate::log;
use output::Output;

/// Runs awsenv with the arguments `main` was started with; returns the exit code.
pub fn run(args: Vec<std::ffi::OsString>) -> i32 {
    let parsed = Cli::try_parse_from(&args);
    let credential_process =
        matches!(&parsed, Ok(c) if matches!(c.command, Command::CredentialProcess(_)));
    crate::env::process::startup(args, credential_process);
    let cli = match parsed {
        Ok(cli) => cli,
        // Help and version are text: a wrapper that evaluates awsenv's output must not get them.
        Err(e) if output::under_wrapper() && !e.use_stderr() => {
            return match output::to_stderr(&e.render().to_string()) {
                Ok(()) => e.exit_code(),
                Err(err) => err.exit_code(),
            };
        }
        Err(e) => e.exit(),
    };
    log::init(cli.verbose);
    // Whatever secret the environment holds is never shown, whatever goes wrong.
    for name in SECRET {
        if let Some(v) = crate::environ::var(name) {
            log::secret(v);
        }
    }
    match execute(cli.command).and_then(output::emit) {
        Ok(()) => 0,
        Err(e) => {
            log::error(&e.to_string());
            e.exit_code()
        }
    }
}

fn execute(cmd: Command) -> Result<Output> {
    let runs_command = match &cmd {
        Command::Exec(_) => true,
        Command::Simulate(a) => !a.command.is_empty(),
        _ => false,
    };
    if runs_command && output::under_wrapper() {
        // The command's own output would be evaluated as shell code.
        return Err(Error::usage(
            "sudo-on puts a role into this shell; to run a command as a role use \
             `awsenv exec ROLE -- CMD` or `awsenv simulate --role-name T --base-role B -- CMD`",
        ));
    }
    match cmd {
        // Data is for programs, not a shell: no code that reruns awsenv can be handed back.
        Command::Assume(a) if session_data::wanted(&a.data) => assume::run(&a),
        Command::Assume(a) => rerun::or_rerun(assume::run(&a), a.args.session.shell.shell),
        Command::Exec(e) => exec::run(&e),
        Command::Serve(a) => rerun::or_rerun(serve::run(&a), a.assume.session.shell.shell),
        Command::CredentialProcess(a) => credential_process::run(&a),
        Command::Simulate(a)
            if a.dry_run
                || !a.command.is_empty()
                || a.endpoint.ecs_server
                || session_data::wanted(&a.data) =>
        {
            simulate::run(&a)
        }
        Command::Simulate(a) => rerun::or_rerun(simulate::run(&a), a.session.shell.shell),
        Command::Unset(a) => unset::run(&a),
        Command::Status(a) => status::run(&a).map(Output::Text),
        Command::Init(a) => init::run(a.target).map(Output::Text),
        Command::Console(a) => console::run(&a),
        Command::Login(a) => login::login(&a),
        Command::Logout(a) => login::logout(&a),
        Command::Roles(a) => roles::run(&a),
        Command::Profiles(c) => profiles::run(&c),
        Command::Doctor(a) => Ok(doctor::run(&a)),
        Command::Completions(a) => Ok(Output::Text(completions::generate(a.shell))),
        Command::Cache(c) => cache::run(&c),
        Command::Broker(c) => Ok(broker::run(&c)),
    }
}
