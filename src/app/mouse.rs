//! The mouse: a click selects what is under the pointer (a second click, or a double click,
//! opens it), the wheel scrolls the list or the article under the pointer, a click on the
//! ticker opens that headline, and a click on a link marker (`[3]`, or a row of the link
//! list) in the reader opens that link. Hit-testing reads the same geometry and laid-out
//! lines the views draw, right-to-left rows (drawn right-aligned) included.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::msg::Cmd;
use super::overlay::Overlay;
use super::state::{App, Focus};
use crate::action::Action;
use crate::view::StyledLine;

/// Rows one notch of the wheel moves.
const WHEEL_ROWS: isize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, ev: MouseEvent, cmds: &mut Vec<Cmd>) {
        let at = Position::new(ev.column, ev.row);
        let delta = match ev.kind {
            MouseEventKind::ScrollDown => WHEEL_ROWS,
            MouseEventKind::ScrollUp => -WHEEL_ROWS,
            MouseEventKind::Down(MouseButton::Left) => {
                if matches!(self.overlay, Overlay::None) {
                    self.on_click(at, cmds);
                }
                return;
            }
            _ => return,
        };
        if !matches!(self.overlay, Overlay::None) {
            return;
        }
        let g = self.geometry;
        if self.reader.open.is_some() {
            if g.body.contains(at) {
                self.reader.scroll_by(delta, g.page_rows());
            }
            return;
        }
        let (feeds, heads) = g.lists(self.focus == Focus::Feeds);
        if feeds.contains(at) {
            self.feeds_cursor.move_by(delta, self.sidebar.len());
        } else if heads.contains(at) {
            self.headlines.move_by(delta, self.view.len());
        }
    }

    fn on_click(&mut self, at: Position, cmds: &mut Vec<Cmd>) {
        let g = self.geometry;
        if g.ticker.contains(at) {
            if let Some(id) = self.ticker.article_at(at.x - g.ticker.x, g.ticker.width) {
                self.focus = Focus::Headlines;
                self.open_article(id, cmds);
            }
            return;
        }
        if !g.body.contains(at) {
            return;
        }
        if self.reader.open.is_some() {
            self.click_in_reader(at, cmds);
            return;
        }
        let (feeds, heads) = g.lists(self.focus == Focus::Feeds);
        if feeds.contains(at) {
            let row = self.feeds_cursor.top() + usize::from(at.y - feeds.y);
            if row < self.sidebar.len() {
                // A click on a feed shows its headlines at once, as Enter on it does.
                self.focus = Focus::Feeds;
                self.feeds_cursor.select(row);
                self.on_action(Action::Open, cmds);
            }
        } else if heads.contains(at) {
            let row = self.headlines.top() + usize::from(at.y - heads.y);
            if row >= self.view.len() {
                return;
            }
            // The second click of a double click lands on the row the first one selected.
            let again = self.focus == Focus::Headlines && self.headlines.selected() == row;
            self.focus = Focus::Headlines;
            self.headlines.select(row);
            if again {
                self.on_action(Action::Open, cmds);
            }
        }
    }

    /// A click on a link marker, or on a row of the link list, opens that link.
    fn click_in_reader(&mut self, at: Position, cmds: &mut Vec<Cmd>) {
        let Some(r) = self.reader.open.as_ref() else {
            return;
        };
        let g = self.geometry;
        let index = r.scroll + usize::from(at.y - g.body.y);
        let Some(line) = r.lines.get(index) else {
            return;
        };
        let column = g.reader_text();
        // Where the row was drawn (see `ui::reader`): RTL rows right-aligned; indents are
        // part of the laid-out line.
        let offset = if line.line.rtl {
            usize::from(column.width).saturating_sub(line.line.width)
        } else {
            0
        };
        let Some(cell) = usize::from(at.x)
            .checked_sub(usize::from(column.x) + offset)
            .filter(|&c| c < line.line.width)
        else {
            return;
        };
        let number = match marker_at(&line.line, cell) {
            Some(n) => Some(n),
            // The link list: "[n] url", a long URL going on under its label.
            None if self.in_link_list(index) => r.lines[..=index]
                .iter()
                .rev()
                .find_map(|l| list_label(&l.line.text())),
            None => None,
        };
        let article = r.article;
        let Some(n) = number else {
            return;
        };
        self.open_link_number(article, n, cmds);
    }

    /// Whether reader row `index` lies in the link list at the end of the article.
    fn in_link_list(&self, index: usize) -> bool {
        let Some(r) = self.reader.open.as_ref() else {
            return false;
        };
        let Some(heading) = r.lines.iter().rposition(|l| l.line.text() == "Links") else {
            return false;
        };
        index > heading
            && r.lines[heading + 1..=index].iter().all(|l| {
                let t = l.line.text();
                list_label(&t).is_some() || t.starts_with(' ')
            })
    }

    /// Opens link `n` of article `id`: 0 is the article's own address, 1.. the links of its
    /// text in the order the reader numbered them.
    fn open_link_number(&mut self, id: crate::store::ArticleId, n: usize, cmds: &mut Vec<Cmd>) {
        let Some(a) = self.store.article(id) else {
            return;
        };
        if n > 0 {
            // The reader's own numbering (the full text's links when it shows).
            return self.open_link(n, cmds);
        }
        let url = a.link().map(str::to_owned);
        match url {
            Some(url) if crate::link::is_web_url(&url) => {
                self.notify(format!(
                    "opening {}",
                    crate::text::sanitize::redact_credentials(&url)
                ));
                cmds.push(Cmd::OpenUrl(url));
            }
            Some(_) => self.notify("not opened: only http and https links open in the browser"),
            None => {}
        }
    }
}

