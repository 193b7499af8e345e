//! The IAM Identity Center stand-in (`sso_fake.py`), one per test, and an environment that
//! reaches it: a config file with an `[sso-session corp]`, the endpoints, moto for STS.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use super::{moto, repo_root, venv, Env, ACCOUNT};

pub const START_URL: &str = "https://corp.awsapps.com/start";

/// sha1("corp"): the token file the AWS CLI reads for `[sso-session corp]`.
pub const CORP_TOKEN: &str = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";

pub struct SsoFake {
    pub url: String,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
    _stdin: ChildStdin,
    child: Child,
}

impl Drop for SsoFake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A stand-in with `extra` merged into its configuration (see the script's docstring). By
/// default: account 123456789012 "Demo" with roles awsenv-demo and power-user whose
/// credentials are real moto sessions (session name awsenv-chain, which the moto role
/// `Chained` trusts), a 1 s polling interval.
pub fn start(extra: serde_json::Value) -> SsoFake {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("requests.jsonl");
    let m = moto();
    let dev = &m.keys["dev"];
    let mut conf = serde_json::json!({
        "start_url": START_URL,
        "log": log,
        "interval": 1,
        "session_name": "awsenv-chain",
        "accounts": [{"id": ACCOUNT, "name": "Demo", "roles": ["awsenv-demo", "power-user"]}],
        "moto": {"endpoint": m.endpoint, "id": dev.id, "secret": dev.secret, "account": ACCOUNT},
    });
    for (k, v) in extra.as_object().expect("an object") {
        conf[k] = v.clone();
    }
    let conf_path = dir.path().join("conf.json");
    std::fs::write(&conf_path, conf.to_string()).unwrap();
    let mut child = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("tests/support/sso_fake.py"))
        .arg(&conf_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the SSO stand-in");
    let stdin = child.stdin.take().expect("stdin");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the stand-in's first line");
    let v: serde_json::Value = serde_json::from_str(&line).expect("the stand-in's JSON line");
    SsoFake {
        url: v["url"].as_str().unwrap().to_string(),
        log,
        _dir: dir,
        _stdin: stdin,
        child,
    }
}

impl SsoFake {
    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The requests for one operation path (e.g. `/token`).
    pub fn ops(&self, op: &str) -> Vec<serde_json::Value> {
        self.requests()
            .into_iter()
            .filter(|r| r["path"] == op)
            .collect()
    }

    /// An environment signed in to nothing, with the AWS CLI on PATH, moto for STS and this
    /// stand-in for both Identity Center services; the config has `[sso-session corp]` and
    /// the profile `corp-demo` (account 123456789012, role awsenv-demo).
    pub fn env(&self) -> Env {
        let m = moto();
        let venv_bin = venv().join("bin").to_string_lossy().into_owned();
        let env = Env::bare();
        let path = format!("{}:{venv_bin}", env.vars["PATH"]);
        let env = env
            .set("PATH", &path)
            .set("AWS_ENDPOINT_URL", &m.endpoint)
            .set("AWS_ENDPOINT_URL_SSO", &self.url)
            .set("AWS_ENDPOINT_URL_SSO_OIDC", &self.url)
            .set("AWS_DEFAULT_REGION", "us-east-1")
            .set("AWS_EC2_METADATA_DISABLED", "true");
        std::fs::write(env.path("aws-config"), CONFIG).unwrap();
        env
    }

    /// Approves the device whose URL awsenv printed, as the user's browser would.
    pub fn approve(&self, url: &str) {
        let out = Command::new("curl")
            .args(["-sf", url])
            .output()
            .expect("run curl");
        assert!(out.status.success(), "approving {url} failed");
    }
}

pub const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile corp-demo]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = awsenv-demo
region = us-east-1
";

/// Runs `awsenv login ARGS --no-browser`, approves the URL it prints on stderr, and returns
/// its output once it is done.
pub fn login(fake: &SsoFake, env: &Env, args: &[&str]) -> std::process::Output {
    let mut child = env
        .command(super::awsenv_bin())
        .arg("login")
        .args(args)
        .arg("--no-browser")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start awsenv login");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 || Instant::now() > deadline {
            break;
        }
        seen.push_str(&line);
        if let Some(url) = line
            .split_whitespace()
            .find(|w| w.contains("/device?user_code="))
        {
            fake.approve(url);
            break;
        }
    }
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let mut out = child.wait_with_output().expect("wait for awsenv login");
    out.stderr = format!("{seen}{rest}").into_bytes();
    out
}
