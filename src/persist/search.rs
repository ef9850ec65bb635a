//! Queries against the full-text index, on a read-only connection of their own (WAL lets it
//! read while the writer writes; a search never waits for a commit).
//!
//! A query is folded like the indexed text and split into words; every word must occur
//! (AND), the last one as a prefix (the user is still typing it). Each word is quoted for
//! FTS5, and quotes, `*`, parentheses and the like are separators to the word splitter, so no
//! input can reach FTS5 as syntax: `NEAR`, `"` or `*` are searched for as words or not at all.
//! A word also matches every article of a feed whose name has it (feed names are matched
//! here, not indexed per article: see `index`).

use std::collections::HashSet;
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension};

use super::PersistError;
use super::sqlerr::db_error;
use crate::text::fold::{self, FoldOptions, MIN_PREFIX};

/// One article found: its feed's URL and its key (as in [`crate::model::Article::key`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SearchHit {
    pub feed_url: String,
    pub key: String,
}

/// The answer to a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// Newest first (published date, else first seen), at most the limit asked for.
    pub hits: Vec<SearchHit>,
    /// How many articles match in all (for the status line), even beyond the limit.
    pub total: usize,
    /// `Some((done, total))` while the index of an older cache is still being built: the
    /// articles not indexed yet are not found.
    pub indexing: Option<(u64, u64)>,
}

/// A search handle with its own read-only connection (opened on first use). It can be moved
/// to a worker thread, so searching stays off the render loop.
pub struct Searcher {
    path: PathBuf,
    conn: Option<Connection>,
    /// The connection is a snapshot of a read-only directory (see `reader`).
    immutable: bool,
}

/// Quotes a folded word for FTS5 (`"` doubled, though the word splitter never leaves one).
fn quote(word: &str, prefix: bool) -> String {
    let mut q = String::with_capacity(word.len() + 3);
    q.push('"');
    q.push_str(&word.replace('"', "\"\""));
    q.push('"');
    if prefix {
        q.push('*');
    }
    q
}

/// The spellings of a word to look for: itself, and with the teh marbuta option the other
/// of `ة` / `ه` at its end (the index keeps `ة`, the option folds the two together).
fn variants(word: &str, opts: FoldOptions) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if opts.teh_marbuta {
        for (from, to) in [('\u{0629}', '\u{0647}'), ('\u{0647}', '\u{0629}')] {
            if let Some(stem) = word.strip_suffix(from) {
                out.push(format!("{stem}{to}"));
            }
        }
    }
    out
}

/// One word of the query as an FTS5 expression: `"w"`, `"w"*`, or `("w" OR "v")`.
fn term(word: &str, prefix: bool, opts: FoldOptions) -> String {
    let prefix = prefix && word.chars().count() >= MIN_PREFIX;
    let v = variants(word, opts);
    if v.len() == 1 {
        return quote(word, prefix);
    }
    let alts: Vec<String> = v.iter().map(|w| quote(w, prefix)).collect();
    format!("({})", alts.join(" OR "))
}

/// The folded words of `query`.
pub(crate) fn query_words(query: &str) -> Vec<String> {
    fold::words(&fold::fold(query)).map(str::to_owned).collect()
}

/// The FTS5 expression for all of `words` (the last one a prefix); `None` for no words.
#[cfg(test)]
pub(crate) fn fts_query(
    words: &[String],
    last_is_prefix: bool,
    opts: FoldOptions,
) -> Option<String> {
    let n = words.len();
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| term(w, last_is_prefix && i + 1 == n, opts))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

impl Searcher {
    pub(crate) fn new(path: PathBuf) -> Searcher {
        Searcher {
            path,
            conn: None,
            immutable: false,
        }
    }

    /// Searches with the default folding; see [`Searcher::search_with`].
    pub fn search(&mut self, query: &str, limit: usize) -> Result<SearchResults, PersistError> {
        self.search_with(query, limit, FoldOptions::default())
    }

    /// Every article that has all the words of `query` (the last one as a prefix) in its
    /// title, author or body, or whose feed's name has them; newest first, at most `limit`.
    /// A query with no words finds nothing.
    pub fn search_with(
        &mut self,
        query: &str,
        limit: usize,
        opts: FoldOptions,
    ) -> Result<SearchResults, PersistError> {
        let result = self.search_on_connection(query, limit, opts);
        // A read-only directory's snapshot would miss what the writer commits once it can.
        if self.immutable {
            self.conn = None;
        }
        result
    }

