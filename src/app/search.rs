//! The applied search: `/` asks the cache's index (a `Cmd::Search` the runtime runs off the
//! render loop) and the headline list shows the articles it found, newest first. Without a
//! cache (the demo), or while the index has not answered, or when it failed, titles in
//! memory are matched instead, folded as the index folds (`يحسن` finds `يحسّن`).
//!
//! Results are kept as (feed, key) pairs, not article ids: an article the index found but a
//! staged start-up has not restored yet shows up in the list as soon as it arrives.

use std::collections::{HashMap, HashSet};

use super::msg::Cmd;
use super::state::App;
use crate::model::{Article, FeedId};
use crate::persist::SearchResults;
use crate::text::fold;

/// The state of the search against the index.
#[derive(Debug, Default)]
pub(super) struct IndexSearch {
    /// Numbers the requests; an answer to an older one is dropped.
    pub seq: u64,
    /// A request is out and not answered yet.
    pub pending: bool,
    /// The index's answer for the applied query.
    pub found: Option<Found>,
    /// The request out asks again for the applied query (the index took in more): its
    /// answer replaces `found` without moving the selection.
    pub refreshing: bool,
    /// Answers taken, so a derived view keyed on them is rebuilt for each.
    pub answers: u64,
}

/// What the index found for one query.
#[derive(Debug)]
pub(super) struct Found {
    pub query: String,
    keys: HashMap<FeedId, HashSet<String>>,
    /// Matches in the whole cache (may be more than were sent).
    pub total: usize,
    /// Matches sent (at most the runtime's limit).
    pub sent: usize,
}

impl Found {
    fn has(&self, a: &Article) -> bool {
        self.keys
            .get(&a.feed)
            .is_some_and(|keys| keys.contains(a.key()))
    }
}

/// What the status line says of the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchProgress {
    /// The index has not answered yet (titles in memory are shown meanwhile).
    Searching,
    /// The index answered: `total` matches in the cache, of which the newest `sent` are
    /// listed (in the current feed-list row: see the headline count).
    Found { total: usize, sent: usize },
    /// Titles in memory are matched (no cache, or the index failed).
    InMemory,
}

impl App {
    /// Applies a search typed at the prompt (`None` clears it).
    pub(super) fn apply_search(&mut self, query: Option<String>, cmds: &mut Vec<Cmd>) {
        self.isearch.found = None;
        self.search = query;
        self.ask_index(false, cmds);
        self.headlines.reset();
    }

    /// The index took in more articles: the applied search is asked again, its current
    /// answer kept (and the selection with it) until the new one comes.
    pub(super) fn refresh_search(&mut self, cmds: &mut Vec<Cmd>) {
        if self.search.is_some() {
            self.ask_index(true, cmds);
        }
    }

    /// Numbers a new request for the applied search and sends it to the index (none without
    /// a cache or a search); `refreshing`: its answer keeps the selection.
    fn ask_index(&mut self, refreshing: bool, cmds: &mut Vec<Cmd>) {
        self.isearch.seq += 1;
        let asked = self.search.clone().filter(|_| self.residency.persistent);
        self.isearch.pending = asked.is_some();
        self.isearch.refreshing = refreshing && asked.is_some();
        if let Some(query) = asked {
            cmds.push(Cmd::Search {
                seq: self.isearch.seq,
                query,
            });
        }
    }

    /// The index answered.
    pub(super) fn on_searched(
        &mut self,
        seq: u64,
        query: String,
        result: Result<SearchResults, String>,
    ) {
        if seq != self.isearch.seq || self.search.as_deref() != Some(query.as_str()) {
            return;
        }
        self.isearch.pending = false;
        let refreshing = std::mem::take(&mut self.isearch.refreshing);
        self.isearch.answers += 1;
        self.dirty = true;
        match result {
            Ok(r) => {
                let urls: HashMap<&str, FeedId> = self
                    .store
                    .feeds()
                    .iter()
                    .map(|f| (f.url.as_str(), f.id))
                    .collect();
                let mut keys: HashMap<FeedId, HashSet<String>> = HashMap::new();
                let sent = r.hits.len();
                for hit in r.hits {
                    if let Some(&feed) = urls.get(hit.feed_url.as_str()) {
                        keys.entry(feed).or_default().insert(hit.key);
                    }
                }
                self.isearch.found = Some(Found {
                    query,
                    keys,
                    total: r.total,
                    sent,
                });
                if !refreshing {
                    self.headlines.reset();
                }
            }
            Err(e) => {
                self.notify(format!(
                    "search index unavailable ({e}); matching titles in memory"
                ));
            }
        }
    }

