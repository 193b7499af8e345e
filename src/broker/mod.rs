//! The broker behind `simulate --remote`: a Lambda function that hands out simulated sessions
//! to callers it can prove, under a policy. All of its logic is here, testable without Lambda;
//! `src/bin/awsenv-broker.rs` only connects it to the Lambda runtime. What runs only in the
//! function (and needs its DynamoDB client) is behind the `broker` feature: the CLI carries
//! the policy's rules and the stack's template, nothing more.

#[cfg(feature = "broker")]
pub mod caller;
#[cfg(feature = "broker")]
pub mod decision;
#[cfg(feature = "broker")]
pub mod handler;
pub mod policy;
pub mod proof;
#[cfg(feature = "broker")]
pub mod replay;
#[cfg(feature = "broker")]
pub mod rules;
pub mod template;
#[cfg(feature = "broker")]
pub mod trust;

/// The replay table's names, shared by the function and the stack that makes the table.
pub mod replay_table {
    /// The environment variable that names the table.
    pub const VARIABLE: &str = "AWSENV_BROKER_REPLAY_TABLE";
    /// The partition key (a String): `proof#` and a proof's replay key (hex SHA-256 of the
    /// signed values that make it unique).
    pub const KEY: &str = "pk";
    /// The TTL attribute (epoch seconds), past the proof's freshness window.
    pub const TTL_ATTRIBUTE: &str = "expires_at";
}
