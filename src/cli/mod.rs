//! The command line: names here are a contract that the README, the shell integration and the
//! completions rely on.

use clap::{FromArgMatches, Subcommand};

use crate::error::EXIT_CODES_HELP;

// One file per command, with its arguments and its line in `--help`; options several share.
pub mod assume;
pub mod broker;
pub mod cache;
pub mod completions;
pub mod console;
pub mod doctor;
pub mod exec;
pub mod init;
pub mod login;
pub mod options;
pub mod profiles;
pub mod roles;
pub mod serve;
pub mod simulate;
pub mod status;
pub mod unset;

use assume::{AssumeArgs, AssumeCmd};
use broker::BrokerCommand;
use cache::CacheCommand;
use completions::CompletionsArgs;
use console::ConsoleArgs;
use doctor::DoctorArgs;
use exec::ExecArgs;
use init::InitArgs;
use login::{LoginArgs, LogoutArgs};
use options::ShellArg;
use profiles::ProfilesCommand;
use roles::RolesArgs;
use serve::ServeArgs;
use simulate::SimulateArgs;
use status::StatusArgs;

/// What the command line asked for.
#[derive(Debug)]
pub struct Cli {
    pub verbose: bool,
    pub command: Command,
}

impl Cli {
    pub fn try_parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut m = command().try_get_matches_from(args)?;
        Ok(Cli {
            verbose: m.get_flag("verbose"),
            // `_mut` takes the values out; the other one clones every match first.
            command: Command::from_arg_matches_mut(&mut m)?,
        })
    }
}

/// How one subcommand is built: name, one-line help, text after its help, its arguments.
pub type Sub = (
    &'static str,
    &'static str,
    &'static str,
    fn(clap::Command) -> clap::Command,
);

/// Every subcommand, in the order `--help` lists them. Each one's arguments are built only when
/// it is the one given (or when help or completions need them all): building all of them for
/// every call was a third of a cached `assume`'s instructions.
const SUBCOMMANDS: &[Sub] = &[
    assume::SUB,
    simulate::SUB,
    exec::SUB,
    serve::SUB,
    assume::CREDENTIAL_PROCESS,
    unset::SUB,
    status::SUB,
    init::SUB,
    console::SUB,
    login::SUB,
    login::LOGOUT,
    roles::SUB,
    profiles::SUB,
    doctor::SUB,
    completions::SUB,
    cache::SUB,
    broker::SUB,
];

/// The whole command line, for parsing, help and completions alike.
pub fn command() -> clap::Command {
    let top = clap::Command::new("awsenv")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Put AWS role credentials into the shell you are already in")
        .long_about(
            "Put AWS role credentials into the shell you are already in.\n\n\
             awsenv prints shell code; evaluate it:\n  \
             bash/zsh:    eval \"$(awsenv assume ROLE)\"\n  \
             fish:        awsenv assume ROLE | source\n  \
             PowerShell:  awsenv assume ROLE | Out-String | Invoke-Expression",
        )
        .after_help(EXIT_CODES_HELP)
        .propagate_version(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            clap::Arg::new("verbose")
                .short('v')
                .long("verbose")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Explain what awsenv does on stderr (never secrets); also AWSENV_LOG=debug"),
        );
    SUBCOMMANDS
        .iter()
        .fold(top, |cmd, &(name, about, after, build)| {
            let mut sub = clap::Command::new(name).about(about).defer(build);
            if !after.is_empty() {
                sub = sub.after_help(after);
            }
            cmd.subcommand(sub)
        })
}

/// The subcommand given, with its arguments. Its variants and `SUBCOMMANDS` name the same
/// commands (a test holds them together); the help text lives in `SUBCOMMANDS`.
#[derive(Debug, Subcommand)]
pub enum Command {
    Assume(AssumeCmd),
    Simulate(SimulateArgs),
    Exec(ExecArgs),
    Serve(ServeArgs),
    #[command(name = "credential-process")]
    CredentialProcess(AssumeArgs),
    Unset(ShellArg),
    Status(StatusArgs),
    Init(InitArgs),
    Console(ConsoleArgs),
    Login(LoginArgs),
    Logout(LogoutArgs),
    Roles(RolesArgs),
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    Doctor(DoctorArgs),
    Completions(CompletionsArgs),
    #[command(subcommand)]
    Cache(CacheCommand),
    #[command(subcommand)]
    Broker(BrokerCommand),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_is_built_and_parsed_alike() {
        let derived: Vec<String> = Command::augment_subcommands(clap::Command::new("x"))
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let table: Vec<String> = SUBCOMMANDS.iter().map(|s| s.0.to_string()).collect();
        assert_eq!(derived, table);
        command().debug_assert();
    }
}
