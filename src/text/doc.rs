//! The document model of an article body: blocks (paragraphs, headings, captions, code, rules,
//! tables) in reading order, each with the quotes and lists around it, and text whose runs
//! carry a style role. Built by `html::parse_html`, laid out by `layout::layout_document`.

use std::ops::Range;

use crate::model::Direction;

/// What a piece of text is, for the theme: the layout carries roles, never colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// Body text.
    #[default]
    Text,
    Heading,
    /// Text inside a `<blockquote>`.
    Quote,
    /// `<strong>`, `<b>`.
    Strong,
    /// `<em>`, `<i>`, `<cite>`.
    Emphasis,
    /// Inline `<code>` (`<kbd>`, `<samp>`, `<tt>`) and preformatted text.
    Code,
    /// The text of a link.
    Link,
    /// The `[n]` after a link or a media placeholder: the number of its URL in the links.
    LinkNumber,
    /// `[image: alt]`, `[video: title]` and the like.
    Media,
    /// Figure and table captions.
    Dim,
    /// List bullets and numbers.
    Marker,
    /// Quote bars, the code gutter, table column separators and the rule under a table header.
    Border,
    /// A horizontal rule (`<hr>`).
    Rule,
    /// Text of a header cell (`<th>`, or any cell of a `<thead>` row).
    TableHeader,
    /// A word the search matched (see `text::highlight`).
    Match,
}

/// Text in logical order cut into runs of one role each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StyledText {
    text: String,
    /// Byte end of each run and its role: strictly increasing char boundaries, the last one
    /// `text.len()`; neighbouring runs have different roles.
    runs: Vec<(usize, Role)>,
}

impl StyledText {
    /// One run of one role.
    pub fn new(text: &str, role: Role) -> StyledText {
        let mut s = StyledText::default();
        s.push_str(text, role);
        s
    }

    /// Runs given as (text, role) pairs, in logical order.
    pub fn from_runs<'a>(runs: impl IntoIterator<Item = (&'a str, Role)>) -> StyledText {
        let mut s = StyledText::default();
        for (text, role) in runs {
            s.push_str(text, role);
        }
        s
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The runs as byte ranges of [`Self::as_str`] with their roles.
    pub fn runs(&self) -> impl Iterator<Item = (Range<usize>, Role)> + '_ {
        let mut start = 0;
        self.runs.iter().map(move |&(end, role)| {
            let r = start..end;
            start = end;
            (r, role)
        })
    }

    /// The runs as (byte end, role), in order: for a walk that finds the role of increasing
    /// offsets without a search each.
    pub(crate) fn run_ends(&self) -> &[(usize, Role)] {
        &self.runs
    }

    /// How many runs (1 for text of one role, 0 for empty text).
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// The role of the byte at `at` (the last run's past the end; `Text` for empty text).
    pub fn role_at(&self, at: usize) -> Role {
        let i = self.runs.partition_point(|&(end, _)| end <= at);
        self.runs
            .get(i)
            .or(self.runs.last())
            .map_or(Role::Text, |&(_, r)| r)
    }

    pub fn push_str(&mut self, s: &str, role: Role) {
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        self.extend_run(role);
    }

    pub fn push(&mut self, c: char, role: Role) {
        self.text.push(c);
        self.extend_run(role);
    }

    /// Appends another styled text, runs and all.
    pub fn append(&mut self, other: &StyledText) {
        for (range, role) in other.runs() {
            self.push_str(&other.text[range], role);
        }
    }

    fn extend_run(&mut self, role: Role) {
        match self.runs.last_mut() {
            Some((end, r)) if *r == role => *end = self.text.len(),
            _ => self.runs.push((self.text.len(), role)),
        }
    }

    /// Removes the last char.
    pub fn pop(&mut self) -> Option<char> {
        let c = self.text.pop()?;
        self.fix_runs_end();
        Some(c)
    }

    /// Cuts the text to `len` bytes; `len` must be a char boundary (else nothing is cut).
    pub fn truncate(&mut self, len: usize) {
        if len < self.text.len() && self.text.is_char_boundary(len) {
            self.text.truncate(len);
            self.fix_runs_end();
        }
    }

    fn fix_runs_end(&mut self) {
        let len = self.text.len();
        while self.runs.len() > 1 && self.runs[self.runs.len() - 2].0 >= len {
            self.runs.pop();
        }
        match self.runs.last_mut() {
            Some((end, _)) if len > 0 => *end = len,
            _ => self.runs.clear(),
        }
    }

    /// The part in `range` (char boundaries, else an empty text), runs and all.
    pub fn slice(&self, range: Range<usize>) -> StyledText {
        let mut out = StyledText::default();
        if range.start > range.end
            || range.end > self.text.len()
            || !self.text.is_char_boundary(range.start)
            || !self.text.is_char_boundary(range.end)
        {
            return out;
        }
        for (run, role) in self.runs() {
            let (a, b) = (run.start.max(range.start), run.end.min(range.end));
            if a < b {
                out.push_str(&self.text[a..b], role);
            }
        }
        out
    }

    /// Each char replaced by `f` (same runs, chars of any length): for line feeds to spaces.
    pub fn map_chars(&self, f: impl Fn(char) -> char) -> StyledText {
        let mut out = StyledText::default();
        for (run, role) in self.runs() {
            let mapped: String = self.text[run].chars().map(&f).collect();
            out.push_str(&mapped, role);
        }
        out
    }
}

