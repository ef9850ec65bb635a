//! The TUI: the first frame, the session opened off the render loop, and the event loop that
//! feeds `App::update` with keys, poll events and ticks and hands its commands to the
//! effects runtime. Only the terminal's own commands (browser, bidi escapes, quit) are
//! carried out here.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use akhbar::app::{App, AppOptions, BidiState, Cmd, Msg};
use akhbar::clock::Clock;
use akhbar::config::{Config, FeedConfig};
use akhbar::feed::spawn_poller;
use akhbar::model::{Direction, PollEvent};
use akhbar::runtime::{Runtime, Session, notify, poll_options, session, store_for};
use akhbar::ui;
use akhbar::view::{TICKER_STEP, count};
use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use super::browser::{Launch, launch_for, run_in_terminal, spawn_detached};
use super::reload::{editor_argv, install_theme, reload};
use super::report;
use super::terminal::{bidi_escape, capture_mouse, enter, restore_terminal, resume};

/// At most this many poll events are applied between two looks at the keyboard.
const POLL_BATCH: usize = 32;

/// The cached articles read before the first frame with articles: the newest ones, far more
/// than a screen shows. The rest follow in parts of [`RESTORE_PART`], each one short update
/// of the app, so keys are answered while a large cache is read.
const FIRST_ARTICLES: usize = 1_000;
const RESTORE_PART: usize = 8_192;

/// Runs the TUI until the user quits (or a signal). `data_dir` None: no cache (the demo).
pub fn run(
    mut config: Config,
    bidi: BidiState,
    data_dir: Option<PathBuf>,
    demo: bool,
) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let _demo_server = if demo {
            let server = akhbar::demo::start_demo_server(akhbar::demo::PUBLISH_EVERY).await?;
            config.feeds = server
                .feeds
                .iter()
                .map(|f| FeedConfig {
                    url: f.url.clone(),
                    name: Some(f.name.to_string()),
                    tags: f.tags.iter().map(|t| t.to_string()).collect(),
                    direction: Direction::Auto,
                    interval: None,
                    headers: Vec::new(),
                    basic_auth: None,
                    hidden: false,
                    ignore: Vec::new(),
                    full_text: false,
                    notify: true,
                })
                .collect();
            Some(server)
        } else {
            None
        };
        // The first frame comes before the cache is read: the configured feeds and a
        // "reading the cache" line at once, the cached articles a moment later.
        install_theme(&config);
        capture_mouse(config.mouse);
        let (guard, mut terminal) = enter(bidi.mode)?;
        let size = terminal.size()?;
        let mut first = App::new(AppOptions {
            bidi: bidi.clone(),
            size: (size.width, size.height),
            ..AppOptions::new(store_for(&config.feeds))
        });
        if data_dir.is_some() {
            first.update(Msg::Notice("reading the cache…".into()));
        }
        terminal.draw(|f| ui::draw(f, &first))?;
        // Start-up benchmark: `early` stops at this frame; any other value at the first frame
        // with the cached articles (in the event loop).
        if std::env::var("AKHBAR_EXIT_AFTER_FIRST_FRAME").as_deref() == Ok("early") {
            return Ok(ExitCode::SUCCESS);
        }
        let dir = data_dir.clone();
        let mut cfg = config.clone();
        // `hyperlinks = "auto"` is decided here, from this terminal's environment.
        cfg.hyperlinks = cfg.hyperlinks.resolve(|k| std::env::var(k).ok());
        let opened = tokio::task::spawn_blocking(move || {
            session::open(
                &cfg,
                bidi,
                Clock::system(),
                dir.as_deref(),
                Some(FIRST_ARTICLES),
            )
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
                report::error(e);
                return Ok(ExitCode::from(1));
            }
        };
        let (msg_tx, msg_rx) = mpsc::unbounded_channel();
        let mut runtime = Runtime::new(cache, msg_tx.clone());
        runtime.forward_cache_events();
        if let Some(rest) = rest {
            runtime.restore_rest(rest, RESTORE_PART);
        }
        let fetching = start_line(&config, &sources);
        // The poller starts at once; its results wait in the channel until the whole cache
        // is restored (see `App::is_restoring`).
        let (poll_tx, poll_rx) = mpsc::unbounded_channel();
        let poller = spawn_poller(sources, poll_options(&config), poll_tx);
        // Full-text pages share the feeds' fetch slots: a site's pages and feed take turns.
        runtime.attach_pages(akhbar::feed::PageFetcher::with_limits(
            poll_options(&config),
            poller.limits(),
        ));
        runtime.attach_poller(poller);
        // The server's articles come once the cache is restored (see `event_loop`).
        if let Some(sync) = &config.sync {
            runtime.attach_sync(akhbar::runtime::sync::spawn_sync(
                sync,
                poll_options(&config),
                data_dir.clone(),
                Some(config.refresh_interval),
                msg_tx.clone(),
            ));
        }
        let mut start_msg = vec![if runtime.cache().is_some() {
            // `cached articles` is the start-up benchmark's marker (benches/cache_bench.sh).
            let noun = if cached_articles == 1 {
                "article"
            } else {
                "articles"
            };
            format!("{cached_articles} cached {noun}; {fetching}")
        } else if demo {
            format!(
                "demo: fetching {} from 127.0.0.1; nothing is saved",
                count(config.feeds.len(), "feed")
            )
        } else {
            format!("fetching {}", count(config.feeds.len(), "feed"))
        }];
        start_msg.extend(notices);
        let size = terminal.size()?;
        app.update_many([
            Msg::Notice(start_msg.join(" · ")),
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        ]);
        let sync_first = config.sync.is_some();
        let result = event_loop(
            &mut app,
            &mut terminal,
            &runtime,
            &mut config,
            poll_rx,
            (msg_tx, msg_rx),
            sync_first,
        )
        .await;
        drop(terminal);
        drop(guard);
        let shutdown = runtime.shutdown(&app, config.keep_days, config.keep_per_feed);
        if let Some(e) = shutdown.save_error {
            // Issue 10 item 3: a session whose changes are not on disk does not end as if
            // all were well.
            report::error(format!(
                "could not save the cache: {e}; this session's changes are not saved"
            ));
            return result.map(|()| ExitCode::from(1));
        }
        result.map(|()| ExitCode::SUCCESS)
    })
}

