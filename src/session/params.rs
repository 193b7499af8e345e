//! Parsers and validators for the values of assume's options. Each returns a message that says
//! what was wrong and what is accepted; all run before any network call.

use std::time::Duration;

use crate::error::{Error, Result};

pub const MIN_DURATION: u64 = 900;
pub const MAX_DURATION: u64 = 43_200;
/// AWS caps a session made with role-chained credentials at one hour.
pub const CHAIN_MAX_DURATION: u64 = 3_600;

/// Seconds, or a humantime span such as `1h`, `15m`, `1h30m`; 900..=43200 seconds.
pub fn parse_duration(s: &str) -> Result<u64> {
    match whole_seconds(s) {
        Some(n) if (MIN_DURATION..=MAX_DURATION).contains(&n) => Ok(n),
        Some(n) => Err(Error::usage(format!(
            "duration `{s}` is {n} seconds; AWS accepts 900 (15m) to 43200 (12h), and the role's \
             own MaxSessionDuration may be lower (1h unless its owner raised it)"
        ))),
        None => Err(Error::usage(format!(
            "`{}` is not a duration: give seconds (3600) or a span such as 1h, 15m, 1h30m",
            s.escape_debug()
        ))),
    }
}

/// An MFA session (GetSessionToken) lasts 12 hours unless asked otherwise, as on AWS.
pub const DEFAULT_MFA_DURATION: u64 = 43_200;
/// AWS's limit for an IAM user's GetSessionToken.
pub const MAX_MFA_DURATION: u64 = 129_600;

/// `--mfa-duration`: seconds or a span; 900..=129600 (36 h).
pub fn parse_mfa_duration(s: &str) -> Result<u64> {
    match whole_seconds(s) {
        Some(n) if (MIN_DURATION..=MAX_MFA_DURATION).contains(&n) => Ok(n),
        Some(n) => Err(Error::usage(format!(
            "--mfa-duration `{s}` is {n} seconds; AWS keeps an MFA session (GetSessionToken) \
             900 (15m) to 129600 (36h) seconds"
        ))),
        None => Err(Error::usage(format!(
            "--mfa-duration `{}` is not a duration: give seconds (43200) or a span such as 12h",
            s.escape_debug()
        ))),
    }
}

/// Seconds, or a humantime span of whole seconds.
fn whole_seconds(s: &str) -> Option<u64> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u64>().ok()
    } else {
        humantime::parse_duration(t)
            .ok()
            .filter(|d| d.subsec_nanos() == 0)
            .map(|d: Duration| d.as_secs())
    }
}

/// `--broker`: a Lambda function name, partial ARN or ARN, as Invoke accepts it.
pub fn validate_function_name(s: &str) -> Result<String> {
    let ok = (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.$".contains(&b));
    if ok {
        Ok(s.to_string())
    } else {
        Err(Error::usage(format!(
            "--broker `{}` is not a Lambda function name or ARN (letters, digits, -_:.)",
            s.escape_debug()
        )))
    }
}

/// AWS's rule for RoleSessionName: 2 to 64 of `[\w+=,.@-]`.
pub fn validate_session_name(s: &str) -> Result<String> {
    iam_name("session name", s)
}

/// AWS's rule for SourceIdentity is the session name's: 2 to 64 of `[\w+=,.@-]` (so no `:`,
/// which also keeps out the reserved `aws:` prefix, and no `/`).
pub fn validate_source_identity(s: &str) -> Result<String> {
    iam_name("source identity", s)
}

fn iam_name(kind: &str, s: &str) -> Result<String> {
    if (2..=64).contains(&s.len()) && s.bytes().all(crate::role::is_iam_name_byte) {
        Ok(s.to_string())
    } else {
        Err(Error::usage(format!(
            "{kind} `{}` is not valid: AWS requires 2 to 64 characters of letters, digits \
             and _+=,.@-",
            s.escape_debug()
        )))
    }
}

/// Turns anything into a valid session name: invalid characters become `-`, the result is cut
/// to 64 characters and padded to at least 2.
pub fn sanitize_session_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii() && crate::role::is_iam_name_byte(c as u8) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    while out.len() < 2 {
        out.push('-');
    }
    out
}

/// The default session name: `awsenv-<local user>`. It is derived from local facts, not from a
/// GetCallerIdentity call, so that assuming a role by ARN costs exactly one request.
pub fn default_session_name(user: Option<&str>) -> String {
    sanitize_session_name(&format!("awsenv-{}", user.unwrap_or("user")))
}

/// `KEY=VALUE` for session tags; AWS's limits: key 1..=128, value 0..=256 characters of
/// letters, digits, spaces and `_.:/=+-@`.
pub fn parse_tag(s: &str) -> Result<(String, String)> {
    let (k, v) = s.split_once('=').ok_or_else(|| {
        Error::usage(format!(
            "tag `{}` must be KEY=VALUE, e.g. --tag team=platform",
            s.escape_debug()
        ))
    })?;
    let ok = |t: &str| {
        t.chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c))
    };
    if k.is_empty() || k.chars().count() > 128 || !ok(k) {
        return Err(Error::usage(format!(
            "tag key `{}` is not valid: 1 to 128 letters, digits, spaces and _.:/=+-@",
            k.escape_debug()
        )));
    }
    if v.chars().count() > 256 || !ok(v) {
        return Err(Error::usage(format!(
            "tag value for `{k}` is not valid: up to 256 letters, digits, spaces and _.:/=+-@"
        )));
    }
    Ok((k.to_string(), v.to_string()))
}

