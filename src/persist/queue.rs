//! What sync keeps in the cache beside the articles: the queue of read and star changes not
//! yet confirmed by the server (it survives quit, kill -9 and restarts), the marker of the
//! newest article fetched, and the server's feeds with their tags (so a start without the
//! server shows them). Its own connection to `cache.sqlite`, used by the sync worker only;
//! the rows are keyed by account so another server's state never mixes in.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::sqlerr::db_error;
use super::{CACHE_FILE, PersistError};

/// Version 5's additions (see `schema`).
pub(crate) const V4_TO_V5: &str = "
CREATE TABLE IF NOT EXISTS sync_marks(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    article INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('read', 'starred')),
    value INTEGER NOT NULL CHECK (value IN (0, 1)),
    UNIQUE (account, article, kind)
);
CREATE TABLE IF NOT EXISTS sync_state(
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS sync_feeds(
    account TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account, url)
);
";

/// Which state a queued change sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkKind {
    Read,
    Starred,
}

impl MarkKind {
    fn as_str(self) -> &'static str {
        match self {
            MarkKind::Read => "read",
            MarkKind::Starred => "starred",
        }
    }
}

/// A change waiting for the server: `article`'s `kind` set to `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingMark {
    /// Its place in the queue; a newer change of the same state replaces it with a new one.
    pub seq: i64,
    pub article: u64,
    pub kind: MarkKind,
    pub value: bool,
}

/// A feed the server lists, as akhbar shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncedFeedRow {
    pub url: String,
    pub title: String,
    pub tags: Vec<String>,
}

/// The sync worker's connection.
pub struct SyncQueue {
    conn: Connection,
    account: String,
}

fn err(dir: &Path, e: &rusqlite::Error) -> PersistError {
    db_error(&dir.join(CACHE_FILE), e)
}

impl SyncQueue {
    /// Opens the queue of `account` in the cache of `dir` (opened, and so migrated, by
    /// [`crate::persist::open`] before).
    pub fn open(dir: &Path, account: &str) -> Result<SyncQueue, PersistError> {
        let path = dir.join(CACHE_FILE);
        let conn = Connection::open(&path).map_err(|e| err(dir, &e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| err(dir, &e))?;
        // A cache older than version 5 that was not opened for writing yet.
        conn.execute_batch(V4_TO_V5).map_err(|e| err(dir, &e))?;
        Ok(SyncQueue {
            conn,
            account: account.to_string(),
        })
    }

    fn fail(&self, e: rusqlite::Error) -> PersistError {
        PersistError::Save(format!("sync queue: {e}"))
    }

    /// Queues changes (a newer change of an article's state replaces an unsent older one),
    /// in one transaction, committed before this returns.
    pub fn push(&mut self, marks: &[(u64, MarkKind, bool)]) -> Result<(), PersistError> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| PersistError::Save(e.to_string()))?;
        {
            let mut del = tx
                .prepare_cached(
                    "DELETE FROM sync_marks WHERE account = ?1 AND article = ?2 AND kind = ?3",
                )
                .map_err(|e| PersistError::Save(e.to_string()))?;
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO sync_marks(account, article, kind, value) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| PersistError::Save(e.to_string()))?;
            for &(article, kind, value) in marks {
                let article = article as i64;
                del.execute(params![self.account, article, kind.as_str()])
                    .map_err(|e| PersistError::Save(e.to_string()))?;
                ins.execute(params![self.account, article, kind.as_str(), value])
                    .map_err(|e| PersistError::Save(e.to_string()))?;
            }
        }
        tx.commit().map_err(|e| self.fail(e))
    }

    /// Every queued change, oldest first.
    pub fn pending(&self) -> Result<Vec<PendingMark>, PersistError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT seq, article, kind, value FROM sync_marks WHERE account = ?1 ORDER BY seq",
            )
            .map_err(|e| self.fail(e))?;
        let rows = st
            .query_map(params![self.account], |r| {
                let kind: String = r.get(2)?;
                Ok(PendingMark {
                    seq: r.get(0)?,
                    article: r.get::<_, i64>(1)? as u64,
                    kind: if kind == "read" {
                        MarkKind::Read
                    } else {
                        MarkKind::Starred
                    },
                    value: r.get(3)?,
                })
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }

    /// How many changes wait.
    pub fn len(&self) -> Result<usize, PersistError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sync_marks WHERE account = ?1",
                params![self.account],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.fail(e))
    }

    pub fn is_empty(&self) -> Result<bool, PersistError> {
        Ok(self.len()? == 0)
    }

    /// The server confirmed these: they leave the queue (a change queued meanwhile for the
    /// same article has a new `seq` and stays).
    pub fn confirm(&mut self, seqs: &[i64]) -> Result<(), PersistError> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| PersistError::Save(e.to_string()))?;
        {
            let mut st = tx
                .prepare_cached("DELETE FROM sync_marks WHERE seq = ?1")
                .map_err(|e| PersistError::Save(e.to_string()))?;
            for seq in seqs {
                st.execute(params![seq])
                    .map_err(|e| PersistError::Save(e.to_string()))?;
            }
        }
        tx.commit().map_err(|e| self.fail(e))
    }

    /// A value kept for the account (`marker`: the newest article id fetched).
    pub fn state(&self, key: &str) -> Result<Option<String>, PersistError> {
        self.conn
            .query_row(
                "SELECT value FROM sync_state WHERE account = ?1 AND key = ?2",
                params![self.account, key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.fail(e))
    }

    pub fn set_state(&self, key: &str, value: &str) -> Result<(), PersistError> {
        self.conn
            .execute(
                "INSERT INTO sync_state(account, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(account, key) DO UPDATE SET value = excluded.value",
                params![self.account, key, value],
            )
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    /// Replaces the account's list of server feeds.
    pub fn set_feeds(&mut self, feeds: &[SyncedFeedRow]) -> Result<(), PersistError> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| PersistError::Save(e.to_string()))?;
        tx.execute(
            "DELETE FROM sync_feeds WHERE account = ?1",
            params![self.account],
        )
        .map_err(|e| PersistError::Save(e.to_string()))?;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO sync_feeds(account, url, title, tags) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| PersistError::Save(e.to_string()))?;
            for f in feeds {
                st.execute(params![self.account, f.url, f.title, f.tags.join("\n")])
                    .map_err(|e| PersistError::Save(e.to_string()))?;
            }
        }
        tx.commit().map_err(|e| self.fail(e))
    }
}

