//! The endpoint's connections, on a current-thread tokio runtime of their own: any number of
//! them at once (a task and a socket each, no slot a stranger can take), one request each.
//!
//! Any local user can connect without the token, so nothing a connection does may keep the
//! token's holder out: each connection has one deadline for its whole request head (a client
//! trickling a byte at a time gets no more time than one that sends nothing), and when the
//! descriptors run short the connections that have had time to send a head and have not are
//! closed first. An SDK sends its head at once, so its connection is never among them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::time::{sleep, sleep_until, timeout, Instant};

use crate::error::{Error, Result};
use crate::log;

use super::http::{read_head, HeadError, Reply};
use super::server::{decide, Config, Server, State};

/// From connecting to the end of the request head, however the bytes arrive.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(3);
/// The answer is small enough for the socket's buffer; a client that never reads gets this.
const WRITE_DEADLINE: Duration = Duration::from_secs(1);
/// Under pressure, a connection this old without a complete head is closed: a real client has
/// sent its head before it is even accepted.
const GRACE: Duration = Duration::from_millis(100);
/// After a failed `accept` (out of descriptors, say): wait, doubling up to the maximum, rather
/// than spin on an error that will not go away by itself.
const MIN_BACKOFF: Duration = Duration::from_millis(10);
const MAX_BACKOFF: Duration = Duration::from_millis(500);

/// Serves `server` on a thread of its own until `state` is stopped.
pub fn spawn(server: Server, state: Arc<State>) -> Result<std::thread::JoinHandle<()>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the endpoint's runtime: {e}")))?;
    let Server { config, listener } = server;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Io(format!("cannot set up the endpoint's socket: {e}")))?;
    std::thread::Builder::new()
        .name("awsenv-endpoint".into())
        .spawn(move || {
            rt.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(l) => serve(l, config, state).await,
                    Err(e) => log::warn(format_args!("the endpoint cannot listen: {e}")),
                }
            })
        })
        .map_err(|e| Error::Io(format!("cannot start the endpoint's thread: {e}")))
}

struct Shared {
    config: Config,
    state: Arc<State>,
    /// A `DELETE` stopped the endpoint: the accept loop ends.
    stopped: Notify,
    /// Connections still without a complete head.
    pending: AtomicUsize,
    /// Connections without a complete head that started before this instant are closed.
    cutoff: watch::Sender<Instant>,
}

impl Shared {
    fn shed(&self) {
        if let Some(t) = Instant::now().checked_sub(GRACE) {
            self.cutoff.send_replace(t);
        }
    }
}

async fn serve(listener: TcpListener, config: Config, state: Arc<State>) {
    let shared = Arc::new(Shared {
        config,
        state,
        stopped: Notify::new(),
        pending: AtomicUsize::new(0),
        cutoff: watch::channel(Instant::now()).0,
    });
    let watermark = pressure_watermark();
    let mut backoff = MIN_BACKOFF;
    let mut last_shed: Option<Instant> = None;
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shared.stopped.notified() => break,
        };
        // Others stop the endpoint with `State::stop` and a connection to wake this loop.
        if shared.state.is_stopped() {
            break;
        }
        let pressed = match accepted {
            Ok((stream, _)) => {
                backoff = MIN_BACKOFF;
                shared.pending.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(handle(stream, shared.clone()));
                shared.pending.load(Ordering::SeqCst) >= watermark
            }
            Err(e) => {
                log::debug(format_args!("endpoint: accept failed: {e}"));
                sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                out_of_resources(&e)
            }
        };
        // At most once per GRACE: each shed wakes every pending connection.
        if pressed && last_shed.is_none_or(|t| t.elapsed() >= GRACE) {
            shared.shed();
            last_shed = Some(Instant::now());
        }
    }
}

fn out_of_resources(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

/// Half the descriptors this process may open: past that many unfinished heads, the endpoint
/// sheds, and the other half stays for the refresher's calls to AWS and everything else.
fn pressure_watermark() -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    let soft = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
        usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
    } else {
        1024
    };
    (soft / 2).max(8)
}

async fn handle(mut stream: TcpStream, shared: Arc<Shared>) {
    let started = Instant::now();
    let mut cutoff = shared.cutoff.subscribe();
    let head = tokio::select! {
        r = read_head(&mut stream) => Some(r),
        _ = sleep_until(started + HEAD_DEADLINE) => None,
        _ = shed_if_before(&mut cutoff, started) => None,
    };
    shared.pending.fetch_sub(1, Ordering::SeqCst);
    let reply = match head {
        Some(Ok(req)) => decide(&req, &shared.config, &shared.state),
        Some(Err(HeadError::Malformed)) => Reply::error(400, "BadRequest", "malformed request"),
        Some(Err(HeadError::TooLarge)) => Reply::error(431, "BadRequest", "request head too large"),
        // Out of time, shed, closed or failed: nobody to answer.
        Some(Err(HeadError::Io)) | None => return,
    };
    log::debug(format_args!("endpoint: answered {}", reply.status));
    let bytes = reply.to_bytes();
    // Nothing useful to do when the client has gone away.
    let _ = timeout(WRITE_DEADLINE, async {
        stream.write_all(&bytes).await?;
        stream.flush().await
    })
    .await;
    if reply.stop {
        // After the answer is out: the process may end as soon as the stop is seen.
        drop(stream);
        shared.state.stop();
        shared.stopped.notify_one();
    }
}

/// Resolves once the endpoint sheds the connections that started before `started`, if ever.
async fn shed_if_before(cutoff: &mut watch::Receiver<Instant>, started: Instant) {
    loop {
        if *cutoff.borrow_and_update() > started {
            return;
        }
        if cutoff.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
