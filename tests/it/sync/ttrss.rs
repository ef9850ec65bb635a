//! akhbar's TT-RSS client against the real TT-RSS of tests/harness/ttrss.sh.

use std::collections::HashSet;

use akhbar::sync::{
    ArticleId, Mark, RemoteArticle, RemoteFeedId, Secret, Service, Subscribed, SyncErrorKind,
    SyncService, TtRss,
};

use super::env::{self, Server};
use super::feeds;
use super::raw::TtRssRaw;

pub const CATEGORY: &str = "أخبار";

fn server(test: &str) -> Option<Server> {
    env::server("AKHBAR_TTRSS", test)
}

fn client(s: &Server) -> TtRss {
    TtRss::new(
        &s.url,
        &s.user,
        Secret::new(s.password.clone()),
        &env::options(),
    )
    .expect("a client")
}

/// Every article since `since`, checking that no id comes twice.
pub async fn fetch_all(
    c: &impl SyncService,
    since: Option<ArticleId>,
) -> (Vec<RemoteArticle>, akhbar::sync::FetchSummary) {
    let mut all = Vec::new();
    let summary = c
        .articles_since(since, &mut |page| all.extend(page))
        .await
        .expect("articles_since");
    let ids: HashSet<ArticleId> = all.iter().map(|a| a.id).collect();
    assert_eq!(ids.len(), all.len(), "an article came twice");
    assert_eq!(summary.articles, all.len());
    (all, summary)
}

/// A new feed of `count` items on the server, fetched by it; returns (feed id, its url).
pub async fn new_feed(
    s: &Server,
    raw: &TtRssRaw,
    tag: &str,
    count: usize,
    hours: u32,
) -> (RemoteFeedId, String) {
    let name = env::unique(tag);
    let url = feeds::write(
        &s.feed_dir,
        &s.feed_url,
        &name,
        &format!("Feed {name}"),
        &feeds::items(&name, count, hours),
    );
    let cat = raw.category(CATEGORY).await;
    (RemoteFeedId(raw.subscribe(&url, cat).await), url)
}

fn of_feed(all: &[RemoteArticle], feed: RemoteFeedId) -> Vec<&RemoteArticle> {
    all.iter().filter(|a| a.feed == feed).collect()
}

#[tokio::test]
async fn ttrss_first_sync_brings_feeds_categories_and_articles_with_content() {
    let Some(s) = server("ttrss_first_sync") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, url) = new_feed(&s, &raw, "first", 5, 5).await;
    let c = client(&s);
    c.login().await.expect("login");
    assert_eq!(SyncService::service(&c), Service::TtRss);
    let cats = c.categories().await.expect("categories");
    assert!(cats.iter().any(|k| k.title == CATEGORY), "{cats:?}");
    let feeds = c.feeds().await.expect("feeds");
    let f = feeds
        .iter()
        .find(|f| f.id == feed)
        .expect("the new feed is listed");
    assert_eq!(f.url.as_deref(), Some(url.as_str()));
    assert!(f.title.starts_with("Feed first-"), "{}", f.title);
    assert_eq!(
        f.categories
            .iter()
            .map(|k| k.title.as_str())
            .collect::<Vec<_>>(),
        [CATEGORY]
    );
    let (all, summary) = fetch_all(&c, None).await;
    let mine = of_feed(&all, feed);
    assert_eq!(mine.len(), 5);
    let a = mine
        .iter()
        .find(|a| a.title == "خبر 3 news")
        .expect("item 3");
    assert!(
        a.content_html
            .as_deref()
            .is_some_and(|h| h.contains("<b>3</b>")),
        "{:?}",
        a.content_html
    );
    assert!(
        a.link.as_deref().is_some_and(|l| l.ends_with("-3.html")),
        "{:?}",
        a.link
    );
    assert_eq!(
        a.published,
        chrono::DateTime::from_timestamp(1_704_067_200 + 3 * 3600, 0)
    );
    assert!(!a.read && !a.starred);
    assert!(summary.newest >= mine.iter().map(|a| Some(a.id)).max().flatten());
}

