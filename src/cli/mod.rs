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
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let mut cmd = command_for(&args);
        let matches = cmd.try_get_matches_from_mut(args);
        // The process ends soon: freeing clap's tree of the command line (a few hundred
        // allocations) would cost more than anything it gives back.
        std::mem::forget(cmd);
        let mut m = matches?;
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

/// The whole command line, for help and completions.
pub fn command() -> clap::Command {
    with_subcommands(SUBCOMMANDS.iter())
}

/// The command line that parses `args`: when they name a subcommand, that one alone. The rest
/// would be built only to be dropped (a cached `assume` spent a sixth of its instructions on
/// the sixteen others); what clap says for `args` is the same, since a subcommand's parse,
/// errors and help never look at its siblings. Anything else (no subcommand, `help`, a typo
/// that clap's suggestions need the others for, a top-level `--help` or `--version` before
/// the name, which clap answers at the top level) gets them all.
fn command_for(args: &[std::ffi::OsString]) -> clap::Command {
    // Only `-v` may come before the name: it changes nothing clap prints.
    let named = args
        .iter()
        .skip(1)
        .find(|a| !matches!(a.to_str(), Some("-v" | "--verbose")))
        .and_then(|a| a.to_str());
    match named.and_then(|n| SUBCOMMANDS.iter().find(|s| s.0 == n)) {
        Some(sub) => with_subcommands(std::iter::once(sub)),
        None => command(),
    }
}

fn with_subcommands<'a>(subs: impl Iterator<Item = &'a Sub>) -> clap::Command {
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
    subs.fold(top, |cmd, &(name, about, after, build)| {
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

    /// What clap answers, for comparing two parses.
    fn render(r: Result<clap::ArgMatches, clap::Error>) -> String {
        match r {
            Ok(m) => format!("ok {:?}", m.subcommand_name()),
            Err(e) => format!("{:?} {}", e.kind(), e.render()),
        }
    }

    fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
        args.iter().map(Into::into).collect()
    }

    /// What clap prints for a subcommand's help and for its errors is the same whether the
    /// others were built or not.
    #[test]
    fn one_subcommand_alone_parses_as_all_of_them() {
        let cases: Vec<Vec<&str>> = SUBCOMMANDS
            .iter()
            .flat_map(|s| {
                [
                    vec!["awsenv", s.0, "--help"],
                    vec!["awsenv", "-v", s.0, "--no-such-option"],
                    vec!["awsenv", s.0, "-h"],
                ]
            })
            .chain([
                vec!["awsenv", "assume", "--version"],
                vec!["awsenv", "assume", "-s", "tcsh", "R"],
                vec!["awsenv", "--verbose", "status", "--bogus"],
            ])
            .collect();
        let mut alone = 0;
        for args in cases {
            let built = command_for(&os(&args));
            if built.get_subcommands().count() == 1 {
                alone += 1;
            }
            assert_eq!(
                render(built.try_get_matches_from(&args)),
                render(command().try_get_matches_from(&args)),
                "{args:?}"
            );
        }
        assert_eq!(
            alone,
            SUBCOMMANDS.len() * 3 + 3,
            "each case named one subcommand"
        );
    }

    /// Without a subcommand, with a typo, or after a top-level flag that answers by itself
    /// (help lists every subcommand), all of them are built, and clap's answer is the same.
    #[test]
    fn anything_else_gets_every_subcommand() {
        for args in [
            vec!["awsenv"],
            vec!["awsenv", "asume"],
            vec!["awsenv", "help", "assume"],
            vec!["awsenv", "--help", "status"],
            vec!["awsenv", "-h", "assume"],
            vec!["awsenv", "-vh", "status"],
            vec!["awsenv", "-V", "status"],
            vec!["awsenv", "--version", "assume"],
            vec!["awsenv", "--bogus", "assume"],
        ] {
            assert_eq!(
                command_for(&os(&args)).get_subcommands().count(),
                SUBCOMMANDS.len(),
                "{args:?}"
            );
            assert_eq!(
                render(command_for(&os(&args)).try_get_matches_from(&args)),
                render(command().try_get_matches_from(&args)),
                "{args:?}"
            );
        }
    }
}
