//! `awsenv assume`: a role's session as exports for the shell, or into a credentials profile.

use crate::cli::assume::{AssumeArgs, AssumeCmd};
use crate::cmd::options::assume_request;
use crate::cmd::output::{refuse_terminal, Output};
use crate::cmd::pick;
use crate::cmd::session_data;
use crate::env::file::Format;
use crate::env::vars::AWS_ACCESS_KEY_ID;
use crate::error::{Error, Result};
use crate::log;
use crate::session::assume::prepare;
use crate::session::pipeline::Prepared;
use crate::shell::script::Script;
use crate::store::credentials_file;

#[inline(never)]
pub fn run(cmd: &AssumeCmd) -> Result<Output> {
    let force = cmd.args.session.shell.force;
    let data = session_data::wanted(&cmd.data);
    if data && cmd.args.out.write_profile.is_some() {
        return Err(Error::usage(
            "--write-profile writes the credentials file; it cannot be combined with \
             --format or --output",
        ));
    }
    if !data && cmd.args.out.write_profile.is_none() {
        // Before the picker: a list whose pick would be refused is no use.
        refuse_terminal(force)?;
    }
    let picked = pick::when_absent(&cmd.args)?;
    let a: &AssumeArgs = picked.as_ref().unwrap_or(&cmd.args);
    let out = if data {
        let p = prepare(assume_request(a, cmd.data.format == Format::Shell)?)?;
        session_data::write(&p, &cmd.data, force)
    } else if let Some(name) = &a.out.write_profile {
        let p = prepare(assume_request(a, true)?)?;
        write_profile(&p, name, a.out.overwrite_keys, force)
    } else {
        let script = prepare(assume_request(a, true)?)?.script()?;
        // Keys instead of a served role: the endpoint this shell started has nothing left to do.
        crate::endpoint::stop_from_env();
        Ok(Output::Script { script, force })
    };
    if out.is_ok() && picked.is_some() {
        pick::remember(a);
    }
    out
}

/// `--write-profile`: the credentials go to the file; stdout gets the line that selects them.
pub fn write_profile(p: &Prepared, name: &str, overwrite: bool, force: bool) -> Result<Output> {
    let path = credentials_file::write(name, &p.role.session, overwrite)?;
    log::info(format_args!(
        "wrote [{name}] to {} (expires {})",
        path.display(),
        p.role.session.expiration_rfc3339()
    ));
    if crate::environ::var_os(AWS_ACCESS_KEY_ID).is_some() {
        log::warn(format_args!(
            "AWS_ACCESS_KEY_ID is set in this shell and takes precedence over AWS_PROFILE; \
             run `awsenv unset` (or unset it) to use [{name}]"
        ));
    }
    let mut script = Script::new(p.shell);
    script.export("AWS_PROFILE", name)?;
    Ok(Output::Script { script, force })
}
