//! The line editor of the prompts: a text with a cursor that moves by grapheme clusters
//! (a letter with its harakat, an emoji with its modifiers is one step), the usual keys
//! (Left/Right, Home/End, Ctrl-A/E, Ctrl-U, Ctrl-W, Backspace, Delete) and a history.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;

/// A line being typed: the text and the cursor, a byte offset on a grapheme boundary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
    /// While browsing the history: the entry shown (0 = newest) and the line typed before.
    browsing: Option<(usize, String)>,
}

/// What a key did to the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The text or the cursor changed (or the key was an editing key that had nothing to do).
    Edited,
    /// Not an editing key (Enter, Esc, ...): the prompt's owner handles it.
    Ignored,
}

impl LineInput {
    /// A line holding `text`, the cursor at its end.
    pub fn with_text(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.len(),
            browsing: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor: a byte offset in [`LineInput::text`], always on a grapheme boundary.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Inserts `c` at the cursor (a mark joins the letter before it: the cursor stays after
    /// the whole cluster).
    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        self.cursor = self.boundary_at_or_after(self.cursor);
    }

    /// Backspace: the grapheme before the cursor.
    pub fn delete_back(&mut self) {
        let start = self.prev_boundary(self.cursor);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete: the grapheme after the cursor.
    pub fn delete_forward(&mut self) {
        let end = self.next_boundary(self.cursor);
        self.text.replace_range(self.cursor..end, "");
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor);
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor);
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Ctrl-U: everything before the cursor.
    pub fn kill_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Ctrl-W: the word before the cursor, with the spaces after it (as a shell does).
    pub fn kill_word_back(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Up: the previous entry of `history` (oldest first), keeping the typed line to come
    /// back to.
    pub fn history_back(&mut self, history: &[String]) {
        let next = match &self.browsing {
            None => 0,
            Some((i, _)) => i + 1,
        };
        let Some(entry) = history.iter().rev().nth(next) else {
            return;
        };
        let typed = match self.browsing.take() {
            Some((_, typed)) => typed,
            None => std::mem::take(&mut self.text),
        };
        self.text = entry.clone();
        self.cursor = self.text.len();
        self.browsing = Some((next, typed));
    }

    /// Down: the next newer entry, or the line typed before browsing.
    pub fn history_forward(&mut self, history: &[String]) {
        let Some((i, typed)) = self.browsing.take() else {
            return;
        };
        if i == 0 {
            self.text = typed;
        } else {
            self.text = history.iter().rev().nth(i - 1).cloned().unwrap_or_default();
            self.browsing = Some((i - 1, typed));
        }
        self.cursor = self.text.len();
    }

    /// Applies an editing key; `history` answers Up and Down.
    pub fn on_key(&mut self, key: &KeyEvent, history: &[String]) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            KeyCode::Backspace => self.delete_back(),
            KeyCode::Delete => self.delete_forward(),
            KeyCode::Up => self.history_back(history),
            KeyCode::Down => self.history_forward(history),
            KeyCode::Char('a') if ctrl => self.home(),
            KeyCode::Char('e') if ctrl => self.end(),
            KeyCode::Char('u') if ctrl => self.kill_to_start(),
            KeyCode::Char('w') if ctrl => self.kill_word_back(),
            KeyCode::Char('b') if ctrl => self.left(),
            KeyCode::Char('f') if ctrl => self.right(),
            KeyCode::Char('h') if ctrl => self.delete_back(),
            KeyCode::Char(c) if !ctrl && !c.is_control() => self.insert(c),
            _ => return Edit::Ignored,
        }
        Edit::Edited
    }

