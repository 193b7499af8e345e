//! Running commands as a role, credential_process, AWS config profiles and --write-profile,
//! against moto in auth mode, checked with the real AWS CLI.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::{
    assert_fails, assert_ok, awsenv_bin, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT,
};

fn assumed(role: &str, session: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}")
}

const WHOAMI: [&str; 6] = [
    "aws",
    "sts",
    "get-caller-identity",
    "--query",
    "Arn",
    "--output",
];

fn whoami_args() -> Vec<&'static str> {
    let mut v = WHOAMI.to_vec();
    v.push("text");
    v
}

#[test]
fn exec_runs_the_command_as_the_role() {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let mut args = vec!["exec", demo.as_str(), "--"];
    args.extend(whoami_args());
    let o = env.awsenv(&args);
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), assumed("awsenv-demo", "awsenv-tester"));
}

#[test]
fn exec_passes_arguments_exactly_and_returns_the_status() {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let tricky = ["a b", "it's", "x\ny", "", "\"q\"", "$(id)", "*", "\\"];
    let mut args = vec!["exec", demo.as_str(), "--", "printf", "%s\\0"];
    args.extend(tricky);
    let o = env.awsenv(&args);
    assert_ok(&o);
    let want: Vec<u8> = tricky
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    assert_eq!(o.stdout, want);

    let o = env.awsenv(&["exec", &demo, "--", "sh", "-c", "exit 7"]);
    assert_eq!(o.status.code(), Some(7));
    // A signal death: the shell that ran awsenv reports 128+N, as for any command.
    let o = env.shell(
        "bash",
        &format!("awsenv exec {demo} -- sh -c 'kill -TERM $$'; echo \"status=$?\""),
    );
    assert_eq!(stdout(&o).trim(), "status=143");

    let o = env.awsenv(&["exec", &demo, "--", "no-such-command-here"]);
    assert_fails(&o, 127, "command not found");
}

#[test]
fn exec_changes_only_the_childs_environment() {
    let env = Env::user("dev").set("AWS_PROFILE", "keep-me");
    let demo = role_arn("awsenv-demo");
    let o = env.shell(
        "bash",
        &format!(
            "env -0 > before.env; awsenv exec {demo} -- env -0 > child.env; env -0 > after.env"
        ),
    );
    assert_ok(&o);
    let read = |f: &str| parse_env0(&std::fs::read(env.path(f)).unwrap());
    let (before, child, after) = (read("before.env"), read("child.env"), read("after.env"));
    assert_eq!(support::aws_vars(&before), support::aws_vars(&after));
    assert_eq!(child["AWSENV_ROLE"], "awsenv-demo");
    assert!(
        !child.contains_key("AWS_PROFILE"),
        "contradicting variables are removed"
    );
    assert!(
        !child.contains_key("AWS_EC2_METADATA_DISABLED"),
        "awsenv's own adjustments stay in awsenv"
    );
    assert_eq!(child["PATH"], before["PATH"]);
}

#[test]
fn exec_without_a_command_starts_the_shell() {
    let env = Env::user("dev").set("SHELL", "/bin/sh");
    let mut child = env
        .command(awsenv_bin())
        .args(["exec", &role_arn("awsenv-demo")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    support::write_stdin(&mut child, b"echo \"$AWSENV_ROLE\"; exit 3\n");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stdout(&o), "awsenv-demo\n");
}

#[test]
fn secrets_never_reach_an_argv() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "exec",
        &role_arn("awsenv-demo"),
        "--",
        "sh",
        "-c",
        "printf '%s\\n' \"$AWS_SECRET_ACCESS_KEY\" > secret; cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '",
    ]);
    assert_ok(&o);
    let secret = std::fs::read_to_string(env.path("secret")).unwrap();
    let secret = secret.trim();
    assert!(secret.len() > 10);
    assert!(
        !stdout(&o).contains(secret),
        "a secret in some process's argv"
    );
}

#[test]
fn simulate_runs_a_command() {
    let env = Env::user("dev");
    let mut args = vec![
        "simulate",
        "--role-name",
        "my-task",
        "--base-role",
        "power-user",
        "-q",
        "--",
    ];
    args.extend(whoami_args());
    let o = env.awsenv(&args);
    assert_ok(&o);
    assert_eq!(
        stdout(&o).trim(),
        assumed("power-user", "awsenv-sim-my-task")
    );
}

