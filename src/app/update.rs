//! The one update step: `update(&mut self, Msg) -> Vec<Cmd>`, and batches of messages that
//! derive the views once. No I/O here: workers send `Msg`s in, the runtime carries the
//! `Cmd`s out.

use std::time::Duration;

use super::msg::{Cmd, Msg};
use super::reader::LayoutSource;
use super::state::App;
use crate::persist::PersistEvent;
use crate::view::Geometry;

/// How long a transient status message stays.
const STATUS_FOR: Duration = Duration::from_secs(5);
/// Messages kept for the messages overlay.
const MESSAGES_KEPT: usize = 500;

impl App {
    /// The one place state changes.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        self.update_many(std::iter::once(msg))
    }

    /// Applies a batch of messages and derives the views once at the end: a burst of poll
    /// events costs one recomputation of the headline list, not one per feed.
    pub fn update_many(&mut self, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        self.wall = self.clock.now();
        // Nothing in `apply` reads the store's order (the views do, below).
        self.store.begin_batch();
        for msg in msgs {
            self.apply(msg, &mut cmds);
        }
        self.store.end_batch();
        self.refresh_derived();
        self.add_sync_marks(&mut cmds);
        if self.residency.persistent {
            self.add_saves(&mut cmds);
        } else {
            cmds.retain(|c| !matches!(c, Cmd::Save(_)));
        }
        cmds
    }

    /// Shows a transient message in the status line.
    pub(super) fn notify(&mut self, msg: impl Into<String>) {
        let msg = msg.into();
        if self.messages.len() >= MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back((self.wall, msg.clone()));
        self.status = Some((msg, self.now + STATUS_FOR));
        self.dirty = true;
    }

    fn apply(&mut self, msg: Msg, cmds: &mut Vec<Cmd>) {
        match msg {
            Msg::Key(key) => {
                self.dirty = true;
                self.touched = true;
                self.on_key(key, cmds);
            }
            Msg::Mouse(ev) => {
                self.dirty = true;
                self.touched = true;
                self.on_mouse(ev, cmds);
            }
            Msg::Resize { width, height } => {
                self.geometry =
                    Geometry::of_size(width, height).with_measure(self.geometry.measure);
                self.dirty = true;
                self.relayout_reader(cmds);
            }
            Msg::Poll(ev) => self.on_poll(ev, cmds),
            Msg::Tick(now) => {
                self.now = now;
                if self.status.as_ref().is_some_and(|(_, until)| *until <= now) {
                    self.status = None;
                    self.dirty = true;
                }
                if self.ticker.tick(now) {
                    self.dirty = true;
                }
                self.round_tick(cmds);
            }
            Msg::Notice(text) => self.notify(text),
            Msg::FeedsConfigured(feeds) => self.reconfigure_feeds(feeds, cmds),
            Msg::Queries(list) => self.set_queries(list),
            Msg::Reconfigured { keys, note } => {
                self.keymap = crate::keymap::Keymap::new(&keys).unwrap_or_default();
                // Laid-out lines carry the old theme's styles.
                self.reader.forget_all();
                self.ticker.invalidate();
                self.relayout_reader(cmds);
                self.notify(note);
            }
            Msg::Persist(PersistEvent::Saved { .. }) => {
                if self.save_error.take().is_some() {
                    self.notify("saved");
                }
            }
            Msg::Persist(PersistEvent::Indexing { done, total }) => {
                // The search index of an older cache is being built (in the writer's idle
                // time): the status line shows how far.
                self.indexing = (done < total).then_some((done, total));
                self.dirty = true;
            }
            Msg::Persist(PersistEvent::Indexed) => self.refresh_search(cmds),
            Msg::Persist(PersistEvent::Error(e)) => {
                // Told once; the retries only update the marker's text (the status line keeps
                // the marker until a save works, `M` has the message in full).
                if self.save_error.is_none() {
                    self.notify(e.clone());
                }
                self.save_error = Some(e);
                self.dirty = true;
            }
            Msg::Sync(ev) => self.on_sync(ev, cmds),
            Msg::Restored(articles) => self.on_restored(articles, cmds),
            Msg::RestoreDone(result) => self.on_restore_done(result),
            Msg::Searched { seq, query, result } => self.on_searched(seq, query, result),
            Msg::BodyLoaded {
                id,
                summary_html,
                content_html,
            } => {
                self.residency.needs_body.remove(&id);
                self.store.set_bodies(id, summary_html, content_html);
                self.reader.forget(id);
                self.relayout_reader(cmds);
            }
            Msg::Saved(result) => self.on_saved(result),
            Msg::Piped { command, result } => self.on_piped(command, result),
            Msg::FullText { id, result, stored } => self.on_full_text(id, result, stored, cmds),
            Msg::LaidOut { key, seq, lines } => {
                let current = self
                    .reader
                    .open
                    .as_ref()
                    .map(|r| self.layout_key(r.article));
                self.reader.laid_out(key, seq, lines, current, cmds);
                self.dirty = true;
            }
        }
    }

    /// Lays the open article out again (width, mode or body changed).
    pub(super) fn relayout_reader(&mut self, cmds: &mut Vec<Cmd>) {
        if let Some(id) = self.reader.open.as_ref().map(|r| r.article) {
            let key = self.layout_key(id);
            let src = LayoutSource {
                store: &self.store,
                zone: self.clock.zone(),
                full: &self.full,
                query: self.search.as_deref(),
            };
            self.reader.relayout(key, &src, cmds);
        }
    }
}
