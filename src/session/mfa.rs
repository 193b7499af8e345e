//! The MFA code a role asks for: given on the command line, or asked for on the terminal.

use std::io::{BufRead, Write};

use crate::error::{Error, Result};
use crate::session::options::SessionOptions;
use crate::session::params;
use crate::shell::names::NO_PROMPT;

/// The MFA code: given, or asked for on the terminal (never on stdout, which the shell reads).
pub fn code(common: &SessionOptions) -> Result<Option<String>> {
    let Some(serial) = &common.mfa_serial else {
        return Ok(None);
    };
    if let Some(code) = &common.token_code {
        return Ok(Some(code.clone()));
    }
    if !common.may_prompt {
        return Err(Error::Mfa(format!(
            "this session needs an MFA code for {serial}, and awsenv may not ask for one here \
             ({NO_PROMPT}). Get the session once in your shell, with the same options \
             (e.g. `sudo-on ROLE --mfa-serial {serial}`); it is then served from the cache."
        )));
    }
    let no_tty = |e: std::io::Error| {
        Error::Mfa(format!(
            "the role needs an MFA code for {serial}, and there is no terminal to ask on ({e}). \
             Pass --token-code CODE."
        ))
    };
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(no_tty)?;
    write!(tty, "MFA code for {serial}: ").map_err(no_tty)?;
    tty.flush().map_err(no_tty)?;
    let mut line = String::new();
    std::io::BufReader::new(&tty)
        .read_line(&mut line)
        .map_err(no_tty)?;
    params::validate_token_code(&line)
        .map(Some)
        .map_err(|e| Error::Mfa(e.to_string()))
}
