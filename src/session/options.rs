//! The options every way of getting a session shares, validated.

use crate::session::source::SourceKind;
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
    pub mfa_serial: Option<String>,
    pub token_code: Option<String>,
    pub use_cache: bool,
    pub min_ttl: u64,
}
