//! `akhbar --demo`: feeds embedded in the binary, served over loopback HTTP so they go through
//! the same poller, parser and store as real feeds, with a "breaking" item published now and
//! then so the ticker and the headline list visibly move.
//!
//! The feed files in `config/demo/` are templates: `{{ago:N}}` is a date N minutes before the
//! server started, `{{now}}` the moment of the latest publication (for a breaking item: its own
//! publication). Published items go in after the `<!-- akhbar:breaking -->` marker, newest
//! first, so the served XML stays a valid feed.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// Where published breaking items are inserted in a base feed.
pub const BREAKING_MARKER: &str = "<!-- akhbar:breaking -->";

/// A published feed keeps at most this many breaking items (the store keeps older ones).
const MAX_PUBLISHED: usize = 12;
/// Requests larger than this are refused: the only client is the poller.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// One demo feed as the app configures it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFeed {
    pub name: &'static str,
    pub path: &'static str,
    pub tags: &'static [&'static str],
    /// `http://127.0.0.1:PORT/path`.
    pub url: String,
}

/// The syntax of a feed file, which decides the date format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoFormat {
    /// RSS 2.0: RFC 2822 dates, `<item>` elements.
    Rss,
    /// Atom: RFC 3339 dates, `<entry>` elements.
    Atom,
}

/// One embedded demo feed: its base file and its file of breaking items.
#[derive(Debug)]
pub struct DemoSpec {
    pub name: &'static str,
    pub path: &'static str,
    pub tags: &'static [&'static str],
    pub format: DemoFormat,
    /// The language the feed declares.
    pub language: &'static str,
    pub base: &'static str,
    /// A whole feed file too (so it can be checked on its own); only its items are used.
    pub breaking: &'static str,
}

/// The embedded demo feeds, in publishing order.
pub const DEMO_SPECS: &[DemoSpec] = &[
    DemoSpec {
        name: "صحيفة الواحة",
        path: "/ar.xml",
        tags: &["ar", "news"],
        format: DemoFormat::Rss,
        language: "ar",
        base: include_str!("../config/demo/ar.xml"),
        breaking: include_str!("../config/demo/ar-breaking.xml"),
    },
    DemoSpec {
        name: "خبرگزاری آسمان",
        path: "/fa.xml",
        tags: &["fa", "news"],
        format: DemoFormat::Atom,
        language: "fa",
        base: include_str!("../config/demo/fa.xml"),
        breaking: include_str!("../config/demo/fa-breaking.xml"),
    },
    DemoSpec {
        name: "יומן הבוקר",
        path: "/he.xml",
        tags: &["he", "news"],
        format: DemoFormat::Rss,
        language: "he",
        base: include_str!("../config/demo/he.xml"),
        breaking: include_str!("../config/demo/he-breaking.xml"),
    },
    DemoSpec {
        name: "The Harbour Courier",
        path: "/en.xml",
        tags: &["en", "tech"],
        format: DemoFormat::Atom,
        language: "en",
        base: include_str!("../config/demo/en.xml"),
        breaking: include_str!("../config/demo/en-breaking.xml"),
    },
];

/// A running demo server. Stops when dropped.
#[derive(Debug)]
pub struct DemoServer {
    pub addr: SocketAddr,
    pub feeds: Vec<DemoFeed>,
    shared: Arc<Mutex<Shared>>,
    tasks: Vec<AbortHandle>,
}

/// The demo server publishes a new item this often.
pub const PUBLISH_EVERY: Duration = Duration::from_secs(25);
/// The demo feeds are polled this often.
pub const REFRESH: Duration = Duration::from_secs(10);

/// Binds 127.0.0.1:0 and serves the demo feeds over HTTP/1.1 (GET and HEAD, ETag and
/// If-None-Match, one request per connection). Every `publish_every` one more breaking item
/// is published into the next feed in turn, dated that moment. A zero `publish_every`
/// publishes nothing by itself (see [`DemoServer::publish_next`]).
pub async fn start_demo_server(publish_every: Duration) -> std::io::Result<DemoServer> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Mutex::new(Shared::new(Utc::now())));
    let feeds = DEMO_SPECS
        .iter()
        .map(|s| DemoFeed {
            name: s.name,
            path: s.path,
            tags: s.tags,
            url: format!("http://{addr}{}", s.path),
        })
        .collect();

    let mut tasks = vec![tokio::spawn(accept_loop(listener, Arc::clone(&shared))).abort_handle()];
    if !publish_every.is_zero() {
        let publisher = Arc::clone(&shared);
        tasks.push(
            tokio::spawn(async move {
                let start = tokio::time::Instant::now() + publish_every;
                let mut ticks = tokio::time::interval_at(start, publish_every);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    ticks.tick().await;
                    lock(&publisher).publish_next(Utc::now());
                }
            })
            .abort_handle(),
        );
    }
    Ok(DemoServer {
        addr,
        feeds,
        shared,
        tasks,
    })
}

