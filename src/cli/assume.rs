//! `awsenv assume ROLE`: its arguments, which `credential-process`, `exec`, `serve` and
//! `console` take too.

use clap::Args;

use crate::cli::options::{OutputOpts, SessionOpts, WriteProfileArgs};
use crate::cli::Sub;
use crate::error::EXIT_CODES_HELP;

pub const SUB: Sub = (
    "assume",
    "Assume a role and print the exports for your shell",
    EXIT_CODES_HELP,
    assume_args,
);

/// `assume`, `exec` and `console` take no ROLE on a terminal: a list to pick from opens.
pub fn role_optional(cmd: clap::Command) -> clap::Command {
    cmd.mut_arg("role", |a| {
        // The first positional: `mut_arg` would otherwise move it after exec's `-- CMD`.
        a.required(false)
            .index(1)
            .default_value("")
            .hide_default_value(true)
            .help(
                "Role ARN, \"ARN\" in quotes, ACCOUNT_ID:NAME, NAME in your own account, or an AWS \
                 config profile [default: pick one from a list, on a terminal]",
            )
    })
}

fn assume_args(cmd: clap::Command) -> clap::Command {
    role_optional(AssumeCmd::augment_args(cmd))
}

/// `credential-process` takes `assume`'s arguments (without its output options).
pub const CREDENTIAL_PROCESS: Sub = (
    "credential-process",
    "Print a role's credentials as the JSON that `credential_process` in ~/.aws/config expects",
    EXIT_CODES_HELP,
    AssumeArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct AssumeCmd {
    #[command(flatten)]
    pub args: AssumeArgs,

    #[command(flatten)]
    pub data: OutputOpts,
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

    /// Through this IAM Identity Center session (`awsenv login`): ROLE is
    /// ACCOUNT_ID:PERMISSION_SET, no profile needed
    #[arg(long, value_name = "NAME", conflicts_with_all = ["chain", "profile", "role_only"])]
    pub sso_session: Option<String>,

    #[command(flatten)]
    pub out: WriteProfileArgs,
}
