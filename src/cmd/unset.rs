//! `awsenv unset`: back to exactly the environment saved before the first assume.

use crate::cli::options::ShellArg;
use crate::cmd::output::Output;
use crate::env::change::{drop_script, restore_script};
use crate::env::saved::Saved;
use crate::env::vars::{AWSENV_ROLE, MARKERS};
use crate::error::Result;
use crate::log;
use crate::shell::{self, script::Script};

#[inline(never)]
pub fn run(a: &ShellArg) -> Result<Output> {
    let shell = shell::detect(a.shell)?;
    crate::endpoint::stop_from_env();
    let script = match Saved::from_process_env()? {
        Some(saved) => restore_script(shell, &saved)?,
        // A role without saved state was set where something else restores the previous
        // environment (direnv); asked to drop it here, its keys go too, not only its markers.
        None if crate::environ::var_os(AWSENV_ROLE).is_some_and(|v| !v.is_empty()) => {
            drop_script(shell)?
        }
        None => {
            log::warn(format_args!(
                "no awsenv role is active in this shell; nothing to restore"
            ));
            let mut s = Script::new(shell);
            s.unset(MARKERS)?;
            s
        }
    };
    Ok(Output::Script {
        script,
        force: a.force,
    })
}