/// What the start-up status says about fetching: feeds whose next fetch, as the last run
/// scheduled it, is still to come wait for it.
fn start_line(config: &Config, sources: &[akhbar::model::FeedSource]) -> String {
    let now = chrono::Utc::now();
    let due = sources
        .iter()
        .filter(|s| s.next_poll.is_none_or(|t| t <= now))
        .count();
    let n = config.feeds.len();
    if due == n {
        format!("fetching {}", count(due, "feed"))
    } else if due == 0 {
        "no feed is due yet (R fetches them all now)".to_string()
    } else {
        format!(
            "fetching {due} of {}, the others when due (R: all now)",
            count(n, "feed")
        )
    }
}

/// Lets the TUI take the keyboard away from the input thread while another program (a
/// text-mode browser) reads the terminal: the thread parks between two polls and says so.
#[derive(Clone, Default)]
struct InputGate(std::sync::Arc<(std::sync::Mutex<Gate>, std::sync::Condvar)>);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Gate {
    #[default]
    Open,
    Closing,
    Closed,
}

impl InputGate {
    /// Parks the input thread; returns once it no longer reads (or after a second).
    fn close(&self) {
        let (lock, cv) = &*self.0;
        let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
        *g = Gate::Closing;
        drop(cv.wait_timeout_while(g, Duration::from_secs(1), |g| *g != Gate::Closed));
    }

