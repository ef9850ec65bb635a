//! Prepares a logical paragraph for layout: cleans it, shapes it, and cuts it into clusters
//! (grapheme clusters of 1 or 2 cells) that wrapping and reordering move as wholes.

use std::ops::Range;

use unicode_bidi::{BidiClass, bidi_class};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::grapheme_width;
use super::sanitize::{is_bidi_control, is_c0_c1, is_override_control};
use super::shape::{shape_arabic, shape_arabic_with};

/// One cluster: a grapheme (plus any zero-width graphemes attached to it) in the prepared text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Byte range in the prepared text (may contain dropped invisible chars in the middle).
    pub range: Range<usize>,
    /// Cells: 1 or 2.
    pub width: u8,
    /// Only whitespace (bidi class WS): hangs at a wrap, takes the paragraph level at a line
    /// end (UAX #9 L1).
    pub space: bool,
}

/// A paragraph ready for wrapping and reordering.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    /// Cleaned (and maybe shaped) logical text; unit ranges point into it.
    pub text: String,
    /// Clusters in logical order.
    pub units: Vec<Unit>,
}

/// Chars never drawn: controls, bidi controls, and zero-width format characters that
/// terminals disagree about. They may steer bidi resolution or line breaking, but no cell
/// ever contains one.
pub(crate) fn is_invisible(c: char) -> bool {
    is_c0_c1(c)
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Removes what must never reach bidi resolution: C0/C1 controls (a line feed becomes a line
/// separator, i.e. a forced break; a tab a space) and the LRE/RLE/PDF/LRO/RLO overrides, which
/// are neutralized (BIDI.md decision 7). Marks and isolates stay: they are honoured.
/// `source` hears the byte offset in `text` of each char written, in order.
fn clean(text: &str, breaks: bool, mut source: impl FnMut(usize)) -> String {
    let line_break = if breaks { '\u{2028}' } else { ' ' };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let kept = match c {
            '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => None,
            '\n' | '\r' | '\u{0085}' | '\u{2029}' | '\u{000B}' | '\u{000C}' => Some(line_break),
            '\u{2028}' => Some(line_break),
            '\t' | '\u{001F}' => Some(' '),
            c if is_c0_c1(c) || is_override_control(c) => None,
            c => Some(c),
        };
        if let Some(k) = kept {
            out.push(k);
            source(at);
        }
    }
    out
}

/// Cleans, optionally shapes, and clusters a paragraph. Without `breaks` (one-line fields)
/// line feeds become spaces.
pub(crate) fn prepare(text: &str, shaping: bool, breaks: bool) -> Prepared {
    let cleaned = clean(text, breaks, |_| {});
    let text = if shaping {
        shape_arabic(&cleaned)
    } else {
        cleaned
    };
    let units = clusters(&text);
    Prepared { text, units }
}

/// [`prepare`], plus for each char of the prepared text the byte offset in `text` of the char
/// it came from (so that what is known about the source, a style role, follows the clusters).
pub(crate) fn prepare_mapped(text: &str, shaping: bool, breaks: bool) -> (Prepared, Vec<usize>) {
    let mut sources = Vec::with_capacity(text.len());
    let cleaned = clean(text, breaks, |at| sources.push(at));
    let mut shaped_sources = Vec::new();
    let shaped = shaping
        .then(|| {
            shape_arabic_with(&cleaned, |i| {
                shaped_sources.push(sources.get(i).copied().unwrap_or(0))
            })
        })
        .flatten();
    let text = match shaped {
        Some(shaped) => {
            sources = shaped_sources;
            shaped
        }
        None => cleaned,
    };
    let units = clusters(&text);
    (Prepared { text, units }, sources)
}

/// Chars of Grapheme_Cluster_Break "Other" that are common in news: between two of them
/// there is always a grapheme boundary, so the (slow) segmenter can be skipped there.
fn is_simple(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{05D0}'..='\u{05EA}'
            | '\u{060C}'
            | '\u{061B}'
            | '\u{061F}'
            | '\u{0621}'..='\u{064A}'
            | '\u{0660}'..='\u{066D}'
            | '\u{0671}'..='\u{06D3}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{FB50}'..='\u{FBB1}'
            | '\u{FE70}'..='\u{FEFC}'
    )
}

