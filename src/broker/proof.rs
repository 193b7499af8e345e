//! Checking a proof of identity: the request must be exactly a signed GetCallerIdentity for the
//! broker's own STS endpoint, fresh, bound to this request and this function; STS then says
//! who signed it. (Whether it was seen before is for the replay store to say.)

use aws_sdk_sts::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_sts::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::body::SdkBody;

use crate::aws::errors::{sdk_error, service_error_code};
use crate::aws::proof::{
    Authorization, Binding, Proof, ALGORITHM, BINDING_HEADER, BODY, METHOD, NONCE_HEADER,
};
use crate::error::{Error, Result};

/// How old (or how far ahead) a proof's X-Amz-Date may be. STS itself accepts 15 minutes;
/// a shorter bound limits how long a proof could be replayed on another broker instance.
pub const FRESHNESS_SECS: i64 = 300;

const MAX_HEADERS: usize = 16;
const MAX_HEADER_LEN: usize = 4096;

/// What the static checks learnt of a proof that passed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// When it was signed (epoch secs).
    pub signed_at: i64,
    /// What the replay store records: the proof's identity, from signed values only.
    pub replay_key: String,
}

/// Static checks, before anything is sent anywhere. `binding` is what this request asks for,
/// with this function's own ARN.
pub fn check(proof: &Proof, own_host: &str, now: i64, binding: &Binding) -> Result<Checked> {
    let deny = |m: String| {
        Err(Error::AccessDenied(format!(
            "proof of identity refused: {m}"
        )))
    };
    if proof.method != METHOD || proof.body != BODY {
        return deny(format!(
            "it must be exactly `{METHOD}` with the body `{BODY}` (a signed GetCallerIdentity)"
        ));
    }
    if proof.host != own_host || proof.headers.get("host").map(String::as_str) != Some(own_host) {
        return deny(format!(
            "it was signed for host `{}`, but this broker verifies identities with its own STS \
             endpoint `{own_host}`. Ask the broker in its own region (--region), with the same \
             STS endpoint settings.",
            proof
                .headers
                .get("host")
                .unwrap_or(&proof.host)
                .escape_debug()
        ));
    }
    if proof.headers.len() > MAX_HEADERS
        || proof.headers.iter().any(|(k, v)| {
            k.is_empty()
                || k.len() + v.len() > MAX_HEADER_LEN
                || !k
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                || !v.bytes().all(|b| (0x20..0x7f).contains(&b))
        })
    {
        return deny("its headers are not those of a signed request".to_string());
    }
    let auth = proof
        .headers
        .get("authorization")
        .map(String::as_str)
        .unwrap_or("");
    if !auth.to_ascii_uppercase().contains(ALGORITHM) {
        return deny("it carries no SigV4 signature in its Authorization header".to_string());
    }
    let Some(authz) = proof.authorization() else {
        return deny(format!(
            "its Authorization header is not in the canonical SigV4 form `{ALGORITHM} \
             Credential=KEY/DATE/REGION/sts/aws4_request, SignedHeaders=a;b;c, Signature=HEX` \
             (one space after each comma, header names lower case and sorted, 64 lower-case hex \
             digits), which the AWS SDKs and botocore write. Send the proof as it was signed."
        ));
    };
    let signed = authz.signed_headers();
    for must in ["host", "x-amz-date"] {
        if !signed.contains(&must) {
            return deny(format!("its signature does not cover `{must}`"));
        }
    }
    if let Some(missing) = signed.iter().find(|h| !proof.headers.contains_key(**h)) {
        return deny(format!("the signed header `{missing}` is missing"));
    }
    // Bound to this request: the binding header, signed, over the nonce (signed too) and what
    // the payload asks for. Without it, any GetCallerIdentity the caller ever signed would do.
    for must in [BINDING_HEADER, NONCE_HEADER] {
        if !signed.contains(&must) {
            return deny(format!(
                "its signature does not cover `{must}`: it is not a proof made for an awsenv \
                 broker (a GetCallerIdentity request signed for another purpose is not one)"
            ));
        }
    }
    let nonce = &proof.headers[NONCE_HEADER];
    if proof.headers[BINDING_HEADER] != binding.digest(nonce) {
        return deny(format!(
            "it is bound to another request: its `{BINDING_HEADER}` does not commit to this \
             function ({}), the role `{}` and {}s. A proof is good for the one request it was \
             signed for.",
            binding.function_arn,
            binding.role.escape_debug(),
            binding.duration
        ));
    }
    let date = proof
        .headers
        .get("x-amz-date")
        .map(String::as_str)
        .unwrap_or("");
    let signed_at = parse_amz_date(date).ok_or_else(|| {
        Error::AccessDenied(format!(
            "proof of identity refused: X-Amz-Date `{}` is not a date",
            date.escape_debug()
        ))
    })?;
    if !date.starts_with(authz.date) {
        return deny(format!(
            "its credential scope is dated {}, but its X-Amz-Date is {date}",
            authz.date
        ));
    }
    let age = now - signed_at;
    if age.abs() > FRESHNESS_SECS {
        return deny(format!(
            "it was signed {}s {} (X-Amz-Date {date}); the broker accepts proofs signed within \
             {FRESHNESS_SECS}s of its clock. Check your clock, and sign a new one.",
            age.abs(),
            if age > 0 { "ago" } else { "in the future" }
        ));
    }
    Ok(Checked {
        signed_at,
        replay_key: replay_key(&authz, date, nonce, &proof.headers[BINDING_HEADER]),
    })
}

