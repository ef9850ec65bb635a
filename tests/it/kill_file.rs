//! The kill file (issue 12): `ignore` filters, top-level and per feed, drop matching articles
//! at ingest, so they are never shown, counted or kept; a filter that does not parse is a
//! config error naming the line, the key and the column.

use std::path::Path;

use akhbar::config::{Config, ConfigError};
use akhbar::model::Direction;
use akhbar::store::Store;
use chrono::Utc;

use crate::support::builders::{parsed_feed, parsed_item};

const CONFIG: &str = r#"
ignore = ['title =~ "sponsored"']

[[feed]]
url = "https://a.example.org/feed"

[[feed]]
url = "https://b.example.org/feed"
ignore = ['author = "bot"', 'content =~ "casino"']
"#;

fn store_from(config: &Config) -> Store {
    let mut store = akhbar::runtime::store_for(&config.feeds);
    store.set_ignore(config.ignore.clone());
    store
}

/// The titles in the store, sorted.
fn titles(store: &Store) -> Vec<String> {
    let mut t: Vec<String> = store
        .order()
        .iter()
        .map(|&id| store.article(id).unwrap().title().to_owned())
        .collect();
    t.sort();
    t
}

#[test]
fn an_ignored_article_is_never_taken_in_nor_counted() {
    let config = Config::parse(Path::new("config.toml"), CONFIG).unwrap();
    assert_eq!(config.ignore.len(), 1);
    assert_eq!(config.feeds[1].ignore.len(), 2);
    let mut store = store_from(&config);
    let (a, b) = (store.feeds()[0].id, store.feeds()[1].id);
    let now = Utc::now();
    let mut bot = parsed_item("b2", "Daily digest");
    bot.author = Some("bot".into());
    let mut casino = parsed_item("b3", "Big win");
    casino.content_html = Some("<p>Visit our <b>Casino</b> today</p>".into());
    store.ingest(
        a,
        parsed_feed(vec![
            parsed_item("a1", "Rust 1.95 released"),
            parsed_item("a2", "SPONSORED: buy a phone"),
            // Per-feed rules of feed b do not apply to feed a.
            {
                let mut i = parsed_item("a3", "Bot news");
                i.author = Some("bot".into());
                i
            },
        ]),
        now,
    );
    store.ingest(
        b,
        parsed_feed(vec![
            parsed_item("b1", "Weather report"),
            bot,
            casino,
            parsed_item("b4", "A sponsored post"),
        ]),
        now,
    );
    assert_eq!(
        titles(&store),
        ["Bot news", "Rust 1.95 released", "Weather report"]
    );
    assert_eq!(store.article_count(), 3);
    assert_eq!(store.unread_count(), 3);
    assert_eq!(store.counts(a).unread, 2);
    assert_eq!(store.counts(b).unread, 1);
}

#[test]
fn a_store_without_rules_keeps_everything() {
    let mut store = Store::new();
    let f = store.add_feed("https://a.example.org/feed", None, vec![], Direction::Auto);
    store.ingest(
        f,
        parsed_feed(vec![parsed_item("1", "Sponsored"), parsed_item("2", "x")]),
        Utc::now(),
    );
    assert_eq!(store.article_count(), 2);
}

#[test]
fn a_bad_ignore_filter_names_its_line_key_and_column() {
    let text =
        "\n[[feed]]\nurl = \"https://a.example.org/feed\"\nignore = ['title =~ \"a\" and']\n";
    let err = Config::parse(Path::new("config.toml"), text).unwrap_err();
    let ConfigError::Invalid {
        line, key, message, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*line, 4, "{err}");
    assert_eq!(key.as_deref(), Some("ignore"));
    assert!(message.contains("column 17"), "{message}");
    let text = "ignore = ['nosuch = \"x\"']\n";
    let err = Config::parse(Path::new("config.toml"), text).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    assert!(err.to_string().contains("column 1"), "{err}");
}
