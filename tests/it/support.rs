//! Helpers shared by the integration tests: a small store and an app over it.
#![allow(dead_code)]

pub mod process;

use akhbar::app::{App, BidiState, Cmd, Msg};
use akhbar::config::{BidiSetting, ShapingSetting};
use akhbar::keymap::Keymap;
use akhbar::model::{Direction, FeedId, ParsedFeed, ParsedItem};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn item(guid: &str, title: &str, hour: u32, link: Option<&str>, body: &str) -> ParsedItem {
    ParsedItem {
        guid: Some(guid.to_string()),
        link: link.map(str::to_string),
        title: title.to_string(),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 20, hour, 0, 0).unwrap()),
        content_html: Some(body.to_string()),
        ..Default::default()
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
            items: vec![
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
            ],
            ..Default::default()
        },
        now,
    );
    s.ingest(
        ar,
        ParsedFeed {
            language: Some("ar".into()),
            items: vec![
                item(
                    "a1",
                    "شركة (Apple) تعلن",
                    9,
                    Some("https://example.org/a1"),
                    "<p>نص المقال.</p>",
                ),
                item("a2", "ارتفع 5% اليوم", 7, None, "<p>فقرة.</p>"),
            ],
            ..Default::default()
        },
        now,
    );
    s
}

pub fn bidi() -> BidiState {
    BidiState {
        setting: BidiSetting::App,
        shaping: ShapingSetting::Auto,
        mode: BidiMode::App,
        reason: "test".into(),
    }
}

pub fn app() -> App {
    let mut app = App::new(store(), Keymap::default(), bidi());
    send(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
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

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub const EN: FeedId = FeedId(0);
pub const AR: FeedId = FeedId(1);