/// A container a block sits in, outermost first in [`Block::nest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nest {
    Quote,
    /// A list, by a number unique in the document (0: `<li>` outside any list).
    List(u32),
}

/// The marker of a list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Marker {
    /// `<ul>`: the layout draws `•`, `◦` or `▪` by nesting level.
    Bullet,
    /// `<ol>`: `n.`
    Number(i64),
}

/// What a block holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// A paragraph; `\n` in it is a line break (`<br>`).
    Paragraph(StyledText),
    /// `<h1>`..`<h6>` with its level.
    Heading(u8, StyledText),
    /// `<figcaption>`, `<caption>`.
    Caption(StyledText),
    /// `<pre>`: lines separated by `\n`, never wrapped.
    Preformatted(StyledText),
    /// `<hr>`.
    Rule,
    Table(Table),
}

/// One block of the body, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub content: Content,
    /// From `dir` on the block or an ancestor; `Auto` when none says otherwise.
    pub dir: Direction,
    /// From `lang` / `xml:lang` on the block or an ancestor.
    pub lang: Option<String>,
    /// Blockquotes and lists around the block, outermost first (at most [`MAX_NEST`]).
    pub nest: Vec<Nest>,
    /// The marker of the list item this block starts (its first block only).
    pub marker: Option<Marker>,
    /// No blank line before this block: the next block of the same list (or of a list nested
    /// in it), a caption under its figure or above its table.
    pub tight: bool,
}

/// Containers deeper than this are not recorded (tag soup can nest thousands).
pub const MAX_NEST: usize = 8;

/// A table as a grid of rows; spanning cells keep their spans for the layout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// How many leading rows are header rows (`<thead>`, or rows of `<th>` only).
    pub header_rows: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// One table cell: its own paragraph for the bidi algorithm (`\n` is a line break in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: StyledText,
    /// From `dir` on the cell or an ancestor.
    pub dir: Direction,
    pub lang: Option<String>,
    /// `<th>`.
    pub header: bool,
    /// At least 1 each.
    pub colspan: u16,
    pub rowspan: u16,
}

/// An HTML body as blocks, plus the URLs numbered in the text (`links[n-1]` is `[n]`): links,
/// images, video, audio and embedded frames.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(s: &StyledText) -> Vec<(&str, Role)> {
        s.runs().map(|(r, role)| (&s.as_str()[r], role)).collect()
    }

    #[test]
    fn neighbouring_text_of_one_role_is_one_run() {
        let mut s = StyledText::new("ab", Role::Text);
        s.push('c', Role::Text);
        s.push_str("de", Role::Strong);
        s.push_str("", Role::Code);
        s.push('f', Role::Strong);
        assert_eq!(runs(&s), [("abc", Role::Text), ("def", Role::Strong)]);
    }

    #[test]
    fn the_role_of_a_byte_is_found_in_its_run() {
        let s = StyledText::from_runs([("قال ", Role::Text), ("x", Role::Link)]);
        assert_eq!(s.role_at(0), Role::Text);
        assert_eq!(s.role_at(6), Role::Text);
        assert_eq!(s.role_at(7), Role::Link);
        assert_eq!(s.role_at(99), Role::Link);
        assert_eq!(StyledText::default().role_at(0), Role::Text);
    }

    #[test]
    fn cutting_the_text_cuts_its_runs() {
        let mut s = StyledText::from_runs([("ab", Role::Text), ("cd", Role::Code)]);
        s.truncate(3);
        assert_eq!(runs(&s), [("ab", Role::Text), ("c", Role::Code)]);
        s.pop();
        assert_eq!(runs(&s), [("ab", Role::Text)]);
        s.truncate(0);
        assert_eq!(s.run_count(), 0);
        let mut arabic = StyledText::new("سلام", Role::Text);
        arabic.truncate(1);
        assert_eq!(
            arabic.as_str(),
            "سلام",
            "not a char boundary: nothing is cut"
        );
    }

    #[test]
    fn a_slice_keeps_the_roles_of_its_part() {
        let s = StyledText::from_runs([("ab", Role::Text), ("cd", Role::Code), ("ef", Role::Link)]);
        assert_eq!(
            runs(&s.slice(1..5)),
            [("b", Role::Text), ("cd", Role::Code), ("e", Role::Link)]
        );
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 4..2;
        assert!(s.slice(backwards).is_empty());
        assert!(StyledText::new("ب", Role::Text).slice(1..2).is_empty());
    }

    #[test]
    fn appending_and_mapping_keep_the_runs() {
        let mut s = StyledText::new("a\n", Role::Text);
        s.append(&StyledText::from_runs([
            ("b", Role::Text),
            ("\nc", Role::Strong),
        ]));
        let flat = s.map_chars(|c| if c == '\n' { ' ' } else { c });
        assert_eq!(runs(&flat), [("a b", Role::Text), (" c", Role::Strong)]);
    }
}
