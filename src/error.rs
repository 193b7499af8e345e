//! Every way awsenv can fail, and the one place that maps failures to exit codes.
//!
//! Messages never contain secret values: errors are built from names, ARNs and AWS error
//! codes only, and the AWS error text is passed through `scrub` before it is shown.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Bad command line or input value (also clap's own exit code).
    #[error("{0}")]
    Usage(String),
    /// The shell could not be determined.
    #[error("{0}")]
    Shell(String),
    /// Output would print secrets to a terminal.
    #[error("{0}")]
    Terminal(String),
    /// No usable source credentials.
    #[error("{0}")]
    NoCredentials(String),
    /// The source credentials were rejected (invalid, expired, wrong signature).
    #[error("{0}")]
    BadCredentials(String),
    /// The caller is not allowed to do what it asked.
    #[error("{0}")]
    AccessDenied(String),
    /// The request was well-formed but AWS refused it (limits, validation, throttling).
    #[error("{0}")]
    Rejected(String),
    /// The endpoint could not be reached or did not answer in time.
    #[error("{0}")]
    Network(String),
    /// A local file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// The MFA code could not be obtained.
    #[error("{0}")]
    Mfa(String),
    /// A requested object (role, policy, profile) does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The endpoint answered with server errors (HTTP 5xx) through every retry.
    #[error("{0}")]
    Unavailable(String),
    /// A role is active and the original secret values the source needs are held by the
    /// shell: the shell must run awsenv again with them (the commands that print shell code
    /// say so in that code; the others report it).
    #[error("{0}")]
    NeedsShell(String),
    /// `--cache-only` and no cached session: nothing was asked of AWS.
    #[error("{0}")]
    CacheMiss(String),
    /// `doctor` found something that will fail.
    #[error("{0}")]
    Problems(String),
    /// The command for `exec` could not be started (126: not executable, 127: not found).
    #[error("{message}")]
    Spawn { message: String, code: i32 },
}

