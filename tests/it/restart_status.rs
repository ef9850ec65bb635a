//! Issue 10 item 4: after a restart the status line said `0/3 feeds ok · 1 failed` although
//! two feeds were fine at the last fetch. Each feed's last outcome comes from the cache until
//! this run fetches it.

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::{akhbar, skip_missing};
use crate::support::tmux::{Tmux, shell_quote};

fn feed(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>http://127.0.0.1/</link>
<item><guid>{title}-1</guid><title>{title} item</title>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>"#
    )
}

#[test]
fn after_a_restart_the_status_line_counts_the_feeds_ok_at_their_last_fetch() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let server = BlockingServer::start(|req| match req.target.as_str() {
        "/a.xml" => Reply::ok("application/rss+xml", feed("Alpha")),
        "/b.xml" => Reply::ok("application/rss+xml", feed("Beta")),
        _ => Reply::empty("404 Not Found"),
    });
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\n\
             [[feed]]\nurl = \"{}\"\n[[feed]]\nurl = \"{}\"\n[[feed]]\nurl = \"{}\"\n",
            server.url("/a.xml"),
            server.url("/b.xml"),
            server.url("/gone.xml")
        ),
    )
    .unwrap();
    let out = akhbar(home.path())
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .arg("refresh")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("404")
            || String::from_utf8_lossy(&out.stdout).contains("404"),
        "the third feed failed: {out:?}"
    );
    drop(server);
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={h} XDG_STATE_HOME={h}/state TERM=xterm-256color PS1='RS-PROMPT$ ' bash --norc --noprofile",
        h = home.path().display()
    );
    let tmux = Tmux::start("restart-status", 110, 20, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("RS-PROMPT$"));
    tmux.send_keys(&[
        &format!(
            "{} --config {} --data-dir {}",
            env!("CARGO_BIN_EXE_akhbar"),
            shell_quote(&config),
            shell_quote(&data)
        ),
        "Enter",
    ]);
    // The start-up message goes after a few seconds; then the summary shows.
    let screen = tmux.wait_for("the summary", |s| s.contains(" feeds ok"));
    assert!(screen.contains("2/3 feeds ok · 1 failed"), "{screen}");
    tmux.send_keys(&["q"]);
}

#[test]
fn a_version_4_cache_gains_fetch_times_and_keeps_its_feeds_articles_and_index() {
    use akhbar::persist::{self, Change, StoredFeed};
    let dir = tempfile::tempdir().unwrap();
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: "https://e.org/f".into(),
            articles: vec![crate::support::builders::article("a")],
        });
        cache.send(Change::FeedMeta(StoredFeed {
            url: "https://e.org/f".into(),
            etag: Some("\"v\"".into()),
            ..StoredFeed::default()
        }));
        cache.index_blocking().unwrap();
    }
    // Back to version 4's shape: no fetch times.
    let conn = rusqlite::Connection::open(dir.path().join(persist::CACHE_FILE)).unwrap();
    conn.execute_batch(
        "ALTER TABLE feeds DROP COLUMN last_fetch_s; ALTER TABLE feeds DROP COLUMN last_fetch_ns;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(loaded.feeds[0].etag.as_deref(), Some("\"v\""));
    assert_eq!(loaded.feeds[0].last_fetch, None);
    // The index was kept, not rebuilt from the start.
    assert_eq!(cache.search("a", 10).unwrap().indexing, None);
    drop(cache);
    let conn = rusqlite::Connection::open(dir.path().join(persist::CACHE_FILE)).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
}
