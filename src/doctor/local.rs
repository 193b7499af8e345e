//! Checks that need no network: the shell, the integration, the directories, the cache and
//! the active role.

use std::path::Path;

use crate::creds::now;
use crate::doctor::Finding;
use crate::env::vars::{AWSENV_EXPIRES_AT, AWSENV_ROLE};
use crate::environ;
use crate::shell::names::INIT_MARKER;
use crate::shell::{detect_why, Shell};
use crate::store::cache::{sessions_dir, Cache};
use crate::store::fs::{cache_dir, current_uid};

fn ago(secs: i64) -> String {
    humantime::format_duration(std::time::Duration::from_secs(secs.unsigned_abs())).to_string()
}

pub fn shell(explicit: Option<Shell>, out: &mut Vec<Finding>) -> Option<Shell> {
    match detect_why(explicit) {
        Ok((s, why)) => {
            out.push(Finding::ok("shell", format!("{s} ({why})")));
            Some(s)
        }
        Err(e) => {
            out.push(Finding::problem(
                "shell",
                e.to_string(),
                "set AWSENV_SHELL=bash (or zsh, fish, powershell, nu) in your rc file",
            ));
            None
        }
    }
}

/// `AWSENV_INIT=<shell>:<pid>` names the shell that loaded the integration; this process's
/// parent is the shell doctor was typed in.
pub fn init(shell: Option<Shell>) -> Finding {
    let fix = shell
        .map(Shell::init_advice)
        .unwrap_or("load `awsenv init SHELL` in your rc file");
    let here = std::os::unix::process::parent_id();
    let Some(marker) = environ::value(INIT_MARKER) else {
        return Finding::note(
            "init",
            "the shell integration is not loaded in this shell: sudo-on, sudo-off and the \
             prompt segment are missing, and a bare `awsenv assume ROLE` only prints code \
             (eval it)",
            Some(fix.to_string()),
        );
    };
    let (name, pid) = marker.split_once(':').unwrap_or((&marker, ""));
    // The same process may have become another shell (`exec zsh`): the name must match too.
    let same_shell = shell.is_none_or(|s| Shell::from_program(name) == Some(s));
    if pid.parse::<u32>().ok() == Some(here) && same_shell {
        return Finding::ok("init", format!("loaded in this shell ({name}, pid {here})"));
    }
    Finding::note(
        "init",
        format!(
            "the integration was loaded in another shell ({name}, pid {pid}), not in this one \
             (pid {here}), which only inherited its marker: sudo-on and sudo-off are missing \
             here"
        ),
        Some(fix.to_string()),
    )
}

/// A directory that holds secrets: ours, not a link, no access for others. Missing is fine
/// (awsenv makes it, 0700, when it first needs it).
fn directory(topic: &'static str, dir: &Path, out: &mut Vec<Finding>) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let shown = dir.display();
    let meta = match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            out.push(Finding::ok(topic, format!("{shown} (not made yet)")));
            return false;
        }
        Err(e) => {
            out.push(Finding::problem(
                topic,
                format!("{shown} cannot be inspected: {e}"),
                "check the permissions of its parent directories",
            ));
            return false;
        }
        Ok(m) => m,
    };
    let remove = format!("remove it (`rm -r {shown}`) or point AWSENV_CACHE_DIR elsewhere");
    if meta.file_type().is_symlink() || !meta.is_dir() {
        out.push(Finding::problem(
            topic,
            format!("{shown} is not a plain directory (awsenv refuses to keep credentials there)"),
            remove,
        ));
        return false;
    }
    if meta.uid() != current_uid() {
        out.push(Finding::problem(
            topic,
            format!("{shown} belongs to uid {}, not to you", meta.uid()),
            remove,
        ));
        return false;
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        out.push(Finding::problem(
            topic,
            format!("{shown} has mode {mode:03o}: others may read the credentials in it"),
            format!("chmod 700 {shown}"),
        ));
        return false;
    }
    out.push(Finding::ok(
        topic,
        format!("{shown} (yours, mode {mode:03o})"),
    ));
    true
}

pub fn directories(out: &mut Vec<Finding>) {
    match cache_dir() {
        Ok(d) => {
            directory("cache dir", &d, out);
        }
        Err(e) => out.push(Finding::problem(
            "cache dir",
            e.to_string(),
            "set HOME or AWSENV_CACHE_DIR",
        )),
    }
    let Ok(sessions) = sessions_dir() else {
        return;
    };
    if directory("sessions", &sessions, out) {
        cache(&sessions, out);
    }
}

fn cache(dir: &Path, out: &mut Vec<Finding>) {
    use std::os::unix::fs::PermissionsExt;
    let exposed: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    e.metadata()
                        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 != 0)
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if !exposed.is_empty() {
        out.push(Finding::problem(
            "cache",
            format!(
                "{} cached file(s) are readable by others ({}); awsenv ignores them",
                exposed.len(),
                exposed.join(", ")
            ),
            "awsenv cache clear (then assume again)",
        ));
    }
    let Ok(cache) = Cache::open() else {
        return;
    };
    let entries = cache.list();
    let t = now();
    let expired = entries
        .iter()
        .filter(|(_, e, _)| e.session.expires_at <= t)
        .count();
    let live = entries.len() - expired;
    if expired > 0 {
        out.push(Finding::note(
            "cache",
            format!("{live} live and {expired} expired session(s) cached"),
            Some(
                "awsenv cache clear removes them all (expired ones are replaced when used)".into(),
            ),
        ));
    } else {
        out.push(Finding::ok(
            "cache",
            format!("{live} live session(s) cached"),
        ));
    }
}

pub fn active_role() -> Finding {
    let Some(role) = environ::value(AWSENV_ROLE) else {
        return Finding::ok("role", "no awsenv role is active");
    };
    match environ::value(AWSENV_EXPIRES_AT).and_then(|v| v.parse::<i64>().ok()) {
        Some(at) if at <= now() => Finding::problem(
            "role",
            format!(
                "{role} is active but its session expired {} ago: AWS calls will fail with \
                 ExpiredToken",
                ago(now() - at)
            ),
            "sudo-on (or `awsenv assume` again) for a fresh session, or sudo-off",
        ),
        Some(at) => Finding::ok(
            "role",
            format!("{role} is active, {} left", ago(at - now())),
        ),
        None => Finding::note(
            "role",
            format!("{role} is active, but AWSENV_EXPIRES_AT is missing or not a number"),
            Some("sudo-on again".into()),
        ),
    }
}
