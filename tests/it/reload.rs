//! A config reload as the app sees it (`Msg::Reconfigured`, sent after `Ctrl-R` or SIGHUP
//! read a valid file): the new keys and feeds apply; read/starred state and the positions stay.

use akhbar::action::Action;
use akhbar::app::{Cmd, Msg};

use crate::support::app::{app, send};
use crate::support::builders::key;

#[test]
fn ctrl_r_asks_the_terminal_layer_to_read_the_config_again() {
    let mut app = app();
    let cmds = send(
        &mut app,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('r'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert_eq!(cmds, [Cmd::ReloadConfig]);
}

#[test]
fn a_reload_applies_the_new_keys_and_keeps_state_and_position() {
    let mut app = app();
    send(&mut app, key('j'));
    send(&mut app, key('s'));
    send(&mut app, key('j'));
    send(&mut app, key('m'));
    let (selected, unread, starred) = (
        app.headlines().selected(),
        app.store().unread_count(),
        app.store().starred_count(),
    );
    assert_eq!((selected, unread, starred), (2, 4, 1));
    send(
        &mut app,
        Msg::Reconfigured {
            keys: vec![(Action::Down, vec!["x".into()])],
            note: "config reloaded".into(),
        },
    );
    assert_eq!(app.status_message(), Some("config reloaded"));
    assert_eq!(app.headlines().selected(), 2, "the position stays");
    assert_eq!(app.store().unread_count(), 4, "read state stays");
    assert_eq!(app.store().starred_count(), 1, "stars stay");
    send(&mut app, key('x'));
    assert_eq!(app.headlines().selected(), 3, "the new key moves down");
    send(&mut app, key('j'));
    assert_eq!(
        app.headlines().selected(),
        3,
        "the replaced key no longer does"
    );
}

#[test]
fn capital_e_asks_the_terminal_layer_to_edit_the_config() {
    let mut app = app();
    assert_eq!(send(&mut app, key('E')), [Cmd::EditConfig]);
}

/// The two feeds of `support::app::store()` as a config writes them.
fn configured(url: &str, name: &str, tags: &[&str]) -> akhbar::config::FeedConfig {
    let text = format!(
        "[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\ntags = [{}]\n",
        tags.iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    akhbar::config::Config::parse(std::path::Path::new("c.toml"), &text)
        .unwrap()
        .feeds
        .remove(0)
}

const EN_URL: &str = "http://127.0.0.1:1/en.xml";
const AR_URL: &str = "http://127.0.0.1:1/ar.xml";
const NEW_URL: &str = "http://127.0.0.1:1/new.xml";

fn poll_feeds(cmds: &[Cmd]) -> Vec<(akhbar::model::FeedId, String)> {
    let lists: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::PollFeeds(list) => Some(list.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(lists.len(), 1, "{cmds:?}");
    lists[0].iter().map(|s| (s.id, s.url.clone())).collect()
}

/// Issue 14: a reload adds, removes and changes feeds; read/starred state and the selected
/// article stay; the removed feed's starred article stays in Starred, its others leave.
#[test]
fn a_reload_adds_removes_and_changes_feeds_keeping_state_and_selection() {
    use crate::support::app::{AR, EN};
    use crate::support::builders::{finished, parsed_feed, parsed_item};
    use akhbar::app::SidebarRow;
    use akhbar::model::{FeedId, PollEvent};

    let mut app = app();
    // Newest first: e1, a1, e2, a2, e3. Star a1, read e2, select e3.
    for k in ['j', 's', 'j', 'm', 'j', 'j'] {
        send(&mut app, key(k));
    }
    let e3 = app.view()[4];
    assert_eq!(app.store().article(e3).unwrap().key(), "e3");
    let cmds = send(
        &mut app,
        Msg::FeedsConfigured(vec![
            configured(EN_URL, "Daily News", &["news"]),
            configured(NEW_URL, "Fresh", &[]),
        ]),
    );
    let new_id = FeedId(2);
    assert_eq!(
        poll_feeds(&cmds),
        [(EN, EN_URL.to_string()), (new_id, NEW_URL.to_string())],
        "the poller's list: the kept feed and the new one, not the removed one"
    );
    let keys: Vec<String> = app
        .view()
        .iter()
        .map(|&id| app.store().article(id).unwrap().key().to_owned())
        .collect();
    assert_eq!(keys, ["e1", "a1", "e2", "e3"], "a2 left; starred a1 stays");
    assert_eq!(
        app.view()[app.headlines().selected()],
        e3,
        "the selection stays"
    );
    assert!(
        app.store().article(app.view()[2]).unwrap().read,
        "read stays"
    );
    assert_eq!(app.store().starred_count(), 1, "the star stays");
    assert_eq!(app.store().feed(EN).unwrap().name, "Daily News");
    assert!(app.sidebar().contains(&SidebarRow::Tag("news".into())));
    assert!(!app.sidebar().contains(&SidebarRow::Tag("world".into())));
    assert!(app.sidebar().contains(&SidebarRow::Feed(new_id)));
    assert!(
        !app.sidebar().contains(&SidebarRow::Feed(AR)),
        "removed from the list"
    );
    // A fetch of the removed feed that was under way brings nothing.
    send(&mut app, Msg::Poll(PollEvent::Started { feed: AR }));
    send(
        &mut app,
        Msg::Poll(finished(
            AR,
            akhbar::model::FetchOutcome::Updated(parsed_feed(vec![parsed_item("a9", "late")])),
        )),
    );
    assert_eq!(app.view().len(), 4);
    // The new feed's articles arrive as any feed's do.
    send(
        &mut app,
        Msg::Poll(finished(
            new_id,
            akhbar::model::FetchOutcome::Updated(parsed_feed(vec![parsed_item(
                "n1",
                "Fresh news",
            )])),
        )),
    );
    assert_eq!(app.view().len(), 5);
    assert_eq!(
        app.view()[app.headlines().selected()],
        e3,
        "the selection still stays"
    );
    // The removed feed comes back: its articles with it, polled again under its old id.
    let cmds = send(
        &mut app,
        Msg::FeedsConfigured(vec![
            configured(EN_URL, "Daily News", &["news"]),
            configured(NEW_URL, "Fresh", &[]),
            configured(AR_URL, "أخبار", &[]),
        ]),
    );
    assert_eq!(poll_feeds(&cmds).last(), Some(&(AR, AR_URL.to_string())));
    assert_eq!(
        app.view().len(),
        6,
        "a2 is back (a9 came while it was out: dropped)"
    );
    assert!(app.sidebar().contains(&SidebarRow::Feed(AR)));
}

/// The feed of the next `Finished` event (within 20 s).
async fn next_finished(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<akhbar::model::PollEvent>,
) -> akhbar::model::FeedId {
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv()).await {
            Ok(Some(akhbar::model::PollEvent::Finished { feed, .. })) => return feed,
            Ok(Some(_)) => {}
            other => panic!("no event: {other:?}"),
        }
    }
}

/// Issue 14: the poller takes a new feed list: a new feed is fetched at once, a removed one
/// is fetched no more.
#[tokio::test]
async fn the_poller_fetches_an_added_feed_and_drops_a_removed_one() {
    use crate::support::builders::source;
    use crate::support::http::{BlockingServer, Reply};
    use akhbar::feed::{PollCmd, PollOptions, spawn_poller};
    use akhbar::model::FeedId;

    let server = BlockingServer::start(|_| {
        Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>t</title><item><guid>g</guid><title>x</title></item></channel></rss>",
        )
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let a = source(0, server.url("/a.xml"));
    let b = source(1, server.url("/b.xml"));
    let poller = spawn_poller(vec![a.clone()], PollOptions::default(), tx);
    let feed = next_finished(&mut rx).await;
    assert_eq!(feed, FeedId(0));
    poller.send(PollCmd::SetFeeds(vec![a, b.clone()]));
    let feed = next_finished(&mut rx).await;
    assert_eq!(
        feed,
        FeedId(1),
        "the added feed is fetched at once (the other is not due)"
    );
    poller.send(PollCmd::SetFeeds(vec![b]));
    poller.send(PollCmd::RefreshAll);
    let feed = next_finished(&mut rx).await;
    assert_eq!(feed, FeedId(1));
    poller.send(PollCmd::RefreshAll);
    let feed = next_finished(&mut rx).await;
    assert_eq!(feed, FeedId(1), "the removed feed is not fetched");
    let a_hits = server
        .request_lines()
        .iter()
        .filter(|l| l.contains("/a.xml"))
        .count();
    assert_eq!(a_hits, 1, "{:?}", server.request_lines());
}

/// Issue 14, end to end: the binary in tmux; `Ctrl-R` with a feed added starts polling it,
/// SIGHUP with one removed takes its articles away, and a broken file keeps the feeds.
#[test]
fn ctrl_r_and_sighup_apply_feed_changes_in_the_running_tui() {
    use crate::support::http::{BlockingServer, Reply};
    use crate::support::process::skip_missing;
    use crate::support::tmux::{Tmux, shell_quote};

    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let server = BlockingServer::start(|req| {
        let word = if req.target.contains("alpha") {
            "Alpha"
        } else {
            "Beta"
        };
        Reply::ok(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\"><channel><title>{word} feed</title>\
                 <item><guid>{word}</guid><title>{word} story headline</title></item></channel></rss>"
            ),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let feed = |name: &str| {
        format!(
            "[[feed]]\nurl = \"{}\"\n",
            server.url(&format!("/{name}.xml"))
        )
    };
    let head = "refresh_interval = \"1h\"\n";
    std::fs::write(&config, format!("{head}{}", feed("alpha"))).unwrap();
    // `E`'s editor: records the file it was given, then writes the prepared config there.
    let edited = dir.path().join("edited.toml");
    let editor_log = dir.path().join("editor.log");
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho \"$@\" >> {}\ncp {} \"$1\"\n",
            shell_quote(&editor_log),
            shell_quote(&edited)
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state EDITOR={editor} TERM=xterm-256color PS1='E2E-PROMPT$ ' bash --norc --noprofile",
        editor = shell_quote(&editor),
    );
    let tmux = Tmux::start("reload", 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("E2E-PROMPT$"));
    let bin = env!("CARGO_BIN_EXE_akhbar");
    tmux.send_keys(&[&format!("{bin} --config {}", shell_quote(&config)), "Enter"]);
    tmux.wait_for("the first feed's headline", |s| {
        s.contains("Alpha story headline")
    });

    std::fs::write(&config, format!("{head}{}{}", feed("alpha"), feed("beta"))).unwrap();
    tmux.send_keys(&["C-r"]);
    let s = tmux.wait_for("the added feed fetched", |s| {
        s.contains("Beta story headline")
    });
    assert!(s.contains("Alpha story headline"), "{s}");

    std::fs::write(&config, format!("{head}{}", feed("beta"))).unwrap();
    let shell_pid = tmux.display("#{pane_pid}");
    let out = std::process::Command::new("pkill")
        .args(["-HUP", "-P", shell_pid.trim()])
        .output()
        .expect("pkill runs");
    assert!(out.status.success(), "akhbar was running under the shell");
    // The feeds and the notice are two messages (a frame may come between them).
    let s = tmux.wait_for("the removed feed's article gone, and said", |s| {
        !s.contains("Alpha story headline") && s.contains("1 removed")
    });
    assert!(s.contains("Beta story headline"), "{s}");

    std::fs::write(&config, "refresh_interval = [\n").unwrap();
    tmux.send_keys(&["C-r"]);
    let s = tmux.wait_for("the error", |s| s.contains("config not reloaded"));
    assert!(
        s.contains("Beta story headline"),
        "the running feeds stay:\n{s}"
    );
    // `E`: the editor runs on the config (the TUI steps aside), then it is read again: the
    // broken file the editor replaced with one that has both feeds.
    std::fs::write(&edited, format!("{head}{}{}", feed("beta"), feed("alpha"))).unwrap();
    tmux.send_keys(&["E"]);
    let s = tmux.wait_for("the edited config applied", |s| {
        s.contains("Alpha story headline") && s.contains("Beta story headline")
    });
    assert!(
        tmux.alternate_on(),
        "back in the TUI after the editor:\n{s}"
    );
    let log = std::fs::read_to_string(&editor_log).unwrap();
    assert_eq!(
        log.trim(),
        config.display().to_string(),
        "the editor's argv"
    );
    tmux.send_keys(&["q"]);
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "E2E-PROMPT$")
    });
    let alpha_hits = server
        .request_lines()
        .iter()
        .filter(|l| l.contains("/alpha.xml"))
        .count();
    assert_eq!(
        alpha_hits, 2,
        "fetched at start, and once more when `E` added it again"
    );
}