#[tokio::test]
async fn ttrss_marking_read_in_akhbar_reads_it_on_the_server_and_back() {
    let Some(s) = server("ttrss_mark_read") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, _) = new_feed(&s, &raw, "mark", 3, 3).await;
    let c = client(&s);
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feed(&all, feed).iter().map(|a| a.id).collect();
    assert_eq!(ids.len(), 3);
    c.mark(&ids[..2], Mark::Read).await.expect("mark read");
    assert_eq!(raw.state(ids[0].0).await, (false, false));
    assert_eq!(raw.state(ids[1].0).await, (false, false));
    assert_eq!(raw.state(ids[2].0).await, (true, false));
    c.mark(&ids[..1], Mark::Unread).await.expect("mark unread");
    assert_eq!(raw.state(ids[0].0).await, (true, false));
}

#[tokio::test]
async fn ttrss_reading_on_the_server_shows_in_the_next_unread_set() {
    let Some(s) = server("ttrss_read_elsewhere") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, _) = new_feed(&s, &raw, "elsewhere", 2, 2).await;
    let c = client(&s);
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feed(&all, feed).iter().map(|a| a.id).collect();
    let before = c.unread_ids().await.expect("unread ids");
    assert!(ids.iter().all(|id| before.contains(id)));
    raw.set(ids[0].0, 2, false).await; // field 2 (unread) off: read on "another device"
    let after = c.unread_ids().await.expect("unread ids");
    assert!(!after.contains(&ids[0]));
    assert!(after.contains(&ids[1]));
}

#[tokio::test]
async fn ttrss_starring_goes_both_ways() {
    let Some(s) = server("ttrss_star") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (feed, _) = new_feed(&s, &raw, "star", 2, 2).await;
    let c = client(&s);
    let (all, _) = fetch_all(&c, None).await;
    let ids: Vec<ArticleId> = of_feed(&all, feed).iter().map(|a| a.id).collect();
    c.mark(&ids[..1], Mark::Starred).await.expect("star");
    assert_eq!(raw.state(ids[0].0).await, (true, true));
    assert!(c.starred_ids().await.expect("starred").contains(&ids[0]));
    raw.set(ids[1].0, 0, true).await; // starred on the server
    raw.set(ids[0].0, 0, false).await; // and the first unstarred there
    let starred = c.starred_ids().await.expect("starred");
    assert!(starred.contains(&ids[1]) && !starred.contains(&ids[0]));
    c.mark(&ids[1..], Mark::Unstarred).await.expect("unstar");
    assert_eq!(raw.state(ids[1].0).await, (true, false));
    let by_id = c.articles_by_ids(&ids).await.expect("by ids");
    assert_eq!(by_id.len(), 2);
    assert!(by_id.iter().all(|a| !a.starred && a.content_html.is_some()));
}

#[tokio::test]
async fn ttrss_two_thousand_articles_page_without_loss_or_duplicates() {
    let Some(s) = server("ttrss_2000") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    // Ten distinct dates for 2,000 items: long runs of equal sort keys across page edges.
    let (feed, _) = new_feed(&s, &raw, "big", 2000, 10).await;
    let c = client(&s);
    let (all, summary) = fetch_all(&c, None).await;
    let mine = of_feed(&all, feed);
    assert_eq!(mine.len(), 2000);
    let titles: HashSet<&str> = mine.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles.len(), 2000);
    assert!(summary.requests >= 10, "{summary:?}");
    let unread = c.unread_ids().await.expect("unread ids");
    assert!(mine.iter().all(|a| unread.contains(&a.id)));
    // Nothing new since the newest: an empty answer.
    let (again, _) = fetch_all(&c, summary.newest).await;
    assert!(of_feed(&again, feed).is_empty());
}

