//! `simulate --remote` end to end: the real `awsenv-broker` binary behind a local Lambda
//! Runtime and Invoke API (tests/support/lambda.rs), moto in auth mode as its STS and IAM,
//! the client evaluated in real shells and the identity checked with the AWS CLI.

#[path = "support/lambda.rs"]
mod lambda;
mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use awsenv::aws::proof::sign_proof;
use lambda::BrokerProcess;
use serde_json::{json, Value};
use support::{
    assert_fails, assert_ok, eval_line, moto, role_arn, stderr, stdout, venv, Env, Keys, ACCOUNT,
    WHOAMI,
};

const FUNCTION: &str = "awsenv-broker";

fn broker_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_awsenv-broker"))
}

/// Python with `args`, as the admin against moto (its endpoint in EP): its stdout.
fn python(args: &[&str], env: &[(&str, &str)]) -> String {
    let admin = &moto().keys["admin"];
    let o = Command::new(venv().join("bin/python"))
        .args(args)
        .env_clear()
        .env("EP", &moto().endpoint)
        .env("AWS_ACCESS_KEY_ID", &admin.id)
        .env("AWS_SECRET_ACCESS_KEY", &admin.secret)
        .envs(env.iter().copied())
        .output()
        .expect("run python");
    assert_ok(&o);
    stdout(&o)
}

/// What the broker needs in moto, made once (tests/support/broker_seed.py, which the demo
/// runs too): its own keys, its base role, my-task-admin, and its policy.
fn broker_seed() -> &'static Value {
    static SEED: OnceLock<Value> = OnceLock::new();
    SEED.get_or_init(|| {
        let seed = support::repo_root().join("tests/support/broker_seed.py");
        serde_json::from_str(&python(&[seed.to_str().unwrap()], &[])).unwrap()
    })
}

fn broker_keys() -> Keys {
    let v = broker_seed();
    Keys {
        id: v["id"].as_str().unwrap().into(),
        secret: v["secret"].as_str().unwrap().into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/broker"),
    }
}

/// AWSENV_BROKER_POLICY: dev and the awsenv-demo role may simulate my-task, many-policies and
/// Target (trusted by ecs-tasks), with broker-base; intern demo-*.
fn policy() -> String {
    broker_seed()["policy"].to_string()
}

/// The broker's environment in "Lambda": its own credentials, region, endpoint and policy.
fn broker_env(sts_endpoint: &str) -> BTreeMap<String, String> {
    let k = broker_keys();
    [
        ("PATH", "/usr/bin:/bin"),
        ("AWS_ACCESS_KEY_ID", k.id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", k.secret.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", sts_endpoint),
        ("AWSENV_TIMEOUT", "5"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([("AWSENV_BROKER_POLICY".to_string(), policy())])
    .collect()
}

fn start_broker(function: &str, env: &BTreeMap<String, String>) -> BrokerProcess {
    BrokerProcess::start(&broker_bin(), function, env, None)
}

/// One broker for the whole binary (a Lambda instance serves invocations one at a time).
fn broker() -> &'static BrokerProcess {
    static B: OnceLock<BrokerProcess> = OnceLock::new();
    B.get_or_init(|| start_broker(FUNCTION, &broker_env(&moto().endpoint)))
}

/// `user` signed in to moto, pointed at the broker.
fn client(user: &str) -> Env {
    Env::user(user).set("AWS_ENDPOINT_URL_LAMBDA", &broker().api.url)
}

fn remote(env: &Env, role: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "simulate",
        "--remote",
        "--shell",
        "bash",
        "--role-name",
        role,
    ];
    args.extend_from_slice(extra);
    env.awsenv(&args)
}

/// A proof signed as `user` for moto's host, and the payload that carries it.
fn payload_as(user: &str, host_url: &str, at: SystemTime) -> Value {
    let k = &moto().keys[user];
    let creds = Credentials::new(&k.id, &k.secret, None, None, "test");
    let proof = sign_proof(host_url, "us-east-1", &creds, at).unwrap();
    json!({ "awsenv": 1, "role": "my-task", "duration": 900, "proof": proof })
}

