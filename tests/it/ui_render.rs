//! Views rendered into ratatui buffers: whole screens and every widget, down to 0x0 and 1x1.

use akhbar::app::Msg;
use akhbar::ui;
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::support::app::{EN, app, item, render, resize, row, send, text, type_str};
use crate::support::builders::{Finished, code, key, parsed_feed};

#[test]
fn the_main_screen_shows_ticker_lists_and_status() {
    let app = app();
    let buf = render(&app, 80, 24);
    let all = text(&buf);
    assert_eq!(
        buf[(0, 0)].bg,
        akhbar::view::theme::ticker().bg.unwrap(),
        "ticker on the top row"
    );
    assert!(row(&buf, 1).contains("All articles"), "{}", row(&buf, 1));
    assert!(all.contains("Rust 1.95 released"));
    assert!(all.contains("Daily"));
    assert!(row(&buf, 23).contains("0/2 feeds ok"), "{}", row(&buf, 23));
    assert!(row(&buf, 23).contains("5 unread"));
    assert!(row(&buf, 23).contains("bidi:app"));
}

#[test]
fn the_reader_shows_title_meta_and_paragraphs() {
    let mut app = app();
    send(&mut app, code(KeyCode::Enter));
    let buf = render(&app, 80, 24);
    let all = text(&buf);
    assert!(row(&buf, 1).contains("Rust 1.95 released"), "{all}");
    assert!(row(&buf, 2).contains("Daily"), "{all}");
    assert!(all.contains("First paragraph."));
    assert!(all.contains("Second paragraph."));
    assert!(all.contains("[o] https://example.org/rust"), "{all}");
}

#[test]
fn rtl_titles_are_right_aligned_in_the_reader() {
    let mut app = app();
    send(&mut app, key('j'));
    send(&mut app, code(KeyCode::Enter));
    let buf = render(&app, 60, 10);
    let title_row = row(&buf, 1);
    assert_eq!(
        buf[(59, 1)].symbol(),
        " ",
        "a one-cell margin on the right: {title_row:?}"
    );
    assert_ne!(
        buf[(58, 1)].symbol(),
        " ",
        "title reaches the right margin: {title_row:?}"
    );
    assert_eq!(
        buf[(1, 1)].symbol(),
        " ",
        "and starts away from the left edge"
    );
}

#[test]
fn tiny_and_empty_areas_never_panic() {
    let mut app = app();
    for (w, h) in [(0, 0), (1, 1), (2, 1), (1, 3), (5, 2), (80, 1), (10, 24)] {
        resize(&mut app, w, h);
        for step in [None, Some(code(KeyCode::Enter)), Some(key('?'))] {
            if let Some(msg) = step {
                send(&mut app, msg);
            }
            let buf = render(&app, w, h);
            for y in 0..h {
                assert_eq!(drawn_width(&buf, y), w as usize, "{w}x{h}, row {y}");
            }
        }
        send(&mut app, code(KeyCode::Esc));
        send(&mut app, code(KeyCode::Esc));
    }
    let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
    let a = Rect::new(0, 0, 1, 1);
    ui::lists::render_feeds(&app, a, &mut buf);
    ui::lists::render_headlines(&app, a, &mut buf);
    ui::status::render(&app, a, &mut buf);
    ui::help::render(&app, 0, &akhbar::view::Geometry::new(a), &mut buf);
    ui::ticker::render(app.ticker(), a, &mut buf);
    let mut empty = Buffer::empty(Rect::new(0, 0, 0, 0));
    ui::lists::render_headlines(&app, Rect::new(0, 0, 0, 0), &mut empty);
    ui::ticker::render(app.ticker(), Rect::new(0, 0, 0, 0), &mut empty);
}

#[test]
fn the_help_overlay_lists_every_action_from_the_table() {
    let mut app = app();
    // Tall enough for the whole table on one page (it grows with each new action).
    resize(&mut app, 80, 60);
    send(&mut app, key('?'));
    let all = text(&render(&app, 80, 60));
    for spec in akhbar::action::ACTIONS {
        assert!(all.contains(spec.help), "missing {:?}", spec.help);
    }
}

