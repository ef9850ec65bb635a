//! Marking everything in view read: on All, Starred, a tag or a search it asks first
//! ("mark 687 articles read? y/n", as newsboat's `confirm-mark-feed-read`); one feed's list
//! is marked at once. `U` undoes the last mark-all of the session, restoring exactly the
//! articles it changed.

use crossterm::event::{KeyCode, KeyEvent};

use super::msg::Cmd;
use super::overlay::Overlay;
use super::state::{App, SidebarRow};
use crate::store::ArticleId;
use crate::view::count;

impl App {
    /// `A`: marks the view read, or asks first when the view is wider than one feed.
    pub(super) fn ask_mark_all(&mut self, cmds: &mut Vec<Cmd>) {
        let unread = self
            .view
            .iter()
            .filter(|&&id| self.store.article(id).is_some_and(|a| !a.read))
            .count();
        if unread == 0 {
            self.notify("nothing unread here");
            return;
        }
        let wide = self.search.is_some() || !matches!(self.filter, SidebarRow::Feed(_));
        if wide {
            self.overlay = Overlay::Confirm { unread };
        } else {
            self.mark_all_read(cmds);
        }
    }

    /// The answer to "mark … read? y/n": `y` marks, any other key says no.
    pub(super) fn on_confirm_key(&mut self, key: &KeyEvent, cmds: &mut Vec<Cmd>) {
        self.overlay = Overlay::None;
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            self.mark_all_read(cmds);
        } else {
            self.notify("nothing marked");
        }
    }

    fn mark_all_read(&mut self, cmds: &mut Vec<Cmd>) {
        if self.restore.restoring {
            self.restore
                .marked
                .push((self.filter.clone(), self.search.clone()));
        }
        let changed: Vec<ArticleId> = self
            .view
            .clone()
            .into_iter()
            .filter(|&id| self.store.set_read(id, true))
            .collect();
        if !changed.is_empty() {
            self.notify(format!(
                "{} marked read (U: undo)",
                count(changed.len(), "article")
            ));
            self.last_mark_all = Some(changed.clone());
            cmds.push(Cmd::ReadChanged(changed));
        }
    }

    /// `U`: the articles the last mark-all changed are unread again.
    pub(super) fn undo_mark_all(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(ids) = self.last_mark_all.take() else {
            self.notify("no mark-all to undo");
            return;
        };
        if self.restore.restoring {
            // Articles still to be restored are no longer marked as they arrive.
            self.restore.marked.pop();
        }
        let changed: Vec<ArticleId> = ids
            .into_iter()
            .filter(|&id| self.store.set_read(id, false))
            .collect();
        self.notify(format!("{} unread again", count(changed.len(), "article")));
        if !changed.is_empty() {
            cmds.push(Cmd::ReadChanged(changed));
        }
    }
}
