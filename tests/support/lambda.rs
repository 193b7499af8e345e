//! A local Lambda for the broker's tests and the demo: the Runtime API the function polls
//! (`/2018-06-01/runtime/...`) and the Invoke API clients call
//! (`/2015-03-31/functions/NAME/invocations`), on one loopback port. The function is the real
//! `awsenv-broker` binary (its path given: tests/broker.rs passes cargo's, the demo's runner
//! examples/local_lambda.rs its argument), started as a process with the environment Lambda
//! gives a custom runtime; its stdout (the decision log) is collected, and copied to a file
//! when one is given.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Default)]
struct State {
    next_id: u64,
    queue: VecDeque<(String, Vec<u8>)>,
    /// request id -> (function error?, body)
    done: BTreeMap<String, (bool, Vec<u8>)>,
}

pub struct LambdaApi {
    pub url: String,
    pub function: String,
}

struct Req {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_req(r: &mut BufReader<TcpStream>) -> Option<Req> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let (mut len, mut chunked) = (0usize, false);
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let l = h.to_ascii_lowercase();
        if let Some(v) = l.strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        if l.starts_with("transfer-encoding:") && l.contains("chunked") {
            chunked = true;
        }
        if h == "\r\n" {
            break;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        body = vec![0; len];
        r.read_exact(&mut body).ok()?;
    }
    Some(Req { method, path, body })
}

fn respond(s: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) -> bool {
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    head += "\r\n";
    s.write_all(head.as_bytes())
        .and_then(|_| s.write_all(body))
        .is_ok()
}

impl LambdaApi {
    pub fn start(function: &str) -> LambdaApi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state: Arc<(Mutex<State>, Condvar)> = Arc::default();
        let (st, name) = (state.clone(), function.to_string());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (st, name) = (st.clone(), name.clone());
                std::thread::spawn(move || serve(stream, &st, &name));
            }
        });
        LambdaApi {
            url: format!("http://{addr}"),
            function: function.to_string(),
        }
    }

    /// `host:port`, as AWS_LAMBDA_RUNTIME_API names it.
    pub fn runtime_api(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Invokes the function directly (no client in between), for hand-made payloads:
    /// (function error?, body).
    pub fn invoke_raw(&self, payload: &[u8]) -> (bool, serde_json::Value) {
        let mut s = TcpStream::connect(self.runtime_api()).unwrap();
        write!(
            s,
            "POST /2015-03-31/functions/{}/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.function,
            payload.len()
        )
        .unwrap();
        s.write_all(payload).unwrap();
        // The server keeps connections open: read exactly one response.
        let mut r = BufReader::new(s);
        let (mut len, mut err) = (0usize, false);
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            let l = h.to_ascii_lowercase();
            if let Some(v) = l.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
            err |= l.starts_with("x-amz-function-error:");
            if h == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        (err, serde_json::from_slice(&body).unwrap())
    }
}

