//! One request to the broker, from payload to answer: size, shape, proof, policy, the shared
//! simulation pipeline, AssumeRole. Every decision is one JSON line on stdout (CloudWatch), and
//! the answer is always a payload (granted or refused), never a function error.

use aws_config::SdkConfig;
use serde_json::{json, Value};

use super::policy::{role_matches, trusted_services_of, trusts_service, BrokerPolicy};
use super::proof::{self as check, ReplayGuard};
use crate::aws::config::{load_config, source_credentials};
use crate::aws::iam::read_target;
use crate::aws::proof;
use crate::aws::sts::{AssumeRoleInput, Sts};
use crate::error::{Error, Result};
use crate::role::RoleArn;
use crate::session::params;
use crate::session::remote::{Granted, Refusal, Request, Response, PROTOCOL};
use crate::session::simulate::{fidelity_report, parse_target, plan_target};

/// The largest request the broker reads (a real one is about 1.5 KB).
pub const MAX_PAYLOAD: usize = 8 * 1024;

pub struct Broker {
    pub policy: BrokerPolicy,
    config: SdkConfig,
    /// `host[:port]` of the broker's own STS endpoint: proofs must be signed for it.
    sts_host: String,
    replay: ReplayGuard,
}

/// How a request ended, for the decision log.
struct Decision {
    caller: Option<String>,
    role: Option<String>,
    rule: Option<usize>,
}

impl Broker {
    /// Cold start: the policy and the SDK configuration (the function's own role credentials,
    /// its region, any endpoint overrides). An invalid policy stops the broker here.
    pub async fn from_env() -> std::result::Result<Broker, String> {
        let text = std::env::var(super::policy::VARIABLE).map_err(|_| {
            format!(
                "{} is not set: the broker needs its policy (see `awsenv broker template`)",
                super::policy::VARIABLE
            )
        })?;
        let policy = BrokerPolicy::parse(&text)?;
        let config = load_config(None, None).await;
        Broker::new(policy, config).await.map_err(|e| e.to_string())
    }

    pub async fn new(policy: BrokerPolicy, config: SdkConfig) -> Result<Broker> {
        let url = proof::sts_endpoint(&config).await?;
        let sts_host = proof::authority(&url)
            .ok_or_else(|| Error::Rejected(format!("the STS endpoint `{url}` has no host")))?
            .to_string();
        Ok(Broker {
            policy,
            config,
            sts_host,
            replay: ReplayGuard::default(),
        })
    }

    /// Answers one invocation and logs the decision.
    pub async fn handle(&self, payload: &Value, request_id: &str, now: i64) -> Value {
        let mut d = Decision {
            caller: None,
            role: None,
            rule: None,
        };
        let result = self.decide(payload, now, &mut d).await;
        let (response, reason) = match result {
            Ok(g) => {
                let reason = format!(
                    "session {} for {}s",
                    g.session.session_arn,
                    g.session.expires_at - now
                );
                (Response::Granted(Box::new(g)), reason)
            }
            Err(e) => {
                let r = Refusal::from_error(&e, d.rule);
                let reason = r.message.clone();
                (Response::Refused(r), reason)
            }
        };
        let allowed = matches!(response, Response::Granted(_));
        // Redacted against every secret this process has seen (its own credentials, the
        // sessions it made), whatever an error message may have picked up.
        println!(
            "{}",
            crate::log::redact(
                &json!({
                    "decision": if allowed { "allowed" } else { "refused" },
                    "caller": d.caller,
                    "role": d.role,
                    "rule": d.rule,
                    "reason": reason,
                    "request_id": request_id,
                })
                .to_string()
            )
        );
        serde_json::to_value(&response).unwrap_or_default()
    }

