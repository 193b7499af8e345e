//! Which shell a detached endpoint (`awsenv serve`) serves, and noticing when it is gone.
//!
//! The shell is the process that reads awsenv's output: `eval "$(awsenv serve)"` in bash or
//! zsh, `awsenv serve | source` in fish. awsenv's stdout is a pipe, and the shell holds its read
//! end; a subshell forked for `$(…)` holds only the write end. That tells the shell from its
//! subshell, and a shell from a parent shell of the same name, without guessing from names.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::os;

use super::server::{poke, State};

/// How far up from awsenv the reader of its output is looked for: the shell, or the shell
/// above a subshell forked for `$(…)`, and one more for a subshell inside that.
#[cfg(target_os = "linux")]
const ANCESTORS: usize = 3;

/// The shell this awsenv's output is for. Output to a file or a terminal (`awsenv serve … > f;
/// . f` in a script) is read by whoever started awsenv: the parent, exactly. Output to a pipe
/// is read by the ancestor holding its read end; only where that cannot be seen (off Linux,
/// where no file tells who holds a pipe's read end) is it guessed: the parent, unless it is a
/// subshell just forked by a parent of its own name.
pub fn owner() -> u32 {
    let parent = std::os::unix::process::parent_id();
    if !stdout_is_pipe() {
        return parent;
    }
    pipe_reader(parent).unwrap_or_else(|| by_name(parent))
}

fn stdout_is_pipe() -> bool {
    // SAFETY: a zeroed stat is a valid value for fstat to fill in.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat writes into the struct it is given; fd 1 may be closed (then -1).
    let r = unsafe { libc::fstat(libc::STDOUT_FILENO, &mut st) };
    r == 0 && st.st_mode & libc::S_IFMT == libc::S_IFIFO
}

/// The ancestor, from `parent` up, that holds awsenv's stdout pipe open for reading.
#[cfg(target_os = "linux")]
fn pipe_reader(parent: u32) -> Option<u32> {
    let pipe = std::fs::read_link("/proc/self/fd/1")
        .ok()
        .filter(|l| l.to_string_lossy().starts_with("pipe:"))?;
    let mut pid = parent;
    for _ in 0..ANCESTORS {
        if reads(pid, &pipe) {
            return Some(pid);
        }
        match os::process(pid) {
            Some(p) if p.ppid > 1 => pid = p.ppid,
            _ => break,
        }
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn pipe_reader(_parent: u32) -> Option<u32> {
    None
}

/// True when `pid` holds `pipe` open for reading.
#[cfg(target_os = "linux")]
fn reads(pid: u32, pipe: &std::path::Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|l| l == pipe)
            && std::fs::read_to_string(format!(
                "/proc/{pid}/fdinfo/{}",
                fd.file_name().to_string_lossy()
            ))
            .ok()
            .and_then(|info| {
                let flags = info.lines().find_map(|l| l.strip_prefix("flags:"))?;
                u32::from_str_radix(flags.trim(), 8).ok()
            })
            .is_some_and(|flags| flags & libc::O_ACCMODE as u32 == libc::O_RDONLY as u32)
    })
}

/// A subshell has its parent's name and started just before awsenv (within 2 s).
fn by_name(parent: u32) -> u32 {
    let (Some(me), Some(p)) = (os::process(std::process::id()), os::process(parent)) else {
        return parent;
    };
    match os::process(p.ppid) {
        Some(gp) if gp.name == p.name && me.start_ms.saturating_sub(p.start_ms) < 2000 => p.ppid,
        _ => parent,
    }
}

pub fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Stops the endpoint as soon as `owner` ends, whatever ends it: a thread that waits on a
/// pidfd (which a recycled pid cannot fool), or checks twice a second where there is none.
pub fn stop_when_gone(owner: u32, state: Arc<State>, addr: SocketAddr) -> Result<()> {
    std::thread::Builder::new()
        .name("awsenv-owner".into())
        .spawn(move || {
            wait_for_exit(owner, &state);
            state.stop();
            poke(addr);
        })
        .map(drop)
        .map_err(|e| Error::Io(format!("cannot start the owner watch: {e}")))
}

fn wait_for_exit(owner: u32, state: &State) {
    if exit_event(owner) {
        return;
    }
    while alive(owner) {
        if state.wait_stopped(Duration::from_millis(500)) {
            return;
        }
    }
}

/// Waits for `owner` to end on a pidfd; false when there is none to wait on.
#[cfg(target_os = "linux")]
fn exit_event(owner: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(owner) else {
        return false;
    };
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let Ok(fd) = libc::c_int::try_from(fd) else {
        return false;
    };
    if fd < 0 {
        return false;
    }
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ready = loop {
        // SAFETY: one valid pollfd; POLLIN on a pidfd means the process has ended.
        let r = unsafe { libc::poll(&mut p, 1, -1) };
        if r >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break r > 0;
        }
    };
    // SAFETY: fd is ours and closed once.
    unsafe { libc::close(fd) };
    ready
}

/// Waits for `owner` to end with kqueue's process filter (NOTE_EXIT), as a pidfd does on
/// Linux; false when it cannot be watched (then the caller polls).
#[cfg(any(target_os = "macos", target_os = "freebsd"))]
fn exit_event(owner: u32) -> bool {
    // SAFETY: kqueue returns a new descriptor or -1.
    let kq = unsafe { libc::kqueue() };
    if kq < 0 {
        return false;
    }
    // SAFETY: a zeroed kevent is a valid value; the fields set below name the process.
    let mut change: libc::kevent = unsafe { std::mem::zeroed() };
    change.ident = owner as libc::uintptr_t;
    change.filter = libc::EVFILT_PROC;
    change.flags = libc::EV_ADD | libc::EV_ONESHOT;
    change.fflags = libc::NOTE_EXIT;
    // SAFETY: as above.
    let mut got: libc::kevent = unsafe { std::mem::zeroed() };
    let ready = loop {
        // SAFETY: one change and room for one event, both valid for the call.
        let r = unsafe { libc::kevent(kq, &change, 1, &mut got, 1, std::ptr::null()) };
        if r >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break r > 0 && got.flags & libc::EV_ERROR == 0;
        }
    };
    // SAFETY: kq is ours and closed once.
    unsafe { libc::close(kq) };
    ready
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "freebsd")))]
fn exit_event(_owner: u32) -> bool {
    false
}
