//! The staged start-up: the newest articles and every feed's counts first, the rest after,
//! each article exactly once; the v2 -> v3 migration that adds what it reads through; and the
//! settings the UI keeps between runs.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Change, FeedCounts, LoadPlan};
use chrono::{Duration, TimeZone, Utc};
use rusqlite::Connection;

use crate::support::builders;

const FIXTURE_V2: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/persist/v2.sqlite"
);
const FIXTURE_V2_SQL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/persist/v2.sql");

/// Article `i` of a feed: published `i * 100 + feed` minutes after a fixed time (some undated, so the
/// first-seen time counts), every third one read, every seventh starred.
fn article(feed: usize, i: usize) -> Article {
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let t = base + Duration::minutes((i * 100 + feed) as i64);
    Article::from(ArticleFields {
        published: (!i.is_multiple_of(5)).then_some(t),
        first_seen: t,
        content_html: Some(format!("<p>{i}</p>")),
        read: i.is_multiple_of(3),
        starred: i.is_multiple_of(7),
        ..builders::article(&format!("{feed}-{i}")).into_fields()
    })
}

fn url(feed: usize) -> String {
    format!("https://f{feed}.example.org/feed.xml")
}

/// A closed cache of `feeds` x `items` articles.
fn filled(dir: &Path, feeds: usize, items: usize) {
    drop(builders::fill_cache(dir, feeds, items, url, article));
}

/// The feed of `url(f)` is `FeedId(f)`, for the first `feeds` feeds.
fn feed_of(feeds: usize) -> impl Fn(&str) -> Option<FeedId> + Sync {
    move |u: &str| {
        (0..feeds)
            .position(|f| url(f) == u)
            .map(|f| FeedId(f as u32))
    }
}

fn sort_time(a: &Article) -> chrono::DateTime<Utc> {
    a.published.unwrap_or(a.first_seen)
}

#[test]
fn a_staged_open_reads_the_newest_articles_first_and_the_rest_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // More than the parallel threshold, so the rest is read on several threads.
    let (feeds, items) = (30, 800);
    filled(dir.path(), feeds, items);
    let (cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 100 }).unwrap();
    assert_eq!(loaded.articles.len(), 100);
    // They are the newest 100 of all (by the second, which is what the index sorts by).
    let mut all: Vec<Article> = (0..feeds)
        .flat_map(|f| (0..items).map(move |i| article(f, i)))
        .collect();
    all.sort_by_key(|a| std::cmp::Reverse(sort_time(a)));
    let newest: HashSet<&str> = all[..100].iter().map(|a| a.key()).collect();
    let first: HashSet<&str> = loaded.articles.iter().map(|(_, a)| a.key()).collect();
    assert_eq!(first, newest);
    // Counts cover every article, loaded or not.
    assert_eq!(loaded.counts.len(), feeds);
    let c = loaded.counts.iter().find(|c| c.url == url(3)).unwrap();
    let expect = FeedCounts {
        url: url(3),
        total: items,
        unread: (0..items).filter(|i| i % 3 != 0).count(),
        starred: (0..items).filter(|i| i % 7 == 0).count(),
    };
    assert_eq!(*c, expect);
    // The rest: every other article once, in parts no bigger than asked.
    let rest = loaded
        .rest
        .clone()
        .expect("a staged open leaves a rest loader");
    assert!(rest.remaining() >= feeds * items - 100);
    let mut parts = Vec::new();
    // Each article comes with the feed its URL names.
    rest.load(1000, &feed_of(feeds), &mut |part| parts.push(part))
        .unwrap();
    assert!(parts.iter().all(|p| p.len() <= 1000 && !p.is_empty()));
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (u, a) in loaded.articles.iter() {
        *seen.entry((u.clone(), a.key().to_owned())).or_default() += 1;
    }
    for a in parts.iter().flatten() {
        *seen
            .entry((url(a.feed.0 as usize), a.key().to_owned()))
            .or_default() += 1;
    }
    assert_eq!(seen.len(), feeds * items);
    assert!(seen.values().all(|&n| n == 1), "an article came twice");
    // Read while the writer works: WAL readers do not block it, nor it them.
    cache.send(Change::SetRead {
        feed_url: url(0),
        key: "0-1".into(),
        read: true,
    });
    cache.flush_blocking().unwrap();
}

