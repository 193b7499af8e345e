//! STS calls: AssumeRole and GetCallerIdentity, signed with one set of source credentials.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::types::{PolicyDescriptorType, Tag};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::date_time::Format;

use crate::aws::errors::sdk_error;
use crate::creds::Session;
use crate::error::{Error, Result};
use crate::log;
use crate::role::RoleArn;

/// STS calls signed with one set of source credentials and nothing else.
pub struct Sts {
    config: SdkConfig,
    creds: Credentials,
    client: aws_sdk_sts::Client,
}

impl Sts {
    pub fn new(config: SdkConfig, creds: Credentials) -> Sts {
        let conf = aws_sdk_sts::config::Builder::from(&config)
            .credentials_provider(creds.clone())
            .build();
        Sts {
            client: aws_sdk_sts::Client::from_conf(conf),
            config,
            creds,
        }
    }

    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    pub fn client(&self) -> &aws_sdk_sts::Client {
        &self.client
    }

    /// An IAM client with the same configuration and credentials.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&self.config)
                .credentials_provider(self.creds.clone())
                .build(),
        )
    }

    /// The caller's identity: (account, partition, arn).
    pub async fn caller_identity(&self) -> Result<(String, String, String)> {
        let out = self
            .client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_error("GetCallerIdentity", "", e))?;
        let arn = out.arn().unwrap_or_default().to_string();
        let account = out.account().unwrap_or_default().to_string();
        let partition = arn.split(':').nth(1).unwrap_or("aws").to_string();
        Ok((account, partition, arn))
    }

    /// GetCallerIdentity, and the time the endpoint said it answered (its `Date` header, also
    /// on an error: a signature refused for clock skew still says the endpoint's time).
    pub async fn caller_identity_and_time(
        &self,
    ) -> (Result<(String, String, String)>, Option<i64>) {
        let seen = DateSeen::default();
        let result = self
            .client
            .get_caller_identity()
            .customize()
            .interceptor(seen.clone())
            .send()
            .await
            .map_err(|e| sdk_error("GetCallerIdentity", "", e))
            .map(|out| {
                let arn = out.arn().unwrap_or_default().to_string();
                let account = out.account().unwrap_or_default().to_string();
                let partition = arn.split(':').nth(1).unwrap_or("aws").to_string();
                (account, partition, arn)
            });
        let time = seen.0.lock().ok().and_then(|t| *t);
        (result, time)
    }

    pub async fn assume_role(
        &self,
        input: &AssumeRoleInput,
        token_code: Option<&str>,
    ) -> Result<Session> {
        let mut req = self
            .client
            .assume_role()
            .role_arn(&input.role_arn)
            .role_session_name(&input.session_name)
            .duration_seconds(input.duration as i32)
            .set_external_id(input.external_id.clone())
            .set_source_identity(input.source_identity.clone())
            .set_policy(input.policy.clone())
            .set_serial_number(input.mfa_serial.clone())
            .set_token_code(token_code.map(str::to_string));
        for arn in &input.policy_arns {
            req = req.policy_arns(PolicyDescriptorType::builder().arn(arn).build());
        }
        for (k, v) in &input.tags {
            let tag = Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| Error::usage(format!("invalid tag `{k}`: {e}")))?;
            req = req.tags(tag);
        }
        log::debug(format_args!(
            "AssumeRole {} as session {} for {}s",
            input.role_arn, input.session_name, input.duration
        ));
        let out = match req.send().await {
            Ok(out) => out,
            Err(e) => {
                let too_long = matches!(&e, SdkError::ServiceError(se)
                    if se.err().message().is_some_and(|m| m.contains("MaxSessionDuration")));
                let err = sdk_error("AssumeRole", &input.role_arn, e);
                if too_long {
                    return Err(match self.max_session_duration(&input.role_arn).await {
                        MaxDuration::Known(max) => Error::Rejected(format!(
                            "{} allows sessions of at most {max}s ({}); you asked for {}s. \
                             Use -d {max} or less.",
                            input.role_arn,
                            humantime::format_duration(Duration::from_secs(max)),
                            input.duration
                        )),
                        MaxDuration::OtherAccount { role, caller } => Error::Rejected(format!(
                            "{} does not allow sessions of {}s. Its limit (MaxSessionDuration) \
                             cannot be told from here: the role is in account {role} and IAM \
                             shows only your own account's ({caller}) roles. Ask for less with \
                             -d (roles allow 1h unless their owner raised the limit, up to 12h), \
                             or ask the role's owner for its limit.",
                            input.role_arn, input.duration
                        )),
                        MaxDuration::Unknown => err,
                    });
                }
                return Err(err);
            }
        };
        let arn = out.assumed_role_user().map(|u| u.arn().to_string());
        session_of("AssumeRole", out.credentials(), arn.unwrap_or_default())
    }

    /// GetSessionToken with an MFA code: the IAM user's own session, MFA present, for
    /// `duration` seconds. Only long-term user keys may ask (AWS refuses session credentials).
    pub async fn mfa_session(&self, duration: u64, serial: &str, code: &str) -> Result<Session> {
        log::debug(format_args!(
            "GetSessionToken with MFA device {serial} for {duration}s"
        ));
        let out = self
            .client
            .get_session_token()
            .duration_seconds(duration as i32)
            .serial_number(serial)
            .token_code(code)
            .send()
            .await
            .map_err(|e| match sdk_error("GetSessionToken", serial, e) {
                Error::AccessDenied(m) => Error::AccessDenied(format!(
                    "the MFA code was refused for {serial}: {}\nType the code your device \
                     shows now (it changes every 30 seconds), and check that {serial} is the \
                     device of the IAM user whose key is the source.",
                    m.lines().next().unwrap_or_default()
                )),
                other => other,
            })?;
        session_of("GetSessionToken", out.credentials(), String::new())
    }

    /// The same configuration, signing with `session`'s credentials instead.
    pub fn with_session(&self, session: &Session) -> Sts {
        let creds = Credentials::new(
            &session.access_key_id,
            &session.secret_access_key,
            Some(session.session_token.clone()),
            None,
            "awsenv-mfa-session",
        );
        Sts::new(self.config.clone(), creds)
    }

    /// The role's MaxSessionDuration. GetRole takes a bare name and reads it in the caller's
    /// account, so it is asked only when the role is in that account: a same-named role there
    /// would give another role's limit.
    async fn max_session_duration(&self, role_arn: &str) -> MaxDuration {
        let Some(arn) = RoleArn::parse(role_arn) else {
            return MaxDuration::Unknown;
        };
        let caller = match self.caller_identity().await {
            Ok((account, _, _)) => account,
            Err(_) => return MaxDuration::Unknown,
        };
        if caller != arn.account {
            return MaxDuration::OtherAccount {
                role: arn.account,
                caller,
            };
        }
        let out = match self.iam().get_role().role_name(&arn.name).send().await {
            Ok(out) => out,
            Err(_) => return MaxDuration::Unknown,
        };
        // A path is part of the role's identity: a role of that name on another path is not it.
        match out.role() {
            Some(r) if r.arn() == role_arn => r
                .max_session_duration()
                .map_or(MaxDuration::Unknown, |d| MaxDuration::Known(d as u64)),
            _ => MaxDuration::Unknown,
        }
    }
}

