//! Keys: the overlay in front gets them first (search prompt, help), then the keymap turns
//! them into actions, and each action runs here.

use crossterm::event::{KeyCode, KeyEvent};

use super::line_input::{Edit, LineInput};
use super::msg::Cmd;
use super::overlay::Overlay;
use super::reader::LayoutSource;
use super::state::{App, Focus, SidebarRow};
use crate::action::{Action, Scope};
use crate::model::FeedId;
use crate::persist::Change;
use crate::store::ArticleId;

impl App {
    fn scope(&self) -> Scope {
        if self.reader.open.is_some() {
            Scope::Reader
        } else {
            Scope::List
        }
    }

    pub(super) fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        let action = self.keymap.lookup(self.scope(), &key);
        if action == Some(Action::QuitNow) {
            self.quit = true;
            cmds.push(Cmd::Quit);
            return;
        }
        if matches!(self.overlay, Overlay::Search(_)) {
            self.on_search_key(key, cmds);
            return;
        }
        if matches!(self.overlay, Overlay::Filter(_)) {
            self.on_filter_key(key);
            return;
        }
        if matches!(self.overlay, Overlay::Confirm { .. }) {
            self.on_confirm_key(&key, cmds);
            return;
        }
        if matches!(self.overlay, Overlay::LinkNumber(_)) {
            self.on_link_number_key(&key, cmds);
            return;
        }
        if !matches!(self.overlay, Overlay::None) {
            self.on_overlay_key(&key);
            return;
        }
        if self.on_enclosure_choice(&key, cmds) {
            return;
        }
        match action {
            Some(Action::OpenLink) => {
                // The key is the number; a rebound key that is no digit opens the first.
                let n = match key.code {
                    KeyCode::Char(c) => c.to_digit(10).unwrap_or(1),
                    _ => 1,
                };
                self.open_link(n as usize, cmds);
            }
            Some(action) => self.on_action(action, cmds),
            None if key.code == KeyCode::Esc && self.search.is_some() => {
                self.apply_search(None, cmds);
            }
            None if key.code == KeyCode::Esc => {
                self.clear_view_filter();
            }
            None => {}
        }
    }

    /// Keys in the help and the messages overlay, read as the reader reads them: moves
    /// scroll, `back`, `quit` and the overlay's own key close it.
    fn on_overlay_key(&mut self, key: &KeyEvent) {
        let text = self.geometry.overlay_text();
        let (width, page) = (usize::from(text.width), usize::from(text.height).max(1));
        let (lines, own) = match self.overlay {
            Overlay::Help { .. } => (
                crate::view::help_lines(
                    &self.keymap,
                    (self.bidi.mode.name(), &self.bidi.reason),
                    width,
                )
                .len(),
                Action::Help,
            ),
            Overlay::Messages { .. } => (
                crate::view::messages_lines(
                    self.messages.iter(),
                    self.clock.zone(),
                    width,
                    &self.bidi.text_options(),
                )
                .len(),
                Action::Messages,
            ),
            _ => return,
        };
        let action = self.keymap.lookup(Scope::Reader, key);
        let (Overlay::Help { scroll } | Overlay::Messages { scroll }) = &mut self.overlay else {
            return;
        };
        let last = lines.saturating_sub(page);
        match action {
            Some(Action::Up) => *scroll = scroll.saturating_sub(1),
            Some(Action::Down) => *scroll = (*scroll + 1).min(last),
            Some(Action::PageUp) => *scroll = scroll.saturating_sub(page),
            Some(Action::PageDown) => *scroll = (*scroll + page).min(last),
            Some(Action::Top) => *scroll = 0,
            Some(Action::Bottom) => *scroll = last,
            Some(a) if a == own || matches!(a, Action::Back | Action::Quit) => {
                self.overlay = Overlay::None
            }
            _ => {}
        }
    }

    fn on_search_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        let Overlay::Search(input) = &mut self.overlay else {
            return;
        };
        if input.on_key(&key, &self.search_history) == Edit::Edited {
            return;
        }
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let q = crate::text::sanitize::sanitize_inline(input.text());
                self.overlay = Overlay::None;
                if !q.is_empty() {
                    self.search_history.retain(|h| *h != q);
                    self.search_history.push(q.clone());
                }
                self.apply_search((!q.is_empty()).then_some(q), cmds);
                self.focus = Focus::Headlines;
            }
            _ => {}
        }
    }

    /// Runs one action.
    pub(super) fn on_action(&mut self, action: Action, cmds: &mut Vec<Cmd>) {
        let page = self.geometry.page_rows() as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Open => match self.focus {
                Focus::Feeds => {
                    if let Some(row) = self.sidebar.get(self.feeds_cursor.selected()).cloned() {
                        self.filter = row;
                        self.headlines.reset();
                        self.focus = Focus::Headlines;
                    }
                }
                Focus::Headlines => {
                    if let Some(&id) = self.view.get(self.headlines.selected()) {
                        self.open_article(id, cmds);
                    }
                }
            },
            Action::Back => self.reader.open = None,
            Action::Quit | Action::QuitNow => {
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::Feeds => Focus::Headlines,
                    Focus::Headlines => Focus::Feeds,
                };
            }
            // In the reader during a search: the next (previous) match instead.
            Action::NextUnread if self.jump_match(true) => {}
            Action::PrevUnread if self.jump_match(false) => {}
            Action::NextUnread => self.jump_unread(true, cmds),
            Action::PrevUnread => self.jump_unread(false, cmds),
            Action::ToggleRead => {
                if let Some(id) = self.current_article() {
                    let read = !self.store.article(id).is_some_and(|a| a.read);
                    if self.store.set_read(id, read) {
                        cmds.push(Cmd::ReadChanged(vec![id]));
                    }
                }
            }
            Action::MarkAllRead => self.ask_mark_all(cmds),
            Action::UndoMarkAll => self.undo_mark_all(cmds),
            Action::ToggleStar => {
                if let Some(id) = self.current_article() {
                    let starred = !self.store.article(id).is_some_and(|a| a.starred);
                    if self.store.set_starred(id, starred) {
                        self.notify(if starred { "starred" } else { "unstarred" });
                        cmds.push(Cmd::StarChanged(id));
                    }
                }
            }
            Action::ToggleUnreadOnly => {
                self.unread_only = !self.unread_only;
                cmds.push(Cmd::Save(Change::Setting {
                    key: crate::persist::SETTING_UNREAD_ONLY.to_string(),
                    value: self.unread_only.to_string(),
                }));
                self.headlines.reset();
                self.notify(if self.unread_only {
                    "showing unread only"
                } else {
                    "showing all articles"
                });
            }
            Action::Refresh => {
                let (label, feeds) = self.refresh_targets();
                self.start_refresh(label, feeds, cmds);
            }
            Action::RefreshAll => {
                let all = self.store.feeds().iter().map(|f| f.id).collect();
                self.start_refresh("all feeds".into(), all, cmds);
            }
            Action::OpenInBrowser => {
                let link = self
                    .current_article()
                    .and_then(|id| self.store.article(id))
                    .and_then(|a| a.link().map(str::to_owned));
                match link {
                    Some(url) if crate::link::is_web_url(&url) => {
                        self.notify(format!(
                            "opening {}",
                            crate::text::sanitize::redact_credentials(&url)
                        ));
                        cmds.push(Cmd::OpenUrl(url));
                    }
                    Some(_) => {
                        self.notify("not opened: only http and https links open in the browser")
                    }
                    None => self.notify("this article has no link"),
                }
            }
            Action::Search => self.overlay = Overlay::Search(LineInput::default()),
            Action::Filter => self.open_filter_prompt(),
            Action::PauseTicker => {
                let paused = self.ticker.toggle_pause(self.now);
                self.notify(if paused {
                    "ticker paused"
                } else {
                    "ticker running"
                });
            }
            Action::CycleBidi => {
                self.bidi.mode = self.bidi.mode.next();
                self.bidi.reason = "chosen with B".into();
                self.reader.forget_all();
                self.ticker.invalidate();
                self.relayout_reader(cmds);
                self.notify(format!("bidi: {}", self.bidi.mode.name()));
                cmds.push(Cmd::SetBidi(self.bidi.mode));
            }
            Action::Redraw => cmds.push(Cmd::Redraw),
            Action::FullText => self.full_text_key(cmds),
            Action::OpenLink => self.open_link(1, cmds),
            Action::Play => self.play_key(cmds),
            Action::ReloadConfig => cmds.push(Cmd::ReloadConfig),
            Action::EditConfig => cmds.push(Cmd::EditConfig),
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            Action::Messages => self.overlay = Overlay::Messages { scroll: 0 },
            Action::LinkNumber => self.ask_link_number(),
            Action::Wider => self.change_measure(true, cmds),
            Action::Narrower => self.change_measure(false, cmds),
            Action::PageForward => self.page_forward(cmds),
            Action::PageBack => self.move_by(-page),
            Action::SaveArticle => self.save_article(cmds),
            Action::PipeArticle => self.pipe_article(cmds),
        }
    }

    pub(super) fn open_article(&mut self, id: ArticleId, cmds: &mut Vec<Cmd>) {
        if self.store.set_read(id, true) {
            cmds.push(Cmd::ReadChanged(vec![id]));
        }
        if let Some(pos) = self.view.iter().position(|&a| a == id) {
            self.headlines.select(pos);
        }
        if let (true, Some(a)) = (
            self.residency.needs_body.contains(&id),
            self.store.article(id),
        ) {
            let feed_url = self
                .store
                .feed(a.feed)
                .map(|f| f.url.clone())
                .unwrap_or_default();
            cmds.push(Cmd::LoadBody {
                id,
                feed_url,
                key: a.key().to_owned(),
            });
        }
        let key = self.layout_key(id);
        let src = LayoutSource {
            store: &self.store,
            zone: self.clock.zone(),
            full: &self.full,
            query: self.search.as_deref(),
        };
        self.reader.open(key, &src, cmds);
    }

    pub(super) fn jump_unread(&mut self, forward: bool, cmds: &mut Vec<Cmd>) {
        let sel = self.headlines.selected();
        let start = match &self.reader.open {
            Some(r) => self
                .view
                .iter()
                .position(|&a| a == r.article)
                .unwrap_or(sel),
            None => sel,
        };
        let is_unread = |id: &ArticleId| self.store.article(*id).is_some_and(|a| !a.read);
        let found = if forward {
            self.view
                .iter()
                .enumerate()
                .skip(start + 1)
                .find(|(_, id)| is_unread(id))
                .map(|(i, _)| i)
        } else {
            self.view[..start.min(self.view.len())]
                .iter()
                .rposition(is_unread)
        };
        match found {
            Some(i) => {
                self.headlines.select(i);
                self.focus = Focus::Headlines;
                if self.reader.open.is_some() {
                    let id = self.view[i];
                    self.open_article(id, cmds);
                }
            }
            None => self.notify("no more unread articles"),
        }
    }

    fn move_by(&mut self, delta: isize) {
        if self.reader.open.is_some() {
            self.reader.scroll_by(delta, self.geometry.page_rows());
            return;
        }
        match self.focus {
            Focus::Feeds => self.feeds_cursor.move_by(delta, self.sidebar.len()),
            Focus::Headlines => self.headlines.move_by(delta, self.view.len()),
        }
    }

    /// The article under the cursor, or the one open in the reader.
    pub fn current_article(&self) -> Option<ArticleId> {
        match &self.reader.open {
            Some(r) => Some(r.article),
            None if self.focus == Focus::Headlines => {
                self.view.get(self.headlines.selected()).copied()
            }
            None => None,
        }
    }

    /// What `r` refreshes, named for the message: the selected row of the feed list (a feed,
    /// a tag's feeds, or all of them for All and Starred), else the current article's feed.
    fn refresh_targets(&self) -> (String, Vec<FeedId>) {
        let all = || -> Vec<FeedId> { self.store.feeds().iter().map(|f| f.id).collect() };
        let name = |id: FeedId| {
            self.store
                .feed(id)
                .map(|f| f.name.clone())
                .unwrap_or_default()
        };
        if self.reader.open.is_none() && self.focus == Focus::Feeds {
            return match self.sidebar.get(self.feeds_cursor.selected()) {
                Some(SidebarRow::Feed(f)) => (name(*f), vec![*f]),
                Some(SidebarRow::Tag(t)) => (
                    format!("#{t}"),
                    self.store
                        .feeds()
                        .iter()
                        .filter(|f| f.tags.contains(t))
                        .map(|f| f.id)
                        .collect(),
                ),
                _ => ("all feeds".into(), all()),
            };
        }
        match self.current_article().and_then(|id| self.store.article(id)) {
            Some(a) => (name(a.feed), vec![a.feed]),
            None => ("all feeds".into(), all()),
        }
    }

    /// Asks the poller for the feeds now; their outcome is told when the last is done.
    fn start_refresh(&mut self, label: String, feeds: Vec<FeedId>, cmds: &mut Vec<Cmd>) {
        if feeds.is_empty() {
            self.notify(format!("{label}: no feed to refresh"));
            return;
        }
        let every = feeds.len() == self.store.feeds().len() && feeds.len() > 1;
        self.notify(format!("refreshing {label}"));
        let own = self.split_sync_refresh(&feeds, cmds);
        if every {
            cmds.push(Cmd::RefreshAll);
        } else {
            cmds.extend(own.iter().map(|&f| Cmd::Refresh(f)));
        }
        self.manual = Some(super::state::ManualRefresh {
            label,
            feeds: feeds.len(),
            pending: feeds.into_iter().collect(),
            ..Default::default()
        });
    }
}
