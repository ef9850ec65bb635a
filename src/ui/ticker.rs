//! Draws the ticker strip: one row, the current run at its position.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::ui::cells::draw_at;
use crate::view::{Ticker, theme};

/// Draws the strip.
pub fn render(ticker: &Ticker, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let row = Rect { height: 1, ..area };
    let style = if ticker.paused() {
        theme::ticker_paused()
    } else {
        theme::ticker()
    };
    buf.set_style(row, style);
    for x in row.left()..row.right() {
        buf[(x, row.y)].set_symbol(" ");
    }
    if let (Some(run), Some(pos)) = (ticker.current_run(), ticker.position(row.width)) {
        draw_at(buf, row, &run.line, pos);
    }
}
