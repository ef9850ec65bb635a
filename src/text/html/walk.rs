//! The walk over html5ever's tree that builds the document. Iterative (open and close
//! events), so deeply nested tag soup cannot overflow the stack; inherited values live in a
//! stack of frames and refer to ancestors by index, so a block costs O(1) however deep the
//! tree. Every text node is sanitized before it is added, so the only bidi formatting
//! characters in the output are marks (honoured, BIDI.md decision 7) and isolates balanced
//! within their block.

use ego_tree::NodeRef;
use scraper::Node;
use scraper::node::Element;
use url::Url;

use crate::model::Direction;
use crate::text::doc::{Content, Document, Marker, Nest, Role, StyledText};
use crate::text::sanitize::{sanitize_block, sanitize_inline};

use super::blocks::Blocks;
use super::buffer::TextBuffer;
use super::frame::{Figure, Frame, lang_of, nest_of};
use super::links::Links;
use super::media::{Media, image_label, image_url};
use super::table::TableBuild;
use super::tags::{
    FSI, Kind, MediaKind, PDI, Tag, balance_isolates, opener_for, parse_dir, tag, whole_isolate,
};

/// Isolates nested deeper than this are not opened: UAX #9 ignores them past 125 anyway, and
/// no real article needs more than a few.
const MAX_ISOLATE_DEPTH: usize = 8;

struct Walker {
    blocks: Blocks,
    links: Links,
    frames: Vec<Frame>,
    /// Open `Skip` elements (their content is dropped).
    skipping: usize,
    /// The text being built.
    buf: TextBuffer,
    /// Frames whose isolate is open, outermost first; reopened at the start of each block.
    open_isolates: Vec<usize>,
    /// The number of the next list.
    next_list: u32,
    table: Option<TableBuild>,
    media: Option<Media>,
}

/// Walks a parsed fragment into a document.
pub(super) fn walk(root: NodeRef<'_, Node>, base: Option<Url>) -> Document {
    let mut walker = Walker {
        blocks: Blocks::default(),
        links: Links::new(base),
        frames: Vec::new(),
        skipping: 0,
        buf: TextBuffer::default(),
        open_isolates: Vec::new(),
        next_list: 1,
        table: None,
        media: None,
    };
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => walker.open(node, el),
                Node::Text(t) => walker.text(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if node.value().is_element() {
                    walker.close();
                }
            }
        }
    }
    walker.flush();
    Document {
        blocks: walker.blocks.into_vec(),
        links: walker.links.into_list(),
    }
}

impl Walker {
    fn role(&self) -> Role {
        self.frames.last().map_or(Role::Text, |f| f.role)
    }

    fn in_cell(&self) -> bool {
        self.table.as_ref().is_some_and(TableBuild::collecting)
    }

