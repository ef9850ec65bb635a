//! A config reload's feeds (issue 14): each configured feed takes its new settings, a new
//! one is added (and polled), one that left the config becomes a former feed (its starred
//! articles stay, the others leave the views, it is no longer polled). Feeds are matched by
//! their address: a changed `url` is one feed removed and one added. Read and starred state,
//! the selection and the synced feeds (`[sync]`, not the poller's) stay as they are.

use super::msg::Cmd;
use super::state::App;
use crate::config::FeedConfig;
use crate::model::{FeedId, FeedSource};

impl App {
    pub(super) fn reconfigure_feeds(&mut self, feeds: Vec<FeedConfig>, cmds: &mut Vec<Cmd>) {
        let leaving: Vec<FeedId> = self
            .store
            .feeds()
            .iter()
            .filter(|f| !f.former && !crate::sync::event::is_synced_feed(&f.url))
            .filter(|f| !feeds.iter().any(|c| c.url == f.url))
            .map(|f| f.id)
            .collect();
        for id in leaving {
            self.store.set_former(id, true);
            self.loading.remove(&id);
            self.round.forget(id);
            if let Some(m) = self.manual.as_mut() {
                m.pending.remove(&id);
            }
        }
        let mut sources = Vec::with_capacity(feeds.len());
        let (mut full_text, mut quiet) = (Vec::new(), Vec::new());
        for f in feeds {
            let id = match self.store.feed_by_url(&f.url) {
                Some(id) => {
                    if self.store.feed(id).is_some_and(|s| s.former) {
                        self.store.set_former(id, false);
                    }
                    id
                }
                None => self
                    .store
                    .add_feed(&f.url, f.name.as_deref(), f.tags.clone(), f.direction),
            };
            self.store
                .configure_feed(id, f.name.as_deref(), f.tags, f.direction, f.hidden);
            self.store.set_feed_ignore(id, f.ignore);
            if f.full_text {
                full_text.push(id);
            }
            if !f.notify {
                quiet.push(id);
            }
            let moved = self.store.feed(id).and_then(|s| s.moved_to.clone());
            sources.push(FeedSource {
                interval: f.interval,
                headers: f.headers,
                basic_auth: f.basic_auth,
                // Written in the user's own config file: `exec:` is allowed.
                allow_exec: true,
                ..FeedSource::new(id, moved.unwrap_or(f.url))
            });
        }
        self.full.feeds = full_text.into_iter().collect();
        self.round.set_quiet(quiet);
        self.dirty = true;
        cmds.push(Cmd::PollFeeds(sources));
    }
}
