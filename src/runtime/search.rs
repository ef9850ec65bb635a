//! The search slot: one worker thread with its own read-only connection to the cache, and
//! one latest job (gitui's `AsyncSingleJob`): at most one query runs, at most one waits, and
//! a newer query replaces the waiting one (typing fast never queues a backlog of searches).

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::persist::Searcher;
use crate::text::fold::FoldOptions;

/// At most this many matches are sent to the app (the total is counted beyond it).
pub const SEARCH_LIMIT: usize = 10_000;

#[derive(Default)]
struct Slot {
    queued: Option<(u64, String)>,
    closed: bool,
    /// Queries replaced before they ran (for tests).
    dropped: u64,
}

/// The worker and its slot.
pub struct SearchSlot {
    shared: Arc<(Mutex<Slot>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl SearchSlot {
    /// Starts the worker; answers go to `tx` as `Msg::Searched`.
    pub fn start(mut searcher: Searcher, tx: UnboundedSender<Msg>) -> SearchSlot {
        let shared: Arc<(Mutex<Slot>, Condvar)> = Arc::default();
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("akhbar-search".into())
            .spawn(move || {
                let (lock, wake) = &*theirs;
                loop {
                    let (seq, query) = {
                        let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if slot.closed {
                                searcher.close();
                                return;
                            }
                            if let Some(job) = slot.queued.take() {
                                break job;
                            }
                            slot = wake.wait(slot).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let started = std::time::Instant::now();
                    let result = searcher
                        .search_with(&query, SEARCH_LIMIT, FoldOptions::default())
                        .map_err(|e| e.to_string());
                    tracing::debug!(elapsed = ?started.elapsed(), "search");
                    if tx.send(Msg::Searched { seq, query, result }).is_err() {
                        searcher.close();
                        return;
                    }
                }
            })
            .ok();
        SearchSlot { shared, thread }
    }

    /// Queues a query, replacing one still waiting.
    pub fn submit(&self, seq: u64, query: String) {
        let (lock, wake) = &*self.shared;
        let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
        if slot.queued.replace((seq, query)).is_some() {
            slot.dropped += 1;
        }
        wake.notify_one();
    }

    /// How many queries a newer one replaced before they ran.
    pub fn dropped(&self) -> u64 {
        let (lock, _) = &*self.shared;
        lock.lock().unwrap_or_else(|e| e.into_inner()).dropped
    }

    /// Stops the worker (after the query it is running) and closes its connection.
    pub fn stop(&mut self) {
        let (lock, wake) = &*self.shared;
        lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SearchSlot {
    fn drop(&mut self) {
        self.stop();
    }
}
