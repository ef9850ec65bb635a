//! HTML from feeds to paragraphs (blocks with their direction) and a numbered link list.
//!
//! The parse is html5ever's (through `scraper`); this module only walks the tree. The walk is
//! iterative (`traverse`) so that deeply nested tag soup cannot overflow the stack. Every text
//! node is sanitized before anything is added to it, so the only bidi formatting characters in
//! the output are marks (LRM/RLM/ALM, honoured per BIDI.md decision 7) and isolates that are
//! balanced within their block.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use scraper::{Html, Node};
use url::Url;

use crate::model::Direction;
use crate::text::sanitize::{is_bidi_control, sanitize_block, sanitize_inline, sanitize_url};

const LRI: char = '\u{2066}';
const RLI: char = '\u{2067}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Isolates nested deeper than this are not opened: UAX #9 ignores them past 125 anyway, and
/// no real article needs more than a few.
const MAX_ISOLATE_DEPTH: usize = 8;

/// Nested lists deeper than this are not indented further (tag soup can nest thousands).
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

/// Turns an HTML body (or plain text) into blocks and a link list.
/// `base_url` resolves relative links. Plain text (no tags) is split into paragraphs at blank
/// lines.
pub fn html_to_document(html: &str, base_url: Option<&str>) -> Document {
    if html.trim().is_empty() {
        return Document::default();
    }
    // Deep nesting makes the parser quadratic (see `nesting`): a body that nests past the
    // bound is cut there, and says so.
    let capped = super::nesting::cap_depth(html, super::nesting::MAX_DEPTH);
    let cut;
    let html = if capped.len() < html.len() {
        cut = format!(
            "{capped}<p>[The rest of this article is not shown: its HTML nests more than {} elements deep.]</p>",
            super::nesting::MAX_DEPTH
        );
        cut.as_str()
    } else {
        html
    };
    let parsed = Html::parse_fragment(html);
    let has_elements = parsed
        .root_element()
        .descendants()
        .skip(1)
        .any(|n| n.value().is_element());
    if !has_elements {
        return plain_text(&parsed);
    }
    let base = base_url.and_then(|b| Url::parse(&sanitize_url(b)).ok());
    let mut walker = Walker::new(base);
    // The fragment's own `<html>` wrapper is walked too; it is a block with no attributes.
    for edge in parsed.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => walker.open(el),
                Node::Text(t) => walker.text(t),
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().is_element() {
                    walker.close();
                }
            }
        }
    }
    walker.flush();
    walker.doc
}

/// Text with no tags: entities are already decoded by the parser; blank lines separate
/// paragraphs and single newlines are spaces.
fn plain_text(parsed: &Html) -> Document {
    let mut raw = String::new();
    for node in parsed.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            raw.push_str(t);
        }
    }
    let clean = balance_isolates(&sanitize_block(&raw));
    let mut doc = Document::default();
    let mut para = String::new();
    let push_para = |para: &mut String, doc: &mut Document| {
        let text = sanitize_inline(para);
        if text.chars().any(is_visible) {
            doc.blocks.push(Block {
                kind: BlockKind::Paragraph,
                text,
                dir: Direction::Auto,
                lang: None,
            });
        }
        para.clear();
    };
    for line in clean.split('\n') {
        if line.trim().is_empty() {
            push_para(&mut para, &mut doc);
        } else {
            para.push_str(line);
            para.push(' ');
        }
    }
    push_para(&mut para, &mut doc);
    doc
}

/// Keeps only the isolate initiators that a PDI in the same text closes, and only those PDIs:
/// an untrusted text node can neither leave an isolate open nor close one of ours.
fn balance_isolates(s: &str) -> String {
    if !s.chars().any(|c| matches!(c, LRI | RLI | FSI | PDI)) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut keep = vec![true; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            LRI | RLI | FSI => open.push(i),
            PDI if open.pop().is_none() => keep[i] = false,
            _ => {}
        }
    }
    for i in open {
        keep[i] = false;
    }
    chars
        .iter()
        .zip(keep)
        .filter_map(|(&c, k)| k.then_some(c))
        .collect()
}