#[test]
fn one_feeds_articles_read_first_are_not_read_again_by_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (feeds, items) = (4, 50);
    filled(dir.path(), feeds, items);
    let (_cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 20 }).unwrap();
    let first: HashSet<(String, String)> = loaded
        .articles
        .iter()
        .map(|(u, a)| (u.clone(), a.key().to_owned()))
        .collect();
    let mut rest = loaded.rest.expect("a staged open leaves a rest loader");
    let feed_of = feed_of(feeds);
    // Feed 2's articles, less the ones the first stage had; a URL the cache does not know
    // has none.
    let two = rest
        .load_feeds(&[url(2).as_str(), "https://unknown.example.org/"], &feed_of)
        .unwrap();
    assert!(two.iter().all(|a| a.feed == FeedId(2)));
    let first_of_two = first.iter().filter(|(u, _)| *u == url(2)).count();
    assert_eq!(two.len(), items - first_of_two);
    assert!(
        two.iter()
            .all(|a| !first.contains(&(url(2), a.key().to_owned())))
    );
    // Asked again: nothing more.
    assert!(
        rest.load_feeds(&[url(2).as_str()], &feed_of)
            .unwrap()
            .is_empty()
    );
    // The rest leaves them out: every article once in all.
    let mut parts = Vec::new();
    rest.load(usize::MAX, &feed_of, &mut |part| parts.push(part))
        .unwrap();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for key in first {
        *seen.entry(key).or_default() += 1;
    }
    for a in two.iter().chain(parts.iter().flatten()) {
        *seen
            .entry((url(a.feed.0 as usize), a.key().to_owned()))
            .or_default() += 1;
    }
    assert_eq!(seen.len(), feeds * items);
    assert!(seen.values().all(|&n| n == 1), "an article came twice");
}

#[test]
fn with_unread_only_the_first_stage_holds_the_newest_unread_articles() {
    let dir = tempfile::tempdir().unwrap();
    filled(dir.path(), 3, 200);
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(Change::Setting {
        key: persist::SETTING_UNREAD_ONLY.into(),
        value: "true".into(),
    });
    drop(cache);
    let (_cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 50 }).unwrap();
    assert_eq!(loaded.articles.len(), 50);
    assert!(loaded.articles.iter().all(|(_, a)| !a.read));
    let oldest_loaded = loaded
        .articles
        .iter()
        .map(|(_, a)| sort_time(a))
        .min()
        .unwrap();
    let mut rest = Vec::new();
    loaded
        .rest
        .unwrap()
        .load(usize::MAX, &|_| Some(FeedId(0)), &mut |p| rest.extend(p))
        .unwrap();
    assert_eq!(rest.len(), 600 - 50);
    // Nothing unread left behind is newer than the oldest loaded one (to the second).
    assert!(
        rest.iter()
            .filter(|a| !a.read)
            .all(|a| sort_time(a).timestamp() <= oldest_loaded.timestamp())
    );
}

#[test]
fn an_empty_cache_has_nothing_left_to_load() {
    let dir = tempfile::tempdir().unwrap();
    let (_cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 10 }).unwrap();
    assert!(loaded.articles.is_empty() && loaded.counts.is_empty());
    assert!(loaded.rest.is_none());
}

#[test]
fn settings_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert!(loaded.settings.is_empty());
    for value in ["true", "false", "true"] {
        cache.send(Change::Setting {
            key: "unread_only".into(),
            value: value.into(),
        });
    }
    cache.send(Change::Setting {
        key: "another".into(),
        value: "x".into(),
    });
    drop(cache);
    let (_cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(
        loaded.settings,
        [
            ("another".to_string(), "x".to_string()),
            ("unread_only".to_string(), "true".to_string())
        ]
    );
}

