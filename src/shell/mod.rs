//! The shells awsenv writes code for: which one to write for, their quoting rules
//! ([`quote`]), the script builder ([`script`]) and the bundled integration code ([`init`]).
//!
//! `Shell` is a closed enum matched exhaustively everywhere: adding a shell makes the compiler
//! list every place that must learn about it.

use std::fmt;
use std::path::Path;

use crate::error::Error;

pub mod init;
pub mod nu;
pub mod quote;
pub mod script;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    /// nushell: the output is a record (null removes a variable) for `load-env`/`hide-env`.
    #[value(alias = "nushell")]
    Nu,
}

impl Shell {
    pub const ALL: [Shell; 5] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Powershell,
        Shell::Nu,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
            Shell::Nu => "nu",
        }
    }

    /// Recognises a shell from a program name as `ps`, `/proc/*/comm` or `$SHELL` spell it:
    /// a path, a leading `-` for login shells, a `.exe` suffix on Windows.
    pub fn from_program(program: &str) -> Option<Shell> {
        let base = Path::new(program.trim())
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .trim_start_matches('-');
        let base = base.strip_suffix(".exe").unwrap_or(base);
        match base {
            "bash" => Some(Shell::Bash),
            "zsh" => Some(Shell::Zsh),
            "fish" => Some(Shell::Fish),
            "pwsh" | "powershell" | "pwsh-preview" => Some(Shell::Powershell),
            "nu" | "nushell" => Some(Shell::Nu),
            _ => None,
        }
    }

    /// A literal that the shell reads back as exactly `value`.
    pub fn quote(self, value: &str) -> String {
        match self {
            Shell::Bash | Shell::Zsh => quote::posix(value),
            Shell::Fish => quote::fish(value),
            Shell::Powershell => quote::powershell(value),
            Shell::Nu => quote::nu(value),
        }
    }
}

impl fmt::Display for Shell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The shell to write for: `--shell`, else `$AWSENV_SHELL`, else the parent process (inside
/// `$(…)` that is the user's current shell, whereas `$SHELL` is only the login shell), else
/// `$SHELL`.
pub fn detect(explicit: Option<Shell>) -> Result<Shell, Error> {
    detect_why(explicit).map(|(s, _)| s)
}

/// Why [`detect`] chose a shell (for `awsenv doctor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// `--shell`.
    Explicit,
    /// `$AWSENV_SHELL`.
    Setting(String),
    /// The parent process, by its program name.
    Parent(String),
    /// `$SHELL`, the login shell.
    LoginShell(String),
}

impl fmt::Display for Detected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detected::Explicit => write!(f, "--shell"),
            Detected::Setting(v) => write!(f, "AWSENV_SHELL={v}"),
            Detected::Parent(p) => write!(f, "the parent process is {p}"),
            Detected::LoginShell(s) => write!(
                f,
                "SHELL={s} (the parent process is not a shell awsenv knows)"
            ),
        }
    }
}

pub fn detect_why(explicit: Option<Shell>) -> Result<(Shell, Detected), Error> {
    if let Some(s) = explicit {
        return Ok((s, Detected::Explicit));
    }
    if let Some(v) = std::env::var("AWSENV_SHELL").ok().filter(|v| !v.is_empty()) {
        return match Shell::from_program(&v) {
            Some(s) => Ok((s, Detected::Setting(v))),
            None => Err(Error::Shell(format!(
                "AWSENV_SHELL is `{}`; awsenv writes for bash, zsh, fish, powershell and nu",
                v.escape_debug()
            ))),
        };
    }
    if let Some(p) = parent_program() {
        if let Some(s) = Shell::from_program(&p) {
            return Ok((s, Detected::Parent(p.trim().to_string())));
        }
    }
    if let Ok(v) = std::env::var("SHELL") {
        if let Some(s) = Shell::from_program(&v) {
            return Ok((s, Detected::LoginShell(v)));
        }
    }
    Err(Error::Shell(
        "cannot tell which shell to write for: neither the parent process nor $SHELL is bash, \
         zsh, fish, PowerShell or nushell. Pass --shell (bash, zsh, fish, powershell, nu) or set \
         AWSENV_SHELL."
            .to_string(),
    ))
}

