//! The terminal: a guard that always restores it (quit, error, panic, SIGTERM), the event
//! loop that feeds `App::update` with keys, poll events and ticks, and the commands it runs.

use std::io::{self, Stdout, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::{App, BidiState, Cmd, Msg};
use crate::config::{Config, FeedConfig};
use crate::feed::{PollCmd, PollerHandle, spawn_poller};
use crate::persist::Cache;
use crate::run::{DEMO_PUBLISH_EVERY, poll_options};
use crate::session::{self, Session};
use crate::text::BidiMode;
use crate::ui;

/// At most this many poll events are applied between two looks at the keyboard.
const POLL_BATCH: usize = 32;

/// The cached articles read before the first frame with articles: the newest ones, far more
/// than a screen shows. The rest follow in parts of [`RESTORE_PART`], each one short update
/// of the app, so keys are answered while a large cache is read.
const FIRST_ARTICLES: usize = 1_000;
const RESTORE_PART: usize = 8_192;

/// Escape sequences telling a terminal who reorders RTL text (BDSM, ECMA-48 / ISO 6429).
pub fn bidi_escape(mode: BidiMode) -> &'static str {
    match mode {
        // Explicit mode, LTR presentation: akhbar has reordered everything itself.
        BidiMode::App => "\x1b[8l\x1b[1 k",
        // Implicit mode: the terminal reorders.
        BidiMode::Terminal | BidiMode::Off => "\x1b[8h\x1b[0 k",
    }
}

/// What leaving the TUI writes: the terminal's default (implicit) bidi mode.
pub const BIDI_RESET: &str = "\x1b[8h\x1b[0 k";

/// Whether the terminal is in akhbar's mode (raw, alternate screen) and needs restoring.
static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back: raw mode off, alternate screen left, cursor shown, bidi mode reset.
/// Only the first call after `enter` does anything: leaving the alternate screen a second time
/// would move the cursor back over what was printed since (a panic message, say).
pub fn restore_terminal() {
    if !TERMINAL_TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = terminal::disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = out.write_all(BIDI_RESET.as_bytes());
    let _ = out.flush();
}

/// Restores the terminal when dropped (normal exit and error paths).
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn enter(mode: BidiMode) -> io::Result<(Guard, Terminal<CrosstermBackend<Stdout>>)> {
    let previous = std::panic::take_hook();
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread {
            restore_terminal();
            previous(info);
        } else {
            // A worker (parser, layout job) died: the TUI goes on, so nothing is printed over
            // it; the worker's own caller reports the failure, the log keeps the details.
            tracing::error!("panic in a worker thread: {info}");
        }
    }));
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let guard = Guard;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    out.write_all(bidi_escape(mode).as_bytes())?;
    out.flush()?;
    let terminal = Terminal::new(CrosstermBackend::new(out))?;
    Ok((guard, terminal))
}

