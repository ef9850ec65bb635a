//! What a new user hit in the first hour (issue 10), at the level of the app and its views:
//! empty views that say why, `r` on a tag and its result, the headline cursor while the feed
//! list has the keys, the messages overlay, counted nouns.

use akhbar::app::{Cmd, Msg, Overlay, SidebarRow};
use akhbar::model::{Direction, FetchOutcome};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;
use ratatui::style::Modifier;

use crate::support::app::{
    AR, EN, app, app_over, item, open_row, render, resize, row, select_row, send, text,
};
use crate::support::builders::{Finished, code, finished, key, parsed_feed};

#[test]
fn a_failing_feed_opened_shows_its_error_and_next_try_instead_of_nothing_matches() {
    // Item 12: opening a failing feed said "Nothing matches this view."
    let mut s = Store::new();
    let bad = s.add_feed("http://127.0.0.1:9/gone.xml", None, vec![], Direction::Auto);
    let mut app = app_over(s, BidiMode::App);
    resize(&mut app, 80, 24);
    let next = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 12, 30, 0).unwrap();
    send(
        &mut app,
        Msg::Poll(
            Finished {
                next_poll: Some(next),
                ..Finished::new(
                    bad,
                    FetchOutcome::Failed {
                        reason: "connection refused".into(),
                    },
                )
            }
            .into(),
        ),
    );
    open_row(&mut app, &SidebarRow::Feed(bad));
    let screen = text(&render(&app, 80, 24));
    assert!(!screen.contains("Nothing matches"), "{screen}");
    assert!(screen.contains("127.0.0.1:9/gone.xml"), "{screen}");
    assert!(screen.contains("connection refused"), "{screen}");
    assert!(screen.contains("Next try at 12:30"), "{screen}");
}

#[test]
fn with_no_feeds_the_empty_list_says_how_to_add_one() {
    let mut app = app_over(Store::new(), BidiMode::App);
    resize(&mut app, 100, 24);
    let screen = text(&render(&app, 100, 24));
    assert!(screen.contains("akhbar add URL"), "{screen}");
    assert!(screen.contains("akhbar import FILE"), "{screen}");
}

#[test]
fn r_on_a_tag_refreshes_that_tags_feeds_and_on_all_every_feed() {
    // Item 13: `r` on a tag, All or Starred refreshed all feeds.
    let mut app = app();
    let cmds = select_row(&mut app, &SidebarRow::Tag("world".into()));
    assert!(cmds.is_empty());
    assert_eq!(send(&mut app, key('r')), vec![Cmd::Refresh(EN)]);
    select_row(&mut app, &SidebarRow::Feed(AR));
    assert_eq!(send(&mut app, key('r')), vec![Cmd::Refresh(AR)]);
    select_row(&mut app, &SidebarRow::All);
    assert_eq!(send(&mut app, key('r')), vec![Cmd::RefreshAll]);
}

#[test]
fn after_r_the_result_is_told_when_the_feed_is_done() {
    // Item 13: after `r` on one feed no result was shown.
    let mut app = app();
    select_row(&mut app, &SidebarRow::Feed(EN));
    send(&mut app, key('r'));
    assert_eq!(app.status_message(), Some("refreshing Daily"));
    send(
        &mut app,
        Msg::Poll(finished(
            EN,
            FetchOutcome::Updated(parsed_feed(vec![
                item("n1", "One", 11, None, ""),
                item("n2", "Two", 11, None, ""),
            ])),
        )),
    );
    assert_eq!(app.status_message(), Some("Daily: 2 new articles"));
    // A fetch nobody asked for says nothing.
    send(&mut app, Msg::Poll(finished(EN, FetchOutcome::NotModified)));
    assert_eq!(app.status_message(), Some("Daily: 2 new articles"));
    select_row(&mut app, &SidebarRow::All);
    send(&mut app, key('r'));
    send(&mut app, Msg::Poll(finished(EN, FetchOutcome::NotModified)));
    assert_eq!(
        app.status_message(),
        Some("refreshing all feeds"),
        "one of two done"
    );
    send(
        &mut app,
        Msg::Poll(finished(
            AR,
            FetchOutcome::Failed {
                reason: "HTTP 500".into(),
            },
        )),
    );
    assert_eq!(
        app.status_message(),
        Some("all feeds (2 feeds): nothing new, 1 failed (أخبار: HTTP 500)")
    );
}

#[test]
fn the_headline_cursor_stays_visible_dimmed_while_the_feed_list_has_focus() {
    // Item 13: the selection was invisible while the feed list had focus.
    let mut app = app();
    send(&mut app, key('j'));
    send(&mut app, code(KeyCode::Tab));
    let buf = render(&app, 80, 24);
    let y = 1 + 1; // the second headline, under the ticker
    let x = 40;
    assert!(row(&buf, y).contains("Markets calm") || row(&buf, y).contains('●'));
    assert!(
        buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "the cursor's row is marked"
    );
    assert!(!buf[(x, y + 1)].modifier.contains(Modifier::UNDERLINED));
    send(&mut app, code(KeyCode::Tab));
    let buf = render(&app, 80, 24);
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "focused again"
    );
}

#[test]
fn every_status_message_can_be_read_in_full_in_the_messages_overlay() {
    // Item 11: long messages were cut with no way to read them.
    let mut app = app();
    resize(&mut app, 60, 20);
    let long = "the cache was damaged and moved aside to /home/reader/.local/share/akhbar/cache.sqlite.corrupt-20261201 and a new one was started";
    send(&mut app, Msg::Notice(long.into()));
    let status = row(&render(&app, 60, 20), 19);
    assert!(status.contains("(M: all of it)"), "{status}");
    send(&mut app, key('M'));
    assert!(matches!(app.overlay(), Overlay::Messages { .. }));
    let screen = text(&render(&app, 60, 20));
    let words: Vec<&str> = screen
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect();
    // The path, broken where it must be, then every word after it.
    let tail: Vec<&str> = long.split_once("20261201 ").unwrap().1.split(' ').collect();
    let at = words
        .iter()
        .position(|w| *w == "cache.sqlite.corrupt-20261201")
        .expect(&screen);
    assert_eq!(
        &words[at + 1..at + 1 + tail.len()],
        tail.as_slice(),
        "{screen}"
    );
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn the_help_overlay_uses_the_whole_width_and_cuts_no_action_name() {
    // Item 11: the help was 72 columns at any width and cut five action names.
    let mut app = app();
    resize(&mut app, 120, 60);
    send(&mut app, key('?'));
    let screen = text(&render(&app, 120, 60));
    for name in [
        "[focus-next]",
        "[mark-all-read]",
        "[toggle-unread-only]",
        "[open-in-browser]",
    ] {
        assert!(screen.contains(name), "{name} in\n{screen}");
    }
    let widest = screen
        .lines()
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap();
    assert!(widest > 80, "the box is wider than 72 columns: {widest}");
}

#[test]
fn counts_of_one_are_singular() {
    let mut s = Store::new();
    s.add_feed("http://127.0.0.1:1/one.xml", None, vec![], Direction::Auto);
    let mut app = app_over(s, BidiMode::App);
    resize(&mut app, 80, 24);
    let status = row(&render(&app, 80, 24), 23);
    assert!(status.contains("0/1 feed ok"), "{status}");
}
