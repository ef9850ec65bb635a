//! The staged start-up end to end without a terminal: `session::open` restores the newest
//! cached articles with every feed's counts, the rest arrives as `Msg::Restored` parts, and
//! what the user does meanwhile (mark all read, the unread-only toggle) is neither lost nor
//! wrong once everything is in.

use std::path::Path;

use akhbar::app::{Cmd, Msg};
use akhbar::config::Config;
use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Change};
use akhbar::runtime::session;
use akhbar::text::BidiMode;
use chrono::{Duration, TimeZone, Utc};

use crate::support::app::{item, open_row, save_all, select_headline, send, test_clock};
use crate::support::builders::{article, bidi, code, finished, key, parsed_feed};

const FEEDS: usize = 4;
const ITEMS: usize = 300;

fn url(feed: usize) -> String {
    format!("http://127.0.0.1:1/f{feed}.xml")
}

fn config(dir: &Path) -> Config {
    let mut text = String::new();
    for f in 0..FEEDS {
        text.push_str(&format!("[[feed]]\nurl = \"{}\"\n", url(f)));
        if f == 1 {
            text.push_str("tags = [\"odd\"]\n");
        }
    }
    Config::parse(&dir.join("config.toml"), &text).unwrap()
}

/// A cache of FEEDS x ITEMS articles: item i of feed f is i*10+f minutes after a fixed time;
/// every fourth is read, every ninth starred.
fn fill(dir: &Path) {
    let (cache, _) = persist::open(dir).unwrap();
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    for f in 0..FEEDS {
        let articles = (0..ITEMS)
            .map(|i| {
                Article::from(ArticleFields {
                    published: Some(base + Duration::minutes((i * 10 + f) as i64)),
                    // Seen after every one of them was published (a date after the time first
                    // seen is a future date: it orders by the time first seen).
                    first_seen: base + Duration::days(30),
                    content_html: Some("<p>x</p>".into()),
                    read: i % 4 == 0,
                    starred: i % 9 == 0,
                    ..article(&format!("{f}-{i}")).into_fields()
                })
            })
            .collect();
        cache.send(Change::UpsertArticles {
            feed_url: url(f),
            articles,
        });
    }
    cache.flush_blocking().unwrap();
}

fn open(dir: &Path, first: Option<usize>) -> session::Session {
    match session::open(
        &config(dir),
        bidi(BidiMode::App),
        test_clock(),
        Some(dir),
        first,
    ) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// Reads the rest of the cache into messages, as the TUI's loader thread does.
fn rest_messages(rest: session::RestLoad, part: usize) -> Vec<Msg> {
    let mut msgs = Vec::new();
    rest.load(part, |p| msgs.push(Msg::Restored(p))).unwrap();
    msgs.push(Msg::RestoreDone(Ok(())));
    msgs
}

fn unread_per_feed(app: &akhbar::app::App) -> Vec<usize> {
    let store = app.store();
    store
        .feeds()
        .iter()
        .map(|f| store.counts(f.id).unread)
        .collect()
}

#[test]
fn the_first_stage_shows_every_count_and_the_newest_headlines() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let full = open(dir.path(), None);
    let expected_unread = unread_per_feed(&full.app);
    let expected_view: Vec<String> = full.app.view()[..40]
        .iter()
        .map(|&id| full.app.store().article(id).unwrap().key().to_owned())
        .collect();
    let expected_starred = full.app.store().starred_count();
    drop(full);

    let staged = open(dir.path(), Some(100));
    let app = &staged.app;
    assert!(app.is_restoring());
    assert_eq!(staged.cached_articles, FEEDS * ITEMS);
    assert_eq!(app.store().article_count(), 100);
    assert_eq!(unread_per_feed(app), expected_unread);
    assert_eq!(app.store().starred_count(), expected_starred);
    assert_eq!(
        app.store()
            .feeds()
            .iter()
            .map(|f| app.store().counts(f.id).total)
            .collect::<Vec<_>>(),
        vec![ITEMS; FEEDS]
    );
    let view: Vec<String> = app.view()[..40]
        .iter()
        .map(|&id| app.store().article(id).unwrap().key().to_owned())
        .collect();
    assert_eq!(view, expected_view);
}

#[test]
fn after_the_rest_arrives_the_store_is_the_same_as_a_full_restore() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let full = open(dir.path(), None);
    let keys = |app: &akhbar::app::App| -> Vec<(String, bool, bool)> {
        app.store()
            .order()
            .iter()
            .map(|&id| {
                let a = app.store().article(id).unwrap();
                (a.key().to_owned(), a.read, a.starred)
            })
            .collect()
    };
    let expected = keys(&full.app);
    let expected_unread = unread_per_feed(&full.app);
    drop(full);

    let mut s = open(dir.path(), Some(50));
    // While restoring, no feed has been fetched: every list is unknown, nothing can go.
    match s.app.retention(90, 1000) {
        Some(Change::Retain { still_listed, .. }) => {
            assert_eq!(still_listed.len(), FEEDS);
            assert!(still_listed.iter().all(|(_, keys)| keys.is_none()));
        }
        other => panic!("{other:?}"),
    }
    let rest = s.rest.take().unwrap();
    let cmds = s.app.update_many(rest_messages(rest, 97));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(!s.app.is_restoring());
    assert!(s.app.retention(90, 1000).is_some());
    assert_eq!(keys(&s.app), expected);
    assert_eq!(unread_per_feed(&s.app), expected_unread);
    assert_eq!(s.app.store().article_count(), FEEDS * ITEMS);
    // Every restored article still needs its body from the cache.
    assert!(s.app.store().order().iter().all(|&id| s.app.needs_body(id)));
}

