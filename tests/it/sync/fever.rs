//! akhbar's Fever client against the real coldsweat of tests/harness/fever.sh, which returns
//! items in no defined order (its queries have no ORDER BY).

use std::collections::HashSet;
use std::sync::Mutex;

use akhbar::sync::{
    ArticleId, Fever, Mark, RemoteArticle, RemoteFeedId, Secret, Service, SyncErrorKind,
    SyncService, fever_api_key,
};

use super::env::{self, Server};
use super::feeds;
use super::raw::FeverRaw;
use super::ttrss::fetch_all;

pub fn server_quiet() -> Option<Server> {
    std::env::var("AKHBAR_FEVER_URL")
        .ok()
        .and_then(|_| env::server("AKHBAR_FEVER", "fever"))
}

fn server(test: &str) -> Option<Server> {
    env::server("AKHBAR_FEVER", test)
}

fn client(s: &Server) -> Fever {
    Fever::new(
        &s.url,
        &s.user,
        &Secret::new(s.password.clone()),
        &env::options(),
    )
    .expect("a client")
}

/// The api_key computed here, not by akhbar: md5 by the system's `md5sum`.
pub fn raw(s: &Server) -> FeverRaw {
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            "printf '%s' \"$1\" | md5sum",
            "sh",
            &format!("{}:{}", s.user, s.password),
        ])
        .output()
        .expect("md5sum");
    let key = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    FeverRaw::new(&s.url, &key)
}

/// coldsweat's database is SQLite: one administration at a time.
static HARNESS: Mutex<()> = Mutex::new(());

/// Subscribes the user to new feeds through the harness (the API cannot) and fetches them.
fn subscribe(group: &str, urls: &[String]) {
    let _one = HARNESS.lock().unwrap_or_else(|e| e.into_inner());
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/fever.sh");
    let out = std::process::Command::new("bash")
        .arg(harness)
        .arg("subscribe")
        .arg(group)
        .args(urls)
        .output()
        .expect("run the harness");
    assert!(
        out.status.success(),
        "fever.sh subscribe: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn new_feeds(s: &Server, tag: &str, feeds_n: usize, items: usize, group: &str) -> Vec<String> {
    let urls: Vec<String> = (0..feeds_n)
        .map(|_| {
            let name = env::unique(tag);
            feeds::write(
                &s.feed_dir,
                &s.feed_url,
                &name,
                &format!("Feed {name}"),
                &feeds::items(&name, items, 24),
            )
        })
        .collect();
    subscribe(group, &urls);
    urls
}

pub async fn feed_ids(c: &Fever, urls: &[String]) -> Vec<RemoteFeedId> {
    let feeds = c.feeds().await.expect("feeds");
    urls.iter()
        .map(|u| {
            feeds
                .iter()
                .find(|f| f.url.as_deref() == Some(u))
                .map(|f| f.id)
                .expect("the feed is listed")
        })
        .collect()
}

fn of_feeds<'a>(all: &'a [RemoteArticle], feeds: &[RemoteFeedId]) -> Vec<&'a RemoteArticle> {
    all.iter().filter(|a| feeds.contains(&a.feed)).collect()
}

#[tokio::test]
async fn fever_first_sync_brings_feeds_groups_and_articles_with_content() {
    let Some(s) = server("fever_first_sync") else {
        return;
    };
    let urls = new_feeds(&s, "ffirst", 1, 4, "Tech");
    let c = client(&s);
    c.login().await.expect("login");
    assert_eq!(SyncService::service(&c), Service::Fever);
    assert!(
        c.categories()
            .await
            .expect("groups")
            .iter()
            .any(|g| g.title == "Tech")
    );
    let feeds = c.feeds().await.expect("feeds");
    let f = feeds
        .iter()
        .find(|f| f.url.as_deref() == Some(&urls[0]))
        .expect("listed");
    assert_eq!(
        f.categories
            .iter()
            .map(|g| g.title.as_str())
            .collect::<Vec<_>>(),
        ["Tech"]
    );
    assert!(
        f.site_url.as_deref().is_some_and(|u| u.ends_with('/')),
        "{:?}",
        f.site_url
    );
    let (all, _) = fetch_all(&c, None).await;
    let mine = of_feeds(&all, &[f.id]);
    assert_eq!(mine.len(), 4);
    let a = mine
        .iter()
        .find(|a| a.title == "خبر 2 news")
        .expect("item 2");
    assert!(
        a.content_html
            .as_deref()
            .is_some_and(|h| h.contains("<b>2</b>")),
        "{:?}",
        a.content_html
    );
    assert_eq!(a.author.as_deref(), Some("Test"));
    assert!(a.published.is_some() && !a.read && !a.starred);
}

#[tokio::test]
async fn fever_marking_read_in_akhbar_reads_it_on_the_server_and_back() {
    let Some(s) = server("fever_mark_read") else {
        return;
    };
    let urls = new_feeds(&s, "fmark", 1, 3, "");
    let c = client(&s);
    let feed = feed_ids(&c, &urls).await;
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feeds(&all, &feed).iter().map(|a| a.id).collect();
    let raw = raw(&s);
    c.mark(&ids[..2], Mark::Read).await.expect("mark read");
    assert_eq!(raw.state(ids[0].0).await, (true, false));
    assert_eq!(raw.state(ids[1].0).await, (true, false));
    assert_eq!(raw.state(ids[2].0).await, (false, false));
    c.mark(&ids[..1], Mark::Unread).await.expect("mark unread");
    assert_eq!(raw.state(ids[0].0).await, (false, false));
}

