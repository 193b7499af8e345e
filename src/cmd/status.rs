//! `awsenv status`: the active role from the environment alone (no files, no network).

use crate::cli::status::StatusArgs;
use crate::creds::now;
use crate::env::vars::{
    AWSENV_EXPIRES_AT, AWSENV_ROLE, AWSENV_ROLE_ARN, AWSENV_SESSION_ARN, AWSENV_SIMULATED_BY,
    AWSENV_SOURCE,
};
use crate::environ;
use crate::error::Result;

#[derive(Debug, serde::Serialize)]
struct Status {
    active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    simulated_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds_left: Option<i64>,
    /// The credential endpoint serving this environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<crate::endpoint::Status>,
}

#[inline(never)]
pub fn run(args: &StatusArgs) -> Result<String> {
    let role = environ::value(AWSENV_ROLE);
    let expires_at = environ::value(AWSENV_EXPIRES_AT).and_then(|v| v.parse::<i64>().ok());
    let st = Status {
        active: role.is_some(),
        role,
        role_arn: environ::value(AWSENV_ROLE_ARN),
        session_arn: environ::value(AWSENV_SESSION_ARN),
        simulated_by: environ::value(AWSENV_SIMULATED_BY),
        source: environ::value(AWSENV_SOURCE),
        expiration: environ::value("AWS_CREDENTIAL_EXPIRATION"),
        seconds_left: expires_at.map(|t| (t - now()).max(0)),
        endpoint: crate::endpoint::Status::from_env(),
    };
    if args.json {
        return Ok(format!(
            "{}\n",
            serde_json::to_string(&st).unwrap_or_default()
        ));
    }
    let Some(role) = &st.role else {
        return Ok("no awsenv role is active\n".to_string());
    };
    let mut out = String::new();
    let sim = if st.simulated_by.is_some() {
        " (simulated)"
    } else {
        ""
    };
    out.push_str(&format!("role:        {role}{sim}\n"));
    let mut line = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push_str(&format!("{k:<13}{v}\n"));
        }
    };
    line("role arn:", &st.role_arn);
    line("simulated by:", &st.simulated_by);
    line("session:", &st.session_arn);
    line("source:", &st.source);
    let left = st.seconds_left.map(|s| {
        if s == 0 {
            "expired".to_string()
        } else {
            format!(
                "{} left",
                humantime::format_duration(std::time::Duration::from_secs(s as u64))
            )
        }
    });
    if let (Some(exp), Some(left)) = (&st.expiration, left) {
        out.push_str(&format!("{:<13}{exp} ({left})\n", "expires:"));
    }
    if let Some(e) = &st.endpoint {
        out.push_str(&e.text());
    }
    Ok(out)
}
