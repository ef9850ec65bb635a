//! App logic driven by messages, no terminal.

use std::time::Duration;

use akhbar::app::{App, AppOptions, Cmd, Focus, Msg, SidebarRow};
use akhbar::model::{FetchOutcome, PollEvent};
use akhbar::store::ArticleId;
use akhbar::store::FeedStatus;
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;

use crate::support::app::{
    AR, EN, app, app_over, app_with, help_open, item, open_row, options, resize, send, store,
    type_str,
};
use crate::support::builders::{Finished, code, finished, key, parsed_feed};

fn selected_title(app: &akhbar::app::App) -> String {
    app.store()
        .article(app.view()[app.headlines().selected()])
        .unwrap()
        .title()
        .to_owned()
}

#[test]
fn headlines_are_newest_first_across_feeds_and_j_k_move() {
    let mut app = app();
    let titles: Vec<_> = app
        .view()
        .iter()
        .map(|&id| app.store().article(id).unwrap().title().to_owned())
        .collect();
    assert_eq!(titles[0], "Rust 1.95 released");
    assert_eq!(titles[1], "شركة (Apple) تعلن");
    send(&mut app, key('j'));
    assert_eq!(app.headlines().selected(), 1);
    send(&mut app, code(KeyCode::Down));
    send(&mut app, key('k'));
    assert_eq!(app.headlines().selected(), 1);
    send(&mut app, key('G'));
    assert_eq!(app.headlines().selected(), 4);
    send(&mut app, key('g'));
    assert_eq!(app.headlines().selected(), 0);
}

#[test]
fn enter_opens_the_reader_marks_read_and_q_goes_back_then_quits() {
    let mut app = app();
    let cmds = send(&mut app, code(KeyCode::Enter));
    let id = app.view()[0];
    assert_eq!(cmds, vec![Cmd::ReadChanged(vec![id])]);
    assert!(app.reader().is_some());
    assert!(app.store().article(id).unwrap().read);
    assert_eq!(app.store().unread_count(), 4);
    assert!(send(&mut app, key('q')).is_empty());
    assert!(app.reader().is_none());
    assert!(!app.quit_requested());
    assert_eq!(send(&mut app, key('q')), vec![Cmd::Quit]);
    assert!(app.quit_requested());
}

#[test]
fn reader_scrolls_and_esc_goes_back() {
    let mut app = app();
    resize(&mut app, 40, 5);
    send(&mut app, code(KeyCode::Enter));
    send(&mut app, key('j'));
    assert_eq!(app.reader().unwrap().scroll, 1);
    send(&mut app, code(KeyCode::Esc));
    assert!(app.reader().is_none());
}

#[test]
fn tab_and_enter_on_a_feed_row_filter_the_headlines() {
    let mut app = app();
    send(&mut app, code(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Feeds);
    let ar_row = app
        .sidebar()
        .iter()
        .position(|r| *r == SidebarRow::Feed(AR))
        .unwrap();
    for _ in 0..ar_row {
        send(&mut app, key('j'));
    }
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.focus(), Focus::Headlines);
    assert_eq!(*app.filter(), SidebarRow::Feed(AR));
    assert_eq!(app.view().len(), 2);
    // The tag row shows only the tagged feed.
    open_row(&mut app, &SidebarRow::Tag("world".into()));
    assert_eq!(app.view().len(), 3);
}

#[test]
fn n_jumps_to_the_next_unread_and_m_toggles_read() {
    let mut app = app();
    send(&mut app, key('m'));
    assert!(app.store().article(app.view()[0]).unwrap().read);
    send(&mut app, key('j'));
    send(&mut app, key('m'));
    send(&mut app, key('g'));
    send(&mut app, key('n'));
    assert_eq!(app.headlines().selected(), 2);
    send(&mut app, key('N'));
    assert_eq!(app.headlines().selected(), 2, "nothing unread above: stays");
    send(&mut app, key('m'));
    assert!(app.store().article(app.view()[2]).unwrap().read);
    assert_eq!(app.store().unread_count(), 2);
}

#[test]
fn capital_a_marks_everything_in_view_read() {
    let mut app = app();
    assert!(send(&mut app, key('A')).is_empty(), "All asks first");
    let cmds = send(&mut app, key('y'));
    assert!(matches!(&cmds[..], [Cmd::ReadChanged(ids)] if ids.len() == 5));
    assert_eq!(app.store().unread_count(), 0);
}

