//! The cache keeps every field, every flag and the retention rules across reopenings.

use std::collections::HashMap;

use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Change, PersistError, PersistEvent, StoredFeed};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::support::builders;

fn article(key: &str, first_seen: DateTime<Utc>) -> Article {
    Article::from(ArticleFields {
        first_seen,
        ..builders::article(key).into_fields()
    })
}

fn by_key(loaded: &persist::Loaded) -> HashMap<(String, String), Article> {
    loaded
        .articles
        .iter()
        .map(|(url, a)| ((url.clone(), a.key().to_owned()), a.clone()))
        .collect()
}

#[test]
fn every_stored_field_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let seen =
        Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap() + Duration::nanoseconds(123_456_789);
    let full = Article::from(ArticleFields {
        feed: FeedId(7),
        key: "urn:guid:1".into(),
        title: "عنوان الخبر الأول with Latin".into(),
        link: Some("https://example.org/1".into()),
        author: Some("كاتب".into()),
        categories: vec!["سياسة".into(), "world news".into(), String::new()],
        published: Some(
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap() + Duration::nanoseconds(1),
        ),
        first_seen: seen,
        summary_html: Some("<p>ملخص</p>".into()),
        content_html: Some("<p>المحتوى الكامل</p>".into()),
        language: Some("ar-EG".into()),
        read: true,
        starred: true,
        enclosures: vec![
            akhbar::model::Enclosure {
                url: "https://example.org/حلقة.mp3".into(),
                mime: "audio/mpeg".into(),
                length_bytes: Some(12_345_678),
                duration_s: Some(2480),
            },
            akhbar::model::Enclosure {
                url: "https://example.org/v.mp4".into(),
                ..Default::default()
            },
        ],
    });
    let bare = article("hash:00ff", seen);
    let meta = StoredFeed {
        url: "https://user:pw@example.org/feed.xml".into(),
        title: Some("مثال".into()),
        etag: Some("\"abc\"".into()),
        last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
        next_poll: Some(seen + Duration::minutes(30)),
        failures: 3,
        redirected_url: Some("https://example.com/new.xml".into()),
        last_error: Some("HTTP 503".into()),
        last_fetch: Some(seen + Duration::minutes(5)),
    };
    {
        let (cache, loaded) = persist::open(dir.path()).unwrap();
        assert!(loaded.articles.is_empty() && loaded.feeds.is_empty() && loaded.notices.is_empty());
        cache.send(Change::FeedMeta(meta.clone()));
        cache.send(Change::UpsertArticles {
            feed_url: meta.url.clone(),
            articles: vec![full.clone(), bare.clone()],
        });
        cache.flush_blocking().unwrap();
    }
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.feeds, vec![meta.clone()]);
    let articles = by_key(&loaded);
    assert_eq!(articles.len(), 2);
    let got = &articles[&(meta.url.clone(), full.key().to_owned())];
    // Bodies load lazily; the feed id is the caller's to assign.
    let expected = Article::from(ArticleFields {
        feed: FeedId(0),
        summary_html: None,
        content_html: None,
        ..full.clone().into_fields()
    });
    assert_eq!(got, &expected);
    assert_eq!(
        cache.load_body(&meta.url, full.key()),
        Some((
            full.summary_html().map(str::to_owned),
            full.content_html().map(str::to_owned)
        ))
    );
    assert_eq!(articles[&(meta.url.clone(), bare.key().to_owned())], bare);
    assert_eq!(cache.load_body(&meta.url, bare.key()), Some((None, None)));
    assert_eq!(cache.load_body(&meta.url, "no such key"), None);
}

#[test]
fn read_and_starred_flags_survive_and_a_none_body_keeps_the_stored_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://example.org/a.xml".to_owned();
    let now = Utc::now();
    let mut a = article("a", now);
    a.set_bodies(None, Some("<p>body</p>".into()));
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: vec![a.clone(), article("b", now)],
        });
        cache.send(Change::SetRead {
            feed_url: url.clone(),
            key: "a".into(),
            read: true,
        });
        cache.send(Change::SetStarred {
            feed_url: url.clone(),
            key: "b".into(),
            starred: true,
        });
        // Pending bodies are visible before the commit.
        assert_eq!(
            cache.load_body(&url, "a"),
            Some((None, Some("<p>body</p>".into())))
        );
        // Dropping the cache commits what is queued.
    }
    {
        let (cache, loaded) = persist::open(dir.path()).unwrap();
        let articles = by_key(&loaded);
        assert!(articles[&(url.clone(), "a".into())].read);
        assert!(!articles[&(url.clone(), "a".into())].starred);
        assert!(articles[&(url.clone(), "b".into())].starred);
        assert!(!articles[&(url.clone(), "b".into())].read);
        // The store re-sends a cached article (no body): the stored body stays.
        let again = Article::from(ArticleFields {
            title: "new title".into(),
            ..articles[&(url.clone(), "a".into())].fields()
        });
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: vec![again],
        });
        cache.flush_blocking().unwrap();
        assert_eq!(
            cache.load_body(&url, "a"),
            Some((None, Some("<p>body</p>".into())))
        );
    }
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 1);
}

