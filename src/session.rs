//! What the TUI and the headless commands share at start-up: the config's feeds, the cache
//! opened and restored into the store, and the poller's sources with their saved validators.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::app::{App, BidiState, Cmd};
use crate::config::{Config, FeedConfig};
use crate::keymap::Keymap;
use crate::model::{FeedId, FeedSource};
use crate::persist::{self, Cache, PersistError, StoredFeed};
use crate::store::Store;

/// Everything needed to run: the app (with the cached articles), the cache and the sources.
pub struct Session {
    pub app: App,
    pub cache: Option<Arc<Cache>>,
    pub sources: Vec<FeedSource>,
    /// Things to tell the user once (cache moved aside, cache unavailable, ...).
    pub notices: Vec<String>,
    /// How many articles came from the cache.
    pub cached_articles: usize,
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Another akhbar writes this data directory: never two writers.
    #[error("{0}")]
    Locked(PersistError),
}

/// A store with the configured feeds, no articles yet.
pub fn store_for(feeds: &[FeedConfig]) -> Store {
    let mut store = Store::new();
    for f in feeds {
        store.add_feed(&f.url, f.name.as_deref(), f.tags.clone(), f.direction);
    }
    store
}

/// Feed sources for the poller, one per configured feed (ids in config order), with the
/// validators and moved address remembered in the cache.
pub fn sources(feeds: &[FeedConfig], stored: &HashMap<String, StoredFeed>) -> Vec<FeedSource> {
    feeds
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let saved = stored.get(&f.url);
            FeedSource {
                id: FeedId(i as u32),
                url: saved
                    .and_then(|s| s.redirected_url.clone())
                    .unwrap_or_else(|| f.url.clone()),
                interval: f.interval,
                headers: f.headers.clone(),
                basic_auth: f.basic_auth.clone(),
                etag: saved.and_then(|s| s.etag.clone()),
                last_modified: saved.and_then(|s| s.last_modified.clone()),
                next_poll: saved.and_then(|s| s.next_poll),
                failures: saved.map_or(0, |s| s.failures),
                // Written in the user's own config file: `exec:` is allowed.
                allow_exec: true,
            }
        })
        .collect()
}

/// Opens the cache in `data_dir` (None: no cache, as in the demo) and builds the app.
/// A locked cache is an error; any other cache problem is a notice and akhbar runs without
/// saving rather than refusing to start.
pub fn open(
    config: &Config,
    bidi: BidiState,
    data_dir: Option<&Path>,
) -> Result<Session, SessionError> {
    let started = std::time::Instant::now();
    let mut store = store_for(&config.feeds);
    let mut notices = Vec::new();
    let mut stored = HashMap::new();
    let mut restored = Vec::new();
    let cache = match data_dir.map(persist::open) {
        None => None,
        Some(Ok((cache, loaded))) => {
            tracing::info!(elapsed = ?started.elapsed(), articles = loaded.articles.len(), "cache read");
            notices.extend(loaded.notices);
            let ids: HashMap<String, FeedId> = store
                .feeds()
                .iter()
                .map(|f| (f.url.clone(), f.id))
                .collect();
            let articles = loaded
                .articles
                .into_iter()
                .filter_map(|(url, mut a)| {
                    a.feed = *ids.get(url.as_str())?;
                    Some(a)
                })
                .collect();
            restored = store.restore(articles);
            tracing::info!(elapsed = ?started.elapsed(), "articles restored");
            for f in loaded.feeds {
                if let Some(feed) = ids.get(f.url.as_str()).and_then(|&id| store.feed_mut(id)) {
                    // The feed's own title from last time, until this run fetches it again.
                    if let (false, Some(title)) = (feed.configured_name, f.title.as_deref()) {
                        feed.name = title.to_string();
                    }
                    feed.moved_to = f.redirected_url.clone();
                    // Last run's failure stays visible until this run fetches the feed again.
                    if let Some(reason) = f.last_error.clone() {
                        feed.status = crate::store::FeedStatus::Failed {
                            reason,
                            since: chrono::Utc::now(),
                            next_try: f.next_poll,
                        };
                    }
                }
                stored.insert(f.url.clone(), f);
            }
            Some(Arc::new(cache))
        }
        Some(Err(e @ PersistError::Locked { .. })) => return Err(SessionError::Locked(e)),
        Some(Err(e)) => {
            notices.push(format!(
                "cache unavailable ({e}); changes will not be saved"
            ));
            None
        }
    };
    let cached_articles = restored.len();
    // The config validated every key already.
    let keymap = Keymap::new(&config.keys).unwrap_or_default();
    let mut app = App::new(store, keymap, bidi);
    app.needs_body.extend(restored);
    app.persistent = cache.is_some();
    tracing::info!(elapsed = ?started.elapsed(), "session open");
    Ok(Session {
        sources: sources(&config.feeds, &stored),
        app,
        cache,
        notices,
        cached_articles,
    })
}

/// Carries out the cache's commands; the others are the caller's. Returns the commands left.
pub fn run_cache_cmds(cmds: Vec<Cmd>, cache: Option<&Arc<Cache>>) -> Vec<Cmd> {
    let mut rest = Vec::new();
    for cmd in cmds {
        match (cmd, cache) {
            (Cmd::Save(change), Some(cache)) => cache.send(change),
            (Cmd::Save(_), None) => {}
            (other, _) => rest.push(other),
        }
    }
    rest
}
