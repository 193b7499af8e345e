//! A Rust program as any other on aws-config: the default credential chain, nothing awsenv
//! specific. The endpoint tests run it as the child of `awsenv exec --ecs-server` to prove
//! the Rust SDK reads credentials from it (AWS_CONTAINER_CREDENTIALS_FULL_URI + token).
//!
//!     ecs_client                 prints "ACCESS_KEY_ID CALLER_ARN"
//!     ecs_client --watch SECS    then asks the chain again each second, up to SECS, until
//!                                the endpoint hands out another key, and prints it

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let watch: Option<u64> = match std::env::args().nth(1).as_deref() {
        Some("--watch") => std::env::args().nth(2).and_then(|s| s.parse().ok()),
        _ => None,
    };
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await;
    let provider = config.credentials_provider().expect("a credentials chain");
    let first = provider
        .provide_credentials()
        .await
        .unwrap_or_else(|e| fail(&format!("no credentials: {e:?}")));
    let identity = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .unwrap_or_else(|e| fail(&format!("GetCallerIdentity: {e:?}")));
    println!(
        "{} {}",
        first.access_key_id(),
        identity.arn().unwrap_or_default()
    );
    let Some(secs) = watch else { return };
    for _ in 0..secs {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        // The chain's provider itself, not the client's identity cache: that one keeps a
        // session until shortly before its expiry.
        let now = provider
            .provide_credentials()
            .await
            .unwrap_or_else(|e| fail(&format!("no credentials: {e:?}")));
        if now.access_key_id() != first.access_key_id() {
            println!("{}", now.access_key_id());
            return;
        }
    }
    fail("the endpoint never handed out another key");
}

fn fail(msg: &str) -> ! {
    eprintln!("ecs_client: {msg}");
    std::process::exit(1)
}
