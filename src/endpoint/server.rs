//! The endpoint's rules: the ECS container credentials protocol on 127.0.0.1, for exactly one
//! client that knows the token.
//!
//! What matters is that nothing else can get the keys: not another user (the token), not a web
//! page (the Host check against DNS rebinding, no CORS, any `Origin` refused), not a log (no
//! secret is ever formatted into one). The connections themselves are the accept loop's.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::creds::{now, RoleSession};
use crate::error::{Error, Result};
use crate::log;

use super::http::{Reply, Request};

/// What the endpoint serves, in the protocol's field names (also the handoff to a detached
/// server).
#[derive(Clone, Serialize, Deserialize)]
pub struct Served {
    #[serde(rename = "AccessKeyId")]
    pub access_key_id: String,
    #[serde(rename = "SecretAccessKey")]
    pub secret_access_key: String,
    #[serde(rename = "Token")]
    pub token: String,
    /// RFC 3339, UTC.
    #[serde(rename = "Expiration")]
    pub expiration: String,
    #[serde(rename = "RoleArn")]
    pub role_arn: String,
    #[serde(skip_serializing, default)]
    pub expires_at: i64,
}

impl Served {
    pub fn from_role(r: &RoleSession) -> Served {
        let s = &r.session;
        log::secret(&s.secret_access_key);
        log::secret(&s.session_token);
        Served {
            access_key_id: s.access_key_id.clone(),
            secret_access_key: s.secret_access_key.clone(),
            token: s.session_token.clone(),
            expiration: s.expiration_rfc3339(),
            role_arn: r.role_arn.clone(),
            expires_at: s.expires_at,
        }
    }
}

/// State shared by the server, the refresher and whoever waits for the end.
#[derive(Default)]
pub struct State {
    session: RwLock<Option<Served>>,
    /// Why there is nothing to serve, for the client's error body (no secret).
    gone_why: RwLock<String>,
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl State {
    pub fn new(first: Served) -> Arc<State> {
        Arc::new(State {
            session: RwLock::new(Some(first)),
            ..State::default()
        })
    }

    pub fn current(&self) -> Option<Served> {
        self.session.read().ok().and_then(|s| s.clone())
    }

    pub fn replace(&self, s: Served) {
        if let Ok(mut cur) = self.session.write() {
            *cur = Some(s);
        }
    }

    /// Nothing more to serve: clients get an error that says `why`.
    pub fn clear(&self, why: &str) {
        if let Ok(mut cur) = self.session.write() {
            *cur = None;
        }
        if let Ok(mut w) = self.gone_why.write() {
            *w = why.to_string();
        }
    }

    pub fn stop(&self) {
        if let Ok(mut s) = self.stopped.lock() {
            *s = true;
        }
        self.wake.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.lock().map(|s| *s).unwrap_or(true)
    }

    /// Sleeps up to `d`; true when stopped meanwhile.
    pub fn wait_stopped(&self, d: Duration) -> bool {
        let Ok(guard) = self.stopped.lock() else {
            return true;
        };
        match self.wake.wait_timeout_while(guard, d, |stopped| !*stopped) {
            Ok((g, _)) => *g,
            Err(_) => true,
        }
    }
}

/// The endpoint's address and secrets, fixed for its life.
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// A random path: the protocol wants one, and aws-vault users report SDKs that reject a
    /// URI without a path.
    pub path: String,
    /// 256 bits from the OS RNG.
    pub token: String,
}

impl Config {
    pub fn uri(&self) -> String {
        format!("http://{}{}", self.addr, self.path)
    }
}

/// A bound listener, not yet serving.
pub struct Server {
    pub config: Config,
    pub listener: TcpListener,
}

impl Server {
    /// Binds 127.0.0.1 on a port the kernel picks, with a fresh path and token.
    pub fn bind() -> Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| Error::Io(format!("cannot listen on 127.0.0.1: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Io(format!("cannot read the endpoint's address: {e}")))?;
        let token = crate::random::hex(32)?;
        log::secret(&token);
        Ok(Server {
            config: Config {
                addr,
                path: format!("/awsenv/{}", crate::random::hex(16)?),
                token,
            },
            listener,
        })
    }
}

/// Wakes a listener blocked in `accept` so that it sees the stop.
pub fn poke(addr: SocketAddr) {
    if let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        drop(s);
    }
}

/// Compares the presented token with ours in time independent of where they differ.
fn token_matches(given: &str, ours: &str) -> bool {
    given.as_bytes().ct_eq(ours.as_bytes()).into()
}

