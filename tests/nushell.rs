//! nushell, real `nu` from npm: `--shell nu` output applied by `awsenv init nu`'s helpers,
//! sudo-on/sudo-off, the prompt segment and completions, checked with the AWS CLI against moto
//! and with the environment compared byte for byte, as for bash, zsh and fish.

mod support;

use std::collections::BTreeMap;

use support::{assert_ok, aws_vars, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

const WHOAMI: &str = "^aws sts get-caller-identity --query Arn --output text";

fn assumed(role: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/")
}

fn user(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/{name}")
}

/// The init file saved where the script sources it (nushell sources only files it can see
/// when it parses).
fn with_init(env: &Env) {
    let o = env.awsenv(&["init", "nu"]);
    assert_ok(&o);
    std::fs::write(env.path("init.nu"), &o.stdout).unwrap();
}

fn env_file(env: &Env, name: &str) -> BTreeMap<String, String> {
    aws_vars(&parse_env0(&std::fs::read(env.path(name)).unwrap()))
}

#[test]
fn nu_identity_switches_and_restores() {
    let env = Env::user("dev");
    with_init(&env);
    // No --shell: awsenv sees nu as its parent process.
    let script = format!(
        "source init.nu\n{WHOAMI}\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume {})\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n{WHOAMI}\n^env -0 o> after.env\n",
        role_arn("app/Target")
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:?} {}", stderr(&o));
    assert_eq!(lines[0], user("dev"));
    assert!(lines[1].starts_with(&assumed("Target")), "{lines:?}");
    assert_eq!(lines[2], user("dev"));
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}

#[test]
fn nu_nasty_values_come_back() {
    let originals: BTreeMap<&str, &str> = [
        ("AWS_ACCESS_KEY_ID", "AKIA'\"$(touch CANARY)"),
        ("AWS_SECRET_ACCESS_KEY", "sec\\ret'#\nwith newline\\'##"),
        ("AWS_SESSION_TOKEN", "tok`touch CANARY`\r\t*{}"),
        ("AWS_SECURITY_TOKEN", ""),
        ("AWS_PROFILE", "pro file \u{2018}x\u{2019} ünï null"),
        ("AWS_DEFAULT_PROFILE", "!!$HOME ($env.HOME)"),
        ("AWS_REGION", "eu-west-1\\"),
        ("AWS_ACCOUNT_ID", "000000000000"),
        ("AWS_ROLE_SESSION_NAME", "'#; touch CANARY; '"),
    ]
    .into();
    let mut env = Env::user("dev").remove("AWS_DEFAULT_REGION");
    for (k, v) in &originals {
        env = env.set(k, v);
    }
    env.write_credentials(&[("devprofile", "dev")]);
    with_init(&env);
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume -p devprofile -r us-east-1 {})\n{WHOAMI}\n\
         awsenv-apply (^awsenv assume -p devprofile -r us-east-1 awsenv-demo)\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n^env -0 o> after.env\n",
        role_arn("app/Target")
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert!(lines[0].starts_with(&assumed("Target")), "{lines:?}");
    assert!(lines[1].starts_with(&assumed("awsenv-demo")), "{lines:?}");
    let (before, after) = (env_file(&env, "before.env"), env_file(&env, "after.env"));
    assert_eq!(before, after);
    for (k, v) in &originals {
        assert_eq!(after.get(*k).map(String::as_str), Some(*v), "{k}");
    }
    assert!(!after.contains_key("AWS_DEFAULT_REGION"));
    assert!(!env.path("CANARY").exists());
}

#[test]
fn nu_sudo_on_and_off_with_prompt() {
    let env = Env::user("dev");
    with_init(&env);
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         sudo-on {target} -d 1h\n{WHOAMI}\nprint (awsenv_prompt)\n\
         sudo-on {demo}\n{WHOAMI}\n\
         sudo-off\n{WHOAMI}\n\
         sudo-on\n{WHOAMI}\nsudo-off\n^env -0 o> after.env\n\
         sudo-on --simulate my-task --base-role power-user --quiet\n{WHOAMI}\nprint (awsenv_prompt)\n\
         sudo-off\n{WHOAMI}\n",
        target = role_arn("app/Target"),
        demo = role_arn("awsenv-demo"),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "{out}\n{}", stderr(&o));
    assert!(lines[0].starts_with(&assumed("Target")), "{out}");
    assert!(
        lines[1] == "aws:Target 1h0m" || lines[1] == "aws:Target 59m",
        "{out}"
    );
    assert!(lines[2].starts_with(&assumed("awsenv-demo")), "{out}");
    assert_eq!(lines[3], user("dev"));
    assert!(
        lines[4].starts_with(&assumed("awsenv-demo")),
        "repeats the last role: {out}"
    );
    assert!(lines[5].starts_with(&assumed("power-user")), "{out}");
    assert!(lines[6].starts_with("aws:my-task(sim) "), "{out}");
    assert_eq!(lines[7], user("dev"));
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}

