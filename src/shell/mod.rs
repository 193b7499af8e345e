//! The shells awsenv writes code for. Each is one room, one file, holding all that shell knows
//! (quoting, export and unset, holding and restoring secrets, the rerun, the init script and
//! its advice): [`bash`], [`zsh`] (both on [`posix`]), [`fish`], [`powershell`], [`nu`], behind
//! one interface, [`code::ShellCode`]. The closed enum [`Shell`] is for parsing and exhaustiveness;
//! [`Shell::code`] is the one place that goes from it to a shell's room. [`script`] builds a
//! script through that interface, [`init`] prints the bundled integration, [`names`] holds the
//! names the Rust code and the bundled scripts share.

use std::fmt;
use std::path::Path;

use crate::error::Error;
use crate::shell::code::ShellCode;

pub mod bash;
pub mod code;
pub mod fish;
pub mod init;
pub mod names;
pub mod nu;
pub mod posix;
pub mod powershell;
pub mod script;
pub mod zsh;

// `Default` is for where no script is written (a command runs, a file is written): any shell
// will do. (Not a doc comment: clap would take it for help.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Shell {
    #[default]
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

    /// The shell's room: the one `match` on the variants.
    pub fn code(self) -> &'static dyn ShellCode {
        match self {
            Shell::Bash => &bash::BASH,
            Shell::Zsh => &zsh::ZSH,
            Shell::Fish => &fish::Fish,
            Shell::Powershell => &powershell::Powershell,
            Shell::Nu => &nu::Nu,
        }
    }

    pub fn name(self) -> &'static str {
        self.code().name()
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
        Shell::ALL
            .into_iter()
            .find(|s| s.code().programs().contains(&base))
    }

    /// A literal that the shell reads back as exactly `value`.
    pub fn quote(self, value: &str) -> String {
        self.code().quote(value)
    }

    /// Where the line that loads the integration goes.
    pub fn init_advice(self) -> &'static str {
        self.code().init_advice()
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
    if let Some(v) = crate::environ::value("AWSENV_SHELL") {
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
    if let Some(v) = crate::environ::var("SHELL").map(str::to_string) {
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

fn parent_program() -> Option<String> {
    crate::os::process_name(std::os::unix::process::parent_id())
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