    fn search_on_connection(
        &mut self,
        query: &str,
        limit: usize,
        opts: FoldOptions,
    ) -> Result<SearchResults, PersistError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| db_error(&path, &e);
        let conn = self.connection().map_err(err)?;
        let indexing = conn
            .prepare_cached("SELECT done, total FROM search_backfill")
            .and_then(|mut s| {
                s.query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                    .optional()
            })
            .map_err(err)?
            .map(|(d, t)| (u64::try_from(d).unwrap_or(0), u64::try_from(t).unwrap_or(0)));
        let words = query_words(query);
        if words.is_empty() {
            return Ok(SearchResults {
                indexing,
                ..SearchResults::default()
            });
        }
        let feeds = feeds_by_word(conn, &words, opts).map_err(err)?;
        // Words no feed name has go into one FTS5 query; each of the others is its own
        // "in the text, or in one of these feeds" condition.
        let last = words.len() - 1;
        let plain: Vec<String> = (0..words.len())
            .filter(|i| feeds[*i].is_empty())
            .map(|i| term(&words[i], i == last, opts))
            .collect();
        let mut conds = Vec::new();
        let mut params: Vec<String> = Vec::new();
        if !plain.is_empty() {
            // Explicit AND: FTS5 takes no implicit AND next to a parenthesised group.
            params.push(plain.join(" AND "));
            conds.push(format!(
                "a.id IN (SELECT rowid FROM search WHERE search MATCH ?{})",
                params.len()
            ));
        }
        for (i, ids) in feeds.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
            params.push(term(&words[i], i == last, opts));
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            conds.push(format!(
                // A union, not an OR: each side uses its index (the OR scanned every article).
                "a.id IN (SELECT rowid FROM search WHERE search MATCH ?{}
                          UNION ALL SELECT id FROM articles WHERE feed_id IN ({}))",
                params.len(),
                list.join(",")
            ));
        }
        let filter = conds.join(" AND ");
        // Without a feed-name word the index alone counts (every row of it is an article).
        let count = if conds.len() == 1 && !plain.is_empty() {
            "SELECT count(*) FROM search WHERE search MATCH ?1".to_string()
        } else {
            format!("SELECT count(*) FROM articles a WHERE {filter}")
        };
        let total: i64 = conn
            .prepare(&count)
            .and_then(|mut s| s.query_row(rusqlite::params_from_iter(&params), |r| r.get(0)))
            .map_err(err)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT f.url, a.key FROM articles a JOIN feeds f ON f.id = a.feed_id
                 WHERE {filter}
                 ORDER BY coalesce(a.published_s, a.first_seen_s) DESC,
                          coalesce(a.published_ns, a.first_seen_ns) DESC, a.id DESC
                 LIMIT {}",
                i64::try_from(limit).unwrap_or(i64::MAX)
            ))
            .map_err(err)?;
        let hits = stmt
            .query_map(rusqlite::params_from_iter(&params), |r| {
                Ok(SearchHit {
                    feed_url: r.get(0)?,
                    key: r.get(1)?,
                })
            })
            .map_err(err)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err)?;
        Ok(SearchResults {
            hits,
            total: usize::try_from(total).unwrap_or(0),
            indexing,
        })
    }

    fn connection(&mut self) -> rusqlite::Result<&Connection> {
        if self.conn.is_none() {
            let (conn, immutable) =
                super::reader::open_reader(&self.path, std::time::Duration::from_secs(2))?;
            self.conn = Some(conn);
            self.immutable = immutable;
        }
        Ok(self.conn.as_ref().expect("opened above"))
    }

    /// Closes the connection (the writer's close is then the last, and cleans up the WAL).
    pub(crate) fn close(&mut self) {
        self.conn = None;
    }
}

/// For each query word, the ids of the feeds whose (folded) name has it (the last word as a
/// prefix). A few hundred names, folded per query: cheaper than keeping them in sync.
fn feeds_by_word(
    conn: &Connection,
    words: &[String],
    opts: FoldOptions,
) -> rusqlite::Result<Vec<Vec<i64>>> {
    let mut out = vec![Vec::new(); words.len()];
    let mut stmt = conn.prepare_cached("SELECT id, title FROM feeds WHERE title IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    let wanted: Vec<Vec<String>> = words.iter().map(|w| variants(w, opts)).collect();
    let last = words.len() - 1;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let name = fold::fold(row.get_ref(1)?.as_str()?);
        let have: HashSet<&str> = fold::words(&name).collect();
        for (i, alts) in wanted.iter().enumerate() {
            let hit = alts.iter().any(|w| {
                have.contains(w.as_str())
                    || (i == last
                        && w.chars().count() >= MIN_PREFIX
                        && have.iter().any(|h| h.starts_with(w.as_str())))
            });
            if hit {
                out[i].push(id);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_quoted_and_the_last_is_a_prefix() {
        let w = query_words("Rust NEAR \"1.95\" *");
        assert_eq!(w, ["rust", "near", "1", "95"]);
        // "95" is too short to be a prefix.
        assert_eq!(
            fts_query(&w, true, FoldOptions::default()).unwrap(),
            r#""rust" AND "near" AND "1" AND "95""#
        );
        let w = query_words("rust rel");
        assert_eq!(
            fts_query(&w, true, FoldOptions::default()).unwrap(),
            r#""rust" AND "rel"*"#
        );
    }

    #[test]
    fn syntax_characters_alone_make_no_query() {
        assert!(query_words("\" * ( ) : ^ - + NOT").len() == 1);
        assert_eq!(
            fts_query(&query_words("\"*():^-+"), true, FoldOptions::default()),
            None
        );
    }

    #[test]
    fn teh_marbuta_option_looks_for_both_endings() {
        let on = FoldOptions { teh_marbuta: true };
        let w = query_words("مدرسة");
        assert_eq!(
            fts_query(&w, false, on).unwrap(),
            "(\"مدرسة\" OR \"مدرسه\")"
        );
        assert_eq!(
            fts_query(&w, false, FoldOptions::default()).unwrap(),
            "\"مدرسة\""
        );
    }
}
