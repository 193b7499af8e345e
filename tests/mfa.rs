//! One MFA code for many roles: the code buys an MFA session (GetSessionToken), cached 0600 per
//! source key and device, and every role is assumed from it without another code until it
//! ends. Against moto with `mfa_standin.py`: real TOTP codes, and a role (`mfa-admin`) whose
//! trust policy requires MFA.

mod support;

use std::path::PathBuf;

use support::{assert_fails, assert_ok, mfa_code, mfa_serial, role_arn, stderr, stdout, Env};

/// `assume --format json` as `env`, with the extra arguments; the variables it gives.
fn assume_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["assume", "--format", "json"];
    all.extend_from_slice(args);
    let o = env.awsenv(&all);
    assert_ok(&o);
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// Seconds from now to the session's end, from `AWSENV_EXPIRES_AT`.
fn life(vars: &serde_json::Value) -> i64 {
    let at: i64 = vars["AWSENV_EXPIRES_AT"].as_str().unwrap().parse().unwrap();
    at - now()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The MFA session files in `env`'s cache.
fn mfa_files(env: &Env) -> Vec<PathBuf> {
    let dir = env.path("cache/sessions");
    support::files_under(&dir)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("mfa-"))
        .collect()
}

fn read_json(p: &PathBuf) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

#[test]
fn the_mfa_role_is_refused_without_mfa() {
    // What makes the tests below worth something: the stand-in enforces the condition.
    let env = Env::user("dev");
    let o = env.awsenv(&["assume", "-s", "bash", &role_arn("mfa-admin")]);
    assert_fails(&o, 5, "requires MFA");
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--mfa-serial",
        &mfa_serial("dev"),
        "--token-code",
        "000000",
        &role_arn("mfa-admin"),
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("MFA code was refused"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn one_code_serves_every_role_with_the_roles_own_durations() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::user("dev");
    let serial = mfa_serial("dev");
    let first = assume_json(
        &env,
        &[
            "--mfa-serial",
            &serial,
            "--token-code",
            &mfa_code("dev"),
            &role_arn("awsenv-demo"),
        ],
    );
    assert_eq!(first["AWSENV_ROLE"], "awsenv-demo");
    let files = mfa_files(&env);
    assert_eq!(files.len(), 1, "one MFA session: {files:?}");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let cached = read_json(&files[0]);
    assert_eq!(cached["serial"], serial.as_str());
    let mfa_left = cached["session"]["expires_at"].as_i64().unwrap() - now();
    assert!((43_000..=43_200).contains(&mfa_left), "12 h: {mfa_left}");

    // Another role, which only MFA opens, for 2 hours: no code, and no way to ask for one.
    let env = env.set("AWSENV_NO_PROMPT", "1");
    let second = assume_json(&env, &["-d", "2h", "--mfa-serial", &serial, "mfa-admin"]);
    assert_eq!(second["AWSENV_ROLE"], "mfa-admin");
    let left = life(&second);
    assert!(
        (7000..=7200).contains(&left),
        "the role's duration, not role chaining's 1 h: {left}"
    );
    // The session works: a real client acts as the role.
    let o = env.shell(
        "bash",
        &format!(
            "{}\n{}",
            support::eval_line("bash", "assume -s bash --mfa-serial $S awsenv-demo"),
            support::WHOAMI
        )
        .replace("$S", &serial),
    );
    assert_ok(&o);
    assert!(
        stdout(&o).contains(":assumed-role/awsenv-demo/"),
        "{}",
        stdout(&o)
    );
    assert_eq!(mfa_files(&env).len(), 1, "still one MFA session");
    // `cache list` shows it beside the role sessions; clearing one role keeps it.
    let listed = env.awsenv(&["cache", "list"]);
    assert_ok(&listed);
    let mfa_line = format!("mfa:{serial}\t");
    assert!(stdout(&listed).contains(&mfa_line), "{}", stdout(&listed));
    assert_ok(&env.awsenv(&["cache", "clear", "mfa-admin"]));
    assert_eq!(mfa_files(&env).len(), 1, "kept by clearing one role");
}

#[test]
fn mfa_sessions_are_keyed_by_source_key_and_device() {
    let dev = Env::user("dev");
    let serial = mfa_serial("dev");
    assume_json(
        &dev,
        &[
            "--mfa-serial",
            &serial,
            "--token-code",
            &mfa_code("dev"),
            &role_arn("awsenv-demo"),
        ],
    );
    let cache = dev.path("cache").to_string_lossy().into_owned();
    // Another device: its own session, so a code is needed.
    let dev = dev.set("AWSENV_NO_PROMPT", "1");
    let o = dev.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--mfa-serial",
        &mfa_serial("viewer"),
        "mfa-admin",
    ]);
    assert_fails(&o, 11, "needs an MFA code");
    // Another source key, same cache, same device named: not dev's session.
    let viewer = Env::user("viewer")
        .set("AWSENV_CACHE_DIR", &cache)
        .set("AWSENV_NO_PROMPT", "1");
    let o = viewer.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--mfa-serial",
        &serial,
        &role_arn("mfa-admin"),
    ]);
    assert_fails(&o, 11, "needs an MFA code");
    // And the viewer's own code buys the viewer's own session beside dev's.
    let viewer = viewer.remove("AWSENV_NO_PROMPT");
    assume_json(
        &viewer,
        &[
            "--mfa-serial",
            &mfa_serial("viewer"),
            "--token-code",
            &mfa_code("viewer"),
            &role_arn("mfa-admin"),
        ],
    );
    assert_eq!(mfa_files(&dev).len(), 2);
}