fn refused(v: &Value) -> &Value {
    // A granted answer holds credentials: never print it whole.
    v.get("refused").unwrap_or_else(|| {
        let keys: Vec<_> = v
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        panic!("not refused (an answer with {keys:?})")
    })
}

/// The newest decision about `caller` and a role containing `role_part`. The broker prints it
/// before it answers, but the test reads its stdout on another thread: wait a little for it.
fn decision_for(caller: &str, role_part: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found = broker().decisions().into_iter().rev().find(|d| {
            d["caller"].as_str() == Some(caller)
                && d["role"].as_str().is_some_and(|r| r.contains(role_part))
        });
        match found {
            Some(d) => return d,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            None => panic!(
                "no decision for {caller} / {role_part}: {:?}",
                broker().lines()
            ),
        }
    }
}

fn allowed_in(shell: &str) {
    let env = client("dev");
    let (out, during) =
        support::eval_whoami_unset(&env, shell, "simulate --remote --role-name my-task --quiet");
    assert_eq!(
        out,
        format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev\narn:aws:iam::{ACCOUNT}:user/dev\n"
        ),
        "{shell}"
    );
    assert_eq!(during["AWSENV_ROLE"], "my-task");
    assert_eq!(during["AWSENV_ROLE_ARN"], role_arn("svc/my-task"));
    assert_eq!(during["AWSENV_SIMULATED_BY"], role_arn("broker-base"));
    assert_eq!(
        during["AWSENV_SESSION_ARN"],
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev")
    );
    assert!(during["AWS_SESSION_TOKEN"].len() > 20);
    let d = decision_for(&format!("arn:aws:iam::{ACCOUNT}:user/dev"), "svc/my-task");
    assert_eq!(d["decision"], "allowed");
    assert_eq!(d["rule"], 0);
    // The decision log never holds a credential.
    for line in broker().lines() {
        for secret in [
            &during["AWS_SECRET_ACCESS_KEY"],
            &during["AWS_SESSION_TOKEN"],
        ] {
            assert!(!line.contains(secret.as_str()), "secret in log: {line}");
        }
        assert!(!line.contains(&moto().keys["dev"].secret));
    }
}

#[test]
fn allowed_in_bash() {
    allowed_in("bash");
}

#[test]
fn allowed_in_zsh() {
    allowed_in("zsh");
}

#[test]
fn allowed_in_fish() {
    allowed_in("fish");
}