#[tokio::test]
async fn fever_reading_on_the_server_shows_in_the_next_unread_set() {
    let Some(s) = server("fever_read_elsewhere") else {
        return;
    };
    let urls = new_feeds(&s, "felse", 1, 2, "");
    let c = client(&s);
    let feed = feed_ids(&c, &urls).await;
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feeds(&all, &feed).iter().map(|a| a.id).collect();
    let before = c.unread_ids().await.expect("unread ids");
    assert!(ids.iter().all(|id| before.contains(id)));
    raw(&s).mark(ids[0].0, "read").await;
    let after = c.unread_ids().await.expect("unread ids");
    assert!(!after.contains(&ids[0]) && after.contains(&ids[1]));
}

#[tokio::test]
async fn fever_starring_goes_both_ways() {
    let Some(s) = server("fever_star") else {
        return;
    };
    let urls = new_feeds(&s, "fstar", 1, 2, "");
    let c = client(&s);
    let feed = feed_ids(&c, &urls).await;
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feeds(&all, &feed).iter().map(|a| a.id).collect();
    let raw = raw(&s);
    c.mark(&ids[..1], Mark::Starred).await.expect("save");
    assert_eq!(raw.state(ids[0].0).await, (false, true));
    raw.mark(ids[1].0, "saved").await;
    raw.mark(ids[0].0, "unsaved").await;
    let starred = c.starred_ids().await.expect("saved ids");
    assert!(starred.contains(&ids[1]) && !starred.contains(&ids[0]));
    c.mark(&ids[1..], Mark::Unstarred).await.expect("unsave");
    assert_eq!(raw.state(ids[1].0).await, (false, false));
    let by_id = c.articles_by_ids(&ids).await.expect("by ids");
    assert_eq!(
        by_id.iter().map(|a| a.id).collect::<HashSet<_>>(),
        ids.iter().copied().collect()
    );
}

#[tokio::test]
async fn fever_two_thousand_articles_in_any_order_are_all_fetched_once() {
    let Some(s) = server("fever_2000") else {
        return;
    };
    // Four feeds of 500: coldsweat answers them grouped by feed, not by id, so paging by
    // since_id alone would skip most of them.
    let urls = new_feeds(&s, "fbig", 4, 500, "");
    let c = client(&s);
    let feeds = feed_ids(&c, &urls).await;
    let (all, summary) = fetch_all(&c, None).await;
    let mine = of_feeds(&all, &feeds);
    assert_eq!(mine.len(), 2000, "{summary:?}");
    let titles: HashSet<(RemoteFeedId, &str)> =
        mine.iter().map(|a| (a.feed, a.title.as_str())).collect();
    assert_eq!(titles.len(), 2000);
    let unread = c.unread_ids().await.expect("unread ids");
    assert!(mine.iter().all(|a| unread.contains(&a.id)));
    let (again, _) = fetch_all(&c, summary.newest).await;
    assert!(of_feeds(&again, &feeds).is_empty());
}

#[tokio::test]
async fn fever_wrong_password_is_reported_as_such() {
    let Some(s) = server("fever_wrong_password") else {
        return;
    };
    let c = Fever::new(
        &s.url,
        &s.user,
        &Secret::new("not-the-password"),
        &env::options(),
    )
    .expect("a client");
    let e = c.login().await.expect_err("refused");
    assert_eq!(e.kind, SyncErrorKind::WrongPassword);
    assert_eq!(e.to_string(), "Fever: wrong user name or password");
    assert_ne!(
        fever_api_key(&s.user, &Secret::new("not-the-password")).expose(),
        fever_api_key(&s.user, &Secret::new(s.password.clone())).expose()
    );
}

#[tokio::test]
async fn fever_cannot_refresh_or_subscribe_and_says_so() {
    let Some(s) = server("fever_unsupported") else {
        return;
    };
    let c = client(&s);
    let e = c
        .refresh_feed(RemoteFeedId(1))
        .await
        .expect_err("no such call");
    assert_eq!(
        e.to_string(),
        "Fever: the API cannot refresh one feed: Fever servers refresh feeds on their own schedule"
    );
    let e = c
        .subscribe("http://127.0.0.1:1/x.xml", None)
        .await
        .expect_err("no such call");
    assert!(matches!(e.kind, SyncErrorKind::Unsupported(_)), "{e}");
}

#[tokio::test]
async fn fever_client_at_a_ttrss_endpoint_or_a_plain_page_says_it_is_not_fever() {
    let Some(s) = server("fever_not_an_endpoint") else {
        return;
    };
    let root = s
        .url
        .trim_end_matches('/')
        .trim_end_matches("fever")
        .to_string()
        + "nothing-here";
    let c = Fever::new(&root, "u", &Secret::new("p"), &env::options()).expect("a client");
    let e = c.login().await.expect_err("a 404 page");
    assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    if let Ok(t) = std::env::var("AKHBAR_TTRSS_URL") {
        let c = Fever::new(
            &format!("{}api/", t),
            "u",
            &Secret::new("p"),
            &env::options(),
        )
        .expect("a client");
        let e = c.login().await.expect_err("TT-RSS is not Fever");
        assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    }
}
