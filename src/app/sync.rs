//! The app's side of sync: the server's feeds and articles come in as [`SyncEvent`]s, local
//! read and star changes of synced articles go out as [`Cmd::SyncMarks`], refreshes of synced
//! feeds as [`Cmd::SyncRefresh`]. A local change made since the sync began, or still waiting
//! for the server, wins over the server's state.

use std::collections::HashSet;

use super::msg::Cmd;
use super::state::App;
use crate::model::{Direction, FeedId, ParsedFeed};
use crate::persist::{Change, MarkKind};
use crate::store::{ArticleId, FeedStatus};
use crate::sync::event::{is_synced_feed, remote_article, remote_feed};
use crate::sync::{self, SyncEvent};

/// What the app knows of sync.
#[derive(Debug, Default)]
pub(super) struct SyncState {
    /// Changes waiting for the server, and the server's name.
    pub waiting: Option<(usize, String)>,
    /// Articles changed here since the running sync began: the server's lists, read before
    /// those changes reached it, must not undo them.
    pub changed: HashSet<sync::ArticleId>,
    /// A sync is running.
    pub running: bool,
}

impl App {
    pub(super) fn on_sync(&mut self, ev: SyncEvent, cmds: &mut Vec<Cmd>) {
        self.dirty = true;
        match ev {
            SyncEvent::Started => {
                self.sync.running = true;
                self.sync.changed.clear();
            }
            SyncEvent::Feeds(rows) => {
                for row in rows {
                    if self.synced_feed(&row.url).is_none() {
                        self.store
                            .add_feed(&row.url, Some(&row.title), row.tags, Direction::Auto);
                    }
                }
            }
            SyncEvent::Articles { feed_url, articles } => {
                let Some(feed) = self.synced_feed(&feed_url) else {
                    return;
                };
                let states: Vec<(String, bool, bool)> = articles
                    .iter()
                    .map(|a| (a.item.guid.clone().unwrap_or_default(), a.read, a.starred))
                    .collect();
                let parsed = ParsedFeed {
                    items: articles.into_iter().map(|a| a.item).collect(),
                    ..ParsedFeed::default()
                };
                self.ingest(feed, parsed, cmds);
                for (key, read, starred) in states {
                    if let Some(id) = self.store.find(feed, &key) {
                        self.apply_server_state(id, read, starred, cmds);
                    }
                }
                self.store
                    .set_status(feed, FeedStatus::Ok { at: self.wall });
            }
            SyncEvent::Reconcile {
                unread,
                starred,
                upto,
                pending,
            } => {
                let Some(upto) = upto else {
                    return;
                };
                let synced: Vec<FeedId> = self
                    .store
                    .feeds()
                    .iter()
                    .filter(|f| is_synced_feed(&f.url))
                    .map(|f| f.id)
                    .collect();
                let ids: Vec<ArticleId> = self
                    .store
                    .order()
                    .iter()
                    .copied()
                    .filter(|&id| {
                        self.store
                            .article(id)
                            .is_some_and(|a| synced.contains(&a.feed))
                    })
                    .collect();
                for id in ids {
                    let Some(remote) = self.store.article(id).and_then(|a| remote_article(a.key()))
                    else {
                        continue;
                    };
                    if remote > upto || pending.contains(&remote) {
                        continue;
                    }
                    let read = !unread.contains(&remote);
                    self.apply_server_state(id, read, starred.contains(&remote), cmds);
                }
            }
            SyncEvent::Waiting { changes, host } => {
                self.sync.waiting = (changes > 0).then_some((changes, host));
            }
            SyncEvent::Finished {
                articles,
                sent,
                error,
            } => {
                self.sync.running = false;
                self.last_refresh = Some(self.wall);
                let synced: Vec<FeedId> = self
                    .store
                    .feeds()
                    .iter()
                    .filter(|f| is_synced_feed(&f.url))
                    .map(|f| f.id)
                    .collect();
                let had_synced = self
                    .manual
                    .as_ref()
                    .is_some_and(|m| m.pending.iter().any(|f| synced.contains(f)));
                if let (true, Some(m)) = (had_synced, self.manual.as_mut()) {
                    m.pending.retain(|f| !synced.contains(f));
                    if let Some(e) = &error {
                        m.failed.push(format!("sync: {e}"));
                    }
                    m.new += articles;
                    if m.pending.is_empty() {
                        // The last feed of the refresh was a synced one: say how it went.
                        let m = self.manual.take().expect("checked");
                        let msg = match m.failed.is_empty() {
                            true => format!("{}: {}", m.label, sync_summary(m.new, sent)),
                            false => format!("{}: failed: {}", m.label, m.failed.join("; ")),
                        };
                        self.notify(msg);
                    }
                } else if let Some(e) = error {
                    self.notify(format!("sync: {e}"));
                }
            }
            SyncEvent::Notice(text) => self.notify(text),
        }
    }

