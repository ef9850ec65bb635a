//! UI cost per key and per poll event with a large store: what the render loop pays, which
//! must stay proportional to the screen, not to the number of articles.
//!
//! `cargo bench --bench ui`

use std::hint::black_box;

use akhbar::app::{App, AppOptions, Msg};
use akhbar::model::{Direction, FeedId, FetchOutcome, ParsedFeed, ParsedItem};
use akhbar::store::Store;
use akhbar::text::BidiMode;
use akhbar::ui;
use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

// The tests' builders with defaults; a bench uses only some of them.
#[allow(dead_code)]
#[path = "../tests/it/support/builders.rs"]
mod builders;

use builders::{bidi, code, finished, key, parsed_feed, parsed_item};

const FEEDS: usize = 1000;
const ITEMS: usize = 50;

fn items(feed: usize, n: usize, offset: i64) -> Vec<ParsedItem> {
    let base = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let arabic = feed.is_multiple_of(3);
            let title = if arabic {
                format!("شركة (Apple) تعلن عن نظام جديد رقم {i} بسعر 999 دولار في {feed}")
            } else {
                format!("Headline number {i} of feed {feed}: something happened (again)")
            };
            ParsedItem {
                published: Some(base + Duration::minutes((feed * 7 + i * 13) as i64 + offset)),
                content_html: Some("<p>Body.</p>".into()),
                language: Some(if arabic { "ar" } else { "en" }.into()),
                ..parsed_item(&format!("f{feed}-i{i}-{offset}"), &title)
            }
        })
        .collect()
}

fn big_app() -> App {
    let mut store = Store::new();
    let now = Utc::now();
    for f in 0..FEEDS {
        let id = store.add_feed(
            &format!("http://127.0.0.1:8700/f{f:05}.xml"),
            None,
            vec![],
            Direction::Auto,
        );
        store.ingest(
            id,
            ParsedFeed {
                title: Some(format!("Feed {f}")),
                ..parsed_feed(items(f, ITEMS, 0))
            },
            now,
        );
    }
    let mut app = App::new(AppOptions {
        bidi: bidi(BidiMode::App),
        ..AppOptions::new(store)
    });
    app.update(Msg::Resize {
        width: 120,
        height: 40,
    });
    app
}

fn bench(c: &mut Criterion) {
    let mut app = big_app();
    let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
    c.bench_function("key j + full frame, 50k articles, 120x40", |b| {
        let mut down = true;
        b.iter(|| {
            // Alternate so the cursor never sticks at an end.
            app.update(key(if down { 'j' } else { 'k' }));
            down = !down;
            buf.reset();
            ui::render(black_box(&app), buf.area, &mut buf);
        })
    });
    c.bench_function("open article + frame + back, 50k articles", |b| {
        b.iter(|| {
            app.update(code(KeyCode::Enter));
            buf.reset();
            ui::render(&app, buf.area, &mut buf);
            app.update(key('q'));
        })
    });
    let mut n = 0i64;
    let mut event = move || {
        n += 1;
        let feed = (n as usize) % FEEDS;
        let parsed = parsed_feed(items(feed, ITEMS, n * 1000));
        Msg::Poll(finished(FeedId(feed as u32), FetchOutcome::Updated(parsed)))
    };
    c.bench_function("one poll event (50 new items) into 50k articles", |b| {
        b.iter(|| app.update(event()))
    });
    c.bench_function(
        "a batch of 64 poll events (50 new items each), one derive",
        |b| b.iter(|| app.update_many((0..64).map(|_| event()).collect::<Vec<_>>())),
    );
    // Issue 9: a batch of 304 answers changes nothing a view shows, so nothing is derived
    // again (the poller starts and finishes every feed of a warm refresh this way).
    let not_modified: Vec<Msg> = (0..FEEDS as u32)
        .flat_map(|f| {
            [
                Msg::Poll(akhbar::model::PollEvent::Started { feed: FeedId(f) }),
                Msg::Poll(finished(FeedId(f), FetchOutcome::NotModified)),
            ]
        })
        .collect();
    let before = app.stats();
    c.bench_function("a batch of 1,000 304 answers into 50k articles", |b| {
        b.iter(|| app.update_many(not_modified.clone()))
    });
    assert_eq!(
        app.stats().view_computes,
        before.view_computes,
        "304 answers recomputed the headline view"
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
