//! The entry points the fuzz targets (`fuzz/fuzz_targets/`) drive, each running one parser of
//! untrusted input the way the app runs it and checking, in place, what must hold for every
//! input: a violated invariant panics, which the fuzzer reports as a crash. Not an API: the
//! names and shapes change with the targets.

use chrono::{DateTime, TimeZone, Utc};

use crate::config::Config;
use crate::filter::{Fields, Filter};
use crate::model::Direction;
use crate::store::Store;
use crate::text::html::parse_html;
use crate::text::layout::{LayoutContext, layout_document};
use crate::text::sanitize::{is_bidi_control, is_c0_c1, is_override_control};
use crate::text::{BidiMode, TextOptions, VisualLine, layout_field, trace_paragraph};

/// A fixed time: the targets must be deterministic, so a crash replays.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

/// Panics unless `s` is safe to put on a terminal: no C0/C1 control, no bidi control.
pub fn assert_clean(what: &str, s: &str) {
    if let Some(c) = s.chars().find(|&c| is_c0_c1(c) || is_bidi_control(c)) {
        panic!("{what} carries {c:?}: {s:?}");
    }
}

/// Panics unless `s` is fit to store as a text field: no C0/C1 control (line feeds allowed
/// in a body) and no bidi embedding or override (marks and isolates are honoured inside one
/// paragraph by the layout, which removes them from what it draws).
fn assert_stored(what: &str, s: &str, body: bool) {
    if let Some(c) = s
        .chars()
        .find(|&c| (is_c0_c1(c) && !(body && c == '\n')) || is_override_control(c))
    {
        panic!("{what} carries {c:?}: {s:?}");
    }
}

/// Panics unless a drawn line fits `width`, its clusters add up, and it carries no control.
pub fn check_visual_line(line: &VisualLine, width: usize) {
    assert!(
        line.width <= width,
        "a line of {} cells at width {width}: {:?}",
        line.width,
        line.text
    );
    let sum: usize = line.clusters.iter().map(|&(_, w)| usize::from(w)).sum();
    assert_eq!(sum, line.width, "cluster widths do not add up");
    let mut start = 0;
    for &(end, w) in &line.clusters {
        assert!(
            end > start && line.text.is_char_boundary(end),
            "bad cluster end"
        );
        assert!((1..=2).contains(&w), "a cluster {w} cells wide");
        start = end;
    }
    assert_eq!(start, line.text.len(), "clusters do not cover the text");
    assert_clean("a drawn line", &line.text);
}

/// Options and a width from the first bytes of the input; the rest is the text.
fn text_setup(data: &[u8]) -> Option<(TextOptions, Direction, bool, usize, &str)> {
    let (&[a, b], rest) = data.split_first_chunk::<2>()?;
    let mode = match a % 3 {
        0 => BidiMode::App,
        1 => BidiMode::Terminal,
        _ => BidiMode::Off,
    };
    let dir = match (a / 3) % 3 {
        0 => Direction::Auto,
        1 => Direction::Ltr,
        _ => Direction::Rtl,
    };
    let opts = TextOptions {
        mode,
        shaping: a & 0x40 != 0,
    };
    let text = std::str::from_utf8(rest).ok()?;
    Some((opts, dir, a & 0x80 != 0, usize::from(b % 90), text))
}

/// The text pipeline (sanitize, direction, shaping, wrap, reorder, mirror) on one paragraph
/// and on a one-line field: every line fits, carries no control or bidi control, and (at a
/// width every cluster fits in) shows each visible cluster of the prepared text exactly once,
/// the lines in logical order and each line a permutation of its logical clusters.
pub fn text_pipeline(data: &[u8]) {
    let Some((opts, dir, fallback, width, text)) = text_setup(data) else {
        return;
    };
    let trace = trace_paragraph(text, dir, fallback, width, &opts);
    assert!(!trace.lines.is_empty(), "no line for a paragraph");
    let mut last_end = 0;
    for line in &trace.lines {
        check_visual_line(&line.line, width);
        assert!(line.logical.start >= last_end, "lines overlap");
        last_end = line.logical.end;
        if width < 2 {
            // A cluster two cells wide cannot be shown at width 1 and is left out.
            continue;
        }
        let cells: Vec<&str> = line.line.cells().map(|(g, _)| g).collect();
        assert_eq!(cells.len(), line.visual.len(), "a cluster without a source");
        let mut order: Vec<usize> = (0..cells.len()).collect();
        order.sort_by_key(|&i| line.visual[i].start);
        let mut at = line.logical.start;
        for &i in &order {
            let src = &line.visual[i];
            assert!(src.start >= at, "clusters overlap");
            assert!(
                trace.text[at..src.start].chars().all(is_dropped),
                "a visible char was lost: {:?}",
                &trace.text[at..src.start]
            );
            at = src.end;
        }
        assert!(
            trace.text[at..line.logical.end.max(at)]
                .chars()
                .all(is_dropped),
            "a visible char was lost at the end of a line"
        );
    }
    let field = layout_field(text, dir, fallback, width, &opts);
    check_visual_line(&field, width);
}

