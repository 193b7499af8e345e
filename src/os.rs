//! What awsenv asks the operating system about a process: its name, parent and start time.
//! Each platform's answer is chosen at compile time: /proc on Linux, libproc's
//! `proc_pidinfo` on macOS, `ps` elsewhere; and how a signal's origin is told.

/// A process as the system describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessInfo {
    /// The program's name, as `ps -o comm=` shows it (at most 15 bytes on Linux).
    pub name: String,
    pub ppid: u32,
    /// When it started, in milliseconds: comparable between processes, not a wall-clock time.
    pub start_ms: u64,
}

/// The name of process `pid`, for telling which shell started awsenv. On Linux /proc's `comm`
/// alone: cheaper than `stat`, and on the cached path.
#[cfg(target_os = "linux")]
pub fn process_name(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()
}

#[cfg(target_os = "macos")]
pub fn process_name(pid: u32) -> Option<String> {
    process(pid).map(|p| p.name)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn process_name(pid: u32) -> Option<String> {
    let out = std::process::Command::new("ps")
        .args(["-o", "comm=", "-p", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    String::from_utf8(out.stdout).ok()
}

/// `/proc/PID/stat`: the name in parentheses (which may itself hold `)` and spaces), then the
/// fields, of which the parent is the 2nd and the start time (clock ticks since boot) the 20th.
#[cfg(target_os = "linux")]
pub fn process(pid: u32) -> Option<ProcessInfo> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text, clock_ticks_per_second())
}

#[cfg(target_os = "linux")]
fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a system constant.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|&h| h > 0).unwrap_or(100)
}

#[cfg(any(target_os = "linux", test))]
fn parse_stat(text: &str, hz: u64) -> Option<ProcessInfo> {
    let (head, rest) = text.rsplit_once(')')?;
    let name = head.split_once('(')?.1.to_string();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(19)?.parse().ok()?;
    Some(ProcessInfo {
        name,
        ppid: fields.get(1)?.parse().ok()?,
        start_ms: ticks.saturating_mul(1000) / hz.max(1),
    })
}

/// libproc's BSD info of the process.
#[cfg(target_os = "macos")]
pub fn process(pid: u32) -> Option<ProcessInfo> {
    let pid = libc::c_int::try_from(pid).ok()?;
    let size = libc::c_int::try_from(std::mem::size_of::<libc::proc_bsdinfo>()).ok()?;
    // SAFETY: proc_bsdinfo is plain data; proc_pidinfo writes at most `size` bytes into it.
    let (info, got) = unsafe {
        let mut info: libc::proc_bsdinfo = std::mem::zeroed();
        let got = libc::proc_pidinfo(
            pid,
            libc::PROC_PIDTBSDINFO,
            0,
            (&mut info as *mut libc::proc_bsdinfo).cast(),
            size,
        );
        (info, got)
    };
    if got != size {
        return None;
    }
    let name: Vec<u8> = info
        .pbi_comm
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    Some(ProcessInfo {
        name: String::from_utf8_lossy(&name).into_owned(),
        ppid: info.pbi_ppid,
        start_ms: info
            .pbi_start_tvsec
            .saturating_mul(1000)
            .saturating_add(info.pbi_start_tvusec / 1000),
    })
}

/// Elsewhere nothing awsenv relies on tells a process's start time portably: callers fall
/// back to what needs none (see each caller).
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn process(_pid: u32) -> Option<ProcessInfo> {
    None
}

/// Whether signal `sig` (with the `si_code` its handler got) came from the terminal, which
/// sends Ctrl-C, Ctrl-\, hangup and resize to the whole foreground process group, rather
/// than from a process (`kill`, `sigqueue`, `tgkill`), which sent it to awsenv alone.
/// Async-signal-safe: called in a signal handler.
pub fn from_the_terminal(sig: libc::c_int, si_code: libc::c_int) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // The kernel's own test (SI_FROMUSER): user-space origins are 0 or negative;
        // SI_KERNEL (0x80), which the terminal's signals carry, is positive.
        let _ = sig;
        si_code > 0
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        // XNU gives every ordinary signal si_code 0, kill() included: the origin cannot be
        // read. A terminal signal is one of those the terminal sends, arriving while awsenv's
        // group is the terminal's foreground group (tcgetpgrp and getpgrp are
        // async-signal-safe).
        let _ = si_code;
        let terminal_kind =
            [libc::SIGINT, libc::SIGQUIT, libc::SIGHUP, libc::SIGWINCH].contains(&sig);
        // SAFETY: both calls only read process-group ids.
        terminal_kind && unsafe { libc::tcgetpgrp(libc::STDIN_FILENO) == libc::getpgrp() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_an_awkward_name() {
        let line = "4242 (a) b (c) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 \
                    12345 1000 100 18446744073709551615";
        let p = parse_stat(line, 100).expect("parsed");
        assert_eq!(p.name, "a) b (c");
        assert_eq!(p.ppid, 17);
        assert_eq!(p.start_ms, 123_450);
    }

    #[test]
    fn this_process_and_its_parent() {
        let me = process(std::process::id()).expect("this process");
        assert_eq!(me.ppid, std::os::unix::process::parent_id());
        let parent = process(me.ppid).expect("the parent");
        assert!(parent.start_ms <= me.start_ms);
        assert!(process_name(std::process::id()).is_some());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn signal_origins() {
        for code in [libc::SI_USER, libc::SI_QUEUE, libc::SI_TKILL] {
            assert!(!from_the_terminal(libc::SIGINT, code));
        }
        assert!(from_the_terminal(libc::SIGINT, libc::SI_KERNEL));
    }

    #[cfg(not(target_os = "linux"))]
    #[test]
    fn signal_origins() {
        // No terminal in the test harness, and SIGTERM is never the terminal's.
        assert!(!from_the_terminal(libc::SIGTERM, 0));
    }
}
