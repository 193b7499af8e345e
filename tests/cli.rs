//! Bad input gets a clear error and nothing else: stdout empty, a message that says what was
//! wrong, a documented non-zero exit code. None of these reach the network.

mod support;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use support::{assert_fails, assert_ok, stderr, stdout, Env};

const ARN: &str = "arn:aws:iam::123456789012:role/T";

#[test]
fn bad_roles_show_the_accepted_forms() {
    let env = Env::bare();
    // An empty ROLE is no ROLE (how sudo-on asks for the picker): without a terminal, how to
    // name one.
    let o = env.awsenv(&["assume", "-s", "bash", ""]);
    assert_fails(&o, 2, "Name the role");
    for bad in [
        " ",
        "arn:aws:iam::123:role/T",
        "arn:aws:iam::123456789012:user/T",
        "role name",
        "$(id)",
        "a;b",
    ] {
        let o = env.awsenv(&["assume", "-s", "bash", bad]);
        assert_fails(&o, 2, "Accepted forms");
    }
}

#[test]
fn bad_options_are_rejected_before_the_network() {
    let env = Env::bare();
    let cases: &[(&[&str], &str)] = &[
        (&["-d", "10m"], "900"),
        (&["-d", "13h"], "43200"),
        (&["-d", "soon"], "not a duration"),
        (&["-n", "x"], "session name"),
        (&["-n", "has space"], "session name"),
        (&["--tag", "novalue"], "KEY=VALUE"),
        (&["--tag", "k=$(id)"], "tag value"),
        (&["--policy", "{not json"], "not valid JSON"),
        (&["--policy-arn", "ReadOnlyAccess"], "managed policy ARN"),
        (&["-e", "x"], "external id"),
        // AWS's SourceIdentity pattern has no `:` or `/` (an external id may have both).
        (&["--source-identity", "jane/doe"], "source identity"),
        (&["--source-identity", "aws:x"], "source identity"),
        (&["-r", "EU WEST"], "region"),
        (&["--mfa-serial", "x y"], "MFA"),
        (
            &[
                "--mfa-serial",
                "arn:aws:iam::123456789012:mfa/a",
                "--token-code",
                "12",
            ],
            "six digits",
        ),
        (&["--min-ttl", "later"], "min-ttl"),
    ];
    for (opts, needle) in cases {
        let mut args = vec!["assume", "-s", "bash"];
        args.extend_from_slice(opts);
        args.push(ARN);
        let o = env.awsenv(&args);
        assert_fails(&o, 2, needle);
    }
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--policy",
        "/no/such/file.json",
        ARN,
    ]);
    assert_fails(&o, 9, "cannot read the policy file");
    let many: Vec<String> = (0..11)
        .map(|i| format!("arn:aws:iam::aws:policy/P{i}"))
        .collect();
    let mut args = vec!["assume", "-s", "bash"];
    for a in &many {
        args.extend(["--policy-arn", a.as_str()]);
    }
    args.push(ARN);
    assert_fails(&env.awsenv(&args), 2, "at most 10");
}

#[test]
fn unknown_shells_are_explained() {
    let env = Env::bare().set("AWSENV_SHELL", "tcsh");
    assert_fails(&env.awsenv(&["assume", ARN]), 10, "AWSENV_SHELL");
    let env = Env::bare().set("SHELL", "/bin/tcsh");
    assert_fails(&env.awsenv(&["assume", ARN]), 10, "--shell");
    // clap's own errors are exit code 2 and also say what is accepted.
    let o = Env::bare().awsenv(&["assume", "-s", "tcsh", ARN]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
}

#[test]
fn the_shell_is_the_parent_process_then_shell_variable() {
    let env = Env::bare().set("SHELL", "/usr/bin/fish");
    // Inside `$(…)` in bash the parent is bash, whatever $SHELL says. awsenv's own status is
    // the shell's (`|| exit`), so a failure that still printed something is seen.
    let capture = "out=$(awsenv unset 2>/dev/null) || exit; printf '%s' \"$out\"";
    let o = env.shell("bash", capture);
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with("unset AWSENV_ROLE"),
        "{}",
        stdout(&o)
    );
    let o = env.shell("zsh", capture);
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with("unset AWSENV_ROLE"),
        "{}",
        stdout(&o)
    );
    let o = env.shell("fish", "awsenv unset 2>/dev/null");
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with("if set -qg AWSENV_ROLE"),
        "{}",
        stdout(&o)
    );
    // Run directly by a program that is not a shell: $SHELL decides.
    let o = env.awsenv(&["unset"]);
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with("if set -qg AWSENV_ROLE"),
        "{}",
        stdout(&o)
    );
}

/// A listener that counts connections, standing in for the EC2 metadata service.
fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    std::thread::spawn(move || {
        for _ in l.incoming().flatten() {
            n2.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, n)
}

#[test]
fn no_credentials_fails_with_instance_metadata_only_where_the_user_named_it() {
    // Off EC2 awsenv turns IMDS off (unit test `imds_is_off_only_off_ec2…`); a metadata
    // endpoint the user names is theirs to use, though: it is asked for credentials.
    let (imds, hits) = counting_listener();
    let env = Env::bare()
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)
        .set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let o = env.awsenv(&["assume", "-s", "bash", ARN]);
    assert_fails(&o, 3, "no AWS credentials found");
    assert!(stderr(&o).contains("--profile"), "says what to do");
    assert!(
        hits.load(Ordering::SeqCst) > 0,
        "the named metadata endpoint was not asked"
    );
    // The user's own AWS_EC2_METADATA_DISABLED still wins.
    let (imds, hits) = counting_listener();
    let env = Env::bare()
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)
        .set("AWS_EC2_METADATA_DISABLED", "true")
        .set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let o = env.awsenv(&["assume", "-s", "bash", ARN]);
    assert_fails(&o, 3, "no AWS credentials found");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "IMDS was probed though disabled"
    );
}

