//! Issue 21, item 6: the shell's own variables that awsenv manages but never sees, because they
//! are not exported (bash `AWS_REGION=x`, zsh `typeset AWS_REGION=x`, fish `set -g`). Restore
//! used to bring them back exported, or not at all. Now each comes back as it was: its value,
//! exported or not, and in fish its scope, under the options the shell_options tests cover.
//! Each case compares the shell's own account of every managed variable (`declare -p`,
//! `typeset -p`, `set -S`) before the first `sudo-on` and after `sudo-off`, byte for byte, and
//! the whole environment too. (nushell has no unexported variables: `$env` is exported.)
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

mod support;

use std::collections::BTreeMap;

use support::{assert_ok, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

use awsenv::env::vars::MANAGED;

struct Case {
    shell: &'static str,
    /// The user's own unexported (and, for fish, universal) variables.
    vars: &'static str,
    /// Options, set after the variables (under `set -a` they would be exported).
    options: &'static str,
    /// fish: with universal variables (plain `fish -c`, which loads and saves them).
    universal: bool,
}

fn init(shell: &str) -> &'static str {
    match shell {
        "bash" => "eval \"$(awsenv init bash)\"",
        "zsh" => "eval \"$(awsenv init zsh)\"",
        _ => "awsenv init fish | source",
    }
}

/// The shell's own account of every managed variable: value, exported or not, scope.
fn state(shell: &str, file: &str) -> String {
    let names = MANAGED.join(" ");
    match shell {
        "bash" => format!(
            "for __v in {names}; do declare -p \"$__v\" 2>/dev/null || echo \"unset $__v\"; done > {file}"
        ),
        "zsh" => format!(
            "for __v in {names}; do typeset -p \"$__v\" 2>/dev/null || echo \"unset $__v\"; done > {file}"
        ),
        _ => format!(
            "for __v in {names}; if set -q $__v; set -S $__v; else; echo unset $__v; end; end > {file}"
        ),
    }
}

fn script(case: &Case) -> String {
    let sh = case.shell;
    [
        case.vars,
        case.options,
        init(sh),
        &state(sh, "before.state"),
        "env -0 > before.env",
        &format!("sudo-on {} -r us-west-2 -d 1h", role_arn("awsenv-demo")),
        "aws sts get-caller-identity --query Arn --output text",
        &format!("sudo-on {}", role_arn("app/Target")),
        "aws sts get-caller-identity --query Arn --output text",
        "sudo-off",
        &state(sh, "after.state"),
        "env -0 > after.env",
        "aws sts get-caller-identity --query Arn --output text",
    ]
    .join("\n")
}

fn run(case: Case) {
    let env = Env::user("dev");
    let o = if case.universal {
        // Its own config dir: the universal variables are this test's alone.
        let xdg = env.path("xdg");
        env.command(support::require("fish"))
            .env("XDG_CONFIG_HOME", &xdg)
            .args(["-c", &script(&case)])
            .output()
            .unwrap()
    } else {
        env.shell(case.shell, &script(&case))
    };
    let what = format!("{} {} {}", case.shell, case.vars, case.options);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{what}: {out}\n{}", stderr(&o));
    let assumed = |r: &str| format!("arn:aws:sts::{ACCOUNT}:assumed-role/{r}/");
    assert!(
        lines[0].starts_with(&assumed("awsenv-demo")),
        "{what}: {out}"
    );
    assert!(lines[1].starts_with(&assumed("Target")), "{what}: {out}");
    assert_eq!(
        lines[2],
        format!("arn:aws:iam::{ACCOUNT}:user/dev"),
        "{what}"
    );
    let read = |f: &str| std::fs::read_to_string(env.path(f)).unwrap();
    let before = read("before.state");
    // The scan must see what it compares: the user's variables are in it.
    assert!(
        before.lines().filter(|l| !l.starts_with("unset ")).count() >= 3,
        "{what}: {before}"
    );
    assert_eq!(before, read("after.state"), "{what}: as before");
    let env0 =
        |f: &str| -> BTreeMap<String, String> { parse_env0(&std::fs::read(env.path(f)).unwrap()) };
    assert_eq!(env0("before.env"), env0("after.env"), "{what}: environment");
}

macro_rules! cases {
    ($($test:ident: $shell:literal, $vars:literal, $options:literal, $universal:literal;)*) => {$(
        #[test]
        fn $test() {
            run(Case { shell: $shell, vars: $vars, options: $options, universal: $universal });
        }
    )*};
}

cases! {
    bash_plain: "bash", "AWS_REGION=eu-west-3; AWS_PROFILE='my profile'; AWS_ROLE_ARN=", "", false;
    bash_allexport: "bash", "AWS_REGION=eu-west-3; AWS_PROFILE='my profile'; AWS_ROLE_ARN=", "set -a", false;
    bash_nounset: "bash", "AWS_REGION=eu-west-3; AWS_PROFILE='my profile'; AWS_ROLE_ARN=", "set -u", false;
    bash_all_three: "bash", "AWS_REGION=eu-west-3; AWS_PROFILE='my profile'; AWS_ROLE_ARN=", "set -euo pipefail", false;
    zsh_plain: "zsh", "typeset AWS_REGION=eu-west-3; typeset AWS_PROFILE='my profile'; typeset AWS_ROLE_ARN=", "", false;
    zsh_all_export: "zsh", "typeset AWS_REGION=eu-west-3; typeset AWS_PROFILE='my profile'; typeset AWS_ROLE_ARN=", "setopt ALL_EXPORT", false;
    zsh_ksh_arrays: "zsh", "typeset AWS_REGION=eu-west-3; typeset AWS_PROFILE='my profile'; typeset AWS_ROLE_ARN=", "setopt NO_UNSET KSH_ARRAYS SH_WORD_SPLIT", false;
    zsh_everything: "zsh", "typeset AWS_REGION=eu-west-3; typeset AWS_PROFILE='my profile'; typeset AWS_ROLE_ARN=", "setopt ALL_EXPORT NO_UNSET ERR_EXIT PIPE_FAIL KSH_ARRAYS SH_WORD_SPLIT", false;
    fish_plain: "fish", "set -g AWS_DEFAULT_PROFILE x; set -g AWS_REGION eu-west-3; set -g AWS_ROLE_ARN a 'b c'", "", false;
    fish_universals: "fish", "set -g AWS_DEFAULT_PROFILE x; set -U AWS_ROLE_SESSION_NAME uni; set -U AWS_ACCOUNT_ID 000000000000; set -g AWS_ACCOUNT_ID shadow; set -g AWS_REGION eu-west-3", "", true;
}
