//! The command line: names here are a contract that the README, the shell integration and the
//! completions rely on.

use clap::{Args, FromArgMatches, Subcommand};

use crate::error::{CONSOLE_HELP, EXEC_HELP, EXIT_CODES_HELP};
use crate::shell::init::InitTarget;
use crate::shell::Shell;

mod extra;
pub use extra::{
    CacheCommand, CompletionShell, CompletionsArgs, DoctorArgs, OutputOpts, StatusArgs,
};

/// `serve`'s help after the options.
pub const SERVE_HELP: &str = "\
The shell gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN \
instead of keys; the AWS SDKs and CLI read the credentials from there, and the endpoint renews \
them before they expire. `awsenv unset` stops it; so does the end of the shell.";

/// What the command line asked for.
#[derive(Debug)]
pub struct Cli {
    pub verbose: bool,
    pub command: Command,
}

impl Cli {
    pub fn try_parse() -> Result<Cli, clap::Error> {
        let mut m = command().try_get_matches()?;
        Ok(Cli {
            verbose: m.get_flag("verbose"),
            // `_mut` takes the values out; the other one clones every match first.
            command: Command::from_arg_matches_mut(&mut m)?,
        })
    }
}

/// How one subcommand is built: name, one-line help, text after its help, its arguments.
type Sub = (
    &'static str,
    &'static str,
    &'static str,
    fn(clap::Command) -> clap::Command,
);

/// Every subcommand, in the order `--help` lists them. Each one's arguments are built only when
/// it is the one given (or when help or completions need them all): building all of them for
/// every call was a third of a cached `assume`'s instructions.
const SUBCOMMANDS: &[Sub] = &[
    (
        "assume",
        "Assume a role and print the exports for your shell",
        EXIT_CODES_HELP,
        AssumeCmd::augment_args,
    ),
    (
        "simulate",
        "Act as a role you may not assume: a base role limited by the target role's policies",
        EXIT_CODES_HELP,
        SimulateArgs::augment_args,
    ),
    (
        "exec",
        "Run a command (default: your shell) with a role's credentials in its environment only",
        EXEC_HELP,
        ExecArgs::augment_args,
    ),
    (
        "serve",
        "Serve a role's credentials to this shell from a local endpoint that renews them",
        SERVE_HELP,
        ServeArgs::augment_args,
    ),
    (
        "credential-process",
        "Print a role's credentials as the JSON that `credential_process` in ~/.aws/config expects",
        EXIT_CODES_HELP,
        AssumeArgs::augment_args,
    ),
    (
        "unset",
        "Restore the environment saved before the first assume",
        "",
        ShellArg::augment_args,
    ),
    (
        "status",
        "Show the active role, its session and the time left (from the environment alone)",
        "",
        StatusArgs::augment_args,
    ),
    (
        "init",
        "Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file",
        "",
        InitArgs::augment_args,
    ),
    (
        "console",
        "Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)",
        CONSOLE_HELP,
        console_args,
    ),
    (
        "doctor",
        "Check the setup (shell, integration, directories, credentials, clock) and say how to fix \
         what is wrong; exit 15 when something is",
        "",
        DoctorArgs::augment_args,
    ),
    (
        "completions",
        "Print a completion script",
        "",
        CompletionsArgs::augment_args,
    ),
    ("cache", "Inspect or clear the credential cache", "", |c| {
        CacheCommand::augment_subcommands(c.subcommand_required(true))
    }),
    (
        "broker",
        "Deploy the broker that `simulate --remote` asks",
        "",
        |c| BrokerCommand::augment_subcommands(c.subcommand_required(true)),
    ),
];

