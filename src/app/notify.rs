//! What a round of fetches brought, for `notify`: once no fetch is in flight (at the next
//! tick, so that a fetch starting right after another one finished keeps the round going),
//! the round ends with one `Cmd::Notify`, and only if something new came.

use std::collections::BTreeMap;

use super::msg::{Cmd, NewArticles};
use super::state::App;
use crate::model::FeedId;

impl App {
    /// A fetch of `feed` finished with `new` new articles.
    pub(super) fn round_fetched(&mut self, feed: FeedId, new: usize) {
        let idle = self.loading.is_empty();
        self.round.fetched(feed, new, idle);
    }

    /// Time passed: a round whose fetches are all done ends.
    pub(super) fn round_tick(&mut self, cmds: &mut Vec<Cmd>) {
        let idle = self.loading.is_empty();
        if let Some(news) = self.round.tick(idle).and_then(|c| self.news(c)) {
            cmds.push(Cmd::Notify(news));
        }
    }

    /// Ends the round now (`akhbar refresh`, once every feed is in): what it brought, or
    /// `None` when nothing new came.
    pub fn finish_round(&mut self) -> Option<NewArticles> {
        let counted = self.round.take();
        self.news(counted)
    }

    fn news(&self, counted: BTreeMap<FeedId, usize>) -> Option<NewArticles> {
        let new: usize = counted.values().sum();
        if new == 0 {
            return None;
        }
        let feeds = counted
            .keys()
            .filter_map(|id| self.store.feed(*id))
            .map(|f| f.name.clone())
            .collect();
        Some(NewArticles {
            new,
            feeds,
            unread: self.store.unread_count(),
        })
    }
}