#[test]
fn mark_all_read_while_restoring_also_marks_the_articles_still_to_come() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let mut s = open(dir.path(), Some(20));
    // Select the tagged feed's row and mark its scope read.
    open_row(&mut s.app, &akhbar::app::SidebarRow::Tag("odd".into()));
    send(&mut s.app, key('A'));
    send(&mut s.app, key('y'));
    let rest = s.rest.take().unwrap();
    let mut saved = Vec::new();
    for msg in rest_messages(rest, 64) {
        for cmd in s.app.update(msg) {
            if let Cmd::Save(Change::SetRead { feed_url, read, .. }) = cmd {
                assert!(read);
                saved.push(feed_url);
            }
        }
    }
    assert_eq!(
        s.app.store().counts(FeedId(1)).unread,
        0,
        "feed 1 was marked read, all of it"
    );
    // Every article of feed 1 that was unread and came later was saved as read.
    let restored_later_unread = ITEMS - ITEMS.div_ceil(4);
    assert!(saved.iter().all(|u| *u == url(1)));
    assert!(saved.len() <= restored_later_unread && !saved.is_empty());
    // The other feeds keep their unread articles.
    assert_eq!(
        s.app.store().counts(FeedId(0)).unread,
        ITEMS - ITEMS.div_ceil(4)
    );
    let f1 = FeedId(1);
    assert!(
        s.app
            .store()
            .order()
            .iter()
            .filter_map(|&id| s.app.store().article(id))
            .filter(|a| a.feed == f1)
            .all(|a| a.read)
    );
}

#[test]
fn the_unread_only_toggle_is_saved_and_the_next_start_shows_unread_first() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let mut s = open(dir.path(), Some(30));
    assert!(!s.app.unread_only());
    let cmds = s.app.update(key('u'));
    assert!(s.app.unread_only());
    let cache = s.cache.clone().unwrap();
    let rest = save_all(cmds, &cache);
    assert!(rest.is_empty(), "{rest:?}");
    cache.flush_blocking().unwrap();
    drop(s);
    drop(cache);
    let s = open(dir.path(), Some(30));
    assert!(s.app.unread_only(), "the toggle survives a restart");
    // The first stage was chosen for the unread-only view: a full screen of unread articles.
    assert_eq!(s.app.view().len(), 30);
    assert!(
        s.app
            .view()
            .iter()
            .all(|&id| !s.app.store().article(id).unwrap().read)
    );
}

#[test]
fn a_failed_rest_load_is_reported_and_nothing_more_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let mut s = open(dir.path(), Some(10));
    s.app.update(Msg::RestoreDone(Err("disk I/O error".into())));
    assert!(!s.app.is_restoring());
    assert_eq!(s.app.retention(90, 1000), None);
    let status = s.app.status_message().map(str::to_string).unwrap();
    assert!(
        status.contains("could not read the whole cache (disk I/O error); nothing is saved"),
        "{status}"
    );
    // The cache on disk is left alone: a read change is not saved.
    let cmds = s.app.update(key('m'));
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::Save(_))), "{cmds:?}");
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::ReadChanged(_))),
        "{cmds:?}"
    );
}

#[test]
fn with_a_cache_fetched_bodies_go_to_it_and_come_back_when_an_article_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(dir.path(), Some(100));
    assert!(s.app.is_persistent());
    let parsed = parsed_feed(vec![item(
        "g1",
        "Fresh news",
        9,
        None,
        "<p>The body lives in the cache.</p>",
    )]);
    let cmds = s.app.update(Msg::Poll(finished(
        FeedId(2),
        akhbar::model::FetchOutcome::Updated(parsed),
    )));
    let id = s.app.store().find(FeedId(2), "g1").unwrap();
    // Moved, not copied: the change has the body, the store does not.
    let saved = cmds.iter().find_map(|c| match c {
        Cmd::Save(Change::UpsertArticles { articles, .. }) => Some(articles.clone()),
        _ => None,
    });
    let saved = saved.expect("the article is saved");
    assert_eq!(
        saved[0].content_html(),
        Some("<p>The body lives in the cache.</p>")
    );
    assert_eq!(s.app.store().article(id).unwrap().content_html(), None);
    assert!(s.app.needs_body(id));
    let cache = s.cache.clone().unwrap();
    assert!(save_all(cmds, &cache).is_empty());
    // Opening it asks the cache, which answers before and after the commit.
    let at = s.app.view().iter().position(|&a| a == id).unwrap();
    select_headline(&mut s.app, at);
    let cmds = send(&mut s.app, code(crossterm::event::KeyCode::Enter));
    let (feed_url, key) = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::LoadBody { feed_url, key, .. } => Some((feed_url.clone(), key.clone())),
            _ => None,
        })
        .expect("the body is loaded from the cache");
    let (summary_html, content_html) = cache.load_body(&feed_url, &key).unwrap();
    cache.flush_blocking().unwrap();
    assert_eq!(cache.load_body(&feed_url, &key).unwrap().1, content_html);
    send(
        &mut s.app,
        Msg::BodyLoaded {
            id,
            summary_html,
            content_html,
        },
    );
    let reader = s.app.reader().unwrap();
    let text: String = reader
        .lines
        .iter()
        .flat_map(|l| l.line.cells().map(|(g, _, _)| g.to_string()))
        .collect();
    assert!(text.contains("The body lives in the cache."), "{text}");
}
