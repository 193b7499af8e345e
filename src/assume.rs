//! `awsenv assume`: from the command line to a script, through the cache when it can.
//!
//! The order matters for speed: everything that can be decided from the arguments and the
//! environment is decided first; a cache hit then prints without a runtime, without the AWS
//! config files and without the network.

use std::io::{BufRead, Write};

use crate::cache::{self, Cache, Entry, Key};
use crate::cli::{AssumeArgs, SessionOpts};
use crate::envstate::{self, Activation, EnvSink, Saved, SavedPlan, Snapshot};
use crate::error::{Error, Result};
use crate::log;
use crate::params;
use crate::profiles;
use crate::role::{partition_for_region, RoleArn, RoleRef};
use crate::shell::{self, Script, Shell};
use crate::sts::{self, AssumeRoleInput, Session, SourceKind, Sts};

/// Settings common to `assume` and `simulate`, validated.
pub struct Common {
    /// Bash when no shell is needed (`simulate --dry-run` prints JSON).
    pub shell: Shell,
    pub session_name: Option<String>,
    pub duration: u64,
    pub duration_given: bool,
    pub external_id: Option<String>,
    pub region: Option<String>,
    pub source: SourceKind,
    pub mfa_serial: Option<String>,
    pub token_code: Option<String>,
    pub use_cache: bool,
    pub min_ttl: u64,
}

impl Common {
    pub fn from_opts(o: &SessionOpts, chain: bool, needs_shell: bool) -> Result<Common> {
        let duration = o
            .duration
            .as_deref()
            .map(params::parse_duration)
            .transpose()?;
        let min_ttl = match o
            .min_ttl
            .clone()
            .or_else(|| std::env::var("AWSENV_MIN_TTL").ok())
        {
            Some(t) => parse_min_ttl(&t)?,
            None => cache::DEFAULT_MIN_TTL,
        };
        if chain && o.profile.is_some() {
            return Err(Error::usage(
                "--chain uses the active awsenv role as the source; it cannot be combined with \
                 --profile",
            ));
        }
        let source = if chain {
            SourceKind::ActiveRole
        } else if let Some(p) = &o.profile {
            if p.is_empty() || p.chars().any(|c| c.is_control()) {
                return Err(Error::usage("--profile needs a profile name"));
            }
            SourceKind::Profile(p.clone())
        } else {
            SourceKind::Default
        };
        if let Some(r) = &o.region {
            let ok = (1..=32).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(Error::usage(format!(
                    "`{}` is not a region name (e.g. eu-west-1)",
                    r.escape_debug()
                )));
            }
        }
        let no_cache_env =
            std::env::var("AWSENV_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0");
        Ok(Common {
            shell: if needs_shell {
                shell::detect(o.shell.shell)?
            } else {
                o.shell.shell.unwrap_or(Shell::Bash)
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
            region: o.region.clone(),
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
            use_cache: !o.no_cache && !no_cache_env,
            min_ttl,
        })
    }
}

fn parse_min_ttl(s: &str) -> Result<u64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    humantime::parse_duration(t)
        .map(|d| d.as_secs())
        .map_err(|_| {
            Error::usage(format!(
                "min-ttl `{}` is not a duration: give seconds (300) or a span such as 5m",
                s.escape_debug()
            ))
        })
}

/// The environment as awsenv must see it: what to restore to, and what was saved already.
pub struct EnvContext {
    pub saved: Option<Saved>,
    pub originals: Snapshot,
    pub current: Snapshot,
}

impl EnvContext {
    pub fn read() -> Result<EnvContext> {
        let saved = Saved::from_process_env()?;
        let current = envstate::snapshot_process_env()?;
        let originals = match &saved {
            Some(s) => s.originals().map_err(|e| {
                Error::Io(format!(
                    "{e}\nRun `awsenv unset` (or open a new shell) before assuming again."
                ))
            })?,
            None => current.clone(),
        };
        Ok(EnvContext {
            saved,
            originals,
            current,
        })
    }

