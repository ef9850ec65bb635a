//! End to end: the built binary in tmux against a feed server started by this test. Opens an
//! article with Enter, reads its paragraphs with capture-pane, goes back, quits with q, and
//! checks the shell prompt is back and the alternate screen was left.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>E2E News</title><link>http://127.0.0.1/</link><language>en</language>
<item><guid>one</guid><title>Harbour bridge reopens after repairs</title><link>http://127.0.0.1/one</link>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>The first paragraph talks about the bridge.</p><p>The second paragraph mentions 42 workers.</p>]]></description></item>
<item><guid>two</guid><title>Library extends opening hours</title><link>http://127.0.0.1/two</link>
<pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Open until nine.</p>]]></description></item>
<item><guid>three</guid><title>شركة (Apple) تعلن</title><link>http://127.0.0.1/three</link>
<pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p dir="rtl">نص المقال.</p>]]></description></item>
</channel></rss>"#;

/// A tiny HTTP server on 127.0.0.1 answering every request with the feed, or with 503 while
/// `down` is set.
fn serve_feed(down: Arc<AtomicBool>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut s = reader.into_inner();
            if down.load(Ordering::SeqCst) {
                let _ = write!(
                    s,
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                continue;
            }
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FEED}",
                FEED.len()
            );
        }
    });
    port
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "e2e"])
    }
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    fn alternate_on(&self) -> bool {
        self.cmd(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim()
            == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A shell in a private tmux server with akhbar running in it against a feed server.
struct Session {
    tmux: Tmux,
    dir: tempfile::TempDir,
    /// Sets the feed server's 503 mode.
    down: Arc<AtomicBool>,
    /// The command line that started akhbar (to start it again).
    run: String,
}

/// Starts a shell in a private tmux server, then akhbar in it against a fresh feed server.
fn start(name: &str, extra_env: &str) -> Option<(Tmux, tempfile::TempDir)> {
    start_session(name, extra_env).map(|s| (s.tmux, s.dir))
}

fn start_session(name: &str, extra_env: &str) -> Option<Session> {
    if !tmux_available() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "tmux is missing under CI"
        );
        eprintln!("tmux not found: skipping the end-to-end test");
        return None;
    }
    let down = Arc::new(AtomicBool::new(false));
    let port = serve_feed(down.clone());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("refresh_interval = \"1h\"\nbidi = \"app\"\n[[feed]]\nurl = \"http://127.0.0.1:{port}/feed.xml\"\n"),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_akhbar");
    let home = dir.path().display().to_string();
    let tmux = Tmux {
        socket: format!("akhbar-e2e-{name}-{}", std::process::id()),
    };
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "100",
        "-y",
        "30",
        &shell,
    ]);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let run = format!("{extra_env} {bin} --config {}", shell_quote(&config));
    tmux.cmd(&["send-keys", "-t", "e2e", &run, "Enter"]);
    Some(Session {
        tmux,
        dir,
        down,
        run,
    })
}

/// Waits until the alternate screen is left and the prompt is the last line again, then
/// checks the terminal answers like a cooked one (echo works, so raw mode is off).
fn assert_terminal_restored(tmux: &Tmux) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    while tmux.alternate_on() {
        assert!(
            Instant::now() < deadline,
            "akhbar did not leave the alternate screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "E2E-PROMPT$")
    });
    tmux.cmd(&["send-keys", "-t", "e2e", "echo cooked-$((40+2))", "Enter"]);
    tmux.wait_for("the shell to answer", |s| s.contains("cooked-42"))
}

