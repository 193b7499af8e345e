//! `awsenv console`: a sign-in URL for the AWS console, for the session active in this shell
//! or for a role got through the session pipeline. Which SessionDuration to send (or none),
//! which partition's hosts, and where the console lands.

use crate::aws::config::runtime;
use crate::aws::federation::{self, Endpoint, Partition};
use crate::creds::{now, Session};
use crate::env::vars::{
    AWSENV_EXPIRES_AT, AWSENV_ROLE, AWSENV_ROLE_ARN, AWSENV_SESSION_ARN, AWSENV_SOURCE,
    AWS_ACCESS_KEY_ID, AWS_DEFAULT_REGION, AWS_REGION, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
};
use crate::environ;
use crate::error::{Error, Result};
use crate::log;
use crate::role::partition_for_region;
use crate::session::chaining::{chaining, Chaining};
use crate::session::pipeline::Prepared;

/// Shown as the sign-in's issuer.
const ISSUER: &str = "awsenv";

/// Where the console opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Home,
    Service(String),
    Url(String),
}

impl Destination {
    pub fn parse(service: Option<&str>, url: Option<&str>) -> Result<Destination> {
        match (service, url) {
            (Some(s), _) => {
                let ok = (1..=64).contains(&s.len())
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !ok {
                    return Err(Error::usage(format!(
                        "--service `{}` is not a console service name (such as s3, ec2, iam, \
                         cloudwatch)",
                        s.escape_debug()
                    )));
                }
                Ok(Destination::Service(s.to_string()))
            }
            (None, Some(u)) => {
                if !u.starts_with("https://") || u.len() > 2048 || u.contains(char::is_whitespace) {
                    return Err(Error::usage(format!(
                        "--destination `{}` is not an https:// URL",
                        u.escape_debug()
                    )));
                }
                Ok(Destination::Url(u.to_string()))
            }
            (None, None) => Ok(Destination::Home),
        }
    }

    /// The URL, on the partition's console, in `region` when one is known.
    pub fn url(&self, hosts: &Partition, region: Option<&str>) -> String {
        let service = match self {
            Destination::Url(u) => return u.clone(),
            Destination::Service(s) => s.as_str(),
            Destination::Home => "console",
        };
        match region {
            // The commercial console has a host per region; the others take the region only
            // as a parameter.
            Some(r) if hosts.console == "console.aws.amazon.com" => {
                format!("https://{r}.{}/{service}/home?region={r}", hosts.console)
            }
            Some(r) => format!("https://{}/{service}/home?region={r}", hosts.console),
            None => format!("https://{}/{service}/home", hosts.console),
        }
    }
}

/// The session to sign in with, and what tells how it was made.
pub struct ConsoleSession {
    pub session: Session,
    /// The role's ARN (for the partition and the messages).
    pub role_arn: String,
    /// The source's label (`AWSENV_SOURCE` or the cache entry's), if awsenv made the session.
    pub source: Option<String>,
    pub region: Option<String>,
}

fn env_region() -> Option<String> {
    environ::value(AWS_REGION).or_else(|| environ::value(AWS_DEFAULT_REGION))
}

impl ConsoleSession {
    /// The credentials in this shell's environment.
    pub fn from_environment() -> Result<ConsoleSession> {
        let (Some(id), Some(secret)) = (
            environ::value(AWS_ACCESS_KEY_ID),
            environ::value(AWS_SECRET_ACCESS_KEY),
        ) else {
            return Err(Error::NoCredentials(
                "no role is active in this shell (AWS_ACCESS_KEY_ID is not set): assume one \
                 first (`sudo-on ROLE`), or name it: `awsenv console ROLE`"
                    .into(),
            ));
        };
        let Some(token) = environ::value(AWS_SESSION_TOKEN) else {
            return Err(Error::NoCredentials(format!(
                "the credentials in this shell ({id}) are long-term keys; the console sign-in \
                 needs a role session. Run `awsenv console ROLE`, or assume a role first."
            )));
        };
        let role = environ::value(AWSENV_ROLE).unwrap_or_else(|| "the active session".into());
        if let Some(at) = environ::value(AWSENV_EXPIRES_AT).and_then(|v| v.parse::<i64>().ok()) {
            if at <= now() {
                return Err(Error::BadCredentials(format!(
                    "{role}'s session expired {} ago; get a new one (`sudo-on`, `awsenv assume`) \
                     or run `awsenv console ROLE`",
                    humantime::format_duration(std::time::Duration::from_secs((now() - at) as u64))
                )));
            }
        }
        log::secret(&secret);
        log::secret(&token);
        Ok(ConsoleSession {
            session: Session {
                access_key_id: id,
                secret_access_key: secret,
                session_token: token,
                expires_at: 0,
                session_arn: environ::value(AWSENV_SESSION_ARN).unwrap_or_default(),
            },
            role_arn: environ::value(AWSENV_ROLE_ARN).unwrap_or_default(),
            source: environ::value(AWSENV_SOURCE),
            region: env_region(),
        })
    }

