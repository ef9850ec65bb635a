//! The status line: feeds OK / failed, unread count, last refresh, the bidi mode, transient
//! messages, and the search prompt while typing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{App, Focus, Overlay, SidebarRow};
use crate::model::Direction;
use crate::store::FeedStatus;
use crate::text;
use crate::ui::cells::draw_at;
use crate::view::{StyledLine, plain, theme, time_of_day};

/// The left part of the status line, as text.
pub fn summary(app: &App) -> String {
    // Feeds that left the config are kept only for their starred articles.
    let feeds: Vec<_> = app.store().feeds().iter().filter(|f| !f.former).collect();
    let failed = feeds
        .iter()
        .filter(|f| matches!(f.status, FeedStatus::Failed { .. } | FeedStatus::Gone))
        .count();
    let ok = feeds
        .iter()
        .filter(|f| matches!(f.status, FeedStatus::Ok { .. }))
        .count();
    let mut s = format!("{ok}/{} ok", crate::view::count(feeds.len(), "feed"));
    if failed > 0 {
        s.push_str(&format!(" · {failed} failed"));
    }
    s.push_str(&format!(" · {} unread", app.store().unread_count()));
    if !app.loading().is_empty() {
        s.push_str(&format!(" · fetching {}", app.loading().len()));
    }
    if let Some(t) = app.last_refresh() {
        s.push_str(&format!(" · updated {}", time_of_day(t, app.zone())));
    }
    if app.unread_only() {
        s.push_str(" · unread only");
    }
    if let Some((done, total)) = app.indexing() {
        s.push_str(&format!(" · search index {}%", done * 100 / total.max(1)));
    }
    if let Some(q) = app.search() {
        s.push_str(&format!(" · search: {q}"));
    }
    s
}

/// The error of the failed feed selected in the feed list, with the next try.
pub fn selected_failure(app: &App) -> Option<String> {
    if app.focus() != Focus::Feeds || app.reader().is_some() {
        return None;
    }
    let SidebarRow::Feed(id) = app.sidebar().get(app.feeds_cursor().selected())? else {
        return None;
    };
    let f = app.store().feed(*id)?;
    let url = crate::text::sanitize::redact_credentials(f.moved_to.as_deref().unwrap_or(&f.url));
    match &f.status {
        FeedStatus::Failed {
            reason, next_try, ..
        } => {
            let next = next_try
                .map(|t| format!(" · next try {}", time_of_day(t, app.zone())))
                .unwrap_or_default();
            Some(format!("{} <{url}>: {reason}{next}", f.name))
        }
        FeedStatus::Gone => Some(format!(
            "{} <{url}>: gone (HTTP 410); not polled any more",
            f.name
        )),
        _ => None,
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let row = Rect { height: 1, ..area };
    buf.set_style(row, theme::status());
    for x in row.left()..row.right() {
        buf[(x, row.y)].set_symbol(" ");
    }
    let opts = app.text_options();
    // The marker of a cache that cannot save stays until a save works (`M` says why).
    let unsaved = if app.save_error().is_some() {
        "NOT SAVED (M)  "
    } else {
        ""
    };
    let modes = format!("bidi:{}  ?:help ", app.bidi().mode.name());
    let right = format!("{unsaved}{modes}");
    let right_w = text::display_width(&right) as u16;
    let show_right = row.width > right_w + 20;
    // One cell of margin on the left, and one before the right part.
    let left_w = if show_right {
        row.width - right_w - 1
    } else {
        row.width
    }
    .saturating_sub(1) as usize;
    let input = match app.overlay() {
        Overlay::Search(input) => Some(input.text()),
        _ => None,
    };
    let mut left = match (input, app.status_message()) {
        (Some(input), _) => {
            let mut l = StyledLine::from_visual(
                text::layout_field(
                    &format!("/{input}"),
                    Direction::Auto,
                    false,
                    left_w.saturating_sub(1),
                    &opts,
                ),
                theme::status(),
            );
            l.push(plain("█"), theme::status());
            l
        }
        (None, Some(msg)) => {
            // A message too long for the line says where to read it whole.
            const HINT: &str = " (M: all of it)";
            if text::display_width(msg) > left_w && left_w > 2 * HINT.len() {
                let hint_w = text::display_width(HINT);
                let mut l = StyledLine::from_visual(
                    text::layout_field(msg, Direction::Auto, false, left_w - hint_w, &opts),
                    theme::status(),
                );
                l.push(plain(HINT), theme::status());
                l
            } else {
                StyledLine::from_visual(
                    text::layout_field(msg, Direction::Auto, false, left_w, &opts),
                    theme::status(),
                )
            }
        }
        // A cache that cannot save stays on screen until a save works again: as the marker
        // on the right, or here when the line is too narrow for it.
        (None, None) if app.save_error().is_some() && !show_right => StyledLine::from_visual(
            text::layout_field(
                app.save_error().unwrap_or(""),
                Direction::Auto,
                false,
                left_w,
                &opts,
            ),
            theme::status().patch(theme::error()),
        ),
        (None, None) if selected_failure(app).is_some() => StyledLine::from_visual(
            text::layout_field(
                &selected_failure(app).unwrap_or_default(),
                Direction::Auto,
                false,
                left_w,
                &opts,
            ),
            theme::status().patch(theme::error()),
        ),
        (None, None) => StyledLine::from_visual(
            text::layout_field(&summary(app), Direction::Ltr, false, left_w, &opts),
            theme::status(),
        ),
    };
    left.rtl = false;
    draw_at(buf, row, &left, 1);
    if show_right {
        let mut line =
            StyledLine::from_visual(plain(unsaved), theme::status().patch(theme::error()));
        line.push(plain(&modes), theme::status());
        draw_at(buf, row, &line, i64::from(row.width - right_w));
    }
}
