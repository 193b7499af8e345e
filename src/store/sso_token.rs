//! The IAM Identity Center token cache, shared with the AWS CLI v2 and the SDKs: one JSON file
//! per SSO session in `~/.aws/sso/cache`, named by the SHA-1 of the session name (of the start
//! URL for a legacy profile), in their format, so that `awsenv login` serves them and
//! `aws sso login` serves awsenv. Written 0600 and atomically; fields awsenv does not know are
//! kept as they were.

use std::path::PathBuf;

use aws_smithy_types::date_time::Format;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::environ;
use crate::error::{Error, Result};
use crate::store::fs::{io_err, write_private_atomic};

/// A token file is a few hundred bytes; anything far larger is not one.
const MAX_FILE: u64 = 64 * 1024;

/// One token file, as the AWS CLI v2 writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub access_token: String,
    /// RFC 3339 in UTC with `Z`.
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Whatever else another tool wrote: kept.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl Token {
    /// Seconds since the epoch the access token ends at (0 when unreadable: ended).
    pub fn expires(&self) -> i64 {
        parse_time(&self.expires_at).unwrap_or(0)
    }

    pub fn registration_expires(&self) -> i64 {
        self.registration_expires_at
            .as_deref()
            .and_then(parse_time)
            .unwrap_or(0)
    }
}

/// RFC 3339 (`Z` or an offset, with or without fractions) to seconds since the epoch.
pub fn parse_time(text: &str) -> Option<i64> {
    aws_smithy_types::DateTime::from_str(text.trim(), Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

/// Seconds since the epoch as the AWS CLI writes them: `2026-12-04T23:00:00Z`.
pub fn format_time(secs: i64) -> String {
    crate::creds::rfc3339(secs)
}

/// `~/.aws/sso/cache`, where the AWS CLI and the SDKs look (no variable moves it).
pub fn cache_dir() -> Result<PathBuf> {
    let home = environ::value("HOME")
        .ok_or_else(|| Error::Io("HOME is not set: cannot find ~/.aws/sso/cache".into()))?;
    Ok(PathBuf::from(home).join(".aws/sso/cache"))
}

/// The file for a session name (or a legacy profile's start URL).
pub fn path(key: &str) -> Result<PathBuf> {
    let digest = Sha1::digest(key.as_bytes());
    Ok(cache_dir()?.join(format!("{}.json", hex::encode(digest))))
}

/// The token for `key`, if a readable one is there. A file that cannot be parsed is no token:
/// signing in again replaces it.
pub fn read(key: &str) -> Result<Option<Token>> {
    use std::io::Read;
    let p = path(key)?;
    let f = match std::fs::File::open(&p) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("read", &p, &e)),
    };
    let mut bytes = Vec::new();
    f.take(MAX_FILE)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err("read", &p, &e))?;
    Ok(serde_json::from_slice::<Token>(&bytes)
        .ok()
        .filter(|t| !t.access_token.is_empty()))
}

/// Writes the token for `key`: 0600, atomically (the directory is made 0700 if missing).
pub fn write(key: &str, token: &Token) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    let p = path(key)?;
    if let Some(dir) = p.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io_err("create the directory", dir, &e))?;
    }
    let bytes = serde_json::to_vec(token)
        .map_err(|e| Error::Io(format!("cannot encode the SSO token: {e}")))?;
    write_private_atomic(&p, &bytes)
}

/// Removes the token file for `key`; true when there was one.
pub fn remove(key: &str) -> Result<bool> {
    let p = path(key)?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err("remove", &p, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_the_sha1_of_the_key() {
        // As botocore names it: sha1("my-sso").hexdigest().
        crate::environ::var_os("HOME").expect("HOME");
        let p = path("my-sso").unwrap();
        assert_eq!(
            p.file_name().unwrap(),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
        assert!(p.ends_with(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"));
    }

    #[test]
    fn times_round_trip_in_the_cli_format() {
        assert_eq!(format_time(1_795_269_600), "2026-11-21T14:00:00Z");
        assert_eq!(parse_time("2026-11-21T14:00:00Z"), Some(1_795_269_600));
        assert_eq!(parse_time("2026-11-21T14:00:00.123Z"), Some(1_795_269_600));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn unknown_fields_are_kept() {
        let t: Token = serde_json::from_str(
            r#"{"accessToken":"a","expiresAt":"2026-11-21T14:00:00Z","futureField":1}"#,
        )
        .unwrap();
        let back = serde_json::to_value(&t).unwrap();
        assert_eq!(back["futureField"], 1);
        assert_eq!(back["accessToken"], "a");
        assert!(back.get("refreshToken").is_none());
    }
}
