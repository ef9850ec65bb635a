//! Why a full article could not be had: one clear line each, never holding a credential.

use thiserror::Error;

use crate::feed::PageError;

/// Why [`crate::extract`] found no article. The feed's own text stays in place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExtractError {
    /// The page could not be fetched (a timeout, an HTTP error, too large), or is not HTML.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The page has no article: an index of links, a login wall, an empty shell.
    #[error("no article found on the page")]
    NoArticle,
    /// More elements than extraction works through (a freeze, not an article).
    #[error("page too big to extract: {elements} elements (at most {max})")]
    TooBig { elements: usize, max: usize },
    /// Nested deeper than extraction goes (a trap, not an article).
    #[error("page nested too deeply to extract (more than {max} levels)")]
    TooDeep { max: usize },
    /// The extractor failed on this page (it is caught, logged, and reported here).
    #[error("extraction failed: {0}")]
    Failed(String),
}