/// SHA-256 over what the signature covers and no spelling can change: the key id and the
/// credential scope (the string to sign holds the scope, the key id picks the secret), the
/// X-Amz-Date, the nonce and the binding (both signed headers, both pinned by the binding
/// check). Newlines cannot occur in any of them.
fn replay_key(authz: &Authorization, date: &str, nonce: &str, binding: &str) -> String {
    use sha2::{Digest, Sha256};
    let input = format!(
        "awsenv-replay-v1\n{}/{}\n{date}\n{nonce}\n{binding}",
        authz.access_key_id, authz.scope,
    );
    ::hex::encode(Sha256::digest(input.as_bytes()))
}

/// `20261119T085320Z` as epoch seconds.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    aws_smithy_types::DateTime::from_str(&iso, aws_smithy_types::date_time::Format::DateTime)
        .ok()
        .map(|d| d.secs())
}

/// Puts the proof on the wire in place of the request the SDK built: the SDK still resolves
/// the broker's own endpoint and applies its timeouts, retries and TLS, but what goes out is
/// exactly the caller's signed request.
#[derive(Debug)]
struct SendProof(Proof);

impl Intercept for SendProof {
    fn name(&self) -> &'static str {
        "SendProof"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let req = context.request_mut();
        let mut headers = Headers::new();
        let signed = self.0.signed_headers();
        for (k, v) in &self.0.headers {
            if k == "authorization" || signed.contains(&k.as_str()) {
                headers.try_insert(k.clone(), v.clone())?;
            }
        }
        headers.try_insert("content-length", self.0.body.len().to_string())?;
        *req.headers_mut() = headers;
        *req.body_mut() = SdkBody::from(self.0.body.clone());
        Ok(())
    }
}

