//! `awsenv credential-process`: the JSON that `credential_process` in ~/.aws/config expects.

use crate::cli::AssumeArgs;
use crate::cmd::options::assume_request;
use crate::cmd::output::{refuse_terminal, Output};
use crate::creds::Session;
use crate::error::{Error, Result};
use crate::session::assume::prepare;

const IN_CREDENTIAL_PROCESS: &str = "AWSENV_IN_CREDENTIAL_PROCESS";

#[inline(never)]
pub fn run(a: &AssumeArgs) -> Result<Output> {
    refuse_terminal(a.session.shell.force)?;
    if std::env::var_os(IN_CREDENTIAL_PROCESS).is_some() {
        return Err(Error::usage(
            "credential_process runs awsenv, whose source credentials run awsenv again: \
             a loop. Name a source that does not come from awsenv with --profile SOURCE.",
        ));
    }
    // Inherited by any credential_process the SDK starts for the source.
    std::env::set_var(IN_CREDENTIAL_PROCESS, "1");
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
