//! What the picker offers when no ROLE is named: the roles awsenv knows of. For now the AWS
//! config profiles that name a role (`role_arn`); other sources (IAM Identity Center discovery)
//! add their entries to the same list.

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use crate::role::RoleArn;

/// One role the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What `assume` is given when this is picked: a profile name or a role ARN.
    pub role: String,
    /// The account, when known.
    pub account_id: String,
    pub role_name: String,
    /// Where awsenv knows it from, e.g. `profile` or `sso`.
    pub source: String,
}

impl Choice {
    /// One line of the list: what is typed, then what it is.
    pub fn label(&self) -> String {
        format!(
            "{:<28} {} in {} ({})",
            self.role, self.role_name, self.account_id, self.source
        )
    }
}

/// Every role awsenv knows of, in a stable order (by what is typed). Unreadable config files
/// give no profiles: the picker says how to name a role instead.
pub async fn known() -> Vec<Choice> {
    let mut out = profile_roles().await;
    out.sort_by(|a, b| a.role.cmp(&b.role));
    out.dedup_by(|a, b| a.role == b.role);
    out
}

async fn profile_roles() -> Vec<Choice> {
    let Ok(set) =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
    else {
        return Vec::new();
    };
    set.profiles()
        .filter_map(|name| {
            let arn = RoleArn::parse(set.get_profile(name)?.get("role_arn")?.trim())?;
            Some(Choice {
                role: name.to_string(),
                account_id: arn.account.clone(),
                role_name: arn.name.clone(),
                source: "profile".to_string(),
            })
        })
        .collect()
}
