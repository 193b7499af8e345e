//! Options of `doctor`, and `--format`/`--output` of `assume` and `simulate`: arguments that
//! need nothing else from the command line's definition.

use clap::Args;

use crate::shell::Shell;

/// Where and how `assume` and `simulate` write the session (the output holds secrets).
#[derive(Debug, Clone, Args)]
pub struct OutputOpts {
    /// shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role's
    /// variables as data
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub format: crate::env::file::Format,

    /// Write to FILE (mode 0600, atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {
    /// Check for this shell instead of the one doctor runs in
    #[arg(short, long, value_enum)]
    pub shell: Option<Shell>,
}
