//! Bodies and full texts are stored compressed (issue 15), read back exactly, found by search,
//! and a cache from version 9 (bodies as text) is repacked in the background losing nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use akhbar::model::{Article, ArticleFields, Direction, FullText};
use akhbar::persist::{self, CACHE_FILE, Change, PersistError};
use rusqlite::Connection;

use crate::support::builders;

const FEED: &str = "https://example.org/akhbar.xml";

/// A body of a news site's shape: paragraphs of Arabic with Latin, numbers and markup.
fn body(n: usize, word: &str) -> String {
    (0..n)
        .map(|i| {
            format!(
                "<p class=\"para\">قال المتحدث باسم الوزارة في مؤتمر صحفي يوم {i} إن \
                 الاجتماع (the summit, 2026) سيعقد في <a href=\"https://example.org/{i}\">\
                 العاصمة</a> {word}.</p>\n"
            )
        })
        .collect()
}

fn article(key: &str, summary: Option<String>, content: Option<String>) -> Article {
    Article::from(ArticleFields {
        summary_html: summary,
        content_html: content,
        ..builders::article(key).into_fields()
    })
}

fn raw(dir: &Path) -> Connection {
    Connection::open(dir.join(CACHE_FILE)).unwrap()
}

/// `(typeof(summary_html), typeof(content_html))` of every body, by key.
fn kinds(conn: &Connection) -> Vec<(String, String, String)> {
    conn.prepare(
        "SELECT a.key, typeof(b.summary_html), typeof(b.content_html)
         FROM bodies b JOIN articles a ON a.id = b.article_id ORDER BY a.key",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn full_text(html: String) -> FullText {
    FullText {
        html,
        author: Some("مراسلنا".into()),
        published: None,
        language: Some("ar".into()),
        direction: Some(Direction::Rtl),
    }
}

#[test]
fn long_bodies_are_stored_compressed_read_back_exactly_and_found_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let long = body(30, "زلزال");
    let short = "<p>موجز</p>".to_owned();
    let page = body(60, "بركان");
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: vec![
                article("a", Some(short.clone()), Some(long.clone())),
                article("b", Some(long.clone()), None),
            ],
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "b".into(),
            full: full_text(page.clone()),
        });
        cache.flush_blocking().unwrap();
        cache.index_blocking().unwrap();
    }
    let conn = raw(dir.path());
    assert_eq!(
        kinds(&conn),
        vec![
            ("a".into(), "text".into(), "blob".into()),
            ("b".into(), "blob".into(), "null".into()),
        ]
    );
    let stored: i64 = conn
        .query_row(
            "SELECT length(content_html) FROM bodies b JOIN articles a ON a.id = b.article_id
             WHERE a.key = 'a'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        (stored as usize) * 4 < long.len(),
        "{stored} bytes stored for {} of HTML",
        long.len()
    );
    let full_kind: String = conn
        .query_row("SELECT typeof(html) FROM full_texts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(full_kind, "blob");
    drop(conn);

    let (cache, _) = persist::open(dir.path()).unwrap();
    assert_eq!(
        cache.load_body(FEED, "a"),
        Some((Some(short), Some(long.clone())))
    );
    assert_eq!(cache.load_body(FEED, "b"), Some((Some(long), None)));
    assert_eq!(cache.load_full_text(FEED, "b"), Some(full_text(page)));
    // The words inside the compressed bodies were indexed.
    let keys = |q: &str| -> Vec<String> {
        let mut keys: Vec<String> = cache
            .search(q, 10)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.key)
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys("زلزال"), vec!["a", "b"]);
}

