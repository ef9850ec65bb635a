//! The in-memory store: feeds and their status, articles deduplicated per feed, ordered newest
//! first, with read/starred state. Only `App::update` changes it, through intent methods that
//! say what they change; each kind of change moves its own generation (see [`Generations`]),
//! so a view recomputes only when something it shows changed.

mod ignore;
mod ingest;
mod keys;
mod order;
mod query;
mod reconfig;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::{Article, Direction, FeedId};

pub use ingest::{IngestReport, article_key};
pub use order::{shown_time, sort_time};
pub use query::FilterCounts;

/// Index of an article in the store (stable for one run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

/// Where a feed stands, shown in the feed list and the status line.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedStatus {
    /// Not fetched yet in this run.
    Pending,
    /// A fetch is under way.
    Loading,
    /// Last fetch worked.
    Ok { at: DateTime<Utc> },
    /// Last fetch failed; `next_try` is when the poller tries again.
    Failed {
        reason: String,
        since: DateTime<Utc>,
        next_try: Option<DateTime<Utc>>,
    },
    /// The server said 410 Gone.
    Gone,
}

/// One feed as the store knows it. Read-only outside the store: changes go through
/// the store's intent methods.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    pub id: FeedId,
    pub url: String,
    /// Name from the config, else the feed's own title, else the URL's host.
    pub name: String,
    pub configured_name: bool,
    pub tags: Vec<String>,
    pub direction: Direction,
    pub language: Option<String>,
    pub status: FeedStatus,
    /// When the fetch under way started.
    pub loading_since: Option<DateTime<Utc>>,
    /// Where a permanent redirect moved the feed (`url` stays the configured address, which
    /// is how the cache knows the feed).
    pub moved_to: Option<String>,
    /// The articles the feed listed in its last successful fetch in this run (retention keeps
    /// them; see [`Store::listed_keys`]). `None` until then: what the feed lists now is
    /// unknown, and quitting offline must not expire what it may still list, so retention
    /// keeps every article of the feed. Ids, not keys: a key copy per article cost ~70 bytes,
    /// and a list of the restored ones (which cloned every cached key on quit) ~70 MiB at 1M.
    pub listed: Option<Vec<ArticleId>>,
    /// Not shown in the feed list (config `hidden`); its articles still are.
    pub hidden: bool,
    /// Left the config: kept (hidden, never fetched, not counted among the feeds) for its
    /// starred articles, which stay in Starred. See [`Store::add_former_feed`].
    pub former: bool,
}

/// A feed's article counts, kept by the store as articles arrive and flags change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub unread: usize,
}

/// What has changed, as counters: a view remembers the values it was computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Generations {
    /// The set of articles, their order or their text (titles) changed.
    pub articles: u64,
    /// A read or starred flag changed.
    pub flags: u64,
    /// The feeds' shape changed: added, hidden, renamed, tags, language.
    pub feeds: u64,
}

/// All feeds and articles.
#[derive(Debug, Default)]
pub struct Store {
    feeds: Vec<Feed>,
    counts: Vec<Counts>,
    articles: Vec<Article>,
    /// The article of each (feed, key); see [`keys`].
    keys: keys::Keys,
    /// Article ids, newest first (by published date, else first-seen time).
    order: Vec<ArticleId>,
    /// Starred articles, kept as they change (the feed list shows it).
    starred: usize,
    generations: Generations,
    /// Inside [`Store::begin_batch`]: new articles wait in `unordered` and take their places
    /// in `order` together at [`Store::end_batch`], one pass over `order` for a whole burst
    /// of feeds instead of one per feed.
    batching: bool,
    unordered: Vec<ArticleId>,
    /// A hash of the bodies [`Store::take_bodies`] moved out, so the next fetch can still
    /// tell an edited body from the same one.
    body_hashes: HashMap<ArticleId, u64>,
    /// Off for a one-shot refresh, which never fetches a feed twice (hashing ~100 MB of
    /// bodies would be wasted work).
    no_body_hashes: bool,
    /// The kill file (see `ignore`).
    ignore: ignore::Ignore,
}

/// Longest name made from a feed's address; longer ones lose their middle.
const URL_NAME_MAX: usize = 40;

