//! `awsenv console [ROLE]`: open the AWS console signed in, or print the sign-in URL.

use crate::cli::console::ConsoleArgs;
use crate::cmd::options::{assume_request, session_options};
use crate::cmd::output::Output;
use crate::cmd::pick;
use crate::console::{sign_in_url, ConsoleRequest, ConsoleSession, Destination};
use crate::error::{Error, Result};
use crate::log;
use crate::session::assume::prepare;

#[inline(never)]
pub fn run(a: &ConsoleArgs) -> Result<Output> {
    let opts = &a.assume;
    let destination = Destination::parse(a.service.as_deref(), a.destination.as_deref())?;
    let options = session_options(&opts.session, opts.chain, false)?;
    if opts.out.write_profile.is_some() {
        return Err(Error::usage("console does not take --write-profile"));
    }
    if a.print && !opts.session.shell.force && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(Error::Terminal(
            "refusing to print the sign-in URL to the terminal: it signs anyone who has it in \
             for 15 minutes. Pipe it where it is needed, let awsenv open the browser (no \
             --print), or pass --force."
                .into(),
        ));
    }
    let session = if opts.role.is_empty() {
        match ConsoleSession::from_environment() {
            Ok(s) => s,
            // No session here to sign in with: pick a role, on a terminal.
            Err(e @ Error::NoCredentials(_)) => {
                let a = pick::picked(opts).map_err(|p| match p {
                    Error::Usage(_) if std::fs::File::open("/dev/tty").is_err() => e,
                    other => other,
                })?;
                let s = ConsoleSession::from_prepared(&prepare(assume_request(&a, false)?)?);
                pick::remember(&a);
                s
            }
            Err(e) => return Err(e),
        }
    } else {
        ConsoleSession::from_prepared(&prepare(assume_request(opts, false)?)?)
    };
    let req = ConsoleRequest {
        destination,
        region: options.region.clone(),
        duration: options.duration,
        duration_given: options.duration_given,
    };
    let url = sign_in_url(&session, &req)?;
    if a.print {
        return Ok(Output::Text(format!("{url}\n")));
    }
    webbrowser::open(&url).map_err(|e| {
        Error::Io(format!(
            "cannot open a web browser ({e}); use --print and open the URL yourself"
        ))
    })?;
    log::info(format_args!(
        "opened the AWS console in your browser (the sign-in link is valid for 15 minutes)"
    ));
    Ok(Output::Nothing)
}
