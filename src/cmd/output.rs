//! What a command produced, and the one place it is printed: the whole result is built first
//! and written once, only on success, so a failure leaves stdout empty and an `eval` of it
//! harmless.

use std::io::{IsTerminal, Write};

use crate::error::{Error, Result};
use crate::log;
use crate::shell::script::Script;

/// What a command produced.
pub enum Output {
    /// Shell code for `eval`.
    Script { script: Script, force: bool },
    /// Text for people or programs (no secrets).
    Text(String),
    /// Nothing on stdout.
    Nothing,
    /// A report (no secrets), printed whole; the command fails after it when it found
    /// problems.
    Report { text: String, problems: usize },
}

/// Secrets never go to a terminal: there they end up in scrollback, screen recordings and
/// terminal logs. Checked before any work, so nothing is wasted on a mistyped command.
pub fn refuse_terminal(force: bool) -> Result<()> {
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

/// Set by the shell wrappers (sudo-on, sudo-off), which `eval` what awsenv prints: then only
/// shell code may reach stdout, and everything else (help, version, JSON, text) goes to stderr.
pub use crate::shell::names::WRAPPER;

pub fn under_wrapper() -> bool {
    crate::environ::var(WRAPPER) == Some("1")
}

pub fn emit(out: Output) -> Result<()> {
    let text = match out {
        Output::Script { script, force } => {
            if script.holds_secrets() {
                refuse_terminal(force)?;
            }
            script.into_string()
        }
        Output::Text(t) if under_wrapper() => return to_stderr(&t),
        Output::Text(t) => t,
        Output::Nothing => return Ok(()),
        Output::Report { text, problems } => {
            write_stdout(&text)?;
            return match problems {
                0 => Ok(()),
                n => Err(Error::Problems(format!(
                    "doctor found {n} problem(s); each has its fix above"
                ))),
            };
        }
    };
    write_stdout(&text)
}

fn write_stdout(text: &str) -> Result<()> {
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

/// Text that must not be evaluated, for a person to read.
pub fn to_stderr(text: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    stderr
        .write_all(log::redact(text).as_bytes())
        .and_then(|_| stderr.flush())
        .map_err(|e| Error::Io(format!("cannot write to stderr: {e}")))
}