    /// Whether an article matches `search` (true for no search): by the index's answer when
    /// it is for this query, else by its folded title.
    pub(super) fn search_matcher<'a>(
        &'a self,
        search: Option<&str>,
    ) -> impl Fn(&Article) -> bool + 'a {
        let found = self
            .isearch
            .found
            .as_ref()
            .filter(|f| Some(f.query.as_str()) == search);
        let words: Option<Vec<String>> = match (search, found) {
            (Some(q), None) => Some(fold::words(&fold::fold(q)).map(str::to_owned).collect()),
            _ => None,
        };
        move |a| match (found, &words) {
            (Some(f), _) => f.has(a),
            (None, Some(words)) => {
                let title = fold::fold(a.title());
                words.iter().all(|w| title.contains(w.as_str()))
            }
            (None, None) => true,
        }
    }

    /// Where the applied search stands, if there is one.
    pub fn search_progress(&self) -> Option<SearchProgress> {
        self.search.as_ref()?;
        Some(match &self.isearch.found {
            Some(f) => SearchProgress::Found {
                total: f.total,
                sent: f.sent,
            },
            None if self.isearch.pending => SearchProgress::Searching,
            None => SearchProgress::InMemory,
        })
    }

    /// Part of the view key: changes whenever the search's answer does.
    pub(super) fn search_generation(&self) -> (u64, u64, bool) {
        (
            self.isearch.seq,
            self.isearch.answers,
            self.isearch.found.is_some(),
        )
    }
}

impl App {
    /// `n`/`N` in the reader while a search is applied: scrolls to the next (previous) line
    /// holding a match, wrapping around at the ends with a notice. Returns false when there
    /// is no search or no open article (the keys then move between unread articles).
    pub(super) fn jump_match(&mut self, forward: bool) -> bool {
        if self.search.is_none() {
            return false;
        }
        let page = self.geometry.page_rows().max(1);
        let Some(r) = self.reader.open.as_mut() else {
            return false;
        };
        let rows: Vec<usize> = r
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.matched)
            .map(|(i, _)| i)
            .collect();
        // From the match gone to last; before the first one, from the top row shown (so the
        // first `n` finds a match on screen too).
        let next = match r.at_match {
            Some(at) => crate::text::highlight::next_match(&rows, at, forward),
            None if forward => rows
                .iter()
                .copied()
                .find(|&row| row >= r.scroll)
                .or(rows.first().copied()),
            None => rows
                .iter()
                .rev()
                .copied()
                .find(|&row| row < r.scroll)
                .or(rows.last().copied()),
        };
        let Some(row) = next else {
            self.notify("no match in this article");
            return true;
        };
        let wrapped = match r.at_match {
            Some(at) => (forward && row <= at) || (!forward && row >= at),
            None => (forward && row < r.scroll) || (!forward && row >= r.scroll),
        };
        r.at_match = Some(row);
        // The match a line below the top (for context), as far as the article scrolls.
        let last = r.lines.len().saturating_sub(page);
        r.scroll = row.saturating_sub(1).min(last);
        let nth = rows.iter().position(|&x| x == row).unwrap_or(0) + 1;
        let note = match (wrapped, forward) {
            (true, true) => format!("match {nth} of {}: back at the top", rows.len()),
            (true, false) => format!("match {nth} of {}: back at the bottom", rows.len()),
            (false, _) => format!("match {nth} of {}", rows.len()),
        };
        self.notify(note);
        true
    }
}
