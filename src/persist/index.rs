//! The full-text index: one FTS5 row per article (rowid = the article's id) holding the folded
//! words of its title, author and body (each word once). The cache's writer takes new
//! articles in right after their commit, in its idle time (see [`Batch`] for why not inline),
//! re-indexes a changed article in the same transaction, and a trigger removes an article's
//! row with it. A cache from before the index gets it built the same way, once, resuming
//! after a quit: `search_backfill` is the range of article ids the index has still to take
//! in, moved in the same transaction as each step.
//!
//! The table is contentless (the words are not stored twice; search only needs the row ids)
//! with `detail=none` (no positions: the search ANDs words and never asks for phrases), and
//! its tokenizer is `ascii`: the words are split and folded here (`text::fold`), joined by
//! spaces, and the `ascii` tokenizer splits exactly at those spaces and treats every other
//! non-ASCII character as part of a word, so SQLite never disagrees with our word splitting.
//! Feed names are not indexed per article: they are matched at query time (`search`), so a
//! renamed feed is found by its new name, and the first articles of a feed (stored before its
//! title is known) are found by it too.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use rusqlite::{Connection, OptionalExtension, params};

use super::packed::{body_at, body_ref};
use crate::text::fold::{self, FoldOptions};
use crate::text::strip::html_text;

