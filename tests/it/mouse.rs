//! The mouse, through `App::update` with crossterm's mouse events: clicks on headlines, feeds,
//! the ticker and links in the reader (right-to-left rows included), the wheel over the list
//! or the article under the pointer, and `mouse = false`.

use std::path::Path;

use akhbar::app::{App, Cmd, Msg, SidebarRow};
use akhbar::config::Config;
use akhbar::model::{Direction, ParsedFeed};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use akhbar::view::TICKER_STEP;
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;

use crate::support::app::{AR, EN, app, app_over, item, render, resize, send};
use crate::support::builders::parsed_feed;

fn mouse(app: &mut App, kind: MouseEventKind, x: u16, y: u16) -> Vec<Cmd> {
    send(
        app,
        Msg::Mouse(MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

fn click(app: &mut App, x: u16, y: u16) -> Vec<Cmd> {
    mouse(app, MouseEventKind::Down(MouseButton::Left), x, y)
}

/// The cells of row `y`, one symbol per cell (a wide grapheme's second cell is "").
fn cells(buf: &Buffer, y: u16) -> Vec<String> {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

/// Where `needle` is drawn: (x of its first cell, y), in the rows `rows`.
fn find(buf: &Buffer, needle: &str, rows: std::ops::Range<u16>) -> Option<(u16, u16)> {
    find_in(buf, needle, rows, buf.area.width)
}

/// As `find`, in the first `width` columns.
fn find_in(
    buf: &Buffer,
    needle: &str,
    rows: std::ops::Range<u16>,
    width: u16,
) -> Option<(u16, u16)> {
    rows.into_iter().find_map(|y| {
        let mut c = cells(buf, y);
        c.truncate(usize::from(width));
        let text: String = c.concat();
        let byte = text.find(needle)?;
        // Back from the byte offset to the cell.
        let mut seen = 0;
        let x = c.iter().position(|s| {
            let here = seen;
            seen += s.len();
            here >= byte && !s.is_empty()
        })?;
        Some((x as u16, y))
    })
}

fn title_of(app: &App, id: akhbar::store::ArticleId) -> String {
    app.store().article(id).unwrap().title().to_owned()
}

#[test]
fn a_click_selects_a_headline_and_a_second_click_opens_it() {
    let mut app = app();
    let buf = render(&app, 80, 24);
    let (x, y) = find(&buf, "Weather report", 1..23).expect("the headline is drawn");
    click(&mut app, x, y);
    let selected = app.view()[app.headlines().selected()];
    assert_eq!(title_of(&app, selected), "Weather report");
    assert!(app.reader().is_none(), "one click only selects");
    click(&mut app, x + 2, y);
    let open = app.reader().expect("the second click opens it");
    assert_eq!(title_of(&app, open.article), "Weather report");
}

#[test]
fn a_click_on_a_feed_shows_its_headlines() {
    let mut app = app();
    let buf = render(&app, 80, 24);
    // The feed list is the first 20 columns of an 80-column screen.
    let (x, y) = find_in(&buf, "Daily", 1..23, 20).expect("the feed is in the feed list");
    click(&mut app, x, y);
    assert_eq!(app.filter(), &SidebarRow::Feed(EN));
    assert_eq!(app.view().len(), 3);
    let buf = render(&app, 80, 24);
    // Arabic is drawn shaped (presentation forms): its row is found by its place in the list.
    let row = app
        .sidebar()
        .iter()
        .position(|r| r == &SidebarRow::Feed(AR))
        .unwrap();
    let y = 1 + (row - app.feeds_cursor().top()) as u16;
    assert_eq!(
        buf[(2, y)].symbol(),
        " ",
        "the Arabic name is right-aligned"
    );
    click(&mut app, 2, y);
    assert_eq!(app.filter(), &SidebarRow::Feed(AR));
}

#[test]
fn clicks_outside_anything_change_nothing() {
    let mut app = app();
    let before = (app.headlines(), app.feeds_cursor(), app.filter().clone());
    click(&mut app, 40, 20);
    click(&mut app, 5, 20);
    click(&mut app, 79, 23);
    assert_eq!(
        (app.headlines(), app.feeds_cursor(), app.filter().clone()),
        before
    );
    assert!(app.reader().is_none());
}

#[test]
fn the_wheel_scrolls_the_list_under_the_pointer() {
    let mut app = app();
    mouse(&mut app, MouseEventKind::ScrollDown, 50, 5);
    assert_eq!(app.headlines().selected(), 3);
    assert_eq!(app.feeds_cursor().selected(), 0, "the feed list stays");
    mouse(&mut app, MouseEventKind::ScrollDown, 5, 5);
    assert_eq!(app.feeds_cursor().selected(), 3);
    mouse(&mut app, MouseEventKind::ScrollUp, 50, 5);
    assert_eq!(app.headlines().selected(), 0);
    assert_eq!(app.feeds_cursor().selected(), 3);
}

fn long_store() -> Store {
    let mut s = Store::new();
    let f = s.add_feed(
        "http://127.0.0.1:1/x.xml",
        Some("Long"),
        vec![],
        Direction::Auto,
    );
    let body: String = (0..60).map(|i| format!("<p>Paragraph {i}.</p>")).collect();
    let arabic = "<p>اقرأ <a href=\"https://example.org/ar-link\">هذا الخبر</a> اليوم.</p>";
    s.ingest(
        f,
        ParsedFeed {
            ..parsed_feed(vec![
                item(
                    "l1",
                    "Long one",
                    10,
                    Some("https://example.org/long"),
                    &body,
                ),
                item("r1", "خبر عاجل", 9, Some("https://example.org/ar"), arabic),
            ])
        },
        chrono::Utc::now(),
    );
    s
}

fn open_titled(app: &mut App, title: &str) {
    let i = app
        .view()
        .iter()
        .position(|&id| title_of(app, id) == title)
        .expect("the article is listed");
    for _ in 0..2 {
        // Select, then open, by clicks on its row (the headline list starts at row 1).
        let top = app.headlines().top();
        click(app, 50, 1 + (i - top) as u16);
    }
    assert_eq!(title_of(app, app.reader().expect("open").article), title);
}

#[test]
fn the_wheel_scrolls_the_article_in_the_reader() {
    let mut app = app_over(long_store(), BidiMode::App);
    resize(&mut app, 80, 24);
    open_titled(&mut app, "Long one");
    assert_eq!(app.reader().unwrap().scroll, 0);
    mouse(&mut app, MouseEventKind::ScrollDown, 40, 10);
    mouse(&mut app, MouseEventKind::ScrollDown, 40, 10);
    assert_eq!(app.reader().unwrap().scroll, 6);
    mouse(&mut app, MouseEventKind::ScrollUp, 40, 10);
    assert_eq!(app.reader().unwrap().scroll, 3);
    mouse(&mut app, MouseEventKind::ScrollDown, 40, 0);
    assert_eq!(
        app.reader().unwrap().scroll,
        3,
        "not over the article: the ticker"
    );
}

#[test]
fn a_click_on_a_link_marker_in_a_right_to_left_paragraph_opens_the_link() {
    let mut app = app_over(long_store(), BidiMode::App);
    resize(&mut app, 80, 24);
    open_titled(&mut app, "خبر عاجل");
    let buf = render(&app, 80, 24);
    // In a mirrored RTL run the marker may be drawn `[1]` or `]1[`; the digit is its middle.
    let (x, y) = find(&buf, "[1]", 2..23)
        .or_else(|| find(&buf, "]1[", 2..23))
        .unwrap_or_else(|| panic!("a marker is drawn:\n{}", crate::support::app::text(&buf)));
    assert!(x > 40, "the RTL paragraph is right-aligned (marker at {x})");
    let cmds = click(&mut app, x + 1, y);
    assert!(
        cmds.contains(&Cmd::OpenUrl("https://example.org/ar-link".into())),
        "{cmds:?}"
    );
    let cmds = click(&mut app, x.saturating_sub(3), y);
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::OpenUrl(_))),
        "the words beside a marker are not a link"
    );
}

#[test]
fn a_click_on_a_row_of_the_link_list_opens_that_link() {
    let mut app = app_over(long_store(), BidiMode::App);
    resize(&mut app, 80, 24);
    open_titled(&mut app, "خبر عاجل");
    let buf = render(&app, 80, 24);
    let (x, y) = find(&buf, "https://example.org/ar-link", 2..23).expect("the link list");
    let cmds = click(&mut app, x + 10, y);
    assert!(
        cmds.contains(&Cmd::OpenUrl("https://example.org/ar-link".into())),
        "{cmds:?}"
    );
    let (x, y) = find(&buf, "[o] https://example.org/ar", 2..23).expect("the article's own");
    let cmds = click(&mut app, x + 5, y);
    assert!(
        cmds.contains(&Cmd::OpenUrl("https://example.org/ar".into())),
        "{cmds:?}"
    );
}

#[test]
fn a_click_on_the_ticker_opens_the_headline_under_it() {
    let mut app = app();
    let mut now = app.now();
    let mut hit = None;
    for _ in 0..200 {
        now += TICKER_STEP;
        send(&mut app, Msg::Tick(now));
        let buf = render(&app, 80, 24);
        let strip: String = cells(&buf, 0).concat();
        if let Some(title) = ["Rust 1.95 released", "Markets calm", "Weather report"]
            .into_iter()
            .find(|t| strip.contains(t))
        {
            hit = find(&buf, title, 0..1).map(|(x, _)| (x + 2, title));
            break;
        }
    }
    let (x, title) = hit.expect("an English headline crosses the strip");
    click(&mut app, x, 0);
    let open = app.reader().expect("the click opened an article");
    assert_eq!(title_of(&app, open.article), title);
}

#[test]
fn mouse_is_on_unless_the_config_turns_it_off() {
    let path = Path::new("/tmp/akhbar-test/config.toml");
    assert!(Config::parse(path, "").unwrap().mouse);
    assert!(!Config::parse(path, "mouse = false\n").unwrap().mouse);
    let e = Config::parse(path, "\nmouse = \"no\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2, key `mouse`"), "{e}");
}
