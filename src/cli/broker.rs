//! `awsenv broker`: its subcommands.

use clap::Subcommand;

use crate::cli::Sub;

pub const SUB: Sub = (
    "broker",
    "Deploy the broker that `simulate --remote` asks",
    "",
    |c| BrokerCommand::augment_subcommands(c.subcommand_required(true)),
);

#[derive(Debug, Clone, Subcommand)]
pub enum BrokerCommand {
    /// Print the CloudFormation template (JSON) that deploys the broker
    Template,
}