/// What can be told about a role's MaxSessionDuration.
enum MaxDuration {
    Known(u64),
    /// The role is in another account than the caller's, whose roles IAM will not show.
    OtherAccount {
        role: String,
        caller: String,
    },
    /// Not readable (no iam:GetRole, or the call failed): the generic message stands.
    Unknown,
}

/// Records the `Date` of the last response, in seconds since the epoch.
#[derive(Debug, Clone, Default)]
struct DateSeen(std::sync::Arc<std::sync::Mutex<Option<i64>>>);

impl Intercept for DateSeen {
    fn name(&self) -> &'static str {
        "awsenv::DateSeen"
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), BoxError> {
        let date = context
            .response()
            .headers()
            .get("date")
            .and_then(|d| aws_smithy_types::DateTime::from_str(d, Format::HttpDate).ok());
        if let (Some(d), Ok(mut slot)) = (date, self.0.lock()) {
            *slot = Some(d.secs());
        }
        Ok(())
    }
}

/// Everything AssumeRole is asked with; also the key of the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AssumeRoleInput {
    pub role_arn: String,
    pub session_name: String,
    pub duration: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_arns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_serial: Option<String>,
}

/// The session in an STS answer, its secrets registered for redaction first.
fn session_of(
    op: &str,
    creds: Option<&aws_sdk_sts::types::Credentials>,
    session_arn: String,
) -> Result<Session> {
    let creds =
        creds.ok_or_else(|| Error::Rejected(format!("STS answered {op} without credentials")))?;
    log::secret(creds.secret_access_key());
    log::secret(creds.session_token());
    Ok(Session {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().to_string(),
        expires_at: creds.expiration().secs(),
        session_arn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config::{BehaviorVersion, Region};
    use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
    use aws_smithy_types::body::SdkBody;

    fn replay(responses: &[(u16, &str)]) -> Sts {
        replay_recorded(responses).0
    }

    /// Also the client, to see which requests were made.
    fn replay_recorded(responses: &[(u16, &str)]) -> (Sts, StaticReplayClient) {
        let events = responses
            .iter()
            .map(|(status, body)| {
                ReplayEvent::new(
                    http::Request::builder()
                        .uri("https://sts.us-east-1.amazonaws.com/")
                        .body(SdkBody::empty())
                        .unwrap(),
                    http::Response::builder()
                        .status(*status)
                        .body(SdkBody::from(body.to_string()))
                        .unwrap(),
                )
            })
            .collect();
        let creds = Credentials::for_tests();
        let client = StaticReplayClient::new(events);
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .http_client(client.clone())
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(creds.clone()),
            )
            .build();
        (Sts::new(config, creds), client)
    }

    /// The Action of each request the client was asked to send.
    fn actions(client: &StaticReplayClient) -> Vec<String> {
        client
            .actual_requests()
            .map(|r| {
                let body = String::from_utf8_lossy(r.body().bytes().unwrap_or_default());
                body.split('&')
                    .find_map(|kv| kv.strip_prefix("Action="))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    fn caller_in(account: &str) -> String {
        format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/dev</Arn>\
             <UserId>AIDAX</UserId><Account>{account}</Account></GetCallerIdentityResult>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
             </GetCallerIdentityResponse>"
        )
    }

    fn get_role(arn: &str, max: u64) -> String {
        format!(
            "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <GetRoleResult><Role><Path>/</Path><RoleName>T</RoleName><RoleId>AROAX</RoleId>\
             <Arn>{arn}</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate>\
             <AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument>\
             <MaxSessionDuration>{max}</MaxSessionDuration></Role></GetRoleResult>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>"
        )
    }

    fn error_xml(code: &str, msg: &str) -> String {
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error>\
             <RequestId>r</RequestId></ErrorResponse>"
        )
    }

    fn input() -> AssumeRoleInput {
        AssumeRoleInput {
            role_arn: "arn:aws:iam::123456789012:role/T".into(),
            session_name: "s1".into(),
            duration: 7200,
            ..Default::default()
        }
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    const TOO_LONG: &str =
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";

    #[test]
    fn max_session_duration_of_a_role_in_the_callers_account() {
        let (sts, client) = replay_recorded(&[
            (400, &error_xml("ValidationError", TOO_LONG)),
            (200, &caller_in("123456789012")),
            (200, &get_role("arn:aws:iam::123456789012:role/T", 3600)),
        ]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 6);
        let msg = err.to_string();
        assert!(msg.contains("at most 3600s (1h)"), "{msg}");
        assert!(
            msg.contains("asked for 7200s") && msg.contains("-d 3600"),
            "{msg}"
        );
        assert_eq!(
            actions(&client),
            ["AssumeRole", "GetCallerIdentity", "GetRole"]
        );
    }

    #[test]
    fn max_session_duration_of_a_role_in_another_account_is_not_guessed() {
        // The caller's own account has a role of the same name with another limit: GetRole by
        // name would read that one.
        let (sts, client) = replay_recorded(&[
            (400, &error_xml("ValidationError", TOO_LONG)),
            (200, &caller_in("111122223333")),
            (200, &get_role("arn:aws:iam::111122223333:role/T", 43200)),
        ]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 6);
        let msg = err.to_string();
        assert!(msg.contains("cannot be told from here"), "{msg}");
        assert!(
            msg.contains("account 123456789012") && msg.contains("(111122223333)"),
            "{msg}"
        );
        assert!(!msg.contains("43200"), "{msg}");
        assert_eq!(actions(&client), ["AssumeRole", "GetCallerIdentity"]);
    }

    #[test]
    fn max_session_duration_without_iam_read() {
        let denied = error_xml("AccessDenied", "not authorized to perform iam:GetRole");
        let sts = replay(&[
            (400, &error_xml("ValidationError", TOO_LONG)),
            (200, &caller_in("123456789012")),
            (403, &denied),
        ]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 6);
        let msg = err.to_string();
        assert!(msg.contains("does not allow sessions that long"), "{msg}");
        assert!(msg.contains("-d"), "{msg}");
    }

    #[test]
    fn packed_size_is_explained() {
        let sts = replay(&[(
            400,
            &error_xml(
                "PackedPolicyTooLarge",
                "Packed policy consumes 112% of allotted space",
            ),
        )]);
        let msg = run(sts.assume_role(&input(), None))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("112%") && msg.contains("--policy"), "{msg}");
    }

    #[test]
    fn expired_token() {
        let sts = replay(&[(
            403,
            &error_xml(
                "ExpiredToken",
                "The security token included in the request is expired",
            ),
        )]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.to_string().contains("expired"));
    }

    #[test]
    fn nested_error_bodies_are_understood() {
        let body = "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code>\
            <Message>User: arn:aws:iam::123456789012:user/dev is not authorized &amp; so on</Message>\
            </Error></Errors></ErrorResponse>";
        let sts = replay(&[(403, body)]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        let msg = err.to_string();
        assert!(msg.contains("user/dev is not authorized & so on"), "{msg}");
        assert!(msg.contains("trust policy"), "{msg}");
    }

    #[test]
    fn malformed_answer() {
        let sts = replay(&[(200, "<not xml")]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 6);
    }
}