#[test]
fn credential_process_feeds_the_aws_cli() {
    let env = Env::user("dev")
        .remove("AWS_ACCESS_KEY_ID")
        .remove("AWS_SECRET_ACCESS_KEY");
    env.write_credentials(&[("dev", "dev")]);
    let bin = awsenv_bin();
    std::fs::write(
        env.path("aws-config"),
        format!(
            "[profile via-awsenv]\ncredential_process = {} credential-process --profile dev {}\nregion = us-east-1\n",
            bin.display(),
            role_arn("app/Target")
        ),
    )
    .unwrap();
    let mut args = whoami_args();
    args.extend(["--profile", "via-awsenv"]);
    let o = env.command(args[0]).args(&args[1..]).output().unwrap();
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), assumed("Target", "awsenv-tester"));

    // The document itself.
    let o = env.awsenv(&[
        "credential-process",
        "--profile",
        "dev",
        &role_arn("app/Target"),
    ]);
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["Version"], 1);
    for k in ["AccessKeyId", "SecretAccessKey", "SessionToken"] {
        assert!(v[k].as_str().is_some_and(|s| !s.is_empty()), "{k}");
    }
    assert!(v["Expiration"].as_str().unwrap().ends_with('Z'));
    // Served from the cache: the same session twice.
    let again = env.awsenv(&[
        "credential-process",
        "--profile",
        "dev",
        &role_arn("app/Target"),
    ]);
    assert_eq!(stdout(&again), stdout(&o));

    let o = env
        .set("AWSENV_IN_CREDENTIAL_PROCESS", "1")
        .awsenv(&["credential-process", &role_arn("app/Target")]);
    assert_fails(&o, 2, "loop");
}

fn profile_env() -> Env {
    let env = Env::user("dev")
        .remove("AWS_ACCESS_KEY_ID")
        .remove("AWS_SECRET_ACCESS_KEY");
    env.write_credentials(&[("dev", "dev")]);
    let config = format!(
        "[default]\nregion = us-east-1\n\
         [profile target-role]\nrole_arn = {target}\nsource_profile = dev\nrole_session_name = from-profile\nregion = eu-west-2\nexternal_id = ext-1\n\
         [profile demo-role]\nrole_arn = {demo}\nsource_profile = dev\nrole_session_name = awsenv-chain\n\
         [profile chained]\nrole_arn = {chained}\nsource_profile = demo-role\nduration_seconds = 7200\n\
         [profile env-source]\nrole_arn = {demo}\ncredential_source = Environment\n\
         [profile with-mfa]\nrole_arn = {demo}\nsource_profile = dev\nmfa_serial = arn:aws:iam::{ACCOUNT}:mfa/dev\n\
         [profile awsenv-demo]\nrole_arn = {target}\nsource_profile = dev\n\
         [profile broken]\nrole_arn = {demo}\n",
        target = role_arn("app/Target"),
        demo = role_arn("awsenv-demo"),
        chained = role_arn("Chained"),
    );
    std::fs::write(env.path("aws-config"), config).unwrap();
    env
}

fn exported(out: &str, name: &str) -> Option<String> {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("export {name}=")))
        .map(|v| v.trim_end_matches(';').trim_matches('\'').to_string())
}

#[test]
fn profiles_are_roles() {
    let env = profile_env();
    let o = env.awsenv(&["assume", "-s", "bash", "target-role"]);
    assert_ok(&o);
    let out = stdout(&o);
    assert_eq!(
        exported(&out, "AWSENV_SESSION_ARN").as_deref(),
        Some(assumed("Target", "from-profile").as_str())
    );
    assert_eq!(exported(&out, "AWS_REGION").as_deref(), Some("eu-west-2"));
    assert!(exported(&out, "AWSENV_SOURCE")
        .unwrap()
        .contains("profile:target-role"));

    // A name that is a profile and a role: the profile, unless --role.
    let o = env.awsenv(&["assume", "-s", "bash", "awsenv-demo"]);
    assert_eq!(
        exported(&stdout(&o), "AWSENV_ROLE").as_deref(),
        Some("Target")
    );
    let o = env.awsenv(&["assume", "-s", "bash", "--role", "-p", "dev", "awsenv-demo"]);
    assert_ok(&o);
    assert_eq!(
        exported(&stdout(&o), "AWSENV_ROLE").as_deref(),
        Some("awsenv-demo")
    );

    let o = env.awsenv(&["assume", "-s", "bash", "broken"]);
    assert_fails(&o, 2, "neither source_profile nor credential_source");

    // credential_source = Environment.
    let k = &support::moto().keys["dev"];
    let o = env
        .set("AWS_ACCESS_KEY_ID", &k.id)
        .set("AWS_SECRET_ACCESS_KEY", &k.secret)
        .awsenv(&["assume", "-s", "bash", "env-source"]);
    assert_ok(&o);
    assert_eq!(
        exported(&stdout(&o), "AWSENV_ROLE").as_deref(),
        Some("awsenv-demo")
    );
}

