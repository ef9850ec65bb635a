//! Query feeds (config `[[query]]`): rows of the feed list after the feeds, each a filter
//! over every article in memory. Their unread counts are derived like the other views:
//! recomputed only when the store's articles or flags generation moved (or the queries
//! changed), never per frame.

use super::state::{App, SidebarRow};
use crate::config::QueryConfig;
use crate::filter::Filter;
use crate::store::FilterCounts;

/// The query feeds and their derived counts.
#[derive(Debug, Default)]
pub(super) struct Queries {
    pub list: Vec<QueryConfig>,
    /// One per query, in its order.
    counts: Vec<FilterCounts>,
    /// The (articles, flags) generations the counts were made from.
    key: Option<(u64, u64)>,
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

    /// Recounts the query feeds when the articles or their flags changed.
    pub(super) fn refresh_query_counts(&mut self) {
        let gens = self.generations();
        let key = Some((gens.articles, gens.flags));
        if self.queries.key == key || self.queries.list.is_empty() {
            return;
        }
        let now = self.wall;
        let counts = self
            .queries
            .list
            .iter()
            .map(|q| self.store.filter_counts(&q.filter, now))
            .collect();
        self.queries.counts = counts;
        self.queries.key = key;
        self.stats.query_computes += 1;
        self.dirty = true;
    }
}
