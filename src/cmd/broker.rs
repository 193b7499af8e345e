//! `awsenv broker template`: the stack that deploys the broker.

use crate::broker::template;
use crate::cli::broker::BrokerCommand;
use crate::cmd::output::Output;

#[inline(never)]
pub fn run(c: &BrokerCommand) -> Output {
    match c {
        BrokerCommand::Template => Output::Text(template::render()),
    }
}
