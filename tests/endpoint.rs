//! The local credential endpoint (`exec --ecs-server`, `simulate --ecs-server`, `serve`) with
//! real clients as its children: the AWS CLI (botocore), boto3 and a Rust program on
//! aws-config (examples/ecs_client.rs), against moto in auth mode.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::{
    assert_fails, assert_ok, awsenv_bin, parse_env0, role_arn, stderr, stdout, venv, Env, ACCOUNT,
};

fn assumed(role: &str, session: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}")
}

fn demo() -> String {
    role_arn("awsenv-demo")
}

/// The Rust client, built by `cargo test` with the other examples.
fn ecs_client() -> PathBuf {
    let p = support::cargo_bin_dir().join("examples/ecs_client");
    assert!(
        p.exists(),
        "{} is missing: `cargo test` builds it (examples/ecs_client.rs)",
        p.display()
    );
    p
}

fn python() -> String {
    venv().join("bin/python").to_string_lossy().into_owned()
}

const BOTO3_WHOAMI: &str = "import boto3\n\
s = boto3.Session()\n\
print(s.get_credentials().get_frozen_credentials().access_key, s.client('sts').get_caller_identity()['Arn'])\n";

/// Waits up to `secs` for `f` to hold.
fn eventually(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    f()
}

fn addr_of(uri: &str) -> SocketAddr {
    let rest = uri.strip_prefix("http://").expect("http URI");
    rest[..rest.find('/').expect("a path")].parse().unwrap()
}

fn refused(uri: &str) -> bool {
    matches!(
        TcpStream::connect_timeout(&addr_of(uri), Duration::from_millis(300)),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused
    )
}

/// One raw request; the status code and body.
fn request(uri: &str, method: &str, host: &str, auth: Option<&str>) -> (u16, String) {
    let addr = addr_of(uri);
    let path = &uri[uri.find(&addr.to_string()).unwrap() + addr.to_string().len()..];
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
    if let Some(a) = auth {
        head += &format!("Authorization: {a}\r\n");
    }
    head += "\r\n";
    s.write_all(head.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").unwrap().1.to_string();
    (status, body)
}

fn wait_for_file(env: &Env, name: &str, child: &mut Child) -> String {
    let p = env.path(name);
    let ok = eventually(30, || {
        std::fs::read_to_string(&p).is_ok_and(|s| s.ends_with('\n'))
            || child.try_wait().unwrap().is_some()
    });
    assert!(ok, "{name} never appeared");
    std::fs::read_to_string(&p).unwrap_or_else(|_| {
        let o = child.wait_with_output_ref();
        panic!("awsenv ended before writing {name}: {o}")
    })
}

/// Kills a still running awsenv when a test fails halfway: a leftover would hold the test
/// harness's pipes open.
struct Reaper(Option<Child>);

impl Reaper {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().unwrap()
    }

    fn take(&mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            // The command first (awsenv forwards TERM), then awsenv itself.
            std::process::Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status()
                .ok();
            std::thread::sleep(Duration::from_millis(300));
            c.kill().ok();
            c.wait().ok();
        }
    }
}

trait ChildExt {
    fn wait_with_output_ref(&mut self) -> String;
}

impl ChildExt for Child {
    fn wait_with_output_ref(&mut self) -> String {
        let mut err = String::new();
        if let Some(mut e) = self.stderr.take() {
            e.read_to_string(&mut err).unwrap();
        }
        format!("{:?} {err}", self.wait().unwrap())
    }
}

