//! The writer thread: owns the connection, batches changes into one transaction at least once
//! a second, and keeps a failed batch in memory until a retry succeeds.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use super::bodies::PendingBodies;
use super::codec::{join_categories, join_enclosures, split_opt_time, split_time};
use super::index::{self, Words};
use super::lock::DirLock;
use super::packed::{self, Packed};
use super::schema;
use super::sqlerr::describe;
use super::{Change, EventSink, InjectedFailure, PersistError, PersistEvent, StoredFeed};

/// A change waits at most this long before it is committed.
const BATCH_WINDOW: Duration = Duration::from_secs(1);
/// A batch with this many articles is committed at once, without waiting for the window: a
/// big refresh then holds a few MiB of queued bodies instead of everything, and each
/// transaction fits SQLite's page cache (no spilling to the WAL mid-transaction).
pub(crate) const BATCH_ARTICLES: usize = 1000;
/// Retry delays after failed commits grow up to this.
const MAX_RETRY: Duration = Duration::from_secs(30);

pub(crate) enum Msg {
    /// A change and its sequence number (see `PendingBodies`, which shares it).
    Change(Arc<Change>, u64),
    Flush(SyncSender<Result<(), PersistError>>),
    /// Commits, then indexes everything the index has still to take in.
    IndexNow(SyncSender<Result<(), PersistError>>),
    Inject(InjectedFailure, u32),
    Shutdown,
}

struct Writer {
    /// `None` while the data directory cannot be written (the session started read-only):
    /// every commit first tries to take the lock and open the file for writing.
    conn: Option<Connection>,
    dir: PathBuf,
    sink: EventSink,
    pending: Vec<Arc<Change>>,
    /// Articles in `pending` (a big batch is committed early, so memory stays bounded).
    pending_articles: usize,
    /// Sequence number of the newest change in `pending`.
    last_seq: u64,
    bodies: Arc<PendingBodies>,
    /// When the pending batch must be committed (None: nothing pending).
    deadline: Option<Instant>,
    failures_in_a_row: u32,
    injected: Option<(InjectedFailure, u32)>,
    words: Words,
    /// The background build of the index (a cache from before it): when the next step may
    /// run, `None` when there is nothing left to build.
    backfill_at: Option<Instant>,
    /// Whether the build in progress is reported through [`PersistEvent::Indexing`]: one
    /// found at start (a migrated cache, or one a quit left half built) or a big one; not
    /// the few articles of every poll.
    report: bool,
    /// Rows stored as text before version 10 are still to be compressed (`packed`), after
    /// the index's build, in the same idle time.
    repack: bool,
    /// Declared last: dropped after the connection is closed.
    lock: Option<DirLock>,
}

/// The index takes articles in once no change has come for this long: in a cold refresh,
/// where changes come every few milliseconds and the writer is the slowest stage, a step
/// between two commits would hold up the next one.
const QUIET: Duration = Duration::from_millis(250);

/// A build with at least this many articles to go is reported.
const REPORT_MIN: u64 = 2000;

/// What the writer thread owns.
pub(crate) struct Setup {
    /// `None` (with `lock`): the directory is read-only for now.
    pub(crate) conn: Option<Connection>,
    pub(crate) lock: Option<DirLock>,
    pub(crate) dir: PathBuf,
    pub(crate) bodies: Arc<PendingBodies>,
    pub(crate) sink: EventSink,
}

