//! Finding things, end to end (issue 12): the built binary in tmux against a feed server on
//! 127.0.0.1 started by the test. An Arabic word typed without marks in `/` finds the article
//! whose body has it with harakat (the cache's index), and the reader shows the word in the
//! search-match colours (read back with `capture-pane -e`); a `[[query]]` feed lists what its
//! filter matches; an article matched by `ignore` is gone from every list and count.

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::skip_missing;
use crate::support::tmux::{Tmux, shell_quote};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Find News</title><link>http://127.0.0.1/</link>
<item><guid>ar</guid><title>تقرير الأسبوع</title><link>http://127.0.0.1/ar</link>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p dir="rtl">قال المطور إن الإصدار الجديد يُحَسِّنُ سرعة الترجمة</p>]]></description></item>
<item><guid>bridge</guid><title>Harbour bridge reopens after repairs</title><link>http://127.0.0.1/bridge</link>
<pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>The bridge is open.</p>]]></description></item>
<item><guid>ad</guid><title>Sponsored: a bridge to riches</title><link>http://127.0.0.1/ad</link>
<pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Buy now.</p>]]></description></item>
<item><guid>lib</guid><title>Library extends opening hours</title><link>http://127.0.0.1/lib</link>
<pubDate>Tue, 24 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Open until nine.</p>]]></description></item>
</channel></rss>"#;

/// akhbar running in a private tmux server with `config` (the feed's `[[feed]]` appended).
struct Session {
    tmux: Tmux,
    _dir: tempfile::TempDir,
    _server: BlockingServer,
}

fn start(name: &str, config: &str) -> Option<Session> {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return None;
    }
    let server = BlockingServer::start(|_| Reply::ok("application/rss+xml; charset=utf-8", FEED));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\n{config}\n[[feed]]\nurl = \"http://127.0.0.1:{}/feed.xml\"\n",
            server.port()
        ),
    )
    .unwrap();
    let home = dir.path().display().to_string();
    // A UTF-8 locale for the shell and tmux (the keys typed are Arabic); no NO_COLOR.
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color LANG=C.UTF-8 PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start(name, 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let run = format!(
        "{} --config {}",
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&path)
    );
    tmux.send_keys(&[&run, "Enter"]);
    Some(Session {
        tmux,
        _dir: dir,
        _server: server,
    })
}

/// The pane with its colours as escape sequences.
fn coloured(tmux: &Tmux) -> String {
    tmux.cmd(&["capture-pane", "-p", "-e", "-t", "e2e"])
}

/// The text drawn on a yellow background (SGR 43, or 48;5;3 as tmux writes it: the default
/// theme's `search_match` is black on yellow), each run up to the next escape sequence.
fn on_yellow(pane: &str) -> Vec<String> {
    let mut runs = Vec::new();
    for (i, _) in pane.match_indices('\u{1b}') {
        let rest = &pane[i..];
        let Some(end) = rest.find('m') else { continue };
        let params: Vec<&str> = rest[2..end].split(';').collect();
        let yellow = params.contains(&"43") || params.windows(3).any(|w| w == ["48", "5", "3"]);
        if yellow {
            let text = &rest[end + 1..];
            let run = text.split('\u{1b}').next().unwrap_or("");
            if !run.trim().is_empty() {
                runs.push(run.to_string());
            }
        }
    }
    runs
}

#[test]
fn a_bare_arabic_word_finds_the_body_with_harakat_and_the_reader_highlights_it() {
    let Some(session) = start("find-ar", "") else {
        return;
    };
    let tmux = &session.tmux;
    tmux.wait_for("the headlines", |s| {
        s.contains("Library extends opening hours")
    });
    // The body, not the title, has the word; with its marks. The cache writes in the
    // background: a search before the articles are in its index finds nothing, so ask again.
    let mut found = String::new();
    for _ in 0..20 {
        tmux.send_keys(&["/"]);
        tmux.send_keys(&["-l", "يحسن"]);
        tmux.send_keys(&["Enter"]);
        found = tmux.wait_for("the search's answer", |s| {
            s.contains("1 match)") || s.contains("0 matches)")
        });
        if found.contains("1 match)") {
            break;
        }
        tmux.send_keys(&["Escape"]);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert!(found.contains("1 match)"), "{found}");
    assert!(!found.contains("Library extends"), "{found}");
    assert!(!found.contains("Harbour bridge"), "{found}");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("the article", |s| s.contains("127.0.0.1/ar"));
    // The word with its marks, shaped and drawn right to left, all of it in the match
    // colours and nothing else: folded and read back in logical order it is the query.
    let pane = coloured(tmux);
    let runs = on_yellow(&pane);
    let words: Vec<String> = runs
        .iter()
        .map(|r| akhbar::text::fold::fold(r).trim().chars().rev().collect())
        .collect();
    assert_eq!(words, ["يحسن"], "{runs:?}\n{pane}");
    // n goes to the match and says which it is.
    tmux.send_keys(&["n"]);
    tmux.wait_for("the match notice", |s| s.contains("match 1 of 1"));
}

#[test]
fn a_query_feed_lists_its_matches_and_an_ignored_article_is_gone() {
    let config = r#"ignore = ['title =~ "sponsored"']

[[query]]
name = "Bridges"
filter = 'title =~ "bridge" or content =~ "bridge"'
"#;
    let Some(session) = start("find-query", config) else {
        return;
    };
    let tmux = &session.tmux;
    let list = tmux.wait_for("the headlines and the query feed", |s| {
        s.contains("Library extends opening hours") && s.contains("⌕ Bridges")
    });
    // The ignored article is neither listed nor counted: 3 of the feed's 4 items.
    assert!(!list.contains("Sponsored"), "{list}");
    let all = list
        .lines()
        .find(|l| l.contains("All articles"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        all.split('│').next().unwrap().trim_end().ends_with(" 3"),
        "{all}"
    );
    let bridges = list.lines().find(|l| l.contains("⌕ Bridges")).unwrap();
    assert!(
        bridges
            .split('│')
            .next()
            .unwrap()
            .trim_end()
            .ends_with(" 1"),
        "{bridges}"
    );
    // Open the query feed (the last row of the feed list): only the bridge article.
    tmux.send_keys(&["Tab", "G", "Enter"]);
    let shown = tmux.wait_for("the query feed's list", |s| !s.contains("Library extends"));
    assert!(
        shown.contains("Harbour bridge reopens after repairs"),
        "{shown}"
    );
    assert!(!shown.contains("Sponsored"), "{shown}");
    assert!(!shown.contains("تقرير"), "{shown}");
}