fn serve(stream: TcpStream, state: &Arc<(Mutex<State>, Condvar)>, name: &str) {
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let (lock, cv) = &**state;
    while let Some(req) = read_req(&mut r) {
        let path = req.path.as_str();
        let ok = if req.method == "GET" && path == "/2018-06-01/runtime/invocation/next" {
            let mut st = lock.lock().unwrap();
            let (id, payload) = loop {
                if let Some(e) = st.queue.pop_front() {
                    break e;
                }
                st = cv.wait(st).unwrap();
            };
            drop(st);
            let deadline =
                SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + Duration::from_secs(30);
            respond(
                &mut w,
                200,
                &[
                    ("Lambda-Runtime-Aws-Request-Id", id),
                    (
                        "Lambda-Runtime-Deadline-Ms",
                        deadline.as_millis().to_string(),
                    ),
                    (
                        "Lambda-Runtime-Invoked-Function-Arn",
                        format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
                    ),
                    ("Content-Type", "application/json".into()),
                ],
                &payload,
            )
        } else if let Some(rest) = path.strip_prefix("/2018-06-01/runtime/invocation/") {
            let (id, kind) = rest.split_once('/').unwrap_or((rest, ""));
            lock.lock()
                .unwrap()
                .done
                .insert(id.to_string(), (kind == "error", req.body));
            cv.notify_all();
            respond(&mut w, 202, &[], b"{}")
        } else if let Some(rest) = path.strip_prefix("/2015-03-31/functions/") {
            // A name, or an ARN (percent-encoded in the path), perhaps with a qualifier.
            let function = rest
                .split('/')
                .next()
                .unwrap_or_default()
                .replace("%3A", ":");
            let function = match function.split_once(":function:") {
                Some((_, name)) => name.split(':').next().unwrap_or_default().to_string(),
                None => function.split(':').next().unwrap_or_default().to_string(),
            };
            if function != name {
                let body =
                    format!(r#"{{"Type":"User","Message":"Function not found: {function}"}}"#);
                respond(
                    &mut w,
                    404,
                    &[("x-amzn-ErrorType", "ResourceNotFoundException".into())],
                    body.as_bytes(),
                )
            } else {
                let mut st = lock.lock().unwrap();
                st.next_id += 1;
                let id = format!("req-{}", st.next_id);
                st.queue.push_back((id.clone(), req.body));
                cv.notify_all();
                let (err, body) = loop {
                    if let Some(done) = st.done.remove(&id) {
                        break done;
                    }
                    st = cv.wait(st).unwrap();
                };
                drop(st);
                let mut headers = vec![("X-Amz-Executed-Version", "$LATEST".to_string())];
                if err {
                    headers.push(("X-Amz-Function-Error", "Unhandled".into()));
                }
                respond(&mut w, 200, &headers, &body)
            }
        } else {
            respond(&mut w, 404, &[], b"{}")
        };
        if !ok {
            return;
        }
    }
}

/// Running broker processes behind one API (each one a Lambda instance: whichever polls first
/// takes the next invocation) and the lines they printed (their decision log).
pub struct BrokerProcess {
    pub api: LambdaApi,
    pub log: Arc<Mutex<Vec<String>>>,
    children: Mutex<Vec<Child>>,
}

impl BrokerProcess {
    /// Starts the broker binary `bin` with only `env` (plus what Lambda sets for a custom
    /// runtime). Each line it prints is kept, and also written to `copy` when given.
    pub fn start(
        bin: &Path,
        function: &str,
        env: &BTreeMap<String, String>,
        copy: Option<File>,
    ) -> BrokerProcess {
        Self::start_instances(bin, function, env, copy, 1)
    }

    /// `instances` processes of `bin` polling the same Runtime API.
    pub fn start_instances(
        bin: &Path,
        function: &str,
        env: &BTreeMap<String, String>,
        copy: Option<File>,
        instances: usize,
    ) -> BrokerProcess {
        let api = LambdaApi::start(function);
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let copy = Arc::new(Mutex::new(copy));
        let mut children = Vec::new();
        for _ in 0..instances {
            let mut child = Command::new(bin)
                .env_clear()
                .envs(env)
                .env("AWS_LAMBDA_RUNTIME_API", api.runtime_api())
                .env("AWS_LAMBDA_FUNCTION_NAME", function)
                .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
                .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start awsenv-broker");
            let (out, l, copy) = (child.stdout.take().unwrap(), log.clone(), copy.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines() {
                    let Ok(line) = line else { break };
                    if let Some(f) = copy.lock().unwrap().as_mut() {
                        writeln!(f, "{line}").ok();
                    }
                    l.lock().unwrap().push(line);
                }
            });
            children.push(child);
        }
        BrokerProcess {
            api,
            log,
            children: Mutex::new(children),
        }
    }

    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The decision lines (JSON), in order.
    pub fn decisions(&self) -> Vec<serde_json::Value> {
        self.lines()
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v.get("decision").is_some())
            .collect()
    }

    /// Has an instance exited? (`Some(code)` of the first that did.)
    pub fn exited(&self) -> Option<i32> {
        let mut children = self.children.lock().unwrap();
        children
            .iter_mut()
            .find_map(|c| c.try_wait().ok().flatten())
            .map(|s| s.code().unwrap_or(-1))
    }
}

impl Drop for BrokerProcess {
    fn drop(&mut self) {
        if let Ok(mut children) = self.children.lock() {
            for c in children.iter_mut() {
                c.kill().ok();
                c.wait().ok();
            }
        }
    }
}
