//! The poller task: owns every feed's schedule, fetches within overall and per-host limits,
//! parses off the async threads and reports `PollEvent`s. It never touches the store.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::fetch::{self, Body, FetchRequest};
use super::limits::{FetchLimits, Permits};
use super::options::PollOptions;
use super::parse::parse_feed_at;
use super::schedule::{self, Hints};
use crate::model::{FeedId, FeedSource, FetchOutcome, PollEvent};

/// Requests to the poller task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollCmd {
    /// Fetch this feed now (coalesces with a fetch already in flight).
    Refresh(FeedId),
    /// Fetch every feed now.
    RefreshAll,
    /// These are the feeds from now on (a config reload): a new id is fetched at once, one
    /// left out is dropped (its fetch in flight cancelled, no event for it), one kept keeps
    /// its schedule and validators and takes the new interval, headers and credentials.
    SetFeeds(Vec<FeedSource>),
    /// Stop the task; fetches in flight are dropped.
    Shutdown,
}

/// Talks to the poller task. Dropping every handle stops the task like `Shutdown`.
#[derive(Clone, Debug)]
pub struct PollerHandle {
    tx: mpsc::UnboundedSender<PollCmd>,
    limits: FetchLimits,
}

impl PollerHandle {
    /// Sends a command; a stopped poller ignores it.
    pub fn send(&self, cmd: PollCmd) {
        let _ = self.tx.send(cmd);
    }

    /// The poller's fetch slots, to give a [`super::PageFetcher`] (`with_limits`) so that
    /// article pages and feeds share the per-host limit.
    pub fn limits(&self) -> FetchLimits {
        self.limits.clone()
    }
}

/// What every fetch shares: one HTTP client (one connection pool) and the limits.
struct Shared {
    client: reqwest::Client,
    opts: PollOptions,
    limits: FetchLimits,
    /// Parses at once: one per core. Parsing is pure CPU, so more only interleave (each
    /// holding a half-built feed in memory) and starve the cache writer and the app.
    parsers: Semaphore,
}

impl Shared {
    fn new(opts: PollOptions, limits: FetchLimits) -> Arc<Self> {
        Arc::new(Shared {
            client: fetch::build_client(&opts),
            limits,
            parsers: Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            ),
            opts,
        })
    }
}

/// One feed's schedule and memory between fetches.
struct FeedState {
    source: FeedSource,
    failures: u32,
    /// Next fetch; `None` when the feed is gone.
    due: Option<Instant>,
    in_flight: bool,
    /// A refresh was asked for while a fetch was in flight: fetch again right after.
    queued: bool,
    ttl: Option<Duration>,
    body_hash: Option<u64>,
}

impl FeedState {
    /// A feed's state at start: its failure count from the last run seeds the backoff, and a
    /// saved `next_poll` still in the future is when it is first fetched (see [`first_delay`]).
    fn new(source: FeedSource, now: Instant, now_utc: DateTime<Utc>, opts: &PollOptions) -> Self {
        let interval = source.interval.unwrap_or(opts.interval);
        let due = now + first_delay(source.next_poll, now_utc, interval);
        FeedState {
            failures: source.failures,
            source,
            due: Some(due),
            in_flight: false,
            queued: false,
            ttl: None,
            body_hash: None,
        }
    }

    fn request(&self) -> FetchRequest {
        FetchRequest {
            url: self.source.url.clone(),
            headers: self.source.headers.clone(),
            basic_auth: self.source.basic_auth.clone(),
            etag: self.source.etag.clone(),
            last_modified: self.source.last_modified.clone(),
            allow_exec: self.source.allow_exec,
        }
    }
}

/// How long after start a feed is first fetched: at once, unless the last run scheduled it
/// for later. The saved time is trusted at most [`schedule::MAX_BACKOFF`] (6 h, or the
/// feed's interval if longer) from now, so a clock that was wrong when it was saved never
/// parks a feed for days.
fn first_delay(
    next_poll: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    interval: Duration,
) -> Duration {
    let Some(next_poll) = next_poll else {
        return Duration::ZERO;
    };
    let cap = schedule::MAX_BACKOFF.max(interval);
    (next_poll - now)
        .to_std()
        .map_or(Duration::ZERO, |d| d.min(cap))
}

