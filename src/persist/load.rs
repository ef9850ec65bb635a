//! The start-up load: feeds, settings, the per-feed counts and the articles (all of them, or
//! the newest first and the rest through [`RestLoader`]), without their bodies.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::DateTime;
use rusqlite::Connection;

use super::codec::{join_time, split_enclosures};
use super::sqlerr::db_error;
use super::{FeedCounts, LoadPlan, Loaded, PersistError, RestLoader, StoredFeed};
use crate::model::{Article, ArticleTexts, Categories, FeedId};

pub(crate) fn load(conn: &Connection, path: &Path, plan: LoadPlan) -> rusqlite::Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut urls: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, url, title, etag, last_modified, next_poll_s, next_poll_ns, failures,
                redirected_url, last_error, last_fetch_s, last_fetch_ns FROM feeds ORDER BY id",
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
            last_fetch: join_time(row.get(10)?, row.get(11)?),
        };
        urls.insert(row.get(0)?, feed.url.clone());
        loaded.feeds.push(feed);
    }
    let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
    loaded.settings = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (lo, hi): (Option<i64>, Option<i64>) =
        conn.query_row(ID_RANGE_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
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
            let with_url = |url: &String, a| Some((url.clone(), a));
            rest.read(Some(conn), usize::MAX, &with_url, &mut |part| {
                parts.push(part)
            })?;
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

/// Every feed's article counts, from `feed_counts` (one row per feed, kept by triggers).
fn feed_counts(
    conn: &Connection,
    urls: &HashMap<i64, String>,
) -> rusqlite::Result<Vec<FeedCounts>> {
    let mut stmt = conn.prepare("SELECT feed_id, total, unread, starred FROM feed_counts")?;
    let mut rows = stmt.query([])?;
    let count = |n: i64| usize::try_from(n).unwrap_or(0);
    let mut out = Vec::with_capacity(urls.len());
    while let Some(row) = rows.next()? {
        let Some(url) = urls.get(&row.get::<_, i64>(0)?) else {
            continue;
        };
        let total = count(row.get(1)?);
        if total == 0 {
            continue;
        }
        out.push(FeedCounts {
            url: url.clone(),
            total,
            unread: count(row.get(2)?),
            starred: count(row.get(3)?),
        });
    }
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
    let mut stmt = conn.prepare(&newest_sql(unread_only))?;
    let mut rows = stmt.query([i64::try_from(n).unwrap_or(i64::MAX)])?;
    let mut out = Vec::with_capacity(n.min(10_000));
    let mut ids = HashSet::with_capacity(n.min(10_000));
    while let Some(row) = rows.next()? {
        ids.insert(row.get::<_, i64>(0)?);
        if let Some((url, a)) = article_from_row(row, urls)? {
            out.push((url.clone(), a));
        }
    }
    Ok((out, ids))
}

/// The article row ids' range. Two subqueries: SQLite answers a lone `min(id)` or `max(id)`
/// from the end of the rowid B-tree, but `min(id), max(id)` together scan the whole table
/// (130 ms of the first frame at 1,000,000 articles).
const ID_RANGE_SQL: &str = "SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)";

/// The query of [`load_newest`]. It walks `articles_date` from its newest end (named: with
/// `read = 0` the planner would rather take the smaller `articles_unread` and sort every
/// unread article), so it costs the rows it keeps, not the table (at 1,000,000 articles the
/// scan and sort it replaces took ~500 ms).
fn newest_sql(unread_only: bool) -> String {
    let filter = if unread_only { "WHERE read = 0" } else { "" };
    format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN (
             SELECT id FROM articles INDEXED BY articles_date {filter}
             ORDER BY coalesce(published_s, first_seen_s) DESC LIMIT ?1)"
    )
}

/// An article with its feed's URL, as the cache hands it out.
type FeedArticle = (String, Article);

/// What one article row is read as; see [`article_from_row`].
const ARTICLE_COLUMNS: &str = "id, feed_id, key, title, link, author, categories, published_s,
    published_ns, first_seen_s, first_seen_ns, language, read, starred, enclosures";

