//! The article reader's state: the open article, its laid-out lines, a small cache of
//! layouts, and the layout slot. Layouts run off the render loop as jobs; the slot lets at
//! most one run and one wait, a newer request replacing the waiting one before it starts
//! (a resize drag asks for a layout per width and only the last width matters).

use std::collections::HashMap;
use std::sync::Arc;

use super::fulltext::FullTexts;
use super::msg::{Cmd, LayoutJob, LayoutKey};
use crate::clock::Zone;
use crate::store::{ArticleId, Store};
use crate::view::ReaderLine;

/// Layouts kept for quick reopening and for going back to an earlier width.
const CACHE: usize = 16;

/// The open article.
#[derive(Clone, Debug)]
pub struct Reader {
    pub article: ArticleId,
    pub scroll: usize,
    pub lines: Arc<Vec<ReaderLine>>,
    /// The search match `n`/`N` went to last (a row of `lines`).
    pub at_match: Option<usize>,
}

/// What a layout request needs besides the key: the store to copy the article from, and the
/// time zone its date is shown in.
pub(super) struct LayoutSource<'a> {
    pub store: &'a Store,
    pub zone: Zone,
    pub full: &'a FullTexts,
    /// The applied search, highlighted when the key asks for it.
    pub query: Option<&'a str>,
}

/// The job running and the one waiting.
#[derive(Debug, Default)]
struct LayoutSlot {
    /// The running job's key and number; `stale` once its article changed (its answer is
    /// then not kept).
    running: Option<(LayoutKey, u64, bool)>,
    waiting: Option<Box<LayoutJob>>,
    seq: u64,
    /// Requests that were replaced before they started (for tests and the log).
    dropped: u64,
}

/// The reader's state.
#[derive(Debug, Default)]
pub(super) struct ReaderState {
    pub open: Option<Reader>,
    cache: HashMap<LayoutKey, Arc<Vec<ReaderLine>>>,
    slot: LayoutSlot,
}

impl ReaderState {
    /// The lines for `key` if laid out already; else a layout is requested (see the slot)
    /// and `None` returned.
    pub fn lines_for(
        &mut self,
        key: LayoutKey,
        src: &LayoutSource<'_>,
        cmds: &mut Vec<Cmd>,
    ) -> Option<Arc<Vec<ReaderLine>>> {
        if let Some(lines) = self.cache.get(&key) {
            return Some(lines.clone());
        }
        self.request(key, src, cmds);
        None
    }

    fn request(&mut self, key: LayoutKey, src: &LayoutSource<'_>, cmds: &mut Vec<Cmd>) {
        let slot = &mut self.slot;
        if slot.running.is_some_and(|(k, _, stale)| k == key && !stale) {
            // Already being laid out: its answer will do.
            if slot.waiting.take().is_some() {
                slot.dropped += 1;
            }
            return;
        }
        if slot.waiting.as_ref().is_some_and(|w| w.key == key) {
            return;
        }
        let Some(article) = src.store.article(key.article) else {
            return;
        };
        let feed = src.store.feed(article.feed).cloned();
        let article = match src.full.ready(key.article) {
            Some(full) if key.full => crate::view::with_full_text(article, full),
            _ => article.clone(),
        };
        slot.seq += 1;
        let job = Box::new(LayoutJob {
            key,
            seq: slot.seq,
            article,
            feed,
            zone: src.zone,
            query: src.query.filter(|_| key.matches != 0).map(str::to_owned),
        });
        if slot.running.is_none() {
            slot.running = Some((key, job.seq, false));
            cmds.push(Cmd::Layout(job));
        } else if slot.waiting.replace(job).is_some() {
            slot.dropped += 1;
        }
    }

    /// Opens an article with the lines for `key` (or none yet: they follow from the job).
    pub fn open(&mut self, key: LayoutKey, src: &LayoutSource<'_>, cmds: &mut Vec<Cmd>) {
        let lines = self.lines_for(key, src, cmds).unwrap_or_default();
        self.open = Some(Reader {
            article: key.article,
            scroll: 0,
            lines,
            at_match: None,
        });
    }

    /// Lays the open article out again for a new key (width, mode or body changed). The old
    /// lines stay on screen until the new ones arrive.
    pub fn relayout(&mut self, key: LayoutKey, src: &LayoutSource<'_>, cmds: &mut Vec<Cmd>) {
        if self.open.as_ref().is_some_and(|r| r.article == key.article)
            && let Some(lines) = self.lines_for(key, src, cmds)
        {
            self.show(lines);
        }
    }

    fn show(&mut self, lines: Arc<Vec<ReaderLine>>) {
        if let Some(r) = self.open.as_mut() {
            r.lines = lines;
            r.scroll = r.scroll.min(r.lines.len().saturating_sub(1));
        }
    }

    /// A job came back. `current`: the key the open article needs now. Starts the waiting
    /// job, if any.
    pub fn laid_out(
        &mut self,
        key: LayoutKey,
        seq: u64,
        lines: Arc<Vec<ReaderLine>>,
        current: Option<LayoutKey>,
        cmds: &mut Vec<Cmd>,
    ) {
        let slot = &mut self.slot;
        let Some((running_key, running_seq, stale)) = slot.running else {
            return;
        };
        if running_seq != seq || running_key != key {
            return;
        }
        slot.running = None;
        if let Some(job) = slot.waiting.take() {
            slot.running = Some((job.key, job.seq, false));
            cmds.push(Cmd::Layout(job));
        }
        if stale {
            return; // Laid out from a body that has changed since.
        }
        if self.cache.len() >= CACHE {
            self.cache.clear();
        }
        self.cache.insert(key, lines.clone());
        if current == Some(key) && self.open.as_ref().is_some_and(|r| r.article == key.article) {
            self.show(lines);
        }
    }

    /// An article's bodies changed: its layouts are out of date, also the one being made.
    pub fn forget(&mut self, id: ArticleId) {
        self.cache.retain(|k, _| k.article != id);
        let slot = &mut self.slot;
        if let Some((k, _, stale)) = slot.running.as_mut()
            && k.article == id
        {
            *stale = true;
        }
        if slot.waiting.as_ref().is_some_and(|w| w.key.article == id) {
            slot.waiting = None;
        }
    }

    /// Every layout is out of date (the bidi mode changed).
    pub fn forget_all(&mut self) {
        self.cache.clear();
        let slot = &mut self.slot;
        if let Some((_, _, stale)) = slot.running.as_mut() {
            *stale = true;
        }
        slot.waiting = None;
    }

    /// Whether a layout is running or waiting.
    pub fn is_pending(&self) -> bool {
        self.slot.running.is_some() || self.slot.waiting.is_some()
    }

    /// Requests replaced before they started.
    pub fn dropped(&self) -> u64 {
        self.slot.dropped
    }

    /// Scrolls the open article by `delta` lines; `page`: rows on screen.
    pub fn scroll_by(&mut self, delta: isize, page: usize) {
        if let Some(r) = self.open.as_mut() {
            let max = r.lines.len().saturating_sub(page.max(1));
            r.scroll = r.scroll.saturating_add_signed(delta).min(max);
        }
    }
}
