//! The interface every shell's room implements ([`ShellCode`]), and what it is given and
//! writes into: checked variable names ([`VarName`]) and the code so far ([`Code`]).

use std::fmt;

use crate::error::Error;

/// An environment variable name safe to write unquoted in every supported shell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarName(String);

impl VarName {
    pub fn new(name: &str) -> Result<VarName, Error> {
        let ok = matches!(name.as_bytes(), [first, rest @ ..]
            if (first.is_ascii_alphabetic() || *first == b'_')
                && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_'));
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

/// The code written so far. Code is appended; nushell's output is a record instead, one
/// entry per variable: a record cannot name a variable twice, so a later entry replaces the
/// earlier one, as a later line does in the other shells.
#[derive(Debug, Default)]
pub struct Code {
    text: String,
    /// Keyed by the variable's name, or by a directive's (see the nushell room).
    record: Vec<(String, String)>,
}

impl Code {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }

    pub fn push(&mut self, code: &str) {
        self.text.push_str(code);
    }

    /// The record's entry for `key`, replacing an earlier one.
    pub fn entry(&mut self, key: &str, line: String) {
        self.record.retain(|(n, _)| n != key);
        self.record.push((key.to_string(), line));
        let body: String = self.record.iter().map(|(_, l)| l.as_str()).collect();
        self.text = format!("{{\n{body}}}\n");
    }
}

/// `write!` straight into the code, without a `String` per line.
impl fmt::Write for Code {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

/// All that one shell knows. The names and values it is given are checked already
/// ([`VarName`], no NUL), but for `remember_scopes`; each method writes its code into `out`.
pub trait ShellCode: Sync {
    /// As `--shell` and `awsenv init` take it.
    fn name(&self) -> &'static str;
    /// The program names that run it, as `ps`, `/proc/*/comm` or `$SHELL` spell them.
    fn programs(&self) -> &'static [&'static str];
    /// A literal that the shell reads back as exactly `value`.
    fn quote(&self, value: &str) -> String;
    /// `awsenv init`'s file for it, with its placeholders.
    fn init_script(&self) -> &'static str;
    /// Where the line that loads the integration goes (`awsenv doctor`'s advice).
    fn init_advice(&self) -> &'static str;

    fn export(&self, out: &mut Code, name: &VarName, value: &str);
    fn unset(&self, out: &mut Code, names: &[VarName]);
    /// Makes `names` absent for programs while a role is active.
    fn hide(&self, out: &mut Code, names: &[VarName]) {
        self.unset(out, names);
    }
    /// Before the first change: what a restore must know about the shell's own variables.
    /// Most shells need nothing, and so do not even check the names: this runs on every
    /// first assume, cached ones included.
    fn remember_scopes(&self, _out: &mut Code, _names: &[&str]) -> Result<(), Error> {
        Ok(())
    }
    /// Ends a restore: what [`ShellCode::remember_scopes`] recorded goes.
    fn forget_scopes(&self, _out: &mut Code) {}
    /// Before the first change: copies each of `names` that is set in the shell (they are the
    /// managed variables awsenv did not see, so set means set and not exported) into its
    /// holder, unexported. Shells without unexported variables (nushell, PowerShell's `$env:`)
    /// have nothing to keep.
    fn hold_unexported(&self, _out: &mut Code, _names: &[VarName], _holders: &[VarName]) {}
    /// In a restore, after `names` were unset: each whose holder is set gets its value back,
    /// unexported, and the holder goes.
    fn restore_unexported(&self, _out: &mut Code, _names: &[VarName], _holders: &[VarName]) {}
    /// Puts `name` back to the shell expression `value` (a quoted literal or a held value).
    fn restore(&self, out: &mut Code, name: &VarName, value: &str);
    /// The expression that reads the unexported variable `holder`; `None` where values
    /// cannot be referred to (nushell's record holds values).
    fn held_value(&self, holder: &VarName) -> Option<String>;
    /// Copies each of `names` into its holder, unexported.
    fn hold(&self, out: &mut Code, names: &[VarName], holders: &[VarName]);

    /// The code that starts a block run when every one of `holders` is set.
    fn if_all_set(&self, holders: &[VarName]) -> String;
    /// Between that block and the one run otherwise.
    fn otherwise(&self) -> &'static str;
    /// Ends the two blocks.
    fn end_if(&self) -> &'static str;
    /// Prints `message` (a quoted literal) on stderr.
    fn warn(&self, message: &str) -> String;
    /// Removes the unexported `holders`.
    fn drop_holders(&self, out: &mut Code, holders: &[VarName]);

    /// Restores `names` from `holders` and `with` (values that only make sense with them) when
    /// every holder is there; otherwise unsets them all and prints `warning`. Then the holders
    /// go.
    fn restore_held(
        &self,
        out: &mut Code,
        names: &[VarName],
        holders: &[VarName],
        with: &[(VarName, &str)],
        warning: &str,
    ) {
        out.push(&self.if_all_set(holders));
        // As the other managed variables: fish leaves a universal one as it is now.
        for (n, v) in with {
            self.restore(out, n, &self.quote(v));
        }
        for (n, h) in names.iter().zip(holders) {
            if let Some(v) = self.held_value(h) {
                self.restore(out, n, &v);
            }
        }
        out.push(self.otherwise());
        let dropped: Vec<VarName> = with
            .iter()
            .map(|(n, _)| n.clone())
            .chain(names.iter().cloned())
            .collect();
        self.unset(out, &dropped);
        out.push(&self.warn(&self.quote(warning)));
        out.push(self.end_if());
        self.drop_holders(out, holders);
    }

    /// Runs `argv` with `holders` (those set; the holders of `names`) in its environment and
    /// `rerun_var=1`, then evaluates what it prints when it succeeds.
    fn rerun(
        &self,
        out: &mut Code,
        argv: &[&str],
        names: &[&str],
        holders: &[VarName],
        rerun_var: &VarName,
    );
}
