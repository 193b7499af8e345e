//! `awsenv login` and `awsenv logout`: their arguments.

use clap::Args;

use crate::cli::Sub;

pub const SUB: Sub = (
    "login",
    "Sign in to IAM Identity Center (device code flow); the token serves awsenv, the AWS CLI \
     and the SDKs",
    "The sign-in URL (with the code) goes to stderr and the browser opens it, unless \
     --no-browser or there is no display (SSH); nothing listens locally. The token is written \
     where the AWS CLI v2 keeps it: ~/.aws/sso/cache/<sha1 of the session name>.json (of the \
     start URL for a legacy profile), mode 0600. AWS_ENDPOINT_URL_SSO_OIDC overrides the OIDC \
     endpoint.",
    LoginArgs::augment_args,
);

pub const LOGOUT: Sub = (
    "logout",
    "Sign out of IAM Identity Center and remove the cached token",
    "",
    LogoutArgs::augment_args,
);

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// A profile with sso_session (or the legacy sso_start_url and sso_region)
    #[arg(value_name = "PROFILE", conflicts_with = "sso_session")]
    pub profile: Option<String>,

    /// The [sso-session NAME] of the AWS config file to sign in to
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,

    /// Do not open a browser; open the printed URL yourself (on any device)
    #[arg(long)]
    pub no_browser: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LogoutArgs {
    /// A profile with sso_session (or the legacy sso_start_url)
    #[arg(value_name = "PROFILE", conflicts_with = "sso_session")]
    pub profile: Option<String>,

    /// The [sso-session NAME] to sign out of [default: the only one configured]
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
}
