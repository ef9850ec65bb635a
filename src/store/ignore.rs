//! The kill file: filters (config `ignore`, top-level and per feed) whose matching articles
//! are dropped at ingest, so an ignored article is never shown, counted or kept (the cache
//! only ever gets what the store took in).

use chrono::{DateTime, Utc};

use super::{Feed, Store};
use crate::filter::{Attr, Fields, Filter};
use crate::model::{FeedId, ParsedItem};

/// The ignore rules in force.
#[derive(Clone, Debug, Default)]
pub(super) struct Ignore {
    global: Vec<Filter>,
    /// Per feed, by feed id.
    per_feed: Vec<Vec<Filter>>,
}

impl Store {
    /// Articles matching any of `filters` are dropped from every feed from now on.
    pub fn set_ignore(&mut self, filters: Vec<Filter>) {
        self.ignore.global = filters;
    }

    /// Articles of `feed` matching any of `filters` are dropped from now on.
    pub fn set_feed_ignore(&mut self, feed: FeedId, filters: Vec<Filter>) {
        let i = feed.0 as usize;
        if self.ignore.per_feed.len() <= i {
            self.ignore.per_feed.resize(i + 1, Vec::new());
        }
        self.ignore.per_feed[i] = filters;
    }

    /// The rules that apply to `feed` (cloned: the ingest loop holds the store mutably).
    pub(super) fn ignore_rules(&self, feed: FeedId) -> Vec<Filter> {
        let own = self.ignore.per_feed.get(feed.0 as usize);
        self.ignore
            .global
            .iter()
            .chain(own.into_iter().flatten())
            .cloned()
            .collect()
    }
}

/// Whether a fetched item matches one of `rules` (as a new, unread article of `feed`).
pub(super) fn is_ignored(
    rules: &[Filter],
    feed: &Feed,
    item: &ParsedItem,
    key: &str,
    now: DateTime<Utc>,
) -> bool {
    if rules.is_empty() {
        return false;
    }
    let content = if rules.iter().any(|r| r.uses(Attr::Content)) {
        let html = item
            .content_html
            .as_deref()
            .or(item.summary_html.as_deref())
            .unwrap_or("");
        let mut text = String::new();
        crate::text::strip::html_text(html, &mut text);
        text
    } else {
        String::new()
    };
    let fields = Fields {
        title: &item.title,
        content: &content,
        author: item.author.as_deref().unwrap_or(""),
        link: item.link.as_deref().unwrap_or(""),
        feed_title: &feed.name,
        feed_url: &feed.url,
        key,
        tags: &feed.tags,
        unread: true,
        starred: false,
        date: item.published.unwrap_or(now),
        folded_title: None,
        folded_content: None,
    };
    rules.iter().any(|r| r.matches(&fields, now))
}
