//! The cache survives what disks and users do to it: old schemas, damaged, truncated, empty
//! and too-new files, read-only directories and full disks.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use akhbar::model::{Article, ArticleFields};
use akhbar::persist::{self, Change, InjectedFailure, PersistError, PersistEvent};
use chrono::{TimeZone, Utc};
use rusqlite::Connection;

use crate::support::builders;
use crate::support::process::rerun_test;

const FIXTURE_V1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/persist/v1.sqlite"
);
const FIXTURE_V1_SQL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/persist/v1.sql");
/// Set (to a data directory) when this binary runs as the unprivileged child of
/// `a_read_only_data_directory_is_read_and_saving_is_reported`.
const CHILD_ENV: &str = "AKHBAR_PERSIST_READONLY_CHILD";

fn article(key: &str) -> Article {
    Article::from(ArticleFields {
        categories: vec!["c".into()],
        content_html: Some(format!("<p>{key}</p>")),
        ..builders::article(key).into_fields()
    })
}

/// A cache with `n` articles, closed (so the WAL is checkpointed into the main file).
fn filled_cache(dir: &Path, n: usize) {
    let (cache, _) = persist::open(dir).unwrap();
    let articles = (0..n).map(|i| article(&i.to_string())).collect();
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/f".into(),
        articles,
    });
    cache.flush_blocking().unwrap();
}

fn aside_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("cache.sqlite.corrupt-") && !name.ends_with("-wal")
        })
        .collect();
    found.sort();
    found
}

/// Opens a cache whose file was broken by `damage`, and checks that the file was moved
/// aside untouched, the user told, and a fresh empty cache works.
fn assert_moved_aside(dir: &Path, expected_reason: &str) {
    let original = std::fs::read(dir.join("cache.sqlite")).unwrap();
    let (cache, loaded) = persist::open(dir).unwrap();
    assert!(loaded.articles.is_empty() && loaded.feeds.is_empty());
    assert_eq!(loaded.notices.len(), 1, "{:?}", loaded.notices);
    let notice = &loaded.notices[0];
    assert!(notice.contains(expected_reason), "{notice}");
    assert!(
        notice.contains("moved to") && notice.contains("cache.sqlite.corrupt-"),
        "{notice}"
    );
    let aside = aside_files(dir);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(
        std::fs::read(&aside[0]).unwrap() == original,
        "the file moved aside was changed"
    );
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/g".into(),
        articles: vec![article("fresh")],
    });
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, loaded) = persist::open(dir).unwrap();
    assert_eq!(loaded.articles.len(), 1);
    assert!(loaded.notices.is_empty(), "{:?}", loaded.notices);
}

#[test]
fn a_version_1_cache_is_migrated_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(FIXTURE_V1, dir.path().join("cache.sqlite")).unwrap();
    // print-unread works on the old file before any migration.
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 2);
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert!(loaded.notices.is_empty(), "{:?}", loaded.notices);
    let ar = "https://ar.example.org/rss.xml";
    let feed = loaded.feeds.iter().find(|f| f.url == ar).unwrap();
    assert_eq!(feed.title.as_deref(), Some("أخبار اليوم"));
    assert_eq!(feed.etag.as_deref(), Some("\"v1-etag\""));
    assert_eq!(
        feed.last_modified.as_deref(),
        Some("Mon, 01 Jan 2024 00:00:00 GMT")
    );
    assert_eq!((feed.failures, feed.next_poll), (0, None));
    let mut urls: Vec<&str> = loaded.feeds.iter().map(|f| f.url.as_str()).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://ar.example.org/rss.xml",
            "https://en.example.org/atom.xml",
            "https://orphan.example.org/feed"
        ]
    );
    assert_eq!(loaded.articles.len(), 4);
    let first = loaded
        .articles
        .iter()
        .find(|(_, a)| a.key() == "guid-1")
        .unwrap();
    assert_eq!(first.0, ar);
    let a = &first.1;
    assert_eq!(a.title(), "ارتفاع أسعار النفط 5%");
    assert_eq!(a.link(), Some("https://ar.example.org/1"));
    assert_eq!(a.author(), Some("مراسل"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        a.first_seen,
        Utc.with_ymd_and_hms(2024, 1, 1, 1, 0, 0).unwrap()
    );
    assert!(a.read && !a.starred);
    assert!(a.categories().is_empty() && a.language().is_none());
    assert_eq!(
        cache.load_body(ar, "guid-1"),
        Some((
            Some("<p>ملخص</p>".into()),
            Some("<p>النص الكامل</p>".into())
        ))
    );
    let second = &loaded
        .articles
        .iter()
        .find(|(_, a)| a.key() == "guid-2")
        .unwrap()
        .1;
    assert!(second.starred && !second.read && second.published.is_none());
    drop(cache);
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 2);
}

/// Rebuilds `v1.sqlite` from `v1.sql` (run with `--ignored` after changing the SQL).
#[test]
#[ignore = "writes the committed fixture"]
fn regenerate_the_version_1_fixture() {
    let sql = std::fs::read_to_string(FIXTURE_V1_SQL).unwrap();
    let _ = std::fs::remove_file(FIXTURE_V1);
    let conn = Connection::open(FIXTURE_V1).unwrap();
    conn.execute_batch(&sql).unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    assert!(std::fs::metadata(FIXTURE_V1).unwrap().len() < 16 * 1024);
}

#[test]
fn a_file_of_garbage_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cache.sqlite"),
        "this is not a database, just text\n".repeat(100),
    )
    .unwrap();
    assert_moved_aside(dir.path(), "is not a database");
}

#[test]
fn a_file_with_damaged_pages_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    filled_cache(dir.path(), 300);
    let path = dir.path().join("cache.sqlite");
    let mut bytes = std::fs::read(&path).unwrap();
    // Keep the header page, wreck everything after it.
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(&path, bytes).unwrap();
    assert_moved_aside(dir.path(), "damaged");
}

