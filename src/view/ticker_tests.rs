//! The ticker's queue and motion (issue 10, item 9): a new item waits for the run on the
//! strip, a paused strip does not change, and no step leaves the strip empty.

use super::*;
use crate::model::{FeedId, ParsedFeed, ParsedItem};
use chrono::{TimeZone, Utc};

fn item(guid: &str, title: &str, minute: u32) -> ParsedItem {
    ParsedItem {
        guid: Some(guid.into()),
        title: title.into(),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap()),
        ..Default::default()
    }
}

fn store_with(items: Vec<ParsedItem>) -> (Store, FeedId) {
    let mut s = Store::new();
    let f = s.add_feed(
        "http://127.0.0.1:1/a.xml",
        Some("Feed"),
        vec![],
        Direction::Auto,
    );
    s.ingest(
        f,
        ParsedFeed {
            items,
            ..Default::default()
        },
        Utc::now(),
    );
    (s, f)
}

fn add(s: &mut Store, f: FeedId, it: ParsedItem) {
    s.ingest(
        f,
        ParsedFeed {
            items: vec![it],
            ..Default::default()
        },
        Utc::now(),
    );
}

fn step(t: &mut Ticker, at: &mut Instant) -> bool {
    *at += STEP;
    t.tick(*at)
}

fn text_of(t: &Ticker) -> String {
    t.current_run().map(|r| r.line.text()).unwrap_or_default()
}

/// Whether any cell of the run is inside a strip `width` wide.
fn visible(t: &Ticker, width: u16) -> bool {
    match (t.current_run(), t.position(width)) {
        (Some(r), Some(pos)) => pos < i64::from(width) && pos + r.line.width as i64 > 0,
        _ => false,
    }
}

#[test]
fn a_new_headline_waits_for_the_run_on_the_strip_and_joins_the_queue_at_its_end() {
    let (mut s, f) = store_with(vec![item("a", "Alpha", 1), item("b", "Beta", 2)]);
    let mut at = Instant::now();
    let mut t = Ticker::new(at);
    t.set_items(&s);
    t.prepare(40, TextOptions::default());
    step(&mut t, &mut at);
    let crossing = text_of(&t);
    assert!(
        crossing.contains("Beta") && crossing.contains("Alpha"),
        "{crossing}"
    );
    for _ in 0..10 {
        step(&mut t, &mut at);
    }
    add(&mut s, f, item("c", "Gamma", 3));
    t.set_items(&s);
    assert_eq!(
        text_of(&t),
        crossing,
        "the run on the strip is not replaced mid-way"
    );
    let (runs, _) = t.progress();
    while t.progress().0 == runs {
        step(&mut t, &mut at);
    }
    // One direction: the whole queue is one run, the new headline at its end.
    assert_eq!(
        text_of(&t),
        "Feed │ Beta   ◆   Feed │ Alpha   ◆   Feed │ Gamma"
    );
}

#[test]
fn a_paused_strip_neither_moves_nor_changes_when_items_arrive() {
    let (mut s, f) = store_with(vec![item("a", "Alpha", 1)]);
    let mut at = Instant::now();
    let mut t = Ticker::new(at);
    t.set_items(&s);
    t.prepare(40, TextOptions::default());
    for _ in 0..5 {
        step(&mut t, &mut at);
    }
    assert!(t.toggle_pause(at));
    let (before, text) = (t.progress(), text_of(&t));
    add(&mut s, f, item("b", "Beta", 2));
    t.set_items(&s);
    for _ in 0..200 {
        assert!(!step(&mut t, &mut at), "a paused strip reports no change");
    }
    assert_eq!((t.progress(), text_of(&t)), (before, text));
}

#[test]
fn no_step_leaves_the_strip_empty_between_runs_of_either_direction() {
    let (s, _) = store_with(vec![
        item("1", "English headline one", 1),
        item("2", "عنوان عربي طويل نسبيا عن الأخبار", 2),
        item("3", "כותרת בעברית", 3),
        item("4", "Another English one", 4),
        item("5", "خبر", 5),
    ]);
    for width in [10u16, 40, 120] {
        let mut at = Instant::now();
        let mut t = Ticker::new(at);
        t.set_items(&s);
        t.prepare(width, TextOptions::default());
        let mut directions = std::collections::BTreeSet::new();
        for i in 0..3000 {
            step(&mut t, &mut at);
            assert!(visible(&t, width), "width {width}: empty at step {i}");
            directions.insert(t.current_run().map(|r| r.rtl));
        }
        assert_eq!(
            directions.len(),
            2,
            "both directions crossed at width {width}"
        );
    }
}

#[test]
fn a_cell_of_the_strip_tells_which_article_is_drawn_there() {
    let (s, _) = store_with(vec![item("a", "Alpha", 1), item("b", "Beta", 2)]);
    let mut at = Instant::now();
    let mut t = Ticker::new(at);
    t.set_items(&s);
    t.prepare(200, TextOptions::default());
    for _ in 0..200 {
        step(&mut t, &mut at);
    }
    let run = t.current_run().unwrap().clone();
    let pos = t.position(200).unwrap();
    let (first_id, first_span) = run.spans[0].clone();
    let x = (pos + first_span.start as i64) as u16;
    assert_eq!(t.article_at(x, 200), Some(first_id));
    let (second_id, second_span) = run.spans[1].clone();
    assert_ne!(first_id, second_id);
    let x = (pos + second_span.end as i64 - 1) as u16;
    assert_eq!(t.article_at(x, 200), Some(second_id));
    let gap = (pos + first_span.end as i64 + 1) as u16;
    assert_eq!(
        t.article_at(gap, 200),
        None,
        "the gap between items is no article"
    );
}
