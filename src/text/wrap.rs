//! Wraps a prepared paragraph in logical order: greedy, by cell width, at UAX #14 break
//! opportunities; a word wider than the line is cut at cluster boundaries.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::cluster::Unit;

/// Break opportunities before each unit: `Some(n)` = allowed, with `n` forced breaks.
fn breaks_before(text: &str, units: &[Unit]) -> Vec<Option<u16>> {
    let mut before: Vec<Option<u16>> = vec![None; units.len()];
    let mut ui = 0;
    for (offset, kind) in linebreaks(text) {
        if offset >= text.len() {
            break;
        }
        // A break that falls inside a cluster (or on a dropped control) moves to the next one.
        while ui < units.len() && units[ui].range.start < offset {
            ui += 1;
        }
        if ui == 0 || ui >= units.len() {
            continue;
        }
        let forced = u16::from(kind == BreakOpportunity::Mandatory);
        let slot = before[ui].get_or_insert(0);
        *slot = slot.saturating_add(forced);
    }
    before
}

/// Lines as ranges of unit indices. Spaces where a line is broken are dropped (not in any
/// range); a unit wider than `width` cannot be shown at all and is skipped. Always returns at
/// least one (maybe empty) line.
pub(crate) fn wrap(text: &str, units: &[Unit], width: usize) -> Vec<Range<usize>> {
    let before = breaks_before(text, units);
    let w = |u: usize| usize::from(units[u].width);
    let mut lines = Vec::new();
    let (mut start, mut end, mut used) = (0usize, 0usize, 0usize);
    let finish = |lines: &mut Vec<Range<usize>>, start: usize, mut end: usize| {
        while end > start && units[end - 1].space {
            end -= 1;
        }
        lines.push(start..end);
    };
    let mut i = 0;
    while i < units.len() {
        let mut j = i + 1;
        while j < units.len() && before[j].is_none() {
            j += 1;
        }
        let mut k = j;
        while k > i && units[k - 1].space {
            k -= 1;
        }
        let word: usize = (i..k).map(w).sum();
        // Spaces between the line's end and this word hung past the edge (they did not fit):
        // the line is full, and a word kept on it would pull them back inside (found by the
        // `extract` fuzz target: a run of U+3000, two cells each, made a line of 66 at 16).
        let hung = end < i && k > i;
        if end > start && (hung || used + word > width) {
            finish(&mut lines, start, end);
            (start, end, used) = (i, i, 0);
        }
        if end == start {
            // Nothing kept on this line yet: it starts here (skipping hung spaces).
            start = i;
            end = i;
        }
        if word <= width - used.min(width) {
            end = k;
            used += word;
        } else {
            // Longer than a whole line: cut between clusters.
            for u in i..k {
                if used + w(u) > width {
                    if end > start {
                        lines.push(start..end);
                    }
                    if w(u) > width {
                        (start, end, used) = (u + 1, u + 1, 0);
                        continue;
                    }
                    (start, used) = (u, 0);
                }
                end = u + 1;
                used += w(u);
            }
        }
        // Trailing spaces stay while they fit; the rest hang past the edge and are dropped.
        for u in k..j {
            if end != u || used + w(u) > width {
                break;
            }
            end = u + 1;
            used += w(u);
        }
        if let Some(&Some(forced)) = before.get(j)
            && forced > 0
        {
            finish(&mut lines, start, end);
            for _ in 1..forced {
                lines.push(j..j);
            }
            (start, end, used) = (j, j, 0);
        }
        i = j;
    }
    if end > start || lines.is_empty() {
        lines.push(start..end);
    }
    // Spaces hang: whatever route put them at a line's end (a zero-width mark between them
    // can hide a break from the loop above), they never make a line wider than `width`.
    for line in &mut lines {
        let mut used: usize = line.clone().map(w).sum();
        while used > width && line.end > line.start && units[line.end - 1].space {
            line.end -= 1;
            used -= w(line.end);
        }
    }
    lines
}

