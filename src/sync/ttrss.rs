//! The Tiny Tiny RSS JSON API client (API level 15 and later, as in Debian's tt-rss 21):
//! JSON bodies, a session id that is renewed once per call on `NOT_LOGGED_IN`, paging by
//! `skip` (at most 200 per call), marks in batches of comma-separated ids.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;

use futures_util::{StreamExt, stream};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

use super::error::{SyncError, SyncErrorKind};
use super::http::Http;
use super::secret::Secret;
use super::ttrss_wire::{
    Category, Counter, Envelope, ErrorContent, Feed, Headline, IdOnly, LoginContent,
    SubscribeContent,
};
use super::types::{
    ArticleId, CategoryId, FetchSummary, Mark, RemoteArticle, RemoteCategory, RemoteFeed,
    RemoteFeedId, Service, Subscribed,
};
use crate::feed::PollOptions;
use crate::text::sanitize::{for_terminal, redact_credentials};

/// `getHeadlines` answers at most this many rows per call.
pub const PAGE: usize = 200;
/// Ids per `updateArticle` / `getArticle` call.
const ID_BATCH: usize = 200;
/// `getHeadlines` requests in flight at once (PHP servers run a few workers).
const PAGES_AT_ONCE: usize = 4;
/// Passes over a paged list before its answer is taken as it is (see `verified_ids`).
const LIST_PASSES: usize = 3;

/// Virtual feeds of the API.
const FEED_STARRED: i64 = -1;
const FEED_ALL: i64 = -4;
/// `getFeeds` category: every real feed, no virtual ones.
const CAT_ALL_REAL: i64 = -3;

/// A TT-RSS account.
pub struct TtRss {
    http: Http,
    api: Url,
    user: String,
    password: Secret,
    session: Mutex<Option<Secret>>,
}

impl fmt::Debug for TtRss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TtRss")
            .field("api", &redact_credentials(self.api.as_str()))
            .field("user", &self.user)
            .field("password", &self.password)
            .finish_non_exhaustive()
    }
}

fn err(kind: SyncErrorKind) -> SyncError {
    SyncError::new(Service::TtRss, kind)
}

/// The API address for a TT-RSS address: `.../tt-rss/` becomes `.../tt-rss/api/`; an address
/// already ending in `api/` is kept.
pub fn api_url(base: &str) -> Result<Url, SyncError> {
    let bad = || {
        err(SyncErrorKind::BadUrl(for_terminal(&redact_credentials(
            base,
        ))))
    };
    let mut url = Url::parse(base.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad());
    }
    let path = url.path().trim_end_matches('/').to_string();
    let path = if path.ends_with("/api") {
        path
    } else {
        format!("{path}/api")
    };
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    Ok(url)
}

impl TtRss {
    pub fn new(
        base_url: &str,
        user: &str,
        password: Secret,
        opts: &PollOptions,
    ) -> Result<TtRss, SyncError> {
        Ok(TtRss {
            http: Http::new(opts).map_err(err)?,
            api: api_url(base_url)?,
            user: user.to_string(),
            password,
            session: Mutex::new(None),
        })
    }

    /// Logs in, keeping the session id for the calls that follow.
    pub async fn login(&self) -> Result<(), SyncError> {
        let body = json!({"op": "login", "user": self.user, "password": self.password.expose()});
        let content: LoginContent = self.send("login", &body).await?;
        tracing::debug!(api_level = content.api_level, "TT-RSS login");
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(Secret::new(content.session_id));
        Ok(())
    }

