//! Issue 21: the credential endpoint (`awsenv serve`) in odd sequences, in every shell: keys
//! assumed over a served role, a child shell's `unset`, the shell ending by any cause. Real
//! shells, moto in auth mode, the AWS CLI; environments compared byte for byte.

mod support;

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::{assert_ok, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

const WHOAMI: &str = "aws sts get-caller-identity --query Arn --output text";

/// The variables a served role sets that a role with keys must not keep.
const ENDPOINT_VARS: [&str; 3] = [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWSENV_SERVER",
];

fn assumed(role: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/")
}

/// The integration loaded; nushell sources a file it can see when it parses.
fn init(env: &Env, shell: &str) -> String {
    match shell {
        "bash" => "eval \"$(awsenv init bash)\"".into(),
        "zsh" => "eval \"$(awsenv init zsh)\"".into(),
        "fish" => "awsenv init fish | source".into(),
        _ => {
            let o = env.awsenv(&["init", "nu"]);
            assert_ok(&o);
            std::fs::write(env.path("init.nu"), &o.stdout).unwrap();
            "source init.nu".into()
        }
    }
}

fn eval(shell: &str, args: &str) -> String {
    support::eval_line(shell, args)
}

/// A statement that writes `$NAME` (empty when unset) and a newline to `file`.
fn save_var(shell: &str, name: &str, file: &str) -> String {
    match shell {
        "nu" => format!("($env.{name}? | default '') + \"\\n\" | save -f {file}"),
        "fish" => format!("echo \"${name}\" > {file}"),
        _ => format!("echo \"${{{name}-}}\" > {file}"),
    }
}

fn env0(shell: &str, file: &str) -> String {
    match shell {
        "nu" => format!("^env -0 o> {file}"),
        _ => format!("env -0 > {file}"),
    }
}

fn prompt(shell: &str) -> &'static str {
    match shell {
        "nu" => "print (awsenv_prompt)",
        "fish" => "awsenv_prompt; echo",
        _ => "awsenv_prompt; echo",
    }
}

fn whoami(shell: &str) -> String {
    match shell {
        "nu" => format!("^{WHOAMI}"),
        _ => WHOAMI.into(),
    }
}

fn addr_of(uri: &str) -> SocketAddr {
    let rest = uri.trim().strip_prefix("http://").expect("http URI");
    rest[..rest.find('/').expect("a path")].parse().unwrap()
}

fn refused(uri: &str) -> bool {
    matches!(
        TcpStream::connect_timeout(&addr_of(uri), Duration::from_millis(300)),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused
    )
}

