//! The durable cache: feeds, articles, read/starred state and poll metadata in
//! `<data_dir>/cache.sqlite` (SQLite, WAL), written by one background thread.
//!
//! Shape: [`open`] locks the data directory, recovers from damaged or too-new files, migrates
//! older schemas and loads everything but article bodies (those come lazily through
//! [`Cache::load_body`], which keeps start-up fast and memory small with 100k articles).
//! After that the app only *sends* [`Change`]s; the writer thread batches them into one
//! transaction at least once a second and reports through [`PersistEvent`]s. A failed commit
//! keeps the batch in memory and retries, so a full disk or a read-only directory loses
//! nothing that is still in memory.

mod bodies;
mod codec;
mod compact;
mod index;
mod load;
mod lock;
mod packed;
mod queue;
mod reader;
mod recover;
mod retain;
mod schema;
mod search;
mod sqlerr;
mod state;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use crate::model::Article;

pub use compact::{Vacuumed, vacuum};
pub use queue::{MarkKind, PendingMark, SyncQueue, SyncedFeedRow, synced_feeds};
pub use search::{SearchHit, SearchResults, Searcher};
pub use state::{StateImport, export_state, import_state, import_state_detailed};

/// File name of the cache inside the data directory.
pub const CACHE_FILE: &str = "cache.sqlite";
/// File name of the lock that keeps a second akhbar from writing the same cache.
pub const LOCK_FILE: &str = "lock";

/// Per-feed state kept between runs. Feeds are identified by their URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredFeed {
    pub url: String,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll: Option<DateTime<Utc>>,
    /// Consecutive failed fetches.
    pub failures: u32,
    /// Where a permanent redirect moved the feed.
    pub redirected_url: Option<String>,
    pub last_error: Option<String>,
    /// When the feed was last fetched, whatever the outcome (`last_error` says which).
    pub last_fetch: Option<DateTime<Utc>>,
}

/// What [`open`] found on disk.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub feeds: Vec<StoredFeed>,
    /// Articles with their feed URL. `Article::feed` is `FeedId(0)` (the caller remaps it) and
    /// `summary_html` / `content_html` are `None`: bodies load lazily via [`Cache::load_body`].
    /// With [`LoadPlan::Newest`], only the newest ones.
    pub articles: Vec<(String, Article)>,
    /// Things the user should be told once, e.g. that a damaged cache was moved aside.
    pub notices: Vec<String>,
    /// Settings the user changed in the UI (see [`Change::Setting`]), sorted by key.
    pub settings: Vec<(String, String)>,
    /// With [`LoadPlan::Newest`]: every feed's counts, over all its articles (loaded or not).
    pub counts: Vec<FeedCounts>,
    /// With [`LoadPlan::Newest`]: reads the articles not in `articles`.
    pub rest: Option<RestLoader>,
}

/// The setting that keeps the unread-only toggle between runs (`true` / `false`).
pub const SETTING_UNREAD_ONLY: &str = "unread_only";
/// The setting that keeps the reader's measure (`+` / `-`) between runs: "84@80", the width
/// and the config's `reader_width` it was chosen under.
pub const SETTING_READER_WIDTH: &str = "reader_width";

impl Loaded {
    /// Whether the unread-only toggle was on ([`SETTING_UNREAD_ONLY`]).
    pub fn unread_only(&self) -> bool {
        self.settings
            .iter()
            .any(|(k, v)| k == SETTING_UNREAD_ONLY && v == "true")
    }

    /// The value of a setting, if the user changed it.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// How much [`open_with_plan`] reads before it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadPlan {
    /// Every article (the headless commands).
    All,
    /// The newest `n` articles (only unread ones if the [`SETTING_UNREAD_ONLY`] setting is
    /// `true`: then those are what the first screen shows) and every feed's counts,
    /// so the first frame can be drawn at once; the rest comes through [`Loaded::rest`].
    Newest { n: usize },
}

/// One feed's article counts in the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedCounts {
    pub url: String,
    pub total: usize,
    pub unread: usize,
    pub starred: usize,
}

/// The articles a staged start-up has not read yet (see [`LoadPlan::Newest`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestLoader {
    path: PathBuf,
    /// Feed row id -> feed URL.
    urls: std::collections::HashMap<i64, String>,
    /// Article row ids already loaded.
    skip: std::collections::HashSet<i64>,
    lo: i64,
    hi: i64,
}

