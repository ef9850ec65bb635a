//! The store's order: article ids newest first, kept sorted as feeds bring articles, with
//! batches that place a whole burst of feeds' new articles in one pass.

use chrono::{DateTime, Utc};

use super::{ArticleId, Store};
use crate::model::Article;

/// The sort key of an article: its published date, else the time akhbar first saw it. A date
/// in the future (a wrong clock, a scheduled post) counts as the time first seen: it must
/// not sit at the top of every list until that day comes.
pub fn sort_time(a: &Article) -> DateTime<Utc> {
    a.published.map_or(a.first_seen, |p| p.min(a.first_seen))
}

/// The date shown for an article: the feed's own, else the time first seen.
pub fn shown_time(a: &Article) -> DateTime<Utc> {
    a.published.unwrap_or(a.first_seen)
}

impl Store {
    /// Starts a batch of ingests whose new articles are ordered together at
    /// [`Store::end_batch`] (until then [`Store::order`] leaves them out).
    pub fn begin_batch(&mut self) {
        self.batching = true;
    }

    /// Puts the articles ingested during the batch in their places.
    pub fn end_batch(&mut self) {
        self.batching = false;
        if !self.unordered.is_empty() {
            let fresh = std::mem::take(&mut self.unordered);
            self.merge_into_order(fresh);
        }
    }

    /// Places new articles now, or at the end of the batch under way.
    pub(super) fn place(&mut self, fresh: Vec<ArticleId>) {
        if self.batching {
            self.unordered.extend(fresh);
        } else {
            self.merge_into_order(fresh);
        }
    }

    pub(super) fn merge_into_order(&mut self, mut fresh: Vec<ArticleId>) {
        let arts = &self.articles;
        let newer_first = |a: &ArticleId, b: &ArticleId| {
            sort_time(&arts[b.0 as usize])
                .cmp(&sort_time(&arts[a.0 as usize]))
                .then(a.0.cmp(&b.0))
        };
        fresh.sort_by(newer_first);
        if self.order.is_empty() {
            // The start-up restore: the sorted ids are the order (copied into the room
            // `preset_counts` made, if it did).
            if self.order.capacity() >= fresh.len() {
                self.order.extend_from_slice(&fresh);
            } else {
                self.order = fresh;
            }
            return;
        }
        // A feed brings tens of items into an order of up to ~100k: find each one's place by
        // binary search and move the runs of old ids between them, in place and from the back,
        // rather than comparing every old id and building a new vector (which made a
        // 1,000-feed refresh quadratic and paged in a fresh allocation per feed).
        let order = &mut self.order;
        let old_len = order.len();
        order.resize(old_len + fresh.len(), ArticleId(0));
        // `end`: old ids at [..end] are not yet placed; `dst`: next free slot from the back.
        let mut end = old_len;
        let mut dst = order.len();
        for id in fresh.into_iter().rev() {
            let at = order[..end].partition_point(|o| newer_first(o, &id).is_lt());
            let run = end - at;
            order.copy_within(at..end, dst - run);
            dst -= run;
            dst -= 1;
            order[dst] = id;
            end = at;
        }
    }
}
