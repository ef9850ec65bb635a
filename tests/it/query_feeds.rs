//! Query feeds (issue 12): `[[query]]` tables with a name and a filter show in the feed list
//! after the feeds with their unread counts, open like a feed (the articles the filter
//! matches, newest first), and are counted only when the articles or flags change; a filter
//! that does not parse is a config error naming the line, the key and the column.

use std::path::Path;

use akhbar::app::{App, AppOptions, Msg, Overlay, SidebarRow};
use akhbar::config::{Config, ConfigError};
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;

use crate::support::app::{app_with, open_row, options, render, row, send, store};
use crate::support::builders::{code, key};

const CONFIG: &str = r#"
[[feed]]
url = "https://a.example.org/feed"

[[query]]
name = "Rust or rain"
filter = 'title =~ "rust" or content =~ "rain"'

[[query]]
name = "عربي"
filter = 'feedurl =~ "ar.xml"'
tags = ["ar"]
"#;

fn queries() -> Vec<akhbar::config::QueryConfig> {
    Config::parse(Path::new("config.toml"), CONFIG)
        .unwrap()
        .queries
}

/// The app over the two-feed store with the two queries of `CONFIG`, 80x24.
fn app() -> App {
    app_with(AppOptions {
        queries: queries(),
        ..options(store(), BidiMode::App)
    })
}

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.store().article(id).unwrap().title().to_owned())
        .collect()
}

fn rust_or_rain() -> SidebarRow {
    SidebarRow::Query("Rust or rain".into())
}

#[test]
fn query_tables_parse_with_their_name_filter_and_tags() {
    let q = queries();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].name, "Rust or rain");
    assert_eq!(
        q[0].filter.source(),
        r#"title =~ "rust" or content =~ "rain""#
    );
    assert!(q[0].tags.is_empty());
    assert_eq!(q[1].tags, ["ar"]);
    assert!(Config::defaults().queries.is_empty());
}

