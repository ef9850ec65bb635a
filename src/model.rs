//! Plain data shared by the poller, the store and the views: feeds, articles, poll events.

use std::time::Duration;

use chrono::{DateTime, Utc};

mod article;

pub use article::{Article, ArticleFields, ArticleTexts, Categories};

/// Index of a feed in the configuration (stable for one run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedId(pub u32);

/// Requested base direction of a paragraph or a feed's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    #[default]
    Auto,
    Ltr,
    Rtl,
}

/// What the poller needs to know to fetch one feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedSource {
    pub id: FeedId,
    /// `http:`, `https:`, `file:` (or `exec:` from the user's own config only).
    pub url: String,
    /// Per-feed poll interval; `None` uses the global one.
    pub interval: Option<Duration>,
    /// Extra request headers (name, value).
    pub headers: Vec<(String, String)>,
    /// Basic auth (user, password).
    pub basic_auth: Option<(String, String)>,
    /// Validators remembered from an earlier run, so even the first fetch is conditional.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the last run scheduled the next fetch (from the interval, `ttl`, `max-age`,
    /// `Retry-After` or backoff); `None`: fetch at once.
    pub next_poll: Option<chrono::DateTime<chrono::Utc>>,
    /// Consecutive failures remembered from the last run, so backoff goes on across restarts.
    pub failures: u32,
    /// The last fetch (maybe in an earlier run) answered 410 Gone.
    pub gone: bool,
    /// `exec:` sources run only when this is true: the feed was written in the user's own
    /// config file (never for imported feeds).
    pub allow_exec: bool,
}

impl FeedSource {
    /// A source with nothing remembered and nothing extra: the global interval, no headers,
    /// no validators, due at once; `exec:` refused (as for an imported feed).
    pub fn new(id: FeedId, url: impl Into<String>) -> FeedSource {
        FeedSource {
            id,
            url: url.into(),
            interval: None,
            headers: Vec::new(),
            basic_auth: None,
            etag: None,
            last_modified: None,
            next_poll: None,
            failures: 0,
            gone: false,
            allow_exec: false,
        }
    }
}

/// One feed as parsed, with every text field already sanitized.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub link: Option<String>,
    /// BCP 47 language tag from the feed (`ar`, `he-IL`, ...).
    pub language: Option<String>,
    /// RSS `<ttl>` in minutes, if given.
    pub ttl: Option<Duration>,
    pub items: Vec<ParsedItem>,
    /// What the parser had to work around (a wrong charset declaration, items salvaged from
    /// malformed XML), one line each, to be shown with the feed's status.
    pub notes: Vec<String>,
}

/// What a feed's note says when its XML ended before the document did (a cut-off download).
pub const ENDED_EARLY: &str = "the feed ended early";

impl ParsedFeed {
    /// Whether the body ended before the document did: the items are the ones before the cut,
    /// and the feed is shown with a warning rather than as fine.
    pub fn ended_early(&self) -> Option<&str> {
        self.notes
            .iter()
            .find(|n| n.contains(ENDED_EARLY))
            .map(String::as_str)
    }
}

/// One item as parsed. Text fields are sanitized (no C0/C1 controls, overrides neutralized);
/// `content_html` / `summary_html` still hold (sanitized) HTML for the reader.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedItem {
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub language: Option<String>,
    /// Attached media (RSS `<enclosure>`, Atom `rel="enclosure"`, JSON Feed attachments,
    /// Media RSS `<media:content>`), at most [`MAX_ENCLOSURES`], web URLs only.
    pub enclosures: Vec<Enclosure>,
}

/// How many enclosures an article keeps (the rest of a feed's list is dropped).
pub const MAX_ENCLOSURES: usize = 16;

/// One attached media file of an article (a podcast episode, a video): its address
/// (http or https, absolute, sanitized) and what the feed says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Enclosure {
    pub url: String,
    /// The MIME type as the feed gives it (`audio/mpeg`), sanitized; empty when not given.
    pub mime: String,
    pub length_bytes: Option<u64>,
    pub duration_s: Option<u64>,
}

/// How one fetch of one feed ended.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchOutcome {
    /// New content, parsed.
    Updated(ParsedFeed),
    /// 304 or identical body: nothing to parse.
    NotModified,
    /// The fetch or the parse failed; `reason` is one clear line for the user.
    Failed { reason: String },
    /// 410 Gone: the feed is dead and will not be polled again.
    Gone,
}

/// Messages the poller sends to the app. The poller never touches the store.
// One message per fetch: the size of the `Finished` variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum PollEvent {
    /// A fetch of this feed has started.
    Started { feed: FeedId },
    /// A fetch finished.
    Finished {
        feed: FeedId,
        outcome: FetchOutcome,
        /// Validators to send next time.
        etag: Option<String>,
        last_modified: Option<String>,
        /// A permanent redirect moved the feed here (to be saved and shown once).
        moved_to: Option<String>,
        /// When the poller will try this feed again (None: never, e.g. Gone).
        next_poll: Option<DateTime<Utc>>,
        /// Consecutive failures so far (0 after a success).
        failures: u32,
    },
}

/// An article's full text, extracted from its page (issue 11): the HTML (sanitized, links
/// absolute, the lead image first when the page has one the article lacks) and what the page
/// says that the feed may not. Kept in the cache with its article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FullText {
    pub html: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The page's language (`<html lang>`).
    pub language: Option<String>,
    /// The page's direction (`<html dir>`), if it says.
    pub direction: Option<Direction>,
}
