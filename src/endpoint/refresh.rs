//! Keeping the endpoint's session fresh: a new one is fetched through awsenv's one session
//! pipeline well before the SDKs start asking for one (botocore 15 min before expiry, the Rust
//! SDK a little before), and a failure leaves the current session in place while it lasts.

use std::sync::Arc;
use std::time::Duration;

use crate::creds::{now, RoleSession};
use crate::error::{Error, Result};
use crate::log;
use crate::session::params;

use super::server::{Served, State};

/// A way of getting a session: assume, a profile, a local or a remote simulation. `min_ttl`
/// is the life a cached session must have left to be used (the cache caps it at half the
/// session); `None` bypasses the cache. `refresh` is false for the first session, which the
/// user waits for (it may ask for an MFA code); a refresh has nobody to ask.
pub trait SessionSource: Send {
    fn fetch(&mut self, min_ttl: Option<u64>, refresh: bool) -> Result<RoleSession>;
}

impl<F: FnMut(Option<u64>, bool) -> Result<RoleSession> + Send> SessionSource for F {
    fn fetch(&mut self, min_ttl: Option<u64>, refresh: bool) -> Result<RoleSession> {
        self(min_ttl, refresh)
    }
}

/// How long before its end a session is replaced: `--refresh-before`, else 20 minutes, or half
/// the session when that is shorter. 20 minutes leaves the new session ready 5 minutes before
/// botocore's first (advisory) attempt at 15.
pub fn lead_seconds(explicit: Option<&str>, duration: Option<&str>) -> Result<u64> {
    let duration = duration
        .map(params::parse_duration)
        .transpose()?
        .unwrap_or(3600);
    match explicit {
        Some(s) => {
            let t = s.trim();
            let secs = t
                .parse::<u64>()
                .ok()
                .or_else(|| humantime::parse_duration(t).ok().map(|d| d.as_secs()))
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--refresh-before `{}` is not a duration: give seconds (1200) or a span \
                         such as 20m",
                        s.escape_debug()
                    ))
                })?;
            if secs == 0 || secs >= duration {
                return Err(Error::usage(format!(
                    "--refresh-before must be more than 0 and less than the session ({duration} s)"
                )));
            }
            Ok(secs)
        }
        None => Ok((duration / 2).min(20 * 60)),
    }
}

/// Why the refresher stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// Asked to stop.
    Stopped,
    /// The session needs a person (MFA) and has now ended: nothing more to serve.
    MfaEnded,
    /// The owner (the shell of a detached server) is gone.
    OwnerGone,
}

/// Waits never longer than this before looking at the clock again: a monotonic sleep does not
/// count a suspended laptop's time, the wall clock does.
const TICK: Duration = Duration::from_secs(5);
/// Retries after a failed refresh: quick at first, then every 5 minutes.
pub const RETRY: &[u64] = &[10, 30, 60, 120, 300];
/// Never fetch more often than this, whatever session lengths come back.
const MIN_INTERVAL: i64 = 1;

pub struct Refresher {
    pub source: Box<dyn SessionSource>,
    pub state: Arc<State>,
    pub lead: u64,
    /// Checked every tick: false ends the refresher (a detached server whose shell exited).
    pub owner_alive: Option<Box<dyn Fn() -> bool + Send>>,
    /// Seconds between attempts after failures ([`RETRY`]).
    pub retry: &'static [u64],
}

