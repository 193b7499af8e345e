//! The broker's policy (`AWSENV_BROKER_POLICY`): who may ask for which roles. Read once at cold
//! start; anything unknown or out of bounds stops the broker there, with the reason.

use serde::Deserialize;

use crate::role::RoleArn;
use crate::session::params::{self, CHAIN_MAX_DURATION};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    base_role: String,
    #[serde(default)]
    max_duration: Option<String>,
    rules: Vec<Rule>,
}

/// One grant: these callers may simulate these roles (when they trust these services).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// IAM ARN globs of proven callers: users, or roles for role sessions.
    pub callers: Vec<String>,
    /// Role name globs, or role ARN globs (with the path).
    pub roles: Vec<String>,
    /// When given, the target's trust policy must allow one of these services.
    #[serde(default)]
    pub trusted_services: Vec<String>,
    /// Callers may be of any account (a wildcard in the account field): said, never implied.
    #[serde(default)]
    pub any_account: bool,
}

#[derive(Debug, Clone)]
pub struct BrokerPolicy {
    pub base_role: RoleArn,
    /// Seconds; never more than role chaining allows.
    pub max_duration: u64,
    pub rules: Vec<Rule>,
}

pub const VARIABLE: &str = "AWSENV_BROKER_POLICY";

impl BrokerPolicy {
    pub fn parse(text: &str) -> Result<BrokerPolicy, String> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| format!("{VARIABLE}: {e}"))?;
        let base_role = RoleArn::parse(&raw.base_role).ok_or_else(|| {
            format!(
                "{VARIABLE}: base_role `{}` is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                raw.base_role.escape_debug()
            )
        })?;
        let max_duration = match &raw.max_duration {
            Some(d) => {
                params::parse_duration(d).map_err(|e| format!("{VARIABLE}: max_duration: {e}"))?
            }
            None => CHAIN_MAX_DURATION,
        };
        if max_duration > CHAIN_MAX_DURATION {
            return Err(format!(
                "{VARIABLE}: max_duration is {max_duration}s, but the broker's own credentials \
                 are a role session, so its AssumeRole is role chaining: AWS allows at most \
                 {CHAIN_MAX_DURATION}s (1h). Set max_duration to 1h or less."
            ));
        }
        if raw.rules.is_empty() {
            return Err(format!(
                "{VARIABLE}: rules is empty: nobody could use the broker"
            ));
        }
        for (i, r) in raw.rules.iter().enumerate() {
            if r.callers.is_empty() || r.roles.is_empty() {
                return Err(format!(
                    "{VARIABLE}: rule {i} needs at least one entry in callers and in roles"
                ));
            }
            if let Some(c) = r.callers.iter().find(|c| !c.starts_with("arn:")) {
                return Err(format!(
                    "{VARIABLE}: rule {i}: caller `{}` is not an IAM ARN glob (such as \
                     arn:aws:iam::123456789012:user/*)",
                    c.escape_debug()
                ));
            }
            if let Some(c) = r
                .callers
                .iter()
                .find(|c| !r.any_account && !names_account(c))
            {
                return Err(format!(
                    "{VARIABLE}: rule {i}: caller `{}` does not name an account (a wildcard in \
                     the account field or before it lets every AWS account in). Write the \
                     account id (arn:aws:iam::123456789012:user/*), or say \"any_account\": true \
                     in the rule if you mean it.",
                    c.escape_debug()
                ));
            }
            let base = &base_role;
            let base_forms = [
                base.to_string(),
                RoleArn::new(&base.partition, &base.account, &base.name).to_string(),
            ];
            if let Some(c) = r
                .callers
                .iter()
                .find(|c| base_forms.iter().any(|b| glob(c, b)))
            {
                return Err(format!(
                    "{VARIABLE}: rule {i}: caller `{}` matches the base role {base}: the \
                     sessions the broker hands out would be callers themselves, able to ask for \
                     more. Name callers that exclude it.",
                    c.escape_debug()
                ));
            }
            if let Some(p) = r.roles.iter().find(|p| !valid_role_pattern(p)) {
                return Err(format!(
                    "{VARIABLE}: rule {i}: role `{}` is neither a role name glob (letters, \
                     digits, _+=,.@- and * ?) nor a role ARN glob",
                    p.escape_debug()
                ));
            }
            if let Some(s) = r.trusted_services.iter().find(|s| !valid_service(s)) {
                return Err(format!(
                    "{VARIABLE}: rule {i}: trusted service `{}` is not a service principal \
                     (such as ecs-tasks.amazonaws.com)",
                    s.escape_debug()
                ));
            }
        }
        Ok(BrokerPolicy {
            base_role,
            max_duration,
            rules: raw.rules,
        })
    }
}

