//! `assume` and `unset` end to end: moto in auth mode, real shells, the real AWS CLI.
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

mod support;

use std::collections::BTreeMap;

use support::{
    assert_fails, assert_ok, aws_vars, eval_line, moto, parse_env0, role_arn, stderr, stdout, Env,
    ACCOUNT,
};

fn assumed(role: &str, session: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}")
}

fn user(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/{name}")
}

/// fish sets $USER from the account database at start-up, whatever the environment says.
fn default_session(shell: &str) -> String {
    if shell == "fish" {
        let me = std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap();
        format!("awsenv-{}", String::from_utf8_lossy(&me.stdout).trim())
    } else {
        "awsenv-tester".to_string()
    }
}

const WHOAMI: &str = "aws sts get-caller-identity --query Arn --output text";

/// The identity before, during and after a role, and the environment restored exactly.
fn identity_switches_and_restores(shell: &str) {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    let script = format!(
        "{WHOAMI}\nenv -0 > before.env\n{}\n{WHOAMI}\n{}\n{WHOAMI}\nenv -0 > after.env\n",
        eval_line(shell, &format!("assume {target}")),
        eval_line(shell, "unset"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            user("dev"),
            assumed("Target", &default_session(shell)),
            user("dev")
        ],
        "{shell}: {}",
        stderr(&o)
    );
    let before = parse_env0(&std::fs::read(env.path("before.env")).unwrap());
    let after = parse_env0(&std::fs::read(env.path("after.env")).unwrap());
    assert_eq!(aws_vars(&before), aws_vars(&after), "{shell}");
}

support::for_shells!(identity_switches_and_restores: bash, zsh, fish);

/// Values a user may really have, and some they should not: all must come back byte for byte,
/// set or unset, after two roles in a row.
fn nasty_originals() -> BTreeMap<&'static str, &'static str> {
    [
        ("AWS_ACCESS_KEY_ID", "AKIA'\"$(touch CANARY)"),
        ("AWS_SECRET_ACCESS_KEY", "sec\\ret'\nwith newline\\"),
        ("AWS_SESSION_TOKEN", "tok`touch CANARY`\r\t*"),
        ("AWS_SECURITY_TOKEN", ""),
        ("AWS_PROFILE", "pro file \u{2018}x\u{2019} ünï"),
        ("AWS_DEFAULT_PROFILE", "!!$HOME"),
        ("AWS_REGION", "eu-west-1\\"),
        ("AWS_ACCOUNT_ID", "000000000000"),
        ("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z"),
        ("AWS_ROLE_SESSION_NAME", "'; touch CANARY; '"),
    ]
    .into()
}

fn nasty_values_come_back(shell: &str) {
    let mut env = Env::user("dev").remove("AWS_DEFAULT_REGION");
    for (k, v) in nasty_originals() {
        env = env.set(k, v);
    }
    env.write_credentials(&[("devprofile", "dev")]);
    let script = format!(
        "env -0 > before.env\n{}\n{WHOAMI}\n{}\n{WHOAMI}\n{}\nenv -0 > after.env\n",
        eval_line(shell, "assume -p devprofile -r us-east-1 app/Target"),
        eval_line(shell, "assume -p devprofile -r us-east-1 awsenv-demo"),
        eval_line(shell, "unset"),
    )
    // A bare name needs GetCallerIdentity; `app/Target` is not a name, so use the ARN form.
    .replace("app/Target", &role_arn("app/Target"));
    let o = env.shell(shell, &script);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!(
            "{}\n{}\n",
            assumed("Target", &default_session(shell)),
            assumed("awsenv-demo", &default_session(shell))
        ),
        "{shell}: {}",
        stderr(&o)
    );
    let before = aws_vars(&parse_env0(&std::fs::read(env.path("before.env")).unwrap()));
    let after = aws_vars(&parse_env0(&std::fs::read(env.path("after.env")).unwrap()));
    assert_eq!(before, after, "{shell}");
    for (k, v) in nasty_originals() {
        assert_eq!(after.get(k).map(String::as_str), Some(v), "{shell}: {k}");
    }
    assert!(
        !after.contains_key("AWS_DEFAULT_REGION"),
        "{shell}: was unset before"
    );
    assert!(
        !env.path("CANARY").exists(),
        "{shell}: a value was executed"
    );
    for marker in awsenv::env::vars::MARKERS {
        assert!(!after.contains_key(marker), "{shell}: {marker} left behind");
    }
    // The secret originals never touched the disk: the shell held them.
    assert!(
        !env.path("cache/saved").exists(),
        "{shell}: a state directory"
    );
    for (k, v) in nasty_originals() {
        if awsenv::env::vars::SECRET.contains(&k) && v.len() > 4 {
            let files = support::files_containing(&env.path("cache"), v.as_bytes());
            assert!(files.is_empty(), "{shell}: {k} written to {files:?}");
        }
    }
}

