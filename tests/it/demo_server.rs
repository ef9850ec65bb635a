//! The demo feeds and the loopback server that `akhbar --demo` reads: the feeds are complete
//! and valid, the server speaks enough HTTP for the poller, and breaking items show up.

use std::time::Duration;

use akhbar::demo::{DEMO_SPECS, DemoFormat, DemoServer, split_items, start_demo_server};
use akhbar::model::Direction;
use akhbar::text::doc::{Block, Content, Document, Nest};
use akhbar::text::html::parse_html;
use chrono::{SecondsFormat, Utc};
use feed_rs::model::{Entry, Feed};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// (status, ETag, body)
async fn get(url: &str, if_none_match: Option<&str>) -> (u16, Option<String>, String) {
    let mut req = client().get(url);
    if let Some(tag) = if_none_match {
        req = req.header("If-None-Match", tag);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let etag = resp
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, etag, resp.text().await.expect("body"))
}

fn parse(xml: &str) -> Feed {
    feed_rs::parser::parse(xml.as_bytes()).expect("feed parses")
}

async fn fetch_feed(server: &DemoServer, index: usize) -> Feed {
    let (status, _, body) = get(&server.feeds[index].url, None).await;
    assert_eq!(status, 200);
    parse(&body)
}

fn title(e: &Entry) -> String {
    e.title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

fn body_html(e: &Entry) -> String {
    e.content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default()
}

fn document(e: &Entry) -> Document {
    let base = e.links.first().map(|l| l.href.clone());
    parse_html(&body_html(e), base.as_deref())
}

/// The text of a block (none for rules and tables).
fn text(b: &Block) -> &str {
    match &b.content {
        Content::Paragraph(t)
        | Content::Heading(_, t)
        | Content::Caption(t)
        | Content::Preformatted(t) => t.as_str(),
        Content::Rule | Content::Table(_) => "",
    }
}

fn has_script(s: &str, range: std::ops::RangeInclusive<char>) -> bool {
    s.chars().any(|c| range.contains(&c))
}

const ARABIC: std::ops::RangeInclusive<char> = '\u{0600}'..='\u{06FF}';
const HEBREW: std::ops::RangeInclusive<char> = '\u{05D0}'..='\u{05EA}';

#[tokio::test]
async fn every_demo_feed_parses_with_at_least_twelve_complete_items() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    assert_eq!(server.feeds.len(), DEMO_SPECS.len());
    let now = Utc::now();
    for (i, spec) in DEMO_SPECS.iter().enumerate() {
        assert_eq!(
            server.feeds[i].url,
            format!("http://{}{}", server.addr, spec.path)
        );
        let feed = fetch_feed(&server, i).await;
        assert_eq!(
            feed.language.as_deref(),
            Some(spec.language),
            "{}",
            spec.path
        );
        assert!(
            feed.entries.len() >= 12,
            "{}: {}",
            spec.path,
            feed.entries.len()
        );
        for e in &feed.entries {
            let what = format!("{} {}", spec.path, e.id);
            assert!(!title(e).trim().is_empty(), "{what}: title");
            assert!(!e.authors.is_empty(), "{what}: author");
            assert!(!e.categories.is_empty(), "{what}: category");
            let published = e.published.unwrap_or_else(|| panic!("{what}: date"));
            assert!(published <= now, "{what}: dated in the future");
            assert!(
                now - published <= chrono::TimeDelta::days(2),
                "{what}: older than two days"
            );
            let doc = document(e);
            assert!(
                doc.blocks.len() >= 2,
                "{what}: {} paragraphs",
                doc.blocks.len()
            );
        }
    }
}

#[tokio::test]
async fn dates_are_spread_over_the_last_two_days() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let now = Utc::now();
    for i in 0..server.feeds.len() {
        let feed = fetch_feed(&server, i).await;
        let ages: Vec<i64> = feed
            .entries
            .iter()
            .filter_map(|e| e.published)
            .map(|d| (now - d).num_hours())
            .collect();
        assert!(
            ages.iter().any(|&h| h < 1),
            "{}: nothing fresh",
            server.feeds[i].path
        );
        assert!(
            ages.iter().any(|&h| h >= 36),
            "{}: nothing old",
            server.feeds[i].path
        );
    }
}

