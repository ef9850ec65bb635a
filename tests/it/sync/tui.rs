//! The TUI's own keys on synced articles (issue 13), end to end: akhbar runs in tmux with
//! `[sync]` against the harness's TT-RSS; opening an article and `s` reach the server in the
//! background; with the server unreachable `m` (also one pressed right before `q`) waits in the cache's queue across the quit
//! and goes once it answers. The user's other feeds (other tests') make the first sync long,
//! so the keys are pressed while it still runs: the case where a change once never reached
//! the queue.

use std::time::{Duration, Instant};

use serde_json::json;

use super::e2e::{Forwarder, Setup, host_port, ttrss};
use super::env::{self, Server};
use super::feeds::{self, Item};
use super::raw::TtRssRaw;
use crate::support::process::skip_missing;
use crate::support::tmux::{Tmux, shell_quote};

/// Hours after 2024-01-01 of the test's articles (November 2026).
const RECENT: u32 = 25_000;

/// A word of letters only this run uses (the search finds the test's articles by it: the
/// server keeps every earlier run's and other tests' articles, so the list's order alone
/// does not say which row is the test's).
fn word(tag: &str) -> String {
    let mut n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
        ^ u64::from(std::process::id()) << 40;
    let mut w = tag.to_string();
    while n > 0 {
        w.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    w
}

/// A feed of two articles titled `<word> older` and `<word> newer`, subscribed on the
/// server; returns the word and the server ids of (older, newer).
async fn two_articles(s: &Server, raw: &TtRssRaw, tag: &str) -> (String, u64, u64) {
    let name = env::unique(tag);
    let tag = word(tag);
    let tag = tag.as_str();
    let items: Vec<Item> = ["older", "newer"]
        .iter()
        .enumerate()
        .map(|(i, which)| Item {
            guid: format!("{name}-{i}"),
            title: format!("{tag} {which}"),
            body: format!("<p>body of the {which} {tag} article</p>"),
            hour: RECENT + i as u32,
        })
        .collect();
    let url = feeds::write(
        &s.feed_dir,
        &s.feed_url,
        &name,
        &format!("TUI {name}"),
        &items,
    );
    let cat = raw.category(super::ttrss::CATEGORY).await;
    let feed = raw.subscribe(&url, cat).await;
    let heads = raw
        .call("getHeadlines", json!({"feed_id": feed, "limit": 10}))
        .await;
    let id_of = |which: &str| {
        heads
            .as_array()
            .expect("headlines")
            .iter()
            .find(|h| h["title"].as_str().is_some_and(|t| t.contains(which)))
            .and_then(|h| h["id"].as_u64())
            .unwrap_or_else(|| panic!("the server has the {which} article: {heads}"))
    };
    (tag.to_string(), id_of("older"), id_of("newer"))
}

/// akhbar in a tmux window with the setup's config and data directory.
fn start(setup: &Setup, name: &str) -> Option<Tmux> {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return None;
    }
    let home = setup.home.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start(name, 110, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let run = format!(
        "{} --config {} --data-dir {}",
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&setup.config),
        shell_quote(&setup.data())
    );
    tmux.send_keys(&[&run, "Enter"]);
    Some(tmux)
}

/// Searches for `word` (`/word` Enter) and waits until the list shows just its two
/// articles, the newer first and selected.
fn find(tmux: &Tmux, word: &str) -> String {
    let both =
        |sc: &str| sc.contains(&format!("{word} newer")) && sc.contains(&format!("{word} older"));
    tmux.wait_for("the test's articles", both);
    tmux.send_keys(&["/"]);
    tmux.send_keys(&["-l", word]);
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("the search's answer", |sc| {
        both(sc) && sc.contains("(2 matches)")
    })
}

/// Waits until akhbar has quit and the shell's prompt is back.
fn wait_quit(tmux: &Tmux) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tmux.alternate_on() {
        assert!(
            Instant::now() < deadline,
            "akhbar did not quit:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server's (unread, starred) of `id`, polled until it is `want` (the worker sends in the
/// background, after the sync it is in); fails with the last state after `within`.
async fn server_reaches(raw: &TtRssRaw, id: u64, want: (bool, bool), within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let got = raw.state(id).await;
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "article {id} on the server is (unread, starred) = {got:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_in_the_tui_reach_ttrss_while_its_first_sync_runs() {
    let Some(s) = ttrss("ttrss_tui_keys") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (w, older, newer) = two_articles(&s, &raw, "tuikeys").await;
    let setup = Setup::new("ttrss", &s.url, &s.user, &s.password);
    let Some(tmux) = start(&setup, "sync-keys") else {
        return;
    };
    let list = find(&tmux, &w);
    // The newer article is the first row and selected: opening it reads it, `s` stars it.
    tmux.send_keys(&["Enter"]);
    let reader = tmux.wait_for("the reader", |sc| {
        sc.contains(&format!("body of the newer {w} article"))
    });
    tmux.send_keys(&["s"]);
    tmux.send_keys(&["Escape"]);
    tmux.wait_for("the list again", |sc| sc.contains(&format!("{w} older")));
    server_reaches(&raw, newer, (false, true), Duration::from_secs(180)).await;
    // Nothing else changed on the server.
    assert_eq!(raw.state(older).await, (true, false), "{list}\n{reader}");
    tmux.send_keys(&["q"]);
    wait_quit(&tmux);
    assert_eq!(setup.waiting(), 0, "everything sent left the queue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_pressed_offline_waits_across_the_quit_and_goes_when_ttrss_answers() {
    let Some(s) = ttrss("ttrss_tui_offline") else {
        return;
    };
    let raw = TtRssRaw::login(&s.url, &s.user, &s.password).await;
    let (w, older, newer) = two_articles(&s, &raw, "tuioff").await;
    let mut fwd = Forwarder::start(&host_port(&s.url)).await;
    let url = format!("http://127.0.0.1:{}/", fwd.port);
    let setup = Setup::new("ttrss", &url, &s.user, &s.password);
    // The first sync, through `akhbar refresh`: the cache knows the articles.
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    fwd.stop();
    let Some(tmux) = start(&setup, "sync-offline") else {
        return;
    };
    find(&tmux, &w);
    // `m` on the selected newest article, then quit at once.
    tmux.send_keys(&["m"]);
    tmux.wait_for("the change waiting", |sc| {
        sc.contains(&format!("1 change waiting for 127.0.0.1:{}", fwd.port))
    });
    // The next one's `m` and the quit come at once: the quit waits for the queue.
    tmux.send_keys(&["j", "m", "q"]);
    wait_quit(&tmux);
    assert_eq!(setup.waiting(), 2, "both changes are in the cache's queue");
    assert_eq!(
        setup.state(newer),
        Some((true, false)),
        "and read in the cache"
    );
    assert_eq!(setup.state(older), Some((true, false)));
    assert_eq!(
        raw.state(newer).await,
        (true, false),
        "not sent: the server was away"
    );
    fwd.resume().await;
    let (ok, out) = setup.refresh().await;
    assert!(ok, "{out}");
    assert!(out.contains("2 changes sent"), "{out}");
    assert_eq!(raw.state(newer).await, (false, false));
    assert_eq!(raw.state(older).await, (false, false));
    assert_eq!(setup.waiting(), 0);
}
