//! `awsenv serve`: the endpoint in the background, for the shell that evaluates its output.
//!
//! awsenv gets the first session in the foreground (errors and the MFA prompt reach the user),
//! then starts itself again as the server with the same arguments less the secret ones (an MFA
//! code, the external id: /proc/PID/cmdline is world-readable): the session and those go over
//! a pipe, never argv or the environment. The server answers on another pipe with its address
//! and token, and awsenv prints the exports. The server lives in a process group of its own
//! (the terminal's Ctrl-C is not for it) until `awsenv unset` stops it, or the shell that
//! started it exits. Until then it keeps its port, also once it has nothing more to serve: a
//! port given up while the shell still points its SDKs at it is a port another user can take,
//! and with it the token and every credentials request of that shell.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::env::process;
use crate::error::{Error, Result};
use crate::log;
use crate::session::source::EnvContext;
use crate::shell::script::Script;
use crate::shell::Shell;
use crate::store::fs as paths;

use super::owner;
use super::refresh::{self, End, Refresher, SessionSource};
use super::server::{Config, Served, Server, State};
use super::Marker;

/// Set only in the environment of the server awsenv starts: "you are the server".
const HANDOFF: &str = process::ENDPOINT_HANDOFF;

#[derive(Serialize, Deserialize)]
struct Handoff {
    session: Served,
    expires_at: i64,
    /// The shell to outlive no longer than.
    owner: u32,
    secrets: Secrets,
}

/// What the server needs for renewals that may not be in its argv.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Secrets {
    pub external_id: Option<String>,
}

/// How the server is started: its arguments (without secrets) and the secrets.
pub struct Launch {
    pub args: Vec<OsString>,
    pub secrets: Secrets,
}

#[derive(Serialize, Deserialize)]
struct Ready {
    addr: SocketAddr,
    path: String,
    token: String,
}

/// True in the server process started by [`start`].
pub fn is_server() -> bool {
    process::started().as_endpoint
}

/// The foreground half: first session, server started, exports for `shell`.
pub fn start(
    mut source: Box<dyn SessionSource>,
    lead: u64,
    shell: Shell,
    base_env: Vec<(OsString, OsString)>,
    launch: Launch,
) -> Result<Script> {
    let ctx = EnvContext::read()?;
    let first = source.fetch(Some(lead + 60), false)?;
    // Beside the cache: a directory only this user may use.
    let dir = paths::cache_dir()?.join("endpoints");
    if let Some(parent) = dir.parent() {
        paths::secure_dir(parent)?;
    }
    paths::secure_dir(&dir)?;
    prune_logs(&dir);
    let log_path = dir.join(format!("endpoint-{}.log", paths::unique_suffix()?));
    let log_file = std::fs::OpenOptions::new()
        .append(true)
        .create_new(true)
        .mode(0o600)
        .open(&log_path)
        .map_err(|e| paths::io_err("create", &log_path, &e))?;
    let exe = std::env::current_exe()
        .map_err(|e| Error::Io(format!("cannot find awsenv's own program: {e}")))?;
    let mut child = Command::new(&exe)
        .args(launch.args)
        .env_clear()
        .envs(base_env)
        .env(HANDOFF, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .process_group(0)
        .spawn()
        .map_err(|e| Error::Io(format!("cannot start the endpoint: {e}")))?;
    let owner = owner::owner();
    let handoff = Handoff {
        session: Served::from_role(&first),
        expires_at: first.session.expires_at,
        owner,
        secrets: launch.secrets,
    };
    let sent = child.stdin.take().map(|mut w| {
        w.write_all(&serde_json::to_vec(&handoff).unwrap_or_default())
            .and_then(|_| w.flush())
    });
    let mut line = String::new();
    let read = child
        .stdout
        .take()
        .map(|out| BufReader::new(out).read_line(&mut line));
    let ready: Option<Ready> = match (sent, read) {
        (Some(Ok(())), Some(Ok(_))) => serde_json::from_str(&line).ok(),
        _ => None,
    };
    let Some(ready) = ready else {
        // The server said why in its log; it is gone or going.
        let why = std::fs::read_to_string(&log_path).unwrap_or_default();
        return Err(Error::Io(format!(
            "the endpoint did not start: {}",
            log::redact(why.trim())
        )));
    };
    log::secret(&ready.token);
    // A second `serve` in the same shell replaces the first (once this one is up): its
    // variables are about to be overwritten, and nothing would point at it any more.
    super::stop_from_env();
    let config = Config {
        addr: ready.addr,
        path: ready.path,
        token: ready.token,
    };
    let marker = Marker {
        pid: child.id(),
        detached: true,
        log: Some(log_path.to_string_lossy().into_owned()),
        owner: Some(owner),
    };
    let mut script = Script::new(shell);
    super::activate(&ctx, &mut script, &first, &config, &marker)?;
    log::info(format_args!(
        "serving {} on {} (pid {}); `awsenv unset` stops it",
        first.role_name,
        config.uri(),
        child.id()
    ));
    Ok(script)
}

/// Logs of endpoints long gone: a week is beyond any session (12 h at most).
fn prune_logs(dir: &std::path::Path) {
    const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > MAX_AGE);
        if old {
            // A log that cannot be removed costs a few bytes, nothing else.
            std::fs::remove_file(e.path()).ok();
        }
    }
}

