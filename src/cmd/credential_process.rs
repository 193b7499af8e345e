//! `awsenv credential-process`: the JSON that `credential_process` in ~/.aws/config expects.

use crate::cli::assume::AssumeArgs;
use crate::cmd::options::assume_request;
use crate::cmd::output::{refuse_terminal, Output};
use crate::creds::Session;
use crate::env::process;
use crate::error::{Error, Result};
use crate::session::assume::prepare;

#[inline(never)]
pub fn run(a: &AssumeArgs) -> Result<Output> {
    refuse_terminal(a.session.shell.force)?;
    // The marker this process inherited; its own is set at start-up (`process::startup`), so
    // that any credential_process the SDK starts for the source inherits it.
    if process::started().under_credential_process {
        return Err(Error::usage(
            "credential_process runs awsenv, whose source credentials run awsenv again: \
             a loop. Name a source that does not come from awsenv with --profile SOURCE.",
        ));
    }
    let p = prepare(assume_request(a, false)?)?;
    Ok(Output::Text(json(&p.role.session)))
}

/// What `credential_process` must print (the AWS CLI's and SDKs' contract).
fn json(s: &Session) -> String {
    let v = serde_json::json!({
        "Version": 1,
        "AccessKeyId": s.access_key_id,
        "SecretAccessKey": s.secret_access_key,
        "SessionToken": s.session_token,
        "Expiration": s.expiration_rfc3339(),
    });
    format!("{v}\n")
}
