//! The Fever API client: `api_key = md5("user:password")` in every POST, commands in the
//! query string, 50 items per answer, marks one item per request.
//!
//! Servers return items in no defined order (coldsweat has no ORDER BY), so the article fetch
//! does not trust `since_id` paging alone: a page out of order, or fewer items than the
//! server's `total_items`, makes it ask by `with_ids` for every id it skipped over.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use futures_util::{StreamExt, stream};
use md5::{Digest, Md5};
use url::Url;

use super::error::{SyncError, SyncErrorKind};
use super::fever_wire::{Answer, Item};
use super::http::Http;
use super::secret::Secret;
use super::types::{
    ArticleId, CategoryId, FetchSummary, Mark, RemoteArticle, RemoteCategory, RemoteFeed,
    RemoteFeedId, Service,
};
use crate::feed::PollOptions;
use crate::text::sanitize::{for_terminal, redact_credentials};

/// Items per answer and ids per `with_ids`, as the spec says.
pub const PAGE: usize = 50;
/// Skipped-over ids asked for by `with_ids` in one fetch at most (200 requests).
const PROBE_LIMIT: usize = 10_000;
/// Marks sent at once (Fever marks one item per request).
const MARKS_AT_ONCE: usize = 4;

/// A Fever account.
pub struct Fever {
    http: Http,
    endpoint: Url,
    api_key: Secret,
}

impl fmt::Debug for Fever {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fever")
            .field("endpoint", &redact_credentials(self.endpoint.as_str()))
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

fn err(kind: SyncErrorKind) -> SyncError {
    SyncError::new(Service::Fever, kind)
}

/// The Fever api_key: the hex MD5 of `user:password`.
pub fn api_key(user: &str, password: &Secret) -> Secret {
    let digest = Md5::digest(format!("{user}:{}", password.expose()).as_bytes());
    Secret::new(
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    )
}

/// The endpoint with `api` in its query (`.../fever/` -> `.../fever/?api`).
pub fn endpoint_url(url: &str) -> Result<Url, SyncError> {
    let bad = || {
        err(SyncErrorKind::BadUrl(for_terminal(&redact_credentials(
            url,
        ))))
    };
    let mut u = Url::parse(url.trim()).map_err(|_| bad())?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(bad());
    }
    let has_api = u.query_pairs().any(|(k, _)| k == "api");
    if !has_api {
        let q = match u.query() {
            Some(q) if !q.is_empty() => format!("{q}&api"),
            _ => "api".to_string(),
        };
        u.set_query(Some(&q));
    }
    Ok(u)
}

impl Fever {
    pub fn new(
        url: &str,
        user: &str,
        password: &Secret,
        opts: &PollOptions,
    ) -> Result<Fever, SyncError> {
        Ok(Fever {
            http: Http::new(opts).map_err(err)?,
            endpoint: endpoint_url(url)?,
            api_key: api_key(user, password),
        })
    }

    /// One request: `command` joins the query (`items&since_id=5`), `form` the body.
    async fn request(&self, command: &str, form: &[(&str, &str)]) -> Result<Answer, SyncError> {
        let mut url = self.endpoint.clone();
        if !command.is_empty() {
            let q = format!("{}&{command}", url.query().unwrap_or("api"));
            url.set_query(Some(&q));
        }
        let mut body = vec![("api_key", self.api_key.expose())];
        body.extend_from_slice(form);
        let answer = self.http.post_form(&url, &body).await.map_err(err)?;
        let shape = "Fever's JSON with api_version and auth";
        if answer.status != 200 {
            return Err(err(answer.unexpected(&self.endpoint, shape)));
        }
        let parsed: Answer = match serde_json::from_slice(&answer.body) {
            Ok(a) => a,
            Err(e) if serde_json::from_slice::<serde_json::Value>(&answer.body).is_ok() => {
                return Err(err(SyncErrorKind::Malformed {
                    op: command_name(command),
                    detail: for_terminal(&e.to_string()),
                }));
            }
            Err(_) => return Err(err(answer.unexpected(&self.endpoint, shape))),
        };
        match (parsed.api_version, parsed.auth) {
            (_, Some(1)) => Ok(parsed),
            (Some(_), _) | (None, Some(_)) => Err(err(SyncErrorKind::WrongPassword)),
            (None, None) => Err(err(answer.unexpected(&self.endpoint, shape))),
        }
    }

