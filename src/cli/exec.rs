//! `awsenv exec ROLE -- CMD`: its arguments.

use clap::Args;

use crate::cli::assume::AssumeArgs;
use crate::cli::options::EndpointOpts;
use crate::cli::Sub;
use crate::error::EXEC_HELP;

pub const SUB: Sub = (
    "exec",
    "Run a command (default: your shell) with a role's credentials in its environment only",
    EXEC_HELP,
    exec_args,
);

fn exec_args(cmd: clap::Command) -> clap::Command {
    crate::cli::assume::role_optional(ExecArgs::augment_args(cmd))
        .mut_arg("command", |a| a.index(2))
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
