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
    for bad in [
        "",
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
