//! The decision log: one JSON line per request, malformed ones included, on stdout (CloudWatch
//! Logs). Enough for an auditor to match a line to CloudTrail and to spot a replay (the proof's
//! access key id, its X-Amz-Date and a hash of its signature), never a secret, and no character
//! that a terminal or an editor would act on.

use serde_json::{json, Value};

/// What is known about a request when it is decided; filled in as the checks go.
#[derive(Debug, Default)]
pub struct Decision {
    pub caller: Option<String>,
    pub role: Option<String>,
    pub rule: Option<usize>,
    pub access_key_id: Option<String>,
    pub amz_date: Option<String>,
    /// The first 128 bits of the SHA-256 of the proof's signature, in hex (the signature
    /// itself would let a reader use the proof; the same hash twice is a replay).
    pub signature_hash: Option<String>,
    pub source_identity: Option<String>,
    /// Conditions of the target's trust statement that the broker did not evaluate.
    pub trust_conditions: Option<Value>,
}

impl Decision {
    /// The line, redacted against every secret this process has seen and escaped.
    pub fn line(&self, allowed: bool, reason: &str, request_id: &str) -> String {
        let v = json!({
            "decision": if allowed { "allowed" } else { "refused" },
            "caller": self.caller,
            "role": self.role,
            "rule": self.rule,
            "reason": reason,
            "request_id": request_id,
            "access_key_id": self.access_key_id,
            "amz_date": self.amz_date,
            "signature_hash": self.signature_hash,
            "source_identity": self.source_identity,
            "trust_conditions": self.trust_conditions,
        });
        escape_controls(&crate::log::redact(&v.to_string()))
    }
}

/// Characters JSON leaves raw but a reader should not get raw: C0 and C1 controls, DEL, and the
/// bidirectional formatting characters (U+202E and its kin can make a line read backwards).
/// As `\uXXXX` they stay the same JSON string.
pub fn escape_controls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if needs_escape(c) {
            out += &format!("\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}'
            | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_the_line_stays_json() {
        let d = Decision {
            role: Some("a\u{202e}b\u{7f}c\u{85}d\u{1b}[31m".into()),
            ..Default::default()
        };
        let line = d.line(false, "x\ny", "r");
        assert!(line.chars().all(|c| !needs_escape(c)), "{line:?}");
        assert!(
            line.contains("a\\u202eb\\u007fc\\u0085d\\u001b[31m"),
            "{line}"
        );
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["role"], "a\u{202e}b\u{7f}c\u{85}d\u{1b}[31m");
        assert_eq!(v["reason"], "x\ny");
        assert_eq!(v["decision"], "refused");
    }
}