    fn session(&self) -> Option<Secret> {
        self.session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// One API call with the session id; logs in first if there is no session, and once
    /// more if the server answers `NOT_LOGGED_IN` (sessions expire, servers restart).
    async fn call<T: DeserializeOwned>(&self, op: &str, params: Value) -> Result<T, SyncError> {
        let mut relogged = false;
        loop {
            let sid = match self.session() {
                Some(sid) => sid,
                None => {
                    self.login().await?;
                    relogged = true;
                    self.session().unwrap_or_else(|| Secret::new(""))
                }
            };
            let mut body = params.clone();
            if let Value::Object(map) = &mut body {
                map.insert("op".into(), Value::String(op.into()));
                map.insert("sid".into(), Value::String(sid.expose().into()));
            }
            match self.send(op, &body).await {
                Err(e) if e.kind == SyncErrorKind::SessionLost => {
                    if relogged {
                        return Err(e);
                    }
                    tracing::debug!(op, "TT-RSS session lost, logging in again");
                    *self.session.lock().unwrap_or_else(|e| e.into_inner()) = None;
                }
                other => return other,
            }
        }
    }

    /// POSTs one request and opens the envelope. `NOT_LOGGED_IN` comes back as `SessionLost`.
    async fn send<T: DeserializeOwned>(&self, op: &str, body: &Value) -> Result<T, SyncError> {
        let answer = self.http.post_json(&self.api, body).await.map_err(err)?;
        let shape = "TT-RSS's {seq, status, content} JSON";
        if answer.status != 200 {
            return Err(err(answer.unexpected(&self.api, shape)));
        }
        let envelope =
            parse_envelope(&answer.body).ok_or_else(|| err(answer.unexpected(&self.api, shape)))?;
        if envelope.status != 0 {
            let code = serde_json::from_str::<ErrorContent>(envelope.content.get())
                .ok()
                .and_then(|c| c.error)
                .unwrap_or_else(|| "an unnamed error".into());
            return Err(err(match code.as_str() {
                "NOT_LOGGED_IN" => SyncErrorKind::SessionLost,
                "LOGIN_ERROR" => SyncErrorKind::WrongPassword,
                "API_DISABLED" => SyncErrorKind::ApiDisabled,
                _ => SyncErrorKind::Api {
                    op: op.into(),
                    code: for_terminal(&code),
                },
            }));
        }
        serde_json::from_str(envelope.content.get()).map_err(|e| {
            err(SyncErrorKind::Malformed {
                op: op.into(),
                detail: for_terminal(&e.to_string()),
            })
        })
    }

    /// Categories, without TT-RSS's virtual ones (Special, Labels) and "Uncategorized".
    pub async fn categories(&self) -> Result<Vec<RemoteCategory>, SyncError> {
        let cats: Vec<Category> = self
            .call("getCategories", json!({"include_empty": true}))
            .await?;
        Ok(cats
            .into_iter()
            .filter(|c| c.id > 0)
            .map(|c| RemoteCategory {
                id: CategoryId(c.id as u64),
                title: super::clean::title(c.title),
            })
            .collect())
    }

    /// Every subscription with its category.
    pub async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let cats: HashMap<CategoryId, RemoteCategory> = self
            .categories()
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let feeds: Vec<Feed> = self
            .call("getFeeds", json!({"cat_id": CAT_ALL_REAL}))
            .await?;
        Ok(feeds
            .into_iter()
            .filter(|f| f.id > 0)
            .map(|f| RemoteFeed {
                id: RemoteFeedId(f.id as u64),
                title: super::clean::title(f.title),
                url: super::clean::url(f.feed_url),
                site_url: None,
                categories: (f.cat_id > 0)
                    .then(|| cats.get(&CategoryId(f.cat_id as u64)).cloned())
                    .flatten()
                    .into_iter()
                    .collect(),
            })
            .collect())
    }

    /// Every article with an id above `since` (all of them for `None`), with content, handed
    /// to `sink` a page at a time, each id once.
    ///
    /// TT-RSS pages only by `skip` over an order that is not total (score, date entered,
    /// date), so a page boundary among equal keys could shift. Over a set that does not change
    /// during the pass, the pages add up to exactly its size, so a pass that saw no id twice
    /// saw every id; a pass that did see one twice is run again (what it adds is kept).
    pub async fn articles_since(
        &self,
        since: Option<ArticleId>,
        sink: &mut (dyn FnMut(Vec<RemoteArticle>) + Send),
    ) -> Result<FetchSummary, SyncError> {
        let since_id = since.map_or(0, |a| a.0);
        let mut seen = HashSet::new();
        let mut summary = FetchSummary {
            newest: since,
            ..FetchSummary::default()
        };
        let params = json!({"feed_id": FEED_ALL, "limit": PAGE, "since_id": since_id,
                            "show_content": true, "view_mode": "all_articles",
                            "include_attachments": false});
        for pass in 0..LIST_PASSES {
            let mut repeated = 0usize;
            // One page first: a refresh with nothing new costs one request.
            summary.requests += self
                .headline_pages(&params, 1, |rows: Vec<Headline>| {
                    let fresh: Vec<RemoteArticle> = rows
                        .into_iter()
                        .filter(|h| h.id > since_id)
                        .filter(|h| {
                            let new = seen.insert(h.id);
                            repeated += usize::from(!new);
                            new
                        })
                        .map(Headline::into_article)
                        .collect();
                    if let Some(max) = fresh.iter().map(|a| a.id).max() {
                        summary.newest = summary.newest.max(Some(max));
                    }
                    summary.articles += fresh.len();
                    if !fresh.is_empty() {
                        sink(fresh);
                    }
                })
                .await?;
            if repeated == 0 {
                break;
            }
            tracing::info!(
                pass,
                repeated,
                "TT-RSS pages shifted during a pass; passing again"
            );
        }
        Ok(summary)
    }

