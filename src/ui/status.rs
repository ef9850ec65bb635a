//! The status line: feeds OK / failed, unread count, last refresh, the bidi mode, transient
//! messages, and the search prompt while typing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{App, Focus, LineInput, Overlay, SearchProgress, SidebarRow};
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
    if let Some((n, host)) = app.sync_waiting() {
        s.push_str(&format!(
            " · {} waiting for {host}",
            crate::view::count(n, "change")
        ));
    }
    if app.is_syncing() {
        s.push_str(" · syncing");
    }
    if let Some((done, total)) = app.indexing() {
        s.push_str(&format!(" · search index {}%", done * 100 / total.max(1)));
    }
    if let Some(q) = app.search() {
        s.push_str(&format!(" · search: {q}"));
        let matches = |n: usize| match n {
            1 => "1 match".to_string(),
            n => format!("{n} matches"),
        };
        let listed = app.view().len();
        match app.search_progress() {
            Some(SearchProgress::Searching) => s.push_str(" (searching…)"),
            Some(SearchProgress::Found { total, sent }) if total > sent => {
                s.push_str(&format!(
                    " ({}; the newest {sent} of {total})",
                    matches(listed)
                ));
            }
            Some(SearchProgress::Found { .. }) => s.push_str(&format!(" ({})", matches(listed))),
            Some(SearchProgress::InMemory) | None => {
                s.push_str(&format!(" ({} in titles)", matches(listed)));
            }
        }
    }
    if let Some(f) = app.view_filter() {
        s.push_str(&format!(
            " · filter: {} ({})",
            text::sanitize::sanitize_inline(f.source()),
            crate::view::count(app.view().len(), "article")
        ));
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

/// The search prompt: `/` and the query in its own visual order, the caret (reversed) on the
/// cell where the next letter will appear.
fn prompt_line(
    prefix: &str,
    input: &LineInput,
    width: usize,
    opts: &text::TextOptions,
) -> StyledLine {
    let prefix_w = text::display_width(prefix);
    let view = text::caret::layout_input(
        input.text(),
        input.cursor(),
        width.saturating_sub(prefix_w),
        opts,
    );
    let caret_style = theme::status().add_modifier(ratatui::style::Modifier::REVERSED);
    let mut l = StyledLine::from_visual(plain(prefix), theme::status());
    let cell = |g: &str, w: usize| text::VisualLine {
        text: g.to_string(),
        clusters: vec![(g.len(), w as u8)],
        width: w,
        rtl: false,
    };
    let mut part = text::VisualLine::default();
    let mut x = 0;
    let mut caret_drawn = false;
    for (g, w) in view.line.cells() {
        if x == view.caret {
            l.push(std::mem::take(&mut part), theme::status());
            l.push(cell(g, w), caret_style);
            caret_drawn = true;
        } else {
            part.text.push_str(g);
            part.clusters.push((part.text.len(), w as u8));
            part.width += w;
        }
        x += w;
    }
    l.push(part, theme::status());
    if !caret_drawn {
        l.push(cell(" ", 1), caret_style);
    }
    l
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
    let reader = reader_part(app);
    let mut modes = format!("{reader}bidi:{}  ?:help ", app.bidi().mode.name());
    // A narrow screen keeps where the reader is and drops the modes.
    let fits = |s: &str, left: u16| {
        row.width > text::display_width(&format!("{unsaved}{s}")) as u16 + left
    };
    let mut show_right = fits(&modes, 20);
    if !show_right && !reader.is_empty() {
        modes = reader;
        show_right = fits(&modes, 10);
    }
    let right = format!("{unsaved}{modes}");
    let right_w = text::display_width(&right) as u16;
    // One cell of margin on the left, and one before the right part.
    let left_w = if show_right {
        row.width - right_w - 1
    } else {
        row.width
    }
    .saturating_sub(1) as usize;
    // A prompt: the search being typed, or a question waiting for y/n.
    let input = match app.overlay() {
        Overlay::Search(input) => Some(Prompt::Search("/", input)),
        Overlay::Filter(input) => Some(Prompt::Search("filter: ", input)),
        Overlay::LinkNumber(input) => Some(Prompt::LinkNumber(input)),
        Overlay::Confirm { unread } => Some(Prompt::Question(format!(
            "mark {} read? y/n",
            crate::view::count(*unread, "article")
        ))),
        _ => None,
    };
    let mut left = match (input, app.status_message()) {
        (Some(Prompt::Search(prefix, input)), _) => prompt_line(prefix, input, left_w, &opts),
        (Some(Prompt::LinkNumber(input)), _) => prompt_line("open link #", input, left_w, &opts),
        (Some(Prompt::Question(question)), _) => StyledLine::from_visual(
            text::layout_field(&question, Direction::Auto, false, left_w, &opts),
            theme::status(),
        ),
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

/// In the reader: the article's state and where the reader is in it ("★ unread  22/80 27%"),
/// before the modes.
fn reader_part(app: &App) -> String {
    let Some(r) = app.reader() else {
        return String::new();
    };
    let state = app
        .store()
        .article(r.article)
        .map(|a| crate::view::reader_state(a.read, a.starred))
        .unwrap_or_default();
    let page = app.geometry().page_rows();
    let at = crate::view::reader_position(r.scroll, page, r.lines.len());
    format!("{state}  {at}  ")
}

/// What the status line asks for instead of showing a message.
enum Prompt<'a> {
    /// The search (or the session's filter) being typed, after its prefix.
    Search(&'static str, &'a crate::app::LineInput),
    /// A question waiting for y/n.
    Question(String),
    /// The number of a link to open (`#` in the reader).
    LinkNumber(&'a crate::app::LineInput),
}
