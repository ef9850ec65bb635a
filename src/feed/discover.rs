//! Finds the feeds a web page advertises in `<link rel="alternate">` tags.

use scraper::{Html, Selector};
use url::Url;

use crate::text::sanitize::{sanitize_inline, sanitize_url};

/// Link types that announce a feed.
const FEED_TYPES: [&str; 4] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

/// Feeds linked from an HTML page: `(title, absolute url)` in page order, duplicates removed.
/// Relative hrefs are resolved against `<base href>` if present, else `base_url`.
pub fn discover_feeds(html: &str, base_url: &str) -> Vec<(Option<String>, String)> {
    let doc = Html::parse_document(html);
    let link_sel = Selector::parse("link[href]").expect("valid selector");
    let base_sel = Selector::parse("base[href]").expect("valid selector");
    let page = Url::parse(base_url).ok();
    let base = doc
        .select(&base_sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| match &page {
            Some(page) => page.join(href).ok(),
            None => Url::parse(href).ok(),
        })
        .or(page);
    let mut found: Vec<(Option<String>, String)> = Vec::new();
    for link in doc.select(&link_sel) {
        let el = link.value();
        let is_alternate = el.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("alternate"))
        });
        let mime = el.attr("type").map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        // `application/json` alone is too vague unless it says it is a JSON Feed.
        let is_feed = match mime.as_deref() {
            Some("application/json") => el
                .attr("title")
                .is_some_and(|t| t.to_ascii_lowercase().contains("feed")),
            Some(m) => FEED_TYPES.contains(&m),
            None => false,
        };
        if !is_alternate || !is_feed {
            continue;
        }
        let Some(href) = el.attr("href").map(str::trim).filter(|h| !h.is_empty()) else {
            continue;
        };
        let absolute = match &base {
            Some(base) => base.join(href).map(|u| u.to_string()),
            None => Url::parse(href).map(|u| u.to_string()),
        };
        let Ok(url) = absolute else { continue };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            continue;
        }
        let url = sanitize_url(&url);
        if found.iter().any(|(_, u)| *u == url) {
            continue;
        }
        let title = el
            .attr("title")
            .map(sanitize_inline)
            .filter(|t| !t.is_empty());
        found.push((title, url));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_feed_types_count() {
        let html = r#"<link rel="alternate" type="text/html" href="/en"><link rel="stylesheet" type="application/rss+xml" href="/x">"#;
        assert!(discover_feeds(html, "https://example.org/").is_empty());
    }
}
