//! Issue 14: `akhbar refresh` on a terminal shows a live line (`fetched 3/20 · 1 failed ·
//! 0.4 s`) rewritten in place and cleared before the summary; with its output not a
//! terminal, only the report as before. The terminal one runs in tmux against a feed
//! server that takes its time over every answer.

use std::path::Path;
use std::time::Duration;

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::{akhbar, skip_missing};
use crate::support::tmux::{Tmux, shell_quote};

const FEEDS: usize = 20;

/// `/f0.xml` .. `/f18.xml` are feeds, every other address 404; each answer is `delay` late
/// (one connection at a time, so 20 feeds take 20 delays).
fn slow_server(delay: Duration) -> BlockingServer {
    BlockingServer::start(move |req| {
        std::thread::sleep(delay);
        let n = req.target.trim_start_matches("/f").trim_end_matches(".xml");
        match n.parse::<usize>() {
            Ok(n) if n < FEEDS - 1 => Reply::ok(
                "application/rss+xml",
                format!(
                    "<rss version=\"2.0\"><channel><title>Feed {n}</title>\
                     <item><guid>g{n}</guid><title>Item {n}</title></item></channel></rss>"
                ),
            ),
            _ => Reply::empty("404 Not Found"),
        }
    })
}

fn config(dir: &Path, server: &BlockingServer) -> std::path::PathBuf {
    let mut text = String::from("concurrency = 2\n");
    for i in 0..FEEDS {
        text.push_str(&format!(
            "[[feed]]\nurl = \"{}\"\n",
            server.url(&format!("/f{i}.xml"))
        ));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn refresh_on_a_terminal_shows_a_live_line_then_only_the_summary() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let server = slow_server(Duration::from_millis(150));
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &server);
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start("progress", 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let bin = env!("CARGO_BIN_EXE_akhbar");
    tmux.send_keys(&[
        &format!("{bin} refresh --config {}", shell_quote(&config)),
        "Enter",
    ]);
    // A line part way through: some fetched, not all, the clock running.
    let during = tmux.wait_for("the live line part way", |s| {
        s.lines().any(|l| {
            l.starts_with("fetched ")
                && l.contains(&format!("/{FEEDS} · "))
                && !l.starts_with(&format!("fetched {FEEDS}/"))
                && !l.starts_with("fetched 0/")
                && l.ends_with(" s")
        })
    });
    assert!(
        !during.contains("20 feeds,"),
        "not the summary yet:\n{during}"
    );
    let done = tmux.wait_for("the summary", |s| s.contains("20 feeds, 19 ok, 1 failed"));
    assert!(
        !done
            .lines()
            .any(|l| l.contains("fetched ") && l.contains(" · ")),
        "the live line is cleared before the summary:\n{done}"
    );
    // The failure line stands on a line of its own, not glued to the live line.
    assert!(
        done.lines()
            .any(|l| l.starts_with("failed: ") && l.contains("/f19.xml")),
        "{done}"
    );
}

#[test]
fn refresh_into_a_pipe_prints_no_live_line() {
    let server = slow_server(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &server);
    let o = akhbar(dir.path())
        .args(["refresh", "--config"])
        .arg(&config)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(out.contains("20 feeds, 19 ok, 1 failed"), "{out}");
    for text in [&out, &err] {
        assert!(!text.contains("fetched "), "{text}");
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
}
