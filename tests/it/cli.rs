//! The binary's headless commands, run as a user would, against a server on 127.0.0.1
//! started by the test: refresh (exit codes, summary), --init, config errors, print-unread,
//! import / export, export-state, add.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::akhbar;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>CLI News</title><link>http://127.0.0.1/</link>
<item><guid>a</guid><title>First</title><pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate></item>
<item><guid>b</guid><title>Second</title><pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate></item>
<item><guid>c</guid><title>Third &#x1b;[31m</title><pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"#;

/// Serves `/feed.xml`, `/evil.xml` (control characters in a tag), `/page.html` (one alternate
/// link), `/two.html` (two), 404 otherwise.
fn serve() -> BlockingServer {
    BlockingServer::start(|req| match req.target.as_str() {
        "/feed.xml" => Reply::ok("application/rss+xml", FEED),
        "/evil.xml" => Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title></ite\u{1b}[2J\u{202e}m></channel></rss>",
        ),
        "/page.html" => Reply::ok(
            "text/html",
            r#"<html><head><link rel="alternate" type="application/rss+xml" title="The feed" href="/feed.xml"></head><body>hi</body></html>"#,
        ),
        "/two.html" => Reply::ok(
            "text/html",
            r#"<html><head><link rel="alternate" type="application/rss+xml" title="One" href="/feed.xml"><link rel="alternate" type="application/atom+xml" title="Two" href="/other.xml"></head></html>"#,
        ),
        _ => Reply::with_body("404 Not Found", "text/plain", "no"),
    })
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    fn run(&self, args: &[&str]) -> Output {
        self.run_stdin(args, "")
    }
    fn run_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = akhbar(self.dir.path())
            .args(args)
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_STATE_HOME", self.path("state"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
    fn write_config(&self, text: &str) -> String {
        let p = self.path("config/akhbar/config.toml");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn refresh_prints_failures_and_a_summary_and_exits_0_if_any_feed_worked() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{port}/feed.xml\"\n[[feed]]\nurl = \"http://u:secret@127.0.0.1:{port}/missing.xml\"\n"
    ));
    let o = env.run(&["refresh"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", err(&o));
    assert!(text.contains("failed: http://***@127.0.0.1"), "{text}");
    assert!(text.contains("404"), "{text}");
    assert!(
        !text.contains("secret"),
        "credentials never printed: {text}"
    );
    assert!(
        text.contains("2 feeds, 1 ok, 1 failed, 3 new articles"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no escape sequence from a feed reaches stdout"
    );
    // The cache remembers them: nothing new the second time, and the unread count is there.
    let again = env.run(&["refresh"]);
    assert!(out(&again).contains("0 new articles"), "{}", out(&again));
    let unread = env.run(&["print-unread"]);
    assert_eq!(out(&unread).trim(), "3", "{}", err(&unread));
    let state = env.run(&["export-state"]);
    assert!(
        out(&state).contains(&format!("http://127.0.0.1:{port}/feed.xml")),
        "{}",
        out(&state)
    );
    // A feed taken out of the config is not counted, as the reader does not show it; a
    // config that cannot be read still gets an answer (every cached feed).
    env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{port}/other.xml\"\n"
    ));
    let unread = env.run(&["print-unread"]);
    assert_eq!(out(&unread).trim(), "0", "{}", err(&unread));
    env.write_config("refresh_interval = [\n");
    let unread = env.run(&["print-unread"]);
    assert_eq!(out(&unread).trim(), "3", "{}", err(&unread));
}

