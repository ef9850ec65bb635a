//! `akhbar refresh`'s live line on a terminal (`fetched 340/1000 · 12 failed · 1.2 s`),
//! rewritten in place at most [`EVERY`] apart and cleared before anything else is printed.
//! It goes to stderr: stdout keeps only the report (failures and the summary) that scripts
//! and cron mail read, and a progress line is no part of that; the line is shown only when
//! stderr is a terminal.

use std::time::{Duration, Instant};

use super::report;

/// The live line is drawn at most this often (10 times a second).
pub const EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    /// Drawing at all (stderr is a terminal).
    live: bool,
    total: usize,
    done: usize,
    failed: usize,
    started: Instant,
    /// When the line was last drawn.
    drawn: Option<Instant>,
    /// The line is on the screen (not cleared since it was drawn).
    shown: bool,
}

impl Progress {
    pub fn new(total: usize, live: bool, started: Instant) -> Progress {
        Progress {
            live,
            total,
            done: 0,
            failed: 0,
            started,
            drawn: None,
            shown: false,
        }
    }

    /// Whether the line is drawn (the caller then wakes up every [`EVERY`] to redraw it).
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// One more feed is done.
    pub fn feed_done(&mut self, failed: bool) {
        self.done += 1;
        self.failed += usize::from(failed);
    }

    /// The line as it reads at `now`.
    pub fn line(&self, now: Instant) -> String {
        let secs = now.saturating_duration_since(self.started).as_secs_f64();
        format!(
            "fetched {}/{} · {} failed · {secs:.1} s",
            self.done, self.total, self.failed
        )
    }

    /// Whether the line is due for a redraw at `now`: never when not live; at once when it
    /// is not on the screen (a report line took its place); else at most every [`EVERY`].
    pub fn due(&self, now: Instant) -> bool {
        self.live
            && (!self.shown
                || self
                    .drawn
                    .is_none_or(|at| now.saturating_duration_since(at) >= EVERY))
    }

    /// Draws the line if it is due.
    pub fn draw(&mut self, now: Instant) {
        if self.due(now) {
            report::live(Some(&self.line(now)));
            self.drawn = Some(now);
            self.shown = true;
        }
    }

    /// Takes the line off the screen (before a report line, and before the summary); the
    /// next [`Progress::draw`] puts it back.
    pub fn clear(&mut self) {
        if std::mem::take(&mut self.shown) {
            report::live(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_feeds_and_failures_and_redraws_at_most_ten_times_a_second() {
        let t0 = Instant::now();
        let mut p = Progress::new(1000, true, t0);
        for i in 0..340 {
            p.feed_done(i % 30 == 0);
        }
        let at = t0 + Duration::from_millis(1240);
        assert_eq!(p.line(at), "fetched 340/1000 · 12 failed · 1.2 s");
        assert!(p.due(at), "never drawn yet");
        p.drawn = Some(at);
        p.shown = true;
        assert!(!p.due(at + Duration::from_millis(99)));
        assert!(p.due(at + EVERY));
        p.shown = false;
        assert!(p.due(at), "cleared for a report line: back at once");
        let quiet = Progress::new(10, false, t0);
        assert!(!quiet.due(at), "not a terminal: never drawn");
    }
}
