//! The round of fetches under way, for `notify`: new articles counted per feed (feeds with
//! `notify = false` left out) until no fetch is in flight.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::FeedId;

#[derive(Debug, Default)]
pub(super) struct Round {
    /// New articles by feed.
    new: BTreeMap<FeedId, usize>,
    /// The last fetch in flight finished: the round ends at the next tick if none started.
    ending: bool,
    /// Feeds whose articles are not counted (`notify = false`).
    quiet: BTreeSet<FeedId>,
}

impl Round {
    pub(super) fn new(quiet: impl IntoIterator<Item = FeedId>) -> Round {
        Round {
            quiet: quiet.into_iter().collect(),
            ..Round::default()
        }
    }

    /// A fetch of `feed` finished with `new` new articles; `idle`: it was the last in flight.
    pub(super) fn fetched(&mut self, feed: FeedId, new: usize, idle: bool) {
        if new > 0 && !self.quiet.contains(&feed) {
            *self.new.entry(feed).or_default() += new;
        }
        self.ending |= idle;
    }

    /// At a tick: a round whose fetches are all done (`idle`) ends, giving what it counted.
    pub(super) fn tick(&mut self, idle: bool) -> Option<BTreeMap<FeedId, usize>> {
        if !self.ending || !idle {
            return None;
        }
        self.ending = false;
        Some(self.take())
    }

    /// A feed left the config: what it brought is not counted.
    pub(super) fn forget(&mut self, feed: FeedId) {
        self.new.remove(&feed);
    }

    /// The feeds not counted, as a reload configured them.
    pub(super) fn set_quiet(&mut self, quiet: impl IntoIterator<Item = FeedId>) {
        self.quiet = quiet.into_iter().collect();
    }

    /// What the round counted so far, and a new count from zero.
    pub(super) fn take(&mut self) -> BTreeMap<FeedId, usize> {
        std::mem::take(&mut self.new)
    }
}
