//! The broker behind a local Lambda, for `scripts/demo`: the Runtime and Invoke API of
//! tests/support/lambda.rs on a loopback port, the real `awsenv-broker` polling it.
//!
//!     local_lambda BROKER_BIN LOG_FILE [FUNCTION]
//!
//! The broker gets this program's environment (its credentials, region, endpoint,
//! AWSENV_BROKER_POLICY and AWSENV_BROKER_REPLAY_TABLE) and nothing else, plus what Lambda sets for a custom runtime; its
//! decision log goes to LOG_FILE, a line per decision. Prints one JSON line, `{"url": ...}`
//! (for AWS_ENDPOINT_URL_LAMBDA), then serves until its stdin closes and stops the broker.
#![allow(clippy::disallowed_methods)] // a test fixture, not awsenv: reads its own environment (clippy.toml is for src/)

#[allow(dead_code)]
#[path = "../tests/support/lambda.rs"]
mod lambda;

use std::io::Read;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(bin), Some(log)) = (args.next(), args.next()) else {
        eprintln!("usage: local_lambda BROKER_BIN LOG_FILE [FUNCTION]");
        std::process::exit(2);
    };
    let function = args
        .next()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "awsenv-broker".into());
    let log = std::fs::File::create(&log).expect("create the log file");
    let env = std::env::vars().collect();
    let broker = lambda::BrokerProcess::start(&PathBuf::from(bin), &function, &env, Some(log));
    println!("{}", serde_json::json!({ "url": broker.api.url }));
    std::io::stdin().read_to_end(&mut Vec::new()).ok();
    drop(broker);
}
