//! `akhbar refresh`: fetch every feed once through the poller's code path and the app's
//! update step, on the same effects runtime as the TUI, then print the failures and a
//! summary.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use akhbar::app::{BidiState, Cmd, Msg};
use akhbar::clock::Clock;
use akhbar::config::Config;
use akhbar::feed;
use akhbar::feed::schedule::{self, Skip};
use akhbar::model::{FeedId, FeedSource, FetchOutcome, PollEvent};
use akhbar::persist::Change;
use akhbar::runtime::{Runtime, notify, poll_options, session};
use akhbar::text::sanitize::redact_credentials;
use akhbar::view::count;

use super::progress::{self, Progress};
use super::report;

/// `akhbar refresh` waits for the cache writer after this many articles (see there).
const FLUSH_ARTICLES: usize = 2000;

pub fn run(
    config: &Config,
    bidi: BidiState,
    data_dir: &Path,
    force: bool,
) -> anyhow::Result<ExitCode> {
    if config.feeds.is_empty() && config.sync.is_none() {
        report::line(format!(
            "no feeds in {}",
            config
                .path
                .as_ref()
                .map_or("the config".into(), |p| p.display().to_string())
        ));
        return Ok(ExitCode::SUCCESS);
    }
    // Only the validators and counts first: the fetches start at once, and the cached
    // articles (which the 304s and the dedupe need) are read while the requests are out.
    let mut s = match session::open(config, bidi, Clock::system(), Some(data_dir), Some(0)) {
        Ok(s) => s,
        Err(e) => {
            report::error(e);
            return Ok(ExitCode::from(1));
        }
    };
    for n in &s.notices {
        report::error(n);
    }
    // Bodies go to the cache, moved rather than copied (the session set that up); no feed is
    // fetched twice here, so no hash of them is kept either.
    s.app.forget_taken_bodies();
    let (sources, skipped) = due_sources(&s, force);
    let live = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let rt = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    let mut progress = Progress::new(sources.len(), live, started);
    // Each feed is stored as soon as it arrives, so its parsed items need not wait in memory
    // for the slowest feed; what arrived meanwhile is applied as one batch (one view update).
    // (This thread then waits on the channel: it is not one of the runtime's.)
    let (mut events, runtime) = {
        let _entered = rt.enter();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        (
            feed::refresh_stream(sources, poll_options(config)),
            Runtime::new(s.cache.clone(), tx),
        )
    };
    // The cached articles are read on this thread as the answers need them, while the other
    // fetches go on: a feed with new items needs its own (they are deduped against them),
    // read just before its answer is applied; only a moved or gone feed, or sync, needs the
    // whole rest. A refresh where every feed answers 304 (or fails) reads none: at 1,000,000
    // cached articles reading them all was 4.5 s and ~900 MiB for nothing (benches/README.md,
    // the cost curve), and a few feeds with news no longer cost that either. Retention loses
    // nothing by it: a feed not fetched with news is sent as "list unknown, keep all".
    let mut before = s.app.store().article_count();
    let mut failed = 0usize;
    let mut warned = 0usize;
    let mut unflushed = 0usize;
    loop {
        // On a terminal the wait wakes up to move the live line's clock on.
        let first = if progress.is_live() {
            // (The timer is made inside the runtime: this thread is not one of its.)
            match rt.block_on(async { tokio::time::timeout(progress::EVERY, events.recv()).await })
            {
                Ok(Some(ev)) => ev,
                Ok(None) => break,
                Err(_) => {
                    progress.draw(Instant::now());
                    continue;
                }
            }
        } else {
            match events.blocking_recv() {
                Some(ev) => ev,
                None => break,
            }
        };
        let mut batch = vec![first];
        while let Ok(ev) = events.try_recv() {
            batch.push(ev);
        }
        if s.rest.is_some() && batch.iter().any(needs_the_whole_cache) {
            before += restore_rest(&mut s, started);
        }
        let news: Vec<FeedId> = batch.iter().filter_map(feed_with_news).collect();
        if s.rest.is_some() && !news.is_empty() {
            before += restore_feeds(&mut s, &news);
        }
        for ev in &batch {
            if let PollEvent::Finished { feed, outcome, .. } = ev {
                let name = s
                    .app
                    .store()
                    .feed(*feed)
                    .map(|f| redact_credentials(&f.url))
                    .unwrap_or_default();
                progress.feed_done(matches!(
                    outcome,
                    FetchOutcome::Failed { .. } | FetchOutcome::Gone
                ));
                match outcome {
                    FetchOutcome::Failed { reason } => {
                        failed += 1;
                        progress.clear();
                        report::line(format!("failed: {name}: {reason}"));
                    }
                    FetchOutcome::Gone => {
                        failed += 1;
                        progress.clear();
                        report::line(format!(
                            "failed: {name}: gone (410): the feed no longer exists"
                        ));
                    }
                    FetchOutcome::Updated(parsed) => {
                        if let Some(note) = parsed.ended_early() {
                            warned += 1;
                            progress.clear();
                            report::line(format!("warning: {name}: {note}"));
                        }
                    }
                    FetchOutcome::NotModified => {}
                }
            }
        }
        let cmds = s.app.update_many(batch.into_iter().map(Msg::Poll));
        unflushed += cmds
            .iter()
            .map(|c| match c {
                Cmd::Save(Change::UpsertArticles { articles, .. }) => articles.len(),
                _ => 0,
            })
            .sum::<usize>();
        runtime.run(cmds);
        // The cache writer is the slowest stage of a cold refresh: waiting for it every
        // couple of thousand articles bounds the bodies queued for it (the bounded event
        // channel pauses the fetching meanwhile), where they used to pile up by the tens of
        // MiB. A failed commit stays queued and is reported by the shutdown.
        if unflushed >= FLUSH_ARTICLES {
            runtime.flush();
            unflushed = 0;
        }
        progress.draw(Instant::now());
    }
    progress.clear();
    if s.rest.is_some() && config.sync.is_some() {
        before += restore_rest(&mut s, started);
    }
    let sync_ok = match &config.sync {
        Some(sync) => super::refresh_sync::run(sync, config, &rt, &runtime, &mut s.app, data_dir),
        None => true,
    };
    // Where the time goes (fetch and parse vs the cache's last writes), for the benchmarks.
    let fetched = started.elapsed();
    let shutdown = runtime.shutdown(&s.app, config.keep_days, config.keep_per_feed);
    if let Some(e) = &shutdown.save_error {
        report::error(format!("could not save the cache: {e}"));
    }
    tracing::info!(?fetched, total = ?started.elapsed(), "refresh done");
    let n = config.feeds.len();
    if n == 0 {
        return Ok(if sync_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let fetched = n - skipped.total();
    report::line(format!(
        "{}, {} ok{}, {failed} failed{}, {} new articles, {:.2} s",
        count(n, "feed"),
        fetched - failed - warned,
        if warned > 0 {
            format!(", {warned} ended early")
        } else {
            String::new()
        },
        skipped.summary(),
        s.app.store().article_count() - before,
        started.elapsed().as_secs_f64()
    ));
    // After the summary: a failing program is told, and does not change the exit status.
    if let Some(argv) = s
        .app
        .finish_round()
        .and_then(|news| notify::argv(&config.notify, &news))
        && let Err(e) = notify::run(&argv)
    {
        report::error(e);
    }
    Ok(if (fetched > 0 && failed == fetched) || !sync_ok {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether applying this event needs every cached article in the store: a moved or gone
/// feed does; new items need only their own feed's ([`feed_with_news`]); a 304, a failure or
/// a start need none.
fn needs_the_whole_cache(ev: &PollEvent) -> bool {
    match ev {
        PollEvent::Started { .. } => false,
        PollEvent::Finished {
            outcome, moved_to, ..
        } => moved_to.is_some() || matches!(outcome, FetchOutcome::Gone),
    }
}

/// The feed whose cached articles this event's items are deduped against, if it brings any.
fn feed_with_news(ev: &PollEvent) -> Option<FeedId> {
    match ev {
        PollEvent::Finished {
            feed,
            outcome: FetchOutcome::Updated(_),
            ..
        } => Some(*feed),
        _ => None,
    }
}

/// Reads these feeds' cached articles into the store (each feed once); returns how many it
/// added. A failed read is handled as a failed restore: nothing is saved in this run, since
/// an article not read back would look new and saving it would overwrite its flags.
fn restore_feeds(s: &mut session::Session, feeds: &[FeedId]) -> usize {
    let Some(rest) = s.rest.as_mut() else {
        return 0;
    };
    let had = s.app.store().article_count();
    match rest.load_feeds(feeds) {
        Ok(articles) => {
            if !articles.is_empty() {
                s.app.update(Msg::Restored(articles));
            }
        }
        Err(e) => {
            report::error(format!("could not read the cache: {e}"));
            s.rest = None;
            s.app.update(Msg::RestoreDone(Err(e.to_string())));
        }
    }
    let added = s.app.store().article_count() - had;
    tracing::info!(
        feeds = feeds.len(),
        articles = added,
        "cached articles of feeds with news read"
    );
    added
}

/// Reads the rest of the cache into the store (once); returns how many articles it added.
fn restore_rest(s: &mut session::Session, started: Instant) -> usize {
    let Some(rest) = s.rest.take() else {
        return 0;
    };
    let had = s.app.store().article_count();
    let mut parts = Vec::new();
    let result = rest.load(usize::MAX, |part| parts.push(part));
    s.app.update_many(parts.into_iter().map(Msg::Restored));
    if let Err(e) = &result {
        report::error(format!("could not read the whole cache: {e}"));
    }
    s.app
        .update(Msg::RestoreDone(result.map_err(|e| e.to_string())));
    tracing::info!(elapsed = ?started.elapsed(), "cached articles restored");
    s.app.store().article_count() - had
}

/// The feeds `akhbar refresh` leaves alone, by reason.
#[derive(Default)]
struct Skipped {
    gone: usize,
    waiting: usize,
}

impl Skipped {
    fn total(&self) -> usize {
        self.gone + self.waiting
    }

    /// `, 2 skipped (1 gone, 1 asked to wait; --force fetches them)`, or nothing.
    fn summary(&self) -> String {
        if self.total() == 0 {
            return String::new();
        }
        let mut why = Vec::new();
        if self.gone > 0 {
            why.push(format!("{} gone (HTTP 410)", self.gone));
        }
        if self.waiting > 0 {
            why.push(format!(
                "{} asked to wait (Retry-After or backoff)",
                self.waiting
            ));
        }
        format!(
            ", {} skipped ({}; --force fetches them)",
            self.total(),
            why.join(", ")
        )
    }
}

/// The sources to fetch: all of them with `force`, else all but the ones the saved schedule
/// says to leave alone (each skipped one is named on a line of its own).
fn due_sources(s: &session::Session, force: bool) -> (Vec<FeedSource>, Skipped) {
    let mut skipped = Skipped::default();
    if force {
        return (s.sources.clone(), skipped);
    }
    let now = chrono::Utc::now();
    let mut due = Vec::with_capacity(s.sources.len());
    for source in &s.sources {
        let name = redact_credentials(&source.url);
        match schedule::refresh_skip(source, now) {
            None => due.push(source.clone()),
            Some(Skip::Gone) => {
                skipped.gone += 1;
                report::line(format!("skipped: {name}: gone (HTTP 410)"));
            }
            Some(Skip::NotBefore(at)) => {
                skipped.waiting += 1;
                let minutes = (at - now).num_minutes().max(1);
                report::line(format!(
                    "skipped: {name}: failing, next try in {minutes} min"
                ));
            }
        }
    }
    (due, skipped)
}
