//! Full articles (issue 11): what the app knows of each article's full text (being fetched,
//! ready, or why not), which articles show it, and the `F` key. The fetch and the extraction
//! run in the runtime (`Cmd::FetchFullText`); the answer comes back as `Msg::FullText`. An
//! article's page is fetched once: a failure is told, kept, and not retried unless the user
//! presses `F` again.

use std::sync::Arc;

use super::fulltext::FullState;
use super::msg::Cmd;
use super::state::App;
use crate::model::{FeedId, FullText};
use crate::persist::Change;
use crate::store::ArticleId;

impl App {
    /// `F`: fetches the open article's full text, or switches between it and the feed's.
    pub(super) fn full_text_key(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(id) = self.reader.open.as_ref().map(|r| r.article) else {
            return;
        };
        let Some(a) = self.store.article(id) else {
            return;
        };
        let feed = a.feed;
        match self.full.states.get(&id) {
            Some(FullState::Ready(_)) => {
                if !self.full.toggled.remove(&id) {
                    self.full.toggled.insert(id);
                }
                let shown = self.full.shown(id, feed);
                self.notify(if shown {
                    "full text (F: the feed's text)"
                } else {
                    "the feed's text (F: full text)"
                });
                self.relayout_reader(cmds);
            }
            Some(FullState::Fetching { .. }) => {
                self.full
                    .states
                    .insert(id, FullState::Fetching { asked: true });
                self.notify("fetching the full article…");
            }
            None | Some(FullState::Failed(_)) => {
                if self.fetch_full_text(id, true, cmds) {
                    self.notify("fetching the full article…");
                }
            }
        }
    }

    /// Opens link `n` (`[n]` in the text and the Links list) of the open article, as the
    /// reader shows it (the full text's links when the full text shows).
    pub(super) fn open_link(&mut self, n: usize, cmds: &mut Vec<Cmd>) {
        let Some(id) = self.reader.open.as_ref().map(|r| r.article) else {
            return;
        };
        let Some(a) = self.store.article(id) else {
            return;
        };
        let doc = match self.full.ready(id) {
            Some(full) if self.full.shown(id, a.feed) => {
                crate::view::article_document(&crate::view::with_full_text(a, full))
            }
            _ => crate::view::article_document(a),
        };
        match n.checked_sub(1).and_then(|i| doc.links.get(i)) {
            Some(url) if crate::link::is_web_url(url) => {
                self.notify(format!(
                    "opening [{n}] {}",
                    crate::text::sanitize::redact_credentials(url)
                ));
                cmds.push(Cmd::OpenUrl(url.clone()));
            }
            Some(_) => self.notify(format!("[{n}] is not a web link: not opened")),
            None => self.notify(format!(
                "no link [{n}]: the article has {}",
                crate::view::count(doc.links.len(), "link")
            )),
        }
    }

    /// Asks the runtime for an article's full text; false (and a message when `asked`) when
    /// the article has no web link.
    pub(super) fn fetch_full_text(
        &mut self,
        id: ArticleId,
        asked: bool,
        cmds: &mut Vec<Cmd>,
    ) -> bool {
        let link = self
            .store
            .article(id)
            .and_then(|a| a.link().map(str::to_owned));
        match link {
            Some(url) if crate::link::is_web_url(&url) => {
                self.full.states.insert(id, FullState::Fetching { asked });
                cmds.push(Cmd::FetchFullText { id, url });
                true
            }
            _ => {
                if asked {
                    self.notify("no full text: this article has no web link");
                }
                false
            }
        }
    }

    /// New articles of the feeds with `full_text = true` get their pages fetched.
    pub(super) fn fetch_new_full_texts(
        &mut self,
        feed: FeedId,
        new: &[ArticleId],
        cmds: &mut Vec<Cmd>,
    ) {
        if !self.full.feeds.contains(&feed) {
            return;
        }
        for &id in new {
            if !self.full.states.contains_key(&id) {
                self.fetch_full_text(id, false, cmds);
            }
        }
    }

    /// A full text came back: fetched now (`stored` false: it goes to the cache) or read
    /// from the cache.
    pub(super) fn on_full_text(
        &mut self,
        id: ArticleId,
        result: Result<FullText, String>,
        stored: bool,
        cmds: &mut Vec<Cmd>,
    ) {
        let asked = matches!(
            self.full.states.get(&id),
            Some(FullState::Fetching { asked: true })
        );
        let Some(a) = self.store.article(id) else {
            return;
        };
        let (feed, key) = (a.feed, a.key().to_owned());
        match result {
            Ok(full) => {
                if !stored && let Some(f) = self.store.feed(feed) {
                    cmds.push(Cmd::Save(Change::FullText {
                        feed_url: f.url.clone(),
                        key,
                        full: full.clone(),
                    }));
                }
                self.full
                    .states
                    .insert(id, FullState::Ready(Arc::new(full)));
                if asked {
                    // Shown, whatever the feed's default.
                    if self.full.feeds.contains(&feed) {
                        self.full.toggled.remove(&id);
                    } else {
                        self.full.toggled.insert(id);
                    }
                    self.notify("full text (F: the feed's text)");
                }
                self.relayout_reader(cmds);
            }
            Err(reason) => {
                if asked {
                    self.notify(format!("no full text: {reason}; the feed's text stays"));
                }
                // A stored text never fails; a fetch that did is not tried again by itself.
                self.full.states.insert(id, FullState::Failed(reason));
            }
        }
    }
}
