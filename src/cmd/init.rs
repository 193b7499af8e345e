//! `awsenv init`: the bundled shell code, naming this binary. Nothing is written to any rc file.

use crate::error::{Error, Result};
use crate::shell::init::{render, InitTarget};

#[inline(never)]
pub fn run(target: InitTarget) -> Result<String> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::Io(format!("cannot find the awsenv binary's own path: {e}")))?;
    let exe = exe.to_str().ok_or_else(|| {
        Error::Io(format!(
            "the awsenv binary's path {} is not UTF-8; move it to a plain path",
            exe.display()
        ))
    })?;
    Ok(render(target, exe))
}
