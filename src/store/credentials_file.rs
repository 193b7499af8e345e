//! `--write-profile`: the session into the shared credentials file, as the AWS CLI reads it,
//! keeping every other section, key and comment as it was.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::creds::Session;
use crate::error::{Error, Result};
use crate::store::fs as files;

/// Keys awsenv writes (and so replaces) in its section.
const OWN_KEYS: [&str; 6] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "expiration",
    "x_security_token_expires",
];

/// The most a credentials file may hold. Real ones are a few KiB (a profile is ~200 bytes);
/// anything this large is not one, and reading it whole (a link to /dev/zero) would never end.
pub const MAX_FILE: u64 = 1024 * 1024;

/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn path() -> Result<PathBuf> {
    crate::environ::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            crate::environ::var_os("HOME").map(|h| PathBuf::from(h).join(".aws/credentials"))
        })
        .ok_or_else(|| {
            Error::Io(
                "cannot find the credentials file: set HOME or AWS_SHARED_CREDENTIALS_FILE".into(),
            )
        })
}

pub fn validate_profile_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.@+:/".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "profile name `{}` is not valid: letters, digits and _-.@+:/",
            name.escape_debug()
        )))
    }
}

fn header_name(line: &str) -> Option<&str> {
    let t = line.trim();
    t.strip_prefix('[')?.strip_suffix(']').map(str::trim)
}

fn key_of(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with(';') {
        return None;
    }
    t.split_once('=')
        .map(|(k, _)| k.trim().to_ascii_lowercase())
}

/// The new text of a credentials file with `[name]` holding `act`'s credentials. Refuses to
/// replace long-term keys (a section with a key id and no session token) unless `overwrite`.
pub fn update(text: &str, name: &str, act: &Session, overwrite: bool) -> Result<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| header_name(l) == Some(name));
    let ours = [
        format!("aws_access_key_id = {}", act.access_key_id),
        format!("aws_secret_access_key = {}", act.secret_access_key),
        format!("aws_session_token = {}", act.session_token),
        format!("expiration = {}", act.expiration_rfc3339()),
    ];
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 6);
    match start {
        None => {
            out.extend(lines.iter().map(|l| l.to_string()));
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push(String::new());
            }
            out.push(format!("[{name}]"));
            out.extend(ours);
        }
        Some(i) => {
            let end = lines[i + 1..]
                .iter()
                .position(|l| header_name(l).is_some())
                .map_or(lines.len(), |j| i + 1 + j);
            let body = &lines[i + 1..end];
            let keys: Vec<String> = body.iter().filter_map(|l| key_of(l)).collect();
            let long_term = keys.iter().any(|k| k == "aws_access_key_id")
                && !keys
                    .iter()
                    .any(|k| k == "aws_session_token" || k == "aws_security_token");
            if long_term && !overwrite {
                return Err(Error::usage(format!(
                    "[{name}] in the credentials file holds long-term keys (no session token); \
                     awsenv will not overwrite them. Choose another --write-profile name, or \
                     pass --overwrite-keys."
                )));
            }
            out.extend(lines[..=i].iter().map(|l| l.to_string()));
            out.extend(ours);
            out.extend(
                body.iter()
                    .filter(|l| key_of(l).is_none_or(|k| !OWN_KEYS.contains(&k.as_str())))
                    .map(|l| l.to_string()),
            );
            out.extend(lines[end..].iter().map(|l| l.to_string()));
        }
    }
    // A file written on Windows (or by an editor set to CRLF) keeps its line endings.
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut text = out.join(eol);
    text.push_str(eol);
    Ok(text)
}

/// Writes the session to `[name]`, atomically and with mode 0600. Writers are serialised by a
/// lock on the file's directory, so two at once cannot lose an update; a symlinked file is
/// written where the link points, and the link stays.
pub fn write(name: &str, act: &Session, overwrite: bool) -> Result<PathBuf> {
    validate_profile_name(name)?;
    let path = resolve_links(&path()?)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .to_path_buf();
    if !dir.exists() {
        files::secure_dir(&dir)?;
    }
    let lock = std::fs::File::open(&dir).map_err(|e| files::io_err("open", &dir, &e))?;
    lock.lock().map_err(|e| files::io_err("lock", &dir, &e))?;
    let old = read_bounded(&path)?;
    let new = update(&old, name, act, overwrite)?;
    files::write_private_atomic(&path, new.as_bytes())?;
    // Dropping `lock` releases it; the write above is complete by then.
    drop(lock);
    Ok(path)
}

