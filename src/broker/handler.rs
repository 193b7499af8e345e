//! One request to the broker, from payload to answer: size, shape, proof, replay, caller,
//! policy, the shared simulation pipeline, AssumeRole. Every request, a malformed one too, is
//! one JSON line on stdout (CloudWatch; see `decision.rs`), and the answer is always a payload
//! (granted or refused), never a function error.

use std::sync::Mutex;

use aws_config::SdkConfig;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::caller::{self, Caller};
use super::decision::Decision;
use super::policy::BrokerPolicy;
use super::proof as check;
use super::replay::Replay;
use super::rules;
use crate::aws::config::{load_config, source_credentials};
use crate::aws::iam::read_target;
use crate::aws::proof::{self, Binding};
use crate::aws::sts::{AssumeRoleInput, Sts};
use crate::error::{Error, Result};
use crate::role::RoleArn;
use crate::session::params;
use crate::session::remote::{Granted, Refusal, Request, Response, PROTOCOL};
use crate::session::simulate::{fidelity_report, parse_target, plan_target};

/// The largest request the broker reads (a real one is about 1.7 KB).
pub const MAX_PAYLOAD: usize = 8 * 1024;

/// AWS's limit for RoleSessionName and SourceIdentity.
const NAME_MAX: usize = 64;

pub struct Broker {
    pub policy: BrokerPolicy,
    config: SdkConfig,
    /// `host[:port]` of the broker's own STS endpoint: proofs must be signed for it.
    sts_host: String,
    replay: Replay,
    /// Who the broker itself is (its execution role): never a caller. Learnt at cold start, or
    /// at the first request when STS could not be reached then.
    own: Mutex<Option<Caller>>,
}

/// What Lambda says about one invocation.
pub struct Invocation<'a> {
    pub request_id: &'a str,
    /// The ARN the function was invoked by (the Lambda context), perhaps with a qualifier.
    pub function_arn: &'a str,
}

impl Broker {
    /// Cold start: the policy, the replay table and the SDK configuration (the function's own
    /// role credentials, its region, any endpoint overrides). A bad policy, a missing table
    /// name or a policy that names the broker's own identity stops the broker here.
    pub async fn from_env() -> std::result::Result<Broker, String> {
        let text = crate::environ::var(super::policy::VARIABLE).ok_or_else(|| {
            format!(
                "{} is not set: the broker needs its policy (see `awsenv broker template`)",
                super::policy::VARIABLE
            )
        })?;
        let policy = BrokerPolicy::parse(text)?;
        let replay = Replay::from_env()?;
        let config = load_config(&Default::default(), None, None).await;
        let broker = Broker::new(policy, config, replay)
            .await
            .map_err(|e| e.to_string())?;
        if let Err(e) = broker.own_identity().await {
            match e {
                // Not reachable now: checked again at the first request.
                Error::Network(_) | Error::Unavailable(_) => {
                    eprintln!("awsenv-broker: cannot learn its own identity yet: {e}")
                }
                other => return Err(other.to_string()),
            }
        }
        Ok(broker)
    }

    pub async fn new(policy: BrokerPolicy, config: SdkConfig, replay: Replay) -> Result<Broker> {
        let url = proof::sts_endpoint(&config).await?;
        let sts_host = proof::authority(&url)
            .ok_or_else(|| Error::Rejected(format!("the STS endpoint `{url}` has no host")))?
            .to_string();
        Ok(Broker {
            policy,
            config,
            sts_host,
            replay,
            own: Mutex::new(None),
        })
    }

    async fn sts(&self) -> Result<Sts> {
        let creds = source_credentials(&self.config, None).await?;
        Ok(Sts::new(self.config.clone(), creds))
    }

    /// The broker's own identity, checked against the policy's callers once.
    async fn own_identity(&self) -> Result<Caller> {
        if let Some(own) = self.own.lock().ok().and_then(|o| o.clone()) {
            return Ok(own);
        }
        let sts = self.sts().await?;
        let (_, _, arn) = sts.caller_identity().await?;
        let own = caller::resolve(&sts.iam(), &arn, &self.policy.base_role.account).await?;
        let pathless = caller::principal_of(&arn).principal;
        self.policy
            .check_not_callers(&own.principal, &[own.principal.clone(), pathless])
            .map_err(Error::Rejected)?;
        if let Ok(mut slot) = self.own.lock() {
            *slot = Some(own.clone());
        }
        Ok(own)
    }

