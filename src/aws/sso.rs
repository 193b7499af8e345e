//! IAM Identity Center: the OIDC service (client registration, the device authorization flow,
//! token renewal) and the access portal (role credentials, accounts, roles, sign-out). Both are
//! REST-JSON services that take no AWS signature: the portal's calls carry the access token,
//! which is a secret like any credential and goes into no message.

use aws_sdk_sso::error::ProvideErrorMetadata;
use aws_sdk_sso::error::SdkError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws::config::load_config;
use crate::aws::errors::sdk_error;
use crate::creds::Session;
use crate::env::process::EnvView;
use crate::error::{Error, Result};
use crate::log;

/// The grant types of CreateToken (RFC 8628 and RFC 6749).
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const REFRESH_GRANT: &str = "refresh_token";

/// The scope that lets a token renew itself, as the AWS CLI v2 asks for it by default.
pub const DEFAULT_SCOPE: &str = "sso:account:access";

/// Both services in one Identity Center region, over awsenv's HTTP client and bounds; the
/// endpoints follow `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SSO` of the view.
pub struct Sso {
    oidc: aws_sdk_ssooidc::Client,
    portal: aws_sdk_sso::Client,
}

/// A registered OIDC client: what CreateToken needs besides the grant.
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
}

/// What StartDeviceAuthorization handed out: the user approves `user_code` at the URL.
#[derive(Debug, Clone)]
pub struct Device {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// A token CreateToken issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

/// One answer to polling CreateToken with a device code.
#[derive(Debug)]
pub enum Poll {
    Done(Issued),
    /// `authorization_pending`: the user has not approved yet.
    Pending,
    /// `slow_down`: poll less often (RFC 8628 adds 5 seconds to the interval).
    SlowDown,
    /// `expired_token`: the device code ran out before approval.
    Expired,
}

/// An account the token may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
}

impl Sso {
    pub async fn new(view: &EnvView, region: &str) -> Sso {
        let config = load_config(view, Some(region), None).await;
        Sso {
            oidc: aws_sdk_ssooidc::Client::new(&config),
            portal: aws_sdk_sso::Client::new(&config),
        }
    }

    pub async fn register(&self, client_name: &str, scopes: &[String]) -> Result<Registration> {
        let out = self
            .oidc
            .register_client()
            .client_name(client_name)
            .client_type("public")
            .set_scopes((!scopes.is_empty()).then(|| scopes.to_vec()))
            .send()
            .await
            .map_err(|e| oidc_error("RegisterClient", e))?;
        let reg = Registration {
            client_id: out.client_id().unwrap_or_default().to_string(),
            client_secret: out.client_secret().unwrap_or_default().to_string(),
            expires_at: out.client_secret_expires_at(),
        };
        log::secret(&reg.client_secret);
        if reg.client_id.is_empty() || reg.client_secret.is_empty() {
            return Err(Error::Rejected(
                "RegisterClient: the answer has no client id or secret".into(),
            ));
        }
        Ok(reg)
    }

    pub async fn start_device(&self, reg: &Registration, start_url: &str) -> Result<Device> {
        let out = self
            .oidc
            .start_device_authorization()
            .client_id(&reg.client_id)
            .client_secret(&reg.client_secret)
            .start_url(start_url)
            .send()
            .await
            .map_err(|e| oidc_error("StartDeviceAuthorization", e))?;
        let device = Device {
            device_code: out.device_code().unwrap_or_default().to_string(),
            user_code: out.user_code().unwrap_or_default().to_string(),
            verification_uri: out.verification_uri().unwrap_or_default().to_string(),
            verification_uri_complete: out
                .verification_uri_complete()
                .unwrap_or_default()
                .to_string(),
            expires_in: u64::try_from(out.expires_in()).unwrap_or(0),
            // RFC 8628: 5 seconds when the server names no interval.
            interval: u64::try_from(out.interval())
                .ok()
                .filter(|&i| i > 0)
                .unwrap_or(5),
        };
        log::secret(&device.device_code);
        if device.device_code.is_empty() || device.verification_uri.is_empty() {
            return Err(Error::Rejected(
                "StartDeviceAuthorization: the answer has no device code or verification URL"
                    .into(),
            ));
        }
        Ok(device)
    }

    /// One CreateToken with the device code.
    pub async fn poll(&self, reg: &Registration, device: &Device) -> Result<Poll> {
        let sent = self
            .oidc
            .create_token()
            .client_id(&reg.client_id)
            .client_secret(&reg.client_secret)
            .grant_type(DEVICE_GRANT)
            .device_code(&device.device_code)
            .send()
            .await;
        match sent {
            Ok(out) => Ok(Poll::Done(issued(&out)?)),
            Err(e) => match code_of(&e).as_deref() {
                Some("AuthorizationPendingException") => Ok(Poll::Pending),
                Some("SlowDownException") => Ok(Poll::SlowDown),
                Some("ExpiredTokenException") => Ok(Poll::Expired),
                _ => Err(oidc_error("CreateToken", e)),
            },
        }
    }