    async fn decide(&self, payload: &Value, now: i64, d: &mut Decision) -> Result<Granted> {
        let size = payload.to_string().len();
        if size > MAX_PAYLOAD {
            return Err(Error::usage(format!(
                "the request is {size} bytes; the broker reads at most {MAX_PAYLOAD}"
            )));
        }
        let req: Request = serde_json::from_value(payload.clone()).map_err(|e| {
            Error::usage(format!(
                "not an awsenv request ({e}); use `awsenv simulate --remote`"
            ))
        })?;
        d.role = Some(req.role.clone());
        if req.awsenv != PROTOCOL {
            return Err(Error::usage(format!(
                "request format {} is not this broker's ({PROTOCOL}): update awsenv or the broker",
                req.awsenv
            )));
        }
        let signed_at = check::check(&req.proof, &self.sts_host, now)?;
        let signature = req.proof.signature().unwrap_or_default();
        if !self.replay.first_use(signature, signed_at, now) {
            return Err(Error::AccessDenied(
                "proof of identity refused: it was used before (a replay). Each request signs \
                 a new one."
                    .to_string(),
            ));
        }
        let creds = source_credentials(&self.config, None).await?;
        let sts = Sts::new(self.config.clone(), creds);
        let caller_arn = check::verify(sts.client(), &req.proof).await?;
        let (principal, caller_name) = check::principal_of(&caller_arn);
        d.caller = Some(principal.clone());

        let (target_name, target_arn) = parse_target(&req.role)?;
        let max = self.policy.max_duration;
        if req.duration > max {
            return Err(Error::Rejected(format!(
                "a {}s session was asked for; this broker hands out at most {max}s (its \
                 max_duration; its AssumeRole is role chaining, which AWS limits to 1h). Ask \
                 for less with -d.",
                req.duration
            )));
        }
        params::parse_duration(&req.duration.to_string())?;

        // Who may ask at all, then for what: nothing is read for a caller no rule names.
        let rules = &self.policy.rules;
        let for_caller: Vec<usize> = (0..rules.len())
            .filter(|&i| {
                rules[i]
                    .callers
                    .iter()
                    .any(|c| super::policy::glob(c, &principal))
            })
            .collect();
        if for_caller.is_empty() {
            // Who else may ask is none of this caller's business: the policy is not shown.
            return Err(Error::AccessDenied(format!(
                "no rule of its policy names the caller {principal}; ask the broker's owner \
                 to add you to a rule's callers"
            )));
        }
        let requested_arn = target_arn.as_ref().map(|a| a.to_string());
        let candidates: Vec<usize> = for_caller
            .iter()
            .copied()
            .filter(|&i| {
                rules[i].roles.iter().any(|p| {
                    role_matches(p, &target_name, requested_arn.as_deref()).unwrap_or(true)
                })
            })
            .collect();
        if candidates.is_empty() {
            d.rule = for_caller.first().copied();
            return Err(Error::AccessDenied(format!(
                "rule {} lets {principal} simulate only roles {}; `{}` is not one of them (names \
                 match exactly, with * and ? as wildcards)",
                for_caller
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                for_caller
                    .iter()
                    .flat_map(|&i| rules[i].roles.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
                req.role
            )));
        }

        let iam = sts.iam();
        let target = read_target(&iam, &target_name).await?;
        d.role = Some(target.arn.clone());
        let mut failure: Option<(usize, String)> = None;
        let mut chosen = None;
        for &i in &candidates {
            let r = &rules[i];
            let role_ok = r
                .roles
                .iter()
                .any(|p| role_matches(p, &target.name, Some(&target.arn)).unwrap_or(false));
            if !role_ok {
                failure.get_or_insert((
                    i,
                    format!(
                        "{} is not one of its roles ({})",
                        target.arn,
                        r.roles.join(" ")
                    ),
                ));
                continue;
            }
            if !r.trusted_services.is_empty() {
                let trusted = target
                    .trust
                    .as_ref()
                    .is_some_and(|t| trusts_service(t, &r.trusted_services));
                if !trusted {
                    let has = target
                        .trust
                        .as_ref()
                        .map(trusted_services_of)
                        .unwrap_or_default();
                    failure.get_or_insert((
                        i,
                        format!(
                            "the trust policy of {} has no Allow statement for {} (it trusts \
                             the services: {})",
                            target.name,
                            r.trusted_services.join(" or "),
                            if has.is_empty() {
                                "none".to_string()
                            } else {
                                has.join(", ")
                            }
                        ),
                    ));
                    continue;
                }
            }
            chosen = Some(i);
            break;
        }
        let Some(rule) = chosen else {
            let (i, why) = failure.unwrap_or((candidates[0], "no rule matched".to_string()));
            d.rule = Some(i);
            return Err(Error::AccessDenied(format!(
                "rule {i} does not allow it: {why}"
            )));
        };
        d.rule = Some(rule);

        let base: &RoleArn = &self.policy.base_role;
        let (target, plan) = plan_target(&iam, target, target_arn.as_ref(), base).await?;
        let input = AssumeRoleInput {
            role_arn: base.to_string(),
            session_name: params::sanitize_session_name(&format!("awsenv-{caller_name}")),
            duration: req.duration,
            source_identity: Some(params::sanitize_session_name(&caller_name)),
            policy: plan.policy.clone(),
            policy_arns: plan.policy_arns.clone(),
            ..Default::default()
        };
        let session = sts.assume_role(&input, None).await?;
        Ok(Granted {
            report: fidelity_report(&target, base, &plan),
            session,
            role_arn: target.arn.clone(),
            role_name: target.name.clone(),
            simulated_by: base.to_string(),
            caller: principal,
        })
    }
}
