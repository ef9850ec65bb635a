//! Colours and text styles used by the views, in one place: a [`Theme`] (one style per
//! [`Element`]), the one the screen uses now, and the functions the views call
//! (`theme::unread()`), each reading the current theme.
//!
//! The current theme is process-wide because laid-out lines (the reader's article, the
//! ticker's runs) are built off the render loop with their styles; a test sets its own with
//! [`scoped`], seen only by its thread.

mod color;

use std::cell::RefCell;
use std::sync::{Arc, RwLock};

use ratatui::style::{Color, Modifier, Style};

use crate::text::doc::Role;
pub use color::{ColorSupport, parse_color, parse_style};

macro_rules! elements {
    ($($variant:ident $name:literal $default:literal $doc:literal;)*) => {
        /// A part of the screen with its own style (its name is the `[theme]` key).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Element {
            $(#[doc = $doc] $variant,)*
        }

        impl Element {
            pub const ALL: &[Element] = &[$(Element::$variant,)*];

            /// The name written in `[theme]`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Element::$variant => $name,)*
                }
            }

            /// The default palette's entry: 16 colours, readable on dark and light
            /// backgrounds (no white or yellow text on the terminal's own background).
            fn default_spec(self) -> &'static str {
                match self {
                    $(Element::$variant => $default,)*
                }
            }
        }
    };
}

elements! {
    Selected "selected" "reverse" "The row under the cursor in the focused list.";
    SelectedUnfocused "selected_unfocused" "underline" "The headline under the cursor while the feed list has the keys.";
    Unread "unread" "bold" "An unread headline, a feed with unread articles.";
    Read "read" "default" "A read headline.";
    Feed "feed" "cyan" "A feed's name beside a headline and in the reader.";
    Active "active" "magenta bold" "The feed, tag or view the headlines are filtered by.";
    Date "date" "bright-black" "Dates in the headline list.";
    Ticker "ticker" "white on red" "The ticker strip.";
    TickerFeed "ticker_feed" "bright-yellow on red bold" "A feed's name on the ticker.";
    TickerSeparator "ticker_separator" "white on red" "Between a feed's name and its headline on the ticker.";
    TickerPaused "ticker_paused" "black on white" "The ticker strip while paused.";
    Status "status" "black on white" "The status line.";
    Error "error" "red" "Errors: a failed feed, a failed load.";
    Title "title" "bold" "An article's title in the reader.";
    Heading "heading" "bold underline" "Headings in an article.";
    Meta "meta" "bright-black" "An article's author, date and tags; notes beside the text.";
    Link "link" "blue underline" "Links in an article.";
    Quote "quote" "italic" "Quoted text in an article.";
    Code "code" "green" "Code in an article.";
    SearchMatch "search_match" "black on yellow" "A search match.";
    Help "help" "default" "The help screen's text.";
    HelpKeys "help_keys" "magenta bold" "Keys on the help screen.";
    Border "border" "bright-black" "Frames and separators.";
    Dim "dim" "bright-black" "Secondary text: hints, counts, times.";
}

/// One style per element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    styles: Vec<Style>,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            styles: Element::ALL
                .iter()
                .map(|e| parse_style(e.default_spec()).expect("the default palette parses"))
                .collect(),
        }
    }
}

impl Theme {
    pub fn get(&self, e: Element) -> Style {
        self.styles[e as usize]
    }

    pub fn set(&mut self, e: Element, style: Style) {
        self.styles[e as usize] = style;
    }

    /// The theme as this terminal can show it: truecolor and 256-colour values brought down
    /// to what it announces; no colour at all for [`ColorSupport::None`] (`NO_COLOR`), where
    /// bold, reverse and the other modifiers stay so the selection is still visible.
    pub fn for_terminal(mut self, support: ColorSupport) -> Theme {
        for s in &mut self.styles {
            *s = support.adapt(*s);
        }
        self
    }
}

/// An element by its `[theme]` name.
pub fn element(name: &str) -> Option<Element> {
    Element::ALL.iter().copied().find(|e| e.name() == name)
}

static CURRENT: RwLock<Option<Arc<Theme>>> = RwLock::new(None);

thread_local! {
    static SCOPED: RefCell<Option<Arc<Theme>>> = const { RefCell::new(None) };
}

/// Makes `theme` the one every view uses from now on (the TUI, at start and on reload).
pub fn install(theme: Theme) {
    let mut slot = CURRENT.write().unwrap_or_else(|e| e.into_inner());
    *slot = Some(Arc::new(theme));
}

/// Runs `f` with `theme` as the current theme on this thread only (tests render with a theme
/// without disturbing the tests beside them).
pub fn scoped<R>(theme: Theme, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Arc<Theme>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            SCOPED.with(|s| *s.borrow_mut() = previous);
        }
    }
    let previous = SCOPED.with(|s| s.borrow_mut().replace(Arc::new(theme)));
    let _reset = Reset(previous);
    f()
}

