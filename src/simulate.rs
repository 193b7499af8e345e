use crate::app::Output;
use crate::cli::SimulateArgs;
use crate::error::{Error, Result};

pub fn run(_a: &SimulateArgs) -> Result<Output> {
    Err(Error::usage("TODO"))
}