impl BrokerPolicy {
    /// The broker's own identity (its execution role, known once it has credentials) must not
    /// be a caller either: it holds the power to assume the base role.
    pub fn check_not_callers(&self, identity: &str, forms: &[String]) -> Result<(), String> {
        for (i, r) in self.rules.iter().enumerate() {
            if let Some(c) = r.callers.iter().find(|c| forms.iter().any(|f| glob(c, f))) {
                return Err(format!(
                    "{VARIABLE}: rule {i}: caller `{}` matches the broker's own identity \
                     {identity}: it must never be a caller. Name callers that exclude it.",
                    c.escape_debug()
                ));
            }
        }
        Ok(())
    }
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:…` with a literal 12-digit account and no wildcard
/// before it.
fn names_account(caller: &str) -> bool {
    let parts: Vec<&str> = caller.splitn(6, ':').collect();
    parts.len() == 6
        && parts[..4].iter().all(|p| !p.contains(['*', '?']))
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
}

fn valid_role_pattern(p: &str) -> bool {
    if p.starts_with("arn:") {
        return p.contains(":role/");
    }
    !p.is_empty()
        && p.bytes()
            .all(|b| crate::role::is_iam_name_byte(b) || b == b'*' || b == b'?')
}

fn valid_service(s: &str) -> bool {
    s.contains('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// Whole-string glob: `*` is any run of characters (`/` included), `?` one character.
/// Case-sensitive, as IAM names and ARNs are.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Does `pattern` name the role `name` / `arn`? A name glob is matched against the name only,
/// an ARN glob against the whole ARN; never a substring.
pub fn role_matches(pattern: &str, name: &str, arn: Option<&str>) -> Option<bool> {
    if pattern.starts_with("arn:") {
        arn.map(|a| glob(pattern, a))
    } else {
        Some(glob(pattern, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"base_role":"arn:aws:iam::123456789012:role/broker-base","max_duration":"1h",
        "rules":[{"callers":["arn:aws:iam::123456789012:user/*"],"roles":["iam-sudo-demo*"],
        "trusted_services":["ecs-tasks.amazonaws.com"]}]}"#;

    #[test]
    fn parses_and_defaults() {
        let p = BrokerPolicy::parse(GOOD).unwrap();
        assert_eq!(p.base_role.name, "broker-base");
        assert_eq!(p.max_duration, 3600);
        let p = BrokerPolicy::parse(
            r#"{"base_role":"arn:aws:iam::1:role/b","rules":[{"callers":["arn:aws:iam::*:user/*"],"roles":["x"],"any_account":true}]}"#
                .replace("::1:", "::123456789012:")
                .as_str(),
        )
        .unwrap();
        assert_eq!(p.max_duration, 3600);
        assert!(p.rules[0].trusted_services.is_empty() && p.rules[0].any_account);
        let own = ["arn:aws:iam::123456789012:role/x".to_string()];
        assert!(p.check_not_callers("x", &own).is_ok());
        let own = ["arn:aws:iam::123456789012:user/broker".to_string()];
        assert!(p
            .check_not_callers("broker", &own)
            .unwrap_err()
            .contains("broker's own identity"));
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        let cases = [
            (
                GOOD.replace("\"rules\"", "\"rulez\""),
                "unknown field `rulez`",
            ),
            (
                GOOD.replace("trusted_services", "trusted_service"),
                "unknown field `trusted_service`",
            ),
            (GOOD.replace("\"1h\"", "\"2h\""), "role chaining"),
            (GOOD.replace("\"1h\"", "\"1 fortnight\""), "max_duration"),
            (GOOD.replace("role/broker-base", "user/x"), "not a role ARN"),
            (
                GOOD.replace("arn:aws:iam::123456789012:user/*", "alice"),
                "not an IAM ARN glob",
            ),
            (GOOD.replace("iam-sudo-demo*", "a b"), "role `a b`"),
            (
                GOOD.replace("ecs-tasks.amazonaws.com", "ecs tasks"),
                "trusted service",
            ),
            ("not json".to_string(), "AWSENV_BROKER_POLICY: expected"),
            (
                GOOD.replace("arn:aws:iam::123456789012:user/*", "arn:*"),
                "does not name an account",
            ),
            (
                GOOD.replace("arn:aws:iam::123456789012:user/*", "arn:aws:iam::*:user/*"),
                "does not name an account",
            ),
            (
                GOOD.replace(
                    "arn:aws:iam::123456789012:user/*",
                    "arn:aws:*:123456789012:user/x",
                ),
                "does not name an account",
            ),
            (
                GOOD.replace("user/*", "role/*"),
                "matches the base role arn:aws:iam::123456789012:role/broker-base",
            ),
        ];
        for (text, needle) in cases {
            let e = BrokerPolicy::parse(&text).unwrap_err();
            assert!(e.contains(needle), "{needle}: {e}");
            assert!(e.starts_with("AWSENV_BROKER_POLICY: "), "{e}");
        }
        let empty = r#"{"base_role":"arn:aws:iam::123456789012:role/b","rules":[]}"#;
        assert!(BrokerPolicy::parse(empty).unwrap_err().contains("empty"));
    }

    #[test]
    fn globs_are_whole_string() {
        assert!(glob("iam-sudo-demo*", "iam-sudo-demo-my-task"));
        assert!(!glob("my-task", "my-task-admin"), "never a substring");
        assert!(!glob("task", "my-task"));
        assert!(glob("a?c", "abc") && !glob("a?c", "abbc"));
        assert!(glob("arn:aws:iam::*:user/*", "arn:aws:iam::1:user/path/x"));
        assert!(glob("*", "") && glob("**a", "a") && !glob("a", ""));
        assert!(!glob("Dev*", "dev-x"), "case-sensitive");
        assert!(glob("*-admin-*", "x-admin-admin-y"));
    }

    #[test]
    fn roles_match_by_name_or_arn() {
        let arn = "arn:aws:iam::123456789012:role/svc/my-task";
        assert_eq!(role_matches("my-*", "my-task", Some(arn)), Some(true));
        assert_eq!(role_matches("task", "my-task", Some(arn)), Some(false));
        assert_eq!(
            role_matches("arn:aws:iam::*:role/svc/*", "my-task", Some(arn)),
            Some(true)
        );
        assert_eq!(
            role_matches("arn:aws:iam::*:role/my-task", "my-task", Some(arn)),
            Some(false)
        );
        assert_eq!(
            role_matches("arn:aws:iam::*:role/svc/*", "my-task", None),
            None
        );
    }
}
