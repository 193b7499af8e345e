//! Where awsenv keeps files, and the checks that make a directory safe to hold secrets.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::environ;
use crate::error::{Error, Result};

/// `$AWSENV_CACHE_DIR`, else the platform cache directory.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(d) = environ::value("AWSENV_CACHE_DIR") {
        let d = PathBuf::from(d);
        if !d.is_absolute() {
            return Err(Error::usage(format!(
                "AWSENV_CACHE_DIR `{}` is a relative path: sessions would be written under \
                 whatever directory awsenv runs in. Give an absolute path (e.g. \
                 $HOME/.cache/awsenv) or unset it.",
                d.display()
            )));
        }
        return Ok(d);
    }
    if cfg!(target_os = "macos") {
        if let Some(home) = environ::value("HOME") {
            return Ok(PathBuf::from(home).join("Library/Caches/awsenv"));
        }
    }
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    if let Some(x) = environ::value("XDG_CACHE_HOME").filter(|x| x.starts_with('/')) {
        return Ok(PathBuf::from(x).join("awsenv"));
    }
    if let Some(home) = environ::value("HOME") {
        return Ok(PathBuf::from(home).join(".cache/awsenv"));
    }
    Err(Error::Io(
        "cannot find a cache directory: set AWSENV_CACHE_DIR or HOME".into(),
    ))
}

/// Creates `dir` (mode 0700) if needed and checks that only this user can use it: not a
/// symlink, owned by us, no group or other access. A directory that fails is refused, not
/// repaired: someone else may be watching it.
pub fn secure_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| io_err("create the directory", dir, &e))?;
            // The umask may have narrowed the mode further but never widened it past 0700;
            // a directory made just now by us is ours to set.
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| io_err("set permissions on", dir, &e))?;
            secure_dir_check(dir)
        }
        Err(e) => Err(io_err("inspect", dir, &e)),
        Ok(_) => secure_dir_check(dir),
    }
}

/// For a directory that may not exist yet: if it exists, the checks of `secure_dir`.
pub fn check_existing_dir(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("inspect", dir, &e)),
        Ok(_) => secure_dir_check(dir),
    }
}

fn secure_dir_check(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = fs::symlink_metadata(dir).map_err(|e| io_err("inspect", dir, &e))?;
    if meta.file_type().is_symlink() {
        return Err(Error::Io(format!(
            "{} is a symbolic link; awsenv keeps credentials only in a real directory that it \
             owns. Remove the link or point AWSENV_CACHE_DIR elsewhere.",
            dir.display()
        )));
    }
    if !meta.is_dir() {
        return Err(Error::Io(format!("{} is not a directory", dir.display())));
    }
    if meta.uid() != current_uid() {
        return Err(Error::Io(format!(
            "{} belongs to another user (uid {}); awsenv will not keep credentials there. \
             Remove it or point AWSENV_CACHE_DIR elsewhere.",
            dir.display(),
            meta.uid()
        )));
    }
    // Refused, never repaired: a directory awsenv did not create (a shared 1777 one named
    // by AWSENV_CACHE_DIR, say) is not awsenv's to change, and others may already be in it.
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(Error::Io(format!(
            "{} can be used by other users (mode {mode:o}); awsenv keeps credentials only in a \
             directory only you can use. Run `chmod 700 {}` if it is yours alone, or point \
             AWSENV_CACHE_DIR elsewhere.",
            dir.display(),
            dir.display()
        )));
    }
    Ok(())
}

pub fn current_uid() -> u32 {
    // The effective uid is what the kernel checks and gives new files; no file can stand in for
    // it (a probe file in a shared temp dir can be planted by anyone, and /proc/self shows the
    // process's owner, not the calling thread's, and root for a non-dumpable process).
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Writes `bytes` to `path` with mode 0600, atomically: a temporary file in the same directory,
/// then a rename, so a reader sees the old file or the new one, never half of one.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .ok_or_else(|| Error::Io(format!("{} has no parent directory", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("f"),
        std::process::id(),
        unique_suffix()?
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        // No fsync: a file cut short by a crash is read as corrupt and replaced, and the fast
        // path should not wait for the disk.
        f.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err("write", path, &e)
    })
}