/// An MFA token code: six digits.
pub fn validate_token_code(s: &str) -> Result<String> {
    let t = s.trim();
    if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_string())
    } else {
        Err(Error::usage(
            "the MFA token code must be the six digits your device shows",
        ))
    }
}

/// The most of a policy file awsenv reads. AWS takes 2,048 characters of policy; even
/// pretty-printed with deep indentation, a policy that fits is far smaller than this.
pub const MAX_POLICY_FILE: u64 = 64 * 1024;

/// `--policy` takes inline JSON or a file path; either way the result must be a JSON object.
/// Returned minified, which is what counts against AWS's packed-size limit.
pub fn load_policy(arg: &str) -> Result<String> {
    let text = if arg.trim_start().starts_with('{') {
        arg.to_string()
    } else {
        read_policy_file(arg)?
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "the session policy `{}` is not valid JSON: {e}",
            truncate(arg, 60)
        ))
    })?;
    if !value.is_object() {
        return Err(Error::usage(
            "a session policy must be a JSON object with \"Version\" and \"Statement\"",
        ));
    }
    Ok(value.to_string())
}

/// A regular file, read up to [`MAX_POLICY_FILE`]: `/dev/zero` would fill the memory and a
/// FIFO would wait for a writer forever.
fn read_policy_file(arg: &str) -> Result<String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let unreadable = |e: std::io::Error| {
        Error::Io(format!(
            "cannot read the policy file `{arg}`: {e}; pass a file path or the JSON itself"
        ))
    };
    let bad = |why: &str| {
        Error::usage(format!(
            "the policy file `{arg}` {why}; pass a JSON file or the JSON itself"
        ))
    };
    // Without O_NONBLOCK, opening a FIFO blocks until something writes to it; with it, the
    // open returns and the file type below refuses it. A regular file reads as usual.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(arg)
        .map_err(unreadable)?;
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(bad("is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_POLICY_FILE {
        return Err(bad(&format!(
            "is larger than {} KiB, far beyond the 2,048 characters AWS accepts",
            MAX_POLICY_FILE / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| bad("is not UTF-8 text"))
}

/// `--policy-arn`: an IAM managed policy ARN.
pub fn validate_policy_arn(s: &str) -> Result<String> {
    let ok = s
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(':'))
        .is_some_and(|(p, r)| {
            p.starts_with("aws")
                && r.strip_prefix("iam::").is_some_and(|r| {
                    r.split_once(':').is_some_and(|(acct, res)| {
                        (acct == "aws"
                            || (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())))
                            && res.starts_with("policy/")
                            && res.len() > "policy/".len()
                            && res.bytes().all(|b| (0x21..=0x7e).contains(&b))
                    })
                })
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(Error::usage(format!(
            "`{}` is not a managed policy ARN (arn:aws:iam::aws:policy/NAME or \
             arn:aws:iam::123456789012:policy/NAME)",
            s.escape_debug()
        )))
    }
}

/// `--mfa-serial`: a virtual MFA device ARN or a hardware serial.
pub fn validate_mfa_serial(s: &str) -> Result<String> {
    let ok = (9..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=/:,.@-".contains(&b));
    if ok {
        Ok(s.to_string())
    } else {
        Err(Error::usage(format!(
            "`{}` is not an MFA device serial (e.g. arn:aws:iam::123456789012:mfa/alice)",
            s.escape_debug()
        )))
    }
}

/// `--external-id` (and `external_id` in a profile): 2 to `max` (1224) of `[\w+=,.@:/-]`.
pub fn validate_id(kind: &str, s: &str, max: usize) -> Result<String> {
    if (2..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@:/-".contains(&b))
    {
        Ok(s.to_string())
    } else {
        Err(Error::usage(format!(
            "{kind} `{}` is not valid: 2 to {max} letters, digits and _+=,.@:/-",
            s.escape_debug()
        )))
    }
}

/// `--min-ttl` / `AWSENV_MIN_TTL`: seconds or a span such as 5m.
pub fn parse_min_ttl(s: &str) -> Result<u64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    humantime::parse_duration(t)
        .map(|d| d.as_secs())
        .map_err(|_| {
            Error::usage(format!(
                "min-ttl `{}` is not a duration: give seconds (300) or a span such as 5m",
                s.escape_debug()
            ))
        })
}

/// `--region`: lowercase letters, digits and `-`, as AWS names regions.
pub fn validate_region(r: &str) -> Result<String> {
    if is_region_name(r) {
        Ok(r.to_string())
    } else {
        Err(Error::usage(format!(
            "`{}` is not a region name (e.g. eu-west-1)",
            r.escape_debug()
        )))
    }
}

/// A region from the environment variable `var` (AWS_REGION, AWS_DEFAULT_REGION): the rule of
/// `--region`, with the variable named so that the user knows what to fix.
pub fn validate_region_var(var: &str, r: &str) -> Result<()> {
    if is_region_name(r) {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "{var} `{}` is not a region name (e.g. eu-west-1); fix or unset {var}, or pass \
             --region",
            r.escape_debug()
        )))
    }
}

