//! The AWS sign-in federation endpoint: a console sign-in URL from a role session.
//!
//! `getSigninToken` takes the session as JSON {sessionId, sessionKey, sessionToken} and, only
//! for a session that is not role-chained, a SessionDuration (900..43200; the endpoint fails
//! when a chained session has one). The token then goes into `Action=login`, a URL that signs
//! its holder in for 15 minutes: it is a credential, registered as a secret and never logged.
//! The request goes through the SDK's orchestrator with the one HTTPS client, timeouts and
//! retries of every other AWS call.

use aws_config::BehaviorVersion;
use aws_sdk_sts::error::SdkError;
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime::client::retries::classifiers::HttpStatusCodeClassifier;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::aws::config::{https_client, timeout_config};
use crate::aws::errors::sdk_error;
use crate::creds::Session;
use crate::error::{Error, Result};
use crate::log;

/// Everything but RFC 3986's unreserved characters is encoded.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub const MIN_SESSION_DURATION: u64 = 900;
pub const MAX_SESSION_DURATION: u64 = 43200;

/// A partition's sign-in and console hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub signin: &'static str,
    pub console: &'static str,
}

/// The hosts of `partition` (`aws`, `aws-us-gov`, `aws-cn`); None for the isolated partitions,
/// whose consoles are not reachable this way.
pub fn partition(partition: &str) -> Option<Partition> {
    match partition {
        "aws" => Some(Partition {
            signin: "signin.aws.amazon.com",
            console: "console.aws.amazon.com",
        }),
        "aws-us-gov" => Some(Partition {
            signin: "signin.amazonaws-us-gov.com",
            console: "console.amazonaws-us-gov.com",
        }),
        "aws-cn" => Some(Partition {
            signin: "signin.amazonaws.cn",
            console: "console.amazonaws.cn",
        }),
        _ => None,
    }
}

/// The federation endpoint: `https://<signin host>/federation`, or `AWSENV_FEDERATION_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// scheme://host[:port]
    base: String,
    /// The path, from `/`.
    path: String,
}

impl Endpoint {
    pub fn for_partition(p: &Partition) -> Endpoint {
        Endpoint {
            base: format!("https://{}", p.signin),
            path: "/federation".to_string(),
        }
    }

    /// An override: https anywhere, plain http only to this machine (the session travels in
    /// the query). "This machine" is decided on the address the URL parser found, and the URL
    /// used is that parser's, so what is checked is what is connected to.
    pub fn parse(raw: &str) -> Result<Endpoint> {
        let bad = |why: &str| {
            Error::usage(format!(
                "AWSENV_FEDERATION_URL `{}` {why}; give a URL such as \
                 https://signin.aws.amazon.com/federation",
                raw.escape_debug()
            ))
        };
        let url = url::Url::parse(raw).map_err(|_| bad("is not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("has a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("has a query or fragment"));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d == "localhost",
            None => return Err(bad("has no host")),
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(bad(
                    "is plain http to another machine (http only to 127.0.0.0/8, [::1] or \
                     localhost)",
                ))
            }
            _ => return Err(bad("is neither https nor http")),
        }
        Ok(Endpoint {
            base: url[..url::Position::BeforePath].to_string(),
            path: url.path().to_string(),
        })
    }

    pub fn url(&self) -> String {
        format!("{}{}", self.base, self.path)
    }
}

/// The query of a getSigninToken request: Session JSON, and SessionDuration when given.
pub fn signin_token_query(session: &Session, duration: Option<u64>) -> String {
    let json = serde_json::json!({
        "sessionId": session.access_key_id,
        "sessionKey": session.secret_access_key,
        "sessionToken": session.session_token,
    })
    .to_string();
    let mut q = "Action=getSigninToken".to_string();
    if let Some(d) = duration {
        q.push_str(&format!("&SessionDuration={d}"));
    }
    q.push_str("&Session=");
    q.extend(utf8_percent_encode(&json, QUERY));
    q
}

/// The sign-in URL for `token`, landing on `destination`.
pub fn login_url(endpoint: &Endpoint, issuer: &str, destination: &str, token: &str) -> String {
    let enc = |s: &str| utf8_percent_encode(s, QUERY).to_string();
    format!(
        "{}?Action=login&Issuer={}&Destination={}&SigninToken={}",
        endpoint.url(),
        enc(issuer),
        enc(destination),
        enc(token)
    )
}

/// What the endpoint answered instead of a token.
#[derive(Debug)]
pub struct FederationError {
    status: u16,
    meta: ErrorMetadata,
}

impl std::fmt::Display for FederationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)
    }
}

impl std::error::Error for FederationError {}

impl ProvideErrorMetadata for FederationError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

fn parse_token(
    resp: &HttpResponse,
) -> std::result::Result<String, OrchestratorError<FederationError>> {
    let status = resp.status().as_u16();
    let token = resp
        .body()
        .bytes()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("SigninToken")?.as_str().map(str::to_string))
        .filter(|t| !t.is_empty());
    match token {
        Some(t) if resp.status().is_success() => Ok(t),
        _ => Err(OrchestratorError::operation(FederationError {
            status,
            // The body may echo the request, and so the session: it is never shown.
            meta: ErrorMetadata::builder()
                .code(format!("HTTP{status}"))
                .build(),
        })),
    }
}

