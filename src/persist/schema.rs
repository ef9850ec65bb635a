//! The on-disk schema: creation, migrations from every older version, and opening the file
//! (a damaged or too-new one is moved aside, see `recover`).

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use super::index::{START_BACKFILL, V3_TO_V4};
use super::load::load;
use super::packed::V9_TO_V10;
use super::queue::V4_TO_V5;
use super::recover::{Attempt, check_header, move_aside};
use super::sqlerr::db_error;
use super::{CACHE_FILE, LoadPlan, Loaded, PersistError};

/// The schema this build writes. Version 1 kept feeds by URL, dates as whole seconds and
/// bodies inline; version 2 moved bodies to their own table so the start-up scan stays small;
/// version 3 added the index the staged start-up reads its per-feed counts through and a
/// table of settings the user changes in the UI; version 4 added the full-text index
/// (`index`), built in the background for the articles an older cache already had; version
/// 5 added sync's queue of unsent changes, its marker and the server's feeds (`queue`);
/// version 6 the full texts extracted from the articles' pages (`full_texts`, gone with their
/// article); version 7 keeps when each feed was last fetched, so a restart shows each feed's
/// last outcome; version 8 keeps each article's enclosures (`articles.enclosures`, one text,
/// see `codec`), read at start with the article; version 9 keeps each feed's counts in
/// `feed_counts` (kept right by triggers on `articles`) and indexes the list's date, so the
/// first frame and `print-unread` cost O(feeds + 1,000) instead of O(articles) (issue 15);
/// version 10 stores bodies and full texts compressed when that is smaller (`packed`: a BLOB
/// is a zstd frame, a TEXT is as it was), the older rows repacked in the background.
pub(crate) const SCHEMA_VERSION: i64 = 10;
/// `PRAGMA application_id`: "akhb", so a foreign SQLite file is recognised as such.
pub(crate) const APPLICATION_ID: i64 = 0x616b_6862;

const CREATE_V2: &str = "
CREATE TABLE feeds(
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    next_poll_s INTEGER,
    next_poll_ns INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,
    redirected_url TEXT,
    last_error TEXT
);
CREATE TABLE articles(
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    author TEXT,
    categories TEXT,
    published_s INTEGER,
    published_ns INTEGER,
    first_seen_s INTEGER NOT NULL,
    first_seen_ns INTEGER NOT NULL,
    language TEXT,
    read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    UNIQUE (feed_id, key)
);
CREATE TABLE bodies(
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    summary_html TEXT,
    content_html TEXT
);
CREATE INDEX articles_unread ON articles(feed_id) WHERE read = 0;
";

/// Version 3's additions to version 2. `articles_counts` covers the per-feed counts the first
/// frame shows, so they come from a scan of a small index instead of the whole table (70 ms
/// -> 20 ms at 100,000 articles); its inserts are clustered by feed and cheap. (An index on
/// the articles' dates for the newest ones was tried and left out here: articles arrive in
/// fetch order, not date order, so inserts touched pages all over it, and it added 0.4 s to a
/// cold refresh of 50,000 articles, while the scan it saved was ~30 ms at 100,000. At
/// 1,000,000 the scan took ~500 ms of the first frame, so version 9 has it, and the counts
/// moved to `feed_counts`.)
const V2_TO_V3: &str = "
CREATE INDEX IF NOT EXISTS articles_counts ON articles(feed_id, read, starred);
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// Version 6's addition: an article's full text from its page (issue 11), one row per
/// article, dropped with it (retention, a feed removed).
const V5_TO_V6: &str = "
CREATE TABLE IF NOT EXISTS full_texts(
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    html TEXT NOT NULL,
    author TEXT,
    published_s INTEGER,
    published_ns INTEGER,
    language TEXT,
    direction TEXT
);
";

/// Version 7's addition: when the feed was last fetched, whatever the outcome.
const V6_TO_V7: &str = "
ALTER TABLE feeds ADD COLUMN last_fetch_s INTEGER;
ALTER TABLE feeds ADD COLUMN last_fetch_ns INTEGER;
";

/// Version 8's addition: an article's enclosures (issue 11), on its row so they load and go
/// with it (retention, a feed removed).
const V7_TO_V8: &str = "ALTER TABLE articles ADD COLUMN enclosures TEXT;";

