//! The user's own values are never lost and never copied to disk: the originals' secrets stay
//! in the shell that assumed the role (unexported variables the restore code reads), so a
//! refused or failed command, another shell's `unset` or a child shell cannot take them, and
//! no file and no child process ever sees them. Real shells, moto in auth mode, the AWS CLI.

mod support;

use support::{
    assert_fails, assert_ok, eval_line, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT,
};

const WHOAMI: &str = "aws sts get-caller-identity --query Arn --output text";

fn dev() -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/dev")
}

/// How each shell runs a child of its own kind with a script.
fn child(shell: &str, script: &str) -> String {
    let quoted = awsenv::shell::Shell::Bash.quote(script);
    match shell {
        "bash" => format!("bash --noprofile --norc -c {quoted}"),
        "zsh" => format!("zsh --no-rcs -c {quoted}"),
        _ => format!("fish --no-config -c {quoted}"),
    }
}

/// A child shell's `unset` drops the role there and leaves its parent's originals alone; the
/// parent's own `unset` then restores them byte for byte.
fn child_unset_keeps_the_parents_originals(shell: &str) {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let script = format!(
        "env -0 > before.env\n{}\n{}\n{WHOAMI}\n{}\nenv -0 > after.env\n{WHOAMI}\n",
        eval_line(shell, &format!("assume {demo}")),
        child(
            shell,
            &format!(
                "{}; env -0 > child.env",
                eval_line(shell, "unset").trim_end()
            )
        ),
        eval_line(shell, "unset"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{shell}: {out}\n{}", stderr(&o));
    assert!(
        lines[0].starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/awsenv-demo/")),
        "{shell}: {out}"
    );
    assert_eq!(lines[1], dev(), "{shell}");
    let child_env = parse_env0(&std::fs::read(env.path("child.env")).unwrap());
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWSENV_ROLE",
    ] {
        assert!(!child_env.contains_key(k), "{shell}: {k} left in the child");
    }
    assert!(
        stderr(&o).contains("held by the shell where the role was first assumed"),
        "{shell}: {}",
        stderr(&o)
    );
    let before = parse_env0(&std::fs::read(env.path("before.env")).unwrap());
    let after = parse_env0(&std::fs::read(env.path("after.env")).unwrap());
    assert_eq!(
        support::aws_vars(&before),
        support::aws_vars(&after),
        "{shell}"
    );
}

support::for_shells!(child_unset_keeps_the_parents_originals: bash, zsh, fish);

/// `unset` on a terminal (nothing evaluated) and a failing command change nothing: the
/// originals still come back afterwards.
#[test]
fn refused_and_failed_commands_lose_nothing() {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let script = format!(
        "{}\nscript -qec 'awsenv unset -s bash' /dev/null > /dev/null\n\
         awsenv unset -s nosuchshell 2>/dev/null\neval \"$(awsenv assume -s bash NoSuchRole 2>/dev/null)\" || true\n\
         {}\n{WHOAMI}\nprintf '%s\\n' \"$AWS_SECRET_ACCESS_KEY\"\n",
        eval_line("bash", &format!("assume {demo}")),
        eval_line("bash", "unset"),
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    let secret = &support::moto().keys["dev"].secret;
    assert_eq!(
        stdout(&o),
        format!("{}\n{secret}\n", dev()),
        "{}",
        stderr(&o)
    );
}

/// No secret of the user's in any file awsenv writes, nor in any child process's environment.
/// The cache is on (it is where a session is written) and all of HOME is read: the cache and
/// its session files must be there for the scan to mean anything.
#[test]
fn the_users_secret_reaches_no_file_and_no_child() {
    let secret = support::moto().keys["dev"].secret.clone();
    let env = Env::user("dev");
    let runtime = env.path("run");
    std::fs::create_dir(&runtime).unwrap();
    let env = env.set("XDG_RUNTIME_DIR", runtime.to_str().unwrap());
    let demo = role_arn("awsenv-demo");
    // While the role is active (no `unset`: that would tidy up the evidence), and for a command
    // run with `exec`.
    for shell in ["bash", "zsh", "fish"] {
        let script = format!(
            "{}\nenv -0 > child-{shell}.env\n",
            eval_line(shell, &format!("assume {demo}")),
        );
        assert_ok(&env.shell(shell, &script));
    }
    let o = env
        .command(support::awsenv_bin())
        .args(["exec", &demo, "--", "sh", "-c", "env > exec.env"])
        .output()
        .unwrap();
    assert_ok(&o);
    for f in [
        "child-bash.env",
        "child-zsh.env",
        "child-fish.env",
        "exec.env",
    ] {
        let seen = std::fs::read(env.path(f)).unwrap();
        assert!(
            !seen.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the user's secret is in {f}"
        );
    }
    let sessions: Vec<_> = std::fs::read_dir(env.path("cache/sessions"))
        .expect("the cache was used")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .collect();
    assert!(!sessions.is_empty(), "no session was cached");
    let scanned = support::files_under(env.home.path());
    assert!(
        scanned.len() > sessions.len() + 4,
        "the scan of HOME missed files: {scanned:?}"
    );
    let files = support::files_containing(env.home.path(), secret.as_bytes());
    assert!(files.is_empty(), "the user's secret written to {files:?}");
}

/// Assuming again while a role is active starts from the user's own credentials, which only
/// the shell holds: awsenv asks the shell to run it again with them, and nothing is printed.
fn reassume_starts_from_the_originals(shell: &str) {
    let env = Env::user("dev");
    let script = format!(
        "{}\n{}\n{WHOAMI}\necho \"$AWSENV_SOURCE\"\n{}\n{WHOAMI}\n",
        eval_line(
            shell,
            &format!("assume --no-cache {}", role_arn("awsenv-demo"))
        ),
        eval_line(
            shell,
            &format!("assume --no-cache {}", role_arn("app/Target"))
        ),
        eval_line(shell, "unset"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{shell}: {out}\n{}", stderr(&o));
    assert!(
        lines[0].starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/Target/")),
        "{shell}: {out}"
    );
    let key = &support::moto().keys["dev"].id;
    assert_eq!(lines[1], format!("env:{key}"), "{shell}");
    assert_eq!(lines[2], dev(), "{shell}");
}

support::for_shells!(reassume_starts_from_the_originals: bash, zsh, fish);

/// Commands that cannot hand code back to the shell say what to do instead.
#[test]
fn exec_while_active_says_how() {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let o = env.shell(
        "bash",
        &format!(
            "{}\nawsenv exec --no-cache {demo} -- true",
            eval_line("bash", &format!("assume {demo}"))
        ),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("held by your shell"), "{}", stderr(&o));
}

/// A role set without saved state (direnv's way) is dropped whole by `unset`: keys too.
#[test]
fn unset_drops_a_role_direnv_set() {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let o = env.shell(
        "bash",
        &format!(
            "{}\n{}\nenv -0 > after.env",
            eval_line("bash", &format!("assume {demo}"))
                .replace("$(awsenv", "$(AWSENV_NO_SAVE=1 awsenv"),
            eval_line("bash", "unset"),
        ),
    );
    assert_ok(&o);
    let after = parse_env0(&std::fs::read(env.path("after.env")).unwrap());
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWSENV_ROLE",
    ] {
        assert!(!after.contains_key(k), "{k} left behind");
    }
    // And with nothing active at all, it still says so.
    let o = Env::user("dev").awsenv(&["unset", "-s", "bash"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("no awsenv role is active"));
    let o = Env::user("dev").awsenv(&["unset", "-s", "nosuchshell"]);
    assert_fails(&o, 2, "nosuchshell");
}
