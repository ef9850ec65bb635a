//! The on-disk schema: creation, migrations from every older version, recovery from damaged
//! or too-new files, and the start-up load.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};

use super::{CACHE_FILE, FeedCounts, LoadPlan, Loaded, PersistError, RestLoader, StoredFeed};
use crate::model::{Article, FeedId};

/// The schema this build writes. Version 1 kept feeds by URL, dates as whole seconds and
/// bodies inline; version 2 moved bodies to their own table so the start-up scan stays small;
/// version 3 added the index the staged start-up reads its per-feed counts through and a
/// table of settings the user changes in the UI.
pub(crate) const SCHEMA_VERSION: i64 = 3;
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
/// the articles' dates for the newest ones was tried and left out: articles arrive in fetch
/// order, not date order, so inserts touched pages all over it, and it added 0.4 s to a cold refresh of 50,000 articles; the
/// newest 1,000 come from a scan of the table's date columns instead, ~30 ms at 100,000.)
const V2_TO_V3: &str = "
CREATE INDEX IF NOT EXISTS articles_counts ON articles(feed_id, read, starred);
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// Categories are sanitized text (no C0 controls), so the unit separator cannot occur in them.
const CATEGORY_SEPARATOR: char = '\u{1f}';

/// Why an attempt to open the file failed.
enum Attempt {
    /// The file cannot be used; move it aside. The text completes "the cache ...".
    Unusable(String),
    Fatal(PersistError),
}

impl From<PersistError> for Attempt {
    fn from(e: PersistError) -> Self {
        Attempt::Fatal(e)
    }
}

/// Opens the cache for writing (the caller holds the lock) and loads it. A file that cannot
/// be used is moved aside once and a fresh cache is started.
pub(crate) fn open_and_load(
    dir: &Path,
    plan: LoadPlan,
) -> Result<(Connection, Loaded), PersistError> {
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

fn attempt(path: &Path, plan: LoadPlan) -> Result<(Connection, Loaded), Attempt> {
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
    let loaded = load(&conn, path, plan).map_err(|e| classify(path, &e))?;
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
            2 => {}
            _ => unreachable!("newer versions are refused before"),
        }
        conn.execute_batch(V2_TO_V3)?;
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

fn load(conn: &Connection, path: &Path, plan: LoadPlan) -> rusqlite::Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut urls: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, url, title, etag, last_modified, next_poll_s, next_poll_ns, failures,
                redirected_url, last_error FROM feeds ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let feed = StoredFeed {
            url: row.get(1)?,
            title: row.get(2)?,
            etag: row.get(3)?,
            last_modified: row.get(4)?,
            next_poll: join_time(row.get(5)?, row.get(6)?),
            failures: u32::try_from(row.get::<_, i64>(7)?).unwrap_or(u32::MAX),
            redirected_url: row.get(8)?,
            last_error: row.get(9)?,
        };
        urls.insert(row.get(0)?, feed.url.clone());
        loaded.feeds.push(feed);
    }
    let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
    loaded.settings = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (lo, hi): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(id), max(id) FROM articles", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(loaded);
    };
    let rest = RestLoader {
        path: path.to_path_buf(),
        urls,
        skip: HashSet::new(),
        lo,
        hi,
    };
    match plan {
        LoadPlan::All => {
            let mut parts = Vec::new();
            rest.read(Some(conn), usize::MAX, &mut |part| parts.push(part))?;
            loaded.articles = parts.into_iter().flatten().collect();
        }
        LoadPlan::Newest { n } => {
            let unread_only = loaded.unread_only();
            loaded.counts = feed_counts(conn, &rest.urls)?;
            let (articles, skip) = load_newest(conn, &rest.urls, n, unread_only)?;
            loaded.articles = articles;
            loaded.rest = Some(RestLoader { skip, ..rest });
        }
    }
    Ok(loaded)
}

/// Every feed's article counts, from the `articles_counts` index alone.
fn feed_counts(
    conn: &Connection,
    urls: &HashMap<i64, String>,
) -> rusqlite::Result<Vec<FeedCounts>> {
    let mut by_feed: HashMap<i64, FeedCounts> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT feed_id, read, starred, count(*) FROM articles GROUP BY feed_id, read, starred",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let feed: i64 = row.get(0)?;
        let Some(url) = urls.get(&feed) else { continue };
        let (read, starred): (bool, bool) = (row.get(1)?, row.get(2)?);
        let n = usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0);
        let c = by_feed.entry(feed).or_insert_with(|| FeedCounts {
            url: url.clone(),
            ..FeedCounts::default()
        });
        c.total += n;
        c.unread += if read { 0 } else { n };
        c.starred += if starred { n } else { 0 };
    }
    let mut out: Vec<FeedCounts> = by_feed.into_values().collect();
    out.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(out)
}

