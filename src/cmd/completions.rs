//! `awsenv completions`: clap's scripts, with AWS config profile names offered for ROLE.

use crate::cli::command;
use crate::cli::completions::CompletionShell;

#[inline(never)]
pub fn generate(shell: CompletionShell) -> String {
    use clap_complete::Shell as C;
    let buf = match shell {
        CompletionShell::Bash => script(C::Bash),
        CompletionShell::Zsh => script(C::Zsh),
        CompletionShell::Fish => script(C::Fish),
        CompletionShell::Powershell => script(C::PowerShell),
        CompletionShell::Elvish => script(C::Elvish),
        CompletionShell::Nu => script(clap_complete_nushell::Nushell),
    };
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
        CompletionShell::Powershell | CompletionShell::Elvish | CompletionShell::Nu => generated,
    }
}

fn script(generator: impl clap_complete::Generator) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(generator, &mut command(), "awsenv", &mut buf);
    buf
}

const PROFILES_BASH: &str = include_str!("../../shell/completions/profiles.bash");
const PROFILES_ZSH: &str = include_str!("../../shell/completions/profiles.zsh");
const PROFILES_FISH: &str = include_str!("../../shell/completions/profiles.fish");
