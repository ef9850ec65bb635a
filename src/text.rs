//! All text on screen goes through here: sanitize, HTML to paragraphs, bidi, shaping, wrapping.
//! Pure functions, no ratatui: the views only copy the finished visual lines into cells.
//!
//! Pipeline per paragraph (see ../shared/BIDI.md): sanitize -> base direction -> shaping ->
//! wrap in logical order -> reorder each line by grapheme clusters -> mirror -> cells.
//! An article body: `html::parse_html` -> `doc::Document` -> `layout::layout_document`.

mod bidi;
pub mod caret;
pub(crate) mod cluster;
pub mod doc;
pub mod fold;
pub mod highlight;
pub mod html;
pub mod layout;
mod mode;
mod nesting;
pub mod sanitize;
pub mod shape;
pub mod strip;
mod wrap;

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub use crate::model::Direction;
pub use mode::{mode_from_env, shaping_default};

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

/// One laid-out line and where its clusters came from (for tests and diagnostics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineTrace {
    /// Byte range of the line in [`ParagraphTrace::text`] (logical order; spaces dropped at
    /// the break are outside it).
    pub logical: Range<usize>,
    /// For each cluster of `line`, in visual order, its byte range in [`ParagraphTrace::text`].
    pub visual: Vec<Range<usize>>,
    /// The drawn line.
    pub line: VisualLine,
}

/// A paragraph laid out with its traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphTrace {
    /// The paragraph as prepared for layout: controls and overrides removed, line feeds turned
    /// into U+2028 (forced breaks), shaped when shaping was on.
    pub text: String,
    /// The resolved base direction.
    pub rtl: bool,
    pub lines: Vec<LineTrace>,
}

impl TextOptions {
    fn reorders(&self) -> bool {
        self.mode == BidiMode::App
    }

    fn shapes(&self) -> bool {
        self.shaping && self.mode == BidiMode::App
    }

    /// The `rtl` flag of the lines: alignment follows the paragraph except in `Off` mode.
    fn rtl_flag(&self, rtl: bool) -> bool {
        rtl && self.mode != BidiMode::Off
    }
}

/// A wrapped and reordered paragraph: the prepared text, its direction, and per line its
/// units (logical order), the drawn line and the unit of each drawn cluster.
type Drawn = (
    cluster::Prepared,
    bool,
    Vec<(Range<usize>, VisualLine, Vec<Option<usize>>)>,
);

fn draw_paragraph(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> Drawn {
    let prepared = cluster::prepare(text, opts.shapes(), true);
    let rtl = is_rtl_paragraph(&prepared.text, dir, fallback_rtl);
    let resolved = bidi::Resolved::new(&prepared.text, rtl, opts.reorders());
    let lines = wrap::wrap(&prepared.text, &prepared.units, width)
        .into_iter()
        .map(|range| {
            let (line, drawn) = bidi::draw_line(
                &prepared,
                &resolved,
                range.clone(),
                false,
                opts.rtl_flag(rtl),
            );
            (range, line, drawn)
        })
        .collect();
    drop(resolved);
    (prepared, rtl, lines)
}

/// [`layout_paragraph`] with the source of every line and cluster.
pub fn trace_paragraph(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> ParagraphTrace {
    let (prepared, rtl, lines) = draw_paragraph(text, dir, fallback_rtl, width, opts);
    let end = prepared.text.len();
    let lines = lines
        .into_iter()
        .map(|(range, line, drawn)| {
            let logical = match (prepared.units.get(range.start), range.end.checked_sub(1)) {
                (Some(first), Some(last)) if range.end > range.start => {
                    first.range.start..prepared.units[last].range.end
                }
                _ => {
                    let at = prepared
                        .units
                        .get(range.start)
                        .map_or(end, |u| u.range.start);
                    at..at
                }
            };
            let visual = drawn
                .into_iter()
                .map(|u| u.map_or(end..end, |u| prepared.units[u].range.clone()))
                .collect();
            LineTrace {
                logical,
                visual,
                line,
            }
        })
        .collect();
    ParagraphTrace {
        text: prepared.text,
        rtl,
        lines,
    }
}

/// Lays out one logical paragraph into visual lines no wider than `width`: base direction,
/// shaping, wrapping in logical order, then each line reordered with the paragraph's levels.
/// Returns at least one line (an empty paragraph gives one empty line). Clusters wider than
/// `width` (a CJK character at width 1) cannot be shown and are left out.
pub fn layout_paragraph(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> Vec<VisualLine> {
    draw_paragraph(text, dir, fallback_rtl, width, opts)
        .2
        .into_iter()
        .map(|(_, line, _)| line)
        .collect()
}

/// Lays out a one-line field, never wrapped (ticker items); line feeds become spaces.
pub fn layout_single(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    opts: &TextOptions,
) -> VisualLine {
    layout_field(text, dir, fallback_rtl, usize::MAX, opts)
}

/// Lays out a one-line field truncated to `max_width` cells: the logical start is kept and an
/// ellipsis marks the logical end (truncated in logical order, then reordered, so in an RTL
/// title the ellipsis is drawn at the left). Never wider than `max_width`.
pub fn layout_field(
    text: &str,
    dir: Direction,
    fallback_rtl: bool,
    max_width: usize,
    opts: &TextOptions,
) -> VisualLine {
    // A field shows at most `max_width` cells of its logical start: work on a bounded prefix,
    // so a title of megabytes costs what a short one costs (truncation is in logical order).
    let limit = max_width.saturating_mul(4).saturating_add(16);
    let (text, cut) = match text.char_indices().nth(limit) {
        Some((i, _)) => (&text[..i], true),
        None => (text, false),
    };
    let prepared = cluster::prepare(text, opts.shapes(), false);
    let rtl = is_rtl_paragraph(&prepared.text, dir, fallback_rtl);
    let units = &prepared.units;
    let total: usize = units.iter().map(|u| usize::from(u.width)).sum();
    let (keep, ellipsis) = if total <= max_width && !cut {
        (units.len(), false)
    } else if max_width == 0 {
        (0, false)
    } else {
        let budget = max_width - 1;
        let mut used = 0;
        let mut keep = 0;
        while let Some(u) = units.get(keep) {
            if used + usize::from(u.width) > budget {
                break;
            }
            used += usize::from(u.width);
            keep += 1;
        }
        while keep > 0 && units[keep - 1].space {
            keep -= 1;
        }
        (keep, true)
    };
    let resolved = bidi::Resolved::new(&prepared.text, rtl, opts.reorders());
    bidi::draw_line(&prepared, &resolved, 0..keep, ellipsis, opts.rtl_flag(rtl)).0
}