/// The file's text, empty when there is none. Only a regular file of at most [`MAX_FILE`]
/// bytes is read: a FIFO would block the open (O_NONBLOCK refuses it instead), a device or a
/// huge file would never end.
fn read_bounded(path: &Path) -> Result<String> {
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(files::io_err("read", path, &e)),
    };
    let refuse = |why: &str| {
        Error::usage(format!(
            "{} {why}, so it is not an AWS credentials file; point \
             AWS_SHARED_CREDENTIALS_FILE at the real one",
            path.display()
        ))
    };
    let meta = file
        .metadata()
        .map_err(|e| files::io_err("read", path, &e))?;
    if !meta.is_file() {
        return Err(refuse("is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| files::io_err("read", path, &e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(refuse(&format!(
            "is larger than {} MiB",
            MAX_FILE / 1024 / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| refuse("is not UTF-8 text"))
}

/// The file a chain of symbolic links ends at (which may not exist yet).
fn resolve_links(path: &std::path::Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| files::io_err("read", &p, &e))?;
                p = match p.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::Io(format!(
        "{} is a loop of symbolic links",
        path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act() -> Session {
        Session {
            access_key_id: "ASIANEW".into(),
            secret_access_key: "newsecret".into(),
            session_token: "newtoken".into(),
            expires_at: 1_795_269_600,
            session_arn: String::new(),
        }
    }

    const FILE: &str =
        "# my keys\n[default]\naws_access_key_id = AKIA1\naws_secret_access_key = s1\n\n\
        ; temporary\n[dev-role]\nregion = eu-west-1\naws_access_key_id = ASIAOLD\n# keep me\n\
        aws_session_token = old\nexpiration = 2020-01-01T00:00:00Z\n\n[other]\nfoo = bar\n";

    #[test]
    fn replaces_only_its_keys_in_its_section() {
        let new = update(FILE, "dev-role", &act(), false).unwrap();
        assert_eq!(
            new,
            "# my keys\n[default]\naws_access_key_id = AKIA1\naws_secret_access_key = s1\n\n\
             ; temporary\n[dev-role]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\n\
             aws_session_token = newtoken\nexpiration = 2026-11-21T14:00:00Z\nregion = eu-west-1\n\
             # keep me\n\n[other]\nfoo = bar\n"
        );
    }

    #[test]
    fn appends_a_new_section() {
        let new = update(FILE, "fresh", &act(), false).unwrap();
        assert!(new.starts_with(FILE));
        assert!(new.ends_with("\n[fresh]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\nexpiration = 2026-11-21T14:00:00Z\n"));
        assert_eq!(
            update("", "p", &act(), false).unwrap().lines().next(),
            Some("[p]")
        );
    }

    #[test]
    fn long_term_keys_need_overwrite() {
        let err = update(FILE, "default", &act(), false).unwrap_err();
        assert!(err.to_string().contains("long-term"));
        let new = update(FILE, "default", &act(), true).unwrap();
        assert!(new.contains("[default]\naws_access_key_id = ASIANEW"));
        assert!(!new.contains("AKIA1"));
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let crlf = FILE.replace('\n', "\r\n");
        for name in ["dev-role", "fresh"] {
            let new = update(&crlf, name, &act(), false).unwrap();
            assert_eq!(
                new.matches('\n').count(),
                new.matches("\r\n").count(),
                "{new:?}"
            );
            assert_eq!(
                new.replace("\r\n", "\n"),
                update(FILE, name, &act(), false).unwrap()
            );
        }
    }

    #[test]
    fn profile_names() {
        assert!(validate_profile_name("dev-role_1.x@y").is_ok());
        for bad in ["", "a b", "a]", "[a", "a\nb", "a#b"] {
            assert!(validate_profile_name(bad).is_err(), "{bad:?}");
        }
    }
}