    /// Puts this process's environment where the source credentials must come from, and names
    /// that source without reading any file: `--chain` keeps the active role; otherwise the
    /// originals come back, and `--profile` hides environment keys so the profile wins.
    pub fn prepare_source(&self, source: &SourceKind) -> Result<String> {
        match source {
            SourceKind::ActiveRole => {
                let arn = std::env::var(envstate::AWSENV_ROLE_ARN)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        Error::usage(
                            "--chain needs an active awsenv role to start from; assume one first",
                        )
                    })?;
                Ok(format!("role:{arn}"))
            }
            SourceKind::Profile(p) => {
                envstate::apply_to_process_env(&self.originals);
                for v in [
                    envstate::AWS_ACCESS_KEY_ID,
                    envstate::AWS_SECRET_ACCESS_KEY,
                    envstate::AWS_SESSION_TOKEN,
                ] {
                    std::env::remove_var(v);
                }
                Ok(format!("profile:{p}"))
            }
            SourceKind::Default => {
                envstate::apply_to_process_env(&self.originals);
                if let Some(k) = self.originals.get(envstate::AWS_ACCESS_KEY_ID) {
                    Ok(format!("env:{k}"))
                } else if let Some(p) = self.originals.get("AWS_PROFILE") {
                    Ok(format!("profile:{p}"))
                } else {
                    Ok("default".to_string())
                }
            }
        }
    }

    /// Activates `act` in `sink`, saving the environment first if no role was active (unless
    /// AWSENV_NO_SAVE says something else restores it, as direnv does).
    pub fn activate(&self, sink: &mut impl EnvSink, act: &Activation) -> Result<()> {
        let no_save = std::env::var("AWSENV_NO_SAVE").is_ok_and(|v| !v.is_empty() && v != "0");
        match &self.saved {
            Some(_) => envstate::activate(sink, act, SavedPlan::Keep(&self.originals)),
            None if no_save => envstate::activate(sink, act, SavedPlan::Keep(&self.current)),
            None => {
                let saved = Saved::store(&self.current)?;
                envstate::activate(sink, act, SavedPlan::New(&saved, &self.current))
            }
        }
    }

    /// The script that activates `act` in the user's shell.
    pub fn activation(&self, shell: Shell, act: &Activation) -> Result<Script> {
        let mut s = Script::new(shell);
        self.activate(&mut s, act)?;
        Ok(s)
    }
}

/// The STS endpoint override from the environment; part of the cache key so that sessions
/// from an emulator and from AWS never mix.
pub fn endpoint_override() -> Option<String> {
    ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
}

/// A session ready to be put somewhere: the user's shell, a child's environment, a JSON
/// document or a credentials file.
pub struct Prepared {
    pub env: EnvContext,
    pub act: Activation,
    pub shell: Shell,
}

impl Prepared {
    /// The session in `entry`, stored first in `cache` under `key` when it is fresh from AWS
    /// (a hit passes no cache).
    pub fn new(
        env: EnvContext,
        shell: Shell,
        entry: &Entry,
        store: Option<(&Cache, &str)>,
    ) -> Prepared {
        if let Some((cache, key)) = store {
            cache.put_or_warn(key, entry);
        }
        Prepared {
            env,
            act: activation_from(entry),
            shell,
        }
    }

    pub fn script(&self) -> Result<Script> {
        self.env.activation(self.shell, &self.act)
    }
}

pub fn run(args: &AssumeArgs) -> Result<Script> {
    prepare(args, true)?.script()
}