    /// CreateToken with the refresh token: a new access token without a new sign-in.
    pub async fn refresh(&self, reg: &Registration, refresh_token: &str) -> Result<Issued> {
        let out = self
            .oidc
            .create_token()
            .client_id(&reg.client_id)
            .client_secret(&reg.client_secret)
            .grant_type(REFRESH_GRANT)
            .refresh_token(refresh_token)
            .send()
            .await
            .map_err(|e| oidc_error("CreateToken (refresh)", e))?;
        issued(&out)
    }

    pub async fn role_credentials(
        &self,
        token: &str,
        account: &str,
        role: &str,
    ) -> Result<Session> {
        let out = self
            .portal
            .get_role_credentials()
            .access_token(token)
            .account_id(account)
            .role_name(role)
            .send()
            .await
            .map_err(|e| portal_error("GetRoleCredentials", &format!("{account}/{role}"), e))?;
        let c = out.role_credentials().ok_or_else(|| {
            Error::Rejected("GetRoleCredentials: the answer has no credentials".into())
        })?;
        let session = Session {
            access_key_id: c.access_key_id().unwrap_or_default().to_string(),
            secret_access_key: c.secret_access_key().unwrap_or_default().to_string(),
            session_token: c.session_token().unwrap_or_default().to_string(),
            // Epoch milliseconds on the wire.
            expires_at: c.expiration() / 1000,
            session_arn: String::new(),
        };
        log::secret(&session.secret_access_key);
        log::secret(&session.session_token);
        if session.access_key_id.is_empty() || session.secret_access_key.is_empty() {
            return Err(Error::Rejected(
                "GetRoleCredentials: the answer has no access key".into(),
            ));
        }
        Ok(session)
    }

    /// Every account the token reaches, all pages.
    pub async fn accounts(&self, token: &str) -> Result<Vec<Account>> {
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = self
                .portal
                .list_accounts()
                .access_token(token)
                .max_results(100)
                .set_next_token(next.take())
                .send()
                .await
                .map_err(|e| portal_error("ListAccounts", "", e))?;
            out.extend(page.account_list().iter().map(|a| Account {
                id: a.account_id().unwrap_or_default().to_string(),
                name: a.account_name().unwrap_or_default().to_string(),
            }));
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(t) => next = Some(t.to_string()),
                None => return Ok(out),
            }
        }
    }

    /// The roles (permission sets) the token may use in `account`, all pages.
    pub async fn roles(&self, token: &str, account: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = self
                .portal
                .list_account_roles()
                .access_token(token)
                .account_id(account)
                .max_results(100)
                .set_next_token(next.take())
                .send()
                .await
                .map_err(|e| portal_error("ListAccountRoles", account, e))?;
            out.extend(
                page.role_list()
                    .iter()
                    .filter_map(|r| r.role_name().map(str::to_string)),
            );
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(t) => next = Some(t.to_string()),
                None => return Ok(out),
            }
        }
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        self.portal
            .logout()
            .access_token(token)
            .send()
            .await
            .map_err(|e| portal_error("Logout", "", e))?;
        Ok(())
    }
}

fn issued(out: &aws_sdk_ssooidc::operation::create_token::CreateTokenOutput) -> Result<Issued> {
    let access_token = out.access_token().unwrap_or_default().to_string();
    if access_token.is_empty() {
        return Err(Error::Rejected(
            "CreateToken: the answer has no access token".into(),
        ));
    }
    log::secret(&access_token);
    let refresh_token = out.refresh_token().map(str::to_string);
    if let Some(r) = &refresh_token {
        log::secret(r);
    }
    Ok(Issued {
        access_token,
        expires_in: i64::from(out.expires_in()),
        refresh_token,
    })
}

fn code_of<E: ProvideErrorMetadata>(e: &SdkError<E, HttpResponse>) -> Option<String> {
    e.as_service_error()
        .and_then(|s| s.code())
        .map(str::to_string)
}

/// OIDC refusals that mean "sign in again" are rejected credentials (exit 4).
fn oidc_error<E>(op: &str, e: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match code_of(&e).as_deref() {
        Some(
            c @ ("InvalidGrantException"
            | "InvalidClientException"
            | "UnauthorizedClientException"
            | "ExpiredTokenException"
            | "AccessDeniedException"),
        ) => Error::BadCredentials(format!("{op}: IAM Identity Center refused ({c})")),
        _ => sdk_error(op, "", e),
    }
}

/// The portal answers 401 (UnauthorizedException) for a token that ended or was revoked.
fn portal_error<E>(op: &str, target: &str, e: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match code_of(&e).as_deref() {
        Some("UnauthorizedException") => Error::BadCredentials(format!(
            "{op}: IAM Identity Center refused the access token (signed out or expired)"
        )),
        Some("ForbiddenException") => Error::AccessDenied(format!(
            "{op}: IAM Identity Center does not let you use {target}"
        )),
        Some("ResourceNotFoundException") => {
            Error::NotFound(format!("{op}: IAM Identity Center has no {target}"))
        }
        _ => sdk_error(op, target, e),
    }
}
