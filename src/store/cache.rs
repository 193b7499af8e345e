//! The credential cache: one 0600 JSON file per session, named by a hash of everything that
//! shapes the session, so that a hit costs one file read and no network.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::creds::{now, RoleSession};
use crate::error::{Error, Result};
use crate::log;
use crate::store::fs as files;

const FORMAT_VERSION: u32 = 1;
pub const DEFAULT_MIN_TTL: u64 = 300;

/// What identifies a session. Never holds a secret value: the source is named by its access
/// key id or profile, and an MFA code is not part of it (the session outlives the code).
#[derive(Debug, Clone, Serialize)]
pub struct Key<'a> {
    /// "assume" or "simulate".
    pub kind: &'a str,
    /// The request, with the role as the user wrote it (a bare name resolves the same way for
    /// the same source).
    pub request: serde_json::Value,
    /// `profile:NAME`, `env:ACCESS_KEY_ID`, `role:ARN` or `default`.
    pub source: &'a str,
    pub region: Option<&'a str>,
    /// The STS endpoint override, if any.
    pub endpoint: Option<&'a str>,
}

impl Key<'_> {
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_vec(&(FORMAT_VERSION, self)).unwrap_or_default();
        let d = Sha256::digest(&canonical);
        hex::encode(&d[..16])
    }
}

/// A cached session: the format version and the role session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(rename = "v")]
    pub version: u32,
    #[serde(flatten)]
    pub role: RoleSession,
}

impl Entry {
    pub fn new(role: RoleSession) -> Entry {
        Entry {
            version: FORMAT_VERSION,
            role,
        }
    }

    /// The session in a cache file's bytes, or why they cannot be used. Separate from the file
    /// checks so that the fuzzers reach it with arbitrary bytes.
    pub fn decode(bytes: &[u8]) -> std::result::Result<RoleSession, String> {
        let entry: Entry = serde_json::from_slice(bytes).map_err(|_| "corrupt".to_string())?;
        if entry.version != FORMAT_VERSION {
            return Err(format!(
                "written by another awsenv (format {})",
                entry.version
            ));
        }
        Ok(entry.role)
    }

    /// The bytes `decode` reads back.
    pub fn encode(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| Error::Io(format!("cannot encode a cache entry: {e}")))
    }
}

/// The life an entry must have left to be used: the asked-for minimum, never more than half
/// the session, so a short session is not refreshed on every call.
pub fn effective_min_ttl(min_ttl: u64, duration: u64) -> u64 {
    min_ttl.min(duration / 2)
}

