//! App logic driven by messages, no terminal.

use std::time::{Duration, Instant};

use akhbar::app::{Cmd, Focus, Msg, SidebarRow};
use akhbar::model::{FetchOutcome, PollEvent};
use akhbar::store::FeedStatus;
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;

use crate::support::app::{AR, EN, app, app_over, item, resize, send, store, type_str};
use crate::support::builders::{Finished, code, finished, key, parsed_feed};

fn selected_title(app: &akhbar::app::App) -> String {
    app.store.article(app.view[app.sel]).unwrap().title.clone()
}

#[test]
fn headlines_are_newest_first_across_feeds_and_j_k_move() {
    let mut app = app();
    let titles: Vec<_> = app
        .view
        .iter()
        .map(|&id| app.store.article(id).unwrap().title.clone())
        .collect();
    assert_eq!(titles[0], "Rust 1.95 released");
    assert_eq!(titles[1], "شركة (Apple) تعلن");
    send(&mut app, key('j'));
    assert_eq!(app.sel, 1);
    send(&mut app, code(KeyCode::Down));
    send(&mut app, key('k'));
    assert_eq!(app.sel, 1);
    send(&mut app, key('G'));
    assert_eq!(app.sel, 4);
    send(&mut app, key('g'));
    assert_eq!(app.sel, 0);
}

#[test]
fn enter_opens_the_reader_marks_read_and_q_goes_back_then_quits() {
    let mut app = app();
    let cmds = send(&mut app, code(KeyCode::Enter));
    let id = app.view[0];
    assert_eq!(cmds, vec![Cmd::ReadChanged(vec![id])]);
    assert!(app.reader.is_some());
    assert!(app.store.article(id).unwrap().read);
    assert_eq!(app.store.unread_count(), 4);
    assert!(send(&mut app, key('q')).is_empty());
    assert!(app.reader.is_none());
    assert!(!app.quit);
    assert_eq!(send(&mut app, key('q')), vec![Cmd::Quit]);
    assert!(app.quit);
}

#[test]
fn reader_scrolls_and_esc_goes_back() {
    let mut app = app();
    resize(&mut app, 40, 5);
    send(&mut app, code(KeyCode::Enter));
    send(&mut app, key('j'));
    assert_eq!(app.reader.as_ref().unwrap().scroll, 1);
    send(&mut app, code(KeyCode::Esc));
    assert!(app.reader.is_none());
}

#[test]
fn tab_and_enter_on_a_feed_row_filter_the_headlines() {
    let mut app = app();
    send(&mut app, code(KeyCode::Tab));
    assert_eq!(app.focus, Focus::Feeds);
    let ar_row = app
        .sidebar
        .iter()
        .position(|r| *r == SidebarRow::Feed(AR))
        .unwrap();
    for _ in 0..ar_row {
        send(&mut app, key('j'));
    }
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.focus, Focus::Headlines);
    assert_eq!(app.filter, SidebarRow::Feed(AR));
    assert_eq!(app.view.len(), 2);
    // The tag row shows only the tagged feed.
    app.filter = SidebarRow::Tag("world".into());
    send(&mut app, Msg::Tick(Instant::now()));
    assert_eq!(app.view.len(), 3);
}

#[test]
fn n_jumps_to_the_next_unread_and_m_toggles_read() {
    let mut app = app();
    send(&mut app, key('m'));
    assert!(app.store.article(app.view[0]).unwrap().read);
    send(&mut app, key('j'));
    send(&mut app, key('m'));
    send(&mut app, key('g'));
    send(&mut app, key('n'));
    assert_eq!(app.sel, 2);
    send(&mut app, key('N'));
    assert_eq!(app.sel, 2, "nothing unread above: stays");
    send(&mut app, key('m'));
    assert!(app.store.article(app.view[2]).unwrap().read);
    assert_eq!(app.store.unread_count(), 2);
}

#[test]
fn capital_a_marks_everything_in_view_read() {
    let mut app = app();
    let cmds = send(&mut app, key('A'));
    assert!(matches!(&cmds[..], [Cmd::ReadChanged(ids)] if ids.len() == 5));
    assert_eq!(app.store.unread_count(), 0);
}