/// The server feeds saved for `account` (none when the cache or the table is missing), for
/// the start-up, before the server answers.
pub fn synced_feeds(dir: &Path, account: &str) -> Vec<SyncedFeedRow> {
    let read = || -> rusqlite::Result<Vec<SyncedFeedRow>> {
        let path = dir.join(CACHE_FILE);
        if !path.exists() {
            return Ok(Vec::new());
        }
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        let mut st = conn
            .prepare("SELECT url, title, tags FROM sync_feeds WHERE account = ?1 ORDER BY rowid")?;
        let rows = st.query_map(params![account], |r| {
            let tags: String = r.get(2)?;
            Ok(SyncedFeedRow {
                url: r.get(0)?,
                title: r.get(1)?,
                tags: tags
                    .split('\n')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })?;
        rows.collect()
    };
    read().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(dir: &Path) -> SyncQueue {
        let _ = crate::persist::open(dir).unwrap();
        SyncQueue::open(dir, "acct").unwrap()
    }

    #[test]
    fn queued_changes_survive_reopening_and_leave_once_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut q = queue(dir.path());
            q.push(&[(7, MarkKind::Read, true), (8, MarkKind::Starred, true)])
                .unwrap();
        }
        let mut q = SyncQueue::open(dir.path(), "acct").unwrap();
        let p = q.pending().unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].article, p[0].kind, p[0].value),
            (7, MarkKind::Read, true)
        );
        q.confirm(&[p[0].seq]).unwrap();
        assert_eq!(q.len().unwrap(), 1);
        // Another account sees nothing of it.
        let other = SyncQueue::open(dir.path(), "other").unwrap();
        assert!(other.is_empty().unwrap());
    }

    #[test]
    fn a_newer_change_replaces_the_unsent_one_and_survives_its_confirmation() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = queue(dir.path());
        q.push(&[(7, MarkKind::Read, true)]).unwrap();
        let sent = q.pending().unwrap();
        // The user marks it unread again while the first change is on its way.
        q.push(&[(7, MarkKind::Read, false)]).unwrap();
        q.confirm(&[sent[0].seq]).unwrap();
        let left = q.pending().unwrap();
        assert_eq!(left.len(), 1);
        assert!(!left[0].value);
    }

    #[test]
    fn state_and_feeds_are_kept_per_account() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = queue(dir.path());
        assert_eq!(q.state("marker").unwrap(), None);
        q.set_state("marker", "41").unwrap();
        q.set_state("marker", "42").unwrap();
        assert_eq!(q.state("marker").unwrap().as_deref(), Some("42"));
        let feeds = vec![SyncedFeedRow {
            url: "sync:x/feed/1".into(),
            title: "خبر".into(),
            tags: vec!["news".into(), "ar".into()],
        }];
        q.set_feeds(&feeds).unwrap();
        drop(q);
        assert_eq!(synced_feeds(dir.path(), "acct"), feeds);
        assert!(synced_feeds(dir.path(), "other").is_empty());
    }
}