/// Runs the TUI until the user quits (or SIGTERM). `data_dir` None: no cache (the demo).
pub fn run(
    mut config: Config,
    bidi: BidiState,
    data_dir: Option<PathBuf>,
    demo: bool,
) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let _demo_server = if demo {
            let server = crate::demo::start_demo_server(DEMO_PUBLISH_EVERY).await?;
            config.feeds = server
                .feeds
                .iter()
                .map(|f| FeedConfig {
                    url: f.url.clone(),
                    name: Some(f.name.to_string()),
                    tags: f.tags.iter().map(|t| t.to_string()).collect(),
                    direction: crate::model::Direction::Auto,
                    interval: None,
                    headers: Vec::new(),
                    basic_auth: None,
                    hidden: false,
                })
                .collect();
            Some(server)
        } else {
            None
        };
        // Opening the cache reads it from disk once, before the first frame.
        // The first frame comes before the cache is read: the configured feeds and a
        // "reading the cache" line at once, the cached articles a moment later.
        let bidi_mode = bidi.mode;
        let (guard, mut terminal) = enter(bidi_mode)?;
        let size = terminal.size()?;
        let mut first = App::new(
            session::store_for(&config.feeds),
            crate::keymap::Keymap::default(),
            bidi.clone(),
        );
        first.update(Msg::Resize {
            width: size.width,
            height: size.height,
        });
        if data_dir.is_some() {
            first.notify("reading the cache…");
        }
        terminal.draw(|f| ui::draw(f, &first))?;
        // Start-up benchmark: `early` stops at this frame; any other value at the first frame
        // with the cached articles (in the event loop).
        if std::env::var("AKHBAR_EXIT_AFTER_FIRST_FRAME").as_deref() == Ok("early") {
            return Ok(ExitCode::SUCCESS);
        }
        let dir = data_dir.clone();
        let cfg = config.clone();
        let opened =
            tokio::task::spawn_blocking(move || {
                session::open(&cfg, bidi, dir.as_deref(), Some(FIRST_ARTICLES))
            })
            .await?;
        let Session {
            mut app,
            cache,
            sources,
            notices,
            cached_articles,
            rest,
        } = match opened {
            Ok(s) => s,
            Err(e) => {
                drop(terminal);
                drop(guard);
                eprintln!("akhbar: {e}");
                return Ok(ExitCode::from(1));
            }
        };
        let (msg_tx, msg_rx) = mpsc::unbounded_channel();
        if let Some(events) = cache.as_ref().and_then(|c| c.take_events()) {
            let tx = msg_tx.clone();
            std::thread::spawn(move || {
                while let Ok(ev) = events.recv() {
                    if tx.send(Msg::Persist(ev)).is_err() {
                        return;
                    }
                }
            });
        }
        if let Some(rest) = rest {
            let tx = msg_tx.clone();
            tokio::task::spawn_blocking(move || {
                let started = Instant::now();
                let result = rest.load(RESTORE_PART, |part| {
                    let _ = tx.send(Msg::Restored(part));
                });
                tracing::info!(elapsed = ?started.elapsed(), ok = result.is_ok(), "rest of the cache read");
                let _ = tx.send(Msg::RestoreDone(result.map_err(|e| e.to_string())));
            });
        }
        // Feeds whose next fetch, as the last run scheduled it, is still to come wait for it.
        let now = chrono::Utc::now();
        let due = sources
            .iter()
            .filter(|s| s.next_poll.is_none_or(|t| t <= now))
            .count();
        let fetching = if due == config.feeds.len() {
            format!("fetching {due} feeds")
        } else if due == 0 {
            "no feed is due yet (R fetches them all now)".to_string()
        } else {
            let n = config.feeds.len();
            format!("fetching {due} of {n} feeds, the others when due (R: all now)")
        };
        // The poller starts at once; its results wait in the channel until the whole cache
        // is restored (see `App::restoring`).
        let (poll_tx, poll_rx) = mpsc::unbounded_channel();
        let poller = spawn_poller(sources, poll_options(&config), poll_tx);
        let mut start_msg = vec![if cache.is_some() {
            format!("{cached_articles} cached articles; {fetching}")
        } else if demo {
            format!(
                "demo: fetching {} feeds from 127.0.0.1; nothing is saved",
                config.feeds.len()
            )
        } else {
            format!("fetching {} feeds", config.feeds.len())
        }];
        start_msg.extend(notices);
        app.notify(start_msg.join(" · "));
        let size = terminal.size()?;
        app.update(Msg::Resize {
            width: size.width,
            height: size.height,
        });
        let result = event_loop(
            &mut app,
            &mut terminal,
            &poller,
            poll_rx,
            msg_tx,
            msg_rx,
            cache.as_ref(),
        )
        .await;
        poller.send(PollCmd::Shutdown);
        drop(terminal);
        drop(guard);
        if let Some(cache) = &cache {
            if let Some(retain) = app.retention(config.keep_days, config.keep_per_feed) {
                cache.send(retain);
            }
            if let Err(e) = cache.flush_blocking() {
                eprintln!("akhbar: could not save the cache: {e}");
            }
        }
        result.map(|()| ExitCode::SUCCESS)
    })
}

/// Reads terminal events on a thread of its own (crossterm's read blocks).
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        loop {
            if tx.is_closed() {
                return;
            }
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return,
            }
            let msg = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
}

