//! The endpoint's side of HTTP/1.1: one request head read under a bound, parsed by `httparse`,
//! and one answer. Nothing here knows about tokens or sessions.

use tokio::io::{AsyncRead, AsyncReadExt};

/// Large enough for any SDK's request head (they send a handful of short headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// SDKs send fewer than ten headers; more is not a credentials client.
const MAX_HEADERS: usize = 32;

/// The parts of a request head the endpoint looks at.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub host: Option<String>,
    pub authorization: Option<String>,
    pub origin: bool,
}

/// What a buffer holds so far.
#[derive(Debug)]
pub enum Head {
    Complete(Request),
    Partial,
    Malformed,
    TooManyHeaders,
}

impl Request {
    /// A complete head, terminator included; `None` for anything else.
    pub fn parse(head: &[u8]) -> Option<Request> {
        match parse(head) {
            Head::Complete(r) => Some(r),
            _ => None,
        }
    }
}

pub fn parse(buf: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(buf) {
        Ok(httparse::Status::Partial) => Head::Partial,
        Err(httparse::Error::TooManyHeaders) => Head::TooManyHeaders,
        Err(_) => Head::Malformed,
        Ok(httparse::Status::Complete(_)) => {
            from_parsed(&parsed).map_or(Head::Malformed, Head::Complete)
        }
    }
}

fn from_parsed(p: &httparse::Request) -> Option<Request> {
    let mut req = Request {
        method: p.method?.to_string(),
        target: p.path?.to_string(),
        ..Request::default()
    };
    for h in p.headers.iter() {
        let value = || {
            std::str::from_utf8(h.value)
                .ok()
                .map(|v| v.trim().to_string())
        };
        let name = h.name;
        if name.eq_ignore_ascii_case("host") {
            // Two Host headers are a request smuggling trick, never an SDK.
            if req.host.is_some() {
                return None;
            }
            req.host = Some(value()?);
        } else if name.eq_ignore_ascii_case("authorization") {
            if req.authorization.is_some() {
                return None;
            }
            req.authorization = Some(value()?);
        } else if name.eq_ignore_ascii_case("origin") {
            req.origin = true;
        }
    }
    Some(req)
}

#[derive(Debug)]
pub enum HeadError {
    TooLarge,
    Malformed,
    /// Closed or failed before a complete head: nobody to answer.
    Io,
}

/// Reads until the head is complete. The caller bounds the time; this bounds the size. The
/// parser runs only when a blank line may have arrived, so a client trickling bytes costs a
/// scan of the new bytes each time, not a parse of the whole head.
pub async fn read_head(r: &mut (impl AsyncRead + Unpin)) -> Result<Request, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        // Never more than one byte past the limit, however the client sends it.
        let room = (MAX_HEAD + 1 - buf.len()).min(chunk.len());
        let n = r
            .read(&mut chunk[..room])
            .await
            .map_err(|_| HeadError::Io)?;
        if n == 0 {
            return Err(HeadError::Io);
        }
        let from = buf.len().saturating_sub(2);
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
        let tail = &buf[from..];
        let blank_line =
            tail.windows(2).any(|w| w == b"\n\n") || tail.windows(3).any(|w| w == b"\n\r\n");
        if blank_line {
            match parse(&buf) {
                Head::Complete(req) => return Ok(req),
                Head::Partial => {}
                Head::Malformed => return Err(HeadError::Malformed),
                Head::TooManyHeaders => return Err(HeadError::TooLarge),
            }
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub body: String,
    /// Stop the endpoint once this is sent (`DELETE` by the token's holder).
    pub stop: bool,
}

impl Reply {
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply {
            status,
            body: serde_json::json!({ "code": code, "message": message }).to_string(),
            stop: false,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            431 => "Request Header Fields Too Large",
            _ => "Service Unavailable",
        };
        format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n{}",
            self.status,
            self.body.len(),
            self.body
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, HeadError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(read_head(&mut &bytes[..]))
    }

    #[test]
    fn malformed_heads_are_refused() {
        for bad in [
            "GET /x",
            "GET /x HTTP/1.1 extra",
            "GET /x SPDY/3",
            "GET /x HTTP/1.1\r\nno colon",
            "GET /x HTTP/1.1\r\nHost: a\r\nHost: b",
            "GET /x HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b",
        ] {
            let head = format!("{bad}\r\n\r\n");
            assert!(Request::parse(head.as_bytes()).is_none(), "{bad}");
            assert!(
                matches!(read(head.as_bytes()), Err(HeadError::Malformed)),
                "{bad}"
            );
        }
        // Not UTF-8: no header value awsenv compares can be.
        let head = b"GET /x HTTP/1.1\r\nHost: \xff\r\n\r\n";
        assert!(matches!(read(head), Err(HeadError::Malformed)));
        let big = vec![b'a'; MAX_HEAD + 2048];
        assert!(matches!(read(&big), Err(HeadError::TooLarge)));
        // Complete, but over the limit.
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(read(long.as_bytes()), Err(HeadError::TooLarge)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert!(matches!(read(many.as_bytes()), Err(HeadError::TooLarge)));
        // Cut short: no answer is owed.
        assert!(matches!(
            read(b"GET / HTTP/1.1\r\nHost: a\r\n"),
            Err(HeadError::Io)
        ));
    }

    #[test]
    fn a_head_split_anywhere_is_read_whole() {
        let head = b"GET /p HTTP/1.1\r\nhost: h:1\r\nAUTHORIZATION: t\r\nOrigin: o\r\n\r\n";
        for cut in 1..head.len() {
            let (a, b) = head.split_at(cut);
            let mut r = tokio_test_reader(a, b);
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let req = rt.block_on(read_head(&mut r)).expect("complete");
            assert_eq!(
                (req.method.as_str(), req.target.as_str()),
                ("GET", "/p"),
                "{cut}"
            );
            assert_eq!(req.host.as_deref(), Some("h:1"));
            assert_eq!(req.authorization.as_deref(), Some("t"));
            assert!(req.origin);
        }
    }

    /// Two reads: `a`, then `b`.
    fn tokio_test_reader<'a>(a: &'a [u8], b: &'a [u8]) -> impl AsyncRead + Unpin + 'a {
        AsyncReadExt::chain(a, b)
    }
}
