//! The broker as a Lambda custom runtime (`bootstrap` on provided.al2023). Its logic is in
//! `awsenv::broker`; this connects it to the Runtime API.
//!
//! `awsenv-broker --check-policy` checks AWSENV_BROKER_POLICY and exits, without Lambda.

use std::task::{Context, Poll};

use awsenv::broker::handler::{Broker, Invocation};
use awsenv::broker::policy::{BrokerPolicy, VARIABLE};
use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{service_fn, LambdaEvent, LambdaInvocation, Runtime};

/// The payload reaches the handler as it came, as a JSON string: the runtime would otherwise
/// parse it first, and a payload that is not JSON would end in a function error before the
/// broker could log a decision about it.
struct RawPayload;

impl<S> Layer<S> for RawPayload {
    type Service = RawPayloadService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RawPayloadService(inner)
    }
}

struct RawPayloadService<S>(S);

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for RawPayloadService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut req: LambdaInvocation) -> Self::Future {
        let text = String::from_utf8_lossy(&req.body).into_owned();
        req.body = serde_json::to_vec(&text).unwrap_or_default().into();
        self.0.call(req)
    }
}

fn check_policy() -> i32 {
    let text = awsenv::environ::var(VARIABLE).unwrap_or_default();
    match BrokerPolicy::parse(text) {
        Ok(p) => {
            println!(
                "awsenv-broker: policy ok: base role {}, {} rule(s), sessions up to {}s (the \
                 function's own identity is checked at cold start)",
                p.base_role,
                p.rules.len(),
                p.max_duration
            );
            0
        }
        Err(e) => {
            eprintln!("awsenv-broker: {e}");
            2
        }
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--check-policy") {
        std::process::exit(check_policy());
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
        let handler = service_fn(move |event: LambdaEvent<String>| async move {
            let now = awsenv::creds::now();
            let inv = Invocation {
                request_id: &event.context.request_id,
                function_arn: &event.context.invoked_function_arn,
            };
            let answer = broker.handle(event.payload.as_bytes(), &inv, now).await;
            Ok::<serde_json::Value, std::convert::Infallible>(answer)
        });
        match Runtime::new(handler).layer(RawPayload).run().await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("awsenv-broker: the Lambda runtime stopped: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}