support::for_shells!(nasty_values_come_back: bash, zsh, fish);

#[test]
fn exports_markers_and_no_contradicting_variables() {
    let env = Env::user("dev")
        .set("AWS_PROFILE", "dev")
        .set("AWS_ACCOUNT_ID", "1");
    // Source keys come from the environment here; AWS_PROFILE must not win over them.
    env.write_credentials(&[("dev", "dev")]);
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "-r",
        "eu-west-1",
        &role_arn("app/Target"),
    ]);
    assert_ok(&o);
    let out = stdout(&o);
    for needle in [
        "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_ACCOUNT_ID",
        "export AWS_REGION=eu-west-1;",
        "export AWS_DEFAULT_REGION=eu-west-1;",
        "export AWSENV_ROLE=Target;",
        &format!("export AWSENV_ROLE_ARN='{}';", role_arn("app/Target")),
        &format!(
            "export AWSENV_SESSION_ARN='{}';",
            assumed("Target", "awsenv-tester")
        ),
        "export AWSENV_SAVED=",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let exp = out
        .lines()
        .find_map(|l| l.strip_prefix("export AWS_CREDENTIAL_EXPIRATION='"))
        .and_then(|l| l.strip_suffix("';"))
        .expect("expiration exported");
    // RFC 3339, UTC, `Z`, whole seconds: 2026-11-21T14:00:00Z.
    assert_eq!(exp.len(), 20, "{exp}");
    assert!(exp.ends_with('Z') && exp.as_bytes()[10] == b'T', "{exp}");
    assert!(
        !out.contains("export AWS_PROFILE"),
        "never points AWS_PROFILE anywhere"
    );
}

#[test]
fn role_forms_resolve_to_the_same_role() {
    let env = Env::user("dev");
    let arn = role_arn("awsenv-demo");
    // `$(terraform output role)` passes the ARN with its double quotes.
    let quoted = format!("\"{arn}\"");
    for form in [
        arn.as_str(),
        quoted.as_str(),
        &format!("{ACCOUNT}:awsenv-demo"),
        "awsenv-demo",
    ] {
        let o = env.awsenv(&["assume", "--no-cache", "-s", "bash", form]);
        assert_ok(&o);
        assert!(
            stdout(&o).contains(&format!("export AWSENV_ROLE_ARN='{arn}';")),
            "{form}: {}",
            stdout(&o)
        );
    }
    // The same through the shell, as the README shows it.
    let o = env.shell(
        "bash",
        &format!(
            "role() {{ printf '\"%s\"\\n' {arn}; }}\neval \"$(awsenv assume $(role))\" && {WHOAMI}"
        ),
    );
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), assumed("awsenv-demo", "awsenv-tester"));
}

#[test]
fn session_name_option_and_default() {
    let env = Env::user("dev").set("USER", "jane doe");
    let o = env.awsenv(&["assume", "-s", "zsh", "awsenv-demo"]);
    assert_ok(&o);
    assert!(stdout(&o).contains(&assumed("awsenv-demo", "awsenv-jane-doe")));
    let o = env.awsenv(&["assume", "-s", "zsh", "-n", "ci.job@42", "awsenv-demo"]);
    assert_ok(&o);
    assert!(stdout(&o).contains(&assumed("awsenv-demo", "ci.job@42")));
}

