//! The application state and its one update step: `update(&mut self, Msg) -> Vec<Cmd>`.
//! No I/O here: workers send `Msg`s in, the runtime carries the `Cmd`s out.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{Action, Scope};
use crate::config::{BidiSetting, ShapingSetting};
use crate::keymap::Keymap;
use crate::model::{FeedId, FetchOutcome, PollEvent};
use crate::persist::{Change, PersistEvent, StoredFeed};
use crate::store::{ArticleId, FeedStatus, Store};
use crate::text::{BidiMode, TextOptions};
use crate::ui::reader::{ReaderLine, layout_article};
use crate::ui::ticker::Ticker;

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Resize {
        width: u16,
        height: u16,
    },
    Poll(PollEvent),
    /// Time passes: the ticker moves, messages expire.
    Tick(Instant),
    /// A transient message from a worker (e.g. the browser could not start).
    Notice(String),
    /// The cache's writer reports.
    Persist(PersistEvent),
    /// A reader layout job finished.
    LaidOut {
        key: LayoutKey,
        /// Which request this answers: only the newest one for a key is taken.
        seq: u64,
        lines: Arc<Vec<ReaderLine>>,
    },
    /// A part of the cached articles a staged start-up reads after the first frame.
    Restored(Vec<crate::model::Article>),
    /// The staged start-up has read the whole cache (or failed to: the reason).
    RestoreDone(Result<(), String>),
    /// Bodies of an article restored from the cache arrived.
    BodyLoaded {
        id: ArticleId,
        summary_html: Option<String>,
        content_html: Option<String>,
    },
}

/// What the app asks the runtime to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Cmd {
    Refresh(FeedId),
    RefreshAll,
    OpenUrl(String),
    /// Tell the terminal which bidi mode is active (escape sequences).
    SetBidi(BidiMode),
    /// Read state changed.
    ReadChanged(Vec<ArticleId>),
    StarChanged(ArticleId),
    /// Something to write to the cache.
    Save(Change),
    /// Lay an article out for the reader (off the render loop).
    Layout(Box<LayoutJob>),
    /// Fetch the bodies of an article restored from the cache without them.
    LoadBody {
        id: ArticleId,
        feed_url: String,
        key: String,
    },
    Quit,
}

/// What a reader layout depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayoutKey {
    pub article: ArticleId,
    pub width: u16,
    pub opts: TextOptions,
}

/// A reader layout to compute off the render loop: owns copies of what it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutJob {
    pub key: LayoutKey,
    pub seq: u64,
    pub article: crate::model::Article,
    pub feed: Option<crate::store::Feed>,
}

impl LayoutJob {
    /// Does the work (HTML to paragraphs, bidi layout) and returns the message for the app.
    pub fn run(self) -> Msg {
        let key = self.key;
        let lines = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            layout_article(
                &self.article,
                self.feed.as_ref(),
                key.width as usize,
                &key.opts,
            )
        }))
        .unwrap_or_else(|_| {
            crate::ui::reader::message_lines(
                "This article could not be laid out; the log has the details.",
            )
        });
        Msg::LaidOut {
            key,
            seq: self.seq,
            lines: Arc::new(lines),
        }
    }
}

/// Which list has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Feeds,
    Headlines,
}

/// A row of the feed list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SidebarRow {
    All,
    Starred,
    Tag(String),
    Feed(FeedId),
}

/// The article reader's state.
#[derive(Clone, Debug)]
pub struct Reader {
    pub article: ArticleId,
    pub scroll: usize,
    pub lines: Arc<Vec<ReaderLine>>,
}

/// The bidi settings in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidiState {
    pub setting: BidiSetting,
    pub shaping: ShapingSetting,
    pub mode: BidiMode,
    /// Why `auto` chose what it chose, for the log and the status line.
    pub reason: String,
}

impl BidiState {
    pub fn text_options(&self) -> TextOptions {
        // Shaping only ever applies where akhbar lays the text out itself (app mode).
        let shaping = match self.shaping {
            ShapingSetting::On => true,
            ShapingSetting::Off => false,
            ShapingSetting::Auto => crate::text::shaping_default(self.mode),
        };
        TextOptions {
            mode: self.mode,
            shaping: shaping && self.mode == BidiMode::App,
        }
    }
}

const STATUS_FOR: Duration = Duration::from_secs(5);
const READER_CACHE: usize = 16;