#[test]
fn flushes_report_saved_events() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(Change::FeedMeta(StoredFeed {
        url: "https://e.org/f".into(),
        ..StoredFeed::default()
    }));
    cache.send(Change::SetRead {
        feed_url: "https://e.org/f".into(),
        key: "x".into(),
        read: true,
    });
    cache.flush_blocking().unwrap();
    assert_eq!(cache.try_event(), Some(PersistEvent::Saved { changes: 2 }));
    assert_eq!(cache.try_event(), None);
}

#[test]
fn a_second_open_of_one_data_directory_is_refused_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = persist::open(dir.path()).unwrap();
    let second = persist::open(dir.path());
    match second {
        Err(PersistError::Locked { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
        other => panic!("expected Locked, got {:?}", other.map(|_| ())),
    }
    let message = persist::open(dir.path()).err().unwrap().to_string();
    assert!(message.contains("another akhbar"), "{message}");
    drop(first);
    assert!(
        persist::open(dir.path()).is_ok(),
        "the lock is released with the cache"
    );
}

#[test]
fn print_unread_counts_without_the_lock_and_zero_without_a_cache() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 0);
    let (cache, _) = persist::open(dir.path()).unwrap();
    let now = Utc::now();
    let articles = (0..10).map(|i| article(&i.to_string(), now)).collect();
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/f".into(),
        articles,
    });
    cache.send(Change::SetRead {
        feed_url: "https://e.org/f".into(),
        key: "3".into(),
        read: true,
    });
    cache.flush_blocking().unwrap();
    // The writer still holds the lock: the reader goes beside it.
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 9);
}

#[test]
fn retention_keeps_starred_and_still_listed_articles_and_drops_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://e.org/f".to_owned();
    let now = Utc::now();
    let old = now - Duration::days(200);
    let mut articles = Vec::new();
    for i in 0..6 {
        let mut a = article(&format!("old{i}"), old);
        a.published = Some(old - Duration::hours(i));
        articles.push(a);
    }
    for i in 0..5 {
        articles.push(article(&format!("new{i}"), now - Duration::minutes(i)));
    }
    articles[0].starred = true; // old0: starred, never expires
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(Change::UpsertArticles {
        feed_url: url.clone(),
        articles,
    });
    cache.send(Change::Retain {
        keep_days: 90,
        keep_per_feed: 3,
        // old1 is still in the feed; new4 too, although it is beyond the newest 3.
        still_listed: vec![(url.clone(), Some(vec!["old1".into(), "new4".into()]))],
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    let mut keys: Vec<String> = loaded
        .articles
        .into_iter()
        .map(|(_, a)| a.key().to_owned())
        .collect();
    keys.sort();
    assert_eq!(keys, ["new0", "new1", "new2", "new4", "old0", "old1"]);
}

#[test]
fn retention_keeps_every_article_of_a_feed_whose_list_is_unknown() {
    // Feeds with the same old articles: one fetched in this run and listing none of them
    // (they go, by age and beyond 2), the others not fetched (`None`: what they list is
    // unknown, so all of theirs stay). With one unknown feed retention reads every old
    // article; with three, only the fetched feed's.
    for unknown_feeds in [1, 3] {
        let dir = tempfile::tempdir().unwrap();
        let fetched = "https://e.org/fetched".to_owned();
        let unknown: Vec<String> = (0..unknown_feeds)
            .map(|i| format!("https://e.org/unknown{i}"))
            .collect();
        let old = Utc::now() - Duration::days(200);
        let (cache, _) = persist::open(dir.path()).unwrap();
        for url in std::iter::once(&fetched).chain(&unknown) {
            cache.send(Change::UpsertArticles {
                feed_url: url.clone(),
                articles: (0..5).map(|i| article(&format!("old{i}"), old)).collect(),
            });
        }
        let mut still_listed = vec![(fetched.clone(), Some(vec![]))];
        still_listed.extend(unknown.iter().map(|u| (u.clone(), None)));
        cache.send(Change::Retain {
            keep_days: 90,
            keep_per_feed: 2,
            still_listed,
        });
        cache.flush_blocking().unwrap();
        drop(cache);
        let (_, loaded) = persist::open(dir.path()).unwrap();
        let mut kept: Vec<(String, String)> = loaded
            .articles
            .into_iter()
            .map(|(url, a)| (url, a.key().to_owned()))
            .collect();
        kept.sort();
        let want: Vec<(String, String)> = unknown
            .iter()
            .flat_map(|u| (0..5).map(move |i| (u.clone(), format!("old{i}"))))
            .collect();
        assert_eq!(kept, want, "{unknown_feeds} unknown");
    }
}

#[test]
fn retention_with_zero_limits_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let old = Utc::now() - Duration::days(5000);
    let articles = (0..4).map(|i| article(&i.to_string(), old)).collect();
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/f".into(),
        articles,
    });
    cache.send(Change::Retain {
        keep_days: 0,
        keep_per_feed: 0,
        still_listed: Vec::new(),
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 4);
}

