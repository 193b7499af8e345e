//! The broker behind `simulate --remote`: a Lambda function that hands out simulated sessions
//! to callers it can prove, under a policy. All of its logic is here, testable without Lambda;
//! `src/bin/awsenv-broker.rs` only connects it to the Lambda runtime.

pub mod handler;
pub mod policy;
pub mod proof;
pub mod template;