/// One fetch (and parse) before scheduling.
struct Attempt {
    feed: FeedId,
    outcome: FetchOutcome,
    etag: Option<String>,
    last_modified: Option<String>,
    moved_to: Option<String>,
    hints: Hints,
    body_hash: Option<u64>,
}

impl Attempt {
    fn failed(feed: FeedId, reason: String, retry_after: Option<Duration>) -> Self {
        Attempt {
            feed,
            // Error texts quote the server and the feed (tag names, status lines): they go to
            // stdout and the log as they are, so they are cleaned here, once.
            outcome: FetchOutcome::Failed {
                reason: crate::text::sanitize::for_terminal(&reason),
            },
            etag: None,
            last_modified: None,
            moved_to: None,
            hints: Hints {
                retry_after,
                ..Hints::default()
            },
            body_hash: None,
        }
    }
}

/// What a fetch compares its body with, to skip parsing bytes seen before.
#[derive(Clone, Copy)]
enum SameBody {
    /// The poller: compare with the last parsed body's hash (if any) and report the new one.
    Check(Option<u64>),
    /// A one-shot refresh keeps no hash for next time, so hashing (SipHash over ~150 MB for
    /// 1,000 feeds) is skipped.
    Skip,
}

fn hash_body(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The one code path for a fetch, shared by the poller task and [`refresh_once`].
async fn attempt(
    shared: Arc<Shared>,
    feed: FeedId,
    req: FetchRequest,
    same_body: SameBody,
    events: Option<mpsc::UnboundedSender<PollEvent>>,
) -> Attempt {
    let permits = shared.limits.acquire(&req.url).await;
    // Boxed so that a task still waiting for its permits is small (see `refresh_stream`).
    Box::pin(attempt_holding(
        shared, feed, req, same_body, events, permits,
    ))
    .await
}

/// [`attempt`] once its permits are granted (held until the fetch and parse are done).
async fn attempt_holding(
    shared: Arc<Shared>,
    feed: FeedId,
    req: FetchRequest,
    same_body: SameBody,
    events: Option<mpsc::UnboundedSender<PollEvent>>,
    _permits: Permits,
) -> Attempt {
    if let Some(events) = &events {
        let _ = events.send(PollEvent::Started { feed });
    }
    let fetched = match fetch::fetch(&shared.client, &req, &shared.opts).await {
        Ok(fetched) => fetched,
        Err(failure) => {
            tracing::debug!(feed = feed.0, error = %crate::text::sanitize::for_terminal(&failure.error.to_string()), "fetch failed");
            return Attempt::failed(feed, failure.error.to_string(), failure.retry_after);
        }
    };
    let mut hints = Hints {
        max_age: fetched.max_age,
        ..Hints::default()
    };
    let prev_hash = match same_body {
        SameBody::Check(prev) => prev,
        SameBody::Skip => None,
    };
    let mut body_hash = prev_hash;
    let outcome = match fetched.body {
        Body::NotModified => FetchOutcome::NotModified,
        Body::Gone => FetchOutcome::Gone,
        Body::Full {
            bytes,
            content_type,
        } => {
            let hash = matches!(same_body, SameBody::Check(_)).then(|| hash_body(&bytes));
            if hash.is_some() && prev_hash == hash {
                // Same bytes as last time (a server without validators): no parsing.
                FetchOutcome::NotModified
            } else {
                // The fetch permits stay held while waiting: a downloaded body waits here
                // instead of more downloads piling up behind a busy parser.
                let _parser = shared.parsers.acquire().await;
                // Relative links resolve against where the feed was found, after redirects.
                let url = fetched.final_url.clone().unwrap_or_else(|| req.url.clone());
                let parsed = tokio::task::spawn_blocking(move || {
                    parse_feed_at(&bytes, content_type.as_deref(), Some(&url))
                })
                .await;
                match parsed {
                    Ok(Ok(feed)) => {
                        body_hash = hash;
                        hints.ttl = feed.ttl;
                        FetchOutcome::Updated(feed)
                    }
                    Ok(Err(e)) => {
                        // Validators of a body that does not parse are dropped, so the next
                        // fetch downloads it again instead of getting a 304 for it.
                        let mut failed = Attempt::failed(feed, e.to_string(), None);
                        failed.moved_to = fetched.moved_to;
                        return failed;
                    }
                    Err(_) => return Attempt::failed(feed, "parser crashed".into(), None),
                }
            }
        }
    };
    Attempt {
        feed,
        outcome,
        etag: fetched.etag,
        last_modified: fetched.last_modified,
        moved_to: fetched.moved_to,
        hints,
        body_hash,
    }
}

/// Applies an attempt to the feed's state and builds the `Finished` event.
fn finish(state: &mut FeedState, attempt: Attempt, opts: &PollOptions) -> PollEvent {
    let interval = state.source.interval.unwrap_or(opts.interval);
    let mut hints = attempt.hints;
    if let Some(new_url) = &attempt.moved_to {
        state.source.url = new_url.clone();
    }
    let gone = matches!(attempt.outcome, FetchOutcome::Gone);
    match &attempt.outcome {
        FetchOutcome::Failed { .. } => state.failures = state.failures.saturating_add(1),
        FetchOutcome::Gone => {
            state.failures = 0;
            state.source.etag = None;
            state.source.last_modified = None;
        }
        FetchOutcome::Updated(_) | FetchOutcome::NotModified => {
            state.failures = 0;
            // A 304 may omit the validators; the old ones stay valid then.
            if attempt.etag.is_some() || attempt.last_modified.is_some() {
                state.source.etag = attempt.etag.clone();
                state.source.last_modified = attempt.last_modified.clone();
            }
            if let FetchOutcome::Updated(feed) = &attempt.outcome {
                state.ttl = feed.ttl;
                state.body_hash = attempt.body_hash;
            }
        }
    }
    hints.ttl = hints.ttl.or(state.ttl);
    let next_poll = (!gone).then(|| {
        let delay = schedule::with_jitter(schedule::next_delay(interval, state.failures, hints));
        state.due = Some(Instant::now() + delay);
        Utc::now() + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)
    });
    if gone {
        state.due = None;
    }
    PollEvent::Finished {
        feed: attempt.feed,
        outcome: attempt.outcome,
        etag: state.source.etag.clone(),
        last_modified: state.source.last_modified.clone(),
        moved_to: attempt.moved_to,
        next_poll,
        failures: state.failures,
    }
}

