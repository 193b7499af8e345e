//! The broker as a Lambda custom runtime (`bootstrap` on provided.al2023). Its logic is in
//! `awsenv::broker`; this connects it to the Runtime API.
//!
//! `awsenv-broker --check-policy` checks AWSENV_BROKER_POLICY and exits, without Lambda.

use awsenv::broker::handler::Broker;
use awsenv::broker::policy::{BrokerPolicy, VARIABLE};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--check-policy") {
        let text = std::env::var(VARIABLE).unwrap_or_default();
        match BrokerPolicy::parse(&text) {
            Ok(p) => println!(
                "awsenv-broker: policy ok: base role {}, {} rule(s), sessions up to {}s",
                p.base_role,
                p.rules.len(),
                p.max_duration
            ),
            Err(e) => {
                eprintln!("awsenv-broker: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("awsenv-broker: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = rt.block_on(async {
        // Cold start: a bad policy stops the broker before it answers anything.
        let broker = match Broker::from_env().await {
            Ok(b) => b,
            Err(e) => {
                eprintln!("awsenv-broker: refusing to start: {e}");
                return 1;
            }
        };
        let broker = &broker;
        let handler = service_fn(move |event: LambdaEvent<Value>| async move {
            let now = awsenv::creds::now();
            let answer = broker
                .handle(&event.payload, &event.context.request_id, now)
                .await;
            Ok::<Value, std::convert::Infallible>(answer)
        });
        match lambda_runtime::run(handler).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("awsenv-broker: the Lambda runtime stopped: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}
