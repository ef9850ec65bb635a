//! Reorders one wrapped line into visual order (UAX #9 L1, L2, L4) with the levels resolved
//! on the whole paragraph, moving grapheme clusters as wholes, and draws it into a
//! [`VisualLine`] with every bidi control and control character left out.

use std::ops::Range;

use unicode_bidi::{BidiClass, BidiDataSource, Level, ParagraphBidiInfo, bidi_class};
use unicode_bidi_mirroring::get_mirrored;

use super::VisualLine;
use super::cluster::{Prepared, is_invisible};

/// Levels of a whole paragraph, resolved once and shared by all its lines.
pub(crate) struct Resolved<'a> {
    info: Option<ParagraphBidiInfo<'a>>,
    para: Level,
}

impl<'a> Resolved<'a> {
    /// Resolves the paragraph with the given base direction; `reorder == false` (terminal and
    /// off modes) keeps every line in logical order.
    pub(crate) fn new(text: &'a str, rtl: bool, reorder: bool) -> Self {
        let para = if rtl { Level::rtl() } else { Level::ltr() };
        let info = (reorder && !text.is_empty())
            .then(|| ParagraphBidiInfo::new_with_data_source(&FastClasses, text, Some(para)))
            // Pure LTR text in an LTR paragraph never moves: skip the per-line work.
            .filter(|info| rtl || !info.is_pure_ltr);
        Resolved { info, para }
    }
}

/// The bidi classes of unicode-bidi, with the commonest letters of news answered without a
/// table search (the search was the largest single cost of a layout).
struct FastClasses;

impl BidiDataSource for FastClasses {
    fn bidi_class(&self, c: char) -> BidiClass {
        match c {
            'a'..='z' | 'A'..='Z' => BidiClass::L,
            '0'..='9' => BidiClass::EN,
            ' ' => BidiClass::WS,
            '\u{0621}'..='\u{064A}' | '\u{FE70}'..='\u{FEFC}' => BidiClass::AL,
            '\u{05D0}'..='\u{05EA}' => BidiClass::R,
            _ => bidi_class(c),
        }
    }
}

/// What takes part in reordering: a unit of the prepared text, an invisible char between
/// units (an isolate or a mark: never drawn, but its level still separates runs, so an
/// isolate's content is not reversed together with its neighbours), or the field's ellipsis.
#[derive(Clone, Copy)]
enum Item {
    Unit(usize),
    Ghost(usize),
    Ellipsis,
}

/// Draws the units `line` (logical order, maybe followed by an ellipsis at the logical end) in
/// visual order. Also returns, per drawn cluster, the unit it was drawn from (`None` for the
/// ellipsis).
pub(crate) fn draw_line(
    p: &Prepared,
    resolved: &Resolved<'_>,
    line: Range<usize>,
    ellipsis: bool,
    rtl_flag: bool,
) -> (VisualLine, Vec<Option<usize>>) {
    let mut items: Vec<Item> = Vec::with_capacity(line.len() + 1);
    let mut prev_end: Option<usize> = None;
    for u in line.clone() {
        let start = p.units[u].range.start;
        if let Some(gap_start) = prev_end.filter(|&e| e < start && resolved.info.is_some()) {
            items.extend(
                p.text[gap_start..start]
                    .char_indices()
                    .map(|(b, _)| Item::Ghost(gap_start + b)),
            );
        }
        items.push(Item::Unit(u));
        prev_end = Some(p.units[u].range.end);
    }
    if ellipsis {
        items.push(Item::Ellipsis);
    }
    let mut out = VisualLine {
        rtl: rtl_flag,
        ..Default::default()
    };
    let mut sources = Vec::with_capacity(items.len());
    let levels = resolved
        .info
        .as_ref()
        .map(|info| line_levels(p, info, resolved.para, &items));
    let order: Vec<usize> = match &levels {
        Some(levels) => ParagraphBidiInfo::reorder_visual(levels),
        None => (0..items.len()).collect(),
    };
    for logical in order {
        let mirror = levels
            .as_ref()
            .and_then(|l| l.get(logical))
            .is_some_and(|l| l.is_rtl());
        match items[logical] {
            Item::Ghost(_) => {}
            Item::Ellipsis => {
                out.push("…", 1);
                sources.push(None);
            }
            Item::Unit(u) => {
                let unit = &p.units[u];
                let start = out.text.len();
                for c in p.text[unit.range.clone()].chars() {
                    if is_invisible(c) {
                        continue;
                    }
                    // L4: a mirrored glyph at an odd level (`(` in an RTL run is drawn `)`).
                    let c = if mirror && may_mirror(c) {
                        get_mirrored(c).unwrap_or(c)
                    } else {
                        c
                    };
                    out.text.push(c);
                }
                if out.text.len() > start {
                    out.clusters.push((out.text.len(), unit.width));
                    out.width += usize::from(unit.width);
                }
                sources.push(Some(u));
            }
        }
    }
    (out, sources)
}

/// One level per drawn cluster: the level of its first char (marks share their base's level,
/// UAX #9 W1), then L1: whitespace at the end of the line goes back to the paragraph level.
fn line_levels(
    p: &Prepared,
    info: &ParagraphBidiInfo<'_>,
    para: Level,
    items: &[Item],
) -> Vec<Level> {
    let mut levels: Vec<Level> = items
        .iter()
        .map(|item| match item {
            Item::Unit(u) => info
                .levels
                .get(p.units[*u].range.start)
                .copied()
                .unwrap_or(para),
            Item::Ghost(at) => info.levels.get(*at).copied().unwrap_or(para),
            // The ellipsis marks the logical end of the field: paragraph level puts it there.
            Item::Ellipsis => para,
        })
        .collect();
    for (level, item) in levels.iter_mut().zip(items).rev() {
        match item {
            Item::Unit(u) if p.units[*u].space => *level = para,
            Item::Ghost(at) if p.text[*at..].chars().next().is_some_and(resets_at_line_end) => {
                *level = para
            }
            _ => break,
        }
    }
    levels
}

/// Chars that UAX #9 L1 puts back at the paragraph level at the end of a line: whitespace,
/// isolate formatting characters, and the boundary neutrals X9 would have removed.
fn resets_at_line_end(c: char) -> bool {
    matches!(
        bidi_class(c),
        BidiClass::WS
            | BidiClass::LRI
            | BidiClass::RLI
            | BidiClass::FSI
            | BidiClass::PDI
            | BidiClass::BN
    )
}

/// A cheap filter before the mirroring table: letters of the RTL scripts (most of an RTL
/// line) are never mirrored.
fn may_mirror(c: char) -> bool {
    !matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_classes_agree_with_the_unicode_table() {
        for c in ('\u{0}'..='\u{FFFF}').chain('\u{10000}'..='\u{1FFFF}') {
            assert_eq!(FastClasses.bidi_class(c), bidi_class(c), "{c:?}");
        }
    }
}
