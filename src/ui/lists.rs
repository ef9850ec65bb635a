//! The feed list (name, unread count, error marker) and the headline list (unread marker,
//! date, feed, title). Each field of a row is laid out on its own.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::{App, Focus, SidebarRow};
use crate::model::Direction;
use crate::store::{FeedStatus, shown_time};
use crate::text;
use crate::ui::cells::{draw_aligned, draw_at};
use crate::view::{StyledLine, plain, short_date, theme, time_of_day};

fn fill(buf: &mut Buffer, area: Rect, style: Style) {
    buf.set_style(area, style);
}

/// Draws one field laid out on its own into `area` (one row), right-aligned when RTL.
fn field(
    buf: &mut Buffer,
    area: Rect,
    s: &str,
    dir: Direction,
    fallback_rtl: bool,
    style: Style,
    app: &App,
) {
    if area.width == 0 {
        return;
    }
    let l = text::layout_field(
        s,
        dir,
        fallback_rtl,
        area.width as usize,
        &app.text_options(),
    );
    draw_aligned(buf, area, &StyledLine::from_visual(l, style));
}

/// The feed list.
pub fn render_feeds(app: &App, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.width < 4 || area.height == 0 {
        return;
    }
    // A divider on the right edge.
    let inner = Rect {
        width: area.width - 1,
        ..area
    };
    for y in area.top()..area.bottom() {
        buf[(area.right() - 1, y)]
            .set_symbol("│")
            .set_style(theme::border());
    }
    let cursor = app.feeds_cursor();
    let rows = app
        .sidebar()
        .iter()
        .enumerate()
        .skip(cursor.top())
        .take(inner.height as usize);
    for (i, (idx, row)) in rows.enumerate() {
        let y = inner.y + i as u16;
        let line = Rect {
            y,
            height: 1,
            ..inner
        };
        let (label, count, marker, mut style, dir, rtl_fallback) = match row {
            SidebarRow::All => (
                "All articles".to_string(),
                app.store().unread_count(),
                "",
                Style::default(),
                Direction::Ltr,
                false,
            ),
            SidebarRow::Starred => (
                "★ Starred".to_string(),
                app.store().starred_count(),
                "",
                Style::default(),
                Direction::Ltr,
                false,
            ),
            SidebarRow::Tag(t) => {
                let store = app.store();
                let n = store
                    .feeds()
                    .iter()
                    .filter(|f| f.tags.contains(t))
                    .map(|f| store.counts(f.id).unread)
                    .sum();
                (
                    format!("#{t}"),
                    n,
                    "",
                    Style::default(),
                    Direction::Auto,
                    false,
                )
            }
            SidebarRow::Feed(id) => {
                let Some(f) = app.store().feed(*id) else {
                    continue;
                };
                let unread = app.store().counts(*id).unread;
                let marker = match (&f.status, f.loading_since.is_some()) {
                    (_, true) => "↻",
                    (FeedStatus::Failed { .. }, _) => "!",
                    (FeedStatus::Gone, _) => "✗",
                    _ => "",
                };
                let style = match f.status {
                    FeedStatus::Failed { .. } | FeedStatus::Gone => theme::error(),
                    _ if unread > 0 => theme::unread(),
                    _ => Style::default(),
                };
                let rtl = f.language.as_deref().is_some_and(text::is_rtl_language);
                (f.name.clone(), unread, marker, style, f.direction, rtl)
            }
            SidebarRow::Query(name) => {
                // Counted when the articles changed (app::query), not here.
                let unread = app.query_counts(name).map_or(0, |c| c.unread);
                let style = if unread > 0 {
                    theme::unread()
                } else {
                    Style::default()
                };
                (
                    format!("⌕ {name}"),
                    unread,
                    "",
                    style,
                    Direction::Auto,
                    false,
                )
            }
        };
        if app.filter() == row {
            style = style.patch(theme::active());
        }
        if idx == cursor.selected() && app.focus() == Focus::Feeds && app.reader().is_none() {
            style = style.patch(theme::selected());
        }
        fill(buf, line, style);
        let count_s = if count > 0 {
            format!(" {count}")
        } else {
            String::new()
        };
        let right = format!(
            "{count_s}{}",
            if marker.is_empty() {
                String::new()
            } else {
                format!(" {marker}")
            }
        );
        let right_w = text::display_width(&right) as u16;
        let name_w = line.width.saturating_sub(right_w + 1);
        field(
            buf,
            Rect {
                x: line.x + 1,
                width: name_w.saturating_sub(1),
                ..line
            },
            &label,
            dir,
            rtl_fallback,
            style,
            app,
        );
        if right_w > 0 && right_w < line.width {
            draw_at(
                buf,
                line,
                &StyledLine::from_visual(plain(&right), style),
                i64::from(line.width - right_w),
            );
        }
    }
}

