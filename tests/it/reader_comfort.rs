//! Reading comfort (issue 11) through `App::update` and the rendered screen: the measure (the
//! text column `reader_width` wide, centred, `+` / `-`, kept between runs under the config's
//! value), mouse hits on a centred column (left to right and right to left), `Space` / `b`
//! paging with `Space` going on to the next unread article, and the reader's state and
//! position in the status line.

use std::path::Path;

use akhbar::app::{App, AppOptions, Cmd, Msg, ReaderOptions};
use akhbar::config::Config;
use akhbar::model::{Direction, ParsedFeed};
use akhbar::persist::{self, Change};
use akhbar::runtime::session;
use akhbar::store::Store;
use akhbar::text::BidiMode;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;

use crate::support::app::{item, options, render, resize, row, send, test_clock, text};
use crate::support::builders::{bidi, code, key, parsed_feed};

const FEED: &str = "http://127.0.0.1:1/comfort.xml";

/// One feed: a long English article with links, a short Arabic one with a link, and a
/// third article (all unread).
fn store() -> Store {
    let mut s = Store::new();
    let f = s.add_feed(FEED, Some("Comfort"), vec![], Direction::Auto);
    let mut long: String = (0..50)
        .map(|i| {
            format!(
                "<p>Paragraph {i} is long enough to wrap at a narrow measure and to show \
                 where the column ends.</p>"
            )
        })
        .collect();
    long.push_str("<p>See <a href=\"https://example.org/one\">the first</a> here.</p>");
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
                    &long,
                ),
                item("r1", "خبر عاجل", 9, Some("https://example.org/ar"), arabic),
                item("s1", "Short one", 8, None, "<p>Short.</p>"),
            ])
        },
        chrono::Utc::now(),
    );
    s
}

fn app_sized(w: u16, h: u16, measure: u16, persistent: bool) -> App {
    let mut app = App::new(AppOptions {
        persistent,
        reader: ReaderOptions {
            measure,
            ..ReaderOptions::default()
        },
        ..options(store(), BidiMode::App)
    });
    resize(&mut app, w, h);
    app
}

fn open_titled(app: &mut App, title: &str) {
    let i = app
        .view()
        .iter()
        .position(|&id| app.store().article(id).unwrap().title() == title)
        .expect("listed");
    send(app, key('g'));
    for _ in 0..i {
        send(app, key('j'));
    }
    send(app, code(KeyCode::Enter));
    let open = app.reader().expect("open").article;
    assert_eq!(app.store().article(open).unwrap().title(), title);
}

/// The columns rows `rows` have text in: (leftmost, rightmost) non-blank cells.
fn text_span(buf: &Buffer, rows: std::ops::Range<u16>) -> (u16, u16) {
    let (mut left, mut right) = (u16::MAX, 0);
    for y in rows {
        for x in 0..buf.area.width {
            if buf[(x, y)].symbol().trim().is_empty() {
                continue;
            }
            left = left.min(x);
            right = right.max(x);
        }
    }
    (left, right)
}

