//! Issue 14, notifications: the `notify` program runs once a round of fetches brought new
//! articles, with its placeholders filled in, never through a shell; `notify = false`
//! feeds are not counted; nothing runs when nothing new came. The program here is a tiny
//! script the test writes, which appends its argv to a file (the test's own program:
//! akhbar runs it as an argv like any other).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use akhbar::app::{AppOptions, Cmd, Msg, NewArticles};
use akhbar::model::{Direction, FetchOutcome, PollEvent};
use akhbar::runtime::notify;
use akhbar::store::Store;

use crate::support::app::{AR, EN, app_with, item, test_clock};
use crate::support::builders::{finished, parsed_feed};
use crate::support::http::{BlockingServer, Reply};
use crate::support::process::akhbar;

/// Writes `dir/record.sh`, which appends its arguments (one line, separated by `|`) to
/// `dir/argv.txt`; returns the script's path and the record's.
fn recorder(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("record.sh");
    let record = dir.join("argv.txt");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n(IFS='|'; printf '%s\\n' \"$*\") >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, record)
}

fn lines(record: &Path) -> Vec<String> {
    std::fs::read_to_string(record)
        .map(|t| t.lines().map(String::from).collect())
        .unwrap_or_default()
}

/// An empty two-feed store: "Daily" (EN) and "World" (AR, `notify = false` in the tests).
fn two_feeds() -> Store {
    let mut s = Store::new();
    s.add_feed(
        "http://127.0.0.1:1/en.xml",
        Some("Daily"),
        vec![],
        Direction::Auto,
    );
    s.add_feed(
        "http://127.0.0.1:1/ar.xml",
        Some("World"),
        vec![],
        Direction::Auto,
    );
    s
}

fn updated(guids: &[&str]) -> FetchOutcome {
    FetchOutcome::Updated(parsed_feed(
        guids
            .iter()
            .map(|g| item(g, g, 9, None, "<p>x</p>"))
            .collect(),
    ))
}

fn notifies(cmds: &[Cmd]) -> Vec<NewArticles> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Notify(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_round_that_brought_new_articles_notifies_once_when_its_last_fetch_is_done() {
    let mut app = app_with(AppOptions {
        clock: test_clock(),
        quiet_feeds: vec![AR],
        ..AppOptions::new(two_feeds())
    });
    let tick = |app: &mut akhbar::app::App| app.update(Msg::Tick(Instant::now()));
    app.update(Msg::Poll(PollEvent::Started { feed: EN }));
    app.update(Msg::Poll(PollEvent::Started { feed: AR }));
    let mut cmds = app.update(Msg::Poll(finished(EN, updated(&["e1", "e2"]))));
    cmds.extend(tick(&mut app));
    assert_eq!(notifies(&cmds), [], "a fetch is still in flight");
    let mut cmds = app.update(Msg::Poll(finished(AR, updated(&["a1", "a2", "a3"]))));
    assert_eq!(notifies(&cmds), [], "the round ends at the next tick");
    cmds.extend(tick(&mut app));
    assert_eq!(
        notifies(&cmds),
        [NewArticles {
            new: 2,
            feeds: vec!["Daily".into()],
            unread: 5,
        }],
        "the quiet feed's three are unread but not counted"
    );
    assert_eq!(notifies(&tick(&mut app)), [], "once per round");

    // Nothing new (the same items again), then only the quiet feed's: no notification.
    for (feed, guids) in [(EN, &["e1", "e2"][..]), (AR, &["a4"][..])] {
        app.update(Msg::Poll(PollEvent::Started { feed }));
        let mut cmds = app.update(Msg::Poll(finished(feed, updated(guids))));
        cmds.extend(tick(&mut app));
        assert_eq!(notifies(&cmds), [], "{feed:?}");
    }
    // A failed fetch and then a new article in the next round.
    app.update(Msg::Poll(PollEvent::Started { feed: EN }));
    app.update(Msg::Poll(finished(
        EN,
        FetchOutcome::Failed {
            reason: "500".into(),
        },
    )));
    app.update(Msg::Poll(PollEvent::Started { feed: EN }));
    app.update(Msg::Poll(finished(EN, updated(&["e3"]))));
    assert_eq!(
        notifies(&tick(&mut app)),
        [NewArticles {
            new: 1,
            feeds: vec!["Daily".into()],
            unread: 7,
        }]
    );
}

#[test]
fn the_tui_runs_the_notify_argv_off_the_loop_and_reports_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (script, record) = recorder(dir.path());
    let news = NewArticles {
        new: 3,
        feeds: vec!["Daily".into(), "World; rm -rf ~".into()],
        unread: 40,
    };
    let template: Vec<String> = [
        script.display().to_string(),
        "akhbar".into(),
        "%n new articles".into(),
        "%f feeds, %u unread".into(),
        "$(touch pwned) 100%%".into(),
    ]
    .into();
    let argv = notify::argv(&template, &news).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    notify::spawn(argv, tx.clone());
    let deadline = Instant::now() + Duration::from_secs(20);
    while lines(&record).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        lines(&record),
        ["akhbar|3 new articles|2 feeds, 40 unread|$(touch pwned) 100%"]
    );
    assert!(!dir.path().join("pwned").exists(), "no shell");
    // A program that is not there: a notice for the status line, no panic.
    notify::spawn(vec![dir.path().join("absent").display().to_string()], tx);
    let msg = rx.blocking_recv().expect("a notice");
    match msg {
        Msg::Notice(n) => assert!(n.contains("notify: cannot run"), "{n}"),
        other => panic!("{other:?}"),
    }
}

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loud</title>
<item><guid>a</guid><title>First</title></item>
<item><guid>b</guid><title>Second</title></item>
</channel></rss>"#;