#[test]
fn an_ended_mfa_session_asks_again() {
    let env = Env::user("dev");
    let serial = mfa_serial("dev");
    assume_json(
        &env,
        &[
            "--mfa-duration",
            "15m",
            "--mfa-serial",
            &serial,
            "--token-code",
            &mfa_code("dev"),
            &role_arn("awsenv-demo"),
        ],
    );
    let file = mfa_files(&env).remove(0);
    let mut cached = read_json(&file);
    let left = cached["session"]["expires_at"].as_i64().unwrap() - now();
    assert!((800..=900).contains(&left), "--mfa-duration 15m: {left}");
    // The MFA session ends (its file says so; its keys would still work at the stand-in).
    cached["session"]["expires_at"] = serde_json::json!(now() - 1);
    std::fs::write(&file, cached.to_string()).unwrap();
    let no_prompt = Env {
        home: tempfile::tempdir().unwrap(),
        vars: env.vars.clone(),
    }
    .set("AWSENV_NO_PROMPT", "1");
    let o = no_prompt.awsenv(&["assume", "-s", "bash", "--mfa-serial", &serial, "mfa-admin"]);
    assert_fails(&o, 11, "needs an MFA code");
    // A new code, a new MFA session.
    assume_json(
        &env,
        &[
            "--mfa-serial",
            &serial,
            "--token-code",
            &mfa_code("dev"),
            "mfa-admin",
        ],
    );
    let left = read_json(&file)["session"]["expires_at"].as_i64().unwrap() - now();
    assert!(left > 40_000, "renewed for 12 h: {left}");
}

#[test]
fn mfa_duration_bounds() {
    let env = Env::user("dev");
    for bad in ["899", "36h1s", "2d", "soon"] {
        let o = env.awsenv(&[
            "assume",
            "-s",
            "bash",
            "--mfa-duration",
            bad,
            "--mfa-serial",
            &mfa_serial("dev"),
            "--token-code",
            "123456",
            "awsenv-demo",
        ]);
        assert_fails(&o, 2, "--mfa-duration");
    }
    assert!(!env.path("cache").exists(), "refused before anything else");
}
