//! Each proof is good once, across every instance of the function: a conditional PutItem of its
//! replay key (`proof::check`: a hash of signed values, never of the header's spelling) into
//! one DynamoDB table (`AWSENV_BROKER_REPLAY_TABLE`, partition key `pk`,
//! a String), with a TTL attribute past the proof's freshness window. A hash already there is a
//! replay; a table that cannot be written refuses every proof (fail closed). An instance's
//! memory of what it saw comes first: a replay to the same instance costs no request.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;

use super::proof::FRESHNESS_SECS;
use super::replay_table::{KEY, TTL_ATTRIBUTE, VARIABLE as TABLE_VARIABLE};
use crate::aws::errors::service_error_code;
use crate::error::{Error, Result};

/// How long past the freshness window an item is kept (clocks differ between instances).
/// DynamoDB deletes it some time after that, when the proof could no longer pass anyway.
const TTL_MARGIN_SECS: i64 = 600;

/// Replay keys seen by this instance, kept until they could no longer pass the freshness check.
#[derive(Default)]
pub struct Seen {
    seen: Mutex<HashMap<String, i64>>,
}

impl Seen {
    /// Records the hash; false when it was seen before.
    pub fn first_use(&self, hash: &str, signed_at: i64, now: i64) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        seen.retain(|_, until| *until >= now);
        if seen.contains_key(hash) {
            return false;
        }
        seen.insert(hash.to_string(), signed_at + FRESHNESS_SECS);
        true
    }
}

/// The replay store: this instance's memory, then the shared table.
pub struct Replay {
    seen: Seen,
    table: String,
}

fn replayed() -> Error {
    Error::AccessDenied(
        "proof of identity refused: it was used before (a replay). Each request signs a new one."
            .to_string(),
    )
}

impl Replay {
    /// The table's name from the environment; without it the broker does not start.
    pub fn from_env() -> std::result::Result<Replay, String> {
        let table = crate::environ::var(TABLE_VARIABLE)
            .filter(|t| valid_table_name(t))
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "{TABLE_VARIABLE} must name the DynamoDB table every instance records used \
                     proofs in (3-255 of letters, digits, _.-; the stack of `awsenv broker \
                     template` makes it): without it a proof could be replayed to another instance"
                )
            })?;
        Ok(Replay {
            seen: Seen::default(),
            table,
        })
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Records the proof's replay key; refuses it when any instance recorded it before, and
    /// when the table cannot say (exit 7 at the caller).
    pub async fn first_use(
        &self,
        config: &SdkConfig,
        creds: &Credentials,
        hash: &str,
        signed_at: i64,
        now: i64,
    ) -> Result<()> {
        if !self.seen.first_use(hash, signed_at, now) {
            return Err(replayed());
        }
        let client = aws_sdk_dynamodb::Client::from_conf(
            aws_sdk_dynamodb::config::Builder::from(config)
                .credentials_provider(creds.clone())
                .build(),
        );
        let expires = signed_at + FRESHNESS_SECS + TTL_MARGIN_SECS;
        let out = client
            .put_item()
            .table_name(&self.table)
            .item(KEY, AttributeValue::S(format!("proof#{hash}")))
            .item(TTL_ATTRIBUTE, AttributeValue::N(expires.to_string()))
            .condition_expression("attribute_not_exists(#k)")
            .expression_attribute_names("#k", KEY)
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e)
                if service_error_code(&e).as_deref() == Some("ConditionalCheckFailedException") =>
            {
                Err(replayed())
            }
            Err(e) => {
                let why = service_error_code(&e).unwrap_or_else(|| {
                    crate::aws::errors::sdk_error("dynamodb:PutItem", &self.table, e).to_string()
                });
                Err(Error::Network(format!(
                    "the broker cannot record the proof in its replay table {} ({why}), so it \
                     refuses every proof until it can (a proof it cannot record could be \
                     replayed). Its owner should check the table and the function's \
                     dynamodb:PutItem permission.",
                    self.table
                )))
            }
        }
    }
}

fn valid_table_name(t: &str) -> bool {
    (3..=255).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000;

    #[test]
    fn an_instance_remembers_until_the_window_closes() {
        let g = Seen::default();
        assert!(g.first_use("abc", NOW, NOW));
        assert!(!g.first_use("abc", NOW, NOW + 10));
        assert!(g.first_use("def", NOW, NOW + 10));
        // Once it could no longer pass the freshness check it is forgotten.
        assert!(g.first_use("abc", NOW + 400, NOW + FRESHNESS_SECS + 1));
        assert_eq!(g.seen.lock().unwrap().len(), 1);
    }

    #[test]
    fn table_names() {
        assert!(valid_table_name("awsenv-broker-replay"));
        assert!(!valid_table_name("ab") && !valid_table_name("a b c"));
    }
}