/// Asks the broker's STS who signed the proof: the caller's ARN.
pub async fn verify(sts_client: &aws_sdk_sts::Client, proof: &Proof) -> Result<String> {
    let out = sts_client
        .get_caller_identity()
        .customize()
        .interceptor(SendProof(proof.clone()))
        .send()
        .await;
    match out {
        Ok(o) => o
            .arn()
            .map(str::to_string)
            .ok_or_else(|| Error::Rejected("STS answered without an ARN".to_string())),
        Err(e)
            if matches!(
                service_error_code(&e).as_deref(),
                Some("SignatureDoesNotMatch" | "IncompleteSignature")
            ) =>
        {
            Err(Error::AccessDenied(format!(
                "proof of identity refused: STS says its signature does not match ({}): it was \
                 altered or forged",
                service_error_code(&e).unwrap_or_default()
            )))
        }
        Err(e) => Err(match sdk_error("GetCallerIdentity (proof)", "", e) {
            Error::BadCredentials(m) => Error::BadCredentials(format!(
                "proof of identity refused: STS does not accept your credentials: {m}"
            )),
            other => other,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::proof::sign_proof;
    use aws_credential_types::Credentials;
    use std::time::{Duration, SystemTime};

    const NOW: i64 = 1_795_000_000;
    const BIND: Binding = Binding {
        function_arn: "arn:aws:lambda:us-east-1:123456789012:function:awsenv-broker",
        role: "my-task",
        duration: 900,
    };

    fn proof_at(host: &str, at: i64) -> Proof {
        let creds = Credentials::new("AKIDEXAMPLE", "secretsecretsecret", None, None, "t");
        sign_proof(
            &format!("https://{host}"),
            "us-east-1",
            &creds,
            SystemTime::UNIX_EPOCH + Duration::from_secs(at as u64),
            &BIND,
        )
        .unwrap()
    }

    fn refused(p: &Proof, needle: &str) {
        refused_for(p, &BIND, needle)
    }

    fn refused_for(p: &Proof, b: &Binding, needle: &str) {
        let e = check(p, "sts.us-east-1.amazonaws.com", NOW, b).unwrap_err();
        assert_eq!(e.exit_code(), 5);
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }

    #[test]
    fn a_fresh_proof_for_this_host_passes() {
        let p = proof_at("sts.us-east-1.amazonaws.com", NOW - 10);
        assert_eq!(
            check(&p, "sts.us-east-1.amazonaws.com", NOW, &BIND)
                .unwrap()
                .signed_at,
            NOW - 10
        );
    }

    #[test]
    fn refusals() {
        let good = proof_at("sts.us-east-1.amazonaws.com", NOW);
        refused(
            &proof_at("evil.example.com", NOW),
            "signed for host `evil.example.com`",
        );
        let mut p = good.clone();
        p.host = "sts.us-east-1.amazonaws.com".into();
        p.headers.insert("host".into(), "other".into());
        refused(&p, "signed for host `other`");
        refused(
            &proof_at("sts.us-east-1.amazonaws.com", NOW - 301),
            "301s ago",
        );
        refused(
            &proof_at("sts.us-east-1.amazonaws.com", NOW + 400),
            "in the future",
        );
        let mut p = good.clone();
        p.body = "Action=AssumeRole&Version=2011-06-15".into();
        refused(&p, "exactly");
        let mut p = good.clone();
        p.headers.remove("x-amz-date");
        refused(&p, "`x-amz-date` is missing");
        let mut p = good.clone();
        p.headers.insert("authorization".into(), "Bearer x".into());
        refused(&p, "no SigV4 signature");
        let mut p = good.clone();
        p.headers.insert("x-evil".into(), "a\r\nb".into());
        refused(&p, "not those of a signed request");
        for other in BIND.each_field_changed() {
            refused_for(&good, &other, "bound to another request");
        }
        // The same headers, but the binding left out of the signature.
        let mut p = good.clone();
        let auth = p.headers["authorization"].replace(";x-awsenv-request", "");
        p.headers.insert("authorization".into(), auth);
        refused(&p, "does not cover `x-awsenv-request`");
    }

    /// The header as the SDK and botocore write it, and rewordings of it. Were STS to read a
    /// rewording as the same signature, a replay key taken from the header's text would let
    /// a captured proof through again: only the one canonical form passes.
    #[test]
    fn only_the_canonical_authorization_passes() {
        let good = proof_at("sts.us-east-1.amazonaws.com", NOW);
        let auth = good.headers["authorization"].clone();
        let sig = good.signature().unwrap().to_string();
        let (head, _) = auth.split_once(", Signature=").unwrap();
        let (cred, signed) = head.split_once(", SignedHeaders=").unwrap();
        let cred = cred.strip_prefix("AWS4-HMAC-SHA256 Credential=").unwrap();
        let reworded = [
            auth.replace(", SignedHeaders", ",  SignedHeaders"),
            auth.replace(", SignedHeaders", ",SignedHeaders"),
            auth.replace("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256  "),
            format!("{auth} "),
            format!(" {auth}"),
            auth.replace(&sig, &sig.to_uppercase()),
            format!("{auth}, Signature={sig}"),
            format!("{auth},Signature={sig}"),
            format!("{auth}0"),
            format!("AWS4-HMAC-SHA256 Signature={sig}, Credential={cred}, SignedHeaders={signed}"),
            format!("AWS4-HMAC-SHA256 SignedHeaders={signed}, Credential={cred}, Signature={sig}"),
            auth.replace("AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
            auth.replace("Credential=AKIDEXAMPLE/", "Credential=AKIDEXAMPLE/x/"),
            auth.replace("Credential=AKIDEXAMPLE", "Credential=akidexample"),
            auth.replace("/sts/", "/iam/"),
            auth.replace("content-type;host", "host;content-type"),
            auth.replace("content-type;host", "content-type;content-type;host"),
            auth.replace("content-type;host", "Content-Type;host"),
            auth.replace("content-type;host", "content-type;;host"),
            auth.replace(&sig, &sig[..63]),
        ];
        for r in reworded {
            let mut p = good.clone();
            p.headers.insert("authorization".into(), r.clone());
            let e = check(&p, "sts.us-east-1.amazonaws.com", NOW, &BIND)
                .err()
                .unwrap_or_else(|| panic!("passed: {r}"));
            assert_eq!(e.exit_code(), 5);
            assert!(
                e.to_string().contains("not in the canonical SigV4 form"),
                "{r}: {e}"
            );
        }
        // The credential's date is the X-Amz-Date's, as STS requires.
        let mut p = good.clone();
        let date = good.headers["x-amz-date"][..8].to_string();
        let other = auth.replace(&format!("/{date}/"), "/20200101/");
        p.headers.insert("authorization".into(), other);
        refused(&p, "its credential scope is dated");
    }

    /// The replay key comes from what the signature covers (key, scope, date, nonce, binding),
    /// never from how the header spells the signature.
    #[test]
    fn the_replay_key_is_made_of_signed_values() {
        let host = "sts.us-east-1.amazonaws.com";
        let good = proof_at(host, NOW);
        let key = check(&good, host, NOW, &BIND).unwrap().replay_key;
        assert_eq!(key.len(), 64);
        // Another spelling of the signature (as a lenient verifier might accept it).
        let mut other = good.clone();
        let sig = good.signature().unwrap().to_string();
        let flipped: String = sig.chars().rev().collect();
        let auth = good.headers["authorization"].replace(&sig, &flipped);
        other.headers.insert("authorization".into(), auth);
        assert_eq!(check(&other, host, NOW, &BIND).unwrap().replay_key, key);
        // An unsigned header does not change it either.
        let mut other = good.clone();
        other.headers.insert("x-unsigned".into(), "1".into());
        assert_eq!(check(&other, host, NOW, &BIND).unwrap().replay_key, key);
        // Another proof (another nonce) has its own.
        let again = proof_at(host, NOW);
        assert_ne!(check(&again, host, NOW, &BIND).unwrap().replay_key, key);
    }

    #[test]
    fn amz_dates() {
        assert_eq!(parse_amz_date("20261118T110640Z"), Some(1_795_000_000));
        assert_eq!(parse_amz_date("2026-11-19"), None);
    }
}
