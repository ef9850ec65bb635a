//! App drivers: the two-feed store the app tests use, an app over it, sending messages and
//! keys as the runtime would, and rendering a screen into a buffer to read back as text.

use akhbar::app::{App, AppOptions, Cmd, Msg, Overlay, SidebarRow};
use akhbar::clock::{Clock, Zone};
use akhbar::model::{Direction, FeedId, ParsedFeed, ParsedItem};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use akhbar::ui;
use chrono::{TimeZone, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::builders::{bidi, code, key, nov_20, parsed_feed, parsed_item};

/// The English feed of `store()`.
pub const EN: FeedId = FeedId(0);
/// The Arabic feed of `store()`.
pub const AR: FeedId = FeedId(1);

/// An item dated `hour`:00 on 20 November 2026 with an HTML body and maybe a link.
pub fn item(guid: &str, title: &str, hour: u32, link: Option<&str>, body: &str) -> ParsedItem {
    ParsedItem {
        link: link.map(str::to_string),
        published: Some(nov_20(hour, 0)),
        content_html: Some(body.to_string()),
        ..parsed_item(guid, title)
    }
}

/// Two feeds: an English one ("world" tag) with 3 items and an Arabic one with 2.
pub fn store() -> Store {
    let mut s = Store::new();
    let en = s.add_feed(
        "http://127.0.0.1:1/en.xml",
        Some("Daily"),
        vec!["world".into()],
        Direction::Auto,
    );
    let ar = s.add_feed(
        "http://127.0.0.1:1/ar.xml",
        Some("أخبار"),
        vec![],
        Direction::Auto,
    );
    let now = Utc::now();
    s.ingest(
        en,
        ParsedFeed {
            language: Some("en".into()),
            ..parsed_feed(vec![
                item(
                    "e1",
                    "Rust 1.95 released",
                    10,
                    Some("https://example.org/rust"),
                    "<p>First paragraph.</p><p>Second paragraph.</p>",
                ),
                item(
                    "e2",
                    "Markets calm",
                    8,
                    Some("javascript:alert(1)"),
                    "<p>Calm.</p>",
                ),
                item("e3", "Weather report", 6, None, "<p>Rain.</p>"),
            ])
        },
        now,
    );
    s.ingest(
        ar,
        ParsedFeed {
            language: Some("ar".into()),
            ..parsed_feed(vec![
                item(
                    "a1",
                    "شركة (Apple) تعلن",
                    9,
                    Some("https://example.org/a1"),
                    "<p>نص المقال.</p>",
                ),
                item("a2", "ارتفع 5% اليوم", 7, None, "<p>فقرة.</p>"),
            ])
        },
        now,
    );
    s
}

/// The clock the app tests run on: noon UTC on 1 December 2026, shown in UTC, whatever the
/// machine's zone (`TZ=Asia/Baghdad cargo test` sees the same screens as CI).
pub fn test_clock() -> Clock {
    Clock::fixed(
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap(),
        Zone::UTC,
    )
}

/// The options of a test app over `store` in bidi `mode`: default keys, the test clock, no
/// cache.
pub fn options(store: Store, mode: BidiMode) -> AppOptions {
    AppOptions {
        bidi: bidi(mode),
        clock: test_clock(),
        ..AppOptions::new(store)
    }
}

/// An app over `store` in bidi `mode` with the default keys, before any message.
pub fn app_over(store: Store, mode: BidiMode) -> App {
    App::new(options(store, mode))
}

/// An app built from `opts` on an 80x24 terminal.
pub fn app_with(opts: AppOptions) -> App {
    let mut app = App::new(opts);
    resize(&mut app, 80, 24);
    app
}

/// Shows feed-list row `row` in the headline list as a user does: Tab to the feed list,
/// down to the row, Enter.
pub fn open_row(app: &mut App, row: &SidebarRow) -> Vec<Cmd> {
    let mut cmds = select_row(app, row);
    cmds.extend(send(app, code(crossterm::event::KeyCode::Enter)));
    cmds
}

/// Moves the feed list's cursor to `row` (focusing the feed list), as a user does.
pub fn select_row(app: &mut App, row: &SidebarRow) -> Vec<Cmd> {
    use akhbar::app::Focus;
    let at = app
        .sidebar()
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?} in {:?}", app.sidebar()));
    let mut cmds = Vec::new();
    if app.focus() != Focus::Feeds {
        cmds.extend(send(app, code(crossterm::event::KeyCode::Tab)));
    }
    cmds.extend(send(app, key('g')));
    for _ in 0..at {
        cmds.extend(send(app, key('j')));
    }
    assert_eq!(app.feeds_cursor().selected(), at);
    cmds
}

/// Whether the help overlay is up.
pub fn help_open(app: &App) -> bool {
    matches!(app.overlay(), Overlay::Help { .. })
}

/// The app over `store()` on an 80x24 terminal.
pub fn app() -> App {
    let mut app = app_over(store(), BidiMode::App);
    resize(&mut app, 80, 24);
    app
}

/// Updates the app and runs the reader layout jobs it asks for at once, as the runtime does
/// on a worker thread; returns the other commands.
pub fn send(app: &mut App, msg: Msg) -> Vec<Cmd> {
    let mut out = Vec::new();
    let mut pending = vec![msg];
    while let Some(m) = pending.pop() {
        for cmd in app.update(m) {
            match cmd {
                Cmd::Layout(job) => pending.push(job.run()),
                other => out.push(other),
            }
        }
    }
    out
}

/// The terminal is now `width` x `height`.
pub fn resize(app: &mut App, width: u16, height: u16) -> Vec<Cmd> {
    send(app, Msg::Resize { width, height })
}

/// Types `text` one key at a time; returns every command the keys asked for.
pub fn type_str(app: &mut App, text: &str) -> Vec<Cmd> {
    text.chars().flat_map(|c| send(app, key(c))).collect()
}

/// The whole screen drawn into a `w` x `h` buffer.
pub fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    ui::render(app, buf.area, &mut buf);
    buf
}

/// Row `y` cell by cell: every cell's symbol, the blank after a wide one included.
pub fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// Every row as `row` gives it, joined by line feeds.
pub fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen as a terminal without bidi shows it: a wide symbol once (its second cell is
/// skipped), trailing blanks trimmed, each row ended by a line feed.
pub fn terminal_lines(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let s = buf[(x, y)].symbol();
            row.push_str(s);
            x += unicode_width::UnicodeWidthStr::width(s).max(1) as u16;
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

/// Sends the commands' saves to `cache`, as the runtime does; returns the other commands.
pub fn save_all(cmds: Vec<Cmd>, cache: &akhbar::persist::Cache) -> Vec<Cmd> {
    cmds.into_iter()
        .filter_map(|c| match c {
            Cmd::Save(change) => {
                cache.send(change);
                None
            }
            other => Some(other),
        })
        .collect()
}

/// Moves the headline cursor to row `at` with keys, from the top.
pub fn select_headline(app: &mut App, at: usize) {
    use akhbar::app::Focus;
    if app.focus() != Focus::Headlines {
        send(app, code(crossterm::event::KeyCode::Tab));
    }
    send(app, key('g'));
    for _ in 0..at {
        send(app, key('j'));
    }
    assert_eq!(app.headlines().selected(), at);
}
