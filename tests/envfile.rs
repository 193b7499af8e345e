//! `--format dotenv|docker|json` and `--output FILE`: read back by the real python-dotenv (with
//! and without interpolation) and by docker's env-file rules, then used by the AWS CLI against
//! moto to prove the credentials in the file are the role's.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use awsenv::env::file::{render, Format};
use proptest::prelude::*;
use support::{assert_fails, assert_ok, role_arn, stderr, stdout, venv, Env, ACCOUNT};

/// python-dotenv's reading of FILE: `dotenv_values`, interpolating and not.
fn python_dotenv(env: &Env, file: &str) -> [BTreeMap<String, String>; 2] {
    let code = "import json,sys,dotenv\n\
        print(json.dumps([dotenv.dotenv_values(sys.argv[1], interpolate=i) for i in (True, False)]))";
    let o = env
        .command(venv().join("bin/python"))
        .args(["-c", code, file])
        .output()
        .unwrap();
    assert_ok(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `docker run --env-file`, as docker's opts/envfile.go reads a file: lines split at `\n`
/// with a trailing `\r` dropped (bufio.ScanLines), a UTF-8 BOM dropped on line 1, leading
/// whitespace trimmed, `#` lines and empty lines skipped, then everything after the first `=`
/// taken literally.
fn docker_env_file(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.split_terminator('\n').enumerate() {
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        if i == 0 {
            line = line.strip_prefix('\u{feff}').unwrap_or(line);
        }
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').expect("docker needs KEY=VALUE here");
        assert!(!k.contains(char::is_whitespace), "docker refuses {k:?}");
        out.insert(k.to_string(), v.to_string());
    }
    out
}

fn aws_cli_identity(env: &Env, vars: &BTreeMap<String, String>) -> String {
    let mut c = env.command("aws");
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        c.env_remove(k);
    }
    c.envs(vars);
    let o = c
        .args([
            "sts",
            "get-caller-identity",
            "--query",
            "Arn",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert_ok(&o);
    stdout(&o).trim().to_string()
}

#[test]
fn every_format_reads_back_and_works_with_the_aws_cli() {
    let env = Env::user("dev").set("AWS_REGION", "eu-west-1");
    let target = role_arn("app/Target");
    let o = env.awsenv(&["assume", "--format", "json", &target]);
    assert_ok(&o);
    let json: BTreeMap<String, String> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["AWS_REGION"], "eu-west-1");
    assert_eq!(json["AWSENV_ROLE_ARN"], target);
    assert!(json["AWS_SESSION_TOKEN"].len() > 20);
    assert!(
        !json.contains_key("AWSENV_SAVED"),
        "no saved state in a file"
    );
    assert!(aws_cli_identity(&env, &json)
        .starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/Target/")));

    for (format, file) in [("dotenv", "role.env"), ("docker", "docker.env")] {
        let o = env.awsenv(&["assume", "--format", format, "-o", file, &target]);
        assert_ok(&o);
        assert!(o.stdout.is_empty(), "{format}: nothing on stdout");
        assert!(stderr(&o).contains(file), "{}", stderr(&o));
        let meta = std::fs::metadata(env.path(file)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{format}");
    }
    // The cache answers the second and third call: all three hold the same session.
    for read in python_dotenv(&env, "role.env") {
        assert_eq!(read, json);
    }
    let docker = docker_env_file(&std::fs::read_to_string(env.path("docker.env")).unwrap());
    assert_eq!(docker, json);

    // An existing file is replaced whole, and stays private.
    std::fs::write(env.path("old.env"), "STALE=1\n").unwrap();
    std::fs::set_permissions(env.path("old.env"), std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_ok(&env.awsenv(&["assume", "--format", "dotenv", "-o", "old.env", &target]));
    let text = std::fs::read_to_string(env.path("old.env")).unwrap();
    assert!(!text.contains("STALE"));
    let mode = std::fs::metadata(env.path("old.env"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn simulate_writes_the_same_formats() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "simulate",
        "--role-name",
        "my-task",
        "--base-role",
        "power-user",
        "--quiet",
        "--format",
        "json",
    ]);
    assert_ok(&o);
    let json: BTreeMap<String, String> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["AWSENV_ROLE"], "my-task");
    assert_eq!(json["AWSENV_SIMULATED_BY"], role_arn("power-user"));
    assert!(aws_cli_identity(&env, &json).contains(":assumed-role/power-user/"));
}

#[test]
fn values_no_reader_takes_back_are_refused_and_nothing_is_written() {
    // A region from the environment was the one value the user controls that reached these
    // files; it is now checked like `-r` first (issue 21), so a line break or `${` never gets
    // to a writer, in any format (the writers' own refusals: src/env/file.rs's unit tests).
    for bad in ["eu-west-1\nX=1", "${HOME}"] {
        let env = Env::user("dev")
            .set("AWS_REGION", "us-east-1")
            .set("AWS_DEFAULT_REGION", bad);
        for format in [
            &["--format", "docker", "-o", "x.env"][..],
            &["--format", "dotenv"],
            &["-s", "bash"],
        ] {
            let mut args = vec!["assume"];
            args.extend_from_slice(format);
            let target = role_arn("app/Target");
            args.push(&target);
            assert_fails(&env.awsenv(&args), 2, "AWS_DEFAULT_REGION");
        }
        assert!(!env.path("x.env").exists());
    }
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "assume",
        "--format",
        "json",
        "--write-profile",
        "p",
        &role_arn("app/Target"),
    ]);
    assert_fails(&o, 2, "--write-profile");
    let o = env.awsenv(&["assume", "--format", "yaml", &role_arn("app/Target")]);
    assert_fails(&o, 2, "yaml");
}

#[test]
fn shell_code_can_go_to_a_file_too() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "-o",
        "role.sh",
        &role_arn("app/Target"),
    ]);
    assert_ok(&o);
    assert!(o.stdout.is_empty());
    let o = env.shell(
        "bash",
        &format!(
            "source role.sh && {}",
            "aws sts get-caller-identity --query Arn --output text"
        ),
    );
    assert_ok(&o);
    assert!(
        stdout(&o).contains(":assumed-role/Target/"),
        "{}",
        stdout(&o)
    );
}

