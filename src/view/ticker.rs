//! The ticker's state: the newest headlines as a queue, and the run crossing the strip.
//! Consecutive items of one direction form a run: RTL runs enter at the left edge and move
//! right (headline start first), LTR runs enter at the right edge and move left. One cell per
//! step, at most `1 / STEP` redraws a second, none while paused.
//!
//! The run on the strip is frozen when it enters: new headlines join the end of the queue
//! and edits apply to the next crossing, so nothing jumps mid-way; a paused strip neither
//! moves nor changes. The next run enters the step after the last one left.

use std::ops::Range;
use std::time::{Duration, Instant};

use super::line::{StyledLine, compose, plain};
use super::theme;
use crate::model::Direction;
use crate::store::{ArticleId, Store};
use crate::text::{self, TextOptions};

/// Time per one-cell step (10 cells a second).
pub const STEP: Duration = Duration::from_millis(100);
/// How many of the newest headlines the ticker shows.
pub const ITEMS: usize = 12;
const MAX_TITLE: usize = 400;
const GAP: &str = "   ◆   ";

#[derive(Clone, Debug, PartialEq)]
struct Item {
    id: ArticleId,
    feed: String,
    title: String,
    dir: Direction,
    fallback_rtl: bool,
}

impl Item {
    /// The item as one styled line, and whether it reads right to left.
    fn layout(&self, opts: &TextOptions) -> StyledLine {
        let title = text::layout_single(&self.title, self.dir, self.fallback_rtl, opts);
        let feed = text::layout_single(&self.feed, Direction::Auto, self.fallback_rtl, opts);
        let rtl = title.rtl;
        compose(
            vec![(feed, theme::ticker_feed()), (title, theme::ticker())],
            (" │ ", theme::ticker_separator()),
            rtl,
        )
    }
}

/// A run of same-direction items as one visual line.
#[derive(Clone, Debug)]
pub struct Run {
    pub line: StyledLine,
    pub rtl: bool,
    /// Each item's cells in `line` (left to right), for a click on the strip.
    pub spans: Vec<(ArticleId, Range<usize>)>,
}

/// Ticker state: the queue of items, the run on the strip and its position.
#[derive(Clone, Debug)]
pub struct Ticker {
    /// The headlines in the order they are shown, cycling.
    queue: Vec<Item>,
    /// Where in `queue` the next run starts.
    next: usize,
    current: Option<Run>,
    opts: TextOptions,
    width: u16,
    /// Cells moved since the current run entered (1: its first cell is on the strip).
    offset: i64,
    paused: bool,
    last_step: Instant,
    /// Runs that have entered the strip since the start.
    entered: usize,
}

impl Ticker {
    pub fn new(now: Instant) -> Ticker {
        Ticker {
            queue: Vec::new(),
            next: 0,
            current: None,
            opts: TextOptions::default(),
            width: 80,
            offset: 0,
            paused: false,
            last_step: now,
            entered: 0,
        }
    }

    /// Takes the newest headlines from the store: the ones still among them keep their place
    /// in the queue (with their current text), the new ones join at its end.
    pub fn set_items(&mut self, store: &Store) {
        let fresh: Vec<Item> = store
            .newest(ITEMS)
            .iter()
            .filter_map(|&id| {
                let a = store.article(id)?;
                let f = store.feed(a.feed)?;
                let lang = a.language().or(f.language.as_deref()).unwrap_or("");
                Some(Item {
                    id,
                    feed: f.name.clone(),
                    // The strip shows a headline's start: a bounded prefix keeps its layout cheap.
                    title: a.title().chars().take(MAX_TITLE).collect(),
                    dir: f.direction,
                    fallback_rtl: text::is_rtl_language(lang),
                })
            })
            .collect();
        // The item the next run starts with, or the first one after it that stays.
        let next_id = self.queue[self.next.min(self.queue.len())..]
            .iter()
            .map(|i| i.id)
            .find(|id| fresh.iter().any(|f| f.id == *id));
        let mut queue: Vec<Item> = self
            .queue
            .iter()
            .filter_map(|old| fresh.iter().find(|f| f.id == old.id).cloned())
            .collect();
        let appended = queue.len();
        queue.extend(
            fresh
                .into_iter()
                .filter(|f| !self.queue.iter().any(|old| old.id == f.id)),
        );
        self.next = match next_id {
            Some(id) => queue.iter().position(|i| i.id == id).unwrap_or(0),
            // Everything after the cursor went: the new items come next, else the start.
            None if appended < queue.len() => appended,
            None => 0,
        };
        self.queue = queue;
    }