#[test]
fn the_aws_cli_boto3_and_the_rust_sdk_read_the_role_from_the_endpoint() {
    let env = Env::user("dev");
    let want = assumed("awsenv-demo", "awsenv-tester");
    let client = ecs_client();
    let clients: [Vec<&str>; 3] = [
        support::WHOAMI.split(' ').collect(),
        vec![&python_leak(), "-c", BOTO3_WHOAMI],
        vec![client.to_str().unwrap()],
    ];
    for c in clients {
        let demo = demo();
        let mut args = vec!["exec", "--ecs-server", demo.as_str(), "--"];
        args.extend(c.iter().copied());
        let o = env.awsenv(&args);
        assert_ok(&o);
        let out = stdout(&o);
        assert!(out.trim().ends_with(&want), "{c:?}: {out}");
        if c.len() < 7 {
            // boto3 and the Rust SDK also print the key: a session key, not the user's.
            assert!(out.starts_with("ASIA"), "{c:?}: {out}");
        }
    }
}

/// The venv's python, kept alive for the borrow in a `&str` array.
fn python_leak() -> &'static str {
    Box::leak(python().into_boxed_str())
}

#[test]
fn the_child_gets_the_endpoint_not_keys_and_strangers_are_refused() {
    let env = Env::user("dev").set("AWS_PROFILE", "contradicting");
    let mut child = Reaper(Some(
        env.command(awsenv_bin())
            .args([
                "exec",
                "--ecs-server",
                &demo(),
                "--",
                "sh",
                "-c",
                "env -0 > child.env; echo > ready; while [ ! -e done ]; do sleep 0.05; done",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    wait_for_file(&env, "ready", child.child());
    let vars = parse_env0(&std::fs::read(env.path("child.env")).unwrap());
    for gone in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_PROFILE",
        "AWSENV_EXPIRES_AT",
    ] {
        assert!(
            !vars.contains_key(gone),
            "{gone} in the child's environment"
        );
    }
    assert_eq!(vars["AWSENV_ROLE"], "awsenv-demo");
    let uri = vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"].clone();
    let token = vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"].clone();
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert!(addr_of(&uri).port() > 0 && uri.len() > "http://127.0.0.1:1/".len() + 8);
    assert_eq!(token.len(), 64, "256 bits, hex");
    let host = addr_of(&uri).to_string();

    let (status, body) = request(&uri, "GET", &host, Some(&token));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    for k in ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"] {
        assert!(v[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {body}");
    }
    assert!(v["Expiration"].as_str().unwrap().ends_with('Z'));
    let secret = v["SecretAccessKey"].as_str().unwrap().to_string();

    // The last digit changed: as long as the token, wrong by one character.
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &token[..63]);
    let cases = [
        (None, host.clone(), 401),
        (Some(wrong.as_str()), host.clone(), 403),
        (Some(""), host.clone(), 403),
        (
            Some(token.as_str()),
            format!("evil.example:{}", addr_of(&uri).port()),
            403,
        ),
        (
            Some(token.as_str()),
            format!("localhost:{}", addr_of(&uri).port()),
            403,
        ),
    ];
    for (auth, h, want) in cases {
        let (status, body) = request(&uri, "GET", &h, auth);
        assert_eq!(status, want, "auth {auth:?} host {h}: {body}");
        assert!(!body.contains(&secret));
    }
    // A stranger cannot stop it either.
    assert_eq!(request(&uri, "DELETE", &host, Some(&wrong)).0, 403);

    std::fs::write(env.path("done"), "").unwrap();
    let o = child.take().wait_with_output().unwrap();
    assert_ok(&o);
    assert!(!stderr(&o).contains(&token) && !stderr(&o).contains(&secret));
    assert!(
        eventually(3, || refused(&uri)),
        "the endpoint outlived its command"
    );
}

#[test]
fn a_long_running_child_sees_a_renewed_key() {
    // A session of 15 min renewed 890 s before its end: the first renewal comes after ~10 s.
    let env = Env::user("dev");
    let script = r#"
import boto3, sys, time
s = boto3.Session()
sts = s.client('sts')
first = s.get_credentials().get_frozen_credentials().access_key
sts.get_caller_identity()
end = time.time() + 60
while time.time() < end:
    time.sleep(0.5)
    now = s.get_credentials().get_frozen_credentials().access_key
    if now != first:
        print(first, now, sts.get_caller_identity()['Arn'])
        sys.exit(0)
sys.exit('no new key in 60 s')
"#;
    let py = python();
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "-d",
        "15m",
        "--refresh-before",
        "890s",
        &demo(),
        "--",
        &py,
        "-c",
        script,
    ]);
    assert_ok(&o);
    let out = stdout(&o);
    let parts: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(parts.len(), 3, "{out}");
    assert_ne!(parts[0], parts[1]);
    assert_eq!(parts[2], assumed("awsenv-demo", "awsenv-tester"));

    // The Rust SDK's provider sees the renewal too.
    let client = ecs_client();
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "-d",
        "15m",
        "--refresh-before",
        "890s",
        &demo(),
        "--",
        client.to_str().unwrap(),
        "--watch",
        "60",
    ]);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("ASIA") && !lines[0].starts_with(&lines[1]));
}

