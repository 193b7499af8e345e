//! Proof of identity for `simulate --remote`: an `sts:GetCallerIdentity` request signed with
//! SigV4 in its headers (not a presigned URL) by the caller's own credentials. Whoever holds it
//! can ask STS who signed it, and nothing else: the signature covers the host, the date and the
//! body, and it holds no secret.

use std::collections::BTreeMap;
use std::time::SystemTime;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_sdk_sts::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_types::service_config::ServiceConfigKey;

use crate::error::{Error, Result};

/// The one request a proof may be: anything else is refused before it is forwarded.
pub const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
pub const METHOD: &str = "POST";
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// A signed header that makes every proof unique: SigV4 is deterministic, so two requests by
/// the same key within one second would otherwise carry the same signature, and the broker
/// would take the second for a replay. STS ignores it; the signature covers it.
pub const NONCE_HEADER: &str = "x-awsenv-nonce";

/// The signed header that binds a proof to one request (Vault's `X-Vault-AWS-IAM-Server-ID` is
/// the precedent): the hex SHA-256 of [`Binding::digest`]'s input. The broker recomputes it from
/// the payload and its own function ARN, so a proof captured on its way (a failed invocation, a
/// proxy, a debug log) cannot ask for another role, another duration or another function, and
/// a GetCallerIdentity request signed for any other purpose is no proof at all.
pub const BINDING_HEADER: &str = "x-awsenv-request";

/// What a proof commits to, besides the caller: the broker function's ARN (unqualified), the
/// target role as the payload names it, and the duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding<'a> {
    pub function_arn: &'a str,
    pub role: &'a str,
    pub duration: u64,
}

impl<'a> Binding<'a> {
    /// This binding with each field changed in turn (for tests of what must not pass).
    #[cfg(test)]
    pub fn each_field_changed(&self) -> [Binding<'a>; 3] {
        [
            Binding {
                role: "my-task-admin",
                ..self.clone()
            },
            Binding {
                duration: self.duration + 1,
                ..self.clone()
            },
            Binding {
                function_arn: "arn:aws:lambda:us-east-1:123456789012:function:other",
                ..self.clone()
            },
        ]
    }

    /// Fields joined by newlines (none may hold one: the ARN and the role are checked names,
    /// the nonce is hex), after a version tag.
    pub fn digest(&self, nonce: &str) -> String {
        use sha2::{Digest, Sha256};
        let input = format!(
            "awsenv-request-v1\n{}\n{}\n{}\n{nonce}",
            self.function_arn, self.role, self.duration
        );
        ::hex::encode(Sha256::digest(input.as_bytes()))
    }
}

/// A Lambda function ARN without its qualifier (`:alias` or `:version`), as both sides bind
/// it: `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME`.
pub fn unqualified_function_arn(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "lambda", region, account, "function", name, ..]
            if !partition.is_empty()
                && !region.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && !name.is_empty() =>
        {
            Some(parts[..7].join(":"))
        }
        _ => None,
    }
}

/// The ARN Lambda resolves `function` to (a name, `NAME:QUALIFIER`, `ACCOUNT:function:NAME`
/// or a full ARN): a partial name lives in the caller's account, in the region invoked.
pub fn function_arn(
    function: &str,
    partition: &str,
    region: &str,
    account: &str,
) -> Option<String> {
    if function.starts_with("arn:") {
        return unqualified_function_arn(function);
    }
    let parts: Vec<&str> = function.split(':').collect();
    let (account, name) = match parts.as_slice() {
        [acct, "function", name, ..] => (*acct, *name),
        [name, ..] => (account, *name),
        [] => return None,
    };
    unqualified_function_arn(&format!(
        "arn:{partition}:lambda:{region}:{account}:function:{name}"
    ))
}

/// 16 bytes from the OS's RNG; should that fail, the time in nanoseconds, the process and a
/// per-process counter (it needs to be unique, not secret).
fn nonce(time: SystemTime) -> String {
    if let Ok(n) = crate::random::hex(16) {
        return n;
    }
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{nanos:x}-{:x}-{n:x}", std::process::id())
}

/// A signed request, as it travels in the broker's payload. Header names are lower case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    pub method: String,
    /// The host (and port) it was signed for; the broker sends it only to its own endpoint.
    pub host: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// The STS endpoint the SDK would call with `config` (region, FIPS, dual-stack,
