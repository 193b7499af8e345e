//! `awsenv cache`: its subcommands.

use clap::Subcommand;

use crate::cli::Sub;

pub const SUB: Sub = ("cache", "Inspect or clear the credential cache", "", |c| {
    CacheCommand::augment_subcommands(c.subcommand_required(true))
});

#[derive(Debug, Clone, Subcommand)]
pub enum CacheCommand {
    /// List cached sessions (role, expiry, size; never secrets)
    List,
    /// Remove cached sessions, all or those of one role
    Clear {
        /// Role name or ARN
        role: Option<String>,
    },
    /// Print the cache directory
    Dir,
}
