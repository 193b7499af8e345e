//! nushell, real `nu` from npm: `--shell nu` output applied by `awsenv init nu`'s helpers,
//! sudo-on/sudo-off, the prompt segment and completions, checked with the AWS CLI against moto
//! and with the environment compared byte for byte, as for bash, zsh and fish.

mod support;

use std::collections::BTreeMap;

use support::{assert_ok, aws_vars, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

const WHOAMI: &str = "^aws sts get-caller-identity --query Arn --output text";

fn assumed(role: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/")
}

fn user(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/{name}")
}

/// The init file saved where the script sources it (nushell sources only files it can see
/// when it parses).
fn with_init(env: &Env) {
    let o = env.awsenv(&["init", "nu"]);
    assert_ok(&o);
    std::fs::write(env.path("init.nu"), &o.stdout).unwrap();
}

fn env_file(env: &Env, name: &str) -> BTreeMap<String, String> {
    aws_vars(&parse_env0(&std::fs::read(env.path(name)).unwrap()))
}

#[test]
fn nu_identity_switches_and_restores() {
    let env = Env::user("dev");
    with_init(&env);
    // No --shell: awsenv sees nu as its parent process.
    let script = format!(
        "source init.nu\n{WHOAMI}\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume {})\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n{WHOAMI}\n^env -0 o> after.env\n",
        role_arn("app/Target")
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:?} {}", stderr(&o));
    assert_eq!(lines[0], user("dev"));
    assert!(lines[1].starts_with(&assumed("Target")), "{lines:?}");
    assert_eq!(lines[2], user("dev"));
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}

#[test]
fn nu_nasty_values_come_back() {
    let originals: BTreeMap<&str, &str> = [
        ("AWS_ACCESS_KEY_ID", "AKIA'\"$(touch CANARY)"),
        ("AWS_SECRET_ACCESS_KEY", "sec\\ret'#\nwith newline\\'##"),
        ("AWS_SESSION_TOKEN", "tok`touch CANARY`\r\t*{}"),
        ("AWS_SECURITY_TOKEN", ""),
        ("AWS_PROFILE", "pro file \u{2018}x\u{2019} ünï null"),
        ("AWS_DEFAULT_PROFILE", "!!$HOME ($env.HOME)"),
        ("AWS_REGION", "eu-west-1\\"),
        ("AWS_ACCOUNT_ID", "000000000000"),
        ("AWS_ROLE_SESSION_NAME", "'#; touch CANARY; '"),
    ]
    .into();
    let mut env = Env::user("dev").remove("AWS_DEFAULT_REGION");
    for (k, v) in &originals {
        env = env.set(k, v);
    }
    env.write_credentials(&[("devprofile", "dev")]);
    with_init(&env);
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume -p devprofile -r us-east-1 {})\n{WHOAMI}\n\
         awsenv-apply (^awsenv assume -p devprofile -r us-east-1 awsenv-demo)\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n^env -0 o> after.env\n",
        role_arn("app/Target")
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert!(lines[0].starts_with(&assumed("Target")), "{lines:?}");
    assert!(lines[1].starts_with(&assumed("awsenv-demo")), "{lines:?}");
    let (before, after) = (env_file(&env, "before.env"), env_file(&env, "after.env"));
    assert_eq!(before, after);
    for (k, v) in &originals {
        assert_eq!(after.get(*k).map(String::as_str), Some(*v), "{k}");
    }
    assert!(!after.contains_key("AWS_DEFAULT_REGION"));
    assert!(!env.path("CANARY").exists());
}

