//! IAM Identity Center: `login`, renewal, `logout`, `assume` through an SSO profile, the direct
//! form and a chain, `roles`, `profiles sync` and `doctor`, against the strict stand-in
//! (tests/support/sso_fake.py) with real moto credentials, and the AWS CLI (botocore) reading
//! and writing the same token cache.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::sso::{login, start, CORP_TOKEN};
use support::{assert_fails, assert_ok, stderr, stdout, ACCOUNT};

fn token_file(env: &support::Env) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(env.path(CORP_TOKEN)).expect("the token file")).unwrap()
}

/// Rewrites the token file's expiry to `secs` from now (a token about to end).
fn age_token(env: &support::Env, secs: i64) {
    let mut t = token_file(env);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let when = chrono_like(now + secs);
    t["expiresAt"] = serde_json::json!(when);
    std::fs::write(env.path(CORP_TOKEN), t.to_string()).unwrap();
}

/// Seconds since the epoch as RFC 3339 `Z` (with the date command, to stay dependency-free).
fn chrono_like(secs: i64) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn login_writes_the_cli_token_and_the_aws_cli_uses_it() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    let out = login(&fake, &env, &["--sso-session", "corp"]);
    assert_ok(&out);
    assert!(out.stdout.is_empty(), "stdout must stay empty");
    let err = stderr(&out);
    assert!(err.contains("/device?user_code="), "{err}");
    let t = token_file(&env);
    for k in [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ] {
        assert!(t[k].is_string(), "{k} missing in {t}");
    }
    assert!(t["expiresAt"].as_str().unwrap().ends_with('Z'));
    for secret in ["accessToken", "clientSecret", "refreshToken"] {
        assert!(
            !err.contains(t[secret].as_str().unwrap()),
            "{secret} on stderr"
        );
    }
    let mode = std::fs::metadata(env.path(CORP_TOKEN))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // The AWS CLI (botocore) uses the token awsenv wrote: no `aws sso login`.
    let aws = env
        .command("aws")
        .args(["sts", "get-caller-identity", "--profile", "corp-demo"])
        .output()
        .unwrap();
    assert_ok(&aws);
    assert!(
        stdout(&aws).contains("assumed-role/awsenv-demo/"),
        "{}",
        stdout(&aws)
    );
    // And the polling kept to the interval: never told to slow down.
    assert!(fake
        .requests()
        .iter()
        .all(|r| r["error"] != "SlowDownException"));
}

#[test]
fn a_second_login_reuses_the_client_registration() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let first = token_file(&env);
    assert_ok(&login(&fake, &env, &["corp-demo"]));
    let second = token_file(&env);
    assert_eq!(fake.ops("/client/register").len(), 1);
    assert_eq!(first["clientId"], second["clientId"]);
    assert_ne!(first["accessToken"], second["accessToken"]);
}

#[test]
fn an_expired_device_code_fails_with_exit_4() {
    let fake = start(serde_json::json!({"device_ttl": 2}));
    let env = fake.env();
    let out = env.awsenv(&["login", "--sso-session", "corp", "--no-browser"]);
    assert_fails(&out, 4, "expired");
    assert!(!env.path(CORP_TOKEN).exists());
}

#[test]
fn assume_an_sso_profile_in_the_shell_and_from_the_cache() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let (who, vars) = support::eval_whoami_unset(&env, "bash", "assume corp-demo");
    assert!(who.contains("assumed-role/awsenv-demo/"), "{who}");
    assert!(vars["AWSENV_SOURCE"].contains("sso:corp"), "{vars:?}");
    let before = fake.ops("/federation/credentials").len();
    assert_eq!(before, 1);
    // The second time from the cache: the portal is not asked.
    let again = env.awsenv(&["assume", "corp-demo", "--shell", "bash"]);
    assert_ok(&again);
    assert_eq!(fake.ops("/federation/credentials").len(), before);
}

#[test]
fn assume_directly_by_account_and_permission_set() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let arg = format!("assume --sso-session corp {ACCOUNT}:power-user");
    let (who, _) = support::eval_whoami_unset(&env, "bash", &arg);
    assert!(who.contains("assumed-role/power-user/"), "{who}");
    let bad = env.awsenv(&[
        "assume",
        "--sso-session",
        "corp",
        "power-user",
        "--shell",
        "bash",
    ]);
    assert_fails(&bad, 2, "ACCOUNT_ID:PERMISSION_SET");
    let denied = env.awsenv(&[
        "assume",
        "--sso-session",
        "corp",
        &format!("{ACCOUNT}:NotAssigned"),
        "--shell",
        "bash",
    ]);
    assert_fails(&denied, 5, "NotAssigned");
    // What GetRoleCredentials cannot carry is refused, not dropped.
    let tagged = env.awsenv(&[
        "assume",
        "--sso-session",
        "corp",
        &format!("{ACCOUNT}:power-user"),
        "--tag",
        "team=a",
        "--shell",
        "bash",
        "--no-cache",
    ]);
    assert_fails(&tagged, 2, "--tag cannot apply");
}

