//! Full articles (issue 11): the full text kept in the cache with its article (across a
//! reopen, replaced by a newer one, gone with the article at retention), the `F` key's fetch
//! and toggle in the app, and pages served on 127.0.0.1 shown in the reader.

use akhbar::model::{Article, Direction, FullText};
use akhbar::persist::{self, Change};
use chrono::{Duration, TimeZone, Utc};

use crate::support::builders;

const FEED: &str = "https://news.example/rss";

fn full(html: &str) -> FullText {
    FullText {
        html: html.into(),
        author: Some("سارة المنصوري".into()),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()),
        language: Some("ar".into()),
        direction: Some(Direction::Rtl),
    }
}

#[test]
fn a_full_text_survives_a_reopen_and_a_newer_one_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = Article {
        link: Some("https://news.example/a".into()),
        ..builders::article("a")
    };
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: vec![a.clone()],
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "a".into(),
            full: full("<p>الأول</p>"),
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "a".into(),
            full: full("<p>الثاني</p>"),
        });
        // Not in the cache: nothing is kept, nothing fails.
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "nope".into(),
            full: full("<p>x</p>"),
        });
        cache.flush_blocking().unwrap();
    }
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(cache.load_full_text(FEED, "a"), Some(full("<p>الثاني</p>")));
    assert_eq!(cache.load_full_text(FEED, "nope"), None);
    // A later upsert of the article (a poll) keeps its full text.
    cache.send(Change::UpsertArticles {
        feed_url: FEED.into(),
        articles: vec![Article {
            title: "changed".into(),
            ..a
        }],
    });
    cache.flush_blocking().unwrap();
    assert!(cache.load_full_text(FEED, "a").is_some());
}

#[test]
fn retention_drops_the_full_text_with_its_article() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let old = Utc::now() - Duration::days(400);
    let articles = ["old", "new"]
        .iter()
        .map(|k| Article {
            published: Some(if *k == "old" { old } else { Utc::now() }),
            first_seen: if *k == "old" { old } else { Utc::now() },
            ..builders::article(k)
        })
        .collect();
    cache.send(Change::UpsertArticles {
        feed_url: FEED.into(),
        articles,
    });
    for k in ["old", "new"] {
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: k.into(),
            full: full("<p>نص</p>"),
        });
    }
    cache.send(Change::Retain {
        keep_days: 30,
        keep_per_feed: 0,
        still_listed: vec![],
    });
    cache.flush_blocking().unwrap();
    assert_eq!(cache.load_full_text(FEED, "old"), None);
    assert!(cache.load_full_text(FEED, "new").is_some());
}
