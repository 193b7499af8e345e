//! Dispatch and the one place output is printed: the whole result is built first and written
//! once, only on success, so a failure leaves stdout empty and an `eval` of it harmless.

use std::io::{IsTerminal, Write};

use clap::{CommandFactory, Parser};

use crate::assume::Prepared;
use crate::cache::{self, Cache};
use crate::cli::{CacheCommand, Cli, Command, CompletionShell, ShellArg};
use crate::envstate::Activation;
use crate::envstate::{self, Saved};
use crate::error::{Error, Result};
use crate::shell::{self, Script};
use crate::simulate::Simulated;
use crate::{assume, credentials_file, exec, init, log, simulate, status};

/// What a command produced.
pub enum Output {
    /// Shell code for `eval`.
    Script { script: Script, force: bool },
    /// Text for people or programs (no secrets).
    Text(String),
    /// Nothing on stdout.
    Nothing,
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    log::init(cli.verbose);
    match execute(cli.command).and_then(emit) {
        Ok(()) => 0,
        Err(e) => {
            log::error(&e.to_string());
            e.exit_code()
        }
    }
}

fn execute(cmd: Command) -> Result<Output> {
    match cmd {
        Command::Assume(a) => {
            let force = a.session.shell.force;
            if let Some(name) = &a.write_profile {
                let p = assume::prepare(&a, true)?;
                return write_profile(&p, name, force);
            }
            refuse_terminal(force)?;
            let script = assume::run(&a)?;
            Ok(Output::Script { script, force })
        }
        Command::Exec(e) => {
            // The child gets the environment as the user had it, before awsenv adjusted its
            // own for the SDK.
            let base = std::env::vars_os().collect();
            let p = assume::prepare(&e.assume, false)?;
            Err(exec::exec(&p, base, &e.command))
        }
        Command::CredentialProcess(a) => {
            refuse_terminal(a.session.shell.force)?;
            if std::env::var_os(IN_CREDENTIAL_PROCESS).is_some() {
                return Err(Error::usage(
                    "credential_process runs awsenv, whose source credentials run awsenv again: \
                     a loop. Name a source that does not come from awsenv with --profile SOURCE.",
                ));
            }
            // Inherited by any credential_process the SDK starts for the source.
            std::env::set_var(IN_CREDENTIAL_PROCESS, "1");
            let p = assume::prepare(&a, false)?;
            Ok(Output::Text(credential_process_json(&p.act)))
        }
        Command::Simulate(a) => {
            let base: Vec<_> = std::env::vars_os().collect();
            let run_command = !a.command.is_empty();
            let force = a.session.shell.force;
            if !a.dry_run && !run_command && a.write_profile.is_none() {
                refuse_terminal(force)?;
            }
            match simulate::prepare(&a, !run_command)? {
                Simulated::DryRun(text) => Ok(Output::Text(text)),
                Simulated::Ready(p) if run_command => Err(exec::exec(&p, base, &a.command)),
                Simulated::Ready(p) => match &a.write_profile {
                    Some(name) => write_profile(&p, name, force),
                    None => Ok(Output::Script {
                        script: p.script()?,
                        force,
                    }),
                },
            }
        }
        Command::Unset(a) => unset(&a),
        Command::Status(a) => status::run(&a).map(Output::Text),
        Command::Init(a) => init::run(a.target).map(Output::Text),
        Command::Completions(a) => Ok(Output::Text(completions(a.shell))),
        Command::Cache(c) => cache_command(&c),
    }
}

const IN_CREDENTIAL_PROCESS: &str = "AWSENV_IN_CREDENTIAL_PROCESS";

/// What `credential_process` must print (the AWS CLI's and SDKs' contract).
fn credential_process_json(act: &Activation) -> String {
    let v = serde_json::json!({
        "Version": 1,
        "AccessKeyId": act.access_key_id,
        "SecretAccessKey": act.secret_access_key,
        "SessionToken": act.session_token,
        "Expiration": act.expiration,
    });
    format!("{v}\n")
}

/// `--write-profile`: the credentials go to the file; stdout gets the line that selects them.
fn write_profile(p: &Prepared, name: &str, force: bool) -> Result<Output> {
    let path = credentials_file::write(name, &p.act, force)?;
    log::info(format_args!(
        "wrote [{name}] to {} (expires {})",
        path.display(),
        p.act.expiration
    ));
    if std::env::var_os(envstate::AWS_ACCESS_KEY_ID).is_some() {
        log::warn(format_args!(
            "AWS_ACCESS_KEY_ID is set in this shell and takes precedence over AWS_PROFILE; \
             run `awsenv unset` (or unset it) to use [{name}]"
        ));
    }
    let mut script = Script::new(p.shell);
    script.export("AWS_PROFILE", name)?;
    Ok(Output::Script { script, force })
}