#[test]
fn sigterm_restores_the_terminal() {
    let Some((tmux, _dir)) = start("term", "") else {
        return;
    };
    tmux.wait_for("the headlines", |s| {
        s.contains("Harbour bridge reopens after repairs")
    });
    let shell_pid = tmux.cmd(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
    let out = Command::new("pkill")
        .args(["-TERM", "-P", shell_pid.trim()])
        .output()
        .expect("pkill runs");
    assert!(out.status.success(), "akhbar was running under the shell");
    let after = assert_terminal_restored(&tmux);
    assert!(!after.contains("Harbour bridge"), "{after}");
}

#[test]
fn a_panic_restores_the_terminal_and_reports() {
    let Some((tmux, _dir)) = start("panic", "AKHBAR_TEST_PANIC=1") else {
        return;
    };
    let after = assert_terminal_restored(&tmux);
    assert!(
        after.contains("a deliberate panic"),
        "the panic message is shown on the normal screen:\n{after}"
    );
}

#[test]
fn open_an_article_read_it_go_back_and_quit_in_tmux() {
    let Some((tmux, _dir)) = start("main", "") else {
        return;
    };

    let list = tmux.wait_for("the headlines", |s| {
        s.contains("Harbour bridge reopens after repairs")
    });
    assert!(list.contains("Library extends opening hours"), "{list}");
    assert!(tmux.alternate_on(), "the TUI runs on the alternate screen");
    // The Arabic title is drawn in visual order: the last word of the logical text comes first.
    assert!(list.contains("(Apple)"), "{list}");

    tmux.cmd(&["send-keys", "-t", "e2e", "Enter"]);
    let article = tmux.wait_for("the article", |s| {
        s.contains("The first paragraph talks about the bridge.")
    });
    assert!(
        article.contains("The second paragraph mentions 42 workers."),
        "{article}"
    );
    assert!(
        !article.contains("Library extends opening hours"),
        "the reader replaced the list:\n{article}"
    );

    tmux.cmd(&["send-keys", "-t", "e2e", "q"]);
    tmux.wait_for("the list again", |s| {
        s.contains("Library extends opening hours")
    });

    tmux.cmd(&["send-keys", "-t", "e2e", "q"]);
    let after = assert_terminal_restored(&tmux);
    assert!(
        !after.contains("Harbour bridge"),
        "no TUI left on the normal screen:\n{after}"
    );
}

#[test]
fn stars_read_state_and_the_unread_only_toggle_survive_a_restart_offline() {
    let Some(session) = start_session("restart", "") else {
        return;
    };
    let tmux = &session.tmux;
    tmux.wait_for("the headlines", |s| {
        s.contains("Harbour bridge reopens after repairs")
    });
    // Star the newest article, read the second one, show unread articles only, quit.
    tmux.cmd(&["send-keys", "-t", "e2e", "s"]);
    tmux.wait_for("the star", |s| starred_line(s, "Harbour bridge"));
    tmux.cmd(&["send-keys", "-t", "e2e", "j", "Enter"]);
    tmux.wait_for("the second article", |s| s.contains("Open until nine."));
    tmux.cmd(&["send-keys", "-t", "e2e", "q", "u"]);
    tmux.wait_for("the unread-only view", |s| {
        s.contains("unread only") && !s.contains("Library extends opening hours")
    });
    tmux.cmd(&["send-keys", "-t", "e2e", "q"]);
    assert_terminal_restored(tmux);

    // The network is gone: everything comes from the cache.
    session.down.store(true, Ordering::SeqCst);
    tmux.cmd(&["send-keys", "-t", "e2e", &session.run, "Enter"]);
    let screen = tmux.wait_for("the cached headlines", |s| {
        s.contains("Harbour bridge reopens after repairs") && s.contains("unread only")
    });
    assert!(starred_line(&screen, "Harbour bridge"), "{screen}");
    assert!(
        !screen.contains("Library extends opening hours"),
        "the read article is hidden by the unread-only view:\n{screen}"
    );
    // The feed is not due again for an hour (the kept schedule); R fetches it now, and fails.
    tmux.cmd(&["send-keys", "-t", "e2e", "R"]);
    tmux.wait_for("the failed fetch", |s| s.contains("1 failed"));
    // Showing all again brings the read article back.
    tmux.cmd(&["send-keys", "-t", "e2e", "u"]);
    tmux.wait_for("every article", |s| {
        s.contains("Library extends opening hours")
    });
    tmux.cmd(&["send-keys", "-t", "e2e", "q"]);
    assert_terminal_restored(tmux);
    assert!(session.dir.path().join("data/akhbar/cache.sqlite").exists());
}

/// Whether the headline row with `title` has the star marker.
fn starred_line(screen: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains(title) && l.contains("│ ★ "))
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