/// Everything up to the session: validation, the cache, and on a miss the AWS calls.
pub fn prepare(args: &AssumeArgs, needs_shell: bool) -> Result<Prepared> {
    let role = RoleRef::parse(&args.role)?;
    let mut common = Common::from_opts(&args.session, args.chain, needs_shell)?;
    if args.chain && common.duration > params::CHAIN_MAX_DURATION {
        return Err(Error::usage(format!(
            "--chain: AWS limits sessions made from role credentials (role chaining) to 1 hour; \
             -d {} is longer. Use -d 1h or less, or assume without --chain.",
            common.duration
        )));
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
        .map(|v| params::validate_id("source identity", v, 64))
        .transpose()?;

    let env = EnvContext::read()?;
    let source = env.prepare_source(&common.source)?;
    let session_name = common.session_name.clone().unwrap_or_else(|| {
        params::default_session_name(
            std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .ok()
                .as_deref(),
        )
    });
    // The role as typed stands in the key: resolving a bare name needs the network.
    let mut input = AssumeRoleInput {
        role_arn: match &role {
            RoleRef::Arn(a) => a.to_string(),
            RoleRef::InAccount { account, name } => format!("{account}:{name}"),
            RoleRef::Name(n) => n.clone(),
        },
        session_name,
        duration: common.duration,
        external_id: common.external_id.clone(),
        source_identity,
        tags,
        policy,
        policy_arns,
        mfa_serial: common.mfa_serial.clone(),
    };
    let endpoint = endpoint_override();
    let mut request = serde_json::to_value(&input).unwrap_or_default();
    if let (RoleRef::Name(_), false) = (&role, args.role_only) {
        // A bare name may be a profile: an edited config file must not be answered from a
        // session made with the old one. Its size and time stand in the key (a stat, no read).
        request["config"] = serde_json::json!(profiles::config_stamp());
    }
    let key = Key {
        kind: "assume",
        request,
        source: &source,
        region: common.region.as_deref(),
        endpoint: endpoint.as_deref(),
    }
    .digest();

    let cache = if common.use_cache {
        Cache::open_or_warn()
    } else {
        None
    };
    if let Some(entry) = cache.as_ref().and_then(|c| c.get(&key, common.min_ttl)) {
        return Ok(Prepared::new(env, common.shell, &entry, None));
    }

    let rt = runtime()?;
    let (mut role, mut source) = (role, source);
    if let (RoleRef::Name(name), false) = (role.clone(), args.role_only) {
        if let Some(p) = rt.block_on(profiles::find(&name))? {
            let (label, arn) = p.apply(&mut common, &mut input, &args.session, &env)?;
            (role, source) = (RoleRef::Arn(arn), label);
        }
    }
    let token_code = mfa_code(&common)?;
    let (role_arn, session) = rt.block_on(async {
        let config = sts::load_config(common.region.as_deref(), &common.source).await;
        let creds = sts::source_credentials(&config, &common.source).await?;
        let sts = Sts::new(config, creds);
        let arn = resolve_role(&sts, &role).await?;
        input.role_arn = arn.to_string();
        let session = sts.assume_role(&input, token_code.as_deref()).await?;
        Ok::<_, Error>((arn, session))
    })?;
    let entry = Entry {
        version: 1,
        role_arn: role_arn.to_string(),
        role_name: role_arn.name.clone(),
        simulated_by: None,
        source,
        duration: common.duration,
        region: common.region.clone(),
        session,
    };
    drop(rt);
    Ok(Prepared::new(
        env,
        common.shell,
        &entry,
        cache.as_ref().map(|c| (c, key.as_str())),
    ))
}

fn activation_from(entry: &Entry) -> Activation {
    let s: &Session = &entry.session;
    Activation {
        access_key_id: s.access_key_id.clone(),
        secret_access_key: s.secret_access_key.clone(),
        session_token: s.session_token.clone(),
        expiration: s.expiration_rfc3339(),
        expires_at: s.expires_at,
        session_arn: s.session_arn.clone(),
        role_arn: entry.role_arn.clone(),
        role_name: entry.role_name.clone(),
        simulated_by: entry.simulated_by.clone(),
        region: entry.region.clone(),
        source: entry.source.clone(),
    }
}

/// A single-threaded runtime: awsenv makes one or a few requests, and more threads cost
/// start-up time.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the async runtime: {e}")))
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

/// The MFA code: given, or asked for on the terminal (never on stdout, which the shell reads).
pub fn mfa_code(common: &Common) -> Result<Option<String>> {
    let Some(serial) = &common.mfa_serial else {
        return Ok(None);
    };
    if let Some(code) = &common.token_code {
        return Ok(Some(code.clone()));
    }
    if std::env::var("AWSENV_NO_PROMPT").is_ok_and(|v| !v.is_empty() && v != "0") {
        // Set by the direnv helper: direnv has no terminal to ask on.
        return Err(Error::Mfa(format!(
            "this session needs an MFA code for {serial}, and awsenv may not ask for one here \
             (AWSENV_NO_PROMPT). Get the session once in your shell, with the same options \
             (e.g. `sudo-on ROLE --mfa-serial {serial}`); it is then served from the cache."
        )));
    }
    let no_tty = |e: std::io::Error| {
        Error::Mfa(format!(
            "the role needs an MFA code for {serial}, and there is no terminal to ask on ({e}). \
             Pass --token-code CODE."
        ))
    };
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(no_tty)?;
    write!(tty, "MFA code for {serial}: ").map_err(no_tty)?;
    tty.flush().map_err(no_tty)?;
    let mut line = String::new();
    std::io::BufReader::new(&tty)
        .read_line(&mut line)
        .map_err(no_tty)?;
    params::validate_token_code(&line)
        .map(Some)
        .map_err(|e| Error::Mfa(e.to_string()))
}