async fn event_loop(
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    poller: &PollerHandle,
    mut poll_rx: mpsc::UnboundedReceiver<crate::model::PollEvent>,
    msg_tx: mpsc::UnboundedSender<Msg>,
    mut msg_rx: mpsc::UnboundedReceiver<Msg>,
    cache: Option<&Arc<Cache>>,
) -> anyhow::Result<()> {
    spawn_input(msg_tx.clone());
    let mut tick = tokio::time::interval(ui::ticker::STEP);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    // Raw mode keeps ^C and ^\ from the keyboard, but `kill -INT` / `-QUIT` still arrive.
    let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let mut sigquit = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::quit())?;
    // For the start-up benchmark: quit as soon as the first frame is on screen (`restored`:
    // the first frame after the whole cache is restored).
    let exit_after = std::env::var("AKHBAR_EXIT_AFTER_FIRST_FRAME").ok();
    // For the end-to-end test of the panic hook.
    let panic_after_first_frame = std::env::var_os("AKHBAR_TEST_PANIC").is_some();
    loop {
        if app.dirty {
            terminal.draw(|f| ui::draw(f, app))?;
            app.dirty = false;
            if let Some(mode) = &exit_after
                && (mode != "restored" || !app.restoring)
            {
                return Ok(());
            }
            if panic_after_first_frame {
                panic!(
                    "AKHBAR_TEST_PANIC: a deliberate panic to test that the terminal is restored"
                );
            }
        }
        let msg = tokio::select! {
            Some(m) = msg_rx.recv() => m,
            Some(ev) = poll_rx.recv(), if !app.restoring => Msg::Poll(ev),
            _ = tick.tick() => Msg::Tick(Instant::now()),
            _ = sigterm.recv() => return Ok(()),
            _ = sighup.recv() => return Ok(()),
            _ = sigint.recv() => return Ok(()),
            _ = sigquit.recv() => return Ok(()),
        };
        // Take the poll events already waiting with it, so a burst of finished feeds costs
        // one recomputation of the views and one frame, not one per feed. Bounded, so keys
        // waiting behind the burst are handled soon.
        let mut batch = vec![msg];
        while batch.len() < POLL_BATCH && !app.restoring {
            match poll_rx.try_recv() {
                Ok(ev) => batch.push(Msg::Poll(ev)),
                Err(_) => break,
            }
        }
        let cmds = app.update_many(batch);
        for cmd in session::run_cache_cmds(cmds, cache) {
            match cmd {
                Cmd::Quit => return Ok(()),
                Cmd::Refresh(id) => poller.send(PollCmd::Refresh(id)),
                Cmd::RefreshAll => poller.send(PollCmd::RefreshAll),
                Cmd::OpenUrl(url) => {
                    if let Err(e) = open_url(&url) {
                        app.update(Msg::Notice(format!("could not open the browser: {e}")));
                    }
                }
                Cmd::SetBidi(mode) => {
                    let mut out = io::stdout();
                    out.write_all(bidi_escape(mode).as_bytes())?;
                    out.flush()?;
                    terminal.clear()?;
                }
                Cmd::Layout(job) => {
                    let tx = msg_tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let _ = tx.send(job.run());
                    });
                }
                Cmd::LoadBody { id, feed_url, key } => {
                    if let Some(cache) = cache.cloned() {
                        let tx = msg_tx.clone();
                        tokio::task::spawn_blocking(move || {
                            let (summary_html, content_html) =
                                cache.load_body(&feed_url, &key).unwrap_or_default();
                            let _ = tx.send(Msg::BodyLoaded {
                                id,
                                summary_html,
                                content_html,
                            });
                        });
                    }
                }
                Cmd::ReadChanged(_) | Cmd::StarChanged(_) | Cmd::Save(_) => {}
            }
        }
        if app.quit {
            return Ok(());
        }
    }
}

/// The browser command and its arguments for `url`: `$BROWSER` (split on whitespace, `%s`
/// replaced, else the URL appended; the first of a `:`-separated list), else `xdg-open`.
/// Never through a shell.
pub fn browser_command(browser_env: Option<&str>, url: &str) -> Vec<String> {
    let spec = browser_env.and_then(|b| b.split(':').map(str::trim).find(|s| !s.is_empty()));
    let mut argv: Vec<String> = match spec {
        Some(s) => s.split_whitespace().map(str::to_string).collect(),
        None => vec!["xdg-open".to_string()],
    };
    if argv.iter().any(|a| a.contains("%s")) {
        for a in &mut argv {
            *a = a.replace("%s", url);
        }
    } else {
        argv.push(url.to_string());
    }
    argv
}

/// Starts the browser on an http(s) URL, detached, with no shell and no terminal I/O.
pub fn open_url(url: &str) -> io::Result<()> {
    if !crate::app::is_web_url(url) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "only http and https links are opened",
        ));
    }
    // The parsed form: spaces and controls percent-encoded, so the browser gets one clean
    // argument whatever the feed wrote.
    let url = url::Url::parse(url)
        .map(|u| u.to_string())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let argv = browser_command(std::env::var("BROWSER").ok().as_deref(), &url);
    let mut child = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reap it so it never lingers as a zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_gets_the_url_as_one_argument_without_a_shell() {
        let url = "https://example.org/a?b=1;rm -rf ~";
        assert_eq!(browser_command(None, url), ["xdg-open", url]);
        assert_eq!(
            browser_command(Some("firefox --new-tab"), url),
            ["firefox", "--new-tab", url]
        );
        assert_eq!(browser_command(Some("lynx %s:w3m"), url), ["lynx", url]);
    }

    #[test]
    fn bidi_modes_send_the_right_escapes() {
        assert_eq!(bidi_escape(BidiMode::App), "\x1b[8l\x1b[1 k");
        assert_eq!(bidi_escape(BidiMode::Terminal), BIDI_RESET);
    }
}
