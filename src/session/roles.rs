//! Every role you can reach: for each IAM Identity Center session with a valid token, every
//! account and role (ListAccounts, then ListAccountRoles for [`CONCURRENCY`] accounts at a
//! time), cached for [`CACHE_TTL`]; then the profiles of the config file that name a role.
//! [`list`] is the library entry point (`awsenv roles`, `profiles sync`, the picker): its
//! signature is kept stable.

use std::path::PathBuf;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aws::config::runtime;
use crate::aws::sso::Sso;
use crate::creds::now;
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;
use crate::role::RoleArn;
use crate::session::sso::{self, SsoSession};
use crate::store::fs::{cache_dir, io_err, secure_dir, write_private_atomic};
use crate::store::sso_token;

/// How long a session's list of accounts and roles is answered from the cache.
pub const CACHE_TTL: i64 = 3600;

/// ListAccountRoles calls in flight at once: fast with many accounts, gentle on the
/// portal's throttling.
pub const CONCURRENCY: usize = 8;

/// A cache file is at most a few hundred KB (500 accounts are ~60 KB); bounded anyway.
const MAX_CACHE_FILE: u64 = 16 * 1024 * 1024;

/// One role you can reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleEntry {
    pub account_id: String,
    /// Empty when unknown (a profile's role_arn names no account name).
    pub account_name: String,
    pub role_name: String,
    /// `sso:NAME` (an IAM Identity Center session; `sso:URL` for a legacy one) or
    /// `profile:NAME` (a profile with role_arn).
    pub source: String,
    /// A profile of the config file that reaches this role, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// What [`list`] should do.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListOptions {
    /// Ask IAM Identity Center again, whatever the cache holds.
    pub refresh: bool,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    fetched_at: i64,
    start_url: String,
    entries: Vec<RoleEntry>,
}

/// Every role: IAM Identity Center's (sessions without a valid token are skipped with a note
/// on stderr), then the config's role profiles. Sorted by source, account name, account id,
/// role name.
pub fn list(opts: &ListOptions) -> Result<Vec<RoleEntry>> {
    let rt = runtime()?;
    let set = rt.block_on(sso::config_sections())?;
    let view = EnvView::default();
    let mut out = Vec::new();
    for session in sso::all_sessions(&set) {
        match rt.block_on(for_session(&session, &view, opts.refresh)) {
            Ok(entries) => out.extend(entries),
            Err(Error::BadCredentials(m)) => log::warn(format_args!("skipped: {m}")),
            Err(e) => return Err(e),
        }
    }
    let mut names: Vec<&str> = set.profiles().collect();
    names.sort_unstable();
    for name in names {
        let Some(p) = set.get_profile(name) else {
            continue;
        };
        if let Some(arn) = p.get("role_arn").and_then(|a| RoleArn::parse(a.trim())) {
            out.push(RoleEntry {
                account_id: arn.account.clone(),
                account_name: String::new(),
                role_name: arn.name.clone(),
                source: format!("profile:{name}"),
                profile: Some(name.to_string()),
            });
            continue;
        }
        let Ok(Some(sp)) = sso::profile(&set, name) else {
            continue;
        };
        let (Some(account), Some(role)) = (&sp.account_id, &sp.role_name) else {
            continue;
        };
        let source = sp.session.label();
        let found = out
            .iter_mut()
            .find(|e| e.source == source && &e.account_id == account && &e.role_name == role);
        match found {
            Some(e) if e.profile.is_none() => e.profile = Some(name.to_string()),
            Some(_) => {}
            None => out.push(RoleEntry {
                account_id: account.clone(),
                account_name: String::new(),
                role_name: role.clone(),
                source,
                profile: Some(name.to_string()),
            }),
        }
    }
    out.sort_by(|a, b| {
        (&a.source, &a.account_name, &a.account_id, &a.role_name).cmp(&(
            &b.source,
            &b.account_name,
            &b.account_id,
            &b.role_name,
        ))
    });
    Ok(out)
}

/// The accounts and roles of one session: from the cache when it is under an hour old and the
/// token has not ended (no network), else from IAM Identity Center (renewing the token when
/// needed), cached. Err(BadCredentials) when the session is not signed in.
pub async fn for_session(
    session: &SsoSession,
    view: &EnvView,
    refresh: bool,
) -> Result<Vec<RoleEntry>> {
    let path = cache_path(session)?;
    if !refresh {
        let signed_in = sso_token::read(session.key())?.is_some_and(|t| t.expires() > now());
        if let Some(c) = read_cache(&path).filter(|c| c.start_url == session.start_url) {
            if signed_in && now() - c.fetched_at < CACHE_TTL && c.fetched_at <= now() {
                log::debug(format_args!("roles of {} from the cache", session.label()));
                return Ok(c.entries);
            }
        }
    }
    let token = sso::access_token(session, view).await?;
    let sso = Sso::new(view, &session.region).await;
    let accounts = sso.accounts(&token).await?;
    let source = session.label();
    let per_account: Vec<Vec<RoleEntry>> = stream::iter(accounts)
        .map(|a| {
            let (sso, token, source) = (&sso, &token, &source);
            async move {
                let roles = sso.roles(token, &a.id).await?;
                Ok::<_, Error>(
                    roles
                        .into_iter()
                        .map(|r| RoleEntry {
                            account_id: a.id.clone(),
                            account_name: a.name.clone(),
                            role_name: r,
                            source: source.clone(),
                            profile: None,
                        })
                        .collect(),
                )
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut entries: Vec<RoleEntry> = per_account.into_iter().flatten().collect();
    entries.sort_by(|a, b| {
        (&a.account_name, &a.account_id, &a.role_name).cmp(&(
            &b.account_name,
            &b.account_id,
            &b.role_name,
        ))
    });
    let file = CacheFile {
        fetched_at: now(),
        start_url: session.start_url.clone(),
        entries,
    };
    if let Err(e) = write_cache(&path, &file) {
        log::warn(format_args!("the roles were not cached: {e}"));
    }
    Ok(file.entries)
}

/// Forgets a session's cached roles (after a new sign-in or a sign-out).
pub fn forget(session: &SsoSession) {
    if let Ok(p) = cache_path(session) {
        let _ = std::fs::remove_file(p);
    }
}

/// One file per session, named by the session and the endpoint (an emulator's accounts and
/// AWS's never mix).
fn cache_path(session: &SsoSession) -> Result<PathBuf> {
    let endpoint =
        super::pipeline::service_endpoint_override("AWS_ENDPOINT_URL_SSO").unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        session.key(),
        &session.start_url,
        &session.region,
        &endpoint,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    Ok(cache_dir()?
        .join("sso-roles")
        .join(format!("{}.json", hex::encode(&h.finalize()[..16]))))
}

fn read_cache(path: &std::path::Path) -> Option<CacheFile> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_CACHE_FILE)
        .read_to_end(&mut bytes)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_cache(path: &std::path::Path, file: &CacheFile) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::Io(format!("{} has no parent directory", path.display())))?;
    secure_dir(dir)?;
    let bytes =
        serde_json::to_vec(file).map_err(|e| io_err("encode", path, &std::io::Error::other(e)))?;
    write_private_atomic(path, &bytes)
}