/// All state of the reader.
pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub focus: Focus,
    pub sidebar: Vec<SidebarRow>,
    pub sidebar_sel: usize,
    pub sidebar_top: usize,
    pub filter: SidebarRow,
    pub unread_only: bool,
    /// The applied title search.
    pub search: Option<String>,
    /// The search being typed.
    pub search_input: Option<String>,
    /// The headline list: article ids in view, newest first.
    pub view: Vec<ArticleId>,
    /// What the view was computed from: the store's generation, the filter, the unread-only
    /// toggle, the search, and the open article (kept in an unread-only view while open).
    view_key: (u64, SidebarRow, bool, Option<String>, Option<ArticleId>),
    pub sel: usize,
    pub list_top: usize,
    pub reader: Option<Reader>,
    reader_cache: HashMap<LayoutKey, Arc<Vec<ReaderLine>>>,
    /// Layouts asked for and not back yet, with the number of the newest request: an
    /// answer to an older request for the same key (made before the body arrived) is stale.
    layout_pending: HashMap<LayoutKey, u64>,
    layout_seq: u64,
    pub ticker: Ticker,
    pub help: bool,
    pub help_scroll: usize,
    pub bidi: BidiState,
    pub status: Option<(String, Instant)>,
    pub last_refresh: Option<DateTime<Utc>>,
    /// Feeds being fetched right now.
    pub loading: BTreeSet<FeedId>,
    pub size: (u16, u16),
    /// Articles restored from the cache whose bodies are not loaded yet.
    pub needs_body: std::collections::HashSet<ArticleId>,
    /// Whether changes are written to a cache (false in the demo, or when it failed to open).
    pub persistent: bool,
    /// Whether fetched bodies stay in memory once sent to the cache (only without a cache,
    /// as in the demo). Else they are moved into the cache's change instead of copied, and
    /// loaded back when an article is opened, like the bodies of restored articles: 50,000
    /// fetched articles kept ~100 MB of HTML in the TUI's memory, and `akhbar refresh`
    /// copied it all only to drop it.
    pub keep_bodies: bool,
    /// A staged start-up is still reading cached articles: poll results wait (an article
    /// not restored yet would look new), and "mark all read" is remembered so it also
    /// applies to the articles still to come.
    pub restoring: bool,
    /// The scopes (filter, search) marked read while restoring.
    marked_while_restoring: Vec<(SidebarRow, Option<String>)>,
    /// The whole cache was restored: retention may run on quit (it needs every feed's keys).
    pub fully_restored: bool,
    /// The cache's last save error, shown until a save works again.
    pub save_error: Option<String>,
    pub quit: bool,
    /// The user has pressed a key: from then on the cursor follows its article when newer
    /// ones arrive above it; before, it stays on the newest (the list filling in at start-up
    /// must not carry it down).
    touched: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    now: Instant,
}

impl App {
    pub fn new(store: Store, keymap: Keymap, bidi: BidiState) -> App {
        let now = Instant::now();
        let mut app = App {
            store,
            keymap,
            focus: Focus::Headlines,
            sidebar: Vec::new(),
            sidebar_sel: 0,
            sidebar_top: 0,
            filter: SidebarRow::All,
            unread_only: false,
            search: None,
            search_input: None,
            view: Vec::new(),
            view_key: (u64::MAX, SidebarRow::All, false, None, None),
            sel: 0,
            list_top: 0,
            reader: None,
            reader_cache: HashMap::new(),
            layout_pending: HashMap::new(),
            layout_seq: 0,
            ticker: Ticker::new(now),
            help: false,
            help_scroll: 0,
            bidi,
            status: None,
            last_refresh: None,
            loading: BTreeSet::new(),
            size: (80, 24),
            needs_body: Default::default(),
            persistent: false,
            keep_bodies: true,
            restoring: false,
            marked_while_restoring: Vec::new(),
            fully_restored: true,
            save_error: None,
            quit: false,
            touched: false,
            dirty: true,
            now,
        };
        app.refresh_derived();
        app
    }

    pub fn text_options(&self) -> TextOptions {
        self.bidi.text_options()
    }