impl Refresher {
    /// Runs until stopped. Logs what happens on stderr, never a secret.
    pub fn run(mut self) -> End {
        let mut failures = 0usize;
        let mut retry_at: Option<i64> = None;
        let mut mfa_said = false;
        let mut last_fetch = now();
        loop {
            if self.owner_gone() {
                return End::OwnerGone;
            }
            let Some(cur) = self.state.current() else {
                // Nothing left to serve, and nothing will come: only a stop ends this.
                if self.wait() {
                    return End::Stopped;
                }
                continue;
            };
            let now = now();
            if mfa_said {
                if now >= cur.expires_at {
                    let why = format!(
                        "the MFA session ended at {}; run awsenv again (with a new MFA code) for \
                         more",
                        cur.expiration
                    );
                    log::warn(format_args!("{why}"));
                    self.state.clear(&why);
                    return End::MfaEnded;
                }
            } else {
                let due = retry_at
                    .unwrap_or(cur.expires_at - self.lead as i64)
                    .max(last_fetch + MIN_INTERVAL);
                if now >= due {
                    last_fetch = now;
                    let started = std::time::Instant::now();
                    // The cache answers when it holds a newer session (another shell renewed
                    // it); when it only has the one served, AWS is asked.
                    // Only a session that ends later than the one served replaces it.
                    let newer = |r: &RoleSession| {
                        r.session.expires_at > cur.expires_at
                            && r.session.access_key_id != cur.access_key_id
                    };
                    let mut got = self.source.fetch(Some(self.lead + 60), true);
                    if got.as_ref().is_ok_and(|r| !newer(r)) {
                        got = self.source.fetch(None, true);
                    }
                    match got {
                        Ok(role) if newer(&role) => {
                            let next = Served::from_role(&role);
                            log::debug(format_args!(
                                "endpoint: renewed the session of {} in {} ms, {} s before the \
                                 old one's end; the new one expires at {}",
                                role.role_name,
                                started.elapsed().as_millis(),
                                cur.expires_at - crate::creds::now(),
                                next.expiration
                            ));
                            self.state.replace(next);
                            failures = 0;
                            retry_at = None;
                        }
                        Ok(_) => {
                            log::warn(format_args!(
                                "AWS answered with no session newer than the one served; next try \
                                 in {} s",
                                self.retry[0]
                            ));
                            retry_at = Some(now + self.retry[0] as i64);
                        }
                        Err(Error::Mfa(_)) => {
                            mfa_said = true;
                            log::warn(format_args!(
                                "renewing this session needs a new MFA code (there is no cached \
                                 MFA session to renew through, or it has ended) and awsenv cannot \
                                 ask you from here: the endpoint serves it until it ends at {} \
                                 (in {}), then nothing",
                                cur.expiration,
                                left(cur.expires_at - now)
                            ));
                        }
                        Err(e) => {
                            let wait = self.retry[failures.min(self.retry.len() - 1)];
                            failures += 1;
                            retry_at = Some(now + wait as i64);
                            if now < cur.expires_at {
                                log::warn(format_args!(
                                    "could not renew the session ({e}); still serving the current \
                                     one, which expires at {} (in {}); next try in {wait} s",
                                    cur.expiration,
                                    left(cur.expires_at - now)
                                ));
                            } else {
                                log::warn(format_args!(
                                    "the session expired at {} and could not be renewed ({e}); \
                                     next try in {wait} s",
                                    cur.expiration
                                ));
                            }
                        }
                    }
                    continue;
                }
            }
            if self.wait() {
                return End::Stopped;
            }
        }
    }

    fn wait(&self) -> bool {
        let now = now();
        let next = self
            .state
            .current()
            .map(|c| (c.expires_at - self.lead as i64 - now).clamp(1, TICK.as_secs() as i64))
            .unwrap_or(TICK.as_secs() as i64);
        self.state
            .wait_stopped(Duration::from_secs(next as u64).min(TICK))
    }

    fn owner_gone(&self) -> bool {
        self.owner_alive.as_ref().is_some_and(|alive| !alive())
    }
}

