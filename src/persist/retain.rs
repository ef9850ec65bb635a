//! Retention: which cached articles go, without ranking the whole table. Only the candidates
//! are read (older than `keep_days`, and the articles beyond `keep_per_feed` of the few feeds
//! that have more, found in `feed_counts`), and the keys the feeds still list are checked in
//! memory: the SQL-only version wrote every listed key into a temporary table and ranked
//! every article, about 0.3 s at 50,000 articles on each exit. A feed whose list is unknown
//! (not fetched in this run) loses nothing, so its articles are not read either, and when no
//! feed can lose anything nothing is read at all.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use rusqlite::{Connection, params};

/// Drops articles older than `keep_days` (by published date, else first seen) or beyond the
/// newest `keep_per_feed` of their feed; never a starred one, nor one whose feed still lists
/// its key, nor any of a feed whose list is unknown (`None`). 0 means "no limit" for either
/// number. Returns how many went.
pub(crate) fn retain(
    conn: &Connection,
    keep_days: u32,
    keep_per_feed: usize,
    still_listed: &[(String, Option<Vec<String>>)],
) -> rusqlite::Result<usize> {
    let feed_ids: HashMap<String, i64> = conn
        .prepare_cached("SELECT url, id FROM feeds")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let keep_all: HashSet<i64> = still_listed
        .iter()
        .filter(|(_, keys)| keys.is_none())
        .filter_map(|(url, _)| feed_ids.get(url).copied())
        .collect();
    let losers: Vec<i64> = feed_ids
        .values()
        .copied()
        .filter(|id| !keep_all.contains(id))
        .collect();
    if losers.is_empty() {
        // No feed can lose an article (quitting before any feed was fetched, say).
        return Ok(0);
    }
    let mut candidates: Vec<(i64, i64, String)> = Vec::new();
    if keep_days > 0 {
        let cutoff = (Utc::now() - chrono::Duration::days(i64::from(keep_days))).timestamp();
        if losers.len() * 2 < feed_ids.len() {
            // A few feeds (an `akhbar refresh` where some had news): their own articles,
            // not every old article of the cache.
            let mut stmt = conn.prepare_cached(
                "SELECT id, feed_id, key FROM articles INDEXED BY articles_counts
                 WHERE feed_id = ?1 AND coalesce(published_s, first_seen_s) < ?2
                   AND starred = 0",
            )?;
            for feed in &losers {
                let rows = stmt.query_map(params![feed, cutoff], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
                for row in rows {
                    candidates.push(row?);
                }
            }
        } else {
            let mut stmt = conn.prepare_cached(
                "SELECT id, feed_id, key FROM articles
                 WHERE coalesce(published_s, first_seen_s) < ?1 AND starred = 0",
            )?;
            let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                let row = row?;
                if !keep_all.contains(&row.1) {
                    candidates.push(row);
                }
            }
        }
    }
    if keep_per_feed > 0 {
        let limit = i64::try_from(keep_per_feed).unwrap_or(i64::MAX);
        let crowded: Vec<i64> = conn
            .prepare_cached("SELECT feed_id FROM feed_counts WHERE total > ?1")?
            .query_map([limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, feed_id, key, starred FROM articles WHERE feed_id = ?1
             ORDER BY coalesce(published_s, first_seen_s) DESC, id DESC
             LIMIT -1 OFFSET ?2",
        )?;
        for feed in crowded.into_iter().filter(|f| !keep_all.contains(f)) {
            let rows = stmt.query_map(params![feed, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, bool>(3)?))
            })?;
            for row in rows {
                let (id, feed_id, key, starred) = row?;
                if !starred {
                    candidates.push((id, feed_id, key));
                }
            }
        }
    }
    if candidates.is_empty() {
        return Ok(0);
    }
    let listed: HashSet<(i64, &str)> = still_listed
        .iter()
        .filter_map(|(url, keys)| Some((*feed_ids.get(url)?, keys.as_ref()?)))
        .flat_map(|(id, keys)| keys.iter().map(move |k| (id, k.as_str())))
        .collect();
    let mut seen = HashSet::new();
    let mut delete = conn.prepare_cached("DELETE FROM articles WHERE id = ?1")?;
    let mut removed = 0;
    for (id, feed, key) in &candidates {
        if listed.contains(&(*feed, key.as_str())) || !seen.insert(*id) {
            continue;
        }
        removed += delete.execute([id])?;
    }
    tracing::debug!(removed, candidates = candidates.len(), "retention");
    Ok(removed)
}
