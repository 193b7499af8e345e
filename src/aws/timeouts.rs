//! The bounds on every AWS call.

use std::time::Duration;

/// Bounds for every network call: a dead endpoint fails in seconds, not minutes. With the
/// SDK's standard retry (3 attempts) a call ends within `OPERATION_TIMEOUT`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(25);

/// The bound on one AWS call, retries included: `AWSENV_TIMEOUT` seconds (1 to 300), else
/// `OPERATION_TIMEOUT`.
pub fn operation_timeout() -> Duration {
    crate::environ::var("AWSENV_TIMEOUT")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| (1..=300).contains(n))
        .map(Duration::from_secs)
        .unwrap_or(OPERATION_TIMEOUT)
}