    fn open(&self) {
        let (lock, cv) = &*self.0;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = Gate::Open;
        cv.notify_all();
    }

    /// On the input thread: waits here while the gate is closed.
    fn pass(&self) {
        let (lock, cv) = &*self.0;
        let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
        if *g == Gate::Open {
            return;
        }
        *g = Gate::Closed;
        cv.notify_all();
        drop(cv.wait_while(g, |g| *g != Gate::Open));
    }
}

/// Reads terminal events on a thread of its own (crossterm's read blocks).
fn spawn_input(tx: mpsc::UnboundedSender<Msg>, gate: InputGate) {
    std::thread::spawn(move || {
        loop {
            if tx.is_closed() {
                return;
            }
            gate.pass();
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return,
            }
            let msg = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
                // Clicks and the wheel; moves and drags would only flood the loop.
                Ok(Event::Mouse(m))
                    if matches!(
                        m.kind,
                        MouseEventKind::Down(_)
                            | MouseEventKind::ScrollUp
                            | MouseEventKind::ScrollDown
                    ) =>
                {
                    Msg::Mouse(m)
                }
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
}

/// Opens a link: a graphical browser detached; a text-mode one gets the terminal (akhbar's
/// screen left, the keyboard handed over) until it exits, then the screen is drawn again.
fn open_link(
    url: &str,
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    gate: &InputGate,
) -> anyhow::Result<()> {
    let failed = |e: std::io::Error| Msg::Notice(format!("could not open the browser: {e}"));
    match launch_for(url, std::env::var("BROWSER").ok().as_deref()) {
        Err(e) => {
            app.update(failed(e));
        }
        Ok(Launch::Detached(argv)) => {
            if let Err(e) = spawn_detached(&argv) {
                app.update(failed(e));
            }
        }
        Ok(Launch::InTerminal(argv)) => {
            gate.close();
            restore_terminal();
            let status = tokio::task::block_in_place(|| run_in_terminal(&argv));
            resume(app.bidi().mode)?;
            terminal.clear()?;
            gate.open();
            // The size may have changed meanwhile; either way the whole screen is drawn.
            let size = terminal.size()?;
            app.update(Msg::Resize {
                width: size.width,
                height: size.height,
            });
            match status {
                Err(e) => {
                    app.update(failed(e));
                }
                Ok(s) if !s.success() => {
                    app.update(Msg::Notice(format!("the browser ended with {s}")));
                }
                Ok(_) => {}
            }
        }
    }
    Ok(())
}

/// Opens the config in `$VISUAL` / `$EDITOR` with the terminal handed over, as a text-mode
/// browser gets it; the caller reads the config again afterwards.
fn edit_config(
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    gate: &InputGate,
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        app.update(Msg::Notice(
            "no config file to edit (akhbar --init writes one)".into(),
        ));
        return Ok(());
    };
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let Some(argv) = editor_argv(visual.as_deref(), editor.as_deref(), path) else {
        app.update(Msg::Notice(
            "$VISUAL / $EDITOR has an unclosed quote".into(),
        ));
        return Ok(());
    };
    gate.close();
    restore_terminal();
    let status = tokio::task::block_in_place(|| run_in_terminal(&argv));
    resume(app.bidi().mode)?;
    terminal.clear()?;
    gate.open();
    let size = terminal.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    match status {
        Err(e) => {
            app.update(Msg::Notice(format!("could not start the editor: {e}")));
        }
        Ok(s) if !s.success() => {
            app.update(Msg::Notice(format!("the editor ended with {s}")));
        }
        Ok(_) => {}
    }
    Ok(())
}

async fn event_loop(
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    runtime: &Runtime,
    config: &mut Config,
    mut poll_rx: mpsc::UnboundedReceiver<PollEvent>,
    (msg_tx, mut msg_rx): (mpsc::UnboundedSender<Msg>, mpsc::UnboundedReceiver<Msg>),
    mut sync_first: bool,
) -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let gate = InputGate::default();
    let reload_tx = msg_tx.clone();
    spawn_input(msg_tx, gate.clone());
    let mut tick = tokio::time::interval(TICKER_STEP);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    // Raw mode keeps ^C and ^\ from the keyboard, but `kill -INT` / `-QUIT` still arrive.
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigquit = signal(SignalKind::quit())?;
    // For the start-up benchmark: quit as soon as the first frame is on screen (`restored`:
    // the first frame after the whole cache is restored).
    let exit_after = std::env::var("AKHBAR_EXIT_AFTER_FIRST_FRAME").ok();
    // For the end-to-end test of the panic hook.
    let panic_after_first_frame = std::env::var_os("AKHBAR_TEST_PANIC").is_some();
    loop {
        if app.is_dirty() {
            terminal.draw(|f| ui::draw(f, app))?;
            app.mark_drawn();
            if let Some(mode) = &exit_after
                && (mode != "restored" || !app.is_restoring())
            {
                return Ok(());
            }
            if panic_after_first_frame {
                panic!(
                    "AKHBAR_TEST_PANIC: a deliberate panic to test that the terminal is restored"
                );
            }
        }
        let restoring = app.is_restoring();
        // The first sync waits for the cache: its articles merge with the cached ones.
        if sync_first && !restoring {
            sync_first = false;
            runtime.run(vec![Cmd::SyncRefresh(None)]);
        }
        let msg = tokio::select! {
            Some(m) = msg_rx.recv() => m,
            Some(ev) = poll_rx.recv(), if !restoring => Msg::Poll(ev),
            _ = tick.tick() => Msg::Tick(Instant::now()),
            _ = sigterm.recv() => return Ok(()),
            // SIGHUP reads the config again, as Ctrl-R does.
            _ = sighup.recv() => {
                for m in reload(config) {
                    let _ = reload_tx.send(m);
                }
                continue;
            }
            _ = sigint.recv() => return Ok(()),
            _ = sigquit.recv() => return Ok(()),
        };
        if matches!(msg, Msg::Restored(_)) {
            runtime.restore_part_taken();
        }
        // Take the poll events already waiting with it, so a burst of finished feeds costs
        // one recomputation of the views and one frame, not one per feed. Bounded, so keys
        // waiting behind the burst are handled soon.
        let mut batch = vec![msg];
        while batch.len() < POLL_BATCH && !app.is_restoring() {
            match poll_rx.try_recv() {
                Ok(ev) => batch.push(Msg::Poll(ev)),
                Err(_) => break,
            }
        }
        let cmds = app.update_many(batch);
        for cmd in runtime.run(cmds) {
            match cmd {
                Cmd::Quit => return Ok(()),
                Cmd::OpenUrl(url) => open_link(&url, app, terminal, &gate)?,
                Cmd::Redraw => terminal.clear()?,
                Cmd::ReloadConfig => {
                    for m in reload(config) {
                        let _ = reload_tx.send(m);
                    }
                }
                Cmd::EditConfig => {
                    edit_config(app, terminal, &gate, config.path.as_deref())?;
                    for m in reload(config) {
                        let _ = reload_tx.send(m);
                    }
                }
                Cmd::Notify(news) => {
                    if let Some(argv) = notify::argv(&config.notify, &news) {
                        notify::spawn(argv, reload_tx.clone());
                    }
                    if let Some(seq) = notify::osc(config.notify_terminal, &notify::summary(&news))
                    {
                        let mut out = io::stdout();
                        out.write_all(seq.as_bytes())?;
                        out.flush()?;
                    }
                }
                Cmd::SetBidi(mode) => {
                    let mut out = io::stdout();
                    out.write_all(bidi_escape(mode).as_bytes())?;
                    out.flush()?;
                    terminal.clear()?;
                }
                _ => {}
            }
        }
        if app.quit_requested() {
            return Ok(());
        }
    }
}