#[test]
fn unread_only_and_star_views_follow_the_flags() {
    let mut app = app();
    send(&mut app, key('m'));
    send(&mut app, key('u'));
    assert!(app.unread_only);
    assert_eq!(app.view.len(), 4);
    let cmds = send(&mut app, key('s'));
    assert!(matches!(cmds[..], [Cmd::StarChanged(_)]));
    assert_eq!(app.store.starred_count(), 1);
    send(&mut app, key('s'));
    assert_eq!(app.store.starred_count(), 0, "unstarring counts down");
    send(&mut app, key('s'));
    app.filter = SidebarRow::Starred;
    send(&mut app, Msg::Tick(Instant::now()));
    assert_eq!(app.view.len(), 1);
}

#[test]
fn slash_searches_titles_and_esc_clears() {
    let mut app = app();
    send(&mut app, key('/'));
    type_str(&mut app, "MARK");
    assert_eq!(app.view.len(), 5, "not applied while typing");
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.view.len(), 1);
    assert_eq!(selected_title(&app), "Markets calm");
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(app.view.len(), 5);
}

#[test]
fn r_refreshes_the_selected_feed_and_capital_r_all() {
    let mut app = app();
    send(&mut app, key('j'));
    assert_eq!(send(&mut app, key('r')), vec![Cmd::Refresh(AR)]);
    assert_eq!(send(&mut app, key('R')), vec![Cmd::RefreshAll]);
}

#[test]
fn o_opens_only_web_links() {
    let mut app = app();
    assert_eq!(
        send(&mut app, key('o')),
        vec![Cmd::OpenUrl("https://example.org/rust".into())]
    );
    send(&mut app, key('j'));
    send(&mut app, key('j'));
    assert_eq!(selected_title(&app), "Markets calm");
    assert!(send(&mut app, key('o')).is_empty());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .0
            .contains("only http and https")
    );
}

#[test]
fn poll_events_update_status_and_articles() {
    let mut app = app();
    // A key pressed: the cursor now follows its article.
    send(&mut app, key('j'));
    send(&mut app, key('k'));
    send(&mut app, Msg::Poll(PollEvent::Started { feed: EN }));
    assert!(app.loading.contains(&EN));
    send(
        &mut app,
        Msg::Poll(
            Finished {
                failures: 1,
                ..Finished::new(
                    EN,
                    FetchOutcome::Failed {
                        reason: "HTTP 500".into(),
                    },
                )
            }
            .into(),
        ),
    );
    assert!(app.loading.is_empty());
    assert!(
        matches!(&app.store.feed(EN).unwrap().status, FeedStatus::Failed { reason, .. } if reason == "HTTP 500")
    );
    let feed = parsed_feed(vec![item("new", "Breaking", 23, None, "")]);
    send(
        &mut app,
        Msg::Poll(
            Finished {
                moved_to: Some("https://moved.example/feed".into()),
                ..Finished::new(AR, FetchOutcome::Updated(feed))
            }
            .into(),
        ),
    );
    assert_eq!(app.view.len(), 6);
    assert_eq!(
        selected_title(&app),
        "Rust 1.95 released",
        "the cursor stays on its article"
    );
    assert_eq!(
        app.store.feed(AR).unwrap().moved_to.as_deref(),
        Some("https://moved.example/feed")
    );
    assert_eq!(
        app.store.feed(AR).unwrap().url,
        "http://127.0.0.1:1/ar.xml",
        "the configured address stays the feed's identity"
    );
    assert!(app.status.as_ref().unwrap().0.contains("moved permanently"));
}

#[test]
fn space_pauses_the_ticker_and_a_paused_ticker_never_moves() {
    let mut app = app();
    let t0 = app.now();
    send(&mut app, Msg::Tick(t0 + Duration::from_millis(350)));
    let moved = app.ticker.offset;
    assert_eq!(moved, 3);
    send(&mut app, key(' '));
    app.dirty = false;
    send(&mut app, Msg::Tick(t0 + Duration::from_secs(2)));
    assert_eq!(app.ticker.offset, moved);
    assert!(!app.dirty, "no redraw at all while paused");
    send(&mut app, key(' '));
    send(&mut app, Msg::Tick(t0 + Duration::from_millis(2150)));
    assert!(app.ticker.offset > moved, "resumes after a second space");
}

#[test]
fn capital_b_cycles_the_bidi_mode() {
    let mut app = app();
    assert_eq!(
        send(&mut app, key('B')),
        vec![Cmd::SetBidi(BidiMode::Terminal)]
    );
    assert_eq!(send(&mut app, key('B')), vec![Cmd::SetBidi(BidiMode::Off)]);
    assert_eq!(send(&mut app, key('B')), vec![Cmd::SetBidi(BidiMode::App)]);
}

