//! `awsenv profiles sync`: the generated profiles block of the AWS config file.

use crate::aws::config::runtime;
use crate::cli::profiles::ProfilesCommand;
use crate::cmd::output::Output;
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;
use crate::session::profile_sync::{apply, block, diff, names_outside, validate_template};
use crate::session::profiles::config_path;
use crate::session::{roles, sso};
use crate::store::fs::{io_err, write_private_atomic};

/// A config file is text of a few KB; a bound anyway.
const MAX_CONFIG: u64 = 16 * 1024 * 1024;

#[inline(never)]
pub fn run(c: &ProfilesCommand) -> Result<Output> {
    let ProfilesCommand::Sync {
        sso_session,
        template,
        refresh,
        dry_run,
    } = c;
    validate_template(template)?;
    let path = config_path()
        .ok_or_else(|| Error::Io("cannot find the AWS config file: set HOME".into()))?;
    // A linked config file (dotfiles) is written where it really is, not replaced by a file.
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    let rt = runtime()?;
    let session = rt.block_on(async {
        let set = sso::config_sections().await?;
        sso::session_named(&set, sso_session)
    })?;
    let entries = rt.block_on(roles::for_session(&session, &EnvView::default(), *refresh))?;
    let old = read(&path)?;
    let taken = names_outside(&old, sso_session)?;
    let new = apply(
        &old,
        sso_session,
        &block(sso_session, template, &entries, &taken),
    )?;
    if *dry_run {
        return Ok(Output::Text(diff(&path.display().to_string(), &old, &new)));
    }
    if new == old {
        log::info(format_args!("{}: up to date", path.display()));
    } else {
        write_private_atomic(&path, new.as_bytes())?;
        log::info(format_args!(
            "{}: {} profiles of sso-session {sso_session}",
            path.display(),
            entries.len()
        ));
    }
    Ok(Output::Nothing)
}

fn read(path: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(io_err("read", path, &e)),
    };
    let mut text = String::new();
    f.take(MAX_CONFIG)
        .read_to_string(&mut text)
        .map_err(|e| io_err("read", path, &e))?;
    Ok(text)
}
