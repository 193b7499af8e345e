//! `awsenv unset`: back to exactly the environment saved before the first assume.

use crate::cli::ShellArg;
use crate::cmd::output::Output;
use crate::env::change::restore_script;
use crate::env::saved::Saved;
use crate::env::vars::{AWS_ACCESS_KEY_ID, MARKERS, SECRET};
use crate::error::Result;
use crate::log;
use crate::shell::{self, script::Script};

pub fn run(a: &ShellArg) -> Result<Output> {
    let shell = shell::detect(a.shell)?;
    let Some(saved) = Saved::from_process_env()? else {
        log::warn(format_args!(
            "no awsenv role is active in this shell; nothing to restore"
        ));
        let mut s = Script::new(shell);
        s.unset(MARKERS)?;
        return Ok(Output::Script {
            script: s,
            force: a.force,
        });
    };
    let script = match saved.originals() {
        Ok(originals) => restore_script(shell, &originals)?,
        Err(e) => {
            // The role must go even when the original secrets cannot come back: leaving a
            // role active after `unset` would be worse than an incomplete restore.
            log::warn(format_args!("{e}"));
            let mut vars = saved.vars.clone();
            for k in SECRET {
                vars.remove(k);
            }
            vars.remove(AWS_ACCESS_KEY_ID);
            restore_script(shell, &vars)?
        }
    };
    saved.discard();
    Ok(Output::Script {
        script,
        force: a.force,
    })
}
