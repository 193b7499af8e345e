//! `awsenv doctor` against moto, in real shells, and with deliberately broken setups: each
//! finding is checked, and the exit status is 15 exactly when there is a problem.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::{assert_ok, require, role_arn, stderr, stdout, Env, ACCOUNT};

/// The report line for `topic`, without its level mark.
fn line<'a>(out: &'a str, topic: &str) -> &'a str {
    out.lines()
        .find(|l| {
            l.get(8..)
                .is_some_and(|r| r.starts_with(&format!("{topic:<12} ")))
        })
        .unwrap_or_else(|| panic!("no {topic} line in\n{out}"))
}

fn level<'a>(out: &'a str, topic: &str) -> &'a str {
    line(out, topic)[..7].trim_end()
}

/// `awsenv doctor` run from the test itself (parent: the test process), with `--shell bash`.
fn doctor(env: &Env) -> std::process::Output {
    env.awsenv(&["doctor", "--shell", "bash"])
}

#[test]
fn a_good_setup_in_bash_with_init_loaded() {
    let env = Env::user("dev");
    // `; echo` keeps bash from replacing itself with awsenv (then bash would not be its parent).
    let o = env.shell(
        "bash",
        "eval \"$(awsenv init bash)\"\nawsenv doctor; echo \"rc=$?\"",
    );
    let out = stdout(&o);
    assert!(
        out.ends_with("no problems found\nrc=0\n"),
        "{out}\n{}",
        stderr(&o)
    );
    assert_eq!(level(&out, "shell"), "ok");
    assert!(
        line(&out, "shell").contains("bash (the parent process is bash)"),
        "{out}"
    );
    assert!(
        line(&out, "init").contains("loaded in this shell (bash, pid"),
        "{out}"
    );
    assert!(line(&out, "source").contains(&format!(
        "long-term key {} from the environment",
        support::moto().keys["dev"].id
    )));
    assert!(line(&out, "identity").contains(&format!("arn:aws:iam::{ACCOUNT}:user/dev")));
    assert!(
        line(&out, "endpoint").contains(&support::moto().endpoint),
        "{out}"
    );
    assert!(line(&out, "endpoint").contains("region us-east-1"), "{out}");
    assert_eq!(level(&out, "clock"), "ok", "{out}");
    assert!(
        !out.contains(&support::moto().keys["dev"].secret),
        "never a secret"
    );
}

#[test]
fn init_missing_or_only_inherited_is_said_with_the_fix() {
    let env = Env::user("dev");
    let o = env.shell("bash", "awsenv doctor; echo \"rc=$?\"");
    let out = stdout(&o);
    assert_eq!(level(&out, "init"), "note");
    assert!(
        line(&out, "init").contains("not loaded in this shell"),
        "{out}"
    );
    assert!(
        out.contains("fix: add `eval \"$(awsenv init bash)\"` to ~/.bashrc"),
        "{out}"
    );
    assert!(out.ends_with("rc=0\n"), "a note is not a failure: {out}");

    let o = env.shell(
        "bash",
        "eval \"$(awsenv init bash)\"\nzsh --no-rcs -c 'awsenv doctor; echo \"rc=$?\"'; echo",
    );
    let out = stdout(&o);
    assert!(
        line(&out, "shell").contains("zsh (the parent process is zsh)"),
        "{out}"
    );
    assert!(
        line(&out, "init").contains("loaded in another shell (bash, pid"),
        "{out}"
    );
    assert!(out.contains("to ~/.zshrc"), "{out}");

    // `exec zsh`: the same process, now another shell without the integration.
    let o = env.shell(
        "bash",
        "eval \"$(awsenv init bash)\"\nexec zsh --no-rcs -c 'awsenv doctor; echo'",
    );
    assert!(line(&stdout(&o), "init").contains("loaded in another shell (bash"));

    let o = env.shell(
        "fish",
        "awsenv init fish | source\nawsenv doctor; echo rc=$status",
    );
    let out = stdout(&o);
    assert!(
        line(&out, "init").contains("loaded in this shell (fish, pid"),
        "{out}"
    );

    let init = env.awsenv(&["init", "nu"]);
    std::fs::write(env.path("init.nu"), &init.stdout).unwrap();
    let o = env.shell("nu", "source init.nu\n^awsenv doctor\nprint done");
    let out = stdout(&o);
    assert!(
        line(&out, "shell").contains("nu (the parent process is nu)"),
        "{out}"
    );
    assert!(
        line(&out, "init").contains("loaded in this shell (nu, pid"),
        "{out}"
    );
}