/// The style of `e` in the current theme.
pub fn style(e: Element) -> Style {
    if let Some(s) = SCOPED.with(|s| s.borrow().as_ref().map(|t| t.get(e))) {
        return s;
    }
    let slot = CURRENT.read().unwrap_or_else(|e| e.into_inner());
    match slot.as_ref() {
        Some(t) => t.get(e),
        None => DEFAULT.with(|t| t.get(e)),
    }
}

thread_local! {
    static DEFAULT: Theme = Theme::default();
}

pub fn ticker() -> Style {
    style(Element::Ticker)
}
pub fn ticker_feed() -> Style {
    style(Element::TickerFeed)
}
pub fn ticker_separator() -> Style {
    style(Element::TickerSeparator)
}
pub fn ticker_paused() -> Style {
    style(Element::TickerPaused)
}
pub fn selected() -> Style {
    style(Element::Selected)
}
pub fn unread() -> Style {
    style(Element::Unread)
}
pub fn read() -> Style {
    style(Element::Read)
}
pub fn active() -> Style {
    style(Element::Active)
}
pub fn dim() -> Style {
    style(Element::Dim)
}
pub fn date() -> Style {
    style(Element::Date)
}
pub fn meta() -> Style {
    style(Element::Meta)
}
pub fn feed_name() -> Style {
    style(Element::Feed)
}
pub fn error() -> Style {
    style(Element::Error)
}
pub fn title() -> Style {
    style(Element::Title)
}
pub fn heading() -> Style {
    style(Element::Heading)
}
pub fn quote() -> Style {
    style(Element::Quote)
}
pub fn code() -> Style {
    style(Element::Code)
}
pub fn link() -> Style {
    style(Element::Link)
}
pub fn search_match() -> Style {
    style(Element::SearchMatch)
}
pub fn status() -> Style {
    style(Element::Status)
}
pub fn border() -> Style {
    style(Element::Border)
}
pub fn help() -> Style {
    style(Element::Help)
}
pub fn help_keys() -> Style {
    style(Element::HelpKeys)
}
/// The headline under the cursor while the feed list has the keys.
pub fn selected_unfocused() -> Style {
    style(Element::SelectedUnfocused)
}

/// Whether a style sets a colour (for tests of `NO_COLOR`).
pub fn has_color(s: Style) -> bool {
    let set = |c: Option<Color>| c.is_some_and(|c| c != Color::Reset);
    set(s.fg) || set(s.bg) || set(s.underline_color)
}

/// Modifiers a style string may name, in the order they are written back.
pub(crate) const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("reverse", Modifier::REVERSED),
    ("dim", Modifier::DIM),
];

/// The style of each role of an article's text: the one place the reader's body gets its
/// colours from (the layout carries roles, never styles).
pub fn role(role: Role) -> Style {
    match role {
        Role::Text => Style::new(),
        Role::Heading => heading(),
        Role::Quote => quote(),
        Role::Strong => Style::new().add_modifier(Modifier::BOLD),
        Role::Emphasis => Style::new().add_modifier(Modifier::ITALIC),
        Role::Code => code(),
        Role::Link => link(),
        Role::LinkNumber => dim(),
        Role::Media => Style::new().fg(Color::Magenta),
        Role::Dim => dim(),
        Role::Marker => Style::new().fg(Color::Cyan),
        Role::Border | Role::Rule => border(),
        Role::TableHeader => Style::new().add_modifier(Modifier::BOLD),
        Role::Match => search_match(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_has_a_distinct_name_and_a_default() {
        let t = Theme::default();
        let mut names: Vec<&str> = Element::ALL.iter().map(|e| e.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Element::ALL.len());
        assert_eq!(
            t.get(Element::Selected),
            Style::new().add_modifier(Modifier::REVERSED)
        );
        assert_eq!(element("search_match"), Some(Element::SearchMatch));
        assert_eq!(element("nope"), None);
    }

    #[test]
    fn a_scoped_theme_is_seen_on_its_thread_and_undone_after() {
        let mut t = Theme::default();
        t.set(Element::Unread, Style::new().fg(Color::Indexed(42)));
        let inside = scoped(t, unread);
        assert_eq!(inside.fg, Some(Color::Indexed(42)));
        assert_eq!(unread(), Style::new().add_modifier(Modifier::BOLD));
    }

    #[test]
    fn the_default_palette_writes_no_light_text_on_the_terminal_background() {
        let t = Theme::default();
        for &e in Element::ALL {
            let s = t.get(e);
            if s.bg.is_none() {
                assert!(
                    !matches!(
                        s.fg,
                        Some(Color::White | Color::Gray | Color::Yellow | Color::LightYellow)
                    ),
                    "{} is light text on the terminal's own background",
                    e.name()
                );
            }
        }
    }
}