/// Spawns the poller task on the current tokio runtime. It fetches every feed on start
/// (conditional GET with the validators in `FeedSource`), except one whose saved `next_poll`
/// is still ahead (fetched then, at most 6 h from now), then on its schedule, with saved
/// `failures` continuing the backoff; `Refresh`/`RefreshAll` fetch at once. Sends
/// `PollEvent`s. The task ends on `PollCmd::Shutdown`, when every handle is dropped, or when
/// the event receiver is dropped.
pub fn spawn_poller(
    feeds: Vec<FeedSource>,
    opts: PollOptions,
    events: mpsc::UnboundedSender<PollEvent>,
) -> PollerHandle {
    let (tx, rx) = mpsc::unbounded_channel();
    let limits = FetchLimits::new(&opts);
    tokio::spawn(run(feeds, opts, limits.clone(), events, rx));
    PollerHandle { tx, limits }
}

async fn run(
    feeds: Vec<FeedSource>,
    opts: PollOptions,
    limits: FetchLimits,
    events: mpsc::UnboundedSender<PollEvent>,
    mut commands: mpsc::UnboundedReceiver<PollCmd>,
) {
    let shared = Shared::new(opts, limits);
    let (start, start_utc) = (Instant::now(), Utc::now());
    let mut states: HashMap<FeedId, FeedState> = feeds
        .into_iter()
        .map(|f| (f.id, FeedState::new(f, start, start_utc, &shared.opts)))
        .collect();
    let mut tasks: JoinSet<Attempt> = JoinSet::new();
    let mut task_feed: HashMap<tokio::task::Id, FeedId> = HashMap::new();
    let mut aborts: HashMap<FeedId, tokio::task::AbortHandle> = HashMap::new();
    loop {
        let now = Instant::now();
        let mut ids: Vec<FeedId> = states
            .iter()
            .filter(|(_, s)| !s.in_flight && s.due.is_some_and(|d| d <= now))
            .map(|(id, _)| *id)
            .collect();
        // Lower ids (config order) first, so the first screen fills in a predictable order.
        ids.sort();
        for id in ids {
            let state = states.get_mut(&id).expect("id from the map");
            state.in_flight = true;
            let handle = tasks.spawn(attempt(
                shared.clone(),
                id,
                state.request(),
                SameBody::Check(state.body_hash),
                Some(events.clone()),
            ));
            task_feed.insert(handle.id(), id);
            aborts.insert(id, handle);
        }
        let next_due = states
            .values()
            .filter(|s| !s.in_flight)
            .filter_map(|s| s.due)
            .min();
        tokio::select! {
            cmd = commands.recv() => match cmd {
                None | Some(PollCmd::Shutdown) => break,
                Some(PollCmd::Refresh(id)) => {
                    if let Some(state) = states.get_mut(&id) {
                        refresh_now(state);
                    }
                }
                Some(PollCmd::RefreshAll) => states.values_mut().for_each(refresh_now),
                Some(PollCmd::SetFeeds(feeds)) => {
                    set_feeds(&mut states, feeds, &shared.opts);
                    aborts.retain(|id, task| {
                        let keep = states.contains_key(id);
                        if !keep {
                            task.abort();
                        }
                        keep
                    });
                }
            },
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let (task_id, attempt) = match joined {
                    Ok((task_id, attempt)) => (task_id, attempt),
                    Err(err) => {
                        let id = task_feed.get(&err.id()).copied().unwrap_or(FeedId(u32::MAX));
                        (err.id(), Attempt::failed(id, "fetch task crashed".into(), None))
                    }
                };
                if let Some(id) = task_feed.remove(&task_id) {
                    aborts.remove(&id);
                }
                let Some(state) = states.get_mut(&attempt.feed) else { continue };
                state.in_flight = false;
                let event = finish(state, attempt, &shared.opts);
                if state.queued {
                    state.queued = false;
                    state.due = Some(Instant::now());
                }
                if events.send(event).is_err() {
                    break;
                }
            },
            () = sleep_until_opt(next_due), if next_due.is_some() => {},
        }
    }
    tasks.abort_all();
}

