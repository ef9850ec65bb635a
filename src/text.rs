//! All text on screen goes through here: sanitize, HTML to paragraphs, bidi, shaping, wrapping.
//! Pure functions, no ratatui: the views only copy the finished visual lines into cells.
//!
//! Pipeline per paragraph (see ../shared/BIDI.md): sanitize -> base direction -> shaping ->
//! wrap in logical order -> reorder each line by grapheme clusters -> mirror -> cells.

pub mod html;
pub mod sanitize;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub use crate::model::Direction;

/// How akhbar treats right-to-left text, resolved (the config's `auto` is resolved before this).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BidiMode {
    /// akhbar reorders, mirrors and shapes; the terminal is told not to (BDSM explicit).
    #[default]
    App,
    /// Wrapped in logical order; the terminal reorders (BDSM implicit).
    Terminal,
    /// Raw logical order, nothing done.
    Off,
}

/// Options for every layout call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextOptions {
    pub mode: BidiMode,
    /// Arabic presentation forms and lam-alef ligatures (only in `App` mode).
    pub shaping: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            mode: BidiMode::App,
            shaping: true,
        }
    }
}

/// One display line in visual order (left to right), cut into grapheme clusters with their
/// cell widths, ready to be copied into cells. Contains no control and no bidi control.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisualLine {
    /// The visual-order text (concatenation of the clusters).
    pub text: String,
    /// Byte end of each cluster in `text` and its width in cells (1 or 2).
    pub clusters: Vec<(usize, u8)>,
    /// Total width in cells: the sum of the cluster widths.
    pub width: usize,
    /// Base direction of the paragraph this line belongs to (RTL lines are right-aligned).
    pub rtl: bool,
}

impl VisualLine {
    /// The clusters in visual order with their widths.
    pub fn cells(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        let mut start = 0;
        self.clusters.iter().map(move |&(end, w)| {
            let g = &self.text[start..end];
            start = end;
            (g, w as usize)
        })
    }

    fn push(&mut self, g: &str, w: usize) {
        self.text.push_str(g);
        self.clusters.push((self.text.len(), w as u8));
        self.width += w;
    }
}

/// Width of one grapheme cluster in cells, as terminals draw it: 0 for nothing visible,
/// else 1 or 2.
pub fn grapheme_width(g: &str) -> usize {
    g.width().min(2)
}

/// Width of a string in cells, summed per grapheme (never `str::width()` on the whole).
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Whether a paragraph's base direction is RTL: explicit `dir`, else its first strong
/// character, else `fallback_rtl` (the item's or feed's language).
pub fn is_rtl_paragraph(text: &str, dir: Direction, fallback_rtl: bool) -> bool {
    match dir {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Auto => match unicode_bidi::get_base_direction(text) {
            unicode_bidi::Direction::Rtl => true,
            unicode_bidi::Direction::Ltr => false,
            unicode_bidi::Direction::Mixed => fallback_rtl,
        },
    }
}

/// Whether a BCP 47 language tag names a right-to-left language.
pub fn is_rtl_language(tag: &str) -> bool {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "fa" | "he" | "iw" | "ur" | "ps" | "yi" | "ckb" | "dv" | "syr" | "sd" | "ug"
    )
}

/// Lays out one logical paragraph into visual lines no wider than `width`.
/// INTERIM (issue 3 replaces it): wraps at spaces, no reordering.
pub fn layout_paragraph(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    _opts: &TextOptions,
) -> Vec<VisualLine> {
    let rtl = is_rtl_paragraph(text, dir, fallback_rtl);
    let mut lines = Vec::new();
    if width == 0 {
        return lines;
    }
    let mut cur = VisualLine {
        rtl,
        ..Default::default()
    };
    for word in text.split_word_bounds() {
        let ww = display_width(word);
        if cur.width + ww > width && cur.width > 0 {
            lines.push(std::mem::replace(
                &mut cur,
                VisualLine {
                    rtl,
                    ..Default::default()
                },
            ));
            if word.trim().is_empty() {
                continue;
            }
        }
        for g in word.graphemes(true) {
            let w = grapheme_width(g);
            if w == 0 || g.chars().any(sanitize::is_bidi_control) {
                continue;
            }
            if cur.width + w > width {
                lines.push(std::mem::replace(
                    &mut cur,
                    VisualLine {
                        rtl,
                        ..Default::default()
                    },
                ));
            }
            cur.push(g, w);
        }
    }
    if cur.width > 0 || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Lays out a one-line field, never wrapped (ticker items). INTERIM, see [`layout_paragraph`].
pub fn layout_single(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    opts: &TextOptions,
) -> VisualLine {
    layout_field(text, dir, fallback_rtl, usize::MAX, opts)
}

/// Lays out a one-line field truncated to `max_width` cells: the logical start is kept and an
/// ellipsis marks the logical end. INTERIM, see [`layout_paragraph`].
pub fn layout_field(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    max_width: usize,
    _opts: &TextOptions,
) -> VisualLine {
    let rtl = is_rtl_paragraph(text, dir, fallback_rtl);
    let mut line = VisualLine {
        rtl,
        ..Default::default()
    };
    let total = display_width(text);
    let budget = if total > max_width {
        max_width.saturating_sub(1)
    } else {
        max_width
    };
    for g in text.graphemes(true) {
        let w = grapheme_width(g);
        if w == 0 || g.chars().any(sanitize::is_bidi_control) {
            continue;
        }
        if line.width + w > budget {
            break;
        }
        line.push(g, w);
    }
    if total > max_width && max_width > 0 {
        line.push("…", 1);
    }
    line
}