/// One change to the durable state. Changes apply in the order sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Insert or update articles of one feed (the feed row is created if needed).
    /// A `None` body keeps the stored one, because articles loaded from the cache come
    /// without bodies; send `Some(String::new())` to clear a body.
    UpsertArticles {
        feed_url: String,
        articles: Vec<Article>,
    },
    SetRead {
        feed_url: String,
        key: String,
        read: bool,
    },
    SetStarred {
        feed_url: String,
        key: String,
        starred: bool,
    },
    /// Replace the stored metadata of `StoredFeed::url` (creating the row if needed).
    FeedMeta(StoredFeed),
    /// Drop old articles: older than `keep_days` (by published date, else first seen) or
    /// beyond the newest `keep_per_feed` of their feed. Starred articles and the keys a feed
    /// still lists are never dropped. 0 means "no limit" for either number.
    Retain {
        keep_days: u32,
        keep_per_feed: usize,
        /// (feed url, keys the feed still lists); `None` when that is unknown (the feed was
        /// not fetched in this run, or its server keeps its articles): none of its go.
        still_listed: Vec<(String, Option<Vec<String>>)>,
    },
    /// Forget a feed and all its articles (it left the configuration).
    RemoveFeed { feed_url: String },
    /// Remember a setting the user changed in the UI (the unread-only toggle, ...).
    Setting { key: String, value: String },
    /// Keep an article's full text from its page (replacing one kept before); nothing when
    /// the article is not in the cache.
    FullText {
        feed_url: String,
        key: String,
        full: crate::model::FullText,
    },
}

/// What the writer thread reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersistEvent {
    /// A batch of `changes` was committed.
    Saved { changes: usize },
    /// One line for the status line, e.g. "cannot save: disk full (3 changes kept, retrying)".
    Error(String),
    /// The search index is taking in articles in the background: `done` of `total` so far
    /// (`done == total`: finished). Sent for a build found when the writer starts (a cache
    /// from before the index, or one a quit left half built) and for one of 2,000 articles or
    /// more (a big first fetch), once at the start and after every step of 500; not for the
    /// few new articles of a poll, which the index takes in within milliseconds.
    Indexing { done: u64, total: u64 },
    /// The index took in more articles (after [`PersistEvent::Indexing`] when that is
    /// sent): a search asked before may find more now.
    Indexed,
}

/// Receives writer events; called on the writer thread.
pub type EventSink = Box<dyn FnMut(PersistEvent) + Send>;

/// A storage failure the writer can be told to fake, to test the recovery path.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjectedFailure {
    /// ENOSPC: SQLite's `SQLITE_FULL`.
    DiskFull,
    /// The directory or file became read-only: `SQLITE_READONLY`.
    ReadOnly,
}

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error(
        "another akhbar{} is using {}; close it or pass --data-dir",
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default(),
        dir.display()
    )]
    Locked { dir: PathBuf, pid: Option<u32> },
    #[error("the data directory {} is read-only; akhbar cannot keep its cache there (pass --data-dir)", dir.display())]
    ReadOnly { dir: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cache {}: {message}", path.display())]
    Database { path: PathBuf, message: String },
    /// A flush failed; the changes are still held and will be retried.
    #[error("{0}")]
    Save(String),
    #[error("bad state file: {0}")]
    State(String),
    #[error("the cache writer has stopped")]
    WriterGone,
}

/// The running cache: a handle to the writer thread that owns the database connection.
pub struct Cache {
    tx: Sender<writer::Msg>,
    thread: Option<JoinHandle<()>>,
    events: Mutex<Option<Receiver<PersistEvent>>>,
    /// Numbers changes so the writer can tell which pending bodies it has committed.
    seq: AtomicU64,
    pending_bodies: Arc<bodies::PendingBodies>,
    reader: bodies::BodyReader,
    searcher: Mutex<Searcher>,
    path: PathBuf,
}

impl Cache {
    /// Queues a change; it is committed within about a second.
    pub fn send(&self, change: Change) {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        // Shared with the reader's view of uncommitted bodies rather than copied: a refresh
        // of 1,000 feeds queues ~100 MiB of HTML, and one copy of it is enough.
        let change = Arc::new(change);
        self.pending_bodies.remember(seq, &change);
        // A gone writer has already reported why through its events.
        let _ = self.tx.send(writer::Msg::Change(change, seq));
    }