/// Exit codes, documented in `awsenv --help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0   success
  2   bad command line or input (role, duration, session name, tag, policy)
  3   no source credentials found
  4   source credentials rejected (invalid, expired, bad signature)
  5   access denied (IAM policy or the role's trust policy)
  6   AWS refused the request (limits, validation, throttling)
  7   endpoint unreachable or timed out
  8   secrets would be printed to a terminal (use eval, or --force)
  9   local file error (cache, state, policy file)
  10  cannot tell which shell to write for (use --shell)
  11  MFA code unavailable
  12  role, policy or profile not found
  13  the AWS endpoint kept failing (HTTP 5xx) through its retries
  14  --cache-only: no cached session (the network was not used)
  15  doctor found a problem (each is printed with its fix)";

/// `console`: what the URL is, and where its parts come from.
pub const CONSOLE_HELP: &str = "\
The sign-in URL is a credential: whoever opens it within 15 minutes is signed in as the role. \
awsenv never logs it; --print refuses a terminal without --force. Opening the browser passes \
it on the browser's command line, as every console helper must; on a shared machine prefer \
--print into a private channel.
SessionDuration (-d, 900..43200 s, default 1h) is sent only when the session is known not to \
come from role chaining (the sign-in endpoint refuses it then); otherwise the endpoint's \
default applies. Hosts follow the role's partition (aws, aws-us-gov, aws-cn); \
AWSENV_FEDERATION_URL overrides the federation endpoint (https, or http to this machine).
Exit codes: as for assume (see `awsenv assume --help`); 6 when the sign-in endpoint refuses.";

/// `exec` also passes on its command's status.
pub const EXEC_HELP: &str = "\
Exit status: the command's own; 128+N when a signal N ended it; 126 when it cannot be run, \
127 when it is not found; else awsenv's codes (see `awsenv assume --help`).";

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::NeedsShell(_) => 2,
            Error::NoCredentials(_) => 3,
            Error::BadCredentials(_) => 4,
            Error::AccessDenied(_) => 5,
            Error::Rejected(_) => 6,
            Error::Network(_) => 7,
            Error::Terminal(_) => 8,
            Error::Io(_) => 9,
            Error::Shell(_) => 10,
            Error::Mfa(_) => 11,
            Error::NotFound(_) => 12,
            Error::Unavailable(_) => 13,
            Error::CacheMiss(_) => 14,
            Error::Problems(_) => 15,
            Error::Spawn { code, .. } => *code,
        }
    }

    pub fn usage(msg: impl Into<String>) -> Error {
        Error::Usage(msg.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Removes anything that looks like a credential from text that came from outside (AWS error
/// messages, SDK error chains) before it is shown: AWS never echoes secrets, but a proxy or an
/// emulator might, and an error path is the last place to find out. `secrets` are the values
/// known to be secret; besides them, words shaped like one are redacted without being named:
/// an AWS secret access key (40 base64 characters) or a session token (100 or more), in mixed
/// case with digits as random keys are (an access key id, an ARN, a hex digest are not).
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut known = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 8) {
        known = known.replace(s, "[redacted]");
    }
    let base64 = |c: char| c.is_ascii_alphanumeric() || c == '/' || c == '+';
    let mut out = String::with_capacity(known.len());
    let mut rest = known.as_str();
    while let Some(start) = rest.find(base64) {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        let mut end = word.find(|c| !base64(c)).unwrap_or(word.len());
        // Up to two `=` of padding belong to the word.
        end += word[end..]
            .bytes()
            .take(2)
            .take_while(|&b| b == b'=')
            .count();
        let (w, tail) = word.split_at(end);
        out.push_str(if secret_shaped(w) { "[redacted]" } else { w });
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn secret_shaped(word: &str) -> bool {
    let body = word.trim_end_matches('=');
    let has = |f: fn(&u8) -> bool| body.as_bytes().iter().any(f);
    let random =
        has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase) && has(u8::is_ascii_digit);
    random && ((body.len() == 40 && body.len() == word.len()) || body.len() >= 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_documented() {
        let all = [
            Error::Usage(String::new()),
            Error::NoCredentials(String::new()),
            Error::BadCredentials(String::new()),
            Error::AccessDenied(String::new()),
            Error::Rejected(String::new()),
            Error::Network(String::new()),
            Error::Terminal(String::new()),
            Error::Io(String::new()),
            Error::Shell(String::new()),
            Error::Mfa(String::new()),
            Error::NotFound(String::new()),
            Error::Unavailable(String::new()),
            Error::CacheMiss(String::new()),
            Error::Problems(String::new()),
        ];
        let mut codes: Vec<i32> = all.iter().map(Error::exit_code).collect();
        for c in &codes {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {c} ")),
                "code {c} undocumented"
            );
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn scrub_hides_secrets() {
        assert_eq!(
            scrub("bad key wJalrXUtnFEMI in request", &["wJalrXUtnFEMI", "x"]),
            "bad key [redacted] in request"
        );
    }

    #[test]
    fn scrub_hides_secret_shaped_words_it_was_not_told_of() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let token = format!(
            "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD{}0Kw==",
            "rQ9+x".repeat(20)
        );
        assert_eq!(
            scrub(
                &format!("proxy echoed aws_secret_access_key={key}, then"),
                &[]
            ),
            "proxy echoed aws_secret_access_key=[redacted], then"
        );
        assert_eq!(
            scrub(&format!("X-Amz-Security-Token: {token}\nnext line"), &[]),
            "X-Amz-Security-Token: [redacted]\nnext line"
        );
        // What error messages are made of stays as it is.
        for keep in [
            "User: arn:aws:sts::123456789012:assumed-role/dev/awsenv-jane is not authorized \
             to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy",
            "the source access key AKIAIOSFODNN7EXAMPLE is not valid (InvalidClientTokenId)",
            "request 4f1c2a8e-9b7d-4c3e-8a2f-1d2e3f4a5b6c, digest \
             9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "cannot read /home/jane/.cache/awsenv/sessions/0123456789abcdef.json: denied",
            "a word of 40 letters: abcdefghijABCDEFGHIJabcdefghijABCDEFGHIJ",
        ] {
            assert_eq!(scrub(keep, &[]), keep);
        }
    }
}