fn value() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => prop::sample::select(vec![
            '\'', '"', '\\', '$', '{', '}', '#', '=', ' ', '\t', '\n', '\r', '`', 'n', 'r', 'é',
            '\u{feff}', '\u{85}', '\u{2028}', 'x',
        ]),
        2 => any::<char>(),
    ]
    .prop_filter("no NUL in an environment", |c| *c != '\0');
    prop::collection::vec(c, 0..16).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1, ..ProptestConfig::default() })]

    /// 1,000 values: each one python-dotenv (both modes) and docker's rules read back exactly,
    /// or awsenv refuses it for the documented reason.
    #[test]
    fn env_file_values_read_back_exactly(values in prop::collection::vec(value(), 1000)) {
        let env = Env::bare();
        let (mut dotenv, mut docker) = (Vec::new(), Vec::new());
        let mut want_dotenv = BTreeMap::new();
        let mut want_docker = BTreeMap::new();
        for (i, v) in values.iter().enumerate() {
            let var = vec![(format!("V{i}"), v.clone())];
            match render(Format::Dotenv, &var) {
                Ok(line) => {
                    dotenv.push(line);
                    want_dotenv.insert(format!("V{i}"), v.clone());
                }
                Err(e) => prop_assert!(
                    v.contains("${") || (v.contains('$') && v.contains(['\'', '\\', '\n', '\r'])),
                    "refused {:?}: {}", v, e
                ),
            }
            match render(Format::Docker, &var) {
                Ok(line) => {
                    docker.push(line);
                    want_docker.insert(format!("V{i}"), v.clone());
                }
                Err(_) => prop_assert!(v.contains(['\n', '\r']), "refused {:?}", v),
            }
        }
        std::fs::write(env.path("d.env"), dotenv.concat()).unwrap();
        for read in python_dotenv(&env, "d.env") {
            prop_assert_eq!(&read, &want_dotenv);
        }
        prop_assert_eq!(docker_env_file(&docker.concat()), want_docker);
    }
}

#[test]
fn data_formats_are_refused_on_a_terminal_but_a_file_is_fine() {
    let env = Env::user("dev");
    let run = |cmd: String| {
        let o = env
            .command(support::require("script"))
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .unwrap();
        stdout(&o)
    };
    let target = role_arn("app/Target");
    let out = run(format!(
        "awsenv assume --format json {target}; echo \"rc=$?\""
    ));
    assert!(out.contains("rc=8"), "{out}");
    assert!(!out.contains("AWS_SECRET_ACCESS_KEY"), "{out}");
    let out = run(format!(
        "awsenv assume --format json -o r.json {target}; echo \"rc=$?\""
    ));
    assert!(out.contains("rc=0"), "{out}");
    assert!(env.path("r.json").exists());
}
