//! Unit tests of the store: dedupe, order, counts, restores and body moves.

use super::*;
use crate::model::{Article, ArticleFields, Direction, ParsedFeed, ParsedItem};
use chrono::TimeZone;

fn item(guid: Option<&str>, link: Option<&str>, title: &str, day: Option<u32>) -> ParsedItem {
    ParsedItem {
        guid: guid.map(str::to_string),
        link: link.map(str::to_string),
        title: title.to_string(),
        published: day.map(|d| Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap()),
        ..Default::default()
    }
}

fn feed_of(items: Vec<ParsedItem>) -> ParsedFeed {
    ParsedFeed {
        title: Some("Feed".into()),
        items,
        ..Default::default()
    }
}

fn titles(s: &Store) -> Vec<String> {
    s.order()
        .iter()
        .map(|&id| s.article(id).unwrap().title().to_owned())
        .collect()
}

#[test]
fn items_are_deduplicated_by_guid_then_link_then_content() {
    let mut s = Store::new();
    let f = s.add_feed("http://x/feed", None, vec![], Direction::Auto);
    let now = Utc::now();
    let items = vec![
        item(Some("g1"), Some("http://x/1"), "one", Some(1)),
        item(None, Some("http://x/2"), "two", Some(2)),
        item(None, None, "three", Some(3)),
    ];
    assert_eq!(s.ingest(f, feed_of(items.clone()), now).new_articles, 3);
    let mut again = items;
    again[0].link = Some("http://x/changed".into());
    assert_eq!(s.ingest(f, feed_of(again), now).new_articles, 0);
    assert_eq!(s.article_count(), 3);
    assert_eq!(s.counts(f).unread, 3);
}

#[test]
fn articles_are_ordered_newest_first_across_feeds() {
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let b = s.add_feed("http://b/", None, vec![], Direction::Auto);
    let now = Utc::now();
    s.ingest(
        a,
        feed_of(vec![
            item(Some("1"), None, "a1", Some(1)),
            item(Some("3"), None, "a3", Some(3)),
        ]),
        now,
    );
    s.ingest(
        b,
        feed_of(vec![
            item(Some("2"), None, "b2", Some(2)),
            item(Some("4"), None, "b4", Some(4)),
        ]),
        now,
    );
    assert_eq!(titles(&s), ["b4", "a3", "b2", "a1"]);
}

#[test]
fn order_stays_newest_first_when_many_feeds_interleave() {
    // Guards the binary-search merge: feeds with overlapping, repeated and missing dates
    // must give the same order as sorting everything at once.
    let mut s = Store::new();
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
    for f in 0..40u32 {
        let feed = s.add_feed(&format!("http://f{f}/"), None, vec![], Direction::Auto);
        let items = (0..12u32)
            .map(|k| {
                let day = (f * 7 + k * 5) % 29;
                let guid = format!("{f}-{k}");
                item(Some(&guid), None, &guid, (day != 0).then_some(day))
            })
            .collect();
        s.ingest(feed, feed_of(items), now);
    }
    let mut expected: Vec<ArticleId> = s.order().to_vec();
    expected.sort_by(|a, b| {
        let (x, y) = (s.article(*a).unwrap(), s.article(*b).unwrap());
        sort_time(y).cmp(&sort_time(x)).then(a.0.cmp(&b.0))
    });
    assert_eq!(s.order().len(), 40 * 12);
    assert_eq!(s.order(), expected.as_slice());
}

#[test]
fn restored_articles_count_as_listed_until_their_feed_is_fetched() {
    // Quitting before a feed was fetched (offline, or at once) sent a retention with an
    // empty list for it, and every cached article older than keep_days was deleted. Until a
    // feed is fetched, what it lists is unknown: retention is told to keep all of it.
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let b = s.add_feed("http://b/", None, vec![], Direction::Auto);
    let now = Utc.with_ymd_and_hms(2026, 11, 10, 0, 0, 0).unwrap();
    let cached = |feed, key: &str| Article::bare(feed, key, key, now);
    s.restore(vec![cached(a, "a1"), cached(a, "a2"), cached(b, "b1")]);
    assert_eq!(s.listed_keys(a), None);
    assert_eq!(s.listed_keys(b), None);
    s.ingest(
        a,
        feed_of(vec![item(Some("a3"), None, "new", Some(1))]),
        now,
    );
    assert_eq!(s.listed_keys(a).as_deref(), Some(&["a3".to_string()][..]));
    assert_eq!(s.listed_keys(b), None);
    // A fetch that lists nothing is known to list nothing (not "unknown").
    s.ingest(b, feed_of(vec![]), now);
    assert_eq!(s.listed_keys(b).as_deref(), Some(&[][..]));
}

#[test]
fn undated_items_keep_feed_order_at_first_seen_time() {
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let now = Utc.with_ymd_and_hms(2026, 11, 10, 0, 0, 0).unwrap();
    s.ingest(
        a,
        feed_of(vec![
            item(Some("x"), None, "first", None),
            item(Some("y"), None, "second", None),
            item(Some("old"), None, "dated", Some(1)),
        ]),
        now,
    );
    assert_eq!(titles(&s), ["first", "second", "dated"]);
}

#[test]
fn read_state_survives_a_refetch_and_counts_follow() {
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let now = Utc::now();
    s.ingest(a, feed_of(vec![item(Some("1"), None, "t", Some(1))]), now);
    let id = s.order()[0];
    assert!(s.set_read(id, true));
    assert!(!s.set_read(id, true));
    assert_eq!(s.counts(a).unread, 0);
    s.ingest(
        a,
        feed_of(vec![item(Some("1"), None, "t (updated)", Some(1))]),
        now,
    );
    assert!(s.article(id).unwrap().read);
    assert_eq!(s.article(id).unwrap().title(), "t (updated)");
    assert_eq!(s.unread_count(), 0);
}

