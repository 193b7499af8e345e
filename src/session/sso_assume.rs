//! Sessions through IAM Identity Center, on the one pipeline: `assume PROFILE` for a profile
//! with `sso_account_id` and `sso_role_name`, the direct form `assume --sso-session NAME
//! ACCOUNT:PERMISSION_SET` (an SSO profile as a chain's source is `sso::source_credentials`,
//! called by the pipeline). The role credentials come from GetRoleCredentials; the cache holds
//! them like any session.

use crate::aws::config::{load_config, runtime};
use crate::aws::sts::AssumeRoleInput;
use crate::aws::sts::Sts;
use crate::creds::{now, RoleSession, Session};
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;
use crate::role::{partition_for_region, RoleArn};
use crate::session::options::{SessionOptions, SourceKind};
use crate::session::pipeline::{Lookup, Prepared};
use crate::session::sso::{self, SsoProfile, SsoSession};

/// Which role, through which session.
pub enum SsoRole<'a> {
    /// `--sso-session NAME ACCOUNT:PERMISSION_SET`.
    Direct(&'a str, &'a str, &'a str),
    /// A profile with `sso_session` (or `sso_start_url`) and its account and role.
    Profile(&'a SsoProfile),
}

/// A miss: GetRoleCredentials (renewing the access token when it ends soon), then the session
/// named by a GetCallerIdentity with it, cached.
#[inline(never)]
pub fn fetch(
    lookup: Lookup,
    options: &SessionOptions,
    input: &AssumeRoleInput,
    what: SsoRole<'_>,
) -> Result<Prepared> {
    refuse_unsupported(options, input)?;
    let rt = runtime()?;
    let (session, account, role, region, label) = match what {
        SsoRole::Direct(name, account, role) => {
            let set = rt.block_on(sso::config_sections())?;
            let s = sso::session_named(&set, name)?;
            let label = s.label();
            (
                s,
                account.to_string(),
                role.to_string(),
                options.region.clone(),
                label,
            )
        }
        SsoRole::Profile(p) => {
            let (account, role) = sso::profile_role(p)?;
            let label = format!("{} via profile:{}", p.session.label(), p.name);
            let region = options.region.clone().or_else(|| p.region.clone());
            (p.session.clone(), account, role, region, label)
        }
    };
    let view = lookup.env.source_view(&SourceKind::Default);
    let (arn, creds) = rt.block_on(async {
        let mut creds = sso::role_credentials(&session, &view, &account, &role).await?;
        let arn = identify(
            &view,
            region.as_deref(),
            &session,
            &account,
            &role,
            &mut creds,
        )
        .await;
        Ok::<_, crate::error::Error>((arn, creds))
    })?;
    drop(rt);
    Ok(lookup.fresh(RoleSession {
        role_arn: arn.to_string(),
        role_name: arn.name.clone(),
        simulated_by: None,
        source: label,
        duration: u64::try_from(creds.expires_at - now()).unwrap_or(0),
        region,
        session: creds,
    }))
}

/// GetRoleCredentials takes an account and a role, nothing else: what AssumeRole would add is
/// refused rather than silently dropped; the session's length is the permission set's.
fn refuse_unsupported(options: &SessionOptions, input: &AssumeRoleInput) -> Result<()> {
    let given = [
        ("--tag", !input.tags.is_empty()),
        ("--policy", input.policy.is_some()),
        ("--policy-arn", !input.policy_arns.is_empty()),
        ("--source-identity", input.source_identity.is_some()),
        ("--external-id", input.external_id.is_some()),
        ("--mfa-serial", input.mfa_serial.is_some()),
        ("--session-name", options.session_name.is_some()),
    ];
    let named: Vec<&str> = given.iter().filter(|g| g.1).map(|g| g.0).collect();
    if !named.is_empty() {
        return Err(Error::usage(format!(
            "IAM Identity Center hands out the permission set's session as it is: {} cannot \
             apply. To use them, assume a role from it (a profile with role_arn and \
             source_profile = the SSO profile).",
            named.join(", ")
        )));
    }
    if options.duration_given {
        log::warn(format_args!(
            "IAM Identity Center sets the session's length (the permission set's): -d is ignored"
        ));
    }
    Ok(())
}

/// The role behind the permission set, from GetCallerIdentity with its credentials (on AWS
/// it is `AWSReservedSSO_<set>_<hash>`, which no listing says). Without an answer the session
/// is named by the permission set.
async fn identify(
    view: &EnvView,
    region: Option<&str>,
    session: &SsoSession,
    account: &str,
    role: &str,
    creds: &mut Session,
) -> RoleArn {
    let config = load_config(view, region, None).await;
    let sts = Sts::new(config, sso::sdk_credentials(creds));
    match sts.caller_identity().await {
        Ok((acct, partition, arn)) => {
            let name = arn
                .split(":assumed-role/")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or(role)
                .to_string();
            creds.session_arn = arn;
            RoleArn::new(&partition, &acct, &name)
        }
        Err(e) => {
            log::debug(format_args!(
                "GetCallerIdentity with the SSO credentials: {e}"
            ));
            RoleArn::new(partition_for_region(&session.region), account, role)
        }
    }
}
