//! What lies over the lists and the reader: nothing, the help (with its scroll) or the
//! search prompt (with its input). One type, so which one has the keys is never in doubt.

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
    /// "mark 687 articles read? y/n": `unread` is how many the answer `y` marks.
    Confirm { unread: usize },
}

/// A line being typed: the text and the cursor, in characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
}

impl LineInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn insert(&mut self, c: char) {
        self.text.push(c);
    }

    pub fn delete_back(&mut self) {
        self.text.pop();
    }
}
