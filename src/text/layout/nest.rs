//! The start-side decorations of a block's lines: a `▎` bar per blockquote, indentation per
//! list level, and the marker on a list item's first line, outdented (hanging indent: the
//! later lines start under the text, not under the marker). On a right-to-left line they
//! are mirrored to the right.

use std::collections::HashMap;

use crate::model::Direction;
use crate::text::doc::{Block, Document, Marker, Nest, Role};
use crate::text::{TextOptions, display_width, layout_field};

use super::line::DocLine;

/// Cells before the marker column of a top-level list.
const LIST_INDENT: usize = 2;

/// The marker column of each list: its widest marker plus one blank, so that the text of
/// every item of a list starts at the same column (`9.` and `10.` alike).
pub(crate) struct ListColumns(HashMap<u32, usize>);

impl ListColumns {
    pub(crate) fn of(doc: &Document) -> ListColumns {
        let mut cols: HashMap<u32, usize> = HashMap::new();
        for block in &doc.blocks {
            if let (Some(marker), Some((id, level))) = (block.marker, innermost_list(&block.nest)) {
                let w = display_width(&marker_text(marker, level)) + 1;
                let col = cols.entry(id).or_insert(0);
                *col = (*col).max(w);
            }
        }
        ListColumns(cols)
    }

    fn column(&self, id: u32) -> usize {
        self.0.get(&id).copied().unwrap_or(2)
    }
}

/// The innermost list around a block and its level (1 = a top-level list).
fn innermost_list(nest: &[Nest]) -> Option<(u32, usize)> {
    let level = nest.iter().filter(|n| matches!(n, Nest::List(_))).count();
    nest.iter().rev().find_map(|n| match n {
        Nest::List(id) => Some((*id, level)),
        Nest::Quote => None,
    })
}

/// The marker as drawn: `•`, `◦`, `▪` by list level (as browsers do), or `n.`.
pub(crate) fn marker_text(marker: Marker, level: usize) -> String {
    match marker {
        Marker::Number(n) => format!("{n}."),
        Marker::Bullet => match level {
            0 | 1 => "•",
            2 => "◦",
            _ => "▪",
        }
        .to_string(),
    }
}

enum Piece {
    /// A blockquote: `▎ `.
    Bar,
    /// List indentation, or a marker column on lines after the first.
    Blank(usize),
    /// A marker column of `width` cells: the marker hugs the text, one blank between.
    Marker { text: String, width: usize },
}

impl Piece {
    fn width(&self) -> usize {
        match self {
            Piece::Bar => 2,
            Piece::Blank(w) | Piece::Marker { width: w, .. } => *w,
        }
    }
}

/// The decorations of one block, fitted to the width.
pub(crate) struct Prefix {
    /// Outermost first.
    pieces: Vec<Piece>,
}

impl Prefix {
    pub(crate) fn new(block: &Block, lists: &ListColumns, width: usize) -> Prefix {
        let mut pieces = Vec::new();
        let innermost = block.nest.iter().rposition(|n| matches!(n, Nest::List(_)));
        let mut level = 0;
        for (i, n) in block.nest.iter().enumerate() {
            match *n {
                Nest::Quote => pieces.push(Piece::Bar),
                Nest::List(id) => {
                    if level == 0 {
                        pieces.push(Piece::Blank(LIST_INDENT));
                    }
                    level += 1;
                    let column = lists.column(id);
                    match block.marker {
                        Some(marker) if Some(i) == innermost => {
                            let text = marker_text(marker, level);
                            let width = column.max(display_width(&text) + 1);
                            pieces.push(Piece::Marker { text, width });
                        }
                        _ => pieces.push(Piece::Blank(column)),
                    }
                }
            }
        }
        // A narrow reader keeps at least half its width for the text: the outermost
        // decorations go first.
        let max = width.saturating_sub(1) / 2;
        let mut total: usize = pieces.iter().map(Piece::width).sum();
        let mut drop = 0;
        while total > max && drop < pieces.len() {
            total -= pieces[drop].width();
            drop += 1;
        }
        pieces.drain(..drop);
        Prefix { pieces }
    }

    pub(crate) fn width(&self) -> usize {
        self.pieces.iter().map(Piece::width).sum()
    }

    /// `line` with the decorations on its start side: before it, or after it when the line is
    /// right-to-left and drawn in visual order (`visual`). The marker shows on the first line
    /// only; later lines get blanks of its width.
    pub(crate) fn attach(
        &self,
        line: DocLine,
        first: bool,
        visual: bool,
        opts: &TextOptions,
    ) -> DocLine {
        if self.pieces.is_empty() {
            return line;
        }
        let mirror = line.rtl && visual;
        let mut out = DocLine::new(line.rtl);
        if mirror {
            out.append(line);
            for piece in self.pieces.iter().rev() {
                draw(piece, &mut out, first, true, opts);
            }
        } else {
            for piece in &self.pieces {
                draw(piece, &mut out, first, false, opts);
            }
            out.append(line);
        }
        out
    }
}

fn draw(piece: &Piece, out: &mut DocLine, first: bool, mirror: bool, opts: &TextOptions) {
    match piece {
        Piece::Bar if mirror => {
            out.pad(1);
            out.push_str("▎", Role::Border);
        }
        Piece::Bar => {
            out.push_str("▎", Role::Border);
            out.pad(1);
        }
        Piece::Blank(w) => out.pad(*w),
        Piece::Marker { width, .. } if !first => out.pad(*width),
        Piece::Marker { text, width } => {
            // Laid out in the line's direction: `1.` reads `.1` on a right-to-left line.
            let dir = if mirror {
                Direction::Rtl
            } else {
                Direction::Ltr
            };
            let marker = layout_field(text, dir, mirror, *width - 1, opts);
            let pad = width - 1 - marker.width;
            if mirror {
                out.pad(1);
                out.push(marker, Role::Marker);
                out.pad(pad);
            } else {
                out.pad(pad);
                out.push(marker, Role::Marker);
                out.pad(1);
            }
        }
    }
}
