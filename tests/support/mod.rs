//! Shared test support: the moto harness (one per test binary), isolated environments, and
//! running awsenv and real shells in them.
#![allow(dead_code)]
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

pub mod fault;
pub mod sso;

pub const ACCOUNT: &str = "123456789012";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where cargo put this build's binaries and examples (target/debug), whichever awsenv is
/// under test.
pub fn cargo_bin_dir() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_awsenv"));
    exe.parent().map(PathBuf::from).unwrap_or(exe)
}

/// The binary under test: cargo's debug build, or the one `AWSENV_TEST_BIN` names
/// (scripts/test runs part of the suite again on the release binary, whose link differs).
pub fn awsenv_bin() -> PathBuf {
    match std::env::var_os("AWSENV_TEST_BIN") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_awsenv")),
    }
}

/// The Python venv with moto and the AWS CLI that `scripts/setup` makes. Missing is a failure,
/// never a skip: a test that does not run proves nothing.
pub fn venv() -> PathBuf {
    let dir = std::env::var_os("AWSENV_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv"));
    assert!(
        dir.join("bin/python").exists() && dir.join("bin/aws").exists(),
        "no test venv at {} (moto and the AWS CLI): run scripts/setup, or scripts/test which calls it",
        dir.display()
    );
    dir
}

/// A program the tests need from the system; missing fails the test with how to install it.
pub fn require(program: &str) -> PathBuf {
    for dir in ["/usr/bin", "/bin", "/usr/local/bin"] {
        let p = Path::new(dir).join(program);
        if p.exists() {
            return p;
        }
    }
    panic!("{program} is not installed: run scripts/setup (apt-get install {program})");
}

/// nushell from npm, installed by `scripts/setup` beside the venv (no Debian package).
pub fn nu() -> PathBuf {
    let p = venv().join("nu/node_modules/.bin/nu");
    assert!(
        p.exists(),
        "nushell is not installed at {}: run scripts/setup",
        p.display()
    );
    p
}

#[derive(Debug, Clone)]
pub struct Keys {
    pub id: String,
    pub secret: String,
    pub arn: String,
}

pub struct Moto {
    pub endpoint: String,
    pub keys: BTreeMap<String, Keys>,
    /// Each user's virtual MFA device: (serial, TOTP seed), see `mfa_standin.py`.
    pub mfa: BTreeMap<String, (String, String)>,
    // Kept open for the life of the test binary: the harness exits when it closes.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

static MOTO: OnceLock<Moto> = OnceLock::new();

pub fn moto() -> &'static Moto {
    MOTO.get_or_init(|| {
        let python = venv().join("bin/python");
        let mut child = Command::new(python)
            .arg(repo_root().join("tests/support/moto_harness.py"))
            .arg("--managed-policies")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the moto harness");
        let stdin = child.stdin.take().expect("harness stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("harness stdout"))
            .read_line(&mut line)
            .expect("read the harness's first line");
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("harness said {line:?}: {e}"));
        let keys = v["keys"]
            .as_object()
            .expect("keys")
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Keys {
                        id: v["id"].as_str().unwrap().to_string(),
                        secret: v["secret"].as_str().unwrap().to_string(),
                        arn: v["arn"].as_str().unwrap().to_string(),
                    },
                )
            })
            .collect();
        let mfa = v["mfa"]
            .as_object()
            .expect("mfa")
            .iter()
            .map(|(k, v)| {
                let field = |f: &str| v[f].as_str().unwrap().to_string();
                (k.clone(), (field("serial"), field("seed")))
            })
            .collect();
        Moto {
            endpoint: v["endpoint"].as_str().unwrap().to_string(),
            keys,
            mfa,
            _stdin: Mutex::new(stdin),
            _child: Mutex::new(child),
        }
    })
}

/// The serial of `user`'s MFA device in the local AWS.
pub fn mfa_serial(user: &str) -> String {
    moto().mfa[user].0.clone()
}

/// The code `user`'s MFA device shows now (TOTP, computed by the stand-in's own function).
pub fn mfa_code(user: &str) -> String {
    let seed = &moto().mfa[user].1;
    let o = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("tests/support/mfa_standin.py"))
        .args(["code", seed])
        .output()
        .expect("run mfa_standin.py");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// The local stand-in for the sign-in federation endpoint (`federation_fake.py`): one per test
/// binary, every request logged.
pub struct Federation {
    pub url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

static FEDERATION: OnceLock<Federation> = OnceLock::new();

pub fn federation() -> &'static Federation {
    FEDERATION.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("requests.jsonl");
        let mut child = Command::new(venv().join("bin/python"))
            .arg(repo_root().join("tests/support/federation_fake.py"))
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the federation fake");
        let stdin = child.stdin.take().expect("fake stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("fake stdout"))
            .read_line(&mut line)
            .expect("read the fake's first line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("fake's JSON line");
        Federation {
            url: v["url"].as_str().unwrap().to_string(),
            log,
            _dir: dir,
            _stdin: Mutex::new(stdin),
            _child: Mutex::new(child),
        }
    })
}

