//! Server text made safe the way `feed::parse` makes feed text safe: one-line fields through
//! `sanitize_inline`, addresses through `sanitize_url`, HTML through `sanitize_block_owned`.

use crate::text::sanitize::{sanitize_block_owned, sanitize_inline, sanitize_url};

/// A title: never absent, maybe empty.
pub(crate) fn title(s: Option<String>) -> String {
    s.as_deref().map(sanitize_inline).unwrap_or_default()
}

/// A one-line field; empty is none.
pub(crate) fn inline(s: Option<String>) -> Option<String> {
    s.as_deref().map(sanitize_inline).filter(|s| !s.is_empty())
}

/// An address; empty is none.
pub(crate) fn url(s: Option<String>) -> Option<String> {
    s.as_deref().map(sanitize_url).filter(|s| !s.is_empty())
}

/// HTML content; blank is none.
pub(crate) fn html(s: Option<String>) -> Option<String> {
    s.map(sanitize_block_owned).filter(|s| !s.trim().is_empty())
}