fn click(app: &mut App, x: u16, y: u16) -> Vec<Cmd> {
    send(
        app,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    (1..buf.area.height - 1).find_map(|y| {
        let cells: Vec<String> = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        let joined = cells.concat();
        let byte = joined.find(needle)?;
        let mut seen = 0;
        let x = cells.iter().position(|s| {
            let here = seen;
            seen += s.len();
            here >= byte && !s.is_empty()
        })?;
        Some((x as u16, y))
    })
}

#[test]
fn the_text_column_is_the_measure_centred_on_a_wide_screen() {
    let mut app = app_sized(120, 30, 80, false);
    open_titled(&mut app, "Long one");
    let buf = render(&app, 120, 30);
    let (left, right) = text_span(&buf, 1..29);
    // 80 columns centred in 120: from column 20 up to 99 at most.
    assert_eq!(left, 20, "{}", text(&buf));
    assert!((90..100).contains(&right), "right edge {right}");
    assert_eq!(app.reader().unwrap().lines.len(), {
        let key_width = 80;
        let a = app.store().article(app.reader().unwrap().article).unwrap();
        akhbar::view::layout_article(
            a,
            app.store().feed(a.feed),
            key_width,
            &app.text_options(),
            app.zone(),
        )
        .len()
    });
}

#[test]
fn a_narrow_screen_gives_the_text_all_its_width_but_a_margin() {
    for w in [40u16, 80] {
        let mut app = app_sized(w, 24, 80, false);
        open_titled(&mut app, "Long one");
        let buf = render(&app, w, 24);
        let (left, right) = text_span(&buf, 1..23);
        assert_eq!(left, 1, "at {w} columns");
        assert!(
            right <= w - 2 && right >= w - 12,
            "at {w}: right edge {right}"
        );
    }
}

#[test]
fn plus_and_minus_change_the_measure_and_the_column_follows() {
    let mut app = app_sized(120, 30, 80, false);
    open_titled(&mut app, "Long one");
    send(&mut app, key('-'));
    send(&mut app, key('-'));
    assert_eq!(app.measure(), 72);
    let buf = render(&app, 120, 30);
    assert_eq!(text_span(&buf, 1..29).0, 24, "72 columns centred in 120");
    assert!(app.status_message().unwrap().contains("72 columns"));
    for _ in 0..3 {
        send(&mut app, key('+'));
    }
    send(&mut app, key('='));
    assert_eq!(app.measure(), 88);
    let buf = render(&app, 120, 30);
    assert_eq!(text_span(&buf, 1..29).0, 16);
    // The layout follows the measure: the first paragraph wraps later in a wider column.
    let wide_rows = app.reader().unwrap().lines.len();
    for _ in 0..14 {
        send(&mut app, key('-'));
    }
    assert_eq!(app.measure(), 32);
    assert!(app.reader().unwrap().lines.len() > wide_rows);
}

#[test]
fn the_measure_stops_at_the_screen_and_at_its_narrowest() {
    let mut app = app_sized(60, 24, 80, false);
    open_titled(&mut app, "Short one");
    send(&mut app, key('+'));
    assert_eq!(
        app.measure(),
        80,
        "already as wide as the screen: unchanged"
    );
    assert!(
        app.status_message()
            .unwrap()
            .contains("as wide as the screen")
    );
    // `-` starts from what shows (58 columns), not from the 80 the screen cannot show.
    send(&mut app, key('-'));
    assert_eq!(app.measure(), 54);
    for _ in 0..20 {
        send(&mut app, key('-'));
    }
    assert_eq!(app.measure(), akhbar::view::MIN_MEASURE);
    assert!(app.status_message().unwrap().contains("narrowest"));
}

#[test]
fn a_click_on_a_link_in_a_centred_column_opens_it_left_to_right_and_right_to_left() {
    let mut app = app_sized(120, 80, 60, false);
    open_titled(&mut app, "Long one");
    send(&mut app, key('G'));
    let buf = render(&app, 120, 80);
    let (x, y) = find(&buf, "[1]").unwrap_or_else(|| panic!("{}", text(&buf)));
    assert!(x > 30, "the column starts at 30: the marker is at {x}");
    let cmds = click(&mut app, x + 1, y);
    assert!(cmds.contains(&Cmd::OpenUrl("https://example.org/one".into())));
    // Where the marker would be without the centring is not a link.
    let cmds = click(&mut app, x + 1 - 29, y);
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::OpenUrl(_))));

    send(&mut app, code(KeyCode::Esc));
    open_titled(&mut app, "خبر عاجل");
    let buf = render(&app, 120, 80);
    let (x, y) = find(&buf, "[1]")
        .or_else(|| find(&buf, "]1["))
        .unwrap_or_else(|| panic!("{}", text(&buf)));
    // Right to left: right-aligned in the column, which ends at 90, not at the screen's edge.
    assert!((60..90).contains(&x), "marker at {x}");
    let (_, right) = text_span(&buf, y..y + 1);
    assert!(
        (85..90).contains(&right),
        "the RTL row ends at the column's edge: {right}"
    );
    let cmds = click(&mut app, x + 1, y);
    assert!(cmds.contains(&Cmd::OpenUrl("https://example.org/ar-link".into())));
    let (x, y) = find(&buf, "[o] https://example.org/ar").expect("the link list");
    let cmds = click(&mut app, x + 6, y);
    assert!(cmds.contains(&Cmd::OpenUrl("https://example.org/ar".into())));
}

#[test]
fn the_measure_is_saved_as_a_setting_with_the_configured_width() {
    let mut app = app_sized(120, 30, 80, true);
    open_titled(&mut app, "Short one");
    let cmds = send(&mut app, key('+'));
    let saved: Vec<&Change> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::Save(ch @ Change::Setting { .. }) => Some(ch),
            _ => None,
        })
        .collect();
    assert_eq!(
        saved,
        [&Change::Setting {
            key: persist::SETTING_READER_WIDTH.into(),
            value: "84@80".into()
        }]
    );
}

fn config(dir: &Path, reader_width: Option<u16>) -> Config {
    let mut text = format!("[[feed]]\nurl = \"{FEED}\"\n");
    if let Some(w) = reader_width {
        text = format!("reader_width = {w}\n{text}");
    }
    Config::parse(&dir.join("config.toml"), &text).unwrap()
}

fn open_session(dir: &Path, reader_width: Option<u16>) -> session::Session {
    match session::open(
        &config(dir, reader_width),
        bidi(BidiMode::App),
        test_clock(),
        Some(dir),
        None,
    ) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_measure_is_kept_between_runs_until_the_config_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = open_session(dir.path(), None);
        assert_eq!(s.app.measure(), 80);
        let cache = s.cache.clone().expect("a cache");
        cache.send(Change::Setting {
            key: persist::SETTING_READER_WIDTH.into(),
            value: akhbar::app::measure_setting(64, 80),
        });
        cache.flush_blocking().unwrap();
    }
    assert_eq!(open_session(dir.path(), None).app.measure(), 64);
    assert_eq!(open_session(dir.path(), Some(80)).app.measure(), 64);
    assert_eq!(
        open_session(dir.path(), Some(100)).app.measure(),
        100,
        "a new reader_width in the config wins over the width kept"
    );
}

