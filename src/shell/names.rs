//! The names that awsenv's Rust code and the bundled scripts in `shell/` share. Each is defined
//! here once; the scripts spell it as a placeholder, `__AWSENV_<KEY>__`, which `awsenv init`
//! fills in ([`fill`]) as it prints them (starship's `::STARSHIP::` model). The placeholders are
//! identifiers and so valid wherever a name stands in each shell: the stored files still pass
//! their own linters. `tests/shared_names.rs` fails on a placeholder left unfilled and on any of
//! these names spelled literally in `shell/`.

/// Prefix of the unexported shell variable that holds the user's own value of a secret
/// variable while a role is active (the emitted code, and the refresh jobs of fish and
/// PowerShell, which pass them on).
pub const HOLDER_PREFIX: &str = "__awsenv_saved_";

/// Prefix of the unexported shell variable that holds the value of a managed variable that was
/// set in the shell but not exported (awsenv never sees those) when the first role was assumed,
/// so that the restore puts it back unexported.
pub const LOCAL_PREFIX: &str = "__awsenv_local_";

/// Set in the environment of an awsenv that the emitted code runs again with the shell's held
/// values: if they are still missing, asking the shell once more would loop.
pub const RERUN: &str = "AWSENV_RERUN";

/// fish: the unexported global list of the managed variables that were globals when the first
/// role was assumed.
pub const FISH_GLOBALS: &str = "__awsenv_globals";

/// Set by the wrappers (sudo-on, sudo-off, the hooks, direnv's helper): awsenv then prints only
/// its own shell code on stdout, since whatever it prints is evaluated.
pub const WRAPPER: &str = "AWSENV_WRAPPER";

/// `<shell>:<pid>` of the shell that loaded the integration (read by `awsenv doctor`).
pub const INIT_MARKER: &str = "AWSENV_INIT";

/// Set where no one can answer a prompt (background refreshes, direnv): awsenv asks for no MFA
/// code.
pub const NO_PROMPT: &str = "AWSENV_NO_PROMPT";

/// Set by direnv's helper: direnv restores the environment itself, so nothing is saved.
pub const NO_SAVE: &str = "AWSENV_NO_SAVE";

/// The least life a cached session must have left (the setting behind `--min-ttl`).
pub const MIN_TTL: &str = "AWSENV_MIN_TTL";

// The markers of the active role that the prompts and hooks read.
pub const AWSENV_ROLE: &str = "AWSENV_ROLE";
pub const AWSENV_SESSION_ARN: &str = "AWSENV_SESSION_ARN";
pub const AWSENV_SIMULATED_BY: &str = "AWSENV_SIMULATED_BY";
pub const AWSENV_EXPIRES_AT: &str = "AWSENV_EXPIRES_AT";
/// The credential endpoint this environment uses (src/endpoint); no secret.
pub const AWSENV_SERVER: &str = "AWSENV_SERVER";

/// nushell's record: keys that no variable can have, for what the other shells do in code
/// (see `nu.rs`).
pub const NU_HOLD: &str = "awsenv:hold";
pub const NU_RESTORE: &str = "awsenv:restore";
pub const NU_RERUN: &str = "awsenv:rerun";

/// Every shared name, by the key of its placeholder (`__AWSENV_<KEY>__`).
pub const SHARED: &[(&str, &str)] = &[
    ("HOLDER_PREFIX", HOLDER_PREFIX),
    ("RERUN", RERUN),
    ("FISH_GLOBALS", FISH_GLOBALS),
    ("WRAPPER", WRAPPER),
    ("INIT", INIT_MARKER),
    ("NO_PROMPT", NO_PROMPT),
    ("NO_SAVE", NO_SAVE),
    ("MIN_TTL", MIN_TTL),
    ("ROLE", AWSENV_ROLE),
    ("SESSION_ARN", AWSENV_SESSION_ARN),
    ("SIMULATED_BY", AWSENV_SIMULATED_BY),
    ("EXPIRES_AT", AWSENV_EXPIRES_AT),
    ("SERVER", AWSENV_SERVER),
    ("NU_HOLD", NU_HOLD),
    ("NU_RESTORE", NU_RESTORE),
    ("NU_RERUN", NU_RERUN),
];

/// How a placeholder starts and ends.
pub const OPEN: &str = "__AWSENV_";
pub const CLOSE: &str = "__";

/// `template` with every placeholder replaced by its name. Only `awsenv init` calls it.
pub fn fill(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let found = SHARED.iter().find(|(key, _)| {
            after
                .strip_prefix(key)
                .is_some_and(|tail| tail.starts_with(CLOSE))
        });
        match found {
            Some((key, name)) => {
                out.push_str(name);
                rest = &after[key.len() + CLOSE.len()..];
            }
            // Not one of ours: left as it is, for the test to find.
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_each_placeholder_and_only_whole_ones() {
        assert_eq!(
            fill("$__AWSENV_ROLE__ '__AWSENV_HOLDER_PREFIX__*' __AWSENV_SESSION_ARN__"),
            "$AWSENV_ROLE '__awsenv_saved_*' AWSENV_SESSION_ARN"
        );
        assert_eq!(fill("__AWSENV_NOPE__ x"), "__AWSENV_NOPE__ x");
        assert_eq!(fill("__AWSENV_ROLES__"), "__AWSENV_ROLES__");
        let keys: Vec<&str> = SHARED.iter().map(|(k, _)| *k).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{k} twice");
        }
    }
}
