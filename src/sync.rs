//! Sync with the user's own server: Tiny Tiny RSS's JSON API and the Fever API (FreshRSS,
//! Miniflux, TT-RSS's Fever plugin, coldsweat...), below the app: one small trait both
//! clients implement, plain sanitized data, one error type.
//!
//! Text from a server is untrusted: titles, authors and links are sanitized here as
//! `feed::parse` sanitizes feeds, before anything leaves this module. Credentials live in
//! [`Secret`]s, which no error, log line or `Debug` output shows.
//!
//! Neither API says what changed since a time, so an app keeps read and starred state in
//! step by [`SyncService::unread_ids`] and [`SyncService::starred_ids`] (full lists) and asks
//! for articles above the highest id it has with [`SyncService::articles_since`]; ids of
//! those lists it does not have come by [`SyncService::articles_by_ids`].

mod clean;
mod error;
pub mod event;
mod fever;
mod fever_wire;
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod lenient;
mod password;
mod secret;
mod ttrss;
mod ttrss_wire;
mod types;

use std::collections::BTreeSet;
use std::future::Future;

pub use error::{PasswordCommandError, SyncError, SyncErrorKind};
pub use event::{SyncEvent, SyncedArticle};
pub use fever::{Fever, api_key as fever_api_key};
pub use password::password_from_command;
pub use secret::Secret;
pub use ttrss::TtRss;
pub use types::{
    ArticleId, CategoryId, FetchSummary, Mark, RemoteArticle, RemoteCategory, RemoteFeed,
    RemoteFeedId, Service, Subscribed,
};

use crate::feed::PollOptions;

/// Where and as whom to sync.
#[derive(Clone, Debug)]
pub struct Account {
    pub service: Service,
    /// TT-RSS: its base address (`https://example.org/tt-rss/`); Fever: the endpoint
    /// (`https://example.org/api/fever.php`).
    pub url: String,
    pub username: String,
    pub password: Secret,
}

/// What both services do. Every call is one or more HTTP requests, bounded by the account's
/// timeouts and body cap; futures are `Send`, for `tokio::spawn`.
pub trait SyncService {
    fn service(&self) -> Service;

    /// Checks the credentials (TT-RSS: opens the session; later calls renew it themselves).
    fn login(&self) -> impl Future<Output = Result<(), SyncError>> + Send;

    fn categories(&self) -> impl Future<Output = Result<Vec<RemoteCategory>, SyncError>> + Send;

    /// Every subscription with its categories.
    fn feeds(&self) -> impl Future<Output = Result<Vec<RemoteFeed>, SyncError>> + Send;

    /// Every article with an id above `since` (all for `None`), with content, handed to
    /// `sink` in pages, each id once, in no particular order. Pass the returned
    /// [`FetchSummary::newest`] next time.
    fn articles_since(
        &self,
        since: Option<ArticleId>,
        sink: &mut (dyn FnMut(Vec<RemoteArticle>) + Send),
    ) -> impl Future<Output = Result<FetchSummary, SyncError>> + Send;

    /// The articles with these ids that the server still has, with content.
    fn articles_by_ids(
        &self,
        ids: &[ArticleId],
    ) -> impl Future<Output = Result<Vec<RemoteArticle>, SyncError>> + Send;

    /// Every unread article's id.
    fn unread_ids(&self) -> impl Future<Output = Result<BTreeSet<ArticleId>, SyncError>> + Send;

    /// Every starred (Fever: saved) article's id.
    fn starred_ids(&self) -> impl Future<Output = Result<BTreeSet<ArticleId>, SyncError>> + Send;

