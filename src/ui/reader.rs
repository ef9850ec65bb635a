//! Draws the visible rows of a laid-out article into the reader's text column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::ui::cells::draw_aligned;
use crate::view::{Geometry, ReaderLine, StyledLine, plain, theme};

/// Draws the visible part of a laid-out article into the body's text column.
pub fn render(lines: &[ReaderLine], scroll: usize, geometry: &Geometry, buf: &mut Buffer) {
    let area = geometry.body.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let column = geometry.reader_text();
    let text_w = column.width;
    if lines.is_empty() {
        // The layout job has not come back yet (a fraction of a second).
        let l = StyledLine::from_visual(plain("…"), theme::dim());
        draw_aligned(buf, Rect { height: 1, ..area }, &l);
        return;
    }
    let x0 = column.x;
    for (i, l) in lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + i as u16;
        draw_aligned(buf, Rect::new(x0, y, text_w, 1), &l.line);
    }
}
