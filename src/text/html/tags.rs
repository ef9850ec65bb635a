//! What each HTML element is to the walk (block, list, cell, media, inline style...), and the
//! small text rules shared by the walk: whitespace, visibility, `dir` values and isolates.

use crate::model::Direction;
use crate::text::doc::Role;
use crate::text::sanitize::is_bidi_control;

pub(super) const LRI: char = '\u{2066}';
pub(super) const RLI: char = '\u{2067}';
pub(super) const FSI: char = '\u{2068}';
pub(super) const PDI: char = '\u{2069}';

/// The kind of block an element imposes on the text inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Heading(u8),
    Caption,
}

/// Embedded media, shown as a placeholder with its URL in the links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MediaKind {
    Video,
    Audio,
    /// `<iframe>`: a video when it comes from a known video host.
    Frame,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tag {
    /// Dropped with everything inside.
    Skip,
    /// Starts and ends a block; `Some` gives the kind it imposes on blocks inside.
    Block(Option<Kind>),
    Quote,
    Pre,
    Figure,
    Caption,
    /// `<ul>` / `<ol>`.
    List {
        ordered: bool,
    },
    Item,
    /// `<br>`: a line break inside the block.
    Break,
    /// `<hr>`.
    Rule,
    Table,
    TableCaption,
    TableHead,
    Row,
    /// `<td>` (`header: false`) or `<th>`.
    Cell {
        header: bool,
    },
    Image,
    Media(MediaKind),
    /// `<source>` of a `<video>` / `<audio>`.
    Source,
    Link,
    /// An inline element with a style role.
    Styled(Role),
    Inline,
}

pub(super) fn tag(name: &str) -> Tag {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "svg" | "math"
        | "object" | "embed" | "canvas" | "select" | "textarea" | "button" | "input" | "map" => {
            Tag::Skip
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = name.as_bytes()[1] - b'0';
            Tag::Block(Some(Kind::Heading(level)))
        }
        "blockquote" => Tag::Quote,
        "pre" | "listing" | "xmp" | "plaintext" => Tag::Pre,
        "figure" => Tag::Figure,
        "figcaption" => Tag::Caption,
        "html" | "body" | "p" | "div" | "section" | "article" | "aside" | "header" | "footer"
        | "main" | "nav" | "address" | "center" | "details" | "summary" | "dialog" | "dl"
        | "dt" | "dd" | "fieldset" | "legend" | "form" | "hgroup" | "tbody" | "tfoot" => {
            Tag::Block(None)
        }
        "ul" | "menu" | "dir" => Tag::List { ordered: false },
        "ol" => Tag::List { ordered: true },
        "li" => Tag::Item,
        "br" => Tag::Break,
        "hr" => Tag::Rule,
        "table" => Tag::Table,
        "caption" => Tag::TableCaption,
        "thead" => Tag::TableHead,
        "tr" => Tag::Row,
        "td" => Tag::Cell { header: false },
        "th" => Tag::Cell { header: true },
        "img" => Tag::Image,
        "video" => Tag::Media(MediaKind::Video),
        "audio" => Tag::Media(MediaKind::Audio),
        "iframe" => Tag::Media(MediaKind::Frame),
        "source" => Tag::Source,
        "a" => Tag::Link,
        "strong" | "b" => Tag::Styled(Role::Strong),
        "em" | "i" | "cite" => Tag::Styled(Role::Emphasis),
        "code" | "kbd" | "samp" | "tt" => Tag::Styled(Role::Code),
        _ => Tag::Inline,
    }
}

impl Tag {
    /// Ends the text before it and starts a new block (a new line inside a table cell).
    pub(super) fn is_block(self) -> bool {
        matches!(
            self,
            Tag::Block(_)
                | Tag::Quote
                | Tag::Pre
                | Tag::Figure
                | Tag::Caption
                | Tag::List { .. }
                | Tag::Item
                | Tag::Rule
                | Tag::Table
                | Tag::TableCaption
                | Tag::Row
        )
    }
}

pub(super) fn parse_dir(value: &str) -> Option<Direction> {
    match value.trim().to_ascii_lowercase().as_str() {
        "rtl" => Some(Direction::Rtl),
        "ltr" => Some(Direction::Ltr),
        "auto" => Some(Direction::Auto),
        _ => None,
    }
}

pub(super) fn opener_for(dir: Direction) -> char {
    match dir {
        Direction::Ltr => LRI,
        Direction::Rtl => RLI,
        Direction::Auto => FSI,
    }
}

/// Something a reader would see (not whitespace, not a bidi mark or isolate).
pub(super) fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !is_bidi_control(c)
}

/// HTML's collapsible whitespace (not NBSP).
pub(super) fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}')
}

/// Keeps only the isolate initiators that a PDI in the same text closes, and only those PDIs:
/// an untrusted text node can neither leave an isolate open nor close one of ours.
pub(super) fn balance_isolates(s: &str) -> String {
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

/// A block whose whole text is one directional isolate takes the isolate's direction as its
/// own, so that `<p><span dir="rtl">...</span></p>` is an RTL paragraph rather than one with
/// no strong character. Only when the block's own direction is `Auto` or already the same.
/// A first-strong isolate (`<bdi>`, a media placeholder) stays: the paragraph takes its
/// direction from its context, as in a browser. Returns the direction and the byte range
/// inside the isolate.
pub(super) fn whole_isolate(
    text: &str,
    block_dir: Direction,
) -> Option<(Direction, std::ops::Range<usize>)> {
    let first = text.chars().next()?;
    let dir = match first {
        LRI => Direction::Ltr,
        RLI => Direction::Rtl,
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
    Some((dir, first.len_utf8()..last))
}
