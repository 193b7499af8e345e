//! `assume`'s request: from a validated request to a session, through the cache when it can.

use crate::aws::config::runtime;
use crate::aws::sts::{AssumeRoleInput, Sts};
use crate::creds::RoleSession;
use crate::error::Result;
use crate::log;
use crate::role::{partition_for_region, RoleArn, RoleRef};
use crate::session::options::SessionOptions;
use crate::session::pipeline::{Lookup, Prepared};
use crate::session::source::duration_for;
use crate::session::sso_assume::{self, SsoRole};
use crate::session::{mfa, params, profiles, sso};

/// Everything `assume` asks for, validated.
pub struct AssumeRequest {
    pub role: RoleRef,
    pub options: SessionOptions,
    /// Read a bare name as a role name even when a profile has that name.
    pub role_only: bool,
    /// `--sso-session NAME`: the role is ACCOUNT:PERMISSION_SET through IAM Identity Center.
    pub sso_session: Option<String>,
    pub source_identity: Option<String>,
    pub tags: Vec<(String, String)>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
}

/// Everything up to the session: the cache, and on a miss the AWS calls.
pub fn prepare(req: AssumeRequest) -> Result<Prepared> {
    let AssumeRequest {
        role,
        options,
        role_only,
        sso_session,
        source_identity,
        tags,
        policy,
        policy_arns,
    } = req;
    let session_name = options.session_name.clone().unwrap_or_else(|| {
        params::default_session_name(
            crate::environ::var("USER").or_else(|| crate::environ::var("LOGNAME")),
        )
    });
    // The role as typed stands in the key: resolving a bare name needs the network.
    let input = AssumeRoleInput {
        role_arn: match &role {
            RoleRef::Arn(a) => a.to_string(),
            RoleRef::InAccount { account, name } => format!("{account}:{name}"),
            RoleRef::Name(n) => n.clone(),
        },
        session_name,
        duration: options.duration,
        external_id: options.external_id.clone(),
        source_identity,
        tags,
        policy,
        policy_arns,
        mfa_serial: options.mfa_serial.clone(),
    };
    let mut request = serde_json::to_value(&input).unwrap_or_default();
    let maybe_profile = matches!(role, RoleRef::Name(_)) && !role_only;
    if maybe_profile {
        // A bare name may be a profile: an edited config file must not be answered from a
        // session made with the old one. Its size and time stand in the key (a stat, no read).
        request["config"] = serde_json::json!(profiles::config_stamp());
    }
    if let Some(s) = &sso_session {
        request["sso_session"] = serde_json::json!(s);
    }
    let mut lookup = Lookup::begin("assume", request, &options, true)?;
    if let Some(hit) = lookup.cached(options.min_ttl)? {
        return Ok(lookup.hit(hit));
    }
    if let (Some(s), RoleRef::InAccount { account, name }) = (&sso_session, &role) {
        return sso_assume::fetch(lookup, &options, &input, SsoRole::Direct(s, account, name));
    }
    fetch(lookup, role, options, input, maybe_profile)
}

/// A miss: profiles, MFA and the AWS calls. Out of line because a frame is reserved whole on
/// entry (stack probes touch each page): a hit must not pay for these futures' 16 KB.
#[inline(never)]
fn fetch(
    lookup: Lookup,
    role: RoleRef,
    mut options: SessionOptions,
    mut input: AssumeRoleInput,
    maybe_profile: bool,
) -> Result<Prepared> {
    let rt = runtime()?;
    let (mut role, mut source) = (role, lookup.source.clone());
    if let (RoleRef::Name(name), true) = (role.clone(), maybe_profile) {
        if let Some(p) = rt.block_on(sso::own_profile(&name))? {
            drop(rt);
            return sso_assume::fetch(lookup, &options, &input, SsoRole::Profile(&p));
        }
        if let Some(p) = rt.block_on(profiles::find(&name))? {
            let (label, arn) = p.apply(&mut options, &mut input, &lookup.env)?;
            (role, source) = (RoleRef::Arn(arn), label);
        }
    }
    let (role_arn, session) = rt.block_on(async {
        let sts = lookup.connect(&options).await?;
        input.duration = duration_for(&sts, &options).await?;
        let arn = resolve_role(&sts, &role).await?;
        input.role_arn = arn.to_string();
        let signer = mfa::signer(sts, &options).await?;
        if signer.token_code.is_none() {
            input.mfa_serial = None;
        }
        let session = signer
            .sts
            .assume_role(&input, signer.token_code.as_deref())
            .await?;
        Ok::<_, crate::error::Error>((arn, session))
    })?;
    drop(rt);
    Ok(lookup.fresh(RoleSession {
        role_arn: role_arn.to_string(),
        role_name: role_arn.name.clone(),
        simulated_by: None,
        source,
        duration: input.duration,
        region: options.region.clone(),
        session,
    }))
}

/// Completes a role reference: `ACCOUNT:NAME` takes the partition of the configured region,
/// a bare name the caller's own account and partition.
pub async fn resolve_role(sts: &Sts, role: &RoleRef) -> Result<RoleArn> {
    match role {
        RoleRef::Arn(a) => Ok(a.clone()),
        RoleRef::InAccount { account, name } => {
            let region = sts
                .config()
                .region()
                .map(|r| r.as_ref().to_string())
                .unwrap_or_default();
            Ok(RoleArn::new(partition_for_region(&region), account, name))
        }
        RoleRef::Name(name) => {
            let (account, partition, _) = sts.caller_identity().await?;
            log::debug(format_args!(
                "role `{name}` is in account {account} ({partition})"
            ));
            Ok(RoleArn::new(&partition, &account, name))
        }
    }
}
