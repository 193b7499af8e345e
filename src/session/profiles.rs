//! AWS config profiles as roles: `awsenv assume NAME` where NAME is a profile with `role_arn`.
//! The files are parsed by aws-config's own parser; awsenv only reads the settings that the
//! SDK leaves to the caller (`mfa_serial`, `duration_seconds`) or that it applies to the last
//! hop itself.

use std::path::PathBuf;

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use crate::aws::sts::AssumeRoleInput;
use crate::error::{Error, Result};
use crate::log;
use crate::role::RoleArn;
use crate::session::options::{SessionOptions, SourceKind};
use crate::session::params;
use crate::session::source::EnvContext;

/// `AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn config_path() -> Option<PathBuf> {
    crate::environ::var_os("AWS_CONFIG_FILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::environ::var_os("HOME").map(|h| PathBuf::from(h).join(".aws/config")))
}

/// Size and modification time of the config file: part of the cache key for names that may
/// be profiles. A stat, not a read.
pub fn config_stamp() -> Option<(u64, u128)> {
    let meta = std::fs::metadata(config_path()?).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

/// A profile that assumes a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleProfile {
    pub name: String,
    pub role_arn: RoleArn,
    pub source_profile: Option<String>,
    pub credential_source: Option<String>,
    /// The source profile itself assumes a role: the last hop is role chaining (1 h at most).
    pub source_is_role: bool,
    pub mfa_serial: Option<String>,
    pub external_id: Option<String>,
    pub role_session_name: Option<String>,
    pub duration_seconds: Option<String>,
    pub region: Option<String>,
}

/// What a profile's credentials are, for the role-chaining rule: Some(true) long-term access
/// keys, Some(false) a role session (`role_arn`, IAM Identity Center), None when it cannot be
/// told (a `credential_process`, keys with a session token, no such profile).
pub async fn long_term_keys(name: &str) -> Option<bool> {
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
            .ok()?;
    let p = set.get_profile(name)?;
    if ["role_arn", "sso_session", "sso_start_url", "sso_role_name"]
        .iter()
        .any(|k| p.get(k).is_some())
    {
        return Some(false);
    }
    match (p.get("aws_access_key_id"), p.get("aws_session_token")) {
        (Some(k), None) if k.trim().starts_with("AKIA") => Some(true),
        _ => None,
    }
}

/// The profile `name` if it exists and has `role_arn`; None lets the name be a role name.
pub async fn find(name: &str) -> Result<Option<RoleProfile>> {
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
            .map_err(|e| {
                Error::usage(format!(
                "cannot read the AWS config files: {e}; fix them, or pass --role to read `{name}` \
                 as a role name"
            ))
            })?;
    let Some(p) = set.get_profile(name) else {
        return Ok(None);
    };
    let Some(arn) = p.get("role_arn") else {
        return Ok(None);
    };
    let role_arn = RoleArn::parse(arn.trim()).ok_or_else(|| {
        Error::usage(format!(
            "profile `{name}` has role_arn = {arn}, which is not a role ARN"
        ))
    })?;
    let get = |k: &str| {
        p.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let source_profile = get("source_profile");
    let source_is_role = source_profile
        .as_deref()
        .and_then(|sp| set.get_profile(sp))
        .is_some_and(|sp| sp.get("role_arn").is_some());
    log::debug(format_args!("`{name}` is a profile for {role_arn}"));
    Ok(Some(RoleProfile {
        name: name.to_string(),
        role_arn,
        source_profile,
        credential_source: get("credential_source"),
        source_is_role,
        mfa_serial: get("mfa_serial"),
        external_id: get("external_id"),
        role_session_name: get("role_session_name"),
        duration_seconds: get("duration_seconds"),
        region: get("region"),
    }))
}

impl RoleProfile {
    /// Applies the profile's settings where the command line left them open; returns the
    /// source's label and the role.
    pub fn apply(
        &self,
        common: &mut SessionOptions,
        input: &mut AssumeRoleInput,
        env: &EnvContext,
    ) -> Result<(String, RoleArn)> {
        let name = &self.name;
        // Only the default source gives way: --profile and --chain name theirs.
        if matches!(common.source, SourceKind::Default) {
            common.source = match (&self.source_profile, self.credential_source.as_deref()) {
                (Some(sp), _) => SourceKind::Profile(sp.clone()),
                (None, Some("Environment" | "Ec2InstanceMetadata" | "EcsContainer")) => {
                    SourceKind::Default
                }
                (None, Some(other)) => {
                    return Err(Error::usage(format!(
                        "profile `{name}`: credential_source = {other} is not one of \
                         Environment, Ec2InstanceMetadata, EcsContainer"
                    )))
                }
                (None, None) => {
                    return Err(Error::usage(format!(
                        "profile `{name}` has role_arn but neither source_profile nor \
                         credential_source: add one, or pass --profile SOURCE"
                    )))
                }
            };
        }
        if common.mfa_serial.is_none() {
            common.mfa_serial = self
                .mfa_serial
                .as_deref()
                .map(params::validate_mfa_serial)
                .transpose()?;
        }
        if common.external_id.is_none() {
            common.external_id = self
                .external_id
                .as_deref()
                .map(|v| params::validate_id("external id", v, 1224))
                .transpose()?;
        }
        if common.session_name.is_none() {
            if let Some(n) = &self.role_session_name {
                input.session_name = params::validate_session_name(n)?;
            }
        }
        if !common.duration_given {
            if let Some(d) = &self.duration_seconds {
                common.duration = params::parse_duration(d).map_err(|e| {
                    Error::usage(format!("profile `{name}`: duration_seconds: {e}"))
                })?;
            }
        }
        if common.region.is_none() {
            common.region = self.region.clone();
        }
        if self.source_is_role && common.chained.is_none() {
            common.chained = Some(format!(
                "profile `{name}` takes its credentials from another role"
            ));
        }
        input.duration = common.duration;
        input.external_id = common.external_id.clone();
        input.mfa_serial = common.mfa_serial.clone();
        input.role_arn = self.role_arn.to_string();
        let label = env.source_label(&common.source)?;
        Ok((format!("{label} via profile:{name}"), self.role_arn.clone()))
    }
}
