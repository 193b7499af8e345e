//! Arguments that need nothing else from the command line's definition: `doctor`, `status`,
//! `completions`, `cache`, and `--format`/`--output` of `assume` and `simulate`.

use clap::{Args, Subcommand};

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

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    Elvish,
    #[value(alias = "nushell")]
    Nu,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

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
