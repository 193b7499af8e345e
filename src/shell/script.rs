//! One shell script, built whole in memory and printed once, only when everything succeeded.

use std::fmt;

use crate::error::Error;
use crate::shell::Shell;

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
        self.text.push_str(&export_line(self.shell, &name, value));
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
            self.text.push_str(&unset_line(self.shell, &refs));
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

fn export_line(shell: Shell, name: &VarName, value: &str) -> String {
    let v = shell.quote(value);
    match shell {
        Shell::Bash | Shell::Zsh => format!("export {name}={v};\n"),
        Shell::Fish => format!("set -gx {name} {v};\n"),
        Shell::Powershell => format!("$env:{name} = {v};\n"),
    }
}

fn unset_line(shell: Shell, names: &[&VarName]) -> String {
    let list = names
        .iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    match shell {
        Shell::Bash | Shell::Zsh => format!("unset {list};\n"),
        // `set -e` of a variable that is not there sets $status to 4, and `source` would
        // return it; an `if` without a true branch leaves status 0.
        Shell::Fish => names
            .iter()
            .map(|n| format!("if set -q {n}; set -e {n}; end;\n"))
            .collect(),
        Shell::Powershell => names
            .iter()
            .map(|n| format!("Remove-Item -LiteralPath Env:{n} -ErrorAction SilentlyContinue;\n"))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
