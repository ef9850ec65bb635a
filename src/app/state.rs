//! The app's state: `App` with its parts, how it is built (`AppOptions`), and the read
//! accessors the views and the runtime use. Only the app's own update step changes it.

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use chrono::{DateTime, Utc};

use super::bidi::BidiState;
use super::cursor::Cursor;
use super::fulltext::FullTexts;
use super::msg::LayoutKey;
use super::overlay::Overlay;
use super::reader::{Reader, ReaderState};
use crate::clock::{Clock, Zone};
use crate::keymap::Keymap;
use crate::model::FeedId;
use crate::store::{ArticleId, Generations, Store};
use crate::text::TextOptions;
use crate::view::{Geometry, Ticker};

/// Which list has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Feeds,
    Headlines,
}

/// A row of the feed list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SidebarRow {
    All,
    Starred,
    Tag(String),
    Feed(FeedId),
    /// A query feed (config `[[query]]`), by name.
    Query(String),
}

/// How an app starts. `AppOptions::new(store)` gives an app without a cache, as the demo
/// runs; the session fills in the rest from the cache it opened.
pub struct AppOptions {
    pub store: Store,
    pub keymap: Keymap,
    pub bidi: BidiState,
    pub clock: Clock,
    /// Changes are written to a cache.
    pub persistent: bool,
    /// Fetched bodies stay in memory once sent to the cache (only without a cache, as in the
    /// demo). Else they are moved into the cache's change instead of copied, and loaded back
    /// when an article is opened, like the bodies of restored articles: 50,000 fetched
    /// articles kept ~100 MB of HTML in the TUI's memory, and `akhbar refresh` copied it all
    /// only to drop it.
    pub keep_bodies: bool,
    /// Show only unread articles (a setting kept in the cache).
    pub unread_only: bool,
    /// A staged start-up is still reading cached articles (see [`Restore`]).
    pub restoring: bool,
    /// Articles restored from the cache without their bodies.
    pub needs_body: Vec<ArticleId>,
    /// The terminal's size until the first resize.
    pub size: (u16, u16),
    /// Feeds with `full_text = true` (their new articles' pages are fetched).
    pub full_text_feeds: Vec<FeedId>,
    /// Feeds with `notify = false` (their new articles are not counted for `notify`).
    pub quiet_feeds: Vec<FeedId>,
    /// The reader's measure, saving and piping (issue 11).
    pub reader: ReaderOptions,
    /// `player` from the config: the argv enclosures play with (empty: the browser).
    pub player: Vec<String>,
    /// Draw the reader's links as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Query feeds (config `[[query]]`).
    pub queries: Vec<crate::config::QueryConfig>,
}

/// The reader's settings from the config: its measure (the one to start with and the
/// config's, see `measure`), where `S` saves and in which format, and what `|` pipes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderOptions {
    pub measure: u16,
    pub configured_measure: u16,
    pub save_dir: std::path::PathBuf,
    pub save_format: crate::view::SaveFormat,
    /// argv of the `|` command (empty: none configured).
    pub pipe: Vec<String>,
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            measure: crate::view::DEFAULT_MEASURE,
            configured_measure: crate::view::DEFAULT_MEASURE,
            save_dir: std::path::PathBuf::from("."),
            save_format: crate::view::SaveFormat::Markdown,
            pipe: Vec::new(),
        }
    }
}

impl AppOptions {
    pub fn new(store: Store) -> AppOptions {
        AppOptions {
            store,
            keymap: Keymap::default(),
            bidi: BidiState::default(),
            clock: Clock::system(),
            persistent: false,
            keep_bodies: true,
            unread_only: false,
            restoring: false,
            needs_body: Vec::new(),
            size: (80, 24),
            full_text_feeds: Vec::new(),
            quiet_feeds: Vec::new(),
            reader: ReaderOptions::default(),
            player: Vec::new(),
            hyperlinks: false,
            queries: Vec::new(),
        }
    }
}

/// Where `S` saves, how, and what `|` pipes to (from the config).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ExportOptions {
    pub dir: std::path::PathBuf,
    pub format: crate::view::SaveFormat,
    pub pipe: Vec<String>,
}

/// Where article bodies live and what is saved.
#[derive(Debug)]
pub(super) struct Residency {
    pub persistent: bool,
    pub keep_bodies: bool,
    /// Articles whose bodies are in the cache only (loaded when opened).
    pub needs_body: HashSet<ArticleId>,
}

/// A staged start-up: poll results wait while cached articles are still being read (an
/// article not restored yet would look new), and "mark all read" is remembered so it also
/// applies to the articles still to come.
#[derive(Debug, Default)]
pub(super) struct Restore {
    pub restoring: bool,
    /// The scopes (filter, search) marked read while restoring.
    pub marked: Vec<(SidebarRow, Option<String>)>,
    /// A restore failed: retention must not run (it needs every feed's keys).
    pub failed: bool,
}