    fn open(&mut self, node: NodeRef<'_, Node>, el: &Element) {
        let tag = tag(el.name());
        if self.skipping > 0 || tag == Tag::Skip || matches!(tag, Tag::Media(_)) {
            if self.skipping == 0
                && let Tag::Media(kind) = tag
            {
                self.start_media(kind, el);
            } else if tag == Tag::Source
                && let Some(url) = self.links.media_url(el, "src")
                && let Some(media) = self.media.as_mut()
            {
                media.urls.push(url);
            }
            self.skipping += 1;
            let mut f = Frame::root();
            f.skip = true;
            self.frames.push(f);
            return;
        }
        let index = self.frames.len();
        let mut f = self
            .frames
            .last()
            .map_or_else(Frame::root, |p| p.child(tag, self.buf.visible()));
        f.tag = tag;
        let own_dir = el.attr("dir").and_then(parse_dir);
        if let Some(d) = own_dir {
            f.dir = d;
        }
        if let Some(lang) = el.attr("xml:lang").or_else(|| el.attr("lang")) {
            let lang = sanitize_inline(lang);
            f.own_lang = Some((!lang.is_empty()).then_some(lang));
            f.lang_at = Some(index);
        }
        if tag.is_block() {
            self.block_boundary();
            f.block_at = Some(index);
        }
        match tag {
            Tag::Block(kind) => {
                if kind.is_some() {
                    f.kind = kind;
                }
                if matches!(kind, Some(Kind::Heading(_))) {
                    f.role = Role::Heading;
                }
            }
            Tag::Quote => {
                f.role = Role::Quote;
                self.nest_frame(&mut f, index, Nest::Quote);
            }
            Tag::Pre => {
                f.pre = true;
                f.role = Role::Code;
            }
            Tag::Figure => {
                f.figure = Some(Figure {
                    start: self.blocks.len(),
                    caption: None,
                });
                f.figure_at = Some(index);
            }
            Tag::Caption => {
                f.kind = Some(Kind::Caption);
                f.role = Role::Dim;
                let start = self.blocks.len();
                if let Some(fig) = f.figure_at.and_then(|i| self.frames[i].figure.as_mut())
                    && fig.caption.is_none()
                {
                    fig.caption = Some((start, None));
                }
            }
            Tag::List { ordered } => self.open_list(&mut f, index, node, el, ordered),
            Tag::Item => self.open_item(&mut f, index, el),
            Tag::Break => {
                if f.pre {
                    self.buf.push_raw("\n", f.role);
                } else {
                    self.buf.line_break(f.role);
                }
            }
            Tag::Rule if !self.in_cell() => {
                let nest = self.nest_of(f.nest_at);
                self.blocks.emit(Content::Rule, f.dir, None, nest, None);
            }
            Tag::Table | Tag::TableCaption | Tag::TableHead | Tag::Row | Tag::Cell { .. } => {
                self.open_table_part(&mut f, index, el);
            }
            Tag::Image => self.image(el),
            Tag::Link => {
                f.link = el.attr("href").and_then(|h| self.links.resolve(h));
                if f.link.is_some() {
                    f.role = Role::Link;
                }
            }
            Tag::Styled(role) => f.role = role,
            Tag::Rule | Tag::Media(_) | Tag::Source | Tag::Skip | Tag::Inline => {}
        }
        // An inline element with `dir` (or a `bdi`/`bdo`) is an isolate inside its block.
        let isolating = matches!(
            tag,
            Tag::Inline | Tag::Styled(_) | Tag::Link | Tag::Cell { .. }
        ) && (own_dir.is_some() || matches!(el.name(), "bdi" | "bdo"))
            && self.open_isolates.len() < MAX_ISOLATE_DEPTH;
        self.frames.push(f);
        if isolating {
            self.open_isolate(index, opener_for(own_dir.unwrap_or(Direction::Auto)));
        }
    }

    fn close(&mut self) {
        let Some(top) = self.frames.last() else {
            return;
        };
        let index = self.frames.len() - 1;
        if top.skip {
            self.skipping = self.skipping.saturating_sub(1);
            if self.media.as_ref().is_some_and(|m| m.frame == index) {
                self.finish_media();
            }
            self.frames.pop();
            return;
        }
        if top.isolate.is_some() {
            self.close_isolate(index);
        }
        if let Some(url) = self.frames[index].link.take()
            && self.buf.visible() > self.frames[index].visible_at_open
        {
            self.add_link_number(url);
        }
        let top = &self.frames[index];
        let tag = top.tag;
        if top.block_at == Some(index) {
            self.block_boundary();
        }
        match tag {
            Tag::Caption => self.close_caption(index),
            Tag::Figure => self.close_figure(index),
            Tag::Table | Tag::TableCaption | Tag::TableHead | Tag::Cell { .. } => {
                self.close_table_part(index, tag);
            }
            _ => {}
        }
        self.frames.pop();
    }

    fn text(&mut self, text: &str) {
        if self.skipping > 0 {
            return;
        }
        if self.table.is_some() && !self.in_cell() {
            // Between the cells: only the parser's whitespace ends up here.
            return;
        }
        let (pre, role) = self
            .frames
            .last()
            .map_or((false, Role::Text), |f| (f.pre, f.role));
        if pre {
            let clean = balance_isolates(&sanitize_block(&text.replace('\t', "    ")));
            self.buf.push_raw(&clean, role);
        } else {
            let clean = balance_isolates(&sanitize_block(text));
            self.buf.push_inline(&clean, role);
        }
    }

    /// Records a quote or list frame as a container of the blocks inside (not inside a table
    /// cell, whose text is flat).
    fn nest_frame(&self, f: &mut Frame, index: usize, nest: Nest) {
        if !self.in_cell() {
            f.contain(&self.frames, index, nest);
        }
    }

    fn nest_of(&self, at: Option<usize>) -> Vec<Nest> {
        nest_of(&self.frames, at)
    }