#[test]
fn a_role_chain_starts_at_an_sso_profile() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    let cfg = format!(
        "{}\n[profile chained]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/Chained\nsource_profile = corp-demo\n",
        support::sso::CONFIG
    );
    std::fs::write(env.path("aws-config"), cfg).unwrap();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let (who, _) = support::eval_whoami_unset(&env, "bash", "assume chained");
    assert!(who.contains("assumed-role/Chained/"), "{who}");
    // awsenv's own token handling, not the SDK's: signed out, it names `awsenv login`.
    std::fs::remove_file(env.path(CORP_TOKEN)).unwrap();
    let out = env.awsenv(&["assume", "chained", "--shell", "bash", "--no-cache"]);
    assert_fails(&out, 4, "awsenv login --sso-session corp");
}

#[test]
fn an_ending_token_is_renewed_and_a_failed_renewal_names_login() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let old = token_file(&env);
    age_token(&env, 120);
    let out = env.awsenv(&["assume", "corp-demo", "--shell", "bash", "--no-cache"]);
    assert_ok(&out);
    let new = token_file(&env);
    assert_ne!(old["accessToken"], new["accessToken"]);
    assert_ne!(old["refreshToken"], new["refreshToken"]);
    let refreshes = fake
        .ops("/token")
        .into_iter()
        .filter(|r| r["grant"] == "refresh_token")
        .count();
    assert_eq!(refreshes, 1);
    // The portal saw the renewed token.
    let last = fake.ops("/federation/credentials").pop().unwrap();
    assert_eq!(last["token"], new["accessToken"]);
    // A refresh token the service no longer knows: sign in again, exit 4.
    let mut t = token_file(&env);
    t["refreshToken"] = serde_json::json!("aor-revoked");
    std::fs::write(env.path(CORP_TOKEN), t.to_string()).unwrap();
    age_token(&env, -10);
    let out = env.awsenv(&["assume", "corp-demo", "--shell", "bash", "--no-cache"]);
    assert_fails(&out, 4, "awsenv login --sso-session corp");
}

