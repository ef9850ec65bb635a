//! `export-state` / `import-state`: read and starred flags as JSON keyed by feed URL and
//! article key, to move them between machines.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::schema::{SCHEMA_VERSION, open_read_only};
use super::sqlerr::db_error;
use super::{CACHE_FILE, Change, PersistError};

/// Marks the file format, so a random JSON file is refused rather than half applied.
const FORMAT: &str = "akhbar-state";
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: String,
    version: u32,
    /// Feed URL -> articles.
    feeds: BTreeMap<String, Vec<ArticleState>>,
}

#[derive(Serialize, Deserialize)]
struct ArticleState {
    key: String,
    read: bool,
    #[serde(default)]
    starred: bool,
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateImport {
    /// Entries that matched a cached article and were applied.
    pub applied: usize,
    /// Entries for articles this cache has not seen (fetch the feeds first, then import again).
    pub not_cached: usize,
}

/// Every cached article's read and starred flags, as pretty JSON. Takes no lock.
pub fn export_state(data_dir: &Path) -> Result<String, PersistError> {
    let mut file = StateFile {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        feeds: BTreeMap::new(),
    };
    if let Some(conn) = open_read_only(data_dir)? {
        let path = data_dir.join(CACHE_FILE);
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| db_error(&path, &e))?;
        if version != SCHEMA_VERSION {
            return Err(PersistError::Database {
                path,
                message: "the cache is from an older akhbar; run akhbar once to upgrade it".into(),
            });
        }
        let mut stmt = conn
            .prepare(
                "SELECT f.url, a.key, a.read, a.starred FROM articles a
                 JOIN feeds f ON f.id = a.feed_id ORDER BY f.url, a.key",
            )
            .map_err(|e| db_error(&path, &e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ArticleState {
                        key: r.get(1)?,
                        read: r.get(2)?,
                        starred: r.get(3)?,
                    },
                ))
            })
            .map_err(|e| db_error(&path, &e))?;
        for row in rows {
            let (url, state) = row.map_err(|e| db_error(&path, &e))?;
            file.feeds.entry(url).or_default().push(state);
        }
    }
    serde_json::to_string_pretty(&file).map_err(|e| PersistError::State(e.to_string()))
}

/// Applies exported flags to the articles this cache has; returns how many were applied.
/// Needs the data-directory lock (fails with `Locked` while akhbar runs).
pub fn import_state(data_dir: &Path, json: &str) -> Result<usize, PersistError> {
    import_state_detailed(data_dir, json).map(|r| r.applied)
}

/// [`import_state`] with the count of entries that matched nothing.
pub fn import_state_detailed(data_dir: &Path, json: &str) -> Result<StateImport, PersistError> {
    let file: StateFile =
        serde_json::from_str(json).map_err(|e| PersistError::State(e.to_string()))?;
    if file.format != FORMAT {
        return Err(PersistError::State(format!(
            "not an akhbar state file (format {:?})",
            file.format
        )));
    }
    if file.version > FORMAT_VERSION {
        return Err(PersistError::State(format!(
            "written by a newer akhbar (state version {})",
            file.version
        )));
    }
    let (cache, loaded) = super::open(data_dir)?;
    let known: HashSet<(&str, &str)> = loaded
        .articles
        .iter()
        .map(|(url, a)| (url.as_str(), a.key()))
        .collect();
    let mut report = StateImport::default();
    for (url, articles) in &file.feeds {
        for a in articles {
            if !known.contains(&(url.as_str(), a.key.as_str())) {
                report.not_cached += 1;
                continue;
            }
            report.applied += 1;
            cache.send(Change::SetRead {
                feed_url: url.clone(),
                key: a.key.clone(),
                read: a.read,
            });
            cache.send(Change::SetStarred {
                feed_url: url.clone(),
                key: a.key.clone(),
                starred: a.starred,
            });
        }
    }
    cache.flush_blocking()?;
    Ok(report)
}