    fn open_list(
        &mut self,
        f: &mut Frame,
        index: usize,
        node: NodeRef<'_, Node>,
        el: &Element,
        ordered: bool,
    ) {
        f.ordered = ordered;
        f.reversed = ordered && el.attr("reversed").is_some();
        let items = || {
            node.children()
                .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "li"))
                .count()
        };
        f.next_number = el
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| if f.reversed { items() as i64 } else { 1 });
        f.list_at = Some(index);
        if self.in_cell() {
            return;
        }
        // An item whose text starts with a nested list still shows its marker, on a line
        // of its own.
        if let Some(item) = f.item_at
            && let Some(marker) = self.frames[item].marker.take()
        {
            let nest = self.nest_of(f.nest_at);
            self.blocks.emit(
                Content::Paragraph(StyledText::default()),
                f.dir,
                None,
                nest,
                Some(marker),
            );
        }
        let id = self.next_list;
        self.next_list = self.next_list.saturating_add(1);
        self.nest_frame(f, index, Nest::List(id));
    }

    fn open_item(&mut self, f: &mut Frame, index: usize, el: &Element) {
        f.item_at = Some(index);
        let marker = match f.list_at {
            Some(l) if self.frames[l].ordered => {
                Marker::Number(self.frames[l].take_number(el.attr("value")))
            }
            Some(_) => Marker::Bullet,
            None => {
                // An item outside any list: a list of its own (number 0).
                self.nest_frame(f, index, Nest::List(0));
                Marker::Bullet
            }
        };
        if self.in_cell() {
            // Flat text: the marker is written out.
            let text = match marker {
                Marker::Number(n) => format!("{n}. "),
                Marker::Bullet => "• ".to_string(),
            };
            self.buf.push_raw(&text, f.role);
        } else {
            f.marker = Some(marker);
        }
    }

    fn close_caption(&mut self, index: usize) {
        let end = self.blocks.len();
        if let Some(fig) = self.frames[index]
            .figure_at
            .and_then(|i| self.frames[i].figure.as_mut())
            && let Some((_, e @ None)) = fig.caption.as_mut()
        {
            *e = Some(end);
        }
    }

    /// Moves the figure's caption under what it captions, tight against it.
    fn close_figure(&mut self, index: usize) {
        if let Some(fig) = self.frames[index].figure
            && let Some((start, Some(end))) = fig.caption
        {
            self.blocks.caption_under(fig.start, start, end);
        }
    }

    fn open_table_part(&mut self, f: &mut Frame, index: usize, el: &Element) {
        let lang = lang_of(&self.frames, f, index);
        if self.table.is_none() && f.tag == Tag::Table {
            let nest = self.nest_of(f.nest_at);
            self.table = Some(TableBuild::new(index, f.dir, lang, nest));
            return;
        }
        let in_cell = self.in_cell();
        let Some(table) = self.table.as_mut() else {
            return;
        };
        match f.tag {
            Tag::Table => table.nested += 1,
            // A table inside a cell is flattened: its cells separated on their line.
            Tag::Cell { .. }
                if table.nested > 0 && self.buf.has_text() && !self.buf.ends_with('\n') =>
            {
                self.buf.push_raw(" | ", f.role);
            }
            _ if table.nested > 0 => {}
            Tag::TableCaption => {
                table.start_caption(index);
                f.role = Role::Dim;
            }
            Tag::TableHead => table.enter_head(1),
            Tag::Row => table.start_row(),
            Tag::Cell { header } if !in_cell => {
                let header = table.header_cell(header);
                table.start_cell(
                    index,
                    header,
                    el.attr("colspan"),
                    el.attr("rowspan"),
                    f.dir,
                    lang,
                );
                if header {
                    f.role = Role::TableHeader;
                }
                // The cell's text starts clean (isolates of outer elements reopened).
                drop(self.take_text());
            }
            _ => {}
        }
    }

    fn close_table_part(&mut self, index: usize, tag: Tag) {
        let Some(table) = self.table.as_mut() else {
            return;
        };
        match tag {
            Tag::Table if table.frame == index => {
                let Some(table) = self.table.take() else {
                    return;
                };
                let (dir, lang, nest) = (table.dir, table.lang.clone(), table.nest.clone());
                let (caption, grid) = table.finish();
                self.blocks.emit_table(caption, grid, dir, lang, nest);
            }
            Tag::Table => table.nested = table.nested.saturating_sub(1),
            _ if table.nested > 0 => {}
            Tag::TableHead => table.enter_head(-1),
            Tag::TableCaption if table.caption_frame() == Some(index) => {
                let text = self.take_text();
                if let Some(table) = self.table.as_mut() {
                    table.finish_caption(text);
                }
            }
            Tag::Cell { .. } if table.cell_frame() == Some(index) => {
                let text = self.take_text();
                if let Some(table) = self.table.as_mut() {
                    table.finish_cell(text);
                }
            }
            _ => {}
        }
    }

    /// Numbers a URL and writes `[n]` after the text that refers to it.
    fn add_link_number(&mut self, url: String) {
        let mark = format!("[{}]", self.links.number(url));
        if self.buf.has_text() {
            // Glued to the link text; a pending space stays pending after it.
            self.buf.push_raw(&mark, Role::LinkNumber);
        } else {
            // The link's text went into an earlier block (a block inside the link).
            self.blocks.append_to_last(&mark);
        }
    }

    fn image(&mut self, el: &Element) {
        let label = image_label(el);
        let url = image_url(el, &self.links);
        self.placeholder(&label, url);
    }

    fn start_media(&mut self, kind: MediaKind, el: &Element) {
        if self.media.is_none() {
            self.media = Some(Media::start(kind, el, &self.links, self.frames.len()));
        }
    }

    /// `[video: title]` with the number of its first URL; every URL goes to the links (the
    /// others are the same media in other formats). With no URL, nothing is shown.
    fn finish_media(&mut self) {
        let Some(media) = self.media.take() else {
            return;
        };
        let Some(label) = media.label() else {
            return;
        };
        let mut urls = media.urls.into_iter();
        let first = urls.next();
        self.placeholder(&label, first);
        for url in urls {
            self.links.number(url);
        }
    }

    /// A placeholder stands apart from the text around it, like the box it replaces, and is
    /// isolated with its number: its English word neither gives a paragraph its direction
    /// nor is pulled apart by the text around it.
    fn placeholder(&mut self, label: &str, url: Option<String>) {
        let role = self.role();
        self.buf.space(role);
        self.buf.write_pending_space();
        self.buf.push_control(FSI);
        self.buf.push_inline(label, Role::Media);
        if let Some(url) = url {
            self.add_link_number(url);
        }
        self.buf.push_control(PDI);
        self.buf.space(role);
    }

    fn open_isolate(&mut self, index: usize, opener: char) {
        self.buf.write_pending_space();
        self.buf.push_control(opener);
        self.frames[index].isolate = Some(opener);
        self.open_isolates.push(index);
    }

    fn close_isolate(&mut self, index: usize) {
        let Some(opener) = self.frames[index].isolate.take() else {
            return;
        };
        // Frames nest, so the isolate closing is the innermost open one.
        self.open_isolates.pop();
        if self.buf.ends_with(opener) {
            // Nothing inside: drop the empty pair.
            self.buf.pop();
        } else {
            self.buf.push_control(PDI);
        }
    }

    /// A block starts or ends: a new block, or a new line inside a table cell.
    fn block_boundary(&mut self) {
        if self.in_cell() {
            self.buf.soft_break(self.role());
        } else {
            self.flush();
        }
    }

    /// Takes the text built so far, its open isolates closed, trimmed; `None` when nothing in
    /// it is visible. The next text starts with those isolates reopened.
    fn take_text(&mut self) -> Option<StyledText> {
        let frames = &self.frames;
        let reopen = self.open_isolates.iter().filter_map(|&i| frames[i].isolate);
        let (mut body, has_text) = self.buf.take(reopen);
        if !has_text {
            return None;
        }
        if self.frames.last().is_some_and(|f| f.pre) {
            // Blank lines at either end go; the indentation of the first line stays.
            let s = body.as_str();
            let end = s.trim_end().len();
            let first = s.find(|c: char| !c.is_whitespace()).unwrap_or(0);
            let start = s[..first].rfind('\n').map_or(0, |i| i + 1);
            body = body.slice(start..end);
        } else {
            let end = body.as_str().trim_end_matches([' ', '\n']).len();
            body.truncate(end);
        }
        for _ in 0..self.open_isolates.len() {
            body.push(PDI, Role::Text);
        }
        Some(body)
    }

    /// Ends the current block: emits it if it has visible text.
    fn flush(&mut self) {
        let Some(mut text) = self.take_text() else {
            return;
        };
        let root = Frame::root();
        let top = self.frames.last().unwrap_or(&root);
        let (pre, kind, nest_at, item_at) = (top.pre, top.kind, top.nest_at, top.item_at);
        let ctx = top.block_at.and_then(|i| self.frames.get(i));
        let mut dir = ctx.map_or(Direction::Auto, |f| f.dir);
        let lang = ctx
            .and_then(|f| f.lang_at)
            .and_then(|i| lang_of(&self.frames, &self.frames[i], i));
        while let Some((inner, range)) = whole_isolate(text.as_str(), dir) {
            dir = inner;
            text = text.slice(range);
        }
        let content = if pre {
            Content::Preformatted(text)
        } else {
            match kind {
                Some(Kind::Heading(level)) => Content::Heading(level, text),
                Some(Kind::Caption) => Content::Caption(text),
                None => Content::Paragraph(text),
            }
        };
        let nest = self.nest_of(nest_at);
        let marker = item_at.and_then(|i| self.frames[i].marker.take());
        self.blocks.emit(content, dir, lang, nest, marker);
    }
}
