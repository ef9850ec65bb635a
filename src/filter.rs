//! The filter language (newsboat's, for the common cases): `unread = "yes" and title =~
//! "rust"`, `age between 0:7`, `tags # "tech"`. Parsed once into a checked tree, evaluated
//! against a borrowed [`Fields`] with the time the caller gives; no store, no app, no clock.
//!
//! | attribute | what | operators |
//! |---|---|---|
//! | `title`, `content`, `author`, `link`, `feedtitle`, `feedurl` (or `rssurl`), `guid` | text (`content` is the body as plain text) | `=` `==` `!=` `=~` `!~` `#` `!#` |
//! | `tags` | the feed's tags, space-separated | the same; `#` / `!#`: has / has not the tag |
//! | `flags` | `"s"` for a starred article (akhbar has no other flags) | the same |
//! | `unread`, `starred` | `"yes"` / `"no"` (also `"true"`/`"false"`, `1`/`0`); alone, `unread` means `unread = "yes"` | `=` `!=` |
//! | `age` | whole days since the article's date | `=` `!=` `<` `>` `<=` `>=` `between a:b` (inclusive, either order) |
//! | `date` | the date as newsboat writes it (`Thu, 01 Jan 1970 00:00:01 +0000`, UTC) | text operators; and `<` `>` `<=` `>=` with `"2025-01-31"` or `"2025-01-31 18:30"` (UTC) |
//!
//! Joined with `and`, `or`, `not` (or `!`) and parentheses. `and` and `or` have equal
//! precedence and group to the right, as in newsboat: `a and b or c` means `a and (b or c)`.
//! Strings are double-quoted, `\"` is a quote and `\\` a backslash; a regular expression
//! (Rust's `regex` syntax, close to POSIX ERE for the common cases) keeps its backslashes.
//!
//! Text is compared folded (`text::fold`): `title = "Café"` matches `CAFE`, `title =~ "يحسن"`
//! matches `يُحسِّن`, on both sides. Regular expressions are case-insensitive (as newsboat's)
//! and limited in size.

mod ast;
mod error;
mod eval;
mod lexer;
mod parser;

use chrono::{DateTime, Utc};

pub use ast::Attr;
pub use error::FilterError;
pub use eval::Fields;

use crate::text::fold::FoldOptions;

/// A parsed, checked filter.
#[derive(Clone, Debug)]
pub struct Filter {
    root: ast::Node,
    opts: FoldOptions,
    source: String,
}

/// Two filters are the same when written the same with the same folding (the parse is a
/// function of those): the config compares equal across reloads.
impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.source == other.source && self.opts == other.opts
    }
}

impl Eq for Filter {}

impl Filter {
    /// Parses with the default folding.
    pub fn parse(expr: &str) -> Result<Filter, FilterError> {
        Filter::parse_with(expr, FoldOptions::default())
    }

    /// Parses, folding the filter's text (and, when it runs, the articles' text) with `opts`.
    pub fn parse_with(expr: &str, opts: FoldOptions) -> Result<Filter, FilterError> {
        Ok(Filter {
            root: parser::parse(expr, opts)?,
            opts,
            source: expr.to_string(),
        })
    }

    /// Whether the article matches, `now` being the time `age` counts from.
    pub fn matches(&self, fields: &Fields<'_>, now: DateTime<Utc>) -> bool {
        eval::matches(&self.root, fields, now, self.opts)
    }

    /// Whether the filter looks at `attr` (an app can skip loading bodies for a filter that
    /// never tests `content`).
    pub fn uses(&self, attr: Attr) -> bool {
        let mut stack = vec![&self.root];
        while let Some(node) = stack.pop() {
            match node {
                ast::Node::And(v) | ast::Node::Or(v) => stack.extend(v),
                ast::Node::Not(inner) => stack.push(inner),
                ast::Node::Test(t) if t.attr == attr => return true,
                ast::Node::Test(_) => {}
            }
        }
        false
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }
}

#[cfg(test)]
mod tests;