impl DemoServer {
    /// Stops serving and publishing; the port is closed once the accept task is dropped.
    pub fn stop(&self) {
        for t in &self.tasks {
            t.abort();
        }
    }

    /// Publishes the next breaking item now (the timer does the same). Returns the path of the
    /// feed that got it.
    pub fn publish_next(&self) -> &'static str {
        lock(&self.shared).publish_next(Utc::now())
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A poisoned lock only means a request task panicked mid-read; the data is still whole.
fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
struct Shared {
    feeds: Vec<FeedState>,
    /// Publications so far (picks the feed, round-robin).
    published: usize,
}

impl Shared {
    fn new(start: DateTime<Utc>) -> Shared {
        Shared {
            feeds: DEMO_SPECS
                .iter()
                .map(|s| FeedState::new(s, start))
                .collect(),
            published: 0,
        }
    }

    fn publish_next(&mut self, now: DateTime<Utc>) -> &'static str {
        let index = self.published % self.feeds.len();
        self.published += 1;
        let feed = &mut self.feeds[index];
        feed.publish(now);
        feed.spec.path
    }
}

#[derive(Debug)]
struct FeedState {
    spec: &'static DemoSpec,
    /// The base feed with its `{{ago:N}}` dates filled in, cut at the marker.
    head: String,
    tail: String,
    /// The breaking items, still with `{{now}}`.
    breaking: Vec<&'static str>,
    /// Published items, rendered, newest first.
    published: VecDeque<String>,
    /// How many breaking items this feed has published (index into `breaking`, and the round).
    count: usize,
    last_update: DateTime<Utc>,
    body: Bytes,
    etag: String,
}

impl FeedState {
    fn new(spec: &'static DemoSpec, start: DateTime<Utc>) -> FeedState {
        let base = fill_ago(spec.base, spec.format, start);
        let (head, tail) = match base.split_once(BREAKING_MARKER) {
            Some((h, t)) => (format!("{h}{BREAKING_MARKER}"), t.to_string()),
            None => (base, String::new()),
        };
        let mut feed = FeedState {
            spec,
            head,
            tail,
            breaking: split_items(spec.breaking, spec.format),
            published: VecDeque::new(),
            count: 0,
            last_update: start,
            body: Bytes::new(),
            etag: String::new(),
        };
        feed.render();
        feed
    }

    fn publish(&mut self, now: DateTime<Utc>) {
        if self.breaking.is_empty() {
            return;
        }
        let template = self.breaking[self.count % self.breaking.len()];
        let round = self.count / self.breaking.len();
        let mut item = template.replace("{{now}}", &format_date(now, self.spec.format));
        if round > 0 {
            // Once every item is out, they come round again as new items (fresh ids).
            let close = match self.spec.format {
                DemoFormat::Rss => "</guid>",
                DemoFormat::Atom => "</id>",
            };
            item = item.replacen(close, &format!("-r{round}{close}"), 1);
        }
        self.count += 1;
        self.published.push_front(item);
        self.published.truncate(MAX_PUBLISHED);
        self.last_update = now;
        self.render();
    }

    fn render(&mut self) {
        let now = format_date(self.last_update, self.spec.format);
        let mut xml = self.head.replace("{{now}}", &now);
        for item in &self.published {
            xml.push_str("\n    ");
            xml.push_str(item);
        }
        xml.push_str(&self.tail.replace("{{now}}", &now));
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        xml.hash(&mut hasher);
        self.etag = format!("\"{:016x}-{}\"", hasher.finish(), xml.len());
        self.body = Bytes::from(xml);
    }
}

