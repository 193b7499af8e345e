//! Lambda Invoke for `simulate --remote`: the same SDK configuration as STS and IAM (rustls with
//! ring, timeouts, profiles, `AWS_ENDPOINT_URL_LAMBDA`), one synchronous invocation.

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_smithy_types::Blob;

use crate::aws::errors::{sdk_error, service_error_code};
use crate::aws::timeouts::{operation_timeout, CONNECT_TIMEOUT};
use crate::error::{Error, Result};

/// What a function answered.
pub enum Answer {
    /// The handler returned this payload.
    Payload(Vec<u8>),
    /// The function failed (Lambda's `X-Amz-Function-Error`): its error payload.
    FunctionError(String, Vec<u8>),
}

/// Invokes `function` and waits for its answer. The attempt may take the whole operation
/// bound: the function does network calls of its own, and a black-holed endpoint still ends
/// within `AWSENV_TIMEOUT`.
pub async fn invoke(
    config: &SdkConfig,
    creds: &Credentials,
    function: &str,
    payload: Vec<u8>,
) -> Result<Answer> {
    let total = operation_timeout();
    let conf = aws_sdk_lambda::config::Builder::from(config)
        .credentials_provider(creds.clone())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(total))
                .operation_attempt_timeout(total)
                .operation_timeout(total)
                .build(),
        )
        .build();
    let client = aws_sdk_lambda::Client::from_conf(conf);
    let region = config
        .region()
        .map(|r| r.as_ref().to_string())
        .unwrap_or_default();
    let out = client
        .invoke()
        .function_name(function)
        .payload(Blob::new(payload))
        .send()
        .await
        .map_err(|e| invoke_error(function, &region, e))?;
    let body = out
        .payload()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    Ok(match out.function_error() {
        Some(kind) => Answer::FunctionError(kind.to_string(), body),
        None => Answer::Payload(body),
    })
}

fn invoke_error<E>(
    function: &str,
    region: &str,
    err: SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let code = service_error_code(&err);
    let message = match &err {
        SdkError::ServiceError(se) => se.err().message().unwrap_or_default().to_string(),
        _ => String::new(),
    };
    if let SdkError::TimeoutError(_) = &err {
        return Error::Network(format!(
            "the broker `{function}` did not answer within {}s (AWSENV_TIMEOUT). Check your \
             network, proxy and AWS_ENDPOINT_URL_LAMBDA, then try again.",
            operation_timeout().as_secs()
        ));
    }
    match code.as_deref() {
        Some("ResourceNotFoundException") => Error::NotFound(format!(
            "there is no broker function `{function}` in {region}: {message}\nDeploy it (`awsenv \
             broker template`), or name it with --broker and its region with --region."
        )),
        Some("AccessDeniedException") | Some("AccessDenied") => Error::AccessDenied(format!(
            "you may not invoke the broker `{function}`: {message}\nIts stack grants \
             lambda:InvokeFunction to one principal (parameter InvokerPrincipal); ask its owner."
        )),
        Some("RequestEntityTooLargeException") => {
            Error::usage(format!("the request is too large for Lambda: {message}"))
        }
        _ => sdk_error("Lambda Invoke", function, err),
    }
}
