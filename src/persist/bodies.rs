//! Article bodies for the reader view, read beside the writer so opening an article never
//! waits for a commit: uncommitted bodies come from memory, the rest from a read-only
//! connection (WAL readers do not block on the writer).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, params};

use super::Change;
use super::codec::join_time;
use super::packed::body_at;
use super::reader::open_reader;
use super::sqlerr::describe;
use crate::model::{Direction, FullText};

/// `(summary_html, content_html)`.
pub(crate) type Body = (Option<String>, Option<String>);

/// Bodies sent but not yet committed, tagged with the sequence number of their change. The
/// change itself is shared with the writer's queue (an article is found by its index in it),
/// so a queued body is held once, not twice.
#[derive(Default)]
pub(crate) struct PendingBodies {
    map: Mutex<HashMap<(String, String), Queued>>,
}

/// Where a queued body is: (sequence number, the change, index of the article in it).
type Queued = (u64, Arc<Change>, usize);

impl PendingBodies {
    pub(crate) fn remember(&self, seq: u64, change: &Arc<Change>) {
        let Change::UpsertArticles { feed_url, articles } = &**change else {
            return;
        };
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        for (index, a) in articles.iter().enumerate() {
            if a.summary_html().is_some() || a.content_html().is_some() {
                map.insert(
                    (feed_url.clone(), a.key().to_owned()),
                    (seq, Arc::clone(change), index),
                );
            }
        }
    }

    /// Called after the changes up to `seq` are committed: the database has them now.
    pub(crate) fn committed(&self, seq: u64) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (s, _, _)| *s > seq);
    }

    fn get(&self, feed_url: &str, key: &str) -> Option<Body> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let (_, change, index) = map.get(&(feed_url.to_owned(), key.to_owned()))?;
        match &**change {
            Change::UpsertArticles { articles, .. } => articles.get(*index).map(|a| {
                (
                    a.summary_html().map(str::to_owned),
                    a.content_html().map(str::to_owned),
                )
            }),
            _ => None,
        }
    }
}

pub(crate) struct BodyReader {
    path: PathBuf,
    conn: Mutex<Option<Connection>>,
}

impl BodyReader {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            conn: Mutex::new(None),
        }
    }

    /// Closes the connection, so the writer's close is the last one and cleans up the WAL.
    pub(crate) fn close(&self) {
        *self.conn.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Runs `read` on the read-only connection (opened on first use).
    fn with_conn<T>(&self, read: impl FnOnce(&Connection) -> Option<T>) -> Option<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut immutable = false;
        if guard.is_none() {
            match open_reader(&self.path, std::time::Duration::from_secs(2)) {
                Ok((conn, fixed)) => {
                    *guard = Some(conn);
                    immutable = fixed;
                }
                Err(e) => {
                    tracing::warn!("cannot read article bodies: {}", describe(&e));
                    return None;
                }
            }
        }
        let found = read(guard.as_ref()?);
        // A read-only directory's snapshot would miss what the writer commits once it can.
        if immutable {
            *guard = None;
        }
        found
    }

    /// An article's full text, if one is kept.
    pub(crate) fn load_full(&self, feed_url: &str, key: &str) -> Option<FullText> {
        self.with_conn(|conn| {
            let found = conn
                .prepare_cached(
                    "SELECT t.html, t.author, t.published_s, t.published_ns, t.language,
                            t.direction
                     FROM full_texts t JOIN articles a ON a.id = t.article_id
                     JOIN feeds f ON f.id = a.feed_id
                     WHERE f.url = ?1 AND a.key = ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![feed_url, key], |r| {
                        let direction: Option<String> = r.get(5)?;
                        // A damaged text reads as none kept: the page is fetched again.
                        let Some(html) = body_at(r, 0)? else {
                            return Err(rusqlite::Error::QueryReturnedNoRows);
                        };
                        Ok(FullText {
                            html,
                            author: r.get(1)?,
                            published: join_time(r.get(2)?, r.get(3)?),
                            language: r.get(4)?,
                            direction: match direction.as_deref() {
                                Some("rtl") => Some(Direction::Rtl),
                                Some("ltr") => Some(Direction::Ltr),
                                _ => None,
                            },
                        })
                    })
                });
            match found {
                Ok(full) => Some(full),
                Err(rusqlite::Error::QueryReturnedNoRows) => None,
                Err(e) => {
                    tracing::warn!("cannot read a full text: {}", describe(&e));
                    None
                }
            }
        })
    }

    pub(crate) fn load(&self, pending: &PendingBodies, feed_url: &str, key: &str) -> Option<Body> {
        // Memory first: the database is only read once the commit is done, and the commit is
        // done before the memory copy is dropped.
        if let Some(body) = pending.get(feed_url, key) {
            return Some(body);
        }
        let mut guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut immutable = false;
        if guard.is_none() {
            match open_reader(&self.path, std::time::Duration::from_secs(2)) {
                Ok((conn, fixed)) => {
                    *guard = Some(conn);
                    immutable = fixed;
                }
                Err(e) => {
                    tracing::warn!("cannot read article bodies: {}", describe(&e));
                    return None;
                }
            }
        }
        let conn = guard.as_ref()?;
        let found = conn
            .prepare_cached(
                "SELECT b.summary_html, b.content_html FROM articles a
                 JOIN feeds f ON f.id = a.feed_id
                 LEFT JOIN bodies b ON b.article_id = a.id
                 WHERE f.url = ?1 AND a.key = ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![feed_url, key], |r| {
                    Ok((body_at(r, 0)?, body_at(r, 1)?))
                })
            });
        // A read-only directory's snapshot would miss what the writer commits once it can.
        if immutable {
            *guard = None;
        }
        match found {
            Ok(body) => Some(body),
            Err(rusqlite::Error::QueryReturnedNoRows) => None,
            Err(e) => {
                tracing::warn!("cannot read an article body: {}", describe(&e));
                None
            }
        }
    }
}