    /// Commits everything queued so far and waits for the result. On error the changes stay
    /// queued and are retried.
    pub fn flush_blocking(&self) -> Result<(), PersistError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.request(writer::Msg::Flush(reply))?;
        answer.recv().map_err(|_| PersistError::WriterGone)?
    }

    /// Commits everything queued, then indexes for search every article the index has still
    /// to take in (new articles are otherwise indexed in the writer's idle time, right after
    /// their commit), and waits for it. For tests and for commands that search at once.
    pub fn index_blocking(&self) -> Result<(), PersistError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.request(writer::Msg::IndexNow(reply))?;
        answer.recv().map_err(|_| PersistError::WriterGone)?
    }

    /// The `(summary_html, content_html)` of one article, including changes not yet
    /// committed; `None` if the cache does not know the article. Never waits for the writer.
    pub fn load_body(&self, feed_url: &str, key: &str) -> Option<(Option<String>, Option<String>)> {
        self.reader.load(&self.pending_bodies, feed_url, key)
    }

    /// The full text kept for an article (committed ones; the app keeps the ones of this
    /// session itself).
    pub fn load_full_text(&self, feed_url: &str, key: &str) -> Option<crate::model::FullText> {
        self.reader.load_full(feed_url, key)
    }

    /// Every cached article that has all the words of `query` (folded like the index; the
    /// last word as a prefix from three letters on) in its title, author or body, or in its
    /// feed's name: newest first, at most `limit`, with the total count. Reads what the index
    /// has taken in (articles are indexed right after their commit, when the writer is idle;
    /// [`SearchResults::indexing`] says when a big build is still going) on its own
    /// connection, beside the writer; call it off the render loop (or use
    /// [`Cache::searcher`] on a worker thread).
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults, PersistError> {
        self.search_with(query, limit, crate::text::fold::FoldOptions::default())
    }

    /// [`Cache::search`] with folding options (the teh marbuta setting).
    pub fn search_with(
        &self,
        query: &str,
        limit: usize,
        opts: crate::text::fold::FoldOptions,
    ) -> Result<SearchResults, PersistError> {
        let mut searcher = self.searcher.lock().unwrap_or_else(|e| e.into_inner());
        searcher.search_with(query, limit, opts)
    }

    /// A search handle of its own (its own connection), to move to a worker thread. Drop it
    /// before the cache, so the writer's close is the last one.
    pub fn searcher(&self) -> Searcher {
        Searcher::new(self.path.clone())
    }

    /// The next pending event (unless [`Cache::take_events`] took the receiver).
    pub fn try_event(&self) -> Option<PersistEvent> {
        let guard = self.events.lock().ok()?;
        guard.as_ref()?.try_recv().ok()
    }

    /// Takes the event receiver (e.g. to forward it into the app's own channel).
    pub fn take_events(&self) -> Option<Receiver<PersistEvent>> {
        self.events.lock().ok()?.take()
    }

    /// Test hook: the next `times` commits fail with `failure` (after doing all the work, so
    /// the rollback path is the real one).
    #[doc(hidden)]
    pub fn inject_failure(&self, failure: InjectedFailure, times: u32) {
        let _ = self.tx.send(writer::Msg::Inject(failure, times));
    }

    fn request(&self, msg: writer::Msg) -> Result<(), PersistError> {
        self.tx.send(msg).map_err(|_| PersistError::WriterGone)
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        self.reader.close();
        self.searcher
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .close();
        // The writer commits what is queued before it stops.
        let _ = self.tx.send(writer::Msg::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `$XDG_DATA_HOME/akhbar` (or the platform's equivalent).
pub fn default_data_dir() -> Option<PathBuf> {
    crate::xdg::dir(crate::xdg::Base::Data)
}

/// Opens (creating) `<data_dir>/cache.sqlite`; events are read with [`Cache::try_event`] or
/// [`Cache::take_events`].
///
/// A second process on the same directory gets [`PersistError::Locked`]. A damaged, truncated,
/// empty or newer-version file is moved to `cache.sqlite.corrupt-<UTC time>` and akhbar starts
/// empty, with a notice in [`Loaded::notices`].
pub fn open(data_dir: &Path) -> Result<(Cache, Loaded), PersistError> {
    open_with_plan(data_dir, LoadPlan::All)
}

/// Like [`open`], reading as much of the cache as `plan` says.
pub fn open_with_plan(data_dir: &Path, plan: LoadPlan) -> Result<(Cache, Loaded), PersistError> {
    let (tx, rx) = mpsc::channel();
    let sink: EventSink = Box::new(move |event| {
        let _ = tx.send(event);
    });
    let (cache, loaded) = open_inner(data_dir, sink, plan)?;
    *cache.events.lock().unwrap_or_else(|e| e.into_inner()) = Some(rx);
    Ok((cache, loaded))
}

fn open_inner(
    data_dir: &Path,
    sink: EventSink,
    plan: LoadPlan,
) -> Result<(Cache, Loaded), PersistError> {
    let (lock, conn, loaded) = match open_writable(data_dir, plan) {
        Ok((lock, conn, loaded)) => (Some(lock), Some(conn), loaded),
        // Read what is there; the writer keeps the changes and tries again (see `writer`).
        Err(PersistError::ReadOnly { .. }) => (None, None, schema::load_read_only(data_dir, plan)?),
        Err(e) => return Err(e),
    };
    let (tx, rx) = mpsc::channel();
    let pending_bodies = Arc::new(bodies::PendingBodies::default());
    let setup = writer::Setup {
        conn,
        lock,
        dir: data_dir.to_path_buf(),
        bodies: Arc::clone(&pending_bodies),
        sink,
    };
    let thread = std::thread::Builder::new()
        .name("akhbar-persist".into())
        .spawn(move || writer::run(setup, rx))
        .map_err(|source| PersistError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
    Ok((
        Cache {
            tx,
            thread: Some(thread),
            events: Mutex::new(None),
            seq: AtomicU64::new(0),
            pending_bodies,
            reader: bodies::BodyReader::new(data_dir.join(CACHE_FILE)),
            searcher: Mutex::new(Searcher::new(data_dir.join(CACHE_FILE))),
            path: data_dir.join(CACHE_FILE),
        },
        loaded,
    ))
}

fn open_writable(
    data_dir: &Path,
    plan: LoadPlan,
) -> Result<(lock::DirLock, rusqlite::Connection, Loaded), PersistError> {
    let lock = lock::DirLock::acquire(data_dir)?;
    let (conn, loaded) = schema::open_and_load(data_dir, plan)?;
    Ok((lock, conn, loaded))
}

/// The starred articles of the feeds with these URLs, read-only and without the lock (as
/// [`Loaded::articles`] has them: with their feed URL, without bodies). For the feeds that
/// left the config: their starred articles stay in Starred (issue 10 item 14).
pub fn starred_of(
    data_dir: &Path,
    feed_urls: &[String],
) -> Result<Vec<(String, Article)>, PersistError> {
    if feed_urls.is_empty() {
        return Ok(Vec::new());
    }
    let Some(conn) = schema::open_read_only(data_dir)? else {
        return Ok(Vec::new());
    };
    load::starred_of(&conn, feed_urls).map_err(|e| sqlerr::db_error(&data_dir.join(CACHE_FILE), &e))
}

/// The number of unread articles in the cache, for `akhbar print-unread`. Opens read-only and
/// takes no lock (WAL lets it read while akhbar writes); 0 if there is no cache yet. Sums the
/// per-feed counts (O(feeds)); a cache older than version 9 is counted from its articles.
pub fn count_unread(data_dir: &Path) -> Result<u64, PersistError> {
    let Some(conn) = schema::open_read_only(data_dir)? else {
        return Ok(0);
    };
    let path = data_dir.join(CACHE_FILE);
    let sql = if has_feed_counts(&conn).map_err(|e| sqlerr::db_error(&path, &e))? {
        "SELECT coalesce(sum(unread), 0) FROM feed_counts"
    } else {
        "SELECT count(*) FROM articles WHERE read = 0"
    };
    conn.query_row(sql, [], |row| row.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|e| sqlerr::db_error(&path, &e))
}

/// Like [`count_unread`], over the articles of the given feeds only (the configured ones: the
/// cache keeps the articles of a feed taken out of the config, which the reader no longer
/// shows or counts). One row per feed from `feed_counts` (or, in a cache older than version
/// 9, the per-feed counts through the `articles_unread` index).
pub fn count_unread_of(data_dir: &Path, feed_urls: &[String]) -> Result<u64, PersistError> {
    let Some(conn) = schema::open_read_only(data_dir)? else {
        return Ok(0);
    };
    let path = data_dir.join(CACHE_FILE);
    let wanted: std::collections::HashSet<&str> = feed_urls.iter().map(String::as_str).collect();
    let sql = if has_feed_counts(&conn).map_err(|e| sqlerr::db_error(&path, &e))? {
        "SELECT f.url, c.unread FROM feed_counts c JOIN feeds f ON f.id = c.feed_id"
    } else {
        "SELECT f.url, count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id
         WHERE a.read = 0 GROUP BY a.feed_id"
    };
    let mut stmt = conn.prepare(sql).map_err(|e| sqlerr::db_error(&path, &e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .map_err(|e| sqlerr::db_error(&path, &e))?;
    let mut total = 0u64;
    for row in rows {
        let (url, n) = row.map_err(|e| sqlerr::db_error(&path, &e))?;
        if wanted.contains(url.as_str()) {
            total += u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(total)
}

/// Whether the cache keeps per-feed counts (version 9 on; a read-only command may meet an
/// older file that only the next writable run migrates).
fn has_feed_counts(conn: &rusqlite::Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'feed_counts'",
        [],
        |r| r.get(0),
    )
}
