//! The SDK configuration awsenv uses for every AWS call: rustls with ring, bounded timeouts,
//! no IMDS probing off EC2, and the source credentials resolved once.

use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::aws::errors::credentials_error;
use crate::aws::timeouts::{operation_timeout, ATTEMPT_TIMEOUT, CONNECT_TIMEOUT};
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;

/// Region STS is called in when none is configured anywhere: STS is global and every
/// partition-`aws` account answers there, so there is no reason to wait on IMDS for one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Loads the SDK configuration over the environment `view` (the process's own with awsenv's
/// changes: the SDK reads it, never the process environment, which nothing changes).
pub async fn load_config(view: &EnvView, region: Option<&str>, profile: Option<&str>) -> SdkConfig {
    let mut view = view.clone();
    let set = |k: &str| view.get(k).filter(|v| !v.is_empty());
    if disable_imds(|k| set(k).is_some(), looks_like_ec2) {
        view.set("AWS_EC2_METADATA_DISABLED", "true");
    }
    let http = https_client();
    let profile = profile.map(str::to_string);
    // The region providers are built outside the loader and would read the process
    // environment: the view's region and profile are given to them instead.
    let set = |k: &str| view.get(k).filter(|v| !v.is_empty());
    let env_region = set("AWS_REGION").or_else(|| set("AWS_DEFAULT_REGION"));
    let mut regions = RegionProviderChain::first_try(region.map(|r| Region::new(r.to_string())))
        .or_else(env_region.map(Region::new));
    // Always named: left unnamed, the provider would take AWS_PROFILE from the process.
    let region_profile = profile
        .clone()
        .or_else(|| set("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_string());
    regions = regions.or_else(
        aws_config::profile::ProfileFileRegionProvider::builder()
            .profile_name(region_profile)
            .build(),
    );
    if view.get("AWS_EC2_METADATA_DISABLED").as_deref() != Some("true") {
        // Built outside the loader, it gets no HTTP client of its own (the SDK would panic).
        let imds = aws_config::provider_config::ProviderConfig::without_region()
            .with_http_client(http.clone());
        regions = regions.or_else(
            aws_config::imds::region::ImdsRegionProvider::builder()
                .configure(&imds)
                .build(),
        );
    }
    let regions = regions.or_else(Region::from_static(FALLBACK_REGION));

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .env(view.sdk_env())
        .http_client(http)
        .region(regions)
        .timeout_config(timeout_config());
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

/// Whether to turn the instance metadata service off. Off EC2 it cannot answer, and the SDK
/// would wait a second per probe before giving up: fail fast instead. The SDK's own behaviour
/// stands on EC2, when the user decided (`AWS_EC2_METADATA_DISABLED`), and when the user named
/// a metadata endpoint (a proxy, an emulator, IPv6 mode): they asked for it.
fn disable_imds(is_set: impl Fn(&str) -> bool, on_ec2: impl FnOnce() -> bool) -> bool {
    let user_decided = [
        "AWS_EC2_METADATA_DISABLED",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    ]
    .iter()
    .any(|k| is_set(k));
    !user_decided && !on_ec2()
}

/// The one HTTP client for every request awsenv makes: rustls with ring (README "Build
/// choices"), the SDK's own hyper stack.
pub fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

/// The bounds of every request (see [`crate::aws::timeouts`]).
pub fn timeout_config() -> TimeoutConfig {
    let total = operation_timeout();
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(total))
        .operation_attempt_timeout(ATTEMPT_TIMEOUT.min(total))
        .operation_timeout(total)
        .build()
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
pub async fn source_credentials(config: &SdkConfig, profile: Option<&str>) -> Result<Credentials> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| Error::NoCredentials("no credentials provider is configured".to_string()))?;
    // A profile's credential_process or SSO may hang: bounded like every call.
    let total = operation_timeout();
    let creds = tokio::time::timeout(total, provider.provide_credentials())
        .await
        .map_err(|_| {
            Error::Network(format!(
                "the source credentials did not come within {}s (AWSENV_TIMEOUT): a \
                 credential_process or SSO login of the profile may be waiting; run it by hand \
                 to see why",
                total.as_secs()
            ))
        })?
        .map_err(|e| credentials_error(&e, profile))?;
    log::secret(creds.secret_access_key());
    if let Some(t) = creds.session_token() {
        log::secret(t);
    }
    Ok(creds)
}

/// A single-threaded runtime: awsenv makes one or a few requests, and more threads cost
/// start-up time.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the async runtime: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imds_is_off_only_off_ec2_and_when_the_user_named_nothing() {
        assert!(disable_imds(|_| false, || false));
        assert!(!disable_imds(|_| false, || true));
        for k in [
            "AWS_EC2_METADATA_DISABLED",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        ] {
            assert!(!disable_imds(|n| n == k, || false), "{k}");
        }
    }
}
