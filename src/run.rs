//! Top level: arguments -> config -> logging -> the TUI or a headless command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::app::{BidiState, Msg};
use crate::cli::{Cli, Command};
use crate::config::{BidiSetting, Config, ConfigError};
use crate::feed::{self, PollOptions};
use crate::model::{FetchOutcome, PollEvent};
use crate::session;
use crate::text::{self, BidiMode};

/// Exit code for a bad or missing config.
pub const EXIT_CONFIG: u8 = 2;

pub fn main(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.init {
        let path = cli
            .config
            .clone()
            .or_else(crate::config::default_path)
            .context("no config directory")?;
        return match crate::config::write_default(&path) {
            Ok(()) => {
                println!(
                    "wrote {}: add your feeds there, then run `akhbar`",
                    path.display()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!("akhbar: {} already exists; not overwritten", path.display());
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        };
    }
    let _log = init_logging(cli.log_file.clone());
    if cli.demo {
        // The demo polls often so the items its server publishes show up quickly.
        let mut config = Config::defaults();
        config.refresh_interval = DEMO_REFRESH;
        let bidi = resolve_bidi(cli.bidi.unwrap_or(config.bidi), &config);
        return crate::tui::run(config, bidi, None, true);
    }
    if let Some(Command::PrintUnread) = cli.command {
        // Status bars call this every few seconds: no network, no lock. It counts the
        // configured feeds, as the reader does; with a config it cannot read it still answers,
        // counting every feed in the cache.
        let dir = cli
            .data_dir
            .clone()
            .or_else(crate::persist::default_data_dir)
            .context("no data directory")?;
        let unread = match load_config(cli.config.as_deref()) {
            Ok(config) => {
                let urls: Vec<String> = config.feeds.into_iter().map(|f| f.url).collect();
                crate::persist::count_unread_of(&dir, &urls)?
            }
            Err(_) => crate::persist::count_unread(&dir)?,
        };
        println!("{unread}");
        return Ok(ExitCode::SUCCESS);
    }
    let config = match load_config(cli.config.as_deref()) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("akhbar: {msg}");
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let data_dir = match cli
        .data_dir
        .clone()
        .or_else(crate::persist::default_data_dir)
    {
        Some(d) => d,
        None => anyhow::bail!("cannot find a data directory (is HOME set?); pass --data-dir"),
    };
    let bidi = resolve_bidi(cli.bidi.unwrap_or(config.bidi), &config);
    match cli.command {
        Some(Command::Refresh) => refresh(&config, bidi, &data_dir),
        Some(other) => crate::commands::run(other, &config, &data_dir),
        None => crate::tui::run(config, bidi, Some(data_dir), false),
    }
}

/// Loads the config from `--config` or the default place; the error is the user-facing text.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, String> {
    let path: PathBuf = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            crate::config::default_path().ok_or("cannot find a config directory (is HOME set?)")?
        }
    };
    if explicit.is_none() && !path.exists() {
        return Err(format!(
            "no config file at {}.\n  Run `akhbar --init` to write a commented one and add your feeds,\n  or `akhbar --demo` to try akhbar on its demo feeds.",
            path.display()
        ));
    }
    Config::load(&path).map_err(|e: ConfigError| e.to_string())
}

/// Resolves `auto` and explains the choice in the log.
pub fn resolve_bidi(setting: BidiSetting, config: &Config) -> BidiState {
    let (mode, reason) = match setting {
        BidiSetting::App => (BidiMode::App, "set to app".to_string()),
        BidiSetting::Terminal => (BidiMode::Terminal, "set to terminal".to_string()),
        BidiSetting::Off => (BidiMode::Off, "set to off".to_string()),
        BidiSetting::Auto => text::mode_from_env(|k| std::env::var(k).ok()),
    };
    tracing::info!(?mode, %reason, "bidi mode");
    BidiState {
        setting,
        shaping: config.shaping,
        mode,
        reason,
    }
}

/// The poller's options from the config.
pub fn poll_options(config: &Config) -> PollOptions {
    PollOptions {
        interval: config.refresh_interval,
        timeout: config.timeout,
        connect_timeout: config.connect_timeout,
        max_body_bytes: config.max_feed_bytes,
        concurrency: config.concurrency,
        per_host: config.per_host_concurrency,
        ..PollOptions::default()
    }
}

/// `akhbar refresh` waits for the cache writer after this many articles (see there).
const REFRESH_FLUSH_ARTICLES: usize = 2000;