#[test]
fn help_opens_and_closes() {
    let mut app = app();
    send(&mut app, key('?'));
    assert!(app.help);
    send(&mut app, key('j'));
    assert_eq!(app.sel, 0, "keys go to the help overlay");
    send(&mut app, code(KeyCode::Esc));
    assert!(!app.help);
}

#[test]
fn with_a_cache_read_star_and_fetches_become_saves() {
    use akhbar::persist::Change;
    let mut app = app();
    app.persistent = true;
    let cmds = send(&mut app, key('m'));
    let key0 = app.store.article(app.view[0]).unwrap().key.clone();
    assert!(
        cmds.contains(&Cmd::Save(Change::SetRead {
            feed_url: "http://127.0.0.1:1/en.xml".into(),
            key: key0.clone(),
            read: true
        })),
        "{cmds:?}"
    );
    let cmds = send(&mut app, key('s'));
    assert!(
        cmds.contains(&Cmd::Save(Change::SetStarred {
            feed_url: "http://127.0.0.1:1/en.xml".into(),
            key: key0,
            starred: true
        })),
        "{cmds:?}"
    );
    let feed = parsed_feed(vec![item("n1", "New one", 23, None, "<p>x</p>")]);
    let cmds = send(
        &mut app,
        Msg::Poll(
            Finished {
                etag: Some("\"v2\"".into()),
                ..Finished::new(AR, FetchOutcome::Updated(feed))
            }
            .into(),
        ),
    );
    assert!(
        matches!(&cmds[0], Cmd::Save(Change::UpsertArticles { feed_url, articles }) if feed_url == "http://127.0.0.1:1/ar.xml" && articles.len() == 1 && articles[0].title == "New one"),
        "{cmds:?}"
    );
    assert!(
        matches!(&cmds[1], Cmd::Save(Change::FeedMeta(m)) if m.etag.as_deref() == Some("\"v2\"")),
        "{cmds:?}"
    );
    let retain = app.retention(90, 1000);
    assert!(
        matches!(retain, Some(Change::Retain { still_listed, .. }) if still_listed.iter().any(|(u, keys)| u.ends_with("ar.xml") && keys == &["n1"]))
    );
}

#[test]
fn without_a_cache_nothing_is_saved() {
    let mut app = app();
    assert!(!app.persistent);
    // `u` asks to save a setting unconditionally; without a cache the update drops it.
    let cmds = send(&mut app, key('u'));
    assert!(app.unread_only);
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::Save(_))), "{cmds:?}");
    app.persistent = true;
    let cmds = send(&mut app, key('u'));
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::Save(_))),
        "with a cache the same key is saved: {cmds:?}"
    );
}

#[test]
fn a_restored_article_loads_its_body_when_opened() {
    let mut app = app();
    let id = app.view[0];
    app.store.set_bodies(id, None, None);
    app.needs_body.insert(id);
    let cmds = send(&mut app, code(KeyCode::Enter));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::LoadBody { id: i, .. } if *i == id)),
        "{cmds:?}"
    );
    let before = app.reader.as_ref().unwrap().lines.len();
    send(
        &mut app,
        Msg::BodyLoaded {
            id,
            summary_html: None,
            content_html: Some("<p>Loaded later.</p><p>Two.</p>".into()),
        },
    );
    let r = app.reader.as_ref().unwrap();
    assert!(r.lines.len() > before);
    assert!(!app.needs_body.contains(&id));
}

#[test]
fn a_save_error_stays_until_a_save_works() {
    use akhbar::persist::PersistEvent;
    let mut app = app();
    send(
        &mut app,
        Msg::Persist(PersistEvent::Error("cannot save: disk full".into())),
    );
    assert_eq!(app.save_error.as_deref(), Some("cannot save: disk full"));
    send(&mut app, Msg::Persist(PersistEvent::Saved { changes: 3 }));
    assert_eq!(app.save_error, None);
}

#[test]
fn the_reader_layout_runs_as_a_job_and_a_stale_one_is_dropped() {
    let mut app = app();
    let cmds = app.update(code(KeyCode::Enter));
    let job = cmds
        .into_iter()
        .find_map(|c| match c {
            Cmd::Layout(job) => Some(job),
            _ => None,
        })
        .expect("opening an article asks for a layout");
    assert!(
        app.reader.as_ref().unwrap().lines.is_empty(),
        "nothing laid out on the render loop"
    );
    // The terminal is resized before the job comes back: that layout is for another width.
    let resize = app.update(Msg::Resize {
        width: 60,
        height: 24,
    });
    assert!(
        resize
            .iter()
            .any(|c| matches!(c, Cmd::Layout(j) if j.key.width == 58))
    );
    app.update(job.run());
    assert!(
        app.reader.as_ref().unwrap().lines.is_empty(),
        "a layout for the old width is not shown"
    );
    for c in resize {
        if let Cmd::Layout(j) = c {
            app.update(j.run());
        }
    }
    assert!(!app.reader.as_ref().unwrap().lines.is_empty());
}

