//! When a session needs the original secret values and only the shell holds them, the answer
//! is shell code that runs this same command again with them in its environment: they are
//! never printed and never stored.

use crate::cmd::output::Output;
use crate::env::saved::{holder, Saved, RERUN};
use crate::error::{Error, Result};
use crate::shell::script::Script;
use crate::shell::{self, Shell};

/// `result`, or for `Error::NeedsShell` the code that reruns this command.
pub fn or_rerun(result: Result<Output>, shell: Option<Shell>) -> Result<Output> {
    let Err(Error::NeedsShell(why)) = result else {
        return result;
    };
    let shell = shell::detect(shell)?;
    let saved = Saved::from_process_env()?.ok_or_else(|| Error::usage(why.clone()))?;
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .ok_or_else(|| Error::usage(why.clone()))?;
    let args = crate::env::process::args()
        .into_iter()
        .skip(1)
        .map(|a| a.into_string())
        .collect::<std::result::Result<Vec<String>, _>>()
        .map_err(|_| Error::usage(why))?;
    let held: Vec<&str> = saved.held.iter().map(String::as_str).collect();
    let mut script = Script::new(shell);
    script.rerun(&exe, &args, &held, holder, RERUN)?;
    Ok(Output::Script {
        script,
        force: false,
    })
}
