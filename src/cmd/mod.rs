//! The commands: one short file each, glue between the command line and the layers below.
//! `run` parses, dispatches, and prints once through [`output`].

pub mod assume;
pub mod cache;
pub mod completions;
pub mod credential_process;
pub mod exec;
pub mod init;
pub mod options;
pub mod output;
pub mod rerun;
pub mod simulate;
pub mod status;
pub mod unset;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::env::vars::SECRET;
use crate::error::Result;
use crate::log;
use output::Output;

pub fn run() -> i32 {
    let cli = Cli::parse();
    log::init(cli.verbose);
    // Whatever secret the environment holds is never shown, whatever goes wrong.
    for name in SECRET {
        if let Ok(v) = std::env::var(name) {
            log::secret(&v);
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
    match cmd {
        Command::Assume(a) => rerun::or_rerun(assume::run(&a), a.session.shell.shell),
        Command::Exec(e) => exec::run(&e),
        Command::CredentialProcess(a) => credential_process::run(&a),
        Command::Simulate(a) if a.dry_run || !a.command.is_empty() => simulate::run(&a),
        Command::Simulate(a) => rerun::or_rerun(simulate::run(&a), a.session.shell.shell),
        Command::Unset(a) => unset::run(&a),
        Command::Status(a) => status::run(&a).map(Output::Text),
        Command::Init(a) => init::run(a.target).map(Output::Text),
        Command::Completions(a) => Ok(Output::Text(completions::generate(a.shell))),
        Command::Cache(c) => cache::run(&c),
    }
}
