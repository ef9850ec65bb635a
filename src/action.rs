//! The one table of user actions: name, default keys, help text and where each applies.
//! The help overlay, the keymap and the config's `[keys]` section all read it.

/// Where an action applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everywhere (while typing a search only `quit-now`; in the help, the moves scroll it
    /// and `back`, `quit` and `help` close it).
    Global,
    /// The feed list and the headline list.
    List,
    /// The article reader.
    Reader,
}

/// Everything a key can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    /// Quits from anywhere, also from the search prompt and the help.
    QuitNow,
    FocusNext,
    NextUnread,
    PrevUnread,
    ToggleRead,
    MarkAllRead,
    UndoMarkAll,
    ToggleStar,
    ToggleUnreadOnly,
    Refresh,
    RefreshAll,
    OpenInBrowser,
    /// Plays the article's enclosure (asks which when it has several).
    Play,
    Search,
    PauseTicker,
    CycleBidi,
    Redraw,
    ReloadConfig,
    EditConfig,
    Messages,
    /// Fetches the open article's page for its full text, or switches back and forth.
    FullText,
    /// Opens link N of the open article (`1`-`9`: the key is the number).
    OpenLink,
    Help,
    /// Asks for a link's number (10 and up) and opens that link.
    LinkNumber,
    /// The reader's text column a step wider / narrower (the measure).
    Wider,
    Narrower,
    /// A page down in the reader; at the end, the next unread article.
    PageForward,
    /// A page up in the reader.
    PageBack,
    /// Saves the open article to `save_dir`.
    SaveArticle,
    /// Pipes the open article's text to the `pipe` command.
    PipeArticle,
    /// A filter-language prompt limiting the lists for the session (`l`).
    Filter,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct ActionSpec {
    pub action: Action,
    /// The name used in the config's `[keys]` section.
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub help: &'static str,
    pub scope: Scope,
}

macro_rules! spec {
    ($a:ident, $name:literal, [$($k:literal),*], $scope:ident, $help:literal) => {
        ActionSpec { action: Action::$a, name: $name, keys: &[$($k),*], help: $help, scope: Scope::$scope }
    };
}

