//! `simulate` against moto (auth mode, AWS-managed policies loaded) and in real shells.

mod support;

use support::{assert_fails, assert_ok, role_arn, stderr, stdout, Env, ACCOUNT};

fn dry_run(env: &Env, target: &str) -> serde_json::Value {
    let o = env.awsenv(&[
        "simulate",
        "--role-name",
        target,
        "--base-role",
        "power-user",
        "--dry-run",
        "--quiet",
    ]);
    assert_ok(&o);
    assert!(o.stderr.is_empty(), "--quiet: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn dry_run_shows_the_exact_request() {
    let env = Env::user("dev");
    let v = dry_run(&env, "my-task");
    let req = &v["AssumeRole"];
    assert_eq!(req["RoleArn"], role_arn("power-user"));
    assert_eq!(req["RoleSessionName"], "awsenv-sim-my-task");
    assert_eq!(req["DurationSeconds"], 3600);
    // Three inline policies (one a single-statement object, one with duplicates) merge into
    // two statements; the duplicate `Read` is dropped, its Sid kept once.
    assert_eq!(
        req["Policy"],
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeParameters"],"Resource":"*"},{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#
    );
    let arns: Vec<&str> = req["PolicyArns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["arn"].as_str().unwrap())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            &format!("arn:aws:iam::{ACCOUNT}:policy/team/cm-read")
        ]
    );
    assert_eq!(v["Target"], role_arn("svc/my-task"));
    let policy_len = req["Policy"].as_str().unwrap().len();
    let arn_len: usize = arns.iter().map(|a| a.len()).sum();
    assert_eq!(v["Budget"], format!("{}/2048", policy_len + arn_len));
    // The same request through the target's ARN (with its path).
    let by_arn = env.awsenv(&[
        "simulate",
        "--role-name",
        &role_arn("svc/my-task"),
        "--base-role",
        "power-user",
        "--dry-run",
        "-q",
    ]);
    assert_eq!(
        stdout(&by_arn),
        serde_json::to_string_pretty(&v).unwrap() + "\n"
    );
}

#[test]
fn more_than_ten_managed_policies_are_packed() {
    let v = dry_run(&Env::user("dev"), "many-policies");
    let req = &v["AssumeRole"];
    assert_eq!(req["PolicyArns"].as_array().unwrap().len(), 10);
    let inlined: Vec<&str> = v["Inlined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["arn"].as_str().unwrap())
        .collect();
    // The two smallest documents are merged into the inline policy.
    assert_eq!(
        inlined,
        [
            format!("arn:aws:iam::{ACCOUNT}:policy/many-00"),
            format!("arn:aws:iam::{ACCOUNT}:policy/many-02")
        ]
    );
    let policy = req["Policy"].as_str().unwrap();
    assert!(
        policy.contains("sns:GetTopic0") && policy.contains("sns:GetTopic2"),
        "{policy}"
    );
}

fn simulate_in_shell(shell: &str) {
    let env = Env::user("dev");
    let (out, during) = support::eval_whoami_unset(
        &env,
        shell,
        "simulate --role-name my-task --base-role power-user --quiet",
    );
    assert_eq!(
        out,
        format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/power-user/awsenv-sim-my-task\narn:aws:iam::{ACCOUNT}:user/dev\n"
        ),
        "{shell}"
    );
    assert_eq!(during["AWSENV_ROLE"], "my-task");
    assert_eq!(during["AWSENV_ROLE_ARN"], role_arn("svc/my-task"));
    assert_eq!(during["AWSENV_SIMULATED_BY"], role_arn("power-user"));
}

support::for_shells!(simulate_in_shell: bash, zsh, fish);

#[test]
fn fidelity_report_names_boundary_and_resource_policies() {
    let env = Env::user("dev");
    let o = env.awsenv(&[
        "simulate",
        "--role-name",
        "bounded",
        "--base-role",
        "power-user",
        "-s",
        "bash",
        // Without it a target with a boundary is refused (tests/broker.rs).
        "--ignore-boundary",
    ]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("permissions boundary"), "{err}");
    assert!(err.contains("aws:PrincipalArn"), "{err}");
    assert!(err.lines().count() <= 5, "one short block: {err}");
    assert!(!err.contains(
        &stdout(&o)
            .lines()
            .find(|l| l.contains("SECRET"))
            .unwrap_or("x")[30..]
    ));
}

#[test]
fn errors_are_clear() {
    let env = Env::user("dev");
    let sim = |env: &Env, target: &str, base: &str| {
        env.awsenv(&[
            "simulate",
            "--role-name",
            target,
            "--base-role",
            base,
            "-s",
            "bash",
            "-q",
        ])
    };
    assert_fails(&sim(&env, "nope", "power-user"), 12, "does not exist");
    assert_fails(
        &sim(&env, "no-policies", "power-user"),
        12,
        "nothing to simulate",
    );
    assert_fails(&sim(&env, "my-task", "Untrusted"), 5, "trust policy");
    assert_fails(&sim(&env, "my task", "power-user"), 2, "--role-name");
    assert_fails(
        &sim(&env, "arn:aws:iam::999999999999:role/my-task", "power-user"),
        12,
        "must be in their account",
    );
    // A user who may assume but not read IAM: the message names the missing action.
    let o = sim(&Env::user("viewer"), "my-task", "power-user");
    assert_fails(&o, 5, "iam:GetRole");
}

#[test]
fn simulated_session_is_cached() {
    let env = Env::user("dev");
    let args = [
        "simulate",
        "--role-name",
        "my-task",
        "--base-role",
        "power-user",
        "-s",
        "bash",
        "-q",
    ];
    let first = env.awsenv(&args);
    assert_ok(&first);
    let env = env.set("AWS_SECRET_ACCESS_KEY", "not-the-secret-any-more");
    let second = env.awsenv(&args);
    assert_ok(&second);
    // The same session; only the name of the state file saved for `unset` differs.
    let session = |o: &std::process::Output| {
        stdout(o)
            .lines()
            .filter(|l| !l.starts_with("export AWSENV_SAVED="))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(session(&first), session(&second));
}
