//! `awsenv init`: the bundled shell code from `shell/`, with the path of this binary quoted for
//! the shell that will read it. Nothing is written to any rc file.

use crate::shell::{names, Shell};

/// What `awsenv init` writes for: a shell, or direnv's direnvrc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitTarget {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    #[value(alias = "nushell")]
    Nu,
    /// A helper for direnv's direnvrc: `use awsenv ROLE`
    Direnv,
}

pub use crate::shell::bash::INIT as BASH;
pub use crate::shell::fish::INIT as FISH;
pub use crate::shell::nu::INIT as NU;
pub use crate::shell::powershell::INIT as POWERSHELL;
pub use crate::shell::zsh::INIT as ZSH;
pub const DIRENV: &str = include_str!("../../shell/direnvrc.sh");

/// Where the files name the binary: a quoted string in every shell, so each file stays valid
/// (and lintable) as it is stored.
const PLACEHOLDER: &str = "'@AWSENV_BIN@'";

impl InitTarget {
    /// The shell whose rules the file follows: direnv's direnvrc is bash.
    fn shell(self) -> Shell {
        match self {
            InitTarget::Bash | InitTarget::Direnv => Shell::Bash,
            InitTarget::Zsh => Shell::Zsh,
            InitTarget::Fish => Shell::Fish,
            InitTarget::Powershell => Shell::Powershell,
            InitTarget::Nu => Shell::Nu,
        }
    }

    /// The file as it is stored, with its placeholders.
    pub fn template(self) -> &'static str {
        match self {
            InitTarget::Direnv => DIRENV,
            _ => self.shell().code().init_script(),
        }
    }
}

/// The file for `target`: the shared names filled in, and the binary's path quoted for the
/// shell that reads it.
pub fn render(target: InitTarget, exe: &str) -> String {
    names::fill(target.template()).replace(PLACEHOLDER, &target.shell().quote(exe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_names_the_binary_once() {
        for t in [BASH, ZSH, FISH, POWERSHELL, NU, DIRENV] {
            assert_eq!(t.matches(PLACEHOLDER).count(), 1);
        }
    }

    #[test]
    fn hostile_binary_paths_are_quoted() {
        let path = "/opt/it's $(x)\\/\u{2019}/awsenv";
        assert!(render(InitTarget::Bash, path)
            .contains(r#"__awsenv_bin='/opt/it'\''s $(x)\/’/awsenv'"#));
        assert!(render(InitTarget::Fish, path)
            .contains(r#"set -g __awsenv_bin '/opt/it\'s $(x)\\/’/awsenv'"#));
        assert!(render(InitTarget::Powershell, path)
            .contains("$global:__awsenv_bin = '/opt/it''s $(x)\\/’’/awsenv'"));
    }

    #[test]
    fn powershell_output_is_the_file_with_the_path() {
        let out = render(InitTarget::Powershell, "/usr/local/bin/awsenv");
        assert_eq!(
            out,
            names::fill(POWERSHELL).replace(PLACEHOLDER, "'/usr/local/bin/awsenv'")
        );
        for needle in [
            "function global:sudo-on",
            "function global:sudo-off",
            "function global:awsenv_prompt",
            "assume --shell powershell",
            "unset --shell powershell",
            // Issue 12: only awsenv's script is evaluated, refreshes never block the prompt.
            "$env:AWSENV_WRAPPER = '1'",
            "if ($call -contains '--')",
            "@('--cache-only')",
            "Start-Job",
        ] {
            assert!(out.contains(needle), "{needle}");
        }
    }
}