#[test]
fn unknown_profile_is_named() {
    let env = Env::bare().set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let o = env.awsenv(&["assume", "-s", "bash", "-p", "nope", ARN]);
    assert_fails(&o, 3, "nope");
}

#[test]
fn unset_without_an_active_role_is_harmless() {
    let o = Env::bare().awsenv(&["unset", "-s", "bash"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("no awsenv role is active"));
    assert_eq!(
        stdout(&o),
        "unset AWSENV_ROLE AWSENV_ROLE_ARN AWSENV_SESSION_ARN AWSENV_SIMULATED_BY AWSENV_EXPIRES_AT AWSENV_SOURCE AWSENV_SAVED AWSENV_SERVER;\n"
    );
}

#[test]
fn foreign_saved_state_is_refused() {
    for bad in ["garbage", r#"{"v":1,"vars":{},"secrets":"../../x.json"}"#] {
        let o = Env::bare()
            .set("AWSENV_SAVED", bad)
            .awsenv(&["unset", "-s", "bash"]);
        assert_fails(&o, 2, "AWSENV_SAVED");
    }
}

#[test]
fn help_documents_exit_codes() {
    let o = Env::bare().awsenv(&["assume", "--help"]);
    assert_ok(&o);
    let help = stdout(&o);
    for needle in [
        "Exit codes:",
        "  5   access denied",
        "--session-name",
        "--chain",
    ] {
        assert!(help.contains(needle), "{needle}");
    }
}

/// Runs awsenv with at most 1 GiB of address space and 20 s: the bad input below once made it
/// read until memory ran out, or wait forever.
fn bounded(env: &Env, args: &[&str]) -> (std::process::Output, std::time::Duration) {
    use std::time::{Duration, Instant};
    let mut child = env
        .command("sh")
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(support::awsenv_bin())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().ok();
    (child.wait_with_output().unwrap(), start.elapsed())
}

/// Issue 21: `--policy /dev/zero` read until memory ran out and a FIFO blocked for ever.
#[test]
fn a_policy_file_must_be_a_regular_file_of_sane_size() {
    let env = Env::bare();
    let fifo = env.path("policy.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::create_dir(env.path("dir")).unwrap();
    let big = env.path("big.json");
    std::fs::write(
        &big,
        format!("{{\"Version\": \"2012-10-17\"{}}}", " ".repeat(70_000)),
    )
    .unwrap();
    let cases = [
        ("/dev/zero".to_string(), "not a regular file"),
        (fifo.to_string_lossy().into_owned(), "not a regular file"),
        (
            env.path("dir").to_string_lossy().into_owned(),
            "not a regular file",
        ),
        (big.to_string_lossy().into_owned(), "larger than 64 KiB"),
    ];
    for (path, needle) in cases {
        let (o, took) = bounded(&env, &["assume", "-s", "bash", "--policy", &path, ARN]);
        assert_fails(&o, 2, needle);
        assert!(stderr(&o).contains(&path), "{}", stderr(&o));
        eprintln!("--policy {path}: {took:?}");
    }
    // A regular file below the bound is read (and then found to have no credentials).
    let ok = env.path("ok.json");
    std::fs::write(
        &ok,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n",
    )
    .unwrap();
    let (o, _) = bounded(
        &env,
        &[
            "assume",
            "-s",
            "bash",
            "--policy",
            ok.to_str().unwrap(),
            ARN,
        ],
    );
    assert_fails(&o, 3, "no AWS credentials found");
}

/// Issue 21: a relative AWSENV_CACHE_DIR put sessions under whatever directory awsenv ran in.
#[test]
fn a_relative_cache_dir_is_refused() {
    for dir in ["cache", "./c", "~/cache"] {
        let env = Env::bare().set("AWSENV_CACHE_DIR", dir);
        assert_fails(
            &env.awsenv(&["assume", "-s", "bash", ARN]),
            2,
            "AWSENV_CACHE_DIR",
        );
        assert_fails(&env.awsenv(&["cache", "list"]), 2, "relative path");
        let made: Vec<_> = std::fs::read_dir(env.home.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            made.is_empty(),
            "{dir}: {made:?} created in the working directory"
        );
    }
}

/// Issue 21: a hostile region in the environment failed late, with the SDK's words and exit 6.
/// It is bad input: exit 2, the variable named, nothing sent.
#[test]
fn a_bad_region_in_the_environment_is_named() {
    let (endpoint, hits) = counting_listener();
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        for bad in ["us-east-1\nx", "EU WEST", "../../x", "a.b"] {
            let env = Env::bare()
                .set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE12")
                .set("AWS_SECRET_ACCESS_KEY", "secret")
                .set("AWS_ENDPOINT_URL", &endpoint)
                .set(var, bad);
            let o = env.awsenv(&["assume", "-s", "bash", ARN]);
            assert_fails(&o, 2, var);
            assert!(stderr(&o).contains("not a region name"), "{}", stderr(&o));
        }
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a request was sent");
    // `-r` decides the region; the environment's is then not used, and not judged.
    let env = Env::bare()
        .set("AWS_REGION", "EU WEST")
        .set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let o = env.awsenv(&["assume", "-s", "bash", "-r", "eu-west-1", ARN]);
    assert_fails(&o, 3, "no AWS credentials found");
}
