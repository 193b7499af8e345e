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

use crate::shell::quote;

pub const HOLD: &str = "awsenv:hold";
pub const RESTORE: &str = "awsenv:restore";
pub const RERUN: &str = "awsenv:rerun";

/// One entry of the record.
pub fn entry(key: &str, value: &str) -> String {
    format!("  \"{key}\": {value}\n")
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote::nu).collect();
    format!("[{}]", items.join(", "))
}

/// Keys are variable names (checked by the script), which need no escape in double quotes;
/// nushell does not take a raw string as a key.
fn record<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let items: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("\"{k}\": {}", quote::nu(v)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The names are valid variable names (the script checked them).
pub fn hold(names: &[&str]) -> String {
    list(names.iter().copied())
}

pub fn restore(names: &[&str], with: &[(&str, &str)], warning: &str) -> String {
    format!(
        "{{names: {}, with: {}, warning: {}}}",
        list(names.iter().copied()),
        record(with.iter().copied()),
        quote::nu(warning)
    )
}

pub fn rerun(argv: &[&str], env: &[(&str, &str)], var: &str) -> String {
    format!(
        "{{argv: {}, env: {}, var: {}}}",
        list(argv.iter().copied()),
        record(env.iter().copied()),
        quote::nu(var)
    )
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
