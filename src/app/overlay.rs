//! What lies over the lists and the reader: nothing, the help (with its scroll) or the
//! search prompt (with its input). One type, so which one has the keys is never in doubt.

use super::line_input::LineInput;

/// The overlay in front, which gets the keys first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Overlay {
    #[default]
    None,
    /// The `?` help, scrolled by this many lines.
    Help { scroll: usize },
    /// The search prompt being typed.
    Search(LineInput),
    /// The session's messages, newest first, scrolled by this many lines.
    Messages { scroll: usize },
    /// The session filter's prompt (`l`) being typed.
    Filter(LineInput),
    /// "mark 687 articles read? y/n": `unread` is how many the answer `y` marks.
    Confirm { unread: usize },
    /// The reader's `#` (or `0`) prompt: the number of the link to open, being typed.
    LinkNumber(LineInput),
}
