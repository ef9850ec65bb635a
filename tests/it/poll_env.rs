//! What the poller takes from its surroundings (issue 4): the connect timeout on its own (a
//! host that never answers the handshake), and HTTP proxies from the environment
//! (`HTTP_PROXY` / `http_proxy`, `NO_PROXY`), checked with the real binary.

use std::net::{SocketAddr, TcpStream};
use std::process::Output;
use std::time::Duration;

use akhbar::feed::{PollOptions, refresh_once};
use akhbar::model::{FetchOutcome, PollEvent};

use crate::support::builders::source;
use crate::support::http::{BlockingServer, Reply};
use crate::support::process::akhbar;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Proxied News</title><link>http://feeds.invalid/</link>
<item><guid>a</guid><title>First</title></item>
<item><guid>b</guid><title>Second</title></item>
</channel></rss>"#;

/// A listening socket that never accepts and whose accept queue is already full, so the
/// kernel drops every further SYN: a connect to it neither succeeds nor is refused, as with a
/// host that is down behind a firewall, but offline. Returns its address, the listener and
/// the connections filling the queue (all must stay alive).
async fn unanswering_listener() -> (SocketAddr, tokio::net::TcpListener, Vec<TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    // Each probe that connects takes a queue slot; the first one whose SYN goes unanswered
    // shows the queue is full.
    for _ in 0..64 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(stream) => fillers.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return (addr, listener, fillers);
            }
            Err(e) => panic!("unexpected error filling the accept queue: {e}"),
        }
    }
    panic!("the kernel kept accepting connections into a full accept queue");
}

#[tokio::test(start_paused = true)]
async fn a_host_that_never_answers_the_handshake_hits_the_connect_timeout_not_the_total_one() {
    let (addr, _listener, _fillers) = unanswering_listener().await;
    let opts = PollOptions {
        connect_timeout: Duration::from_secs(10),
        timeout: Duration::from_secs(60),
        ..PollOptions::default()
    };
    let start = tokio::time::Instant::now();
    let events = refresh_once(vec![source(0, format!("http://{addr}/feed.xml"))], opts).await;
    let elapsed = start.elapsed();
    let [PollEvent::Finished { outcome, .. }] = events.as_slice() else {
        panic!("expected one Finished event, got {events:?}");
    };
    let FetchOutcome::Failed { reason } = outcome else {
        panic!("expected a failure, got {outcome:?}");
    };
    assert_eq!(reason, "connect timed out after 10 s");
    // Paused time: these are the poller's own clocks, not the test's running time.
    assert!(
        elapsed >= Duration::from_secs(10) && elapsed < Duration::from_secs(60),
        "{elapsed:?}"
    );
}

/// A tiny forward proxy: answers every request with the feed and records each request line
/// (which must be in absolute form, `GET http://host/path HTTP/1.1`).
fn proxy() -> BlockingServer {
    BlockingServer::start(|_| Reply::ok("application/rss+xml", FEED))
}

/// Runs `akhbar refresh` on one feed with only the given variables in the environment (plus
/// PATH and HOME), in a fresh config and data directory, then `print-unread`.
fn refresh_with_env(url: &str, vars: &[(&str, String)]) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{url}\"\n")).unwrap();
    let data = dir.path().join("data");
    let run = |command: &str| {
        akhbar(dir.path())
            .arg(command)
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap()
    };
    let refreshed = run("refresh");
    let unread = run("print-unread");
    let count = String::from_utf8_lossy(&unread.stdout).trim().to_string();
    (refreshed, count)
}

fn stdout(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_feed_on_an_unresolvable_host_is_fetched_through_http_proxy_in_absolute_form() {
    for var in ["HTTP_PROXY", "http_proxy"] {
        let forward = proxy();
        let (o, unread) = refresh_with_env("http://feeds.invalid/x.xml", &[(var, forward.url(""))]);
        assert_eq!(o.status.code(), Some(0), "{var}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("1 ok, 0 failed, 2 new articles"),
            "{var}: {}",
            stdout(&o)
        );
        assert_eq!(
            forward.request_lines(),
            ["GET http://feeds.invalid/x.xml HTTP/1.1"],
            "{var}"
        );
        assert_eq!(unread, "2", "{var}: the feed was stored");
    }
}

#[test]
fn no_proxy_sends_a_listed_host_direct_while_http_proxy_is_set() {
    let forward = proxy();
    // The "origin": the same tiny server, reached directly this time.
    let origin = proxy();
    let (o, unread) = refresh_with_env(
        &origin.url("/x.xml"),
        &[
            ("HTTP_PROXY", forward.url("")),
            ("NO_PROXY", "localhost,127.0.0.1".to_string()),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        forward.request_lines().is_empty(),
        "{:?}",
        forward.request_lines()
    );
    assert_eq!(origin.request_lines(), ["GET /x.xml HTTP/1.1"]);
    assert_eq!(unread, "2", "the feed was stored");
}