    /// Every page of `getHeadlines` with `params` (`skip` added), in order, until a short
    /// one: `first` pages at once to begin with, then [`PAGES_AT_ONCE`] at a time, at most
    /// [`PAGES_AT_ONCE`] requests in flight. Returns the requests sent. Every page of a
    /// window is handed on, also after a short one (the set may have grown meanwhile).
    async fn headline_pages<T: DeserializeOwned + Send>(
        &self,
        params: &Value,
        first: usize,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<usize, SyncError> {
        let mut next = 0usize;
        let mut window = first.max(1);
        loop {
            let pages = stream::iter(next..next + window)
                .map(|page| {
                    let mut p = params.clone();
                    p["skip"] = json!(page * PAGE);
                    async move { self.call::<Vec<T>>("getHeadlines", p).await }
                })
                .buffered(PAGES_AT_ONCE);
            futures_util::pin_mut!(pages);
            let mut short = false;
            while let Some(rows) = pages.next().await {
                let rows = rows?;
                short |= rows.len() < PAGE;
                on_page(rows);
            }
            next += window;
            if short {
                return Ok(next);
            }
            window = PAGES_AT_ONCE;
        }
    }

    /// The articles with these ids (those the server still has), with content.
    pub async fn articles_by_ids(
        &self,
        ids: &[ArticleId],
    ) -> Result<Vec<RemoteArticle>, SyncError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(ID_BATCH) {
            let rows: Vec<Headline> = self
                .call("getArticle", json!({"article_id": join_ids(chunk)}))
                .await?;
            out.extend(rows.into_iter().map(Headline::into_article));
        }
        Ok(out)
    }

    /// Every unread article's id.
    pub async fn unread_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        self.verified_ids(FEED_ALL, "unread", |c| {
            (c.id == Value::String("global-unread".into())).then_some(c.counter)
        })
        .await
    }

    /// Every starred article's id.
    pub async fn starred_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        self.verified_ids(FEED_STARRED, "all_articles", |c| {
            (c.id == json!(FEED_STARRED) && c.kind.is_none()).then_some(c.auxcounter)
        })
        .await
    }

    /// The ids of one virtual feed, paged, checked against the count `getCounters` gives
    /// (the pages of a shifting order could miss one); up to [`LIST_PASSES`] passes.
    async fn verified_ids(
        &self,
        feed: i64,
        view_mode: &str,
        count_of: impl Fn(&Counter) -> Option<u64>,
    ) -> Result<BTreeSet<ArticleId>, SyncError> {
        let mut ids = BTreeSet::new();
        let params = json!({"feed_id": feed, "limit": PAGE, "view_mode": view_mode,
                            "show_content": false});
        for pass in 0..LIST_PASSES {
            // The count says how many pages to ask for at once.
            let counters: Vec<Counter> = self.call("getCounters", json!({})).await?;
            let expected = counters.iter().find_map(&count_of);
            let pages = expected.map_or(1, |n| n as usize / PAGE + 1);
            ids.clear();
            self.headline_pages(&params, pages, |rows: Vec<IdOnly>| {
                ids.extend(rows.into_iter().map(|r| ArticleId(r.id)));
            })
            .await?;
            if expected.is_none_or(|n| n == ids.len() as u64) {
                break;
            }
            tracing::info!(
                pass,
                feed,
                got = ids.len(),
                ?expected,
                "TT-RSS id list and counter differ; listing again"
            );
        }
        Ok(ids)
    }

    /// Sets read/unread or starred/unstarred on the server, in batches.
    pub async fn mark(&self, ids: &[ArticleId], mark: Mark) -> Result<(), SyncError> {
        // field 0: starred ("marked"), 2: unread; mode 0: off, 1: on.
        let (field, mode) = match mark {
            Mark::Read => (2, 0),
            Mark::Unread => (2, 1),
            Mark::Starred => (0, 1),
            Mark::Unstarred => (0, 0),
        };
        for chunk in ids.chunks(ID_BATCH) {
            let _: Value = self
                .call(
                    "updateArticle",
                    json!({"article_ids": join_ids(chunk), "mode": mode, "field": field}),
                )
                .await?;
        }
        Ok(())
    }

    /// Asks the server to fetch one feed now (synchronously: it answers when done).
    pub async fn refresh_feed(&self, feed: RemoteFeedId) -> Result<(), SyncError> {
        let _: Value = self.call("updateFeed", json!({"feed_id": feed.0})).await?;
        Ok(())
    }

    /// Subscribes to a feed (in a category, else "Uncategorized").
    pub async fn subscribe(
        &self,
        url: &str,
        category: Option<CategoryId>,
    ) -> Result<Subscribed, SyncError> {
        let content: SubscribeContent = self
            .call(
                "subscribeToFeed",
                json!({"feed_url": url, "category_id": category.map_or(0, |c| c.0)}),
            )
            .await?;
        let status = content.status;
        let reason = match status.code {
            0 => return Ok(Subscribed::Already(RemoteFeedId(status.feed_id))),
            1 => return Ok(Subscribed::New(RemoteFeedId(status.feed_id))),
            4 => return Ok(Subscribed::ChooseOne(feed_choices(status.feeds.as_ref()))),
            2 => "the server found the address invalid".to_string(),
            3 => "the page names no feed".to_string(),
            5 => match status.message.as_deref().map(for_terminal) {
                Some(m) if !m.is_empty() => format!("the server could not download it: {m}"),
                _ => "the server could not download it".to_string(),
            },
            code => format!("code {code}"),
        };
        Err(err(SyncErrorKind::Subscribe(reason)))
    }
}

