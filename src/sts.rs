//! STS: the SDK configuration awsenv uses, source credentials, AssumeRole, and the mapping of
//! every failure to a message that says what to do.

use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::types::{PolicyDescriptorType, Tag};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::error::{scrub, Error, Result};
use crate::log;

/// Bounds for every network call: a dead endpoint fails in seconds, not minutes. With the
/// SDK's standard retry (3 attempts) a call ends within `OPERATION_TIMEOUT`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(25);

/// The bound on one AWS call, retries included: `AWSENV_TIMEOUT` seconds (1 to 300), else
/// `OPERATION_TIMEOUT`.
pub fn operation_timeout() -> Duration {
    std::env::var("AWSENV_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| (1..=300).contains(n))
        .map(Duration::from_secs)
        .unwrap_or(OPERATION_TIMEOUT)
}

/// Region STS is called in when none is configured anywhere: STS is global and every
/// partition-`aws` account answers there, so there is no reason to wait on IMDS for one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Where source credentials come from.
#[derive(Debug, Clone)]
pub enum SourceKind {
    /// The SDK's default chain over the environment as it was before any awsenv role.
    Default,
    /// A named profile (`--profile`).
    Profile(String),
    /// The active awsenv role (`--chain`).
    ActiveRole,
}

/// Loads the SDK configuration. Call before any other thread exists: it may adjust this
/// process's environment (never the user's shell).
pub async fn load_config(region: Option<&str>, source: &SourceKind) -> SdkConfig {
    if std::env::var_os("AWS_EC2_METADATA_DISABLED").is_none() && !looks_like_ec2() {
        // Off EC2 the metadata service cannot answer, and the SDK would wait a second per
        // probe before giving up: fail fast instead. On EC2 (or with an explicit setting)
        // the SDK's own behaviour stands.
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let profile = match source {
        SourceKind::Profile(p) => Some(p.clone()),
        _ => None,
    };
    let mut regions = RegionProviderChain::first_try(region.map(|r| Region::new(r.to_string())))
        .or_else(aws_config::environment::EnvironmentVariableRegionProvider::new());
    let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(p) = &profile {
        profile_region = profile_region.profile_name(p);
    }
    regions = regions.or_else(profile_region.build());
    if std::env::var("AWS_EC2_METADATA_DISABLED").as_deref() != Ok("true") {
        regions = regions.or_else(aws_config::imds::region::ImdsRegionProvider::builder().build());
    }
    let regions = regions.or_else(Region::from_static(FALLBACK_REGION));

    let total = operation_timeout();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(regions)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(total))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT.min(total))
                .operation_timeout(total)
                .build(),
        );
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

/// A cheap test for "this is an EC2 instance", from files the hypervisor provides.
fn looks_like_ec2() -> bool {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    read("/sys/devices/virtual/dmi/id/sys_vendor").trim() == "Amazon EC2"
        || read("/sys/devices/virtual/dmi/id/board_asset_tag").starts_with("i-")
        || read("/sys/hypervisor/uuid").starts_with("ec2")
}

/// Resolves the source credentials once, so errors are classified before STS is called and the
/// STS client does not resolve them a second time (a profile role chain would call STS twice).
pub async fn source_credentials(config: &SdkConfig, source: &SourceKind) -> Result<Credentials> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| Error::NoCredentials("no credentials provider is configured".to_string()))?;
    let creds = provider
        .provide_credentials()
        .await
        .map_err(|e| credentials_error(&e, source))?;
    log::secret(creds.secret_access_key());
    if let Some(t) = creds.session_token() {
        log::secret(t);
    }
    Ok(creds)
}

