//! The reader end to end (issue 11): the built binary in tmux against a feed and article
//! server on 127.0.0.1 started here, with `BROWSER` a script that logs what it is given.
//! `3` opens link 3, `#` `1` `2` Enter opens link 12, `-` and `+` narrow and widen the text
//! column (capture-pane shows where it starts), `S` writes the article to `save_dir`, and
//! `F` switches to the full text of the article's page.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::skip_missing;
use crate::support::tmux::{Tmux, shell_quote};

const WIDTH: u16 = 100;

fn feed(port: u16) -> String {
    let links: String = (1..=12)
        .map(|i| format!("<p>Item {i}: <a href=\"http://127.0.0.1:{port}/l{i}\">link {i}</a></p>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Reader E2E</title><link>http://127.0.0.1:{port}/</link><language>en</language>
<item><guid>bridge</guid><title>Harbour bridge reopens after repairs</title><link>http://127.0.0.1:{port}/article</link>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>FEED-TEXT: the feed's own short paragraph about the bridge, long enough to fill most of a line of text.</p>{links}]]></description></item>
</channel></rss>"#
    )
}

/// The feed at `/feed.xml`, the article's page at `/article` (a real news page: the
/// extractor finds its article), 404 for the rest.
fn serve() -> BlockingServer {
    let page = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pages/en-article.html"
    ))
    .expect("the fixture page");
    let port = std::sync::Arc::new(std::sync::OnceLock::<u16>::new());
    let seen = port.clone();
    let server = BlockingServer::start(move |req| {
        let port = seen.get().copied().unwrap_or(0);
        if req.target.ends_with("/feed.xml") {
            Reply::ok("application/rss+xml; charset=utf-8", feed(port))
        } else if req.target.ends_with("/article") {
            Reply::ok("text/html; charset=utf-8", page.clone())
        } else {
            Reply::empty("404 Not Found")
        }
    });
    port.set(server.port()).unwrap();
    server
}

/// Polls `path` until `pred` holds on its text (up to 15 s).
fn wait_file(path: &Path, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if pred(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The column where the line holding `needle` starts (its leading blanks).
fn indent_of(screen: &str, needle: &str) -> Option<usize> {
    let line = screen.lines().find(|l| l.contains(needle))?;
    Some(line.chars().take_while(|c| *c == ' ').count())
}

#[test]
fn links_by_number_the_measure_save_and_full_text_in_tmux() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opened.log");
    let browser = dir.path().join("log-browser");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" >> {}\n", shell_quote(&log)),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let saved = dir.path().join("saved");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\nsave_dir = {}\n[[feed]]\nurl = \"{}\"\n",
            toml_string(&saved),
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start("reader", WIDTH, 40, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let run = format!(
        "BROWSER={} {} --config {}",
        shell_quote(&browser),
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&config)
    );
    tmux.send_keys(&[&run, "Enter"]);
    tmux.wait_for("the headline", |s| {
        s.contains("Harbour bridge reopens after repairs")
    });
    tmux.send_keys(&["Enter"]);
    let screen = tmux.wait_for("the article", |s| s.contains("FEED-TEXT"));

    // The measure: 80 columns centred in 100 start at column 10.
    assert_eq!(indent_of(&screen, "FEED-TEXT"), Some(10), "{screen}");
    for _ in 0..5 {
        tmux.send_keys(&["-l", "-"]);
    }
    let screen = tmux.wait_for("a narrower column", |s| {
        indent_of(s, "Harbour bridge reopens") == Some(20)
    });
    assert!(screen.contains("60 columns"), "{screen}");
    tmux.send_keys(&["+"]);
    tmux.wait_for("a wider column", |s| {
        indent_of(s, "Harbour bridge reopens") == Some(18)
    });

    // `3` opens link 3 at once; `#` asks for a number, and 12 Enter opens link 12.
    tmux.send_keys(&["3"]);
    wait_file(&log, "link 3", |t| t.lines().count() == 1);
    tmux.send_keys(&["#", "1", "2"]);
    tmux.wait_for("the number prompt", |s| s.contains("open link #12"));
    tmux.send_keys(&["Enter"]);
    let opened = wait_file(&log, "link 12", |t| t.lines().count() == 2);
    let port = server.port();
    assert_eq!(
        opened,
        format!("http://127.0.0.1:{port}/l3\nhttp://127.0.0.1:{port}/l12\n")
    );

    // `S` writes the article to save_dir.
    tmux.send_keys(&["S"]);
    tmux.wait_for("the saved notice", |s| s.contains("saved to"));
    let file = saved.join("Harbour bridge reopens after repairs.md");
    let text = wait_file(&file, "the saved file", |t| t.contains("## Links"));
    assert!(text.starts_with("# Harbour bridge reopens after repairs\n"));
    assert!(text.contains(&format!("- [12] <http://127.0.0.1:{port}/l12>")));

    // `F`: the page's article replaces the feed's text.
    tmux.send_keys(&["F"]);
    let screen = tmux.wait_for("the full text", |s| {
        s.contains("reopened to traffic on Saturday")
    });
    assert!(!screen.contains("FEED-TEXT"), "{screen}");
    tmux.send_keys(&["F"]);
    tmux.wait_for("the feed's text again", |s| s.contains("FEED-TEXT"));

    tmux.send_keys(&["q"]);
    tmux.wait_for("the list", |s| !s.contains("FEED-TEXT"));
    tmux.send_keys(&["q"]);
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "E2E-PROMPT$")
    });
}

/// A path as a TOML basic string.
fn toml_string(p: &Path) -> String {
    format!(
        "\"{}\"",
        p.display()
            .to_string()
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    )
}
