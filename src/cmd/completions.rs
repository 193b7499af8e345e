//! `awsenv completions`: clap's scripts, with AWS config profile names offered for ROLE.

use crate::cli::{command, CompletionShell};

pub fn generate(shell: CompletionShell) -> String {
    use clap_complete::Shell as C;
    let target = match shell {
        CompletionShell::Bash => C::Bash,
        CompletionShell::Zsh => C::Zsh,
        CompletionShell::Fish => C::Fish,
        CompletionShell::Powershell => C::PowerShell,
        CompletionShell::Elvish => C::Elvish,
    };
    let mut buf = Vec::new();
    clap_complete::generate(target, &mut command(), "awsenv", &mut buf);
    let generated = String::from_utf8_lossy(&buf).into_owned();
    // clap completes ROLE as a file; these add the AWS config's profile names.
    match shell {
        CompletionShell::Bash => generated + "\n" + PROFILES_BASH,
        CompletionShell::Fish => generated + "\n" + PROFILES_FISH,
        CompletionShell::Zsh => {
            let role = ":role -- Role ARN, \"ARN\" in quotes, ACCOUNT_ID\\:NAME, or NAME in your own account";
            generated
                .replace(
                    &format!("{role}:_default'"),
                    &format!("{role}:_awsenv_profiles'"),
                )
                .replace(
                    "if [ \"$funcstack[1]\" = \"_awsenv\" ]; then",
                    &format!("{PROFILES_ZSH}if [ \"$funcstack[1]\" = \"_awsenv\" ]; then"),
                )
        }
        CompletionShell::Powershell | CompletionShell::Elvish => generated,
    }
}

const PROFILES_BASH: &str = include_str!("../../shell/completions/profiles.bash");
const PROFILES_ZSH: &str = include_str!("../../shell/completions/profiles.zsh");
const PROFILES_FISH: &str = include_str!("../../shell/completions/profiles.fish");