#[test]
fn refresh_exits_1_when_every_feed_failed_and_2_on_a_config_error() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    let cfg = env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{port}/nope.xml\"\n"
    ));
    let o = env.run(&["refresh", "--config", &cfg]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    env.write_config("refresh_interval = \"15m\"\nbogus = 1\n");
    let o = env.run(&["--config", &cfg, "refresh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("line 2, key `bogus`"), "{}", err(&o));
}

#[test]
fn without_a_config_it_says_how_to_start_and_init_writes_one_once() {
    let env = Env::new();
    let o = env.run(&["refresh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("akhbar --init"), "{}", err(&o));
    let o = env.run(&["--init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let written = std::fs::read_to_string(env.path("config/akhbar/config.toml")).unwrap();
    assert_eq!(written, akhbar::config::DEFAULT_TOML);
    let o = env.run(&["--init"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("already exists"), "{}", err(&o));
}

#[test]
fn import_refuses_commands_and_export_writes_opml() {
    let env = Env::new();
    env.write_config("# mine\n");
    let urls = env.path("urls");
    std::fs::write(&urls, "https://a.example/rss \"tech\" \"~Alpha\"\nexec:/bin/rm -rf\n\"|curl evil\"\nhttps://b.example/atom\nhttps://c.example/feed \"!hidden\" tech\n").unwrap();
    let o = env.run(&["import", urls.to_str().unwrap()]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", err(&o));
    assert!(text.contains("3 feeds added"), "{text}");
    assert_eq!(text.matches("refused:").count(), 2, "{text}");
    let cfg_path = env.path("config/akhbar/config.toml");
    let cfg = std::fs::read_to_string(&cfg_path).unwrap();
    assert!(cfg.starts_with("# mine\n"), "{cfg}");
    assert!(!cfg.contains("exec:") && !cfg.contains("curl"), "{cfg}");
    // newsboat's `!` tag: the feed is kept, hidden from the feed list.
    let parsed = akhbar::config::Config::parse(&cfg_path, &cfg).unwrap();
    let hidden: Vec<(&str, bool)> = parsed
        .feeds
        .iter()
        .map(|f| (f.url.as_str(), f.hidden))
        .collect();
    assert_eq!(
        hidden,
        [
            ("https://a.example/rss", false),
            ("https://b.example/atom", false),
            ("https://c.example/feed", true)
        ]
    );
    assert_eq!(parsed.feeds[2].tags, ["tech"]);
    let o = env.run(&["export"]);
    let opml = out(&o);
    assert!(opml.contains("<opml version=\"2.0\">"), "{opml}");
    assert!(
        opml.contains("https://a.example/rss") && opml.contains("Alpha"),
        "{opml}"
    );
}

#[test]
fn add_takes_a_feed_or_finds_the_feed_of_a_page() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    let cfg = env.write_config("");
    let o = env.run(&[
        "add",
        &format!("http://127.0.0.1:{port}/page.html"),
        "--config",
        &cfg,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.contains(&format!("url = \"http://127.0.0.1:{port}/feed.xml\"")),
        "{text}"
    );
    assert!(text.contains("name = \"The feed\""), "{text}");
    // Adding the same feed again changes nothing.
    let o = env.run(&[
        "add",
        &format!("http://127.0.0.1:{port}/feed.xml"),
        "--config",
        &cfg,
    ]);
    assert!(out(&o).contains("already in"), "{}", out(&o));
    // Two feeds on a page and no terminal to ask on: both listed, nothing added.
    let o = env.run(&[
        "add",
        &format!("http://127.0.0.1:{port}/two.html"),
        "--config",
        &cfg,
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("1. One") && out(&o).contains("2. Two"),
        "{}",
        out(&o)
    );
    assert_eq!(
        akhbar::config::Config::load(Path::new(&cfg))
            .unwrap()
            .feeds
            .len(),
        1
    );
}

#[test]
fn error_texts_quoting_a_hostile_feed_reach_stdout_without_control_characters() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{port}/evil.xml\"\n"
    ));
    let o = env.run(&["refresh"]);
    let text = out(&o);
    assert!(text.contains("failed: http://127.0.0.1"), "{text}");
    assert!(
        text.contains("[2J"),
        "the error quotes the tag, cleaned: {text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
}

/// Issue 10, item 13: `add` fetches the way `refresh` does (its error texts) and takes
/// `HTTP://...` and an address without a scheme (https first, then http, saying which).
#[test]
fn add_uses_the_refresh_fetch_path_and_takes_upper_case_and_scheme_less_addresses() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    let cfg = env.write_config("");
    let o = env.run(&[
        "add",
        &format!("HTTP://127.0.0.1:{port}/feed.xml"),
        "--config",
        &cfg,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.contains(&format!("url = \"http://127.0.0.1:{port}/feed.xml\"")),
        "{text}"
    );
    let env = Env::new();
    let cfg = env.write_config("");
    let o = env.run(&[
        "add",
        &format!("127.0.0.1:{port}/feed.xml"),
        "--config",
        &cfg,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains(&format!("using http://127.0.0.1:{port}/feed.xml")),
        "{}",
        out(&o)
    );
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.contains(&format!("url = \"http://127.0.0.1:{port}/feed.xml\"")),
        "{text}"
    );
    // The same status text as a refresh gives.
    let o = env.run(&[
        "add",
        &format!("http://127.0.0.1:{port}/no-such-feed.xml"),
        "--config",
        &cfg,
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(err(&o).contains("HTTP 404"), "{}", err(&o));
}

/// A refresh where one feed has news reads that feed's cached articles only (the dedupe needs
/// them; the other feed answered 304), counts only what is new, and still runs retention: the
/// feed with news loses an article it no longer lists beyond `keep_per_feed`, the one that
/// answered 304 (its list unknown) keeps all of its.
#[test]
fn refresh_with_news_reads_only_that_feeds_cached_articles_and_still_retains() {
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&hits);
    let server = BlockingServer::start(move |req| {
        let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        match req.target.as_str() {
            // The second answer: a new item "d" first, and "c" no longer listed.
            "/a.xml" if n >= 2 => Reply::ok(
                "application/rss+xml",
                FEED.replace(
                    "<item><guid>a</guid>",
                    "<item><guid>d</guid><title>Fourth</title>\
                     <pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate></item><item><guid>a</guid>",
                )
                .replace(
                    "<item><guid>c</guid><title>Third &#x1b;[31m</title><pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate></item>",
                    "",
                ),
            ),
            "/b.xml" if n >= 2 => Reply::empty("304 Not Modified"),
            "/a.xml" | "/b.xml" => Reply::ok("application/rss+xml", FEED),
            _ => Reply::with_body("404 Not Found", "text/plain", "no"),
        }
    });
    let env = Env::new();
    env.write_config(&format!(
        "keep_days = 0\nkeep_per_feed = 2\n\
         [[feed]]\nurl = \"http://127.0.0.1:{port}/a.xml\"\n\
         [[feed]]\nurl = \"http://127.0.0.1:{port}/b.xml\"\n",
        port = server.port()
    ));
    let log = env.path("refresh.log");
    let log_arg = log.display().to_string();
    // A refresh whose summary names `new` new articles; its log.
    let refresh = |new: usize| {
        let _ = std::fs::remove_file(&log);
        let o = env.run(&["--log-file", &log_arg, "refresh"]);
        let summary = format!("2 ok, 0 failed, {new} new articles");
        assert!(out(&o).contains(&summary), "{}{}", out(&o), err(&o));
        std::fs::read_to_string(&log).unwrap_or_default()
    };
    let unread = || {
        let o = env.run(&["print-unread"]);
        assert!(o.status.success(), "{}", err(&o));
        out(&o).trim().to_string()
    };
    refresh(6);
    // Retention ran at the end of the first refresh too (both feeds fetched, 3 listed each):
    // nothing listed goes.
    assert_eq!(unread(), "6");
    let logged = refresh(1);
    assert!(!logged.contains("cached articles restored"), "{logged}");
    assert!(
        logged.contains("cached articles of feeds with news read") && logged.contains("articles=3"),
        "{logged}"
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 4);
    // a: d, a, b listed, c gone (beyond 2 and no longer listed); b: all 3 kept.
    assert_eq!(unread(), "6");
    let conn = rusqlite::Connection::open(env.path("data/akhbar/cache.sqlite")).unwrap();
    let mut keys: Vec<(String, String)> = conn
        .prepare("SELECT f.url, a.key FROM articles a JOIN feeds f ON f.id = a.feed_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .map(|(u, k): (String, String)| (u.rsplit('/').next().unwrap().to_string(), k))
        .collect();
    keys.sort();
    let want: Vec<(String, String)> = [
        ("a.xml", "a"),
        ("a.xml", "b"),
        ("a.xml", "d"),
        ("b.xml", "a"),
        ("b.xml", "b"),
        ("b.xml", "c"),
    ]
    .iter()
    .map(|(u, k)| (u.to_string(), k.to_string()))
    .collect();
    assert_eq!(keys, want);
}

/// A refresh where every feed answers 304 never reads the cached articles (at 1,000,000 that
/// was seconds and most of a GiB for nothing), and one with news reads the feed's first (the
/// dedupe needs them) and still counts only what is new.
#[test]
fn refresh_reads_the_cache_only_when_an_answer_needs_it() {
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&hits);
    let server = BlockingServer::start(move |req| {
        if req.target != "/feed.xml" {
            return Reply::with_body("404 Not Found", "text/plain", "no");
        }
        match seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 => Reply::ok("application/rss+xml", FEED),
            1 => Reply::empty("304 Not Modified"),
            _ => Reply::ok(
                "application/rss+xml",
                FEED.replace(
                    "<item><guid>a</guid>",
                    "<item><guid>d</guid><title>Fourth</title></item><item><guid>a</guid>",
                ),
            ),
        }
    });
    let env = Env::new();
    env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{}/feed.xml\"\n",
        server.port()
    ));
    let log = env.path("refresh.log");
    let log_arg = log.display().to_string();
    let refresh = |label: &str| {
        let _ = std::fs::remove_file(&log);
        let o = env.run(&["--log-file", &log_arg, "refresh"]);
        assert_eq!(o.status.code(), Some(0), "{label}: {}{}", out(&o), err(&o));
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        let read_any = logged.contains("cached articles restored")
            || logged.contains("cached articles of feeds with news read");
        (out(&o), read_any)
    };
    let (first, _) = refresh("first");
    assert!(first.contains("1 ok, 0 failed, 3 new articles"), "{first}");
    let (unchanged, read_cache) = refresh("304");
    assert!(
        unchanged.contains("1 ok, 0 failed, 0 new articles"),
        "{unchanged}"
    );
    assert!(!read_cache, "a 304 needs no cached article");
    let (news, read_cache) = refresh("news");
    assert!(news.contains("1 ok, 0 failed, 1 new articles"), "{news}");
    assert!(
        read_cache,
        "new items are deduped against the feed's cached articles"
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 3);
    let unread = env.run(&["print-unread"]);
    assert_eq!(out(&unread).trim(), "4", "{}", err(&unread));
}

#[test]
fn vacuum_compacts_the_cache_and_keeps_every_article() {
    let server = serve();
    let port = server.port();
    let env = Env::new();
    env.write_config(&format!(
        "[[feed]]\nurl = \"http://127.0.0.1:{port}/feed.xml\"\n"
    ));
    let none = env.run(&["vacuum"]);
    assert_eq!(none.status.code(), Some(0), "{}", err(&none));
    assert!(out(&none).starts_with("no cache in "), "{}", out(&none));
    let o = env.run(&["refresh"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let o = env.run(&["vacuum"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.starts_with("cache ") && text.contains("cache.sqlite: ") && text.contains(" MiB -> "),
        "{text}"
    );
    let unread = env.run(&["print-unread"]);
    assert_eq!(out(&unread).trim(), "3", "{}", err(&unread));
}
