//! awsenv: AWS role credentials in the shell you are already in.
//!
//! `main.rs` only calls [`app::run`]; everything else is here so the tests can reach it.

pub mod app;
pub mod assume;
pub mod cache;
pub mod cli;
pub mod credentials_file;
pub mod envstate;
pub mod error;
pub mod exec;
pub mod iam;
pub mod init;
pub mod log;
pub mod params;
pub mod paths;
pub mod policy;
pub mod profiles;
pub mod role;
pub mod shell;
pub mod simulate;
pub mod status;
pub mod sts;