/// The table. Order is the order of the help overlay.
pub const ACTIONS: &[ActionSpec] = &[
    spec!(Up, "up", ["k", "<Up>"], Global, "move up / scroll up"),
    spec!(
        Down,
        "down",
        ["j", "<Down>"],
        Global,
        "move down / scroll down"
    ),
    spec!(
        PageUp,
        "page-up",
        ["<PageUp>", "<C-b>"],
        Global,
        "one page up"
    ),
    spec!(
        PageDown,
        "page-down",
        ["<PageDown>", "<C-f>"],
        Global,
        "one page down"
    ),
    spec!(Top, "top", ["g", "<Home>"], Global, "go to the top"),
    spec!(Bottom, "bottom", ["G", "<End>"], Global, "go to the bottom"),
    spec!(Open, "open", ["<Enter>"], List, "open the feed or article"),
    spec!(Back, "back", ["<Esc>", "q"], Reader, "back to the list"),
    spec!(Quit, "quit", ["q"], List, "quit akhbar"),
    spec!(
        QuitNow,
        "quit-now",
        ["<C-c>"],
        Global,
        "quit at once, from anywhere"
    ),
    spec!(
        FocusNext,
        "focus-next",
        ["<Tab>"],
        List,
        "switch between feeds and headlines"
    ),
    spec!(
        NextUnread,
        "next-unread",
        ["n"],
        Global,
        "next unread / search match"
    ),
    spec!(
        PrevUnread,
        "prev-unread",
        ["N"],
        Global,
        "previous unread / search match"
    ),
    spec!(
        ToggleRead,
        "toggle-read",
        ["m"],
        Global,
        "mark read / unread"
    ),
    spec!(
        MarkAllRead,
        "mark-all-read",
        ["A"],
        List,
        "mark everything in view read (asks first beyond one feed)"
    ),
    spec!(
        UndoMarkAll,
        "undo-mark-all",
        ["U"],
        List,
        "undo the last mark-all: its articles are unread again"
    ),
    spec!(
        ToggleStar,
        "toggle-star",
        ["s"],
        Global,
        "star / unstar the article"
    ),
    spec!(
        ToggleUnreadOnly,
        "toggle-unread-only",
        ["u"],
        List,
        "show only unread articles"
    ),
    spec!(
        Refresh,
        "refresh",
        ["r"],
        Global,
        "refresh the selected feed"
    ),
    spec!(
        RefreshAll,
        "refresh-all",
        ["R"],
        Global,
        "refresh all feeds"
    ),
    spec!(
        OpenInBrowser,
        "open-in-browser",
        ["o"],
        Global,
        "open the article's link in the browser"
    ),
    spec!(
        Play,
        "play",
        ["p"],
        Global,
        "play the article's enclosure (player, else the browser)"
    ),
    spec!(Search, "search", ["/"], List, "search titles"),
    spec!(
        PauseTicker,
        "pause-ticker",
        ["<Space>"],
        List,
        "pause / resume the ticker"
    ),
    spec!(
        CycleBidi,
        "cycle-bidi",
        ["B"],
        Global,
        "cycle right-to-left mode: app, terminal, off"
    ),
    spec!(Redraw, "redraw", ["<C-l>"], Global, "redraw the screen"),
    spec!(
        ReloadConfig,
        "reload-config",
        ["<C-r>"],
        Global,
        "read the config file again (also on SIGHUP)"
    ),
    spec!(
        EditConfig,
        "edit-config",
        ["E"],
        List,
        "edit the config in $VISUAL / $EDITOR, then read it again"
    ),
    spec!(
        Messages,
        "messages",
        ["M"],
        Global,
        "the messages of this session, in full"
    ),
    spec!(
        FullText,
        "full-text",
        ["F"],
        Reader,
        "full text from the page / the feed's text"
    ),
    spec!(
        OpenLink,
        "open-link",
        ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
        Reader,
        "open link 1-9 of the article"
    ),
    spec!(
        LinkNumber,
        "link-number",
        ["#", "0"],
        Reader,
        "open link number N: type it, then Enter"
    ),
    spec!(
        Wider,
        "wider",
        ["+", "="],
        Reader,
        "widen the text column (kept between runs)"
    ),
    spec!(
        Narrower,
        "narrower",
        ["-"],
        Reader,
        "narrow the text column (kept between runs)"
    ),
    spec!(
        PageForward,
        "page-forward",
        ["<Space>"],
        Reader,
        "one page down; at the end, the next unread article"
    ),
    spec!(PageBack, "page-back", ["b"], Reader, "one page up"),
    spec!(
        SaveArticle,
        "save-article",
        ["S"],
        Reader,
        "save the article to save_dir (Markdown or text)"
    ),
    spec!(
        PipeArticle,
        "pipe-article",
        ["|"],
        Reader,
        "pipe the article's text to the `pipe` command"
    ),
    spec!(Help, "help", ["?"], Global, "show / hide this help"),
    spec!(
        Filter,
        "filter",
        ["l"],
        List,
        "limit the list to a filter (empty: all)"
    ),
];

/// The row of an action.
pub fn spec(action: Action) -> &'static ActionSpec {
    ACTIONS
        .iter()
        .find(|s| s.action == action)
        .expect("every action has a row")
}

/// Looks an action up by its config name.
pub fn by_name(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_exactly_one_row_with_a_unique_name() {
        let mut names: Vec<_> = ACTIONS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ACTIONS.len());
        assert_eq!(spec(Action::Quit).keys, ["q"]);
        assert_eq!(by_name("pause-ticker").unwrap().action, Action::PauseTicker);
        assert!(by_name("nope").is_none());
    }
}