pub(crate) fn run(setup: Setup, rx: Receiver<Msg>) {
    let Setup {
        conn,
        lock,
        dir,
        bodies,
        sink,
    } = setup;
    let mut w = Writer {
        conn,
        dir,
        sink,
        pending: Vec::new(),
        pending_articles: 0,
        last_seq: 0,
        bodies,
        deadline: None,
        failures_in_a_row: 0,
        injected: None,
        words: Words::new(),
        backfill_at: None,
        report: false,
        repack: false,
        lock,
    };
    if w.conn.is_none() {
        // Said at once, so the status line carries the marker before the first change.
        w.failed(&CommitError::Open(PersistError::ReadOnly {
            dir: w.dir.clone(),
        }));
    } else {
        w.start_backfill();
    }
    loop {
        // Changes come first; the index is built when nothing else is waiting.
        let wake = match (w.deadline, w.backfill_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let msg = match wake {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
        };
        match msg {
            Ok(Msg::Change(change, seq)) => {
                if let Some(at) = w.backfill_at.as_mut() {
                    *at = (*at).max(Instant::now() + QUIET);
                }
                if let Change::UpsertArticles { articles, .. } = &*change {
                    w.pending_articles += articles.len();
                }
                w.pending.push(change);
                w.last_seq = seq;
                w.deadline
                    .get_or_insert_with(|| Instant::now() + BATCH_WINDOW);
                // A retry after a failed commit keeps its own schedule (the batch may then
                // grow: nothing in memory is dropped), but a change brings it forward to the
                // usual window: the directory may be writable again.
                if w.pending_articles >= BATCH_ARTICLES && w.failures_in_a_row == 0 {
                    let _ = w.commit();
                } else if w.failures_in_a_row > 0 {
                    let soon = Instant::now() + BATCH_WINDOW;
                    w.deadline = Some(w.deadline.map_or(soon, |at| at.min(soon)));
                }
            }
            Ok(Msg::Flush(reply)) => {
                let _ = reply.send(w.commit());
            }
            Ok(Msg::IndexNow(reply)) => {
                let _ = reply.send(w.commit().and_then(|()| w.index_all()));
            }
            Ok(Msg::Inject(failure, times)) => w.injected = Some((failure, times)),
            Err(RecvTimeoutError::Timeout) => {
                if w.deadline.is_some_and(|at| at <= Instant::now()) {
                    let _ = w.commit();
                } else {
                    w.backfill();
                }
            }
            Ok(Msg::Shutdown) | Err(RecvTimeoutError::Disconnected) => {
                let _ = w.commit();
                break;
            }
        }
    }
    // Close the database (checkpointing the WAL) before the lock goes (field order).
    drop(w);
}

/// Why a commit failed: the write itself, or opening the cache for writing.
enum CommitError {
    Sql(rusqlite::Error),
    Open(PersistError),
}

impl CommitError {
    fn describe(&self) -> String {
        match self {
            CommitError::Sql(e) => describe(e),
            CommitError::Open(PersistError::ReadOnly { dir }) => {
                format!("the data directory {} is read-only", dir.display())
            }
            CommitError::Open(e) => e.to_string(),
        }
    }
}

impl Writer {
    /// Schedules the background build of the index if the cache has one to do (a cache from
    /// before the index, or one a quit left half built).
    fn start_backfill(&mut self) {
        let Some(conn) = &self.conn else {
            return;
        };
        match index::backfill_pending(conn) {
            Ok(Some(progress)) => {
                self.backfill_at = Some(Instant::now());
                self.report = true;
                (self.sink)(PersistEvent::Indexing {
                    done: progress.done,
                    total: progress.total,
                });
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("cannot read the search index's state: {}", describe(&e)),
        }
        match packed::repack_pending(conn) {
            Ok(pending) => {
                self.repack = pending;
                if pending {
                    self.backfill_at
                        .get_or_insert_with(|| Instant::now() + QUIET);
                }
            }
            Err(e) => tracing::warn!("cannot read the bodies' repacking state: {}", describe(&e)),
        }
    }

    /// Takes the lock and opens the cache for writing if the session started without them.
    fn attach(&mut self) -> Result<(), PersistError> {
        if self.conn.is_some() {
            return Ok(());
        }
        let lock = DirLock::acquire(&self.dir)?;
        let conn = schema::open_writable(&self.dir)?;
        self.conn = Some(conn);
        self.lock = Some(lock);
        tracing::info!(dir = %self.dir.display(), "the data directory can be written again");
        self.start_backfill();
        Ok(())
    }

    /// One step of the background build; a failure is retried later (the bookmark is
    /// committed with each step, so nothing is done twice).
    fn backfill(&mut self) {
        if self.backfill_at.is_none_or(|at| at > Instant::now()) {
            return;
        }
        match self.step() {
            Ok(true) => {}
            Ok(false) => self.repack_step(),
            Err(e) => {
                tracing::warn!(dir = %self.dir.display(), "cannot build the search index: {}", describe(&e));
                self.backfill_at = Some(Instant::now() + MAX_RETRY);
            }
        }
    }

    /// One step of compressing the rows an older version stored as text, once the index is
    /// built; like the index's, it yields to every change (a change pushes `backfill_at`).
    fn repack_step(&mut self) {
        if !self.repack {
            return;
        }
        let Some(conn) = self.conn.as_mut() else {
            return;
        };
        match packed::repack_step(conn, packed::REPACK_BATCH) {
            Ok(Some(true)) => {
                let now = Instant::now();
                self.backfill_at = Some(self.backfill_at.map_or(now, |at| at.max(now)));
            }
            Ok(_) => {
                self.repack = false;
                tracing::info!(dir = %self.dir.display(), "the stored bodies are compressed");
            }
            Err(e) => {
                tracing::warn!(dir = %self.dir.display(), "cannot compress the stored bodies: {}", describe(&e));
                self.backfill_at = Some(Instant::now() + MAX_RETRY);
            }
        }
    }

    /// One step; `false` when the index has taken in everything.
    fn step(&mut self) -> rusqlite::Result<bool> {
        let Some(conn) = self.conn.as_mut() else {
            self.backfill_at = None;
            return Ok(false);
        };
        if !self.report
            && let Some(p) = index::backfill_pending(conn)?
        {
            self.report = p.total.saturating_sub(p.done) >= REPORT_MIN;
        }
        let Some(p) = index::backfill_step(conn, &mut self.words, index::BACKFILL_BATCH)? else {
            self.backfill_at = None;
            self.report = false;
            return Ok(false);
        };
        let more = p.done < p.total;
        // Another step at once unless a change came meanwhile (it set a later time).
        let now = Instant::now();
        self.backfill_at = more.then(|| self.backfill_at.map_or(now, |at| at.max(now)));
        if self.report {
            (self.sink)(PersistEvent::Indexing {
                done: p.done,
                total: p.total,
            });
        }
        (self.sink)(PersistEvent::Indexed);
        self.report &= more;
        Ok(more)
    }

    /// Every step left, now.
    fn index_all(&mut self) -> Result<(), PersistError> {
        while self.step().map_err(|e| {
            PersistError::Save(format!("cannot build the search index: {}", describe(&e)))
        })? {}
        Ok(())
    }

    fn commit(&mut self) -> Result<(), PersistError> {
        if self.pending.is_empty() {
            self.deadline = None;
            if self.conn.is_none() {
                // Nothing is at stake, but the user is told when saving works again.
                match self.attach() {
                    Ok(()) => {
                        self.failures_in_a_row = 0;
                        (self.sink)(PersistEvent::Saved { changes: 0 });
                    }
                    Err(_) => self.schedule_retry(),
                }
            }
            return Ok(());
        }
        match self.try_commit() {
            Ok(()) => {
                let changes = self.pending.len();
                self.pending.clear();
                self.pending_articles = 0;
                self.bodies.committed(self.last_seq);
                self.deadline = None;
                self.failures_in_a_row = 0;
                // New articles extend what the index has to take in.
                if self.backfill_at.is_none() {
                    self.backfill_at = self
                        .conn
                        .as_ref()
                        .and_then(|conn| index::backfill_pending(conn).ok().flatten())
                        .map(|_| Instant::now() + QUIET);
                }
                (self.sink)(PersistEvent::Saved { changes });
                Ok(())
            }
            Err(e) => Err(self.failed(&e)),
        }
    }

    /// The next retry, later after each failure in a row.
    fn schedule_retry(&mut self) {
        self.failures_in_a_row += 1;
        let delay = BATCH_WINDOW
            .saturating_mul(1 << self.failures_in_a_row.min(5))
            .min(MAX_RETRY);
        self.deadline = Some(Instant::now() + delay);
    }

    /// Reports a failed commit (or a cache that cannot be written yet) and schedules a retry.
    fn failed(&mut self, e: &CommitError) -> PersistError {
        self.schedule_retry();
        let n = self.pending.len();
        let line = if n == 0 {
            format!(
                "cannot save: {}; changes are kept in memory and saved once it can be written",
                e.describe()
            )
        } else {
            format!(
                "cannot save: {} ({n} change{} kept, retrying)",
                e.describe(),
                if n == 1 { "" } else { "s" }
            )
        };
        tracing::warn!(dir = %self.dir.display(), "{line}");
        (self.sink)(PersistEvent::Error(line.clone()));
        PersistError::Save(line)
    }

    fn try_commit(&mut self) -> Result<(), CommitError> {
        self.attach().map_err(CommitError::Open)?;
        let mut conn = self.conn.take().expect("attached above");
        let written = self.write(&mut conn);
        self.conn = Some(conn);
        written.map_err(CommitError::Sql)
    }

    fn write(&mut self, conn: &mut Connection) -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        let mut queue = index::Queue::default();
        for change in &self.pending {
            apply(&tx, change, &mut self.words, &mut queue)?;
        }
        queue.write(&tx)?;
        if let Some((failure, times)) = self.injected.as_mut()
            && *times > 0
        {
            *times -= 1;
            let code = match failure {
                InjectedFailure::DiskFull => rusqlite::ffi::SQLITE_FULL,
                InjectedFailure::ReadOnly => rusqlite::ffi::SQLITE_READONLY,
            };
            // Dropping `tx` rolls back, exactly as after a real failed write.
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ));
        }
        tx.commit()
    }
}