/// The newest `n` articles (unread ones only if asked) and their row ids.
fn load_newest(
    conn: &Connection,
    urls: &HashMap<i64, String>,
    n: usize,
    unread_only: bool,
) -> rusqlite::Result<(Vec<FeedArticle>, HashSet<i64>)> {
    let filter = if unread_only { "WHERE read = 0" } else { "" };
    // The sort keeps only row ids (20 ms at 100,000 articles, against 30 ms when it carried
    // every column of each row it looked at).
    let mut stmt = conn.prepare(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN (
             SELECT id FROM articles {filter}
             ORDER BY coalesce(published_s, first_seen_s) DESC LIMIT ?1)"
    ))?;
    let mut rows = stmt.query([i64::try_from(n).unwrap_or(i64::MAX)])?;
    let mut out = Vec::with_capacity(n.min(10_000));
    let mut ids = HashSet::with_capacity(n.min(10_000));
    while let Some(row) = rows.next()? {
        ids.insert(row.get::<_, i64>(0)?);
        if let Some(a) = article_from_row(row, urls)? {
            out.push(a);
        }
    }
    Ok((out, ids))
}

/// An article with its feed's URL, as the cache hands it out.
type FeedArticle = (String, Article);

/// What one article row is read as; see [`article_from_row`].
const ARTICLE_COLUMNS: &str = "id, feed_id, key, title, link, author, categories, published_s,
    published_ns, first_seen_s, first_seen_ns, language, read, starred";

/// An article (with its feed's URL) from a row of [`ARTICLE_COLUMNS`]; `None` for a row whose
/// feed is unknown (impossible with foreign keys on; never invent a feed).
fn article_from_row(
    row: &rusqlite::Row<'_>,
    urls: &HashMap<i64, String>,
) -> rusqlite::Result<Option<(String, Article)>> {
    let Some(url) = urls.get(&row.get::<_, i64>(1)?) else {
        return Ok(None);
    };
    let article = Article {
        feed: FeedId(0),
        key: row.get(2)?,
        title: row.get(3)?,
        link: row.get(4)?,
        author: row.get(5)?,
        categories: split_categories(row.get_ref(6)?.as_str_or_null()?),
        published: join_time(row.get(7)?, row.get(8)?),
        first_seen: join_time(row.get(9)?, row.get(10)?).unwrap_or(DateTime::UNIX_EPOCH),
        summary_html: None,
        content_html: None,
        language: row.get(11)?,
        read: row.get(12)?,
        starred: row.get(13)?,
    };
    Ok(Some((url.clone(), article)))
}

/// Below this many articles one thread is fast enough.
const PARALLEL_LOAD_MIN: i64 = 20_000;

impl RestLoader {
    /// How many article rows are left to read (at most; gaps in the row ids count).
    pub fn remaining(&self) -> usize {
        usize::try_from(self.hi - self.lo + 1)
            .unwrap_or(0)
            .saturating_sub(self.skip.len())
    }

    /// Reads the articles not loaded yet, handing them to `sink` in parts of at most `chunk`
    /// as they are read (in no particular order between parts). Opens its own read-only
    /// connections: WAL lets them read beside the writer.
    pub fn load(
        self,
        chunk: usize,
        sink: &mut (dyn FnMut(Vec<(String, Article)>) + Send),
    ) -> Result<(), PersistError> {
        self.read(None, chunk, sink)
            .map_err(|e| db_error(&self.path, &e))
    }

    /// Reads in row-id ranges on several threads when there are many rows: the per-row work
    /// (decoding, allocating) dominates, and the user waits for it. Parts come in range order
    /// within one thread; `conn` (if given) reads the first range.
    fn read(
        &self,
        conn: Option<&Connection>,
        chunk: usize,
        sink: &mut (dyn FnMut(Vec<(String, Article)>) + Send),
    ) -> rusqlite::Result<()> {
        let (lo, hi) = (self.lo, self.hi);
        // AKHBAR_LOAD_THREADS overrides the thread count (for measuring).
        let cores = std::env::var("AKHBAR_LOAD_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)));
        let threads = if hi - lo < PARALLEL_LOAD_MIN {
            1
        } else {
            cores as i64
        };
        let step = (hi - lo) / threads + 1;
        let ranges: Vec<(i64, i64)> = (0..threads)
            .map(|i| (lo + i * step, (lo + (i + 1) * step - 1).min(hi)))
            .collect();
        let open = || {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let reader = Connection::open_with_flags(&self.path, flags)?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok::<_, rusqlite::Error>(reader)
        };
        let sink = std::sync::Mutex::new(sink);
        let give = |part: Vec<(String, Article)>| {
            let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
            (*sink)(part);
        };
        // One thread's parts go out in order; with `usize::MAX` (everything at once) each
        // thread gives one part, and the parts are given in range order.
        let ordered = chunk == usize::MAX;
        std::thread::scope(|scope| {
            let others: Vec<_> = ranges[1..]
                .iter()
                .map(|&(a, b)| {
                    let give = &give;
                    scope.spawn(move || {
                        let reader = open()?;
                        let mut held = Vec::new();
                        self.read_range(&reader, a, b, chunk, &mut |part| {
                            if ordered {
                                held.push(part);
                            } else {
                                give(part);
                            }
                        })?;
                        Ok::<_, rusqlite::Error>(held)
                    })
                })
                .collect();
            let own;
            let first = match conn {
                Some(c) => c,
                None => {
                    own = open()?;
                    &own
                }
            };
            self.read_range(first, ranges[0].0, ranges[0].1, chunk, &mut |p| give(p))?;
            for handle in others {
                let held = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                held.into_iter().for_each(&give);
            }
            Ok(())
        })
    }

    fn read_range(
        &self,
        conn: &Connection,
        lo: i64,
        hi: i64,
        chunk: usize,
        give: &mut dyn FnMut(Vec<(String, Article)>),
    ) -> rusqlite::Result<()> {
        let cap = usize::try_from(hi - lo + 1).unwrap_or(0).min(chunk);
        let mut part = Vec::with_capacity(cap);
        let mut stmt = conn.prepare(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id BETWEEN ?1 AND ?2"
        ))?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(row) = rows.next()? {
            if !self.skip.is_empty() && self.skip.contains(&row.get::<_, i64>(0)?) {
                continue;
            }
            if let Some(a) = article_from_row(row, &self.urls)? {
                part.push(a);
                if part.len() >= chunk {
                    give(std::mem::replace(&mut part, Vec::with_capacity(cap)));
                }
            }
        }
        if !part.is_empty() {
            give(part);
        }
        Ok(())
    }
}

