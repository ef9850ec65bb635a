//! insta snapshots: the reader and the headline list with an Arabic, a Hebrew and an English
//! article at widths 40, 80 and 120, and the ticker at several scroll offsets. Cells are
//! written left to right exactly as a terminal without bidi shows them.

use akhbar::app::{App, Msg};
use akhbar::model::{Direction, ParsedFeed, ParsedItem};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use chrono::{TimeZone, Utc};
use crossterm::event::KeyCode;

use crate::support::app::{app_over, render, resize, send, terminal_lines};
use crate::support::builders::{code, nov_20, parsed_item};

fn item(guid: &str, title: &str, hour: u32, author: &str, cat: &str, body: &str) -> ParsedItem {
    ParsedItem {
        link: Some(format!("https://example.org/{guid}")),
        author: Some(author.into()),
        categories: vec![cat.into()],
        published: Some(nov_20(hour, 13)),
        content_html: Some(body.into()),
        ..parsed_item(guid, title)
    }
}

fn app(mode: BidiMode) -> App {
    let mut s = Store::new();
    let ar = s.add_feed(
        "https://ar.example/rss",
        Some("الأخبار"),
        vec![],
        Direction::Auto,
    );
    let he = s.add_feed(
        "https://he.example/rss",
        Some("חדשות"),
        vec![],
        Direction::Auto,
    );
    let en = s.add_feed(
        "https://en.example/rss",
        Some("Daily News"),
        vec![],
        Direction::Auto,
    );
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap();
    s.ingest(ar, ParsedFeed { language: Some("ar".into()), items: vec![item(
        "ar1", "شركة (Apple) تعلن عن نظام جديد بسعر 999 دولار", 12, "سارة أحمد", "تقنية",
        "<p>نشر في 28-11-2021, 14:13 بتوقيت مكة</p><p>قالت الشركة إن Rust programming language is great وأضافت أن «الأداء» ارتفع 5% اليوم.</p><p>اقرأ المزيد: <a href=\"https://example.com/a?b=1\">https://example.com/a?b=1</a> الآن</p><p>2024</p>",
    )], ..Default::default() }, now);
    s.ingest(he, ParsedFeed { language: Some("he".into()), items: vec![item(
        "he1", "פורסם 28-11-2021, 14:13 בירושלים", 11, "דנה כהן", "חדשות",
        "<p>הממשלה אישרה את התקציב (בסך 5 מיליארד) אתמול.</p><p>The quote in English stays left to right.</p>",
    )], ..Default::default() }, now);
    s.ingest(en, ParsedFeed { language: Some("en".into()), items: vec![item(
        "en1", "The word (سلام) means peace", 10, "Jo Smith", "World",
        "<p>A plain English paragraph that is long enough to wrap at forty columns.</p><blockquote>A quote.</blockquote><ul><li>One</li><li>Two</li></ul>",
    )], ..Default::default() }, now);
    app_over(s, mode)
}

fn lines(app: &App, w: u16, h: u16) -> String {
    terminal_lines(&render(app, w, h))
}

#[test]
fn reader_snapshots_at_three_widths() {
    for (name, row) in [("arabic", 0), ("hebrew", 1), ("english", 2)] {
        for w in [40u16, 80, 120] {
            let mut a = app(BidiMode::App);
            resize(&mut a, w, 24);
            for _ in 0..row {
                send(&mut a, code(KeyCode::Down));
            }
            send(&mut a, code(KeyCode::Enter));
            insta::assert_snapshot!(format!("reader_{name}_{w}"), lines(&a, w, 24));
        }
    }
}

#[test]
fn headline_list_snapshots_at_three_widths() {
    for w in [40u16, 80, 120] {
        let mut a = app(BidiMode::App);
        resize(&mut a, w, 8);
        insta::assert_snapshot!(format!("headlines_{w}"), lines(&a, w, 8));
    }
}

#[test]
fn ticker_snapshots_at_several_offsets() {
    let mut a = app(BidiMode::App);
    resize(&mut a, 60, 3);
    let start = a.now();
    let mut strips = String::new();
    for step in [0u64, 5, 20, 45, 70, 90, 130] {
        send(
            &mut a,
            Msg::Tick(start + akhbar::view::TICKER_STEP * step as u32),
        );
        let run = a.ticker().progress().0;
        let offset = a.ticker().progress().1;
        let screen = lines(&a, 60, 3);
        strips.push_str(&format!(
            "run {run} offset {offset:>3} |{}|\n",
            screen.lines().next().unwrap_or("")
        ));
    }
    insta::assert_snapshot!("ticker_offsets", strips);
}

#[test]
fn terminal_mode_keeps_logical_order() {
    let mut a = app(BidiMode::Terminal);
    resize(&mut a, 80, 24);
    send(&mut a, code(KeyCode::Enter));
    insta::assert_snapshot!("reader_arabic_80_terminal_mode", lines(&a, 80, 24));
}
