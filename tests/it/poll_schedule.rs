//! The poller task: start-up fetch, schedule, backoff, manual refresh, coalescing, limits,
//! permanent moves, Gone and shutdown. Time is paused, so hours pass instantly.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use akhbar::feed::{PollCmd, PollOptions, spawn_poller};
use akhbar::model::{FeedId, FetchOutcome, PollEvent};
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

use crate::support::builders::source;
use crate::support::http::{RSS, counting, serve};

const MIN: Duration = Duration::from_secs(60);

/// The next `Finished` event (skipping `Started`).
async fn finished(
    rx: &mut mpsc::UnboundedReceiver<PollEvent>,
) -> (
    FeedId,
    FetchOutcome,
    u32,
    Option<chrono::DateTime<chrono::Utc>>,
) {
    loop {
        match rx.recv().await.expect("poller alive") {
            PollEvent::Started { .. } => continue,
            PollEvent::Finished {
                feed,
                outcome,
                failures,
                next_poll,
                ..
            } => return (feed, outcome, failures, next_poll),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn every_feed_is_fetched_at_start_with_started_before_finished() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let feeds = (0..3).map(|i| source(i, format!("{base}/feed"))).collect();
    let _poller = spawn_poller(feeds, PollOptions::default(), tx);
    let mut started = Vec::new();
    let mut done = Vec::new();
    while done.len() < 3 {
        match rx.recv().await.unwrap() {
            PollEvent::Started { feed } => started.push(feed),
            PollEvent::Finished { feed, .. } => {
                assert!(
                    started.contains(&feed),
                    "{feed:?} finished before it started"
                );
                done.push(feed);
            }
        }
    }
    done.sort();
    assert_eq!(done, [FeedId(0), FeedId(1), FeedId(2)]);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn a_feed_is_polled_again_after_its_own_interval() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut feed = source(1, format!("{base}/feed"));
    feed.interval = Some(5 * MIN);
    let _poller = spawn_poller(vec![feed], PollOptions::default(), tx);
    let start = Instant::now();
    let (_, first, _, next) = finished(&mut rx).await;
    assert!(matches!(first, FetchOutcome::Updated(_)));
    let wait = next.unwrap() - chrono::Utc::now();
    assert!(wait > chrono::Duration::minutes(4), "{wait}");
    assert!(wait <= chrono::Duration::seconds(5 * 66), "{wait}");
    let (_, second, _, _) = finished(&mut rx).await;
    // Same bytes again and no validators: recognised without parsing.
    assert_eq!(second, FetchOutcome::NotModified);
    let elapsed = start.elapsed();
    assert!(elapsed >= 5 * MIN && elapsed <= 6 * MIN, "{elapsed:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failing_feed_backs_off_exponentially_and_counts_failures() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::INTERNAL_SERVER_ERROR)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _poller = spawn_poller(
        vec![source(1, format!("{base}/feed"))],
        PollOptions::default(),
        tx,
    );
    let mut gaps = Vec::new();
    let mut last = Instant::now();
    for expected in 1..=4 {
        let (_, outcome, failures, next) = finished(&mut rx).await;
        assert!(matches!(outcome, FetchOutcome::Failed { .. }));
        assert_eq!(failures, expected);
        assert!(next.is_some());
        gaps.push(last.elapsed().as_secs() / 60);
        last = Instant::now();
    }
    // First fetch at once, then 15, 30 and 60 minutes (+ up to 10 % jitter).
    assert_eq!(gaps[0], 0);
    for (gap, base) in gaps[1..].iter().zip([15, 30, 60]) {
        assert!(*gap >= base && *gap <= base + base / 10, "{gaps:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn refresh_fetches_now_instead_of_waiting_for_the_schedule() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::INTERNAL_SERVER_ERROR)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let poller = spawn_poller(
        vec![source(1, format!("{base}/feed"))],
        PollOptions::default(),
        tx,
    );
    finished(&mut rx).await;
    let start = Instant::now();
    poller.send(PollCmd::Refresh(FeedId(1)));
    let (_, _, failures, _) = finished(&mut rx).await;
    assert_eq!(failures, 2);
    assert!(start.elapsed() < MIN, "{:?}", start.elapsed());
    poller.send(PollCmd::RefreshAll);
    let (_, _, failures, _) = finished(&mut rx).await;
    assert_eq!(failures, 3);
    assert!(start.elapsed() < MIN);
}

#[tokio::test(start_paused = true)]
async fn refreshes_during_a_fetch_coalesce_into_one_more_fetch() {
    let hits = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Semaphore::new(0));
    let (h, g) = (hits.clone(), gate.clone());
    let base = serve(Router::new().route(
        "/feed",
        get(move || {
            let (h, g) = (h.clone(), g.clone());
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                g.acquire().await.unwrap().forget();
                RSS
            }
        }),
    ))
    .await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let poller = spawn_poller(
        vec![source(1, format!("{base}/feed"))],
        PollOptions::default(),
        tx,
    );
    assert!(matches!(rx.recv().await, Some(PollEvent::Started { .. })));
    for _ in 0..5 {
        poller.send(PollCmd::Refresh(FeedId(1)));
    }
    poller.send(PollCmd::RefreshAll);
    gate.add_permits(100);
    finished(&mut rx).await;
    finished(&mut rx).await;
    // Well before the 15-minute schedule: no third fetch.
    tokio::time::sleep(5 * MIN).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn fetches_to_one_host_never_exceed_the_per_host_limit_nor_the_overall_one() {
    let now = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let router = || {
        let (now, peak) = (now.clone(), peak.clone());
        Router::new().route(
            "/feed",
            get(move || {
                let (now, peak) = (now.clone(), peak.clone());
                async move {
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(current, Ordering::SeqCst);
                    // Held long enough that every allowed request overlaps, even on a busy machine.
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    RSS
                }
            }),
        )
    };
    // One host: the per-host limit (2) binds.
    let one = serve(router()).await;
    let feeds: Vec<_> = (0..8).map(|i| source(i, format!("{one}/feed"))).collect();
    let opts = PollOptions {
        per_host: 2,
        concurrency: 10,
        ..PollOptions::default()
    };
    let events = akhbar::feed::refresh_once(feeds, opts).await;
    assert_eq!(events.len(), 8);
    assert_eq!(peak.load(Ordering::SeqCst), 2);
    // Three hosts (ports): the overall limit (3) binds.
    peak.store(0, Ordering::SeqCst);
    let mut feeds = Vec::new();
    for h in 0..3 {
        let base = serve(router()).await;
        feeds.extend((0..4).map(|i| source(h * 10 + i, format!("{base}/feed"))));
    }
    let opts = PollOptions {
        per_host: 4,
        concurrency: 3,
        ..PollOptions::default()
    };
    akhbar::feed::refresh_once(feeds, opts).await;
    assert_eq!(peak.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn after_a_permanent_redirect_the_new_url_is_fetched_directly() {
    let old_hits = Arc::new(AtomicUsize::new(0));
    let o = old_hits.clone();
    let base = serve(
        Router::new()
            .route(
                "/old",
                get(move || {
                    let o = o.clone();
                    async move {
                        o.fetch_add(1, Ordering::SeqCst);
                        (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/feed")])
                            .into_response()
                    }
                }),
            )
            .merge(counting(Arc::new(AtomicUsize::new(0)), StatusCode::OK)),
    )
    .await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let poller = spawn_poller(
        vec![source(1, format!("{base}/old"))],
        PollOptions::default(),
        tx,
    );
    match rx.recv().await {
        Some(PollEvent::Started { .. }) => {}
        other => panic!("{other:?}"),
    }
    match rx.recv().await.unwrap() {
        PollEvent::Finished { moved_to, .. } => assert_eq!(moved_to, Some(format!("{base}/feed"))),
        other => panic!("{other:?}"),
    }
    poller.send(PollCmd::Refresh(FeedId(1)));
    match finished_full(&mut rx).await {
        PollEvent::Finished { moved_to, .. } => assert_eq!(moved_to, None),
        other => panic!("{other:?}"),
    }
    assert_eq!(old_hits.load(Ordering::SeqCst), 1);
}

async fn finished_full(rx: &mut mpsc::UnboundedReceiver<PollEvent>) -> PollEvent {
    loop {
        let event = rx.recv().await.expect("poller alive");
        if matches!(event, PollEvent::Finished { .. }) {
            return event;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_gone_feed_is_not_polled_again_until_asked() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::GONE)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let poller = spawn_poller(
        vec![source(1, format!("{base}/feed"))],
        PollOptions::default(),
        tx,
    );
    let (_, outcome, _, next) = finished(&mut rx).await;
    assert_eq!(outcome, FetchOutcome::Gone);
    assert_eq!(next, None);
    tokio::time::sleep(48 * 60 * MIN).await;
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    poller.send(PollCmd::Refresh(FeedId(1)));
    finished(&mut rx).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn shutdown_stops_the_task_and_closes_the_event_channel() {
    let base = serve(counting(Arc::new(AtomicUsize::new(0)), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let poller = spawn_poller(
        vec![source(1, format!("{base}/feed"))],
        PollOptions::default(),
        tx,
    );
    finished(&mut rx).await;
    poller.send(PollCmd::Shutdown);
    assert_eq!(rx.recv().await, None);
}

#[tokio::test(start_paused = true)]
async fn validators_from_the_config_make_the_first_fetch_conditional() {
    let base = serve(Router::new().route(
        "/feed",
        get(|h: axum::http::HeaderMap| async move {
            if h.get(header::IF_NONE_MATCH).is_some_and(|v| v == "\"abc\"") {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                RSS.into_response()
            }
        }),
    ))
    .await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut feed = source(1, format!("{base}/feed"));
    feed.etag = Some("\"abc\"".into());
    let _poller = spawn_poller(vec![feed], PollOptions::default(), tx);
    match finished_full(&mut rx).await {
        PollEvent::Finished { outcome, etag, .. } => {
            assert_eq!(outcome, FetchOutcome::NotModified);
            assert_eq!(etag.as_deref(), Some("\"abc\""));
        }
        other => panic!("{other:?}"),
    }
}

/// A time `delay` from now on the wall clock (what the cache saves as `next_poll`).
fn from_now(delay: Duration) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::from_std(delay).unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_feed_saved_for_later_is_first_fetched_then_while_the_others_go_at_once() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut later = source(1, format!("{base}/feed"));
    later.next_poll = Some(from_now(30 * MIN));
    let mut overdue = source(2, format!("{base}/feed"));
    overdue.next_poll = Some(chrono::Utc::now() - chrono::Duration::hours(3));
    // Not polled again before the other feed's first fetch.
    overdue.interval = Some(120 * MIN);
    let start = Instant::now();
    let _poller = spawn_poller(vec![later, overdue], PollOptions::default(), tx);
    let (feed, _, _, _) = finished(&mut rx).await;
    assert_eq!(feed, FeedId(2), "the overdue feed comes first");
    assert!(start.elapsed() < MIN, "{:?}", start.elapsed());
    let (feed, outcome, _, _) = finished(&mut rx).await;
    assert_eq!(feed, FeedId(1));
    assert!(matches!(outcome, FetchOutcome::Updated(_)), "{outcome:?}");
    let elapsed = start.elapsed();
    assert!(elapsed >= 29 * MIN && elapsed <= 31 * MIN, "{elapsed:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_saved_next_poll_days_ahead_is_cut_to_the_six_hour_backoff_cap() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut feed = source(1, format!("{base}/feed"));
    // A clock that ran ten days fast when the last run saved its schedule.
    feed.next_poll = Some(from_now(Duration::from_secs(10 * 24 * 3600)));
    let start = Instant::now();
    let _poller = spawn_poller(vec![feed], PollOptions::default(), tx);
    finished(&mut rx).await;
    let elapsed = start.elapsed();
    assert!(
        elapsed >= 359 * MIN && elapsed <= 361 * MIN,
        "first fetch after {elapsed:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn saved_failures_continue_the_backoff_instead_of_starting_over() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::INTERNAL_SERVER_ERROR)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut feed = source(1, format!("{base}/feed"));
    feed.failures = 3;
    let _poller = spawn_poller(vec![feed], PollOptions::default(), tx);
    let (_, outcome, failures, next_poll) = finished(&mut rx).await;
    assert!(
        matches!(outcome, FetchOutcome::Failed { .. }),
        "{outcome:?}"
    );
    assert_eq!(failures, 4);
    // The fourth failure in a row waits 15 min * 2^3, plus at most a tenth of jitter.
    let wait = next_poll.unwrap() - chrono::Utc::now();
    assert!(
        wait > chrono::Duration::minutes(119) && wait <= chrono::Duration::minutes(132),
        "{wait}"
    );
    let start = Instant::now();
    finished(&mut rx).await;
    let gap = start.elapsed();
    assert!(gap >= 119 * MIN && gap <= 132 * MIN, "{gap:?}");
}

#[tokio::test(start_paused = true)]
async fn a_success_after_saved_failures_resets_the_backoff() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut feed = source(1, format!("{base}/feed"));
    feed.failures = 5;
    let _poller = spawn_poller(vec![feed], PollOptions::default(), tx);
    let (_, outcome, failures, next_poll) = finished(&mut rx).await;
    assert!(matches!(outcome, FetchOutcome::Updated(_)), "{outcome:?}");
    assert_eq!(failures, 0);
    let wait = next_poll.unwrap() - chrono::Utc::now();
    assert!(wait <= chrono::Duration::seconds(15 * 66), "{wait}");
}

#[tokio::test(start_paused = true)]
async fn refresh_and_refresh_all_fetch_a_feed_saved_for_later_at_once() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(counting(hits.clone(), StatusCode::OK)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut one = source(1, format!("{base}/feed"));
    one.next_poll = Some(from_now(3 * 60 * MIN));
    let mut two = source(2, format!("{base}/feed"));
    two.next_poll = Some(from_now(3 * 60 * MIN));
    let poller = spawn_poller(vec![one, two], PollOptions::default(), tx);
    let start = Instant::now();
    tokio::time::sleep(MIN).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing due yet");
    poller.send(PollCmd::Refresh(FeedId(2)));
    let (feed, _, _, _) = finished(&mut rx).await;
    assert_eq!(feed, FeedId(2));
    poller.send(PollCmd::RefreshAll);
    let (feed, _, _, _) = finished(&mut rx).await;
    let (other, _, _, _) = finished(&mut rx).await;
    let mut both = [feed, other];
    both.sort();
    assert_eq!(both, [FeedId(1), FeedId(2)]);
    assert!(start.elapsed() < 2 * MIN, "{:?}", start.elapsed());
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}
