//! The one place effects happen: the runtime owns the cache, the poller handle and the
//! app's message sender, carries out the app's `Cmd`s (saves, layouts and body loads off
//! the render loop, refreshes), and has the single shutdown sequence. The TUI and
//! `akhbar refresh` both run on it; what only a terminal can do comes back to the caller.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

use super::search::SearchSlot;
use super::session::RestLoad;
use super::sync::{SyncCmd, SyncHandle};
use crate::app::{App, Cmd, Msg};
use crate::feed::{PageFetcher, PollCmd, PollerHandle};
use crate::persist::{Cache, Change};

/// Carries out the app's commands.
pub struct Runtime {
    cache: Option<Arc<Cache>>,
    poller: Option<PollerHandle>,
    sync: Option<SyncHandle>,
    /// Fetches articles' pages for their full text (none: `F` says it cannot).
    pages: Option<PageFetcher>,
    tx: UnboundedSender<Msg>,
    handle: tokio::runtime::Handle,
    /// The search worker, started by the first search.
    search: std::sync::OnceLock<SearchSlot>,
    /// Parts of a staged start-up's restore sent and not yet taken by the render loop.
    restore_queue: Arc<(Mutex<usize>, Condvar)>,
}

/// At most this many parts of the restore wait for the render loop: it applies them slower
/// than the cache is read, and each waiting part holds its articles twice at the end (in the
/// part, and in the store's room for them): ~240 MB more at a million articles.
const RESTORE_QUEUE: usize = 2;

/// What the shutdown found, for the caller to tell the user.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ShutdownReport {
    /// The last save failed: changes of this session are not on disk.
    pub save_error: Option<String>,
}

impl Runtime {
    /// A runtime on the current tokio runtime; answers go to `tx`.
    pub fn new(cache: Option<Arc<Cache>>, tx: UnboundedSender<Msg>) -> Runtime {
        Runtime {
            cache,
            poller: None,
            sync: None,
            pages: None,
            tx,
            handle: tokio::runtime::Handle::current(),
            search: std::sync::OnceLock::new(),
            restore_queue: Arc::default(),
        }
    }

    /// The render loop took a part of the restore off its queue (see [`Runtime::restore_rest`]).
    pub fn restore_part_taken(&self) {
        let (queued, taken) = &*self.restore_queue;
        let mut queued = queued.lock().unwrap_or_else(|e| e.into_inner());
        *queued = queued.saturating_sub(1);
        taken.notify_all();
    }

    /// Refreshes go to this poller.
    pub fn attach_poller(&mut self, poller: PollerHandle) {
        self.poller = Some(poller);
    }

    /// Sync requests and local changes of synced articles go to this worker.
    pub fn attach_sync(&mut self, sync: SyncHandle) {
        self.sync = Some(sync);
    }

    /// Full-text fetches go through this fetcher (the poller's limits, see
    /// [`PageFetcher::with_limits`]).
    pub fn attach_pages(&mut self, pages: PageFetcher) {
        self.pages = Some(pages);
    }

    pub fn cache(&self) -> Option<&Arc<Cache>> {
        self.cache.as_ref()
    }

