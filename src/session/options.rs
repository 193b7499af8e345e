//! The options every way of getting a session shares, validated.

use crate::shell::Shell;

/// Settings common to `assume` and `simulate`, validated (see `params`).
pub struct SessionOptions {
    /// Bash when no shell is needed (`simulate --dry-run` prints JSON).
    pub shell: Shell,
    /// The session name given on the command line; the default is the request's.
    pub session_name: Option<String>,
    pub duration: u64,
    pub duration_given: bool,
    pub external_id: Option<String>,
    pub region: Option<String>,
    pub source: SourceKind,
    /// Why the source is a role's credentials, when that is known before connecting (`--chain`,
    /// a profile whose source is a role): the chaining rule applies.
    pub chained: Option<String>,
    pub mfa_serial: Option<String>,
    pub token_code: Option<String>,
    /// How long an MFA session asked for now lasts (GetSessionToken's DurationSeconds).
    pub mfa_duration: u64,
    /// Whether MFA sessions are cached and used: off with the cache (`--no-cache`,
    /// AWSENV_NO_CACHE), on for a renewal, which skips only cached role sessions.
    pub mfa_cache: bool,
    /// Whether an MFA code may be asked for on the terminal (not under direnv, not in a
    /// renewal, AWSENV_NO_PROMPT).
    pub may_prompt: bool,
    pub use_cache: bool,
    /// Never the network: a cache miss is an error (the prompt hook applies a refresh so).
    pub cache_only: bool,
    pub min_ttl: u64,
}

/// Where source credentials come from.
#[derive(Debug, Clone)]
pub enum SourceKind {
    /// The SDK's default chain over the environment as it was before any awsenv role.
    Default,
    /// A named profile (`--profile`).
    Profile(String),
    /// The active awsenv role (`--chain`).
    ActiveRole,
}

impl SourceKind {
    /// The profile the SDK must load the source from, if one is named.
    pub fn profile(&self) -> Option<&str> {
        match self {
            SourceKind::Profile(p) => Some(p),
            SourceKind::Default | SourceKind::ActiveRole => None,
        }
    }
}
