//! How a session is obtained, for every command that needs one: validated options
//! ([`options`], [`params`]), the source credentials and the role-chaining rule ([`source`]),
//! AWS config profiles, MFA, and one [`pipeline`]: read the environment, name the source, ask
//! the cache, and only on a miss start the runtime and call AWS. [`assume`], [`simulate`]
//! and [`remote`] (a simulation the broker Lambda makes) are the requests that go through it.

pub mod assume;
pub mod chaining;
pub mod choices;
pub mod mfa;
pub mod options;
pub mod params;
pub mod pipeline;
pub mod profile_sync;
pub mod profiles;
pub mod remote;
pub mod roles;
pub mod simulate;
pub mod source;
pub mod sso;
pub mod sso_assume;