fn is_region_name(r: &str) -> bool {
    (1..=32).contains(&r.len())
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `--profile`: the name of a profile in the AWS config files.
pub fn validate_source_profile(p: &str) -> Result<String> {
    if p.is_empty() || p.chars().any(|c| c.is_control()) {
        return Err(Error::usage("--profile needs a profile name"));
    }
    Ok(p.to_string())
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names() {
        for ok in [
            "awsenv-broker",
            "arn:aws:lambda:eu-west-1:123456789012:function:b:live",
        ] {
            assert!(validate_function_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "x/y", &"x".repeat(257)] {
            assert_eq!(validate_function_name(bad).unwrap_err().exit_code(), 2);
        }
    }

    #[test]
    fn mfa_durations() {
        assert_eq!(parse_mfa_duration("36h").unwrap(), 129_600);
        assert_eq!(parse_mfa_duration("900").unwrap(), 900);
        assert_eq!(parse_mfa_duration("12h").unwrap(), DEFAULT_MFA_DURATION);
        for bad in ["899", "36h1s", "129601", "", "soon"] {
            assert_eq!(parse_mfa_duration(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3600").unwrap(), 3600);
        assert_eq!(parse_duration("1h").unwrap(), 3600);
        assert_eq!(parse_duration("15m").unwrap(), 900);
        assert_eq!(parse_duration("1h30m").unwrap(), 5400);
        assert_eq!(parse_duration("12h").unwrap(), 43200);
        assert_eq!(parse_duration("1.5h").unwrap(), 5400);
        for bad in [
            "899", "14m", "12h1s", "43201", "", "abc", "-1", "1h 0.5s", "0.5",
        ] {
            assert_eq!(parse_duration(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn session_names() {
        assert!(validate_session_name("ab").is_ok());
        assert!(validate_session_name(&"a".repeat(64)).is_ok());
        for bad in ["a", "", "a b", "a/b", &"a".repeat(65), "é1"] {
            assert!(validate_session_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sanitized_names_are_always_valid() {
        for raw in ["", "x", "jane doe", "ü$(id)", &"long".repeat(40), "a/b\\c"] {
            let s = sanitize_session_name(raw);
            assert!(validate_session_name(&s).is_ok(), "{raw:?} -> {s:?}");
        }
        assert_eq!(default_session_name(Some("jane doe")), "awsenv-jane-doe");
        assert_eq!(default_session_name(None), "awsenv-user");
    }

    #[test]
    fn tags() {
        assert_eq!(
            parse_tag("team=plat form").unwrap(),
            ("team".into(), "plat form".into())
        );
        assert_eq!(parse_tag("k=").unwrap(), ("k".into(), "".into()));
        assert_eq!(parse_tag("k=a=b").unwrap(), ("k".into(), "a=b".into()));
        for bad in ["noeq", "=v", "k=$(id)", "k;=v", "k=\n"] {
            assert!(parse_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_codes() {
        assert_eq!(validate_token_code(" 123456\n").unwrap(), "123456");
        for bad in ["12345", "1234567", "abcdef", ""] {
            assert!(validate_token_code(bad).is_err());
        }
    }

    #[test]
    fn policies() {
        assert_eq!(
            load_policy(r#"{ "Version": "2012-10-17", "Statement": [] }"#).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        assert!(load_policy("{not json").is_err());
        assert_eq!(
            load_policy("/nonexistent/p.json").unwrap_err().exit_code(),
            9
        );
        assert!(validate_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").is_ok());
        assert!(validate_policy_arn("arn:aws:iam::123456789012:policy/a/b").is_ok());
        assert!(validate_policy_arn("arn:aws:iam::123456789012:role/a").is_err());
        assert!(validate_policy_arn("ReadOnlyAccess").is_err());
    }

    #[test]
    fn ids() {
        assert!(validate_id("external id", "abc:def/1", 1224).is_ok());
        assert!(validate_id("external id", "a", 1224).is_err());
        assert!(validate_id("external id", "a b", 1224).is_err());
        assert!(validate_mfa_serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(validate_mfa_serial("x y").is_err());
    }

    #[test]
    fn source_identities_follow_aws_pattern() {
        // AWS: [\w+=,.@-]*, 2 to 64; unlike an external id, no `:` or `/`.
        for good in ["ab", "jane.doe@example.com", "a+b=c,d-e_f", &"x".repeat(64)] {
            assert_eq!(validate_source_identity(good).unwrap(), good);
        }
        for bad in [
            "a",
            "aws:x",
            "jane/doe",
            "a:b",
            "a b",
            &"x".repeat(65),
            "é1",
        ] {
            let err = validate_source_identity(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("source identity"), "{bad}");
        }
    }
}