#[test]
fn a_truncated_file_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    filled_cache(dir.path(), 300);
    let path = dir.path().join("cache.sqlite");
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert_moved_aside(dir.path(), "truncated");
}

#[test]
fn a_file_cut_inside_its_header_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    filled_cache(dir.path(), 3);
    let path = dir.path().join("cache.sqlite");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(40)
        .unwrap();
    assert_moved_aside(dir.path(), "truncated");
}

#[test]
fn an_empty_file_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cache.sqlite"), b"").unwrap();
    assert_moved_aside(dir.path(), "was empty");
}

#[test]
fn a_file_from_a_newer_akhbar_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    filled_cache(dir.path(), 3);
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    assert_moved_aside(dir.path(), "newer akhbar (schema 99");
}

#[test]
fn a_foreign_sqlite_file_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert_moved_aside(dir.path(), "not an akhbar cache");
}

#[test]
fn a_full_disk_is_reported_and_nothing_in_memory_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let url = "https://e.org/f".to_owned();
    cache.send(Change::UpsertArticles {
        feed_url: url.clone(),
        articles: vec![article("a"), article("b")],
    });
    cache.send(Change::SetRead {
        feed_url: url.clone(),
        key: "a".into(),
        read: true,
    });
    cache.inject_failure(InjectedFailure::DiskFull, 2);
    let err = cache.flush_blocking().unwrap_err();
    assert!(matches!(err, PersistError::Save(_)));
    assert_eq!(
        err.to_string(),
        "cannot save: disk full (2 changes kept, retrying)"
    );
    assert_eq!(
        cache.try_event(),
        Some(PersistEvent::Error(
            "cannot save: disk full (2 changes kept, retrying)".into()
        ))
    );
    // While the disk is full, bodies still come from memory.
    assert_eq!(
        cache.load_body(&url, "b"),
        Some((None, Some("<p>b</p>".into())))
    );
    cache.send(Change::SetStarred {
        feed_url: url.clone(),
        key: "b".into(),
        starred: true,
    });
    assert!(cache.flush_blocking().is_err());
    assert!(
        matches!(cache.try_event(), Some(PersistEvent::Error(line)) if line.contains("3 changes kept"))
    );
    // Space again: the retry saves everything, in order.
    cache.flush_blocking().unwrap();
    assert_eq!(cache.try_event(), Some(PersistEvent::Saved { changes: 3 }));
    drop(cache);
    let (_, loaded) = persist::open(dir.path()).unwrap();
    let get = |k: &str| {
        loaded
            .articles
            .iter()
            .find(|(_, a)| a.key() == k)
            .unwrap()
            .1
            .clone()
    };
    assert!(get("a").read && !get("a").starred);
    assert!(get("b").starred && !get("b").read);
}

#[test]
fn a_directory_turned_read_only_while_running_is_reported_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/f".into(),
        articles: vec![article("a")],
    });
    cache.inject_failure(InjectedFailure::ReadOnly, 1);
    let err = cache.flush_blocking().unwrap_err().to_string();
    assert!(err.contains("read-only"), "{err}");
    cache.flush_blocking().unwrap();
    drop(cache);
    assert_eq!(persist::open(dir.path()).unwrap().1.articles.len(), 1);
}

/// What the (possibly unprivileged) opener saw: how many articles it read, and what saving a
/// change answered.
fn open_outcome(dir: &Path) -> String {
    match persist::open(dir) {
        Ok((cache, loaded)) => {
            cache.send(Change::SetRead {
                feed_url: "https://e.org/f".into(),
                key: "0".into(),
                read: true,
            });
            let saving = match cache.flush_blocking() {
                Ok(()) => "saved".to_string(),
                Err(e) if e.to_string().contains("is read-only") => "read-only".into(),
                Err(e) => format!("other: {e}"),
            };
            format!("read {} articles, saving: {saving}", loaded.articles.len())
        }
        Err(e) => format!("not opened: {e}"),
    }
}

/// Issue 10 item 3: the cache of a read-only data directory is read (it used to be ignored,
/// and everything showed unread); saving reports the directory.
#[test]
fn a_read_only_data_directory_is_read_and_saving_is_reported() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("akhbar");
    filled_cache(&data, 2);
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in std::fs::read_dir(&data).unwrap() {
        std::fs::set_permissions(
            entry.unwrap().path(),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let running_as_root = std::fs::metadata(root.path()).unwrap().uid() == 0;
    let outcome = if running_as_root {
        // Root writes anywhere: ask an unprivileged copy of this test binary instead.
        use std::os::unix::process::CommandExt;
        let out = rerun_test(module_path!(), "read_only_child")
            .env(CHILD_ENV, &data)
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("OUTCOME: ").map(str::to_owned))
            .unwrap_or_else(|| {
                format!(
                    "no answer: {stdout} {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
    } else {
        open_outcome(&data)
    };
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(outcome, "read 2 articles, saving: read-only");
    // Nothing was moved or lost.
    assert!(aside_files(&data).is_empty());
    assert_eq!(persist::open(&data).unwrap().1.articles.len(), 2);
}

/// The unprivileged half of `a_read_only_data_directory_is_read_and_saving_is_reported`.
#[test]
#[ignore = "run by a_read_only_data_directory_is_read_and_saving_is_reported as another user"]
fn read_only_child() {
    let dir = std::env::var_os(CHILD_ENV)
        .expect("run by a_read_only_data_directory_is_read_and_saving_is_reported");
    // Own line: the harness prints "test ... " before it.
    println!("\nOUTCOME: {}", open_outcome(Path::new(&dir)));
}
