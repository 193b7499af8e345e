//! The local ECS-style credential endpoint (issue 14): a process that runs for hours gets its
//! credentials from 127.0.0.1 instead of its environment, and the endpoint renews them ahead
//! of expiry through awsenv's session pipeline.
//!
//! - [`server`]: the endpoint's rules (token, Host check, ECS credentials JSON);
//! - [`accept`]: its connections, each with a deadline, none able to keep the client out;
//! - [`http`]: one request head, bounded and parsed;
//! - [`refresh`]: renewing the session, for any [`refresh::SessionSource`];
//! - [`child`]: `exec --ecs-server` / `simulate --ecs-server -- CMD`, awsenv staying the parent;
//! - [`detached`]: `awsenv serve`, the endpoint in the background for the user's shell;
//! - [`owner`]: which shell that is, and when it is gone.

pub mod accept;
pub mod child;
pub mod detached;
pub mod http;
pub mod owner;
pub mod refresh;
pub mod server;

use serde::{Deserialize, Serialize};

use crate::creds::RoleSession;
use crate::env::change::EnvSink;
use crate::env::vars::{
    AWSENV_EXPIRES_AT, AWSENV_SERVER, AWSENV_SESSION_ARN, AWS_ACCESS_KEY_ID,
    AWS_CONTAINER_AUTHORIZATION_TOKEN as AUTH_TOKEN,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE as AUTH_TOKEN_FILE,
    AWS_CONTAINER_CREDENTIALS_FULL_URI as FULL_URI,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI as RELATIVE_URI, AWS_CREDENTIAL_EXPIRATION,
    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
};
use crate::error::Result;
use crate::session::source::EnvContext;

/// What a served environment does not get: the keys (the endpoint hands them out) and the
/// markers of one session (the endpoint's session changes under them).
const SESSION_VARS: [&str; 6] = [
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AWS_CREDENTIAL_EXPIRATION,
    AWSENV_EXPIRES_AT,
    AWSENV_SESSION_ARN,
];

/// `AWSENV_SERVER`: the endpoint of this environment, for `status` and `unset`. No secret: the
/// token stays in AWS_CONTAINER_AUTHORIZATION_TOKEN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub pid: u32,
    /// Started by `serve`, stopped by `unset`; else it lives as long as its child.
    pub detached: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// The shell a detached endpoint serves: only that shell's `unset` or next `serve` stops
    /// it (a child shell inherits the variables, not the endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<u32>,
}

impl Marker {
    pub fn from_env() -> Option<Marker> {
        let v = crate::environ::var(AWSENV_SERVER)?;
        serde_json::from_str(v).ok()
    }
}

/// What `awsenv status` shows of the endpoint.
#[derive(Debug, Serialize)]
pub struct Status {
    pub uri: String,
    #[serde(flatten)]
    pub marker: Marker,
}

impl Status {
    pub fn from_env() -> Option<Status> {
        Some(Status {
            marker: Marker::from_env()?,
            uri: crate::environ::var(FULL_URI)
                .unwrap_or_default()
                .to_string(),
        })
    }

    pub fn text(&self) -> String {
        let how = if self.marker.detached {
            "in the background; `awsenv unset` stops it"
        } else {
            "until the command ends"
        };
        let mut s = format!(
            "{:<13}{} (pid {}, renews the session, {how})\n",
            "endpoint:", self.uri, self.marker.pid
        );
        if let Some(log) = &self.marker.log {
            s += &format!("{:<13}{log}\n", "endpoint log:");
        }
        s
    }
}

/// Activation with the keys turned into removals: everything else (saved state, contradicting
/// variables, region, role markers) is exactly what `assume` does.
struct Served<'a, S: EnvSink>(&'a mut S);

impl<S: EnvSink> EnvSink for Served<'_, S> {
    fn set(&mut self, name: &str, value: &str, secret: bool) -> Result<()> {
        if SESSION_VARS.contains(&name) {
            self.0.remove([name])
        } else {
            self.0.set(name, value, secret)
        }
    }

    fn remove<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.0.remove(names)
    }

    fn hold(&mut self, names: &[&str]) -> Result<()> {
        self.0.hold(names)
    }

    fn remember_scopes(&mut self) -> Result<()> {
        self.0.remember_scopes()
    }

    fn hold_unexported(&mut self, names: &[&str]) -> Result<()> {
        self.0.hold_unexported(names)
    }
}

