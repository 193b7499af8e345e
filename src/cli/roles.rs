//! `awsenv roles`: its arguments.

use clap::{Args, ValueEnum};

use crate::cli::Sub;

pub const SUB: Sub = (
    "roles",
    "List every role you can reach: IAM Identity Center accounts and roles of each signed-in \
     session, and the profiles that name a role",
    "The IAM Identity Center part is cached for an hour (--refresh asks again); a cached \
     answer does not use the network. Sessions without a valid token are skipped with a note \
     on stderr (`awsenv login` signs in).",
    RolesArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct RolesArgs {
    /// Ask IAM Identity Center again instead of using the hour-long cache
    #[arg(long)]
    pub refresh: bool,

    /// Output format [default: table]
    #[arg(long, value_enum, default_value_t = RolesFormat::Table)]
    pub format: RolesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RolesFormat {
    Table,
    Json,
}
