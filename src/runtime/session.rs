//! What the TUI and the headless commands share at start-up: the config's feeds, the cache
//! opened and restored into the store, and the poller's sources with their saved validators.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::app::{App, AppOptions, BidiState};
use crate::clock::Clock;
use crate::config::{Config, FeedConfig};
use crate::keymap::Keymap;
use crate::model::{FeedId, FeedSource};
use crate::persist::{self, Cache, LoadPlan, PersistError, StoredFeed};
use crate::store::Store;

/// Everything needed to run: the app (with the cached articles), the cache and the sources.
pub struct Session {
    pub app: App,
    pub cache: Option<Arc<Cache>>,
    pub sources: Vec<FeedSource>,
    /// Things to tell the user once (cache moved aside, cache unavailable, ...).
    pub notices: Vec<String>,
    /// How many articles the cache holds (for the configured feeds).
    pub cached_articles: usize,
    /// The cached articles not restored yet (a staged start-up).
    pub rest: Option<RestLoad>,
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
        let id = store.add_feed(&f.url, f.name.as_deref(), f.tags.clone(), f.direction);
        store.set_hidden(id, f.hidden);
        store.set_feed_ignore(id, f.ignore.clone());
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
                gone: saved.is_some_and(|s| {
                    s.last_error.as_deref() == Some(crate::feed::schedule::GONE_REASON)
                }),
                // Written in the user's own config file: `exec:` is allowed.
                allow_exec: true,
            }
        })
        .collect()
}

/// The articles a staged start-up has still to read, with the feeds they belong to.
pub struct RestLoad {
    loader: persist::RestLoader,
    ids: HashMap<String, FeedId>,
    /// The feeds [`RestLoad::load_feeds`] has read already.
    feeds_read: std::collections::HashSet<FeedId>,
}

impl RestLoad {
    /// Reads the cached articles of these feeds that are not in yet (blocking), ready for
    /// [`Store::restore_counted`]; a feed read before is not read again, and the whole
    /// [`RestLoad::load`] leaves them out afterwards.
    pub fn load_feeds(
        &mut self,
        feeds: &[FeedId],
    ) -> Result<Vec<crate::model::Article>, PersistError> {
        let urls: Vec<&str> = self
            .ids
            .iter()
            .filter(|(_, id)| feeds.contains(id) && !self.feeds_read.contains(id))
            .map(|(url, _)| url.as_str())
            .collect();
        if urls.is_empty() {
            return Ok(Vec::new());
        }
        let ids = &self.ids;
        let articles = self
            .loader
            .load_feeds(&urls, &|url| ids.get(url).copied())?;
        self.feeds_read.extend(feeds.iter().copied());
        Ok(articles)
    }

    /// Reads them (blocking; run it off the render loop), handing them to `sink` in parts of
    /// at most `chunk`, ready for [`Store::restore_counted`].
    pub fn load(
        self,
        chunk: usize,
        mut sink: impl FnMut(Vec<crate::model::Article>) + Send,
    ) -> Result<(), PersistError> {
        let ids = self.ids;
        // The feed is found as each row is read: no URL copy per article.
        self.loader
            .load(chunk, &|url| ids.get(url).copied(), &mut |part| sink(part))
    }
}

/// Gives each cached article its feed's id in this run; articles of feeds no longer in the
/// config are left out.
fn assign_feeds(
    ids: &HashMap<String, FeedId>,
    articles: Vec<(String, crate::model::Article)>,
) -> Vec<crate::model::Article> {
    articles
        .into_iter()
        .filter_map(|(url, mut a)| {
            a.feed = *ids.get(url.as_str())?;
            Some(a)
        })
        .collect()
}

