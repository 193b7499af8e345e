//! `awsenv simulate`: act as a role you may not assume. A base role you may assume is assumed
//! with the target role's own policies as session policies, so the session has at most the
//! target's permissions (and at most the base role's).

use serde_json::json;

use crate::aws::config::runtime;
use crate::aws::iam::{self, TargetRole};
use crate::aws::sts::AssumeRoleInput;
use crate::creds::RoleSession;
use crate::error::{Error, Result};
use crate::log;
use crate::policy::{self, Plan, MAX_POLICY_ARNS, PLAINTEXT_BUDGET};
use crate::role::{valid_role_name, RoleArn, RoleRef};
use crate::session::assume::resolve_role;
use crate::session::options::SessionOptions;
use crate::session::pipeline::{Lookup, Prepared};
use crate::session::source::duration_for;
use crate::session::{mfa, params};

/// `--role-name`: an exact name, or an ARN whose name is used (IAM reads by name).
pub fn parse_target(s: &str) -> Result<(String, Option<RoleArn>)> {
    let t = s.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t);
    if t.starts_with("arn:") {
        if let Some(a) = RoleArn::parse(t) {
            return Ok((a.name.clone(), Some(a)));
        }
    } else if valid_role_name(t) {
        return Ok((t.to_string(), None));
    }
    Err(Error::usage(format!(
        "--role-name `{}` is neither a role name (1-64 of letters, digits, _+=,.@-) nor a role ARN",
        s.escape_debug()
    )))
}

/// What `simulate` produced.
pub enum Simulated {
    /// The request it would send, as JSON.
    DryRun(String),
    Ready(Box<Prepared>),
}

/// Everything `simulate` asks for, validated.
pub struct SimulateRequest {
    /// The target's name, and its ARN when one was given.
    pub target: (String, Option<RoleArn>),
    pub base: RoleRef,
    /// The base role as typed, for the cache key.
    pub base_typed: String,
    pub options: SessionOptions,
    pub dry_run: bool,
    pub quiet: bool,
    /// Simulate a target that has a permissions boundary without it (`--ignore-boundary`).
    pub ignore_boundary: bool,
}

/// Everything up to the session: the cache, and on a miss the IAM reads and AssumeRole.
pub fn prepare(req: SimulateRequest) -> Result<Simulated> {
    let SimulateRequest {
        target: (target_name, target_arn),
        base_typed,
        options: common,
        dry_run,
        quiet,
        ignore_boundary,
        ..
    } = &req;
    let (dry_run, quiet) = (*dry_run, *quiet);
    let session_name = common
        .session_name
        .clone()
        .unwrap_or_else(|| params::sanitize_session_name(&format!("awsenv-sim-{target_name}")));
    let request = json!({
        "target": target_arn.as_ref().map(|a| a.to_string()).unwrap_or_else(|| target_name.clone()),
        "base": base_typed,
        "session_name": session_name,
        "duration": common.duration,
        "external_id": common.external_id,
        "mfa_serial": common.mfa_serial,
    });
    // A session made without the target's boundary is never served to a run that did not
    // say --ignore-boundary (and the key of every other run stays as it was).
    let mut request = request;
    if *ignore_boundary {
        request["ignore_boundary"] = json!(true);
    }
    let mut lookup = Lookup::begin("simulate", request, common, !dry_run)?;
    if let Some(hit) = lookup.cached(common.min_ttl)? {
        if !quiet {
            log::info(format_args!(
                "simulating {} with {} (cached session; --no-cache to rebuild it)",
                hit.role_name,
                hit.simulated_by.as_deref().unwrap_or_default()
            ));
        }
        return Ok(Simulated::Ready(Box::new(lookup.hit(hit))));
    }
    fetch(lookup, req, session_name)
}

