//! newsboat's query feeds and kill file, for `akhbar import`: `"query:Name:filter"` lines of
//! a `urls` file become query feeds (config `[[query]]`), and `ignore-article FEED FILTER`
//! lines of a newsboat `config` file become `ignore` filters (`"*"`: every feed; else that
//! feed's). Each filter is parsed here, so one akhbar cannot read is refused with the column
//! where it stops, never written into the config.

use super::tokenize;
use crate::filter::Filter;
use crate::text::sanitize::sanitize_inline;

/// A query feed from a `urls` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedQuery {
    pub name: String,
    pub filter: String,
    pub tags: Vec<String>,
}

/// An `ignore-article` line of a newsboat config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedIgnore {
    /// The feed's URL; `None` for newsboat's `"*"` (every feed).
    pub feed: Option<String>,
    pub filter: String,
}

/// What a newsboat file gave: the accepted entries, and (what, why) for each refused one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    pub accepted: Vec<T>,
    pub refused: Vec<(String, String)>,
    /// Lines understood but not carried over, said to the user (`ignore-mode "display"`).
    pub notes: Vec<String>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Parsed<T> {
        Parsed {
            accepted: Vec::new(),
            refused: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Whether a `urls` line's first token is a query feed (`query:Name:filter`).
pub fn is_query(url: &str) -> bool {
    url.get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("query:"))
}

/// Why a filter may not be imported, or None.
fn bad_filter(expr: &str) -> Option<String> {
    Filter::parse(expr).err().map(|e| {
        format!(
            "akhbar cannot read this filter: column {}: {}",
            e.column, e.message
        )
    })
}

/// The query feeds of a newsboat `urls` file: `"query:Name:filter" tag "~Title"`. The name
/// is what follows `query:` up to the next colon (the filter may hold colons, as in `age
/// between 0:7`); a `~Title` renames it; other tokens are tags (`!` is dropped: a query feed
/// is never hidden).
pub fn parse_queries(urls: &str) -> Parsed<ImportedQuery> {
    let mut out = Parsed::default();
    for line in urls.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut tokens = tokenize(line).into_iter();
        let Some(first) = tokens.next().filter(|t| is_query(t)) else {
            continue;
        };
        let shown = sanitize_inline(&first);
        let Some((name, filter)) = first.get(6..).and_then(|rest| rest.split_once(':')) else {
            out.refused
                .push((shown, "a query feed is written query:Name:filter".into()));
            continue;
        };
        let mut query = ImportedQuery {
            name: sanitize_inline(name),
            filter: sanitize_inline(filter),
            tags: Vec::new(),
        };
        for token in tokens {
            if let Some(title) = token.strip_prefix('~') {
                let title = sanitize_inline(title);
                if !title.is_empty() {
                    query.name = title;
                }
            } else if !token.starts_with('!') {
                let tag = sanitize_inline(&token);
                if !tag.is_empty() && !query.tags.contains(&tag) {
                    query.tags.push(tag);
                }
            }
        }
        if query.name.is_empty() {
            out.refused
                .push((shown, "a query feed needs a name".into()));
        } else if let Some(why) = bad_filter(&query.filter) {
            out.refused.push((shown, why));
        } else {
            out.accepted.push(query);
        }
    }
    out
}

/// The kill file of a newsboat `config` file: `ignore-article "*" "filter"` (every feed) and
/// `ignore-article "URL" "filter"` (one feed) lines; a line ending in `\` goes on on the next.
pub fn parse_ignores(config: &str) -> Parsed<ImportedIgnore> {
    let mut out = Parsed::default();
    let mut joined = String::new();
    for raw in config.lines() {
        // newsboat's line continuation.
        if let Some(head) = raw.trim_end().strip_suffix('\\') {
            joined.push_str(head);
            continue;
        }
        joined.push_str(raw);
        let line = std::mem::take(&mut joined);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let tokens = tokenize(line);
        match tokens.first().map(String::as_str) {
            Some("ignore-article") => {}
            Some("ignore-mode") => {
                if tokens.get(1).is_some_and(|m| m == "display") {
                    out.notes.push(
                        "ignore-mode \"display\": akhbar drops ignored articles when they are \
                         fetched (newsboat's \"download\" mode), so they are not kept either"
                            .into(),
                    );
                }
                continue;
            }
            _ => continue,
        }
        let shown = sanitize_inline(line);
        let (Some(feed), Some(filter), None) = (tokens.get(1), tokens.get(2), tokens.get(3)) else {
            out.refused.push((
                shown,
                "ignore-article takes a feed (or \"*\") and a filter".into(),
            ));
            continue;
        };
        let filter = sanitize_inline(filter);
        if let Some(why) = bad_filter(&filter) {
            out.refused.push((shown, why));
            continue;
        }
        let feed = sanitize_inline(feed);
        out.accepted.push(ImportedIgnore {
            feed: (feed != "*").then_some(feed),
            filter,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lines_split_at_the_first_colon_after_the_name() {
        let p = parse_queries(
            "https://a.example/rss\n\"query:Old:age between 0:7\" tech \"~Recent\"\n",
        );
        assert_eq!(
            p.accepted,
            [ImportedQuery {
                name: "Recent".into(),
                filter: "age between 0:7".into(),
                tags: vec!["tech".into()],
            }]
        );
        let p = parse_queries("query:nocolon\n\"query:Bad:title ==\"\n");
        assert_eq!(p.refused.len(), 2, "{p:?}");
        assert!(p.refused[1].1.contains("column"), "{p:?}");
    }

    #[test]
    fn ignore_lines_continue_after_a_backslash() {
        let p = parse_ignores(
            "ignore-article \"https://r.example/x.rss\" \\\n  \"title !# \\\"[OC]\\\" and \\\n  unread = \\\"yes\\\"\"\n",
        );
        assert_eq!(p.refused, []);
        assert_eq!(p.accepted.len(), 1);
        assert_eq!(
            p.accepted[0].feed.as_deref(),
            Some("https://r.example/x.rss")
        );
        assert!(p.accepted[0].filter.contains("[OC]"));
    }
}
