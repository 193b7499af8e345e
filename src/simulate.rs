//! `awsenv simulate`: act as a role you may not assume. A base role you may assume is assumed
//! with the target role's own policies as session policies, so the session has at most the
//! target's permissions (and at most the base role's).

use serde_json::json;

use crate::assume::{self, Common, EnvContext, Prepared};
use crate::cache::{Cache, Entry, Key};
use crate::cli::SimulateArgs;
use crate::error::{Error, Result};
use crate::iam::{self, TargetRole};
use crate::log;
use crate::params;
use crate::policy::{self, Plan, MAX_POLICY_ARNS, PLAINTEXT_BUDGET};
use crate::role::{valid_role_name, RoleArn, RoleRef};
use crate::sts::{self, AssumeRoleInput, Sts};

/// `--role-name`: an exact name, or an ARN whose name is used (IAM reads by name).
fn parse_target(s: &str) -> Result<(String, Option<RoleArn>)> {
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

/// Everything up to the session; `needs_shell` is false when the result goes elsewhere than a
/// script (a command, a credentials file).
pub fn prepare(a: &SimulateArgs, needs_shell: bool) -> Result<Simulated> {
    let (target_name, target_arn) = parse_target(&a.role_name)?;
    let base = RoleRef::parse(&a.base_role)?;
    let common = Common::from_opts(&a.session, false, needs_shell && !a.dry_run)?;
    let env = EnvContext::read()?;
    let source = env.prepare_source(&common.source)?;
    let session_name = common
        .session_name
        .clone()
        .unwrap_or_else(|| params::sanitize_session_name(&format!("awsenv-sim-{target_name}")));
    let request = json!({
        "target": target_arn.as_ref().map(|a| a.to_string()).unwrap_or_else(|| target_name.clone()),
        "base": a.base_role.trim().trim_matches('"'),
        "session_name": session_name,
        "duration": common.duration,
        "external_id": common.external_id,
        "mfa_serial": common.mfa_serial,
    });
    let endpoint = assume::endpoint_override();
    let key = Key {
        kind: "simulate",
        request,
        source: &source,
        region: common.region.as_deref(),
        endpoint: endpoint.as_deref(),
    }
    .digest();
    let cache = (common.use_cache && !a.dry_run)
        .then(Cache::open_or_warn)
        .flatten();
    if let Some(entry) = cache.as_ref().and_then(|c| c.get(&key, common.min_ttl)) {
        if !a.quiet {
            log::info(format_args!(
                "simulating {} with {} (cached session; --no-cache to rebuild it)",
                entry.role_name,
                entry.simulated_by.as_deref().unwrap_or_default()
            ));
        }
        return Ok(Simulated::Ready(Box::new(Prepared::new(
            env,
            common.shell,
            &entry,
            None,
        ))));
    }

    let token_code = if a.dry_run {
        None
    } else {
        assume::mfa_code(&common)?
    };
    let rt = assume::runtime()?;
    let built = rt.block_on(async {
        let config = sts::load_config(common.region.as_deref(), &common.source).await;
        let creds = sts::source_credentials(&config, &common.source).await?;
        let sts = Sts::new(config, creds);
        let iam_client = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(sts.config())
                .credentials_provider(sts.credentials().clone())
                .build(),
        );
        let (target, base_arn) = tokio::join!(
            iam::read_target(&iam_client, &target_name),
            assume::resolve_role(&sts, &base)
        );
        let (mut target, base_arn) = (target?, base_arn?);
        if let Some(want) = &target_arn {
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
            iam::fetch_documents(&iam_client, &mut target.managed, &fetch).await?;
        }
        let inline: Vec<_> = target.inline.iter().map(|(_, d)| d.clone()).collect();
        let plan = policy::plan(
            &inline,
            &target.managed,
            &base_arn.account,
            &base_arn.partition,
        )?;
        let input = AssumeRoleInput {
            role_arn: base_arn.to_string(),
            session_name: session_name.clone(),
            duration: common.duration,
            external_id: common.external_id.clone(),
            policy: plan.policy.clone(),
            policy_arns: plan.policy_arns.clone(),
            mfa_serial: common.mfa_serial.clone(),
            ..Default::default()
        };
        if a.dry_run {
            return Ok((target, base_arn, plan, input, None));
        }
        let session = sts.assume_role(&input, token_code.as_deref()).await?;
        Ok::<_, Error>((target, base_arn, plan, input, Some(session)))
    })?;
    let (target, base_arn, plan, input, session) = built;
    if !a.quiet {
        eprint!(
            "{}",
            log::redact(&fidelity_report(&target, &base_arn, &plan))
        );
    }
    let Some(session) = session else {
        return Ok(Simulated::DryRun(dry_run_json(&target, &plan, &input)));
    };
    let entry = Entry {
        version: 1,
        role_arn: target.arn.clone(),
        role_name: target.name.clone(),
        simulated_by: Some(base_arn.to_string()),
        source,
        duration: common.duration,
        region: common.region.clone(),
        session,
    };
    Ok(Simulated::Ready(Box::new(Prepared::new(
        env,
        common.shell,
        &entry,
        cache.as_ref().map(|c| (c, key.as_str())),
    ))))
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
fn fidelity_report(target: &TargetRole, base: &RoleArn, plan: &Plan) -> String {
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
