//! The one mapping of SDK failures to awsenv errors: each says what happened and what to do.

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws::timeouts::operation_timeout;
use crate::error::{scrub, Error};

pub fn credentials_error(e: &CredentialsError, profile: Option<&str>) -> Error {
    let detail = scrub(&error_chain(e), &[]);
    match (e, profile) {
        (CredentialsError::CredentialsNotLoaded(_), Some(p)) => {
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

/// The AWS error code of a service error, also from bodies the SDK could not parse.
pub fn service_error_code<E>(err: &SdkError<E, HttpResponse>) -> Option<String>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(se) => Some(
            se.err()
                .code()
                .map(str::to_string)
                .unwrap_or_else(|| raw_error_fields(se.raw()).0),
        ),
        _ => None,
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
