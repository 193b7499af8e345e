//! IAM Identity Center sessions: which one a name or a profile means, signing in (the OIDC
//! device authorization flow), the access token kept valid (renewed with the refresh token
//! when it ends within [`RENEW_BEFORE`]), signing out, and role credentials for a profile.
//! The token lives in the AWS CLI's cache (`store::sso_token`), so either tool's sign-in
//! serves the other.

use aws_credential_types::Credentials;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_runtime::env_config::section::EnvConfigSections;
use aws_types::os_shim_internal::{Env, Fs};

use crate::aws::sso::{Device, Poll, Registration, Sso, DEFAULT_SCOPE};
use crate::creds::{now, Session};
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;
use crate::store::sso_token::{self, format_time, Token};

/// An access token that ends within this many seconds is renewed before use.
pub const RENEW_BEFORE: i64 = 300;

/// A client registration is reused while it has at least this long left.
const REGISTRATION_MARGIN: i64 = 3600;

/// One IAM Identity Center session: an `[sso-session NAME]` section, or the `sso_start_url` and
/// `sso_region` of a legacy profile (then `name` is None and the start URL names the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    pub name: Option<String>,
    pub start_url: String,
    pub region: String,
    pub scopes: Vec<String>,
    /// The profile a legacy session was found in: what `awsenv login` is told.
    pub profile: Option<String>,
}

impl SsoSession {
    /// What names the token file: the session name, else the start URL (as the AWS CLI does).
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.start_url)
    }

    /// The source label: `sso:NAME`, or `sso:START_URL` for a legacy profile.
    pub fn label(&self) -> String {
        format!("sso:{}", self.key())
    }

    /// The command that signs in to this session.
    pub fn login_command(&self) -> String {
        match (&self.name, &self.profile) {
            (Some(n), _) => format!("awsenv login --sso-session {n}"),
            (None, Some(p)) => format!("awsenv login {p}"),
            (None, None) => "awsenv login PROFILE".to_string(),
        }
    }
}

/// A profile that gets its credentials from IAM Identity Center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    pub name: String,
    pub session: SsoSession,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub region: Option<String>,
}

/// The AWS config files, parsed by aws-config's own parser.
pub async fn config_sections() -> Result<EnvConfigSections> {
    aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
        .await
        .map_err(|e| Error::usage(format!("cannot read the AWS config files: {e}")))
}