#[test]
fn unread_only_and_star_views_follow_the_flags() {
    let mut app = app();
    send(&mut app, key('m'));
    send(&mut app, key('u'));
    assert!(app.unread_only());
    assert_eq!(app.view().len(), 4);
    let cmds = send(&mut app, key('s'));
    assert!(matches!(cmds[..], [Cmd::StarChanged(_)]));
    assert_eq!(app.store().starred_count(), 1);
    send(&mut app, key('s'));
    assert_eq!(app.store().starred_count(), 0, "unstarring counts down");
    send(&mut app, key('s'));
    open_row(&mut app, &SidebarRow::Starred);
    assert_eq!(app.view().len(), 1);
}

#[test]
fn slash_searches_titles_and_esc_clears() {
    let mut app = app();
    send(&mut app, key('/'));
    type_str(&mut app, "MARK");
    assert_eq!(app.view().len(), 5, "not applied while typing");
    send(&mut app, code(KeyCode::Enter));
    assert_eq!(app.view().len(), 1);
    assert_eq!(selected_title(&app), "Markets calm");
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(app.view().len(), 5);
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
        app.status_message()
            .unwrap()
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
    assert!(app.loading().contains(&EN));
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
    assert!(app.loading().is_empty());
    assert!(
        matches!(&app.store().feed(EN).unwrap().status, FeedStatus::Failed { reason, .. } if reason == "HTTP 500")
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
    assert_eq!(app.view().len(), 6);
    assert_eq!(
        selected_title(&app),
        "Rust 1.95 released",
        "the cursor stays on its article"
    );
    assert_eq!(
        app.store().feed(AR).unwrap().moved_to.as_deref(),
        Some("https://moved.example/feed")
    );
    assert_eq!(
        app.store().feed(AR).unwrap().url,
        "http://127.0.0.1:1/ar.xml",
        "the configured address stays the feed's identity"
    );
    assert!(app.status_message().unwrap().contains("moved permanently"));
}

#[test]
fn space_pauses_the_ticker_and_a_paused_ticker_never_moves() {
    let mut app = app();
    let t0 = app.now();
    // The first tick brings the first run in (its first cell on the strip), then it moves a
    // cell per step.
    send(&mut app, Msg::Tick(t0));
    send(&mut app, Msg::Tick(t0 + Duration::from_millis(350)));
    let moved = app.ticker().progress().1;
    assert_eq!(moved, 1 + 3);
    send(&mut app, key(' '));
    app.mark_drawn();
    send(&mut app, Msg::Tick(t0 + Duration::from_secs(2)));
    assert_eq!(app.ticker().progress().1, moved);
    assert!(!app.is_dirty(), "no redraw at all while paused");
    send(&mut app, key(' '));
    send(&mut app, Msg::Tick(t0 + Duration::from_millis(2150)));
    assert!(
        app.ticker().progress().1 > moved,
        "resumes after a second space"
    );
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
    assert!(help_open(&app));
    send(&mut app, key('j'));
    assert_eq!(app.headlines().selected(), 0, "keys go to the help overlay");
    send(&mut app, code(KeyCode::Esc));
    assert!(!help_open(&app));
}

#[test]
fn with_a_cache_read_star_and_fetches_become_saves() {
    use akhbar::persist::Change;
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let cmds = send(&mut app, key('m'));
    let key0 = app.store().article(app.view()[0]).unwrap().key().to_owned();
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
        matches!(&cmds[0], Cmd::Save(Change::UpsertArticles { feed_url, articles }) if feed_url == "http://127.0.0.1:1/ar.xml" && articles.len() == 1 && articles[0].title() == "New one"),
        "{cmds:?}"
    );
    assert!(
        matches!(&cmds[1], Cmd::Save(Change::FeedMeta(m)) if m.etag.as_deref() == Some("\"v2\"")),
        "{cmds:?}"
    );
    let retain = app.retention(90, 1000);
    assert!(
        matches!(retain, Some(Change::Retain { still_listed, .. }) if still_listed.iter().any(|(u, keys)| u.ends_with("ar.xml") && keys.as_ref().is_some_and(|k| k == &["n1"])))
    );
}

#[test]
fn without_a_cache_nothing_is_saved() {
    let mut app = app();
    assert!(!app.is_persistent());
    // `u` asks to save a setting unconditionally; without a cache the update drops it.
    let cmds = send(&mut app, key('u'));
    assert!(app.unread_only());
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::Save(_))), "{cmds:?}");
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let cmds = send(&mut app, key('u'));
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::Save(_))),
        "with a cache the same key is saved: {cmds:?}"
    );
}

