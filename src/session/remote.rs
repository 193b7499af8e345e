//! `simulate --remote`: the session comes from the broker Lambda, which holds the power to
//! assume a base role; awsenv proves who is asking with a signed GetCallerIdentity request.
//! Also the wire format the broker shares with this client (one definition for both).

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::aws::config::{runtime, FALLBACK_REGION};
use crate::aws::lambda::{self, Answer};
use crate::aws::proof::{self, Binding, Proof};
use crate::aws::sts::Sts;
use crate::creds::{RoleSession, Session};
use crate::error::{Error, Result};
use crate::log;
use crate::role::RoleArn;
use crate::session::options::SessionOptions;
use crate::session::pipeline::{Lookup, Prepared};

/// The version of the request and response formats.
pub const PROTOCOL: u32 = 1;

/// What the client asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub awsenv: u32,
    /// The target role, a name or an ARN, as `--role-name` takes it.
    pub role: String,
    pub duration: u64,
    pub proof: Proof,
}

/// What the broker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Response {
    Granted(Box<Granted>),
    Refused(Refusal),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Granted {
    pub session: Session,
    /// The target role, as IAM names it.
    pub role_arn: String,
    pub role_name: String,
    /// The broker's base role.
    pub simulated_by: String,
    /// The proven caller the session was made for.
    pub caller: String,
    /// What the simulation can and cannot reproduce (the same report local simulate prints).
    pub report: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refusal {
    /// The kind of failure, so the client exits with the code a local failure would have.
    pub kind: String,
    /// The policy rule that decided, when one did.
    #[serde(default)]
    pub rule: Option<usize>,
    pub message: String,
}

impl Refusal {
    pub fn from_error(e: &Error, rule: Option<usize>) -> Refusal {
        let kind = match e {
            Error::Usage(_) => "usage",
            Error::NoCredentials(_) => "no_credentials",
            Error::BadCredentials(_) => "bad_credentials",
            Error::AccessDenied(_) => "access_denied",
            Error::Network(_) => "network",
            Error::NotFound(_) => "not_found",
            Error::Unavailable(_) => "unavailable",
            _ => "rejected",
        };
        Refusal {
            kind: kind.to_string(),
            rule,
            message: e.to_string(),
        }
    }

    /// The error the client reports: the broker's words, the local exit code.
    pub fn into_error(self, function: &str) -> Error {
        let msg = format!("the broker `{function}` refused: {}", self.message);
        match self.kind.as_str() {
            "usage" => Error::Usage(msg),
            "no_credentials" => Error::NoCredentials(msg),
            "bad_credentials" => Error::BadCredentials(msg),
            "access_denied" => Error::AccessDenied(msg),
            "network" => Error::Network(msg),
            "not_found" => Error::NotFound(msg),
            "unavailable" => Error::Unavailable(msg),
            _ => Error::Rejected(msg),
        }
    }
}

/// Everything `simulate --remote` asks for, validated.
pub struct RemoteRequest {
    /// The target's name, and its ARN when one was given.
    pub target: (String, Option<RoleArn>),
    /// The broker's function name or ARN.
    pub function: String,
    pub options: SessionOptions,
    pub dry_run: bool,
    pub quiet: bool,
}

/// What a remote simulation produced: the invocation it would make, as JSON, or the session.
pub enum Remote {
    DryRun(String),
    Ready(Box<Prepared>),
}

/// The Lambda endpoint override; part of the cache key like the STS one for local sessions.
fn lambda_endpoint_override() -> Option<String> {
    super::pipeline::service_endpoint_override("AWS_ENDPOINT_URL_LAMBDA")
}

/// Through the one pipeline: the cache first; on a miss, sign the proof and ask the broker.
pub fn prepare(req: RemoteRequest) -> Result<Remote> {
    let RemoteRequest {
        target: (target_name, target_arn),
        function,
        options,
        dry_run,
        quiet,
    } = req;
    let role = target_arn
        .as_ref()
        .map(|r| r.to_string())
        .unwrap_or_else(|| target_name.clone());
    let request = json!({
        "target": role,
        "broker": function,
        "duration": options.duration,
        "lambda_endpoint": lambda_endpoint_override(),
    });
    let mut lookup = Lookup::begin("simulate-remote", request, &options, !dry_run)?;
    if let Some(hit) = lookup.cached(options.min_ttl)? {
        if !quiet {
            log::info(format_args!(
                "simulating {} with the broker's {} (cached session; --no-cache to ask again)",
                hit.role_name,
                hit.simulated_by.as_deref().unwrap_or_default()
            ));
        }
        return Ok(Remote::Ready(Box::new(lookup.hit(hit))));
    }
    fetch(lookup, role, function, options, dry_run, quiet)
}

/// A miss: the proof and the broker's answer, out of line for the reason given at
/// `session::assume::fetch`.
#[inline(never)]
fn fetch(
    lookup: Lookup,
    role: String,
    function: String,
    options: SessionOptions,
    dry_run: bool,
    quiet: bool,
) -> Result<Remote> {
    let rt = runtime()?;
    let answer = rt.block_on(async {
        let sts = lookup.connect(&options).await?;
        let config = sts.config();
        let sts_url = proof::sts_endpoint(config).await?;
        let region = config
            .region()
            .map(|r| r.as_ref().to_string())
            .unwrap_or_else(|| FALLBACK_REGION.to_string());
        let function_arn = broker_arn(&sts, &function, &region).await?;
        let binding = Binding {
            function_arn: &function_arn,
            role: &role,
            duration: options.duration,
        };
        let request = Request {
            awsenv: PROTOCOL,
            role: role.clone(),
            duration: options.duration,
            proof: proof::sign_proof(
                &sts_url,
                &region,
                sts.credentials(),
                SystemTime::now(),
                &binding,
            )?,
        };
        if dry_run {
            return Ok(Err(dry_run_json(&function, &region, &request)));
        }
        let payload = serde_json::to_vec(&request)
            .map_err(|e| Error::Rejected(format!("cannot encode the request: {e}")))?;
        log::debug(format_args!(
            "invoking {function} in {region} for {role} (proof signed for {})",
            request.proof.host
        ));
        lambda::invoke(config, sts.credentials(), &function, payload)
            .await
            .map(Ok)
    })?;
    let answer = match answer {
        Ok(answer) => answer,
        Err(text) => return Ok(Remote::DryRun(text)),
    };
    let granted = read_answer(&function, answer)?;
    if !quiet {
        eprint!("{}", log::redact(&granted.report));
    }
    let source = lookup.source.clone();
    Ok(Remote::Ready(Box::new(lookup.fresh(RoleSession {
        role_arn: granted.role_arn,
        role_name: granted.role_name,
        simulated_by: Some(granted.simulated_by),
        source,
        duration: options.duration,
        region: options.region.clone(),
        session: granted.session,
    }))))
}

/// The ARN the proof is bound to: Lambda resolves a name in the caller's own account, which
/// only STS can say (one GetCallerIdentity; none when `--broker` is an ARN).
async fn broker_arn(sts: &Sts, function: &str, region: &str) -> Result<String> {
    let invalid = || {
        Error::usage(format!(
            "--broker `{}` is not a Lambda function name or ARN",
            function.escape_debug()
        ))
    };
    if function.starts_with("arn:") {
        return proof::unqualified_function_arn(function).ok_or_else(invalid);
    }
    let (account, partition, _) = sts.caller_identity().await?;
    proof::function_arn(function, &partition, region, &account).ok_or_else(invalid)
}

/// What `--dry-run` shows: the invocation, with the proof's signature and token hidden.
fn dry_run_json(function: &str, region: &str, request: &Request) -> String {
    let mut shown = request.clone();
    shown.proof = request.proof.redacted();
    let out = json!({
        "Invoke": { "FunctionName": function, "Region": region, "Payload": shown },
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&out).unwrap_or_default()
    )
}

fn read_answer(function: &str, answer: Answer) -> Result<Granted> {
    let body = match answer {
        Answer::Payload(body) => body,
        Answer::FunctionError(kind, body) => {
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            return Err(Error::Rejected(format!(
                "the broker `{function}` failed ({kind}: {} {}). Its log group \
                 /aws/lambda/{function} has the details.",
                text("errorType"),
                text("errorMessage")
            )));
        }
    };
    let response: Response = serde_json::from_slice(&body).map_err(|e| {
        Error::Rejected(format!(
            "`{function}` did not answer as an awsenv broker ({e}). Is --broker the function \
             `awsenv broker template` deployed?"
        ))
    })?;
    match response {
        Response::Granted(g) => {
            log::secret(&g.session.secret_access_key);
            log::secret(&g.session.session_token);
            Ok(*g)
        }
        Response::Refused(r) => Err(r.into_error(function)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_their_exit_codes() {
        for e in [
            Error::Usage("u".into()),
            Error::BadCredentials("b".into()),
            Error::AccessDenied("a".into()),
            Error::Rejected("r".into()),
            Error::Network("n".into()),
            Error::NotFound("f".into()),
            Error::Unavailable("x".into()),
        ] {
            let code = e.exit_code();
            let r = Refusal::from_error(&e, Some(2));
            let back = r.into_error("fn");
            assert_eq!(back.exit_code(), code, "{e}");
            assert!(back.to_string().starts_with("the broker `fn` refused: "));
        }
    }
}
