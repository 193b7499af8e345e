//! `awsenv login` and `awsenv logout`: IAM Identity Center sign-in and sign-out. Nothing on
//! stdout: what the user must see (the URL, the code) goes to stderr.

use crate::aws::config::runtime;
use crate::cli::login::{LoginArgs, LogoutArgs};
use crate::cmd::output::Output;
use crate::env::process::EnvView;
use crate::error::Result;
use crate::log;
use crate::session::{roles, sso};
use crate::store::sso_token::format_time;

#[inline(never)]
pub fn login(a: &LoginArgs) -> Result<Output> {
    let rt = runtime()?;
    let session = rt.block_on(sso::resolve(a.sso_session.as_deref(), a.profile.as_deref()))?;
    let expires = rt.block_on(sso::login(&session, &EnvView::default(), !a.no_browser))?;
    // A new sign-in may be another user's: the accounts and roles are asked again.
    roles::forget(&session);
    log::info(format_args!(
        "signed in to {} until {}",
        session.label(),
        format_time(expires)
    ));
    Ok(Output::Nothing)
}

#[inline(never)]
pub fn logout(a: &LogoutArgs) -> Result<Output> {
    let rt = runtime()?;
    let session = rt.block_on(sso::resolve(a.sso_session.as_deref(), a.profile.as_deref()))?;
    let had = rt.block_on(sso::logout(&session, &EnvView::default()))?;
    roles::forget(&session);
    if had {
        log::info(format_args!("signed out of {}", session.label()));
    } else {
        log::info(format_args!("not signed in to {}", session.label()));
    }
    Ok(Output::Nothing)
}
