//! A laid-out line of a document: spans of visual-order text, left to right, one style role
//! each. The reader maps roles to its theme and draws the spans side by side.

use crate::text::doc::Role;
use crate::text::{VisualLine, grapheme_width};

/// Visual-order text (its clusters and widths) with the role it is drawn in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: VisualLine,
    pub role: Role,
}

/// One display line. Drawn left-aligned, or right-aligned when `rtl`; never wider than the
/// width it was laid out for; no control or bidi formatting character in any span.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocLine {
    pub spans: Vec<Span>,
    /// Cells: the sum of the span widths.
    pub width: usize,
    /// Right-to-left content: right-aligned in the text column.
    pub rtl: bool,
}

impl DocLine {
    pub(crate) fn new(rtl: bool) -> DocLine {
        DocLine {
            rtl,
            ..DocLine::default()
        }
    }

    /// The text of the whole line, left to right.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.text.as_str()).collect()
    }

    /// Every cell (grapheme, width, role) left to right.
    pub fn cells(&self) -> impl Iterator<Item = (&str, usize, Role)> + '_ {
        self.spans
            .iter()
            .flat_map(|s| s.text.cells().map(move |(g, w)| (g, w, s.role)))
    }

    /// Appends visual text; merged into the last span when the role is the same.
    pub(crate) fn push(&mut self, text: VisualLine, role: Role) {
        if text.clusters.is_empty() {
            return;
        }
        self.width += text.width;
        match self.spans.last_mut() {
            Some(last) if last.role == role => {
                let base = last.text.text.len();
                last.text.text.push_str(&text.text);
                last.text
                    .clusters
                    .extend(text.clusters.iter().map(|&(end, w)| (base + end, w)));
                last.text.width += text.width;
            }
            _ => self.spans.push(Span { text, role }),
        }
    }

    /// Appends a string of our own (markers, bars, rules): one cluster per char, no controls.
    pub(crate) fn push_str(&mut self, s: &str, role: Role) {
        let mut line = VisualLine::default();
        for c in s.chars() {
            let mut buf = [0u8; 4];
            let g: &str = c.encode_utf8(&mut buf);
            line.push(g, grapheme_width(g).max(1));
        }
        self.push(line, role);
    }

    /// Appends `n` blank cells.
    pub(crate) fn pad(&mut self, n: usize) {
        if n > 0 {
            self.push_str(&" ".repeat(n), Role::Text);
        }
    }

    pub(crate) fn append(&mut self, other: DocLine) {
        for span in other.spans {
            self.push(span.text, span.role);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_one_role_merge_and_widths_add_up() {
        let mut l = DocLine::new(false);
        l.push_str("▎", Role::Border);
        l.pad(1);
        l.push_str("ab", Role::Text);
        l.push_str("", Role::Code);
        assert_eq!(l.spans.len(), 2);
        assert_eq!(l.text(), "▎ ab");
        assert_eq!(l.width, 4);
        let cells: Vec<(&str, usize, Role)> = l.cells().collect();
        assert_eq!(cells[0], ("▎", 1, Role::Border));
        assert_eq!(cells[3], ("b", 1, Role::Text));
    }
}