/// The bytes of a file that holds secrets: Ok(None) when there is none; Err(why) when it is
/// not a regular file of this user's that only this user can read.
pub fn read_private(path: &Path) -> std::result::Result<Option<Vec<u8>>, String> {
    use std::os::unix::fs::MetadataExt;
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if !meta.file_type().is_file() {
        return Err("not a regular file".into());
    }
    if meta.uid() != current_uid() {
        return Err("owned by another user".into());
    }
    if meta.mode() & 0o077 != 0 {
        return Err(format!(
            "mode {:o} lets others read it (must be 600)",
            meta.mode() & 0o777
        ));
    }
    // Bounded: the files awsenv keeps are a few KB; a larger one is not one of them.
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_PRIVATE), &mut bytes)
        })
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 == MAX_PRIVATE {
        return Err(format!("larger than {} MiB", MAX_PRIVATE >> 20));
    }
    Ok(Some(bytes))
}

/// The most `read_private` reads.
const MAX_PRIVATE: u64 = 4 << 20;

/// A name part no one can predict or plant in advance: 64 bits from the OS RNG.
pub fn unique_suffix() -> Result<String> {
    crate::random::hex(8)
}

pub fn io_err(action: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::Io(format!("cannot {action} {}: {e}", path.display()))
}

// Linux only: the syscall and prctl below are Linux's.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_read_bounded() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        let f = fs::File::create(&p).unwrap();
        f.set_permissions(fs::Permissions::from_mode(0o600))
            .unwrap();
        f.set_len(MAX_PRIVATE + 1).unwrap();
        let err = read_private(&p).unwrap_err();
        assert!(err.contains("larger than 4 MiB"), "{err}");
        f.set_len(10).unwrap();
        assert_eq!(read_private(&p).unwrap().unwrap().len(), 10);
    }

    /// Runs `f` while this thread's effective uid is another one than the process's (what a
    /// file-based answer such as /proc/self cannot see). Root switches this thread alone: the
    /// raw syscall, unlike libc's wrapper, leaves the other test threads as they are. Others
    /// cannot switch: they make the process non-dumpable, which makes /proc/self root's.
    fn with_other_euid(f: impl FnOnce(u32)) {
        struct Restore(Box<dyn Fn()>);
        impl Drop for Restore {
            fn drop(&mut self) {
                (self.0)()
            }
        }
        const KEEP: libc::c_long = -1;
        // SAFETY: these calls change only credentials or the dumpable flag, restored on drop.
        unsafe {
            let euid = libc::geteuid();
            if euid == 0 {
                let nobody: libc::c_long = 65534;
                assert_eq!(libc::syscall(libc::SYS_setresuid, KEEP, nobody, KEEP), 0);
                let _back = Restore(Box::new(|| {
                    libc::syscall(libc::SYS_setresuid, KEEP, 0 as libc::c_long, KEEP);
                }));
                f(65534);
            } else {
                assert_eq!(libc::prctl(libc::PR_SET_DUMPABLE, 0), 0);
                let _back = Restore(Box::new(|| {
                    libc::prctl(libc::PR_SET_DUMPABLE, 1);
                }));
                f(euid);
            }
        }
    }

    #[test]
    fn current_uid_is_the_effective_uid_whatever_files_say() {
        with_other_euid(|expected| {
            assert_eq!(current_uid(), expected);
            // And what a directory made now belongs to, which is what the checks compare.
            let dir =
                std::env::temp_dir().join(format!(".awsenv-uid-test-{}", unique_suffix().unwrap()));
            fs::create_dir(&dir).unwrap();
            let owner = std::os::unix::fs::MetadataExt::uid(&fs::metadata(&dir).unwrap());
            fs::remove_dir(&dir).unwrap();
            assert_eq!(owner, expected);
        });
    }
}