#[test]
fn every_request_option_is_accepted_by_sts() {
    let env = Env::user("dev");
    let policy = env.path("policy.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    )
    .unwrap();
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "-d",
        "2h",
        "-e",
        "ext-id-1",
        "--source-identity",
        "jane",
        "--tag",
        "team=platform",
        "--tag",
        "cost=1",
        "--policy",
        policy.to_str().unwrap(),
        "--policy-arn",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "--mfa-serial",
        &format!("arn:aws:iam::{ACCOUNT}:mfa/dev"),
        "--token-code",
        &support::mfa_code("dev"),
        "awsenv-demo",
    ]);
    assert_ok(&o);
    assert!(stdout(&o).contains("AWS_SESSION_TOKEN"));
}

#[test]
fn chain_uses_the_active_role_and_limits_duration() {
    let env = Env::user("dev");
    let script = format!(
        "{}\n{}\n{WHOAMI}\n{}\n{WHOAMI}\n",
        eval_line("bash", "assume -n awsenv-chain awsenv-demo"),
        eval_line("bash", "assume --chain Chained"),
        eval_line("bash", "unset"),
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!("{}\n{}\n", assumed("Chained", "awsenv-tester"), user("dev")),
        "{}",
        stderr(&o)
    );
    // Without --chain the original credentials are the source, which Chained does not trust.
    let script = format!(
        "{}\n{}\n",
        eval_line("bash", "assume -n awsenv-chain awsenv-demo"),
        eval_line("bash", "assume Chained")
    );
    let o = env.shell("bash", &script);
    assert!(stderr(&o).contains("denied"), "{}", stderr(&o));

    let o = env.awsenv(&["assume", "-s", "bash", "--chain", "Chained"]);
    assert_fails(&o, 2, "--chain needs an active awsenv role");
    let o = env
        .set("AWSENV_ROLE_ARN", &role_arn("awsenv-demo"))
        .awsenv(&["assume", "-s", "bash", "--chain", "-d", "2h", "Chained"]);
    assert_fails(&o, 2, "1 hour");
}

#[test]
fn access_denied_names_principal_and_trust_policy() {
    let env = Env::user("dev");
    let o = env.awsenv(&["assume", "-s", "bash", "Untrusted"]);
    assert_fails(&o, 5, "trust policy");
    assert!(stderr(&o).contains(&user("dev")), "{}", stderr(&o));
    // An identity policy without sts:AssumeRole.
    let o = Env::user("intern").awsenv(&["assume", "-s", "bash", &role_arn("awsenv-demo")]);
    assert_fails(&o, 5, "denied");
}

#[test]
fn bad_source_credentials_fail_clearly_without_leaking() {
    let env = Env::user("dev").set("AWS_SECRET_ACCESS_KEY", "Wrong/Secret+Sentinel0123456789");
    let o = env.awsenv(&["assume", "-s", "bash", "-v", &role_arn("awsenv-demo")]);
    assert_fails(&o, 4, "does not match");
    assert!(!stderr(&o).contains("Wrong/Secret+Sentinel"));
    let env = Env::user("dev").set("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000");
    let o = env.awsenv(&["assume", "-s", "bash", &role_arn("awsenv-demo")]);
    assert_fails(&o, 4, "not valid");
}

#[test]
fn unreachable_endpoint_fails_fast_with_exit_7() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = Env::user("dev").set("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{port}"));
    let o = env.awsenv(&["assume", "-s", "bash", &role_arn("awsenv-demo")]);
    assert_fails(&o, 7, "cannot reach");
    assert!(stderr(&o).contains("AWS_ENDPOINT_URL"));
}