#[test]
fn space_pages_down_and_b_up_and_space_at_the_end_opens_the_next_unread() {
    let mut app = app_sized(80, 24, 80, false);
    open_titled(&mut app, "Long one");
    let page = app.geometry().page_rows();
    let total = app.reader().unwrap().lines.len();
    assert!(total > 3 * page, "a long article: {total} rows");
    send(&mut app, key(' '));
    assert_eq!(app.reader().unwrap().scroll, page);
    send(&mut app, key(' '));
    send(&mut app, key('b'));
    assert_eq!(app.reader().unwrap().scroll, page);
    send(&mut app, key('G'));
    let end = app.reader().unwrap().scroll;
    assert_eq!(end, total - page);
    let first = app.reader().unwrap().article;
    send(&mut app, key(' '));
    let next = app.reader().expect("still reading").article;
    assert_ne!(next, first, "Space on the last page opens the next unread");
    assert_eq!(app.store().article(next).unwrap().title(), "خبر عاجل");
    // The Arabic article fits on one page: Space goes on to the next, then says there is none.
    send(&mut app, key(' '));
    let third = app.reader().unwrap().article;
    assert_eq!(app.store().article(third).unwrap().title(), "Short one");
    send(&mut app, key(' '));
    assert_eq!(app.reader().unwrap().article, third);
    assert_eq!(app.status_message(), Some("no more unread articles"));
}

#[test]
fn the_status_line_shows_the_state_and_the_position_in_the_reader() {
    for w in [40u16, 80, 120] {
        let mut app = app_sized(w, 24, 80, false);
        open_titled(&mut app, "Long one");
        let total = app.reader().unwrap().lines.len();
        let page = app.geometry().page_rows();
        let status = row(&render(&app, w, 24), 23);
        let at = format!("{page}/{total} {}%", page * 100 / total);
        assert!(
            status.contains(&format!(" read  {at}")),
            "opened is read: {w}: {status:?}"
        );
        send(&mut app, key('m'));
        send(&mut app, key('s'));
        send(&mut app, key('G'));
        // A notice (starred) takes the left; the right still says where we are.
        let status = row(&render(&app, w, 24), 23);
        assert!(
            status.contains(&format!("★ unread  {total}/{total} 100%")),
            "{w}: {status:?}"
        );
    }
}

#[test]
fn the_status_line_shows_no_position_outside_the_reader() {
    let app = app_sized(80, 24, 80, false);
    let status = row(&render(&app, 80, 24), 23);
    assert!(!status.contains('%'), "{status:?}");
}

#[test]
fn rows_line_up_on_the_edges_of_the_column_at_40_80_and_120_columns() {
    // (screen width, the column's first and last cell)
    for (w, first, last) in [(40u16, 1u16, 38u16), (80, 1, 78), (120, 20, 99)] {
        let mut app = app_sized(w, 24, 80, false);
        open_titled(&mut app, "خبر عاجل");
        let buf = render(&app, w, 24);
        // The title row reads right to left: it ends on the column's last cell.
        let (_, right) = text_span(&buf, 1..2);
        assert_eq!(right, last, "RTL title at {w}:\n{}", text(&buf));
        let (x, _) = find(&buf, "[o] https://example.org/ar").expect("the link list");
        assert_eq!(x, first, "the LTR link list starts the column at {w}");
        send(&mut app, code(KeyCode::Esc));
        open_titled(&mut app, "Long one");
        let buf = render(&app, w, 24);
        let (left, right) = text_span(&buf, 1..23);
        assert_eq!(left, first, "LTR at {w}");
        assert!(right <= last, "LTR at {w}: {right}");
    }
}

#[test]
fn a_config_reload_applies_a_new_reader_width_and_the_save_settings() {
    let mut app = app_sized(120, 30, 72, false);
    open_titled(&mut app, "Short one");
    let reload = |app: &mut App, width: u16, dir: &str| {
        send(
            app,
            Msg::ReaderConfigured(ReaderOptions {
                measure: width,
                configured_measure: width,
                save_dir: dir.into(),
                save_format: akhbar::view::SaveFormat::Text,
                pipe: vec!["wc".into()],
            }),
        )
    };
    reload(&mut app, 80, "/tmp/one");
    assert_eq!(
        app.measure(),
        72,
        "reader_width unchanged (80): the width chosen stays"
    );
    reload(&mut app, 60, "/tmp/two");
    assert_eq!(app.measure(), 60, "a new reader_width replaces it");
    let buf = render(&app, 120, 30);
    assert_eq!(text_span(&buf, 1..29).0, 30);
    let cmds = send(&mut app, key('S'));
    let target = cmds.iter().find_map(|c| match c {
        Cmd::Export(job) => Some(job.target.clone()),
        _ => None,
    });
    assert_eq!(
        target,
        Some(akhbar::app::ExportTarget::File {
            dir: "/tmp/two".into(),
            format: akhbar::view::SaveFormat::Text
        })
    );
}
