//! nushell's form of a script. nushell has no `eval`, so awsenv prints a record, which is both
//! nushell code and NUON, and `awsenv-apply` (from `awsenv init nu`) carries it out: a string
//! sets a variable, null removes it, and three keys that no variable can have ask for what the
//! other shells do with code:
//! - `awsenv:hold`: names whose current values go into `$env.__awsenv_held`, a record, which
//!   nushell never passes to a child process (the other shells' unexported variables);
//! - `awsenv:restore`: names to put back from there (with `with`, values that only make sense
//!   with them) when all are held, else to remove, printing `warning`; the record then goes;
//! - `awsenv:rerun`: a command to run with the held values in its environment (each under the
//!   variable name in `env`, and `var=1`), whose output is applied in turn.

use crate::shell::code::{Code, ShellCode, VarName};
use crate::shell::names::{NU_HOLD as HOLD, NU_RERUN as RERUN, NU_RESTORE as RESTORE};

/// `awsenv init nu`'s file, with its placeholders.
pub const INIT: &str = include_str!("../../shell/awsenv.nu");

pub struct Nu;

/// A nushell raw string `r#'…'#`: nothing inside is special, and it ends at the first `'`
/// followed by as many `#` as it opened with. One more `#` than the longest run after any `'`
/// in the value can never occur inside it. nushell 0.108 starts that search at the opening
/// quote itself (`r#'#a'#` does not parse), so the `#`s the value starts with count as a run
/// too. Raw strings are also NUON, so `from nuon` reads the record as nushell would.
pub fn quote(value: &str) -> String {
    let mut longest = 0;
    let mut run: Option<usize> = Some(0);
    for c in value.chars() {
        run = match (c, run) {
            ('\'', _) => Some(0),
            ('#', Some(n)) => Some(n + 1),
            _ => None,
        };
        if let Some(n) = run {
            longest = longest.max(n);
        }
    }
    let hashes = "#".repeat(longest + 1);
    format!("r{hashes}'{value}'{hashes}")
}

/// One entry of the record.
fn entry(key: &str, value: &str) -> String {
    format!("  \"{key}\": {value}\n")
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", items.join(", "))
}

/// Keys are variable names (checked by the script), which need no escape in double quotes;
/// nushell does not take a raw string as a key.
fn record<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let items: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("\"{k}\": {}", quote(v)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The names are valid variable names (the script checked them).
fn hold(names: &[&str]) -> String {
    list(names.iter().copied())
}

fn restore(names: &[&str], with: &[(&str, &str)], warning: &str) -> String {
    format!(
        "{{names: {}, with: {}, warning: {}}}",
        list(names.iter().copied()),
        record(with.iter().copied()),
        quote(warning)
    )
}

fn rerun(argv: &[&str], env: &[(&str, &str)], var: &str) -> String {
    format!(
        "{{argv: {}, env: {}, var: {}}}",
        list(argv.iter().copied()),
        record(env.iter().copied()),
        quote(var)
    )
}

fn strs(names: &[VarName]) -> Vec<&str> {
    names.iter().map(VarName::as_str).collect()
}

/// A record, not code: each variable's entry replaces an earlier one (see [`Code::entry`]);
/// a string sets it, null removes it.
impl ShellCode for Nu {
    fn name(&self) -> &'static str {
        "nu"
    }

    fn programs(&self) -> &'static [&'static str] {
        &["nu", "nushell"]
    }

    fn quote(&self, value: &str) -> String {
        quote(value)
    }

    fn init_script(&self) -> &'static str {
        INIT
    }

    fn init_advice(&self) -> &'static str {
        "run `awsenv init nu | save -f ($nu.default-config-dir | path join awsenv.nu)` and \
         add `source ($nu.default-config-dir | path join awsenv.nu)` to config.nu"
    }

    fn export(&self, out: &mut Code, name: &VarName, value: &str) {
        self.restore(out, name, &quote(value));
    }

    fn unset(&self, out: &mut Code, names: &[VarName]) {
        for n in names {
            out.entry(n.as_str(), format!("  \"{n}\": null\n"));
        }
    }

    fn restore(&self, out: &mut Code, name: &VarName, value: &str) {
        out.entry(name.as_str(), format!("  \"{name}\": {value}\n"));
    }

    /// A record holds values, not references: held values come back through
    /// `awsenv:restore` (see restore_held).
    fn held_value(&self, _holder: &VarName) -> Option<String> {
        None
    }

    fn hold(&self, out: &mut Code, names: &[VarName], _holders: &[VarName]) {
        if !names.is_empty() {
            out.entry(HOLD, entry(HOLD, &hold(&strs(names))));
        }
    }

    // The record says it all (restore_held below): no blocks.
    fn if_all_set(&self, _holders: &[VarName]) -> String {
        String::new()
    }

    fn otherwise(&self) -> &'static str {
        ""
    }

    fn end_if(&self) -> &'static str {
        ""
    }

    fn warn(&self, _message: &str) -> String {
        String::new()
    }

    fn drop_holders(&self, _out: &mut Code, _holders: &[VarName]) {}

    fn restore_held(
        &self,
        out: &mut Code,
        names: &[VarName],
        _holders: &[VarName],
        with: &[(VarName, &str)],
        warning: &str,
    ) {
        let with: Vec<(&str, &str)> = with.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        let line = entry(RESTORE, &restore(&strs(names), &with, warning));
        out.entry(RESTORE, line);
    }

    fn rerun(
        &self,
        out: &mut Code,
        argv: &[&str],
        names: &[&str],
        holders: &[VarName],
        rerun_var: &VarName,
    ) {
        let env: Vec<(&str, &str)> = names
            .iter()
            .copied()
            .zip(holders.iter().map(VarName::as_str))
            .collect();
        out.entry(RERUN, entry(RERUN, &rerun(argv, &env, rerun_var.as_str())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_exact() {
        let n = ["A", "B"];
        assert_eq!(hold(&n), "[r#'A'#, r#'B'#]");
        assert_eq!(
            restore(&n[..1], &[("K", "v'#")], "w"),
            "{names: [r#'A'#], with: {\"K\": r##'v'#'##}, warning: r#'w'#}"
        );
        assert_eq!(
            rerun(&["/bin/awsenv", "assume"], &[("A", "B")], "B"),
            "{argv: [r#'/bin/awsenv'#, r#'assume'#], env: {\"A\": r#'B'#}, var: r#'B'#}"
        );
    }
}