#[test]
fn removing_a_feed_forgets_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let now = Utc::now();
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/a".into(),
        articles: vec![article("1", now)],
    });
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/b".into(),
        articles: vec![article("2", now)],
    });
    cache.send(Change::RemoveFeed {
        feed_url: "https://e.org/a".into(),
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(
        loaded
            .feeds
            .iter()
            .map(|f| f.url.as_str())
            .collect::<Vec<_>>(),
        ["https://e.org/b"]
    );
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(loaded.articles[0].0, "https://e.org/b");
}

#[test]
fn exported_state_moves_read_and_starred_flags_to_another_cache() {
    let from = tempfile::tempdir().unwrap();
    let to = tempfile::tempdir().unwrap();
    let url = "https://e.org/f".to_owned();
    let now = Utc::now();
    let articles: Vec<Article> = (0..3).map(|i| article(&i.to_string(), now)).collect();
    {
        let (cache, _) = persist::open(from.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: articles.clone(),
        });
        cache.send(Change::UpsertArticles {
            feed_url: "https://e.org/only-here".into(),
            articles: vec![article("z", now)],
        });
        cache.send(Change::SetRead {
            feed_url: url.clone(),
            key: "0".into(),
            read: true,
        });
        cache.send(Change::SetStarred {
            feed_url: url.clone(),
            key: "2".into(),
            starred: true,
        });
    }
    {
        let (cache, _) = persist::open(to.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles,
        });
    }
    let json = persist::export_state(from.path()).unwrap();
    assert!(json.contains("akhbar-state"), "{json}");
    let report = persist::import_state_detailed(to.path(), &json).unwrap();
    assert_eq!(report.applied, 3);
    assert_eq!(report.not_cached, 1);
    let (_, loaded) = persist::open(to.path()).unwrap();
    let got = by_key(&loaded);
    assert!(got[&(url.clone(), "0".into())].read);
    assert!(!got[&(url.clone(), "1".into())].read);
    assert!(got[&(url.clone(), "2".into())].starred);
    assert!(!got[&(url.clone(), "0".into())].starred);
}

#[test]
fn importing_a_file_that_is_not_state_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = persist::import_state(dir.path(), r#"{"format":"other","version":1,"feeds":{}}"#)
        .unwrap_err();
    assert!(matches!(err, PersistError::State(_)), "{err}");
    assert!(persist::import_state(dir.path(), "not json").is_err());
}

#[test]
fn the_default_data_directory_ends_in_akhbar() {
    let dir = persist::default_data_dir().expect("a home directory");
    assert_eq!(dir.file_name().unwrap(), "akhbar");
}

#[test]
fn the_cache_handle_can_move_between_threads() {
    fn send_and_sync<T: Send + Sync>(_: &T) {}
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    send_and_sync(&cache);
    let cache = std::sync::Arc::new(cache);
    let other = std::sync::Arc::clone(&cache);
    std::thread::spawn(move || {
        other.send(Change::FeedMeta(StoredFeed {
            url: "https://e.org/t".into(),
            ..StoredFeed::default()
        }));
        other.flush_blocking().unwrap();
    })
    .join()
    .unwrap();
    assert_eq!(cache.try_event(), Some(PersistEvent::Saved { changes: 1 }));
}

#[test]
fn a_large_cache_loads_every_article_once_in_insertion_order() {
    // Large enough for the loader to split the work across threads.
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (cache, _) = persist::open(dir.path()).unwrap();
    for f in 0..30 {
        let articles = (0..1_000)
            .map(|i| article(&format!("{f}-{i}"), now))
            .collect();
        cache.send(Change::UpsertArticles {
            feed_url: format!("https://e.org/{f}"),
            articles,
        });
    }
    // Gaps in the row ids must not lose or repeat anything.
    cache.send(Change::RemoveFeed {
        feed_url: "https://e.org/7".into(),
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 29_000);
    let expected: Vec<String> = (0..30)
        .filter(|&f| f != 7)
        .flat_map(|f| (0..1_000).map(move |i| format!("{f}-{i}")))
        .collect();
    let keys: Vec<&str> = loaded.articles.iter().map(|(_, a)| a.key()).collect();
    assert_eq!(keys, expected);
    assert!(
        loaded
            .articles
            .iter()
            .all(|(url, a)| url == &format!("https://e.org/{}", a.key().split('-').next().unwrap()))
    );
}