/// Issue 10 item 14: the starred articles of feeds that left the config stay in Starred (and
/// so in the cache: retention keeps what a feed lists, and the store lists what it restored).
/// Each such feed comes back as a former feed; returns the ids restored.
fn restore_former(
    store: &mut Store,
    dir: &Path,
    former: Vec<(String, Option<String>)>,
) -> Vec<crate::store::ArticleId> {
    let urls: Vec<String> = former.iter().map(|(url, _)| url.clone()).collect();
    let starred = match persist::starred_of(dir, &urls) {
        Ok(starred) => starred,
        Err(e) => {
            tracing::warn!("cannot read the starred articles of removed feeds: {e}");
            return Vec::new();
        }
    };
    let mut ids = HashMap::new();
    for (url, title) in former {
        if starred.iter().any(|(u, _)| *u == url) {
            let id = store.add_former_feed(&url, title.as_deref());
            ids.insert(url, id);
        }
    }
    store.restore(assign_feeds(&ids, starred))
}

/// A feed's outcome at its last fetch, as the cache kept it, shown until this run fetches the
/// feed (issue 10 item 4: a restart showed every feed as not fetched, `0/9 feeds ok`). `None`
/// for a feed never fetched. A cache from before fetch times were kept has none: the time is
/// then now.
fn last_outcome(f: &StoredFeed, clock: &Clock) -> Option<crate::store::FeedStatus> {
    let at = f.last_fetch.unwrap_or_else(|| clock.now());
    match f.last_error.clone() {
        Some(reason) => Some(crate::store::FeedStatus::Failed {
            reason,
            since: at,
            next_try: f.next_poll,
        }),
        None if f.last_fetch.is_some()
            || f.next_poll.is_some()
            || f.etag.is_some()
            || f.last_modified.is_some() =>
        {
            Some(crate::store::FeedStatus::Ok { at })
        }
        None => None,
    }
}

