//! The session's filter (issue 12): `l` in the lists opens a prompt for a filter-language
//! expression that limits the headline list (on top of the feed-list row and the search)
//! until an empty prompt or `Esc` clears it; the status line shows it with the count; a
//! filter that does not parse is refused with its column and offered again by `l`.

use akhbar::app::{App, Overlay, SidebarRow};
use crossterm::event::KeyCode;

use crate::support::app::{AR, app, open_row, send, type_str};
use crate::support::builders::{code, key};

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.store().article(id).unwrap().title().to_owned())
        .collect()
}

/// Ctrl-U: the prompt's text before the caret is deleted.
fn kill_line() -> akhbar::app::Msg {
    akhbar::app::Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    ))
}

/// `l`, the text (in place of what the prompt offers), Enter.
fn filter(app: &mut App, text: &str) {
    send(app, key('l'));
    assert!(matches!(app.overlay(), Overlay::Filter(_)));
    send(app, kill_line());
    type_str(app, text);
    send(app, code(KeyCode::Enter));
}

fn status(app: &App) -> String {
    akhbar::ui::status::summary(app)
}

#[test]
fn l_limits_the_list_and_the_status_line_shows_the_filter_and_its_count() {
    let mut app = app();
    assert_eq!(app.view().len(), 5);
    filter(&mut app, r#"title =~ "r" and content !~ "calm""#);
    assert_eq!(titles(&app), ["Rust 1.95 released", "Weather report"]);
    assert!(
        status(&app).contains(r#"filter: title =~ "r" and content !~ "calm" (2 articles)"#),
        "{}",
        status(&app)
    );
    // It stays on top of the feed-list row: the Arabic feed has no match.
    open_row(&mut app, &SidebarRow::Feed(AR));
    assert!(app.view().is_empty());
    open_row(&mut app, &SidebarRow::All);
    assert_eq!(app.view().len(), 2);
}

#[test]
fn the_filter_folds_arabic_and_follows_the_read_state() {
    let mut app = app();
    // Without the hamza and with a mark: still the title "ارتفع 5% اليوم".
    filter(&mut app, r#"title =~ "اليَوم" and unread = "yes""#);
    assert_eq!(titles(&app), ["ارتفع 5% اليوم"]);
    // Opening reads it: it stays while open, and leaves the list after.
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.view().len(), 1);
    send(&mut app, code(KeyCode::Esc));
    assert!(app.view().is_empty());
}

#[test]
fn an_empty_prompt_or_esc_in_the_list_clears_the_filter() {
    let mut app = app();
    filter(&mut app, "starred = \"yes\"");
    assert!(app.view().is_empty());
    // `l` again starts from the active filter: Ctrl-U empties it, Enter clears.
    send(&mut app, key('l'));
    let Overlay::Filter(input) = app.overlay() else {
        panic!("{:?}", app.overlay());
    };
    assert_eq!(input.text(), "starred = \"yes\"");
    send(&mut app, kill_line());
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.view().len(), 5);
    assert!(app.view_filter().is_none());
    filter(&mut app, "unread");
    assert!(app.view_filter().is_some());
    send(&mut app, code(KeyCode::Esc));
    assert!(app.view_filter().is_none());
    assert_eq!(app.status_message(), Some("filter cleared"));
    assert!(!status(&app).contains("filter:"), "{}", status(&app));
}

#[test]
fn a_filter_that_does_not_parse_is_refused_with_its_column_and_offered_again() {
    let mut app = app();
    filter(&mut app, "unread");
    filter(&mut app, r#"title =~ "a" and"#);
    let msg = app.status_message().unwrap().to_string();
    assert!(msg.starts_with("filter not applied: column 17"), "{msg}");
    // The filter before stays.
    assert_eq!(app.view_filter().unwrap().source(), "unread");
    send(&mut app, key('l'));
    let Overlay::Filter(input) = app.overlay() else {
        panic!("{:?}", app.overlay());
    };
    assert_eq!(input.text(), r#"title =~ "a" and"#);
    // Esc leaves the prompt and changes nothing.
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(app.overlay(), &Overlay::None);
    assert_eq!(app.view_filter().unwrap().source(), "unread");
}

#[test]
fn the_filter_prompt_shows_in_the_status_line() {
    let mut app = app();
    send(&mut app, key('l'));
    type_str(&mut app, "unread");
    let buf = crate::support::app::render(&app, 80, 24);
    let last = crate::support::app::row(&buf, 23);
    assert!(last.contains("filter: unread"), "{last:?}");
}