#[test]
fn the_search_prompt_shows_in_the_status_line() {
    let mut app = app();
    send(&mut app, key('/'));
    send(&mut app, key('x'));
    let buf = render(&app, 80, 24);
    assert!(row(&buf, 23).starts_with(" /x "), "{}", row(&buf, 23));
    let reversed = |x: u16| {
        buf[(x, 23)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    };
    assert!(reversed(3), "the caret is the cell after the x");
    assert!(!reversed(2));
}

#[test]
fn an_arabic_query_is_shown_right_to_left_with_the_caret_left_of_its_last_letter() {
    let mut app = app();
    send(&mut app, key('/'));
    type_str(&mut app, "كتب");
    let buf = render(&app, 80, 24);
    let reversed = |x: u16| {
        buf[(x, 23)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    };
    // " /" then the caret's blank, then the word drawn right to left (its first letter, the
    // kaf, rightmost; shaped or not, it folds to the kaf).
    assert_eq!(buf[(1, 23)].symbol(), "/");
    assert!(
        reversed(2) && buf[(2, 23)].symbol() == " ",
        "{}",
        row(&buf, 23)
    );
    assert!((3..6).all(|x| !reversed(x) && buf[(x, 23)].symbol() != " "));
    assert_eq!(
        akhbar::text::fold::fold(buf[(5, 23)].symbol()),
        "ك",
        "{}",
        row(&buf, 23)
    );
    assert_eq!(akhbar::text::fold::fold(buf[(3, 23)].symbol()), "ب");
    // Left moves the cursor back over the beh: the caret covers it now.
    send(
        &mut app,
        crate::support::builders::code(crossterm::event::KeyCode::Left),
    );
    let buf = render(&app, 80, 24);
    assert!(
        buf[(2, 23)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    assert_ne!(buf[(2, 23)].symbol(), " ");
}

/// Sums the cell widths of a row the way a terminal advances: a wide symbol covers the next
/// cell, which must then be blank.
fn drawn_width(buf: &Buffer, y: u16) -> usize {
    let mut x = 0;
    let mut total = 0;
    while x < buf.area.width {
        let w = unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol());
        assert!(
            w >= 1,
            "cell ({x},{y}) holds a zero-width symbol {:?}",
            buf[(x, y)].symbol()
        );
        total += w;
        x += w as u16;
    }
    total
}

#[test]
fn every_row_of_every_screen_is_exactly_the_screen_width() {
    let mut app = app();
    for w in [20u16, 40, 80, 120, 200] {
        resize(&mut app, w, 12);
        for open in [false, true] {
            if open {
                send(&mut app, code(KeyCode::Enter));
            }
            let buf = render(&app, w, 12);
            for y in 0..12 {
                assert_eq!(
                    drawn_width(&buf, y),
                    w as usize,
                    "row {y} at width {w}: {:?}",
                    row(&buf, y)
                );
            }
            send(&mut app, code(KeyCode::Esc));
        }
    }
}

#[test]
fn a_failed_feed_shows_its_error_when_selected_in_the_feed_list() {
    use akhbar::app::SidebarRow;
    use akhbar::model::FetchOutcome;
    let mut app = app();
    send(
        &mut app,
        Msg::Poll(
            Finished {
                failures: 2,
                ..Finished::new(
                    EN,
                    FetchOutcome::Failed {
                        reason: "HTTP 503 Service Unavailable".into(),
                    },
                )
            }
            .into(),
        ),
    );
    let buf = render(&app, 80, 24);
    assert!(row(&buf, 23).contains("1 failed"), "{}", row(&buf, 23));
    send(&mut app, code(KeyCode::Tab));
    let feed_row = app
        .sidebar()
        .iter()
        .position(|r| *r == SidebarRow::Feed(EN))
        .unwrap();
    for _ in 0..feed_row {
        send(&mut app, key('j'));
    }
    // The transient messages have gone (5 s later).
    let later = app.now() + std::time::Duration::from_secs(6);
    send(&mut app, Msg::Tick(later));
    let buf = render(&app, 80, 24);
    assert!(
        // The feed's address with its error (issue 10 item 5).
        row(&buf, 23).contains("Daily <http://127.0.0.1:1/en.xml>: HTTP 503 Service"),
        "{}",
        row(&buf, 23)
    );
    assert!(
        text(&buf).contains("3 !"),
        "the feed list marks the failed feed:\n{}",
        text(&buf)
    );
}

#[test]
fn a_feed_direction_override_wins_over_the_html_and_the_text() {
    use akhbar::model::Direction;
    use akhbar::view::layout_article;
    let mut store = akhbar::store::Store::new();
    let id = store.add_feed("http://x/", Some("X"), vec![], Direction::Rtl);
    store.ingest(
        id,
        parsed_feed(vec![item(
            "k",
            "Title",
            1,
            None,
            "<p dir=\"ltr\">Plain English words.</p>",
        )]),
        chrono::Utc::now(),
    );
    let a = store.article(store.order()[0]).unwrap();
    let opts = akhbar::text::TextOptions::default();
    let para = |feed: &akhbar::store::Feed| {
        let lines = layout_article(a, Some(feed), 60, &opts, akhbar::clock::Zone::UTC);
        lines
            .into_iter()
            .find(|l| l.line.cells().any(|(g, _, _)| g == "P"))
            .unwrap()
            .line
    };
    let mut feed = store.feed(id).unwrap().clone();
    assert!(
        para(&feed).rtl,
        "the feed says rtl: the paragraph is right-aligned"
    );
    feed.direction = Direction::Auto;
    assert!(
        !para(&feed).rtl,
        "without the override the HTML's ltr holds"
    );
}

#[test]
fn categories_take_the_arabic_comma_only_in_arabic_script() {
    use akhbar::model::Direction;
    use akhbar::view::layout_article;
    for (lang, title, cats, comma) in [
        ("he", "כותרת", ["חדשות", "כלכלה"], ","),
        ("ar", "عنوان", ["أخبار", "اقتصاد"], "،"),
    ] {
        let mut store = akhbar::store::Store::new();
        let id = store.add_feed("http://x/", Some("X"), vec![], Direction::Auto);
        let mut it = item("k", title, 1, None, "<p>x</p>");
        it.categories = cats.iter().map(|c| c.to_string()).collect();
        store.ingest(
            id,
            akhbar::model::ParsedFeed {
                language: Some(lang.into()),
                ..parsed_feed(vec![it])
            },
            chrono::Utc::now(),
        );
        let a = store.article(store.order()[0]).unwrap();
        let lines = layout_article(
            a,
            store.feed(id),
            60,
            &akhbar::text::TextOptions::default(),
            akhbar::clock::Zone::UTC,
        );
        let meta: String = lines[1].line.cells().map(|(g, _, _)| g).collect();
        assert!(meta.contains(comma), "{lang}: {meta}");
        assert!(
            !meta.contains(if comma == "," { "،" } else { "," }),
            "{lang}: {meta}"
        );
    }
}
