//! `awsenv init TARGET`: its argument.

use clap::Args;

use crate::cli::Sub;
use crate::shell::init::InitTarget;

pub const SUB: Sub = (
    "init",
    "Print the shell integration (sudo-on, sudo-off, awsenv_prompt) for your rc file",
    "",
    InitArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    #[arg(value_enum)]
    pub target: InitTarget,
}