fn credentials_error(e: &CredentialsError, source: &SourceKind) -> Error {
    let detail = scrub(&error_chain(e), &[]);
    match (e, source) {
        (CredentialsError::CredentialsNotLoaded(_), SourceKind::Profile(p)) => {
            Error::NoCredentials(format!(
                "profile `{p}` gave no credentials: {detail}\nCheck `aws configure list --profile {p}`, \
                 or log in first (e.g. `aws sso login --profile {p}`)."
            ))
        }
        (CredentialsError::CredentialsNotLoaded(_), _) => Error::NoCredentials(format!(
            "no AWS credentials found to assume the role with.\nSet AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY, run `aws configure`, name a profile with --profile, or log \
             in with `aws sso login`. ({detail})"
        )),
        (CredentialsError::ProviderTimedOut(_), _) => Error::Network(format!(
            "timed out while loading the source credentials: {detail}"
        )),
        (CredentialsError::InvalidConfiguration(_), _) => Error::NoCredentials(format!(
            "the AWS configuration is invalid: {detail}\nFix the profile in ~/.aws/config (or \
             AWS_CONFIG_FILE)."
        )),
        _ => Error::NoCredentials(format!("cannot load the source credentials: {detail}")),
    }
}

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
                    let name = input.role_arn.rsplit('/').next().unwrap_or_default();
                    if let Some(max) = self.max_session_duration(name).await {
                        return Err(Error::Rejected(format!(
                            "{} allows sessions of at most {max}s ({}); you asked for {}s. \
                             Use -d {max} or less.",
                            input.role_arn,
                            humantime::format_duration(Duration::from_secs(max)),
                            input.duration
                        )));
                    }
                }
                return Err(err);
            }
        };
        let creds = out.credentials().ok_or_else(|| {
            Error::Rejected("STS answered AssumeRole without credentials".to_string())
        })?;
        log::secret(creds.secret_access_key());
        log::secret(creds.session_token());
        Ok(Session {
            access_key_id: creds.access_key_id().to_string(),
            secret_access_key: creds.secret_access_key().to_string(),
            session_token: creds.session_token().to_string(),
            expires_at: creds.expiration().secs(),
            session_arn: out
                .assumed_role_user()
                .map(|u| u.arn().to_string())
                .unwrap_or_default(),
        })
    }

    /// The role's MaxSessionDuration, when the caller may read it (iam:GetRole).
    async fn max_session_duration(&self, role_name: &str) -> Option<u64> {
        let conf = aws_sdk_iam::config::Builder::from(&self.config)
            .credentials_provider(self.creds.clone())
            .build();
        let iam = aws_sdk_iam::Client::from_conf(conf);
        let out = iam.get_role().role_name(role_name).send().await.ok()?;
        out.role()
            .and_then(|r| r.max_session_duration())
            .map(|d| d as u64)
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

/// A session STS returned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
    pub session_arn: String,
}

impl Session {
    /// RFC 3339 in UTC with `Z`, as the AWS CLI exports it and starship reads it.
    pub fn expiration_rfc3339(&self) -> String {
        aws_smithy_types::DateTime::from_secs(self.expires_at)
            .fmt(Format::DateTime)
            .unwrap_or_default()
    }
}

/// Maps an SDK failure to an error that says what happened and what to do. `target` is the
/// role (or other resource) the call was about, for the message.
pub fn sdk_error<E>(op: &str, target: &str, err: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(se) if se.raw().status().as_u16() >= 500 => {
            let (code, message) = match se.err().code() {
                Some(c) => (c.to_string(), se.err().message().unwrap_or("").to_string()),
                None => raw_error_fields(se.raw()),
            };
            Error::Unavailable(format!(
                "{op}: the AWS endpoint is failing (HTTP {}, {code}: {}) and still was after \
                 3 attempts. Try again later; check AWS_ENDPOINT_URL if you set one.",
                se.raw().status().as_u16(),
                scrub(&message, &[])
            ))
        }
        SdkError::ServiceError(se) if se.raw().status().is_success() => Error::Rejected(format!(
            "{op}: the endpoint's answer could not be understood (HTTP {} with a body that is \
             not {op}'s response). Is AWS_ENDPOINT_URL an AWS API?",
            se.raw().status().as_u16()
        )),
        SdkError::ServiceError(se) => {
            let e = se.err();
            match e.code() {
                Some(code) => service_error(op, target, code, e.message().unwrap_or("")),
                None => {
                    let (code, message) = raw_error_fields(se.raw());
                    service_error(op, target, &code, &message)
                }
            }
        }
        SdkError::TimeoutError(_) => Error::Network(format!(
            "{op} timed out (no answer within {}s, AWSENV_TIMEOUT). Check your network, proxy \
             and AWS_ENDPOINT_URL, then try again.",
            operation_timeout().as_secs()
        )),
        SdkError::DispatchFailure(d) => {
            let what = if d.is_timeout() {
                "timed out connecting to"
            } else {
                "cannot reach"
            };
            Error::Network(format!(
                "{op}: {what} the AWS endpoint: {}.\nCheck your network, proxy and \
                 AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS.",
                scrub(&error_chain(&err), &[])
            ))
        }
        SdkError::ResponseError(_) => Error::Rejected(format!(
            "{op}: the endpoint's answer could not be understood ({}). Is AWS_ENDPOINT_URL an \
             AWS API?",
            scrub(&error_chain(&err), &[])
        )),
        _ => Error::Rejected(format!("{op} failed: {}", scrub(&error_chain(&err), &[]))),
    }
}