#[test]
fn a_failed_renewal_keeps_serving_the_current_session() {
    // `viewer` is used by this test alone: its key is deleted halfway.
    let env = Env::user("viewer");
    let m = support::moto();
    let script = "import boto3, os, time\n\
s = boto3.Session()\n\
first = s.get_credentials().get_frozen_credentials().access_key\n\
open('ready', 'w').write(first + '\\n')\n\
while not os.path.exists('go'): time.sleep(0.1)\n\
time.sleep(22)\n\
print(first, s.get_credentials().get_frozen_credentials().access_key, s.client('sts').get_caller_identity()['Arn'])\n";
    let py = python();
    let mut child = Reaper(Some(
        env.command(awsenv_bin())
            .args([
                "exec",
                "--ecs-server",
                "-d",
                "15m",
                "--refresh-before",
                "885s",
                &demo(),
                "--",
                &py,
                "-c",
                script,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    wait_for_file(&env, "ready", child.child());
    let admin = &m.keys["admin"];
    let del = format!(
        "import boto3\nboto3.client('iam', endpoint_url='{}', region_name='us-east-1', \
         aws_access_key_id='{}', aws_secret_access_key='{}').delete_access_key(UserName='viewer', \
         AccessKeyId='{}')\n",
        m.endpoint, admin.id, admin.secret, m.keys["viewer"].id
    );
    let o = std::process::Command::new(python())
        .args(["-c", &del])
        .output()
        .unwrap();
    assert_ok(&o);
    std::fs::write(env.path("go"), "").unwrap();
    let o = child.take().wait_with_output().unwrap();
    assert_ok(&o);
    let out = stdout(&o);
    let parts: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(parts.len(), 3, "{out}");
    assert_eq!(parts[0], parts[1], "the served session stays");
    assert_eq!(parts[2], assumed("awsenv-demo", "awsenv-tester"));
    let err = stderr(&o);
    assert!(
        err.contains("could not renew the session") && err.contains("still serving"),
        "{err}"
    );
    assert!(!err.contains(&m.keys["viewer"].secret));
}

#[test]
fn an_mfa_session_is_served_to_its_end_and_says_so() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "-d",
        "15m",
        "--refresh-before",
        "890s",
        "--mfa-serial",
        &format!("arn:aws:iam::{ACCOUNT}:mfa/dev"),
        "--token-code",
        "123456",
        &demo(),
        "--",
        "sh",
        "-c",
        "sleep 14; aws sts get-caller-identity --query Arn --output text",
    ]);
    assert_ok(&o);
    assert_eq!(
        stdout(&o).trim(),
        assumed("awsenv-demo", "awsenv-tester"),
        "{}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("made with an MFA code") && err.contains("until it ends at"),
        "{err}"
    );
}

#[test]
fn exit_status_and_signals_pass_through() {
    let env = Env::user("dev");
    let d = demo();
    let o = env.awsenv(&["exec", "--ecs-server", &d, "--", "sh", "-c", "exit 7"]);
    assert_eq!(o.status.code(), Some(7));
    let o = env.shell(
        "bash",
        &format!("awsenv exec --ecs-server {d} -- sh -c 'kill -TERM $$'; echo \"status=$?\""),
    );
    assert_eq!(stdout(&o).trim(), "status=143");
    let o = env.awsenv(&["exec", "--ecs-server", &d, "--", "no-such-command-here"]);
    assert_fails(&o, 127, "command not found");

    // A signal sent to awsenv goes on to the command, which decides.
    let mut child = Reaper(Some(env
        .command(awsenv_bin())
        .args([
            "exec",
            "--ecs-server",
            &d,
            "--",
            "sh",
            "-c",
            "trap 'echo got-term > trapped; exit 5' TERM; echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri; while :; do sleep 0.05; done",
        ])
        .spawn()
        .unwrap()));
    let uri = wait_for_file(&env, "uri", child.child());
    std::process::Command::new("kill")
        .args(["-TERM", &child.child().id().to_string()])
        .status()
        .unwrap();
    let status = child.take().wait().unwrap();
    assert_eq!(status.code(), Some(5));
    assert_eq!(
        std::fs::read_to_string(env.path("trapped")).unwrap(),
        "got-term\n"
    );
    assert!(eventually(3, || refused(uri.trim())));
}

#[test]
fn a_killed_command_takes_the_endpoint_with_it() {
    let env = Env::user("dev");
    let mut child = Reaper(Some(
        env.command(awsenv_bin())
            .args([
                "exec",
                "--ecs-server",
                &demo(),
                "--",
                "sh",
                "-c",
                "echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri; echo $$ > pid; exec sleep 60",
            ])
            .spawn()
            .unwrap(),
    ));
    let uri = wait_for_file(&env, "uri", child.child());
    let pid = wait_for_file(&env, "pid", child.child());
    assert!(!refused(uri.trim()));
    std::process::Command::new("kill")
        .args(["-KILL", pid.trim()])
        .status()
        .unwrap();
    let status = child.take().wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "{status:?}");
    assert!(eventually(3, || refused(uri.trim())));
}