/// The number of the link marker (`[3]`; `]3[` in a mirrored right-to-left run) drawn over
/// cell `cell` of `line`.
fn marker_at(line: &StyledLine, cell: usize) -> Option<usize> {
    // Each cell's grapheme, left to right.
    let mut cells: Vec<&str> = Vec::with_capacity(line.width);
    for (g, w, _) in line.cells() {
        cells.push(g);
        cells.extend(std::iter::repeat_n("", w.saturating_sub(1)));
    }
    let is_open = |g: &str| g == "[" || g == "]";
    let close_of = |g: &str| if g == "[" { "]" } else { "[" };
    let here = *cells.get(cell)?;
    let digit = |g: &str| g.len() == 1 && g.as_bytes()[0].is_ascii_digit();
    if !(is_open(here) || digit(here)) {
        return None;
    }
    // Walk left to the opening bracket, then read the digits to the closing one.
    let mut start = cell;
    while digit(cells[start]) {
        start = start.checked_sub(1)?;
    }
    if !is_open(cells[start]) {
        return None;
    }
    let open = cells[start];
    let mut end = start + 1;
    let mut number = String::new();
    while let Some(&g) = cells.get(end).filter(|g| digit(g)) {
        number.push_str(g);
        end += 1;
    }
    if number.is_empty() || cells.get(end) != Some(&close_of(open)) {
        // `here` may be the closing bracket: try the marker that ends at it.
        if is_open(here) && cell > 0 && digit(cells[cell - 1]) {
            return marker_at(line, cell - 1);
        }
        return None;
    }
    if cell > end {
        return None;
    }
    number.parse().ok()
}

/// `n` of a link list row `"[n] url"`; the article's own address (`"[o] url"`) is 0.
fn list_label(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let (n, after) = rest.split_once("] ")?;
    if n == "o" && !after.trim().is_empty() {
        return Some(0);
    }
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || after.trim().is_empty() {
        return None;
    }
    n.parse().ok()
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
    fn a_marker_is_found_from_any_of_its_cells() {
        let l = line("see this[12] and");
        for cell in 8..=11 {
            assert_eq!(marker_at(&l, cell), Some(12), "cell {cell}");
        }
        assert_eq!(marker_at(&l, 7), None);
        assert_eq!(marker_at(&l, 12), None);
        assert_eq!(marker_at(&line("]3[ mirrored"), 1), Some(3));
        assert_eq!(marker_at(&line("[x] no"), 0), None);
        assert_eq!(marker_at(&line("1995"), 1), None);
    }

    #[test]
    fn link_list_rows_carry_their_number() {
        assert_eq!(list_label("[0] https://example.org/"), Some(0));
        assert_eq!(list_label("[10] https://example.org/"), Some(10));
        assert_eq!(list_label("[a] https://example.org/"), None);
        assert_eq!(list_label("    example.org/rest"), None);
    }
}
