//! Builders with defaults for the library's plain data (`Article`, `ParsedItem`, `ParsedFeed`,
//! `PollEvent::Finished`, `FeedSource`, the bidi state, key messages): a test spells out only
//! the fields it is about, as in `Article::from(ArticleFields { read: true, ..article("k1").into_fields() })`.
//!
//! The benches include this file with `#[path]`, so it uses the library and its dependencies
//! only, nothing of the test crate.

use akhbar::app::{BidiState, Msg};
use akhbar::config::{BidiSetting, ShapingSetting};
use akhbar::model::{Article, FeedId, FeedSource, FetchOutcome, ParsedFeed, ParsedItem, PollEvent};
use akhbar::text::BidiMode;
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// An unread, unstarred article of feed 0 titled "title KEY", first seen now, with nothing
/// else: no link, author, categories, date, body or language.
pub fn article(key: &str) -> Article {
    Article::bare(FeedId(0), key, &format!("title {key}"), Utc::now())
}

/// A cache in `dir` with `feeds` feeds of `items` articles each (`url(feed)`, `article(feed,
/// i)`), written through; the cache is handed back open.
pub fn fill_cache(
    dir: &std::path::Path,
    feeds: usize,
    items: usize,
    url: impl Fn(usize) -> String,
    article: impl Fn(usize, usize) -> Article,
) -> akhbar::persist::Cache {
    let (cache, _) = akhbar::persist::open(dir).unwrap();
    for f in 0..feeds {
        cache.send(akhbar::persist::Change::UpsertArticles {
            feed_url: url(f),
            articles: (0..items).map(|i| article(f, i)).collect(),
        });
    }
    cache.flush_blocking().unwrap();
    cache
}

/// A parsed item with a guid and a title and nothing else.
pub fn parsed_item(guid: &str, title: &str) -> ParsedItem {
    ParsedItem {
        guid: Some(guid.to_owned()),
        title: title.to_owned(),
        ..ParsedItem::default()
    }
}

/// A parsed feed of these items, without a title, link, language or ttl.
pub fn parsed_feed(items: Vec<ParsedItem>) -> ParsedFeed {
    ParsedFeed {
        items,
        ..ParsedFeed::default()
    }
}

/// `hour:minute` UTC on 20 November 2026, the day the app tests' articles are dated.
pub fn nov_20(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, hour, minute, 0)
        .single()
        .expect("a valid time of day")
}

/// The fields of a `PollEvent::Finished` (an enum variant takes no `..base`, this struct
/// does): `Finished { failures: 2, ..Finished::new(feed, outcome) }.into()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub feed: FeedId,
    pub outcome: FetchOutcome,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub moved_to: Option<String>,
    pub next_poll: Option<DateTime<Utc>>,
    pub failures: u32,
}

impl Finished {
    /// No validators, no move, no next poll, no failures.
    pub fn new(feed: FeedId, outcome: FetchOutcome) -> Finished {
        Finished {
            feed,
            outcome,
            etag: None,
            last_modified: None,
            moved_to: None,
            next_poll: None,
            failures: 0,
        }
    }
}

/// The fields of a `Finished` event; a `Started` one comes back as the error.
impl TryFrom<PollEvent> for Finished {
    type Error = PollEvent;

    fn try_from(event: PollEvent) -> Result<Finished, PollEvent> {
        match event {
            PollEvent::Finished {
                feed,
                outcome,
                etag,
                last_modified,
                moved_to,
                next_poll,
                failures,
            } => Ok(Finished {
                feed,
                outcome,
                etag,
                last_modified,
                moved_to,
                next_poll,
                failures,
            }),
            started @ PollEvent::Started { .. } => Err(started),
        }
    }
}

impl From<Finished> for PollEvent {
    fn from(f: Finished) -> PollEvent {
        PollEvent::Finished {
            feed: f.feed,
            outcome: f.outcome,
            etag: f.etag,
            last_modified: f.last_modified,
            moved_to: f.moved_to,
            next_poll: f.next_poll,
            failures: f.failures,
        }
    }
}

/// A finished fetch with the defaults of `Finished::new`.
pub fn finished(feed: FeedId, outcome: FetchOutcome) -> PollEvent {
    Finished::new(feed, outcome).into()
}

/// A feed source with nothing remembered (`FeedSource::new`) under a plain feed id.
pub fn source(id: u32, url: impl Into<String>) -> FeedSource {
    FeedSource::new(FeedId(id), url)
}

/// The bidi state for `mode`, chosen by the config (`bidi = "app"`, shaping auto).
pub fn bidi(mode: BidiMode) -> BidiState {
    BidiState {
        setting: BidiSetting::App,
        shaping: ShapingSetting::Auto,
        mode,
        reason: "test".into(),
    }
}

/// A character key pressed without modifiers.
pub fn key(c: char) -> Msg {
    code(KeyCode::Char(c))
}

/// Any key pressed without modifiers.
pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}
