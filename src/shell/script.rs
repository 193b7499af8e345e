//! One shell script, built whole in memory and printed once, only when everything succeeded.

use std::fmt;

use crate::error::Error;
use crate::shell::Shell;

mod held;

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
    /// nushell's record, one line per variable: a record cannot name a variable twice, so a
    /// later change replaces the earlier one, as a later line does in the other shells.
    /// Keyed by the variable's name, or by a directive's (see [`nu`]).
    record: Vec<(String, String)>,
}

impl Script {
    pub fn new(shell: Shell) -> Script {
        Script {
            shell,
            text: String::new(),
            secret: false,
            record: Vec::new(),
        }
    }

    /// Adds a line of code, or for nushell the variable's entry in the record.
    fn push(&mut self, name: Option<&str>, line: String) {
        match (self.shell, name) {
            (Shell::Nu, Some(name)) => {
                self.record.retain(|(n, _)| n != name);
                self.record.push((name.to_string(), line));
                let body: String = self.record.iter().map(|(_, l)| l.as_str()).collect();
                self.text = format!("{{\n{body}}}\n");
            }
            _ => self.text.push_str(&line),
        }
    }

    pub fn shell(&self) -> Shell {
        self.shell
    }

    pub fn export(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let name = VarName::new(name)?;
        no_nul(&name, value)?;
        let line = export_line(self.shell, &name, value);
        self.push(Some(name.as_str()), line);
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
        match self.shell {
            Shell::Nu => {
                for n in &names {
                    let line = unset_line(self.shell, &[n]);
                    self.push(Some(n.as_str()), line);
                }
            }
            _ if names.is_empty() => {}
            _ => {
                let refs: Vec<&VarName> = names.iter().collect();
                let line = unset_line(self.shell, &refs);
                self.push(None, line);
            }
        }
        Ok(())
    }

    /// Before the first change: remembers which of `names` are shell-global variables now,
    /// so that [`Script::restore`] can tell them from fish's universal variables (which awsenv
    /// must never create, change or erase). Only fish needs it: it records them in the
    /// unexported global list `__awsenv_globals`, read by the restore code when it runs.
    pub fn remember_scopes(&mut self, names: &[&str]) -> Result<(), Error> {
        if self.shell != Shell::Fish {
            return Ok(());
        }
        self.text.push_str(&format!("set -g {FISH_GLOBALS};\n"));
        for n in names {
            let n = VarName::new(n)?;
            self.text.push_str(&format!(
                "if set -qg {n}; set -ga {FISH_GLOBALS} {n}; end;\n"
            ));
        }
        Ok(())
    }

