//! Whether a session was made by role chaining (AssumeRole with another role's credentials),
//! told from the label of its source (`AWSENV_SOURCE`, the cache entry's `source`). The console
//! federation endpoint needs to know: it refuses a SessionDuration for a chained session.

use crate::session::profiles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chaining {
    /// Not chained, and why that is known.
    No(String),
    /// Chained, and why that is known.
    Yes(String),
    /// Cannot be told, and why.
    Unknown(String),
}

/// Labels are `env:KEY_ID`, `profile:NAME`, `default`, `role:ARN` (`--chain`), and
/// `LABEL via profile:NAME` for a profile's role, whose source is LABEL.
pub async fn chaining(source: Option<&str>) -> Chaining {
    let Some(label) = source.filter(|s| !s.is_empty()) else {
        return Chaining::Unknown(
            "these credentials were not set by awsenv, so how they were made is unknown".into(),
        );
    };
    let label = match label.split_once(" via profile:") {
        Some((inner, _)) => inner,
        None => label,
    };
    if let Some(arn) = label.strip_prefix("role:") {
        return Chaining::Yes(format!("the session was assumed with --chain from {arn}"));
    }
    if let Some(key) = label.strip_prefix("env:") {
        return if key.starts_with("AKIA") {
            Chaining::No(format!("its source is the long-term key {key}"))
        } else {
            Chaining::Unknown(format!(
                "its source key {key} is temporary; if it belongs to a role session, this is \
                 role chaining"
            ))
        };
    }
    let profile = match label {
        "default" => "default",
        other => match other.strip_prefix("profile:") {
            Some(p) => p,
            None => {
                return Chaining::Unknown(format!("its source `{other}` is not one awsenv knows"))
            }
        },
    };
    match profiles::long_term_keys(profile).await {
        Some(true) => Chaining::No(format!(
            "its source, profile `{profile}`, has long-term keys"
        )),
        Some(false) => Chaining::Yes(format!(
            "its source, profile `{profile}`, gives role credentials"
        )),
        None => Chaining::Unknown(format!(
            "what kind of credentials profile `{profile}` gives cannot be told"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(label: Option<&str>) -> Chaining {
        crate::aws::config::runtime()
            .unwrap()
            .block_on(chaining(label))
    }

    #[test]
    fn labels() {
        assert!(matches!(kind(Some("env:AKIAEXAMPLE")), Chaining::No(_)));
        assert!(matches!(
            kind(Some("env:ASIAEXAMPLE")),
            Chaining::Unknown(_)
        ));
        assert!(matches!(
            kind(Some("role:arn:aws:iam::1:role/a")),
            Chaining::Yes(_)
        ));
        assert!(matches!(
            kind(Some("role:arn:aws:iam::1:role/a via profile:x")),
            Chaining::Yes(_)
        ));
        assert!(matches!(
            kind(Some("env:AKIAX via profile:p")),
            Chaining::No(_)
        ));
        assert!(matches!(kind(None), Chaining::Unknown(_)));
        assert!(matches!(kind(Some("weird")), Chaining::Unknown(_)));
    }
}