#[tokio::test]
async fn ttrss_refresh_brings_a_new_item_and_subscribing_again_says_so() {
    let Some(s) = server("ttrss_refresh") else {
        return;
    };
    let name = env::unique("refresh");
    let mut items = feeds::items(&name, 1, 1);
    let url = feeds::write(&s.feed_dir, &s.feed_url, &name, "Refresh", &items);
    let c = client(&s);
    let feed = match c.subscribe(&url, None).await.expect("subscribe") {
        Subscribed::New(id) => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        c.subscribe(&url, None).await.expect("again"),
        Subscribed::Already(feed)
    );
    c.refresh_feed(feed).await.expect("refresh");
    let (all, summary) = fetch_all(&c, None).await;
    assert_eq!(of_feed(&all, feed).len(), 1);
    items.extend(feeds::items(&format!("{name}-b"), 1, 1));
    feeds::write(&s.feed_dir, &s.feed_url, &name, "Refresh", &items);
    c.refresh_feed(feed).await.expect("refresh");
    let (new, _) = fetch_all(&c, summary.newest).await;
    let new = of_feed(&new, feed);
    assert_eq!(new.len(), 1);
    assert!(new[0].guid.is_some());
}

#[tokio::test]
async fn ttrss_subscribing_to_a_missing_feed_is_a_clear_error() {
    let Some(s) = server("ttrss_subscribe_missing") else {
        return;
    };
    let c = client(&s);
    let url = format!("{}{}.xml", s.feed_url, env::unique("missing"));
    let e = c.subscribe(&url, None).await.expect_err("nothing there");
    assert!(matches!(e.kind, SyncErrorKind::Subscribe(_)), "{e}");
    assert!(
        e.to_string().starts_with("TT-RSS: subscribing failed: "),
        "{e}"
    );
}

#[tokio::test]
async fn ttrss_wrong_password_is_reported_as_such() {
    let Some(s) = server("ttrss_wrong_password") else {
        return;
    };
    let c = TtRss::new(
        &s.url,
        &s.user,
        Secret::new("not-the-password"),
        &env::options(),
    )
    .expect("a client");
    let e = c.login().await.expect_err("refused");
    assert_eq!(e.kind, SyncErrorKind::WrongPassword);
    let e = c.unread_ids().await.expect_err("refused");
    assert_eq!(e.to_string(), "TT-RSS: wrong user name or password");
}

#[tokio::test]
async fn ttrss_api_disabled_for_the_user_is_reported_as_such() {
    let Some(s) = server("ttrss_api_disabled") else {
        return;
    };
    let (Ok(user), Ok(password)) = (
        std::env::var("AKHBAR_TTRSS_NOAPI_USER"),
        std::env::var("AKHBAR_TTRSS_NOAPI_PASSWORD"),
    ) else {
        panic!("the harness prints AKHBAR_TTRSS_NOAPI_USER/PASSWORD with the others");
    };
    let c = TtRss::new(&s.url, &user, Secret::new(password), &env::options()).expect("a client");
    let e = c.login().await.expect_err("API disabled");
    assert_eq!(e.kind, SyncErrorKind::ApiDisabled);
    assert!(e.to_string().contains("API access is disabled"), "{e}");
}

#[tokio::test]
async fn ttrss_a_session_the_server_dropped_is_opened_again() {
    let Some(s) = server("ttrss_session") else {
        return;
    };
    let c = client(&s);
    c.login().await.expect("login");
    c.unread_ids().await.expect("works with the session");
    let dir = std::env::var("AKHBAR_TTRSS_HARNESS_DIR").expect("the harness's directory");
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/ttrss.sh");
    let out = std::process::Command::new("bash")
        .args([harness, "expire-sessions", &dir])
        .output()
        .expect("run the harness");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    c.categories().await.expect("logs in again by itself");
}

#[tokio::test]
async fn ttrss_client_at_a_fever_endpoint_or_a_plain_page_says_it_is_not_ttrss() {
    let Some(s) = server("ttrss_not_an_endpoint") else {
        return;
    };
    // The feed server answers 404 pages for /api/.
    let c = TtRss::new(&s.feed_url, "u", Secret::new("p"), &env::options()).expect("a client");
    let e = c.login().await.expect_err("not TT-RSS");
    assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    if let Some(f) = super::fever::server_quiet() {
        let c = TtRss::new(&f.url, "u", Secret::new("p"), &env::options()).expect("a client");
        let e = c.login().await.expect_err("coldsweat is not TT-RSS");
        assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    }
}
