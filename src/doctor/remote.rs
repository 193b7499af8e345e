//! Checks against AWS: the source credentials awsenv would use, the endpoint and region in
//! effect, and the clock against STS's (signatures fail when it is off by more than 5 min).

use aws_config::SdkConfig;

use crate::aws::config::{load_config, runtime, source_credentials};
use crate::aws::sts::Sts;
use crate::creds::now;
use crate::doctor::Finding;
use crate::session::options::SourceKind;
use crate::session::pipeline::endpoint_override;
use crate::session::source::EnvContext;

/// Beyond this the clock is worth a note; AWS refuses signatures beyond 5 minutes.
const SKEW_NOTE: i64 = 30;
const SKEW_PROBLEM: i64 = 240;

pub fn aws(out: &mut Vec<Finding>) {
    // The source as `assume` would see it: the environment from before any awsenv role.
    let named = EnvContext::read().and_then(|env| {
        let label = env.source_label(&SourceKind::Default)?;
        Ok((label, env.source_view(&SourceKind::Default)))
    });
    let (label, view) = match named {
        Ok(l) => l,
        Err(e) => {
            out.push(Finding::problem(
                "source",
                e.to_string(),
                "open a new shell",
            ));
            return;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            out.push(Finding::problem("source", e.to_string(), "try again"));
            return;
        }
    };
    rt.block_on(async {
        let config = load_config(&view, None, None).await;
        endpoint_and_region(&config, out);
        let creds = match source_credentials(&config, None).await {
            Ok(c) => c,
            Err(e) => {
                out.push(Finding::problem(
                    "source",
                    format!("no usable source credentials ({label}): {e}"),
                    "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws configure`, or log in \
                     (`aws sso login`)",
                ));
                return;
            }
        };
        let kind = if creds.session_token().is_some() {
            "temporary"
        } else {
            "long-term"
        };
        out.push(Finding::ok(
            "source",
            format!(
                "{kind} key {} from {}",
                creds.access_key_id(),
                where_from(&label)
            ),
        ));
        let (identity, time) = Sts::new(config, creds).caller_identity_and_time().await;
        match identity {
            Ok((_, _, arn)) => out.push(Finding::ok("identity", format!("STS says you are {arn}"))),
            Err(e) => out.push(Finding::problem(
                "identity",
                format!("STS refused the source credentials: {e}"),
                "fix the credentials above (see the message); `aws sts get-caller-identity` \
                 checks them outside awsenv",
            )),
        }
        out.push(clock(time));
    });
}

/// The source label in words.
fn where_from(label: &str) -> String {
    if label.starts_with("env:") {
        "the environment (AWS_ACCESS_KEY_ID)".into()
    } else if let Some(p) = label.strip_prefix("profile:") {
        format!("profile `{p}` (AWS_PROFILE)")
    } else {
        "the default chain (profile `default`, SSO, container or instance credentials)".into()
    }
}

fn endpoint_and_region(config: &SdkConfig, out: &mut Vec<Finding>) {
    let region = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "none".into());
    let endpoint = endpoint_override()
        .or_else(|| config.endpoint_url().map(str::to_string))
        .unwrap_or_else(|| "AWS's own for the region".into());
    out.push(Finding::ok(
        "endpoint",
        format!("STS at {endpoint}, region {region}"),
    ));
}

fn clock(endpoint_time: Option<i64>) -> Finding {
    let Some(t) = endpoint_time else {
        return Finding::note(
            "clock",
            "not checked: STS's answer had no readable Date",
            None,
        );
    };
    let skew = now() - t;
    let side = if skew > 0 { "ahead of" } else { "behind" };
    let text = format!("this machine's clock is {}s {side} STS's", skew.abs());
    let fix = "synchronise the clock (e.g. `timedatectl set-ntp true`, or `chronyc makestep`)";
    match skew.abs() {
        s if s < SKEW_NOTE => Finding::ok("clock", format!("within {SKEW_NOTE}s of STS's ({skew:+}s)")),
        s if s < SKEW_PROBLEM => Finding::note("clock", text, Some(fix.into())),
        _ => Finding::problem(
            "clock",
            format!("{text}: AWS refuses signatures more than 5 minutes off (SignatureDoesNotMatch, RequestExpired)"),
            fix,
        ),
    }
}
