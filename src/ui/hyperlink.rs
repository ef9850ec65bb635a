//! OSC 8 hyperlinks over the reader's links (issue 11): where a line's part carries a link
//! target (`StyledLine::links`), its cells become one hyperlink span per visual run.
//!
//! ratatui's buffer has no hyperlinks, so (as in ratatui's own `hyperlink` example) the
//! escape goes into a cell's symbol: the run's first cell holds
//! `ESC ] 8 ; ; TARGET ESC \ text ESC ] 8 ; ; ESC \` with `CellDiffOption::ForcedWidth` set to
//! the run's width, so the diff knows the terminal's cursor moves that far, and the run's
//! other cells are `Skip` (their text is in the first one). A run is cut where the target
//! or the style changes, and in a right-to-left line a link reordered into pieces gets one
//! span per piece, each with the same target. Only targets [`osc8_target`] accepts are
//! linked; any other link is drawn as it was, plain.

use std::fmt::Write as _;
use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::view::{Geometry, ReaderLine, StyledLine};

/// Longest target linked (terminals cap theirs near 2 KB; VTE at 2083 bytes).
const MAX_TARGET: usize = 2048;

/// The target as it may go into an OSC 8 sequence: http, https or mailto only (parsed as a
/// URL, its scheme checked, no credentials), every byte below `!`, `;`, DEL and every
/// non-ASCII byte percent-encoded, so nothing in it can end the sequence or start another.
/// `None`: do not link it.
pub fn osc8_target(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https" | "mailto") {
        return None;
    }
    // A terminal shows the target on hover: credentials never reach the screen.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return None;
    }
    let mut out = String::with_capacity(parsed.as_str().len());
    for b in parsed.as_str().bytes() {
        if b < 0x21 || b == 0x7f || b >= 0x80 || b == b';' {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(char::from(b));
        }
    }
    (out.len() <= MAX_TARGET).then_some(out)
}

/// The OSC 8 sequence that links `text` to `target` (already through [`osc8_target`]).
pub fn osc8(target: &str, text: &str) -> String {
    format!("\u{1b}]8;;{target}\u{1b}\\{text}\u{1b}]8;;\u{1b}\\")
}

/// Links the visible rows of a laid-out article, as `ui::reader::render` drew them.
pub fn render(lines: &[ReaderLine], scroll: usize, geometry: &Geometry, buf: &mut Buffer) {
    let area = geometry.body.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let column = geometry.reader_text();
    for (i, l) in lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        if l.line.links.is_empty() {
            continue;
        }
        let y = area.y + i as u16;
        link_line(buf, Rect::new(column.x, y, column.width, 1), &l.line);
    }
}

/// One run of cells with one target and one style.
struct Run {
    start: i64,
    end: i64,
    target: String,
    style: Style,
    text: String,
}

/// Links `line` as `cells::draw_aligned` drew it in `row`.
pub fn link_line(buf: &mut Buffer, row: Rect, line: &StyledLine) {
    let row = row.intersection(buf.area);
    if row.is_empty() {
        return;
    }
    let offset = if line.rtl {
        (i64::from(row.width) - line.width as i64).max(0)
    } else {
        0
    };
    let mut x = i64::from(row.x) + offset;
    let mut run: Option<Run> = None;
    for (i, (part, style)) in line.parts.iter().enumerate() {
        let target = line.link_of(i).and_then(osc8_target);
        for (g, w) in part.cells() {
            let w = w as i64;
            match (&mut run, &target) {
                (Some(r), Some(t)) if r.target == *t && r.style == *style && r.end == x => {
                    r.text.push_str(g);
                    r.end += w;
                }
                _ => {
                    if let Some(r) = run.take() {
                        apply(buf, row, &r);
                    }
                    run = target.as_ref().map(|t| Run {
                        start: x,
                        end: x + w,
                        target: t.clone(),
                        style: *style,
                        text: g.to_string(),
                    });
                }
            }
            x += w;
        }
    }
    if let Some(r) = run {
        apply(buf, row, &r);
    }
}