/// Opens the cache read-only without the lock (WAL lets readers in beside the writer).
/// `None` when there is no cache file yet.
pub(crate) fn open_read_only(dir: &Path) -> Result<Option<Connection>, PersistError> {
    let path = dir.join(CACHE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| db_error(&path, &e))?;
    conn.busy_timeout(std::time::Duration::from_secs(2))
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

pub(crate) fn db_error(path: &Path, e: &rusqlite::Error) -> PersistError {
    PersistError::Database {
        path: path.to_path_buf(),
        message: describe(e),
    }
}

/// One line a user understands.
pub(crate) fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "disk full".into(),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => {
            "the data directory is read-only".into()
        }
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            "the cache file is damaged".into()
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "the cache is busy (another process holds it)".into()
        }
        _ => e.to_string(),
    }
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

/// Catches what SQLite would open without complaint: an empty file (SQLite treats it as a new
/// database) and a file cut short (SQLite only notices when it reaches the missing pages).
fn check_header(path: &Path) -> Result<(), Attempt> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            return Err(super::lock::io_error(dir, path, e).into());
        }
    };
    let len = file
        .metadata()
        .map_err(|source| PersistError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    // While a WAL holds committed pages the main file may legitimately lag behind.
    let wal_len = std::fs::metadata(wal_path(path)).map_or(0, |m| m.len());
    if len == 0 {
        return if wal_len == 0 {
            Err(Attempt::Unusable("was empty".into()))
        } else {
            Ok(())
        };
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() {
        return Err(Attempt::Unusable("is truncated".into()));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(Attempt::Unusable("is not a database (damaged?)".into()));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let change_counter = be32(24);
    let pages = u64::from(be32(28));
    let valid_for = be32(92);
    if wal_len == 0 && change_counter == valid_for && len < pages.saturating_mul(page_size) {
        return Err(Attempt::Unusable("is truncated".into()));
    }
    Ok(())
}

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

/// Renames the file to `<name>.corrupt-<UTC time>` (its WAL along with it, so the pair can
/// still be opened for rescue) and removes the shared-memory index.
fn move_aside(dir: &Path, path: &Path) -> Result<PathBuf, PersistError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut aside = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
    let mut n = 1;
    while aside.exists() {
        aside = PathBuf::from(format!("{}.corrupt-{stamp}-{n}", path.display()));
        n += 1;
    }
    let io = |source| super::lock::io_error(dir, path, source);
    std::fs::rename(path, &aside).map_err(io)?;
    // A stale WAL must never be replayed into the fresh file.
    match std::fs::rename(wal_path(path), wal_path(&aside)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    match std::fs::remove_file(shm_path(path)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    Ok(aside)
}

pub(crate) fn split_time(t: DateTime<Utc>) -> (i64, i64) {
    (t.timestamp(), i64::from(t.timestamp_subsec_nanos()))
}

pub(crate) fn split_opt_time(t: Option<DateTime<Utc>>) -> (Option<i64>, Option<i64>) {
    match t {
        Some(t) => {
            let (s, ns) = split_time(t);
            (Some(s), Some(ns))
        }
        None => (None, None),
    }
}

fn join_time(s: Option<i64>, ns: Option<i64>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(s?, u32::try_from(ns.unwrap_or(0)).unwrap_or(0))
}

pub(crate) fn join_categories(categories: &[String]) -> Option<String> {
    if categories.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (i, c) in categories.iter().enumerate() {
        if i > 0 {
            out.push(CATEGORY_SEPARATOR);
        }
        // Defensive: a stray separator would split one category into two.
        out.extend(c.chars().filter(|&ch| ch != CATEGORY_SEPARATOR));
    }
    Some(out)
}

fn split_categories(text: Option<&str>) -> Vec<String> {
    match text {
        Some(t) => t.split(CATEGORY_SEPARATOR).map(str::to_owned).collect(),
        None => Vec::new(),
    }
}