    /// Checks the api_key (the API has no session: every request carries it).
    pub async fn login(&self) -> Result<(), SyncError> {
        self.request("", &[]).await.map(|_| ())
    }

    pub async fn categories(&self) -> Result<Vec<RemoteCategory>, SyncError> {
        let answer = self.request("groups", &[]).await?;
        Ok(answer
            .groups
            .unwrap_or_default()
            .into_iter()
            .map(|g| RemoteCategory {
                id: CategoryId(g.id),
                title: super::clean::title(g.title),
            })
            .collect())
    }

    /// Every feed with its groups (`feeds` + `feeds_groups`, group titles from `groups`).
    pub async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let groups: HashMap<u64, RemoteCategory> = self
            .categories()
            .await?
            .into_iter()
            .map(|c| (c.id.0, c))
            .collect();
        let answer = self.request("feeds", &[]).await?;
        let mut of_feed: HashMap<u64, Vec<RemoteCategory>> = HashMap::new();
        for fg in answer.feeds_groups.unwrap_or_default() {
            if let Some(group) = groups.get(&fg.group_id) {
                for feed in fg.feed_ids {
                    of_feed.entry(feed).or_default().push(group.clone());
                }
            }
        }
        Ok(answer
            .feeds
            .unwrap_or_default()
            .into_iter()
            .map(|f| RemoteFeed {
                id: RemoteFeedId(f.id),
                title: super::clean::title(f.title),
                url: super::clean::url(f.url),
                site_url: super::clean::url(f.site_url),
                categories: of_feed.remove(&f.id).unwrap_or_default(),
            })
            .collect())
    }

    /// Every item with an id above `since`, a page at a time, each id once (see the module
    /// comment for how nothing is lost on a server that ignores order).
    pub async fn articles_since(
        &self,
        since: Option<ArticleId>,
        sink: &mut (dyn FnMut(Vec<RemoteArticle>) + Send),
    ) -> Result<FetchSummary, SyncError> {
        let floor = since.map_or(0, |a| a.0);
        let mut cursor = floor;
        let mut seen: HashSet<u64> = HashSet::new();
        let mut disordered = false;
        let mut total = None;
        let mut summary = FetchSummary {
            newest: since,
            ..FetchSummary::default()
        };
        let mut deliver =
            |items: Vec<Item>, seen: &mut HashSet<u64>, summary: &mut FetchSummary| {
                let fresh: Vec<RemoteArticle> = items
                    .into_iter()
                    .filter(|i| i.id > floor && seen.insert(i.id))
                    .map(Item::into_article)
                    .collect();
                if let Some(max) = fresh.iter().map(|a| a.id).max() {
                    summary.newest = summary.newest.max(Some(max));
                }
                summary.articles += fresh.len();
                if !fresh.is_empty() {
                    sink(fresh);
                }
            };
        loop {
            let answer = self
                .request(&format!("items&since_id={cursor}"), &[])
                .await?;
            summary.requests += 1;
            total = answer.total_items.or(total);
            let items = answer.items.unwrap_or_default();
            let Some(page_max) = items.iter().map(|i| i.id).max() else {
                break;
            };
            disordered |= !items.windows(2).all(|w| w[0].id < w[1].id);
            deliver(items, &mut seen, &mut summary);
            if page_max <= cursor {
                break; // the server ignores since_id: the probe below finds the rest
            }
            cursor = page_max;
        }
        let short = floor == 0 && total.is_some_and(|t| t > seen.len() as u64);
        if disordered || short {
            let holes: Vec<u64> = (floor + 1..=cursor)
                .filter(|id| !seen.contains(id))
                .take(PROBE_LIMIT + 1)
                .collect();
            if holes.len() > PROBE_LIMIT {
                tracing::warn!(
                    cursor,
                    "Fever: more than {PROBE_LIMIT} ids skipped over; asking for the first {PROBE_LIMIT}"
                );
            }
            tracing::debug!(
                holes = holes.len(),
                disordered,
                short,
                "Fever: asking for skipped ids"
            );
            for chunk in holes[..holes.len().min(PROBE_LIMIT)].chunks(PAGE) {
                let items = self.items_with_ids(chunk).await?;
                summary.requests += 1;
                deliver(items, &mut seen, &mut summary);
            }
        }
        Ok(summary)
    }

    async fn items_with_ids(&self, ids: &[u64]) -> Result<Vec<Item>, SyncError> {
        if ids.is_empty() {
            // An empty with_ids is "no filter" on coldsweat: never send one.
            return Ok(Vec::new());
        }
        let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        let answer = self.request(&format!("items&with_ids={list}"), &[]).await?;
        Ok(answer.items.unwrap_or_default())
    }

    /// The items with these ids (those the server still has), 50 per request.
    pub async fn articles_by_ids(
        &self,
        ids: &[ArticleId],
    ) -> Result<Vec<RemoteArticle>, SyncError> {
        let raw: Vec<u64> = ids.iter().map(|a| a.0).collect();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in raw.chunks(PAGE) {
            out.extend(
                self.items_with_ids(chunk)
                    .await?
                    .into_iter()
                    .map(Item::into_article),
            );
        }
        Ok(out)
    }

    pub async fn unread_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        let answer = self.request("unread_item_ids", &[]).await?;
        let ids = answer
            .unread_item_ids
            .ok_or_else(|| missing("unread_item_ids"))?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    pub async fn starred_ids(&self) -> Result<BTreeSet<ArticleId>, SyncError> {
        let answer = self.request("saved_item_ids", &[]).await?;
        let ids = answer
            .saved_item_ids
            .ok_or_else(|| missing("saved_item_ids"))?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// One `mark=item` request per id, a few at once. An item the server no longer has
    /// (coldsweat answers 404) is skipped: there is nothing left to mark.
    pub async fn mark(&self, ids: &[ArticleId], mark: Mark) -> Result<(), SyncError> {
        let what = match mark {
            Mark::Read => "read",
            Mark::Unread => "unread",
            Mark::Starred => "saved",
            Mark::Unstarred => "unsaved",
        };
        let ids: Vec<String> = ids.iter().map(|a| a.0.to_string()).collect();
        let results: Vec<Result<(), SyncError>> = stream::iter(ids)
            .map(|id: String| async move {
                match self
                    .request("", &[("mark", "item"), ("as", what), ("id", &id)])
                    .await
                {
                    Err(e) if is_gone(&e) => {
                        tracing::debug!(id, "Fever: item to mark is gone");
                        Ok(())
                    }
                    other => other.map(|_| ()),
                }
            })
            .buffer_unordered(MARKS_AT_ONCE)
            .collect()
            .await;
        results.into_iter().collect()
    }

    pub async fn refresh_feed(&self, _feed: RemoteFeedId) -> Result<(), SyncError> {
        Err(err(SyncErrorKind::Unsupported(
            "refresh one feed: Fever servers refresh feeds on their own schedule",
        )))
    }

    pub async fn subscribe(
        &self,
        _url: &str,
        _category: Option<CategoryId>,
    ) -> Result<super::Subscribed, SyncError> {
        Err(err(SyncErrorKind::Unsupported(
            "subscribe to a feed: subscribe in the server's own interface",
        )))
    }
}

