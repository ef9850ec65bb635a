//! The views: widgets that borrow `&App`, do no I/O and touch only what is on screen.

pub mod cells;
pub mod help;
pub mod lists;
pub mod reader;
pub mod status;
pub mod theme;
pub mod ticker;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::App;

/// Width of the feed list, or 0 when the screen is too narrow to show it beside the headlines.
pub fn sidebar_width(total: u16) -> u16 {
    if total < 60 {
        0
    } else {
        (total / 4).clamp(18, 32)
    }
}

/// Splits the screen: ticker row, body, status row.
pub fn layout(area: Rect) -> (Rect, Rect, Rect) {
    let h = area.height;
    let ticker_h = u16::from(h >= 3);
    let status_h = u16::from(h >= 2);
    let ticker = Rect {
        height: ticker_h,
        ..area
    };
    let status = Rect {
        y: area.bottom().saturating_sub(status_h),
        height: status_h,
        ..area
    };
    let body = Rect {
        y: area.y + ticker_h,
        height: h - ticker_h - status_h,
        ..area
    };
    (ticker, body, status)
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Renders the whole screen into a buffer (used by `draw` and by tests).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let (ticker_area, body, status_area) = layout(area);
    app.ticker.render(ticker_area, buf);
    match &app.reader {
        Some(r) => reader::render(&r.lines, r.scroll, body, buf),
        None => {
            let side = if app.focus == crate::app::Focus::Feeds && body.width < 60 {
                body.width
            } else {
                sidebar_width(body.width)
            };
            let feeds = Rect {
                width: side,
                ..body
            };
            let heads = Rect {
                x: body.x + side,
                width: body.width - side,
                ..body
            };
            lists::render_feeds(app, feeds, buf);
            lists::render_headlines(app, heads, buf);
        }
    }
    status::render(app, status_area, buf);
    if app.help {
        help::render(app, body, buf);
    }
}