/// Opens the cache in `data_dir` (None: no cache, as in the demo) and builds the app.
/// A locked cache is an error; any other cache problem is a notice and akhbar runs without
/// saving rather than refusing to start.
///
/// `first`: `None` restores every cached article now; `Some(n)` only the newest `n` (the
/// ones the first frame shows) with every feed's counts, leaving the rest to
/// [`Session::rest`] (the app is then restoring until [`crate::app::Msg::RestoreDone`]
/// says it is done).
pub fn open(
    config: &Config,
    bidi: BidiState,
    clock: Clock,
    data_dir: Option<&Path>,
    first: Option<usize>,
) -> Result<Session, SessionError> {
    let started = std::time::Instant::now();
    let mut store = store_for(&config.feeds);
    // The server's feeds from last time, so their cached articles are restored with them.
    if let (Some(sync), Some(dir)) = (&config.sync, data_dir) {
        for row in persist::synced_feeds(dir, &super::sync::account_key(sync)) {
            store.add_feed(
                &row.url,
                Some(&row.title),
                row.tags,
                crate::model::Direction::Auto,
            );
        }
    }
    store.set_ignore(config.ignore.clone());
    let mut notices = Vec::new();
    let mut stored = HashMap::new();
    let mut restored = Vec::new();
    let mut rest = None;
    let mut cached_articles = 0;
    let mut unread_only = false;
    let mut kept_measure = None;
    let cache = match data_dir {
        None => None,
        Some(dir) => {
            let plan = match first {
                None => LoadPlan::All,
                Some(n) => LoadPlan::Newest { n },
            };
            match persist::open_with_plan(dir, plan) {
                Ok((cache, loaded)) => {
                    tracing::info!(elapsed = ?started.elapsed(), articles = loaded.articles.len(), "cache read");
                    unread_only = loaded.unread_only();
                    kept_measure = loaded
                        .setting(persist::SETTING_READER_WIDTH)
                        .map(str::to_string);
                    notices.extend(loaded.notices);
                    let ids: HashMap<String, FeedId> = store
                        .feeds()
                        .iter()
                        .map(|f| (f.url.clone(), f.id))
                        .collect();
                    let articles = assign_feeds(&ids, loaded.articles);
                    if first.is_some() {
                        let counts: Vec<(FeedId, usize, usize, usize)> = loaded
                            .counts
                            .iter()
                            .filter_map(|c| Some((*ids.get(&c.url)?, c.total, c.unread, c.starred)))
                            .collect();
                        cached_articles = counts.iter().map(|c| c.1).sum();
                        store.preset_counts(&counts);
                        restored = store.restore_counted(articles);
                    } else {
                        restored = store.restore(articles);
                        cached_articles = restored.len();
                    }
                    tracing::info!(elapsed = ?started.elapsed(), "articles restored");
                    rest = loaded.rest.map(|loader| RestLoad {
                        loader,
                        ids: ids.clone(),
                        feeds_read: std::collections::HashSet::new(),
                    });
                    let mut former = Vec::new();
                    for f in loaded.feeds {
                        if let Some(&id) = ids.get(f.url.as_str()) {
                            // The feed's own title from last time, until this run fetches it.
                            if let Some(title) = f.title.as_deref() {
                                store.set_cached_title(id, title);
                            }
                            store.set_moved_to(id, f.redirected_url.clone());
                            if let Some(status) = last_outcome(&f, &clock) {
                                store.set_status(id, status);
                            }
                        }
                        if !ids.contains_key(f.url.as_str()) {
                            former.push((f.url.clone(), f.title.clone()));
                        }
                        stored.insert(f.url.clone(), f);
                    }
                    restored.extend(restore_former(&mut store, dir, former));
                    Some(Arc::new(cache))
                }
                Err(e @ PersistError::Locked { .. }) => return Err(SessionError::Locked(e)),
                Err(e) => {
                    notices.push(format!(
                        "cache unavailable ({e}); changes will not be saved"
                    ));
                    None
                }
            }
        }
    };
    // The config validated every key already.
    let app = App::new(AppOptions {
        keymap: Keymap::new(&config.keys).unwrap_or_default(),
        bidi,
        clock,
        persistent: cache.is_some(),
        keep_bodies: cache.is_none(),
        unread_only,
        restoring: rest.is_some(),
        needs_body: restored,
        full_text_feeds: config
            .feeds
            .iter()
            .enumerate()
            .filter(|(_, f)| f.full_text)
            .map(|(i, _)| FeedId(i as u32))
            .collect(),
        quiet_feeds: config
            .feeds
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.notify)
            .map(|(i, _)| FeedId(i as u32))
            .collect(),
        reader: reader_options(config, kept_measure.as_deref()),
        player: config.player.clone(),
        // The binary resolves `auto` from its terminal before it opens the session.
        hyperlinks: config.hyperlinks == crate::config::HyperlinkSetting::On,
        queries: config.queries.clone(),
        ..AppOptions::new(store)
    });
    tracing::info!(elapsed = ?started.elapsed(), "session open");
    Ok(Session {
        sources: sources(&config.feeds, &stored),
        app,
        cache,
        notices,
        cached_articles,
        rest,
    })
}

/// The reader's options from the config; `kept`: the measure the cache kept (see
/// `app::restored_measure`).
pub fn reader_options(config: &Config, kept: Option<&str>) -> crate::app::ReaderOptions {
    crate::app::ReaderOptions {
        measure: crate::app::restored_measure(kept, config.reader.reader_width),
        configured_measure: config.reader.reader_width,
        save_dir: config.reader.save_dir(),
        save_format: config.reader.save_format,
        pipe: config.reader.pipe.clone(),
    }
}

/// The poller's options from the config.
pub fn poll_options(config: &Config) -> crate::feed::PollOptions {
    crate::feed::PollOptions {
        interval: config.refresh_interval,
        timeout: config.timeout,
        connect_timeout: config.connect_timeout,
        max_body_bytes: config.max_feed_bytes,
        concurrency: config.concurrency,
        per_host: config.per_host_concurrency,
        ..crate::feed::PollOptions::default()
    }
}
