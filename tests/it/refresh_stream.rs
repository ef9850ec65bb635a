//! `refresh_stream` hands over each feed as soon as it is fetched (so `akhbar refresh` can
//! store it and let it go), and `refresh_once` still answers in the order of the feeds.

use std::sync::Arc;

use akhbar::feed::{PollOptions, refresh_once, refresh_stream};
use akhbar::model::{FeedId, FetchOutcome, PollEvent};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::sync::Notify;

use crate::support::builders::source;
use crate::support::http::{RSS, counting, serve};

/// A server with `/fast`, answered at once, and `/slow`, answered once `release` is notified.
async fn serve_fast_and_slow(release: Arc<Notify>) -> String {
    serve(Router::new().route("/fast", get(|| async { RSS })).route(
        "/slow",
        get(move || {
            let release = Arc::clone(&release);
            async move {
                release.notified().await;
                RSS
            }
        }),
    ))
    .await
}

fn finished_feed(event: &PollEvent) -> FeedId {
    match event {
        PollEvent::Finished { feed, outcome, .. } => {
            assert!(matches!(outcome, FetchOutcome::Updated(_)), "{outcome:?}");
            *feed
        }
        other => panic!("expected Finished, got {other:?}"),
    }
}

#[tokio::test]
async fn a_fetched_feed_is_handed_over_while_a_slow_one_is_still_loading() {
    let release = Arc::new(Notify::new());
    let base = serve_fast_and_slow(Arc::clone(&release)).await;
    let mut events = refresh_stream(
        vec![
            source(0, format!("{base}/slow")),
            source(1, format!("{base}/fast")),
        ],
        PollOptions::default(),
    );
    // The slow feed cannot finish before it is released, which happens only after this.
    let first = events.recv().await.expect("the fast feed's event");
    assert_eq!(finished_feed(&first), FeedId(1));
    release.notify_one();
    let second = events.recv().await.expect("the slow feed's event");
    assert_eq!(finished_feed(&second), FeedId(0));
    assert!(
        events.recv().await.is_none(),
        "one event per feed, then closed"
    );
}

#[tokio::test]
async fn refresh_once_answers_in_the_order_of_the_feeds_whatever_finishes_first() {
    let release = Arc::new(Notify::new());
    let base = serve_fast_and_slow(Arc::clone(&release)).await;
    // Released up front (a stored permit): the order must not depend on timing either way.
    release.notify_one();
    let events = refresh_once(
        vec![
            source(5, format!("{base}/slow")),
            source(2, format!("{base}/fast")),
            source(9, format!("{base}/fast")),
        ],
        PollOptions::default(),
    )
    .await;
    let order: Vec<FeedId> = events.iter().map(finished_feed).collect();
    assert_eq!(order, [FeedId(5), FeedId(2), FeedId(9)]);
}

#[tokio::test]
async fn refresh_fetches_a_feed_saved_for_later_at_once_and_keeps_its_saved_backoff() {
    let release = Arc::new(Notify::new());
    let base = serve_fast_and_slow(Arc::clone(&release)).await;
    let mut failing = source(0, format!("{base}/missing"));
    failing.failures = 2;
    failing.next_poll = Some(chrono::Utc::now() + chrono::Duration::hours(5));
    let mut later = source(1, format!("{base}/fast"));
    later.failures = 2;
    later.next_poll = Some(chrono::Utc::now() + chrono::Duration::hours(5));
    let events = refresh_once(vec![failing, later], PollOptions::default()).await;
    let PollEvent::Finished {
        outcome,
        failures,
        next_poll,
        ..
    } = &events[0]
    else {
        panic!("expected Finished, got {:?}", events[0]);
    };
    assert!(
        matches!(outcome, FetchOutcome::Failed { .. }),
        "{outcome:?}"
    );
    assert_eq!(*failures, 3);
    // The third failure in a row waits 15 min * 2^2 (plus at most a tenth of jitter).
    let wait = next_poll.unwrap() - chrono::Utc::now();
    assert!(
        wait > chrono::Duration::minutes(59) && wait <= chrono::Duration::minutes(66),
        "{wait}"
    );
    let PollEvent::Finished {
        outcome, failures, ..
    } = &events[1]
    else {
        panic!("expected Finished, got {:?}", events[1]);
    };
    assert!(matches!(outcome, FetchOutcome::Updated(_)), "{outcome:?}");
    assert_eq!(*failures, 0);
}

#[tokio::test]
async fn a_caller_that_stops_reading_pauses_the_fetching_until_it_reads_again() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(Arc::clone(&hits), StatusCode::OK)).await;
    let opts = PollOptions {
        concurrency: 1,
        ..PollOptions::default()
    };
    let feeds = (0..5).map(|i| source(i, format!("{base}/feed"))).collect();
    let mut events = refresh_stream(feeds, opts);
    // One event fits in the channel (the overall concurrency); the next fetch waits for room.
    let first = events.recv().await.expect("the first feed's event");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        hits.load(Ordering::SeqCst) <= 2,
        "fetching went on while nobody read: {} hits",
        hits.load(Ordering::SeqCst)
    );
    let mut done = vec![finished_feed(&first)];
    while let Some(event) = events.recv().await {
        done.push(finished_feed(&event));
    }
    done.sort();
    assert_eq!(done, (0..5).map(FeedId).collect::<Vec<_>>());
    assert_eq!(hits.load(Ordering::SeqCst), 5);
}
