use crate::cli::InitTarget;
use crate::error::{Error, Result};

pub fn run(_t: InitTarget) -> Result<String> {
    Err(Error::usage("TODO"))
}