/// Code and message from an error body the SDK could not parse: some endpoints (moto among
/// them) nest `<Error>` in `<Errors>`, EC2-style. Falls back to the HTTP status.
fn raw_error_fields(raw: &HttpResponse) -> (String, String) {
    let body = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let field = |tag: &str| {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find(&format!("</{tag}>"))? + start;
        Some(xml_unescape(&body[start..end]))
    };
    let status = raw.status().as_u16();
    let code = field("Code").unwrap_or_else(|| match status {
        403 => "AccessDenied".to_string(),
        429 => "Throttling".to_string(),
        _ => format!("HTTP{status}"),
    });
    (code, field("Message").unwrap_or_default())
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The message for an error AWS returned, by its code.
pub fn service_error(op: &str, target: &str, code: &str, message: &str) -> Error {
    let message = scrub(message, &[]);
    match code {
        "AccessDenied" | "AccessDeniedException" => Error::AccessDenied(format!(
            "{op} on {target} was denied: {message}\nThe role's trust policy must name the \
             principal above, and its own policies must allow sts:AssumeRole on the role. \
             Ask the role's owner, or check --external-id / --mfa-serial if the trust policy \
             requires them."
        )),
        "InvalidClientTokenId" | "UnrecognizedClientException" | "InvalidAccessKeyId" => {
            Error::BadCredentials(format!(
                "the source access key is not valid ({code}: {message}).\nIt may have been \
                 deleted or deactivated, or belong to another partition. Check `aws sts \
                 get-caller-identity` outside awsenv."
            ))
        }
        "SignatureDoesNotMatch" | "IncompleteSignature" => Error::BadCredentials(format!(
            "the source secret access key does not match its key id ({code}).\nFix \
             AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key."
        )),
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            Error::BadCredentials(format!(
                "the source credentials have expired ({code}: {message}).\nRefresh them (e.g. \
                 `aws sso login`) or run `awsenv unset` if they were awsenv's own."
            ))
        }
        "ValidationError" if message.contains("MaxSessionDuration") => Error::Rejected(format!(
            "{target} does not allow sessions that long: {message}\nAsk for less with -d \
             (roles allow 1h unless their owner raised MaxSessionDuration, up to 12h)."
        )),
        "ValidationError" => Error::Rejected(format!("{op} was rejected: {message}")),
        "PackedPolicyTooLarge" => Error::Rejected(format!(
            "the session policies are too large for AWS ({message}).\nShorten --policy \
             (whitespace is already removed) or pass fewer --policy-arn."
        )),
        "MalformedPolicyDocument" => Error::usage(format!(
            "AWS rejected the session policy as malformed: {message}"
        )),
        "RegionDisabledException" => Error::Rejected(format!(
            "STS is not enabled in this region: {message}\nChoose another with --region, or \
             activate the region in IAM's account settings."
        )),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequests" => {
            Error::Rejected(format!(
                "AWS is throttling {op} (tried 3 times): {message}\nWait a moment and try again."
            ))
        }
        "NoSuchEntity" => Error::NotFound(format!("{target} does not exist: {message}")),
        _ => Error::Rejected(format!("{op} failed: {code}: {message}")),
    }
}

/// The error and its sources on one line.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
    use aws_smithy_types::body::SdkBody;

    fn replay(responses: &[(u16, &str)]) -> Sts {
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
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .http_client(StaticReplayClient::new(events))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(creds.clone()),
            )
            .build();
        Sts::new(config, creds)
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
    fn max_session_duration_names_the_roles_limit() {
        let get_role = "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
            <GetRoleResult><Role><Path>/</Path><RoleName>T</RoleName><RoleId>AROAX</RoleId>\
            <Arn>arn:aws:iam::123456789012:role/T</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate>\
            <AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument>\
            <MaxSessionDuration>3600</MaxSessionDuration></Role></GetRoleResult>\
            <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>";
        let sts = replay(&[
            (400, &error_xml("ValidationError", TOO_LONG)),
            (200, get_role),
        ]);
        let err = run(sts.assume_role(&input(), None)).unwrap_err();
        assert_eq!(err.exit_code(), 6);
        let msg = err.to_string();
        assert!(msg.contains("at most 3600s (1h)"), "{msg}");
        assert!(
            msg.contains("asked for 7200s") && msg.contains("-d 3600"),
            "{msg}"
        );
    }

    #[test]
    fn max_session_duration_without_iam_read() {
        let denied = error_xml("AccessDenied", "not authorized to perform iam:GetRole");
        let sts = replay(&[
            (400, &error_xml("ValidationError", TOO_LONG)),
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

    #[test]
    fn expiration_format() {
        let s = Session {
            access_key_id: String::new(),
            secret_access_key: String::new(),
            session_token: String::new(),
            expires_at: 1_795_269_600,
            session_arn: String::new(),
        };
        assert_eq!(s.expiration_rfc3339(), "2026-11-21T14:00:00Z");
    }
}
