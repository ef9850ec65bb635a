//! Schema 9's per-feed counts (`feed_counts`, kept by triggers) and the list's date index
//! (issue 15): the counts the first frame and `print-unread` read stay equal to counting the
//! articles through every way an article comes, changes and goes, and a version 8 cache is
//! counted when it is migrated.

use std::collections::BTreeMap;
use std::path::Path;

use akhbar::model::{Article, ArticleFields};
use akhbar::persist::{self, Change, LoadPlan};
use chrono::{Duration, TimeZone, Utc};
use rusqlite::Connection;

use crate::support::builders;

fn url(feed: usize) -> String {
    format!("https://c{feed}.example.org/feed.xml")
}

fn article(feed: usize, i: usize) -> Article {
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::minutes(i as i64);
    Article::from(ArticleFields {
        published: Some(t),
        first_seen: t,
        read: i.is_multiple_of(3),
        starred: i.is_multiple_of(4),
        ..builders::article(&format!("{feed}-{i}")).into_fields()
    })
}

type Counts = BTreeMap<String, (i64, i64, i64)>;

/// (total, unread, starred) per feed URL, counted from the article rows themselves.
fn counted(dir: &Path) -> Counts {
    let conn = Connection::open(dir.join("cache.sqlite")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT f.url, count(*), sum(a.read = 0), sum(a.starred) FROM articles a
             JOIN feeds f ON f.id = a.feed_id GROUP BY f.url",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The same from `feed_counts` (rows of feeds with no article left are skipped, as the load
/// skips them).
fn kept(dir: &Path) -> Counts {
    let conn = Connection::open(dir.join("cache.sqlite")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT f.url, c.total, c.unread, c.starred FROM feed_counts c
             JOIN feeds f ON f.id = c.feed_id WHERE c.total != 0",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `kept` equals `counted`, the staged load hands out the same, and `print-unread`'s count is
/// their unread sum.
fn check(dir: &Path, what: &str) -> Counts {
    let truth = counted(dir);
    assert_eq!(kept(dir), truth, "feed_counts after {what}");
    let unread: i64 = truth.values().map(|c| c.1).sum();
    assert_eq!(persist::count_unread(dir).unwrap(), unread as u64, "{what}");
    let some: Vec<String> = vec![url(1), url(7)];
    let unread_some: i64 = some.iter().filter_map(|u| truth.get(u)).map(|c| c.1).sum();
    assert_eq!(
        persist::count_unread_of(dir, &some).unwrap(),
        unread_some as u64,
        "{what}"
    );
    truth
}

/// A cache with `feeds` feeds of `items` articles each (`article`'s flags), written through.
fn fill(dir: &Path, feeds: usize, items: usize) -> persist::Cache {
    builders::fill_cache(dir, feeds, items, url, article)
}

fn staged_counts(dir: &Path) -> Counts {
    let (_cache, loaded) = persist::open_with_plan(dir, LoadPlan::Newest { n: 5 }).unwrap();
    loaded
        .counts
        .iter()
        .map(|c| {
            (
                c.url.clone(),
                (c.total as i64, c.unread as i64, c.starred as i64),
            )
        })
        .collect()
}

#[test]
fn the_kept_counts_follow_every_upsert_flag_retention_and_removal() {
    let dir = tempfile::tempdir().unwrap();
    let cache = fill(dir.path(), 3, 12);
    let first = check(dir.path(), "the first upserts");
    assert_eq!(first[&url(1)], (12, 8, 3));

    // Flags one by one: two read, one unread again, one to what it already is (counts
    // nothing), so feed 1's unread count goes from 8 to 7.
    for (key, read) in [("1-1", true), ("1-2", true), ("1-0", false), ("1-3", true)] {
        cache.send(Change::SetRead {
            feed_url: url(1),
            key: key.into(),
            read,
        });
    }
    cache.send(Change::SetStarred {
        feed_url: url(2),
        key: "2-1".into(),
        starred: true,
    });
    cache.flush_blocking().unwrap();
    let flags = check(dir.path(), "flags");
    assert_eq!(flags[&url(1)], (12, 7, 3));
    assert_eq!(flags[&url(2)].2, 4);

    // The same articles again (the upsert's update path, flags as the app has them) and new.
    cache.send(Change::UpsertArticles {
        feed_url: url(0),
        articles: (6..16)
            .map(|i| {
                Article::from(ArticleFields {
                    read: true,
                    ..article(0, i).into_fields()
                })
            })
            .collect(),
    });
    cache.flush_blocking().unwrap();
    assert_eq!(check(dir.path(), "a second upsert")[&url(0)], (16, 4, 4));

    // Retention drops old, unstarred articles beyond 3 per feed.
    cache.send(Change::Retain {
        keep_days: 0,
        keep_per_feed: 3,
        still_listed: vec![],
    });
    cache.flush_blocking().unwrap();
    let retained = check(dir.path(), "retention");
    assert!(retained[&url(1)].0 < 12, "{retained:?}");

    // A feed removed: its articles go by the cascade, and its counts with them.
    cache.send(Change::RemoveFeed { feed_url: url(2) });
    cache.flush_blocking().unwrap();
    let removed = check(dir.path(), "removing a feed");
    assert!(!removed.contains_key(&url(2)));
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM feed_counts WHERE feed_id NOT IN (SELECT id FROM feeds)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    drop(conn);
    drop(cache);
    assert_eq!(staged_counts(dir.path()), removed);
}

#[test]
fn a_version_8_cache_is_counted_when_read_only_and_recounted_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    drop(fill(dir.path(), 2, 9));
    let truth = counted(dir.path());
    // Version 8 is version 9 without the counts, their triggers and the date index; a flag
    // changed while there were no triggers must still be counted after the migration.
    {
        let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
        conn.execute_batch(
            "DROP TRIGGER feed_counts_insert; DROP TRIGGER feed_counts_delete;
             DROP TRIGGER feed_counts_update; DROP TRIGGER feed_counts_feed_gone;
             DROP TABLE feed_counts; DROP INDEX articles_date;
             UPDATE articles SET read = 1 WHERE key = '0-1';
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let mut truth_after = truth.clone();
    truth_after.get_mut(&url(0)).unwrap().1 -= 1;
    assert_eq!(counted(dir.path()), truth_after);
    // print-unread before any writable run: counted from the articles.
    let unread: i64 = truth_after.values().map(|c| c.1).sum();
    assert_eq!(persist::count_unread(dir.path()).unwrap(), unread as u64);
    assert_eq!(
        persist::count_unread_of(dir.path(), &[url(0)]).unwrap(),
        truth_after[&url(0)].1 as u64
    );
    assert_eq!(staged_counts(dir.path()), truth_after);
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
    drop(conn);
    check(dir.path(), "the migration");
}

#[test]
fn the_staged_start_reads_the_newest_whatever_the_row_order() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        // Inserted oldest-last, so row order is not date order.
        cache.send(Change::UpsertArticles {
            feed_url: url(0),
            articles: (0..40).rev().map(|i| article(0, i)).collect(),
        });
        cache.flush_blocking().unwrap();
    }
    let (_cache, loaded) = persist::open_with_plan(dir.path(), LoadPlan::Newest { n: 5 }).unwrap();
    let mut keys: Vec<String> = loaded
        .articles
        .iter()
        .map(|(_, a)| a.key().to_owned())
        .collect();
    keys.sort();
    assert_eq!(keys, ["0-35", "0-36", "0-37", "0-38", "0-39"]);
}