#[test]
fn a_token_botocore_renewed_is_used_by_awsenv() {
    // Ten minutes of life: botocore renews within 15 minutes of the end, awsenv within 5.
    let fake = start(serde_json::json!({"token_ttl": 600}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let ours = token_file(&env);
    let aws = env
        .command("aws")
        .args(["sts", "get-caller-identity", "--profile", "corp-demo"])
        .output()
        .unwrap();
    assert_ok(&aws);
    let theirs = token_file(&env);
    assert_ne!(
        ours["accessToken"], theirs["accessToken"],
        "botocore renewed it"
    );
    let out = env.awsenv(&["assume", "corp-demo", "--shell", "bash"]);
    assert_ok(&out);
    let last = fake.ops("/federation/credentials").pop().unwrap();
    assert_eq!(last["token"], theirs["accessToken"]);
}

#[test]
fn logout_signs_out_and_removes_the_token() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let t = token_file(&env);
    let out = env.awsenv(&["logout", "--sso-session", "corp"]);
    assert_ok(&out);
    assert!(out.stdout.is_empty());
    assert!(!env.path(CORP_TOKEN).exists());
    let logout = fake.ops("/logout");
    assert_eq!(logout.len(), 1);
    assert_eq!(logout[0]["token"], t["accessToken"]);
    let after = env.awsenv(&["assume", "corp-demo", "--shell", "bash", "--no-cache"]);
    assert_fails(&after, 4, "awsenv login --sso-session corp");
}

#[test]
fn roles_lists_every_account_and_role_and_answers_from_the_cache() {
    let fake = start(serde_json::json!({"generate": 60}));
    let env = fake.env();
    let cfg = format!(
        "{}\n[profile app]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/app/Target\nsource_profile = x\n",
        support::sso::CONFIG
    );
    std::fs::write(env.path("aws-config"), cfg).unwrap();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let out = env.awsenv(&["roles", "--format", "json"]);
    assert_ok(&out);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let sso: Vec<_> = list.iter().filter(|e| e["source"] == "sso:corp").collect();
    assert_eq!(
        sso.len(),
        120 + 1,
        "60 accounts x 2 roles, and the corp-demo profile's"
    );
    assert!(sso
        .iter()
        .any(|e| e["account_name"] == "account-0059" && e["role_name"] == "Admin"));
    let app = list
        .iter()
        .find(|e| e["source"] == "profile:app")
        .expect("the app profile");
    assert_eq!(app["role_name"], "Target");
    assert_eq!(app["profile"], "app");
    // Paginated: 60 accounts in pages of 25.
    assert_eq!(fake.ops("/assignment/accounts").len(), 3);
    let asked = fake.requests().len();
    let cached = env.awsenv(&["roles", "--format", "json"]);
    assert_ok(&cached);
    assert_eq!(cached.stdout, out.stdout);
    assert_eq!(
        fake.requests().len(),
        asked,
        "a cached answer asked the network"
    );
    assert_ok(&env.awsenv(&["roles", "--refresh"]));
    assert!(fake.requests().len() > asked);
    let table = stdout(&env.awsenv(&["roles"]));
    assert!(table.starts_with("ACCOUNT"), "{table}");
}

#[test]
fn profiles_sync_writes_one_block_and_keeps_the_rest() {
    let fake = start(serde_json::json!({"accounts": [
        {"id": "111111111111", "name": "Prod Account", "roles": ["Admin", "ReadOnly"]},
        {"id": "222222222222", "name": "dev", "roles": ["Admin"]},
    ]}));
    let env = fake.env();
    let mine = format!(
        "# my notes\n{}[profile dev.Admin]\nregion = eu-west-1\n",
        support::sso::CONFIG
    );
    std::fs::write(env.path("aws-config"), &mine).unwrap();
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let dry = env.awsenv(&["profiles", "sync", "--sso-session", "corp", "--dry-run"]);
    assert_ok(&dry);
    assert!(
        stdout(&dry).contains("+[profile Prod-Account.ReadOnly]\n"),
        "{}",
        stdout(&dry)
    );
    assert_eq!(
        std::fs::read_to_string(env.path("aws-config")).unwrap(),
        mine
    );
    assert_ok(&env.awsenv(&["profiles", "sync", "--sso-session", "corp"]));
    let once = std::fs::read_to_string(env.path("aws-config")).unwrap();
    assert!(
        once.starts_with(&mine),
        "the text outside the block changed"
    );
    assert!(
        once.contains("[profile dev.Admin-222222222222]\n"),
        "{once}"
    );
    assert!(once.contains("sso_account_id = 111111111111\nsso_role_name = Admin\n"));
    assert_ok(&env.awsenv(&["profiles", "sync", "--sso-session", "corp"]));
    assert_eq!(
        std::fs::read_to_string(env.path("aws-config")).unwrap(),
        once
    );
    let dry = env.awsenv(&["profiles", "sync", "--sso-session", "corp", "--dry-run"]);
    assert!(dry.stdout.is_empty(), "{}", stdout(&dry));
    // A generated profile works with the AWS CLI as it is.
    let aws = env
        .command("aws")
        .args([
            "configure",
            "get",
            "sso_role_name",
            "--profile",
            "Prod-Account.ReadOnly",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&aws).trim(), "ReadOnly");
}

#[test]
fn doctor_names_each_sso_session() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    let before = stdout(&env.awsenv(&["doctor"]));
    assert!(before.contains("sso:corp: not signed in"), "{before}");
    assert!(
        before.contains("awsenv login --sso-session corp"),
        "{before}"
    );
    assert_ok(&login(&fake, &env, &["--sso-session", "corp"]));
    let after = stdout(&env.awsenv(&["doctor"]));
    assert!(after.contains("sso:corp: signed in until 20"), "{after}");
}

#[test]
fn login_refuses_what_it_cannot_use() {
    let fake = start(serde_json::json!({}));
    let env = fake.env();
    // A refusal is immediate; a login that went on would poll for approval until killed.
    let limit = std::time::Duration::from_secs(20);
    let out = env.awsenv_within(limit, &["login", "--sso-session", "nope"]);
    assert_fails(&out, 12, "sso-session nope");
    let out = env.awsenv_within(limit, &["login", "no-such-profile"]);
    assert_fails(&out, 2, "does not use IAM Identity Center");
    assert!(fake.requests().is_empty());
}

#[test]
fn the_browser_opens_the_url_unless_there_is_no_display() {
    let fake = start(serde_json::json!({"device_ttl": 5}));
    let env = fake.env();
    // A "browser" that approves what it is given, as the user would in a real one.
    let browser = env.path("browser");
    std::fs::write(
        &browser,
        "#!/bin/sh\necho \"$1\" >> \"$HOME/opened\"\ncurl -sf \"$1\" >/dev/null\n",
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let env = env
        .set("BROWSER", &browser.to_string_lossy())
        .set("DISPLAY", ":99");
    let out = env.awsenv(&["login", "--sso-session", "corp"]);
    assert_ok(&out);
    assert!(out.stdout.is_empty());
    let opened = std::fs::read_to_string(env.path("opened")).expect("the browser was opened");
    assert!(opened.contains("/device?user_code="), "{opened}");
    assert!(env.path(CORP_TOKEN).exists());
    // Over SSH there is no browser to open: the URL is for the user to open elsewhere.
    std::fs::remove_file(env.path("opened")).unwrap();
    let ssh = env.set("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22");
    let out = ssh.awsenv(&["login", "--sso-session", "corp"]);
    assert_fails(&out, 4, "expired");
    assert!(stderr(&out).contains("/device?user_code="));
    assert!(
        !ssh.path("opened").exists(),
        "a browser was opened over SSH"
    );
}
