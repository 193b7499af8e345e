//! What bash and zsh have in common, which is nearly all: the POSIX shell language. The one
//! thing they do differently, making a variable unexported for good, is each one's `hold`
//! (`bash.rs`, `zsh.rs`).

use std::fmt::Write as _;

use crate::shell::code::{Code, ShellCode, VarName};

/// bash or zsh: what sets them apart is given, the rest is shared.
pub struct Posix {
    pub name: &'static str,
    pub programs: &'static [&'static str],
    pub init_script: &'static str,
    pub init_advice: &'static str,
    /// Writes the statements (each ending in `;`, no newline) that copy `name`'s value into
    /// the unexported `holder`.
    pub hold: fn(out: &mut Code, name: &VarName, holder: &VarName),
}

/// `unix::escape`, not `shell_escape::escape`: the latter switches to cmd.exe rules when awsenv
/// is built for Windows, yet the code is still read by bash or zsh.
pub fn quote(value: &str) -> String {
    if value.is_empty() {
        return "''".to_string();
    }
    let escaped = shell_escape::unix::escape(value.into());
    // `escape` leaves `[A-Za-z0-9_=/,.+-]+` bare, but zsh expands a word that starts with `=`
    // (`=ls` is the path of ls), also in an assignment's value: such a value is quoted too (it
    // holds no quote to escape).
    if escaped.starts_with('=') {
        format!("'{escaped}'")
    } else {
        escaped.into_owned()
    }
}

fn list(names: &[VarName]) -> String {
    names
        .iter()
        .map(VarName::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

impl ShellCode for Posix {
    fn name(&self) -> &'static str {
        self.name
    }

    fn programs(&self) -> &'static [&'static str] {
        self.programs
    }

    fn quote(&self, value: &str) -> String {
        quote(value)
    }

    fn init_script(&self) -> &'static str {
        self.init_script
    }

    fn init_advice(&self) -> &'static str {
        self.init_advice
    }

    fn export(&self, out: &mut Code, name: &VarName, value: &str) {
        let _ = writeln!(out, "export {name}={};", quote(value));
    }

    fn unset(&self, out: &mut Code, names: &[VarName]) {
        if !names.is_empty() {
            let _ = writeln!(out, "unset {};", list(names));
        }
    }

    fn restore(&self, out: &mut Code, name: &VarName, value: &str) {
        let _ = writeln!(out, "export {name}={value};");
    }

    fn held_value(&self, holder: &VarName) -> Option<String> {
        Some(format!("\"${holder}\""))
    }

    fn hold(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            (self.hold)(out, n, h);
            out.push("\n");
        }
    }

    fn hold_unexported(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            let _ = write!(out, "if [ -n \"${{{n}+x}}\" ]; then ");
            (self.hold)(out, n, h);
            out.push(" fi;\n");
        }
    }

    /// The same unexported copy, the other way round: under `set -a` / ALL_EXPORT the
    /// assignment alone would export the variable.
    fn restore_unexported(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            let _ = write!(out, "if [ -n \"${{{h}+x}}\" ]; then ");
            (self.hold)(out, h, n);
            let _ = writeln!(out, " unset {h}; fi;");
        }
    }

    fn if_all_set(&self, holders: &[VarName]) -> String {
        let tests: Vec<String> = holders
            .iter()
            .map(|h| format!("[ -n \"${{{h}+x}}\" ]"))
            .collect();
        format!("if {}; then\n", tests.join(" && "))
    }

    fn otherwise(&self) -> &'static str {
        "else\n"
    }

    fn end_if(&self) -> &'static str {
        "fi;\n"
    }

    fn warn(&self, message: &str) -> String {
        format!("printf '%s\\n' {message} >&2;\n")
    }

    fn drop_holders(&self, out: &mut Code, holders: &[VarName]) {
        self.unset(out, holders);
    }

    fn rerun(
        &self,
        out: &mut Code,
        argv: &[&str],
        _names: &[&str],
        holders: &[VarName],
        rerun_var: &VarName,
    ) {
        let argv: Vec<String> = argv.iter().map(|a| quote(a)).collect();
        let argv = argv.join(" ");
        let exports: String = holders
            .iter()
            .map(|h| format!("[ -n \"${{{h}+x}}\" ] && export {h}; "))
            .collect();
        // On failure the status is awsenv's own: `eval` expands it before the unset.
        out.push(&format!(
            "if __awsenv_out=$({exports}{rerun_var}=1 exec {argv}); then eval \"$__awsenv_out\"; \
             unset __awsenv_out; else __awsenv_rc=$?; unset __awsenv_out; \
             eval \"unset __awsenv_rc; (exit $__awsenv_rc)\"; fi;\n"
        ));
    }
}