/// Version 4's additions: the index, the backfill bookmark and the trigger that removes an
/// article's row with it (retention, a removed feed's cascade).
pub(crate) const V3_TO_V4: &str = "
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    words, content='', contentless_delete=1, detail=none, tokenize='ascii'
);
CREATE TABLE IF NOT EXISTS search_backfill(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    next_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS articles_unindex AFTER DELETE ON articles BEGIN
    DELETE FROM search WHERE rowid = old.id;
END;
";

/// For a cache that had articles before the index: they are indexed in the background.
pub(crate) const START_BACKFILL: &str = "
INSERT INTO search_backfill(id, next_id, last_id, done, total)
    SELECT 1, min(id), max(id), 0, count(*) FROM articles HAVING count(*) > 0;
";

/// Articles indexed per background step: about 50-100 ms of work, so a change that arrives
/// meanwhile waits no longer than that.
pub(crate) const BACKFILL_BATCH: usize = 500;

/// Reusable buffers for building an article's words.
#[derive(Default)]
pub(crate) struct Words {
    text: String,
    folded: String,
    out: String,
    /// `AKHBAR_SEARCH_INDEX=off`, for measuring what the index costs the writer (see
    /// benches/README.md): stored articles are then not indexed.
    off: bool,
}

impl Words {
    pub(crate) fn new() -> Words {
        Words {
            off: std::env::var_os("AKHBAR_SEARCH_INDEX").is_some_and(|v| v == "off"),
            ..Words::default()
        }
    }

    /// The folded words of an article, joined by single spaces.
    pub(crate) fn build(
        &mut self,
        title: &str,
        author: Option<&str>,
        summary_html: Option<&str>,
        content_html: Option<&str>,
    ) -> &str {
        self.text.clear();
        self.text.push_str(title);
        self.text.push(' ');
        if let Some(a) = author {
            self.text.push_str(a);
            self.text.push(' ');
        }
        for html in [summary_html, content_html].into_iter().flatten() {
            html_text(html, &mut self.text);
            self.text.push(' ');
        }
        self.folded.clear();
        fold::fold_into(&self.text, FoldOptions::default(), &mut self.folded);
        self.out.clear();
        // Each word once: the index keeps no positions, so a repeated word only costs FTS5
        // another hash update (a body of 500 words has ~250 different ones).
        let mut seen = std::collections::HashSet::with_capacity(256);
        for w in fold::words(&self.folded) {
            if !seen.insert(w) {
                continue;
            }
            if !self.out.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(w);
        }
        &self.out
    }
}

/// What the writer needs to know about the index while it stores a batch of one feed.
///
/// New articles are not indexed while they are stored: the index's frontier (the
/// `search_backfill` range, the same one an older cache's build uses) is extended over them,
/// and the writer indexes them right after, in its idle time, 500 to a transaction. Indexing
/// costs about as much as storing (FTS5 hashes every word: ~0.1 ms an article), so in a cold
/// refresh, where the writer is the slowest stage, doing it inline would nearly double the
/// run; deferred, the refresh does not wait for it, and the TUI's polls are indexed within
/// milliseconds of their commit. An article that is already indexed and changes is
/// re-indexed in the same transaction.
pub(crate) struct Batch {
    /// Ids above this are new rows of this batch (no index row yet).
    max_before: i64,
    /// Ids the background build has still to index (it will read their newest text).
    pending: Option<(i64, i64)>,
    /// The new rows: lowest id, highest id, how many.
    new: Option<(i64, i64, i64)>,
}

impl Batch {
    pub(crate) fn start(conn: &Connection) -> rusqlite::Result<Batch> {
        let max_before = conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM articles")?
            .query_row([], |r| r.get(0))?;
        let pending = conn
            .prepare_cached("SELECT next_id, last_id FROM search_backfill")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(Batch {
            max_before,
            pending,
            new: None,
        })
    }

    /// Queues the index row of the article stored as row `id`, or leaves it to the background
    /// build (a new row, or one the build has not reached). `summary_html` / `content_html`
    /// are what the change carried; a `None` body was kept from the cache, and is read back.
    pub(crate) fn index(
        &mut self,
        conn: &Connection,
        words: &mut Words,
        queue: &mut Queue,
        id: i64,
        article: &crate::model::Article,
    ) -> rusqlite::Result<()> {
        if words.off {
            return Ok(());
        }
        if id > self.max_before {
            // Stored twice in this batch: counted once (the build reads the newest text).
            self.new = Some(match self.new {
                None => (id, id, 1),
                Some((lo, hi, n)) if id > hi => (lo, id, n + 1),
                Some(seen) => seen,
            });
            return Ok(());
        }
        if self.pending.is_some_and(|(lo, hi)| (lo..=hi).contains(&id)) {
            return Ok(());
        }
        let (summary, content) = (article.summary_html(), article.content_html());
        let stored: Option<(Option<String>, Option<String>)>;
        let (summary, content) = if summary.is_some() && content.is_some() {
            (summary, content)
        } else {
            stored = conn
                .prepare_cached(
                    "SELECT summary_html, content_html FROM bodies WHERE article_id = ?1",
                )?
                .query_row([id], |r| Ok((body_at(r, 0)?, body_at(r, 1)?)))
                .optional()?;
            match &stored {
                Some((s, c)) => (s.as_deref(), c.as_deref()),
                None => (None, None),
            }
        };
        let text = words.build(article.title(), article.author(), summary, content);
        queue.add(id, true, text);
        Ok(())
    }

    /// Extends the frontier over the new rows of this batch.
    pub(crate) fn finish(self, conn: &Connection) -> rusqlite::Result<()> {
        let Some((lo, hi, n)) = self.new else {
            return Ok(());
        };
        conn.prepare_cached(
            "INSERT INTO search_backfill(id, next_id, last_id, done, total)
             VALUES (1, ?1, ?2, 0, ?3)
             ON CONFLICT(id) DO UPDATE SET
                 last_id = max(last_id, excluded.last_id), total = total + excluded.total",
        )?
        .execute(params![lo, hi, n])?;
        Ok(())
    }
}

/// Index rows waiting to be written, at most one per article, in row-id order.
///
/// Why not write them as the articles are stored: FTS5 writes its in-memory terms out as a
/// new segment at every savepoint, and SQLite opens one for every upsert of an article (a
/// statement journal) once the index is part of the transaction. Interleaved, 10,000 articles
/// became 10,000 one-article segments and their merges: 3.1 s of indexing against 0.4 s of
/// storing. Written together after the other statements, in increasing row-id order (FTS5
/// also flushes when a row id is not above the last one written), they cost a fraction.
#[derive(Default)]
pub(crate) struct Queue {
    rows: BTreeMap<i64, Queued>,
}

struct Queued {
    /// The index may hold an older version of the row: delete that first.
    replace: bool,
    words: String,
}

/// A queue this long is written out even before the transaction ends (a retried batch can
/// grow without bound).
const QUEUE_MAX: usize = 2000;

impl Queue {
    fn add(&mut self, id: i64, replace: bool, words: &str) {
        match self.rows.entry(id) {
            Entry::Occupied(mut e) => {
                // Stored twice in one transaction: the newest words; the index holds the row
                // before this transaction only if the first store said so.
                words.clone_into(&mut e.get_mut().words);
            }
            Entry::Vacant(e) => {
                e.insert(Queued {
                    replace,
                    words: words.to_owned(),
                });
            }
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.rows.len() >= QUEUE_MAX
    }

    /// Writes the queued rows. Called before anything deletes articles (their trigger then
    /// finds every row it should remove) and before the commit.
    pub(crate) fn write(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut delete = conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?;
        for (id, _) in self.rows.iter().filter(|(_, q)| q.replace) {
            delete.execute([id])?;
        }
        let mut insert = conn.prepare_cached("INSERT INTO search(rowid, words) VALUES (?1, ?2)")?;
        for (id, q) in &self.rows {
            insert.execute(params![id, q.words])?;
        }
        self.rows.clear();
        Ok(())
    }
}

/// Where the background build stands: `done` of `total` articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Progress {
    pub(crate) done: u64,
    pub(crate) total: u64,
}

/// Whether the background build has work left.
pub(crate) fn backfill_pending(conn: &Connection) -> rusqlite::Result<Option<Progress>> {
    conn.prepare_cached("SELECT done, total FROM search_backfill")?
        .query_row([], |r| {
            Ok(Progress {
                done: count(r.get(0)?),
                total: count(r.get(1)?),
            })
        })
        .optional()
}

/// Indexes the next `batch` articles of the background build in one transaction (the
/// bookmark moves in the same transaction, so a quit half way resumes where it stopped).
/// `None` when there was nothing to do; `done == total` when this step finished it.
pub(crate) fn backfill_step(
    conn: &mut Connection,
    words: &mut Words,
    batch: usize,
) -> rusqlite::Result<Option<Progress>> {
    let tx = conn.transaction()?;
    let Some((next, last, done, total)) = tx
        .prepare_cached("SELECT next_id, last_id, done, total FROM search_backfill")?
        .query_row([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                count(r.get(2)?),
                count(r.get(3)?),
            ))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let mut seen = 0usize;
    let mut last_seen = next - 1;
    {
        let mut rows = tx.prepare_cached(
            "SELECT a.id, a.title, a.author, b.summary_html, b.content_html
             FROM articles a LEFT JOIN bodies b ON b.article_id = a.id
             WHERE a.id BETWEEN ?1 AND ?2 ORDER BY a.id LIMIT ?3",
        )?;
        let mut insert = tx.prepare_cached("INSERT INTO search(rowid, words) VALUES (?1, ?2)")?;
        let mut rows = rows.query(params![
            next,
            last,
            i64::try_from(batch).unwrap_or(i64::MAX)
        ])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let title = row.get_ref(1)?.as_str_or_null()?.unwrap_or("");
            let author = row.get_ref(2)?.as_str_or_null()?;
            let summary = body_ref(row, 3)?;
            let content = body_ref(row, 4)?;
            let text = words.build(title, author, summary.as_deref(), content.as_deref());
            insert.execute(params![id, text])?;
            seen += 1;
            last_seen = id;
        }
    }
    let done = done + seen as u64;
    let progress = if seen < batch || last_seen >= last {
        tx.execute("DELETE FROM search_backfill", [])?;
        Progress { done: total, total }
    } else {
        tx.execute(
            "UPDATE search_backfill SET next_id = ?1, done = ?2",
            params![last_seen + 1, i64::try_from(done).unwrap_or(i64::MAX)],
        )?;
        Progress {
            done: done.min(total),
            total,
        }
    };
    tx.commit()?;
    Ok(Some(progress))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
