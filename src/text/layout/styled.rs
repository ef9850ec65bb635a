//! Lays out one paragraph of styled text: the same engine as `text::layout_paragraph`
//! (levels on the whole paragraph, wrap in logical order, reorder each line by clusters), with
//! each cluster keeping the role of the source text it came from, so the roles follow the text
//! when a line is reordered.

use crate::model::Direction;
use crate::text::cluster::{Prepared, prepare_mapped};
use crate::text::doc::{Role, StyledText};
use crate::text::{TextOptions, VisualLine, bidi, is_rtl_paragraph, layout_paragraph, wrap};

use super::line::DocLine;

/// The lines of a styled paragraph at `width` (at least one line, maybe empty). `dir` and
/// `fallback_rtl` as for [`layout_paragraph`].
pub(crate) fn layout_styled(
    text: &StyledText,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> Vec<DocLine> {
    if text.run_count() <= 1 {
        // One role: nothing to follow (most paragraphs).
        let role = text.role_at(0);
        return layout_paragraph(text.as_str(), dir, fallback_rtl, width, opts)
            .into_iter()
            .map(|l| single(l, role))
            .collect();
    }
    let (prepared, sources) = prepare_mapped(text.as_str(), opts.shapes(), true);
    let rtl = is_rtl_paragraph(&prepared.text, dir, fallback_rtl);
    let roles = unit_roles(&prepared, &sources, text);
    let resolved = bidi::Resolved::new(&prepared.text, rtl, opts.reorders());
    wrap::wrap(&prepared.text, &prepared.units, width)
        .into_iter()
        .map(|range| {
            let (line, drawn) =
                bidi::draw_line(&prepared, &resolved, range, false, opts.rtl_flag(rtl));
            // Runs of clusters of one role become one span each (cut out of the line).
            let mut out = DocLine::new(line.rtl);
            let role_of = |u: Option<usize>| u.and_then(|u| roles.get(u)).copied();
            let mut start = 0;
            while start < drawn.len().min(line.clusters.len()) {
                let role = role_of(drawn[start]).unwrap_or_default();
                let mut end = start + 1;
                while end < drawn.len().min(line.clusters.len())
                    && role_of(drawn[end]).unwrap_or(role) == role
                {
                    end += 1;
                }
                out.push(cut(&line, start..end), role);
                start = end;
            }
            if start < line.clusters.len() {
                // Should a cluster have no unit (it never has), it is not lost.
                out.push(cut(&line, start..line.clusters.len()), Role::Text);
            }
            out
        })
        .collect()
}

/// The clusters `range` of a line as a line of their own.
fn cut(line: &VisualLine, range: std::ops::Range<usize>) -> VisualLine {
    if range.start == 0 && range.end == line.clusters.len() {
        return line.clone();
    }
    let from = range.start.checked_sub(1).map_or(0, |i| line.clusters[i].0);
    let to = line.clusters[range.end - 1].0;
    let clusters: Vec<(usize, u8)> = line.clusters[range]
        .iter()
        .map(|&(end, w)| (end - from, w))
        .collect();
    VisualLine {
        text: line.text[from..to].to_string(),
        width: clusters.iter().map(|&(_, w)| usize::from(w)).sum(),
        clusters,
        rtl: line.rtl,
    }
}

fn single(line: VisualLine, role: Role) -> DocLine {
    let mut out = DocLine::new(line.rtl);
    out.push(line, role);
    out
}

/// The role of each unit: that of the source char its first char came from. Units, chars and
/// their sources all go forward, so one walk finds them all.
fn unit_roles(p: &Prepared, sources: &[usize], text: &StyledText) -> Vec<Role> {
    let bytes = p.text.as_bytes();
    let runs = text.run_ends();
    let (mut at, mut k, mut run) = (0usize, 0usize, 0usize);
    let mut roles = Vec::with_capacity(p.units.len());
    for unit in &p.units {
        while at < unit.range.start && at < bytes.len() {
            at += utf8_len(bytes[at]);
            k += 1;
        }
        let source = sources.get(k).copied().unwrap_or(0);
        while run + 1 < runs.len() && runs[run].0 <= source {
            run += 1;
        }
        roles.push(runs.get(run).map_or(Role::Text, |&(_, r)| r));
    }
    roles
}

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::BidiMode;

    fn spans(lines: &[DocLine]) -> Vec<Vec<(String, Role)>> {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| (s.text.text.clone(), s.role))
                    .collect()
            })
            .collect()
    }

    fn plain_opts() -> TextOptions {
        TextOptions {
            mode: BidiMode::App,
            shaping: false,
        }
    }

    #[test]
    fn roles_follow_their_words_when_an_rtl_line_is_reordered() {
        let text = StyledText::from_runs([
            ("שלום ", Role::Text),
            ("גדול", Role::Strong),
            (" עולם", Role::Text),
        ]);
        let lines = layout_styled(&text, Direction::Auto, false, 40, &plain_opts());
        assert_eq!(
            spans(&lines),
            [vec![
                ("םלוע ".to_string(), Role::Text),
                ("לודג".to_string(), Role::Strong),
                (" םולש".to_string(), Role::Text),
            ]]
        );
        assert!(lines[0].rtl);
    }

    #[test]
    fn an_ltr_word_in_an_rtl_line_keeps_its_role_and_order() {
        let text = StyledText::from_runs([
            ("שלום ", Role::Text),
            ("Rust", Role::Code),
            (" עולם", Role::Text),
        ]);
        let lines = layout_styled(&text, Direction::Auto, false, 40, &plain_opts());
        assert_eq!(lines[0].text(), "םלוע Rust םולש");
        assert_eq!(
            spans(&lines)[0][1],
            ("Rust".to_string(), Role::Code),
            "the code span is not reversed"
        );
    }

    #[test]
    fn roles_survive_arabic_shaping_and_the_lam_alef_ligature() {
        // "السلام" in bold with its last two letters (lam-alef ligature, meem) as a link.
        let text = StyledText::from_runs([("السل", Role::Strong), ("ام", Role::Link)]);
        let lines = layout_styled(&text, Direction::Auto, false, 40, &TextOptions::default());
        let cells: Vec<(String, Role)> = lines[0]
            .cells()
            .map(|(g, _, r)| (format!("{:X}", g.chars().next().unwrap() as u32), r))
            .collect();
        assert_eq!(
            cells,
            [
                ("FEE1".to_string(), Role::Link),
                ("FEFC".to_string(), Role::Strong),
                ("FEB4".to_string(), Role::Strong),
                ("FEDF".to_string(), Role::Strong),
                ("FE8D".to_string(), Role::Strong),
            ]
        );
    }

    #[test]
    fn a_styled_paragraph_wraps_like_a_plain_one() {
        let styled = StyledText::from_runs([
            ("one two ", Role::Text),
            ("three four", Role::Emphasis),
            (" five", Role::Text),
        ]);
        let lines = layout_styled(&styled, Direction::Auto, false, 9, &plain_opts());
        let plain = layout_paragraph(styled.as_str(), Direction::Auto, false, 9, &plain_opts());
        let texts: Vec<String> = lines.iter().map(DocLine::text).collect();
        let want: Vec<String> = plain.into_iter().map(|l| l.text).collect();
        assert_eq!(texts, want);
        assert_eq!(spans(&lines)[1], [("three".to_string(), Role::Emphasis),]);
    }

    #[test]
    fn a_line_break_in_styled_text_forces_a_new_line() {
        let text = StyledText::from_runs([("a\n", Role::Text), ("b", Role::Strong)]);
        let lines = layout_styled(&text, Direction::Auto, false, 40, &plain_opts());
        assert_eq!(
            spans(&lines),
            [
                vec![("a".to_string(), Role::Text)],
                vec![("b".to_string(), Role::Strong)]
            ]
        );
    }

    /// Each role draws from its own alphabet, so a cluster shows where its role came from.
    fn alphabet(role: Role) -> &'static str {
        match role {
            Role::Strong => "אבגדה",
            Role::Code => "0123456789",
            Role::Link => "ABCDEFGHIJ",
            Role::Emphasis => "بتثجحخ",
            _ => "abcdefgh ().,",
        }
    }

    fn belongs(g: &str, role: Role) -> bool {
        let set = alphabet(role);
        g.chars().all(|c| {
            set.contains(c)
                || unicode_bidi_mirroring::get_mirrored(c).is_some_and(|m| set.contains(m))
        })
    }

    proptest::proptest! {
        #[test]
        fn every_cluster_keeps_the_role_of_its_source_text(
            runs in proptest::collection::vec(
                (proptest::sample::select(vec![Role::Text, Role::Strong, Role::Code, Role::Link, Role::Emphasis]), 0usize..8, " ?"),
                0..12,
            ),
            width in 1usize..30,
            rtl_fallback in proptest::bool::ANY,
        ) {
            let mut text = StyledText::default();
            let mut seed = 0usize;
            for (role, len, space) in &runs {
                let set: Vec<char> = alphabet(*role).chars().collect();
                for _ in 0..*len {
                    seed = seed.wrapping_mul(31).wrapping_add(7);
                    text.push(set[seed % set.len()], *role);
                }
                text.push_str(space, Role::Text);
            }
            let opts = TextOptions { mode: BidiMode::App, shaping: false };
            let lines = layout_styled(&text, Direction::Auto, rtl_fallback, width, &opts);
            let plain = layout_paragraph(text.as_str(), Direction::Auto, rtl_fallback, width, &opts);
            proptest::prop_assert_eq!(lines.len(), plain.len());
            for (line, want) in lines.iter().zip(&plain) {
                proptest::prop_assert_eq!(line.text(), want.text.clone());
                proptest::prop_assert_eq!(line.width, want.width);
                proptest::prop_assert!(line.width <= width);
                for (g, _, role) in line.cells() {
                    proptest::prop_assert!(belongs(g, role), "{:?} drawn as {:?}", g, role);
                }
            }
        }
    }
}