    /// Sets an article's state to the server's, unless it was changed here since.
    fn apply_server_state(
        &mut self,
        id: ArticleId,
        read: bool,
        starred: bool,
        cmds: &mut Vec<Cmd>,
    ) {
        let Some(a) = self.store.article(id) else {
            return;
        };
        if remote_article(a.key()).is_some_and(|r| self.sync.changed.contains(&r)) {
            return;
        }
        let (feed, key) = (a.feed, a.key().to_owned());
        let Some(feed_url) = self.store.feed(feed).map(|f| f.url.clone()) else {
            return;
        };
        if self.store.set_read(id, read) {
            cmds.push(Cmd::Save(Change::SetRead {
                feed_url: feed_url.clone(),
                key: key.clone(),
                read,
            }));
        }
        if self.store.set_starred(id, starred) {
            cmds.push(Cmd::Save(Change::SetStarred {
                feed_url,
                key,
                starred,
            }));
        }
    }

    fn synced_feed(&self, url: &str) -> Option<FeedId> {
        self.store
            .feeds()
            .iter()
            .find(|f| f.url == url)
            .map(|f| f.id)
    }

    /// Turns local read and star changes of synced articles into changes for the server.
    pub(super) fn add_sync_marks(&mut self, cmds: &mut Vec<Cmd>) {
        let mut marks = Vec::new();
        for c in cmds.iter() {
            let (ids, kind): (&[ArticleId], MarkKind) = match c {
                Cmd::ReadChanged(ids) => (ids, MarkKind::Read),
                Cmd::StarChanged(id) => (std::slice::from_ref(id), MarkKind::Starred),
                _ => continue,
            };
            for &id in ids {
                let Some(a) = self.store.article(id) else {
                    continue;
                };
                let synced = self
                    .store
                    .feed(a.feed)
                    .is_some_and(|f| is_synced_feed(&f.url));
                let (true, Some(remote)) = (synced, remote_article(a.key())) else {
                    continue;
                };
                let value = match kind {
                    MarkKind::Read => a.read,
                    MarkKind::Starred => a.starred,
                };
                marks.push((remote, kind, value));
            }
        }
        if !marks.is_empty() {
            self.sync.changed.extend(marks.iter().map(|m| m.0));
            cmds.push(Cmd::SyncMarks(marks));
        }
    }

    /// Splits a refresh: synced feeds are the server's to fetch (one TT-RSS feed by
    /// `updateFeed`), the others the poller's. Returns the poller's.
    pub(super) fn split_sync_refresh(&self, feeds: &[FeedId], cmds: &mut Vec<Cmd>) -> Vec<FeedId> {
        let (synced, own): (Vec<FeedId>, Vec<FeedId>) = feeds
            .iter()
            .partition(|&&f| self.store.feed(f).is_some_and(|f| is_synced_feed(&f.url)));
        match synced.as_slice() {
            [] => {}
            [one] => cmds.push(Cmd::SyncRefresh(
                self.store.feed(*one).and_then(|f| remote_feed(&f.url)),
            )),
            _ => cmds.push(Cmd::SyncRefresh(None)),
        }
        own
    }

    /// Changes waiting for the sync server, and its name.
    pub fn sync_waiting(&self) -> Option<(usize, &str)> {
        self.sync.waiting.as_ref().map(|(n, h)| (*n, h.as_str()))
    }

    /// A sync with the server is running.
    pub fn is_syncing(&self) -> bool {
        self.sync.running
    }
}

fn sync_summary(articles: usize, sent: usize) -> String {
    let got = match articles {
        0 => "nothing new".to_string(),
        n => crate::view::count(n, "new article"),
    };
    match sent {
        0 => got,
        n => format!("{got}, {} sent", crate::view::count(n, "change")),
    }
}
