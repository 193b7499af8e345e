//! awsenv: AWS role credentials in the shell you are already in.
//!
//! Data flows one way, and each folder is one layer (README "Architecture"):
//! [`cli`] -> [`cmd`] -> [`session`] (with [`aws`] and [`store`]) -> [`env`] -> [`shell`] ->
//! stdout. `tests/architecture.rs` fails on an import that goes against the flow.

pub mod aws;
pub mod broker;
pub mod cli;
pub mod cmd;
pub mod console;
pub mod creds;
pub mod doctor;
pub mod endpoint;
pub mod env;
pub mod environ;
pub mod error;
pub mod log;
pub mod os;
pub mod policy;
pub mod random;
pub mod role;
pub mod session;
pub mod shell;
pub mod store;
