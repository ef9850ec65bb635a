//! The app's side of sync, driven by messages as the worker sends them: the server's feeds
//! and articles arrive with their state, `m` and `s` on a synced article go out as changes
//! for the server, and a change not yet confirmed wins over the server's lists.

use std::collections::{BTreeSet, HashSet};

use akhbar::app::{Cmd, Msg};
use akhbar::persist::{MarkKind, SyncedFeedRow};
use akhbar::store::Store;
use akhbar::sync::event::{article_key, feed_url};
use akhbar::sync::{ArticleId, RemoteFeedId, Service, SyncEvent, SyncedArticle};
use akhbar::text::BidiMode;

use crate::support::app::{app_with, options, select_headline, send};
use crate::support::builders::{key, parsed_item};

fn url() -> String {
    feed_url(Service::TtRss, "127.0.0.1:1", RemoteFeedId(7))
}

fn article(id: u64, read: bool, starred: bool) -> SyncedArticle {
    let mut item = parsed_item(&article_key(ArticleId(id)), &format!("خبر {id}"));
    item.guid = Some(article_key(ArticleId(id)));
    SyncedArticle {
        item,
        read,
        starred,
    }
}

fn synced_app() -> akhbar::app::App {
    let mut app = app_with(options(Store::new(), BidiMode::App));
    send(
        &mut app,
        Msg::Sync(SyncEvent::Feeds(vec![SyncedFeedRow {
            url: url(),
            title: "أخبار".into(),
            tags: vec!["news".into()],
        }])),
    );
    send(
        &mut app,
        Msg::Sync(SyncEvent::Articles {
            feed_url: url(),
            articles: vec![article(1, true, false), article(2, false, true)],
        }),
    );
    app
}

fn state(app: &akhbar::app::App, id: u64) -> (bool, bool) {
    let f = app
        .store()
        .feeds()
        .iter()
        .find(|f| f.url == url())
        .unwrap()
        .id;
    let a = app.store().find(f, &article_key(ArticleId(id))).unwrap();
    let a = app.store().article(a).unwrap();
    (a.read, a.starred)
}

#[test]
fn server_feeds_become_feeds_with_tags_and_articles_keep_the_servers_state() {
    let app = synced_app();
    let f = app.store().feeds().iter().find(|f| f.url == url()).unwrap();
    assert_eq!(f.name, "أخبار");
    assert_eq!(f.tags, ["news"]);
    assert_eq!(state(&app, 1), (true, false));
    assert_eq!(state(&app, 2), (false, true));
}

#[test]
fn toggling_a_synced_article_sends_the_change_to_the_server() {
    let mut app = synced_app();
    select_headline(&mut app, 0);
    let cmds = send(&mut app, key('m'));
    let marks: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::SyncMarks(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(marks.len(), 1, "{cmds:?}");
    let (id, kind, value) = marks[0][0];
    assert_eq!(kind, MarkKind::Read);
    assert_eq!(value, state(&app, id.0).0);
    let cmds = send(&mut app, key('s'));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::SyncMarks(m) if m[0].1 == MarkKind::Starred)),
        "{cmds:?}"
    );
}

#[test]
fn a_change_waiting_for_the_server_wins_over_its_lists_and_the_rest_follow_them() {
    let mut app = synced_app();
    // Read elsewhere: 2; unstarred elsewhere: 2; 1 has a change of ours waiting.
    send(
        &mut app,
        Msg::Sync(SyncEvent::Reconcile {
            unread: BTreeSet::from([ArticleId(1)]),
            starred: BTreeSet::new(),
            upto: Some(ArticleId(2)),
            pending: HashSet::from([ArticleId(1)]),
        }),
    );
    assert_eq!(state(&app, 1), (true, false));
    assert_eq!(state(&app, 2), (true, false));
}

#[test]
fn a_local_change_during_a_sync_is_not_undone_by_that_syncs_lists() {
    let mut app = synced_app();
    send(&mut app, Msg::Sync(SyncEvent::Started));
    select_headline(&mut app, 0);
    let before = {
        let f = app
            .store()
            .feeds()
            .iter()
            .find(|f| f.url == url())
            .unwrap()
            .id;
        let id = app.store().order()[0];
        let a = app.store().article(id).unwrap();
        assert_eq!(a.feed, f);
        (a.key().to_owned(), a.read)
    };
    send(&mut app, key('m'));
    let id = akhbar::sync::event::remote_article(&before.0).unwrap();
    let unread: BTreeSet<ArticleId> = if before.1 {
        BTreeSet::new()
    } else {
        BTreeSet::from([id])
    };
    send(
        &mut app,
        Msg::Sync(SyncEvent::Reconcile {
            unread,
            starred: BTreeSet::new(),
            upto: Some(ArticleId(2)),
            pending: HashSet::new(),
        }),
    );
    // The server's list still has the old state; ours stays.
    assert_eq!(state(&app, id.0).0, !before.1);
}

#[test]
fn the_status_line_counts_the_changes_waiting_for_the_server() {
    let mut app = synced_app();
    send(
        &mut app,
        Msg::Sync(SyncEvent::Waiting {
            changes: 3,
            host: "rss.example.org".into(),
        }),
    );
    assert_eq!(app.sync_waiting(), Some((3, "rss.example.org")));
    let text = crate::support::app::text(&crate::support::app::render(&app, 120, 24));
    assert!(
        text.contains("3 changes waiting for rss.example.org"),
        "{text}"
    );
    send(
        &mut app,
        Msg::Sync(SyncEvent::Waiting {
            changes: 0,
            host: "rss.example.org".into(),
        }),
    );
    assert_eq!(app.sync_waiting(), None);
}
