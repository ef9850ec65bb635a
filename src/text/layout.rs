//! Lays a document out at a width: each block wrapped by the paragraph engine (levels on the
//! whole paragraph, wrap in logical order, reorder each line), with the decorations of its
//! kind on the start side (quote bars, list markers with hanging indent, the code gutter),
//! tables as grids, rules across the width, and a blank line between blocks. Pure: no
//! ratatui, no theme; lines carry style roles.

mod line;
mod nest;
mod styled;
mod table;

pub use line::{DocLine, Span};
pub(crate) use styled::layout_styled;

use crate::model::Direction;
use crate::text::doc::{Block, Content, Document, Role, StyledText};
use crate::text::{BidiMode, TextOptions, is_rtl_language, is_rtl_paragraph, layout_field};

/// What the article around the document says about direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayoutContext {
    /// The feed's configured direction: anything but `Auto` wins over the HTML's `dir`.
    pub dir: Direction,
    /// The article's (or its feed's) language is right-to-left: the direction of a paragraph
    /// with no strong character and no `lang` of its own.
    pub fallback_rtl: bool,
    pub opts: TextOptions,
}

/// Lays out every block of `doc` in lines no wider than `width` cells, a blank line between
/// blocks (none inside one list, none between a figure and its caption). Nothing for width 0.
pub fn layout_document(doc: &Document, width: usize, ctx: &LayoutContext) -> Vec<DocLine> {
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let lists = nest::ListColumns::of(doc);
    let mut lines = Vec::new();
    for block in &doc.blocks {
        layout_block(block, width, ctx, &lists, &mut lines);
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() && !block.tight {
            out.push(DocLine::default());
        }
        out.append(&mut lines);
    }
    out
}

/// The lines of one block, decorations included.
fn layout_block(
    block: &Block,
    width: usize,
    ctx: &LayoutContext,
    lists: &nest::ListColumns,
    out: &mut Vec<DocLine>,
) {
    let forced = ctx.dir != Direction::Auto;
    let dir = if forced { ctx.dir } else { block.dir };
    let fallback = block
        .lang
        .as_deref()
        .map_or(ctx.fallback_rtl, is_rtl_language);
    let prefix = nest::Prefix::new(block, lists, width);
    let inner = width - prefix.width();
    let opts = &ctx.opts;
    let lines = match &block.content {
        Content::Paragraph(t) | Content::Heading(_, t) | Content::Caption(t) => {
            styled::layout_styled(t, dir, fallback, inner, opts)
        }
        Content::Preformatted(t) => preformatted(t, dir, fallback, inner, opts),
        Content::Rule => vec![rule(dir, fallback, inner, opts)],
        Content::Table(t) => table::layout_table(t, dir, forced, fallback, inner, opts),
    };
    // Decorations go on the start side: the right of a right-to-left line, when akhbar
    // draws the visual order (else the terminal reorders the line, decorations and all).
    let visual = opts.mode == BidiMode::App;
    for (k, line) in lines.into_iter().enumerate() {
        out.push(prefix.attach(line, k == 0, visual, opts));
    }
}

/// The direction a block with no text of its own (a rule) takes.
fn block_rtl(dir: Direction, fallback_rtl: bool, opts: &TextOptions) -> bool {
    let rtl = match dir {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Auto => fallback_rtl,
    };
    rtl && opts.mode != BidiMode::Off
}

fn rule(dir: Direction, fallback_rtl: bool, width: usize, opts: &TextOptions) -> DocLine {
    let mut line = DocLine::new(block_rtl(dir, fallback_rtl, opts));
    line.push_str(&"─".repeat(width), Role::Rule);
    line
}

/// Preformatted text: one line per source line, never wrapped; a line longer than the width
/// is cut at its logical end with `…` (so that no line is ever wider than the reader: the
/// reader scrolls only vertically). A `│ ` gutter on the start side marks the block. The whole
/// block takes one direction (its first strong character), each line its own bidi.
fn preformatted(
    text: &StyledText,
    dir: Direction,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> Vec<DocLine> {
    const GUTTER: usize = 2;
    let rtl = is_rtl_paragraph(text.as_str(), dir, fallback_rtl);
    let line_dir = if rtl { Direction::Rtl } else { Direction::Ltr };
    let gutter = if width > GUTTER { GUTTER } else { 0 };
    let visual = opts.mode == BidiMode::App;
    text.as_str()
        .split('\n')
        .map(|source| {
            let code = layout_field(source, line_dir, fallback_rtl, width - gutter, opts);
            let mut line = DocLine::new(code.rtl);
            if gutter == 0 {
                line.push(code, Role::Code);
            } else if code.rtl && visual {
                line.push(code, Role::Code);
                line.pad(1);
                line.push_str("│", Role::Border);
            } else {
                line.push_str("│", Role::Border);
                line.pad(1);
                line.push(code, Role::Code);
            }
            line
        })
        .collect()
}
