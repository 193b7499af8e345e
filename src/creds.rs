//! Credentials as awsenv handles them: a session STS returned, and that session together with
//! what it is for (the role, how it was obtained). The cache stores this, activation exports it.

use aws_smithy_types::date_time::Format;
use serde::{Deserialize, Serialize};

/// A session STS returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
    pub session_arn: String,
}

impl Session {
    /// RFC 3339 in UTC with `Z`, as the AWS CLI exports it and starship reads it.
    pub fn expiration_rfc3339(&self) -> String {
        rfc3339(self.expires_at)
    }
}

/// Seconds since the epoch as RFC 3339 in UTC with `Z` (`2026-12-04T23:00:00Z`): how the AWS
/// CLI writes times, in its exports and in its SSO token cache.
pub fn rfc3339(secs: i64) -> String {
    aws_smithy_types::DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// A role session and everything needed to export it without asking AWS anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSession {
    pub role_arn: String,
    pub role_name: String,
    /// The base role's ARN when the session simulates `role_arn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated_by: Option<String>,
    /// Where the source credentials came from (e.g. `profile:dev`, `env:AKIA…`); no secret.
    pub source: String,
    pub duration: u64,
    /// The region to export, when one was asked for (flag or profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub session: Session,
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A role session for unit tests: role `T` in account 123456789012, from `env:AKIAEXAMPLE`.
#[cfg(test)]
pub(crate) fn sample_role_session() -> RoleSession {
    RoleSession {
        role_arn: "arn:aws:iam::123456789012:role/T".into(),
        role_name: "T".into(),
        simulated_by: None,
        source: "env:AKIAEXAMPLE".into(),
        duration: 3600,
        region: None,
        session: Session {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret/key".into(),
            session_token: "tok".into(),
            expires_at: 1_795_269_600,
            session_arn: "arn:aws:sts::123456789012:assumed-role/T/s".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_format() {
        let s = Session {
            access_key_id: String::new(),
            secret_access_key: String::new(),
            session_token: String::new(),
            expires_at: 1_795_269_600,
            session_arn: String::new(),
        };
        assert_eq!(s.expiration_rfc3339(), "2026-11-21T14:00:00Z");
    }
}
