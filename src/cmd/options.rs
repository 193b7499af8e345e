//! From the command line's words to validated requests: every value goes through its one
//! validator in `session::params` before anything else happens.

use crate::cli::assume::AssumeArgs;
use crate::cli::options::SessionOpts;
use crate::cli::simulate::SimulateArgs;
use crate::env::vars::{AWS_DEFAULT_REGION, AWS_REGION};
use crate::error::{Error, Result};
use crate::role::RoleRef;
use crate::session::assume::AssumeRequest;
use crate::session::options::{SessionOptions, SourceKind};
use crate::session::params;
use crate::session::remote::RemoteRequest;
use crate::session::simulate::{parse_target, SimulateRequest};
use crate::session::source::{chain_duration, CHAIN_WHY};
use crate::shell;
use crate::shell::names::{MIN_TTL, NO_PROMPT};
use crate::store::cache;

/// `needs_shell` is false when the result goes elsewhere than a script (a command, a
/// credentials file, JSON).
pub fn session_options(o: &SessionOpts, chain: bool, needs_shell: bool) -> Result<SessionOptions> {
    let duration = o
        .duration
        .as_deref()
        .map(params::parse_duration)
        .transpose()?;
    let min_ttl = match o
        .min_ttl
        .clone()
        .or_else(|| crate::environ::var(MIN_TTL).map(str::to_string))
    {
        Some(t) => params::parse_min_ttl(&t)?,
        None => cache::DEFAULT_MIN_TTL,
    };
    if chain && o.profile.is_some() {
        return Err(Error::usage(
            "--chain uses the active awsenv role as the source; it cannot be combined with \
             --profile",
        ));
    }
    let source = match (&o.profile, chain) {
        (_, true) => SourceKind::ActiveRole,
        (Some(p), false) => SourceKind::Profile(params::validate_source_profile(p)?),
        (None, false) => SourceKind::Default,
    };
    let region = match o.region.as_deref() {
        Some(r) => Some(params::validate_region(r)?),
        None => {
            // What the SDK and every client of this environment would use instead.
            for var in [AWS_REGION, AWS_DEFAULT_REGION] {
                if let Some(r) = crate::environ::nonempty(var) {
                    params::validate_region_var(var, r)?;
                }
            }
            None
        }
    };
    let no_cache_env = crate::environ::switch("AWSENV_NO_CACHE");
    if o.cache_only && no_cache_env {
        return Err(Error::usage(
            "--cache-only answers from the cache, which AWSENV_NO_CACHE turns off; unset one",
        ));
    }
    Ok(SessionOptions {
        shell: if needs_shell {
            shell::detect(o.shell.shell)?
        } else {
            o.shell.shell.unwrap_or_default()
        },
        session_name: o
            .session_name
            .as_deref()
            .map(params::validate_session_name)
            .transpose()?,
        duration: duration.unwrap_or(3600),
        duration_given: duration.is_some(),
        external_id: o
            .external_id
            .as_deref()
            .map(|v| params::validate_id("external id", v, 1224))
            .transpose()?,
        region,
        chained: chain.then(|| CHAIN_WHY.to_string()),
        source,
        mfa_serial: o
            .mfa_serial
            .as_deref()
            .map(params::validate_mfa_serial)
            .transpose()?,
        token_code: o
            .token_code
            .as_deref()
            .map(params::validate_token_code)
            .transpose()?,
        // Set by the direnv helper: direnv has no terminal to ask on.
        may_prompt: !o.no_prompt && !crate::environ::switch(NO_PROMPT),
        mfa_duration: o
            .mfa_duration
            .as_deref()
            .map(params::parse_mfa_duration)
            .transpose()?
            .unwrap_or(params::DEFAULT_MFA_DURATION),
        mfa_cache: !o.no_cache && !no_cache_env,
        use_cache: !o.no_cache && !o.fresh && !no_cache_env,
        cache_only: o.cache_only,
        min_ttl,
    })
}

pub fn assume_request(args: &AssumeArgs, needs_shell: bool) -> Result<AssumeRequest> {
    let role = RoleRef::parse(&args.role)?;
    let options = session_options(&args.session, args.chain, needs_shell)?;
    if args.chain {
        // Known before any work: refuse now rather than after the cache and the network.
        chain_duration(&options, CHAIN_WHY)?;
    }
    let tags = args
        .tags
        .iter()
        .map(|t| params::parse_tag(t))
        .collect::<Result<Vec<_>>>()?;
    if args.policy_arns.len() > 10 {
        return Err(Error::usage(format!(
            "AWS accepts at most 10 --policy-arn per session; {} were given",
            args.policy_arns.len()
        )));
    }
    let policy_arns = args
        .policy_arns
        .iter()
        .map(|a| params::validate_policy_arn(a))
        .collect::<Result<Vec<_>>>()?;
    let policy = args
        .policy
        .as_deref()
        .map(params::load_policy)
        .transpose()?;
    let source_identity = args
        .source_identity
        .as_deref()
        .map(params::validate_source_identity)
        .transpose()?;
    let sso_session = match &args.sso_session {
        Some(s) => {
            if !matches!(role, RoleRef::InAccount { .. }) {
                return Err(Error::usage(format!(
                    "with --sso-session, ROLE is ACCOUNT_ID:PERMISSION_SET (e.g. \
                     123456789012:ReadOnly), not `{}`; `awsenv roles` lists yours",
                    args.role
                )));
            }
            Some(params::validate_source_profile(s)?)
        }
        None => None,
    };
    Ok(AssumeRequest {
        role,
        options,
        role_only: args.role_only,
        sso_session,
        source_identity,
        tags,
        policy,
        policy_arns,
    })
}

pub fn simulate_request(a: &SimulateArgs, needs_shell: bool) -> Result<SimulateRequest> {
    let target = parse_target(&a.role_name)?;
    let base_role = a
        .base_role
        .as_deref()
        .ok_or_else(|| Error::usage("simulate needs --base-role ROLE (or --remote)"))?;
    let base = RoleRef::parse(base_role)?;
    let options = session_options(&a.session, false, needs_shell && !a.dry_run)?;
    Ok(SimulateRequest {
        target,
        base,
        base_typed: base_role.trim().trim_matches('"').to_string(),
        options,
        dry_run: a.dry_run,
        quiet: a.quiet,
        ignore_boundary: a.ignore_boundary,
    })
}

/// `simulate --remote`: the broker decides the base role, the session name (the caller's, for
/// CloudTrail) and needs no external id or MFA, so those options are refused, not ignored.
pub fn remote_request(a: &SimulateArgs, needs_shell: bool) -> Result<RemoteRequest> {
    let s = &a.session;
    let decided_by_broker = [
        (
            "--base-role",
            a.base_role.is_some(),
            "the broker assumes its own base role",
        ),
        (
            "--session-name",
            s.session_name.is_some(),
            "the broker names the session after you, so that CloudTrail shows who asked",
        ),
        (
            "--external-id",
            s.external_id.is_some(),
            "the broker's base role needs none",
        ),
        (
            "--mfa-serial",
            s.mfa_serial.is_some(),
            "the broker's base role cannot ask you for MFA",
        ),
    ];
    if let Some((flag, _, why)) = decided_by_broker.iter().find(|(_, given, _)| *given) {
        return Err(Error::usage(format!(
            "{flag} cannot be used with --remote: {why}"
        )));
    }
    Ok(RemoteRequest {
        target: parse_target(&a.role_name)?,
        function: params::validate_function_name(&a.broker)?,
        options: session_options(s, false, needs_shell && !a.dry_run)?,
        dry_run: a.dry_run,
        quiet: a.quiet,
    })
}