#[test]
fn chained_profiles_are_clamped_to_an_hour() {
    let env = profile_env();
    let script = "eval \"$(awsenv assume chained)\" && aws sts get-caller-identity --query Arn --output text && echo \"$AWSENV_EXPIRES_AT\"";
    let o = env.shell("bash", script);
    assert_ok(&o);
    let out = stdout(&o);
    let mut lines = out.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/Chained/")));
    let left = lines.next().unwrap().parse::<i64>().unwrap() - awsenv::creds::now();
    assert!((3500..=3600).contains(&left), "{left}");
    assert!(stderr(&o).contains("role chaining"), "{}", stderr(&o));
}

/// One rule, one message, wherever the source is a role: a duration typed on the command line
/// is never changed (over an hour is refused); one from a profile is capped with a warning.
#[test]
fn the_chaining_rule_is_the_same_everywhere() {
    let env = profile_env();
    // A chained profile with -d: refused, not clamped.
    let o = env.awsenv(&["assume", "-s", "bash", "-d", "2h", "chained"]);
    assert_fails(
        &o,
        2,
        "profile `chained` takes its credentials from another role",
    );
    assert!(stderr(&o).contains("role chaining"), "{}", stderr(&o));

    // Role keys in the environment (no awsenv markers): GetCallerIdentity tells.
    let demo = role_arn("awsenv-demo");
    let target = role_arn("app/Target");
    let inner = |d: &str| {
        env.command(support::awsenv_bin())
            .args([
                "exec",
                "-p",
                "dev",
                &demo,
                "--",
                "env",
                "-u",
                "AWSENV_SAVED",
            ])
            .args([
                "-u",
                "AWSENV_ROLE_ARN",
                "awsenv",
                "assume",
                "-s",
                "bash",
                "--no-cache",
            ])
            .args(if d.is_empty() { vec![] } else { vec!["-d", d] })
            .arg(&target)
            .output()
            .unwrap()
    };
    let o = inner("2h");
    assert_fails(&o, 2, "the source credentials are a role session");
    assert!(
        stderr(&o).contains("assumed-role/awsenv-demo/"),
        "{}",
        stderr(&o)
    );

    // --chain with a profile that asks for more: capped, with the same words.
    let script = format!(
        "eval \"$(awsenv assume -p dev -n awsenv-chain {demo})\" && \
         eval \"$(awsenv assume --chain chained)\" && echo \"$AWSENV_EXPIRES_AT\""
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    let left = stdout(&o).trim().parse::<i64>().unwrap() - awsenv::creds::now();
    assert!((3500..=3600).contains(&left), "{left}: {}", stderr(&o));
    assert!(
        stderr(&o).contains("--chain starts from the active role's credentials, and AWS limits"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn profile_mfa_serial_is_honoured() {
    let env = profile_env();
    let o = env
        .command(support::require("setsid"))
        .args([
            "-w",
            awsenv_bin().to_str().unwrap(),
            "assume",
            "-s",
            "bash",
            "with-mfa",
        ])
        .output()
        .unwrap();
    assert_fails(&o, 11, "MFA code");
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--token-code",
        &support::mfa_code("dev"),
        "--mfa-serial",
        &format!("arn:aws:iam::{ACCOUNT}:mfa/dev"),
        "with-mfa",
    ]);
    assert_ok(&o);
}

const CREDENTIALS: &str = "# personal keys: do not touch\n[dev]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n\n; written by awsenv\n[dev-role]\nregion = eu-west-1\n# keep this comment\naws_access_key_id = ASIAOLD\naws_session_token = old\n\n[zzz]\nfoo = bar\n";

#[test]
fn write_profile_round_trip_keeps_the_rest_of_the_file() {
    let env = Env::user("dev");
    let k = &support::moto().keys["dev"];
    let original = CREDENTIALS
        .replace("{ID}", &k.id)
        .replace("{SECRET}", &k.secret);
    std::fs::write(env.path("aws-credentials"), &original).unwrap();
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--write-profile",
        "dev-role",
        &role_arn("app/Target"),
    ]);
    assert_ok(&o);
    assert_eq!(stdout(&o), "export AWS_PROFILE=dev-role;\n");
    let path = env.path("aws-credentials");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, tail) = original.split_once("[dev-role]\n").unwrap();
    assert!(
        text.starts_with(&format!("{head}[dev-role]\naws_access_key_id = ASIA")),
        "{text}"
    );
    assert!(
        text.ends_with("region = eu-west-1\n# keep this comment\n\n[zzz]\nfoo = bar\n"),
        "{text}"
    );
    assert!(!text.contains("ASIAOLD") && tail.contains("ASIAOLD"));
    assert!(text.contains("\nexpiration = 20"));
    // The AWS CLI reads it.
    let o = env
        .clone_without_keys()
        .set("AWS_PROFILE", "dev-role")
        .command("aws")
        .args(&whoami_args()[1..])
        .output()
        .unwrap();
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), assumed("Target", "awsenv-tester"));
    // Long-term keys are not overwritten without --overwrite-keys; --force (print on a
    // terminal) is not that.
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--write-profile",
        "dev",
        &role_arn("app/Target"),
    ]);
    assert_fails(&o, 2, "long-term");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--force",
        "--write-profile",
        "dev",
        &role_arn("app/Target"),
    ]);
    assert_fails(&o, 2, "--overwrite-keys");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--overwrite-keys",
        "--write-profile",
        "dev",
        &role_arn("app/Target"),
    ]);
    assert_ok(&o);
    assert!(!std::fs::read_to_string(&path).unwrap().contains(&k.secret));
}