async fn sleep_until_opt(when: Option<Instant>) {
    if let Some(when) = when {
        tokio::time::sleep_until(when).await;
    }
}

/// Replaces the feed list (see [`PollCmd::SetFeeds`]).
fn set_feeds(states: &mut HashMap<FeedId, FeedState>, feeds: Vec<FeedSource>, opts: &PollOptions) {
    let (now, now_utc) = (Instant::now(), Utc::now());
    let mut next = HashMap::with_capacity(feeds.len());
    for source in feeds {
        let state = match states.remove(&source.id) {
            Some(mut state) => {
                let old = state.source.interval.unwrap_or(opts.interval);
                let new = source.interval.unwrap_or(opts.interval);
                // A shorter interval counts from now at the latest.
                if new < old {
                    state.due = state.due.map(|d| d.min(now + new));
                }
                state.source.interval = source.interval;
                state.source.headers = source.headers;
                state.source.basic_auth = source.basic_auth;
                state.source.allow_exec = source.allow_exec;
                state
            }
            None => FeedState::new(source, now, now_utc, opts),
        };
        next.insert(state.source.id, state);
    }
    *states = next;
}

/// A manual refresh: now, or right after the fetch in flight (at most one queued).
fn refresh_now(state: &mut FeedState) {
    if state.in_flight {
        state.queued = true;
    } else {
        state.due = Some(Instant::now());
    }
}

