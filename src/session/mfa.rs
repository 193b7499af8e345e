//! MFA: the code (given, or asked for on /dev/tty), and the MFA session it buys. With an IAM
//! user's long-term key as the source, the code goes to GetSessionToken once; that session is
//! cached and every role is then assumed from it without another code until it ends (not role
//! chaining: the source is the user, so durations stay the role's). Other sources (a role, SSO)
//! cannot call GetSessionToken: their code goes with AssumeRole itself.

use std::io::{BufRead, Write};

use crate::aws::sts::Sts;
use crate::error::{Error, Result};
use crate::log;
use crate::session::options::SessionOptions;
use crate::session::params;
use crate::session::pipeline::endpoint_override;
use crate::shell::names::NO_PROMPT;
use crate::store::cache::Cache;
use crate::store::mfa::{MfaCache, MfaKey};

/// An MFA session with less life than this is not used: the AssumeRole signed with it must
/// arrive before it ends.
const MIN_LEFT: i64 = 60;
/// How long a miss waits for another awsenv asking for the same device's code (it may be
/// waiting on a person).
const PROMPT_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// What AssumeRole is signed with, and the code it must carry (None: no MFA, or the MFA
/// session carries it).
pub struct Signer {
    pub sts: Sts,
    pub token_code: Option<String>,
}

/// The credentials to assume a role with, when the role may need MFA.
pub async fn signer(sts: Sts, options: &SessionOptions) -> Result<Signer> {
    let Some(serial) = &options.mfa_serial else {
        return Ok(Signer {
            sts,
            token_code: None,
        });
    };
    // GetSessionToken takes only an IAM user's own key; and without the cache the session
    // would serve one role, for an extra call.
    let cache = match (sts.credentials().session_token(), options.mfa_cache) {
        (None, true) => Cache::open()
            .map_err(|e| log::debug(format_args!("{e}")))
            .ok(),
        _ => None,
    };
    let Some(cache) = cache else {
        return Ok(Signer {
            token_code: code(options)?,
            sts,
        });
    };
    let mfa = MfaCache { cache: &cache };
    let endpoint = endpoint_override();
    let key = MfaKey {
        source_key: sts.credentials().access_key_id(),
        serial,
        endpoint: endpoint.as_deref(),
    }
    .digest();
    if let Some(s) = mfa.get(&key, MIN_LEFT) {
        return Ok(Signer {
            sts: sts.with_session(&s),
            token_code: None,
        });
    }
    // One prompt for many shells: another awsenv asking for this device's code is waited for.
    let held = cache.lock(&key, PROMPT_WAIT);
    if let Some((_, true)) = &held {
        if let Some(s) = mfa.get(&key, MIN_LEFT) {
            return Ok(Signer {
                sts: sts.with_session(&s),
                token_code: None,
            });
        }
    }
    let token = code(options)?.unwrap_or_default();
    let session = sts
        .mfa_session(options.mfa_duration, serial, &token)
        .await?;
    mfa.put_or_warn(&key, serial, &session);
    log::info(format_args!(
        "MFA session for {serial} until {}: roles assumed until then need no code",
        session.expiration_rfc3339()
    ));
    Ok(Signer {
        sts: sts.with_session(&session),
        token_code: None,
    })
}

/// The MFA code: given, or asked for on the terminal (never on stdout, which the shell reads).
pub fn code(common: &SessionOptions) -> Result<Option<String>> {
    let Some(serial) = &common.mfa_serial else {
        return Ok(None);
    };
    if let Some(code) = &common.token_code {
        return Ok(Some(code.clone()));
    }
    if !common.may_prompt {
        return Err(Error::Mfa(format!(
            "this session needs an MFA code for {serial}, and awsenv may not ask for one here \
             ({NO_PROMPT}). Get the session once in your shell, with the same options \
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
