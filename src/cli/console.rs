//! `awsenv console [ROLE]`: its arguments.

use clap::Args;

use crate::cli::assume::AssumeArgs;
use crate::cli::Sub;
use crate::error::CONSOLE_HELP;

pub const SUB: Sub = (
    "console",
    "Open the AWS console signed in as the active role, or as ROLE (got as `assume` would)",
    CONSOLE_HELP,
    console_args,
);

/// `console` takes `assume`'s options; ROLE is optional (the active session by default), and
/// the options about shell code and the credentials file do not apply.
fn console_args(cmd: clap::Command) -> clap::Command {
    ConsoleArgs::augment_args(cmd)
        .mut_arg("role", |a| {
            a.required(false)
                .default_value("")
                .hide_default_value(true)
                .help(
                    "Role to sign in as, in any form `assume` takes [default: the active \
                     session; without one, pick from a list on a terminal]",
                )
        })
        .mut_arg("shell", |a| a.hide(true))
        .mut_arg("write_profile", |a| a.hide(true))
        .mut_arg("overwrite_keys", |a| a.hide(true))
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