/// Puts one run into its cells; a run not wholly inside `row` (clipped) stays plain.
fn apply(buf: &mut Buffer, row: Rect, run: &Run) {
    let (left, right) = (i64::from(row.x), i64::from(row.x) + i64::from(row.width));
    if run.start < left || run.end > right || run.end <= run.start {
        return;
    }
    let Some(width) = u16::try_from(run.end - run.start)
        .ok()
        .and_then(NonZeroU16::new)
    else {
        return;
    };
    let start = run.start as u16;
    buf[(start, row.y)]
        .set_symbol(&osc8(&run.target, &run.text))
        .set_diff_option(CellDiffOption::ForcedWidth(width));
    for cx in start + 1..start + width.get() {
        buf[(cx, row.y)].set_diff_option(CellDiffOption::Skip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::plain;

    #[test]
    fn web_and_mail_targets_are_kept_and_encoded() {
        assert_eq!(
            osc8_target("https://example.org/a?b=1").as_deref(),
            Some("https://example.org/a?b=1")
        );
        assert_eq!(
            osc8_target("mailto:ed@example.org").as_deref(),
            Some("mailto:ed@example.org")
        );
        assert_eq!(
            osc8_target("HTTP://Example.org/x;y").as_deref(),
            Some("http://example.org/x%3By")
        );
        assert_eq!(
            osc8_target("https://example.org/خبر").as_deref(),
            Some("https://example.org/%D8%AE%D8%A8%D8%B1")
        );
    }

    #[test]
    fn hostile_targets_cannot_break_out_of_the_sequence() {
        for hostile in [
            "https://e.org/\u{1b}]52;c;eA==\u{7}",
            "https://e.org/\u{1b}\\x",
            "https://e.org/\u{7}bel",
            "https://e.org/\u{9c}st",
            "https://e.org/a b",
            "mailto:a@e.org?subject=hi \u{1b}[2J",
            "https://e.org/\u{7f}",
        ] {
            let t = osc8_target(hostile).unwrap_or_else(|| panic!("{hostile:?} is a web link"));
            assert!(
                t.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b';'),
                "{hostile:?} -> {t:?}"
            );
        }
        for refused in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<b>x</b>",
            "ftp://e.org/x",
            "/relative",
            "https://user:pw@e.org/feed",
            "",
        ] {
            assert_eq!(osc8_target(refused), None, "{refused:?}");
        }
        let long = format!("https://e.org/{}", "a".repeat(MAX_TARGET));
        assert_eq!(osc8_target(&long), None);
    }

    fn linked(parts: &[(&str, Option<&str>)]) -> StyledLine {
        let mut l = StyledLine::default();
        for (text, target) in parts {
            match target {
                Some(t) => l.push_link(plain(text), Style::default(), t),
                None => l.push(plain(text), Style::default()),
            }
        }
        l
    }

    #[test]
    fn a_link_becomes_one_span_in_its_first_cell_and_the_rest_are_skipped() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let buf_area = buf.area;
        let line = linked(&[("ab ", None), ("link", Some("https://e.org/"))]);
        crate::ui::cells::draw_aligned(&mut buf, buf_area, &line);
        link_line(&mut buf, buf_area, &line);
        assert_eq!(buf[(0, 0)].symbol(), "a");
        assert_eq!(buf[(3, 0)].symbol(), osc8("https://e.org/", "link"));
        assert_eq!(
            buf[(3, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(4).unwrap())
        );
        for x in 4..7 {
            assert_eq!(buf[(x, 0)].diff_option, CellDiffOption::Skip, "{x}");
        }
        assert_eq!(buf[(7, 0)].diff_option, CellDiffOption::None);
    }

    #[test]
    fn pieces_of_one_link_apart_get_a_span_each_with_the_same_target() {
        // An RTL line after reordering: the link's two pieces with other text between.
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        let buf_area = buf.area;
        let t = "https://e.org/x";
        let mut line = linked(&[("ab", Some(t)), ("--", None), ("cd", Some(t))]);
        line.rtl = true;
        crate::ui::cells::draw_aligned(&mut buf, buf_area, &line);
        link_line(&mut buf, buf_area, &line);
        assert_eq!(buf[(6, 0)].symbol(), osc8(t, "ab"));
        assert_eq!(buf[(8, 0)].symbol(), "-");
        assert_eq!(buf[(10, 0)].symbol(), osc8(t, "cd"));
    }

    #[test]
    fn a_refused_or_clipped_link_stays_plain() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let line = linked(&[
            ("js", Some("javascript:x")),
            ("long", Some("https://e.org/")),
        ]);
        let row = Rect::new(0, 0, 5, 1);
        crate::ui::cells::draw_aligned(&mut buf, row, &line);
        link_line(&mut buf, row, &line);
        let plain_cells = buf
            .content
            .iter()
            .all(|c| c.diff_option == CellDiffOption::None && !c.symbol().contains('\u{1b}'));
        assert!(plain_cells);
    }

    #[test]
    fn a_frame_with_a_link_writes_the_sequence_once_and_a_plain_frame_rewrites_its_cells() {
        let line = linked(&[("go", Some("https://e.org/"))]);
        let mut linked_buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        let linked_buf_area = linked_buf.area;
        crate::ui::cells::draw_aligned(&mut linked_buf, linked_buf_area, &line);
        link_line(&mut linked_buf, linked_buf_area, &line);
        let empty = Buffer::empty(Rect::new(0, 0, 4, 1));
        let diff = empty.diff(&linked_buf);
        // The run's first cell only: the diff skips the cell its text covers.
        assert_eq!(diff.len(), 1, "{diff:?}");
        assert_eq!(diff[0].0, 0);
        // Back to plain text: both cells are written again, so no hyperlink is left over.
        let mut plain_buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        let plain_buf_area = plain_buf.area;
        crate::ui::cells::draw_aligned(&mut plain_buf, plain_buf_area, &line);
        let back = linked_buf.diff(&plain_buf);
        let xs: Vec<u16> = back.iter().map(|(x, _, _)| *x).collect();
        assert_eq!(xs, [0, 1]);
    }
}
