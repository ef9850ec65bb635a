//! The test HTTP servers, both on 127.0.0.1 at a port the kernel picks: `serve` runs an axum
//! router on the test's tokio runtime (routes with any status, headers and body; delays and
//! gates are the handlers' own), `BlockingServer` answers from a thread of its own, for
//! tests without a runtime whose client is another process (the binary, a proxy user).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;

/// A one-item RSS feed (channel "T", item "Hello" with guid 1).
pub const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
    <item><title>Hello</title><guid>1</guid></item></channel></rss>";

/// Serves `router` until the test's runtime ends; returns the base URL, `http://127.0.0.1:PORT`.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

/// `/feed`: counts each request in `hits` and answers `status` with `RSS`.
pub fn counting(hits: Arc<AtomicUsize>, status: StatusCode) -> Router {
    Router::new().route(
        "/feed",
        get(move || {
            let hits = hits.clone();
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                (status, RSS)
            }
        }),
    )
}

/// Headers of every request a handler saw, in order.
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<Vec<HeaderMap>>>);

impl Seen {
    pub fn push(&self, h: &HeaderMap) {
        self.0.lock().unwrap().push(h.clone());
    }
    pub fn get(&self, i: usize) -> HeaderMap {
        self.0.lock().unwrap()[i].clone()
    }
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

/// A request as `BlockingServer` read it.
pub struct Request {
    /// The request target: a path, or an absolute URL when the client took us for a proxy.
    pub target: String,
}

/// What `BlockingServer` answers; always with `Content-Length` and `Connection: close`.
pub struct Reply {
    status: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    /// `200 OK` with this body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::with_body("200 OK", content_type, body)
    }

    /// `status` (as in `404 Not Found`) with this body.
    pub fn with_body(status: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: status.to_owned(),
            content_type: Some(content_type.to_owned()),
            body: body.into(),
        }
    }

    /// `status` with an empty body and no content type.
    pub fn empty(status: &str) -> Reply {
        Reply {
            status: status.to_owned(),
            content_type: None,
            body: Vec::new(),
        }
    }
}

/// An HTTP/1.1 server on a thread of its own, one connection at a time, answering each
/// request with what `handler` returns; it records every request line and stops when
/// dropped.
pub struct BlockingServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl BlockingServer {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + 'static) -> BlockingServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, stopped) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                answer(stream, &handler, &log);
            }
        });
        BlockingServer {
            addr,
            requests,
            stop,
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request line so far (`GET /feed.xml HTTP/1.1`), in order.
    pub fn request_lines(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for BlockingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept so the thread sees the flag and ends.
        let _ = TcpStream::connect(self.addr);
    }
}

fn answer(stream: TcpStream, handler: &impl Fn(&Request) -> Reply, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    // The headers, up to the blank line; no test needs them.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let line = first.trim_end().to_string();
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(line);
    let reply = handler(&Request { target });
    let mut head = format!("HTTP/1.1 {}\r\n", reply.status);
    if let Some(ctype) = &reply.content_type {
        head.push_str(&format!("Content-Type: {ctype}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let mut s = reader.into_inner();
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(&reply.body);
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    use super::{BlockingServer, Reply};

    #[test]
    fn a_blocking_server_answers_records_the_request_line_and_closes_its_port_when_dropped() {
        let server = BlockingServer::start(|req| Reply::ok("text/plain", req.target.clone()));
        let port = server.port();
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(answer.contains("Content-Length: 6\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n/a?b=1"), "{answer}");
        assert_eq!(server.request_lines(), ["GET /a?b=1 HTTP/1.1"]);
        drop(server);
        // Wait for the event, not a time: the bound only stops a broken drop hanging the test.
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(Instant::now() < deadline, "still accepting after drop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