fn feed_id(conn: &Connection, url: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO feeds(url) VALUES (?1) ON CONFLICT(url) DO NOTHING")?
        .execute([url])?;
    conn.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?
        .query_row([url], |r| r.get(0))
}

fn apply(
    conn: &Connection,
    change: &Change,
    words: &mut Words,
    queue: &mut index::Queue,
) -> rusqlite::Result<()> {
    if queue.is_full() || matches!(change, Change::Retain { .. } | Change::RemoveFeed { .. }) {
        queue.write(conn)?;
    }
    match change {
        Change::UpsertArticles { feed_url, articles } => {
            let feed = feed_id(conn, feed_url)?;
            let mut index = index::Batch::start(conn)?;
            let mut upsert = conn.prepare_cached(
                "INSERT INTO articles(feed_id, key, title, link, author, categories,
                     published_s, published_ns, first_seen_s, first_seen_ns, language, read, starred,
                     enclosures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT(feed_id, key) DO UPDATE SET
                     title = excluded.title, link = excluded.link, author = excluded.author,
                     categories = excluded.categories, published_s = excluded.published_s,
                     published_ns = excluded.published_ns, first_seen_s = excluded.first_seen_s,
                     first_seen_ns = excluded.first_seen_ns, language = excluded.language,
                     read = excluded.read, starred = excluded.starred,
                     enclosures = excluded.enclosures
                 RETURNING id",
            )?;
            let mut body = conn.prepare_cached(
                "INSERT INTO bodies(article_id, summary_html, content_html) VALUES (?1, ?2, ?3)
                 ON CONFLICT(article_id) DO UPDATE SET
                     summary_html = coalesce(excluded.summary_html, summary_html),
                     content_html = coalesce(excluded.content_html, content_html)",
            )?;
            for a in articles {
                let (pub_s, pub_ns) = split_opt_time(a.published);
                let (seen_s, seen_ns) = split_time(a.first_seen);
                let id: i64 = upsert.query_row(
                    params![
                        feed,
                        a.key(),
                        a.title(),
                        a.link(),
                        a.author(),
                        join_categories(a.categories()),
                        pub_s,
                        pub_ns,
                        seen_s,
                        seen_ns,
                        a.language(),
                        a.read,
                        a.starred,
                        join_enclosures(a.enclosures())
                    ],
                    |r| r.get(0),
                )?;
                if a.summary_html().is_some() || a.content_html().is_some() {
                    body.execute(params![
                        id,
                        Packed(a.summary_html()),
                        Packed(a.content_html())
                    ])?;
                }
                index.index(conn, words, queue, id, a)?;
            }
            index.finish(conn)?;
        }
        Change::SetRead {
            feed_url,
            key,
            read,
        } => {
            conn.prepare_cached(
                "UPDATE articles SET read = ?3
                 WHERE feed_id = (SELECT id FROM feeds WHERE url = ?1) AND key = ?2",
            )?
            .execute(params![feed_url, key, read])?;
        }
        Change::SetStarred {
            feed_url,
            key,
            starred,
        } => {
            conn.prepare_cached(
                "UPDATE articles SET starred = ?3
                 WHERE feed_id = (SELECT id FROM feeds WHERE url = ?1) AND key = ?2",
            )?
            .execute(params![feed_url, key, starred])?;
        }
        Change::FeedMeta(feed) => save_feed(conn, feed)?,
        Change::Retain {
            keep_days,
            keep_per_feed,
            still_listed,
        } => {
            super::retain::retain(conn, *keep_days, *keep_per_feed, still_listed)?;
        }
        Change::RemoveFeed { feed_url } => {
            conn.prepare_cached("DELETE FROM feeds WHERE url = ?1")?
                .execute([feed_url])?;
        }
        Change::Setting { key, value } => {
            conn.prepare_cached(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        }
        Change::FullText {
            feed_url,
            key,
            full,
        } => {
            let (pub_s, pub_ns) = split_opt_time(full.published);
            let direction = full.direction.map(|d| match d {
                crate::model::Direction::Rtl => "rtl",
                crate::model::Direction::Ltr => "ltr",
                crate::model::Direction::Auto => "auto",
            });
            conn.prepare_cached(
                "INSERT OR REPLACE INTO full_texts(article_id, html, author, published_s,
                     published_ns, language, direction)
                 SELECT a.id, ?3, ?4, ?5, ?6, ?7, ?8 FROM articles a
                 WHERE a.feed_id = (SELECT id FROM feeds WHERE url = ?1) AND a.key = ?2",
            )?
            .execute(params![
                feed_url,
                key,
                Packed(Some(&full.html)),
                full.author,
                pub_s,
                pub_ns,
                full.language,
                direction
            ])?;
        }
    }
    Ok(())
}

fn save_feed(conn: &Connection, feed: &StoredFeed) -> rusqlite::Result<()> {
    let (poll_s, poll_ns) = split_opt_time(feed.next_poll);
    let (fetch_s, fetch_ns) = split_opt_time(feed.last_fetch);
    conn.prepare_cached(
        "INSERT INTO feeds(url, title, etag, last_modified, next_poll_s, next_poll_ns, failures,
                           redirected_url, last_error, last_fetch_s, last_fetch_ns)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(url) DO UPDATE SET
             title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
             next_poll_s = excluded.next_poll_s, next_poll_ns = excluded.next_poll_ns,
             failures = excluded.failures, redirected_url = excluded.redirected_url,
             last_error = excluded.last_error, last_fetch_s = excluded.last_fetch_s,
             last_fetch_ns = excluded.last_fetch_ns",
    )?
    .execute(params![
        feed.url,
        feed.title,
        feed.etag,
        feed.last_modified,
        poll_s,
        poll_ns,
        feed.failures,
        feed.redirected_url,
        feed.last_error,
        fetch_s,
        fetch_ns
    ])?;
    Ok(())
}