fn left(secs: i64) -> String {
    humantime::format_duration(Duration::from_secs(secs.max(0) as u64)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn act(key: &str, expires_at: i64) -> RoleSession {
        RoleSession {
            role_arn: String::new(),
            role_name: "r".into(),
            simulated_by: None,
            source: String::new(),
            duration: 900,
            region: None,
            session: crate::creds::Session {
                access_key_id: key.into(),
                secret_access_key: "secret-value".into(),
                session_token: "token-value".into(),
                expires_at,
                session_arn: String::new(),
            },
        }
    }

    #[test]
    fn lead_defaults_and_limits() {
        assert_eq!(lead_seconds(None, None).unwrap(), 1200);
        assert_eq!(lead_seconds(None, Some("15m")).unwrap(), 450);
        assert_eq!(lead_seconds(None, Some("12h")).unwrap(), 1200);
        assert_eq!(lead_seconds(Some("890s"), Some("900")).unwrap(), 890);
        assert_eq!(lead_seconds(Some("30"), None).unwrap(), 30);
        for bad in ["0", "1h", "soon"] {
            assert_eq!(lead_seconds(Some(bad), None).unwrap_err().exit_code(), 2);
        }
    }

    /// A session close to its end is replaced, a failure keeps the old one, and an MFA session
    /// is served to its end and then cleared.
    #[test]
    fn refreshes_keeps_on_failure_and_ends_mfa_sessions() {
        let start = now();
        let state = State::new(Served::from_role(&act("K1", start + 3)));
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let source = move |min_ttl: Option<u64>, refresh: bool| {
            assert_eq!((min_ttl, refresh), (Some(160), true));
            match c.fetch_add(1, Ordering::SeqCst) {
                0 => Err(Error::Network("endpoint down".into())),
                1 => Ok(act("K2", now() + 4)),
                _ => Err(Error::Mfa("needs a code".into())),
            }
        };
        let r = Refresher {
            source: Box::new(source),
            state: state.clone(),
            lead: 100,
            owner_alive: None,
            retry: &[1],
        };
        let handle = std::thread::spawn(move || r.run());
        // First attempt fails: the old key stays.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(state.current().unwrap().access_key_id, "K1");
        let end = handle.join().unwrap();
        assert_eq!(end, End::MfaEnded);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(state.current().is_none());
    }

    /// The cache may hold a session that ends before the one served (another key): it is not
    /// taken, AWS is asked.
    #[test]
    fn an_older_cached_session_never_replaces_the_served_one() {
        let start = now();
        let state = State::new(Served::from_role(&act("K1", start + 50)));
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let a = asked.clone();
        let source = move |min_ttl: Option<u64>, _: bool| {
            a.lock().unwrap().push(min_ttl);
            Ok(match min_ttl {
                Some(_) => act("K0", start + 40),
                None => act("K2", start + 900),
            })
        };
        let r = Refresher {
            source: Box::new(source),
            state: state.clone(),
            lead: 60,
            owner_alive: None,
            retry: RETRY,
        };
        let s = state.clone();
        let h = std::thread::spawn(move || r.run());
        let ok = (0..50).any(|_| {
            std::thread::sleep(Duration::from_millis(100));
            s.current().is_some_and(|c| c.access_key_id == "K2")
        });
        state.stop();
        assert_eq!(h.join().unwrap(), End::Stopped);
        assert!(ok, "the fresh session was never served");
        assert_eq!(asked.lock().unwrap()[..2], [Some(120), None]);
    }

    #[test]
    fn stops_when_asked_and_when_the_owner_is_gone() {
        let state = State::new(Served::from_role(&act("K1", now() + 3600)));
        let r = Refresher {
            source: Box::new(|_, _| -> Result<RoleSession> { panic!("no refresh due") }),
            state: state.clone(),
            lead: 60,
            owner_alive: None,
            retry: RETRY,
        };
        let h = std::thread::spawn(move || r.run());
        state.stop();
        assert_eq!(h.join().unwrap(), End::Stopped);

        let state = State::new(Served::from_role(&act("K1", now() + 3600)));
        let r = Refresher {
            source: Box::new(|_, _| -> Result<RoleSession> { panic!("no refresh due") }),
            state,
            lead: 60,
            owner_alive: Some(Box::new(|| false)),
            retry: RETRY,
        };
        assert_eq!(r.run(), End::OwnerGone);
    }
}