fn value(v: Option<&str>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The `[sso-session NAME]` section.
pub fn session_named(set: &EnvConfigSections, name: &str) -> Result<SsoSession> {
    let s = set.sso_session(name).ok_or_else(|| {
        Error::NotFound(format!(
            "no [sso-session {name}] in the AWS config file: add one with sso_start_url and \
             sso_region (or run `aws configure sso-session`)"
        ))
    })?;
    let start_url = value(s.get("sso_start_url"))
        .ok_or_else(|| Error::usage(format!("[sso-session {name}] has no sso_start_url")))?;
    let region = value(s.get("sso_region"))
        .ok_or_else(|| Error::usage(format!("[sso-session {name}] has no sso_region")))?;
    let scopes = match value(s.get("sso_registration_scopes")) {
        Some(v) => v
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => vec![DEFAULT_SCOPE.to_string()],
    };
    Ok(SsoSession {
        name: Some(name.to_string()),
        start_url,
        region,
        scopes,
        profile: None,
    })
}

/// The profile `name` if it uses IAM Identity Center (`sso_session`, or the legacy
/// `sso_start_url`); None when it does not, or does not exist.
pub fn profile(set: &EnvConfigSections, name: &str) -> Result<Option<SsoProfile>> {
    let Some(p) = set.get_profile(name) else {
        return Ok(None);
    };
    let session = if let Some(s) = value(p.get("sso_session")) {
        session_named(set, &s)?
    } else if let Some(url) = value(p.get("sso_start_url")) {
        let region = value(p.get("sso_region")).ok_or_else(|| {
            Error::usage(format!(
                "profile `{name}` has sso_start_url but no sso_region"
            ))
        })?;
        SsoSession {
            name: None,
            start_url: url,
            region,
            // Legacy sign-ins register without scopes and get no refresh token, as in the CLI.
            scopes: Vec::new(),
            profile: Some(name.to_string()),
        }
    } else {
        return Ok(None);
    };
    Ok(Some(SsoProfile {
        name: name.to_string(),
        session,
        account_id: value(p.get("sso_account_id")),
        role_name: value(p.get("sso_role_name")),
        region: value(p.get("region")),
    }))
}

/// Every session the config names: each `[sso-session]`, then each legacy start URL.
pub fn all_sessions(set: &EnvConfigSections) -> Vec<SsoSession> {
    let mut out: Vec<SsoSession> = set
        .sso_sessions()
        .filter_map(|n| session_named(set, n).ok())
        .collect();
    let mut names: Vec<&str> = set.profiles().collect();
    names.sort_unstable();
    for n in names {
        if let Ok(Some(p)) = profile(set, n) {
            if !out.iter().any(|s| s.key() == p.session.key()) {
                out.push(p.session);
            }
        }
    }
    out.sort_by(|a, b| a.key().cmp(b.key()));
    out
}

/// The session `--sso-session NAME` or a profile names; `what` says which for the message.
pub async fn resolve(session: Option<&str>, profile_name: Option<&str>) -> Result<SsoSession> {
    let set = config_sections().await?;
    match (session, profile_name) {
        (Some(s), _) => session_named(&set, s),
        (None, Some(p)) => profile(&set, p)?.map(|p| p.session).ok_or_else(|| {
            Error::usage(format!(
                "profile `{p}` does not use IAM Identity Center (no sso_session or \
                 sso_start_url); use --sso-session NAME"
            ))
        }),
        (None, None) => {
            let all = all_sessions(&set);
            match all.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(Error::usage(
                    "no IAM Identity Center session in the AWS config file: add an \
                     [sso-session NAME] section with sso_start_url and sso_region",
                )),
                many => Err(Error::usage(format!(
                    "several IAM Identity Center sessions are configured ({}): name one with \
                     --sso-session NAME",
                    many.iter().map(|s| s.key()).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
    }
}

/// Whether a browser can be opened here: not over SSH, and on Linux only with a display.
pub fn has_display() -> bool {
    let set = |k: &str| crate::environ::var_os(k).is_some_and(|v| !v.is_empty());
    if set("SSH_CONNECTION") || set("SSH_TTY") {
        return false;
    }
    cfg!(target_os = "macos") || set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Signs in with the device authorization flow and writes the token; returns its end.
pub async fn login(session: &SsoSession, view: &EnvView, browser: bool) -> Result<i64> {
    let sso = Sso::new(view, &session.region).await;
    let old = sso_token::read(session.key())?;
    let reg = match old.as_ref().and_then(registration) {
        Some(r) if r.expires_at > now() + REGISTRATION_MARGIN => {
            log::debug(format_args!("reusing the client registration"));
            r
        }
        _ => {
            let name = format!("awsenv-{}", session.key());
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            sso.register(&name, &session.scopes).await?
        }
    };
    let device = sso.start_device(&reg, &session.start_url).await?;
    let url = if device.verification_uri_complete.is_empty() {
        &device.verification_uri
    } else {
        &device.verification_uri_complete
    };
    log::info(format_args!(
        "sign in to IAM Identity Center ({}) at\n  {url}\nand check that it shows the code {}",
        session.start_url, device.user_code
    ));
    if browser && has_display() {
        if let Err(e) = webbrowser::open(url) {
            log::warn(format_args!(
                "cannot open a browser ({e}): open the URL yourself"
            ));
        }
    }
    let issued = wait_for_approval(&sso, &reg, &device).await?;
    let expires = now() + issued.expires_in;
    let token = Token {
        start_url: Some(session.start_url.clone()),
        region: Some(session.region.clone()),
        access_token: issued.access_token,
        expires_at: format_time(expires),
        client_id: Some(reg.client_id),
        client_secret: Some(reg.client_secret),
        registration_expires_at: Some(format_time(reg.expires_at)),
        refresh_token: issued.refresh_token,
        other: Default::default(),
    };
    sso_token::write(session.key(), &token)?;
    Ok(expires)
}

/// Polls CreateToken at the interval the service gave, slower after `slow_down`, until the
/// user approves, the code expires, or the service refuses.
async fn wait_for_approval(
    sso: &Sso,
    reg: &Registration,
    device: &Device,
) -> Result<crate::aws::sso::Issued> {
    let deadline = std::time::Instant::now()
        + std::time::Duration::from_secs(device.expires_in.clamp(1, 3600));
    let mut interval = device.interval;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(interval)).await;
        let expired = || {
            Error::BadCredentials(
                "the sign-in code expired before it was approved; run the login again".into(),
            )
        };
        match sso.poll(reg, device).await? {
            Poll::Done(t) => return Ok(t),
            Poll::Pending => {}
            Poll::SlowDown => interval += 5,
            Poll::Expired => return Err(expired()),
        }
        if std::time::Instant::now() >= deadline {
            return Err(expired());
        }
    }
}

fn registration(t: &Token) -> Option<Registration> {
    Some(Registration {
        client_id: t.client_id.clone()?,
        client_secret: t.client_secret.clone()?,
        expires_at: t.registration_expires(),
    })
}

fn not_signed_in(session: &SsoSession, why: &str) -> Error {
    Error::BadCredentials(format!(
        "IAM Identity Center session `{}`: {why}. Sign in with `{}`.",
        session.key(),
        session.login_command()
    ))
}

/// The cached token if it has more than [`RENEW_BEFORE`] left, without the network; None
/// otherwise.
pub fn cached_token(session: &SsoSession) -> Result<Option<Token>> {
    Ok(sso_token::read(session.key())?.filter(|t| t.expires() - now() > RENEW_BEFORE))
}

/// A valid access token: the cached one, or one renewed with the refresh token (and written
/// back). Err (exit 4, naming the login command) when neither works.
pub async fn access_token(session: &SsoSession, view: &EnvView) -> Result<String> {
    let Some(token) = sso_token::read(session.key())? else {
        return Err(not_signed_in(session, "not signed in"));
    };
    log::secret(&token.access_token);
    if token.expires() - now() > RENEW_BEFORE {
        return Ok(token.access_token);
    }
    let (Some(reg), Some(refresh)) = (registration(&token), token.refresh_token.clone()) else {
        return Err(not_signed_in(session, "the sign-in has ended"));
    };
    log::secret(&refresh);
    if reg.expires_at <= now() {
        return Err(not_signed_in(session, "the sign-in has ended"));
    }
    log::debug(format_args!(
        "renewing the IAM Identity Center token of `{}`",
        session.key()
    ));
    let sso = Sso::new(view, &session.region).await;
    let issued = sso.refresh(&reg, &refresh).await.map_err(|e| {
        not_signed_in(
            session,
            &format!("the sign-in has ended and renewing it failed ({e})"),
        )
    })?;
    let mut renewed = token;
    renewed.access_token = issued.access_token.clone();
    renewed.expires_at = format_time(now() + issued.expires_in);
    if let Some(r) = issued.refresh_token {
        renewed.refresh_token = Some(r);
    }
    sso_token::write(session.key(), &renewed)?;
    Ok(issued.access_token)
}

/// Signs out: Logout at the portal (a token it no longer accepts is signed out already), then
/// the token file goes. Returns whether there was a token.
pub async fn logout(session: &SsoSession, view: &EnvView) -> Result<bool> {
    let Some(token) = sso_token::read(session.key())? else {
        return Ok(false);
    };
    log::secret(&token.access_token);
    if token.expires() > now() {
        let sso = Sso::new(view, &session.region).await;
        match sso.logout(&token.access_token).await {
            Ok(()) | Err(Error::BadCredentials(_)) => {}
            Err(e) => return Err(e),
        }
    }
    sso_token::remove(session.key())
}

/// Role credentials for an account and role (permission set) through `session`.
pub async fn role_credentials(
    session: &SsoSession,
    view: &EnvView,
    account: &str,
    role: &str,
) -> Result<Session> {
    let token = access_token(session, view).await?;
    let sso = Sso::new(view, &session.region).await;
    sso.role_credentials(&token, account, role)
        .await
        .map_err(|e| match e {
            Error::BadCredentials(m) => not_signed_in(session, &m),
            other => other,
        })
}

/// The account and role of an SSO profile, or why it has none.
pub fn profile_role(p: &SsoProfile) -> Result<(String, String)> {
    match (&p.account_id, &p.role_name) {
        (Some(a), Some(r)) => Ok((a.clone(), r.clone())),
        _ => Err(Error::usage(format!(
            "profile `{}` uses IAM Identity Center but names no sso_account_id and \
             sso_role_name: add them (see `awsenv roles`), or run `awsenv profiles sync`",
            p.name
        ))),
    }
}

/// The profile `name` when it takes its credentials from IAM Identity Center itself (a profile
/// with `role_arn` assumes a role, whatever else it names).
pub async fn own_profile(name: &str) -> Result<Option<SsoProfile>> {
    let set = config_sections().await?;
    if set
        .get_profile(name)
        .is_some_and(|p| p.get("role_arn").is_some())
    {
        return Ok(None);
    }
    profile(&set, name)
}

/// Role credentials as the SDK takes them.
pub fn sdk_credentials(s: &Session) -> Credentials {
    let expiry = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(s.expires_at).unwrap_or(0));
    Credentials::new(
        &s.access_key_id,
        &s.secret_access_key,
        Some(s.session_token.clone()),
        Some(expiry),
        "awsenv-sso",
    )
}

/// The source credentials of a chain that starts at an SSO profile, from awsenv's own token
/// handling (renewal, and a message that names `awsenv login`); None when `profile` is not one.
pub async fn source_credentials(profile: &str, view: &EnvView) -> Result<Option<Credentials>> {
    // A config file the parser refuses is the SDK's to report, as for any source profile.
    let Ok(Some(p)) = own_profile(profile).await else {
        return Ok(None);
    };
    let (account, role) = profile_role(&p)?;
    let creds = role_credentials(&p.session, view, &account, &role).await?;
    Ok(Some(sdk_credentials(&creds)))
}
