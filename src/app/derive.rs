//! The derived views: the headline list, the feed list's rows and the ticker's items, each
//! recomputed only when what it depends on changed (the store's generations, the filter,
//! the search, the unread-only toggle), and the cursors kept in bounds.

use std::collections::BTreeSet;

use super::state::{App, SidebarRow, ViewKey};
use crate::model::Article;
use crate::store::ArticleId;

impl App {
    /// Recomputes what depends on the store and the filters. Cheap when nothing changed:
    /// a batch of 304 answers recomputes nothing.
    pub(super) fn refresh_derived(&mut self) {
        let gens = self.generations();
        let open = self.reader.open.as_ref().map(|r| r.article);
        let key = ViewKey {
            articles: gens.articles,
            flags: (self.unread_only
                || self.view_filter.active.is_some()
                || matches!(self.filter, SidebarRow::Starred | SidebarRow::Query(_)))
            .then_some(gens.flags),
            filter: Some(self.filter.clone()),
            unread_only: self.unread_only,
            search: self.search.clone(),
            search_gen: self.search_generation(),
            open: open.filter(|_| self.keeps_open()),
            view_filter: self
                .view_filter
                .active
                .as_ref()
                .map(|f| f.source().to_string()),
        };
        if self.view_key.as_ref() != Some(&key) {
            let articles_changed = self
                .view_key
                .as_ref()
                .is_some_and(|k| k.articles != key.articles);
            let selected = self.view.get(self.headlines.selected()).copied();
            self.view = self.compute_view();
            self.stats.view_computes += 1;
            if let Some(id) = selected.filter(|_| articles_changed && self.touched) {
                // Keep the cursor on the same article when new ones arrive above it.
                if let Some(pos) = self.view.iter().position(|&a| a == id) {
                    self.headlines.select(pos);
                }
            }
            self.view_key = Some(key);
            self.dirty = true;
        }
        self.refresh_query_counts();
        if self.sidebar_key != Some(gens.feeds) {
            self.sidebar = self.compute_sidebar();
            self.sidebar_key = Some(gens.feeds);
            self.stats.sidebar_computes += 1;
            self.dirty = true;
        }
        if self.ticker_key != Some((gens.articles, gens.feeds)) {
            self.ticker.set_items(&self.store);
            self.ticker_key = Some((gens.articles, gens.feeds));
            self.stats.ticker_updates += 1;
        }
        let rows = self.geometry.page_rows();
        self.headlines.fit(self.view.len(), rows);
        self.feeds_cursor.fit(self.sidebar.len(), rows);
        self.ticker
            .prepare(self.geometry.area.width, self.text_options());
    }

    fn compute_view(&self) -> Vec<ArticleId> {
        let in_filter = self.scope_filter(&self.filter, self.search.as_deref());
        let (session, now) = (self.view_filter.active.as_ref(), self.wall);
        let in_scope = |a: &Article| {
            in_filter(a) && session.is_none_or(|f| self.store.filter_matches(f, a, now))
        };
        let open = self.reader.open.as_ref().map(|r| r.article);
        self.store
            .order()
            .iter()
            .copied()
            .filter(|&id| {
                let Some(a) = self.store.article(id) else {
                    return false;
                };
                if open == Some(id) && self.keeps_open() {
                    // The open article stays while it is read (unread only, a query on
                    // `unread`), whatever its flags do.
                    return in_scope(a)
                        || self.filter_row_is_query()
                        || self.view_filter.active.is_some();
                }
                in_scope(a) && (!self.unread_only || !a.read)
            })
            .collect()
    }

    /// Whether the open article stays in the list when its flags change.
    fn keeps_open(&self) -> bool {
        self.unread_only || self.filter_row_is_query() || self.view_filter.active.is_some()
    }

    fn filter_row_is_query(&self) -> bool {
        matches!(self.filter, SidebarRow::Query(_))
    }

    /// Whether an article is in a sidebar row's scope and matches a search.
    pub(super) fn scope_filter<'a>(
        &'a self,
        filter: &'a SidebarRow,
        search: Option<&str>,
    ) -> impl Fn(&Article) -> bool + 'a {
        let matches = self.search_matcher(search);
        let tag_feeds: Option<Vec<bool>> = match filter {
            SidebarRow::Tag(t) => Some(
                self.store
                    .feeds()
                    .iter()
                    .map(|f| f.tags.contains(t))
                    .collect(),
            ),
            _ => None,
        };
        // A feed taken out of the config by a reload shows only its starred articles, as it
        // does after a restart (the others are not restored then).
        let former: Vec<bool> = self.store.feeds().iter().map(|f| f.former).collect();
        let query = match filter {
            SidebarRow::Query(name) => self.query_filter(name),
            _ => None,
        };
        let now = self.wall;
        move |a| {
            if former.get(a.feed.0 as usize).copied().unwrap_or(false) && !a.starred {
                return false;
            }
            let in_filter = match filter {
                SidebarRow::All => true,
                SidebarRow::Starred => a.starred,
                SidebarRow::Tag(_) => tag_feeds.as_ref().is_some_and(|t| t[a.feed.0 as usize]),
                SidebarRow::Feed(f) => a.feed == *f,
                SidebarRow::Query(_) => query.is_some_and(|q| self.store.filter_matches(q, a, now)),
            };
            in_filter && matches(a)
        }
    }

    fn compute_sidebar(&self) -> Vec<SidebarRow> {
        let mut rows = vec![SidebarRow::All, SidebarRow::Starred];
        let tags: BTreeSet<&String> = self.store.feeds().iter().flat_map(|f| &f.tags).collect();
        rows.extend(tags.into_iter().map(|t| SidebarRow::Tag(t.clone())));
        rows.extend(
            self.store
                .feeds()
                .iter()
                .filter(|f| !f.hidden)
                .map(|f| SidebarRow::Feed(f.id)),
        );
        rows.extend(
            self.queries
                .list
                .iter()
                .map(|q| SidebarRow::Query(q.name.clone())),
        );
        rows
    }
}