#[test]
fn simulate_and_profiles_are_served() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "simulate",
        "--ecs-server",
        "--quiet",
        "--role-name",
        "my-task",
        "--base-role",
        "power-user",
        "--",
        "aws",
        "sts",
        "get-caller-identity",
        "--query",
        "Arn",
        "--output",
        "text",
    ]);
    assert_ok(&o);
    assert_eq!(
        stdout(&o).trim(),
        assumed("power-user", "awsenv-sim-my-task")
    );

    env.write_credentials(&[("src", "dev")]);
    std::fs::write(
        env.path("aws-config"),
        format!(
            "[profile deploy]\nrole_arn = {}\nsource_profile = src\n",
            demo()
        ),
    )
    .unwrap();
    let env = env
        .remove("AWS_ACCESS_KEY_ID")
        .remove("AWS_SECRET_ACCESS_KEY");
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "deploy",
        "--",
        "aws",
        "sts",
        "get-caller-identity",
        "--query",
        "Arn",
        "--output",
        "text",
    ]);
    assert_ok(&o);
    assert!(stdout(&o)
        .trim()
        .starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/awsenv-demo/")));
}

#[test]
fn serve_then_unset_in_bash_zsh_and_fish() {
    let d = demo();
    for shell in ["bash", "zsh", "fish"] {
        let env = Env::user("dev");
        let (eval_serve, eval_unset) = match shell {
            "fish" => (
                format!("awsenv serve {d} | source"),
                "awsenv unset | source",
            ),
            _ => (
                format!("eval \"$(awsenv serve {d})\""),
                "eval \"$(awsenv unset)\"",
            ),
        };
        let script = format!(
            "{eval_serve}\n\
             echo \"key=$AWS_ACCESS_KEY_ID\"\n\
             aws sts get-caller-identity --query Arn --output text\n\
             awsenv status\n\
             echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri\n\
             {eval_unset}\n\
             echo \"key=$AWS_ACCESS_KEY_ID uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI server=$AWSENV_SERVER\"\n"
        );
        let o = env.shell(shell, &script);
        assert_ok(&o);
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "key=", "{shell}: no keys while served: {out}");
        // fish sets USER itself, and the session name follows it.
        assert!(
            lines[1].starts_with(&assumed("awsenv-demo", "awsenv-")),
            "{shell}: {out}"
        );
        assert!(
            out.contains("endpoint:    http://127.0.0.1:"),
            "{shell}: {out}"
        );
        assert_eq!(
            lines.last().unwrap(),
            &format!("key={} uri= server=", support::moto().keys["dev"].id),
            "{shell}: unset restores the keys and removes the endpoint"
        );
        let uri = std::fs::read_to_string(env.path("uri")).unwrap();
        assert!(
            eventually(3, || refused(uri.trim())),
            "{shell}: unset did not stop the endpoint"
        );
        assert!(!stderr(&o).contains(&support::moto().keys["dev"].secret));
    }
}

