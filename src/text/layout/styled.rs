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
            // Runs of clusters of one role become one span each.
            let mut out = DocLine::new(line.rtl);
            let mut span = VisualLine::default();
            let mut span_role = Role::Text;
            let mut clusters = line.cells();
            for source in &drawn {
                let Some((g, w)) = clusters.next() else { break };
                let unit = prepared
                    .units
                    .partition_point(|u| u.range.start < source.start);
                let role = roles.get(unit).copied().unwrap_or_default();
                if role != span_role && !span.clusters.is_empty() {
                    out.push(std::mem::take(&mut span), span_role);
                }
                span_role = role;
                span.push(g, w);
            }
            // Should a cluster have no source (it never has), it is not lost.
            for (g, w) in clusters {
                span.push(g, w);
            }
            out.push(span, span_role);
            out
        })
        .collect()
}

fn single(line: VisualLine, role: Role) -> DocLine {
    let mut out = DocLine::new(line.rtl);
    out.push(line, role);
    out
}

/// The role of each unit: that of the source char its first char came from.
fn unit_roles(p: &Prepared, sources: &[usize], text: &StyledText) -> Vec<Role> {
    let mut roles = Vec::with_capacity(p.units.len());
    let mut chars = p.text.char_indices().enumerate().peekable();
    for unit in &p.units {
        let mut k = None;
        while let Some(&(i, (at, _))) = chars.peek() {
            if at > unit.range.start {
                break;
            }
            k = Some(i);
            chars.next();
        }
        let source = k.and_then(|k| sources.get(k)).copied().unwrap_or(0);
        roles.push(text.role_at(source));
    }
    roles
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
