//! The `?` help overlay, generated from the action table and the keymap in force.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::action::{ACTIONS, Scope};
use crate::app::App;
use crate::ui::cells::draw_at;
use crate::view::{StyledLine, theme};

/// The help lines: keys, then what they do.
pub fn lines(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for spec in ACTIONS {
        let keys = app.keymap().keys_of(spec.action).join(" ");
        let scope = match spec.scope {
            Scope::Global => "",
            Scope::List => " (lists)",
            Scope::Reader => " (reader)",
        };
        out.push(format!("{keys:<18} {}{scope}  [{}]", spec.help, spec.name));
    }
    out.push(String::new());
    out.push(format!(
        "bidi mode: {} ({})",
        app.bidi().mode.name(),
        app.bidi().reason
    ));
    out
}

pub fn render(app: &App, scroll: usize, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.width < 10 || area.height < 3 {
        return;
    }
    let w = area.width.min(72);
    let h = area.height;
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y,
        width: w,
        height: h,
    };
    Clear.render(rect, buf);
    Block::default()
        .borders(Borders::ALL)
        .title(" keys (? or Esc to close) ")
        .border_style(theme::border())
        .render(rect, buf);
    let inner = Rect {
        x: rect.x + 2,
        y: rect.y + 1,
        width: rect.width.saturating_sub(4),
        height: rect.height.saturating_sub(2),
    };
    for (i, l) in lines(app)
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
        let fitted = crate::text::layout_field(
            l,
            crate::model::Direction::Ltr,
            false,
            row.width as usize,
            &app.text_options(),
        );
        draw_at(
            buf,
            row,
            &StyledLine::from_visual(fitted, Default::default()),
            0,
        );
    }
}