/// The app over `store()` with the newest article's bodies in the cache only (as after a
/// restore), and that article.
fn app_with_body_in_cache() -> (App, ArticleId) {
    let mut s = store();
    let id = s.order()[0];
    s.set_bodies(id, None, None);
    let app = app_with(AppOptions {
        needs_body: vec![id],
        ..options(s, BidiMode::App)
    });
    assert_eq!(app.view()[0], id);
    (app, id)
}

#[test]
fn a_restored_article_loads_its_body_when_opened() {
    let (mut app, id) = app_with_body_in_cache();
    let cmds = send(&mut app, code(KeyCode::Enter));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::LoadBody { id: i, .. } if *i == id)),
        "{cmds:?}"
    );
    let before = app.reader().unwrap().lines.len();
    send(
        &mut app,
        Msg::BodyLoaded {
            id,
            summary_html: None,
            content_html: Some("<p>Loaded later.</p><p>Two.</p>".into()),
        },
    );
    let r = app.reader().unwrap();
    assert!(r.lines.len() > before);
    assert!(!app.needs_body(id));
}

#[test]
fn a_save_error_stays_until_a_save_works() {
    use akhbar::persist::PersistEvent;
    let mut app = app();
    send(
        &mut app,
        Msg::Persist(PersistEvent::Error("cannot save: disk full".into())),
    );
    assert_eq!(app.save_error(), Some("cannot save: disk full"));
    send(&mut app, Msg::Persist(PersistEvent::Saved { changes: 3 }));
    assert_eq!(app.save_error(), None);
}

fn layout_jobs(cmds: Vec<Cmd>) -> Vec<akhbar::app::LayoutJob> {
    cmds.into_iter()
        .filter_map(|c| match c {
            Cmd::Layout(j) => Some(*j),
            _ => None,
        })
        .collect()
}

#[test]
fn the_reader_layout_runs_as_a_job_and_a_resize_drag_runs_at_most_one_more() {
    // Issue 9: every request spawned a job whose result was then thrown away; now at most one
    // runs and one waits, and a newer request replaces the waiting one before it starts.
    let mut app = app();
    let first = layout_jobs(app.update(code(KeyCode::Enter)));
    assert_eq!(first.len(), 1, "opening an article asks for a layout");
    assert!(
        app.reader().unwrap().lines.is_empty(),
        "nothing laid out on the render loop"
    );
    assert!(app.layout_pending());
    // A resize drag while the job runs: nothing starts, the last width waits.
    for width in [70, 60, 50, 40] {
        let cmds = app.update(Msg::Resize { width, height: 24 });
        assert!(layout_jobs(cmds).is_empty(), "no second job while one runs");
    }
    assert_eq!(
        app.stats().layouts_dropped,
        3,
        "70, 60 and 50 never started"
    );
    let next = layout_jobs(app.update(first.into_iter().next().unwrap().run()));
    assert!(
        app.reader().unwrap().lines.is_empty(),
        "a layout for the old width is not shown"
    );
    assert_eq!(
        next.len(),
        1,
        "the waiting job starts when the running one is done"
    );
    assert_eq!(next[0].key.width, 38, "the last width of the drag");
    assert!(layout_jobs(app.update(next.into_iter().next().unwrap().run())).is_empty());
    assert!(!app.reader().unwrap().lines.is_empty());
    assert!(!app.layout_pending());
}

#[test]
fn a_layout_made_before_the_body_arrived_never_hides_the_body() {
    let (mut app, id) = app_with_body_in_cache();
    let first = layout_jobs(app.update(code(KeyCode::Enter)));
    assert_eq!(first.len(), 1);
    let waiting = layout_jobs(app.update(Msg::BodyLoaded {
        id,
        summary_html: None,
        content_html: Some("<p>The body arrived.</p>".into()),
    }));
    assert!(
        waiting.is_empty(),
        "the new layout waits for the running one"
    );
    // The old job answers (laid out without the body): not shown, not kept; the new one
    // starts and its answer is shown.
    let second = layout_jobs(app.update(first.into_iter().next().unwrap().run()));
    assert_eq!(second.len(), 1);
    assert!(app.reader().unwrap().lines.is_empty());
    app.update(second.into_iter().next().unwrap().run());
    let text: String = app
        .reader()
        .unwrap()
        .lines
        .iter()
        .flat_map(|l| l.line.cells().map(|(g, _, _)| g.to_string()))
        .collect();
    assert!(text.contains("The body arrived."), "{text}");
}