/// Fetches every feed once, concurrently with the same limits and code path; returns the
/// `Finished` events (one per feed, in the order of `feeds`).
pub async fn refresh_once(feeds: Vec<FeedSource>, opts: PollOptions) -> Vec<PollEvent> {
    let order: HashMap<FeedId, usize> = feeds.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let mut events = refresh_stream(feeds, opts);
    let mut out = Vec::with_capacity(order.len());
    while let Some(event) = events.recv().await {
        out.push(event);
    }
    out.sort_by_key(|ev| match ev {
        PollEvent::Finished { feed, .. } | PollEvent::Started { feed } => {
            order.get(feed).copied().unwrap_or(usize::MAX)
        }
    });
    out
}

/// Like [`refresh_once`], but each feed's `Finished` event is sent as soon as its fetch ends
/// (so a caller can store it and let its parsed items go while other feeds still download);
/// the channel closes after the last one. Exactly one event per feed. Spawns on the current
/// tokio runtime. Used by `akhbar refresh`, where holding every parsed feed until the end
/// cost hundreds of MiB with 1,000 feeds.
///
/// The channel is bounded (twice the overall concurrency) and a fetch takes its place in it
/// before it starts: a caller that falls behind (its cache writer slower than the network)
/// pauses the fetching, instead of parsed feeds piling up in memory.
pub fn refresh_stream(feeds: Vec<FeedSource>, opts: PollOptions) -> mpsc::Receiver<PollEvent> {
    let (tx, rx) = mpsc::channel(opts.concurrency.max(1));
    tokio::spawn(async move {
        let limits = FetchLimits::new(&opts);
        let shared = Shared::new(opts, limits);
        let (now, now_utc) = (Instant::now(), Utc::now());
        // Every feed is fetched at once whatever its saved schedule (the user asked for it),
        // but its saved failures still count, so the next poll reported after another
        // failure keeps backing off.
        let mut states: Vec<FeedState> = feeds
            .into_iter()
            .map(|f| FeedState::new(f, now, now_utc, &shared.opts))
            .collect();
        let mut tasks = JoinSet::new();
        let mut task_index: HashMap<tokio::task::Id, usize> = HashMap::new();
        for (index, state) in states.iter().enumerate() {
            let (shared, tx) = (shared.clone(), tx.clone());
            let (feed, req) = (state.source.id, state.request());
            let handle = tasks.spawn(async move {
                // Host and overall slots first, so feeds waiting for a busy host hold no
                // place in the channel; `None` when the receiver is gone.
                let permits = shared.limits.acquire(&req.url).await;
                let place = tx.reserve_owned().await.ok()?;
                // Boxed: a fetch's future is ~20 KiB, and with it inline every one of 1,000
                // waiting tasks held that much (18 MiB) before it even started.
                let attempt = Box::pin(attempt_holding(
                    shared,
                    feed,
                    req,
                    SameBody::Skip,
                    None,
                    permits,
                ))
                .await;
                Some((index, attempt, place))
            });
            task_index.insert(handle.id(), index);
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Some((index, attempt, place))) => {
                    place.send(finish(&mut states[index], attempt, &shared.opts));
                }
                // Nobody listens any more: stop fetching.
                Ok(None) => break,
                Err(err) => {
                    let Some(&index) = task_index.get(&err.id()) else {
                        continue;
                    };
                    let id = states[index].source.id;
                    let crashed = Attempt::failed(id, "fetch task crashed".into(), None);
                    let event = finish(&mut states[index], crashed, &shared.opts);
                    if tx.send(event).await.is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}