/// Counts a row of `articles` into `feed_counts` (`new.` is the row as it is now).
macro_rules! count_new_row {
    () => {
        "INSERT INTO feed_counts(feed_id, total, unread, starred)
        VALUES (new.feed_id, 1, new.read = 0, new.starred)
        ON CONFLICT(feed_id) DO UPDATE SET total = total + 1,
            unread = unread + excluded.unread, starred = starred + excluded.starred;"
    };
}

/// Takes a row of `articles` out of `feed_counts` (`old.` is the row as it was).
macro_rules! uncount_old_row {
    () => {
        "UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
        starred = starred - old.starred
        WHERE feed_id = old.feed_id;"
    };
}

/// Version 9's additions (issue 15, the cost curve: at 1,000,000 articles the first frame took
/// 474 ms and `print-unread` 35 ms, both scanning every article).
///
/// - `feed_counts`: every feed's total, unread and starred counts, filled once from the
///   articles and then kept by triggers, so every way an article comes, changes or goes (an
///   upsert, a flag, retention, a feed removed with its articles by the cascade) keeps them
///   right without the writer's help. An upsert that takes its `DO UPDATE` path fires the
///   update trigger only, which does nothing unless a flag (or the feed) changed.
/// - `articles_date`: the list's date (the expression every "newest first" query orders by)
///   with the read flag, so the newest 1,000 (read or not) are the index's last 1,000
///   entries. It costs an index write per new article (cold refresh of 50,000 articles:
///   ~0.4 s more, measured when issue 5 first tried it), in the background writer.
const V8_TO_V9: &str = concat!(
    "
CREATE TABLE IF NOT EXISTS feed_counts(
    feed_id INTEGER PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
DELETE FROM feed_counts;
INSERT INTO feed_counts(feed_id, total, unread, starred)
    SELECT feed_id, count(*), sum(read = 0), sum(starred) FROM articles GROUP BY feed_id;
CREATE TRIGGER IF NOT EXISTS feed_counts_insert AFTER INSERT ON articles BEGIN
    ",
    count_new_row!(),
    "
END;
CREATE TRIGGER IF NOT EXISTS feed_counts_delete AFTER DELETE ON articles BEGIN
    ",
    uncount_old_row!(),
    "
END;
CREATE TRIGGER IF NOT EXISTS feed_counts_update AFTER UPDATE OF read, starred, feed_id ON articles
    WHEN old.read IS NOT new.read OR old.starred IS NOT new.starred
        OR old.feed_id IS NOT new.feed_id
BEGIN
    ",
    uncount_old_row!(),
    "
    ",
    count_new_row!(),
    "
END;
CREATE TRIGGER IF NOT EXISTS feed_counts_feed_gone AFTER DELETE ON feeds BEGIN
    DELETE FROM feed_counts WHERE feed_id = old.id;
END;
CREATE INDEX IF NOT EXISTS articles_date ON articles(coalesce(published_s, first_seen_s), read);
"
);

/// Opens the cache for writing (the caller holds the lock) and loads it. A file that cannot
/// be used is moved aside once and a fresh cache is started.
pub(crate) fn open_and_load(
    dir: &Path,
    plan: LoadPlan,
) -> Result<(Connection, Loaded), PersistError> {
    open_checked(dir, Some(plan))
}

/// Opens the cache for writing (the caller holds the lock) without loading it: the writer of a
/// session that started read-only, once the directory can be written (the app has what it
/// loaded then).
pub(crate) fn open_writable(dir: &Path) -> Result<Connection, PersistError> {
    open_checked(dir, None).map(|(conn, _)| conn)
}

/// Loads a cache that cannot be written (a read-only data directory), without migrating it.
/// No file, or one of an older schema (which only a writable open migrates), loads as empty
/// with a notice saying why; a file that is not a current akhbar cache is an error.
pub(crate) fn load_read_only(dir: &Path, plan: LoadPlan) -> Result<Loaded, PersistError> {
    let path = dir.join(CACHE_FILE);
    if !path.exists() {
        return Ok(Loaded::default());
    }
    let (conn, _) = super::reader::open_reader(&path, std::time::Duration::from_secs(2))
        .map_err(|e| db_error(&path, &e))?;
    let read = |e: rusqlite::Error| db_error(&path, &e);
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(read)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(read)?;
    if app_id != APPLICATION_ID || version > SCHEMA_VERSION {
        return Err(PersistError::Database {
            path,
            message: "not a cache this akhbar can read".into(),
        });
    }
    if version < SCHEMA_VERSION {
        let mut loaded = Loaded::default();
        loaded.notices.push(format!(
            "the cache {} is from an older akhbar and can only be upgraded where it can be written",
            path.display()
        ));
        return Ok(loaded);
    }
    load(&conn, &path, plan).map_err(read)
}

fn open_checked(dir: &Path, plan: Option<LoadPlan>) -> Result<(Connection, Loaded), PersistError> {
    let path = dir.join(CACHE_FILE);
    match attempt(&path, plan) {
        Ok(done) => Ok(done),
        Err(Attempt::Fatal(e)) => Err(e),
        Err(Attempt::Unusable(reason)) => {
            let aside = move_aside(dir, &path)?;
            let notice = format!(
                "the cache {reason}; it was moved to {} and akhbar starts with an empty cache",
                aside.display()
            );
            tracing::warn!("{notice}");
            match attempt(&path, plan) {
                Ok((conn, mut loaded)) => {
                    loaded.notices.push(notice);
                    Ok((conn, loaded))
                }
                Err(Attempt::Fatal(e)) => Err(e),
                Err(Attempt::Unusable(reason)) => Err(PersistError::Database {
                    path,
                    message: format!("a fresh cache {reason}"),
                }),
            }
        }
    }
}

fn attempt(path: &Path, plan: Option<LoadPlan>) -> Result<(Connection, Loaded), Attempt> {
    check_header(path)?;
    let conn = Connection::open(path).map_err(|e| classify(path, &e))?;
    // Only reads until we know the file is ours: a file moved aside stays as it was.
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| classify(path, &e))?;
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| classify(path, &e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, &e))?;
    if app_id != APPLICATION_ID {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| classify(path, &e))?;
        if app_id != 0 || tables > 0 {
            return Err(Attempt::Unusable("is not an akhbar cache".into()));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(Attempt::Unusable(format!(
            "was written by a newer akhbar (schema {version}, this one knows {SCHEMA_VERSION})"
        )));
    }
    configure(&conn).map_err(|e| classify(path, &e))?;
    migrate(&conn, version).map_err(|e| classify(path, &e))?;
    let loaded = match plan {
        Some(plan) => load(&conn, path, plan).map_err(|e| classify(path, &e))?,
        None => Loaded::default(),
    };
    Ok((conn, loaded))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL: readers (print-unread) never block the writer, and a kill -9 leaves the old or
    // the new state. NORMAL is durable against process crashes, which is what we promise.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!("cache journal mode is {mode}, not WAL");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // In WAL mode with NORMAL, the fsyncs happen at checkpoints. SQLite's default checkpoints
    // every 1,000 pages (4 MiB), which during a refresh of 1,000 feeds (~150 MiB of bodies)
    // meant a checkpoint and its fsyncs after nearly every batch, and the writer waited on the
    // disk more than it worked. 16 MiB between checkpoints cuts that by four; the WAL file
    // stays bounded by it and is folded back on close as before.
    conn.pragma_update(None, "wal_autocheckpoint", 4096)?;
    // A batch (see writer::BATCH_ARTICLES) fits in the page cache, so a transaction does not
    // spill pages to the WAL half-way and write them again at commit.
    conn.pragma_update(None, "cache_size", -8192)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction: all or nothing.
fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    if from == SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        match from {
            0 => conn.execute_batch(CREATE_V2)?,
            1 => migrate_1_to_2(conn)?,
            2..=9 => {}
            _ => unreachable!("newer versions are refused before"),
        }
        if from < 3 {
            conn.execute_batch(V2_TO_V3)?;
        }
        if from < 4 {
            conn.execute_batch(V3_TO_V4)?;
            // Indexing is left to the writer's idle time: opening stays as fast as before.
            conn.execute_batch(START_BACKFILL)?;
        }
        // Both are `IF NOT EXISTS`: safe to run on any older version.
        conn.execute_batch(V4_TO_V5)?;
        conn.execute_batch(V5_TO_V6)?;
        // A cache made by hand from a newer one (the tests' old versions) may have them.
        let has_fetch_time: bool = conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('feeds') WHERE name = 'last_fetch_s'",
            [],
            |r| r.get(0),
        )?;
        if !has_fetch_time {
            conn.execute_batch(V6_TO_V7)?;
        }
        let has_enclosures: bool = conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('articles') WHERE name = 'enclosures'",
            [],
            |r| r.get(0),
        )?;
        if !has_enclosures {
            conn.execute_batch(V7_TO_V8)?;
        }
        // Recounts from the articles, whatever an older version left.
        conn.execute_batch(V8_TO_V9)?;
        // The bookmark of the rows to repack (none in a new cache).
        conn.execute_batch(V9_TO_V10)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Version 1: `feeds(url PRIMARY KEY, title, etag, last_modified)`,