/// Widths a table column needs for a prepared paragraph: the widest piece between two break
/// opportunities (a word, which a narrower column has to cut) and the widest line when only
/// forced breaks are taken. Spaces at the end of a piece or a line are not counted.
pub(crate) fn measure(text: &str, units: &[Unit]) -> (usize, usize) {
    let before = breaks_before(text, units);
    let (mut word, mut line, mut min, mut max) = (0usize, 0usize, 0usize, 0usize);
    for (u, unit) in units.iter().enumerate() {
        if let Some(forced) = before[u] {
            word = 0;
            if forced > 0 {
                line = 0;
            }
        }
        word += usize::from(unit.width);
        line += usize::from(unit.width);
        if !unit.space {
            min = min.max(word);
            max = max.max(line);
        }
    }
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::super::cluster::prepare;
    use super::*;

    fn wrapped(text: &str, width: usize) -> Vec<String> {
        let p = prepare(text, false, true);
        wrap(&p.text, &p.units, width)
            .into_iter()
            .map(|r| {
                if r.is_empty() {
                    return String::new();
                }
                p.text[p.units[r.start].range.start..p.units[r.end - 1].range.end].to_string()
            })
            .collect()
    }

    #[test]
    fn words_wrap_at_spaces_and_the_break_spaces_are_dropped() {
        assert_eq!(wrapped("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrapped("one two three", 5), vec!["one", "two", "three"]);
    }

    #[test]
    fn a_long_word_is_cut_at_clusters() {
        assert_eq!(wrapped("abcdefgh ij", 3), vec!["abc", "def", "gh", "ij"]);
    }

    #[test]
    fn a_wide_cluster_never_straddles_the_edge() {
        assert_eq!(wrapped("a中文", 2), vec!["a", "中", "文"]);
        assert_eq!(wrapped("中", 1), vec![""]);
    }

    #[test]
    fn newlines_force_breaks_and_keep_empty_lines() {
        assert_eq!(wrapped("a\n\nb", 10), vec!["a", "", "b"]);
    }

    #[test]
    fn urls_break_where_uax14_allows_and_else_at_clusters() {
        assert_eq!(
            wrapped("see https://example.com/a/b", 16),
            vec!["see https://", "example.com/a/b"]
        );
        assert_eq!(
            wrapped("https://example.com/a/b", 8),
            vec!["https://", "example.", "com/a/b"]
        );
    }

    #[test]
    fn spaces_around_a_zero_width_mark_never_overflow_the_line() {
        // Found by the property test: the LRM attaches to a space and hides a break.
        let text = "ab  \u{200e} ";
        let units = crate::text::cluster::prepare(text, false, true).units;
        for line in wrap(text, &units, 1) {
            let width: usize = line.map(|u| usize::from(units[u].width)).sum();
            assert!(width <= 1);
        }
    }

    #[test]
    fn a_measure_is_the_widest_word_and_the_widest_unwrapped_line() {
        let m = |text: &str| {
            let p = prepare(text, false, true);
            measure(&p.text, &p.units)
        };
        assert_eq!(m("one three  "), (5, 9));
        assert_eq!(m("ab\nlonger line"), (6, 11));
        assert_eq!(m("see https://example.com/a"), (12, 25));
        assert_eq!(m("中文 x"), (2, 6), "ideographs break between each other");
        assert_eq!(m(""), (0, 0));
    }

    #[test]
    fn spaces_that_hang_past_the_edge_never_come_back_inside_the_line() {
        // Found by the `extract` fuzz target (`fuzz/regressions/crash-e877bd49...`): two-cell
        // ideographic spaces (U+3000), the eighth of which no longer fits; a one-cell word
        // still fitted in the cell left and pulled the hung spaces back in (20 cells at 16).
        let text = format!("a{}b", "\u{3000}".repeat(9));
        assert_eq!(wrapped(&text, 16), vec!["a", "b"]);
        let text = format!("ab{}c d", "\u{3000}".repeat(3));
        assert_eq!(wrapped(&text, 7), vec!["ab", "c d"]);
    }

    #[test]
    fn an_all_space_paragraph_keeps_what_fits() {
        assert_eq!(wrapped("     ", 3), vec!["   "]);
    }
}
