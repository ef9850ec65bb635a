//! HTML from feeds to the document model ([`parse_html`]).
//!
//! The parse is html5ever's (through `scraper`); `walk` walks the tree (with `frame` for each
//! open element, `buffer` for the text, `blocks` for what it emitted, `links`, `media`, and
//! `table` for tables), `tags`
//! says what each element is. The tests read the model through a flat view (`flat`: one
//! plain paragraph per block, the reader's layout before it laid out the document itself).

mod blocks;
mod buffer;
#[cfg(test)]
mod flat;
mod frame;
mod links;
mod media;
mod table;
mod tags;
mod walk;

use scraper::{Html, Node};
use url::Url;

use crate::model::Direction;
use crate::text::doc::{self, Content, Role, StyledText};
use crate::text::nesting::{MAX_DEPTH, cap_depth};
use crate::text::sanitize::{sanitize_block, sanitize_inline, sanitize_url};

/// Turns an HTML body (or plain text) into the document model: blocks with their kinds,
/// directions, containers and styled text, and the numbered URLs. `base_url` resolves
/// relative links. Plain text (no tags) is split into paragraphs at blank lines.
pub fn parse_html(html: &str, base_url: Option<&str>) -> doc::Document {
    if html.trim().is_empty() {
        return doc::Document::default();
    }
    // Deep nesting makes the parser quadratic (see `nesting`): a body that nests past the
    // bound is cut there, and says so.
    let capped = cap_depth(html, MAX_DEPTH);
    let cut;
    let html = if capped.len() < html.len() {
        cut = format!(
            "{capped}<p>[The rest of this article is not shown: its HTML nests more than {MAX_DEPTH} elements deep.]</p>"
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
    // The fragment's own `<html>` wrapper is walked too; it is a block with no attributes.
    walk::walk(*parsed.root_element(), base)
}

/// The flat view of [`parse_html`], for the tests: one plain paragraph per block.
#[cfg(test)]
fn html_to_document(html: &str, base_url: Option<&str>) -> flat::Document {
    flat::flatten(parse_html(html, base_url))
}

/// Text with no tags: entities are already decoded by the parser; blank lines separate
/// paragraphs and single newlines are spaces.
fn plain_text(parsed: &Html) -> doc::Document {
    let mut raw = String::new();
    for node in parsed.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            raw.push_str(t);
        }
    }
    let clean = tags::balance_isolates(&sanitize_block(&raw));
    let mut out = doc::Document::default();
    let mut para = String::new();
    let push_para = |para: &mut String, out: &mut doc::Document| {
        let text = sanitize_inline(para);
        if text.chars().any(tags::is_visible) {
            out.blocks.push(doc::Block {
                content: Content::Paragraph(StyledText::new(&text, Role::Text)),
                dir: Direction::Auto,
                lang: None,
                nest: Vec::new(),
                marker: None,
                tight: false,
            });
        }
        para.clear();
    };
    for line in clean.split('\n') {
        if line.trim().is_empty() {
            push_para(&mut para, &mut out);
        } else {
            para.push_str(line);
            para.push(' ');
        }
    }
    push_para(&mut para, &mut out);
    out
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "html_model_tests.rs"]
mod model_tests;
