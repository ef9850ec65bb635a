//! Query feeds (config `[[query]]`): rows of the feed list after the feeds, each a filter
//! over every article in memory. Their unread counts are derived like the other views:
//! recomputed only when the store's articles, flags or feeds generation moved (or the
//! queries changed), never per frame.

use super::state::{App, SidebarRow};
use crate::config::QueryConfig;
use crate::filter::{Attr, Filter};
use crate::store::{ArticleId, FilterCounts};

/// The query feeds and their derived counts.
#[derive(Debug, Default)]
pub(super) struct Queries {
    pub list: Vec<QueryConfig>,
    /// One per query, in its order.
    counts: Vec<FilterCounts>,
    /// Per query whose filter does not read the flags (`unread`, `starred`, `flags`): the
    /// articles it matched, so a read or star change recounts only them instead of running
    /// the filter over every article again.
    matched: Vec<Option<Vec<ArticleId>>>,
    /// The (articles, flags, feeds) generations the counts were made from (a feed renamed,
    /// retagged or gone from the config changes what `feedtitle`, `tags` and the views see).
    key: Option<(u64, u64, u64)>,
}

impl Queries {
    pub fn new(list: Vec<QueryConfig>) -> Queries {
        Queries {
            list,
            ..Queries::default()
        }
    }
}

impl App {
    /// The configured query feeds.
    pub fn queries(&self) -> &[QueryConfig] {
        &self.queries.list
    }

    /// A query feed's counts (unread and total matches), as last derived.
    pub fn query_counts(&self, name: &str) -> Option<FilterCounts> {
        let i = self.queries.list.iter().position(|q| q.name == name)?;
        self.queries.counts.get(i).copied()
    }

    /// The filter of the query feed `name`.
    pub(super) fn query_filter(&self, name: &str) -> Option<&Filter> {
        self.queries
            .list
            .iter()
            .find(|q| q.name == name)
            .map(|q| &q.filter)
    }

    /// The query feeds changed (a reload): rows, counts and the view are derived again; a
    /// query row that is gone leaves the headline list on All.
    pub(super) fn set_queries(&mut self, list: Vec<QueryConfig>) {
        if let SidebarRow::Query(name) = &self.filter
            && !list.iter().any(|q| &q.name == name)
        {
            self.filter = SidebarRow::All;
            self.headlines.reset();
        }
        self.queries = Queries::new(list);
        self.sidebar_key = None;
        self.view_key = None;
        self.dirty = true;
    }

    /// Recounts the query feeds when the articles, their flags or the feeds changed: a pass
    /// of every filter over every article when the articles or the feeds changed (counted in
    /// `Stats::query_computes`); after a read or star change only, a filter that does not
    /// read the flags recounts the unread among the articles it matched.
    pub(super) fn refresh_query_counts(&mut self) {
        let gens = self.generations();
        let key = Some((gens.articles, gens.flags, gens.feeds));
        if self.queries.key == key || self.queries.list.is_empty() {
            return;
        }
        let articles_moved =
            self.queries.key.map(|k| (k.0, k.2)) != Some((gens.articles, gens.feeds));
        let now = self.wall;
        let store = &self.store;
        let unread_of = |ids: &[ArticleId]| FilterCounts {
            unread: ids
                .iter()
                .filter(|&&id| store.article(id).is_some_and(|a| !a.read))
                .count(),
            total: ids.len(),
        };
        let mut old = std::mem::take(&mut self.queries.matched).into_iter();
        let mut full = false;
        let mut counts = Vec::with_capacity(self.queries.list.len());
        let mut matched = Vec::with_capacity(self.queries.list.len());
        for query in &self.queries.list {
            let kept = old.next().flatten().filter(|_| !articles_moved);
            let ids = match kept {
                Some(ids) => Some(ids),
                None => {
                    full = true;
                    let reads_flags = [Attr::Unread, Attr::Starred, Attr::Flags]
                        .into_iter()
                        .any(|a| query.filter.uses(a));
                    if reads_flags {
                        counts.push(store.filter_counts(&query.filter, now));
                        matched.push(None);
                        continue;
                    }
                    Some(store.filter_ids(&query.filter, now))
                }
            };
            counts.push(ids.as_deref().map(unread_of).unwrap_or_default());
            matched.push(ids);
        }
        self.queries.counts = counts;
        self.queries.matched = matched;
        self.queries.key = key;
        if full {
            self.stats.query_computes += 1;
        }
        self.dirty = true;
    }
}
