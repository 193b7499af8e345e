//! Issue 12, item 9: the hooks and wrappers under the shell options users run with. Each case
//! loads the integration, assumes a role, runs the prompt hook (with a refresh from the cache),
//! assumes again from the last command, and restores, in real bash, zsh and fish. The whole
//! environment must be exactly as before, the role must be what the AWS CLI sees in between,
//! and nothing may appear on stderr.

mod support;

use std::collections::BTreeMap;

use support::{assert_ok, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

/// The variables a role may change while it is active.
const ROLE_VARS: [&str; 4] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
];

struct Case {
    shell: &'static str,
    name: &'static str,
    /// Run before the integration is loaded.
    prelude: &'static str,
    /// Load the integration twice (a re-read rc file).
    twice: bool,
}

fn init(shell: &str) -> &'static str {
    match shell {
        "bash" => "eval \"$(awsenv init bash)\"",
        "zsh" => "eval \"$(awsenv init zsh)\"",
        _ => "awsenv init fish | source",
    }
}

/// The prompt as the shell runs it: bash's PROMPT_COMMAND (a string, or an array since 5.1),
/// zsh's precmd functions, fish's fish_prompt event. In bash's string case `$?` is 1 when the
/// hook starts (the `if` test failed), as at a real prompt after `false && x`: under `set -e` a
/// hook that passed that status on would end the shell.
fn prompt(shell: &str) -> &'static str {
    match shell {
        "bash" => {
            "if [[ \"$(declare -p PROMPT_COMMAND)\" == 'declare -a'* ]]; then \
             for __pc in \"${PROMPT_COMMAND[@]}\"; do eval \"$__pc\"; done; \
             else eval \"$PROMPT_COMMAND\"; fi"
        }
        "zsh" => "for __pc in \"${precmd_functions[@]}\"; do \"$__pc\"; done",
        _ => "emit fish_prompt",
    }
}

/// How many times the hook is registered.
fn hooks(shell: &str) -> &'static str {
    match shell {
        "bash" => {
            "printf '%s\\n' \"${PROMPT_COMMAND[@]}\" | tr ';' '\\n' | grep -c '^__awsenv_hook$'"
        }
        "zsh" => "print -rl -- \"${precmd_functions[@]}\" | grep -c '^__awsenv_hook$'",
        _ => "functions --handlers-type generic | grep -c '__awsenv_hook'",
    }
}

fn script(case: &Case) -> String {
    let sh = case.shell;
    let demo = role_arn("awsenv-demo");
    let set = |k: &str, v: &str| match sh {
        "fish" => format!("set -gx {k} {v}"),
        _ => format!("export {k}={v}"),
    };
    let soon = match sh {
        "fish" => "(math (date +%s) + 100)",
        _ => "$(( $(date +%s) + 100 ))",
    };
    let mut s = format!("{}\n{}\n", case.prelude, init(sh));
    s += "env -0 > before.env\n";
    s += &format!("sudo-on {demo} -d 2h\n");
    if case.twice {
        // Loaded again with a role active: the last command and the hook must survive.
        s += &format!("{}\n", init(sh));
    }
    s += &format!("{}\n", prompt(sh));
    s += "aws sts get-caller-identity --query Arn --output text\n";
    s += "env -0 > during.env\n";
    s += &format!(
        "{}\n{}\n",
        set("AWSENV_AUTO_REFRESH", "1"),
        set("AWSENV_EXPIRES_AT", soon)
    );
    s += &format!("{}\n{}\n", prompt(sh), prompt(sh));
    s += "env -0 > refreshed.env\n";
    // The warning path: once per session, however many prompts.
    s += &format!(
        "{}\n{}\n",
        set("AWSENV_AUTO_REFRESH", "0"),
        set("AWSENV_WARN_BEFORE", "90000")
    );
    s += &format!("{}\n{}\n", prompt(sh), prompt(sh));
    s += match sh {
        "fish" => "set -e AWSENV_WARN_BEFORE\n",
        _ => "unset AWSENV_WARN_BEFORE\n",
    };
    s += "sudo-on\n";
    s += "aws sts get-caller-identity --query Arn --output text\n";
    s += match sh {
        "fish" => "set -e AWSENV_AUTO_REFRESH\n",
        _ => "unset AWSENV_AUTO_REFRESH\n",
    };
    s += "sudo-off\n";
    s += &format!("{}\n", prompt(sh));
    s += "env -0 > after.env\n";
    s += &format!("{}\n", hooks(sh));
    s += "echo done\n";
    s
}

fn read(env: &Env, file: &str) -> BTreeMap<String, String> {
    parse_env0(&std::fs::read(env.path(file)).unwrap())
}