const QUIET: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quiet</title>
<item><guid>q</guid><title>Hush</title></item>
</channel></rss>"#;

fn refresh(home: &Path) -> Output {
    akhbar(home)
        .arg("refresh")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .output()
        .unwrap()
}

fn write_config(home: &Path, text: &str) {
    let p = home.join("config/akhbar/config.toml");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn akhbar_refresh_runs_notify_after_new_articles_and_not_when_nothing_is_new() {
    let server = BlockingServer::start(|req| match req.target.as_str() {
        "/loud.xml" => Reply::ok("application/rss+xml", FEED),
        "/quiet.xml" => Reply::ok("application/rss+xml", QUIET),
        _ => Reply::empty("404 Not Found"),
    });
    let dir = tempfile::tempdir().unwrap();
    let (script, record) = recorder(dir.path());
    write_config(
        dir.path(),
        &format!(
            "notify = [\"{}\", \"%n new\", \"%f feeds\", \"%u unread\"]\n\
             [[feed]]\nurl = \"{}\"\n\
             [[feed]]\nurl = \"{}\"\nnotify = false\n",
            script.display(),
            server.url("/loud.xml"),
            server.url("/quiet.xml"),
        ),
    );
    let o = refresh(dir.path());
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("3 new articles"),
        "{o:?}"
    );
    assert_eq!(
        lines(&record),
        ["2 new|1 feeds|3 unread"],
        "the quiet feed's one not counted"
    );
    let o = refresh(dir.path());
    assert!(o.status.success(), "{o:?}");
    assert_eq!(lines(&record).len(), 1, "nothing new: nothing ran");

    // A program that fails is told on stderr; the refresh itself still succeeded.
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        &format!(
            "notify = [\"false\"]\n[[feed]]\nurl = \"{}\"\n",
            server.url("/loud.xml")
        ),
    );
    let o = refresh(home.path());
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("notify: `false` ended with"),
        "{o:?}"
    );
}

#[test]
fn a_notify_argument_with_an_unknown_placeholder_is_a_config_error_naming_its_line() {
    let text = "refresh_interval = \"15m\"\nnotify = [\"notify-send\", \"%q\"]\n";
    let e = akhbar::config::Config::parse(Path::new("c.toml"), text).unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("line 2, key `notify`"), "{shown}");
    assert!(shown.contains("`%q` is no placeholder"), "{shown}");
    let ok = akhbar::config::Config::parse(
        Path::new("c.toml"),
        "notify = [\"notify-send\", \"%n\"]\nnotify_terminal = \"osc777\"\n[[feed]]\nurl = \"https://example.org/a\"\nnotify = false\n",
    )
    .unwrap();
    assert_eq!(ok.notify, ["notify-send", "%n"]);
    assert_eq!(ok.notify_terminal, akhbar::config::NotifyTerminal::Osc777);
    assert!(!ok.feeds[0].notify);
    assert!(akhbar::config::Config::defaults().notify.is_empty());
}

/// The TUI end to end: the binary in tmux runs the notify program once when its first round
/// of fetches brought two feeds' articles (the quiet feed's not counted).
#[test]
fn the_running_tui_notifies_after_its_first_round() {
    use crate::support::process::skip_missing;
    use crate::support::tmux::{Tmux, shell_quote};

    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let server = BlockingServer::start(|req| match req.target.as_str() {
        "/loud.xml" | "/loud2.xml" => Reply::ok("application/rss+xml", FEED),
        "/quiet.xml" => Reply::ok("application/rss+xml", QUIET),
        _ => Reply::empty("404 Not Found"),
    });
    let dir = tempfile::tempdir().unwrap();
    let (script, record) = recorder(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nnotify = [\"{}\", \"%n new\", \"%f feeds\"]\n\
             [[feed]]\nurl = \"{}\"\n[[feed]]\nurl = \"{}\"\n[[feed]]\nurl = \"{}\"\nnotify = false\n",
            script.display(),
            server.url("/loud.xml"),
            server.url("/loud2.xml"),
            server.url("/quiet.xml"),
        ),
    )
    .unwrap();
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start("notify", 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let bin = env!("CARGO_BIN_EXE_akhbar");
    tmux.send_keys(&[&format!("{bin} --config {}", shell_quote(&config)), "Enter"]);
    tmux.wait_for("both feeds' headlines", |s| {
        s.contains("Second") && s.contains("Hush")
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while lines(&record).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        lines(&record),
        ["4 new|2 feeds"],
        "one line for the round, not one per feed"
    );
    tmux.send_keys(&["q"]);
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "E2E-PROMPT$")
    });
    assert_eq!(lines(&record).len(), 1, "once, not once per feed");
}