/// Points `sink` at the endpoint: the two container variables instead of keys.
pub fn activate(
    ctx: &EnvContext,
    sink: &mut impl EnvSink,
    act: &RoleSession,
    config: &server::Config,
    marker: &Marker,
) -> Result<()> {
    ctx.activate(&mut Served(sink), act)?;
    sink.remove([RELATIVE_URI, AUTH_TOKEN_FILE])?;
    sink.set(FULL_URI, &config.uri(), false)?;
    sink.set(AUTH_TOKEN, &config.token, true)?;
    sink.set(
        AWSENV_SERVER,
        &serde_json::to_string(marker).unwrap_or_default(),
        false,
    )
}

/// `awsenv unset` (and a new `serve`): stops the detached endpoint this environment points at,
/// with its token (so nothing can stop another user's, and a recycled pid is never signalled),
/// when it serves this shell; a child shell drops the variables and leaves the endpoint to its
/// owner.
pub fn stop_from_env() {
    let Some(marker) = Marker::from_env().filter(|m| m.detached) else {
        return;
    };
    if let Some(owner) = marker.owner.filter(|o| *o != owner::owner()) {
        crate::log::debug(format_args!(
            "the credential endpoint (pid {}) serves the shell {owner}, not this one: left \
             running",
            marker.pid
        ));
        return;
    }
    let (Some(uri), Some(token)) = (
        crate::environ::var(FULL_URI),
        crate::environ::var(AUTH_TOKEN),
    ) else {
        crate::log::warn(format_args!(
            "the credential endpoint (pid {}) cannot be stopped without {FULL_URI} and \
             {AUTH_TOKEN}; stop it with `kill {}`",
            marker.pid, marker.pid
        ));
        return;
    };
    match detached::request_stop(uri, token) {
        Ok(()) => crate::log::debug(format_args!("stopped the endpoint (pid {})", marker.pid)),
        Err(why) => crate::log::warn(format_args!(
            "could not stop the credential endpoint (pid {}): {why}",
            marker.pid
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::script::Script;
    use crate::shell::Shell;

    #[test]
    fn served_environment_has_no_keys() {
        // A role already active: the saved state is kept, nothing is written.
        let ctx = EnvContext {
            saved: Some(crate::env::saved::Saved::new(&Default::default())),
            originals: Default::default(),
            current: Default::default(),
            held_missing: false,
            served: false,
        };
        let act = RoleSession {
            role_arn: "arn:aws:iam::1:role/r".into(),
            role_name: "r".into(),
            simulated_by: None,
            source: "default".into(),
            duration: 900,
            region: None,
            session: crate::creds::Session {
                access_key_id: "ASIAKEY".into(),
                secret_access_key: "secret-value".into(),
                session_token: "token-value".into(),
                expires_at: 1,
                session_arn: "arn:aws:sts::1:assumed-role/r/s".into(),
            },
        };
        let config = server::Config {
            addr: "127.0.0.1:1234".parse().unwrap(),
            path: "/awsenv/p".into(),
            token: "tok-tok-tok".into(),
        };
        let marker = Marker {
            pid: 7,
            detached: true,
            log: None,
            owner: None,
        };
        let mut s = Script::new(Shell::Bash);
        activate(&ctx, &mut s, &act, &config, &marker).unwrap();
        let text = s.as_str();
        for gone in SESSION_VARS.iter().chain(&[RELATIVE_URI, AUTH_TOKEN_FILE]) {
            let unset = text
                .lines()
                .filter(|l| l.starts_with("unset "))
                .any(|l| l.split([' ', ';']).any(|w| w == *gone));
            assert!(unset, "{gone}: {text}");
        }
        assert!(!text.contains("secret-value") && !text.contains("ASIAKEY"));
        assert!(text.contains(
            "export AWS_CONTAINER_CREDENTIALS_FULL_URI='http://127.0.0.1:1234/awsenv/p';\n"
        ));
        assert!(text.contains("export AWS_CONTAINER_AUTHORIZATION_TOKEN=tok-tok-tok;\n"));
        assert!(text.contains("export AWSENV_ROLE=r;\n"));
        assert!(s.holds_secrets());
    }
}
