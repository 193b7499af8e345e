//! `awsenv cache`: list, clear, and where it is.

use crate::cli::cache::CacheCommand;
use crate::cmd::output::Output;
use crate::creds::now;
use crate::error::Result;
use crate::log;
use crate::store::cache::Cache;
use crate::store::mfa::MfaCache;

#[inline(never)]
pub fn run(c: &CacheCommand) -> Result<Output> {
    let cache = Cache::open()?;
    match c {
        CacheCommand::Dir => Ok(Output::Text(format!("{}\n", cache.dir().display()))),
        CacheCommand::List => {
            let now = now();
            let mut out = String::new();
            let state = |expires_at: i64| {
                let left = expires_at - now;
                if left > 0 {
                    format!(
                        "{} left",
                        humantime::format_duration(std::time::Duration::from_secs(left as u64))
                    )
                } else {
                    "expired".to_string()
                }
            };
            for (_, e, size) in cache.list() {
                let state = state(e.session.expires_at);
                let sim = e
                    .simulated_by
                    .as_deref()
                    .map(|b| format!(" (simulated by {b})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{}{sim}\t{}\t{state}\t{size} B\t{}\n",
                    e.role_arn,
                    e.session.expiration_rfc3339(),
                    e.source
                ));
            }
            // The MFA sessions roles are assumed from (one code each, until they end).
            for (serial, expires_at, size) in (MfaCache { cache: &cache }).list() {
                out.push_str(&format!(
                    "mfa:{serial}\t{}\t{}\t{size} B\tMFA session (GetSessionToken)\n",
                    crate::creds::rfc3339(expires_at),
                    state(expires_at)
                ));
            }
            Ok(Output::Text(out))
        }
        CacheCommand::Clear { role } => {
            let n = cache.clear(role.as_deref())?;
            log::info(format_args!("removed {n} cached session(s)"));
            Ok(Output::Nothing)
        }
    }
}