/// `akhbar refresh`: fetch every feed once through the poller's code path and the app's
/// update step, saving to the cache like the TUI does.
fn refresh(config: &Config, bidi: BidiState, data_dir: &Path) -> anyhow::Result<ExitCode> {
    if config.feeds.is_empty() {
        println!(
            "no feeds in {}",
            config
                .path
                .as_ref()
                .map_or("the config".into(), |p| p.display().to_string())
        );
        return Ok(ExitCode::SUCCESS);
    }
    // Only the validators and counts first: the fetches start at once, and the cached
    // articles (which the 304s and the dedupe need) are read while the requests are out.
    let mut s = match session::open(config, bidi, Some(data_dir), Some(0)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("akhbar: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    for n in &s.notices {
        eprintln!("akhbar: {n}");
    }
    // Bodies go to the cache, moved rather than copied (the session set that up); no feed is
    // fetched twice here, so no hash of them is kept either.
    s.app.store.forget_taken_bodies();
    let rt = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    // Each feed is stored as soon as it arrives, so its parsed items need not wait in memory
    // for the slowest feed; what arrived meanwhile is applied as one batch (one view update).
    let mut events = {
        let _runtime = rt.enter();
        feed::refresh_stream(s.sources.clone(), poll_options(config))
    };
    // The rest of the cache, read on this thread while the fetches run on the runtime's;
    // the results wait in the channel until every cached article is in the store.
    if let Some(rest) = s.rest.take() {
        let mut parts = Vec::new();
        let result = rest.load(usize::MAX, |part| parts.push(part));
        let msgs: Vec<Msg> = parts.into_iter().map(Msg::Restored).collect();
        s.app.update_many(msgs);
        if let Err(e) = &result {
            eprintln!("akhbar: could not read the whole cache: {e}");
        }
        s.app
            .update(Msg::RestoreDone(result.map_err(|e| e.to_string())));
        tracing::info!(elapsed = ?started.elapsed(), "cached articles restored");
    }
    let before = s.app.store.article_count();
    let mut failed = 0usize;
    let mut unflushed = 0usize;
    while let Some(first) = events.blocking_recv() {
        let mut batch = vec![first];
        while let Ok(ev) = events.try_recv() {
            batch.push(ev);
        }
        for ev in &batch {
            if let PollEvent::Finished { feed, outcome, .. } = ev {
                let name = s
                    .app
                    .store
                    .feed(*feed)
                    .map(|f| {
                        text::sanitize::for_terminal(&text::sanitize::redact_credentials(&f.url))
                    })
                    .unwrap_or_default();
                match outcome {
                    FetchOutcome::Failed { reason } => {
                        failed += 1;
                        println!("failed: {name}: {}", text::sanitize::for_terminal(reason));
                    }
                    FetchOutcome::Gone => {
                        failed += 1;
                        println!("failed: {name}: gone (410): the feed no longer exists");
                    }
                    FetchOutcome::Updated(_) | FetchOutcome::NotModified => {}
                }
            }
        }
        let cmds = s.app.update_many(batch.into_iter().map(Msg::Poll));
        for cmd in &cmds {
            if let crate::app::Cmd::Save(crate::persist::Change::UpsertArticles {
                articles, ..
            }) = cmd
            {
                unflushed += articles.len();
            }
        }
        session::run_cache_cmds(cmds, s.cache.as_ref());
        // The cache writer is the slowest stage of a cold refresh: waiting for it every
        // couple of thousand articles bounds the bodies queued for it (the bounded event
        // channel pauses the fetching meanwhile), where they used to pile up by the tens of
        // MiB. A failed commit stays queued and is reported by the last flush.
        if unflushed >= REFRESH_FLUSH_ARTICLES
            && let Some(cache) = &s.cache
        {
            let _ = cache.flush_blocking();
            unflushed = 0;
        }
    }
    // Where the time goes (fetch and parse vs the cache's last writes), for the benchmarks.
    let fetched = started.elapsed();
    if let Some(cache) = &s.cache {
        if let Some(retain) = s.app.retention(config.keep_days, config.keep_per_feed) {
            cache.send(retain);
        }
        if let Err(e) = cache.flush_blocking() {
            eprintln!("akhbar: could not save the cache: {e}");
        }
    }
    tracing::info!(?fetched, total = ?started.elapsed(), "refresh done");
    let n = config.feeds.len();
    println!(
        "{n} feeds, {} ok, {failed} failed, {} new articles, {:.2} s",
        n - failed,
        s.app.store.article_count() - before,
        started.elapsed().as_secs_f64()
    );
    Ok(if failed == n {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Logs go to a file (never to the terminal the TUI draws on).
fn init_logging(explicit: Option<PathBuf>) -> Option<()> {
    let path = explicit.or_else(|| {
        let base = directories::BaseDirs::new()?;
        let dir = base
            .state_dir()
            .unwrap_or(base.data_local_dir())
            .join("akhbar");
        Some(dir.join("akhbar.log"))
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("AKHBAR_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .ok()
}

/// The demo server publishes a new item this often.
pub const DEMO_PUBLISH_EVERY: Duration = Duration::from_secs(25);
/// The demo feeds are polled this often.
pub const DEMO_REFRESH: Duration = Duration::from_secs(10);
