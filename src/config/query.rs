//! `[[query]]`: query feeds, newsboat's `"query:Name:filter"` lines. Each is a name and a
//! filter (the filter language of `ignore`); the feed list shows it with its unread count and
//! it opens like a feed, listing the articles its filter matches, newest first.

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use crate::filter::Filter;

/// A validated query feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryConfig {
    pub name: String,
    pub filter: Filter,
    /// Kept as written (newsboat's tags on a query line); not used by the feed list yet.
    pub tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuery {
    name: Spanned<String>,
    filter: Spanned<String>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Validates the `[[query]]` tables: a name each (no two alike), a filter that parses (an
/// error names the column in the filter); `invalid(offset, key, message)` places an error.
pub(super) fn validate(
    raw: Vec<RawQuery>,
    invalid: &dyn Fn(usize, &str, String) -> ConfigError,
) -> Result<Vec<QueryConfig>, ConfigError> {
    let mut out: Vec<QueryConfig> = Vec::with_capacity(raw.len());
    for q in raw {
        // Shown in the feed list: no control characters from the file reach the terminal.
        let name = crate::text::sanitize::sanitize_inline(q.name.get_ref().trim());
        if name.is_empty() {
            return Err(invalid(
                q.name.span().start,
                "name",
                "a query feed needs a name".into(),
            ));
        }
        if out.iter().any(|known| known.name == name) {
            return Err(invalid(
                q.name.span().start,
                "name",
                format!("a query feed named `{name}` is configured twice"),
            ));
        }
        let filter = Filter::parse(q.filter.get_ref()).map_err(|e| {
            invalid(
                q.filter.span().start,
                "filter",
                format!(
                    "`{}`: column {}: {}",
                    q.filter.get_ref(),
                    e.column,
                    e.message
                ),
            )
        })?;
        out.push(QueryConfig {
            name,
            filter,
            tags: q.tags,
        });
    }
    Ok(out)
}