#[test]
fn feed_title_names_the_feed_unless_the_config_did() {
    let mut s = Store::new();
    let a = s.add_feed("http://a.example/rss", None, vec![], Direction::Auto);
    let b = s.add_feed(
        "http://b.example/rss",
        Some("Mine"),
        vec![],
        Direction::Auto,
    );
    assert_eq!(s.feed(a).unwrap().name, "a.example/rss");
    s.ingest(a, feed_of(vec![]), Utc::now());
    s.ingest(b, feed_of(vec![]), Utc::now());
    assert_eq!(s.feed(a).unwrap().name, "Feed");
    assert_eq!(s.feed(b).unwrap().name, "Mine");
}

#[test]
fn a_restored_article_without_bodies_is_not_changed_by_a_refetch() {
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let mut it = item(Some("1"), None, "t", Some(1));
    it.content_html = Some("<p>body</p>".into());
    s.restore(vec![Article::from(ArticleFields {
        feed: a,
        key: "1".into(),
        title: "t".into(),
        link: None,
        author: None,
        categories: vec![],
        published: it.published,
        first_seen: Utc::now(),
        summary_html: None,
        content_html: None,
        language: None,
        read: true,
        starred: false,
        enclosures: Vec::new(),
    })]);
    let report = s.ingest(a, feed_of(vec![it.clone()]), Utc::now());
    assert_eq!((report.new_articles, report.updated), (0, 0));
    assert!(report.changed.is_empty());
    assert_eq!(report.filled.len(), 1);
    assert_eq!(
        s.article(report.filled[0]).unwrap().content_html(),
        Some("<p>body</p>")
    );
    it.title = "t2".into();
    assert_eq!(
        s.ingest(a, feed_of(vec![it]), Utc::now()).updated,
        1,
        "a new title is a change"
    );
}

#[test]
fn content_hash_key_is_stable() {
    let i = item(None, None, "same", None);
    assert_eq!(article_key(&i), article_key(&i.clone()));
    assert!(article_key(&i).starts_with("hash:"));
    assert_ne!(
        article_key(&i),
        article_key(&item(None, None, "other", None))
    );
}

#[test]
fn an_edited_body_is_still_noticed_after_the_bodies_moved_to_the_cache() {
    let mut store = Store::new();
    let f = store.add_feed("https://e.org/f", None, vec![], Direction::Auto);
    let with_body = |body: &str| {
        let mut i = item(Some("g"), None, "same title", Some(3));
        i.content_html = Some(body.to_string());
        ParsedFeed {
            items: vec![i],
            ..Default::default()
        }
    };
    let now = Utc::now();
    let first = store.ingest(f, with_body("<p>one</p>"), now);
    let id = first.changed[0];
    assert_eq!(store.take_bodies(id).1.as_deref(), Some("<p>one</p>"));
    // The same body again: only filled in, not an update.
    let again = store.ingest(f, with_body("<p>one</p>"), now);
    assert_eq!((again.updated, again.filled.clone()), (0, vec![id]));
    store.take_bodies(id);
    // An edited body under the same title is an update.
    let edited = store.ingest(f, with_body("<p>two</p>"), now);
    assert_eq!((edited.updated, edited.changed.clone()), (1, vec![id]));
    // Without hashes (a one-shot refresh), bodies moved out are unknown: filled.
    store.take_bodies(id);
    store.forget_taken_bodies();
    let unknown = store.ingest(f, with_body("<p>three</p>"), now);
    assert_eq!((unknown.updated, unknown.filled), (0, vec![id]));
}

#[test]
fn a_future_date_orders_by_the_time_first_seen_and_keeps_its_date_for_display() {
    // Issue 10 item 7: a future-dated item sorted to the top as `01 Dec`.
    let mut s = Store::new();
    let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
    let seen = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
    s.ingest(
        a,
        feed_of(vec![
            item(Some("future"), None, "dated next week", Some(27)),
            item(Some("old"), None, "dated the day before", Some(19)),
        ]),
        seen,
    );
    let later = Utc.with_ymd_and_hms(2026, 11, 20, 18, 0, 0).unwrap();
    s.ingest(
        a,
        feed_of(vec![item(Some("new"), None, "seen six hours later", None)]),
        later,
    );
    // Without the clamp the future item led the list until 27 November.
    assert_eq!(
        titles(&s),
        [
            "seen six hours later",
            "dated next week",
            "dated the day before"
        ]
    );
    let future = s.article(s.find(a, "future").unwrap()).unwrap();
    assert_eq!(sort_time(future), future.first_seen);
    assert_eq!(
        shown_time(future),
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    );
}

#[test]
fn unnamed_feeds_are_named_by_host_and_path_shortened_in_the_middle() {
    // Issue 10 item 5: every unnamed feed on one host showed as `127.0.0.1`.
    assert_eq!(
        name_from_url("http://127.0.0.1:8080/quirks/rel.xml"),
        "127.0.0.1:8080/quirks/rel.xml"
    );
    assert_eq!(name_from_url("https://example.org/"), "example.org");
    assert_eq!(
        name_from_url("https://me:secret@example.org/f"),
        "example.org/f"
    );
    assert_eq!(
        name_from_url("file:///home/me/feeds/local.xml"),
        "file:/home/me/feeds/local.xml"
    );
    let long = name_from_url("https://news.example.org/sections/world/middle-east/latest/rss.xml");
    assert_eq!(long.chars().count(), 39);
    assert_eq!(long, "news.example.org/se…east/latest/rss.xml");
    assert!(long.contains('…'));
}