    /// A session from the pipeline (`awsenv console ROLE`).
    pub fn from_prepared(p: &Prepared) -> ConsoleSession {
        ConsoleSession {
            session: p.role.session.clone(),
            role_arn: p.role.role_arn.clone(),
            source: Some(p.role.source.clone()),
            region: p.role.region.clone().or_else(env_region),
        }
    }
}

/// What to ask for.
pub struct ConsoleRequest {
    pub destination: Destination,
    /// `--region`, over the session's.
    pub region: Option<String>,
    /// The console session's length when SessionDuration may be sent.
    pub duration: u64,
    /// `-d` was given: say so when it cannot be honoured.
    pub duration_given: bool,
}

/// The sign-in URL: a credential for 15 minutes.
pub fn sign_in_url(cs: &ConsoleSession, req: &ConsoleRequest) -> Result<String> {
    let region = req.region.clone().or_else(|| cs.region.clone());
    let partition_name = cs
        .role_arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| partition_for_region(region.as_deref().unwrap_or("")));
    let hosts = federation::partition(partition_name).ok_or_else(|| {
        Error::usage(format!(
            "the {partition_name} partition has no console sign-in that awsenv can reach; \
             awsenv knows aws, aws-us-gov and aws-cn"
        ))
    })?;
    let endpoint = match environ::value("AWSENV_FEDERATION_URL") {
        Some(u) => Endpoint::parse(&u)?,
        None => Endpoint::for_partition(&hosts),
    };
    let destination = req.destination.url(&hosts, region.as_deref());
    let rt = runtime()?;
    let duration = match rt.block_on(chaining(cs.source.as_deref())) {
        Chaining::No(why) => {
            log::debug(format_args!("SessionDuration={}: {why}", req.duration));
            Some(req.duration)
        }
        Chaining::Yes(why) | Chaining::Unknown(why) => {
            // The endpoint fails a chained session that has one; without it the console
            // session gets the endpoint's default length.
            let note = "no SessionDuration is sent: the sign-in endpoint refuses one for a \
                        session made by role chaining, and";
            if req.duration_given {
                log::warn(format_args!("-d is not used: {note} {why}"));
            } else {
                log::debug(format_args!("{note} {why}"));
            }
            None
        }
    };
    let token = rt.block_on(federation::signin_token(&endpoint, &cs.session, duration))?;
    let url = federation::login_url(&endpoint, ISSUER, &destination, &token);
    log::secret(&url);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_per_partition() {
        let aws = federation::partition("aws").unwrap();
        let gov = federation::partition("aws-us-gov").unwrap();
        let s3 = Destination::parse(Some("s3"), None).unwrap();
        assert_eq!(
            s3.url(&aws, Some("eu-west-1")),
            "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"
        );
        assert_eq!(
            s3.url(&gov, Some("us-gov-west-1")),
            "https://console.amazonaws-us-gov.com/s3/home?region=us-gov-west-1"
        );
        assert_eq!(
            Destination::Home.url(&aws, None),
            "https://console.aws.amazon.com/console/home"
        );
        let u = Destination::parse(None, Some("https://x.example/a?b=c")).unwrap();
        assert_eq!(u.url(&aws, Some("r")), "https://x.example/a?b=c");
        assert!(Destination::parse(Some("S3;x"), None).is_err());
        assert!(Destination::parse(None, Some("javascript:alert(1)")).is_err());
        assert!(Destination::parse(None, Some("http://x")).is_err());
    }
}
