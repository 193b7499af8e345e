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
