//! Styled lines: finished visual lines with a style per part, laid side by side. What the
//! layouts produce and the views copy into cells; no drawing here.

use ratatui::style::Style;

use crate::text::VisualLine;

/// A line made of styled parts, each already in visual order, laid side by side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StyledLine {
    pub parts: Vec<(VisualLine, Style)>,
    pub width: usize,
    /// Base direction of the content: RTL lines are right-aligned.
    pub rtl: bool,
    /// The parts that are links, as (index in `parts`, target): drawn as OSC 8 hyperlinks
    /// where the terminal has them (`ui::hyperlink`); the target is checked there.
    pub links: Vec<(usize, String)>,
}

impl StyledLine {
    pub fn from_visual(line: VisualLine, style: Style) -> StyledLine {
        StyledLine {
            width: line.width,
            rtl: line.rtl,
            parts: vec![(line, style)],
            links: Vec::new(),
        }
    }

    pub fn push(&mut self, line: VisualLine, style: Style) {
        self.width += line.width;
        self.parts.push((line, style));
    }

    /// [`Self::push`] for a part that is a link to `target`.
    pub fn push_link(&mut self, line: VisualLine, style: Style, target: &str) {
        self.links.push((self.parts.len(), target.to_string()));
        self.push(line, style);
    }

    /// The link target of part `i`, if it is a link.
    pub fn link_of(&self, i: usize) -> Option<&str> {
        self.links
            .iter()
            .find(|(p, _)| *p == i)
            .map(|(_, t)| t.as_str())
    }

    /// Every cell (grapheme, width, style) left to right.
    pub fn cells(&self) -> impl Iterator<Item = (&str, usize, Style)> + '_ {
        self.parts
            .iter()
            .flat_map(|(l, s)| l.cells().map(move |(g, w)| (g, w, *s)))
    }

    /// The line's text in visual order (tests, and screen reading in the end-to-end tests).
    pub fn text(&self) -> String {
        self.parts.iter().map(|(l, _)| l.text.as_str()).collect()
    }
}

/// A plain (already visual) string as a line: for fixed ASCII labels.
pub fn plain(s: &str) -> VisualLine {
    crate::text::layout_single(
        s,
        crate::model::Direction::Ltr,
        false,
        &crate::text::TextOptions::default(),
    )
}

/// Lays fields out side by side with `sep` between them. In an RTL row the first field is
/// the rightmost one, so the row reads right to left; each field keeps its own bidi layout,
/// so nothing in one field can pull text across another.
pub fn compose(fields: Vec<(VisualLine, Style)>, sep: (&str, Style), rtl: bool) -> StyledLine {
    let mut fields: Vec<_> = fields.into_iter().filter(|(l, _)| l.width > 0).collect();
    if rtl {
        fields.reverse();
    }
    let mut out = StyledLine {
        rtl,
        ..Default::default()
    };
    for (i, (line, style)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(plain(sep.0), sep.1);
        }
        out.push(line, style);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_composite_rows_put_the_first_field_on_the_right() {
        let row = compose(
            vec![
                (plain("feed"), Style::default()),
                (plain("title"), Style::default()),
            ],
            (" | ", Style::default()),
            true,
        );
        assert_eq!(row.text(), "title | feed");
        assert_eq!(row.width, 12);
    }

    #[test]
    fn empty_fields_leave_no_separator_behind() {
        let row = compose(
            vec![
                (plain(""), Style::default()),
                (plain("title"), Style::default()),
            ],
            (" | ", Style::default()),
            false,
        );
        assert_eq!(row.text(), "title");
    }
}
