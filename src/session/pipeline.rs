//! The one pipeline every way of getting a session goes through. Everything that can be decided
//! from the arguments and the environment is decided first; a cache hit then returns without a
//! runtime, without the AWS config files and without the network. Only a miss connects.

use crate::aws::config::{load_config, source_credentials};
use crate::aws::sts::Sts;
use crate::creds::RoleSession;
use crate::error::{Error, Result};
use crate::session::options::SessionOptions;
use crate::session::source::EnvContext;
use crate::shell::script::Script;
use crate::shell::Shell;
use crate::store::cache::{Cache, Key};

/// How long a miss waits for another awsenv fetching the same session: its calls are bounded
/// (`aws::timeouts`), an MFA prompt is not, and past this the waiter fetches on its own.
const FETCH_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A session ready to be put somewhere: the user's shell, a child's environment, a JSON
/// document or a credentials file.
pub struct Prepared {
    pub env: EnvContext,
    pub role: RoleSession,
    pub shell: Shell,
}

impl Prepared {
    pub fn script(&self) -> Result<Script> {
        self.env.activation(self.shell, &self.role)
    }
}

/// The first half of getting a session: the environment read, the source named (without
/// reading any file), the cache key made and the cache opened.
pub struct Lookup {
    pub env: EnvContext,
    /// The source's label, e.g. `env:AKIA…` or `profile:dev`; never a secret.
    pub source: String,
    shell: Shell,
    cache: Option<Cache>,
    key: String,
    /// Held from a miss until the fresh session is cached (see `Cache::lock`).
    fetching: Option<std::fs::File>,
    cache_only: bool,
}

impl Lookup {
    /// `kind` and `request` say what is asked for; with the source, region and endpoint they
    /// make the cache key.
    pub fn begin(
        kind: &str,
        request: serde_json::Value,
        options: &SessionOptions,
        use_cache: bool,
    ) -> Result<Lookup> {
        let env = EnvContext::read()?;
        let source = env.source_label(&options.source)?;
        let endpoint = endpoint_override();
        let key = Key {
            kind,
            request,
            source: &source,
            region: options.region.as_deref(),
            endpoint: endpoint.as_deref(),
        }
        .digest();
        let cache = if use_cache && options.use_cache {
            Cache::open_or_warn()?
        } else {
            None
        };
        Ok(Lookup {
            env,
            source,
            shell: options.shell,
            cache,
            key,
            fetching: None,
            cache_only: options.cache_only,
        })
    }

    /// A cached session with more than `min_ttl` seconds left, or `None`: fetch one. On a
    /// miss, waits for another awsenv fetching the same session and takes its entry, or becomes
    /// the one that fetches. Under `--cache-only` a miss is the error, before anything that may
    /// prompt or touch the network.
    pub fn cached(&mut self, min_ttl: u64) -> Result<Option<RoleSession>> {
        if let Some(hit) = self.cache.as_ref().and_then(|c| c.get(&self.key, min_ttl)) {
            return Ok(Some(hit));
        }
        if self.cache_only {
            // Never wait: the prompt hook calls this while its own background fetch holds
            // the lock.
            return Err(Error::CacheMiss(
                "no cached session with enough time left for this request (--cache-only never \
                 asks AWS); run the same command without --cache-only to get one"
                    .to_string(),
            ));
        }
        let Some(cache) = self.cache.as_ref() else {
            return Ok(None);
        };
        let Some((lock, waited)) = cache.lock(&self.key, FETCH_WAIT) else {
            return Ok(None);
        };
        self.fetching = Some(lock);
        // Only an entry another awsenv made while this one waited is new.
        Ok(waited.then(|| cache.get(&self.key, min_ttl)).flatten())
    }

    /// The SDK configuration and the source credentials, resolved once, as an STS client: what
    /// a miss needs, and only a miss.
    pub async fn connect(&self, options: &SessionOptions) -> Result<Sts> {
        self.env.require_source(&options.source)?;
        let view = self.env.source_view(&options.source);
        let profile = options.source.profile();
        let config = load_config(&view, options.region.as_deref(), profile).await;
        // A source profile that signs in through IAM Identity Center: awsenv's own token
        // handling, which renews the token and names `awsenv login` when it cannot.
        let sso = match profile {
            Some(p) => crate::session::sso::source_credentials(p, &view).await?,
            None => None,
        };
        let creds = match sso {
            Some(c) => c,
            None => source_credentials(&config, profile).await?,
        };
        Ok(Sts::new(config, creds))
    }

    /// Done with a session from the cache.
    pub fn hit(self, role: RoleSession) -> Prepared {
        Prepared {
            env: self.env,
            role,
            shell: self.shell,
        }
    }

    /// Done with a session fresh from AWS: cached first, so the next call is a hit.
    pub fn fresh(self, role: RoleSession) -> Prepared {
        if let Some(cache) = &self.cache {
            cache.put_or_warn(&self.key, &role);
        }
        self.hit(role)
    }
}

/// The STS endpoint override from the environment; part of the cache key so that sessions
/// from an emulator and from AWS never mix.
pub fn endpoint_override() -> Option<String> {
    service_endpoint_override("AWS_ENDPOINT_URL_STS")
}

/// A service's endpoint override as the SDK reads it: its own variable (`service_var`, e.g.
/// `AWS_ENDPOINT_URL_STS`), else `AWS_ENDPOINT_URL`.
pub fn service_endpoint_override(service_var: &str) -> Option<String> {
    crate::environ::value(service_var).or_else(|| crate::environ::value("AWS_ENDPOINT_URL"))
}
