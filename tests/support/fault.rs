//! A local HTTP endpoint the tests control, standing in for STS when it misbehaves: it hangs,
//! answers slowly, fails with a status, or sends garbage. It counts the requests it gets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub enum Mode {
    /// Accept, read the request, never answer.
    Hang,
    /// Answer with a valid AssumeRole response after a delay.
    Slow(Duration),
    /// Answer with this status and body.
    Status(u16, String),
}

pub struct FaultServer {
    pub url: String,
    pub hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

pub const SECRET: &str = "SENTINEL/secret+key/0123456789abcdefSENTINEL";
pub const TOKEN: &str = "SENTINELtoken0123456789abcdefghijklmnopqrstuvwxyzSENTINEL";

pub fn assume_role_xml() -> String {
    format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
         <Credentials><AccessKeyId>ASIAFAULTSERVER0001</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>\
         <SessionToken>{TOKEN}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>\
         <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/T/s</Arn><AssumedRoleId>AROAX:s</AssumedRoleId>\
         </AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
         </AssumeRoleResponse>"
    )
}

pub fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
         <Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
    )
}

fn read_request(stream: &TcpStream) -> Option<()> {
    let mut r = BufReader::new(stream);
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.to_ascii_lowercase();
        if let Some(v) = l.strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()
}

fn respond(mut stream: TcpStream, status: u16, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

pub fn start(mode: Mode) -> FaultServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (h, st) = (hits.clone(), stop.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if st.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let (mode, h) = (mode.clone(), h.clone());
            std::thread::spawn(move || {
                if read_request(&stream).is_none() {
                    return;
                }
                h.fetch_add(1, Ordering::SeqCst);
                match mode {
                    Mode::Hang => std::thread::sleep(Duration::from_secs(120)),
                    Mode::Slow(d) => {
                        std::thread::sleep(d);
                        respond(stream, 200, &assume_role_xml());
                    }
                    Mode::Status(code, body) => respond(stream, code, &body),
                }
            });
        }
    });
    FaultServer {
        url: format!("http://{addr}"),
        hits,
        stop,
        addr,
    }
}

impl FaultServer {
    /// Stops accepting: later connections are refused.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        // The accept loop has exited and dropped the listener once a connect is refused.
        for _ in 0..100 {
            if TcpStream::connect(self.addr).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
