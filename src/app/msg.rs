//! The app's message protocol: `Msg` is everything that can happen to the app, `Cmd`
//! everything it asks the runtime to do. A reader layout is a job the runtime runs off the
//! render loop; the job owns copies of what it needs.

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::clock::Zone;
use crate::model::{Article, FeedId, PollEvent};
use crate::persist::{Change, PersistEvent};
use crate::store::{ArticleId, Feed};
use crate::text::{BidiMode, TextOptions};
use crate::view::{ReaderLine, layout_article_marked, message_lines};

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or the wheel (when `mouse` is on).
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    Poll(PollEvent),
    /// Time passes: the ticker moves, messages expire.
    Tick(Instant),
    /// A transient message for the status line (e.g. the browser could not start).
    Notice(String),
    /// The cache's writer reports.
    Persist(PersistEvent),
    /// A reader layout job finished.
    LaidOut {
        key: LayoutKey,
        /// Which request this answers (see the reader's layout slot).
        seq: u64,
        lines: Arc<Vec<ReaderLine>>,
    },
    /// A part of the cached articles a staged start-up reads after the first frame.
    Restored(Vec<Article>),
    /// The staged start-up has read the whole cache (or failed to: the reason).
    RestoreDone(Result<(), String>),
    /// The sync worker reports.
    Sync(crate::sync::SyncEvent),
    /// The index answered a search (`seq` says which request).
    Searched {
        seq: u64,
        query: String,
        result: Result<crate::persist::SearchResults, String>,
    },
    /// An article's full text: fetched from its page and extracted (`stored` false), or
    /// read from the cache (`stored` true); `Err` says why there is none.
    FullText {
        id: ArticleId,
        result: Result<crate::model::FullText, String>,
        stored: bool,
    },
    /// The config file was read again: its keys (the theme is already installed), and what
    /// the status line says about it.
    Reconfigured {
        keys: Vec<(crate::action::Action, Vec<String>)>,
        note: String,
    },
    /// A config reload's feeds (sent before its `Reconfigured`): added ones are polled,
    /// removed ones are no longer, changed ones take their new settings.
    FeedsConfigured(Vec<crate::config::FeedConfig>),
    /// The query feeds (config `[[query]]`) as the config now says (a reload).
    Queries(Vec<crate::config::QueryConfig>),
    /// Bodies of an article restored from the cache arrived.
    BodyLoaded {
        id: ArticleId,
        summary_html: Option<String>,
        content_html: Option<String>,
    },
    /// `S` saved the article to this file, or could not (why).
    Saved(Result<std::path::PathBuf, String>),
    /// `|` piped the article to this command (its name), which succeeded or failed (why).
    Piped {
        command: String,
        result: Result<(), String>,
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
    /// Draw the whole screen again (the terminal may hold another program's output).
    Redraw,
    /// Read the config file again (`Ctrl-R`); the terminal layer owns the config.
    ReloadConfig,
    /// Open the config file in the user's editor, then read it again (`E`).
    EditConfig,
    /// Read state changed.
    ReadChanged(Vec<ArticleId>),
    StarChanged(ArticleId),
    /// Something to write to the cache.
    Save(Change),
    /// Lay an article out for the reader (off the render loop).
    Layout(Box<LayoutJob>),
    /// Fetch an article's page and extract its full text (off the render loop); answered
    /// by `Msg::FullText`.
    FetchFullText {
        id: ArticleId,
        url: String,
    },
    /// Fetch the bodies (and the kept full text) of an article restored from the cache
    /// without them.
    LoadBody {
        id: ArticleId,
        feed_url: String,
        key: String,
    },
    /// Local read/star changes of synced articles, for the server (article, state, value).
    SyncMarks(Vec<(crate::sync::ArticleId, crate::persist::MarkKind, bool)>),
    /// Ask the sync server for what is new (one feed: TT-RSS's `updateFeed` first).
    SyncRefresh(Option<crate::sync::RemoteFeedId>),
    /// Search the cache's index (off the render loop; a newer search replaces a waiting one).
    Search {
        seq: u64,
        query: String,
    },
    /// The poller's feeds are now these (a config reload changed them).
    PollFeeds(Vec<crate::model::FeedSource>),
    /// A round of fetches brought new articles: run the `notify` program, tell the terminal.
    Notify(NewArticles),
    /// Save the open article to a file, or pipe it to a command (off the render loop);
    /// answered by `Msg::Saved` / `Msg::Piped`.
    Export(Box<ExportJob>),
    Quit,
    /// Play an enclosure: the player's argv with the URL in it, started detached (no shell).
    Play {
        argv: Vec<String>,
    },
}

/// What a round of fetches brought (feeds with `notify = false` not counted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewArticles {
    /// New articles in all.
    pub new: usize,
    /// The names of the feeds they came from, in config order.
    pub feeds: Vec<String>,
    /// Unread articles in the whole store afterwards.
    pub unread: usize,
}

/// Where an exported article goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportTarget {
    /// A new file in this directory, named from the title, never over another.
    File {
        dir: std::path::PathBuf,
        format: crate::view::SaveFormat,
    },
    /// A command's standard input (argv, no shell), as plain text.
    Pipe(Vec<String>),
}

/// An article to save or pipe: owns copies of what the export needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportJob {
    /// The article as the reader shows it (the full text in its body when that shows).
    pub article: Article,
    pub feed: Option<Feed>,
    pub zone: Zone,
    pub target: ExportTarget,
}

/// What a reader layout depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayoutKey {
    pub article: ArticleId,
    pub width: u16,
    pub opts: TextOptions,
    /// The full text from the article's page, not the feed's.
    pub full: bool,
    /// The search whose words are highlighted (its request number; 0: none).
    pub matches: u64,
}

/// A reader layout to compute off the render loop: owns copies of what it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutJob {
    pub key: LayoutKey,
    pub seq: u64,
    pub article: Article,
    pub feed: Option<Feed>,
    pub zone: Zone,
    /// The search query whose words are highlighted (see `LayoutKey::matches`).
    pub query: Option<String>,
}

impl LayoutJob {
    /// Does the work (HTML to paragraphs, bidi layout) and returns the message for the app.
    pub fn run(self) -> Msg {
        let key = self.key;
        let lines = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            layout_article_marked(
                &self.article,
                self.feed.as_ref(),
                key.width as usize,
                &key.opts,
                self.zone,
                self.query.as_deref(),
            )
        }))
        .unwrap_or_else(|_| {
            message_lines("This article could not be laid out; the log has the details.")
        });
        Msg::LaidOut {
            key,
            seq: self.seq,
            lines: Arc::new(lines),
        }
    }
}
