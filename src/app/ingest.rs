//! What comes in: poll events (new and edited articles, feed outcomes), the parts of a staged
//! restore, and where bodies live afterwards; and what goes out to the cache because of it.

use super::msg::Cmd;
use super::state::App;
use crate::model::{Article, FeedId, FetchOutcome, ParsedFeed, PollEvent};
use crate::persist::{Change, StoredFeed};
use crate::store::{ArticleId, FeedStatus};

impl App {
    pub(super) fn on_poll(&mut self, ev: PollEvent, cmds: &mut Vec<Cmd>) {
        let now = self.wall;
        let feed = match &ev {
            PollEvent::Started { feed } | PollEvent::Finished { feed, .. } => *feed,
        };
        // A fetch that was under way when a reload took its feed out of the config.
        if self.store.feed(feed).is_some_and(|f| f.former) {
            return;
        }
        match ev {
            PollEvent::Started { feed } => {
                self.loading.insert(feed);
                self.store.set_loading(feed, Some(now));
            }
            PollEvent::Finished {
                feed,
                outcome,
                moved_to,
                next_poll,
                etag,
                last_modified,
                failures,
            } => {
                let mut last_error = None;
                self.loading.remove(&feed);
                self.last_refresh = Some(now);
                self.store.set_loading(feed, None);
                let mut new = 0;
                let status = match outcome {
                    FetchOutcome::Updated(parsed) => {
                        new = self.ingest(feed, parsed, cmds);
                        FeedStatus::Ok { at: now }
                    }
                    FetchOutcome::NotModified => FeedStatus::Ok { at: now },
                    FetchOutcome::Failed { reason } => {
                        last_error = Some(reason.clone());
                        let since = match self.store.feed(feed).map(|f| &f.status) {
                            Some(FeedStatus::Failed { since, .. }) => *since,
                            _ => now,
                        };
                        FeedStatus::Failed {
                            reason,
                            since,
                            next_try: next_poll,
                        }
                    }
                    FetchOutcome::Gone => {
                        // Saved, so that `akhbar refresh` leaves it alone next time.
                        last_error = Some(crate::feed::schedule::GONE_REASON.to_string());
                        FeedStatus::Gone
                    }
                };
                if let Some(url) = moved_to {
                    let shown = crate::text::sanitize::redact_credentials(&url);
                    if self.store.set_moved_to(feed, Some(url)) {
                        self.notify(format!("feed moved permanently to {shown}"));
                    }
                }
                let failure = match &status {
                    FeedStatus::Failed { reason, .. } => Some(reason.clone()),
                    FeedStatus::Gone => Some(crate::feed::schedule::GONE_REASON.to_string()),
                    _ => None,
                };
                self.store.set_status(feed, status);
                self.manual_done(feed, new, failure);
                self.round_fetched(feed, new);
                if let (true, Some(f)) = (self.residency.persistent, self.store.feed(feed)) {
                    cmds.push(Cmd::Save(Change::FeedMeta(StoredFeed {
                        url: f.url.clone(),
                        title: Some(f.name.clone()),
                        etag,
                        last_modified,
                        next_poll,
                        failures,
                        redirected_url: f.moved_to.clone(),
                        last_error,
                        last_fetch: Some(now),
                    })));
                }
            }
        }
        self.dirty = true;
    }

    /// A feed of a refresh the user asked for is done: when it was the last, say how it went.
    fn manual_done(&mut self, feed: FeedId, new: usize, failure: Option<String>) {
        let Some(m) = self.manual.as_mut() else {
            return;
        };
        if !m.pending.remove(&feed) {
            return;
        }
        m.new += new;
        if let Some(reason) = failure {
            let name = self
                .store
                .feed(feed)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            m.failed.push(if m.feeds == 1 {
                reason
            } else {
                format!("{name}: {reason}")
            });
        }
        if !m.pending.is_empty() {
            return;
        }
        let Some(m) = self.manual.take() else {
            return;
        };
        let new = match m.new {
            0 => "nothing new".to_string(),
            n => crate::view::count(n, "new article"),
        };
        let msg = match (m.feeds, m.failed.len()) {
            (1, 0) => format!("{}: {new}", m.label),
            (1, _) => format!("{}: failed: {}", m.label, m.failed.join("; ")),
            (n, 0) => format!("{} ({}): {new}", m.label, crate::view::count(n, "feed")),
            (n, f) => format!(
                "{} ({}): {new}, {} failed ({})",
                m.label,
                crate::view::count(n, "feed"),
                f,
                m.failed.join("; ")
            ),
        };
        self.notify(msg);
    }