/// An article (with its feed's URL) from a row of [`ARTICLE_COLUMNS`]; `None` for a row whose
/// feed is unknown (impossible with foreign keys on; never invent a feed). The URL is
/// borrowed: [`RestLoader`] resolves it to the feed without a copy per article.
fn article_from_row<'u>(
    row: &rusqlite::Row<'_>,
    urls: &'u HashMap<i64, String>,
) -> rusqlite::Result<Option<(&'u String, Article)>> {
    let Some(url) = urls.get(&row.get::<_, i64>(1)?) else {
        return Ok(None);
    };
    let article = Article::new(
        FeedId(0),
        ArticleTexts {
            key: row.get_ref(2)?.as_str()?,
            title: row.get_ref(3)?.as_str()?,
            link: row.get_ref(4)?.as_str_or_null()?,
            author: row.get_ref(5)?.as_str_or_null()?,
            language: row.get_ref(11)?.as_str_or_null()?,
        },
        Categories::joined(row.get_ref(6)?.as_str_or_null()?),
        join_time(row.get(7)?, row.get(8)?),
        join_time(row.get(9)?, row.get(10)?).unwrap_or(DateTime::UNIX_EPOCH),
        row.get(12)?,
        row.get(13)?,
        split_enclosures(row.get_ref(14)?.as_str_or_null()?),
    );
    Ok(Some((url, article)))
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
    /// as they are read (in no particular order between parts), each with the feed `feed_of`
    /// gives its feed's URL (`None`: left out). Opens its own read-only connections: WAL
    /// lets them read beside the writer.
    pub fn load(
        self,
        chunk: usize,
        feed_of: &(dyn Fn(&str) -> Option<FeedId> + Sync),
        sink: &mut (dyn FnMut(Vec<Article>) + Send),
    ) -> Result<(), PersistError> {
        let resolve = |url: &String, mut a: Article| {
            a.feed = feed_of(url)?;
            Some(a)
        };
        self.read(None, chunk, &resolve, sink)
            .map_err(|e| db_error(&self.path, &e))
    }

    /// Reads the articles of the feeds with these URLs that are not loaded yet (and counts them
    /// as loaded: a later [`RestLoader::load`] leaves them out), each with the feed `feed_of`
    /// gives its URL (`None`: left out). What `akhbar refresh` needs to dedupe a feed's new
    /// items against the cache without reading every other feed's articles. One read-only
    /// connection of its own; a URL the cache does not know has no articles.
    pub fn load_feeds(
        &mut self,
        feed_urls: &[&str],
        feed_of: &dyn Fn(&str) -> Option<FeedId>,
    ) -> Result<Vec<Article>, PersistError> {
        let wanted: Vec<i64> = self
            .urls
            .iter()
            .filter(|(_, url)| feed_urls.contains(&url.as_str()))
            .map(|(&id, _)| id)
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let (articles, ids) = self
            .read_feeds(&wanted, feed_of)
            .map_err(|e| db_error(&self.path, &e))?;
        // Counted as loaded only once every row is read: a failed read loads nothing.
        self.skip.extend(ids);
        Ok(articles)
    }

    /// [`RestLoader::load_feeds`]'s reading: the articles and the row ids read.
    fn read_feeds(
        &self,
        feeds: &[i64],
        feed_of: &dyn Fn(&str) -> Option<FeedId>,
    ) -> rusqlite::Result<(Vec<Article>, Vec<i64>)> {
        let (conn, _) = super::reader::open_reader(&self.path, std::time::Duration::from_secs(5))?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE feed_id = ?1"
        ))?;
        let (mut out, mut ids) = (Vec::new(), Vec::new());
        for feed in feeds {
            let mut rows = stmt.query([feed])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                if self.skip.contains(&id) {
                    continue;
                }
                ids.push(id);
                if let Some((url, mut a)) = article_from_row(row, &self.urls)?
                    && let Some(feed) = feed_of(url)
                {
                    a.feed = feed;
                    out.push(a);
                }
            }
        }
        Ok((out, ids))
    }

    /// Reads in row-id ranges on several threads when there are many rows: the per-row work
    /// (decoding, allocating) dominates, and the user waits for it. Parts come in range order
    /// within one thread; `conn` (if given) reads the first range.
    /// `make`: what a row's article (with its feed's URL) is handed out as (`None`: left out).
    fn read<T: Send>(
        &self,
        conn: Option<&Connection>,
        chunk: usize,
        make: &(dyn Fn(&String, Article) -> Option<T> + Sync),
        sink: &mut (dyn FnMut(Vec<T>) + Send),
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
            super::reader::open_reader(&self.path, std::time::Duration::from_secs(5))
                .map(|(reader, _)| reader)
        };
        let sink = std::sync::Mutex::new(sink);
        let give = |part: Vec<T>| {
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
                        self.read_range(&reader, a, b, chunk, make, &mut |part| {
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
            let (a, b) = ranges[0];
            self.read_range(first, a, b, chunk, make, &mut |p| give(p))?;
            for handle in others {
                let held = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                held.into_iter().for_each(&give);
            }
            Ok(())
        })
    }

    fn read_range<T>(
        &self,
        conn: &Connection,
        lo: i64,
        hi: i64,
        chunk: usize,
        make: &(dyn Fn(&String, Article) -> Option<T> + Sync),
        give: &mut dyn FnMut(Vec<T>),
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
            if let Some((url, a)) = article_from_row(row, &self.urls)?
                && let Some(a) = make(url, a)
            {
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

/// The starred articles of the feeds with these URLs (feeds that left the config: their
/// starred articles stay in Starred), as [`load`] gives articles: without bodies.
pub(crate) fn starred_of(
    conn: &Connection,
    feed_urls: &[String],
) -> rusqlite::Result<Vec<(String, Article)>> {
    let wanted: HashSet<&str> = feed_urls.iter().map(String::as_str).collect();
    let urls: HashMap<i64, String> = conn
        .prepare("SELECT id, url FROM feeds")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .filter(|row| {
            row.as_ref().map_or(true, |(_, url): &(i64, String)| {
                wanted.contains(url.as_str())
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE starred = 1"
    ))?;
    let mut rows = stmt.query([])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        if let Some((url, article)) = article_from_row(row, &urls)? {
            found.push((url.clone(), article));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of the newest-first query, read or unread only: the date index, no scan of
    /// the table and no sort of it (what made the first frame O(articles)).
    #[test]
    fn the_first_stage_reads_the_newest_and_the_id_range_without_a_scan_or_a_sort() {
        let dir = tempfile::tempdir().unwrap();
        let (conn, _) = super::super::schema::open_and_load(dir.path(), LoadPlan::All).unwrap();
        for unread_only in [false, true] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", newest_sql(unread_only)))
                .unwrap()
                .query_map([1000], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(
                plan.iter().any(|l| l.ends_with("INDEX articles_date")),
                "{plan:?}"
            );
            assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:?}");
            assert!(!plan.iter().any(|l| l == "SCAN articles"), "{plan:?}");
        }
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {ID_RANGE_SQL}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            !plan.iter().any(|l| l.starts_with("SCAN articles")),
            "the id range without a scan: {plan:?}"
        );
    }
}