/// Something a reader would see (not whitespace, not a bidi mark or isolate).
fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !is_bidi_control(c)
}

/// HTML's collapsible whitespace (not NBSP).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Dropped with everything inside.
    Skip,
    /// Starts and ends a block; `Some` gives the kind it imposes on blocks inside.
    Block(Option<BlockKind>),
    /// `ul` / `ol`: a block boundary that numbers its items.
    List {
        ordered: bool,
    },
    /// `li`: a block with a marker.
    Item,
    /// A line break: ends the current block (a newline inside `pre`).
    Break,
    /// A table cell: its text joins the row's with a separator.
    Cell,
    Image,
    Inline,
}

fn role(name: &str) -> Role {
    match name {
        "script" | "style" | "noscript" | "iframe" | "template" | "head" | "title" | "svg"
        | "math" | "object" | "embed" | "video" | "audio" | "canvas" | "select" | "textarea"
        | "button" | "input" | "map" => Role::Skip,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Block(Some(BlockKind::Heading)),
        "blockquote" => Role::Block(Some(BlockKind::Quote)),
        "pre" | "listing" | "xmp" | "plaintext" => Role::Block(Some(BlockKind::Preformatted)),
        "html" | "body" | "p" | "div" | "section" | "article" | "aside" | "header" | "footer"
        | "main" | "nav" | "figure" | "figcaption" | "address" | "center" | "details"
        | "summary" | "dialog" | "dl" | "dt" | "dd" | "fieldset" | "legend" | "form" | "hgroup"
        | "table" | "caption" | "thead" | "tbody" | "tfoot" | "tr" | "hr" => Role::Block(None),
        "ul" | "menu" | "dir" => Role::List { ordered: false },
        "ol" => Role::List { ordered: true },
        "li" => Role::Item,
        "br" => Role::Break,
        "td" | "th" => Role::Cell,
        "img" => Role::Image,
        _ => Role::Inline,
    }
}

fn parse_dir(value: &str) -> Option<Direction> {
    match value.trim().to_ascii_lowercase().as_str() {
        "rtl" => Some(Direction::Rtl),
        "ltr" => Some(Direction::Ltr),
        "auto" => Some(Direction::Auto),
        _ => None,
    }
}

fn opener_for(dir: Direction) -> char {
    match dir {
        Direction::Ltr => LRI,
        Direction::Rtl => RLI,
        Direction::Auto => FSI,
    }
}

/// One open element during the walk. Inherited values are stored resolved, and references to
/// ancestors are indexes into the frame stack, so a flush costs O(1) however deep the tree.
struct Frame {
    skip: bool,
    /// Effective `dir` here (inherited).
    dir: Direction,
    /// This element's own `lang` (`Some(None)`: `lang=""`, explicitly unknown).
    own_lang: Option<Option<String>>,
    /// Frame whose `own_lang` applies here.
    lang_at: Option<usize>,
    /// Innermost block frame (this one if it is a block).
    block_at: Option<usize>,
    /// Kind imposed by the innermost kinded ancestor.
    kind: Option<BlockKind>,
    pre: bool,
    /// Innermost `li` frame.
    item_at: Option<usize>,
    /// Innermost list frame.
    list_at: Option<usize>,
    /// For lists: nesting depth (1 = outermost) and the next number.
    list_depth: usize,
    ordered: bool,
    next_number: i64,
    /// For items: the marker not yet printed, and the indent of continuation blocks.
    marker: Option<String>,
    continuation: String,
    /// This element is an isolate with this initiator.
    isolate: Option<char>,
    /// For links: the absolute URL and the visible-character count when it opened.
    link: Option<String>,
    visible_at_open: u64,
}

