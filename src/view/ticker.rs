//! The ticker's state: the newest headlines laid out as runs, and where the strip is.
//! Consecutive items of one direction form a run that crosses the strip: RTL runs enter at the left edge and move right (headline start
//! first), LTR runs enter at the right edge and move left. One cell per step, at most
//! `1 / STEP` redraws a second, none while paused.

use std::time::{Duration, Instant};

use super::line::{StyledLine, compose, plain};
use super::theme;
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
    feed: String,
    title: String,
    dir: crate::model::Direction,
    fallback_rtl: bool,
}

/// A run of same-direction items as one visual line.
#[derive(Clone, Debug)]
pub struct Run {
    pub line: StyledLine,
    pub rtl: bool,
}

/// Ticker state: items, the built runs for the current width, and the scroll position.
#[derive(Clone, Debug)]
pub struct Ticker {
    items: Vec<Item>,
    runs: Vec<Run>,
    built_for: Option<(u16, TextOptions)>,
    run: usize,
    /// Cells moved since the current run started.
    offset: i64,
    paused: bool,
    last_step: Instant,
}

impl Ticker {
    pub fn new(now: Instant) -> Ticker {
        Ticker {
            items: Vec::new(),
            runs: Vec::new(),
            built_for: None,
            run: 0,
            offset: 0,
            paused: false,
            last_step: now,
        }
    }

    /// Takes the newest headlines from the store (cheap when they did not change).
    pub fn set_items(&mut self, store: &Store) {
        let items: Vec<Item> = store
            .newest(ITEMS)
            .iter()
            .filter_map(|&id: &ArticleId| {
                let a = store.article(id)?;
                let f = store.feed(a.feed)?;
                let lang = a
                    .language
                    .as_deref()
                    .or(f.language.as_deref())
                    .unwrap_or("");
                Some(Item {
                    feed: f.name.clone(),
                    // The strip shows a headline's start: a bounded prefix keeps its layout cheap.
                    title: a.title.chars().take(MAX_TITLE).collect(),
                    dir: f.direction,
                    fallback_rtl: text::is_rtl_language(lang),
                })
            })
            .collect();
        if items != self.items {
            self.items = items;
            self.built_for = None;
        }
    }

    /// Forces the runs to be laid out again (bidi mode changed).
    pub fn invalidate(&mut self) {
        self.built_for = None;
    }

    /// Lays the runs out for this width and text options, if not done already.
    pub fn prepare(&mut self, width: u16, opts: TextOptions) {
        if self.built_for == Some((width, opts)) {
            return;
        }
        self.runs.clear();
        for item in &self.items {
            let title = text::layout_single(&item.title, item.dir, item.fallback_rtl, &opts);
            let feed = text::layout_single(
                &item.feed,
                crate::model::Direction::Auto,
                item.fallback_rtl,
                &opts,
            );
            let rtl = title.rtl;
            let one = compose(
                vec![(feed, theme::ticker_feed()), (title, theme::ticker())],
                (" │ ", theme::ticker()),
                rtl,
            );
            match self.runs.last_mut() {
                Some(run) if run.rtl == rtl => {
                    // RTL runs read right to left: later items go on the left.
                    let mut joined = StyledLine {
                        rtl,
                        ..Default::default()
                    };
                    let (first, second) = if rtl {
                        (one, run.line.clone())
                    } else {
                        (run.line.clone(), one)
                    };
                    for (l, s) in first.parts {
                        joined.push(l, s);
                    }
                    joined.push(plain(GAP), theme::ticker());
                    for (l, s) in second.parts {
                        joined.push(l, s);
                    }
                    run.line = joined;
                }
                _ => self.runs.push(Run { line: one, rtl }),
            }
        }
        if self.run >= self.runs.len() {
            self.run = 0;
            self.offset = 0;
        }
        self.built_for = Some((width, opts));
    }

    /// Advances by the steps due since the last one; true when the strip moved.
    pub fn tick(&mut self, now: Instant) -> bool {
        if self.paused || self.runs.is_empty() {
            self.last_step = now;
            return false;
        }
        let due = now.saturating_duration_since(self.last_step).as_millis() / STEP.as_millis();
        if due == 0 {
            return false;
        }
        self.last_step += STEP * due as u32;
        let width = self.built_for.map_or(80, |(w, _)| w) as i64;
        self.offset += due as i64;
        let span = width + self.runs[self.run].line.width as i64;
        if self.offset > span {
            self.offset = 0;
            self.run = (self.run + 1) % self.runs.len();
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
        let run = self.runs.get(self.run)?;
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
        self.runs.get(self.run)
    }

    /// Which run crosses the strip and how far it has moved (cells since it entered).
    pub fn progress(&self) -> (usize, i64) {
        (self.run, self.offset)
    }
}