/// `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` and a profile's `endpoint_url`): the client signs
/// for it, and the broker forwards to its own and accepts only proofs signed for that host.
pub async fn sts_endpoint(config: &SdkConfig) -> Result<String> {
    let key = ServiceConfigKey::builder()
        .service_id("STS")
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .map_err(|e| Error::Rejected(format!("STS endpoint: {e}")))?;
    let endpoint = config
        .service_config()
        .and_then(|c| c.load_config(key))
        .or_else(|| config.endpoint_url().map(str::to_string));
    let params = Params::builder()
        .set_region(config.region().map(|r| r.as_ref().to_string()))
        .use_fips(config.use_fips().unwrap_or(false))
        .use_dual_stack(config.use_dual_stack().unwrap_or(false))
        .use_global_endpoint(false)
        .set_endpoint(endpoint)
        .build()
        .map_err(|e| Error::Rejected(format!("cannot work out the STS endpoint: {e}")))?;
    let resolved = DefaultResolver::new()
        .resolve_endpoint(&params)
        .await
        .map_err(|e| Error::Rejected(format!("cannot work out the STS endpoint: {e}")))?;
    Ok(resolved.url().to_string())
}

/// `host[:port]` of a URL, as a Host header carries it.
pub fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    (!auth.is_empty() && !auth.contains('@')).then_some(auth)
}

/// Signs GetCallerIdentity for `endpoint` with `creds` at `time`, bound to `binding`.
pub fn sign_proof(
    endpoint: &str,
    region: &str,
    creds: &Credentials,
    time: SystemTime,
    binding: &Binding,
) -> Result<Proof> {
    let host = authority(endpoint)
        .ok_or_else(|| Error::usage(format!("`{endpoint}` is not an endpoint URL")))?
        .to_string();
    let identity = creds.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| Error::Rejected(format!("cannot sign the proof of identity: {e}")))?
        .into();
    let mut headers = BTreeMap::new();
    headers.insert("host".to_string(), host.clone());
    headers.insert("content-type".to_string(), CONTENT_TYPE.to_string());
    let nonce = nonce(time);
    headers.insert(BINDING_HEADER.to_string(), binding.digest(&nonce));
    headers.insert(NONCE_HEADER.to_string(), nonce);
    let signable = SignableRequest::new(
        METHOD,
        endpoint,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(BODY.as_bytes()),
    )
    .map_err(|e| Error::Rejected(format!("cannot sign the proof of identity: {e}")))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| Error::Rejected(format!("cannot sign the proof of identity: {e}")))?
        .into_parts();
    for (k, v) in instructions.headers() {
        headers.insert(k.to_ascii_lowercase(), v.to_string());
    }
    Ok(Proof {
        method: METHOD.to_string(),
        host,
        headers,
        body: BODY.to_string(),
    })
}

/// The signing algorithm, the one an Authorization header may name.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// An Authorization header in the one form the AWS SDKs (aws-sigv4) and botocore write:
/// `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/sts/aws4_request, SignedHeaders=a;b;c,
/// Signature=HEX`, one space after each comma, the signed headers' names lower case and
/// sorted, the signature 64 lower-case hex digits. The header is not itself signed: were any
/// other spelling read as the same signature, one proof could be sent in many spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key_id: &'a str,
    /// `DATE/REGION/sts/aws4_request`, which the string to sign holds.
    pub scope: &'a str,
    /// `YYYYMMDD`, the scope's first part.
    pub date: &'a str,
    signed_headers: &'a str,
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    pub fn parse(header: &'a str) -> Option<Authorization<'a>> {
        let rest = header
            .strip_prefix(ALGORITHM)?
            .strip_prefix(" Credential=")?;
        let (credential, rest) = rest.split_once(", SignedHeaders=")?;
        let (signed_headers, signature) = rest.split_once(", Signature=")?;
        let (access_key_id, scope) = credential.split_once('/')?;
        let [date, region, service, terminator] = scope.split('/').collect::<Vec<_>>()[..] else {
            return None;
        };
        let names: Vec<&str> = signed_headers.split(';').collect();
        let ok = (1..=128).contains(&access_key_id.len())
            && access_key_id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && date.len() == 8
            && date.bytes().all(|b| b.is_ascii_digit())
            && !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && service == "sts"
            && terminator == "aws4_request"
            && names.iter().all(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            && names.windows(2).all(|w| w[0] < w[1])
            && signature.len() == 64
            && signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then_some(Authorization {
            access_key_id,
            scope,
            date,
            signed_headers,
            signature,
        })
    }

    /// The headers the signature covers, in order.
    pub fn signed_headers(&self) -> Vec<&'a str> {
        self.signed_headers.split(';').collect()
    }
}

