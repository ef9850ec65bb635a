//! Copies finished visual lines into buffer cells: per-grapheme widths, clipping at both
//! edges (a wide grapheme cut by an edge is blanked, never half drawn), composite rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::text::VisualLine;

/// A line made of styled parts, each already in visual order, laid side by side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StyledLine {
    pub parts: Vec<(VisualLine, Style)>,
    pub width: usize,
    /// Base direction of the content: RTL lines are right-aligned.
    pub rtl: bool,
}

impl StyledLine {
    pub fn from_visual(line: VisualLine, style: Style) -> StyledLine {
        StyledLine {
            width: line.width,
            rtl: line.rtl,
            parts: vec![(line, style)],
        }
    }

    pub fn push(&mut self, line: VisualLine, style: Style) {
        self.width += line.width;
        self.parts.push((line, style));
    }

    /// Every cell (grapheme, width, style) left to right.
    pub fn cells(&self) -> impl Iterator<Item = (&str, usize, Style)> + '_ {
        self.parts
            .iter()
            .flat_map(|(l, s)| l.cells().map(move |(g, w)| (g, w, *s)))
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

/// Draws `line` on row `area` (only its first row is used) with the line's left edge at
/// `area.x + offset` (which may be negative or past the end). Cells outside `area` are not
/// touched; a wide grapheme straddling an edge becomes a blank.
pub fn draw_at(buf: &mut Buffer, area: Rect, line: &StyledLine, offset: i64) {
    let area = area.intersection(buf.area);
    if area.width == 0 || area.height == 0 {
        return;
    }
    let left = i64::from(area.x);
    let right = left + i64::from(area.width);
    let mut x = left + offset;
    for (g, w, style) in line.cells() {
        let w = w as i64;
        if x >= right {
            break;
        }
        if x + w > left {
            if x >= left && x + w <= right {
                let cell = &mut buf[(x as u16, area.y)];
                cell.set_symbol(g).set_style(style);
                for extra in 1..w {
                    buf[((x + extra) as u16, area.y)].reset();
                    buf[((x + extra) as u16, area.y)].set_style(style);
                }
            } else {
                // Cut by an edge: blank the part that is inside.
                for cx in x.max(left)..(x + w).min(right) {
                    buf[(cx as u16, area.y)].set_symbol(" ").set_style(style);
                }
            }
        }
        x += w;
    }
}

/// Draws a line inside `area`: left-aligned, or right-aligned when the line is RTL.
/// Lines wider than the area are clipped on the right (callers lay out to fit).
pub fn draw_aligned(buf: &mut Buffer, area: Rect, line: &StyledLine) {
    let offset = if line.rtl {
        i64::from(area.width) - line.width as i64
    } else {
        0
    };
    draw_at(buf, area, line, offset.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn line(s: &str) -> StyledLine {
        StyledLine::from_visual(plain(s), Style::default())
    }

    #[test]
    fn clipping_at_the_left_edge_blanks_a_wide_grapheme() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        let area = buf.area;
        draw_at(&mut buf, area, &line("世界abc"), -1);
        assert_eq!(buf, Buffer::with_lines([" 界ab"]));
    }

    #[test]
    fn clipping_at_the_right_edge_blanks_a_wide_grapheme() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        let area = buf.area;
        draw_at(&mut buf, area, &line("ab世"), 1);
        assert_eq!(buf, Buffer::with_lines([" ab "]));
    }

    #[test]
    fn rtl_lines_are_right_aligned() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let mut l = line("xy");
        l.rtl = true;
        let area = buf.area;
        draw_aligned(&mut buf, area, &l);
        assert_eq!(buf, Buffer::with_lines(["    xy"]));
    }

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
        let text: String = row.cells().map(|(g, _, _)| g).collect();
        assert_eq!(text, "title | feed");
        assert_eq!(row.width, 12);
    }

    #[test]
    fn drawing_into_empty_areas_does_nothing() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 0, 0));
        draw_at(&mut buf, Rect::new(0, 0, 0, 0), &line("abc"), 0);
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        let area = buf.area;
        draw_at(&mut buf, area, &line("世"), 0);
        assert_eq!(buf, Buffer::with_lines([" "]));
    }
}
