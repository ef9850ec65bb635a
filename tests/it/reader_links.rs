//! Links at a key (issue 11): `1`-`9` in the reader open link 1-9 of the article, the
//! numbers of the `[n]` in the text and the Links list.

use akhbar::app::{Cmd, Msg};
use akhbar::model::{Direction, FetchOutcome, ParsedFeed, ParsedItem};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;

use crate::support::app::{app_with, options, send};
use crate::support::builders::{code, finished, key, parsed_item};

fn reading(body: &str) -> akhbar::app::App {
    let mut store = Store::new();
    let feed = store.add_feed("https://wire.example/rss", None, vec![], Direction::Auto);
    let mut app = app_with(options(store, BidiMode::App));
    send(
        &mut app,
        Msg::Poll(finished(
            feed,
            FetchOutcome::Updated(ParsedFeed {
                items: vec![ParsedItem {
                    link: Some("https://wire.example/story".into()),
                    content_html: Some(body.into()),
                    ..parsed_item("g", "Story")
                }],
                ..ParsedFeed::default()
            }),
        )),
    );
    send(&mut app, code(KeyCode::Enter));
    app
}

fn opened(cmds: &[Cmd]) -> Vec<String> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::OpenUrl(u) => Some(u.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_digit_opens_the_link_of_that_number() {
    let body: String = (1..=9)
        .map(|i| format!("<a href=\"/l{i}\">link {i}</a> "))
        .collect();
    let mut app = reading(&format!("<p>{body}</p>"));
    for i in 1..=9u32 {
        let c = char::from_digit(i, 10).unwrap();
        assert_eq!(
            opened(&send(&mut app, key(c))),
            [format!("https://wire.example/l{i}")],
            "key {c}"
        );
    }
    assert_eq!(
        app.status_message(),
        Some("opening [9] https://wire.example/l9")
    );
}

#[test]
fn a_number_past_the_last_link_opens_nothing_and_says_so() {
    let mut app = reading("<p><a href=\"/only\">only</a> and <img src=\"/p.jpg\" alt=\"p\"></p>");
    assert_eq!(
        opened(&send(&mut app, key('2'))),
        ["https://wire.example/p.jpg"]
    );
    assert!(opened(&send(&mut app, key('3'))).is_empty());
    assert_eq!(
        app.status_message(),
        Some("no link [3]: the article has 2 links")
    );
}

#[test]
fn digits_do_nothing_in_the_lists() {
    let mut app = reading("<p><a href=\"/only\">only</a></p>");
    send(&mut app, key('q'));
    assert!(app.reader().is_none());
    assert!(opened(&send(&mut app, key('1'))).is_empty());
}