#[test]
fn a_served_shell_that_exits_stops_its_endpoint() {
    let env = Env::user("dev");
    let o = env.shell(
        "bash",
        &format!(
            "eval \"$(awsenv serve {})\"; echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri",
            demo()
        ),
    );
    assert_ok(&o);
    let uri = std::fs::read_to_string(env.path("uri")).unwrap();
    assert!(uri.starts_with("http://127.0.0.1:"));
    assert!(
        eventually(15, || refused(uri.trim())),
        "the endpoint outlived its shell"
    );

    // A redirection makes bash run awsenv in a subshell that ends at once: the endpoint is for
    // the shell, not that subshell.
    let o = env.shell(
        "bash",
        &format!(
            "eval \"$(awsenv serve {} 2>/dev/null)\"; sleep 7; aws sts get-caller-identity \
             --query Arn --output text; echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri",
            demo()
        ),
    );
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with(&assumed("awsenv-demo", "awsenv-")),
        "{}",
        stderr(&o)
    );
    let uri = std::fs::read_to_string(env.path("uri")).unwrap();
    assert!(eventually(15, || refused(uri.trim())));
}

#[test]
fn bad_combinations_are_refused() {
    let env = Env::user("dev");
    let d = demo();
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "--write-profile",
        "x",
        &d,
        "--",
        "true",
    ]);
    assert_fails(&o, 2, "--write-profile");
    let o = env.awsenv(&[
        "exec",
        "--ecs-server",
        "--refresh-before",
        "2h",
        &d,
        "--",
        "true",
    ]);
    assert_fails(&o, 2, "--refresh-before must be");
    let o = env.awsenv(&["exec", "--refresh-before", "5m", &d, "--", "true"]);
    assert_fails(&o, 2, "--ecs-server");
    let o = env.awsenv(&[
        "simulate",
        "--ecs-server",
        "--dry-run",
        "--role-name",
        "my-task",
        "--base-role",
        "power-user",
    ]);
    assert_fails(&o, 2, "--dry-run");
    let o = env.awsenv(&["serve", "-s", "bash", &role_arn("Untrusted")]);
    assert_fails(&o, 5, "");
}

