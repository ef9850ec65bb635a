//! Feed discovery from a web page's `<link rel="alternate">` tags.

use akhbar::feed::discover_feeds;

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
  <meta charset="utf-8">
  <title>صفحة</title>
  <link rel="stylesheet" href="/style.css">
  <link rel="alternate" type="application/rss+xml" title="أخبار  عاجلة" href="/rss.xml">
  <link rel="alternate" type="application/atom+xml" title="Atom" href="https://other.example/atom">
  <link rel="Alternate" type="application/feed+json" href="feed.json">
  <link rel="alternate" type="application/rss+xml" title="duplicate" href="https://example.org/rss.xml">
  <link rel="alternate" type="text/html" hreflang="en" href="/en/">
  <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><a href="/other.xml" type="application/rss+xml">not a link tag</a></body></html>"#;

#[test]
fn feeds_are_found_in_page_order_with_absolute_urls_and_titles() {
    let feeds = discover_feeds(PAGE, "https://example.org/news/today.html");
    assert_eq!(
        feeds,
        vec![
            (
                Some("أخبار عاجلة".to_string()),
                "https://example.org/rss.xml".to_string()
            ),
            (
                Some("Atom".to_string()),
                "https://other.example/atom".to_string()
            ),
            (None, "https://example.org/news/feed.json".to_string()),
        ]
    );
}

#[test]
fn a_base_element_changes_how_relative_links_resolve() {
    let html = r#"<head><base href="https://cdn.example/site/"><link rel="alternate" type="application/atom+xml" href="atom.xml"></head>"#;
    let feeds = discover_feeds(html, "https://example.org/");
    assert_eq!(
        feeds,
        vec![(None, "https://cdn.example/site/atom.xml".to_string())]
    );
}

#[test]
fn a_page_without_feed_links_gives_nothing() {
    assert!(discover_feeds("<html><body>hello</body></html>", "https://example.org/").is_empty());
    assert!(discover_feeds("", "not a url").is_empty());
}
