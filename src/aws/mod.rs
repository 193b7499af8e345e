//! Everything that talks to AWS: the SDK's configuration ([`config`]), STS and IAM calls, and
//! the one mapping of SDK errors to awsenv's ([`errors`]).

pub mod config;
pub mod errors;
pub mod federation;
pub mod iam;
pub mod lambda;
pub mod proof;
pub mod sso;
pub mod sts;
pub mod timeouts;