#[test]
fn nu_sudo_on_and_off_with_prompt() {
    let env = Env::user("dev");
    with_init(&env);
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         sudo-on {target} -d 1h\n{WHOAMI}\nprint (awsenv_prompt)\n\
         sudo-on {demo}\n{WHOAMI}\n\
         sudo-off\n{WHOAMI}\n\
         sudo-on\n{WHOAMI}\nsudo-off\n^env -0 o> after.env\n\
         sudo-on --simulate my-task --base-role power-user --quiet\n{WHOAMI}\nprint (awsenv_prompt)\n\
         sudo-off\n{WHOAMI}\n",
        target = role_arn("app/Target"),
        demo = role_arn("awsenv-demo"),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "{out}\n{}", stderr(&o));
    assert!(lines[0].starts_with(&assumed("Target")), "{out}");
    assert!(
        lines[1] == "aws:Target 1h0m" || lines[1] == "aws:Target 59m",
        "{out}"
    );
    assert!(lines[2].starts_with(&assumed("awsenv-demo")), "{out}");
    assert_eq!(lines[3], user("dev"));
    assert!(
        lines[4].starts_with(&assumed("awsenv-demo")),
        "repeats the last role: {out}"
    );
    assert!(lines[5].starts_with(&assumed("power-user")), "{out}");
    assert!(lines[6].starts_with("aws:my-task(sim) "), "{out}");
    assert_eq!(lines[7], user("dev"));
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}

#[test]
fn nu_failed_sudo_on_changes_nothing_and_keeps_the_status() {
    let env = Env::user("dev").set("AWSENV_DEFAULT_ROLE", &role_arn("awsenv-demo"));
    with_init(&env);
    let script = format!(
        "source init.nu\nsudo-on\n{WHOAMI}\n\
         try {{ sudo-on Untrusted }} catch {{ print $\"status=($env.LAST_EXIT_CODE)\" }}\n{WHOAMI}\n"
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with(&assumed("awsenv-demo")), "{out}");
    assert_eq!(lines[1], "status=5", "{out}");
    assert!(lines[2].starts_with(&assumed("awsenv-demo")), "{out}");
    assert!(stderr(&o).contains("trust policy"), "{}", stderr(&o));

    let env = Env::user("dev");
    with_init(&env);
    let o = env.shell("nu", "source init.nu\nsudo-on");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("AWSENV_DEFAULT_ROLE"), "{}", stderr(&o));
}

#[test]
fn nu_prompt_states() {
    let env = Env::bare();
    with_init(&env);
    // Far enough past 2h1m that nu's start-up time cannot round it down.
    let far = (awsenv::creds::now() + 2 * 3600 + 90).to_string();
    let script = [
        "source init.nu",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_ROLE = 'my-role'",
        &format!("$env.AWSENV_EXPIRES_AT = '{far}'"),
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_SIMULATED_BY = 'arn:aws:iam::1:role/b'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_EXPIRES_AT = '1'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_PROMPT_FORMAT = '[%r: %t]'",
        "print $'(awsenv_prompt)|'",
        "$env.AWSENV_PROMPT_EXPIRED_COLOR = '31'",
        "print $'(awsenv_prompt)|'",
        "$env.PROMPT_COMMAND_RIGHT = {|| awsenv_prompt }",
        "print $'(do $env.PROMPT_COMMAND_RIGHT)|'",
        // The credential endpoint renews the session: nothing to count down, never expired.
        "$env.AWSENV_SERVER = '{\"pid\":1,\"detached\":true}'",
        "print $'(awsenv_prompt)|'",
    ]
    .join("\n");
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let segs: Vec<&str> = out.split("|\n").collect();
    assert_eq!(segs[0], "");
    assert_eq!(segs[1], "aws:my-role 2h2m");
    assert_eq!(segs[2], "aws:my-role(sim) 2h2m");
    assert_eq!(segs[3], "aws:my-role(sim) expired");
    assert_eq!(segs[4], "[my-role(sim): expired]");
    assert_eq!(segs[5], "\u{1b}[31m[my-role(sim): expired]\u{1b}[0m");
    assert_eq!(segs[6], segs[5], "as the default prompt's right segment");
    assert_eq!(segs[7], "[my-role(sim): served]");
}

