//! `exec --ecs-server` and `simulate --ecs-server -- CMD`: the command gets the endpoint, not
//! keys. awsenv cannot replace itself with the command as plain `exec` does (the endpoint
//! lives in awsenv), so it stays the parent and behaves as if it were not there: signals sent
//! to it go on to the command, and it ends the way the command ended.

use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::env::child::{program_and_args, spawn_error, ChildEnv};
use crate::error::{Error, Result};
use crate::session::source::EnvContext;

use super::refresh::{self, Refresher, SessionSource};
use super::server::{self, Served, Server, State};
use super::Marker;

/// Signals passed on to the command. Stop/continue are left to the kernel, which applies them
/// to the whole process group.
const FORWARDED: [libc::c_int; 8] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGTERM,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGWINCH,
];

static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler.
    let code = unsafe { (*info).si_code };
    // A signal from the terminal (Ctrl-C, Ctrl-\, hangup, resize) goes to the whole foreground
    // process group and reached the command already: sending it again would double it.
    if crate::os::from_the_terminal(sig, code) {
        return;
    }
    let pid = CHILD.load(Ordering::SeqCst);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(pid, sig) };
    }
}

fn install_forwarding() {
    for sig in FORWARDED {
        // SAFETY: a zeroed sigaction with a valid handler and an empty mask is well formed.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = forward as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Signals whose default action ends the process without a core dump: awsenv dies of the same
/// one, so the shell sees what it would have seen of the command. Others become 128+N.
fn reraise(sig: libc::c_int) {
    let plain = [
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGPIPE,
        libc::SIGALRM,
        libc::SIGTERM,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGKILL,
    ];
    if plain.contains(&sig) {
        // SAFETY: restoring the default action and raising are plain libc calls.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, sig);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::raise(sig);
        }
    }
}

/// Runs `command` with the endpoint; returns only on failure, else exits as the command did.
pub fn run(
    source: Box<dyn SessionSource>,
    lead: u64,
    base_env: Vec<(OsString, OsString)>,
    command: &[OsString],
) -> Error {
    match start(source, lead, base_env, command) {
        Ok(code) => std::process::exit(code),
        Err(e) => e,
    }
}

fn start(
    mut source: Box<dyn SessionSource>,
    lead: u64,
    base_env: Vec<(OsString, OsString)>,
    command: &[OsString],
) -> Result<i32> {
    let ctx = EnvContext::read()?;
    let first = source.fetch(Some(lead + 60), false)?;
    let server = Server::bind()?;
    let config = server.config.clone();
    let state = State::new(Served::from_role(&first));
    let mut env = ChildEnv::new(base_env);
    let marker = Marker {
        pid: std::process::id(),
        detached: false,
        log: None,
        owner: None,
    };
    super::activate(&ctx, &mut env, &first, &config, &marker)?;
    super::accept::spawn(server, state.clone())?;
    let refresher = Refresher {
        source,
        state: state.clone(),
        lead,
        owner_alive: None,
        retry: refresh::RETRY,
    };
    std::thread::Builder::new()
        .name("awsenv-refresh".into())
        .spawn(move || refresher.run())
        .map_err(|e| Error::Io(format!("cannot start the refresh thread: {e}")))?;

    let (program, args) = program_and_args(command);
    install_forwarding();
    let mut child = Command::new(&program)
        .args(args)
        .env_clear()
        .envs(env.vars())
        .spawn()
        .map_err(|e| spawn_error(&program, &e))?;
    CHILD.store(child.id() as i32, Ordering::SeqCst);
    let status = child
        .wait()
        .map_err(|e| Error::Io(format!("cannot wait for the command: {e}")))?;
    // The endpoint ends with the command, whatever the command left running.
    state.stop();
    server::poke(config.addr);
    if let Some(code) = status.code() {
        return Ok(code);
    }
    let sig = status.signal().unwrap_or(libc::SIGTERM);
    reraise(sig);
    Ok(128 + sig)
}
