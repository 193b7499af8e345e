//! fish (3.1 and later). Its traps: `\\` and `\'` are escapes even inside single quotes; a
//! universal variable (`set -Ux`) lives in every fish session, so awsenv never creates,
//! changes or erases one; an unexported global does not mask an exported universal.

use crate::error::Error;
use crate::shell::code::{Code, ShellCode, VarName};
use crate::shell::names::FISH_GLOBALS;

/// `awsenv init fish`'s file, with its placeholders.
pub const INIT: &str = include_str!("../../shell/awsenv.fish");

pub struct Fish;

/// Nothing but `\` and `'` is special inside fish's single quotes, newlines included.
pub fn quote(value: &str) -> String {
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

impl ShellCode for Fish {
    fn name(&self) -> &'static str {
        "fish"
    }

    fn programs(&self) -> &'static [&'static str] {
        &["fish"]
    }

    fn quote(&self, value: &str) -> String {
        quote(value)
    }

    fn init_script(&self) -> &'static str {
        INIT
    }

    fn init_advice(&self) -> &'static str {
        "add `awsenv init fish | source` to ~/.config/fish/config.fish and open a new shell"
    }

    fn export(&self, out: &mut Code, name: &VarName, value: &str) {
        out.push(&format!("set -gx {name} {};\n", quote(value)));
    }

    /// Only the global: a plain `set -e` erases a universal variable (`set -Ux`) for good, in
    /// every fish session. `set -e` of a variable that is not there sets $status to 4, and
    /// `source` would return it; an `if` without a true branch leaves status 0.
    fn unset(&self, out: &mut Code, names: &[VarName]) {
        for n in names {
            out.push(&format!("if set -qg {n}; set -eg {n}; end;\n"));
        }
    }

    /// A universal variable cannot be hidden from programs without erasing it in every fish
    /// session (an unexported global does not mask an exported universal: fish 3.6 still
    /// exports it), so it is left alone and the code says so on stderr.
    fn hide(&self, out: &mut Code, names: &[VarName]) {
        self.unset(out, names);
        for n in names {
            let msg = quote(&format!(
                "awsenv: {n} is a universal variable (set -Ux): fish cannot hide it from \
                 programs without erasing it in every fish session, so it stays set while \
                 the role is active (the role's keys take precedence over it)"
            ));
            out.push(&format!(
                "if set -qUx {n}; printf '%s\\n' {msg} >&2; end;\n"
            ));
        }
    }

    /// Records which of `names` are shell-global variables now, in the unexported global list
    /// [`FISH_GLOBALS`], so that the restore code can tell them from universal ones.
    fn remember_scopes(&self, out: &mut Code, names: &[&str]) -> Result<(), Error> {
        let names = names
            .iter()
            .map(|n| VarName::new(n))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(&format!("set -g {FISH_GLOBALS};\n"));
        for n in &names {
            out.push(&format!(
                "if set -qg {n}; set -ga {FISH_GLOBALS} {n}; end;\n"
            ));
        }
        Ok(())
    }

    fn forget_scopes(&self, out: &mut Code) {
        out.push(&format!(
            "if set -qg {FISH_GLOBALS}; set -eg {FISH_GLOBALS}; end;\n"
        ));
    }

    /// A global is set again; a variable that was not a global (a universal one, seen
    /// through) only loses the global that shadowed it while the role was active, so the
    /// universal shows again, with the value it has now. Without the list (the state was
    /// saved by another shell, whose exports fish inherited as globals) it is set as a global.
    fn restore(&self, out: &mut Code, name: &VarName, value: &str) {
        out.push(&format!(
            "if not set -q {FISH_GLOBALS}; or contains -- {name} ${FISH_GLOBALS}; \
             set -gx {name} {value}; else if set -qg {name}; set -eg {name}; end;\n"
        ));
    }

    /// Only an unexported global: an unexported universal is not touched by awsenv at all.
    fn hold_unexported(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            out.push(&format!("if set -qg {n}; set -gu {h} ${n}; end;\n"));
        }
    }

    /// The list as it was, element for element, as an unexported global.
    fn restore_unexported(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            out.push(&format!(
                "if set -qg {h}; set -gu {n} ${h}; set -eg {h}; end;\n"
            ));
        }
    }

    fn held_value(&self, holder: &VarName) -> Option<String> {
        Some(format!("${holder}"))
    }

    fn hold(&self, out: &mut Code, names: &[VarName], holders: &[VarName]) {
        for (n, h) in names.iter().zip(holders) {
            out.push(&format!("set -gu {h} ${n};\n"));
        }
    }

    fn if_all_set(&self, holders: &[VarName]) -> String {
        let tests: Vec<String> = holders.iter().map(|h| format!("set -q {h}")).collect();
        format!("if {}\n", tests.join("; and "))
    }

    fn otherwise(&self) -> &'static str {
        "else\n"
    }

    fn end_if(&self) -> &'static str {
        "end;\n"
    }

    fn warn(&self, message: &str) -> String {
        format!("printf '%s\\n' {message} >&2;\n")
    }

    fn drop_holders(&self, out: &mut Code, holders: &[VarName]) {
        for h in holders {
            out.push(&format!("set -qg {h}; and set -eg {h};\n"));
        }
    }

    /// awsenv prints nothing when it fails; the block then prints a call that returns its
    /// status, as `string collect` would hide it (no `pipestatus` in fish 3.1).
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
            .map(|h| format!("set -q {h}; and set -lx {h} ${h}; "))
            .collect();
        out.push(&format!(
            "function __awsenv_rc; return $argv[1]; end;\n\
             set -l __awsenv_out (begin; set -lx {rerun_var} 1; {exports}{argv}; \
             or echo __awsenv_rc $status; end | string collect);\neval $__awsenv_out;\n"
        ));
    }
}