/// `subscribeToFeed` code 4 lists the page's feeds as an object `{url: title}` (or an array).
fn feed_choices(feeds: Option<&Value>) -> Vec<String> {
    let urls: Vec<&str> = match feeds {
        Some(Value::Object(map)) => map.keys().map(String::as_str).collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    urls.into_iter()
        .map(crate::text::sanitize::sanitize_url)
        .filter(|u| !u.is_empty())
        .collect()
}

fn join_ids(ids: &[ArticleId]) -> String {
    ids.iter()
        .map(|a| a.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The envelope, also when PHP printed warnings before the JSON (`display_errors` on).
pub(super) fn parse_envelope(body: &[u8]) -> Option<Envelope> {
    if let Ok(e) = serde_json::from_slice::<Envelope>(body) {
        return Some(e);
    }
    let start = memchr::memmem::find(body, b"{\"seq\"")?;
    serde_json::from_slice(&body[start..]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_address_is_found_from_the_base_address() {
        for (base, api) in [
            (
                "https://example.org/tt-rss/",
                "https://example.org/tt-rss/api/",
            ),
            (
                "https://example.org/tt-rss",
                "https://example.org/tt-rss/api/",
            ),
            ("http://127.0.0.1:8280/api/", "http://127.0.0.1:8280/api/"),
            ("http://127.0.0.1:8280/api", "http://127.0.0.1:8280/api/"),
            ("http://127.0.0.1:8280", "http://127.0.0.1:8280/api/"),
        ] {
            assert_eq!(api_url(base).unwrap().as_str(), api, "{base}");
        }
        assert!(api_url("ftp://example.org/").is_err());
        assert!(api_url("not a url").is_err());
    }

    #[test]
    fn an_envelope_after_php_warnings_is_still_read() {
        let body = b"<br />\n<b>Warning</b>: Undefined array key<br />\n{\"seq\":0,\"status\":0,\"content\":{\"level\":15}}";
        let e = parse_envelope(body).unwrap();
        assert_eq!(e.status, 0);
        assert_eq!(e.content.get(), r#"{"level":15}"#);
        assert!(parse_envelope(b"{\"api_version\":3,\"auth\":0}").is_none());
    }

    #[test]
    fn a_page_of_several_feeds_gives_their_addresses() {
        let v = json!({"http://a/x.xml": "A", "http://b/\u{1b}y.xml": "B"});
        let mut got = feed_choices(Some(&v));
        got.sort();
        assert_eq!(got, vec!["http://a/x.xml", "http://b/y.xml"]);
    }
}