impl Federation {
    /// The endpoint for one test (`tag`) and behaviour (`mode`, see the fake's docstring).
    pub fn endpoint(&self, tag: &str, mode: &str) -> String {
        format!("{}/{tag}/{mode}/federation", self.url)
    }

    /// The requests a test's endpoints received, in order.
    pub fn requests(&self, tag: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|r| {
                r["path"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with(&format!("/{tag}/"))
            })
            .collect()
    }
}

pub fn role_arn(path_and_name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{path_and_name}")
}

/// An isolated environment: an empty HOME, its own cache, no AWS config but what a test
/// writes, and only the variables set here (the machine's own are never inherited).
pub struct Env {
    pub home: tempfile::TempDir,
    pub vars: BTreeMap<String, String>,
}

impl Env {
    /// No credentials at all, no endpoint.
    pub fn bare() -> Env {
        let home = tempfile::tempdir().expect("tempdir");
        let h = home.path().to_string_lossy().into_owned();
        let mut vars = BTreeMap::new();
        let bin_dir = awsenv_bin()
            .parent()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        vars.insert(
            "PATH".into(),
            format!("{bin_dir}:/usr/local/bin:/usr/bin:/bin"),
        );
        vars.insert("HOME".into(), h.clone());
        vars.insert("USER".into(), "tester".into());
        vars.insert("LANG".into(), "C.UTF-8".into());
        vars.insert("AWSENV_CACHE_DIR".into(), format!("{h}/cache"));
        vars.insert("AWS_CONFIG_FILE".into(), format!("{h}/aws-config"));
        vars.insert(
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            format!("{h}/aws-credentials"),
        );
        Env { home, vars }
    }

    /// Signed in to moto as `user`, with the AWS CLI on PATH.
    pub fn user(user: &str) -> Env {
        let m = moto();
        let mut env = Env::bare();
        let k = &m.keys[user];
        let venv_bin = venv().join("bin").to_string_lossy().into_owned();
        let path = format!("{}:{venv_bin}", env.vars["PATH"]);
        env.vars.insert("PATH".into(), path);
        env.vars
            .insert("AWS_ENDPOINT_URL".into(), m.endpoint.clone());
        env.vars.insert("AWS_ACCESS_KEY_ID".into(), k.id.clone());
        env.vars
            .insert("AWS_SECRET_ACCESS_KEY".into(), k.secret.clone());
        env.vars
            .insert("AWS_DEFAULT_REGION".into(), "us-east-1".into());
        env
    }

    pub fn set(mut self, k: &str, v: &str) -> Env {
        self.vars.insert(k.into(), v.into());
        self
    }

    pub fn remove(mut self, k: &str) -> Env {
        self.vars.remove(k);
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.home.path().join(rel)
    }

    /// Writes `~/aws-credentials` with a profile per (name, user).
    pub fn write_credentials(&self, profiles: &[(&str, &str)]) {
        let m = moto();
        let mut text = String::new();
        for (name, user) in profiles {
            let k = &m.keys[*user];
            text += &format!(
                "[{name}]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n",
                k.id, k.secret
            );
        }
        std::fs::write(self.path("aws-credentials"), text).unwrap();
    }

    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env_clear().envs(&self.vars).current_dir(self.home.path());
        c.stdin(Stdio::null());
        c
    }

    /// Runs `n` awsenv processes at once, with the arguments `args(i)` gives the i-th.
    pub fn awsenv_many(&self, n: usize, args: impl Fn(usize) -> Vec<String>) -> Vec<Output> {
        let children: Vec<Child> = (0..n)
            .map(|i| {
                self.command(awsenv_bin())
                    .args(args(i))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start awsenv")
            })
            .collect();
        children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait for awsenv"))
            .collect()
    }

    pub fn awsenv(&self, args: &[&str]) -> Output {
        self.command(awsenv_bin())
            .args(args)
            .output()
            .expect("run awsenv")
    }

    /// Runs awsenv, but for at most `limit`: a run still going then is killed and the test
    /// fails saying so, with what it wrote, instead of hanging (e.g. a login that polls for
    /// approval where it should have refused).
    pub fn awsenv_within(&self, limit: std::time::Duration, args: &[&str]) -> Output {
        let mut child = self
            .command(awsenv_bin())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start awsenv");
        use std::io::Read as _;
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut buf);
                }
                let _ = tx.send(buf);
            });
            rx
        };
        let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for awsenv") {
                break Some(status);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        // A grandchild may still hold the pipes: what was written so far, within a second.
        let grace = std::time::Duration::from_secs(1);
        let stdout = out.recv_timeout(grace).unwrap_or_default();
        let stderr = err.recv_timeout(grace).unwrap_or_default();
        let Some(status) = status else {
            panic!(
                "awsenv {args:?} did not finish within {limit:?} (killed)\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            );
        };
        Output {
            status,
            stdout,
            stderr,
        }
    }

    /// Runs `script` in a real shell with no rc files.
    pub fn shell(&self, shell: &str, script: &str) -> Output {
        let mut c = match shell {
            "bash" => {
                let mut c = self.command(require("bash"));
                c.args(["--noprofile", "--norc", "-c", script]);
                c
            }
            "zsh" => {
                let mut c = self.command(require("zsh"));
                c.args(["--no-rcs", "-c", script]);
                c
            }
            "fish" => {
                let mut c = self.command(require("fish"));
                c.args(["--no-config", "-c", script]);
                c
            }
            "nu" => {
                let mut c = self.command(nu());
                c.args(["--no-config-file", "-c", script]);
                c
            }
            other => panic!("no shell {other}"),
        };
        c.output().expect("run shell")
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the contract for failures: the exit code, an empty stdout, and a message.
pub fn assert_fails(o: &Output, code: i32, needle: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit code; stderr: {}",
        stderr(o)
    );
    assert!(o.stdout.is_empty(), "stdout must be empty: {:?}", stdout(o));
    assert!(
        stderr(o).contains(needle),
        "stderr should mention {needle:?}: {}",
        stderr(o)
    );
}

pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// Parses `env -0` output.
pub fn parse_env0(bytes: &[u8]) -> BTreeMap<String, String> {
    bytes
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .filter_map(|kv| {
            let s = String::from_utf8(kv.to_vec()).ok()?;
            let (k, v) = s.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

/// The AWS_* and AWSENV_* part of an environment dump.
pub fn aws_vars(env: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    env.iter()
        .filter(|(k, _)| k.starts_with("AWS_") || k.starts_with("AWSENV_"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Who the AWS CLI is, as one ARN.
pub const WHOAMI: &str = "aws sts get-caller-identity --query Arn --output text";

/// Evaluates `awsenv ARGS` in a real `shell`, asks the AWS CLI who it is, unsets, asks again;
/// checks `unset` put the AWS variables back exactly. Returns both identities (one per line)
/// and the environment while the role was active.
pub fn eval_whoami_unset(env: &Env, shell: &str, args: &str) -> (String, BTreeMap<String, String>) {
    let script = format!(
        "env -0 > before.env\n{}\n{WHOAMI}\nenv -0 > during.env\n{}\n{WHOAMI}\nenv -0 > after.env\n",
        eval_line(shell, args),
        eval_line(shell, "unset"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let read = |f: &str| parse_env0(&std::fs::read(env.path(f)).unwrap());
    assert_eq!(
        aws_vars(&read("before.env")),
        aws_vars(&read("after.env")),
        "{shell}"
    );
    (stdout(&o), read("during.env"))
}

/// The shell's command to evaluate awsenv's output.
pub fn eval_line(shell: &str, args: &str) -> String {
    match shell {
        "fish" => format!("awsenv {args} | source"),
        // nushell has no eval: the output is a record that `awsenv init nu`'s helper applies.
        "nu" => format!("awsenv-apply (^awsenv {args})"),
        _ => format!("eval \"$(awsenv {args})\""),
    }
}

pub fn write_stdin(child: &mut Child, bytes: &[u8]) {
    child.stdin.take().unwrap().write_all(bytes).unwrap();
}

/// Every file under `dir` (recursively); `dir` must exist (a scan of nothing proves nothing).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot scan {}: {e}", dir.display()));
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every file under `dir` (which must exist) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| std::fs::read(p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle)))
        .collect()
}

/// Signed in as `dev`, with direnv's own directories in HOME and awsenv's helper in its
/// direnvrc.
pub fn direnv_env() -> Env {
    let env = Env::user("dev");
    let home = env.home.path().to_string_lossy().into_owned();
    let env = env
        .set("XDG_CONFIG_HOME", &format!("{home}/.config"))
        .set("XDG_DATA_HOME", &format!("{home}/.local/share"))
        .set("XDG_CACHE_HOME", &format!("{home}/.cache"));
    std::fs::create_dir_all(env.path(".config/direnv")).unwrap();
    std::fs::write(
        env.path(".config/direnv/direnvrc"),
        "eval \"$(awsenv init direnv)\"\n",
    )
    .unwrap();
    env
}

/// One test per shell for a behaviour: `for_shells!(behaviour: bash, zsh, fish);` makes the
/// tests `behaviour::bash`, `behaviour::zsh` and `behaviour::fish`, each calling
/// `behaviour("bash")` and so on, so that the shell is in the name of the test that fails.
/// Arguments after the shell's name go to the behaviour too: `bash("set -u")`.
#[allow(unused_macros)]
macro_rules! for_shells {
    ($behaviour:ident: $($shell:ident $(($($arg:expr),* $(,)?))?),+ $(,)?) => {
        mod $behaviour {
            $(
                #[test]
                fn $shell() {
                    super::$behaviour(stringify!($shell) $($(, $arg)*)?);
                }
            )+
        }
    };
}
#[allow(unused_imports)]
pub(crate) use for_shells;