/// Secrets never go to a terminal: there they end up in scrollback, screen recordings and
/// terminal logs. Checked before any work, so nothing is wasted on a mistyped command.
fn refuse_terminal(force: bool) -> Result<()> {
    if !force && std::io::stdout().is_terminal() {
        return Err(Error::Terminal(
            "refusing to print credentials to the terminal. Evaluate the output instead:\n  \
             bash/zsh:    eval \"$(awsenv assume ROLE)\"\n  \
             fish:        awsenv assume ROLE | source\n  \
             PowerShell:  awsenv assume ROLE | Out-String | Invoke-Expression\n\
             (or pass --force to print them anyway)"
                .to_string(),
        ));
    }
    Ok(())
}

fn emit(out: Output) -> Result<()> {
    let text = match out {
        Output::Script { script, force } => {
            if script.holds_secrets() {
                refuse_terminal(force)?;
            }
            script.into_string()
        }
        Output::Text(t) => t,
        Output::Nothing => return Ok(()),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .or_else(|e| {
            // A closed pipe (e.g. `| head`) is the reader's choice, not an error to report.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(Error::Io(format!("cannot write to stdout: {e}")))
            }
        })
}

fn unset(a: &ShellArg) -> Result<Output> {
    let shell = shell::detect(a.shell)?;
    let Some(saved) = Saved::from_process_env()? else {
        log::warn(format_args!(
            "no awsenv role is active in this shell; nothing to restore"
        ));
        let mut s = Script::new(shell);
        s.unset(envstate::MARKERS)?;
        return Ok(Output::Script {
            script: s,
            force: a.force,
        });
    };
    let script = match saved.originals() {
        Ok(originals) => envstate::restore_script(shell, &originals)?,
        Err(e) => {
            // The role must go even when the original secrets cannot come back: leaving a
            // role active after `unset` would be worse than an incomplete restore.
            log::warn(format_args!("{e}"));
            let mut vars = saved.vars.clone();
            for k in envstate::SECRET {
                vars.remove(k);
            }
            vars.remove(envstate::AWS_ACCESS_KEY_ID);
            envstate::restore_script(shell, &vars)?
        }
    };
    saved.discard();
    Ok(Output::Script {
        script,
        force: a.force,
    })
}

fn completions(shell: CompletionShell) -> String {
    use clap_complete::Shell as C;
    let target = match shell {
        CompletionShell::Bash => C::Bash,
        CompletionShell::Zsh => C::Zsh,
        CompletionShell::Fish => C::Fish,
        CompletionShell::Powershell => C::PowerShell,
        CompletionShell::Elvish => C::Elvish,
    };
    let mut buf = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "awsenv", &mut buf);
    let generated = String::from_utf8_lossy(&buf).into_owned();
    // clap completes ROLE as a file; these add the AWS config's profile names.
    match shell {
        CompletionShell::Bash => generated + "\n" + PROFILES_BASH,
        CompletionShell::Fish => generated + "\n" + PROFILES_FISH,
        CompletionShell::Zsh => {
            let role = ":role -- Role ARN, \"ARN\" in quotes, ACCOUNT_ID\\:NAME, or NAME in your own account";
            generated
                .replace(
                    &format!("{role}:_default'"),
                    &format!("{role}:_awsenv_profiles'"),
                )
                .replace(
                    "if [ \"$funcstack[1]\" = \"_awsenv\" ]; then",
                    &format!("{PROFILES_ZSH}if [ \"$funcstack[1]\" = \"_awsenv\" ]; then"),
                )
        }
        CompletionShell::Powershell | CompletionShell::Elvish => generated,
    }
}

const PROFILES_BASH: &str = include_str!("../shell/completions/profiles.bash");
const PROFILES_ZSH: &str = include_str!("../shell/completions/profiles.zsh");
const PROFILES_FISH: &str = include_str!("../shell/completions/profiles.fish");

fn cache_command(c: &CacheCommand) -> Result<Output> {
    let cache = Cache::open()?;
    match c {
        CacheCommand::Dir => Ok(Output::Text(format!("{}\n", cache.dir().display()))),
        CacheCommand::List => {
            let now = cache::now();
            let mut out = String::new();
            for (_, e, size) in cache.list() {
                let left = e.session.expires_at - now;
                let state = if left > 0 {
                    format!(
                        "{} left",
                        humantime::format_duration(std::time::Duration::from_secs(left as u64))
                    )
                } else {
                    "expired".to_string()
                };
                let sim = e
                    .simulated_by
                    .as_deref()
                    .map(|b| format!(" (simulated by {b})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{}{sim}\t{}\t{state}\t{size} B\t{}\n",
                    e.role_arn,
                    e.session.expiration_rfc3339(),
                    e.source
                ));
            }
            Ok(Output::Text(out))
        }
        CacheCommand::Clear { role } => {
            let n = cache.clear(role.as_deref())?;
            log::info(format_args!("removed {n} cached session(s)"));
            Ok(Output::Nothing)
        }
    }
}
