//! `awsenv console` against a strict local federation endpoint (tests/support/federation_fake.py)
//! with sessions from moto: the Session JSON, SessionDuration sent only when the session is
//! known not to be role-chained, the login URL, partitions, and every failure.

mod support;

use std::collections::BTreeMap;

use support::{assert_fails, assert_ok, federation, role_arn, stderr, stdout, Env};

/// The role's variables, as `assume --format json` gives them.
fn role_vars(env: &Env, args: &[&str]) -> BTreeMap<String, String> {
    let mut all = vec!["assume", "--format", "json"];
    all.extend_from_slice(args);
    let o = env.awsenv(&all);
    assert_ok(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// An environment where `vars` are active, as after `eval "$(awsenv assume …)"`.
fn with_role(mut env: Env, vars: &BTreeMap<String, String>) -> Env {
    for (k, v) in vars {
        env = env.set(k, v);
    }
    env
}

fn session_json(req: &serde_json::Value) -> serde_json::Value {
    serde_json::from_str(req["query"]["Session"][0].as_str().unwrap()).unwrap()
}

#[test]
fn active_role_from_long_term_keys_gets_session_duration() {
    let fed = federation();
    let env = Env::user("dev");
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    let env = with_role(env, &vars).set("AWSENV_FEDERATION_URL", &fed.endpoint("long", "ok"));
    let o = env.awsenv(&[
        "console",
        "--print",
        "--service",
        "s3",
        "-r",
        "eu-west-1",
        "-d",
        "2h",
    ]);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!(
            "{}?Action=login&Issuer=awsenv&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1&SigninToken=FAKE-SIGNIN-TOKEN-{}\n",
            fed.endpoint("long", "ok"),
            "x".repeat(40)
        )
    );
    let reqs = fed.requests("long");
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    assert_eq!(reqs[0]["query"]["Action"][0], "getSigninToken");
    assert_eq!(reqs[0]["query"]["SessionDuration"][0], "7200");
    let s = session_json(&reqs[0]);
    assert_eq!(s["sessionId"], vars["AWS_ACCESS_KEY_ID"].as_str());
    assert_eq!(s["sessionKey"], vars["AWS_SECRET_ACCESS_KEY"].as_str());
    assert_eq!(s["sessionToken"], vars["AWS_SESSION_TOKEN"].as_str());
    assert!(!stderr(&o).contains(&vars["AWS_SESSION_TOKEN"]));
}

#[test]
fn chained_sessions_never_send_session_duration() {
    let fed = federation();
    let first = role_vars(
        &Env::user("dev"),
        &["-n", "awsenv-chain", &role_arn("awsenv-demo")],
    );
    let env = with_role(Env::user("dev"), &first);
    let chained = role_vars(&env, &["--chain", &role_arn("Chained")]);
    assert!(chained["AWSENV_SOURCE"].starts_with("role:"));
    // The "chained" endpoint refuses a SessionDuration, as AWS does for such a session.
    let env =
        with_role(env, &chained).set("AWSENV_FEDERATION_URL", &fed.endpoint("chain", "chained"));
    let o = env.awsenv(&["console", "--print"]);
    assert_ok(&o);
    // -d cannot be honoured: said on stderr, and still not sent.
    let o = env.awsenv(&["console", "--print", "-d", "2h"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("-d is not used"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--chain"), "{}", stderr(&o));
    // `console --chain ROLE`: the pipeline's session, chained from the active role.
    let env = with_role(Env::user("dev"), &first)
        .set("AWSENV_FEDERATION_URL", &fed.endpoint("chain", "chained"));
    let o = env.awsenv(&["console", "--print", "--chain", &role_arn("Chained")]);
    assert_ok(&o);
    let reqs = fed.requests("chain");
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert!(r["query"].get("SessionDuration").is_none(), "{r}");
    }
    assert_eq!(
        session_json(&reqs[0])["sessionId"],
        chained["AWS_ACCESS_KEY_ID"].as_str()
    );
}

#[test]
fn a_named_role_goes_through_the_pipeline() {
    let fed = federation();
    let env = Env::user("dev").set("AWSENV_FEDERATION_URL", &fed.endpoint("named", "ok"));
    let o = env.awsenv(&["console", "--print", &role_arn("app/Target")]);
    assert_ok(&o);
    assert!(stdout(&o).contains("Destination=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Dus-east-1"), "{}", stdout(&o));
    let reqs = fed.requests("named");
    assert_eq!(
        reqs[0]["query"]["SessionDuration"][0], "3600",
        "the default, 1h"
    );
    // The session is the one now in the cache: assume answers with the same keys.
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    assert_eq!(
        session_json(&reqs[0])["sessionId"],
        vars["AWS_ACCESS_KEY_ID"].as_str()
    );
}

#[test]
fn credentials_not_from_awsenv_omit_session_duration_and_follow_the_partition() {
    let fed = federation();
    let env = Env::user("dev");
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    // Only the credentials, as another tool would set them; the partition from the region.
    let mut env = env.set("AWSENV_FEDERATION_URL", &fed.endpoint("foreign", "chained"));
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        env = env.set(k, &vars[k]);
    }
    let env = env.set("AWS_REGION", "us-gov-west-1");
    let o = env.awsenv(&["console", "--print", "-v", "--service", "ec2"]);
    assert_ok(&o);
    assert!(stdout(&o).contains("Destination=https%3A%2F%2Fconsole.amazonaws-us-gov.com%2Fec2%2Fhome%3Fregion%3Dus-gov-west-1"), "{}", stdout(&o));
    assert!(stderr(&o).contains("not set by awsenv"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("FAKE-SIGNIN"),
        "the URL is never logged"
    );
    assert!(fed.requests("foreign")[0]["query"]
        .get("SessionDuration")
        .is_none());
}

#[test]
fn failures_leave_stdout_empty_and_say_what_to_do() {
    let fed = federation();
    let env = Env::user("dev");
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    let active = with_role(Env::user("dev"), &vars);
    for (mode, code, needle) in [
        ("e400", 6, "refused the session (HTTP 400)"),
        ("garbage", 6, "without a SigninToken"),
        ("e500", 13, "HTTP 500"),
    ] {
        let env = with_role(Env::user("dev"), &vars)
            .set("AWSENV_FEDERATION_URL", &fed.endpoint(mode, mode));
        let o = env.awsenv(&["console", "--print"]);
        assert_fails(&o, code, needle);
        assert!(!stderr(&o).contains(&vars["AWS_SESSION_TOKEN"]), "{mode}");
    }
    // The 500 was retried (3 attempts), the others were not.
    assert_eq!(fed.requests("e500").len(), 3);
    assert_eq!(fed.requests("e400").len(), 1);

    let o = Env::user("dev").awsenv(&["console", "--print"]);
    assert_fails(&o, 3, "long-term keys");
    let o = Env::bare().awsenv(&["console", "--print"]);
    assert_fails(&o, 3, "no role is active");
    let o = active
        .set("AWSENV_EXPIRES_AT", "1000")
        .awsenv(&["console", "--print"]);
    assert_fails(&o, 4, "expired");
    let env = with_role(Env::user("dev"), &vars);
    for (args, needle) in [
        (vec!["console", "--print", "--service", "S3!"], "--service"),
        (
            vec!["console", "--print", "--destination", "http://x"],
            "https://",
        ),
        (vec!["console", "--print", "-d", "10m"], "900"),
    ] {
        assert_fails(&env.awsenv(&args), 2, needle);
    }
    let env = env.set(
        "AWSENV_FEDERATION_URL",
        "http://signin.example.com/federation",
    );
    assert_fails(&env.awsenv(&["console", "--print"]), 2, "plain http");
}

#[test]
fn without_print_the_browser_gets_the_url() {
    let fed = federation();
    let env = Env::user("dev");
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    let env = with_role(env, &vars).set("AWSENV_FEDERATION_URL", &fed.endpoint("browser", "ok"));
    let browser = env.path("browser.sh");
    std::fs::write(
        &browser,
        "#!/bin/sh\nprintf '%s' \"$1\" > \"$HOME/opened\"\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let env = env.set("BROWSER", browser.to_str().unwrap());
    let o = env.awsenv(&["console"]);
    assert_ok(&o);
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("opened the AWS console"),
        "{}",
        stderr(&o)
    );
    // The browser is started in the background, as a desktop one must be.
    let mut opened = String::new();
    for _ in 0..100 {
        opened = std::fs::read_to_string(env.path("opened")).unwrap_or_default();
        if opened.contains("SigninToken") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        opened.starts_with(&fed.endpoint("browser", "ok")),
        "{opened}"
    );
    assert!(
        opened.contains("&SigninToken=FAKE-SIGNIN-TOKEN-"),
        "{opened}"
    );
}

#[test]
fn the_url_is_refused_on_a_terminal_without_force() {
    let fed = federation();
    let env = Env::user("dev");
    let vars = role_vars(&env, &[&role_arn("app/Target")]);
    let env = with_role(env, &vars).set("AWSENV_FEDERATION_URL", &fed.endpoint("tty", "ok"));
    // `script` gives awsenv a pseudo-terminal as stdout.
    let run = |cmd: &str| {
        let o = env
            .command(support::require("script"))
            .args(["-qec", cmd, "/dev/null"])
            .output()
            .unwrap();
        stdout(&o)
    };
    let out = run("awsenv console --print; echo \"rc=$?\"");
    assert!(out.contains("rc=8"), "{out}");
    assert!(out.contains("15 minutes"), "{out}");
    assert!(!out.contains("SigninToken"), "{out}");
    assert!(fed.requests("tty").is_empty(), "refused before any request");
    let out = run("awsenv console --print --force; echo \"rc=$?\"");
    assert!(out.contains("SigninToken=FAKE-SIGNIN-TOKEN-"), "{out}");
    assert!(out.contains("rc=0"), "{out}");
}