#[test]
fn nu_init_marks_the_shell_and_completions_load() {
    let env = Env::bare();
    with_init(&env);
    let o = env.awsenv(&["completions", "nu"]);
    assert_ok(&o);
    std::fs::write(env.path("completions.nu"), &o.stdout).unwrap();
    let o = env.shell(
        "nu",
        "source init.nu\nprint $env.AWSENV_INIT\nprint ($nu.pid)\n\
         use completions.nu *\nprint (scope externs | where name == 'awsenv assume' | length)",
    );
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("nu:{}", lines[1]));
    assert_eq!(lines[2], "1", "{out}");
}

/// Assuming again while a role is active starts from the user's own keys, which only the nu
/// that assumed holds (`$env.__awsenv_held`, never passed to a child): awsenv asks it to run
/// awsenv again with them, through `awsenv:rerun`, and the secret is never printed.
#[test]
fn nu_reassume_starts_from_the_held_originals() {
    let env = Env::user("dev");
    with_init(&env);
    let secret = &support::moto().keys["dev"].secret;
    let script = format!(
        "source init.nu\n\
         awsenv-apply (^awsenv assume --no-cache {demo})\n\
         print (^env | lines | where {{|l| $l | str contains {q} }} | length)\n\
         let again = (^awsenv assume --no-cache {target})\n\
         print ($again | str contains 'awsenv:rerun') ($again | str contains {q})\n\
         awsenv-apply $again\n{WHOAMI}\nprint $env.AWSENV_SOURCE\n\
         awsenv-apply (^awsenv unset)\n{WHOAMI}\nprint ($env.__awsenv_held? == null)\n",
        demo = role_arn("awsenv-demo"),
        target = role_arn("app/Target"),
        q = awsenv::shell::Shell::Nu.quote(secret),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}\n{}", stderr(&o));
    assert_eq!(lines[0], "0", "no child process sees the held secret");
    assert_eq!(
        lines[1], "true",
        "the second assume asks to be run again: {out}"
    );
    assert_eq!(lines[2], "false", "without printing the secret");
    assert!(lines[3].starts_with(&assumed("Target")), "{out}");
    assert_eq!(lines[4], format!("env:{}", support::moto().keys["dev"].id));
    assert_eq!(lines[5], user("dev"));
    assert_eq!(lines[6], "true", "the held record goes with unset");
}