/// Fills every `{{ago:N}}` with the date N minutes before `start`. A malformed token is left
/// as it is (the feed tests would catch it).
pub fn fill_ago(template: &str, format: DemoFormat, start: DateTime<Utc>) -> String {
    const OPEN: &str = "{{ago:";
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[at..]);
            return out;
        };
        match after[..end].trim().parse::<i64>() {
            Ok(minutes) => {
                let when = start - TimeDelta::minutes(minutes);
                out.push_str(&format_date(when, format));
            }
            Err(_) => out.push_str(&rest[at..at + OPEN.len() + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn format_date(when: DateTime<Utc>, format: DemoFormat) -> String {
    match format {
        DemoFormat::Rss => when.to_rfc2822(),
        DemoFormat::Atom => when.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// The `<item>` (RSS) or `<entry>` (Atom) elements of a feed file, as text.
pub fn split_items(xml: &str, format: DemoFormat) -> Vec<&str> {
    let (open, close) = match format {
        DemoFormat::Rss => ("<item>", "</item>"),
        DemoFormat::Atom => ("<entry>", "</entry>"),
    };
    let mut items = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(open) {
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        let end = start + len + close.len();
        items.push(&rest[start..end]);
        rest = &rest[end..];
    }
    items
}

async fn accept_loop(listener: TcpListener, shared: Arc<Mutex<Shared>>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!("demo server accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let response = match tokio::time::timeout(REQUEST_TIMEOUT, read_head(&mut stream)).await {
        Ok(Some(head)) => respond(&head, &shared),
        Ok(None) => plain(400, "Bad Request"),
        Err(_) => return,
    };
    // The client may have gone; nothing to do about it.
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

/// Reads up to the blank line that ends the request head.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            return String::from_utf8(buf).ok();
        }
        if buf.len() > MAX_REQUEST_BYTES {
            return None;
        }
    }
}

fn respond(head: &str, shared: &Mutex<Shared>) -> Vec<u8> {
    let mut lines = head.split("\r\n");
    let mut request = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target)) = (request.next(), request.next()) else {
        return plain(400, "Bad Request");
    };
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return plain(405, "Method Not Allowed"),
    };
    let path = target.split(['?', '#']).next().unwrap_or("");
    let if_none_match = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("if-none-match")
            .then(|| value.trim().to_string())
    });

    let found = {
        let shared = lock(shared);
        shared
            .feeds
            .iter()
            .find(|f| f.spec.path == path)
            .map(|f| (f.body.clone(), f.etag.clone(), f.spec.format))
    };
    let Some((body, etag, format)) = found else {
        return plain(404, "Not Found");
    };
    if if_none_match.is_some_and(|v| etag_matches(&v, &etag)) {
        return format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n")
            .into_bytes();
    }
    let content_type = match format {
        DemoFormat::Rss => "application/rss+xml; charset=utf-8",
        DemoFormat::Atom => "application/atom+xml; charset=utf-8",
    };
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nETag: {etag}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(&body);
    }
    out
}

/// `If-None-Match` is `*` or a list of (possibly weak) entity tags.
fn etag_matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

fn plain(status: u16, reason: &str) -> Vec<u8> {
    let allow = if status == 405 {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\n{allow}Connection: close\r\n\r\n{reason}",
        reason.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_tokens_become_dates_in_the_feed_format() {
        let start = DateTime::parse_from_rfc3339("2026-11-28T14:13:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            fill_ago("<a>{{ago:60}}</a>{{ago:x}}{{ago:", DemoFormat::Atom, start),
            "<a>2026-11-28T13:13:00Z</a>{{ago:x}}{{ago:"
        );
        assert_eq!(
            fill_ago("{{ago: 1440 }}", DemoFormat::Rss, start),
            "Fri, 27 Nov 2026 14:13:00 +0000"
        );
    }

    #[test]
    fn items_are_cut_out_whole() {
        let xml = "<rss><item><title>a</title></item> <item>b</item><item>open";
        assert_eq!(
            split_items(xml, DemoFormat::Rss),
            ["<item><title>a</title></item>", "<item>b</item>"]
        );
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("\"x\", W/\"a\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }

    #[test]
    fn publishing_goes_round_robin_and_comes_round_again_with_new_ids() {
        let start = Utc::now();
        let mut shared = Shared::new(start);
        let n = shared.feeds.len();
        let paths: Vec<&str> = (0..n).map(|_| shared.publish_next(start)).collect();
        let expected: Vec<&str> = DEMO_SPECS.iter().map(|s| s.path).collect();
        assert_eq!(paths, expected);

        let per_feed = shared.feeds[0].breaking.len();
        for _ in 0..(per_feed * n) {
            shared.publish_next(start);
        }
        let first = &shared.feeds[0];
        assert_eq!(first.count, per_feed + 1);
        // The newest is the first item again, second round: its guid carries the round.
        assert!(
            first.published[0].contains("-r1</guid>"),
            "{}",
            first.published[0]
        );
    }

    #[test]
    fn requests_are_answered_by_method_path_and_etag() {
        let shared = Mutex::new(Shared::new(Utc::now()));
        let etag = lock(&shared).feeds[0].etag.clone();
        let text = |r: Vec<u8>| String::from_utf8(r).unwrap();
        assert!(
            text(respond("GET /ar.xml HTTP/1.1\r\nHost: x", &shared)).starts_with("HTTP/1.1 200")
        );
        let head = text(respond("HEAD /ar.xml HTTP/1.1", &shared));
        assert!(head.starts_with("HTTP/1.1 200") && head.ends_with("\r\n\r\n"));
        let cond = format!("GET /ar.xml?x=1 HTTP/1.1\r\nif-none-match: {etag}");
        assert!(text(respond(&cond, &shared)).starts_with("HTTP/1.1 304"));
        assert!(text(respond("GET /nope HTTP/1.1", &shared)).starts_with("HTTP/1.1 404"));
        assert!(text(respond("POST /ar.xml HTTP/1.1", &shared)).starts_with("HTTP/1.1 405"));
        assert!(text(respond("garbage", &shared)).starts_with("HTTP/1.1 400"));
    }
}
