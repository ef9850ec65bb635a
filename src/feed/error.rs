//! Errors of the feed module: one clear line each, never holding a credential.

use thiserror::Error;

/// Why a feed body could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// Malformed XML, located by line (1-based) in the decoded text.
    #[error("line {line}: {message}")]
    Xml { line: u64, message: String },
    /// Malformed JSON Feed.
    #[error("JSON Feed: {0}")]
    Json(String),
    /// Well-formed, but not RSS, Atom or JSON Feed (e.g. an HTML page).
    #[error("not a feed: {0}")]
    NotAFeed(String),
    /// The body is empty.
    #[error("empty response")]
    Empty,
    /// The feed parser failed on this feed (a bug in it, caught).
    #[error("the feed parser failed on this feed")]
    Parser,
}

/// Why a fetch failed. URLs inside are always redacted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// The TCP (or proxy) connection was not established within the connect timeout.
    #[error("connect timed out after {0} s")]
    ConnectTimeout(u64),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("HTTP {code} {reason}")]
    Status { code: u16, reason: String },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("redirect without a valid Location header")]
    BadRedirect,
    #[error("response larger than {0} bytes, stopped")]
    TooLarge(u64),
    #[error("invalid URL {0}")]
    BadUrl(String),
    #[error("unsupported URL scheme in {0} (use http, https, file or exec)")]
    UnsupportedScheme(String),
    #[error("exec: feeds are only run when written in your own config file")]
    ExecNotAllowed,
    #[error("exec: {0}")]
    Exec(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Http(String),
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Why a web page (an article's link, fetched for its full text) could not be had.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PageError {
    /// Only web pages are fetched for their text: no `file:`, no `exec:`.
    #[error("only http and https pages are fetched, not {0}")]
    NotWeb(String),
    /// The server answered with something else than HTML (its media type).
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}
