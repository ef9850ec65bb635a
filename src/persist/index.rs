//! The full-text index: one FTS5 row per article (rowid = the article's id) holding the folded
//! words of its title, author and body, written by the cache's writer as articles are stored,
//! removed with them by a trigger, and built once in the background for a cache that predates
//! it.
//!
//! The table is contentless (the words are not stored twice; search only needs the row ids)
//! with `detail=none` (no positions: the search ANDs words and never asks for phrases), and
//! its tokenizer is `ascii`: the words are split and folded here (`text::fold`), joined by
//! spaces, and the `ascii` tokenizer splits exactly at those spaces and treats every other
//! non-ASCII character as part of a word, so SQLite never disagrees with our word splitting.
//! Feed names are not indexed per article: they are matched at query time (`search`), so a
//! renamed feed is found by its new name, and the first articles of a feed (stored before its
//! title is known) are found by it too.

use rusqlite::{Connection, OptionalExtension, params};

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
}

impl Words {
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
        for w in fold::words(&self.folded) {
            if !self.out.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(w);
        }
        &self.out
    }
}

/// What the writer needs to know about the index while it stores a batch of one feed.
pub(crate) struct Batch {
    /// Ids above this are new rows of this batch (no index row yet).
    max_before: i64,
    /// Ids the background backfill has still to index (it will read their newest text).
    pending: Option<(i64, i64)>,
    inserted: std::collections::HashSet<i64>,
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
            inserted: Default::default(),
        })
    }

    /// Indexes the article stored as row `id`. `summary_html` / `content_html` are what the
    /// change carried; for a row that existed before, a `None` body was kept from the cache,
    /// and is read back.
    pub(crate) fn index(
        &mut self,
        conn: &Connection,
        words: &mut Words,
        id: i64,
        article: &crate::model::Article,
    ) -> rusqlite::Result<()> {
        let new = id > self.max_before && self.inserted.insert(id);
        if !new && self.pending.is_some_and(|(lo, hi)| (lo..=hi).contains(&id)) {
            return Ok(());
        }
        let (summary, content) = (&article.summary_html, &article.content_html);
        let stored: Option<(Option<String>, Option<String>)>;
        let (summary, content) = if new || (summary.is_some() && content.is_some()) {
            (summary.as_deref(), content.as_deref())
        } else {
            stored = conn
                .prepare_cached(
                    "SELECT summary_html, content_html FROM bodies WHERE article_id = ?1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match &stored {
                Some((s, c)) => (s.as_deref(), c.as_deref()),
                None => (None, None),
            }
        };
        let text = words.build(&article.title, article.author.as_deref(), summary, content);
        if !new {
            conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
                .execute([id])?;
        }
        conn.prepare_cached("INSERT INTO search(rowid, words) VALUES (?1, ?2)")?
            .execute(params![id, text])?;
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
            let summary = row.get_ref(3)?.as_str_or_null()?;
            let content = row.get_ref(4)?.as_str_or_null()?;
            let text = words.build(title, author, summary, content);
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