    /// Sets one state on many articles. Idempotent: sending a mark twice is harmless.
    fn mark(
        &self,
        ids: &[ArticleId],
        mark: Mark,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// Asks the server to fetch one feed now (TT-RSS; Fever cannot: an `Unsupported` error).
    fn refresh_feed(
        &self,
        feed: RemoteFeedId,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// Subscribes on the server (TT-RSS; Fever cannot: an `Unsupported` error).
    fn subscribe(
        &self,
        url: &str,
        category: Option<CategoryId>,
    ) -> impl Future<Output = Result<Subscribed, SyncError>> + Send;
}

macro_rules! delegate_service {
    ($ty:ty, $service:expr) => {
        impl SyncService for $ty {
            fn service(&self) -> Service {
                $service
            }
            async fn login(&self) -> Result<(), SyncError> {
                <$ty>::login(self).await
            }
            async fn categories(&self) -> Result<Vec<RemoteCategory>, SyncError> {
                <$ty>::categories(self).await
            }
            async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
                <$ty>::feeds(self).await
            }
            async fn articles_since(
                &self,
                since: Option<ArticleId>,
                sink: &mut (dyn FnMut(Vec<RemoteArticle>) + Send),
            ) -> Result<FetchSummary, SyncError> {
                <$ty>::articles_since(self, since, sink).await
            }
            async fn articles_by_ids(
                &self,
                ids: &[ArticleId],
            ) -> Result<Vec<RemoteArticle>, SyncError> {
                <$ty>::articles_by_ids(self, ids).await
            }
            async fn unread_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
                <$ty>::unread_ids(self).await
            }
            async fn starred_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
                <$ty>::starred_ids(self).await
            }
            async fn mark(&self, ids: &[ArticleId], mark: Mark) -> Result<(), SyncError> {
                <$ty>::mark(self, ids, mark).await
            }
            async fn refresh_feed(&self, feed: RemoteFeedId) -> Result<(), SyncError> {
                <$ty>::refresh_feed(self, feed).await
            }
            async fn subscribe(
                &self,
                url: &str,
                category: Option<CategoryId>,
            ) -> Result<Subscribed, SyncError> {
                <$ty>::subscribe(self, url, category).await
            }
        }
    };
}

delegate_service!(TtRss, Service::TtRss);
delegate_service!(Fever, Service::Fever);

/// The account's client, picked at run time from the config's `service`.
#[derive(Debug)]
pub enum SyncClient {
    TtRss(TtRss),
    Fever(Fever),
}

impl SyncClient {
    /// A client for the account, using akhbar's fetch options (timeouts, body cap, user
    /// agent). Sends nothing yet.
    pub fn new(account: &Account, opts: &PollOptions) -> Result<SyncClient, SyncError> {
        Ok(match account.service {
            Service::TtRss => SyncClient::TtRss(TtRss::new(
                &account.url,
                &account.username,
                account.password.clone(),
                opts,
            )?),
            Service::Fever => SyncClient::Fever(Fever::new(
                &account.url,
                &account.username,
                &account.password,
                opts,
            )?),
        })
    }
}

macro_rules! each {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            SyncClient::TtRss($c) => $e,
            SyncClient::Fever($c) => $e,
        }
    };
}

impl SyncService for SyncClient {
    fn service(&self) -> Service {
        each!(self, c => SyncService::service(c))
    }
    async fn login(&self) -> Result<(), SyncError> {
        each!(self, c => c.login().await)
    }
    async fn categories(&self) -> Result<Vec<RemoteCategory>, SyncError> {
        each!(self, c => c.categories().await)
    }
    async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        each!(self, c => c.feeds().await)
    }
    async fn articles_since(
        &self,
        since: Option<ArticleId>,
        sink: &mut (dyn FnMut(Vec<RemoteArticle>) + Send),
    ) -> Result<FetchSummary, SyncError> {
        each!(self, c => c.articles_since(since, sink).await)
    }
    async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<RemoteArticle>, SyncError> {
        each!(self, c => c.articles_by_ids(ids).await)
    }
    async fn unread_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        each!(self, c => c.unread_ids().await)
    }
    async fn starred_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        each!(self, c => c.starred_ids().await)
    }
    async fn mark(&self, ids: &[ArticleId], mark: Mark) -> Result<(), SyncError> {
        each!(self, c => c.mark(ids, mark).await)
    }
    async fn refresh_feed(&self, feed: RemoteFeedId) -> Result<(), SyncError> {
        each!(self, c => c.refresh_feed(feed).await)
    }
    async fn subscribe(
        &self,
        url: &str,
        category: Option<CategoryId>,
    ) -> Result<Subscribed, SyncError> {
        each!(self, c => c.subscribe(url, category).await)
    }
}
