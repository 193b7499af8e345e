//! `scripts/demo` runs to the end on a machine set up by `scripts/setup` and shows what it
//! says it shows: each shell's identities, simulate (locally and through the real broker),
//! env files, console, doctor. Needs the broker and the demo's local Lambda built:
//! `cargo build --features broker --bins --examples` (`cargo test --features broker` does).

mod support;

use std::process::Command;

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_demo_tours_everything() {
    let bin_dir = support::cargo_bin_dir();
    let o = Command::new(support::repo_root().join("scripts/demo"))
        .env("AWSENV_BIN_DIR", &bin_dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = strip_ansi(&String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "exit {:?}\n{out}\n{err}",
        o.status.code()
    );
    for step in [
        "== 1. bash",
        "== 2. zsh",
        "== 3. fish",
        "== 4. nushell",
        "== 5. sudo-on / sudo-off and the prompt segment",
        "== 6. simulate locally",
        "== 7. simulate through the broker",
        "== 8. env files",
        "== 9. exec with the credential endpoint",
        "== 10. console",
        "== 11. IAM Identity Center",
        "== 12. doctor",
    ] {
        assert!(out.contains(step), "missing {step:?} in\n{out}");
    }
    let user = format!("arn:aws:iam::{}:user/dev", support::ACCOUNT);
    let role = format!(
        "arn:aws:sts::{}:assumed-role/awsenv-demo/",
        support::ACCOUNT
    );
    // bash, zsh, fish, nu, sudo-on, dotenv, exec: the role each time, and back to the user.
    assert!(out.matches(&role).count() >= 7, "{out}");
    assert!(out.matches(&user).count() >= 7, "{out}");
    for needle in [
        "aws:awsenv-demo 2h0m",
        ":assumed-role/power-user/awsenv-sim-my-task",
        "aws:my-task(sim) ",
        // The picker, in tmux: the list from `awsenv roles`, and the role picked by typing.
        "Role to assume",
        "123456789012:power-user",
        // Through the broker: its session, a refusal (nothing to eval, the reason, exit 5),
        // and the decisions it logged.
        ":assumed-role/broker-base/awsenv-dev",
        "stdout: 0 bytes",
        "awsenv: the broker `awsenv-broker` refused: rule 0 does not allow it: the trust policy \
         of Target has no Allow statement for ecs-tasks.amazonaws.com",
        "exit status: 5\n",
        r#"{"decision":"allowed","caller":"arn:aws:iam::123456789012:user/dev","role":"arn:aws:iam::123456789012:role/svc/my-task","rule":0"#,
        r#"{"decision":"refused","caller":"arn:aws:iam::123456789012:user/dev","role":"arn:aws:iam::123456789012:role/app/Target","rule":0"#,
        "600 role.env",
        "keys: none, endpoint: http://127.0.0.1:",
        "Action=login&Issuer=awsenv&Destination=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fs3%2Fhome",
        "SigninToken=<15-minute credential>",
        "awsenv: signed in to sso:corp until ",
        "approved: you may close this window",
        "sso:corp via profile:corp-demo",
        "ok      sso          sso:corp: signed in until ",
        "ok      init         loaded in this shell (bash",
        "no problems found",
        "PROBLEM cache dir",
        "exit status: 15",
        "The tour is over",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}\n{err}");
    }
    assert!(
        !out.contains("FAKE-SIGNIN-TOKEN"),
        "the sign-in token is not shown"
    );
    // No secret: neither by name nor anything shaped like one (a secret key is 40 characters
    // of base64, a session token longer).
    for name in [
        "SecretAccessKey",
        "aws_secret_access_key",
        "AWS_SECRET_ACCESS_KEY=",
        "SessionToken",
        "AWS_SESSION_TOKEN=",
    ] {
        assert!(!out.contains(name), "{name} in the demo's output:\n{out}");
    }
    let longest = out
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
        .max_by_key(|w| w.len())
        .unwrap_or_default();
    assert!(
        longest.len() < 40,
        "a secret-shaped string in the demo's output: {longest:?}"
    );
}