    /// The run on the strip is laid out again at once (the bidi mode changed).
    pub fn invalidate(&mut self) {
        if let Some(run) = self.current.take() {
            let ids: Vec<ArticleId> = run.spans.iter().map(|(id, _)| *id).collect();
            self.current = self.build(&ids);
        }
    }

    /// The strip's width and the text options runs are laid out with.
    pub fn prepare(&mut self, width: u16, opts: TextOptions) {
        self.width = width;
        if self.opts != opts {
            self.opts = opts;
            self.invalidate();
        }
    }

    /// A run of the queued items with these ids (those still queued), in this order.
    fn build(&self, ids: &[ArticleId]) -> Option<Run> {
        let lines: Vec<(ArticleId, StyledLine)> = ids
            .iter()
            .filter_map(|id| self.queue.iter().find(|i| i.id == *id))
            .map(|i| (i.id, i.layout(&self.opts)))
            .collect();
        let rtl = lines.first()?.1.rtl;
        let mut line = StyledLine {
            rtl,
            ..Default::default()
        };
        let mut spans = Vec::with_capacity(lines.len());
        // RTL runs read right to left: later items go on the left.
        let ordered: Vec<_> = if rtl {
            lines.into_iter().rev().collect()
        } else {
            lines
        };
        for (i, (id, one)) in ordered.into_iter().enumerate() {
            if i > 0 {
                line.push(plain(GAP), theme::ticker());
            }
            let start = line.width;
            for (l, s) in one.parts {
                line.push(l, s);
            }
            spans.push((id, start..line.width));
        }
        Some(Run { line, rtl, spans })
    }

    /// The next run from the queue: the items from `next` on while they keep one direction.
    fn start_next_run(&mut self) {
        self.current = None;
        if self.queue.is_empty() {
            return;
        }
        let start = self.next.min(self.queue.len() - 1);
        let rtl_of = |i: &Item| i.layout(&self.opts).rtl;
        let rtl = rtl_of(&self.queue[start]);
        let mut end = start + 1;
        while end < self.queue.len() && rtl_of(&self.queue[end]) == rtl {
            end += 1;
        }
        let ids: Vec<ArticleId> = self.queue[start..end].iter().map(|i| i.id).collect();
        self.next = if end >= self.queue.len() { 0 } else { end };
        self.current = self.build(&ids);
        self.offset = 1;
        self.entered += 1;
    }

    /// Advances by the steps due since the last one; true when the strip changed.
    pub fn tick(&mut self, now: Instant) -> bool {
        if self.paused {
            self.last_step = now;
            return false;
        }
        if self.current.is_none() {
            self.last_step = now;
            self.start_next_run();
            return self.current.is_some();
        }
        let due = now.saturating_duration_since(self.last_step).as_millis() / STEP.as_millis();
        if due == 0 {
            return false;
        }
        self.last_step += STEP * due as u32;
        self.offset += due as i64;
        let span = i64::from(self.width) + self.current.as_ref().map_or(0, |r| r.line.width as i64);
        if self.offset >= span {
            self.start_next_run();
        }
        true
    }

    /// Pauses or resumes; returns whether it is now paused.
    pub fn toggle_pause(&mut self, now: Instant) -> bool {
        self.paused = !self.paused;
        self.last_step = now;
        self.paused
    }

    /// Where the current run's left edge is, relative to the strip's left edge.
    pub fn position(&self, width: u16) -> Option<i64> {
        let run = self.current.as_ref()?;
        Some(if run.rtl {
            self.offset - run.line.width as i64
        } else {
            i64::from(width) - self.offset
        })
    }

    /// Whether the strip stands still.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// The run crossing the strip now.
    pub fn current_run(&self) -> Option<&Run> {
        self.current.as_ref()
    }

    /// How many runs have entered the strip so far and how far the current one has moved
    /// (cells since it entered).
    pub fn progress(&self) -> (usize, i64) {
        (self.entered, self.offset)
    }

    /// The article under cell `x` of a strip `width` wide, if a headline is drawn there.
    pub fn article_at(&self, x: u16, width: u16) -> Option<ArticleId> {
        let run = self.current.as_ref()?;
        let cell = i64::from(x) - self.position(width)?;
        let cell = usize::try_from(cell).ok()?;
        run.spans
            .iter()
            .find(|(_, r)| r.contains(&cell))
            .map(|(id, _)| *id)
    }
}

#[cfg(test)]
#[path = "ticker_tests.rs"]
mod tests;