impl Frame {
    fn root() -> Frame {
        Frame {
            skip: false,
            dir: Direction::Auto,
            own_lang: None,
            lang_at: None,
            block_at: None,
            kind: None,
            pre: false,
            item_at: None,
            list_at: None,
            list_depth: 0,
            ordered: false,
            next_number: 1,
            marker: None,
            continuation: String::new(),
            isolate: None,
            link: None,
            visible_at_open: 0,
        }
    }
}

struct Walker {
    base: Option<Url>,
    doc: Document,
    link_numbers: HashMap<String, usize>,
    frames: Vec<Frame>,
    /// Open `Skip` elements (their content is dropped).
    skipping: usize,
    /// The block being built, in logical order.
    buf: String,
    has_text: bool,
    pending_space: bool,
    /// Frames whose isolate is open, outermost first; reopened at the start of each block.
    open_isolates: Vec<usize>,
    /// Visible characters written so far, to tell whether a link had any text.
    visible: u64,
}

impl Walker {
    fn new(base: Option<Url>) -> Walker {
        Walker {
            base,
            doc: Document::default(),
            link_numbers: HashMap::new(),
            frames: Vec::new(),
            skipping: 0,
            buf: String::new(),
            has_text: false,
            pending_space: false,
            open_isolates: Vec::new(),
            visible: 0,
        }
    }

    fn open(&mut self, el: &scraper::node::Element) {
        let role = role(el.name());
        if self.skipping > 0 || role == Role::Skip {
            self.skipping += 1;
            let mut f = Frame::root();
            f.skip = true;
            self.frames.push(f);
            return;
        }
        let index = self.frames.len();
        let mut f = match self.frames.last() {
            Some(p) => Frame {
                skip: false,
                dir: p.dir,
                own_lang: None,
                lang_at: p.lang_at,
                block_at: p.block_at,
                kind: p.kind,
                pre: p.pre,
                item_at: p.item_at,
                list_at: p.list_at,
                list_depth: 0,
                ordered: false,
                next_number: 1,
                marker: None,
                continuation: String::new(),
                isolate: None,
                link: None,
                visible_at_open: self.visible,
            },
            None => Frame::root(),
        };
        let own_dir = el.attr("dir").and_then(parse_dir);
        if let Some(d) = own_dir {
            f.dir = d;
        }
        if let Some(lang) = el.attr("xml:lang").or_else(|| el.attr("lang")) {
            let lang = sanitize_inline(lang);
            f.own_lang = Some((!lang.is_empty()).then_some(lang));
            f.lang_at = Some(index);
        }

        let is_block = matches!(role, Role::Block(_) | Role::List { .. } | Role::Item);
        if is_block {
            self.flush();
            f.block_at = Some(index);
        }
        match role {
            Role::Block(Some(kind)) => {
                f.kind = Some(kind);
                if kind == BlockKind::Preformatted {
                    f.pre = true;
                }
            }
            Role::List { ordered } => {
                f.list_depth = f
                    .list_at
                    .map_or(1, |i| self.frames[i].list_depth.saturating_add(1));
                f.ordered = ordered;
                f.next_number = el
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                f.list_at = Some(index);
            }
            Role::Item => {
                f.kind = Some(BlockKind::ListItem);
                f.item_at = Some(index);
                let (depth, ordered) = match f.list_at {
                    Some(i) => (self.frames[i].list_depth, self.frames[i].ordered),
                    None => (1, false),
                };
                let indent = "  ".repeat(depth.saturating_sub(1).min(MAX_INDENT_LEVELS));
                let bullet = if ordered {
                    let list = &mut self.frames[f.list_at.unwrap_or(0)];
                    if let Some(v) = el.attr("value").and_then(|s| s.trim().parse().ok()) {
                        list.next_number = v;
                    }
                    let n = list.next_number;
                    list.next_number = n.saturating_add(1);
                    format!("{n}. ")
                } else {
                    "• ".to_string()
                };
                f.continuation = format!("{indent}{}", " ".repeat(bullet.chars().count()));
                f.marker = Some(format!("{indent}{bullet}"));
            }
            Role::Break => {
                if f.pre {
                    self.push_pre("\n");
                } else {
                    self.flush();
                }
            }
            Role::Cell => {
                if self.has_text {
                    self.pending_space = false;
                    self.push_raw(" | ");
                }
            }
            Role::Image => {
                let alt = el.attr("alt").map(sanitize_inline).unwrap_or_default();
                let alt = balance_isolates(&alt);
                if alt.chars().any(is_visible) {
                    self.push_inline(&format!("[image: {alt}]"));
                } else {
                    self.push_inline("[image]");
                }
            }
            Role::Block(None) | Role::Inline | Role::Skip => {}
        }

        if el.name() == "a" {
            f.link = el.attr("href").and_then(|h| self.resolve_link(h));
        }
        // An inline element with `dir` (or a `bdi`/`bdo`) is an isolate inside its block.
        let isolating = matches!(role, Role::Inline | Role::Cell)
            && (own_dir.is_some() || matches!(el.name(), "bdi" | "bdo"))
            && self.open_isolates.len() < MAX_ISOLATE_DEPTH;
        self.frames.push(f);
        if isolating {
            let opener = opener_for(own_dir.unwrap_or(Direction::Auto));
            self.open_isolate(index, opener);
        }
    }