/// `console` takes `assume`'s options; ROLE is optional (the active session by default), and
/// the options about shell code and the credentials file do not apply.
fn console_args(cmd: clap::Command) -> clap::Command {
    ConsoleArgs::augment_args(cmd)
        .mut_arg("role", |a| {
            a.required(false)
                .default_value("")
                .hide_default_value(true)
                .help(
                    "Role to sign in as, in any form `assume` takes [default: the active session]",
                )
        })
        .mut_arg("shell", |a| a.hide(true))
        .mut_arg("write_profile", |a| a.hide(true))
        .mut_arg("overwrite_keys", |a| a.hide(true))
}

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
    Doctor(DoctorArgs),
    Completions(CompletionsArgs),
    #[command(subcommand)]
    Cache(CacheCommand),
    #[command(subcommand)]
    Broker(BrokerCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum BrokerCommand {
    /// Print the CloudFormation template (JSON) that deploys the broker
    Template,
}

#[derive(Debug, Clone, Args)]
pub struct ShellArg {
    /// Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    #[arg(short, long, value_enum)]
    pub shell: Option<Shell>,

    /// Print even when stdout is a terminal (the output may hold secrets)
    #[arg(long)]
    pub force: bool,
}

// Options shared by `assume` and `simulate`. (Not a doc comment: on an `Args` struct clap
// would make it the help of every command that flattens it.)
#[derive(Debug, Clone, Args)]
pub struct SessionOpts {
    #[command(flatten)]
    pub shell: ShellArg,

    /// Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    #[arg(short, long, value_name = "DURATION")]
    pub duration: Option<String>,

    /// RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    #[arg(short = 'n', long, value_name = "NAME")]
    pub session_name: Option<String>,

    /// External id the role's trust policy asks for
    #[arg(short, long, value_name = "ID")]
    pub external_id: Option<String>,

    /// Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    #[arg(short, long)]
    pub region: Option<String>,

    /// Take the source credentials from this AWS config profile
    #[arg(short, long)]
    pub profile: Option<String>,

    /// MFA device serial or ARN the role requires
    #[arg(long, value_name = "ARN")]
    pub mfa_serial: Option<String>,

    /// MFA code; without it awsenv asks on the terminal
    #[arg(long, value_name = "CODE", requires = "mfa_serial")]
    pub token_code: Option<String>,

    /// Ignore the credential cache (also AWSENV_NO_CACHE=1)
    #[arg(long)]
    pub no_cache: bool,

    /// Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    #[arg(long, value_name = "DURATION")]
    pub min_ttl: Option<String>,

    /// Answer from the credential cache only, never the network; no cached session: exit 14
    #[arg(long, conflicts_with = "no_cache")]
    pub cache_only: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AssumeArgs {
    /// Role ARN, "ARN" in quotes, ACCOUNT_ID:NAME, or NAME in your own account
    #[arg(value_name = "ROLE")]
    pub role: String,

    #[command(flatten)]
    pub session: SessionOpts,

    /// SourceIdentity to set on the session
    #[arg(long, value_name = "ID")]
    pub source_identity: Option<String>,

    /// Session tag KEY=VALUE (repeatable)
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,

    /// Session policy: a file path or inline JSON
    #[arg(long, value_name = "FILE|JSON")]
    pub policy: Option<String>,

    /// Managed policy ARN to use as a session policy (repeatable, at most 10)
    #[arg(long = "policy-arn", value_name = "ARN")]
    pub policy_arns: Vec<String>,

    /// Use the active awsenv role as the source (role chaining; sessions of at most 1h)
    #[arg(long)]
    pub chain: bool,

    /// Read ROLE as a role name even when an AWS config profile has that name
    #[arg(long = "role")]
    pub role_only: bool,

    #[command(flatten)]
    pub out: WriteProfileArgs,
}

// The credential endpoint's options (`exec`, `simulate`). (Not doc comments: see SessionOpts.)
#[derive(Debug, Clone, Args)]
pub struct EndpointOpts {
    /// Give CMD a local ECS-style credential endpoint that renews the session, not keys
    #[arg(long)]
    pub ecs_server: bool,

    /// With --ecs-server: renew the session this long before it expires [default: 20m, or half
    /// the session]
    #[arg(long, value_name = "DURATION", requires = "ecs_server")]
    pub refresh_before: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub assume: AssumeArgs,

    /// Renew the session this long before it expires [default: 20m, or half the session]
    #[arg(long, value_name = "DURATION")]
    pub refresh_before: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AssumeCmd {
    #[command(flatten)]
    pub args: AssumeArgs,

    #[command(flatten)]
    pub data: OutputOpts,
}

#[derive(Debug, Clone, Args)]
pub struct ConsoleArgs {
    #[command(flatten)]
    pub assume: AssumeArgs,

    /// Open this service's console page (s3, ec2, iam, …) in the session's region
    #[arg(long, value_name = "SERVICE", conflicts_with = "destination")]
    pub service: Option<String>,

    /// Open this console URL (https://…) after signing in
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,

    /// Print the sign-in URL instead of opening a browser. It is a credential: anyone who has
    /// it is signed in for 15 minutes; refused on a terminal without --force
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub assume: AssumeArgs,

    #[command(flatten)]
    pub endpoint: EndpointOpts,

    /// The command and its arguments [default: $SHELL]
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The role to act as: a name or ARN
    #[arg(long, value_name = "ROLE")]
    pub role_name: String,

    /// A role you may assume, in any form `assume` accepts (not with --remote: the broker
    /// has its own)
    #[arg(long, value_name = "ROLE", required_unless_present = "remote")]
    pub base_role: Option<String>,

    /// Ask the broker Lambda for the session instead of assuming a base role yourself
    #[arg(long)]
    pub remote: bool,

    /// The broker's function name or ARN (with --remote)
    #[arg(
        long,
        value_name = "FUNCTION",
        default_value = "awsenv-broker",
        requires = "remote"
    )]
    pub broker: String,

    #[command(flatten)]
    pub session: SessionOpts,

    /// Print the AssumeRole request that would be sent, as JSON, instead of exports
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub data: OutputOpts,

    /// Do not report the simulation's fidelity on stderr
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub out: WriteProfileArgs,

    #[command(flatten)]
    pub endpoint: EndpointOpts,

    /// Run this command as the simulated role instead of printing exports
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    #[arg(value_enum)]
    pub target: InitTarget,
}

// `--write-profile` and its own override, apart from `--force` (which only lets secrets be
// printed on a terminal).
#[derive(Debug, Clone, Args)]
pub struct WriteProfileArgs {
    /// Write the credentials to this profile of the shared credentials file instead
    #[arg(long, value_name = "PROFILE")]
    pub write_profile: Option<String>,

    /// With --write-profile: replace a section that holds long-term keys
    #[arg(long, requires = "write_profile")]
    pub overwrite_keys: bool,
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
