//! Draws the overlays with a box: the `?` help and the session's messages, each the lines
//! `view` makes for the box's width, scrolled.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::App;
use crate::ui::cells::draw_at;
use crate::view::{Geometry, StyledLine, help_lines, messages_lines, theme};

/// The help's lines for the app's keymap and bidi mode at `width`.
pub fn lines(app: &App, width: usize) -> Vec<StyledLine> {
    let bidi = app.bidi();
    help_lines(app.keymap(), (bidi.mode.name(), &bidi.reason), width)
}

pub fn render(app: &App, scroll: usize, g: &Geometry, buf: &mut Buffer) {
    render_box(" keys (? or Esc to close) ", scroll, g, buf, |w| {
        lines(app, w)
    });
}

pub fn render_messages(app: &App, scroll: usize, g: &Geometry, buf: &mut Buffer) {
    render_box(" messages (M or Esc to close) ", scroll, g, buf, |w| {
        messages_lines(app.messages(), app.zone(), w, &app.text_options())
    });
}

fn render_box(
    title: &str,
    scroll: usize,
    g: &Geometry,
    buf: &mut Buffer,
    lines: impl FnOnce(usize) -> Vec<StyledLine>,
) {
    let rect = g.overlay().intersection(buf.area);
    if rect.width < 10 || rect.height < 3 {
        return;
    }
    Clear.render(rect, buf);
    Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(theme::border())
        .render(rect, buf);
    let inner = g.overlay_text().intersection(buf.area);
    let all = lines(inner.width as usize);
    let scroll = scroll.min(all.len().saturating_sub(inner.height as usize));
    for (i, l) in all
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let row = Rect {
            y: inner.y + i as u16,
            height: 1,
            ..inner
        };
        draw_at(buf, row, l, 0);
    }
}
