//! Shell integration in real shells: `awsenv init`, sudo-on / sudo-off, the prompt segment, the
//! expiry hook, the direnv helper with the real direnv, status, and completions.
#![allow(clippy::disallowed_methods)] // tests read their own process's environment (clippy.toml is for src/)

mod support;

use support::{assert_ok, moto, parse_env0, role_arn, stderr, stdout, Env, ACCOUNT};

fn init_line(shell: &str) -> String {
    match shell {
        "fish" => "awsenv init fish | source".to_string(),
        _ => format!("eval \"$(awsenv init {shell})\""),
    }
}

fn assumed(role: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/")
}

const WHOAMI: &str = "aws sts get-caller-identity --query Arn --output text";

fn sudo_on_and_off(shell: &str) {
    let env = Env::user("dev");
    let demo = role_arn("awsenv-demo");
    let script = format!(
        "{init}\nenv -0 > before.env\n\
         sudo-on {target} -d 1h\n{WHOAMI}\nawsenv_prompt; echo\n\
         sudo-on {demo}\n{WHOAMI}\n\
         sudo-off\n{WHOAMI}\n\
         sudo-on\n{WHOAMI}\nsudo-off\n\
         env -0 > after.env\n",
        init = init_line(shell),
        target = role_arn("app/Target"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{shell}: {out}\n{}", stderr(&o));
    assert!(lines[0].starts_with(&assumed("Target")), "{shell}: {out}");
    assert!(
        lines[1] == "aws:Target 1h0m" || lines[1] == "aws:Target 59m",
        "{shell}: prompt {:?}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&assumed("awsenv-demo")),
        "{shell}: {out}"
    );
    assert_eq!(
        lines[3],
        format!("arn:aws:iam::{ACCOUNT}:user/dev"),
        "{shell}"
    );
    // Without a role, sudo-on repeats the last one.
    assert!(
        lines[4].starts_with(&assumed("awsenv-demo")),
        "{shell}: {out}"
    );
    let before = support::aws_vars(&parse_env0(&std::fs::read(env.path("before.env")).unwrap()));
    let after = support::aws_vars(&parse_env0(&std::fs::read(env.path("after.env")).unwrap()));
    assert_eq!(before, after, "{shell}");
}

support::for_shells!(sudo_on_and_off: bash, zsh, fish);

fn default_role_and_errors(shell: &str) {
    let env = Env::user("dev").set("AWSENV_DEFAULT_ROLE", &role_arn("awsenv-demo"));
    let script = format!(
        "{}\nsudo-on\n{WHOAMI}\nsudo-on Untrusted\necho \"status=$?\"\n{WHOAMI}\n",
        init_line(shell)
    )
    .replace("$?", if shell == "fish" { "$status" } else { "$?" });
    let o = env.shell(shell, &script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&assumed("awsenv-demo")),
        "{shell}: {out}"
    );
    assert_eq!(
        lines[1], "status=5",
        "{shell}: a failed sudo-on returns awsenv's code"
    );
    assert!(
        lines[2].starts_with(&assumed("awsenv-demo")),
        "{shell}: a failure changes nothing"
    );
    assert!(
        stderr(&o).contains("trust policy"),
        "{shell}: {}",
        stderr(&o)
    );

    let env = Env::user("dev");
    let o = env.shell(shell, &format!("{}\nsudo-on", init_line(shell)));
    assert_eq!(o.status.code(), Some(2), "{shell}");
    assert!(
        stderr(&o).contains("AWSENV_DEFAULT_ROLE"),
        "{shell}: {}",
        stderr(&o)
    );
}

support::for_shells!(default_role_and_errors: bash, zsh, fish);

/// The prompt segment from variables alone, in each shell, for every state.
fn prompt_states(shell: &str) {
    let env = Env::bare();
    let set = |k: &str, v: &str| match shell {
        "fish" => format!("set -gx {k} '{v}'"),
        _ => format!("export {k}='{v}'"),
    };
    // In the middle of the minute that shows as 2h2m, so that a slow start cannot move it.
    let far = (support_now() + 2 * 3600 + 90).to_string();
    let script = [
        init_line(shell),
        "awsenv_prompt; echo '|'".to_string(),
        set("AWSENV_ROLE", "my-role"),
        set("AWSENV_EXPIRES_AT", &far),
        "awsenv_prompt; echo '|'".to_string(),
        set("AWSENV_SIMULATED_BY", "arn:aws:iam::1:role/b"),
        "awsenv_prompt; echo '|'".to_string(),
        set("AWSENV_EXPIRES_AT", "1"),
        "awsenv_prompt; echo '|'".to_string(),
        set("AWSENV_PROMPT_FORMAT", "[%r: %t]"),
        "awsenv_prompt; echo '|'".to_string(),
        set("AWSENV_PROMPT_EXPIRED_COLOR", "31"),
        "awsenv_prompt; echo '|'".to_string(),
    ]
    .join("\n");
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let segs: Vec<&str> = out.split("|\n").collect();
    assert_eq!(segs[0], "", "{shell}: nothing when no role is active");
    assert_eq!(segs[1], "aws:my-role 2h2m", "{shell}");
    assert_eq!(segs[2], "aws:my-role(sim) 2h2m", "{shell}");
    assert_eq!(segs[3], "aws:my-role(sim) expired", "{shell}");
    assert_eq!(segs[4], "[my-role(sim): expired]", "{shell}");
    let colored = match shell {
        "bash" => "\u{1}\u{1b}[31m\u{2}[my-role(sim): expired]\u{1}\u{1b}[0m\u{2}",
        "zsh" => "%{\u{1b}[31m%}[my-role(sim): expired]%{\u{1b}[0m%}",
        _ => "\u{1b}[31m[my-role(sim): expired]\u{1b}[0m",
    };
    assert_eq!(segs[5], colored, "{shell}");
}

fn support_now() -> i64 {
    awsenv::creds::now()
}

support::for_shells!(prompt_states: bash, zsh, fish);

/// The hook keeps $?, warns once per session when asked to, and refreshes when asked to, again
/// and again: each refresh is checked. A refresh may apply at a later prompt (in the background),
/// so each round runs the hook, as prompts would, until the expiry is an hour away again.
fn hook(shell: &str) {
    let env = Env::user("dev");
    let (kept, settings, refresh) = match shell {
        "fish" => (
            // fish keeps $status for the prompt itself; the handler must still return it.
            "false; __awsenv_hook; echo \"kept=$status\"",
            "set -gx AWSENV_WARN_BEFORE 7200\n__awsenv_hook; __awsenv_hook\n\
             set -gx AWSENV_AUTO_REFRESH 1",
            "function __t_fresh\n\
                 test $AWSENV_EXPIRES_AT -gt (math (date +%s) + 1800)\n\
             end\n\
             function __t_refresh\n\
                 set -gx AWSENV_EXPIRES_AT (math (date +%s) + 100)\n\
                 for i in (seq 30)\n\
                     __awsenv_hook\n\
                     __t_fresh; and break\n\
                     sleep 0.1\n\
                 end\n\
                 __t_fresh; and echo \"refresh$argv[1]=ok\"; or echo \"refresh$argv[1]=stale\"\n\
             end",
        ),
        _ => (
            "false; __awsenv_hook; echo \"kept=$?\"",
            "export AWSENV_WARN_BEFORE=7200\n__awsenv_hook; __awsenv_hook\n\
             export AWSENV_AUTO_REFRESH=1",
            "__t_fresh() { [ \"$AWSENV_EXPIRES_AT\" -gt $(( $(date +%s) + 1800 )) ]; }\n\
             __t_refresh() {\n\
                 export AWSENV_EXPIRES_AT=$(( $(date +%s) + 100 ))\n\
                 i=0\n\
                 while [ $i -lt 30 ]; do\n\
                     __awsenv_hook\n\
                     __t_fresh && break\n\
                     i=$((i + 1)); sleep 0.1\n\
                 done\n\
                 if __t_fresh; then echo \"refresh$1=ok\"; else echo \"refresh$1=stale\"; fi\n\
             }",
        ),
    };
    let script = format!(
        "{init}\nsudo-on {demo}\n{kept}\n{settings}\n{refresh}\n\
         __t_refresh 1\n__t_refresh 2\n__t_refresh 3\nawsenv_prompt; echo\n",
        init = init_line(shell),
        demo = role_arn("awsenv-demo"),
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let err = stderr(&o);
    assert!(out.starts_with("kept=1\n"), "{shell}: {out}");
    assert_eq!(
        err.matches("expires in").count(),
        1,
        "{shell}: warn once: {err}"
    );
    for round in 1..=3 {
        assert!(
            out.contains(&format!("refresh{round}=ok\n")),
            "{shell}: refresh {round} did not bring the session back: {out}\n{err}"
        );
    }
    assert!(
        !err.contains("could not refresh") && !err.contains("error"),
        "{shell}: {err}"
    );
    // After the refreshes the real expiry (about an hour away) is back.
    let seg = out.lines().last().unwrap_or_default();
    assert!(
        seg == "aws:awsenv-demo 1h0m" || seg == "aws:awsenv-demo 59m",
        "{shell}: {seg:?} {err}"
    );
}

support::for_shells!(hook: bash, zsh, fish);

#[test]
fn bash_hook_joins_prompt_command_once() {
    let env = Env::bare();
    let o = env.shell(
        "bash",
        "PROMPT_COMMAND='mine'\neval \"$(awsenv init bash)\"\neval \"$(awsenv init bash)\"\necho \"$PROMPT_COMMAND\"",
    );
    assert_ok(&o);
    assert_eq!(stdout(&o), "__awsenv_hook;mine\n");
}

#[test]
fn simulated_role_through_sudo_on() {
    let env = Env::user("dev");
    let script = format!(
        "{}\nsudo-on --simulate my-task --base-role power-user --quiet\n{WHOAMI}\nawsenv_prompt; echo\nsudo-off\n{WHOAMI}\n",
        init_line("bash")
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&assumed("power-user")),
        "{out}\n{}",
        stderr(&o)
    );
    assert!(lines[1].starts_with("aws:my-task(sim) "), "{out}");
    assert_eq!(lines[2], format!("arn:aws:iam::{ACCOUNT}:user/dev"));
}

use support::direnv_env;

fn direnv_exec(env: &Env, dir: &str, cmd: &str) -> std::process::Output {
    let direnv = support::require("direnv");
    let o = env.command(&direnv).args(["allow", dir]).output().unwrap();
    assert_ok(&o);
    env.command(&direnv)
        .args(["exec", dir, "bash", "--noprofile", "--norc", "-c", cmd])
        .output()
        .unwrap()
}

#[test]
fn direnv_helper_assumes_in_the_directory_only() {
    let env = direnv_env();
    std::fs::create_dir_all(env.path("project")).unwrap();
    std::fs::write(
        env.path("project/.envrc"),
        format!("use awsenv {} -d 2h\n", role_arn("app/Target")),
    )
    .unwrap();
    let dir = env.path("project").to_string_lossy().into_owned();
    let o = direnv_exec(&env, &dir, &format!("{WHOAMI}; env -0 > inside.env"));
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with(&assumed("Target")),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    // direnv restores on leaving, so nothing is saved for `awsenv unset`.
    let inside = parse_env0(&std::fs::read(env.path("inside.env")).unwrap());
    assert!(!inside.contains_key("AWSENV_SAVED"));
    assert_eq!(
        inside.get("AWSENV_ROLE").map(String::as_str),
        Some("Target")
    );
    // A second `cd` is served from the cache: the same session.
    let again = direnv_exec(&env, &dir, "echo $AWS_SESSION_TOKEN");
    let first = inside.get("AWS_SESSION_TOKEN").cloned().unwrap_or_default();
    assert_eq!(stdout(&again).trim(), first);
    // Outside the directory the user's own identity stands.
    let o = env.shell("bash", WHOAMI);
    assert_eq!(
        stdout(&o).trim(),
        format!("arn:aws:iam::{ACCOUNT}:user/dev")
    );
}

#[test]
fn direnv_never_prompts_for_mfa_and_uses_the_cached_session() {
    let env = direnv_env();
    let serial = format!("arn:aws:iam::{ACCOUNT}:mfa/dev");
    let demo = role_arn("awsenv-demo");
    std::fs::create_dir_all(env.path("mfa")).unwrap();
    std::fs::write(
        env.path("mfa/.envrc"),
        format!("use awsenv {demo} --mfa-serial {serial}\n"),
    )
    .unwrap();
    let dir = env.path("mfa").to_string_lossy().into_owned();
    let o = direnv_exec(&env, &dir, WHOAMI);
    assert!(
        stderr(&o).contains("sudo-on ROLE --mfa-serial"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("assumed-role"), "{}", stdout(&o));
    // Once the session is in the cache (as after sudo-on with a code), direnv uses it.
    let o = env.awsenv(&[
        "assume",
        "-s",
        "bash",
        "--mfa-serial",
        &serial,
        "--token-code",
        &support::mfa_code("dev"),
        &demo,
    ]);
    assert_ok(&o);
    let o = direnv_exec(&env, &dir, WHOAMI);
    assert!(
        stdout(&o).starts_with(&assumed("awsenv-demo")),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn status_reads_the_environment() {
    let env = Env::bare();
    let o = env.awsenv(&["status"]);
    assert_eq!(stdout(&o), "no awsenv role is active\n");
    let o = env.awsenv(&["status", "--json"]);
    assert_eq!(stdout(&o), "{\"active\":false}\n");
    let exp = awsenv::creds::now() + 600;
    let env = env
        .set("AWSENV_ROLE", "r")
        .set("AWSENV_ROLE_ARN", "arn:aws:iam::1:role/r")
        .set("AWSENV_SESSION_ARN", "arn:aws:sts::1:assumed-role/r/s")
        .set("AWSENV_SOURCE", "profile:dev")
        .set("AWSENV_EXPIRES_AT", &exp.to_string())
        .set("AWS_CREDENTIAL_EXPIRATION", "2026-11-21T14:00:00Z");
    let o = env.awsenv(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["active"], true);
    assert_eq!(v["role"], "r");
    assert_eq!(v["source"], "profile:dev");
    let left = v["seconds_left"].as_i64().unwrap();
    assert!((590..=600).contains(&left), "{left}");
    let o = env.awsenv(&["status"]);
    assert!(stdout(&o).contains("role:        r\n"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("source:      profile:dev"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn init_prints_the_bundled_files_with_this_binary() {
    let env = Env::bare();
    let bin = support::awsenv_bin();
    let bin = bin.to_str().unwrap();
    use awsenv::shell::Shell;
    for (target, file, shell) in [
        ("bash", "shell/awsenv.bash", Shell::Bash),
        ("zsh", "shell/awsenv.zsh", Shell::Zsh),
        ("fish", "shell/awsenv.fish", Shell::Fish),
        ("powershell", "shell/awsenv.ps1", Shell::Powershell),
        ("pwsh", "shell/awsenv.ps1", Shell::Powershell),
        ("nu", "shell/awsenv.nu", Shell::Nu),
        ("nushell", "shell/awsenv.nu", Shell::Nu),
        ("direnv", "shell/direnvrc.sh", Shell::Bash),
    ] {
        let o = env.awsenv(&["init", target]);
        assert_ok(&o);
        let stored = std::fs::read_to_string(support::repo_root().join(file)).unwrap();
        // The shared names filled in (tests/shared_names.rs), the binary's path quoted.
        let want = awsenv::shell::names::fill(&stored).replace("'@AWSENV_BIN@'", &shell.quote(bin));
        assert_eq!(stdout(&o), want, "{target}");
    }
}

#[test]
fn committed_completions_are_current() {
    let env = Env::bare();
    let bless = std::env::var_os("AWSENV_BLESS").is_some();
    for (shell, file) in [
        ("bash", "awsenv.bash"),
        ("zsh", "_awsenv"),
        ("fish", "awsenv.fish"),
        ("powershell", "_awsenv.ps1"),
        ("elvish", "awsenv.elv"),
        ("nu", "awsenv.nu"),
    ] {
        let o = env.awsenv(&["completions", shell]);
        assert_ok(&o);
        let path = support::repo_root().join("completions").join(file);
        if bless {
            std::fs::write(&path, &o.stdout).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == o.stdout,
            "completions/{file} is out of date: run AWSENV_BLESS=1 cargo test --test integration committed_completions"
        );
    }
}

#[test]
fn completions_load_in_real_shells() {
    let env = Env::bare();
    let dir = support::repo_root().join("completions");
    let d = dir.to_str().unwrap();
    let o = env.shell(
        "bash",
        &format!("source {d}/awsenv.bash && complete -p awsenv"),
    );
    assert_ok(&o);
    assert!(stdout(&o).contains("awsenv"), "{}", stdout(&o));
    let o = env.shell(
        "zsh",
        &format!("autoload -Uz compinit && compinit -u -D && source {d}/_awsenv && echo ${{_comps[awsenv]}}"),
    );
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), "_awsenv", "{}", stderr(&o));
    let o = env.shell(
        "fish",
        &format!("source {d}/awsenv.fish; complete -C'awsenv ass'"),
    );
    assert_ok(&o);
    assert!(stdout(&o).starts_with("assume"), "{}", stdout(&o));
    let o = env.shell(
        "fish",
        &format!("source {d}/awsenv.fish; complete -C'awsenv assume --dur'"),
    );
    assert!(stdout(&o).contains("--duration"), "{}", stdout(&o));
    let _ = moto;
}

#[test]
fn completions_offer_profile_names() {
    let env = Env::bare();
    std::fs::write(
        env.path("aws-config"),
        "[default]\nregion = us-east-1\n[profile dev-role]\nrole_arn = x\n[profile prod-role]\nrole_arn = y\n",
    )
    .unwrap();
    let d = support::repo_root().join("completions");
    let d = d.to_str().unwrap();
    let o = bash_complete(&env, "de", "grep -x dev-role");
    assert_eq!(stdout(&o), "dev-role\n", "{}", stderr(&o));
    let o = env.shell(
        "fish",
        &format!("source {d}/awsenv.fish; complete -C'awsenv assume pro'"),
    );
    assert!(stdout(&o).contains("prod-role"), "{}", stdout(&o));
    // zsh: the completion function with compadd and _default standing in for the completer.
    let o = env.shell(
        "zsh",
        &format!(
            "compdef() {{ : }}; source {d}/_awsenv; compadd() {{ print -l -- ${{(P)2}} }}; _default() {{ : }}; _awsenv_profiles"
        ),
    );
    assert_eq!(stdout(&o), "dev-role\nprod-role\n", "{}", stderr(&o));
}

/// The binary's own path reaches the generated code: a hostile one must be quoted, in each
/// shell, and the functions must still run it.
#[test]
fn init_quotes_a_hostile_binary_path() {
    let env = Env::bare();
    let dir = env.path("it's $(touch CANARY) `touch CANARY` \\ dir");
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("awsenv");
    std::fs::copy(support::awsenv_bin(), &bin).unwrap();
    let quoted = awsenv::shell::Shell::Bash.quote(bin.to_str().unwrap());
    for (shell, script) in [
        (
            "bash",
            format!("eval \"$({quoted} init bash)\"; printf '%s\\n' \"$__awsenv_bin\"; sudo-off"),
        ),
        (
            "zsh",
            format!("eval \"$({quoted} init zsh)\"; printf '%s\\n' \"$__awsenv_bin\"; sudo-off"),
        ),
        (
            "fish",
            format!("{quoted} init fish | source; printf '%s\\n' \"$__awsenv_bin\"; sudo-off"),
        ),
    ] {
        let o = env.shell(shell, &script);
        assert_ok(&o);
        assert_eq!(stdout(&o), format!("{}\n", bin.display()), "{shell}");
        assert!(
            stderr(&o).contains("no awsenv role is active"),
            "{shell}: sudo-off ran it"
        );
        assert!(
            !env.path("CANARY").exists(),
            "{shell}: the path was executed"
        );
    }
}

#[test]
fn hostile_profile_names_are_only_ever_text() {
    let env = Env::bare();
    std::fs::write(
        env.path("aws-config"),
        "[profile $(touch CANARY)]\nrole_arn = x\n[profile `touch CANARY`]\nrole_arn = y\n",
    )
    .unwrap();
    let d = support::repo_root().join("completions");
    let d = d.to_str().unwrap();
    let o = bash_complete(&env, "", "grep CANARY");
    assert_eq!(
        stdout(&o),
        "$(touch CANARY)\n`touch CANARY`\n",
        "{}",
        stderr(&o)
    );
    let o = env.shell(
        "fish",
        &format!("source {d}/awsenv.fish; complete -C'awsenv assume '"),
    );
    assert!(stdout(&o).contains("$(touch CANARY)"), "{}", stdout(&o));
    // As a role, such a name is refused before anything else.
    let o = env.awsenv(&["assume", "-s", "bash", "$(touch CANARY)"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!env.path("CANARY").exists());
}

/// Runs bash's completion for `awsenv assume WORD` and filters the candidates through `filter`.
fn bash_complete(env: &Env, word: &str, filter: &str) -> std::process::Output {
    let d = support::repo_root().join("completions");
    env.shell(
        "bash",
        &format!(
            "source {}/awsenv.bash; COMP_WORDS=(awsenv assume '{word}'); COMP_CWORD=2; \
             _awsenv_with_profiles awsenv '{word}' assume; printf '%s\\n' \"${{COMPREPLY[@]}}\" | {filter}",
            d.display()
        ),
    )
}

/// In a shell with direnv's hook protocol: entering the directory brings the role, leaving it
/// brings back exactly what was there (direnv's unloading), with awsenv's help file loaded.
#[test]
fn direnv_unloading_restores_the_previous_credentials() {
    let env = direnv_env().set("AWS_PROFILE", "mine");
    std::fs::create_dir_all(env.path("project")).unwrap();
    std::fs::write(
        env.path("project/.envrc"),
        format!("use awsenv {}\n", role_arn("awsenv-demo")),
    )
    .unwrap();
    let direnv = support::require("direnv");
    let o = env
        .command(&direnv)
        .args(["allow", env.path("project").to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&o);
    let script = "env -0 > before.env\n\
        cd project && eval \"$(direnv export bash 2>/dev/null)\"\n\
        printf '%s\\n' \"$AWSENV_ROLE\" \"${AWS_PROFILE-unset}\"\n\
        cd .. && eval \"$(direnv export bash 2>/dev/null)\"\n\
        env -0 > after.env\n";
    let o = env.shell("bash", script);
    assert_ok(&o);
    assert_eq!(stdout(&o), "awsenv-demo\nunset\n", "{}", stderr(&o));
    let read = |f: &str| support::aws_vars(&parse_env0(&std::fs::read(env.path(f)).unwrap()));
    assert_eq!(read("before.env"), read("after.env"));
}

/// Plain `fish -c` (not `--no-config`, which neither loads nor saves universal variables), in
/// the test's own HOME, so that universal variables live in its own fish_variables file.
fn fish_with_universals(env: &Env, script: &str) -> std::process::Output {
    env.command(support::require("fish"))
        .args(["-c", script])
        .output()
        .expect("run fish")
}

/// Issue 12, item 3: a plain `set -e` erased a universal variable (`set -Ux`) for good, and the
/// restore made global copies of universal values. Universal variables must come out of a
/// sudo-on / sudo-off exactly as they went in, in the file and in every later fish session.
#[test]
fn fish_universal_variables_survive_sudo_on_and_off() {
    let env = Env::user("dev");
    let home = env.home.path().to_string_lossy().into_owned();
    let env = env.set("XDG_CONFIG_HOME", &format!("{home}/.config"));
    std::fs::write(
        env.path("aws-config"),
        "[profile uni]\nregion = eu-north-1\n",
    )
    .unwrap();
    let o = fish_with_universals(
        &env,
        "set -Ux AWS_PROFILE uni; set -Ux AWS_REGION eu-north-1; set -U AWS_ROLE_SESSION_NAME quiet",
    );
    assert_ok(&o);
    let file = env.path(".config/fish/fish_variables");
    let universals = std::fs::read_to_string(&file).unwrap();
    let script = format!(
        "{init}\nenv -0 > before.env\n\
         sudo-on {demo}\nenv -0 > during.env\n{WHOAMI}\n\
         sudo-on {demo} -r us-west-2\n\
         sudo-off\nenv -0 > after.env\n\
         for v in AWS_PROFILE AWS_REGION AWS_ROLE_SESSION_NAME AWS_ACCESS_KEY_ID\n\
           set -qg $v; and echo \"global $v\"\n\
         end\nset -qg __awsenv_globals; and echo 'list left'\ntrue\n",
        init = init_line("fish"),
        demo = role_arn("awsenv-demo"),
    );
    let o = fish_with_universals(&env, &script);
    assert_ok(&o);
    let read = |f: &str| support::aws_vars(&parse_env0(&std::fs::read(env.path(f)).unwrap()));
    let (before, during, after) = (read("before.env"), read("during.env"), read("after.env"));
    assert_eq!(before.get("AWS_PROFILE").map(String::as_str), Some("uni"));
    assert_eq!(before, after, "{}", stderr(&o));
    // Only the key the user had as a global (from the environment) is a global again.
    assert_eq!(
        stdout(&o).lines().last(),
        Some("global AWS_ACCESS_KEY_ID"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).starts_with(&assumed("awsenv-demo")),
        "{}",
        stdout(&o)
    );
    // fish cannot hide an exported universal from programs: it stays, and the user is told.
    assert_eq!(during.get("AWS_PROFILE").map(String::as_str), Some("uni"));
    assert!(
        stderr(&o).contains("AWS_PROFILE is a universal variable"),
        "{}",
        stderr(&o)
    );
    assert!(!during.contains_key("AWS_ROLE_SESSION_NAME"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), universals);
    let o = fish_with_universals(&env, "set -S AWS_PROFILE AWS_REGION AWS_ROLE_SESSION_NAME");
    assert_ok(&o);
    let scopes = stdout(&o);
    assert_eq!(
        scopes.matches("set in universal scope").count(),
        3,
        "{scopes}"
    );
    assert!(!scopes.contains("global scope"), "{scopes}");
}

/// What a shell needs to run its prompt hook, read a variable and print the last command.
struct Prompt {
    hook: &'static str,
    set: fn(&str, &str) -> String,
    expires_soon: &'static str,
    last: &'static str,
    get: fn(&str) -> String,
}

fn prompt_of(shell: &str) -> Prompt {
    match shell {
        "fish" => Prompt {
            hook: "emit fish_prompt",
            set: |k, v| format!("set -gx {k} {v}"),
            expires_soon: "(math (date +%s) + 100)",
            last: "printf '%s|' $__awsenv_last; echo",
            get: |k| format!("${k}"),
        },
        _ => Prompt {
            hook: if shell == "zsh" {
                "for f in $precmd_functions; do $f; done"
            } else {
                "eval \"$PROMPT_COMMAND\""
            },
            set: |k, v| format!("export {k}={v}"),
            expires_soon: "$(( $(date +%s) + 100 ))",
            last: "printf '%s|' \"${__awsenv_last[@]}\"; echo",
            get: |k| format!("${k}"),
        },
    }
}

/// Issue 12, item 4: each refresh appended `--min-ttl` to the last command (the second one
/// failed in clap at every prompt), and a refresh ran in the prompt. Several refreshes in a row
/// keep the last command as typed, and one fetched in the background is applied at a later
/// prompt without the network.
fn refreshes_do_not_accumulate(shell: &str) {
    let env = Env::user("dev");
    let p = prompt_of(shell);
    let demo = role_arn("awsenv-demo");
    let soon = (p.set)("AWSENV_EXPIRES_AT", p.expires_soon);
    let mut script = format!(
        "{init}\nsudo-on {demo} -d 2h\n{}\n{}\n",
        (p.set)("AWSENV_AUTO_REFRESH", "1"),
        p.last,
        init = init_line(shell),
    );
    // From the cache: three prompts in a row, each near the end of the session.
    for _ in 0..3 {
        script += &format!(
            "{soon}\n{}\necho {}\n",
            p.hook,
            (p.get)("AWSENV_EXPIRES_AT")
        );
    }
    // Nothing cached: the first prompt starts the fetch and returns; a later one applies it.
    let wait = match shell {
        "fish" => format!(
            "for i in (seq 100); {hook}; test $AWSENV_SESSION_ARN != gone; and break; sleep 0.1; end",
            hook = p.hook
        ),
        _ => format!(
            "for i in $(seq 100); do {hook}; [ \"$AWSENV_SESSION_ARN\" != gone ] && break; sleep 0.1; done",
            hook = p.hook
        ),
    };
    script += &format!(
        "awsenv cache clear >/dev/null 2>&1\n{soon}\n{}\n{}\necho \"$AWSENV_SESSION_ARN\"\n{wait}\necho \"$AWSENV_SESSION_ARN\"\n{}\n",
        (p.set)("AWSENV_SESSION_ARN", "gone"),
        p.hook,
        p.last,
    );
    let o = env.shell(shell, &script);
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let typed = format!("{demo}|-d|2h|");
    assert_eq!(lines.len(), 7, "{shell}: {out}\n{}", stderr(&o));
    assert_eq!(lines[0], typed, "{shell}");
    let later = support_now() + 3600;
    for l in &lines[1..4] {
        let at: i64 = l.parse().unwrap_or_else(|_| panic!("{shell}: {out}"));
        assert!(at > later, "{shell}: refreshed from the cache: {out}");
    }
    assert_eq!(
        lines[4], "gone",
        "{shell}: the first prompt does not wait for the fetch"
    );
    assert!(
        lines[5].starts_with(&assumed("awsenv-demo")),
        "{shell}: {out}"
    );
    assert_eq!(
        lines[6], typed,
        "{shell}: the last command is kept as typed"
    );
    assert_eq!(stderr(&o), "", "{shell}");
}

support::for_shells!(refreshes_do_not_accumulate: bash, zsh, fish);

/// Issue 12, item 4: with an endpoint that never answers, the prompt hook returns at once (the
/// fetch runs in the background, bounded by AWSENV_TIMEOUT) and says nothing.
fn hook_never_waits_on_the_network(shell: &str) {
    let hang = support::fault::start(support::fault::Mode::Hang);
    let env = Env::user("dev").set("AWSENV_TIMEOUT", "15");
    let p = prompt_of(shell);
    let script = format!(
        "{init}\nsudo-on {demo}\n{}\n{}\n{}\n{hook}\n{hook}\n{hook}\n{}\n",
        (p.set)("AWS_ENDPOINT_URL", &hang.url),
        (p.set)("AWSENV_AUTO_REFRESH", "1"),
        (p.set)("AWSENV_EXPIRES_AT", p.expires_soon),
        p.last,
        init = init_line(shell),
        demo = role_arn("awsenv-demo"),
        hook = p.hook,
    );
    let started = std::time::Instant::now();
    let o = env.shell(shell, &script);
    let took = started.elapsed();
    assert_ok(&o);
    // The endpoint holds a request for 15 s (AWSENV_TIMEOUT); a prompt that waited on it would
    // take that long at least once.
    assert!(
        took < std::time::Duration::from_secs(8),
        "{shell}: {took:?}"
    );
    assert_eq!(stderr(&o), "", "{shell}");
    assert_eq!(
        stdout(&o),
        format!("{}|\n", role_arn("awsenv-demo")),
        "{shell}"
    );
    // The background fetch did go out, once for the three prompts.
    for _ in 0..100 {
        if hang.hits() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(hang.hits(), 1, "{shell}");
}

support::for_shells!(hook_never_waits_on_the_network: bash, zsh, fish);

/// Issue 12, item 5: the wrappers evaluated whatever awsenv's stdout held: `sudo-on --help`
/// ran the help text (and kept it as the last command), `sudo-on --simulate ... -- CMD` ran
/// CMD's output as shell code, `--dry-run` its JSON. Only awsenv's own script may be evaluated.
fn wrappers_evaluate_only_awsenv_script(shell: &str) {
    let env = Env::user("dev");
    let p = prompt_of(shell);
    let (status, pwned) = match shell {
        "fish" => (
            "echo \"status=$status\"",
            "set -q PWNED; and echo pwned; or echo clean",
        ),
        _ => ("echo \"status=$?\"", "echo \"${PWNED-clean}\""),
    };
    let payload = match shell {
        "fish" => "echo set -gx PWNED 1",
        _ => "echo export PWNED=1",
    };
    let demo = role_arn("awsenv-demo");
    let script = format!(
        "{init}\n\
         sudo-on --simulate my-task --base-role power-user --dry-run\n{status}\n\
         sudo-on {demo}\n\
         sudo-on --help\n{status}\n\
         sudo-on --simulate my-task --base-role power-user -- sh -c '{payload}'\n{status}\n\
         sudo-on {demo} -- sh -c '{payload}'\n{status}\n\
         {pwned}\n{}\n{WHOAMI}\n",
        p.last,
        init = init_line(shell),
    );
    let o = env.shell(shell, &script);
    let out = stdout(&o);
    let err = stderr(&o);
    assert_eq!(
        out.lines().take(6).collect::<Vec<_>>(),
        [
            "status=0",
            "status=0",
            "status=2",
            "status=2",
            "clean",
            &format!("{demo}|"),
        ],
        "{shell}: {out}\n{err}"
    );
    assert!(out
        .lines()
        .nth(6)
        .unwrap_or_default()
        .starts_with(&assumed("awsenv-demo")));
    assert_eq!(
        err.matches("awsenv exec ROLE -- CMD").count(),
        2,
        "{shell}: {err}"
    );
    // What is not shell code is for the user to read (fish cannot redirect the stderr of a
    // command substitution inside a function, so it is checked on the shell's own stderr).
    assert!(err.contains("Usage: awsenv assume"), "{shell}: {err}");
    assert!(err.contains("\"RoleArn\""), "{shell}: {err}");
}

support::for_shells!(wrappers_evaluate_only_awsenv_script: bash, zsh, fish);

/// Under AWSENV_WRAPPER=1 (the wrappers and the direnv helper) stdout carries shell code only:
/// help and version go to stderr, and a command is never run (its output would be evaluated).
#[test]
fn under_a_wrapper_stdout_is_only_shell_code() {
    let env = Env::user("dev").set("AWSENV_WRAPPER", "1");
    for args in [
        &["--help"][..],
        &["--version"],
        &["assume", "--help"],
        &["status"],
    ] {
        let o = env.awsenv(args);
        assert_ok(&o);
        assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
    let demo = role_arn("awsenv-demo");
    let o = env.awsenv(&["exec", &demo, "--", "echo", "export X=1"]);
    support::assert_fails(&o, 2, "awsenv exec ROLE -- CMD");
    let o = env.awsenv(&["assume", "--shell", "bash", &demo]);
    assert_ok(&o);
    assert!(stdout(&o).contains("export AWSENV_ROLE=awsenv-demo;"));
}

/// Issue 12, item 8: bash 3.2 (macOS) has neither $EPOCHSECONDS nor printf's %(%s)T, and the
/// prompt printed an error. Only bash 5.2 is installed here, so this emulates 3.2 after init:
/// EPOCHSECONDS unset, a printf that rejects %()T as 3.2's does, and the clock variable that init
/// sets from BASH_VERSINFO forced to the branch 3.2 gets. The 4.2 branch (printf) runs too.
#[test]
fn bash_prompt_without_bash_5_clocks() {
    let env = Env::bare();
    let far = support_now() + 2 * 3600 + 90;
    let script = format!(
        "set -u\n{init}\n\
         unset EPOCHSECONDS\n\
         printf() {{ case \"$*\" in *'%('*) echo \"bash: printf: \\`(': invalid format character\" >&2; return 1;; esac; builtin printf \"$@\"; }}\n\
         export AWSENV_ROLE=r AWSENV_EXPIRES_AT={far} AWSENV_SESSION_ARN=s AWSENV_WARN_BEFORE=60\n\
         __awsenv_clock=seconds\n\
         awsenv_prompt; echo\n__awsenv_hook; echo \"$AWSENV_PROMPT_SEGMENT\"\n\
         export AWSENV_EXPIRES_AT=$(( $(date +%s) + 30 ))\n__awsenv_hook\n\
         unset -f printf\n__awsenv_clock=printf\n\
         export AWSENV_EXPIRES_AT={far}\nawsenv_prompt; echo\n",
        init = init_line("bash"),
    );
    let o = env.shell("bash", &script);
    assert_ok(&o);
    assert_eq!(
        stdout(&o),
        "aws:r 2h2m\naws:r 2h2m\naws:r 2h2m\n",
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stderr(&o),
        "awsenv: r expires in 1m; run sudo-on to renew\n"
    );
}

/// Issue 12, item 8: fish 3.1 has no $pipestatus (3.2) and no `path` builtin (3.5). Only fish
/// 3.6 is installed here: the clock variable that init sets from $version is forced after init
/// to the branch before 3.5 gets, and the prompt and hook run in real fish; the file must not
/// use what 3.1 lacks.
#[test]
fn fish_prompt_before_fish_3_5() {
    let code: String = awsenv::shell::init::FISH
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for newer in [
        "pipestatus",
        "$(",
        "string shorten",
        "string pad",
        "fish_add_path",
    ] {
        assert!(!code.contains(newer), "fish 3.1 has no {newer}");
    }
    assert_eq!(
        code.matches("path mtime").count(),
        2,
        "only in the 3.5 clock"
    );
    let env = Env::bare();
    let far = support_now() + 2 * 3600 + 90;
    let script = format!(
        "{init}\nset -g __awsenv_clock date\n\
         set -gx AWSENV_ROLE r; set -gx AWSENV_EXPIRES_AT {far}; set -gx AWSENV_SESSION_ARN s\n\
         set -gx AWSENV_WARN_BEFORE 60\nawsenv_prompt; echo\n\
         set -gx AWSENV_EXPIRES_AT (math (date +%s) + 30)\nemit fish_prompt\n",
        init = init_line("fish"),
    );
    let o = env.shell("fish", &script);
    assert_ok(&o);
    assert_eq!(stdout(&o), "aws:r 2h2m\n", "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "awsenv: r expires in 1m; run sudo-on to renew\n"
    );
}