#[test]
fn a_layout_made_before_the_body_arrived_never_hides_the_body() {
    let mut app = app();
    let id = app.view[0];
    app.store.set_bodies(id, None, None);
    app.needs_body.insert(id);
    let jobs = |cmds: Vec<Cmd>| -> Vec<_> {
        cmds.into_iter()
            .filter_map(|c| match c {
                Cmd::Layout(j) => Some(j),
                _ => None,
            })
            .collect()
    };
    let first = jobs(app.update(code(KeyCode::Enter)));
    let second = jobs(app.update(Msg::BodyLoaded {
        id,
        summary_html: None,
        content_html: Some("<p>The body arrived.</p>".into()),
    }));
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_eq!(
        first[0].key, second[0].key,
        "same article, width and options"
    );
    // The old job answers after the new one was asked for, then the new one answers.
    app.update(first.into_iter().next().unwrap().run());
    app.update(second.into_iter().next().unwrap().run());
    let lines = &app.reader.as_ref().unwrap().lines;
    let text: String = lines
        .iter()
        .flat_map(|l| l.line.cells().map(|(g, _, _)| g.to_string()))
        .collect();
    assert!(text.contains("The body arrived."), "{text}");
}

#[test]
fn a_hidden_feed_is_not_in_the_feed_list_but_its_articles_are_under_all() {
    let mut store = store();
    store.feed_mut(AR).unwrap().hidden = true;
    let app = app_over(store, BidiMode::App);
    assert!(!app.sidebar.contains(&SidebarRow::Feed(AR)));
    assert!(app.sidebar.contains(&SidebarRow::Feed(EN)));
    assert_eq!(app.view.len(), 5);
    assert!(
        app.view
            .iter()
            .any(|&id| app.store.article(id).unwrap().feed == AR)
    );
    // Its unread articles still count under All.
    assert_eq!(app.store.unread_count(), 5);
}

#[test]
fn a_hidden_feed_in_the_config_is_hidden_in_the_store() {
    let path = std::path::Path::new("/tmp/akhbar-test-config.toml");
    let config = akhbar::config::Config::parse(
        path,
        "[[feed]]\nurl = \"https://a.example/rss\"\n[[feed]]\nurl = \"https://b.example/rss\"\nhidden = true\n",
    )
    .unwrap();
    let store = akhbar::session::store_for(&config.feeds);
    let hidden: Vec<bool> = store.feeds().iter().map(|f| f.hidden).collect();
    assert_eq!(hidden, [false, true]);
}

#[test]
fn before_any_key_the_cursor_stays_on_the_newest_as_the_list_fills_in() {
    let mut app = app();
    assert_eq!(app.sel, 0);
    let feed = parsed_feed(vec![item("new", "Breaking", 23, None, "")]);
    send(
        &mut app,
        Msg::Poll(finished(AR, FetchOutcome::Updated(feed))),
    );
    assert_eq!(app.sel, 0);
    assert_eq!(selected_title(&app), "Breaking");
}

#[test]
fn in_the_unread_only_view_an_article_read_and_closed_leaves_the_list_at_once() {
    let mut app = app();
    send(&mut app, key('u'));
    assert_eq!(app.view.len(), 5);
    let first = app.view[0];
    send(&mut app, code(KeyCode::Enter));
    // Open (and now read), it stays in view so the cursor does not jump under the reader.
    assert!(app.view.contains(&first));
    send(&mut app, key('q'));
    assert!(
        !app.view.contains(&first),
        "closed, the read article leaves the list"
    );
    assert_eq!(app.view.len(), 4);
}

#[test]
fn capital_a_in_a_feed_view_marks_only_that_feed_read() {
    let mut app = app();
    send(&mut app, code(KeyCode::Tab));
    app.sidebar_sel = app
        .sidebar
        .iter()
        .position(|r| *r == SidebarRow::Feed(AR))
        .unwrap();
    send(&mut app, code(KeyCode::Enter));
    send(&mut app, key('A'));
    assert_eq!(app.store.feed(AR).unwrap().unread, 0);
    assert_eq!(app.store.feed(EN).unwrap().unread, 3);
}