fn is_gone(e: &SyncError) -> bool {
    matches!(&e.kind, SyncErrorKind::NotAnEndpoint { why, .. } if why.contains("HTTP 404"))
}

fn missing(field: &str) -> SyncError {
    err(SyncErrorKind::Malformed {
        op: field.into(),
        detail: format!("no {field} in the answer"),
    })
}

fn command_name(command: &str) -> String {
    let name = command.split(['&', '=']).next().unwrap_or("");
    if name.is_empty() {
        "api".into()
    } else {
        name.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_is_the_md5_of_user_colon_password() {
        // md5("alice@example.com:fever-test-password"), as coldsweat computes it.
        let key = api_key("alice@example.com", &Secret::new("fever-test-password"));
        assert_eq!(key.expose(), "f97cc2560fcf5276c164da0b17a75522");
    }

    #[test]
    fn the_endpoint_gets_api_in_its_query_once() {
        for (given, want) in [
            ("http://h/fever/", "http://h/fever/?api"),
            ("http://h/fever/?api", "http://h/fever/?api"),
            ("http://h/api/fever.php", "http://h/api/fever.php?api"),
            ("http://h/f.php?x=1", "http://h/f.php?x=1&api"),
        ] {
            assert_eq!(endpoint_url(given).unwrap().as_str(), want, "{given}");
        }
        assert!(endpoint_url("mailto:x@y").is_err());
    }
}
