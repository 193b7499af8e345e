//! `awsenv status`: its arguments.

use clap::Args;

use crate::cli::Sub;

pub const SUB: Sub = (
    "status",
    "Show the active role, its session and the time left (from the environment alone)",
    "",
    StatusArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}