#[tokio::test]
async fn titles_are_in_the_feeds_script_and_mix_in_latin_and_digits() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    // (feed index, script)
    for (i, script) in [(0, ARABIC), (1, ARABIC), (2, HEBREW)] {
        let feed = fetch_feed(&server, i).await;
        let titles: Vec<String> = feed.entries.iter().map(title).collect();
        for t in &titles {
            assert!(has_script(t, script.clone()), "{t}");
        }
        let mixed = titles
            .iter()
            .filter(|t| t.chars().any(|c| c.is_ascii_alphabetic()))
            .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
            .count();
        assert!(
            mixed >= 2,
            "{}: {mixed} titles with Latin and digits",
            server.feeds[i].path
        );
        let bracketed = titles
            .iter()
            .filter(|t| t.contains(['(', '«', '"']))
            .count();
        assert!(
            bracketed >= 2,
            "{}: brackets and quotes",
            server.feeds[i].path
        );
    }
}

#[tokio::test]
async fn arabic_bodies_have_quotes_lists_links_an_ltr_paragraph_and_a_digits_only_one() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let feed = fetch_feed(&server, 0).await;
    let first = document(&feed.entries[0]);
    assert!(
        first.blocks.iter().any(|b| b.nest.contains(&Nest::Quote)),
        "a quote: {first:?}"
    );
    assert!(
        first.blocks.iter().any(|b| b.marker.is_some()),
        "a list item: {first:?}"
    );
    assert!(!first.links.is_empty());
    assert!(
        first
            .links
            .iter()
            .all(|l| l.starts_with("https://example.org/"))
    );
    let ltr: Vec<&str> = first
        .blocks
        .iter()
        .filter(|b| b.dir == Direction::Ltr)
        .map(text)
        .collect();
    assert!(ltr.iter().any(|t| t.starts_with("\"This is")), "{ltr:?}");
    assert!(
        first
            .blocks
            .iter()
            .any(|b| !text(b).chars().any(char::is_alphabetic)
                && text(b).chars().any(|c| c.is_ascii_digit())),
        "a paragraph of digits only"
    );
    // A relative link in a later article resolves against the article's link.
    let relative = feed
        .entries
        .iter()
        .flat_map(|e| document(e).links)
        .any(|l| l == "https://example.org/ar/city/electric-buses/map");
    assert!(relative);
}

#[tokio::test]
async fn english_feed_quotes_an_arabic_phrase_as_rtl() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let feed = fetch_feed(&server, 3).await;
    let quoting: Vec<Document> = feed
        .entries
        .iter()
        .filter(|e| has_script(&body_html(e), ARABIC))
        .map(document)
        .collect();
    assert!(!quoting.is_empty());
    let doc = &quoting[0];
    assert!(
        doc.blocks.iter().any(|b| text(b).contains('\u{2067}')),
        "an RLI isolate"
    );
    assert!(
        doc.blocks
            .iter()
            .any(|b| b.dir == Direction::Rtl && b.lang.as_deref() == Some("ar"))
    );
}

