//! The variables awsenv manages: what it may change (and so saves first), what would
//! contradict a role's credentials, what is secret, and its own markers.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
pub const AWS_CREDENTIAL_EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";

/// Variables that would contradict freshly exported role credentials, unset while a role is
/// active. `AWS_PROFILE` in particular: awsenv never points it at a name that is not a profile.
pub const CONTRADICTING: [&str; 7] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SECURITY_TOKEN",
    "AWS_ACCOUNT_ID",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
];

/// What a role's session sets itself.
const SESSION: [&str; 6] = [
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AWS_CREDENTIAL_EXPIRATION,
    AWS_REGION,
    AWS_DEFAULT_REGION,
];

pub const AWS_CONTAINER_CREDENTIALS_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
pub const AWS_CONTAINER_AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
/// Both win over FULL_URI / the token in botocore: never left beside awsenv's endpoint.
pub const AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
pub const AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// What the credential endpoint (src/endpoint) sets or removes instead of keys.
pub const ENDPOINT: [&str; 4] = [
    AWS_CONTAINER_CREDENTIALS_FULL_URI,
    AWS_CONTAINER_AUTHORIZATION_TOKEN,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
];

/// Every variable awsenv may change, and so saves before the first change: what a session
/// sets, what would contradict it, and what the credential endpoint sets.
pub const MANAGED: [&str; 17] = {
    let mut all = [""; 17];
    let mut i = 0;
    while i < SESSION.len() {
        all[i] = SESSION[i];
        i += 1;
    }
    while i < SESSION.len() + CONTRADICTING.len() {
        all[i] = CONTRADICTING[i - SESSION.len()];
        i += 1;
    }
    while i < all.len() {
        all[i] = ENDPOINT[i - SESSION.len() - CONTRADICTING.len()];
        i += 1;
    }
    all
};

/// Values that must never be shown, logged, or exported in clear beyond their own variable.
pub const SECRET: [&str; 4] = [
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    "AWS_SECURITY_TOKEN",
    AWS_CONTAINER_AUTHORIZATION_TOKEN,
];

// The markers the bundled scripts read too are defined with the other shared names.
pub use crate::shell::names::{
    AWSENV_EXPIRES_AT, AWSENV_ROLE, AWSENV_SERVER, AWSENV_SESSION_ARN, AWSENV_SIMULATED_BY,
};
pub const AWSENV_ROLE_ARN: &str = "AWSENV_ROLE_ARN";
pub const AWSENV_SOURCE: &str = "AWSENV_SOURCE";
pub const AWSENV_SAVED: &str = "AWSENV_SAVED";

/// The variables awsenv itself sets; `unset` removes them all. User settings such as
/// `AWSENV_SHELL` or `AWSENV_DEFAULT_ROLE` are not markers and are left alone.
pub const MARKERS: [&str; 8] = [
    AWSENV_ROLE,
    AWSENV_ROLE_ARN,
    AWSENV_SESSION_ARN,
    AWSENV_SIMULATED_BY,
    AWSENV_EXPIRES_AT,
    AWSENV_SOURCE,
    AWSENV_SAVED,
    AWSENV_SERVER,
];

/// A snapshot of the managed variables: name → value, for those that were set.
pub type Snapshot = BTreeMap<String, String>;

/// Reads the managed variables from the process environment. A value that is not UTF-8 cannot
/// be written back byte for byte, so it is refused rather than mangled.
pub fn snapshot_process_env() -> Result<Snapshot> {
    let mut snap = Snapshot::new();
    for name in MANAGED {
        if let Some(v) = crate::environ::var_os(name) {
            let v = v.to_owned().into_string().map_err(|_| {
                Error::usage(format!(
                    "{name} holds bytes that are not UTF-8; awsenv could not restore it exactly. \
                     Fix or unset {name} first."
                ))
            })?;
            snap.insert(name.to_string(), v);
        }
    }
    Ok(snap)
}