    /// Answers one invocation and logs the decision.
    pub async fn handle(&self, payload: &[u8], inv: &Invocation<'_>, now: i64) -> Value {
        let mut d = Decision::default();
        let result = self.decide(payload, inv, now, &mut d).await;
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
        println!("{}", d.line(allowed, &reason, inv.request_id));
        serde_json::to_value(&response).unwrap_or_default()
    }

    async fn decide(
        &self,
        payload: &[u8],
        inv: &Invocation<'_>,
        now: i64,
        d: &mut Decision,
    ) -> Result<Granted> {
        if payload.len() > MAX_PAYLOAD {
            return Err(Error::usage(format!(
                "the request is {} bytes; the broker reads at most {MAX_PAYLOAD}",
                payload.len()
            )));
        }
        let not_ours = |e: serde_json::Error| {
            Error::usage(format!(
                "not an awsenv request ({e}); use `awsenv simulate --remote`"
            ))
        };
        let req: Request = serde_json::from_slice(payload).map_err(not_ours)?;
        d.role = Some(req.role.clone());
        d.access_key_id = req.proof.access_key_id().map(str::to_string);
        d.amz_date = req.proof.headers.get("x-amz-date").cloned();
        d.signature_hash = req
            .proof
            .signature()
            .map(|s| ::hex::encode(Sha256::digest(s.as_bytes()))[..32].to_string());
        if req.awsenv != PROTOCOL {
            return Err(Error::usage(format!(
                "request format {} is not this broker's ({PROTOCOL}): update awsenv or the broker",
                req.awsenv
            )));
        }
        let function_arn = proof::unqualified_function_arn(inv.function_arn).ok_or_else(|| {
            Error::Rejected(format!(
                "the broker cannot tell its own function ARN from `{}`",
                inv.function_arn.escape_debug()
            ))
        })?;
        let binding = Binding {
            function_arn: &function_arn,
            role: &req.role,
            duration: req.duration,
        };
        let checked = check::check(&req.proof, &self.sts_host, now, &binding)?;
        let sts = self.sts().await?;
        let caller_arn = check::verify(sts.client(), &req.proof).await?;
        self.replay
            .first_use(
                sts.config(),
                sts.credentials(),
                &checked.replay_key,
                checked.signed_at,
                now,
            )
            .await?;
        let iam = sts.iam();
        let base: &RoleArn = &self.policy.base_role;
        let caller = caller::resolve(&iam, &caller_arn, &base.account).await?;
        d.caller = Some(caller.principal.clone());
        let own = self.own_identity().await?;
        if caller.is_role(base) || caller.is(&own) {
            return Err(Error::AccessDenied(format!(
                "the caller {} is the broker's own {}: a session the broker handed out (or the \
                 broker itself) may never ask it",
                caller.principal,
                if caller.is_role(base) {
                    "base role"
                } else {
                    "identity"
                }
            )));
        }

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

        let rules = &self.policy.rules;
        let requested_arn = target_arn.as_ref().map(|a| a.to_string());
        let candidates = rules::candidates(
            rules,
            &caller.principal,
            &req.role,
            &target_name,
            requested_arn.as_deref(),
        )
        .map_err(|(rule, e)| {
            d.rule = rule;
            e
        })?;
        let target = read_target(&iam, &target_name).await?;
        d.role = Some(target.arn.clone());
        let (rule, conditions) = rules::choose(rules, &candidates, &target).map_err(|(i, e)| {
            d.rule = Some(i);
            e
        })?;
        d.rule = Some(rule);
        if !conditions.is_empty() {
            d.trust_conditions = Some(Value::Array(conditions.clone()));
        }

        let (target, plan) = plan_target(&iam, target, target_arn.as_ref(), base, false).await?;
        let source_identity = caller.label("", NAME_MAX);
        d.source_identity = Some(source_identity.clone());
        let input = AssumeRoleInput {
            role_arn: base.to_string(),
            session_name: caller.label("awsenv-", NAME_MAX),
            duration: req.duration,
            source_identity: Some(source_identity),
            policy: plan.policy.clone(),
            policy_arns: plan.policy_arns.clone(),
            ..Default::default()
        };
        let session = sts.assume_role(&input, None).await?;
        Ok(Granted {
            report: fidelity_report(&target, base, &plan)
                + &rules::conditions_note(&target.name, &conditions),
            session,
            role_arn: target.arn.clone(),
            role_name: target.name.clone(),
            simulated_by: base.to_string(),
            caller: caller.principal,
        })
    }
}