#[tokio::test]
async fn every_breaking_file_is_a_feed_of_six_or_more_complete_items() {
    let now = Utc::now();
    for spec in DEMO_SPECS {
        let date = match spec.format {
            DemoFormat::Rss => now.to_rfc2822(),
            DemoFormat::Atom => now.to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        let feed = parse(&spec.breaking.replace("{{now}}", &date));
        assert!(feed.entries.len() >= 6, "{}", spec.path);
        assert_eq!(
            split_items(spec.breaking, spec.format).len(),
            feed.entries.len()
        );
        for e in &feed.entries {
            assert!(!title(e).is_empty());
            assert!(e.published.is_some());
            assert!(!document(e).blocks.is_empty(), "{}", e.id);
        }
    }
}

#[test]
fn feed_files_stay_under_60_kb() {
    for spec in DEMO_SPECS {
        assert!(
            spec.base.len() < 60_000,
            "{}: {}",
            spec.path,
            spec.base.len()
        );
        assert!(spec.breaking.len() < 60_000, "{}", spec.path);
    }
}

#[tokio::test]
async fn a_get_returns_200_with_an_etag_and_the_same_etag_returns_304() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let url = &server.feeds[1].url;
    let (status, etag, body) = get(url, None).await;
    assert_eq!(status, 200);
    assert!(!body.is_empty());
    let etag = etag.expect("an ETag");
    let (status, again, body) = get(url, Some(&etag)).await;
    assert_eq!(status, 304);
    assert_eq!(again.as_deref(), Some(etag.as_str()));
    assert!(body.is_empty());
    let (status, _, _) = get(url, Some("\"something-else\"")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let (status, _, _) = get(&format!("http://{}/nope.xml", server.addr), None).await;
    assert_eq!(status, 404);
    let resp = client()
        .post(&server.feeds[0].url)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 405);
}

#[tokio::test]
async fn after_publish_every_the_first_feed_has_one_more_valid_item() {
    let every = Duration::from_millis(200);
    let server = start_demo_server(every).await.expect("server");
    let spec = &DEMO_SPECS[0];
    let base = split_items(spec.base, spec.format).len();
    // Wait for the event, not for a time: the bound only stops a broken server hanging the test.
    let mut feed = fetch_feed(&server, 0).await;
    for _ in 0..200 {
        if feed.entries.len() > base {
            break;
        }
        tokio::time::sleep(every / 4).await;
        feed = fetch_feed(&server, 0).await;
    }
    assert!(feed.entries.len() > base, "no item was published");
    let newest = &feed.entries[0];
    let first_breaking = split_items(spec.breaking, spec.format)[0];
    assert!(
        first_breaking.contains(&format!(">{}<", newest.id)),
        "{}",
        newest.id
    );
    assert!(title(newest).starts_with("عاجل"));
    let age = Utc::now() - newest.published.expect("dated");
    assert!(age >= chrono::TimeDelta::zero() && age < chrono::TimeDelta::minutes(5));
    assert!(!document(newest).blocks.is_empty());
}

#[tokio::test]
async fn publishing_goes_round_robin_and_changes_the_etag() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let mut before = Vec::new();
    for f in &server.feeds {
        let (_, etag, body) = get(&f.url, None).await;
        before.push((etag.expect("etag"), parse(&body).entries.len()));
    }
    let paths: Vec<&str> = (0..server.feeds.len())
        .map(|_| server.publish_next())
        .collect();
    assert_eq!(
        paths,
        server.feeds.iter().map(|f| f.path).collect::<Vec<_>>()
    );
    for (f, (etag, count)) in server.feeds.iter().zip(before) {
        let (status, new_etag, body) = get(&f.url, Some(&etag)).await;
        assert_eq!(status, 200, "{}: the old ETag no longer matches", f.path);
        assert_ne!(new_etag.as_deref(), Some(etag.as_str()));
        assert_eq!(parse(&body).entries.len(), count + 1, "{}", f.path);
    }
}

#[tokio::test]
async fn breaking_items_come_round_again_with_new_ids() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let per_round: usize = DEMO_SPECS
        .iter()
        .map(|s| split_items(s.breaking, s.format).len())
        .max()
        .unwrap_or(0);
    for _ in 0..(per_round + 2) * DEMO_SPECS.len() {
        server.publish_next();
    }
    for i in 0..server.feeds.len() {
        let feed = fetch_feed(&server, i).await;
        let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{}: duplicate ids", server.feeds[i].path);
    }
}

#[tokio::test]
async fn stop_closes_the_port() {
    let server = start_demo_server(Duration::ZERO).await.expect("server");
    let addr = server.addr;
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    server.stop();
    let mut closed = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed, "still accepting after stop");
}
