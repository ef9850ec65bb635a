//! A line being typed (the search prompt), drawn in its own visual order with the caret on
//! the cell where the next letter will appear: after the cursor's grapheme in the direction
//! its run grows. In an Arabic word the next letter appears to the left of the last one, so
//! the caret is there; after Latin letters or digits it is to the right. The caret covers the
//! grapheme a typed letter will push aside (or a blank at the end), as a block cursor does.

use super::cluster::{self, Unit};
use super::{Direction, TextOptions, VisualLine, bidi, is_rtl_paragraph};
use unicode_bidi::{BidiClass, bidi_class};

/// The drawn input: at most the width asked for, and the caret's cell in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputView {
    /// The visible cells, left to right (a blank is added where the caret needs one).
    pub line: VisualLine,
    /// The caret's first cell in `line` (`line.width` when it is just after the last cell).
    pub caret: usize,
}

/// Which way text grows from a position: where the next letter appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grows {
    Right,
    Left,
}

fn grows_of(c: char) -> Option<Grows> {
    match bidi_class(c) {
        BidiClass::R | BidiClass::AL => Some(Grows::Left),
        BidiClass::L | BidiClass::EN | BidiClass::AN => Some(Grows::Right),
        _ => None,
    }
}

/// Lays out `text` (one line, direction from its first strong letter) with the caret for the
/// cursor at byte `cursor`, shown in at most `width` cells (scrolled so the caret shows).
pub fn layout_input(text: &str, cursor: usize, width: usize, opts: &TextOptions) -> InputView {
    let (prepared, sources) = cluster::prepare_mapped(text, opts.shapes(), false);
    let rtl = is_rtl_paragraph(&prepared.text, Direction::Auto, false);
    let resolved = bidi::Resolved::new(&prepared.text, rtl, opts.reorders());
    let (line, drawn) = bidi::draw_line(
        &prepared,
        &resolved,
        0..prepared.units.len(),
        false,
        opts.rtl_flag(rtl),
    );
    drop(resolved);
    let units: &[Unit] = &prepared.units;
    // The source offset of each unit's first char.
    let char_of_byte: std::collections::HashMap<usize, usize> = prepared
        .text
        .char_indices()
        .enumerate()
        .map(|(ci, (b, _))| (b, ci))
        .collect();
    let source_of = |u: &Unit| {
        char_of_byte
            .get(&u.range.start)
            .and_then(|&ci| sources.get(ci))
            .copied()
            .unwrap_or(0)
    };
    // Each unit's cells in the drawn line.
    let mut cells = vec![None; units.len()];
    let mut x = 0;
    for (vis, &(_, w)) in line.clusters.iter().enumerate() {
        if let Some(Some(u)) = drawn.get(vis) {
            cells[*u] = Some((x, x + usize::from(w)));
        }
        x += usize::from(w);
    }
    let first_char = |u: usize| prepared.text[units[u].range.clone()].chars().next();
    let direction = |u: usize| -> Grows {
        if !opts.reorders() {
            return Grows::Right;
        }
        let own = first_char(u).and_then(grows_of);
        let neighbour = || {
            let (s, e) = cells[u]?;
            let (ns, ne) = cells.get(u + 1).copied().flatten()?;
            (ns == e)
                .then_some(Grows::Right)
                .or((ne == s).then_some(Grows::Left))
        };
        own.or_else(neighbour)
            .unwrap_or(if rtl { Grows::Left } else { Grows::Right })
    };
    let before = units.iter().rposition(|u| source_of(u) < cursor);
    // (boundary between cells, which way the next letter goes from it)
    let (boundary, grows) = match before {
        Some(u) => {
            let (s, e) = cells[u].unwrap_or((line.width, line.width));
            match direction(u) {
                Grows::Right => (e, Grows::Right),
                Grows::Left => (s, Grows::Left),
            }
        }
        None if units.is_empty() => (0, Grows::Right),
        None => {
            let (s, e) = cells[0].unwrap_or((0, 0));
            match direction(0) {
                Grows::Right => (s, Grows::Right),
                Grows::Left => (e, Grows::Left),
            }
        }
    };
    // A blank before the line when the caret is left of its first cell.
    let pad = grows == Grows::Left && boundary == 0;
    let caret = match grows {
        Grows::Right => boundary + usize::from(pad),
        Grows::Left if pad => 0,
        Grows::Left => boundary - 1,
    };
    let total = line.width + usize::from(pad) + 1;
    let start = if total <= width || caret < width {
        0
    } else {
        caret + 1 - width
    };
    let mut out = VisualLine {
        rtl: false,
        ..VisualLine::default()
    };
    let mut x = 0;
    let mut cells_in: Vec<(&str, usize)> = Vec::with_capacity(line.clusters.len() + 1);
    if pad {
        cells_in.push((" ", 1));
    }
    cells_in.extend(line.cells());
    let mut caret_in = None;
    for (g, w) in cells_in {
        if x >= start && x + w <= start + width {
            if x == caret {
                caret_in = Some(out.width);
            }
            out.push(g, w);
        } else if x <= caret && caret < x + w {
            // A wide cluster cut by the window edge: the caret stays on its first cell.
            caret_in = Some(out.width);
        }
        x += w;
    }
    let caret = caret_in.unwrap_or(out.width);
    InputView { line: out, caret }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::BidiMode;

    fn opts(mode: BidiMode) -> TextOptions {
        TextOptions {
            mode,
            shaping: false,
        }
    }

    /// The view with the caret cell in brackets.
    fn shown(text: &str, cursor: usize, width: usize, mode: BidiMode) -> String {
        let v = layout_input(text, cursor, width, &opts(mode));
        let mut s = String::new();
        let mut x = 0;
        for (g, w) in v.line.cells() {
            if x == v.caret {
                s.push_str(&format!("[{g}]"));
            } else {
                s.push_str(g);
            }
            x += w;
        }
        if v.caret >= v.line.width {
            s.push_str("[]");
        }
        s
    }

    #[test]
    fn latin_text_has_the_caret_after_the_cursor() {
        assert_eq!(shown("abc", 3, 20, BidiMode::App), "abc[]");
        assert_eq!(shown("abc", 1, 20, BidiMode::App), "a[b]c");
        assert_eq!(shown("abc", 0, 20, BidiMode::App), "[a]bc");
        assert_eq!(shown("", 0, 20, BidiMode::App), "[]");
    }

    #[test]
    fn an_arabic_query_is_drawn_right_to_left_with_the_caret_left_of_its_last_letter() {
        // سلام reads right to left: drawn مالس; the next letter appears left of the م.
        assert_eq!(shown("سلام", "سلام".len(), 20, BidiMode::App), "[ ]مالس");
    }

    #[test]
    fn inside_an_arabic_word_the_caret_covers_the_next_letter() {
        // Cursor after سل: the next letter goes between ل and ا, pushing ا aside.
        assert_eq!(shown("سلام", "سل".len(), 20, BidiMode::App), "م[ا]لس");
        // At the start: the caret covers the first letter, the rightmost.
        assert_eq!(shown("سلام", 0, 20, BidiMode::App), "مال[س]");
    }

    #[test]
    fn a_hebrew_query_gets_the_same_caret() {
        let t = "שלום";
        assert_eq!(shown(t, t.len(), 20, BidiMode::App), "[ ]םולש");
        assert_eq!(shown(t, "ש".len(), 20, BidiMode::App), "םו[ל]ש");
    }

    #[test]
    fn digits_in_an_arabic_query_grow_to_the_right() {
        // سعر 1999 is drawn 1999 رعس; another digit appears right of the last 9.
        let t = "سعر 1999";
        assert_eq!(shown(t, t.len(), 20, BidiMode::App), "1999[ ]رعس");
    }

    #[test]
    fn a_letter_with_harakat_is_one_cell_and_the_caret_never_splits_it() {
        let t = "يُحَسِّنُ";
        let v = layout_input(t, t.len(), 20, &opts(BidiMode::App));
        assert_eq!(v.line.width, 5, "four letters and the caret's blank");
        assert_eq!(v.caret, 0);
        assert!(v.line.text.starts_with(' '));
        assert!(v.line.text.ends_with("يُ"), "{}", v.line.text);
    }

    #[test]
    fn without_reordering_the_caret_is_at_the_logical_position() {
        for mode in [BidiMode::Terminal, BidiMode::Off] {
            assert_eq!(shown("سلام", "سل".len(), 20, mode), "سل[ا]م");
            assert_eq!(shown("سلام", "سلام".len(), 20, mode), "سلام[]");
        }
    }

    #[test]
    fn a_long_line_scrolls_so_the_caret_shows() {
        let t = "abcdefghij";
        assert_eq!(shown(t, t.len(), 5, BidiMode::App), "ghij[]");
        assert_eq!(shown(t, 0, 5, BidiMode::App), "[a]bcde");
        let v = layout_input(t, t.len(), 5, &opts(BidiMode::App));
        assert!(v.line.width < 5 && v.caret < 5);
    }

    #[test]
    fn shaped_arabic_keeps_the_caret_on_the_right_cluster() {
        let shaped = TextOptions {
            mode: BidiMode::App,
            shaping: true,
        };
        let t = "سلام";
        let v = layout_input(t, "سل".len(), 20, &shaped);
        // Shaping may join لا into one cell; the caret is on a cell of the line, left of
        // the س (the rightmost).
        assert!(v.caret < v.line.width - 1, "{v:?}");
    }
}