/// What the derived views were computed from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ViewKey {
    pub articles: u64,
    /// Only when the view depends on flags (unread only, starred).
    pub flags: Option<u64>,
    pub filter: Option<SidebarRow>,
    pub unread_only: bool,
    pub search: Option<String>,
    /// The search's requests and answer (see `search`).
    pub search_gen: (u64, u64, bool),
    /// The open article stays in an unread-only view while open.
    pub open: Option<ArticleId>,
    /// The session's filter (`l`), as written.
    pub view_filter: Option<String>,
}

/// A refresh the user asked for (`r`, `R`): its result is told when its last feed is done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ManualRefresh {
    /// What was refreshed, as the message names it ("Daily", "#world", "all feeds").
    pub label: String,
    pub pending: BTreeSet<FeedId>,
    pub feeds: usize,
    pub new: usize,
    pub failed: Vec<String>,
}

/// Counters of the work the derived views cost, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Headline views computed (each a pass over every article).
    pub view_computes: u64,
    pub sidebar_computes: u64,
    pub ticker_updates: u64,
    /// Reader layouts requested and replaced by a newer request before they started.
    pub layouts_dropped: u64,
    /// Passes counting the query feeds' matches.
    pub query_computes: u64,
}

/// All state of the reader.
pub struct App {
    pub(super) store: Store,
    pub(super) keymap: Keymap,
    pub(super) clock: Clock,
    /// The wall-clock time of the last update (views format dates against it).
    pub(super) wall: DateTime<Utc>,
    pub(super) now: Instant,
    pub(super) geometry: Geometry,
    pub(super) focus: Focus,
    pub(super) sidebar: Vec<SidebarRow>,
    pub(super) feeds_cursor: Cursor,
    pub(super) filter: SidebarRow,
    pub(super) unread_only: bool,
    /// The applied search.
    pub(super) search: Option<String>,
    /// The searches applied this session, oldest first (the prompt's Up/Down).
    pub(super) search_history: Vec<String>,
    /// The applied search's state at the index.
    pub(super) isearch: super::search::IndexSearch,
    pub(super) overlay: Overlay,
    /// The headline list: article ids in view, newest first.
    pub(super) view: Vec<ArticleId>,
    pub(super) view_key: Option<ViewKey>,
    pub(super) sidebar_key: Option<u64>,
    pub(super) ticker_key: Option<(u64, u64)>,
    pub(super) headlines: Cursor,
    pub(super) reader: ReaderState,
    pub(super) full: FullTexts,
    pub(super) ticker: Ticker,
    pub(super) bidi: BidiState,
    pub(super) status: Option<(String, Instant)>,
    /// Every status message of the session (the newest last), for the messages overlay.
    pub(super) messages: std::collections::VecDeque<(DateTime<Utc>, String)>,
    pub(super) last_refresh: Option<DateTime<Utc>>,
    /// Feeds being fetched right now.
    pub(super) loading: BTreeSet<FeedId>,
    pub(super) manual: Option<ManualRefresh>,
    /// The round of fetches under way, for `notify`.
    pub(super) round: super::round::Round,
    pub(super) residency: Residency,
    pub(super) restore: Restore,
    /// The cache's last save error, shown until a save works again.
    pub(super) save_error: Option<String>,
    /// The search index being built: (articles indexed, articles in all).
    pub(super) indexing: Option<(u64, u64)>,
    pub(super) sync: super::sync::SyncState,
    /// The articles the last mark-all changed, for `U`.
    pub(super) last_mark_all: Option<Vec<ArticleId>>,
    pub(super) queries: super::query::Queries,
    /// The session's filter (`l`) over the headline list.
    pub(super) view_filter: super::filter_view::ViewFilter,
    pub(super) quit: bool,
    /// The user has pressed a key: from then on the cursor follows its article when newer
    /// ones arrive above it; before, it stays on the newest (the list filling in at start-up
    /// must not carry it down).
    pub(super) touched: bool,
    /// Something changed since the last frame.
    pub(super) dirty: bool,
    pub(super) stats: Stats,
    /// The config's `reader_width` (the kept measure is stored with it, see `measure`).
    pub(super) configured_measure: u16,
    /// Where `S` saves, how, and what `|` pipes to.
    pub(super) export: ExportOptions,
    pub(super) media: super::media::Media,
}

