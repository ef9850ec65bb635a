//! The views: they borrow `&App`, do no I/O and touch only what is on screen, copying what
//! the app laid out (`crate::view`) into cells.

pub mod cells;
pub mod help;
pub mod lists;
pub mod reader;
pub mod status;
pub mod ticker;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{App, Focus, Overlay};
use crate::view::Geometry;

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
    let g = Geometry::new(area).with_measure(app.measure());
    ticker::render(app.ticker(), g.ticker, buf);
    match app.reader() {
        Some(r) => reader::render(&r.lines, r.scroll, &g, buf),
        None => {
            let (feeds, heads) = g.lists(app.focus() == Focus::Feeds);
            lists::render_feeds(app, feeds, buf);
            lists::render_headlines(app, heads, buf);
        }
    }
    status::render(app, g.status, buf);
    match app.overlay() {
        Overlay::Help { scroll } => help::render(app, *scroll, &g, buf),
        Overlay::Messages { scroll } => help::render_messages(app, *scroll, &g, buf),
        Overlay::None
        | Overlay::Search(_)
        | Overlay::Filter(_)
        | Overlay::Confirm { .. }
        | Overlay::LinkNumber(_) => {}
    }
}