#[test]
fn write_profile_follows_a_symlink_and_loses_no_concurrent_update() {
    let env = Env::user("dev");
    let real = env.path("dotfiles/credentials");
    std::fs::create_dir(env.path("dotfiles")).unwrap();
    std::fs::write(&real, "[keep]\nfoo = bar\n").unwrap();
    std::os::unix::fs::symlink(&real, env.path("aws-credentials")).unwrap();
    let target = role_arn("app/Target");
    // Warm the cache so the writers race on the file, not on STS.
    assert_ok(&env.awsenv(&["assume", "-s", "bash", &target]));
    let writers = env.awsenv_many(12, |i| {
        [
            "assume",
            "-s",
            "bash",
            "--write-profile",
            &format!("p{i}"),
            &target,
        ]
        .map(String::from)
        .to_vec()
    });
    for w in writers {
        assert_ok(&w);
    }
    let link = std::fs::symlink_metadata(env.path("aws-credentials")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.starts_with("[keep]\nfoo = bar\n"), "{text}");
    for i in 0..12 {
        assert!(
            text.contains(&format!("[p{i}]\n")),
            "update p{i} lost:\n{text}"
        );
    }
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

trait WithoutKeys {
    fn clone_without_keys(&self) -> Env;
}

impl WithoutKeys for Env {
    /// The same home and files, without credentials in the environment.
    fn clone_without_keys(&self) -> Env {
        let home = tempfile::tempdir().unwrap();
        let mut vars = self.vars.clone();
        vars.remove("AWS_ACCESS_KEY_ID");
        vars.remove("AWS_SECRET_ACCESS_KEY");
        vars.insert("HOME".into(), home.path().to_string_lossy().into_owned());
        Env { home, vars }
    }
}

/// Issue 21: `--write-profile` read the credentials file whole, whatever it was: a link to
/// /dev/zero never ended, a huge file was read into memory. Now only a regular file of at most
/// 1 MiB is read; anything else is refused with exit 2, nothing written, at once.
#[test]
fn write_profile_reads_a_bounded_credentials_file() {
    let env = Env::user("dev");
    let target = role_arn("app/Target");
    // Warm the cache: the refusals below must be about the file, not STS.
    assert_ok(&env.awsenv(&["assume", "-s", "bash", &target]));
    let path = env.path("aws-credentials");
    let huge = "# a comment line, as a real file might have one\n".repeat(22_000);
    assert!(huge.len() > 1024 * 1024);
    let cases = [
        ("huge", "larger than 1 MiB"),
        ("/dev/zero", "not a regular file"),
        ("fifo", "not a regular file"),
    ];
    for (what, needle) in cases {
        std::fs::remove_file(&path).ok();
        match what {
            "huge" => std::fs::write(&path, &huge).unwrap(),
            "/dev/zero" => std::os::unix::fs::symlink("/dev/zero", &path).unwrap(),
            _ => {
                let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                // SAFETY: a valid NUL-terminated path and a mode.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            }
        }
        let started = std::time::Instant::now();
        // `timeout`: the read that never ends must fail the test, not hang it.
        let o = env
            .command("timeout")
            .args(["-s", "KILL", "20"])
            .arg(awsenv_bin())
            .args(["assume", "-s", "bash", "--write-profile", "p", &target])
            .output()
            .unwrap();
        assert_fails(&o, 2, needle);
        assert!(stderr(&o).contains("AWS_SHARED_CREDENTIALS_FILE"), "{what}");
        eprintln!("{what}: refused in {:?}", started.elapsed());
        if what == "huge" {
            assert_eq!(std::fs::read_to_string(&path).unwrap(), huge, "{what}");
        }
    }
}