impl App {
    pub fn new(opts: AppOptions) -> App {
        let now = Instant::now();
        let mut app = App {
            store: opts.store,
            keymap: opts.keymap,
            wall: opts.clock.now(),
            clock: opts.clock,
            now,
            geometry: Geometry::of_size(opts.size.0, opts.size.1).with_measure(opts.reader.measure),
            focus: Focus::Headlines,
            sidebar: Vec::new(),
            feeds_cursor: Cursor::default(),
            filter: SidebarRow::All,
            unread_only: opts.unread_only,
            search: None,
            isearch: Default::default(),
            search_history: Vec::new(),
            overlay: Overlay::None,
            view: Vec::new(),
            view_key: None,
            sidebar_key: None,
            ticker_key: None,
            headlines: Cursor::default(),
            reader: ReaderState::default(),
            full: FullTexts::new(opts.full_text_feeds),
            ticker: Ticker::new(now),
            bidi: opts.bidi,
            status: None,
            messages: Default::default(),
            last_refresh: None,
            loading: BTreeSet::new(),
            manual: None,
            round: super::round::Round::new(opts.quiet_feeds),
            residency: Residency {
                persistent: opts.persistent,
                keep_bodies: opts.keep_bodies,
                needs_body: opts.needs_body.into_iter().collect(),
            },
            restore: Restore {
                restoring: opts.restoring,
                ..Restore::default()
            },
            save_error: None,
            indexing: None,
            sync: Default::default(),
            last_mark_all: None,
            queries: Default::default(),
            view_filter: Default::default(),
            quit: false,
            touched: false,
            dirty: true,
            stats: Stats::default(),
            configured_measure: opts.reader.configured_measure,
            export: ExportOptions {
                dir: opts.reader.save_dir,
                format: opts.reader.save_format,
                pipe: opts.reader.pipe,
            },
            media: super::media::Media {
                player: opts.player,
                hyperlinks: opts.hyperlinks,
                choosing: None,
            },
        };
        app.set_queries(opts.queries);
        app.refresh_derived();
        app
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn text_options(&self) -> TextOptions {
        self.bidi.text_options()
    }

    pub fn bidi(&self) -> &BidiState {
        &self.bidi
    }

    /// The wall-clock time of the last update.
    pub fn wall_now(&self) -> DateTime<Utc> {
        self.wall
    }

    pub fn zone(&self) -> Zone {
        self.clock.zone()
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn sidebar(&self) -> &[SidebarRow] {
        &self.sidebar
    }

    pub fn feeds_cursor(&self) -> Cursor {
        self.feeds_cursor
    }

    /// The feed-list row whose articles the headline list shows.
    pub fn filter(&self) -> &SidebarRow {
        &self.filter
    }

    pub fn unread_only(&self) -> bool {
        self.unread_only
    }

    /// The applied search, if any.
    pub fn search(&self) -> Option<&str> {
        self.search.as_deref()
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The headline list: article ids newest first.
    pub fn view(&self) -> &[ArticleId] {
        &self.view
    }

    pub fn headlines(&self) -> Cursor {
        self.headlines
    }

    /// The open article, if any.
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.open.as_ref()
    }

    /// Whether the reader shows the open article's full text (from its page).
    pub fn showing_full_text(&self) -> bool {
        self.reader
            .open
            .as_ref()
            .is_some_and(|r| self.layout_key(r.article).full)
    }

    /// Whether the full text of an article is being fetched.
    pub fn full_text_pending(&self, id: ArticleId) -> bool {
        self.full.is_fetching(id)
    }

    /// Whether a reader layout is running or waiting.
    pub fn layout_pending(&self) -> bool {
        self.reader.is_pending()
    }

    pub fn ticker(&self) -> &Ticker {
        &self.ticker
    }

    /// The transient status message, if one is showing.
    pub fn status_message(&self) -> Option<&str> {
        self.status.as_ref().map(|(m, _)| m.as_str())
    }

    /// The session's messages with their times, oldest first.
    pub fn messages(&self) -> impl DoubleEndedIterator<Item = &(DateTime<Utc>, String)> {
        self.messages.iter()
    }

    pub fn last_refresh(&self) -> Option<DateTime<Utc>> {
        self.last_refresh
    }

    /// Feeds being fetched right now.
    pub fn loading(&self) -> &BTreeSet<FeedId> {
        &self.loading
    }

    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// How far the search index is built, while it is: (indexed, all).
    pub fn indexing(&self) -> Option<(u64, u64)> {
        self.indexing
    }

    /// Whether a staged start-up is still reading the cache.
    pub fn is_restoring(&self) -> bool {
        self.restore.restoring
    }

    /// Whether changes are written to a cache.
    pub fn is_persistent(&self) -> bool {
        self.residency.persistent
    }

    /// Whether the article's bodies are in the cache only.
    pub fn needs_body(&self, id: ArticleId) -> bool {
        self.residency.needs_body.contains(&id)
    }

    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// Whether something changed since the last frame; the caller draws and clears it.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn mark_drawn(&mut self) {
        self.dirty = false;
    }

    pub fn stats(&self) -> Stats {
        Stats {
            layouts_dropped: self.reader.dropped(),
            ..self.stats
        }
    }

    pub(super) fn generations(&self) -> Generations {
        self.store.generations()
    }

    /// The layout key the open article (or `id`) needs now.
    pub(super) fn layout_key(&self, id: ArticleId) -> LayoutKey {
        let feed = self.store.article(id).map(|a| a.feed);
        LayoutKey {
            article: id,
            width: self.geometry.reader_text().width,
            opts: self.text_options(),
            full: feed.is_some_and(|f| self.full.shown(id, f)),
            matches: if self.search.is_some() {
                self.isearch.seq
            } else {
                0
            },
        }
    }
}