#[cfg(target_os = "linux")]
fn parent_program() -> Option<String> {
    let ppid = std::os::unix::process::parent_id();
    std::fs::read_to_string(format!("/proc/{ppid}/comm")).ok()
}

#[cfg(not(target_os = "linux"))]
fn parent_program() -> Option<String> {
    let ppid = std::os::unix::process::parent_id();
    let out = std::process::Command::new("ps")
        .args(["-o", "comm=", "-p", &ppid.to_string()])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_names() {
        assert_eq!(Shell::from_program("-bash"), Some(Shell::Bash));
        assert_eq!(Shell::from_program("/usr/bin/zsh"), Some(Shell::Zsh));
        assert_eq!(Shell::from_program("fish\n"), Some(Shell::Fish));
        assert_eq!(Shell::from_program("pwsh"), Some(Shell::Powershell));
        assert_eq!(Shell::from_program("pwsh.exe"), Some(Shell::Powershell));
        assert_eq!(Shell::from_program("/usr/bin/nu"), Some(Shell::Nu));
        assert_eq!(Shell::from_program("sh"), None);
        assert_eq!(Shell::from_program(""), None);
    }

    #[test]
    fn posix_quoting() {
        assert_eq!(Shell::Bash.quote(""), "''");
        assert_eq!(Shell::Bash.quote("abc"), "abc");
        assert_eq!(Shell::Zsh.quote("a'b"), r#"'a'\''b'"#);
        assert_eq!(Shell::Bash.quote("$(x)"), "'$(x)'");
        // zsh's EQUALS expansion: `=c` would become the path of command c.
        assert_eq!(Shell::Zsh.quote("=c"), "'=c'");
        assert_eq!(Shell::Bash.quote("=a=b"), "'=a=b'");
        assert_eq!(Shell::Zsh.quote("a=b"), "a=b");
    }

    #[test]
    fn fish_quoting() {
        assert_eq!(Shell::Fish.quote(""), "''");
        assert_eq!(Shell::Fish.quote(r"a\b'c"), r"'a\\b\'c'");
        assert_eq!(Shell::Fish.quote("trailing\\"), r"'trailing\\'");
        assert_eq!(Shell::Fish.quote("$HOME\n"), "'$HOME\n'");
    }

    #[test]
    fn nu_quoting() {
        assert_eq!(Shell::Nu.quote(""), "r#''#");
        assert_eq!(Shell::Nu.quote("a'b\"c$(x)"), "r#'a'b\"c$(x)'#");
        assert_eq!(Shell::Nu.quote("a'#b"), "r##'a'#b'##");
        assert_eq!(Shell::Nu.quote("'##'#"), "r###''##'#'###");
        assert_eq!(Shell::Nu.quote("x'"), "r#'x''#");
        assert_eq!(Shell::Nu.quote("#'"), "r##'#''##");
        assert_eq!(Shell::Nu.quote("##a"), "r###'##a'###");
    }

    #[test]
    fn powershell_quoting() {
        assert_eq!(Shell::Powershell.quote(""), "''");
        assert_eq!(Shell::Powershell.quote("it's"), "'it''s'");
        assert_eq!(
            Shell::Powershell.quote("\u{2018}x\u{2019}\u{201A}\u{201B}"),
            "'\u{2018}\u{2018}x\u{2019}\u{2019}\u{201A}\u{201A}\u{201B}\u{201B}'"
        );
        assert_eq!(Shell::Powershell.quote("$env:X `n \\"), "'$env:X `n \\'");
        // U+201C is a double quote: it ends nothing inside single quotes.
        assert_eq!(Shell::Powershell.quote("\u{201C}"), "'\u{201C}'");
    }
}
