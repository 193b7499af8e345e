//! `awsenv profiles`: its subcommands.

use clap::Subcommand;

use crate::cli::Sub;

pub const SUB: Sub = (
    "profiles",
    "Manage AWS config profiles generated from IAM Identity Center",
    "",
    |c| ProfilesCommand::augment_subcommands(c.subcommand_required(true)),
);

#[derive(Debug, Clone, Subcommand)]
pub enum ProfilesCommand {
    /// Write one profile per account and role of an SSO session into a block of the AWS
    /// config file that awsenv owns and regenerates; the rest of the file stays as it was
    Sync {
        /// The [sso-session NAME] whose accounts and roles to write
        #[arg(long, value_name = "NAME")]
        sso_session: String,

        /// Profile names: {account_name}, {account_id}, {role_name}, {session}; sanitised to
        /// letters, digits and -_. and made unique
        #[arg(
            long,
            value_name = "TEMPLATE",
            default_value = "{account_name}.{role_name}"
        )]
        template: String,

        /// Ask IAM Identity Center again instead of using the hour-long cache
        #[arg(long)]
        refresh: bool,

        /// Print the change as a unified diff; write nothing
        #[arg(long)]
        dry_run: bool,
    },
}
