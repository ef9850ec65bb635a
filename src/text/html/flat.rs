//! The flat view of a document that the reader lays out today: one plain paragraph per
//! block (a line of a paragraph with `<br>`, a table row with its cells joined by ` | `), list
//! markers written into the text. It goes once the reader lays out the document itself
//! (`text::layout::layout_document`).

use std::collections::HashMap;

use crate::model::Direction;
use crate::text::doc::{self, Content, Marker, Nest};

use super::tags::{FSI, LRI, PDI, RLI};

/// Nested lists deeper than this are not indented further.
const MAX_INDENT_LEVELS: usize = 6;

/// What a block is, so the reader can style it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    Quote,
    ListItem,
    Preformatted,
}

/// One logical paragraph. `text` has no control characters; whitespace is collapsed except in
/// `Preformatted` blocks, whose lines are separated by `\n`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// From `dir` on the block or an ancestor; `Auto` when none says otherwise.
    pub dir: Direction,
    /// From `lang` / `xml:lang` on the block or an ancestor.
    pub lang: Option<String>,
}

/// An HTML body as blocks, plus the links numbered in the text (`links[n-1]` is `[n]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

/// The flat view of `doc`.
pub(super) fn flatten(doc: doc::Document) -> Document {
    let mut out = Document {
        blocks: Vec::new(),
        links: doc.links,
    };
    // The marker of the item a list's later blocks continue, for their indentation.
    let mut markers: HashMap<u32, String> = HashMap::new();
    for block in doc.blocks {
        let kind = match &block.content {
            Content::Heading(..) => BlockKind::Heading,
            Content::Preformatted(_) => BlockKind::Preformatted,
            _ => match block.nest.last() {
                Some(Nest::Quote) => BlockKind::Quote,
                Some(Nest::List(_)) => BlockKind::ListItem,
                None => BlockKind::Paragraph,
            },
        };
        let lists: Vec<u32> = block
            .nest
            .iter()
            .filter_map(|n| match n {
                Nest::List(id) => Some(*id),
                Nest::Quote => None,
            })
            .collect();
        let (first, rest) = match lists.last() {
            Some(&id) => {
                let indent = "  ".repeat((lists.len() - 1).min(MAX_INDENT_LEVELS));
                if let Some(m) = block.marker {
                    let marker = match m {
                        Marker::Number(n) => format!("{n}. "),
                        Marker::Bullet => "• ".to_string(),
                    };
                    markers.insert(id, marker);
                }
                let marker = markers.get(&id).map_or("• ", String::as_str);
                let hang = format!("{indent}{}", " ".repeat(marker.chars().count()));
                let first = if block.marker.is_some() {
                    format!("{indent}{marker}")
                } else {
                    hang.clone()
                };
                (first, hang)
            }
            None => (String::new(), String::new()),
        };
        let pieces: Vec<String> = match &block.content {
            Content::Paragraph(t) | Content::Heading(_, t) | Content::Caption(t) => {
                lines(t.as_str())
            }
            Content::Preformatted(t) => vec![t.as_str().to_string()],
            Content::Rule => Vec::new(),
            Content::Table(table) => table
                .rows
                .iter()
                .map(|row| {
                    row.cells
                        .iter()
                        .map(|c| c.text.as_str().replace('\n', " "))
                        .filter(|t| !t.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect(),
        };
        let mut prefix = first;
        for piece in pieces.into_iter().filter(|p| p.chars().any(visible)) {
            out.blocks.push(Block {
                kind,
                text: format!("{prefix}{piece}"),
                dir: block.dir,
                lang: block.lang.clone(),
            });
            prefix.clone_from(&rest);
        }
    }
    out
}

/// A paragraph's lines (`<br>`), each with the isolates open across its ends closed at its
/// end and reopened at the start of the next, so that every line is balanced on its own.
fn lines(text: &str) -> Vec<String> {
    let mut open: Vec<char> = Vec::new();
    text.split('\n')
        .map(|piece| {
            let mut line: String = open.iter().collect();
            line.push_str(piece);
            for c in piece.chars() {
                match c {
                    LRI | RLI | FSI => open.push(c),
                    PDI => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            line.extend(open.iter().map(|_| PDI));
            line
        })
        .collect()
}

fn visible(c: char) -> bool {
    !c.is_whitespace() && !crate::text::sanitize::is_bidi_control(c)
}
