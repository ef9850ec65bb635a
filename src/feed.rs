//! Fetching and parsing feeds: a tokio task owns the schedule and sends `PollEvent`s.
//!
//! Data flow: [`spawn_poller`] owns a schedule per feed, fetches (`fetch`) within overall and
//! per-host limits, parses off the async threads (`parse`, via `spawn_blocking`) and reports
//! each result as a [`crate::model::PollEvent`]. It never touches the store.
//!
//! Article pages (for their full text) are fetched through the same HTTP path by
//! [`PageFetcher`]; `crate::extract` decodes them and finds the article.

// Shared with `crate::extract`, which decodes HTML pages the same way.
mod base;
pub(crate) mod charset;
mod defuse;
pub mod discover;
mod enclosure;
pub mod error;
mod fetch;
mod limits;
mod options;
mod page;
mod parse;
mod poll;
mod recover;
pub mod schedule;
mod title;

pub use discover::discover_feeds;
pub use error::{FetchError, PageError, ParseError};
pub use limits::FetchLimits;
pub use options::PollOptions;
pub use page::{Page, PageFetcher};
pub use parse::{MAX_ITEMS, parse_feed, parse_feed_at};
pub use poll::{PollCmd, PollerHandle, refresh_once, refresh_stream, spawn_poller};
pub use title::MAX_TITLE_CHARS;