    fn prev_boundary(&self, at: usize) -> usize {
        self.text[..at]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> usize {
        self.text[at..]
            .graphemes(true)
            .next()
            .map_or(at, |g| at + g.len())
    }

    /// The first grapheme boundary at or after `at` (a mark typed after a letter belongs to
    /// its cluster).
    fn boundary_at_or_after(&self, at: usize) -> usize {
        let mut pos = 0;
        for g in self.text.graphemes(true) {
            if pos >= at {
                return pos;
            }
            pos += g.len();
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut LineInput, code: KeyCode, mods: KeyModifiers) -> Edit {
        input.on_key(&KeyEvent::new(code, mods), &[])
    }

    fn typed(s: &str) -> LineInput {
        let mut l = LineInput::default();
        s.chars().for_each(|c| l.insert(c));
        l
    }

    /// The text with `|` at the cursor.
    fn shown(l: &LineInput) -> String {
        format!("{}|{}", &l.text()[..l.cursor()], &l.text()[l.cursor()..])
    }

    #[test]
    fn typing_appends_at_the_cursor() {
        let mut l = typed("ab");
        l.left();
        l.insert('x');
        assert_eq!(shown(&l), "ax|b");
    }

    #[test]
    fn left_and_right_step_over_a_letter_with_its_harakat_as_one() {
        // يُحَسِّنُ: every letter carries marks; each step crosses a letter and its marks.
        let mut l = typed("يُحَسِّنُ");
        l.left();
        assert_eq!(shown(&l), "يُحَسِّ|نُ");
        l.left();
        assert_eq!(shown(&l), "يُحَ|سِّنُ");
        l.right();
        assert_eq!(shown(&l), "يُحَسِّ|نُ");
        l.right();
        l.right();
        assert_eq!(shown(&l), "يُحَسِّنُ|", "Right stops at the end");
    }

    #[test]
    fn a_mark_typed_after_a_letter_keeps_the_cursor_after_the_cluster() {
        let mut l = typed("سن");
        l.left();
        l.insert('\u{0651}'); // shadda on the seen
        assert_eq!(shown(&l), "سّ|ن");
    }

    #[test]
    fn home_end_and_ctrl_a_e_go_to_the_ends() {
        let mut l = typed("hello");
        assert_eq!(
            press(&mut l, KeyCode::Home, KeyModifiers::NONE),
            Edit::Edited
        );
        assert_eq!(l.cursor(), 0);
        press(&mut l, KeyCode::End, KeyModifiers::NONE);
        assert_eq!(l.cursor(), 5);
        press(&mut l, KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert_eq!(l.cursor(), 0);
        press(&mut l, KeyCode::Char('e'), KeyModifiers::CONTROL);
        assert_eq!(l.cursor(), 5);
        assert_eq!(l.text(), "hello", "control keys type nothing");
    }

    #[test]
    fn backspace_and_delete_remove_one_grapheme_each() {
        let mut l = typed("a👍🏽bé");
        l.left();
        l.left();
        press(&mut l, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(shown(&l), "a|bé");
        press(&mut l, KeyCode::Delete, KeyModifiers::NONE);
        assert_eq!(shown(&l), "a|é");
        l.end();
        l.delete_forward();
        assert_eq!(shown(&l), "aé|");
        l.home();
        l.delete_back();
        assert_eq!(shown(&l), "|aé");
    }

    #[test]
    fn ctrl_u_kills_to_the_start() {
        let mut l = typed("one two");
        l.left();
        press(&mut l, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(shown(&l), "|o");
    }

    #[test]
    fn ctrl_w_kills_the_word_before_the_cursor_and_its_trailing_spaces() {
        let mut l = typed("أخبار اليوم  ");
        press(&mut l, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(shown(&l), "أخبار |");
        press(&mut l, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(shown(&l), "|");
        press(&mut l, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(shown(&l), "|", "nothing left to kill");
        let mut l = typed("rust release");
        for _ in 0..3 {
            l.left();
        }
        l.kill_word_back();
        assert_eq!(shown(&l), "rust |ase");
    }

    #[test]
    fn up_and_down_browse_the_history_and_come_back_to_the_typed_line() {
        let history = vec!["first".to_string(), "second".to_string()];
        let mut l = typed("draft");
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        l.on_key(&up, &history);
        assert_eq!(shown(&l), "second|");
        l.on_key(&up, &history);
        assert_eq!(shown(&l), "first|");
        l.on_key(&up, &history);
        assert_eq!(shown(&l), "first|", "the oldest entry stays");
        l.on_key(&down, &history);
        assert_eq!(shown(&l), "second|");
        l.on_key(&down, &history);
        assert_eq!(shown(&l), "draft|");
        l.on_key(&down, &history);
        assert_eq!(shown(&l), "draft|");
    }

    #[test]
    fn enter_and_escape_are_left_to_the_prompt() {
        let mut l = typed("x");
        assert_eq!(
            press(&mut l, KeyCode::Enter, KeyModifiers::NONE),
            Edit::Ignored
        );
        assert_eq!(
            press(&mut l, KeyCode::Esc, KeyModifiers::NONE),
            Edit::Ignored
        );
        assert_eq!(
            press(&mut l, KeyCode::Char('x'), KeyModifiers::CONTROL),
            Edit::Ignored
        );
        assert_eq!(l.text(), "x");
    }
}