#[test]
fn sts_endpoint_variable_is_honoured() {
    let m = moto();
    let env = Env::user("dev")
        .set("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .set("AWS_ENDPOINT_URL_STS", &m.endpoint);
    let o = env.awsenv(&["assume", "-s", "bash", &role_arn("awsenv-demo")]);
    assert_ok(&o);
}

#[test]
fn cached_session_needs_no_network_and_no_valid_secret() {
    let env = Env::user("dev");
    let arn = role_arn("awsenv-demo");
    let first = env.awsenv(&["assume", "-s", "bash", &arn]);
    assert_ok(&first);
    // Same key id, wrong secret: only a cache hit can succeed, and it must print the same
    // session.
    let env = env.set("AWS_SECRET_ACCESS_KEY", "wrong-secret-for-the-same-key");
    let second = env.awsenv(&["assume", "-s", "bash", &arn]);
    assert_ok(&second);
    let creds = |o: &std::process::Output| {
        stdout(o)
            .lines()
            .filter(|l| l.contains("AWS_SESSION_TOKEN"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(creds(&first), creds(&second));
    let o = env.awsenv(&["assume", "-s", "bash", "--no-cache", &arn]);
    assert_fails(&o, 4, "does not match");
    let o = env
        .set("AWSENV_NO_CACHE", "1")
        .awsenv(&["assume", "-s", "bash", &arn]);
    assert_fails(&o, 4, "does not match");
}

#[test]
fn refuses_to_print_secrets_to_a_terminal() {
    let env = Env::user("dev");
    let cmd = format!(
        "awsenv assume -s bash {}; echo \"rc=$?\"",
        role_arn("awsenv-demo")
    );
    // `script` gives awsenv a pseudo-terminal as stdout.
    let o = env
        .command(support::require("script"))
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(out.contains("rc=8"), "{out}");
    assert!(out.contains("eval \"$(awsenv assume ROLE)\""), "{out}");
    assert!(!out.contains("AWS_SECRET_ACCESS_KEY"), "{out}");
}

#[test]
fn mfa_code_needs_a_terminal() {
    let env = Env::user("dev");
    let o = env
        .command(support::require("setsid"))
        .args(["-w", support::awsenv_bin().to_str().unwrap()])
        .args(["assume", "-s", "bash", "--mfa-serial"])
        .arg(format!("arn:aws:iam::{ACCOUNT}:mfa/dev"))
        .arg("awsenv-demo")
        .output()
        .unwrap();
    assert_fails(&o, 11, "--token-code");
}

#[test]
fn mfa_code_is_asked_on_the_terminal_not_stdout() {
    let env = Env::user("dev");
    let serial = format!("arn:aws:iam::{ACCOUNT}:mfa/dev");
    // `script` gives awsenv a terminal; the code is typed into it. stdout goes to a file, as
    // inside `$(…)`, and must hold only the script.
    let cmd = format!(
        "awsenv assume -s bash --mfa-serial {serial} {} > out.sh; echo \"rc=$?\"",
        role_arn("awsenv-demo")
    );
    let mut child = env
        .command(support::require("script"))
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    use std::io::Write;
    stdin
        .write_all(format!("{}\n", support::mfa_code("dev")).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let term = stdout(&o);
    assert!(term.contains(&format!("MFA code for {serial}: ")), "{term}");
    assert!(term.contains("rc=0"), "{term}");
    let script = std::fs::read_to_string(env.path("out.sh")).unwrap();
    assert!(
        script.lines().any(|l| l.starts_with("unset AWS_PROFILE")),
        "{script}"
    );
    assert!(!script.contains("MFA code"));
    // The session is cached: no second prompt for the same request.
    let o = env
        .command(support::require("setsid"))
        .args([
            "-w",
            support::awsenv_bin().to_str().unwrap(),
            "assume",
            "-s",
            "bash",
            "--mfa-serial",
            &serial,
            &role_arn("awsenv-demo"),
        ])
        .output()
        .unwrap();
    assert_ok(&o);
}

#[test]
fn cache_list_and_clear() {
    let env = Env::user("dev");
    for role in ["awsenv-demo", "app/Target"] {
        assert_ok(&env.awsenv(&["assume", "-s", "bash", &role_arn(role)]));
    }
    let list = stdout(&env.awsenv(&["cache", "list"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.contains(&role_arn("app/Target")) && list.contains("left"),
        "{list}"
    );
    let secret = env.vars["AWS_SECRET_ACCESS_KEY"].clone();
    assert!(
        !list.contains(&secret) && !list.contains("ASIA"),
        "no secrets: {list}"
    );
    let o = env.awsenv(&["cache", "clear", "Target"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("removed 1"));
    assert_eq!(stdout(&env.awsenv(&["cache", "list"])).lines().count(), 1);
    assert_ok(&env.awsenv(&["cache", "clear"]));
    assert_eq!(stdout(&env.awsenv(&["cache", "list"])), "");
    assert_eq!(
        stdout(&env.awsenv(&["cache", "dir"])).trim(),
        env.path("cache/sessions").to_str().unwrap()
    );
}
