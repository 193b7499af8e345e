//! `awsenv simulate`: its arguments.

use clap::Args;

use crate::cli::options::{EndpointOpts, OutputOpts, SessionOpts, WriteProfileArgs};
use crate::cli::Sub;
use crate::error::EXIT_CODES_HELP;

pub const SUB: Sub = (
    "simulate",
    "Act as a role you may not assume: a base role limited by the target role's policies",
    EXIT_CODES_HELP,
    SimulateArgs::augment_args,
);

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

    /// Simulate a target that has a permissions boundary without applying it (refused
    /// otherwise: no session policy can apply a boundary); says on stderr what it gives up
    #[arg(long, conflicts_with = "remote")]
    pub ignore_boundary: bool,

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