    /// Makes `names` absent for programs while a role is active, as `unset` does. In fish a
    /// universal variable cannot be hidden from programs without erasing it in every fish
    /// session (an unexported global does not mask an exported universal: fish 3.6 still
    /// exports it), so it is left alone and the code says so on stderr.
    pub fn hide<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        let names = names
            .into_iter()
            .map(VarName::new)
            .collect::<Result<Vec<_>, _>>()?;
        if names.is_empty() {
            return Ok(());
        }
        if self.shell == Shell::Nu {
            for n in &names {
                let line = unset_line(self.shell, &[n]);
                self.push(Some(n.as_str()), line);
            }
            return Ok(());
        }
        let refs: Vec<&VarName> = names.iter().collect();
        self.text.push_str(&unset_line(self.shell, &refs));
        if self.shell == Shell::Fish {
            for n in &names {
                let msg = self.shell.quote(&format!(
                    "awsenv: {n} is a universal variable (set -Ux): fish cannot hide it from \
                     programs without erasing it in every fish session, so it stays set while \
                     the role is active (the role's keys take precedence over it)"
                ));
                self.text.push_str(&format!(
                    "if set -qUx {n}; printf '%s\\n' {msg} >&2; end;\n"
                ));
            }
        }
        Ok(())
    }

    /// Puts `name` back to `value` as it was when [`Script::remember_scopes`] ran. fish: a
    /// global is set again; a variable that was not a global (a universal one, seen through)
    /// only loses the global that shadowed it while the role was active, so the universal
    /// shows again, with the value it has now. Without the list (the state was saved by
    /// another shell, whose exports fish inherited as globals) it is set as a global.
    pub fn restore(&mut self, name: &str, value: &str, secret: bool) -> Result<(), Error> {
        let name = VarName::new(name)?;
        no_nul(&name, value)?;
        self.secret |= secret;
        let v = self.shell.quote(value);
        self.push_restore(&name, &v);
        Ok(())
    }

    /// Like [`Script::restore`], from the value of the unexported shell variable `holder`.
    pub fn restore_var(&mut self, name: &str, holder: &str) -> Result<(), Error> {
        let name = VarName::new(name)?;
        let holder = VarName::new(holder)?;
        let v = match self.shell {
            Shell::Bash | Shell::Zsh => format!("\"${holder}\""),
            Shell::Fish => format!("${holder}"),
            Shell::Powershell => format!("$global:{holder}"),
            // A record holds values, not references: nushell restores held values through
            // `awsenv:restore` (see restore_held).
            Shell::Nu => {
                return Err(Error::Usage(format!(
                    "nushell cannot restore {name} from {holder} in a record"
                )))
            }
        };
        self.push_restore(&name, &v);
        Ok(())
    }

    /// Ends a restore: the record of [`Script::remember_scopes`] goes.
    pub fn forget_scopes(&mut self) {
        if self.shell == Shell::Fish {
            self.text.push_str(&format!(
                "if set -qg {FISH_GLOBALS}; set -eg {FISH_GLOBALS}; end;\n"
            ));
        }
    }

    fn push_restore(&mut self, name: &VarName, v: &str) {
        let line = match self.shell {
            Shell::Bash | Shell::Zsh => format!("export {name}={v};\n"),
            Shell::Fish => format!(
                "if not set -q {FISH_GLOBALS}; or contains -- {name} ${FISH_GLOBALS}; \
                 set -gx {name} {v}; else if set -qg {name}; set -eg {name}; end;\n"
            ),
            Shell::Powershell => format!("$env:{name} = {v};\n"),
            Shell::Nu => format!("  \"{name}\": {v}\n"),
        };
        self.push(Some(name.as_str()), line);
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

/// fish: the unexported global list of the managed variables that were globals when the first
/// role was assumed (see [`Script::remember_scopes`]).
pub const FISH_GLOBALS: &str = "__awsenv_globals";

fn no_nul(name: &VarName, value: &str) -> Result<(), Error> {
    if value.contains('\0') {
        return Err(Error::Usage(format!(
            "the value for {name} contains a NUL byte, which no environment variable can hold"
        )));
    }
    Ok(())
}

fn export_line(shell: Shell, name: &VarName, value: &str) -> String {
    let v = shell.quote(value);
    match shell {
        Shell::Bash | Shell::Zsh => format!("export {name}={v};\n"),
        Shell::Fish => format!("set -gx {name} {v};\n"),
        Shell::Powershell => format!("$env:{name} = {v};\n"),
        Shell::Nu => format!("  \"{name}\": {v}\n"),
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
        // Only the global: a plain `set -e` erases a universal variable (`set -Ux`) for good,
        // in every fish session. `set -e` of a variable that is not there sets $status to 4,
        // and `source` would return it; an `if` without a true branch leaves status 0.
        Shell::Fish => names
            .iter()
            .map(|n| format!("if set -qg {n}; set -eg {n}; end;\n"))
            .collect(),
        Shell::Powershell => names
            .iter()
            .map(|n| format!("Remove-Item -LiteralPath Env:{n} -ErrorAction SilentlyContinue;\n"))
            .collect(),
        Shell::Nu => names.iter().map(|n| format!("  \"{n}\": null\n")).collect(),
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
            "set -gx A 'x y';\nif set -qg B; set -eg B; end;\n"
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
    fn fish_scopes_exact() {
        let mut s = Script::new(Shell::Fish);
        s.remember_scopes(&["A", "B"]).unwrap();
        s.hide(["P"]).unwrap();
        s.restore("A", "x y", false).unwrap();
        s.restore_var("S", "__awsenv_saved_S").unwrap();
        s.forget_scopes();
        let text = s.as_str();
        let expected = [
            "set -g __awsenv_globals;",
            "if set -qg A; set -ga __awsenv_globals A; end;",
            "if set -qg B; set -ga __awsenv_globals B; end;",
            "if set -qg P; set -eg P; end;",
        ];
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[..4], expected);
        assert!(lines[4].starts_with("if set -qUx P; printf '%s\\n' 'awsenv: P is a universal"));
        assert!(lines[4].ends_with("' >&2; end;"));
        assert_eq!(
            lines[5..],
            [
                "if not set -q __awsenv_globals; or contains -- A $__awsenv_globals; set -gx A 'x y'; else if set -qg A; set -eg A; end;",
                "if not set -q __awsenv_globals; or contains -- S $__awsenv_globals; set -gx S $__awsenv_saved_S; else if set -qg S; set -eg S; end;",
                "if set -qg __awsenv_globals; set -eg __awsenv_globals; end;",
            ]
        );
        assert!(!s.holds_secrets());
    }

    #[test]
    fn scopes_are_fish_only() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Powershell] {
            let mut s = Script::new(shell);
            s.remember_scopes(&["A"]).unwrap();
            s.forget_scopes();
            assert!(s.is_empty(), "{shell}");
            s.hide(["P"]).unwrap();
            s.restore("A", "v", true).unwrap();
            s.restore_var("S", "H").unwrap();
            assert!(s.holds_secrets());
            let want = match shell {
                Shell::Powershell => {
                    "Remove-Item -LiteralPath Env:P -ErrorAction SilentlyContinue;\n$env:A = 'v';\n$env:S = $global:H;\n"
                }
                _ => "unset P;\nexport A=v;\nexport S=\"$H\";\n",
            };
            assert_eq!(s.as_str(), want, "{shell}");
        }
    }

    #[test]
    fn nu_record_last_change_wins() {
        let mut s = Script::new(Shell::Nu);
        s.unset(["A", "B"]).unwrap();
        s.export("A", "x").unwrap();
        assert_eq!(s.as_str(), "{\n  \"B\": null\n  \"A\": r#'x'#\n}\n");
    }

    #[test]
    fn nul_is_refused() {
        let mut s = Script::new(Shell::Zsh);
        assert!(s.export("A", "a\0b").is_err());
        assert!(s.restore("A", "a\0b", false).is_err());
        assert!(s.is_empty());
    }
}
