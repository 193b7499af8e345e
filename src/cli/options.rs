//! Options that several commands share: the shell to write for, the session's options, where
//! the session goes (`--format`/`--output`, `--write-profile`) and the credential endpoint's.

use clap::Args;

use crate::shell::Shell;

/// Where and how `assume` and `simulate` write the session (the output holds secrets).
#[derive(Debug, Clone, Args)]
pub struct OutputOpts {
    /// shell: code for eval; dotenv, docker (for `docker run --env-file`), json: the role's
    /// variables as data
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub format: crate::env::file::Format,

    /// Write to FILE (mode 0600, atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ShellArg {
    /// Shell to write code for [default: $AWSENV_SHELL, else the parent shell, else $SHELL]
    #[arg(short, long, value_enum)]
    pub shell: Option<Shell>,

    /// Print even when stdout is a terminal (the output may hold secrets)
    #[arg(long)]
    pub force: bool,
}

// Options shared by `assume` and `simulate`. (Not a doc comment: on an `Args` struct clap
// would make it the help of every command that flattens it.)
#[derive(Debug, Clone, Args)]
pub struct SessionOpts {
    #[command(flatten)]
    pub shell: ShellArg,

    /// Session length: seconds or a span such as 1h, 15m (900..=43200) [default: 1h]
    #[arg(short, long, value_name = "DURATION")]
    pub duration: Option<String>,

    /// RoleSessionName (2-64 of letters, digits, _+=,.@-) [default: awsenv-<user>]
    #[arg(short = 'n', long, value_name = "NAME")]
    pub session_name: Option<String>,

    /// External id the role's trust policy asks for
    #[arg(short, long, value_name = "ID")]
    pub external_id: Option<String>,

    /// Region for STS and exported as AWS_REGION/AWS_DEFAULT_REGION
    #[arg(short, long)]
    pub region: Option<String>,

    /// Take the source credentials from this AWS config profile
    #[arg(short, long)]
    pub profile: Option<String>,

    /// MFA device serial or ARN the role requires
    #[arg(long, value_name = "ARN")]
    pub mfa_serial: Option<String>,

    /// MFA code; without it awsenv asks on the terminal
    #[arg(long, value_name = "CODE", requires = "mfa_serial")]
    pub token_code: Option<String>,

    /// How long the MFA session a code buys lasts; roles are assumed from it without another
    /// code until it ends: seconds or a span (900..=129600, 36h) [default: 12h]
    #[arg(long, value_name = "DURATION")]
    pub mfa_duration: Option<String>,

    /// A renewal: cached role sessions are skipped, the cached MFA session is not.
    #[arg(skip)]
    pub fresh: bool,

    /// Never ask for an MFA code (a renewal has nobody to ask); also AWSENV_NO_PROMPT=1.
    #[arg(skip)]
    pub no_prompt: bool,

    /// Ignore the credential cache (also AWSENV_NO_CACHE=1)
    #[arg(long)]
    pub no_cache: bool,

    /// Minimum life a cached session must have left to be reused [default: 5m, AWSENV_MIN_TTL]
    #[arg(long, value_name = "DURATION")]
    pub min_ttl: Option<String>,

    /// Answer from the credential cache only, never the network; no cached session: exit 14
    #[arg(long, conflicts_with = "no_cache")]
    pub cache_only: bool,
}

// `--write-profile` and its own override, apart from `--force` (which only lets secrets be
// printed on a terminal).
#[derive(Debug, Clone, Args)]
pub struct WriteProfileArgs {
    /// Write the credentials to this profile of the shared credentials file instead
    #[arg(long, value_name = "PROFILE")]
    pub write_profile: Option<String>,

    /// With --write-profile: replace a section that holds long-term keys
    #[arg(long, requires = "write_profile")]
    pub overwrite_keys: bool,
}

// The credential endpoint's options (`exec`, `simulate`). (Not doc comments: see SessionOpts.)
#[derive(Debug, Clone, Args)]
pub struct EndpointOpts {
    /// Give CMD a local ECS-style credential endpoint that renews the session, not keys
    #[arg(long)]
    pub ecs_server: bool,

    /// With --ecs-server: renew the session this long before it expires [default: 20m, or half
    /// the session]
    #[arg(long, value_name = "DURATION", requires = "ecs_server")]
    pub refresh_before: Option<String>,
}
