//! The blocks emitted so far, and the rules that look back at them: a block is tight against
//! the one before when both are in one list (or one in a list nested in the other's list), a
//! figure's caption moves under what it captions, and a link whose text went into an earlier
//! block gets its number there.

use crate::model::Direction;
use crate::text::doc::{Block, Content, Marker, Nest, Role, StyledText, Table};

#[derive(Default)]
pub(super) struct Blocks {
    list: Vec<Block>,
    /// The lists around the last block.
    last_lists: Vec<u32>,
}

impl Blocks {
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    pub(super) fn emit(
        &mut self,
        content: Content,
        dir: Direction,
        lang: Option<String>,
        nest: Vec<Nest>,
        marker: Option<Marker>,
    ) {
        let lists: Vec<u32> = nest
            .iter()
            .filter_map(|n| match n {
                Nest::List(id) => Some(*id),
                Nest::Quote => None,
            })
            .collect();
        let last = std::mem::replace(&mut self.last_lists, lists);
        let lists = &self.last_lists;
        let tight = !lists.is_empty()
            && !last.is_empty()
            && (lists.starts_with(&last) || last.starts_with(lists));
        self.list.push(Block {
            content,
            dir,
            lang,
            nest,
            marker,
            tight,
        });
    }

    /// A table's caption, then the table tight under it.
    pub(super) fn emit_table(
        &mut self,
        caption: Option<StyledText>,
        table: Option<Table>,
        dir: Direction,
        lang: Option<String>,
        nest: Vec<Nest>,
    ) {
        let captioned = caption.is_some();
        if let Some(caption) = caption {
            self.emit(
                Content::Caption(caption),
                dir,
                lang.clone(),
                nest.clone(),
                None,
            );
        }
        if let Some(table) = table {
            self.emit(Content::Table(table), dir, lang, nest, None);
            if let Some(last) = self.list.last_mut() {
                last.tight |= captioned;
            }
        }
    }

    /// Moves the caption blocks `caption_start..caption_end` of the figure whose blocks start
    /// at `figure_start` to its end, tight under what comes before them.
    pub(super) fn caption_under(
        &mut self,
        figure_start: usize,
        caption_start: usize,
        caption_end: usize,
    ) {
        let blocks = &mut self.list;
        if caption_start >= caption_end || caption_end > blocks.len() {
            return;
        }
        blocks[caption_start..].rotate_left(caption_end - caption_start);
        let first = blocks.len() - (caption_end - caption_start);
        for (i, b) in blocks.iter_mut().enumerate().skip(first) {
            b.tight = i > figure_start;
        }
    }

    /// Appends a link number to the last block's text (when it is text).
    pub(super) fn append_to_last(&mut self, mark: &str) {
        if let Some(Content::Paragraph(t) | Content::Heading(_, t) | Content::Caption(t)) =
            self.list.last_mut().map(|b| &mut b.content)
        {
            t.push_str(mark, Role::LinkNumber);
        }
    }

    pub(super) fn into_vec(self) -> Vec<Block> {
        self.list
    }
}