/// The background half: `source` makes the session source from the secrets handed over.
/// Returns only on failure; ends the process otherwise.
pub fn serve(lead: u64, source: impl FnOnce(&Secrets) -> Box<dyn SessionSource>) -> Error {
    match run_server(lead, source) {
        Ok(end) => {
            log::info(format_args!("endpoint stopped ({end:?})"));
            std::process::exit(0)
        }
        Err(e) => e,
    }
}

fn run_server(lead: u64, source: impl FnOnce(&Secrets) -> Box<dyn SessionSource>) -> Result<End> {
    let mut input = Vec::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_end(&mut input)
        .map_err(|e| Error::Io(format!("cannot read the session handed over: {e}")))?;
    let h: Handoff = serde_json::from_slice(&input)
        .map_err(|_| Error::usage("this process is started by `awsenv serve`, not by hand"))?;
    let mut first = h.session;
    first.expires_at = h.expires_at;
    log::secret(&first.secret_access_key);
    log::secret(&first.token);
    let source = source(&h.secrets);
    let server = Server::bind()?;
    // The port is this process's until it ends, whatever becomes of the accept loop: a copy
    // of the listening socket that nothing closes.
    let _port = server
        .listener
        .try_clone()
        .map_err(|e| Error::Io(format!("cannot hold the endpoint's socket: {e}")))?;
    let ready = Ready {
        addr: server.config.addr,
        path: server.config.path.clone(),
        token: server.config.token.clone(),
    };
    let state = State::new(first.clone());
    let addr = server.config.addr;
    log::info(format_args!(
        "serving {} on http://{addr}{} for the shell {} (pid {})",
        first.role_arn,
        server.config.path,
        h.owner,
        std::process::id()
    ));
    // Everything that can fail before the address goes out: once the shell has it, this
    // process ends only with the shell or at its `unset`.
    super::accept::spawn(server, state.clone())?;
    owner::stop_when_gone(h.owner, state.clone(), addr)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(&ready).unwrap_or_default())
        .and_then(|_| out.flush())
        .map_err(|e| Error::Io(format!("cannot report the endpoint's address: {e}")))?;
    drop(out);
    // SAFETY: ignoring a signal is a plain libc call. A hangup of the terminal this came from
    // is not a reason to stop: the owner check is.
    unsafe { libc::signal(libc::SIGHUP, libc::SIG_IGN) };
    let owner = h.owner;
    let end = Refresher {
        source,
        state: state.clone(),
        lead,
        owner_alive: Some(Box::new(move || owner::alive(owner))),
        retry: refresh::RETRY,
    }
    .run();
    if end == End::MfaEnded {
        log::info(format_args!(
            "nothing more to serve; the endpoint answers 503 until its shell ends or unsets it"
        ));
        keep_port(&state, owner);
    }
    state.stop();
    super::server::poke(addr);
    Ok(end)
}

/// Waits, the port still bound and clients told why there is nothing, for the owner's end or
/// an authorized stop. The owner watch stops the state; the check here is for a watch that
/// could not start its pidfd or kqueue and is polling anyway.
fn keep_port(state: &State, owner: u32) {
    while !state.wait_stopped(Duration::from_millis(500)) {
        if !owner::alive(owner) {
            return;
        }
    }
}

/// Asks the endpoint at `uri` to stop. An endpoint that is already gone is fine.
pub fn request_stop(uri: &str, token: &str) -> std::result::Result<(), String> {
    let rest = uri
        .strip_prefix("http://")
        .ok_or_else(|| format!("{uri} is not an awsenv endpoint"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr: SocketAddr = host
        .parse()
        .map_err(|_| format!("{uri} is not an awsenv endpoint"))?;
    if !addr.ip().is_loopback() {
        return Err(format!("{uri} is not on this machine"));
    }
    let mut s = match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "DELETE {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut status = String::new();
    BufReader::new(s)
        .read_line(&mut status)
        .map_err(|e| e.to_string())?;
    if status.starts_with("HTTP/1.1 200 ") {
        Ok(())
    } else {
        Err(format!("it answered `{}`", status.trim()))
    }
}
