//! `awsenv init`: the bundled shell code from `shell/`, with the path of this binary quoted for
//! the shell that will read it. Nothing is written to any rc file.

use crate::shell::Shell;

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

pub const BASH: &str = include_str!("../../shell/awsenv.bash");
pub const ZSH: &str = include_str!("../../shell/awsenv.zsh");
pub const FISH: &str = include_str!("../../shell/awsenv.fish");
pub const POWERSHELL: &str = include_str!("../../shell/awsenv.ps1");
pub const NU: &str = include_str!("../../shell/awsenv.nu");
pub const DIRENV: &str = include_str!("../../shell/direnvrc.sh");

/// Where the files name the binary: a quoted string in every shell, so each file stays valid
/// (and lintable) as it is stored.
const PLACEHOLDER: &str = "'@AWSENV_BIN@'";

pub fn render(target: InitTarget, exe: &str) -> String {
    let (template, shell) = match target {
        InitTarget::Bash => (BASH, Shell::Bash),
        InitTarget::Zsh => (ZSH, Shell::Zsh),
        InitTarget::Fish => (FISH, Shell::Fish),
        InitTarget::Powershell => (POWERSHELL, Shell::Powershell),
        InitTarget::Nu => (NU, Shell::Nu),
        InitTarget::Direnv => (DIRENV, Shell::Bash),
    };
    template.replace(PLACEHOLDER, &shell.quote(exe))
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
            POWERSHELL.replace(PLACEHOLDER, "'/usr/local/bin/awsenv'")
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