/// A child nu has none of its parent's held values: its unset drops the role there, says
/// why, and leaves the parent's originals, which the parent's own unset restores exactly.
#[test]
fn nu_child_unset_keeps_the_parents_originals() {
    let env = Env::user("dev");
    with_init(&env);
    let nu = support::nu();
    let child = "source init.nu; awsenv-apply (^awsenv unset); ^env -0 o> child.env";
    let script = format!(
        "source init.nu\n^env -0 o> before.env\n\
         awsenv-apply (^awsenv assume {})\n\
         ^{} --no-config-file -c {}\n{WHOAMI}\n\
         awsenv-apply (^awsenv unset)\n^env -0 o> after.env\n{WHOAMI}\n",
        role_arn("awsenv-demo"),
        nu.display(),
        awsenv::shell::Shell::Nu.quote(child),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&assumed("awsenv-demo")),
        "{out}\n{}",
        stderr(&o)
    );
    assert_eq!(lines[1], user("dev"));
    let child_env = parse_env0(&std::fs::read(env.path("child.env")).unwrap());
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWSENV_ROLE",
    ] {
        assert!(!child_env.contains_key(k), "{k} left in the child");
    }
    assert!(
        stderr(&o).contains("held by the shell where the role was first assumed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(env_file(&env, "before.env"), env_file(&env, "after.env"));
}

/// One prompt. `nu -c` shows no prompt, so the script runs the pre_prompt hooks as the REPL
/// does before each one: in order, with `do --env`, which keeps their changes to `$env` as
/// the REPL keeps a hook's.
const PROMPT: &str = "for h in $env.config.hooks.pre_prompt { do --env $h }";

/// A session that ends in 100 s, well inside the default window (300 s).
const SOON: &str =
    "$env.AWSENV_EXPIRES_AT = ((date now | into int) // 1_000_000_000 + 100 | into string)";

/// The last sudo-on, as sudo-on keeps it, one argument after another.
const LAST: &str = "print ($env.__AWSENV_LAST | from nuon | str join '|')";

/// AWSENV_WARN_BEFORE: one warning per session (AWSENV_SESSION_ARN@AWSENV_EXPIRES_AT), on
/// stderr, worded as in bash, zsh and fish; none for a served role, none without a role, none
/// without the setting. The hook keeps `$env.LAST_EXIT_CODE` (its auto-refresh runs awsenv,
/// which exits 14 on a miss), is added once however often the
/// file is sourced (a role active the second time), leaves the user's own hook alone, and its
/// state (who was warned) survives the second source.
#[test]
fn nu_hook_warns_once_per_session() {
    let env = Env::user("dev");
    with_init(&env);
    let p = PROMPT;
    let script = format!(
        "$env.config.hooks.pre_prompt = [{{|| print mine }}]\n\
         source init.nu\nsudo-on {demo} -d 15m\n\
         $env.AWSENV_WARN_BEFORE = '3600'\n{p}\n\
         source init.nu\nprint ($env.config.hooks.pre_prompt | length)\n{p}\n\
         $env.AWSENV_AUTO_REFRESH = '1'\n$env.LAST_EXIT_CODE = 7\n{p}\nprint $env.LAST_EXIT_CODE\n\
         hide-env AWSENV_AUTO_REFRESH\n\
         $env.AWSENV_EXPIRES_AT = '1'\n{p}\n{p}\n\
         $env.AWSENV_SERVER = '{{\"pid\":1}}'\n$env.AWSENV_EXPIRES_AT = '2'\n{p}\nhide-env AWSENV_SERVER\n\
         hide-env AWSENV_ROLE\n$env.AWSENV_EXPIRES_AT = '3'\n{p}\n$env.AWSENV_ROLE = 'r'\n\
         hide-env AWSENV_WARN_BEFORE\n$env.AWSENV_EXPIRES_AT = '4'\n{p}\nprint done\n",
        demo = role_arn("awsenv-demo"),
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        "mine\n2\nmine\nmine\n7\nmine\nmine\nmine\nmine\nmine\ndone\n",
        "{}",
        stderr(&o)
    );
    // -d 15m: between 14 and 15 minutes left, shown rounded up as the prompt does.
    assert_eq!(
        stderr(&o),
        "awsenv: awsenv-demo expires in 15m; run sudo-on to renew\n\
         awsenv: awsenv-demo has expired; run sudo-on to renew or sudo-off\n"
    );
}

/// As `refreshes_do_not_accumulate` for bash, zsh and fish (tests/integration.rs): refreshes
/// from the cache keep the last sudo-on as typed; with nothing cached the first prompt starts
/// one fetch in the background and returns, and a later prompt applies the session it cached.
/// The user's own keys are held by this nu (a role assumed from them), so the fetch needs
/// them: the background job runs awsenv again with them in its environment (awsenv:rerun).
#[test]
fn nu_refreshes_do_not_accumulate() {
    let env = Env::user("dev");
    with_init(&env);
    let demo = role_arn("awsenv-demo");
    let mut script =
        format!("source init.nu\nsudo-on {demo} -d 2h\n$env.AWSENV_AUTO_REFRESH = '1'\n{LAST}\n");
    for _ in 0..3 {
        script += &format!("{SOON}\n{PROMPT}\nprint $env.AWSENV_EXPIRES_AT\n");
    }
    script += &format!(
        "^awsenv cache clear o+e>| ignore\n{SOON}\n$env.AWSENV_SESSION_ARN = 'gone'\n{PROMPT}\n\
         print $env.AWSENV_SESSION_ARN\n\
         for i in 1..100 {{ {PROMPT}; if $env.AWSENV_SESSION_ARN != 'gone' {{ break }}; sleep 100ms }}\n\
         print $env.AWSENV_SESSION_ARN\n{LAST}\n"
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let typed = format!("{demo}|-d|2h");
    assert_eq!(lines.len(), 7, "{out}\n{}", stderr(&o));
    assert_eq!(lines[0], typed);
    let later = awsenv::creds::now() + 3600;
    for l in &lines[1..4] {
        let at: i64 = l.parse().unwrap_or_else(|_| panic!("{out}"));
        assert!(at > later, "refreshed from the cache: {out}");
    }
    assert_eq!(
        lines[4], "gone",
        "the first prompt applies nothing itself: the fetch is in the background (that it \
         returns at once is nu_hook_never_waits_on_the_network)"
    );
    assert!(lines[5].starts_with(&assumed("awsenv-demo")), "{out}");
    assert_eq!(lines[6], typed, "the last command is kept as typed");
    assert_eq!(stderr(&o), "");
}

/// As `hook_never_waits_on_the_network` for bash, zsh and fish: against an endpoint that
/// never answers, three prompts return at once and say nothing, and one request goes out, from
/// one background job. The background job is a thread of nu, which ends it when nu exits, so the
/// script waits (after its prompts) until the test has seen the request and writes `go`.
#[test]
fn nu_hook_never_waits_on_the_network() {
    let hang = support::fault::start(support::fault::Mode::Hang);
    let env = Env::user("dev").set("AWSENV_TIMEOUT", "15");
    with_init(&env);
    let script = format!(
        "source init.nu\nsudo-on {demo}\n$env.AWS_ENDPOINT_URL = '{url}'\n\
         $env.AWSENV_AUTO_REFRESH = '1'\n{SOON}\n\
         let t0 = (date now)\n{PROMPT}\n{PROMPT}\n{PROMPT}\n\
         print $'prompts: (((date now) - $t0) / 1ms | math round)ms'\n{LAST}\n\
         print (job list | where tag == awsenv-refresh | length)\n\
         for i in 1..300 {{ if ('go' | path exists) {{ break }}; sleep 50ms }}\n",
        demo = role_arn("awsenv-demo"),
        url = hang.url,
    );
    let started = std::time::Instant::now();
    let child = env
        .command(support::nu())
        .args(["--no-config-file", "-c", &script])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while hang.hits() == 0 && started.elapsed() < std::time::Duration::from_secs(15) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let seen = started.elapsed();
    // A second fetch, were there one, would start as soon as the first: give it a second to
    // show itself before nu ends its jobs.
    std::thread::sleep(std::time::Duration::from_secs(1));
    std::fs::write(env.path("go"), "").unwrap();
    let o = child.wait_with_output().unwrap();
    let took = started.elapsed();
    assert_ok(&o);
    // The endpoint holds a request for 15 s (AWSENV_TIMEOUT); a prompt that waited on it would
    // take that long at least once.
    assert!(
        took < std::time::Duration::from_secs(8),
        "{took:?}: {}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("prompts: "), "{out}");
    assert_eq!(lines[1], role_arn("awsenv-demo"));
    // awsenv lets one fetch per session at a time reach AWS (the others wait on its cache
    // lock), so the request count alone would not show a job per prompt: nu's job list does.
    assert_eq!(lines[2], "1", "one background job for the three prompts");
    assert_eq!(hang.hits(), 1, "one request for the three prompts");
    eprintln!("{}; request seen after {seen:?}; nu ran {took:?}", lines[0]);
}

/// The hook writes direnv's refresh file once per session, when it is due, with `save`.
#[test]
fn nu_hook_writes_the_refresh_file_once() {
    let env = Env::bare();
    with_init(&env);
    let f = env.path("refresh").to_string_lossy().into_owned();
    let now = awsenv::creds::now();
    let script = format!(
        "source init.nu\n$env.AWSENV_REFRESH_FILE = '{f}'\n\
         $env.AWSENV_EXPIRES_AT = '{}'\n{PROMPT}\n\
         if not ('{f}' | path exists) {{ print not-yet }}\n\
         $env.AWSENV_EXPIRES_AT = '{}'\n{PROMPT}\n\
         if (open --raw '{f}' | is-not-empty) {{ print written }}\n\
         rm '{f}'\n{PROMPT}\n\
         if not ('{f}' | path exists) {{ print once }}\n",
        now + 3600,
        now + 100
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    assert_eq!(stdout(&o), "not-yet\nwritten\nonce\n", "{}", stderr(&o));
}

/// direnv works from nushell (`direnv export json`, loaded by a pre_prompt hook of the user's),
/// and reloads only when a watched file changes: as for bash (tests/endpoint.rs), staying in
/// the directory, awsenv's hook writes the file the helper watches once the session is about
/// to end (called alone here, with a window that makes it due now), and the next prompt's
/// direnv hook brings a new session. `faketime` moves direnv (and the awsenv it runs) 11
/// minutes on into a 15-minute session.
#[test]
fn nu_direnv_renews_a_session_about_to_end_while_you_stay() {
    let faketime = support::require("faketime");
    let direnv = support::require("direnv");
    let env = support::direnv_env();
    std::fs::create_dir_all(env.path("project")).unwrap();
    std::fs::write(
        env.path("project/.envrc"),
        format!("use awsenv {} -d 15m\n", role_arn("awsenv-demo")),
    )
    .unwrap();
    let o = env
        .command(&direnv)
        .args(["allow", env.path("project").to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&o);
    with_init(&env);
    // The direnv hook as nushell's documentation has it, with an optional launcher for faketime.
    let script = format!(
        "source init.nu\n\
         def --env --wrapped direnv-hook [...pre: string] {{\n\
             let r = (^env ...$pre direnv export json | complete)\n\
             if ($r.stdout | is-not-empty) {{ $r.stdout | from json | load-env }}\n\
         }}\n\
         $env.config.hooks.pre_prompt = ($env.config.hooks.pre_prompt | append {{|| direnv-hook }})\n\
         cd project\n{PROMPT}\n\
         let k1 = $env.AWS_ACCESS_KEY_ID\n{PROMPT}\n\
         if $env.AWS_ACCESS_KEY_ID == $k1 and not ($env.AWSENV_REFRESH_FILE | path exists) {{ print quiet }}\n\
         $env.AWSENV_REFRESH_BEFORE = '900'\n__awsenv_hook\nhide-env AWSENV_REFRESH_BEFORE\n\
         if (open --raw $env.AWSENV_REFRESH_FILE | is-not-empty) {{ print written }}\n\
         $env.config.hooks.pre_prompt = ($env.config.hooks.pre_prompt | drop | append {{|| direnv-hook {} -f +11m }})\n\
         {PROMPT}\n\
         if ($env.AWS_ACCESS_KEY_ID? | default '' | is-not-empty) and $env.AWS_ACCESS_KEY_ID != $k1 {{ print renewed }}\n",
        faketime.display()
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    assert_eq!(stdout(&o), "quiet\nwritten\nrenewed\n", "{}", stderr(&o));
}

/// As bash, zsh and fish: sudo-on remembers its arguments (for a bare sudo-on and the hook's
/// refresh) only when it applied something, so a --dry-run (its JSON on stderr) leaves the
/// last role as it was.
#[test]
fn nu_sudo_on_remembers_only_what_it_applied() {
    let env = Env::user("dev");
    with_init(&env);
    let demo = role_arn("awsenv-demo");
    let script = format!(
        "source init.nu\n\
         sudo-on --simulate my-task --base-role power-user --dry-run\n\
         print ($env.__AWSENV_LAST? == null)\n\
         sudo-on {demo}\nsudo-off\nsudo-on --simulate my-task --base-role power-user --dry-run\n{LAST}\n\
         sudo-on\n{WHOAMI}\n"
    );
    let o = env.shell("nu", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}\n{}", stderr(&o));
    assert_eq!(lines[0], "true", "{out}");
    assert_eq!(lines[1], demo);
    assert!(lines[2].starts_with(&assumed("awsenv-demo")), "{out}");
    assert!(stderr(&o).contains("\"RoleArn\""), "{}", stderr(&o));
}