    /// Merges a fetched feed and hands the new and edited articles to the cache: moved, not
    /// copied, unless bodies stay in memory (no cache). Returns how many articles are new.
    pub(super) fn ingest(
        &mut self,
        feed: FeedId,
        parsed: ParsedFeed,
        cmds: &mut Vec<Cmd>,
    ) -> usize {
        for note in &parsed.notes {
            tracing::info!(feed = feed.0, "{note}");
        }
        if let (Some(note), Some(f)) = (parsed.notes.first(), self.store.feed(feed)) {
            self.notify(format!("{}: {note}", f.name));
        }
        let report = self.store.ingest(feed, parsed, self.wall);
        let fresh = &report.changed[report.changed.len() - report.new_articles..];
        self.fetch_new_full_texts(feed, fresh, cmds);
        // Fresh bodies replace what the reader showed or was about to load.
        for &id in report.changed.iter().chain(&report.filled) {
            self.residency.needs_body.remove(&id);
            self.reader.forget(id);
        }
        if self.reader.open.as_ref().is_some_and(|r| {
            report.changed.contains(&r.article) || report.filled.contains(&r.article)
        }) {
            self.relayout_reader(cmds);
        }
        let persistent = self.residency.persistent;
        let keep_bodies = self.residency.keep_bodies;
        if let (true, false, Some(f)) =
            (persistent, report.changed.is_empty(), self.store.feed(feed))
        {
            let feed_url = f.url.clone();
            let mut articles = Vec::with_capacity(report.changed.len());
            for &id in &report.changed {
                if keep_bodies {
                    articles.extend(self.store.article(id).cloned());
                    continue;
                }
                let (summary_html, content_html) = self.store.take_bodies(id);
                if let Some(a) = self.store.article(id) {
                    let mut a = a.clone();
                    a.set_bodies(summary_html, content_html);
                    articles.push(a);
                    self.residency.needs_body.insert(id);
                }
            }
            cmds.push(Cmd::Save(Change::UpsertArticles { feed_url, articles }));
        }
        if persistent && !keep_bodies {
            // Unchanged articles whose bodies the fetch brought: the cache has them already.
            for &id in &report.filled {
                self.store.take_bodies(id);
                self.residency.needs_body.insert(id);
            }
        }
        report.new_articles
    }

    /// A part of a staged start-up's articles: restored (counted already), and marked read
    /// where the user marked their scope read meanwhile.
    pub(super) fn on_restored(&mut self, articles: Vec<Article>, cmds: &mut Vec<Cmd>) {
        let ids = self.store.restore_counted(articles);
        self.residency.needs_body.extend(ids.iter().copied());
        let marked = std::mem::take(&mut self.restore.marked);
        let mut changed = Vec::new();
        for (filter, search) in &marked {
            let in_scope = self.scope_filter(filter, search.as_deref());
            changed.extend(ids.iter().copied().filter(|&id| {
                self.store
                    .article(id)
                    .is_some_and(|a| !a.read && in_scope(a))
            }));
        }
        changed.retain(|&id| self.store.set_read(id, true));
        if !changed.is_empty() {
            cmds.push(Cmd::ReadChanged(changed));
        }
        self.restore.marked = marked;
        self.dirty = true;
    }

    pub(super) fn on_restore_done(&mut self, result: Result<(), String>) {
        self.restore.restoring = false;
        self.restore.marked.clear();
        self.dirty = true;
        if let Err(e) = result {
            // Retention needs every feed's keys; without them it could drop articles a feed
            // still lists. And an article that was not read back would look new to the next
            // fetch, and saving it would overwrite its read and starred flags on disk: the
            // cache is left as it is.
            self.restore.failed = true;
            self.residency.persistent = false;
            self.residency.keep_bodies = true;
            self.notify(format!(
                "could not read the whole cache ({e}); nothing is saved in this session"
            ));
        }
    }

    /// Turns read and star changes into cache writes.
    pub(super) fn add_saves(&self, cmds: &mut Vec<Cmd>) {
        let mut saves = Vec::new();
        for c in cmds.iter() {
            let ids: &[ArticleId] = match c {
                Cmd::ReadChanged(ids) => ids,
                Cmd::StarChanged(id) => std::slice::from_ref(id),
                _ => continue,
            };
            for &id in ids {
                let Some(a) = self.store.article(id) else {
                    continue;
                };
                let Some(f) = self.store.feed(a.feed) else {
                    continue;
                };
                let (feed_url, key) = (f.url.clone(), a.key().to_owned());
                saves.push(Cmd::Save(match c {
                    Cmd::StarChanged(_) => Change::SetStarred {
                        feed_url,
                        key,
                        starred: a.starred,
                    },
                    _ => Change::SetRead {
                        feed_url,
                        key,
                        read: a.read,
                    },
                }));
            }
        }
        cmds.extend(saves);
    }

    /// The retention pass the cache runs on quit, with the keys each feed fetched in this run
    /// still lists and "unknown, keep all" for the others. Also while the cached articles are
    /// still being restored: a feed's list comes from its fetch, and its cached articles were
    /// in the store when the fetch was applied (the TUI applies fetches after the restore,
    /// `akhbar refresh` reads a feed's cached articles before applying its news). `None`
    /// after a failed restore, when nothing is saved.
    pub fn retention(&self, keep_days: u32, keep_per_feed: usize) -> Option<Change> {
        if self.restore.failed {
            return None;
        }
        Some(Change::Retain {
            keep_days,
            keep_per_feed,
            still_listed: self
                .store
                .feeds()
                .iter()
                .map(|f| {
                    // A synced feed's articles come in pages, not as one list, and the server
                    // keeps (and purges) them: all of them are kept, as for a feed not fetched
                    // in this run.
                    let listed = if crate::sync::event::is_synced_feed(&f.url) {
                        None
                    } else {
                        self.store.listed_keys(f.id)
                    };
                    (f.url.clone(), listed)
                })
                .collect(),
        })
    }

    /// For a one-shot refresh, which sees each feed once: bodies moved to the cache keep no
    /// hash (see `Store::forget_taken_bodies`).
    pub fn forget_taken_bodies(&mut self) {
        self.store.forget_taken_bodies();
    }
}