#[test]
fn a_version_2_cache_is_migrated_to_version_3_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(FIXTURE_V2, dir.path().join("cache.sqlite")).unwrap();
    // The read-only commands work on the old file before any migration.
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 2);
    let (cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 1 }).unwrap();
    assert!(loaded.notices.is_empty(), "{:?}", loaded.notices);
    let he = "https://he.example.org/rss.xml";
    let feed = loaded.feeds.iter().find(|f| f.url == he).unwrap();
    assert_eq!(feed.title.as_deref(), Some("חדשות"));
    assert_eq!(feed.etag.as_deref(), Some("\"v2-etag\""));
    assert_eq!(feed.failures, 3);
    assert_eq!(
        feed.next_poll,
        Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::nanoseconds(5))
    );
    assert_eq!(
        feed.redirected_url.as_deref(),
        Some("https://he.example.org/new.xml")
    );
    assert_eq!(
        feed.last_error.as_deref(),
        Some("HTTP 503 Service Unavailable")
    );
    // The newest article (he-2 by its first-seen time) comes first, the others after.
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(loaded.articles[0].1.key(), "he-2");
    let mut rest = Vec::new();
    loaded
        .rest
        .clone()
        .unwrap()
        .load(10, &|_| Some(FeedId(0)), &mut |p| rest.extend(p))
        .unwrap();
    let a = rest.iter().find(|a| a.key() == "he-1").unwrap();
    assert_eq!(a.title(), "כותרת ראשית");
    assert_eq!(a.categories().collect::<Vec<_>>(), ["פוליטיקה", "עולם"]);
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap() + Duration::nanoseconds(250))
    );
    assert!(a.read && a.starred);
    assert_eq!(a.language(), Some("he"));
    assert_eq!(
        cache.load_body(he, "he-1"),
        Some((None, Some("<p>גוף הכתבה</p>".into())))
    );
    let counts: HashMap<&str, &FeedCounts> =
        loaded.counts.iter().map(|c| (c.url.as_str(), c)).collect();
    assert_eq!(
        (counts[he].total, counts[he].unread, counts[he].starred),
        (2, 1, 1)
    );
    // Settings can be written after the migration.
    cache.send(Change::Setting {
        key: "unread_only".into(),
        value: "true".into(),
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'articles_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        ["articles_counts", "articles_date", "articles_unread"]
    );
    drop(conn);
    let (_cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(
        loaded.settings,
        [("unread_only".to_string(), "true".to_string())]
    );
}

/// Rebuilds `v2.sqlite` from `v2.sql` (run with `--ignored` after changing the SQL).
#[test]
#[ignore = "writes the committed fixture"]
fn regenerate_the_version_2_fixture() {
    let sql = std::fs::read_to_string(FIXTURE_V2_SQL).unwrap();
    let _ = std::fs::remove_file(FIXTURE_V2);
    let conn = Connection::open(FIXTURE_V2).unwrap();
    conn.execute_batch(&sql).unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    assert!(std::fs::metadata(FIXTURE_V2).unwrap().len() < 16 * 1024);
}

#[test]
fn retention_checks_listed_keys_per_feed_and_the_per_feed_limit_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let old = Utc::now() - Duration::days(400);
    let now = Utc::now();
    for (feed, when) in [(0, old), (1, old), (2, now)] {
        cache.send(Change::UpsertArticles {
            feed_url: url(feed),
            articles: (0..4)
                .map(|i| {
                    Article::from(ArticleFields {
                        key: format!("k{i}"),
                        published: Some(when - Duration::minutes(i as i64)),
                        starred: false,
                        ..article(feed, i).into_fields()
                    })
                })
                .collect(),
        });
    }
    cache.send(Change::Retain {
        keep_days: 90,
        keep_per_feed: 2,
        // Feed 0 still lists k0 and k3; that protects nothing of feed 1's.
        still_listed: vec![(url(0), Some(vec!["k0".into(), "k3".into()]))],
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    let mut left: Vec<(String, String)> = loaded
        .articles
        .into_iter()
        .map(|(u, a)| (u, a.key().to_owned()))
        .collect();
    left.sort();
    let expect: Vec<(String, String)> = [(0, "k0"), (0, "k3"), (2, "k0"), (2, "k1")]
        .iter()
        .map(|(f, k)| (url(*f), k.to_string()))
        .collect();
    assert_eq!(left, expect);
}
