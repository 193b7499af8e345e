//! `awsenv doctor`: its arguments.

use clap::Args;

use crate::cli::Sub;
use crate::shell::Shell;

pub const SUB: Sub = (
    "doctor",
    "Check the setup (shell, integration, directories, credentials, clock) and say how to fix \
     what is wrong; exit 15 when something is",
    "",
    DoctorArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {
    /// Check for this shell instead of the one doctor runs in
    #[arg(short, long, value_enum)]
    pub shell: Option<Shell>,
}