/// Grapheme clusters with their byte offsets: single chars where the boundaries are certain
/// (two simple chars in a row), the segmenter on the stretches in between.
fn graphemes(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().peekable();
    let mut pending: Option<unicode_segmentation::GraphemeIndices<'_>> = None;
    let mut pending_base = 0;
    std::iter::from_fn(move || {
        loop {
            if let Some(inner) = pending.as_mut() {
                if let Some((at, g)) = inner.next() {
                    return Some((pending_base + at, g));
                }
                pending = None;
            }
            let (start, c) = chars.next()?;
            let next_simple = chars.peek().is_none_or(|&(_, n)| is_simple(n));
            if is_simple(c) && next_simple {
                return Some((start, &text[start..start + c.len_utf8()]));
            }
            // Find the next certain boundary: a simple char followed by a simple char (or
            // the end); the stretch up to it is segmented properly.
            let mut end = text.len();
            let mut prev_simple = false;
            while let Some(&(at, n)) = chars.peek() {
                if prev_simple && is_simple(n) {
                    end = at;
                    break;
                }
                prev_simple = is_simple(n);
                chars.next();
            }
            pending_base = start;
            pending = Some(text[start..end].grapheme_indices(true));
        }
    })
}

fn clusters(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(text.len() / 2);
    for (start, g) in graphemes(text) {
        let end = start + g.len();
        if g.chars().all(is_invisible) {
            continue;
        }
        let mut chars = g.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        let width = if let Some(c) = single {
            // Most graphemes are one char: its width needs no string scan.
            UnicodeWidthChar::width(c).unwrap_or(0).min(2)
        } else if g.chars().any(is_invisible) {
            // A visible grapheme never holds a control (controls are graphemes of their own),
            // but measure only what is drawn, to be safe.
            grapheme_width(&g.chars().filter(|&c| !is_invisible(c)).collect::<String>())
        } else {
            grapheme_width(g)
        };
        if width == 0 {
            // A mark with no base in its grapheme (after a control, or at the start): it
            // rides on the previous cluster; with nothing before it, it is dropped.
            if let Some(last) = units.last_mut() {
                last.range.end = end;
            }
            continue;
        }
        let space = g
            .chars()
            .all(|c| c.is_whitespace() && bidi_class(c) == BidiClass::WS);
        units.push(Unit {
            range: start..end,
            width: width as u8,
            space,
        });
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(text: &str) -> Vec<u8> {
        prepare(text, false, true)
            .units
            .iter()
            .map(|u| u.width)
            .collect()
    }

    #[test]
    fn the_fast_grapheme_walk_agrees_with_the_segmenter() {
        for text in [
            "abc",
            "بِسْمِ اللَّهِ",
            "a\u{0301}b 👨\u{200D}👩\u{200D}👧 x🇫🇷🇩🇪y",
            "ی\u{200C}خ \u{0600}1 ab\u{200F}\u{0301}c 한국",
            "\u{0301}",
            "",
            "ab\r\ncd",
        ] {
            let fast: Vec<(usize, &str)> = graphemes(text).collect();
            let slow: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_grapheme_walk_agrees_on_any_string(text in "\\PC*|[ab\u{0301}\u{0600}\u{200D}\u{200C}\u{0644}\u{064E}🇫👍 \r\n]*") {
            let fast: Vec<(usize, &str)> = graphemes(&text).collect();
            let slow: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn lam_and_alef_unshaped_take_a_cell_each() {
        assert_eq!(widths("لا"), vec![1, 1]);
    }

    #[test]
    fn cjk_and_emoji_take_two_cells() {
        assert_eq!(widths("中👍🏽"), vec![2, 2]);
    }

    #[test]
    fn a_haraka_stays_in_its_letters_cluster() {
        let p = prepare("بِس", false, true);
        assert_eq!(p.units.len(), 2);
        assert_eq!(&p.text[p.units[0].range.clone()], "بِ");
    }

    #[test]
    fn a_leading_mark_is_dropped_and_a_mark_after_a_control_is_attached() {
        let p = prepare("\u{0301}a\u{200F}\u{0301}b", false, true);
        assert_eq!(widths("\u{0301}a\u{200F}\u{0301}b"), vec![1, 1]);
        assert_eq!(&p.text[p.units[0].range.clone()], "a\u{200F}\u{0301}");
    }

    #[test]
    fn every_prepared_char_knows_the_source_char_it_came_from() {
        let source = "a\u{1b}\r\nالسلام\u{202E}b";
        let (p, map) = prepare_mapped(source, true, true);
        assert_eq!(p.text.chars().count(), map.len());
        let back: String = map
            .iter()
            .map(|&at| source[at..].chars().next().unwrap())
            .collect();
        // The lam-alef ligature stands for the lam; the ESC, CR and override are gone.
        assert_eq!(back, "a\nالسلمb");
        assert_eq!(p.text, prepare(source, true, true).text);
    }

    #[test]
    fn controls_and_overrides_are_removed_and_newlines_force_breaks() {
        let p = prepare("a\u{1b}[1m\u{202E}b\r\nc\td", false, true);
        assert_eq!(p.text, "a[1mb\u{2028}c d");
    }
}