impl Proof {
    /// Its Authorization header, when it has one in the canonical form.
    pub fn authorization(&self) -> Option<Authorization<'_>> {
        Authorization::parse(self.headers.get("authorization")?)
    }

    /// The access key id in the Authorization header's credential scope (not a secret; the
    /// decision log names it so that an auditor can match a request to CloudTrail).
    pub fn access_key_id(&self) -> Option<&str> {
        self.authorization().map(|a| a.access_key_id)
    }

    /// The hex signature in the Authorization header.
    pub fn signature(&self) -> Option<&str> {
        self.authorization().map(|a| a.signature)
    }

    /// The headers the signature covers (`SignedHeaders=`), lower case.
    pub fn signed_headers(&self) -> Vec<&str> {
        self.authorization()
            .map(|a| a.signed_headers())
            .unwrap_or_default()
    }

    /// The proof as `--dry-run` shows it: the signature and the session token are not shown
    /// (the token is a secret; the signature is what would let someone else use the proof).
    pub fn redacted(&self) -> Proof {
        let mut p = self.clone();
        if let (Some(sig), Some(auth)) = (self.signature(), p.headers.get_mut("authorization")) {
            *auth = auth.replace(sig, "[not shown]");
        }
        if let Some(t) = p.headers.get_mut("x-amz-security-token") {
            *t = "[not shown]".to_string();
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_string),
            None,
            "test",
        )
    }

    const BIND: Binding = Binding {
        function_arn: "arn:aws:lambda:eu-west-1:123456789012:function:awsenv-broker",
        role: "my-task",
        duration: 900,
    };

    #[test]
    fn signs_host_date_body_and_token() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
        let p = sign_proof(
            "https://sts.eu-west-1.amazonaws.com",
            "eu-west-1",
            &creds(Some("TOKEN-0123456789")),
            t,
            &BIND,
        )
        .unwrap();
        assert_eq!(p.host, "sts.eu-west-1.amazonaws.com");
        assert_eq!(p.headers["host"], p.host);
        assert_eq!(p.headers["x-amz-date"], "20261118T110640Z");
        assert_eq!(p.headers["x-amz-security-token"], "TOKEN-0123456789");
        assert_eq!(
            p.signed_headers(),
            [
                "content-type",
                "host",
                "x-amz-date",
                "x-amz-security-token",
                "x-awsenv-nonce",
                "x-awsenv-request"
            ]
        );
        assert_eq!(
            p.headers[BINDING_HEADER],
            BIND.digest(&p.headers[NONCE_HEADER])
        );
        assert_eq!(p.access_key_id(), Some("AKIDEXAMPLE"));
        assert!(p.headers["authorization"].starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261118/eu-west-1/sts/aws4_request"
        ));
        assert_eq!(p.signature().unwrap().len(), 64);
        // The same request at the same instant still gets its own signature (the nonce).
        let again = sign_proof(
            "https://sts.eu-west-1.amazonaws.com",
            "eu-west-1",
            &creds(Some("TOKEN-0123456789")),
            t,
            &BIND,
        )
        .unwrap();
        assert_ne!(again.signature(), p.signature());
        let shown = serde_json::to_string(&p.redacted()).unwrap();
        assert!(!shown.contains(p.signature().unwrap()) && !shown.contains("TOKEN-0123"));
        assert!(shown.contains("Signature=[not shown]"), "{shown}");
    }

    #[test]
    fn a_binding_changes_with_each_field() {
        let d = BIND.digest("n1");
        assert_eq!(d.len(), 64);
        assert_ne!(d, BIND.digest("n2"));
        for other in BIND.each_field_changed() {
            assert_ne!(other.digest("n1"), d, "{other:?}");
        }
    }

    #[test]
    fn function_arns() {
        let full = "arn:aws:lambda:eu-west-1:123456789012:function:awsenv-broker";
        assert_eq!(
            function_arn("awsenv-broker", "aws", "eu-west-1", "123456789012").as_deref(),
            Some(full)
        );
        assert_eq!(
            function_arn("awsenv-broker:live", "aws", "eu-west-1", "123456789012").as_deref(),
            Some(full)
        );
        assert_eq!(
            function_arn(
                "123456789012:function:awsenv-broker",
                "aws",
                "eu-west-1",
                "999999999999"
            )
            .as_deref(),
            Some(full)
        );
        assert_eq!(
            function_arn(&format!("{full}:7"), "aws-cn", "x", "1").as_deref(),
            Some(full)
        );
        assert_eq!(
            unqualified_function_arn("arn:aws:lambda:eu-west-1:1:function:x"),
            None
        );
        assert_eq!(
            unqualified_function_arn("arn:aws:iam::123456789012:role/x"),
            None
        );
    }

    #[test]
    fn authorities() {
        assert_eq!(authority("http://127.0.0.1:5000"), Some("127.0.0.1:5000"));
        assert_eq!(
            authority("https://sts.amazonaws.com/x?y"),
            Some("sts.amazonaws.com")
        );
        assert_eq!(authority("https://u@evil/"), None);
        assert_eq!(authority("sts.amazonaws.com"), None);
    }
}
