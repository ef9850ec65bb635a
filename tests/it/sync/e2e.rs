//! End to end through the real binary (issue 13): `akhbar refresh` with `[sync]` against the
//! harness's TT-RSS and coldsweat, another device played by the raw API clients, the
//! offline case by a forwarder on 127.0.0.1 this test stops and starts again, and failures
//! by tiny servers of its own.

use std::path::PathBuf;
use std::process::Output;

use akhbar::persist::{MarkKind, SyncQueue};
use akhbar::sync::{Fever, RemoteFeedId, Secret};
use tokio::net::TcpListener;

use super::env::{self, Server};
use super::raw::TtRssRaw;
use crate::support::process::akhbar;

/// A home, a data directory and a config with `[sync]`.
pub(super) struct Setup {
    pub(super) home: tempfile::TempDir,
    pub(super) config: PathBuf,
}

impl Setup {
    pub(super) fn new(service: &str, url: &str, user: &str, password: &str) -> Setup {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[sync]\nservice = \"{service}\"\nurl = \"{url}\"\nusername = \"{user}\"\npassword = \"{password}\"\n"
            ),
        )
        .unwrap();
        Setup { home, config }
    }

    pub(super) fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// `akhbar refresh`, off the test's runtime (a forwarder may run on it).
    pub(super) async fn refresh(&self) -> (bool, String) {
        let mut cmd = akhbar(self.home.path());
        cmd.arg("-c")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(self.data())
            .arg("refresh");
        let out: Output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    pub(super) fn account(&self) -> String {
        let c = akhbar::config::Config::load(&self.config).unwrap();
        akhbar::runtime::sync::account_key(c.sync.as_ref().unwrap())
    }

    /// Changes as the app queues them (the TUI's `N` and `s` on synced articles).
    fn queue(&self, marks: &[(u64, MarkKind, bool)]) {
        let mut q = SyncQueue::open(&self.data(), &self.account()).unwrap();
        q.push(marks).unwrap();
    }

    pub(super) fn waiting(&self) -> usize {
        SyncQueue::open(&self.data(), &self.account())
            .unwrap()
            .len()
            .unwrap()
    }

    /// (read, starred) of the server's article `id` in akhbar's cache.
    pub(super) fn state(&self, id: u64) -> Option<(bool, bool)> {
        let conn = rusqlite::Connection::open(self.data().join("cache.sqlite")).unwrap();
        conn.query_row(
            "SELECT a.read, a.starred FROM articles a JOIN feeds f ON f.id = a.feed_id
             WHERE f.url LIKE 'sync:%' AND a.key = ?1",
            [format!("sync:{id}")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()
    }

    /// The server ids of a feed's articles in akhbar's cache.
    pub(super) fn articles_of(&self, feed: RemoteFeedId) -> Vec<u64> {
        let conn = rusqlite::Connection::open(self.data().join("cache.sqlite")).unwrap();
        let mut st = conn
            .prepare(
                "SELECT a.key FROM articles a JOIN feeds f ON f.id = a.feed_id
                 WHERE f.url LIKE ?1 ORDER BY a.key",
            )
            .unwrap();
        let keys: Vec<String> = st
            .query_map([format!("sync:%/feed/{}", feed.0)], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        keys.iter()
            .map(|k| k.strip_prefix("sync:").unwrap().parse().unwrap())
            .collect()
    }
}

/// A TCP forwarder to `target` on a port of its own that can stop (nobody listens: the
/// server is unreachable) and start again on the same port.
pub(super) struct Forwarder {
    pub(super) port: u16,
    target: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Forwarder {
    pub(super) async fn start(target: &str) -> Forwarder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut f = Forwarder {
            port,
            target: target.to_string(),
            task: None,
        };
        f.serve(listener);
        f
    }

    fn serve(&mut self, listener: TcpListener) {
        let target = self.target.clone();
        self.task = Some(tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
            }
        }));
    }

    pub(super) fn stop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    pub(super) async fn resume(&mut self) {
        // The aborted task's listener is closed once the task is dropped.
        for _ in 0..100 {
            if let Ok(l) = TcpListener::bind(("127.0.0.1", self.port)).await {
                self.serve(l);
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("port {} not free again", self.port);
    }
}

pub(super) fn host_port(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    format!(
        "{}:{}",
        u.host_str().unwrap(),
        u.port_or_known_default().unwrap()
    )
}

pub(super) fn ttrss(test: &str) -> Option<Server> {
    env::server("AKHBAR_TTRSS", test)
}

fn fever(test: &str) -> Option<Server> {
    env::server("AKHBAR_FEVER", test)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ttrss_first_sync_then_changes_both_ways_through_akhbar_refresh() {
    let Some(s) = ttrss("ttrss_e2e_both_ways") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, _) = super::ttrss::new_feed(&s, &raw, "e2e", 3, 3).await;
    let setup = Setup::new("ttrss", &s.url, &s.user, &s.password);
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert!(out.contains("sync with 127.0.0.1"), "{out}");
    let ids = setup.articles_of(feed);
    assert_eq!(ids.len(), 3, "{out}");
    for &id in &ids {
        assert_eq!(setup.state(id), Some((false, false)));
    }
    // Another device reads one and stars another.
    raw.set(ids[0], 2, false).await;
    raw.set(ids[1], 0, true).await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert_eq!(setup.state(ids[0]), Some((true, false)));
    assert_eq!(setup.state(ids[1]), Some((false, true)));
    // ... then marks it unread again and unstars: that arrives too.
    raw.set(ids[0], 2, true).await;
    raw.set(ids[1], 0, false).await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert_eq!(setup.state(ids[0]), Some((false, false)));
    assert_eq!(setup.state(ids[1]), Some((false, false)));
    // Changes made in akhbar go to the server, and leave the queue.
    setup.queue(&[
        (ids[2], MarkKind::Read, true),
        (ids[2], MarkKind::Starred, true),
    ]);
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert!(out.contains("2 changes sent"), "{out}");
    assert_eq!(raw.state(ids[2]).await, (false, true));
    assert_eq!(setup.state(ids[2]), Some((true, true)));
    assert_eq!(setup.waiting(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ttrss_changes_made_offline_wait_across_restarts_and_go_when_the_server_answers() {
    let Some(s) = ttrss("ttrss_e2e_offline") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, _) = super::ttrss::new_feed(&s, &raw, "offline", 2, 2).await;
    let mut fwd = Forwarder::start(&host_port(&s.url)).await;
    let url = format!("http://127.0.0.1:{}/", fwd.port);
    let setup = Setup::new("ttrss", &url, &s.user, &s.password);
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    let ids = setup.articles_of(feed);
    assert_eq!(ids.len(), 2, "{out}");
    fwd.stop();
    setup.queue(&[
        (ids[0], MarkKind::Read, true),
        (ids[1], MarkKind::Starred, true),
    ]);
    let (ok, out) = setup.refresh().await;
    assert!(!ok, "{out}");
    assert!(out.contains("could not connect"), "{out}");
    let waiting = format!("2 changes waiting for 127.0.0.1:{}", fwd.port);
    assert!(out.contains(&waiting), "{out}");
    // akhbar restarted, still offline: nothing lost, nothing sent.
    let (ok, out) = setup.refresh().await;
    assert!(!ok && out.contains(&waiting), "{out}");
    assert_eq!(raw.state(ids[0]).await, (true, false));
    // The server answers again: the queue drains, once.
    fwd.resume().await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert!(out.contains("2 changes sent"), "{out}");
    assert_eq!(setup.waiting(), 0);
    assert_eq!(raw.state(ids[0]).await, (false, false));
    assert_eq!(raw.state(ids[1]).await, (true, true));
    // The local change is not undone by the reconcile that followed it.
    assert_eq!(setup.state(ids[0]), Some((true, false)));
    let (ok, out) = setup.refresh().await;
    assert!(ok && out.contains("0 changes sent"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fever_first_sync_then_changes_both_ways_through_akhbar_refresh() {
    let Some(s) = fever("fever_e2e_both_ways") else {
        return;
    };
    let urls = super::fever::new_feeds(&s, "e2e", 1, 3, "Tech");
    let c = Fever::new(
        &s.url,
        &s.user,
        &Secret::new(s.password.clone()),
        &env::options(),
    )
    .unwrap();
    let feed = super::fever::feed_ids(&c, &urls).await[0];
    let raw = super::fever::raw(&s);
    let setup = Setup::new("fever", &s.url, &s.user, &s.password);
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    let ids = setup.articles_of(feed);
    assert_eq!(ids.len(), 3, "{out}");
    assert_eq!(setup.state(ids[0]), Some((false, false)));
    raw.mark(ids[0], "read").await;
    raw.mark(ids[1], "saved").await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert_eq!(setup.state(ids[0]), Some((true, false)));
    assert_eq!(setup.state(ids[1]), Some((false, true)));
    raw.mark(ids[0], "unread").await;
    raw.mark(ids[1], "unsaved").await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert_eq!(setup.state(ids[0]), Some((false, false)));
    assert_eq!(setup.state(ids[1]), Some((false, false)));
    setup.queue(&[
        (ids[2], MarkKind::Read, true),
        (ids[2], MarkKind::Starred, true),
    ]);
    let (ok, out) = setup.refresh().await;
    assert!(ok && out.contains("2 changes sent"), "{out}");
    assert_eq!(raw.state(ids[2]).await, (true, true));
    assert_eq!(setup.waiting(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_said_plainly_and_never_shown() {
    for (service, s) in [
        ("ttrss", ttrss("wrong_password_ttrss")),
        ("fever", fever("wrong_password_fever")),
    ] {
        let Some(s) = s else {
            continue;
        };
        let setup = Setup::new(service, &s.url, &s.user, "not-the-password-x7");
        let (ok, out) = setup.refresh().await;
        assert!(!ok, "{out}");
        assert!(out.contains("wrong user name or password"), "{out}");
        assert!(!out.contains("not-the-password-x7"), "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_500_page_is_a_server_error_in_the_summary() {
    use axum::Router;
    use axum::http::StatusCode;
    use axum::response::Html;
    let router = Router::new().fallback(|| async {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html("<html><body><h1>Internal Server Error</h1></body></html>"),
        )
    });
    let base = crate::support::http::serve(router).await;
    for service in ["ttrss", "fever"] {
        let setup = Setup::new(service, &format!("{base}/"), "me", "secret-pw-9");
        let (ok, out) = setup.refresh().await;
        assert!(!ok, "{out}");
        assert!(out.contains("server error: HTTP 500"), "{out}");
        assert!(out.contains("Internal Server Error"), "{out}");
        assert!(!out.contains("secret-pw-9"), "{out}");
    }
}

impl Setup {
    async fn add(&self, url: &str) -> (bool, String) {
        let mut cmd = akhbar(self.home.path());
        cmd.arg("-c").arg(&self.config).arg("add").arg(url);
        let out: Output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn akhbar_add_subscribes_on_ttrss_and_fever_says_it_cannot() {
    if let Some(s) = ttrss("ttrss_e2e_add") {
        let name = env::unique("added");
        let url = super::feeds::write(
            &s.feed_dir,
            &s.feed_url,
            &name,
            &format!("Feed {name}"),
            &super::feeds::items(&name, 2, 2),
        );
        let setup = Setup::new("ttrss", &s.url, &s.user, &s.password);
        let (ok, out) = setup.add(&url).await;
        assert!(ok, "{out}");
        assert!(out.contains("subscribed to"), "{out}");
        let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
        let feeds = raw
            .call("getFeeds", serde_json::json!({"cat_id": -3}))
            .await;
        assert!(
            feeds
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["feed_url"] == url.as_str()),
            "{feeds}"
        );
        // The config is left as it was: the server holds the subscription.
        assert!(
            !std::fs::read_to_string(&setup.config)
                .unwrap()
                .contains("[[feed]]")
        );
        let (ok, out) = setup.add(&url).await;
        assert!(ok && out.contains("already a subscription"), "{out}");
    }
    if let Some(s) = fever("fever_e2e_add") {
        let setup = Setup::new("fever", &s.url, &s.user, &s.password);
        let (ok, out) = setup.add("http://127.0.0.1:9/feed.xml").await;
        assert!(!ok, "{out}");
        assert!(out.contains("cannot subscribe"), "{out}");
    }
}
