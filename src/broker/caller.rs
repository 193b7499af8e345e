//! Who is asking, once STS has said who signed the proof: the principal a policy's `callers`
//! match (a user's ARN, or for a role session its role's ARN with the path IAM shows), and the
//! name that goes into the session name and SourceIdentity.

use crate::aws::errors::sdk_error;
use crate::error::{Error, Result};
use crate::role::RoleArn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// What `callers` globs are matched against.
    pub principal: String,
    pub account: String,
    /// For a role session, its role's name.
    pub role: Option<String>,
    /// A user's name, or a role session's name (chosen by whoever assumed the role, so it
    /// proves nothing, but CloudTrail readers want it).
    pub name: String,
}

/// The caller as its STS ARN says, without a role's path (an assumed-role ARN has none).
pub fn principal_of(arn: &str) -> Caller {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if let [_, partition, "sts", _, account, resource] = parts.as_slice() {
        if let Some(rest) = resource.strip_prefix("assumed-role/") {
            if let Some((role, session)) = rest.split_once('/') {
                return Caller {
                    principal: format!("arn:{partition}:iam::{account}:role/{role}"),
                    account: account.to_string(),
                    role: Some(role.to_string()),
                    name: session.to_string(),
                };
            }
        }
    }
    Caller {
        principal: arn.to_string(),
        account: parts.get(4).copied().unwrap_or_default().to_string(),
        role: None,
        name: arn.rsplit(['/', ':']).next().unwrap_or(arn).to_string(),
    }
}

/// The caller with its role's path, read with iam:GetRole when the role is in the broker's own
/// account (a role of another account cannot be read, and keeps the ARN without its path).
pub async fn resolve(iam: &aws_sdk_iam::Client, arn: &str, own_account: &str) -> Result<Caller> {
    let mut caller = principal_of(arn);
    let Some(role) = caller.role.clone() else {
        return Ok(caller);
    };
    if caller.account != own_account {
        return Ok(caller);
    }
    let out = iam.get_role().role_name(&role).send().await.map_err(|e| {
        let e = sdk_error("iam:GetRole", &role, e);
        Error::AccessDenied(format!(
            "the broker cannot read the caller's role {role} to match it with its path: {e}"
        ))
    })?;
    if let Some(r) = out.role() {
        caller.principal = r.arn().to_string();
    }
    Ok(caller)
}

impl Caller {
    /// `prefix` and the caller's name, sanitised to AWS's `[\w+=,.@-]` and at most `max`
    /// characters: a user's name, or `SESSION@ROLE`, where only the session part is shortened
    /// (the role says which role the caller came from; its name alone fills a short budget).
    pub fn label(&self, prefix: &str, max: usize) -> String {
        let clean = |s: &str| crate::session::params::sanitize_session_name(s);
        let text = match &self.role {
            None => format!("{prefix}{}", self.name),
            Some(role) => {
                let tail = format!("@{role}");
                let room = max.saturating_sub(prefix.len() + tail.len());
                if room == 0 {
                    return clean(role).chars().take(max).collect();
                }
                let session: String = self.name.chars().take(room).collect();
                format!("{prefix}{session}{tail}")
            }
        };
        clean(&text).chars().take(max).collect()
    }

    /// The same identity: a user by its ARN, a role by account and name (whatever the path
    /// and the session).
    pub fn is(&self, other: &Caller) -> bool {
        match (&self.role, &other.role) {
            (Some(a), Some(b)) => a == b && self.account == other.account,
            (None, None) => self.principal == other.principal,
            _ => false,
        }
    }

    /// Is this the same identity as `role` (by account and name: paths do not make two roles)?
    pub fn is_role(&self, role: &RoleArn) -> bool {
        self.account == role.account && self.role.as_deref() == Some(role.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        let u = principal_of("arn:aws:iam::123456789012:user/team/alice");
        assert_eq!(u.principal, "arn:aws:iam::123456789012:user/team/alice");
        assert_eq!((u.name.as_str(), u.role), ("alice", None));
        let r = principal_of("arn:aws:sts::123456789012:assumed-role/dev/alice@example.com");
        assert_eq!(r.principal, "arn:aws:iam::123456789012:role/dev");
        assert_eq!(r.label("", 64), "alice@example.com@dev");
        let cn = principal_of("arn:aws-cn:sts::123456789012:assumed-role/r/s");
        assert_eq!(cn.principal, "arn:aws-cn:iam::123456789012:role/r");
        assert_eq!(principal_of("arn:aws:iam::123456789012:root").name, "root");
    }

    #[test]
    fn the_session_part_is_shortened_never_the_role() {
        let long = format!(
            "arn:aws:sts::123456789012:assumed-role/awsenv-demo/{}",
            "s".repeat(64)
        );
        let c = principal_of(&long);
        let id = c.label("", 64);
        assert_eq!(id.len(), 64);
        assert!(id.ends_with("s@awsenv-demo"), "{id}");
        let name = c.label("awsenv-", 64);
        assert!(
            name.starts_with("awsenv-s") && name.ends_with("@awsenv-demo"),
            "{name}"
        );
        assert_eq!(name.len(), 64);
        // A role name that fills the budget: the role alone.
        let role = "r".repeat(64);
        let c = principal_of(&format!("arn:aws:sts::123456789012:assumed-role/{role}/s"));
        assert_eq!(c.label("", 64), role);
        assert_eq!(c.label("awsenv-", 64), role);
        // Users are cut at the end, as before; odd characters become `-`.
        let u = principal_of("arn:aws:iam::123456789012:user/al ice");
        assert_eq!(u.label("awsenv-", 64), "awsenv-al-ice");
    }

    #[test]
    fn same_role_by_account_and_name() {
        let base = RoleArn::parse("arn:aws:iam::123456789012:role/x/broker-base").unwrap();
        let c = principal_of("arn:aws:sts::123456789012:assumed-role/broker-base/awsenv-dev");
        assert!(c.is_role(&base));
        let other = principal_of("arn:aws:sts::210987654321:assumed-role/broker-base/x");
        assert!(!other.is_role(&base));
        assert!(c.is(&principal_of(
            "arn:aws:sts::123456789012:assumed-role/broker-base/y"
        )));
        assert!(!c.is(&other));
        let u = principal_of("arn:aws:iam::123456789012:user/broker");
        assert!(u.is(&u.clone()) && !u.is(&c));
    }
}