/// A miss: the IAM reads and AssumeRole, out of line for the reason given at
/// `session::assume::fetch`.
#[inline(never)]
fn fetch(lookup: Lookup, req: SimulateRequest, session_name: String) -> Result<Simulated> {
    let SimulateRequest {
        target: (target_name, target_arn),
        base,
        options: common,
        dry_run,
        quiet,
        ignore_boundary,
        ..
    } = req;
    let rt = runtime()?;
    let built = rt.block_on(async {
        let sts = lookup.connect(&common).await?;
        let duration = duration_for(&sts, &common).await?;
        let iam_client = sts.iam();
        let (target, base_arn, plan) = read_and_plan(
            &iam_client,
            &target_name,
            target_arn.as_ref(),
            resolve_role(&sts, &base),
            ignore_boundary,
        )
        .await?;
        let input = AssumeRoleInput {
            role_arn: base_arn.to_string(),
            session_name: session_name.clone(),
            duration,
            external_id: common.external_id.clone(),
            policy: plan.policy.clone(),
            policy_arns: plan.policy_arns.clone(),
            mfa_serial: common.mfa_serial.clone(),
            ..Default::default()
        };
        if dry_run {
            return Ok((target, base_arn, plan, input, None));
        }
        let signer = mfa::signer(sts, &common).await?;
        let mut call = input.clone();
        if signer.token_code.is_none() {
            call.mfa_serial = None;
        }
        let session = signer
            .sts
            .assume_role(&call, signer.token_code.as_deref())
            .await?;
        Ok::<_, Error>((target, base_arn, plan, input, Some(session)))
    })?;
    let (target, base_arn, plan, input, session) = built;
    if !quiet {
        eprint!(
            "{}",
            log::redact(&fidelity_report(&target, &base_arn, &plan))
        );
    }
    let Some(session) = session else {
        return Ok(Simulated::DryRun(dry_run_json(&target, &plan, &input)));
    };
    let source = lookup.source.clone();
    Ok(Simulated::Ready(Box::new(lookup.fresh(RoleSession {
        role_arn: target.arn.clone(),
        role_name: target.name.clone(),
        simulated_by: Some(base_arn.to_string()),
        source,
        duration: input.duration,
        region: common.region.clone(),
        session,
    }))))
}

/// Reads the target role and fits its policies into one AssumeRole of the base role, whose ARN
/// `base` resolves meanwhile. This is the part of a simulation every caller shares.
pub async fn read_and_plan(
    iam_client: &aws_sdk_iam::Client,
    target_name: &str,
    target_arn: Option<&RoleArn>,
    base: impl std::future::Future<Output = Result<RoleArn>>,
    ignore_boundary: bool,
) -> Result<(TargetRole, RoleArn, Plan)> {
    let (target, base_arn) = tokio::join!(iam::read_target(iam_client, target_name), base);
    let (target, base_arn) = (target?, base_arn?);
    let (target, plan) =
        plan_target(iam_client, target, target_arn, &base_arn, ignore_boundary).await?;
    Ok((target, base_arn, plan))
}

/// The second half of [`read_and_plan`], for a target already read (the broker checks its
/// trust policy in between): the role read must be the one asked for; the managed documents
/// that must be inlined (beyond 10 ARNs, other accounts) are fetched; the plan fits AWS's size.
pub async fn plan_target(
    iam_client: &aws_sdk_iam::Client,
    mut target: TargetRole,
    target_arn: Option<&RoleArn>,
    base_arn: &RoleArn,
    ignore_boundary: bool,
) -> Result<(TargetRole, Plan)> {
    check_boundary(&target, ignore_boundary)?;
    if let Some(want) = target_arn {
        if want.to_string() != target.arn {
            return Err(Error::NotFound(format!(
                "{want} is not readable with your credentials: the role of that name in their \
                 account is {}. awsenv reads the target with your credentials, so it must be \
                 in their account.",
                target.arn
            )));
        }
    }
    let fetch: Vec<usize> = if target.managed.len() > MAX_POLICY_ARNS {
        (0..target.managed.len()).collect()
    } else {
        policy::must_inline(&target.managed, &base_arn.account)
            .into_iter()
            .map(|(i, _)| i)
            .collect()
    };
    if !fetch.is_empty() {
        iam::fetch_documents(iam_client, &mut target.managed, &fetch).await?;
    }
    let inline: Vec<_> = target.inline.iter().map(|(_, d)| d.clone()).collect();
    let plan = policy::plan(
        &inline,
        &target.managed,
        &base_arn.account,
        &base_arn.partition,
    )?;
    Ok((target, plan))
}

