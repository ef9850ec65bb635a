//! Plain data a sync server hands back, already sanitized: feeds, categories, articles.

use std::fmt;

use chrono::{DateTime, Utc};

/// Which API a server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// Tiny Tiny RSS's JSON API (API level 15 and later).
    TtRss,
    /// The Fever API (FreshRSS, Miniflux, TT-RSS's Fever plugin, coldsweat, ...).
    Fever,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::TtRss => "TT-RSS",
            Service::Fever => "Fever",
        })
    }
}

/// An article's id on the server (a serial on every server seen; FreshRSS's are
/// microsecond times, hence 64 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u64);

/// A feed's id on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RemoteFeedId(pub u64);

/// A category's (TT-RSS) or group's (Fever) id on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryId(pub u64);

/// A category (TT-RSS) or group (Fever): akhbar shows it as a tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteCategory {
    pub id: CategoryId,
    pub title: String,
}

/// A subscription on the server. TT-RSS puts a feed in at most one category, Fever in any
/// number of groups; TT-RSS's "Uncategorized" and Fever's feeds without a group have none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFeed {
    pub id: RemoteFeedId,
    pub title: String,
    /// The feed's own address, where the server says it.
    pub url: Option<String>,
    /// The site's address (Fever's `site_url`; TT-RSS's API does not give it).
    pub site_url: Option<String>,
    pub categories: Vec<RemoteCategory>,
}

/// An article as the server has it, with its read and starred state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteArticle {
    pub id: ArticleId,
    pub feed: RemoteFeedId,
    /// TT-RSS's own guid (a JSON string holding a hash of the feed's guid); Fever has none.
    pub guid: Option<String>,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    /// Sanitized HTML, as for a feed's content.
    pub content_html: Option<String>,
    /// Language the server detected (TT-RSS's `lang`), for the base direction.
    pub language: Option<String>,
    /// The article's date: TT-RSS's `updated`, Fever's `created_on_time`.
    pub published: Option<DateTime<Utc>>,
    /// TT-RSS's `updated` (the only time its API gives); Fever has none.
    pub updated: Option<DateTime<Utc>>,
    pub read: bool,
    pub starred: bool,
}

/// A change of an article's state on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Read,
    Unread,
    Starred,
    Unstarred,
}

/// The end of [`crate::sync::SyncService::articles_since`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FetchSummary {
    /// Articles handed to the sink (each id once).
    pub articles: usize,
    /// The marker to pass next time: the highest id seen, or the one passed in.
    pub newest: Option<ArticleId>,
    /// Requests sent.
    pub requests: usize,
}

/// What `subscribe` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscribed {
    /// A new subscription; its articles come with the server's next update of it.
    New(RemoteFeedId),
    /// The user was subscribed already.
    Already(RemoteFeedId),
    /// The address is a page that names several feeds: pick one and subscribe to it.
    ChooseOne(Vec<String>),
}