/// The answer to one request. Checks run from the cheapest rejection of strangers to the token:
/// a page in a browser (DNS rebinding) never gets past the Host check, and nothing past the
/// token check happens without it.
pub fn decide(req: &Request, config: &Config, state: &State) -> Reply {
    let ours = config.addr.to_string();
    if req.host.as_deref() != Some(ours.as_str()) {
        return Reply::error(
            403,
            "Forbidden",
            "the Host header must be the endpoint's own loopback address",
        );
    }
    if req.origin {
        return Reply::error(403, "Forbidden", "browsers are not served");
    }
    if req.target != config.path {
        return Reply::error(404, "NotFound", "no such path");
    }
    match &req.authorization {
        None => {
            return Reply::error(
                401,
                "Unauthorized",
                "missing Authorization (AWS_CONTAINER_AUTHORIZATION_TOKEN)",
            )
        }
        Some(t) if !token_matches(t, &config.token) => {
            return Reply::error(403, "Forbidden", "wrong authorization token")
        }
        Some(_) => {}
    }
    match req.method.as_str() {
        "GET" => match state.current() {
            Some(s) if s.expires_at > now() => Reply {
                status: 200,
                body: serde_json::to_string(&s).unwrap_or_default(),
                stop: false,
            },
            _ => {
                let why = state.gone_why.read().map(|w| w.clone()).unwrap_or_default();
                let why = if why.is_empty() {
                    "the session expired and could not be renewed yet".to_string()
                } else {
                    why
                };
                Reply::error(503, "Unavailable", &why)
            }
        },
        // `awsenv unset` stops a detached endpoint this way: only the token's holder can.
        "DELETE" => Reply {
            status: 200,
            body: "{}".into(),
            stop: true,
        },
        _ => Reply::error(405, "MethodNotAllowed", "only GET"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            addr: "127.0.0.1:4242".parse().unwrap(),
            path: "/awsenv/abc".into(),
            token: "t0ken-of-sixty-four-characters".into(),
        }
    }

    fn served(expires_at: i64) -> Served {
        Served {
            access_key_id: "ASIAKEY".into(),
            secret_access_key: "secret".into(),
            token: "session".into(),
            expiration: "2030-01-01T00:00:00Z".into(),
            role_arn: "arn:aws:iam::123456789012:role/r".into(),
            expires_at,
        }
    }

    fn req(head: &str) -> Request {
        Request::parse(format!("{head}\r\n\r\n").as_bytes()).expect("parses")
    }

    const GOOD: &str =
        "GET /awsenv/abc HTTP/1.1\r\nHost: 127.0.0.1:4242\r\nAuthorization: t0ken-of-sixty-four-characters";

    #[test]
    fn answers_the_protocol_to_the_token_holder_only() {
        let state = State::new(served(i64::MAX));
        let r = decide(&req(GOOD), &config(), &state);
        assert_eq!(r.status, 200);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["AccessKeyId"], "ASIAKEY");
        assert_eq!(v["SecretAccessKey"], "secret");
        assert_eq!(v["Token"], "session");
        assert_eq!(v["Expiration"], "2030-01-01T00:00:00Z");
        assert!(v.get("expires_at").is_none());

        let cases = [
            (GOOD.replace("t0ken-of", "t0ken-Of"), 403),
            (
                GOOD.replace("Authorization: t0ken-of-sixty-four-characters", "X: y"),
                401,
            ),
            (GOOD.replace("t0ken-of-sixty-four-characters", "t0ken"), 403),
            (GOOD.replace("127.0.0.1:4242", "evil.example:4242"), 403),
            (GOOD.replace("127.0.0.1:4242", "localhost:4242"), 403),
            (GOOD.replace("127.0.0.1:4242", "127.0.0.1:4243"), 403),
            (GOOD.replace("Host: 127.0.0.1:4242\r\n", ""), 403),
            (GOOD.to_string() + "\r\nOrigin: http://evil.example", 403),
            (GOOD.replace("/awsenv/abc", "/awsenv/abd"), 404),
            (GOOD.replace("/awsenv/abc", "/awsenv/abc?x"), 404),
            (GOOD.replace("GET", "POST"), 405),
        ];
        for (head, status) in cases {
            let r = decide(&req(&head), &config(), &state);
            assert_eq!(r.status, status, "{head}");
            assert!(!r.body.contains("secret"), "{head}");
        }
        assert!(!state.is_stopped());
    }

    #[test]
    fn expired_or_cleared_sessions_are_not_served() {
        let state = State::new(served(1));
        assert_eq!(decide(&req(GOOD), &config(), &state).status, 503);
        let state = State::new(served(i64::MAX));
        state.clear("the MFA session ended");
        let r = decide(&req(GOOD), &config(), &state);
        assert_eq!(r.status, 503);
        assert!(r.body.contains("MFA session ended"));
    }

    #[test]
    fn delete_with_the_token_stops() {
        let state = State::new(served(i64::MAX));
        let r = decide(&req(&GOOD.replace("GET", "DELETE")), &config(), &state);
        assert!(r.stop);
        let bad = GOOD.replace("GET", "DELETE").replace("t0ken-of", "x");
        assert!(!decide(&req(&bad), &config(), &state).stop);
    }

    #[test]
    fn tokens_match_only_whole() {
        let (a, b) = (
            crate::random::hex(32).unwrap(),
            crate::random::hex(32).unwrap(),
        );
        assert!(token_matches(&a, &a.clone()));
        assert!(!token_matches(&a, &b));
        assert!(!token_matches(&a[..63], &a));
    }
}