    /// Shows a transient message in the status line.
    pub fn notify(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), self.now + STATUS_FOR));
        self.dirty = true;
    }

    /// The one place state changes.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        self.update_many(std::iter::once(msg))
    }

    /// Applies a batch of messages and derives the views once at the end: a burst of poll
    /// events costs one recomputation of the headline list, not one per feed.
    pub fn update_many(&mut self, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        // Nothing in `apply` reads the store's order (the views do, below).
        self.store.begin_batch();
        for msg in msgs {
            self.apply(msg, &mut cmds);
        }
        self.store.end_batch();
        self.refresh_derived();
        if self.persistent {
            self.add_saves(&mut cmds);
        } else {
            cmds.retain(|c| !matches!(c, Cmd::Save(_)));
        }
        cmds
    }

    fn apply(&mut self, msg: Msg, cmds: &mut Vec<Cmd>) {
        match msg {
            Msg::Key(key) => {
                self.dirty = true;
                self.touched = true;
                self.on_key(key, cmds);
            }
            Msg::Resize { width, height } => {
                self.size = (width, height);
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
            }
            Msg::Notice(text) => self.notify(text),
            Msg::Persist(PersistEvent::Saved { .. }) => {
                if self.save_error.take().is_some() {
                    self.notify("saved");
                }
            }
            Msg::Persist(PersistEvent::Error(e)) => {
                self.notify(e.clone());
                self.save_error = Some(e);
            }
            // Shown by the search UI (issue 12, second half).
            Msg::Persist(PersistEvent::Indexing { .. }) => {}
            Msg::Restored(articles) => self.on_restored(articles, cmds),
            Msg::RestoreDone(result) => {
                self.restoring = false;
                self.marked_while_restoring.clear();
                self.dirty = true;
                if let Err(e) = result {
                    // Retention needs every feed's keys; without them it could drop
                    // articles a feed still lists. And an article that was not read back
                    // would look new to the next fetch, and saving it would overwrite its
                    // read and starred flags on disk: the cache is left as it is.
                    self.fully_restored = false;
                    self.persistent = false;
                    self.keep_bodies = true;
                    self.notify(format!(
                        "could not read the whole cache ({e}); nothing is saved in this session"
                    ));
                }
            }
            Msg::BodyLoaded {
                id,
                summary_html,
                content_html,
            } => {
                self.needs_body.remove(&id);
                self.store.set_bodies(id, summary_html, content_html);
                self.reader_cache.retain(|k, _| k.article != id);
                self.layout_pending.retain(|k, _| k.article != id);
                self.relayout_reader(cmds);
            }
            Msg::LaidOut { key, seq, lines } => {
                self.on_laid_out(key, seq, lines);
            }
        }
    }

    /// Turns read and star changes into cache writes.
    fn add_saves(&self, cmds: &mut Vec<Cmd>) {
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
                let (feed_url, key) = (f.url.clone(), a.key.clone());
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

    /// The retention pass the cache runs on quit, with the keys each feed still lists; `None`
    /// while not every cached article is in the store (a feed's keys would be missing, and
    /// retention could drop articles the feed still lists).
    pub fn retention(&self, keep_days: u32, keep_per_feed: usize) -> Option<Change> {
        if self.restoring || !self.fully_restored {
            return None;
        }
        Some(Change::Retain {
            keep_days,
            keep_per_feed,
            still_listed: self
                .store
                .feeds()
                .iter()
                .map(|f| (f.url.clone(), f.listed.clone()))
                .collect(),
        })
    }

    fn scope(&self) -> Scope {
        if self.reader.is_some() {
            Scope::Reader
        } else {
            Scope::List
        }
    }

    fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            cmds.push(Cmd::Quit);
            return;
        }
        if self.search_input.is_some() {
            self.on_search_key(key);
            return;
        }
        if self.help {
            match key.code {
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') => self.help = false,
                KeyCode::Char('j') | KeyCode::Down => {
                    self.help_scroll = (self.help_scroll + 1).min(crate::action::ACTIONS.len());
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                _ => {}
            }
            return;
        }
        let Some(action) = self.keymap.lookup(self.scope(), &key) else {
            if key.code == KeyCode::Esc && self.search.is_some() {
                self.search = None;
                self.sel = 0;
            }
            return;
        };
        self.on_action(action, cmds);
    }

    fn on_search_key(&mut self, key: KeyEvent) {
        let Some(input) = self.search_input.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.search_input = None,
            KeyCode::Enter => {
                let q = crate::text::sanitize::sanitize_inline(input);
                self.search_input = None;
                self.search = if q.is_empty() { None } else { Some(q) };
                self.sel = 0;
                self.list_top = 0;
                self.focus = Focus::Headlines;
            }
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() =>
            {
                input.push(c);
            }
            _ => {}
        }
    }

    /// Runs one action.
    pub fn on_action(&mut self, action: Action, cmds: &mut Vec<Cmd>) {
        let page = self.list_height().max(1);
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(page as isize)),
            Action::PageDown => self.move_by(page as isize),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Open => match self.focus {
                Focus::Feeds => {
                    if let Some(row) = self.sidebar.get(self.sidebar_sel).cloned() {
                        self.filter = row;
                        self.sel = 0;
                        self.list_top = 0;
                        self.focus = Focus::Headlines;
                    }
                }
                Focus::Headlines => {
                    if let Some(&id) = self.view.get(self.sel) {
                        self.open_article(id, cmds);
                    }
                }
            },
            Action::Back => {
                self.reader = None;
            }
            Action::Quit => {
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::Feeds => Focus::Headlines,
                    Focus::Headlines => Focus::Feeds,
                };
            }
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
            Action::MarkAllRead => {
                if self.restoring {
                    self.marked_while_restoring
                        .push((self.filter.clone(), self.search.clone()));
                }
                let changed: Vec<ArticleId> = self
                    .view
                    .clone()
                    .into_iter()
                    .filter(|&id| self.store.set_read(id, true))
                    .collect();
                if !changed.is_empty() {
                    self.notify(format!("{} marked read", changed.len()));
                    cmds.push(Cmd::ReadChanged(changed));
                }
            }
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
                self.sel = 0;
                self.list_top = 0;
                self.notify(if self.unread_only {
                    "showing unread only"
                } else {
                    "showing all articles"
                });
            }
            Action::Refresh => match self.selected_feed() {
                Some(feed) => {
                    let name = self
                        .store
                        .feed(feed)
                        .map(|f| f.name.clone())
                        .unwrap_or_default();
                    self.notify(format!("refreshing {name}"));
                    cmds.push(Cmd::Refresh(feed));
                }
                None => {
                    self.notify("refreshing all feeds");
                    cmds.push(Cmd::RefreshAll);
                }
            },
            Action::RefreshAll => {
                self.notify("refreshing all feeds");
                cmds.push(Cmd::RefreshAll);
            }
            Action::OpenInBrowser => {
                let link = self
                    .current_article()
                    .and_then(|id| self.store.article(id))
                    .and_then(|a| a.link.clone());
                match link {
                    Some(url) if is_web_url(&url) => {
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
            Action::Search => self.search_input = Some(String::new()),
            Action::PauseTicker => {
                let paused = self.ticker.toggle_pause(self.now);
                self.notify(if paused {
                    "ticker paused"
                } else {
                    "ticker running"
                });
            }
            Action::CycleBidi => {
                self.bidi.mode = match self.bidi.mode {
                    BidiMode::App => BidiMode::Terminal,
                    BidiMode::Terminal => BidiMode::Off,
                    BidiMode::Off => BidiMode::App,
                };
                self.bidi.reason = "chosen with B".into();
                self.reader_cache.clear();
                self.layout_pending.clear();
                self.ticker.invalidate();
                self.relayout_reader(cmds);
                self.notify(format!("bidi: {}", mode_name(self.bidi.mode)));
                cmds.push(Cmd::SetBidi(self.bidi.mode));
            }
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
        }
    }

    fn open_article(&mut self, id: ArticleId, cmds: &mut Vec<Cmd>) {
        if self.store.set_read(id, true) {
            cmds.push(Cmd::ReadChanged(vec![id]));
        }
        if let Some(pos) = self.view.iter().position(|&a| a == id) {
            self.sel = pos;
        }
        if let (true, Some(a)) = (self.needs_body.contains(&id), self.store.article(id)) {
            let feed_url = self
                .store
                .feed(a.feed)
                .map(|f| f.url.clone())
                .unwrap_or_default();
            cmds.push(Cmd::LoadBody {
                id,
                feed_url,
                key: a.key.clone(),
            });
        }
        let lines = self.reader_lines(id, cmds).unwrap_or_default();
        self.reader = Some(Reader {
            article: id,
            scroll: 0,
            lines,
        });
    }

    fn reader_width(&self) -> u16 {
        // The reader keeps a margin of one cell each side and at most 100 columns of text.
        self.size.0.saturating_sub(2).min(100)
    }

    /// The laid-out article for the current width and options, if cached; else a layout job
    /// is asked for (HTML parsing and bidi layout run off the render loop) and None returned.
    fn reader_lines(&mut self, id: ArticleId, cmds: &mut Vec<Cmd>) -> Option<Arc<Vec<ReaderLine>>> {
        let key = LayoutKey {
            article: id,
            width: self.reader_width(),
            opts: self.text_options(),
        };
        if let Some(lines) = self.reader_cache.get(&key) {
            return Some(lines.clone());
        }
        // Only the newest request per article counts (a resize drag asks for many widths).
        self.layout_pending
            .retain(|k, _| k.article != id || *k == key);
        if !self.layout_pending.contains_key(&key)
            && let Some(a) = self.store.article(id)
        {
            self.layout_seq += 1;
            self.layout_pending.insert(key, self.layout_seq);
            let feed = self.store.feed(a.feed).cloned();
            cmds.push(Cmd::Layout(Box::new(LayoutJob {
                key,
                seq: self.layout_seq,
                article: a.clone(),
                feed,
            })));
        }
        None
    }

    /// Lays the open article out again (width, mode or body changed). The old lines stay on
    /// screen until the new ones arrive.
    fn relayout_reader(&mut self, cmds: &mut Vec<Cmd>) {
        if let Some(id) = self.reader.as_ref().map(|r| r.article)
            && let Some(lines) = self.reader_lines(id, cmds)
        {
            self.show_lines(lines);
        }
    }

    fn show_lines(&mut self, lines: Arc<Vec<ReaderLine>>) {
        if let Some(r) = self.reader.as_mut() {
            r.lines = lines;
            r.scroll = r.scroll.min(r.lines.len().saturating_sub(1));
        }
    }

    /// A layout job came back.
    fn on_laid_out(&mut self, key: LayoutKey, seq: u64, lines: Arc<Vec<ReaderLine>>) {
        if self.layout_pending.get(&key) != Some(&seq) {
            return; // Asked for before a body, width or mode change made it stale.
        }
        self.layout_pending.remove(&key);
        if self.reader_cache.len() >= READER_CACHE {
            self.reader_cache.clear();
        }
        self.reader_cache.insert(key, lines.clone());
        let current = LayoutKey {
            article: key.article,
            width: self.reader_width(),
            opts: self.text_options(),
        };
        if self
            .reader
            .as_ref()
            .is_some_and(|r| r.article == key.article)
            && key == current
        {
            self.show_lines(lines);
        }
        self.dirty = true;
    }

    fn jump_unread(&mut self, forward: bool, cmds: &mut Vec<Cmd>) {
        let start = match &self.reader {
            Some(r) => self
                .view
                .iter()
                .position(|&a| a == r.article)
                .unwrap_or(self.sel),
            None => self.sel,
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
                self.sel = i;
                self.focus = Focus::Headlines;
                if self.reader.is_some() {
                    let id = self.view[i];
                    self.open_article(id, cmds);
                }
            }
            None => self.notify("no more unread articles"),
        }
    }

    fn move_by(&mut self, delta: isize) {
        let page = self.list_height();
        if let Some(r) = self.reader.as_mut() {
            let max = r.lines.len().saturating_sub(page.max(1));
            r.scroll = r.scroll.saturating_add_signed(delta).min(max);
            return;
        }
        let (sel, len) = match self.focus {
            Focus::Feeds => (&mut self.sidebar_sel, self.sidebar.len()),
            Focus::Headlines => (&mut self.sel, self.view.len()),
        };
        *sel = sel.saturating_add_signed(delta).min(len.saturating_sub(1));
    }

    /// The article under the cursor, or the one open in the reader.
    pub fn current_article(&self) -> Option<ArticleId> {
        match &self.reader {
            Some(r) => Some(r.article),
            None if self.focus == Focus::Headlines => self.view.get(self.sel).copied(),
            None => None,
        }
    }

    /// The feed `r` refreshes: the selected feed row, else the current article's feed.
    fn selected_feed(&self) -> Option<FeedId> {
        if self.reader.is_none() && self.focus == Focus::Feeds {
            return match self.sidebar.get(self.sidebar_sel) {
                Some(SidebarRow::Feed(f)) => Some(*f),
                _ => None,
            };
        }
        self.current_article()
            .and_then(|id| self.store.article(id))
            .map(|a| a.feed)
    }

    fn on_poll(&mut self, ev: PollEvent, cmds: &mut Vec<Cmd>) {
        let now = Utc::now();
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
                // Not a change of the articles: no view needs recomputing for it.
                self.store.set_loading(feed, None);
                let status = match outcome {
                    FetchOutcome::Updated(parsed) => {
                        for note in &parsed.notes {
                            tracing::info!(feed = feed.0, "{note}");
                        }
                        if let (Some(note), Some(f)) = (parsed.notes.first(), self.store.feed(feed))
                        {
                            self.notify(format!("{}: {note}", f.name));
                        }
                        let report = self.store.ingest(feed, parsed, now);
                        // Fresh bodies replace what the reader showed or was about to load.
                        for id in report.changed.iter().chain(&report.filled) {
                            self.needs_body.remove(id);
                            self.reader_cache.retain(|k, _| k.article != *id);
                            self.layout_pending.retain(|k, _| k.article != *id);
                        }
                        if self.reader.as_ref().is_some_and(|r| {
                            report.changed.contains(&r.article)
                                || report.filled.contains(&r.article)
                        }) {
                            self.relayout_reader(cmds);
                        }
                        if let (true, Some(f)) = (
                            self.persistent && !report.changed.is_empty(),
                            self.store.feed(feed),
                        ) {
                            let feed_url = f.url.clone();
                            let mut articles = Vec::with_capacity(report.changed.len());
                            for &id in &report.changed {
                                if self.keep_bodies {
                                    articles.extend(self.store.article(id).cloned());
                                    continue;
                                }
                                let (summary_html, content_html) = self.store.take_bodies(id);
                                if let Some(a) = self.store.article(id) {
                                    articles.push(crate::model::Article {
                                        summary_html,
                                        content_html,
                                        ..a.clone()
                                    });
                                    self.needs_body.insert(id);
                                }
                            }
                            cmds.push(Cmd::Save(Change::UpsertArticles { feed_url, articles }));
                        }
                        if self.persistent && !self.keep_bodies {
                            // Unchanged articles whose bodies the fetch brought: the cache
                            // has them already.
                            for &id in &report.filled {
                                self.store.take_bodies(id);
                                self.needs_body.insert(id);
                            }
                        }
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
                    FetchOutcome::Gone => FeedStatus::Gone,
                };
                if let Some(url) = moved_to {
                    let shown = crate::text::sanitize::redact_credentials(&url);
                    let first_time = self
                        .store
                        .feed(feed)
                        .is_some_and(|f| f.moved_to.as_deref() != Some(url.as_str()));
                    if let Some(f) = self.store.feed_mut(feed) {
                        f.moved_to = Some(url);
                    }
                    if first_time {
                        self.notify(format!("feed moved permanently to {shown}"));
                    }
                }
                if let Some(f) = self.store.feed_mut(feed) {
                    f.status = status;
                }
                if let (true, Some(f)) = (self.persistent, self.store.feed(feed)) {
                    cmds.push(Cmd::Save(Change::FeedMeta(StoredFeed {
                        url: f.url.clone(),
                        title: Some(f.name.clone()),
                        etag,
                        last_modified,
                        next_poll,
                        failures,
                        redirected_url: f.moved_to.clone(),
                        last_error,
                    })));
                }
            }
        }
        self.dirty = true;
    }

    /// Height of the headline list on screen (rows between the ticker and the status line).
    pub fn list_height(&self) -> usize {
        self.size.1.saturating_sub(2) as usize
    }

    /// Recomputes what depends on the store and the filters: the sidebar, the headline list,
    /// the ticker items and the scroll positions. Cheap when nothing changed.
    fn refresh_derived(&mut self) {
        let key = (
            self.store.generation(),
            self.filter.clone(),
            self.unread_only,
            self.search.clone(),
            self.reader.as_ref().map(|r| r.article),
        );
        if key != self.view_key {
            let store_changed = key.0 != self.view_key.0;
            let selected = self.view.get(self.sel).copied();
            self.view = self.compute_view();
            if let Some(id) = selected.filter(|_| store_changed && self.touched) {
                // Keep the cursor on the same article when new ones arrive above it.
                if let Some(pos) = self.view.iter().position(|&a| a == id) {
                    self.sel = pos;
                }
            }
            if store_changed {
                self.sidebar = self.compute_sidebar();
                self.ticker.set_items(&self.store);
            }
            self.view_key = key;
            self.dirty = true;
        }
        self.sel = self.sel.min(self.view.len().saturating_sub(1));
        self.sidebar_sel = self.sidebar_sel.min(self.sidebar.len().saturating_sub(1));
        let h = self.list_height().max(1);
        self.list_top = scroll_to(self.list_top, self.sel, h);
        self.sidebar_top = scroll_to(self.sidebar_top, self.sidebar_sel, h);
        self.ticker.prepare(self.size.0, self.text_options());
    }

    fn compute_view(&self) -> Vec<ArticleId> {
        let in_scope = self.scope_filter(&self.filter, self.search.as_deref());
        self.store
            .order()
            .iter()
            .copied()
            .filter(|&id| {
                let Some(a) = self.store.article(id) else {
                    return false;
                };
                in_scope(a)
                    && (!self.unread_only
                        || !a.read
                        || self.reader.as_ref().is_some_and(|r| r.article == id))
            })
            .collect()
    }

    /// Whether an article is in a sidebar row's scope and matches a title search.
    fn scope_filter<'a>(
        &'a self,
        filter: &'a SidebarRow,
        search: Option<&str>,
    ) -> impl Fn(&crate::model::Article) -> bool + 'a {
        let query = search.map(str::to_lowercase);
        let tag_feeds: Option<Vec<bool>> = match filter {
            SidebarRow::Tag(t) => Some(
                self.store
                    .feeds()
                    .iter()
                    .map(|f| f.tags.contains(t))
                    .collect(),
            ),
            _ => None,
        };
        move |a| {
            let in_filter = match filter {
                SidebarRow::All => true,
                SidebarRow::Starred => a.starred,
                SidebarRow::Tag(_) => tag_feeds.as_ref().is_some_and(|t| t[a.feed.0 as usize]),
                SidebarRow::Feed(f) => a.feed == *f,
            };
            in_filter
                && query
                    .as_ref()
                    .is_none_or(|q| a.title.to_lowercase().contains(q))
        }
    }

    /// A part of a staged start-up's articles: restored (counted already), and marked read
    /// where the user marked their scope read meanwhile.
    fn on_restored(&mut self, articles: Vec<crate::model::Article>, cmds: &mut Vec<Cmd>) {
        let ids = self.store.restore_counted(articles);
        self.needs_body.extend(ids.iter().copied());
        let marked = std::mem::take(&mut self.marked_while_restoring);
        let mut changed = Vec::new();
        for (filter, search) in &marked {
            let in_scope = self.scope_filter(filter, search.as_deref());
            let hits: Vec<ArticleId> = ids
                .iter()
                .copied()
                .filter(|&id| {
                    self.store
                        .article(id)
                        .is_some_and(|a| !a.read && in_scope(a))
                })
                .collect();
            changed.extend(hits);
        }
        changed.retain(|&id| self.store.set_read(id, true));
        if !changed.is_empty() {
            cmds.push(Cmd::ReadChanged(changed));
        }
        self.marked_while_restoring = marked;
        self.dirty = true;
    }

    fn compute_sidebar(&self) -> Vec<SidebarRow> {
        let mut rows = vec![SidebarRow::All, SidebarRow::Starred];
        let tags: BTreeSet<&String> = self.store.feeds().iter().flat_map(|f| &f.tags).collect();
        rows.extend(tags.into_iter().map(|t| SidebarRow::Tag(t.clone())));
        rows.extend(
            self.store
                .feeds()
                .iter()
                .filter(|f| !f.hidden)
                .map(|f| SidebarRow::Feed(f.id)),
        );
        rows
    }

    pub fn now(&self) -> Instant {
        self.now
    }
}

/// Keeps `sel` inside a window of `height` rows starting at `top`.
fn scroll_to(top: usize, sel: usize, height: usize) -> usize {
    if sel < top {
        sel
    } else if sel >= top + height {
        sel + 1 - height
    } else {
        top
    }
}

/// Only http and https links are handed to the browser.
pub fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

pub fn mode_name(mode: BidiMode) -> &'static str {
    match mode {
        BidiMode::App => "app",
        BidiMode::Terminal => "terminal",
        BidiMode::Off => "off",
    }
}
