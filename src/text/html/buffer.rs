//! The text of the block being built, in logical order: HTML whitespace collapsing (a run of
//! spaces is one space, none at the start of a block or a line), line breaks, and whether
//! anything visible was written.

use crate::text::doc::{Role, StyledText};

use super::tags::{is_html_space, is_visible};

#[derive(Default)]
pub(super) struct TextBuffer {
    text: StyledText,
    has_text: bool,
    /// A collapsed run of whitespace not yet written, and the role where it began (a space
    /// before a link is not part of the link).
    pending_space: bool,
    pending_role: Role,
    /// Visible characters written so far, over all blocks (whether a link had any text).
    visible: u64,
}

impl TextBuffer {
    /// Something visible was written since the last [`Self::take`].
    pub(super) fn has_text(&self) -> bool {
        self.has_text
    }

    pub(super) fn visible(&self) -> u64 {
        self.visible
    }

    pub(super) fn ends_with(&self, c: char) -> bool {
        self.text.as_str().ends_with(c)
    }

    fn at_line_start(&self) -> bool {
        self.text.as_str().ends_with([' ', '\n'])
    }

    /// Appends text as-is (separators, link numbers, preformatted text): no collapsing.
    pub(super) fn push_raw(&mut self, s: &str, role: Role) {
        self.text.push_str(s, role);
        for c in s.chars() {
            if is_visible(c) {
                self.has_text = true;
                self.visible += 1;
            }
        }
    }

    /// Appends a formatting character of ours (an isolate), never visible.
    pub(super) fn push_control(&mut self, c: char) {
        self.text.push(c, Role::Text);
    }

    /// Removes the last char.
    pub(super) fn pop(&mut self) {
        self.text.pop();
    }

    /// Appends text with HTML whitespace collapsing.
    pub(super) fn push_inline(&mut self, s: &str, role: Role) {
        for c in s.chars() {
            if is_html_space(c) {
                self.space(role);
                continue;
            }
            self.write_pending_space();
            self.text.push(c, role);
            if is_visible(c) {
                self.has_text = true;
                self.visible += 1;
            }
        }
    }

    /// Whitespace: collapsed with the whitespace around it.
    pub(super) fn space(&mut self, role: Role) {
        if !self.pending_space {
            self.pending_space = true;
            self.pending_role = role;
        }
    }

    /// Writes a pending space (before an isolate opens, so that the space stays outside it).
    pub(super) fn write_pending_space(&mut self) {
        if self.pending_space {
            if self.has_text && !self.at_line_start() {
                self.text.push(' ', self.pending_role);
            }
            self.pending_space = false;
        }
    }

    /// `<br>`: a new line (none at the start of the text).
    pub(super) fn line_break(&mut self, role: Role) {
        self.pending_space = false;
        if !self.has_text {
            return;
        }
        while self.text.as_str().ends_with(' ') {
            self.text.pop();
        }
        self.text.push('\n', role);
    }

    /// A new line unless the text is at the start of one (blocks inside a table cell).
    pub(super) fn soft_break(&mut self, role: Role) {
        if self.has_text && !self.ends_with('\n') {
            self.line_break(role);
        }
    }

    /// Takes the text written so far and whether any of it is visible; the buffer starts
    /// over with `reopen` (the isolates still open).
    pub(super) fn take(&mut self, reopen: impl Iterator<Item = char>) -> (StyledText, bool) {
        let text = std::mem::take(&mut self.text);
        let has_text = std::mem::replace(&mut self.has_text, false);
        self.pending_space = false;
        for c in reopen {
            self.push_control(c);
        }
        (text, has_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_and_none_starts_a_line() {
        let mut b = TextBuffer::default();
        b.push_inline("  a \n ", Role::Text);
        b.push_inline(" b", Role::Strong);
        b.line_break(Role::Text);
        b.push_inline(" c ", Role::Text);
        let (text, visible) = b.take(std::iter::empty());
        assert_eq!(text.as_str(), "a b\nc");
        assert!(visible);
        assert_eq!(
            text.role_at(1),
            Role::Text,
            "the space began outside the <b>"
        );
    }

    #[test]
    fn a_break_at_the_start_is_dropped_and_isolates_are_reopened() {
        let mut b = TextBuffer::default();
        b.line_break(Role::Text);
        b.push_control('\u{2067}');
        assert!(!b.has_text());
        let (_, visible) = b.take("\u{2066}".chars());
        assert!(!visible);
        b.push_inline("x", Role::Text);
        let (text, _) = b.take(std::iter::empty());
        assert_eq!(text.as_str(), "\u{2066}x");
        assert_eq!(b.visible(), 1);
    }
}
