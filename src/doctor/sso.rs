//! IAM Identity Center sessions: each one the config names, signed in until when, or how to
//! sign in. From the token files alone (no network): a token that ends soon is renewed by the
//! next command that needs it.

use crate::aws::config::runtime;
use crate::creds::now;
use crate::doctor::Finding;
use crate::session::sso::{self, RENEW_BEFORE};
use crate::store::sso_token;

pub fn sessions(out: &mut Vec<Finding>) {
    let Ok(set) = runtime().and_then(|rt| rt.block_on(sso::config_sections())) else {
        // The config's own problems are the source check's to report.
        return;
    };
    for s in sso::all_sessions(&set) {
        let label = s.label();
        let token = match sso_token::read(s.key()) {
            Ok(t) => t,
            Err(e) => {
                out.push(Finding::problem(
                    "sso",
                    format!("{label}: {e}"),
                    s.login_command(),
                ));
                continue;
            }
        };
        let renewable =
            |t: &sso_token::Token| t.refresh_token.is_some() && t.registration_expires() > now();
        out.push(match token {
            None => Finding::note(
                "sso",
                format!("{label}: not signed in"),
                Some(s.login_command()),
            ),
            Some(t) if t.expires() - now() > RENEW_BEFORE => Finding::ok(
                "sso",
                format!(
                    "{label}: signed in until {}",
                    sso_token::format_time(t.expires())
                ),
            ),
            Some(t) if renewable(&t) => Finding::ok(
                "sso",
                format!(
                    "{label}: the access token ends at {}; the next command renews it",
                    sso_token::format_time(t.expires())
                ),
            ),
            Some(t) => Finding::note(
                "sso",
                format!(
                    "{label}: the sign-in ended at {}",
                    sso_token::format_time(t.expires())
                ),
                Some(s.login_command()),
            ),
        });
    }
}