/// A target with a permissions boundary cannot be simulated faithfully: session policies add
/// up (any of them allows), a boundary cuts (both must allow), so no AssumeRole of the base
/// role can hold the session to the target's policies *and* its boundary. Refused, naming it,
/// unless the user said `--ignore-boundary` (local only: a broker never ignores it).
pub fn check_boundary(target: &TargetRole, ignore: bool) -> Result<()> {
    let Some(b) = &target.permissions_boundary else {
        return Ok(());
    };
    if ignore {
        log::warn(format_args!(
            "--ignore-boundary: {}'s permissions boundary {b} is not applied: the simulated \
             session may do what {} cannot (all its policies allow, up to the base role)",
            target.name, target.name
        ));
        return Ok(());
    }
    Err(Error::Rejected(format!(
        "{} has the permissions boundary {b}, which a simulation cannot apply (session policies \
         add up, a boundary cuts): the session could do what {} cannot, so it is refused",
        target.name, target.name
    )))
}

/// The exact AssumeRole request, in AWS's parameter names, and what awsenv decided.
fn dry_run_json(target: &TargetRole, plan: &Plan, input: &AssumeRoleInput) -> String {
    let mut req = serde_json::Map::new();
    req.insert("RoleArn".into(), json!(input.role_arn));
    req.insert("RoleSessionName".into(), json!(input.session_name));
    req.insert("DurationSeconds".into(), json!(input.duration));
    if let Some(p) = &input.policy {
        req.insert("Policy".into(), json!(p));
    }
    if !input.policy_arns.is_empty() {
        let arns: Vec<_> = input
            .policy_arns
            .iter()
            .map(|a| json!({ "arn": a }))
            .collect();
        req.insert("PolicyArns".into(), json!(arns));
    }
    if let Some(e) = &input.external_id {
        req.insert("ExternalId".into(), json!(e));
    }
    if let Some(s) = &input.mfa_serial {
        req.insert("SerialNumber".into(), json!(s));
    }
    let inlined: Vec<_> = plan
        .inlined
        .iter()
        .map(|(arn, why)| json!({ "arn": arn, "reason": why }))
        .collect();
    let out = json!({
        "AssumeRole": req,
        "Target": target.arn,
        "Budget": format!("{}/{PLAINTEXT_BUDGET}", plan.budget),
        "Inlined": inlined,
        "PermissionsBoundary": target.permissions_boundary,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).unwrap_or_default()
    )
}

/// One short block on stderr: what the session is, and what it cannot be.
pub fn fidelity_report(target: &TargetRole, base: &RoleArn, plan: &Plan) -> String {
    let mut s = format!(
        "awsenv: simulating {} with {}: the session has at most both roles' permissions\n",
        target.name, base.name
    );
    s += &format!(
        "  policies: {} inline merged, {} managed as ARNs, {} managed inlined; budget {}/{PLAINTEXT_BUDGET}\n",
        target.inline.len(),
        plan.policy_arns.len(),
        plan.inlined.len(),
        plan.budget
    );
    if let Some(b) = &target.permissions_boundary {
        s += &format!(
            "  {} has a permissions boundary ({b}) that is not applied: the session may allow more\n",
            target.name
        );
    }
    s += &format!(
        "  not simulated: resource policies and conditions naming {} (aws:PrincipalArn, KMS key \
         policies, bucket policies)\n",
        target.arn
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("my-task").unwrap(), ("my-task".into(), None));
        let (n, a) = parse_target("arn:aws:iam::123456789012:role/svc/my-task").unwrap();
        assert_eq!(n, "my-task");
        assert_eq!(a.unwrap().path, "/svc/");
        for bad in ["", "my task", "arn:aws:iam::1:role/x", "*"] {
            assert_eq!(parse_target(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