fn invalid(text: &str) -> (usize, Option<String>, String) {
    match Config::parse(Path::new("config.toml"), text).unwrap_err() {
        ConfigError::Invalid {
            line, key, message, ..
        } => (line, key, message),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_query_filter_names_its_line_key_and_column() {
    let (line, key, message) =
        invalid("mouse = true\n\n[[query]]\nname = \"x\"\nfilter = 'title =~ \"a\" and'\n");
    assert_eq!(line, 5);
    assert_eq!(key.as_deref(), Some("filter"));
    assert!(message.contains("column 17"), "{message}");
    let (_, key, message) = invalid("[[query]]\nname = \"x\"\nfilter = 'nosuch = \"x\"'\n");
    assert_eq!(key.as_deref(), Some("filter"));
    assert!(message.contains("column 1"), "{message}");
}

#[test]
fn a_query_needs_a_unique_name_and_a_filter_and_no_other_keys() {
    let (line, key, message) = invalid(
        "[[query]]\nname = \"a\"\nfilter = 'unread'\n[[query]]\nname = \"a\"\nfilter = 'starred = \"yes\"'\n",
    );
    assert_eq!((line, key.as_deref()), (5, Some("name")));
    assert!(message.contains("twice"), "{message}");
    let (_, key, message) = invalid("[[query]]\nname = \"  \"\nfilter = 'unread'\n");
    assert_eq!(key.as_deref(), Some("name"));
    assert!(message.contains("needs a name"), "{message}");
    let (_, _, message) = invalid("[[query]]\nname = \"a\"\n");
    assert!(message.contains("filter"), "{message}");
    let (_, _, message) = invalid("[[query]]\nname = \"a\"\nfilter = 'unread'\nurl = \"x\"\n");
    assert!(message.contains("url"), "{message}");
}

#[test]
fn query_feeds_follow_the_feeds_in_the_feed_list_with_their_unread_counts() {
    let app = app();
    let rows = app.sidebar();
    let n = rows.len();
    assert_eq!(rows[n - 2], rust_or_rain());
    assert_eq!(rows[n - 1], SidebarRow::Query("عربي".into()));
    assert!(matches!(rows[n - 3], SidebarRow::Feed(_)));
    // "Rust 1.95 released" by its title, "Weather report" by its body ("Rain.").
    let c = app.query_counts("Rust or rain").unwrap();
    assert_eq!((c.unread, c.total), (2, 2));
    assert_eq!(app.query_counts("عربي").unwrap().unread, 2);
    let buf = render(&app, 80, 24);
    let screen: Vec<String> = (0..24).map(|y| row(&buf, y)).collect();
    let line = screen
        .iter()
        .find(|l| l.contains("⌕ Rust or rain"))
        .unwrap_or_else(|| panic!("{screen:#?}"));
    // The unread count at the row's right end, before the divider.
    let left: String = line.split('│').next().unwrap().trim_end().to_string();
    assert!(left.ends_with(" 2"), "{left:?}");
    // The Arabic name is shaped and drawn right to left, its marker on the right.
    let arabic: String = "عربي".chars().rev().collect();
    let ar_line = screen
        .iter()
        .find(|l| akhbar::text::fold::fold(l).contains(&format!("{arabic} ⌕")))
        .unwrap_or_else(|| panic!("{screen:#?}"));
    assert!(
        ar_line.split('│').next().unwrap().ends_with(" 2"),
        "{ar_line:?}"
    );
}

#[test]
fn a_query_feed_opens_like_a_feed_with_its_matches_newest_first() {
    let mut app = app();
    open_row(&mut app, &rust_or_rain());
    assert_eq!(app.filter(), &rust_or_rain());
    assert_eq!(titles(&app), ["Rust 1.95 released", "Weather report"]);
    open_row(&mut app, &SidebarRow::Query("عربي".into()));
    assert_eq!(titles(&app), ["شركة (Apple) تعلن", "ارتفع 5% اليوم"]);
}

#[test]
fn counts_are_derived_when_articles_or_flags_change_not_per_frame() {
    let mut app = app();
    let before = app.stats().query_computes;
    // Keys that change nothing the queries read, frames, ticks: no recount.
    send(&mut app, key('j'));
    let now = app.now();
    send(&mut app, Msg::Tick(now));
    render(&app, 80, 24);
    assert_eq!(app.stats().query_computes, before);
    // Reading one of its articles moves the flags generation: its filter reads no flag, so
    // only the articles it matched are recounted, with no pass over every article.
    open_row(&mut app, &rust_or_rain());
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.stats().query_computes, before);
    assert_eq!(app.query_counts("Rust or rain").unwrap().unread, 1);
    // The open article stays listed while it is read.
    assert_eq!(app.view().len(), 2);
    // New articles move the articles generation: a full pass.
    let mut more = akhbar::model::ParsedFeed::default();
    more.items.push(crate::support::app::item(
        "e9", "Rust 2.0", 11, None, "<p>x</p>",
    ));
    send(
        &mut app,
        Msg::Poll(
            crate::support::builders::Finished::new(
                crate::support::app::EN,
                akhbar::model::FetchOutcome::Updated(more),
            )
            .into(),
        ),
    );
    assert_eq!(app.stats().query_computes, before + 1);
    assert_eq!(app.query_counts("Rust or rain").unwrap().unread, 2);
}

#[test]
fn a_query_on_the_read_state_is_recounted_in_full_when_it_changes() {
    let mut app = app_with(AppOptions {
        queries: vec![akhbar::config::QueryConfig {
            name: "starred".into(),
            filter: akhbar::filter::Filter::parse("starred = \"yes\"").unwrap(),
            tags: vec![],
        }],
        ..options(store(), BidiMode::App)
    });
    let before = app.stats().query_computes;
    assert_eq!(app.query_counts("starred").unwrap().total, 0);
    send(&mut app, key('s'));
    assert_eq!(app.stats().query_computes, before + 1);
    assert_eq!(app.query_counts("starred").unwrap().total, 1);
}

#[test]
fn a_query_on_unread_keeps_the_open_article_and_drops_it_after() {
    let mut app = app_with(AppOptions {
        queries: vec![akhbar::config::QueryConfig {
            name: "new".into(),
            filter: akhbar::filter::Filter::parse("unread = \"yes\"").unwrap(),
            tags: vec![],
        }],
        ..options(store(), BidiMode::App)
    });
    open_row(&mut app, &SidebarRow::Query("new".into()));
    assert_eq!(app.view().len(), 5);
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.view().len(), 5, "the open article stays");
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(app.view().len(), 4);
    assert_eq!(app.query_counts("new").unwrap().unread, 4);
}

#[test]
fn mark_all_on_a_query_feed_asks_then_marks_exactly_its_articles() {
    let mut app = app();
    open_row(&mut app, &rust_or_rain());
    send(&mut app, key('A'));
    assert!(matches!(app.overlay(), Overlay::Confirm { unread: 2 }));
    send(&mut app, key('y'));
    assert_eq!(app.query_counts("Rust or rain").unwrap().unread, 0);
    // Only its two: the three others are still unread.
    assert_eq!(app.store().unread_count(), 3);
}

#[test]
fn new_queries_from_a_reload_replace_the_rows_and_a_gone_one_leaves_its_view() {
    let mut app = app();
    open_row(&mut app, &rust_or_rain());
    send(&mut app, Msg::Queries(queries().split_off(1)));
    assert!(!app.sidebar().contains(&rust_or_rain()));
    assert_eq!(app.filter(), &SidebarRow::All);
    assert_eq!(app.view().len(), 5);
    assert_eq!(app.query_counts("عربي").unwrap().unread, 2);
    assert_eq!(app.query_counts("Rust or rain"), None);
}
