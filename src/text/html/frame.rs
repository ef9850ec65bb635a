//! One open element during the walk: what it inherits (direction, language, role, the
//! innermost block, item, list, quote or list container and figure, as frame indexes, so
//! that a block costs O(1) however deep the tree) and what it holds of its own.

use crate::model::Direction;
use crate::text::doc::{MAX_NEST, Marker, Nest, Role};

use super::tags::{Kind, Tag};

/// A figure while it is open: where its blocks start, and where its first caption is.
#[derive(Clone, Copy)]
pub(super) struct Figure {
    pub start: usize,
    pub caption: Option<(usize, Option<usize>)>,
}

/// One open element. Inherited values are stored resolved; ancestors are frame indexes.
#[derive(Clone)]
pub(super) struct Frame {
    pub tag: Tag,
    pub skip: bool,
    /// Effective `dir` here (inherited).
    pub dir: Direction,
    /// This element's own `lang` (`Some(None)`: `lang=""`, explicitly unknown).
    pub own_lang: Option<Option<String>>,
    pub lang_at: Option<usize>,
    /// Innermost block frame (this one if it is a block).
    pub block_at: Option<usize>,
    pub kind: Option<Kind>,
    pub pre: bool,
    /// The role of text here.
    pub role: Role,
    pub item_at: Option<usize>,
    pub list_at: Option<usize>,
    /// Innermost quote or list frame, and for such a frame its own nest and parent.
    pub nest_at: Option<usize>,
    pub nest: Option<Nest>,
    pub nest_parent: Option<usize>,
    pub nest_depth: usize,
    pub figure_at: Option<usize>,
    pub figure: Option<Figure>,
    /// Lists: how their items are numbered.
    pub ordered: bool,
    pub reversed: bool,
    pub next_number: i64,
    /// Items: the marker not yet given to a block.
    pub marker: Option<Marker>,
    /// This element is an isolate with this initiator.
    pub isolate: Option<char>,
    /// Links: the absolute URL and the visible-character count when it opened.
    pub link: Option<String>,
    pub visible_at_open: u64,
}

impl Frame {
    pub(super) fn root() -> Frame {
        Frame {
            tag: Tag::Inline,
            skip: false,
            dir: Direction::Auto,
            own_lang: None,
            lang_at: None,
            block_at: None,
            kind: None,
            pre: false,
            role: Role::Text,
            item_at: None,
            list_at: None,
            nest_at: None,
            nest: None,
            nest_parent: None,
            nest_depth: 0,
            figure_at: None,
            figure: None,
            ordered: false,
            reversed: false,
            next_number: 1,
            marker: None,
            isolate: None,
            link: None,
            visible_at_open: 0,
        }
    }

    /// A child's frame: the inherited values, none of this frame's own.
    pub(super) fn child(&self, tag: Tag, visible: u64) -> Frame {
        Frame {
            tag,
            dir: self.dir,
            lang_at: self.lang_at,
            block_at: self.block_at,
            kind: self.kind,
            pre: self.pre,
            role: self.role,
            item_at: self.item_at,
            list_at: self.list_at,
            nest_at: self.nest_at,
            figure_at: self.figure_at,
            visible_at_open: visible,
            ..Frame::root()
        }
    }
}

impl Frame {
    /// Makes this frame (at `index`, not yet on the stack) a container of the blocks inside,
    /// unless containers already nest [`MAX_NEST`] deep.
    pub(super) fn contain(&mut self, frames: &[Frame], index: usize, nest: Nest) {
        let depth = self.nest_at.map_or(1, |i| frames[i].nest_depth + 1);
        if depth > MAX_NEST {
            return;
        }
        self.nest = Some(nest);
        self.nest_parent = self.nest_at;
        self.nest_depth = depth;
        self.nest_at = Some(index);
    }

    /// For an ordered list: the number of its next item (`value` on the item resets it).
    pub(super) fn take_number(&mut self, value: Option<&str>) -> i64 {
        if let Some(v) = value.and_then(|s| s.trim().parse().ok()) {
            self.next_number = v;
        }
        let n = self.next_number;
        self.next_number = if self.reversed {
            n.saturating_sub(1)
        } else {
            n.saturating_add(1)
        };
        n
    }
}

/// The containers from the frame `at` outwards, returned outermost first.
pub(super) fn nest_of(frames: &[Frame], mut at: Option<usize>) -> Vec<Nest> {
    let mut nest = Vec::new();
    while let Some(i) = at {
        if let Some(n) = frames[i].nest {
            nest.push(n);
        }
        at = frames[i].nest_parent;
    }
    nest.reverse();
    nest
}

/// The `lang` that applies to `f` (at `index`: maybe not yet on the stack, so its own is read
/// from it).
pub(super) fn lang_of(frames: &[Frame], f: &Frame, index: usize) -> Option<String> {
    match f.lang_at {
        Some(i) if i == index => f.own_lang.clone().flatten(),
        Some(i) => frames.get(i).and_then(|g| g.own_lang.clone()).flatten(),
        None => None,
    }
}
