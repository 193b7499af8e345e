//! `awsenv unset`: it takes only the shell to write for.

use clap::Args;

use crate::cli::options::ShellArg;
use crate::cli::Sub;

pub const SUB: Sub = (
    "unset",
    "Restore the environment saved before the first assume",
    "",
    ShellArg::augment_args,
);