/// Chars the engine never draws (its own list: controls, bidi controls, zero-width format
/// characters such as the deprecated U+206A-U+206F, found by fuzzing:
/// `escapes_bidi_controls_and_c1_together_lose_no_visible_char`), and whitespace (dropped
/// where a line breaks).
fn is_dropped(c: char) -> bool {
    crate::text::cluster::is_invisible(c) || c.is_whitespace()
}

/// An article body: HTML -> document -> lines at a width from the first byte. Every line fits
/// and carries no control; link targets carry none either.
pub fn html_layout(data: &[u8]) {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let html = String::from_utf8_lossy(rest);
    let doc = parse_html(&html, Some("https://example.org/a/b.html"));
    for link in &doc.links {
        assert_clean("a link", link);
    }
    let width = usize::from(w % 120);
    let ctx = LayoutContext {
        dir: Direction::Auto,
        fallback_rtl: w & 0x80 != 0,
        opts: TextOptions::default(),
    };
    for line in layout_document(&doc, width, &ctx) {
        assert!(line.width <= width, "a document line wider than {width}");
        let sum: usize = line.spans.iter().map(|s| s.text.width).sum();
        assert_eq!(sum, line.width, "span widths do not add up");
        for span in &line.spans {
            check_visual_line(&span.text, width);
        }
    }
}

/// An article page as the full-text path runs it: bytes (the charset from the `Content-Type`
/// the first byte picks, else the BOM and `<meta>`) -> extraction (Readability, metadata,
/// sanitizing) -> what the reader keeps -> the reader's document -> lines at a width (the
/// first byte again). The extractor runs without the guard the app puts around it, so a panic
/// inside it is a crash here; every field is clean and every line fits.
pub fn extract(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let content_type = match pick % 4 {
        0 => None,
        1 => Some("text/html"),
        2 => Some("text/html; charset=windows-1256"),
        _ => Some("text/html; charset=utf-16"),
    };
    let page = crate::feed::Page {
        url: "https://example.org/news/2026/12/article.html".into(),
        content_type: content_type.map(str::to_owned),
        body: body.to_vec().into(),
    };
    let Ok(article) = crate::extract::extract_unguarded(&page) else {
        return;
    };
    assert_clean("the page's URL", &article.url);
    for field in [
        &article.title,
        &article.author,
        &article.site_name,
        &article.language,
    ]
    .into_iter()
    .flatten()
    {
        assert_stored("an extracted field", field, false);
    }
    assert_stored("the extracted article", &article.html, true);
    if let Some(image) = &article.lead_image {
        assert_clean("the lead image", &image.url);
        for text in [&image.alt, &image.caption].into_iter().flatten() {
            assert_stored("the lead image's text", text, false);
        }
    }
    let full = article.into_full_text();
    let doc = parse_html(&full.html, Some(&page.url));
    for link in &doc.links {
        assert_clean("a link", link);
    }
    let width = usize::from(pick >> 2) % 120;
    let ctx = LayoutContext {
        dir: full.direction.unwrap_or(Direction::Auto),
        fallback_rtl: pick & 0x80 != 0,
        opts: TextOptions::default(),
    };
    for line in layout_document(&doc, width, &ctx) {
        assert!(line.width <= width, "a document line wider than {width}");
        for span in &line.spans {
            check_visual_line(&span.text, width);
        }
    }
}

