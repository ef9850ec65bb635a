//! Feed lists in and out: OPML with nested folders, newsboat `urls` files, and nothing that
//! runs a command ever gets through an import.

use akhbar::opml::{self, ImportedFeed, OpmlError};

const NESTED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/persist/nested.opml"
));
const URLS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/persist/urls"
));

fn feed(url: &str, title: Option<&str>, tags: &[&str], hidden: bool) -> ImportedFeed {
    ImportedFeed {
        url: url.into(),
        title: title.map(Into::into),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        hidden,
    }
}

#[test]
fn nested_outlines_become_tags_and_missing_titles_are_fine() {
    let (feeds, _) = opml::import_file(NESTED).unwrap();
    assert_eq!(
        feeds,
        vec![
            feed(
                "https://www.aljazeera.net/rss",
                Some("الجزيرة"),
                &["News", "عربي"],
                false
            ),
            feed(
                "https://example.org/untitled.xml",
                None,
                &["News", "عربي"],
                false
            ),
            feed(
                "https://feeds.bbci.co.uk/news/world/rss.xml",
                Some("BBC World"),
                &["News", "world", "intl"],
                false
            ),
            feed(
                "http://plain.example.com/feed",
                Some("In an untitled folder"),
                &[],
                false
            ),
            feed("file:///home/me/local.xml", Some("Top level"), &[], false),
        ]
    );
}

#[test]
fn commands_and_unknown_schemes_in_opml_are_refused_with_reasons() {
    let (_, refused) = opml::import_file(NESTED).unwrap();
    let urls: Vec<&str> = refused.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "exec:~/bin/scrape.sh",
            "filter:~/bin/f.sh:https://example.org/x",
            "|curl -s https://example.org | grep x",
            "gopher://example.org/1"
        ]
    );
    assert!(refused[0].1.contains("runs a command"), "{}", refused[0].1);
    assert!(refused[2].1.contains("runs a command"), "{}", refused[2].1);
    assert!(
        refused[1].1.contains("import or add https://example.org/x"),
        "{}",
        refused[1].1
    );
    assert!(refused[3].1.contains("gopher"), "{}", refused[3].1);
}

#[test]
fn a_newsboat_urls_file_gives_tags_titles_and_hidden_feeds() {
    let (feeds, refused) = opml::import_file(URLS).unwrap();
    assert_eq!(
        feeds,
        vec![
            feed(
                "https://www.aljazeera.net/rss",
                Some("الجزيرة نت"),
                &["news", "عربي"],
                false
            ),
            feed(
                "https://feeds.bbci.co.uk/news/world/rss.xml",
                Some("BBC: \"World\""),
                &["news", "world news"],
                false
            ),
            feed("http://hidden.example.org/feed.xml", None, &["tech"], true),
            feed("https://example.org/plain.xml", None, &[], false),
        ]
    );
    let refused: Vec<(&str, &str)> = refused
        .iter()
        .map(|(u, r)| (u.as_str(), r.as_str()))
        .collect();
    // The query line is no feed and not refused: it becomes a query feed (issue 12).
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert_eq!(
        opml::newsboat::parse_queries(URLS).accepted[0].name,
        "Unread Articles"
    );
    assert_eq!(refused[0].0, "exec:~/bin/make-feed.sh");
    assert_eq!(refused[1].0, "|cat /etc/passwd");
    assert!(refused[2].0.starts_with("filter:"));
    assert!(
        refused[0..2]
            .iter()
            .all(|(_, r)| r.contains("runs a command"))
    );
    // Issue 10 item 13: a filter: line said to add it by hand, which the config refuses;
    // now it names the feed's own address to import instead.
    assert!(
        refused[2].1.contains("filter scripts are not run") && !refused[2].1.contains("by hand"),
        "{}",
        refused[2].1
    );
    assert!(
        refused[1].1.contains("as `exec:cat /etc/passwd`"),
        "{}",
        refused[1].1
    );
}

#[test]
fn parsing_keeps_every_entry_and_only_the_import_refuses() {
    // The parsers report what the file says; the refusal is one place, in import_file.
    let all = opml::parse_newsboat_urls(URLS);
    assert_eq!(all.len(), 8);
    assert!(all.iter().any(|f| f.url.starts_with("exec:")));
    assert_eq!(opml::parse_opml(NESTED).unwrap().len(), 9);
}

#[test]
fn credentials_in_refused_urls_are_hidden() {
    let (_, refused) = opml::import_file("gopher://me:secret@example.org/1\n").unwrap();
    assert_eq!(refused[0].0, "gopher://***@example.org/1");
}

#[test]
fn exported_opml_reads_back_the_same_feeds() {
    let list = vec![
        (
            "https://www.aljazeera.net/rss?a=1&b=2".to_owned(),
            Some("الجزيرة <نت> & \"more\"".to_owned()),
            vec!["news".to_owned(), "عربي".to_owned()],
        ),
        (
            "https://example.org/untitled.xml".to_owned(),
            None,
            Vec::new(),
        ),
    ];
    let text = opml::export_opml(&list);
    assert!(text.contains("<opml version=\"2.0\">"), "{text}");
    let (back, refused) = opml::import_file(&text).unwrap();
    assert!(refused.is_empty());
    let back: Vec<(String, Option<String>, Vec<String>)> =
        back.into_iter().map(|f| (f.url, f.title, f.tags)).collect();
    assert_eq!(back, list);
}

#[test]
fn a_tag_with_a_comma_survives_export_as_one_tag() {
    let list = vec![("https://e.org/f".to_owned(), None, vec!["a,b".to_owned()])];
    let (back, _) = opml::import_file(&opml::export_opml(&list)).unwrap();
    assert_eq!(back[0].tags, ["a b"]);
}

#[test]
fn broken_or_foreign_xml_is_an_error() {
    assert!(
        matches!(opml::parse_opml("<rss><channel/></rss>"), Err(OpmlError::NotOpml(name)) if name == "rss")
    );
    assert!(matches!(
        opml::parse_opml("<opml><body><outline></body></opml>"),
        Err(OpmlError::Xml(_))
    ));
    assert!(opml::import_file("<opml><body><outline xmlUrl=\"https://e.org\"></body>").is_err());
}

#[test]
fn blank_lines_comments_and_a_byte_order_mark_are_skipped() {
    let (feeds, refused) =
        opml::import_file("\u{feff}# only\n\n   \nhttps://e.org/a.xml\n").unwrap();
    assert_eq!(feeds, vec![feed("https://e.org/a.xml", None, &[], false)]);
    assert!(refused.is_empty());
}