#[test]
fn nu_failed_sudo_on_changes_nothing_and_keeps_the_status() {
    let env = Env::user("dev").set("AWSENV_DEFAULT_ROLE", &role_arn("awsenv-demo"));
    with_init(&env);
    let script = format!(
        "source init.nu\nsudo-on\n{WHOAMI}\n\
         try {{ sudo-on Untrusted }} catch {{ print $\"status=($env.LAST_EXIT_CODE)\" }}\n{WHOAMI}\n"
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with(&assumed("awsenv-demo")), "{out}");
    assert_eq!(lines[1], "status=5", "{out}");
    assert!(lines[2].starts_with(&assumed("awsenv-demo")), "{out}");
    assert!(stderr(&o).contains("trust policy"), "{}", stderr(&o));

    let env = Env::user("dev");
    with_init(&env);
    let o = env.shell("nu", "source init.nu\nsudo-on");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("AWSENV_DEFAULT_ROLE"), "{}", stderr(&o));
}

#[test]
fn nu_prompt_states() {
    let env = Env::bare();
    with_init(&env);
    // Far enough past 2h1m that nu's start-up time cannot round it down.
    let far = (awsenv::creds::now() + 2 * 3600 + 90).to_string();
    let script = [
        "source init.nu",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_ROLE = 'my-role'",
        &format!("$env.AWSENV_EXPIRES_AT = '{far}'"),
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_SIMULATED_BY = 'arn:aws:iam::1:role/b'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_EXPIRES_AT = '1'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_PROMPT_FORMAT = '[%r: %t]'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_PROMPT_EXPIRED_COLOR = '31'",
        "print $'(awsenv_prompt)|'",
        "$env.PROMPT_COMMAND_RIGHT = {|| awsenv_prompt }",
        "print $'(do $env.PROMPT_COMMAND_RIGHT)|'",
    ]
    .join("\n");
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let segs: Vec<&str> = out.split("|\n").collect();
    assert_eq!(segs[0], "");
    assert_eq!(segs[1], "aws:my-role 2h2m");
    assert_eq!(segs[2], "aws:my-role(sim) 2h2m");
    assert_eq!(segs[3], "aws:my-role(sim) expired");
    assert_eq!(segs[4], "[my-role(sim): expired]");
    assert_eq!(segs[5], "\u{1b}[31m[my-role(sim): expired]\u{1b}[0m");
    assert_eq!(segs[6], segs[5], "as the default prompt's right segment");
}

#[test]
fn nu_init_marks_the_shell_and_completions_load() {
    let env = Env::bare();
    with_init(&env);
    let o = env.awsenv(&["completions", "nu"]);
    assert_ok(&o);
    std::fs::write(env.path("completions.nu"), &o.stdout).unwrap();
    let o = env.shell(
        "nu",
        "source init.nu\nprint $env.AWSENV_INIT\nprint ($nu.pid)\n\
         use completions.nu *\nprint (scope externs | where name == 'awsenv assume' | length)",
    );
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("nu:{}", lines[1]));
    assert_eq!(lines[2], "1", "{out}");
}

/// Assuming again while a role is active starts from the user's own keys, which only the nu
/// that assumed holds (`$env.__awsenv_held`, never passed to a child): awsenv asks it to run
/// awsenv again with them, through `awsenv:rerun`, and the secret is never printed.
#[test]
fn nu_reassume_starts_from_the_held_originals() {
    let env = Env::user("dev");
    with_init(&env);
    let secret = &support::moto().keys["dev"].secret;
    let script = format!(
        "source init.nu\n\
         awsenv-apply (^awsenv assume --no-cache {demo})\n\
         print (^env | lines | where {{|l| $l | str contains {q} }} | length)\n\
         let again = (^awsenv assume --no-cache {target})\n\
         print ($again | str contains 'awsenv:rerun') ($again | str contains {q})\n\
         awsenv-apply $again\n{WHOAMI}\nprint $env.AWSENV_SOURCE\n\
         awsenv-apply (^awsenv unset)\n{WHOAMI}\nprint ($env.__awsenv_held? == null)\n",
        demo = role_arn("awsenv-demo"),
        target = role_arn("app/Target"),
        q = awsenv::shell::Shell::Nu.quote(secret),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}\n{}", stderr(&o));
    assert_eq!(lines[0], "0", "no child process sees the held secret");
    assert_eq!(
        lines[1], "true",
        "the second assume asks to be run again: {out}"
    );
    assert_eq!(lines[2], "false", "without printing the secret");
    assert!(lines[3].starts_with(&assumed("Target")), "{out}");
    assert_eq!(lines[4], format!("env:{}", support::moto().keys["dev"].id));
    assert_eq!(lines[5], user("dev"));
    assert_eq!(lines[6], "true", "the held record goes with unset");
}

/// A child nu has none of its parent's held values: its unset drops the role there, says
/// why, and leaves the parent's originals, which the parent's own unset restores exactly.
#[test]
fn nu_child_unset_keeps_the_parents_originals() {
    let env = Env::user("dev");
    with_init(&env);
    let nu = support::nu();
    let child = "source init.nu; awsenv-apply (^awsenv unset); ^env -0 o> child.env";
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume {})\n\
         ^{} --no-config-file -c {}\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n^env -0 o> after.env\n{WHOAMI}\n",
        role_arn("awsenv-demo"),
        nu.display(),
        awsenv::shell::Shell::Nu.quote(child),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&assumed("awsenv-demo")),
        "{out}\n{}",
        stderr(&o)
    );
    assert_eq!(lines[1], user("dev"));
    let child_env = parse_env0(&std::fs::read(env.path("child.env")).unwrap());
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWSENV_ROLE",
    ] {
        assert!(!child_env.contains_key(k), "{k} left in the child");
    }
    assert!(
        stderr(&o).contains("held by the shell where the role was first assumed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}
