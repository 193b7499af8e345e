//! `awsenv completions SHELL`: its argument.

use clap::Args;

use crate::cli::Sub;

pub const SUB: Sub = (
    "completions",
    "Print a completion script",
    "",
    CompletionsArgs::augment_args,
);

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
