//! STS calls: AssumeRole and GetCallerIdentity, signed with one set of source credentials.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::types::{PolicyDescriptorType, Tag};

use crate::aws::errors::sdk_error;
use crate::creds::Session;
use crate::error::{Error, Result};
use crate::log;

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
        let iam = self.iam();
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config::{BehaviorVersion, Region};
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
}
