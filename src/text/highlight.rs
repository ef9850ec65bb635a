//! Search matches in an article: the words of the query, found by the folded comparison of
//! the index (`يحسن` finds `يحسّن`, `cafe` finds `Café`), take [`Role::Match`] in the
//! document's logical text. The layout carries roles through shaping, wrapping and bidi
//! reordering cluster by cluster (`layout::styled`), so a highlighted Arabic word covers
//! exactly its shaped cells in any bidi mode, however the line is reordered.
//! [`match_rows`] lists the laid-out lines that hold a match, for `n`/`N` in the reader.

use std::ops::Range;

use super::doc::{Content, Document, Role, StyledText};
use super::fold::{FoldOptions, find_words};
use super::layout::DocLine;

/// Gives every word of `doc` that matches `query` the role [`Role::Match`] (over whatever
/// role it had: a match inside bold text shows as a match). Returns how many words matched.
pub fn mark_matches(doc: &mut Document, query: &str, opts: FoldOptions) -> usize {
    let mut n = 0;
    for block in &mut doc.blocks {
        match &mut block.content {
            Content::Paragraph(t)
            | Content::Heading(_, t)
            | Content::Caption(t)
            | Content::Preformatted(t) => n += mark_text(t, query, opts),
            Content::Table(table) => {
                for cell in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                    n += mark_text(&mut cell.text, query, opts);
                }
            }
            Content::Rule => {}
        }
    }
    n
}

/// Marks the matches of `query` in one text; returns how many there were.
pub fn mark_text(text: &mut StyledText, query: &str, opts: FoldOptions) -> usize {
    let found = find_words(text.as_str(), query, opts);
    if found.is_empty() {
        return 0;
    }
    *text = with_role(text, &found, Role::Match);
    found.len()
}

/// `text` with `ranges` (sorted, disjoint, on char boundaries) given `role`.
fn with_role(text: &StyledText, ranges: &[Range<usize>], role: Role) -> StyledText {
    let s = text.as_str();
    let mut out = StyledText::default();
    let mut at = 0;
    let copy = |out: &mut StyledText, range: Range<usize>| {
        for (run, r) in text.runs() {
            let (start, end) = (run.start.max(range.start), run.end.min(range.end));
            if start < end {
                out.push_str(s.get(start..end).unwrap_or(""), r);
            }
        }
    };
    for m in ranges {
        if m.start < at {
            continue;
        }
        copy(&mut out, at..m.start);
        out.push_str(s.get(m.clone()).unwrap_or(""), role);
        at = m.end;
    }
    copy(&mut out, at..s.len());
    out
}

/// The indexes of the laid-out lines that hold a match, top to bottom.
pub fn match_rows(lines: &[DocLine]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.spans.iter().any(|s| s.role == Role::Match))
        .map(|(i, _)| i)
        .collect()
}