    /// Forwards the cache writer's reports to the app as `Msg::Persist`.
    pub fn forward_cache_events(&self) {
        let Some(events) = self.cache.as_ref().and_then(|c| c.take_events()) else {
            return;
        };
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            while let Ok(ev) = events.recv() {
                if tx.send(Msg::Persist(ev)).is_err() {
                    return;
                }
            }
        });
    }

    /// Reads the rest of a staged start-up's articles off the render loop, in parts of
    /// `part`, each a `Msg::Restored`, then `Msg::RestoreDone`.
    pub fn restore_rest(&self, rest: RestLoad, part: usize) {
        let tx = self.tx.clone();
        let queue = Arc::clone(&self.restore_queue);
        self.handle.spawn_blocking(move || {
            let started = Instant::now();
            // Cleared when the render loop stops taking parts (quitting, or a caller without
            // `restore_part_taken`): the rest goes out unbounded, as before, and a quit during
            // the restore does not wait 200 ms per part.
            let mut bounded = true;
            let result = rest.load(part, |articles| {
                let (queued, taken) = &*queue;
                let mut queued = queued.lock().unwrap_or_else(|e| e.into_inner());
                while bounded && *queued >= RESTORE_QUEUE {
                    let (q, timeout) = taken
                        .wait_timeout(queued, std::time::Duration::from_millis(200))
                        .unwrap_or_else(|e| e.into_inner());
                    queued = q;
                    if timeout.timed_out() {
                        bounded = false;
                    }
                }
                *queued += 1;
                drop(queued);
                let _ = tx.send(Msg::Restored(articles));
            });
            tracing::info!(elapsed = ?started.elapsed(), ok = result.is_ok(), "rest of the cache read");
            let _ = tx.send(Msg::RestoreDone(result.map_err(|e| e.to_string())));
        });
    }

    /// Sends a change to the cache (if there is one).
    pub fn save(&self, change: Change) {
        if let Some(cache) = &self.cache {
            cache.send(change);
        }
    }

    /// Carries out the commands it can; returns the ones only a terminal can carry out
    /// (`OpenUrl`, `SetBidi`, `Redraw`, `Quit`), in order.
    pub fn run(&self, cmds: Vec<Cmd>) -> Vec<Cmd> {
        let mut rest = Vec::new();
        for cmd in cmds {
            match cmd {
                Cmd::Save(change) => self.save(change),
                Cmd::Refresh(id) => self.poll(PollCmd::Refresh(id)),
                Cmd::RefreshAll => self.poll(PollCmd::RefreshAll),
                Cmd::PollFeeds(feeds) => self.poll(PollCmd::SetFeeds(feeds)),
                Cmd::Layout(job) => {
                    let tx = self.tx.clone();
                    self.handle.spawn_blocking(move || {
                        let _ = tx.send(job.run());
                    });
                }
                Cmd::LoadBody { id, feed_url, key } => {
                    let Some(cache) = self.cache.clone() else {
                        continue;
                    };
                    let tx = self.tx.clone();
                    self.handle.spawn_blocking(move || {
                        let (summary_html, content_html) =
                            cache.load_body(&feed_url, &key).unwrap_or_default();
                        let _ = tx.send(Msg::BodyLoaded {
                            id,
                            summary_html,
                            content_html,
                        });
                        if let Some(full) = cache.load_full_text(&feed_url, &key) {
                            let _ = tx.send(Msg::FullText {
                                id,
                                result: Ok(full),
                                stored: true,
                            });
                        }
                    });
                }
                Cmd::FetchFullText { id, url } => {
                    let tx = self.tx.clone();
                    let Some(pages) = self.pages.clone() else {
                        let _ = tx.send(Msg::FullText {
                            id,
                            result: Err("pages are not fetched here".into()),
                            stored: false,
                        });
                        continue;
                    };
                    self.handle.spawn(async move {
                        let result = crate::extract::fetch_article(&pages, &url)
                            .await
                            .map(crate::extract::FullArticle::into_full_text)
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::FullText {
                            id,
                            result,
                            stored: false,
                        });
                    });
                }
                Cmd::Search { seq, query } => match &self.cache {
                    Some(cache) => self
                        .search
                        .get_or_init(|| SearchSlot::start(cache.searcher(), self.tx.clone()))
                        .submit(seq, query),
                    None => {
                        let result = Err("no cache to search".to_string());
                        let _ = self.tx.send(Msg::Searched { seq, query, result });
                    }
                },
                Cmd::Export(job) => {
                    let tx = self.tx.clone();
                    self.handle.spawn_blocking(move || {
                        let _ = tx.send(super::save::run(*job));
                    });
                }
                // The cache saves come with these (the app adds them); nothing else to do.
                Cmd::ReadChanged(_) | Cmd::StarChanged(_) => {}
                Cmd::SyncMarks(marks) => self.to_sync(SyncCmd::Marks(marks)),
                Cmd::SyncRefresh(feed) => self.to_sync(SyncCmd::Sync(feed)),
                Cmd::Play { argv } => super::player::play(argv, self.tx.clone()),
                Cmd::OpenUrl(_)
                | Cmd::SetBidi(_)
                | Cmd::Redraw
                | Cmd::ReloadConfig
                | Cmd::EditConfig
                | Cmd::Notify(_)
                | Cmd::Quit => rest.push(cmd),
            }
        }
        rest
    }

    fn to_sync(&self, cmd: SyncCmd) {
        if let Some(sync) = &self.sync {
            sync.send(cmd);
        }
    }

    /// Searches replaced by a newer one before they ran (for tests).
    pub fn searches_dropped(&self) -> u64 {
        self.search.get().map_or(0, SearchSlot::dropped)
    }

    fn poll(&self, cmd: PollCmd) {
        if let Some(poller) = &self.poller {
            poller.send(cmd);
        }
    }

    /// Waits until the cache has written everything sent so far (bounds memory in a long
    /// refresh); a failed commit stays queued and is reported by the shutdown.
    pub fn flush(&self) {
        if let Some(cache) = &self.cache {
            let _ = cache.flush_blocking();
        }
    }

    /// The one shutdown sequence: the poller stops, retention runs (when the app allows it),
    /// and everything is written before this returns.
    pub fn shutdown(mut self, app: &App, keep_days: u32, keep_per_feed: usize) -> ShutdownReport {
        // Its connection closes before the writer's, so the writer's close is the last.
        if let Some(mut search) = self.search.take() {
            search.stop();
        }
        if let Some(poller) = &self.poller {
            poller.send(PollCmd::Shutdown);
        }
        let mut report = ShutdownReport::default();
        if let Some(sync) = &self.sync {
            // Changes made just before the quit are in the cache before it closes.
            if let Err(e) = sync.flush() {
                report.save_error = Some(e);
            }
        }
        self.to_sync(SyncCmd::Shutdown);
        if let Some(cache) = &self.cache {
            if let Some(retain) = app.retention(keep_days, keep_per_feed) {
                cache.send(retain);
            }
            if let Err(e) = cache.flush_blocking() {
                report.save_error = Some(match report.save_error.take() {
                    Some(sync) => format!("{e}; {sync}"),
                    None => e.to_string(),
                });
            }
        }
        report
    }
}
