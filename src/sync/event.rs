//! What the sync worker tells the app (the app sees sync only through these, like the
//! poller's events), and how server ids live in akhbar's feeds and articles: a synced feed's
//! address is `sync:<service>@<host>/feed/<id>` (never fetched by akhbar, never a web
//! address), an article's key `sync:<id>`.

use std::collections::{BTreeSet, HashSet};

use super::types::{ArticleId, RemoteArticle, RemoteFeedId, Service};
use crate::model::ParsedItem;
use crate::persist::SyncedFeedRow;

/// How a synced feed's address starts.
pub const SYNC_SCHEME: &str = "sync:";

/// The address akhbar gives a server's feed.
pub fn feed_url(service: Service, host: &str, id: RemoteFeedId) -> String {
    let service = match service {
        Service::TtRss => "ttrss",
        Service::Fever => "fever",
    };
    format!("{SYNC_SCHEME}{service}@{host}/feed/{}", id.0)
}

/// The server's id of a synced feed (None: not a synced feed).
pub fn remote_feed(url: &str) -> Option<RemoteFeedId> {
    let rest = url.strip_prefix(SYNC_SCHEME)?;
    let (_, id) = rest.rsplit_once("/feed/")?;
    id.parse().ok().map(RemoteFeedId)
}

pub fn is_synced_feed(url: &str) -> bool {
    url.starts_with(SYNC_SCHEME)
}

/// The key of a synced article in its feed.
pub fn article_key(id: ArticleId) -> String {
    format!("{SYNC_SCHEME}{}", id.0)
}

/// The server's id of a synced article (None: not one).
pub fn remote_article(key: &str) -> Option<ArticleId> {
    key.strip_prefix(SYNC_SCHEME)?.parse().ok().map(ArticleId)
}

/// An article from the server as akhbar stores it, with its state there.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncedArticle {
    pub item: ParsedItem,
    pub read: bool,
    pub starred: bool,
}

impl SyncedArticle {
    pub fn from_remote(a: RemoteArticle) -> SyncedArticle {
        SyncedArticle {
            item: ParsedItem {
                guid: Some(article_key(a.id)),
                link: a.link,
                title: a.title,
                author: a.author,
                categories: Vec::new(),
                published: a.published.or(a.updated),
                summary_html: None,
                content_html: a.content_html,
                language: a.language,
                // The sync servers' attachments are not read (yet).
                enclosures: Vec::new(),
            },
            read: a.read,
            starred: a.starred,
        }
    }
}

/// What the sync worker reports.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncEvent {
    /// A sync with the server began.
    Started,
    /// The server's subscriptions, as akhbar feeds (categories as tags).
    Feeds(Vec<SyncedFeedRow>),
    /// New articles of one feed.
    Articles {
        feed_url: String,
        articles: Vec<SyncedArticle>,
    },
    /// The server's read and starred state of every article up to `upto`: what is not in
    /// `unread` is read there. Articles in `pending` (changes not yet confirmed by the server)
    /// keep their local state: a local change newer than the server's wins.
    Reconcile {
        unread: BTreeSet<ArticleId>,
        starred: BTreeSet<ArticleId>,
        upto: Option<ArticleId>,
        pending: HashSet<ArticleId>,
    },
    /// Changes not yet confirmed by the server (0: none).
    Waiting { changes: usize, host: String },
    /// The sync is over: how many articles came, how many changes went, or why it failed.
    Finished {
        articles: usize,
        sent: usize,
        error: Option<String>,
    },
    /// One line for the status line.
    Notice(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_ids_come_back_from_feed_addresses_and_article_keys() {
        let url = feed_url(Service::TtRss, "127.0.0.1:8280", RemoteFeedId(12));
        assert_eq!(url, "sync:ttrss@127.0.0.1:8280/feed/12");
        assert_eq!(remote_feed(&url), Some(RemoteFeedId(12)));
        assert!(is_synced_feed(&url));
        assert_eq!(remote_feed("https://example.org/feed/12"), None);
        assert_eq!(
            remote_article(&article_key(ArticleId(99))),
            Some(ArticleId(99))
        );
        assert_eq!(remote_article("https://example.org/a"), None);
    }
}