    fn close(&mut self) {
        let Some(top) = self.frames.last() else {
            return;
        };
        if top.skip {
            self.skipping = self.skipping.saturating_sub(1);
            self.frames.pop();
            return;
        }
        let index = self.frames.len() - 1;
        if top.isolate.is_some() {
            self.close_isolate(index);
        }
        if let Some(url) = self.frames[index].link.take()
            && self.visible > self.frames[index].visible_at_open
        {
            self.add_link_number(url);
        }
        let top = &self.frames[index];
        let ends_block = top.block_at == Some(index);
        if ends_block {
            self.flush();
        }
        self.frames.pop();
    }

    fn text(&mut self, text: &str) {
        if self.skipping > 0 {
            return;
        }
        let pre = self.frames.last().is_some_and(|f| f.pre);
        if pre {
            let clean = balance_isolates(&sanitize_block(&text.replace('\t', "    ")));
            self.push_pre(&clean);
        } else {
            let clean = balance_isolates(&sanitize_block(text));
            self.push_inline(&clean);
        }
    }

    fn resolve_link(&self, href: &str) -> Option<String> {
        let href = sanitize_url(href);
        if href.is_empty() {
            return None;
        }
        let url = match Url::parse(&href) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => self.base.as_ref()?.join(&href).ok()?,
            Err(_) => return None,
        };
        match url.scheme() {
            "http" | "https" | "mailto" => Some(sanitize_url(url.as_str())),
            _ => None,
        }
    }

    /// Numbers a link (one number per distinct URL) and writes `[n]` after its text.
    fn add_link_number(&mut self, url: String) {
        let n = match self.link_numbers.get(&url) {
            Some(&n) => n,
            None => {
                self.doc.links.push(url.clone());
                let n = self.doc.links.len();
                self.link_numbers.insert(url, n);
                n
            }
        };
        let mark = format!("[{n}]");
        if self.has_text {
            // Glued to the link text; a pending space stays pending after it.
            self.push_raw(&mark);
        } else if let Some(last) = self.doc.blocks.last_mut() {
            // The link's text went into an earlier block (a block inside the link).
            last.text.push_str(&mark);
        }
    }

    fn open_isolate(&mut self, index: usize, opener: char) {
        if self.pending_space && self.has_text {
            self.push_raw(" ");
        }
        self.pending_space = false;
        self.buf.push(opener);
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
            self.buf.push(PDI);
        }
    }

    /// Appends text as-is (separators, link numbers): no collapsing.
    fn push_raw(&mut self, s: &str) {
        self.buf.push_str(s);
        for c in s.chars() {
            if is_visible(c) {
                self.has_text = true;
                self.visible += 1;
            }
        }
    }

    /// Appends text with HTML whitespace collapsing: a run of spaces becomes one space, and
    /// none at the start of a block (trailing ones are dropped by `flush`).
    fn push_inline(&mut self, s: &str) {
        self.buf.reserve(s.len());
        for c in s.chars() {
            if is_html_space(c) {
                self.pending_space = true;
                continue;
            }
            if self.pending_space {
                if self.has_text && !self.buf.ends_with(' ') {
                    self.buf.push(' ');
                }
                self.pending_space = false;
            }
            self.buf.push(c);
            if is_visible(c) {
                self.has_text = true;
                self.visible += 1;
            }
        }
    }

    fn push_pre(&mut self, s: &str) {
        self.buf.push_str(s);
        for c in s.chars() {
            if is_visible(c) {
                self.has_text = true;
                self.visible += 1;
            }
        }
    }

    /// Ends the current block: closes its open isolates, emits it if it has visible text, and
    /// starts the next one with those isolates reopened.
    fn flush(&mut self) {
        let mut body = std::mem::take(&mut self.buf);
        let has_text = std::mem::replace(&mut self.has_text, false);
        self.pending_space = false;
        let reopen: String = self
            .open_isolates
            .iter()
            .filter_map(|&i| self.frames[i].isolate)
            .collect();
        if has_text {
            let top = self.frames.last();
            let pre = top.is_some_and(|f| f.pre);
            // Whatever is inside a `pre` keeps its newlines, so it is preformatted.
            let kind = if pre {
                BlockKind::Preformatted
            } else {
                top.and_then(|f| f.kind).unwrap_or(BlockKind::Paragraph)
            };
            let ctx = top.and_then(|f| f.block_at).map(|i| &self.frames[i]);
            let mut dir = ctx.map_or(Direction::Auto, |f| f.dir);
            let lang = ctx
                .and_then(|f| f.lang_at)
                .and_then(|i| self.frames[i].own_lang.clone())
                .flatten();

            if pre {
                let trimmed = body.trim_end().trim_start_matches(['\n', ' ']);
                body = if trimmed.len() == body.len() {
                    body
                } else {
                    trimmed.to_string()
                };
            } else {
                body.truncate(body.trim_end_matches(' ').len());
            }
            for _ in 0..self.open_isolates.len() {
                body.push(PDI);
            }
            while let Some(inner) = whole_isolate(&body, dir) {
                dir = inner.0;
                body = inner.1;
            }
            let prefix = match top.and_then(|f| f.item_at) {
                Some(i) => {
                    let item = &mut self.frames[i];
                    item.marker
                        .take()
                        .unwrap_or_else(|| item.continuation.clone())
                }
                None => String::new(),
            };
            if !prefix.is_empty() {
                body.insert_str(0, &prefix);
            }
            self.doc.blocks.push(Block {
                kind,
                text: body,
                dir,
                lang,
            });
        }
        self.buf = reopen;
    }
}

/// A block whose whole text is one isolate takes the isolate's direction as its own, so that
/// `<p><span dir="rtl">...</span></p>` is an RTL paragraph rather than one with no strong
/// character. Only when the block's own direction is `Auto` or already the same.
fn whole_isolate(text: &str, block_dir: Direction) -> Option<(Direction, String)> {
    let first = text.chars().next()?;
    let dir = match first {
        LRI => Direction::Ltr,
        RLI => Direction::Rtl,
        FSI => Direction::Auto,
        _ => return None,
    };
    if !text.ends_with(PDI) || !(block_dir == Direction::Auto || block_dir == dir) {
        return None;
    }
    // The first initiator must be closed by the last PDI, not earlier.
    let mut depth = 0usize;
    let last = text.len() - PDI.len_utf8();
    for (i, c) in text.char_indices() {
        match c {
            LRI | RLI | FSI => depth += 1,
            PDI => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != last {
                    return None;
                }
            }
            _ => {}
        }
    }
    let inner = &text[first.len_utf8()..last];
    Some((dir, inner.to_string()))
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