/// direnv reloads only when a watched file changes. Staying in the directory, the prompt hook
/// writes the file the helper watches once the session is about to end, and direnv's next
/// prompt brings a new session. `faketime` moves awsenv 11 minutes on into a 15-minute session.
#[test]
fn direnv_renews_a_session_about_to_end_while_you_stay() {
    let faketime = support::require("faketime");
    let direnv = support::require("direnv");
    let env = support::direnv_env();
    std::fs::create_dir_all(env.path("project")).unwrap();
    std::fs::write(
        env.path("project/.envrc"),
        format!("use awsenv {} -d 15m\n", demo()),
    )
    .unwrap();
    let o = env
        .command(&direnv)
        .args(["allow", env.path("project").to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&o);
    let script = format!(
        "eval \"$(awsenv init bash)\"\n\
         prompt() {{ __awsenv_hook; eval \"$($1 direnv export bash 2>/dev/null)\"; }}\n\
         cd project && prompt\n\
         k1=$AWS_ACCESS_KEY_ID\n\
         prompt\n\
         [ \"$AWS_ACCESS_KEY_ID\" = \"$k1\" ] && [ ! -e \"$AWSENV_REFRESH_FILE\" ] && echo quiet\n\
         AWSENV_REFRESH_BEFORE=900 __awsenv_hook\n\
         [ -s \"$AWSENV_REFRESH_FILE\" ] && echo written\n\
         prompt '{} -f +11m'\n\
         [ -n \"$AWS_ACCESS_KEY_ID\" ] && [ \"$AWS_ACCESS_KEY_ID\" != \"$k1\" ] && echo renewed\n",
        faketime.display()
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    assert_eq!(stdout(&o), "quiet\nwritten\nrenewed\n", "{}", stderr(&o));
}

/// zsh's and fish's hooks write the file once per session, when it is due, with builtins.
#[test]
fn zsh_and_fish_hooks_write_the_refresh_file_once() {
    for shell in ["zsh", "fish"] {
        let env = Env::user("dev");
        let f = env.path("refresh").to_string_lossy().into_owned();
        let (init, set) = match shell {
            "fish" => ("awsenv init fish | source", "set -gx"),
            _ => ("eval \"$(awsenv init zsh)\"", "export"),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let script = format!(
            "{init}\n\
             {set} AWSENV_REFRESH_FILE {f}\n\
             {set} AWSENV_EXPIRES_AT {}\n\
             __awsenv_hook\n\
             test -e {f}; or echo not-yet\n\
             {set} AWSENV_EXPIRES_AT {}\n\
             __awsenv_hook\n\
             test -s {f}; and echo written\n\
             rm {f}\n\
             __awsenv_hook\n\
             test -e {f}; or echo once\n",
            now + 3600,
            now + 100
        );
        let script = if shell == "zsh" {
            script
                .replace(
                    &format!("export AWSENV_REFRESH_FILE {f}"),
                    &format!("export AWSENV_REFRESH_FILE={f}"),
                )
                .replace("export AWSENV_EXPIRES_AT ", "export AWSENV_EXPIRES_AT=")
                .replace("; or ", " || ")
                .replace("; and ", " && ")
        } else {
            script
        };
        let o = env.shell(shell, &script);
        assert_ok(&o);
        assert_eq!(
            stdout(&o),
            "not-yet\nwritten\nonce\n",
            "{shell}: {}",
            stderr(&o)
        );
    }
}

/// A served environment has no expiry to count down: the prompt says so, and never "expired".
#[test]
fn the_prompt_shows_a_served_role() {
    for shell in ["bash", "zsh", "fish"] {
        let env = Env::user("dev")
            .set("AWSENV_ROLE", "deploy")
            .set("AWSENV_SERVER", r#"{"pid":1,"detached":true}"#)
            .set("AWSENV_WARN_BEFORE", "600");
        let init = match shell {
            "fish" => "awsenv init fish | source",
            "zsh" => "eval \"$(awsenv init zsh)\"",
            _ => "eval \"$(awsenv init bash)\"",
        };
        let o = env.shell(shell, &format!("{init}\n__awsenv_hook\nawsenv_prompt"));
        assert_ok(&o);
        assert_eq!(stdout(&o), "aws:deploy served", "{shell}");
        assert_eq!(stderr(&o), "", "{shell}: no expiry warning");
    }
}
