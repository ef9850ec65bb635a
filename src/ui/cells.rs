//! Copies finished styled lines into buffer cells: per-grapheme widths, clipping at both
//! edges (a wide grapheme cut by an edge is blanked, never half drawn), composite rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::view::StyledLine;

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
    use crate::view::plain;
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
    fn drawing_into_empty_areas_does_nothing() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 0, 0));
        draw_at(&mut buf, Rect::new(0, 0, 0, 0), &line("abc"), 0);
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        let area = buf.area;
        draw_at(&mut buf, area, &line("世"), 0);
        assert_eq!(buf, Buffer::with_lines([" "]));
    }
}
