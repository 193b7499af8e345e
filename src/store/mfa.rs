//! MFA sessions (GetSessionToken with a code), cached beside the role sessions: one 0600 file
//! per source key and MFA device, so that one code serves every role until the MFA session ends.
//! `awsenv cache clear` removes them with the rest.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::creds::{now, Session};
use crate::log;
use crate::store::cache::Cache;
use crate::store::fs as files;

const FORMAT_VERSION: u32 = 1;
/// File names start so: `cache list` and role lookups never read them as role sessions.
pub const PREFIX: &str = "mfa-";

/// What an MFA session is for. Never a secret: the source is its access key id.
#[derive(Serialize)]
pub struct MfaKey<'a> {
    /// The access key id of the IAM user's long-term key that asked for the session.
    pub source_key: &'a str,
    /// The MFA device's serial or ARN.
    pub serial: &'a str,
    /// The STS endpoint override: sessions from an emulator and from AWS never mix.
    pub endpoint: Option<&'a str>,
}

impl MfaKey<'_> {
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_vec(&("mfa", FORMAT_VERSION, self)).unwrap_or_default();
        format!("{PREFIX}{}", hex::encode(&Sha256::digest(&canonical)[..16]))
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "v")]
    version: u32,
    serial: String,
    session: Session,
}

/// The MFA sessions in the cache's directory.
pub struct MfaCache<'a> {
    pub cache: &'a Cache,
}

impl MfaCache<'_> {
    fn path(&self, digest: &str) -> PathBuf {
        self.cache.dir().join(format!("{digest}.json"))
    }

    /// The session for `digest` if it has more than `min_left` seconds left. An entry that
    /// cannot be used is reported and treated as absent (it gets replaced).
    pub fn get(&self, digest: &str, min_left: i64) -> Option<Session> {
        let path = self.path(digest);
        let entry = match files::read_private(&path).and_then(|b| match b {
            Some(b) => serde_json::from_slice::<Entry>(&b)
                .map_err(|_| "corrupt".to_string())
                .map(Some),
            None => Ok(None),
        }) {
            Ok(Some(e)) if e.version == FORMAT_VERSION => e,
            Ok(Some(e)) => {
                log::warn(format_args!(
                    "ignoring MFA session {}: written by another awsenv (format {})",
                    path.display(),
                    e.version
                ));
                return None;
            }
            Ok(None) => return None,
            Err(why) => {
                log::warn(format_args!(
                    "ignoring MFA session {}: {why}; it will be replaced",
                    path.display()
                ));
                return None;
            }
        };
        log::secret(&entry.session.secret_access_key);
        log::secret(&entry.session.session_token);
        let left = entry.session.expires_at - now();
        log::debug(format_args!(
            "MFA session for {} has {left}s left ({})",
            entry.serial,
            if left > min_left {
                "using it"
            } else {
                "too little"
            }
        ));
        (left > min_left).then_some(entry.session)
    }

    /// Every MFA session in the cache: the device, when it ends, the file's size. Unreadable
    /// files are left out (`get` reports them when they are wanted).
    pub fn list(&self) -> Vec<(String, i64, u64)> {
        let Ok(dir) = std::fs::read_dir(self.cache.dir()) else {
            return Vec::new();
        };
        let mut out: Vec<_> = dir
            .flatten()
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.starts_with(PREFIX) && n.ends_with(".json")
            })
            .filter_map(|e| {
                let bytes = files::read_private(&e.path()).ok()??;
                let entry: Entry = serde_json::from_slice(&bytes).ok()?;
                Some((entry.serial, entry.session.expires_at, bytes.len() as u64))
            })
            .collect();
        out.sort();
        out
    }

    /// Stores a session; a cache that cannot be written costs another code later, nothing
    /// else, so the caller goes on.
    pub fn put_or_warn(&self, digest: &str, serial: &str, session: &Session) {
        let entry = Entry {
            version: FORMAT_VERSION,
            serial: serial.to_string(),
            session: session.clone(),
        };
        let written = files::secure_dir(self.cache.dir()).and_then(|()| {
            let body = serde_json::to_vec(&entry).unwrap_or_default();
            files::write_private_atomic(&self.path(digest), &body)
        });
        if let Err(e) = written {
            log::warn(format_args!("{e}; the MFA session was not cached"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expires_at: i64) -> Session {
        Session {
            access_key_id: "ASIAMFA".into(),
            secret_access_key: "s".into(),
            session_token: "t".into(),
            expires_at,
            session_arn: String::new(),
        }
    }

    #[test]
    fn keyed_by_source_key_device_and_endpoint() {
        let k = |source_key, serial, endpoint| {
            MfaKey {
                source_key,
                serial,
                endpoint,
            }
            .digest()
        };
        let base = k("AKIA1", "arn:aws:iam::1:mfa/a", None);
        assert!(base.starts_with(PREFIX));
        assert_eq!(base, k("AKIA1", "arn:aws:iam::1:mfa/a", None));
        assert_ne!(base, k("AKIA2", "arn:aws:iam::1:mfa/a", None));
        assert_ne!(base, k("AKIA1", "arn:aws:iam::1:mfa/b", None));
        assert_ne!(base, k("AKIA1", "arn:aws:iam::1:mfa/a", Some("http://x")));
    }

    #[test]
    fn stored_private_and_used_while_it_lasts() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::at(tmp.path().join("sessions"));
        let mfa = MfaCache { cache: &cache };
        assert!(mfa.get("mfa-k", 60).is_none());
        mfa.put_or_warn("mfa-k", "arn:aws:iam::1:mfa/a", &session(now() + 3600));
        let meta = std::fs::metadata(mfa.path("mfa-k")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(mfa.get("mfa-k", 60), Some(session(now() + 3600)));
        // Ending within the margin: asked again.
        mfa.put_or_warn("mfa-k", "arn:aws:iam::1:mfa/a", &session(now() + 30));
        assert!(mfa.get("mfa-k", 60).is_none());
        // Never read as a role session.
        assert!(cache.list().is_empty());
        std::fs::set_permissions(mfa.path("mfa-k"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        mfa.put_or_warn("mfa-k", "arn:aws:iam::1:mfa/a", &session(now() + 3600));
        assert!(mfa.get("mfa-k", 60).is_some(), "rewritten 0600");
        let listed = mfa.list();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].0, "arn:aws:iam::1:mfa/a");
        assert_eq!(cache.clear(None).unwrap(), 1);
    }
}