#[test]
fn a_hidden_feed_is_not_in_the_feed_list_but_its_articles_are_under_all() {
    let mut store = store();
    store.set_hidden(AR, true);
    let app = app_over(store, BidiMode::App);
    assert!(!app.sidebar().contains(&SidebarRow::Feed(AR)));
    assert!(app.sidebar().contains(&SidebarRow::Feed(EN)));
    assert_eq!(app.view().len(), 5);
    assert!(
        app.view()
            .iter()
            .any(|&id| app.store().article(id).unwrap().feed == AR)
    );
    // Its unread articles still count under All.
    assert_eq!(app.store().unread_count(), 5);
}

#[test]
fn a_hidden_feed_in_the_config_is_hidden_in_the_store() {
    let path = std::path::Path::new("/tmp/akhbar-test-config.toml");
    let config = akhbar::config::Config::parse(
        path,
        "[[feed]]\nurl = \"https://a.example/rss\"\n[[feed]]\nurl = \"https://b.example/rss\"\nhidden = true\n",
    )
    .unwrap();
    let store = akhbar::runtime::store_for(&config.feeds);
    let hidden: Vec<bool> = store.feeds().iter().map(|f| f.hidden).collect();
    assert_eq!(hidden, [false, true]);
}

#[test]
fn before_any_key_the_cursor_stays_on_the_newest_as_the_list_fills_in() {
    let mut app = app();
    assert_eq!(app.headlines().selected(), 0);
    let feed = parsed_feed(vec![item("new", "Breaking", 23, None, "")]);
    send(
        &mut app,
        Msg::Poll(finished(AR, FetchOutcome::Updated(feed))),
    );
    assert_eq!(app.headlines().selected(), 0);
    assert_eq!(selected_title(&app), "Breaking");
}

#[test]
fn in_the_unread_only_view_an_article_read_and_closed_leaves_the_list_at_once() {
    let mut app = app();
    send(&mut app, key('u'));
    assert_eq!(app.view().len(), 5);
    let first = app.view()[0];
    send(&mut app, code(KeyCode::Enter));
    // Open (and now read), it stays in view so the cursor does not jump under the reader.
    assert!(app.view().contains(&first));
    send(&mut app, key('q'));
    assert!(
        !app.view().contains(&first),
        "closed, the read article leaves the list"
    );
    assert_eq!(app.view().len(), 4);
}

#[test]
fn capital_a_in_a_feed_view_marks_only_that_feed_read() {
    let mut app = app();
    open_row(&mut app, &SidebarRow::Feed(AR));
    send(&mut app, key('A'));
    assert_eq!(app.store().counts(AR).unread, 0);
    assert_eq!(app.store().counts(EN).unread, 3);
}

#[test]
fn a_batch_of_1000_not_modified_answers_recomputes_no_view() {
    // Issue 9: every 304 went through `feed_mut`, which bumped the store's one generation,
    // so a warm refresh re-filtered every article (and lowercased every title in a search).
    let mut app = app();
    send(&mut app, key('/'));
    type_str(&mut app, "a");
    send(&mut app, code(KeyCode::Enter));
    let (before, view) = (app.stats(), app.view().to_vec());
    let batch: Vec<Msg> = (0..1000u32)
        .flat_map(|i| {
            let feed = if i % 2 == 0 { EN } else { AR };
            [
                Msg::Poll(PollEvent::Started { feed }),
                Msg::Poll(finished(feed, FetchOutcome::NotModified)),
            ]
        })
        .collect();
    app.update_many(batch);
    let after = app.stats();
    assert_eq!(after.view_computes, before.view_computes);
    assert_eq!(after.sidebar_computes, before.sidebar_computes);
    assert_eq!(after.ticker_updates, before.ticker_updates);
    assert_eq!(app.view(), view.as_slice());
    assert!(
        matches!(app.store().feed(EN).unwrap().status, FeedStatus::Ok { .. }),
        "the outcome itself is recorded"
    );
    // A real change does recompute: the counter can move.
    send(
        &mut app,
        Msg::Poll(finished(
            EN,
            FetchOutcome::Updated(parsed_feed(vec![item("e9", "A new one", 11, None, "")])),
        )),
    );
    assert_eq!(app.stats().view_computes, before.view_computes + 1);
}