/// `articles(feed_url, key, title, link, author, published, first_seen, summary_html,
/// content_html, read, starred)` with dates in whole seconds.
fn migrate_1_to_2(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "ALTER TABLE feeds RENAME TO feeds_v1;
         ALTER TABLE articles RENAME TO articles_v1;",
    )?;
    conn.execute_batch(CREATE_V2)?;
    conn.execute_batch(
        "INSERT INTO feeds(url, title, etag, last_modified)
             SELECT url, title, etag, last_modified FROM feeds_v1;
         INSERT OR IGNORE INTO feeds(url) SELECT DISTINCT feed_url FROM articles_v1;
         INSERT INTO articles(feed_id, key, title, link, author, published_s, published_ns,
                              first_seen_s, first_seen_ns, read, starred)
             SELECT f.id, a.key, a.title, a.link, a.author, a.published,
                    CASE WHEN a.published IS NULL THEN NULL ELSE 0 END,
                    a.first_seen, 0, a.read != 0, a.starred != 0
             FROM articles_v1 a JOIN feeds f ON f.url = a.feed_url;
         INSERT INTO bodies(article_id, summary_html, content_html)
             SELECT n.id, a.summary_html, a.content_html
             FROM articles_v1 a JOIN feeds f ON f.url = a.feed_url
                  JOIN articles n ON n.feed_id = f.id AND n.key = a.key
             WHERE a.summary_html IS NOT NULL OR a.content_html IS NOT NULL;
         DROP TABLE articles_v1;
         DROP TABLE feeds_v1;",
    )
}

/// Opens the cache read-only without the lock (WAL lets readers in beside the writer).
/// `None` when there is no cache file yet.
pub(crate) fn open_read_only(dir: &Path) -> Result<Option<Connection>, PersistError> {
    let path = dir.join(CACHE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let (conn, _) = super::reader::open_reader(&path, std::time::Duration::from_secs(2))
        .map_err(|e| db_error(&path, &e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| db_error(&path, &e))?;
    if version > SCHEMA_VERSION {
        return Err(PersistError::Database {
            path,
            message: format!("written by a newer akhbar (schema {version})"),
        });
    }
    if version < SCHEMA_VERSION {
        // Older files are migrated by the next `akhbar` run; their article table has the
        // same `read` column, which is all the read-only commands need for counting, but not
        // for export. Say so rather than guess.
        let articles_ok = conn
            .query_row(
                "SELECT 1 FROM sqlite_schema WHERE name = 'articles'",
                [],
                |_| Ok(()),
            )
            .optional()
            .map_err(|e| db_error(&path, &e))?
            .is_some();
        if !articles_ok {
            return Ok(None);
        }
    }
    Ok(Some(conn))
}

fn classify(path: &Path, e: &rusqlite::Error) -> Attempt {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) => Attempt::Unusable("is damaged".into()),
        Some(ErrorCode::NotADatabase) => Attempt::Unusable("is not a database (damaged?)".into()),
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::PermissionDenied)
        | Some(ErrorCode::CannotOpen) => Attempt::Fatal(PersistError::ReadOnly { dir }),
        _ => Attempt::Fatal(db_error(path, e)),
    }
}