/// How long the endpoint at `uri` took to stop answering, if it did within `limit`.
fn gone_within(uri: &str, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if refused(uri) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

/// A program run from inside the shell that says whether the endpoint in file `uri` still
/// answers (`answers`) or stopped within 2 s (`gone`): the shell must still be alive for it
/// to mean anything, since the endpoint also ends with its shell.
const PROBE: &str = r#"import socket, sys, time
host, port = open(sys.argv[1]).read().strip()[7:].split('/')[0].rsplit(':', 1)
end = time.time() + 2
while True:
    try:
        socket.create_connection((host, int(port)), 0.3).close()
    except ConnectionRefusedError:
        print('gone')
        break
    if time.time() > end:
        print('answers')
        break
    time.sleep(0.02)
"#;

fn probe(env: &Env, shell: &str, uri_file: &str) -> String {
    std::fs::write(env.path("probe.py"), PROBE).unwrap();
    match shell {
        "nu" => format!("^python probe.py {uri_file}"),
        _ => format!("python probe.py {uri_file}"),
    }
}

fn read_env(env: &Env, file: &str) -> std::collections::BTreeMap<String, String> {
    parse_env0(&std::fs::read(env.path(file)).unwrap())
}

/// Item 5: `sudo-on` over a served role left the endpoint running and AWSENV_SERVER set: the
/// prompt said "served" while the shell held 15-minute keys, and the hook skipped their expiry.
/// Now the keys replace the endpoint: it stops, its variables go, the prompt counts down, and
/// `sudo-off` still brings back exactly the environment from before `serve`.
fn sudo_on_over_a_served_role_stops_its_endpoint(shell: &str) {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    let script = [
        init(&env, shell),
        env0(shell, "before.env"),
        eval(shell, &format!("serve {}", role_arn("awsenv-demo"))),
        save_var(shell, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "uri"),
        prompt(shell).into(),
        format!("sudo-on {target} -d 1h"),
        env0(shell, "during.env"),
        prompt(shell).into(),
        probe(&env, shell, "uri"),
        whoami(shell),
        "sudo-off".into(),
        env0(shell, "after.env"),
        // Not last: zsh runs the last command with exec, one SHLVL down.
        "echo done".into(),
    ]
    .join("\n");
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{shell}: {out}\n{}", stderr(&o));
    assert_eq!(lines[0], "aws:awsenv-demo served", "{shell}");
    assert!(
        lines[1].starts_with("aws:Target ") && !lines[1].contains("served"),
        "{shell}: the prompt counts down the keys: {out}"
    );
    assert_eq!(lines[2], "gone", "{shell}: the endpoint still answers");
    assert!(lines[3].starts_with(&assumed("Target")), "{shell}: {out}");
    let during = read_env(&env, "during.env");
    for v in ENDPOINT_VARS {
        assert!(!during.contains_key(v), "{shell}: {v} left beside the keys");
    }
    assert!(during.contains_key("AWS_SESSION_TOKEN"), "{shell}");
    // nushell has no unexported variables: its wrappers' own state is in the environment.
    let (before, after) = match shell {
        "nu" => (
            support::aws_vars(&read_env(&env, "before.env")),
            support::aws_vars(&read_env(&env, "after.env")),
        ),
        _ => (read_env(&env, "before.env"), read_env(&env, "after.env")),
    };
    assert_eq!(before, after, "{shell}: exactly as before");
    assert!(
        !stderr(&o).contains(&support::moto().keys["dev"].secret),
        "{shell}"
    );
}

support::for_shells!(sudo_on_over_a_served_role_stops_its_endpoint: bash, zsh, fish, nu);

/// The prompt says "served" only while the endpoint the marker names runs: a marker whose
/// endpoint is gone (it stopped, or the parent shell that owned it ended) counts down like
/// keys, and the hook warns.
fn a_dead_endpoint_is_not_served(shell: &str) {
    // A process that has ended: its pid is not running (the test reaped it).
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    dead.wait().unwrap();
    for (pid, want) in [(std::process::id(), "served"), (dead.id(), "expired")] {
        let env = Env::user("dev")
            .set("AWSENV_ROLE", "deploy")
            .set(
                "AWSENV_SERVER",
                &format!(r#"{{"pid":{pid},"detached":true}}"#),
            )
            .set("AWSENV_WARN_BEFORE", "600");
        let hook = match shell {
            "nu" => "__awsenv_hook",
            "fish" => "emit fish_prompt",
            _ => "__awsenv_hook",
        };
        let script = [init(&env, shell), hook.into(), prompt(shell).into()].join("\n");
        let o = env.shell(shell, &script);
        assert_ok(&o);
        assert_eq!(stdout(&o), format!("aws:deploy {want}\n"), "{shell} {pid}");
        let warned = stderr(&o).contains("deploy has expired");
        assert_eq!(warned, want == "expired", "{shell}: {}", stderr(&o));
    }
}

support::for_shells!(a_dead_endpoint_is_not_served: bash, zsh, fish, nu);

/// A child shell of the same kind, running `script`.
fn child(shell: &str, script: &str) -> String {
    let q = awsenv::shell::Shell::Bash.quote(script);
    match shell {
        "bash" => format!("bash --noprofile --norc -c {q}"),
        "zsh" => format!("zsh --no-rcs -c {q}"),
        "fish" => format!("fish --no-config -c {q}"),
        _ => format!(
            "^{} --no-config-file -c {}",
            support::nu().display(),
            awsenv::shell::Shell::Nu.quote(&format!("source init.nu\n{script}"))
        ),
    }
}

/// Item 3: a child shell inherits the endpoint's variables and its token. Its `unset` drops
/// the role in the child only: the parent's AWS CLI still gets the role from the endpoint,
/// which stops at the parent's own `unset`.
fn a_child_shells_unset_leaves_the_parents_endpoint(shell: &str) {
    let env = Env::user("dev");
    let child_script = [
        eval(shell, "unset"),
        save_var(shell, "AWSENV_ROLE", "child-role"),
        save_var(shell, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "child-uri"),
    ]
    .join("\n");
    let script = [
        init(&env, shell),
        eval(shell, &format!("serve {}", role_arn("awsenv-demo"))),
        save_var(shell, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "uri"),
        child(shell, &child_script),
        whoami(shell),
        probe(&env, shell, "uri"),
        eval(shell, "unset"),
        probe(&env, shell, "uri"),
        whoami(shell),
    ]
    .join("\n");
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{shell}: {out}\n{}", stderr(&o));
    assert!(
        lines[0].starts_with(&assumed("awsenv-demo")),
        "{shell}: the parent's endpoint serves after the child's unset: {out}\n{}",
        stderr(&o)
    );
    assert_eq!(lines[1], "answers", "{shell}");
    assert_eq!(lines[2], "gone", "{shell}: the owner's unset stops it");
    assert_eq!(
        lines[3],
        format!("arn:aws:iam::{ACCOUNT}:user/dev"),
        "{shell}"
    );
    for f in ["child-role", "child-uri"] {
        assert_eq!(
            std::fs::read_to_string(env.path(f)).unwrap(),
            "\n",
            "{shell}: {f}: the child drops the role"
        );
    }
}

support::for_shells!(a_child_shells_unset_leaves_the_parents_endpoint: bash, zsh, fish, nu);

/// The shell, started as `shell -c script`.
fn spawn(env: &Env, shell: &str, script: &str) -> Child {
    let (program, flags): (std::path::PathBuf, &[&str]) = match shell {
        "bash" => (support::require("bash"), &["--noprofile", "--norc", "-c"]),
        "zsh" => (support::require("zsh"), &["--no-rcs", "-c"]),
        "fish" => (support::require("fish"), &["--no-config", "-c"]),
        _ => (support::nu(), &["--no-config-file", "-c"]),
    };
    env.command(program)
        .args(flags)
        .arg(script)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(env: &Env, file: &str, shell: &mut Child) -> String {
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(t) = std::fs::read_to_string(env.path(file)) {
            if t.ends_with('\n') {
                return t;
            }
        }
        if let Ok(Some(status)) = shell.try_wait() {
            let mut err = String::new();
            use std::io::Read;
            shell.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("the shell ended ({status}) before writing {file}: {err}");
        }
        assert!(Instant::now() < end, "no {file} after 60 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Item 2: the endpoint serves the shell that evaluates `serve`'s output, known exactly, and
/// ends within 2 s of that shell's end, whatever ends it: its own exit or SIGKILL, also when
/// it runs under a shell of its own kind that lives on.
fn an_endpoint_ends_within_2s_of_its_shell(shell: &str) {
    for (how, nested) in [("exit", false), ("SIGKILL", false), ("SIGKILL", true)] {
        let env = Env::user("dev");
        let pid = match shell {
            "nu" => "$nu.pid",
            "fish" => "$fish_pid",
            _ => "$$",
        };
        let mut inner = vec![
            init(&env, shell),
            eval(shell, &format!("serve {}", role_arn("awsenv-demo"))),
            save_var(shell, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "uri"),
        ];
        inner.push(match shell {
            "nu" => format!("$\"({pid})\\n\" | save -f pid"),
            _ => format!("echo {pid} > pid"),
        });
        // Not the last command: bash and zsh run that one with exec.
        let sleep = |secs: u32| match shell {
            "nu" => format!("sleep {secs}sec\nprint ''"),
            _ => format!("sleep {secs}\necho"),
        };
        // While it sleeps the test sees the endpoint answer; then the shell ends.
        inner.push(sleep(if how == "SIGKILL" { 60 } else { 3 }));
        let inner = inner.join("\n");
        let script = if nested {
            // The outer shell lives on, and a subshell of its own kind ran the inner one.
            format!("{}\n{}", child(shell, &inner), sleep(60))
        } else {
            inner
        };
        let mut sh = spawn(&env, shell, &script);
        let uri = wait_for(&env, "uri", &mut sh);
        let owner: i32 = wait_for(&env, "pid", &mut sh).trim().parse().unwrap();
        assert!(
            !refused(&uri),
            "{shell} {how}: the endpoint does not answer"
        );
        let end = if how == "exit" {
            let status = sh.wait().unwrap();
            assert!(status.success(), "{shell}: {status}");
            Instant::now()
        } else {
            // SAFETY: a plain kill(2) of a process this test started (or its child).
            assert_eq!(unsafe { libc::kill(owner, libc::SIGKILL) }, 0);
            Instant::now()
        };
        let took = gone_within(&uri, Duration::from_secs(2));
        eprintln!(
            "{shell} {how}{}: endpoint gone after {took:?}",
            if nested { " (nested)" } else { "" }
        );
        sh.kill().ok();
        sh.wait().ok();
        assert!(
            took.is_some(),
            "{shell} {how} nested={nested}: the endpoint outlived its shell by 2 s ({:?} since)",
            end.elapsed()
        );
    }
}

support::for_shells!(an_endpoint_ends_within_2s_of_its_shell: bash, zsh, fish, nu);

/// One GET with the token, as an SDK sends it: `None` when the port refuses the connection.
fn get(uri: &str, token: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let addr = addr_of(uri);
    let path = &uri.trim()[uri.trim().find('/').unwrap() + 2..];
    let path = &path[path.find('/').unwrap()..];
    let mut s = match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return None,
        Err(e) => panic!("{uri}: {e}"),
    };
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\n\r\n",
        token.trim()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    Some((status, out.split_once("\r\n\r\n").unwrap().1.to_string()))
}

/// libfaketime itself: the `faketime` wrapper waits for every process that shares its clock,
/// the detached server too, so `$(…)` would never end.
fn libfaketime() -> std::path::PathBuf {
    support::require("faketime");
    std::fs::read_dir("/usr/lib")
        .unwrap()
        .flatten()
        .map(|d| d.path().join("faketime/libfaketime.so.1"))
        .find(|p| p.exists())
        .expect("libfaketime.so.1 (Debian package faketime)")
}

/// Security review, finding 1: once the session could no longer be renewed (an MFA session
/// at its end), the endpoint exited while its shell still exported the URI and the token: the
/// free port was another local user's to take, with every credentials request of that shell.
/// Now it keeps the port, answers 503 with the reason, and ends with its shell. `faketime`
/// starts awsenv 14 min 35 s into a 15-minute session: renewal (5 s before the end) needs a
/// new MFA code, and the session ends 25 s after `serve`.
#[test]
fn an_endpoint_with_nothing_left_to_serve_keeps_its_port_until_its_shell_ends() {
    let env = Env::user("dev");
    let script = [
        format!(
            "eval \"$(LD_PRELOAD={} FAKETIME=+875 FAKETIME_DONT_FAKE_MONOTONIC=1 awsenv serve \
             -s bash -d 15m --refresh-before 5 --mfa-serial {} --token-code {} --no-cache {})\"",
            libfaketime().display(),
            support::mfa_serial("dev"),
            support::mfa_code("dev"),
            role_arn("awsenv-demo")
        ),
        "echo \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\" > token".into(),
        "echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri".into(),
        "echo $$ > pid".into(),
        "sleep 120".into(),
        "echo".into(),
    ]
    .join("\n");
    let mut sh = spawn(&env, "bash", &script);
    let uri = wait_for(&env, "uri", &mut sh);
    let token = wait_for(&env, "token", &mut sh);
    let owner: i32 = wait_for(&env, "pid", &mut sh).trim().parse().unwrap();
    let end = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let why = loop {
        let got = get(&uri, &token);
        if seen.last() != Some(&got.as_ref().map(|g| g.0)) {
            seen.push(got.as_ref().map(|g| g.0));
        }
        match got {
            // Expired a moment before the refresher sees it and says why.
            Some((503, body)) if body.contains("MFA session ended") => break body,
            Some((200 | 503, _)) => {}
            other => {
                sh.kill().ok();
                panic!(
                    "the endpoint gave up its port while its shell lives: {other:?} after {seen:?}"
                )
            }
        }
        assert!(Instant::now() < end, "still serving after 60 s: {seen:?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(why.contains("new MFA code"), "{why}");
    // And it stays so: the port is not handed back while the shell points at it.
    let held = Instant::now() + Duration::from_secs(3);
    while Instant::now() < held {
        assert_eq!(get(&uri, &token).map(|g| g.0), Some(503), "{seen:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: a plain kill(2) of the shell this test started.
    assert_eq!(unsafe { libc::kill(owner, libc::SIGKILL) }, 0);
    let took = gone_within(&uri, Duration::from_secs(2));
    sh.wait().ok();
    assert!(took.is_some(), "the endpoint outlived its shell by 2 s");
}

/// Security review, finding 2: with its output in a file (`awsenv serve … > f; . f`) in a
/// script that bash runs from bash, the owner was guessed by name: the outer bash. The
/// endpoint outlived the script, and the script's own `unset` left it running. Output that
/// is not a pipe is read by the parent, and the parent owns the endpoint.
#[test]
fn a_script_that_sources_serves_output_owns_its_endpoint() {
    let env = Env::user("dev");
    std::fs::write(env.path("probe.py"), PROBE).unwrap();
    for unset in [false, true] {
        let mut body = vec![
            format!(
                "awsenv serve -s bash {} > served.sh",
                role_arn("awsenv-demo")
            ),
            ". ./served.sh".into(),
            "echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri".into(),
        ];
        if unset {
            body.push("eval \"$(awsenv unset)\"".into());
            body.push("python probe.py uri > after-unset".into());
        }
        std::fs::write(env.path("script.sh"), body.join("\n") + "\n").unwrap();
        std::fs::remove_file(env.path("done")).ok();
        let mut outer = env
            .command(support::require("bash"))
            .args([
                "--noprofile",
                "--norc",
                "-c",
                "bash script.sh; echo > done; sleep 30",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for(&env, "done", &mut outer);
        let uri = std::fs::read_to_string(env.path("uri")).unwrap();
        let took = gone_within(&uri, Duration::from_secs(2));
        outer.kill().ok();
        outer.wait().ok();
        if unset {
            assert_eq!(
                std::fs::read_to_string(env.path("after-unset")).unwrap(),
                "gone\n",
                "the script's own unset left its endpoint running"
            );
        }
        assert!(
            took.is_some(),
            "unset={unset}: the endpoint outlived the script (the outer bash still runs)"
        );
    }
}

/// Security review, finding 3: the server was started with awsenv's own arguments, so the MFA
/// code and the external id sat in /proc/PID/cmdline, readable by every local user, for the
/// server's whole life. They now go over the handoff pipe (the code is not needed at all),
/// and renewal still works.
#[test]
fn the_servers_command_line_holds_no_mfa_code_or_external_id() {
    let env = Env::user("dev");
    let code = support::mfa_code("dev");
    let external = "ext-id-7f3a9c";
    let script = format!(
        "eval \"$(awsenv serve -d 15m --refresh-before 890s --mfa-serial {} --token-code {code} \
         --external-id={external} mfa-admin)\"\n\
         echo \"$AWSENV_SERVER\" > marker\n\
         echo \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\" > token\n\
         echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > uri\n\
         sleep 60\n\
         echo",
        support::mfa_serial("dev")
    );
    let mut sh = spawn(&env, "bash", &script);
    let marker = wait_for(&env, "marker", &mut sh);
    let uri = wait_for(&env, "uri", &mut sh);
    let token = wait_for(&env, "token", &mut sh);
    let marker: serde_json::Value = serde_json::from_str(marker.trim()).unwrap();
    let pid = marker["pid"].as_u64().expect("the server's pid");
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
    let key = |what: &str| match get(&uri, &token) {
        Some((200, body)) => {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            v["AccessKeyId"].as_str().unwrap().to_string()
        }
        other => panic!("{what}: {other:?}"),
    };
    let first = key("first");
    // The session is renewed 10 s after it starts (890 s before the end of 15 min).
    let end = Instant::now() + Duration::from_secs(30);
    let renewed = loop {
        std::thread::sleep(Duration::from_millis(500));
        let k = key("renewal");
        if k != first || Instant::now() > end {
            break k;
        }
    };
    sh.kill().ok();
    sh.wait().ok();
    assert!(cmdline.contains("mfa-admin"), "not the server's: {cmdline}");
    assert!(!cmdline.contains(&code), "the MFA code in argv: {cmdline}");
    assert!(
        !cmdline.contains(external),
        "the external id in argv: {cmdline}"
    );
    assert_ne!(first, renewed, "not renewed within 30 s");
}