/// Exchanges the session for a sign-in token (GET, as the endpoint expects).
pub async fn signin_token(
    endpoint: &Endpoint,
    session: &Session,
    duration: Option<u64>,
) -> Result<String> {
    log::secret(&session.secret_access_key);
    log::secret(&session.session_token);
    let op = Operation::builder()
        .service_name("signin")
        .operation_name("getSigninToken")
        .behavior_version(BehaviorVersion::latest())
        .http_client(https_client())
        .endpoint_url(&endpoint.base)
        .no_auth()
        .standard_retry(&RetryConfig::standard())
        .retry_classifier(HttpStatusCodeClassifier::default())
        .timeout_config(timeout_config())
        .serializer(|uri: String| {
            let mut req = HttpRequest::new(SdkBody::empty());
            req.set_uri(uri)?;
            Ok(req)
        })
        .deserializer(parse_token)
        .build();
    let uri = format!(
        "{}?{}",
        endpoint.path,
        signin_token_query(session, duration)
    );
    log::debug(format_args!(
        "getSigninToken at {} ({})",
        endpoint.url(),
        match duration {
            Some(d) => format!("SessionDuration={d}"),
            None => "no SessionDuration".to_string(),
        }
    ));
    match op.invoke(uri).await {
        Ok(token) => {
            log::secret(&token);
            Ok(token)
        }
        Err(SdkError::ServiceError(se)) if se.raw().status().as_u16() < 500 => {
            let status = se.raw().status().as_u16();
            Err(refused(endpoint, status, duration.is_some()))
        }
        Err(e) => Err(sdk_error("getSigninToken", &endpoint.url(), e)),
    }
}

fn refused(endpoint: &Endpoint, status: u16, with_duration: bool) -> Error {
    let url = endpoint.url();
    if (200..300).contains(&status) {
        return Error::Rejected(format!(
            "the sign-in endpoint {url} answered without a SigninToken (HTTP {status}); is \
             AWSENV_FEDERATION_URL a federation endpoint?"
        ));
    }
    let hint = if with_duration {
        "If the session was made from another role's credentials (role chaining), the \
         endpoint refuses a SessionDuration: run `awsenv console` without -d."
    } else {
        "The session may have expired, or it is not a role session: get a fresh one (`awsenv \
         assume ROLE`, or `awsenv console ROLE`)."
    };
    Error::Rejected(format!(
        "the sign-in endpoint {url} refused the session (HTTP {status}). {hint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "se/cr+et".into(),
            session_token: "to ken=".into(),
            expires_at: 0,
            session_arn: String::new(),
        }
    }

    #[test]
    fn query_and_login_url_exact() {
        assert_eq!(
            signin_token_query(&session(), Some(3600)),
            "Action=getSigninToken&SessionDuration=3600&Session=%7B%22sessionId%22%3A%22ASIAEXAMPLE%22%2C%22sessionKey%22%3A%22se%2Fcr%2Bet%22%2C%22sessionToken%22%3A%22to%20ken%3D%22%7D"
        );
        assert!(!signin_token_query(&session(), None).contains("SessionDuration"));
        let e = Endpoint::for_partition(&partition("aws-cn").unwrap());
        assert_eq!(
            login_url(&e, "awsenv", "https://console.amazonaws.cn/s3/home?region=cn-north-1", "t/k"),
            "https://signin.amazonaws.cn/federation?Action=login&Issuer=awsenv&Destination=https%3A%2F%2Fconsole.amazonaws.cn%2Fs3%2Fhome%3Fregion%3Dcn-north-1&SigninToken=t%2Fk"
        );
    }

    #[test]
    fn endpoint_overrides() {
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8080/a/federation")
                .unwrap()
                .url(),
            "http://127.0.0.1:8080/a/federation"
        );
        assert_eq!(
            Endpoint::parse("https://signin.example.com").unwrap().url(),
            "https://signin.example.com/"
        );
        for good in [
            "http://127.1.2.3/f",
            "http://[::1]:9/f",
            "http://localhost:8080/f",
        ] {
            assert_eq!(Endpoint::parse(good).unwrap().url(), good);
        }
        for bad in [
            "http://signin.example.com/federation",
            "ftp://127.0.0.1/x",
            "127.0.0.1/x",
            "https://u@h/x",
            "https://h/x?a=1",
            "https://h/x#a",
            // Names that merely look local.
            "http://127.evil.example/federation",
            "http://127.0.0.1.evil.example/federation",
            "http://localhost.evil.example/federation",
            "http://[::ffff:8.8.8.8]/federation",
            "http://127.0.0.1@evil.example/federation",
            "http://evil.example#@127.0.0.1/federation",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
        // What is connected to is what the parser saw.
        assert_eq!(
            Endpoint::parse("http://0x7f.1:80/f").unwrap().url(),
            "http://127.0.0.1/f"
        );
        assert_eq!(partition("aws-iso"), None);
        assert_eq!(
            partition("aws-us-gov").unwrap().signin,
            "signin.amazonaws-us-gov.com"
        );
    }
}