#[test]
fn how_the_shell_was_chosen() {
    let env = Env::user("dev").set("AWSENV_SHELL", "zsh");
    let out = stdout(&env.awsenv(&["doctor"]));
    assert!(
        line(&out, "shell").contains("zsh (AWSENV_SHELL=zsh)"),
        "{out}"
    );
    let env = Env::user("dev").set("SHELL", "/usr/bin/fish");
    let out = stdout(&env.awsenv(&["doctor"]));
    assert!(
        line(&out, "shell").contains("fish (SHELL=/usr/bin/fish"),
        "{out}"
    );
    // The test process is no shell, and there is no $SHELL.
    let o = Env::user("dev").awsenv(&["doctor"]);
    assert_eq!(o.status.code(), Some(15), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(level(&out, "shell"), "PROBLEM");
    assert!(out.contains("fix: set AWSENV_SHELL=bash"), "{out}");
    assert!(
        stderr(&o).contains("doctor found 1 problem"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unsafe_directories_and_cache_files() {
    let env = Env::user("dev");
    assert_ok(&env.awsenv(&["assume", "-s", "bash", &role_arn("app/Target")]));
    let out = stdout(&doctor(&env));
    assert!(
        line(&out, "cache dir").contains("(yours, mode 700)"),
        "{out}"
    );
    assert!(
        line(&out, "cache").contains("1 live session(s) cached"),
        "{out}"
    );

    let cache = env.path("cache");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = doctor(&env);
    assert_eq!(o.status.code(), Some(15));
    let out = stdout(&o);
    assert_eq!(level(&out, "cache dir"), "PROBLEM");
    assert!(
        out.contains(&format!("fix: chmod 700 {}", cache.display())),
        "{out}"
    );
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o700)).unwrap();

    // An entry others can read, and one that expired.
    let sessions = cache.join("sessions");
    let entry = std::fs::read_dir(&sessions)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    v["session"]["expires_at"] = serde_json::json!(1000);
    let old = sessions.join("00000000000000000000000000000000.json");
    std::fs::write(&old, v.to_string()).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = stdout(&doctor(&env));
    assert!(
        line(&out, "cache").contains("1 live and 1 expired session(s) cached"),
        "{out}"
    );
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = doctor(&env);
    assert_eq!(o.status.code(), Some(15));
    assert!(stdout(&o).contains("readable by others"), "{}", stdout(&o));

    // Another user's directory, and a symbolic link.
    let other = Env::user("dev");
    std::fs::create_dir(other.path("cache")).unwrap();
    std::os::unix::fs::chown(other.path("cache"), Some(65534), Some(65534)).unwrap();
    let out = stdout(&doctor(&other));
    assert!(
        line(&out, "cache dir").contains("belongs to uid 65534"),
        "{out}"
    );
    let linked = Env::user("dev");
    std::os::unix::fs::symlink("/tmp", linked.path("cache")).unwrap();
    let out = stdout(&doctor(&linked));
    assert!(
        line(&out, "cache dir").contains("not a plain directory"),
        "{out}"
    );
}

#[test]
fn credentials_missing_or_rejected() {
    let env = Env::bare().set("AWS_ENDPOINT_URL", &support::moto().endpoint);
    let o = doctor(&env);
    assert_eq!(o.status.code(), Some(15));
    let out = stdout(&o);
    assert_eq!(level(&out, "source"), "PROBLEM");
    assert!(
        line(&out, "source").contains("no usable source credentials"),
        "{out}"
    );

    let env = Env::user("dev").set("AWS_SECRET_ACCESS_KEY", "wrong-secret-wrong-secret");
    let o = doctor(&env);
    assert_eq!(o.status.code(), Some(15));
    let out = stdout(&o);
    assert_eq!(level(&out, "source"), "ok");
    assert!(line(&out, "identity").contains("does not match"), "{out}");
    assert!(!out.contains("wrong-secret-wrong-secret"));

    // A role is active: the source is still the original keys, not the role's.
    let env = Env::user("dev");
    let o = env.shell(
        "bash",
        &format!(
            "eval \"$(awsenv assume {})\"\nawsenv doctor --shell bash; echo",
            role_arn("app/Target")
        ),
    );
    let out = stdout(&o);
    assert!(
        line(&out, "source").contains(&support::moto().keys["dev"].id),
        "{out}"
    );
    assert!(line(&out, "role").contains("Target is active"), "{out}");
}

#[test]
fn an_expired_active_role() {
    let env = Env::user("dev")
        .set("AWSENV_ROLE", "Target")
        .set("AWSENV_EXPIRES_AT", "1000");
    let o = doctor(&env);
    assert_eq!(o.status.code(), Some(15));
    let out = stdout(&o);
    assert_eq!(level(&out, "role"), "PROBLEM");
    assert!(line(&out, "role").contains("expired"), "{out}");
    assert!(out.contains("fix: sudo-on"), "{out}");
}

#[test]
fn a_clock_ten_minutes_off_is_found() {
    let faketime = require("faketime");
    let env = Env::user("dev");
    let o = env
        .command(faketime)
        .args(["-f", "-10m"])
        .arg(support::awsenv_bin())
        .args(["doctor", "--shell", "bash"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(15), "{out}\n{}", stderr(&o));
    assert_eq!(level(&out, "clock"), "PROBLEM", "{out}");
    assert!(line(&out, "clock").contains("behind STS's"), "{out}");
    assert!(out.contains("fix: synchronise the clock"), "{out}");
}