/// What an empty headline list says, and how: no feeds (how to add one), a failing feed (its
/// error and next try), a feed being fetched, or nothing matching.
pub fn empty_view(app: &App) -> (String, Style) {
    let store = app.store();
    if store.feeds().is_empty() {
        return (
            "No feeds yet. Add one with `akhbar add URL` (a feed, or a page that links to one), \
             import a list with `akhbar import FILE` (OPML or a newsboat urls file), or list \
             them in the config (`akhbar --init` writes a commented one)."
                .to_string(),
            theme::dim(),
        );
    }
    if let SidebarRow::Feed(id) = app.filter()
        && let Some(f) = store.feed(*id)
    {
        let url =
            crate::text::sanitize::redact_credentials(f.moved_to.as_deref().unwrap_or(&f.url));
        match &f.status {
            FeedStatus::Failed {
                reason, next_try, ..
            } => {
                let next = next_try
                    .map(|t| format!(" Next try at {} (r: now).", time_of_day(t, app.zone())))
                    .unwrap_or_default();
                return (
                    format!("{} <{url}> could not be fetched: {reason}.{next}", f.name),
                    theme::error(),
                );
            }
            FeedStatus::Gone => {
                return (
                    format!(
                        "{} <{url}> is gone: the server answered 410, so it is not fetched any more.",
                        f.name
                    ),
                    theme::error(),
                );
            }
            _ if f.loading_since.is_some() => {
                return (format!("Fetching {}…", f.name), theme::dim());
            }
            _ => {}
        }
    }
    let msg = if store.article_count() == 0 {
        if app.loading().is_empty() {
            "No articles yet."
        } else {
            "Fetching feeds…"
        }
    } else if app.search().is_some() {
        "No article matches the search (Esc clears it)."
    } else if let SidebarRow::Query(name) = app.filter()
        && let Some(q) = app.queries().iter().find(|q| &q.name == name)
    {
        return (
            format!(
                "No article matches the query feed {name} ({}).",
                crate::text::sanitize::sanitize_inline(q.filter.source())
            ),
            theme::dim(),
        );
    } else if app.unread_only() {
        "Nothing unread here (u shows every article)."
    } else {
        "Nothing matches this view."
    };
    (msg.to_string(), theme::dim())
}

/// The headline list.
pub fn render_headlines(app: &App, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    if app.view().is_empty() {
        let (msg, style) = empty_view(app);
        let width = usize::from(area.width.saturating_sub(2)).max(1);
        let lines =
            text::layout_paragraph(&msg, Direction::Auto, false, width, &app.text_options());
        for (i, l) in lines.into_iter().take(usize::from(area.height)).enumerate() {
            let row = Rect {
                x: area.x + 1,
                y: area.y + i as u16,
                width: area.width.saturating_sub(2),
                height: 1,
            };
            draw_aligned(buf, row, &StyledLine::from_visual(l, style));
        }
        return;
    }
    let (now, zone) = (app.wall_now(), app.zone());
    let show_feed = !matches!(app.filter(), SidebarRow::Feed(_)) && area.width >= 40;
    let cursor = app.headlines();
    let visible = app
        .view()
        .iter()
        .skip(cursor.top())
        .take(area.height as usize);
    // Dates of the rows on screen; the column widens when one carries a year.
    let dates: Vec<String> = visible
        .map(|&id| {
            app.store()
                .article(id)
                .map(|a| short_date(shown_time(a), now, zone))
                .unwrap_or_default()
        })
        .collect();
    let date_w = dates
        .iter()
        .map(|d| text::display_width(d))
        .max()
        .unwrap_or(6)
        .max(6) as u16;
    let feed_w: u16 = if show_feed {
        (area.width / 5).clamp(8, 16)
    } else {
        0
    };
    for (i, &id) in app
        .view()
        .iter()
        .enumerate()
        .skip(cursor.top())
        .take(area.height as usize)
    {
        let Some(a) = app.store().article(id) else {
            continue;
        };
        let feed = app.store().feed(a.feed);
        let y = area.y + (i - cursor.top()) as u16;
        let row = Rect {
            y,
            height: 1,
            ..area
        };
        let selected = i == cursor.selected() && app.focus() == Focus::Headlines;
        let mut style = if a.read {
            theme::read()
        } else {
            theme::unread()
        };
        if selected {
            style = style.patch(theme::selected());
        } else if i == cursor.selected() {
            // The feed list has the keys: the headline cursor stays visible, dimmed.
            style = style.patch(theme::selected_unfocused());
        }
        let dim = if selected {
            style
        } else {
            style.patch(theme::date())
        };
        fill(buf, row, style);
        let marker = if a.starred {
            "★"
        } else if a.read {
            " "
        } else {
            "●"
        };
        draw_at(buf, row, &StyledLine::from_visual(plain(marker), style), 1);
        let mut x = row.x + 3;
        let date = &dates[i - cursor.top()];
        field(
            buf,
            Rect {
                x,
                width: date_w.min(row.right().saturating_sub(x)),
                ..row
            },
            date,
            Direction::Ltr,
            false,
            dim,
            app,
        );
        x += date_w + 1;
        let lang = a
            .language()
            .or(feed.and_then(|f| f.language.as_deref()))
            .unwrap_or("");
        let fallback_rtl = text::is_rtl_language(lang);
        if show_feed && x < row.right() {
            let name = feed.map_or("", |f| f.name.as_str());
            let w = feed_w.min(row.right() - x);
            field(
                buf,
                Rect { x, width: w, ..row },
                name,
                Direction::Auto,
                fallback_rtl,
                if selected {
                    style
                } else {
                    style.patch(theme::feed_name())
                },
                app,
            );
            x += feed_w + 1;
        }
        if x < row.right() {
            let dir = feed.map_or(Direction::Auto, |f| f.direction);
            let w = row.right() - x - u16::from(row.right() - x > 1);
            field(
                buf,
                Rect { x, width: w, ..row },
                a.title(),
                dir,
                fallback_rtl,
                style,
                app,
            );
        }
    }
}
