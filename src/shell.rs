//! The shells awsenv writes code for, their quoting rules, and the script builder.
//!
//! `Shell` is a closed enum matched exhaustively everywhere: adding a shell makes the compiler
//! list every place that must learn about it.

use std::fmt;
use std::path::Path;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
}

impl Shell {
    pub const ALL: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell];

    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
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
            _ => None,
        }
    }

    /// A literal that the shell reads back as exactly `value`.
    pub fn quote(self, value: &str) -> String {
        match self {
            // `unix::escape`, not `shell_escape::escape`: the latter switches to cmd.exe rules
            // when awsenv is built for Windows, yet the code is still read by bash or zsh.
            Shell::Bash | Shell::Zsh => {
                if value.is_empty() {
                    return "''".to_string();
                }
                let escaped = shell_escape::unix::escape(value.into());
                // `escape` leaves `[A-Za-z0-9_=/,.+-]+` bare, but zsh expands a word that
                // starts with `=` (`=ls` is the path of ls), also in an assignment's value:
                // such a value is quoted too (it holds no quote to escape).
                if escaped.starts_with('=') {
                    format!("'{escaped}'")
                } else {
                    escaped.into_owned()
                }
            }
            Shell::Fish => quote_fish(value),
            Shell::Powershell => quote_powershell(value),
        }
    }

    fn export_line(self, name: &VarName, value: &str) -> String {
        let v = self.quote(value);
        match self {
            Shell::Bash | Shell::Zsh => format!("export {name}={v};\n"),
            Shell::Fish => format!("set -gx {name} {v};\n"),
            Shell::Powershell => format!("$env:{name} = {v};\n"),
        }
    }

    fn unset_line(self, names: &[&VarName]) -> String {
        let list = names
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        match self {
            Shell::Bash | Shell::Zsh => format!("unset {list};\n"),
            // `set -e` of a variable that is not there sets $status to 4, and `source` would
            // return it; an `if` without a true branch leaves status 0.
            Shell::Fish => names
                .iter()
                .map(|n| format!("if set -q {n}; set -e {n}; end;\n"))
                .collect(),
            Shell::Powershell => names
                .iter()
                .map(|n| {
                    format!("Remove-Item -LiteralPath Env:{n} -ErrorAction SilentlyContinue;\n")
                })
                .collect(),
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
    if let Some(s) = explicit {
        return Ok(s);
    }
    if let Some(v) = std::env::var("AWSENV_SHELL").ok().filter(|v| !v.is_empty()) {
        return Shell::from_program(&v).ok_or_else(|| {
            Error::Shell(format!(
                "AWSENV_SHELL is `{}`; awsenv writes for bash, zsh, fish and powershell",
                v.escape_debug()
            ))
        });
    }
    if let Some(s) = parent_program().as_deref().and_then(Shell::from_program) {
        return Ok(s);
    }
    if let Some(s) = std::env::var("SHELL")
        .ok()
        .as_deref()
        .and_then(Shell::from_program)
    {
        return Ok(s);
    }
    Err(Error::Shell(
        "cannot tell which shell to write for: neither the parent process nor $SHELL is bash, \
         zsh, fish or PowerShell. Pass --shell (bash, zsh, fish, powershell) or set AWSENV_SHELL."
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

/// fish treats `\\` and `\'` as escapes even inside single quotes; nothing else is special
/// there, newlines included.
fn quote_fish(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// PowerShell ends a single-quoted string at `'` and at U+2018..U+201B alike; a doubled quote
/// character of any of these kinds stands for the second one.
fn quote_powershell(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if is_powershell_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub fn is_powershell_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// An environment variable name safe to write unquoted in every supported shell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarName(String);

impl VarName {
    pub fn new(name: &str) -> Result<VarName, Error> {
        let mut chars = name.chars();
        let ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(VarName(name.to_string()))
        } else {
            Err(Error::Usage(format!(
                "`{}` is not a valid environment variable name (letters, digits and `_`, not starting with a digit)",
                name.escape_debug()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VarName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One shell script, built whole in memory and printed once, only when everything succeeded.
#[derive(Debug)]
pub struct Script {
    shell: Shell,
    text: String,
    secret: bool,
}

impl Script {
    pub fn new(shell: Shell) -> Script {
        Script {
            shell,
            text: String::new(),
            secret: false,
        }
    }

    pub fn shell(&self) -> Shell {
        self.shell
    }

    pub fn export(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let name = VarName::new(name)?;
        if value.contains('\0') {
            return Err(Error::Usage(format!(
                "the value for {name} contains a NUL byte, which no environment variable can hold"
            )));
        }
        self.text.push_str(&self.shell.export_line(&name, value));
        Ok(())
    }

    /// Like `export`, and marks the script as holding a secret, so it is never shown on a
    /// terminal.
    pub fn export_secret(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.secret = true;
        self.export(name, value)
    }

    pub fn unset<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        let names = names
            .into_iter()
            .map(VarName::new)
            .collect::<Result<Vec<_>, _>>()?;
        if !names.is_empty() {
            let refs: Vec<&VarName> = names.iter().collect();
            self.text.push_str(&self.shell.unset_line(&refs));
        }
        Ok(())
    }

    pub fn holds_secrets(&self) -> bool {
        self.secret
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn into_string(self) -> String {
        self.text
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
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

    #[test]
    fn var_names() {
        assert!(VarName::new("AWS_REGION").is_ok());
        assert!(VarName::new("_x1").is_ok());
        for bad in ["", "1A", "A-B", "A B", "A;rm", "Ä", "A=B", "$(x)"] {
            assert!(VarName::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_per_shell() {
        let mut s = Script::new(Shell::Bash);
        s.export("A", "x y").unwrap();
        s.unset(["B", "C"]).unwrap();
        assert_eq!(s.as_str(), "export A='x y';\nunset B C;\n");

        let mut s = Script::new(Shell::Fish);
        s.export("A", "x y").unwrap();
        s.unset(["B"]).unwrap();
        assert_eq!(
            s.as_str(),
            "set -gx A 'x y';\nif set -q B; set -e B; end;\n"
        );

        let mut s = Script::new(Shell::Powershell);
        s.export_secret("A", "x'y").unwrap();
        s.unset(["B"]).unwrap();
        assert_eq!(
            s.as_str(),
            "$env:A = 'x''y';\nRemove-Item -LiteralPath Env:B -ErrorAction SilentlyContinue;\n"
        );
        assert!(s.holds_secrets());
    }

    #[test]
    fn nul_is_refused() {
        let mut s = Script::new(Shell::Zsh);
        assert!(s.export("A", "a\0b").is_err());
        assert!(s.is_empty());
    }
}
