//! `awsenv serve ROLE`: its arguments and the help after them.

use clap::Args;

use crate::cli::assume::AssumeArgs;
use crate::cli::Sub;

/// `serve`'s help after the options.
pub const SERVE_HELP: &str = "\
The shell gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN \
instead of keys; the AWS SDKs and CLI read the credentials from there, and the endpoint renews \
them before they expire. `awsenv unset` stops it; so does the end of the shell.";

pub const SUB: Sub = (
    "serve",
    "Serve a role's credentials to this shell from a local endpoint that renews them",
    SERVE_HELP,
    ServeArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub assume: AssumeArgs,

    /// Renew the session this long before it expires [default: 20m, or half the session]
    #[arg(long, value_name = "DURATION")]
    pub refresh_before: Option<String>,
}