pub fn sessions_dir() -> Result<PathBuf> {
    Ok(files::cache_dir()?.join("sessions"))
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache, if its directories are safe to use: a directory that is a symlink or
    /// belongs to another user is refused (it may be someone else's trap), not repaired.
    pub fn open() -> Result<Cache> {
        let dir = sessions_dir()?;
        for d in [dir.parent(), Some(dir.as_path())].into_iter().flatten() {
            files::check_existing_dir(d)?;
        }
        Ok(Cache { dir })
    }

    /// A cache in `dir`, unchecked (the unit tests').
    #[cfg(test)]
    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// `open` for the commands that use the cache: on failure, one warning and no cache; a
    /// bad setting (a relative AWSENV_CACHE_DIR) is the user's to fix, and an error.
    pub fn open_or_warn() -> Result<Option<Cache>> {
        match Cache::open() {
            Ok(c) => Ok(Some(c)),
            Err(e @ Error::Usage(_)) => Err(e),
            Err(e) => {
                log::warn(format_args!("{e} (going on without the cache)"));
                Ok(None)
            }
        }
    }

    fn path(&self, digest: &str) -> PathBuf {
        self.dir.join(format!("{digest}.json"))
    }

    /// The entry for `digest` if it has more than `min_ttl` seconds left. Unreadable, corrupt or
    /// foreign entries are reported in one line and treated as absent (they get replaced).
    pub fn get(&self, digest: &str, min_ttl: u64) -> Option<RoleSession> {
        let path = self.path(digest);
        let entry = match read_entry(&path) {
            Ok(Some(e)) => e,
            Ok(None) => return None,
            Err(why) => {
                log::warn(format_args!(
                    "ignoring cache entry {}: {why}; it will be replaced",
                    path.display()
                ));
                return None;
            }
        };
        log::secret(&entry.session.secret_access_key);
        log::secret(&entry.session.session_token);
        let left = entry.session.expires_at - now();
        let need = effective_min_ttl(min_ttl, entry.duration) as i64;
        if left > need {
            log::debug(format_args!("cache hit {} ({left}s left)", path.display()));
            Some(entry)
        } else {
            log::debug(format_args!(
                "cache entry {} has {left}s left, needs more than {need}s: refreshing",
                path.display()
            ));
            None
        }
    }

    /// Stores an entry. A cache that cannot be written costs speed, not correctness: the
    /// caller warns and goes on.
    pub fn put(&self, digest: &str, role: &RoleSession) -> Result<()> {
        files::secure_dir(&self.dir)?;
        let body = Entry::new(role.clone()).encode()?;
        files::write_private_atomic(&self.path(digest), &body)
    }

    /// `put` for the commands: the session is good whether or not it could be cached.
    pub fn put_or_warn(&self, digest: &str, role: &RoleSession) {
        if let Err(e) = self.put(digest, role) {
            log::warn(format_args!("{e}; the session was not cached"));
        }
    }

    /// Waits until no other awsenv is fetching the session `digest` (at most `wait`), then
    /// holds that place itself until the returned file is dropped: on a miss in many shells at
    /// once, one fetches (one STS call, one MFA prompt) and the others find its entry. The kernel
    /// releases the lock of a process that dies; past `wait` the caller goes on without it.
    /// The second value says whether another awsenv held it, so that its entry is worth a look.
    pub fn lock(&self, digest: &str, wait: std::time::Duration) -> Option<(fs::File, bool)> {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = self.dir.with_file_name("locks");
        let path = dir.join(format!("{digest}.lock"));
        let file = files::secure_dir(&dir)
            .and_then(|()| {
                fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .mode(0o600)
                    .open(&path)
                    .map_err(|e| files::io_err("open", &path, &e))
            })
            .map_err(|e| log::debug(format_args!("{e}; fetching without the lock")))
            .ok()?;
        let deadline = std::time::Instant::now() + wait;
        let mut waited = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Some((file, waited)),
                Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    waited = true;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => {
                    log::warn(format_args!(
                        "another awsenv is still fetching this session ({e}); fetching too"
                    ));
                    return None;
                }
            }
        }
    }

    /// All readable entries with their file sizes, for `cache list`.
    pub fn list(&self) -> Vec<(PathBuf, RoleSession, u64)> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<_> = dir
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
            .filter_map(|e| {
                let p = e.path();
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                read_entry(&p).ok().flatten().map(|en| (p, en, size))
            })
            .collect();
        out.sort_by(|a, b| a.1.role_arn.cmp(&b.1.role_arn).then(a.0.cmp(&b.0)));
        out
    }

    /// Removes entries (all, or those whose role name or ARN is `role`); returns how many.
    pub fn clear(&self, role: Option<&str>) -> Result<usize> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Ok(0);
        };
        let mut n = 0;
        for e in dir.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let matches = match role {
                None => name.ends_with(".json") || name.ends_with(".tmp"),
                Some(r) => read_entry(&p)
                    .ok()
                    .flatten()
                    .is_some_and(|en| en.role_name == r || en.role_arn == r),
            };
            if matches {
                fs::remove_file(&p).map_err(|e| files::io_err("remove", &p, &e))?;
                n += 1;
            }
        }
        Ok(n)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Ok(None) when there is no entry; Err(why) when there is one that cannot be used.