/// Feed bytes as the poller hands them over (charset from an optional `Content-Type`, else
/// the BOM and declaration) -> parse -> ingest twice (the second fetch changes nothing). The
/// first byte picks the `Content-Type`. Every stored field is clean.
pub fn feed(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let content_type = match pick % 6 {
        0 => None,
        1 => Some("application/rss+xml"),
        2 => Some("text/xml; charset=windows-1256"),
        3 => Some("application/atom+xml; charset=utf-16"),
        4 => Some("application/feed+json; charset=utf-8"),
        _ => Some("text/html; charset=iso-8859-1"),
    };
    let parsed = crate::feed::parse_feed(body, content_type);
    // A panic of feed-rs is caught (the feed fails), but it is still a bug to defuse before
    // feed-rs runs (`feed::defuse`): the whole feed is lost.
    assert!(
        !matches!(parsed, Err(crate::feed::ParseError::Parser)),
        "feed-rs panicked on this input (caught)"
    );
    let Ok(parsed) = parsed else {
        return;
    };
    if let Some(title) = &parsed.title {
        assert_stored("a feed title", title, false);
    }
    for item in &parsed.items {
        assert_stored("an item title", &item.title, false);
        for field in [&item.author, &item.guid].into_iter().flatten() {
            assert_stored("an item field", field, false);
        }
        if let Some(link) = &item.link {
            assert_clean("an item link", link);
        }
        for field in [&item.summary_html, &item.content_html]
            .into_iter()
            .flatten()
        {
            assert_stored("an item body", field, true);
        }
    }
    let mut store = Store::new();
    let id = store.add_feed(
        "https://example.org/feed",
        None,
        Vec::new(),
        Direction::Auto,
    );
    let first = store.ingest(id, parsed.clone(), now());
    let again = store.ingest(id, parsed, now());
    assert_eq!(again.new_articles, 0, "the same fetch twice added articles");
    assert_eq!(
        first.new_articles,
        store.newest(usize::MAX).len(),
        "new articles and stored ones differ"
    );
}

/// A config file: parsed and validated, never a panic.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Config::parse(std::path::Path::new("fuzz.toml"), text);
}

/// An imported feed list (OPML or newsboat `urls`): nothing accepted runs a command or uses
/// another scheme, and nothing accepted carries a control.
pub fn import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::opml::parse_newsboat_urls(&text);
    let Ok((accepted, refused)) = crate::opml::import_file(&text) else {
        return;
    };
    for feed in &accepted {
        let scheme = feed
            .url
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase());
        assert!(
            matches!(scheme.as_deref(), Some("http" | "https" | "file")),
            "accepted {:?}",
            feed.url
        );
        assert_clean("an imported URL", &feed.url);
        if let Some(title) = &feed.title {
            assert_stored("an imported title", title, false);
        }
    }
    for (url, _) in &refused {
        assert_stored("a refused URL", url, false);
    }
}

/// The sync services' JSON answers (TT-RSS envelopes and rows, Fever answers): read
/// leniently, and every text that leaves the sync module is clean.
pub fn sync_answers(data: &[u8]) {
    for article in crate::sync::fuzzing::answers(data) {
        assert_stored("a synced title", &article.title, false);
        for field in [&article.author, &article.guid].into_iter().flatten() {
            assert_stored("a synced field", field, false);
        }
        if let Some(link) = &article.link {
            assert_clean("a synced link", link);
        }
        if let Some(body) = &article.content_html {
            assert_stored("a synced body", body, true);
        }
    }
}

/// A filter expression: parsed, and when it parses, run against an article.
pub fn filter(data: &[u8]) {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(filter) = Filter::parse(expr) else {
        return;
    };
    let tags = vec!["tech".to_string(), "عربي".to_string()];
    let fields = Fields {
        title: "خبر عاجل: Rust 2.0",
        content: "نص المقالة body text",
        author: "author",
        link: "https://example.org/a",
        feed_title: "Feed",
        feed_url: "https://example.org/feed",
        key: "guid-1",
        tags: &tags,
        unread: true,
        starred: false,
        date: now(),
        folded_title: None,
        folded_content: None,
    };
    let _ = filter.matches(&fields, now());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_points_take_the_shipped_seeds_without_a_violation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["tests/fixtures/feeds", "config/demo"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let body = std::fs::read(entry.unwrap().path()).unwrap();
                let mut data = vec![0];
                data.extend_from_slice(&body);
                feed(&data);
            }
        }
        for entry in std::fs::read_dir(root.join("tests/fixtures/pages")).unwrap() {
            let body = std::fs::read(entry.unwrap().path()).unwrap();
            let mut data = vec![60];
            data.extend_from_slice(&body);
            html_layout(&data);
        }
        text_pipeline("\x00\x0aمرحبا بالعالم hello (world) 123".as_bytes());
        import(b"https://example.org/feed\n|rm -rf ~\nexec:/bin/sh\n");
        filter(b"unread = \"yes\" and title =~ \"rust\"");
        config(b"[ui]\n");
        sync_answers(br#"{"api_version":3,"auth":1,"items":[{"id":1,"feed_id":2}]}"#);
    }

    #[test]
    #[should_panic(expected = "carries")]
    fn a_control_in_a_drawn_line_is_a_violation() {
        let mut line = VisualLine::default();
        line.text.push_str("a\u{1b}");
        line.clusters.push((2, 1));
        line.width = 1;
        check_visual_line(&line, 5);
    }
}