#[test]
fn a_cache_from_version_9_is_repacked_in_the_background_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bodies: Vec<(String, Option<String>, Option<String>)> = (0..1_200)
        .map(|i| {
            let key = format!("k{i:04}");
            let summary = (i % 3 != 0).then(|| format!("<p>{i}</p>{}", body(8, "خبر")));
            let content = match i % 4 {
                0 => None,
                1 => Some("<p>قصير</p>".to_owned()),
                _ => Some(body(20, &format!("رقم{i}"))),
            };
            (key, summary, content)
        })
        .collect();
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: bodies
                .iter()
                .map(|(k, s, c)| article(k, s.clone(), c.clone()))
                .collect(),
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "k0007".into(),
            full: full_text(body(40, "صفحة")),
        });
        cache.flush_blocking().unwrap();
        cache.index_blocking().unwrap();
    }
    // What version 9 wrote: every body as text, no bookmark.
    {
        let conn = raw(dir.path());
        let mut update = conn
            .prepare(
                "UPDATE bodies SET summary_html = ?2, content_html = ?3
                 WHERE article_id = (SELECT id FROM articles WHERE key = ?1)",
            )
            .unwrap();
        for (k, s, c) in &bodies {
            update.execute(rusqlite::params![k, s, c]).unwrap();
        }
        conn.execute("UPDATE full_texts SET html = ?1", [body(40, "صفحة")])
            .unwrap();
        conn.execute_batch("DROP TABLE body_repack; PRAGMA user_version = 9;")
            .unwrap();
        let texts: i64 = conn
            .query_row(
                "SELECT count(*) FROM bodies WHERE typeof(summary_html) = 'text'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(texts, 800);
    }
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 1_200);
    // Readable at once, before any repacking.
    assert_eq!(
        cache.load_body(FEED, "k0002"),
        Some((bodies[2].1.clone(), bodies[2].2.clone()))
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let left = loop {
        let conn = raw(dir.path());
        let left: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM bodies WHERE typeof(summary_html) = 'text'
                          OR (typeof(content_html) = 'text' AND length(content_html) > 200))
                      + (SELECT count(*) FROM full_texts WHERE typeof(html) = 'text')
                      + (SELECT count(*) FROM body_repack)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if left == 0 || Instant::now() > deadline {
            break left;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(left, 0, "rows still stored as text after 60 s");
    drop(cache);

    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 1_200);
    for (k, s, c) in &bodies {
        assert_eq!(
            cache.load_body(FEED, k),
            Some((s.clone(), c.clone())),
            "{k}"
        );
    }
    assert_eq!(
        cache.load_full_text(FEED, "k0007").map(|f| f.html),
        Some(body(40, "صفحة"))
    );
    let version: i64 = raw(dir.path())
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
}

#[test]
fn a_damaged_stored_body_reads_as_missing_and_the_rest_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let long = body(30, "عاجل");
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: vec![
                article("a", Some(long.clone()), Some(long.clone())),
                article("b", Some(long.clone()), None),
            ],
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "a".into(),
            full: full_text(long.clone()),
        });
        cache.flush_blocking().unwrap();
    }
    {
        let conn = raw(dir.path());
        // Half a frame, and bytes that are no frame at all.
        conn.execute_batch(
            "UPDATE bodies SET summary_html = substr(summary_html, 1, length(summary_html) / 2)
                 WHERE article_id = (SELECT id FROM articles WHERE key = 'a');
             UPDATE full_texts SET html = x'00112233445566778899';",
        )
        .unwrap();
    }
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 2);
    assert_eq!(cache.load_body(FEED, "a"), Some((None, Some(long.clone()))));
    assert_eq!(cache.load_body(FEED, "b"), Some((Some(long), None)));
    assert_eq!(cache.load_full_text(FEED, "a"), None);
}

#[test]
fn vacuum_repacks_what_is_left_gives_the_space_back_and_keeps_every_body() {
    let dir = tempfile::tempdir().unwrap();
    let bodies: Vec<(String, String)> = (0..600)
        .map(|i| (format!("k{i:03}"), body(25, &format!("رقم{i}"))))
        .collect();
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: bodies
                .iter()
                .map(|(k, b)| article(k, None, Some(b.clone())))
                .collect(),
        });
        cache.flush_blocking().unwrap();
        // The cache is in use: vacuum waits for no one and refuses.
        assert!(matches!(
            persist::vacuum(dir.path()),
            Err(PersistError::Locked { .. })
        ));
    }
    // As version 9 left it: text bodies, no bookmark.
    {
        let conn = raw(dir.path());
        let mut update = conn
            .prepare(
                "UPDATE bodies SET content_html = ?2
                 WHERE article_id = (SELECT id FROM articles WHERE key = ?1)",
            )
            .unwrap();
        for (k, b) in &bodies {
            update.execute(rusqlite::params![k, b]).unwrap();
        }
        conn.execute_batch(
            "DROP TABLE body_repack; PRAGMA user_version = 9; PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    }
    let done = persist::vacuum(dir.path()).unwrap();
    assert_eq!(done.repacked_steps, 2);
    assert!(
        done.after * 2 < done.before,
        "{} -> {} bytes",
        done.before,
        done.after
    );
    let on_disk = std::fs::metadata(dir.path().join(CACHE_FILE))
        .unwrap()
        .len();
    assert_eq!(on_disk, done.after);
    let texts: i64 = raw(dir.path())
        .query_row(
            "SELECT count(*) FROM bodies WHERE typeof(content_html) = 'text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(texts, 0);
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 600);
    for (k, b) in &bodies {
        assert_eq!(
            cache.load_body(FEED, k),
            Some((None, Some(b.clone()))),
            "{k}"
        );
    }
    drop(cache);
    // Nothing left to repack the second time, and a vacuum never grows the file.
    let again = persist::vacuum(dir.path()).unwrap();
    assert_eq!(again.repacked_steps, 0);
    assert!(
        again.after <= again.before,
        "{} -> {}",
        again.before,
        again.after
    );
}