/// A name for a feed that has none yet (no `name` in the config, no title fetched): its host
/// and path, so that several unnamed feeds on one host stay apart; shortened in the middle.
pub fn name_from_url(url: &str) -> String {
    let shown = match url::Url::parse(url) {
        Ok(u) if u.host_str().is_some() => {
            let host = u.host_str().unwrap_or_default();
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{host}{port}{}", u.path().trim_end_matches('/'))
        }
        Ok(u) => format!("{}:{}", u.scheme(), u.path()),
        Err(_) => crate::text::sanitize::redact_credentials(url),
    };
    let chars: Vec<char> = shown.chars().collect();
    if chars.len() <= URL_NAME_MAX {
        return shown;
    }
    let keep = (URL_NAME_MAX - 1) / 2;
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{head}…{tail}")
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// Adds a feed; ids are handed out in order.
    pub fn add_feed(
        &mut self,
        url: &str,
        name: Option<&str>,
        tags: Vec<String>,
        direction: Direction,
    ) -> FeedId {
        let id = FeedId(self.feeds.len() as u32);
        self.feeds.push(Feed {
            id,
            url: url.to_string(),
            name: name.map_or_else(|| name_from_url(url), str::to_string),
            configured_name: name.is_some(),
            tags,
            direction,
            language: None,
            status: FeedStatus::Pending,
            loading_since: None,
            moved_to: None,
            listed: None,
            hidden: false,
            former: false,
        });
        self.counts.push(Counts::default());
        self.generations.feeds += 1;
        id
    }

    /// Adds a feed that left the config, for its starred articles (issue 10 item 14): hidden
    /// from the feed list and not counted among the feeds; ids follow the configured ones.
    pub fn add_former_feed(&mut self, url: &str, title: Option<&str>) -> FeedId {
        let id = self.add_feed(url, title, Vec::new(), Direction::Auto);
        if let Some(f) = self.feeds.get_mut(id.0 as usize) {
            f.hidden = true;
            f.former = true;
        }
        id
    }

    pub fn feeds(&self) -> &[Feed] {
        &self.feeds
    }

    pub fn feed(&self, id: FeedId) -> Option<&Feed> {
        self.feeds.get(id.0 as usize)
    }

    fn feed_slot(&mut self, id: FeedId) -> Option<&mut Feed> {
        self.feeds.get_mut(id.0 as usize)
    }

    /// Marks a fetch as under way (or over). Drawn live: no view recomputes for it.
    pub fn set_loading(&mut self, id: FeedId, since: Option<DateTime<Utc>>) {
        if let Some(f) = self.feed_slot(id) {
            f.loading_since = since;
        }
    }

    /// Records how a fetch ended. Drawn live (markers, status line): no view recomputes.
    pub fn set_status(&mut self, id: FeedId, status: FeedStatus) {
        if let Some(f) = self.feed_slot(id) {
            f.status = status;
        }
    }

    /// Records where a permanent redirect moved the feed; true when that is news.
    pub fn set_moved_to(&mut self, id: FeedId, url: Option<String>) -> bool {
        match self.feed_slot(id) {
            Some(f) if f.moved_to != url => {
                f.moved_to = url;
                true
            }
            _ => false,
        }
    }

    /// Keeps a feed out of the feed list (its articles still show).
    pub fn set_hidden(&mut self, id: FeedId, hidden: bool) {
        if let Some(f) = self.feed_slot(id)
            && f.hidden != hidden
        {
            f.hidden = hidden;
            self.generations.feeds += 1;
        }
    }

    /// The feed's own title from the last run, until this run fetches it (a name from the
    /// config wins).
    pub fn set_cached_title(&mut self, id: FeedId, title: &str) {
        if let Some(f) = self.feed_slot(id)
            && !f.configured_name
            && !title.is_empty()
            && f.name != title
        {
            f.name = title.to_string();
            self.generations.feeds += 1;
        }
    }

    pub fn article(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id.0 as usize)
    }

    /// Article ids newest first. Inside a batch, without the articles ingested since it began.
    pub fn order(&self) -> &[ArticleId] {
        &self.order
    }

    /// The newest `n` articles across all feeds.
    pub fn newest(&self, n: usize) -> &[ArticleId] {
        &self.order[..n.min(self.order.len())]
    }

    pub fn generations(&self) -> Generations {
        self.generations
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    pub fn counts(&self, id: FeedId) -> Counts {
        self.counts.get(id.0 as usize).copied().unwrap_or_default()
    }

    pub fn starred_count(&self) -> usize {
        self.starred
    }

    pub fn unread_count(&self) -> usize {
        self.counts.iter().map(|c| c.unread).sum()
    }

    /// The keys of the articles the feed lists (see [`Feed::listed`]), for retention; `None`
    /// when that is unknown (not fetched in this run, or no such feed): keep them all.
    pub fn listed_keys(&self, id: FeedId) -> Option<Vec<String>> {
        let listed = self.feed(id)?.listed.as_ref()?;
        Some(
            listed
                .iter()
                .filter_map(|&a| self.article(a))
                .map(|a| a.key().to_owned())
                .collect(),
        )
    }

    /// Looks an article up by feed and key.
    pub fn find(&self, feed: FeedId, key: &str) -> Option<ArticleId> {
        self.keys.find(&self.articles, feed, key)
    }

    /// Sets an article's read flag; returns whether it changed.
    pub fn set_read(&mut self, id: ArticleId, read: bool) -> bool {
        let Some(a) = self.articles.get_mut(id.0 as usize) else {
            return false;
        };
        if a.read == read {
            return false;
        }
        a.read = read;
        let c = &mut self.counts[a.feed.0 as usize];
        if read {
            c.unread = c.unread.saturating_sub(1);
        } else {
            c.unread += 1;
        }
        self.generations.flags += 1;
        true
    }

    /// Sets an article's starred flag; returns whether it changed.
    pub fn set_starred(&mut self, id: ArticleId, starred: bool) -> bool {
        let Some(a) = self.articles.get_mut(id.0 as usize) else {
            return false;
        };
        if a.starred == starred {
            return false;
        }
        a.starred = starred;
        if starred {
            self.starred += 1;
        } else {
            self.starred -= 1;
        }
        self.generations.flags += 1;
        true
    }
}
