//! The role picker in a real terminal: tmux runs bash, keys are typed into it, and the screen
//! and the AWS CLI say what happened.

mod support;

use std::time::{Duration, Instant};

use support::{assert_fails, role_arn, stderr, stdout, Env};

/// A tmux server of the test's own (its socket in the test's HOME) running bash in `env`.
struct Tmux<'a> {
    env: &'a Env,
}

impl<'a> Tmux<'a> {
    fn start(env: &'a Env) -> Tmux<'a> {
        let t = Tmux { env };
        let o = t
            .cmd()
            .args(["new-session", "-d", "-s", "t", "-x", "160", "-y", "40"])
            .args(["bash", "--noprofile", "--norc"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        t
    }

    fn cmd(&self) -> std::process::Command {
        let mut c = self.env.command(support::require("tmux"));
        c.arg("-S").arg(self.env.path("tmux.sock"));
        c
    }

    fn keys(&self, keys: &[&str]) {
        let o = self
            .cmd()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }

    fn literally(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    fn screen(&self) -> String {
        let o = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "t", "-S", "-100"])
            .output()
            .unwrap();
        support::stdout(&o)
    }

    /// The screen once `f` holds for it (at most 20 s).
    fn wait(&self, what: &str, f: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if f(&s) {
                return s;
            }
            assert!(Instant::now() < deadline, "waited for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// Signed in as dev, with three profiles that name roles.
fn env_with_profiles() -> Env {
    let env = Env::user("dev").set("TERM", "xterm");
    let profile = |name: &str, role: &str| {
        format!(
            "[profile {name}]\nrole_arn = {}\ncredential_source = Environment\n\n",
            role_arn(role)
        )
    };
    let config = profile("demo", "awsenv-demo")
        + &profile("target", "app/Target")
        + &profile("power", "power-user");
    std::fs::write(env.path("aws-config"), config).unwrap();
    env
}

const PROMPT: &str = "Role to assume";

#[test]
fn type_to_filter_enter_assumes_in_the_shell() {
    let env = env_with_profiles();
    let t = Tmux::start(&env);
    t.literally("eval \"$(awsenv assume -s bash)\"; echo \"rc=$?\"");
    t.keys(&["Enter"]);
    let s = t.wait("the picker", |s| s.contains(PROMPT));
    assert!(
        s.contains("demo") && s.contains("target") && s.contains("power"),
        "{s}"
    );
    t.literally("targ");
    t.wait("the filter", |s| !s.contains("power-user in"));
    t.keys(&["Enter"]);
    t.wait("the exit status", |s| s.contains("rc=0"));
    t.literally(support::WHOAMI);
    t.keys(&["Enter"]);
    t.wait("the role's identity", |s| {
        s.contains(":assumed-role/Target/awsenv-tester")
    });
    // Picked once: first in the next list.
    t.literally("clear; awsenv assume -s bash > /dev/null; echo \"rc=$?\"");
    t.keys(&["Enter"]);
    let s = t.wait("the picker again", |s| s.contains(PROMPT));
    let first = s
        .lines()
        .find(|l| l.contains(" in 123456789012 "))
        .unwrap_or_default();
    assert!(first.contains("target"), "first: {first}\n{s}");
    t.keys(&["Escape"]);
    t.wait("cancelled", |s| s.contains("rc=2"));
    let history = env.path("cache/history.json");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&history).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn escape_cancels_and_nothing_is_evaluated() {
    let env = env_with_profiles();
    let t = Tmux::start(&env);
    t.literally("out=$(awsenv assume -s bash); echo \"rc=$? out=[$out] role=[${AWSENV_ROLE-}]\"");
    t.keys(&["Enter"]);
    t.wait("the picker", |s| s.contains(PROMPT));
    t.keys(&["Escape"]);
    let s = t.wait("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(s.contains("rc=2 out=[] role=[]"), "{s}");
    assert!(s.contains("no role picked"), "{s}");
}

#[test]
fn sudo_on_without_a_role_picks() {
    let env = env_with_profiles();
    let t = Tmux::start(&env);
    t.literally("eval \"$(awsenv init bash)\"; sudo-on; echo \"rc=$?\"");
    t.keys(&["Enter"]);
    t.wait("the picker", |s| s.contains(PROMPT));
    t.literally("power");
    t.wait("the filter", |s| !s.contains("Target in"));
    t.keys(&["Enter"]);
    t.wait("the exit status", |s| s.contains("rc=0"));
    t.literally(support::WHOAMI);
    t.keys(&["Enter"]);
    t.wait("the role's identity", |s| {
        s.contains(":assumed-role/power-user/awsenv-tester")
    });
}

#[test]
fn without_a_terminal_it_says_how_to_name_a_role() {
    let env = env_with_profiles();
    for args in [
        &["assume", "-s", "bash"][..],
        &["assume", "-s", "bash", "--format", "json"],
        &["assume", "-s", "bash", "--write-profile", "x"],
        &["exec", "--", "true"],
        &["exec"],
    ] {
        let o = env
            .command(support::require("setsid"))
            .arg("-w")
            .arg(support::awsenv_bin())
            .args(args)
            .output()
            .unwrap();
        assert_fails(&o, 2, "Name the role");
        assert!(stderr(&o).contains("awsenv assume ROLE"), "{}", stderr(&o));
    }
}

#[test]
fn console_without_a_session_picks() {
    let fed = support::federation();
    let env = env_with_profiles().set("AWSENV_FEDERATION_URL", &fed.endpoint("picker", "ok"));
    let t = Tmux::start(&env);
    t.literally("awsenv console --print --force > url.txt; echo \"rc=$?\"");
    t.keys(&["Enter"]);
    t.wait("the picker", |s| s.contains(PROMPT));
    // Not the first in the list: the sign-in must be for the role filtered to, not the default.
    t.literally("power");
    t.wait("the filter", |s| !s.contains("awsenv-demo"));
    t.keys(&["Enter"]);
    t.wait("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc=0"))
    });
    let url = std::fs::read_to_string(env.path("url.txt")).unwrap();
    assert!(
        url.contains("Action=login") && url.contains("SigninToken="),
        "{url}"
    );
    let reqs = fed.requests("picker");
    assert_eq!(reqs.len(), 1);
    // The session sent for the sign-in token is the picked role's: ask STS whose it is.
    let session: serde_json::Value =
        serde_json::from_str(reqs[0]["query"]["Session"][0].as_str().unwrap()).unwrap();
    let field = |k: &str| session[k].as_str().unwrap().to_string();
    drop(t);
    let who = env
        .set("AWS_ACCESS_KEY_ID", &field("sessionId"))
        .set("AWS_SECRET_ACCESS_KEY", &field("sessionKey"))
        .set("AWS_SESSION_TOKEN", &field("sessionToken"))
        .shell("bash", support::WHOAMI);
    assert!(
        stdout(&who).contains(":assumed-role/power-user/"),
        "{}{}",
        stdout(&who),
        stderr(&who)
    );
}

#[test]
fn exec_without_a_role_picks() {
    let env = env_with_profiles();
    let t = Tmux::start(&env);
    t.literally(&format!(
        "awsenv exec -- {}; echo \"rc=$?\"",
        support::WHOAMI
    ));
    t.keys(&["Enter"]);
    t.wait("the picker", |s| s.contains(PROMPT));
    t.literally("targ");
    t.wait("the filter", |s| !s.contains("power-user in"));
    t.keys(&["Enter"]);
    let s = t.wait("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(s.contains(":assumed-role/Target/awsenv-tester"), "{s}");
    assert!(s.lines().any(|l| l == "rc=0"), "{s}");
}

/// `roles` feeds the list: signed in to IAM Identity Center, a role no profile names is offered
/// as ACCOUNT:ROLE and assumed through its session; one a profile reaches, by that profile.
#[test]
fn an_identity_center_role_is_picked_and_assumed_through_its_session() {
    let fake = support::sso::start(serde_json::json!({}));
    let env = fake.env().set("TERM", "xterm");
    support::assert_ok(&support::sso::login(
        &fake,
        &env,
        &["--sso-session", "corp"],
    ));
    let t = Tmux::start(&env);
    t.literally("eval \"$(awsenv assume -s bash)\"; echo \"rc=$?\"");
    t.keys(&["Enter"]);
    let direct = format!("{}:power-user", support::ACCOUNT);
    let s = t.wait("the picker", |s| s.contains(PROMPT));
    assert!(s.contains(&direct) && s.contains("corp-demo"), "{s}");
    assert!(s.contains("(sso:corp)"), "{s}");
    t.literally(&direct);
    t.wait("the filter", |s| !s.contains("corp-demo "));
    t.keys(&["Enter"]);
    t.wait("the exit status", |s| s.contains("rc=0"));
    t.literally("echo \"src=$AWSENV_SOURCE\"; ");
    t.literally(support::WHOAMI);
    t.keys(&["Enter"]);
    let s = t.wait("the role's identity", |s| {
        s.contains(":assumed-role/power-user/")
    });
    assert!(s.contains("src=sso:corp"), "{s}");
}