fn run(case: Case) {
    let env = Env::user("dev");
    let o = env.shell(case.shell, &script(&case));
    let what = format!("{} {}", case.shell, case.name);
    assert_ok(&o);
    let err = stderr(&o);
    let warning = "awsenv: awsenv-demo expires in 1";
    assert!(
        err.starts_with(warning)
            && err.ends_with("m; run sudo-on to renew\n")
            && err.lines().count() == 1,
        "{what}: one warning and nothing else on stderr: {err}"
    );
    let out = stdout(&o);
    let assumed = format!("arn:aws:sts::{ACCOUNT}:assumed-role/awsenv-demo/");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{what}: {out}");
    assert!(lines[0].starts_with(&assumed), "{what}: {out}");
    assert!(
        lines[1].starts_with(&assumed),
        "{what}: sudo-on repeats the last role: {out}"
    );
    assert_eq!(lines[2], "1", "{what}: the hook is registered once");
    assert_eq!(lines[3], "done", "{what}");

    let before = read(&env, "before.env");
    assert_eq!(before, read(&env, "after.env"), "{what}: exactly as before");
    for file in ["during.env", "refreshed.env"] {
        let during = read(&env, file);
        assert_eq!(during["AWSENV_ROLE"], "awsenv-demo", "{what}");
        assert_ne!(
            during["AWS_ACCESS_KEY_ID"], before["AWS_ACCESS_KEY_ID"],
            "{what}"
        );
        for k in before.keys().chain(during.keys()) {
            if before.get(k) != during.get(k) {
                assert!(
                    ROLE_VARS.contains(&k.as_str()) || k.starts_with("AWSENV_"),
                    "{what}: {k} changed in {file}"
                );
            }
        }
    }
    // The refresh took the cached session, whose expiry is the real one (~2 h away).
    let at: i64 = read(&env, "refreshed.env")["AWSENV_EXPIRES_AT"]
        .parse()
        .unwrap();
    assert!(at > awsenv::creds::now() + 3600, "{what}: refreshed");
}

macro_rules! cases {
    ($($test:ident: $shell:literal, $prelude:literal, $twice:literal;)*) => {$(
        #[test]
        fn $test() {
            run(Case { shell: $shell, name: stringify!($test), prelude: $prelude, twice: $twice });
        }
    )*};
}

cases! {
    bash_plain: "bash", "", false;
    bash_nounset: "bash", "set -u", false;
    bash_errexit: "bash", "set -e", false;
    bash_pipefail: "bash", "set -o pipefail", false;
    bash_all_three: "bash", "set -euo pipefail", false;
    bash_sourced_twice: "bash", "set -u", true;
    bash_prompt_command_array_sourced_twice: "bash", "set -u; PROMPT_COMMAND=(true)", true;
    bash_prompt_command_string_sourced_twice: "bash", "PROMPT_COMMAND='true'", true;
    zsh_plain: "zsh", "", false;
    zsh_nounset: "zsh", "setopt nounset", false;
    zsh_no_unset: "zsh", "setopt NO_UNSET", false;
    zsh_errexit: "zsh", "set -e", false;
    zsh_pipefail: "zsh", "setopt pipefail", false;
    zsh_ksh_arrays: "zsh", "setopt KSH_ARRAYS", false;
    zsh_sh_word_split: "zsh", "setopt SH_WORD_SPLIT", false;
    zsh_everything: "zsh", "setopt NO_UNSET ERR_EXIT PIPE_FAIL KSH_ARRAYS SH_WORD_SPLIT", false;
    zsh_sourced_twice: "zsh", "setopt NO_UNSET KSH_ARRAYS", true;
    fish_plain: "fish", "", false;
    fish_sourced_twice: "fish", "", true;
}

/// A role marker without the others (set by another tool, or by an older awsenv): the hook
/// reads every marker guarded, under `set -u` / NO_UNSET.
fn hook_with_only_the_role_marker(shell: &str, prelude: &str) {
    let env = Env::bare()
        .set("AWSENV_ROLE", "r")
        .set("AWSENV_EXPIRES_AT", "1")
        .set("AWSENV_WARN_BEFORE", "60");
    let o = env.shell(
        shell,
        &format!(
            "{prelude}\n{}\n{}\n{}\necho done",
            init(shell),
            prompt(shell),
            prompt(shell)
        ),
    );
    assert_ok(&o);
    assert_eq!(stdout(&o), "done\n");
    assert_eq!(
        stderr(&o),
        "awsenv: r has expired; run sudo-on to renew or sudo-off\n"
    );
}

support::for_shells!(hook_with_only_the_role_marker: bash("set -u"), zsh("setopt NO_UNSET KSH_ARRAYS SH_WORD_SPLIT"));
