//! A config reload's changes to the feeds (issue 14): a feed's settings change in place, a
//! feed that left the config becomes a former one (its starred articles stay in Starred,
//! the others leave the views), and one that comes back is configured again.

use super::{Counts, Store};
use crate::model::{Direction, FeedId};

impl Store {
    /// A configured feed's settings as the config now has them: its configured name (none:
    /// the feed's own title from its next fetch), tags, direction, and whether it is hidden.
    pub fn configure_feed(
        &mut self,
        id: FeedId,
        name: Option<&str>,
        tags: Vec<String>,
        direction: Direction,
        hidden: bool,
    ) {
        let Some(f) = self.feed_slot(id) else {
            return;
        };
        let before = (
            f.name.clone(),
            f.configured_name,
            f.tags.clone(),
            f.direction,
            f.hidden,
        );
        if let Some(n) = name {
            f.name = n.to_string();
        }
        f.configured_name = name.is_some();
        f.tags = tags;
        f.direction = direction;
        f.hidden = hidden;
        let after = (
            f.name.clone(),
            f.configured_name,
            f.tags.clone(),
            f.direction,
            f.hidden,
        );
        if before != after {
            self.generations.feeds += 1;
            // A tag's view lists articles by their feed's tags.
            self.generations.articles += 1;
        }
    }

    /// Takes a feed out of the config (`former`: hidden, not fetched, no tags, only its
    /// starred articles shown and counted) or back in. The feed's counts are computed again
    /// from its articles in the store.
    pub fn set_former(&mut self, id: FeedId, former: bool) {
        let Some(f) = self.feed_slot(id) else {
            return;
        };
        if f.former == former {
            return;
        }
        f.former = former;
        f.hidden = former;
        f.loading_since = None;
        if former {
            f.tags.clear();
        }
        let mut counts = Counts::default();
        for a in self.articles.iter().filter(|a| a.feed == id) {
            if !former || a.starred {
                counts.total += 1;
                counts.unread += usize::from(!a.read);
            }
        }
        if let Some(c) = self.counts.get_mut(id.0 as usize) {
            *c = counts;
        }
        self.generations.feeds += 1;
        self.generations.articles += 1;
    }

    /// The feed with this configured address, former ones included.
    pub fn feed_by_url(&self, url: &str) -> Option<FeedId> {
        self.feeds.iter().find(|f| f.url == url).map(|f| f.id)
    }
}
