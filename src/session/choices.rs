//! What the picker offers when no ROLE is named: every role `awsenv roles` knows (IAM Identity
//! Center's accounts and roles, from its cache when fresh, and the AWS config profiles that
//! name a role), each as what `assume` is then given.

use crate::log;
use crate::session::roles::{self, ListOptions, RoleEntry};

/// One role the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What `assume` is given when this is picked: a profile name, or `ACCOUNT_ID:ROLE_NAME`
    /// with `sso_session`.
    pub role: String,
    /// The IAM Identity Center session a role without a profile is assumed through.
    pub sso_session: Option<String>,
    pub account_id: String,
    /// Empty when unknown (a profile's role_arn names no account name).
    pub account_name: String,
    pub role_name: String,
    /// Where awsenv knows it from: `sso:NAME` or `profile:NAME`.
    pub source: String,
}

impl Choice {
    /// One line of the list: what is typed, then what it is.
    pub fn label(&self) -> String {
        let account = if self.account_name.is_empty() {
            self.account_id.clone()
        } else {
            format!("{} {}", self.account_name, self.account_id)
        };
        format!(
            "{:<28} {} in {} ({})",
            self.role, self.role_name, account, self.source
        )
    }
}

impl Choice {
    /// `None` for an entry `assume` could not be given: an Identity Center role without a
    /// profile, known only through a legacy start URL (`--sso-session` takes a session name).
    fn from_entry(e: RoleEntry) -> Option<Choice> {
        let (role, sso_session) = match (&e.profile, e.source.strip_prefix("sso:")) {
            (Some(p), _) => (p.clone(), None),
            (None, Some(name)) if !name.contains("://") => (
                format!("{}:{}", e.account_id, e.role_name),
                Some(name.to_string()),
            ),
            _ => return None,
        };
        Some(Choice {
            role,
            sso_session,
            account_id: e.account_id,
            account_name: e.account_name,
            role_name: e.role_name,
            source: e.source,
        })
    }
}

/// Every role awsenv knows of, in a stable order (by what is typed). A discovery that fails
/// (the portal unreachable, an unreadable config) is said on stderr and gives no entries:
/// the picker then says how to name a role instead.
pub fn known() -> Vec<Choice> {
    let entries = roles::list(&ListOptions { refresh: false }).unwrap_or_else(|e| {
        log::warn(format_args!("the role list is incomplete: {e}"));
        Vec::new()
    });
    let mut out: Vec<Choice> = entries.into_iter().filter_map(Choice::from_entry).collect();
    out.sort_by(|a, b| (&a.role, &a.sso_session).cmp(&(&b.role, &b.sso_session)));
    out.dedup_by(|a, b| a.role == b.role && a.sso_session == b.sso_session);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, profile: Option<&str>) -> RoleEntry {
        RoleEntry {
            account_id: "111122223333".into(),
            account_name: "prod".into(),
            role_name: "Admin".into(),
            source: source.into(),
            profile: profile.map(str::to_string),
        }
    }

    #[test]
    fn each_entry_is_what_assume_is_given() {
        let p = Choice::from_entry(entry("profile:ops", Some("ops"))).unwrap();
        assert_eq!((p.role.as_str(), p.sso_session), ("ops", None));
        let s = Choice::from_entry(entry("sso:corp", Some("prod.Admin"))).unwrap();
        assert_eq!((s.role.as_str(), s.sso_session), ("prod.Admin", None));
        let d = Choice::from_entry(entry("sso:corp", None)).unwrap();
        assert_eq!(d.role, "111122223333:Admin");
        assert_eq!(d.sso_session.as_deref(), Some("corp"));
        assert!(d.label().contains("prod 111122223333"), "{}", d.label());
        assert_eq!(
            Choice::from_entry(entry("sso:https://x.awsapps.com/start", None)),
            None
        );
    }
}