fn read_entry(path: &Path) -> std::result::Result<Option<RoleSession>, String> {
    match files::read_private(path)? {
        Some(bytes) => Entry::decode(&bytes).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(expires_at: i64, duration: u64) -> RoleSession {
        RoleSession {
            role_arn: "arn:aws:iam::123456789012:role/T".into(),
            role_name: "T".into(),
            simulated_by: None,
            source: "env:AKIA".into(),
            duration,
            region: None,
            session: crate::creds::Session {
                access_key_id: "ASIA".into(),
                secret_access_key: "s".into(),
                session_token: "t".into(),
                expires_at,
                session_arn: "arn:aws:sts::123456789012:assumed-role/T/s".into(),
            },
        }
    }

    #[test]
    fn min_ttl_is_capped_at_half_the_session() {
        assert_eq!(effective_min_ttl(300, 3600), 300);
        assert_eq!(effective_min_ttl(3000, 3600), 1800);
        assert_eq!(effective_min_ttl(600, 900), 450);
    }

    #[test]
    fn keys_depend_on_every_field() {
        let base = Key {
            kind: "assume",
            request: serde_json::json!({"role": "T", "duration": 3600}),
            source: "env:AKIA1",
            region: None,
            endpoint: None,
        };
        let d = base.digest();
        assert_eq!(d.len(), 32);
        let mut k = base.clone();
        k.source = "env:AKIA2";
        assert_ne!(k.digest(), d);
        let mut k = base.clone();
        k.region = Some("eu-west-1");
        assert_ne!(k.digest(), d);
        let mut k = base.clone();
        k.request = serde_json::json!({"role": "T", "duration": 7200});
        assert_ne!(k.digest(), d);
        let mut k = base.clone();
        k.kind = "simulate";
        assert_ne!(k.digest(), d);
        assert_eq!(base.digest(), d);
    }

    #[test]
    fn hit_miss_expiry_corrupt_and_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: tmp.path().join("sessions"),
        };
        assert!(cache.get("k", 300).is_none());
        let fresh = entry(now() + 3000, 3600);
        cache.put("k", &fresh).unwrap();
        let mode = fs::metadata(cache.path("k")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = fs::metadata(cache.dir()).unwrap().permissions().mode();
        assert_eq!(dmode & 0o777, 0o700);
        assert_eq!(cache.get("k", 300), Some(fresh));
        // Less life left than asked: a miss.
        cache.put("k", &entry(now() + 200, 3600)).unwrap();
        assert!(cache.get("k", 300).is_none());
        // Corrupt, empty, future format, readable by others: all misses.
        for body in ["{", "", r#"{"v":99}"#] {
            fs::write(cache.path("k"), body).unwrap();
            fs::set_permissions(cache.path("k"), fs::Permissions::from_mode(0o600)).unwrap();
            assert!(cache.get("k", 300).is_none(), "{body}");
        }
        cache.put("k", &entry(now() + 3000, 3600)).unwrap();
        fs::set_permissions(cache.path("k"), fs::Permissions::from_mode(0o644)).unwrap();
        assert!(cache.get("k", 300).is_none());
        assert_eq!(cache.clear(None).unwrap(), 1);
    }

    #[test]
    fn clear_by_role() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: tmp.path().join("sessions"),
        };
        cache.put("a", &entry(now() + 3000, 3600)).unwrap();
        let mut other = entry(now() + 3000, 3600);
        other.role_name = "U".into();
        other.role_arn = "arn:aws:iam::123456789012:role/U".into();
        cache.put("b", &other).unwrap();
        assert_eq!(cache.list().len(), 2);
        assert_eq!(cache.clear(Some("T")).unwrap(), 1);
        assert_eq!(
            cache
                .clear(Some("arn:aws:iam::123456789012:role/U"))
                .unwrap(),
            1
        );
        assert!(cache.list().is_empty());
    }
}