#[test]
fn report_cache_and_write_profile() {
    let env = client("dev");
    let o = remote(&env, "my-task", &["--write-profile", "sim"]);
    assert_ok(&o);
    assert_eq!(stdout(&o), "export AWS_PROFILE=sim;\n");
    // The broker's fidelity report, as local simulate prints it.
    let err = stderr(&o);
    assert!(err.contains("simulating my-task with broker-base"), "{err}");
    assert!(err.contains("3 inline merged"), "{err}");
    let who = env
        .command("aws")
        .args(WHOAMI.split(' ').skip(1))
        .env("AWS_PROFILE", "sim")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert_ok(&who);
    assert_eq!(
        stdout(&who).trim(),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev")
    );
    // A second ask is answered from the cache: no invocation.
    let before = broker().decisions().len();
    let o = remote(&env, "my-task", &[]);
    assert_ok(&o);
    assert!(stderr(&o).contains("cached session"), "{}", stderr(&o));
    assert!(stdout(&o).contains("AWSENV_SIMULATED_BY="));
    let o = remote(&env, "my-task", &["--no-cache", "-q"]);
    assert_ok(&o);
    let deadline = Instant::now() + Duration::from_secs(5);
    while broker().decisions().len() <= before {
        assert!(
            Instant::now() < deadline,
            "--no-cache asked the broker again"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sudo_on_remote_in_bash() {
    let env = client("dev");
    let script = "eval \"$(awsenv init bash)\"\nsudo-on --simulate my-task --remote --quiet\n\
                  aws sts get-caller-identity --query Arn --output text\nawsenv_prompt\necho\n\
                  sudo-off\naws sts get-caller-identity --query Arn --output text\n";
    let o = env.shell("bash", script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev")
    );
    assert!(lines[1].starts_with("aws:my-task(sim) "), "{out}");
    assert_eq!(lines[2], format!("arn:aws:iam::{ACCOUNT}:user/dev"));
}

#[test]
fn dry_run_shows_the_request_never_the_signature() {
    let env = client("dev");
    // A role no other test asks for: the broker serves the tests in parallel, so only
    // decisions about this one say whether the dry run invoked it.
    let about_this = || {
        broker()
            .decisions()
            .iter()
            .filter(|d| {
                d["role"]
                    .as_str()
                    .is_some_and(|r| r.contains("dry-run-only"))
            })
            .count()
    };
    let o = remote(&env, "dry-run-only", &["--dry-run"]);
    assert_ok(&o);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let inv = &v["Invoke"];
    assert_eq!(inv["FunctionName"], FUNCTION);
    assert_eq!(inv["Payload"]["role"], "dry-run-only");
    assert_eq!(inv["Payload"]["duration"], 3600);
    let proof = &inv["Payload"]["proof"];
    assert_eq!(proof["body"], "Action=GetCallerIdentity&Version=2011-06-15");
    let auth = proof["headers"]["authorization"].as_str().unwrap();
    assert!(auth.ends_with("Signature=[not shown]"), "{auth}");
    assert!(auth.contains(&moto().keys["dev"].id));
    assert!(!stdout(&o).contains(&moto().keys["dev"].secret));
    assert_eq!(about_this(), 0, "a dry run invokes nothing");
}

#[test]
fn more_than_ten_managed_policies() {
    let env = client("dev");
    let o = env.shell(
        "bash",
        &format!(
            "{}\n{WHOAMI}\n",
            eval_line("bash", "simulate --remote --role-name many-policies")
        ),
    );
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev\n")
    );
    assert!(
        stderr(&o).contains("10 managed as ARNs, 2 managed inlined"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_role_session_is_proven_as_its_role() {
    let dev = Env::user("dev");
    let o = dev
        .command("aws")
        .args([
            "sts",
            "assume-role",
            "--role-arn",
            &role_arn("awsenv-demo"),
            "--role-session-name",
            "alice",
            "--query",
            "Credentials",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_ok(&o);
    let c: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let env = client("dev")
        .set("AWS_ACCESS_KEY_ID", c["AccessKeyId"].as_str().unwrap())
        .set(
            "AWS_SECRET_ACCESS_KEY",
            c["SecretAccessKey"].as_str().unwrap(),
        )
        .set("AWS_SESSION_TOKEN", c["SessionToken"].as_str().unwrap());
    let o = env.shell(
        "bash",
        &format!(
            "{}\n{WHOAMI}\n",
            eval_line("bash", "simulate --remote --role-name my-task -q")
        ),
    );
    assert_ok(&o);
    // The caller's name, session@role, is in the session name CloudTrail shows.
    assert_eq!(
        stdout(&o),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-alice@awsenv-demo\n")
    );
    let d = decision_for(&role_arn("awsenv-demo"), "svc/my-task");
    assert_eq!(d["decision"], "allowed");
}

#[test]
fn role_not_matched() {
    let o = remote(&client("dev"), "bounded", &[]);
    assert_fails(&o, 5, "the broker `awsenv-broker` refused: rule 0 lets");
    assert!(
        stderr(&o).contains("`bounded` is not one of them"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn caller_not_matched() {
    let o = remote(&client("viewer"), "my-task", &[]);
    assert_fails(
        &o,
        5,
        &format!("no rule of its policy names the caller arn:aws:iam::{ACCOUNT}:user/viewer"),
    );
    assert!(
        !stderr(&o).contains("user/dev"),
        "the policy is not disclosed"
    );
    let d = decision_for(&format!("arn:aws:iam::{ACCOUNT}:user/viewer"), "my-task");
    assert_eq!(d["decision"], "refused");
    assert_eq!(d["rule"], Value::Null);
}

#[test]
fn names_match_exactly_never_as_substrings() {
    // my-task-admin exists and trusts ecs-tasks; the rule names my-task.
    for name in ["my-task-admin", "task", "my-tas"] {
        let o = remote(&client("dev"), name, &[]);
        assert_fails(&o, 5, &format!("`{name}` is not one of them"));
    }
}

#[test]
fn trust_without_the_service() {
    let o = remote(&client("dev"), "Target", &[]);
    assert_fails(
        &o,
        5,
        "rule 0 does not allow it: the trust policy of Target has no Allow statement for \
         ecs-tasks.amazonaws.com",
    );
}

#[test]
fn longer_than_the_broker_allows() {
    let o = remote(&client("dev"), "my-task", &["-d", "2h"]);
    assert_fails(&o, 6, "this broker hands out at most 3600s");
}

#[test]
fn forged_and_replayed_proofs() {
    let b = broker();
    let genuine = payload_as("dev", &moto().endpoint, SystemTime::now());
    let bytes = serde_json::to_vec(&genuine).unwrap();
    let (err, first) = b.api.invoke_raw(&bytes);
    assert!(
        !err && first.get("granted").is_some(),
        "{:?}",
        first.get("refused")
    );
    // The same proof again: a replay.
    let (_, again) = b.api.invoke_raw(&bytes);
    assert!(
        refused(&again)["message"]
            .as_str()
            .unwrap()
            .contains("used before"),
        "{again}"
    );

    // Altered: a signed header changed after signing, or the signature itself.
    let mut forged = payload_as("dev", &moto().endpoint, SystemTime::now());
    let date = forged["proof"]["headers"]["x-amz-date"]
        .as_str()
        .unwrap()
        .to_string();
    let other = if date.ends_with("0Z") {
        date.replace("0Z", "1Z")
    } else {
        format!("{}0Z", &date[..14])
    };
    forged["proof"]["headers"]["x-amz-date"] = json!(other);
    let (_, r) = b.api.invoke_raw(&serde_json::to_vec(&forged).unwrap());
    let msg = refused(&r)["message"].as_str().unwrap();
    assert!(msg.contains("altered or forged"), "{msg}");
    assert_eq!(refused(&r)["kind"], "access_denied");

    // Signed with a made-up secret for a real key id.
    let k = &moto().keys["admin"];
    let creds = Credentials::new(&k.id, "not-the-secret-not-the-secret", None, None, "t");
    let proof = sign_proof(&moto().endpoint, "us-east-1", &creds, SystemTime::now()).unwrap();
    let p = json!({ "awsenv": 1, "role": "my-task", "duration": 900, "proof": proof });
    let (_, r) = b.api.invoke_raw(&serde_json::to_vec(&p).unwrap());
    assert!(
        refused(&r)["message"]
            .as_str()
            .unwrap()
            .contains("altered or forged"),
        "{r}"
    );

    // Too old.
    let old = payload_as(
        "dev",
        &moto().endpoint,
        SystemTime::now() - Duration::from_secs(600),
    );
    let (_, r) = b.api.invoke_raw(&serde_json::to_vec(&old).unwrap());
    assert!(
        refused(&r)["message"].as_str().unwrap().contains("ago"),
        "{r}"
    );
}

#[test]
fn a_proof_signed_for_another_host() {
    let b = broker();
    let p = payload_as(
        "dev",
        "https://sts.us-east-1.amazonaws.com",
        SystemTime::now(),
    );
    let (_, r) = b.api.invoke_raw(&serde_json::to_vec(&p).unwrap());
    assert!(
        refused(&r)["message"]
            .as_str()
            .unwrap()
            .contains("signed for host `sts.us-east-1.amazonaws.com`"),
        "{r}"
    );
    // Through the client: it signs for its own STS endpoint, which is not the broker's.
    let env = client("dev").set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1");
    let o = remote(&env, "my-task", &[]);
    assert_fails(&o, 5, "signed for host `127.0.0.1:1`");
}

#[test]
fn oversized_and_foreign_payloads() {
    let b = broker();
    let mut p = payload_as("dev", &moto().endpoint, SystemTime::now());
    p["role"] = json!("x".repeat(9000));
    let (err, r) = b.api.invoke_raw(&serde_json::to_vec(&p).unwrap());
    assert!(!err);
    assert!(
        refused(&r)["message"]
            .as_str()
            .unwrap()
            .contains("the broker reads at most 8192"),
        "{r}"
    );
    assert_eq!(refused(&r)["kind"], "usage");
    let (_, r) = b.api.invoke_raw(br#"{"hello":"world"}"#);
    assert!(
        refused(&r)["message"]
            .as_str()
            .unwrap()
            .contains("not an awsenv request"),
        "{r}"
    );
}

fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

#[test]
fn the_brokers_sts_endpoint_is_down() {
    let dead = dead_url();
    let b = start_broker("broker-no-sts", &broker_env(&dead));
    // The client signs for the same (dead) endpoint, so the proof passes the host check.
    let env = Env::user("dev")
        .set("AWS_ENDPOINT_URL_LAMBDA", &b.api.url)
        .set("AWS_ENDPOINT_URL_STS", &dead);
    let o = remote(&env, "my-task", &["--broker", "broker-no-sts"]);
    assert_fails(
        &o,
        7,
        "the broker `broker-no-sts` refused: GetCallerIdentity (proof): cannot reach",
    );
}

/// The prompt hook's `--cache-only` (sudo-on --simulate T --remote) must not wait on the network:
/// a miss is exit 14 at once, and the broker is never asked.
#[test]
fn cache_only_never_invokes_the_broker() {
    let env = client("dev").set("AWS_ENDPOINT_URL_LAMBDA", &dead_url());
    let o = remote(&env, "my-task", &["--cache-only"]);
    assert_fails(&o, 14, "--cache-only never asks AWS");
}

#[test]
fn the_lambda_endpoint_is_down_or_wrong() {
    let env = Env::user("dev").set("AWS_ENDPOINT_URL_LAMBDA", &dead_url());
    let o = remote(&env, "my-task", &[]);
    assert_fails(&o, 7, "cannot reach");
    let o = remote(&client("dev"), "my-task", &["--broker", "no-such-broker"]);
    assert_fails(&o, 12, "there is no broker function `no-such-broker`");
}

#[test]
fn a_black_holed_broker_times_out() {
    let hole = support::fault::start(support::fault::Mode::Hang);
    let env = Env::user("dev")
        .set("AWS_ENDPOINT_URL_LAMBDA", &hole.url)
        .set("AWSENV_TIMEOUT", "2");
    let t = Instant::now();
    let o = remote(&env, "my-task", &[]);
    let took = t.elapsed();
    assert_fails(&o, 7, "the broker `awsenv-broker` did not answer within 2s");
    assert!(hole.hits() >= 1, "the request reached the black hole");
    assert!(
        took < Duration::from_secs(15),
        "bounded by AWSENV_TIMEOUT: {took:?}"
    );
}

#[test]
fn options_the_broker_decides_are_refused() {
    let env = client("dev");
    for (args, needle) in [
        (
            vec!["--base-role", "power-user"],
            "--base-role cannot be used with --remote",
        ),
        (
            vec!["-n", "me"],
            "--session-name cannot be used with --remote",
        ),
        (vec!["--broker", "a b"], "is not a Lambda function name"),
    ] {
        let o = remote(&env, "my-task", &args);
        assert_fails(&o, 2, needle);
    }
    let o = env.awsenv(&["simulate", "--role-name", "my-task"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--base-role or --remote is needed"
    );
}

#[test]
fn a_bad_policy_stops_the_broker_at_cold_start() {
    let bad = policy().replace("\"rules\"", "\"rulez\"");
    let o = Command::new(broker_bin())
        .env_clear()
        .env("AWSENV_BROKER_POLICY", &bad)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("refusing to start: AWSENV_BROKER_POLICY: unknown field `rulez`"),
        "{}",
        stderr(&o)
    );
    let o = Command::new(broker_bin())
        .arg("--check-policy")
        .env_clear()
        .env("AWSENV_BROKER_POLICY", policy().replace("\"1h\"", "\"2h\""))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("role chaining"), "{}", stderr(&o));
}

/// The template passes cfn-lint and creates in moto's CloudFormation, and the policy the stack
/// gives the function is one the broker accepts.
#[test]
fn template_lints_and_deploys() {
    let env = Env::bare();
    let o = env.awsenv(&["broker", "template"]);
    assert_ok(&o);
    let path = env.path("broker.json");
    std::fs::write(&path, &o.stdout).unwrap();
    let lint = Command::new(venv().join("bin/cfn-lint"))
        .arg(&path)
        .output()
        .expect("cfn-lint (scripts/setup installs it)");
    assert!(
        lint.status.success(),
        "cfn-lint: {}{}",
        stdout(&lint),
        stderr(&lint)
    );
    let rules = json!([{
        "callers": [format!("arn:aws:iam::{ACCOUNT}:user/*")],
        "roles": ["iam-sudo-demo*"],
        "trusted_services": ["ecs-tasks.amazonaws.com"]
    }])
    .to_string();
    let out = python(
        &["-c", DEPLOY],
        &[("TEMPLATE", path.to_str().unwrap()), ("RULES", &rules)],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "CREATE_COMPLETE", "{v}");
    assert_eq!(
        v["types"],
        json!([
            "AWS::IAM::Policy",
            "AWS::IAM::Role",
            "AWS::IAM::Role",
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::Logs::LogGroup"
        ])
    );
    assert!(v["outputs"]["FunctionArn"]
        .as_str()
        .unwrap()
        .ends_with(":function:awsenv-broker"));
    // Only the function's own role may assume the base role.
    let trust = v["base_trust"].to_string();
    let exec = v["outputs"]["ExecutionRoleArn"].as_str().unwrap();
    assert!(trust.contains(exec), "{trust}");
    assert_eq!(v["retention"], 30);
}

const DEPLOY: &str = r##"
import io, json, os, zipfile, boto3
kw = dict(endpoint_url=os.environ["EP"], region_name="us-east-1")
s3, cfn = boto3.client("s3", **kw), boto3.client("cloudformation", **kw)
logs = boto3.client("logs", **kw)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("bootstrap", "#!/bin/sh\n")
s3.create_bucket(Bucket="broker-code")
s3.put_object(Bucket="broker-code", Key="awsenv-broker.zip", Body=buf.getvalue())
params = {"CodeBucket": "broker-code", "InvokerPrincipal": "123456789012", "Rules": os.environ["RULES"]}
cfn.create_stack(StackName="awsenv-broker", TemplateBody=open(os.environ["TEMPLATE"]).read(),
    Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
    Capabilities=["CAPABILITY_IAM"])
stack = cfn.describe_stacks(StackName="awsenv-broker")["Stacks"][0]
outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
types = sorted(r["ResourceType"] for r in cfn.describe_stack_resources(StackName="awsenv-broker")["StackResources"])
# moto's auth mode rejects the signature of Lambda's GET requests, so the function is seen
# through the stack; the roles and the log group through their own APIs.
iam = boto3.client("iam", **kw)
base = iam.get_role(RoleName=outputs["BaseRoleArn"].rsplit("/", 1)[1])["Role"]
group = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/awsenv-broker")["logGroups"][0]
print(json.dumps({"status": stack["StackStatus"], "outputs": outputs, "types": types,
    "base_trust": base["AssumeRolePolicyDocument"], "retention": group.get("retentionInDays")}))
"##;

#[test]
fn a_command_runs_as_the_remote_simulation() {
    let env = client("dev");
    let mut args = vec!["simulate", "--remote", "--role-name", "my-task", "-q", "--"];
    args.extend(WHOAMI.split(' '));
    let o = env.awsenv(&args);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev\n")
    );
}

/// Issue 14 for the broker's sessions: the command gets the credential endpoint, not keys.
#[test]
fn a_remote_simulation_is_served_from_the_credential_endpoint() {
    let env = client("dev");
    let script = format!(
        "test -z \"${{AWS_ACCESS_KEY_ID-}}\" && test -n \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" && {WHOAMI}"
    );
    let o = env.awsenv(&[
        "simulate",
        "--remote",
        "--role-name",
        "my-task",
        "-q",
        "--ecs-server",
        "--",
        "sh",
        "-c",
        &script,
    ]);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev\n")
    );
}

#[test]
fn the_source_may_be_a_profile() {
    let env = client("dev")
        .remove("AWS_ACCESS_KEY_ID")
        .remove("AWS_SECRET_ACCESS_KEY");
    env.write_credentials(&[("work", "dev")]);
    let o = env.shell(
        "bash",
        &format!(
            "{}\n{WHOAMI}\n",
            eval_line(
                "bash",
                "simulate --remote --role-name my-task --profile work -q"
            )
        ),
    );
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/broker-base/awsenv-dev\n")
    );
}