/// The next row with a match after `from` (or, `forward == false`, the one before), wrapping
/// around at the ends; `None` without matches.
pub fn next_match(rows: &[usize], from: usize, forward: bool) -> Option<usize> {
    if forward {
        rows.iter()
            .copied()
            .find(|&r| r > from)
            .or(rows.first().copied())
    } else {
        rows.iter()
            .rev()
            .copied()
            .find(|&r| r < from)
            .or(rows.last().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use crate::text::fold::fold;
    use crate::text::html::parse_html;
    use crate::text::layout::{LayoutContext, layout_document};
    use crate::text::{BidiMode, TextOptions};

    fn runs(s: &StyledText) -> Vec<(&str, Role)> {
        s.runs().map(|(r, role)| (&s.as_str()[r], role)).collect()
    }

    fn ctx(mode: BidiMode, shaping: bool) -> LayoutContext {
        LayoutContext {
            dir: Direction::Auto,
            fallback_rtl: false,
            opts: TextOptions { mode, shaping },
        }
    }

    /// The text of the match spans of each line, folded, in logical order (reversed back for
    /// an RTL run drawn right to left).
    fn matched(lines: &[DocLine], reversed: bool) -> Vec<String> {
        lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .filter(|s| s.role == Role::Match)
            .map(|s| {
                let f = fold(&s.text.text);
                if reversed {
                    f.chars().rev().collect()
                } else {
                    f
                }
            })
            .collect()
    }

    #[test]
    fn a_word_without_marks_marks_the_word_with_its_marks_and_only_it() {
        let mut t = StyledText::from_runs([
            ("الإصدار ", Role::Text),
            ("يُحَسِّنُ", Role::Strong),
            (" سرعة يحسن", Role::Text),
        ]);
        assert_eq!(mark_text(&mut t, "يحسن", FoldOptions::default()), 2);
        assert_eq!(
            runs(&t),
            [
                ("الإصدار ", Role::Text),
                ("يُحَسِّنُ", Role::Match),
                (" سرعة ", Role::Text),
                ("يحسن", Role::Match),
            ]
        );
    }

    #[test]
    fn latin_matches_fold_case_and_accents_and_keep_the_other_runs() {
        let mut t = StyledText::from_runs([
            ("Le ", Role::Text),
            ("Café", Role::Link),
            (" ouvre", Role::Text),
        ]);
        assert_eq!(mark_text(&mut t, "cafe", FoldOptions::default()), 1);
        assert_eq!(
            runs(&t),
            [
                ("Le ", Role::Text),
                ("Café", Role::Match),
                (" ouvre", Role::Text)
            ]
        );
        let mut none = StyledText::new("nothing here", Role::Text);
        assert_eq!(mark_text(&mut none, "cafe", FoldOptions::default()), 0);
        assert_eq!(runs(&none), [("nothing here", Role::Text)]);
    }

    #[test]
    fn a_highlighted_arabic_word_covers_exactly_its_shaped_cells_in_every_bidi_mode() {
        let html = "<p>قال إن الإصدار <b>يُحَسِّنُ</b> سرعة الترجمة كثيرا</p>";
        for (mode, shaping, reversed) in [
            (BidiMode::App, true, true),
            (BidiMode::App, false, true),
            (BidiMode::Terminal, false, false),
            (BidiMode::Off, false, false),
        ] {
            let mut doc = parse_html(html, None);
            assert_eq!(mark_matches(&mut doc, "يحسن", FoldOptions::default()), 1);
            for width in [80, 12, 6] {
                let lines = layout_document(&doc, width, &ctx(mode, shaping));
                // The word is four letters: four cells, all of them the match, none else.
                let cells = lines
                    .iter()
                    .flat_map(|l| l.cells())
                    .filter(|(_, _, r)| *r == Role::Match)
                    .count();
                assert_eq!(cells, 4, "{mode:?} shaping {shaping} width {width}");
                assert_eq!(
                    matched(&lines, reversed),
                    ["يحسن"],
                    "{mode:?} shaping {shaping} width {width}"
                );
            }
        }
    }

    #[test]
    fn a_match_in_a_mixed_line_stays_on_its_word_after_reordering() {
        // An English word inside an Arabic paragraph, and an Arabic word inside English.
        let mut doc = parse_html(
            "<p>أعلنت شركة Apple عن هاتف</p><p>The word سلام means peace</p>",
            None,
        );
        assert_eq!(mark_matches(&mut doc, "apple", FoldOptions::default()), 1);
        assert_eq!(mark_matches(&mut doc, "سلام", FoldOptions::default()), 1);
        let lines = layout_document(&doc, 40, &ctx(BidiMode::App, false));
        let spans: Vec<String> = lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .filter(|s| s.role == Role::Match)
            .map(|s| s.text.text.clone())
            .collect();
        assert_eq!(spans, ["Apple", "مالس"]);
    }

    #[test]
    fn matches_in_table_cells_and_headings_are_marked() {
        let mut doc = parse_html(
            "<h2>Rust news</h2><table><tr><td>rust</td><td>go</td></tr></table>",
            None,
        );
        assert_eq!(mark_matches(&mut doc, "rust", FoldOptions::default()), 2);
    }

    #[test]
    fn n_and_shift_n_move_between_match_rows_and_wrap_around() {
        let mut doc = parse_html("<p>one match</p><p>none</p><p>another match</p>", None);
        mark_matches(&mut doc, "match", FoldOptions::default());
        let lines = layout_document(&doc, 40, &ctx(BidiMode::App, false));
        let rows = match_rows(&lines);
        assert_eq!(rows, [0, 4]);
        assert_eq!(next_match(&rows, 0, true), Some(4));
        assert_eq!(next_match(&rows, 4, true), Some(0));
        assert_eq!(next_match(&rows, 4, false), Some(0));
        assert_eq!(next_match(&rows, 0, false), Some(4));
        assert_eq!(next_match(&[], 0, true), None);
    }
}
