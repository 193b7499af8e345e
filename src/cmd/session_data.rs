//! `--format` / `--output` on `assume` and `simulate`: the session as shell code or as data,
//! on stdout or in a 0600 file.

use crate::cli::options::OutputOpts;
use crate::cmd::output::{refuse_terminal, Output};
use crate::env::file::{self, Format};
use crate::error::Result;
use crate::log;
use crate::session::pipeline::Prepared;

/// Whether the options ask for something else than shell code on stdout.
pub fn wanted(out: &OutputOpts) -> bool {
    out.format != Format::Shell || out.output.is_some()
}

pub fn write(p: &Prepared, out: &OutputOpts, force: bool) -> Result<Output> {
    let text = match out.format {
        Format::Shell => p.script()?.into_string(),
        f => file::render(f, &file::variables(&p.role, &p.env.originals)?)?,
    };
    match &out.output {
        Some(path) => {
            file::write(path, &text)?;
            log::info(format_args!(
                "wrote {} (mode 0600; expires {})",
                path.display(),
                p.role.session.expiration_rfc3339()
            ));
            Ok(Output::Nothing)
        }
        None => {
            refuse_terminal(force)?;
            Ok(Output::Text(text))
        }
    }
}
