//! Titles as text (issue 10, items 2 and 6): an Atom `type="html"` or `"xhtml"` title loses
//! its markup (entities decoded once, tags stripped, the words kept), and an item without a
//! title is headed by the start of its text, as other readers do.

use ego_tree::iter::Edge;
use feed_rs::model::Text;
use scraper::{Html, Node};
use unicode_segmentation::UnicodeSegmentation;

/// A headline made from a body is at most this many graphemes (then cut at a word, with `…`).
pub const MAX_HEADLINE_GRAPHEMES: usize = 80;

/// A title as one line of text: markup stripped from html and xhtml titles (their entities
/// are decoded by the HTML parser, once: XML already decoded its own level); whitespace
/// collapsed.
pub(crate) fn title_text(t: &Text) -> String {
    let media = t.content_type.to_string().to_ascii_lowercase();
    let text = if media.starts_with("text/html") || media.contains("xhtml") {
        collapse(&html_text(&t.content))
    } else {
        collapse(&t.content)
    };
    cap_text(text, MAX_TITLE_CHARS)
}

/// A title (feed or item) is stored with at most this many characters, then `…`: a 10 MB
/// title costs memory and cache what a long headline does.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// An item's author line (all its authors) likewise.
pub const MAX_AUTHOR_CHARS: usize = 300;

/// `text` cut to at most `max` chars (at a grapheme boundary, so no mark or joiner is split
/// from its letter) with `…` added, or as it is.
pub(crate) fn cap_text(text: String, max: usize) -> String {
    if text.len() <= max {
        // Bytes >= chars: nothing to count.
        return text;
    }
    let mut chars = 0;
    let mut end = None;
    for (at, g) in text.grapheme_indices(true) {
        let n = g.chars().count();
        if chars + n > max.saturating_sub(1) {
            end = Some(at);
            break;
        }
        chars += n;
    }
    match end {
        Some(at) => {
            let mut cut = text.get(..at).unwrap_or("").trim_end().to_string();
            cut.push('…');
            cut
        }
        None => text,
    }
}

/// Elements whose start and end break the text (so `<p>a</p><p>b</p>` is not `ab`).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "figcaption"
            | "figure"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "td"
            | "th"
            | "tr"
            | "ul"
    )
}

/// The text of an HTML fragment (or of plain text, which parses as itself): entities
/// decoded, tags gone, a newline where a block starts or ends; nothing from `script`,
/// `style` or `template`.
pub(crate) fn html_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.to_string();
    }
    let parsed = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    let mut hidden = 0usize;
    for edge in parsed.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {
                    hidden += 1;
                }
                Node::Element(e) if is_block(e.name()) => out.push('\n'),
                Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {
                    hidden = hidden.saturating_sub(1);
                }
                Node::Element(e) if is_block(e.name()) => out.push('\n'),
                _ => {}
            },
        }
    }
    out
}

/// Runs of whitespace as one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A headline for an item without a title: the first sentence of its first paragraph, or
/// its first [`MAX_HEADLINE_GRAPHEMES`] graphemes cut at a word with `…`. `None` for a body
/// with no text.
pub(crate) fn headline_from_body(html: &str) -> Option<String> {
    let text = html_text(html);
    let first = text
        .split("\n\n")
        .flat_map(|p| p.split('\n'))
        .map(collapse)
        .find(|p| !p.is_empty())?;
    Some(first_sentence(&first))
}

/// Sentence-ending punctuation (Latin, Arabic `؟` and `۔`, CJK `。！？`).
fn ends_sentence(g: &str) -> bool {
    matches!(g, "." | "!" | "?" | "؟" | "۔" | "…" | "。" | "！" | "？")
}

/// The first sentence of `text` if it ends within the limit, else the text cut at the last
/// word boundary before the limit (at the limit if one word fills it), with `…`.
fn first_sentence(text: &str) -> String {
    let graphemes: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
    for (i, &(at, g)) in graphemes.iter().enumerate().take(MAX_HEADLINE_GRAPHEMES) {
        // A sentence ends at its punctuation followed by a space (or the end): "3.5" and
        // "e.g." inside a word do not end it.
        let next = graphemes.get(i + 1).map(|&(_, n)| n);
        if ends_sentence(g) && next.is_none_or(|n| n.chars().all(char::is_whitespace)) {
            // The text is at least a few graphemes long, so "1." alone is not taken.
            if i >= 2 {
                return text[..at + g.len()].to_string();
            }
        }
    }
    if graphemes.len() <= MAX_HEADLINE_GRAPHEMES {
        return text.to_string();
    }
    let limit = graphemes[MAX_HEADLINE_GRAPHEMES].0;
    let head = &text[..limit];
    // The last word boundary before the limit: Unicode word bounds, so a script without
    // spaces is still cut between words where the rules say so.
    let cut = head
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().all(char::is_whitespace))
        .map(|(at, _)| at)
        .next_back()
        .filter(|&at| at > 0)
        .unwrap_or(limit);
    let mut out = text[..cut].trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_is_capped_at_a_grapheme_with_an_ellipsis() {
        assert_eq!(cap_text("short".into(), 10), "short");
        let exact = "x".repeat(10);
        assert_eq!(cap_text(exact.clone(), 10), exact);
        assert_eq!(cap_text("abcdefghijk".into(), 10), "abcdefghi…");
        // A letter with its harakat is one grapheme: never split from them.
        let marked = "بَِ".repeat(10);
        let capped = cap_text(marked, 10);
        assert!(capped.chars().count() <= 10, "{capped}");
        assert!(capped.ends_with('…'));
        assert_eq!(
            capped.trim_end_matches('…').chars().count() % 3,
            0,
            "{capped}"
        );
        // Multi-byte text under the cap in chars but over it in bytes is kept whole.
        let arabic = "خبر".repeat(3);
        assert_eq!(cap_text(arabic.clone(), 10), arabic);
    }

    #[test]
    fn html_titles_lose_their_markup_and_keep_their_words() {
        assert_eq!(
            collapse(&html_text("Atom <em>html</em> title &amp; more")),
            "Atom html title & more"
        );
        assert_eq!(
            collapse(&html_text(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\">XHTML <b>bold</b> title</div>"
            )),
            "XHTML bold title"
        );
        // Decoded once: an escaped entity stays an entity's text.
        assert_eq!(html_text("a &amp;lt; b"), "a &lt; b");
    }

    #[test]
    fn a_headline_is_the_first_sentence_of_the_body() {
        assert_eq!(
            headline_from_body("<p>Shipped v3.5 today. More soon!</p><p>Second</p>").as_deref(),
            Some("Shipped v3.5 today.")
        );
        assert_eq!(
            headline_from_body("هل وصلت الرسالة؟ نعم").as_deref(),
            Some("هل وصلت الرسالة؟")
        );
        assert_eq!(
            headline_from_body("<p>  </p><p>Just a note</p>").as_deref(),
            Some("Just a note")
        );
        assert_eq!(headline_from_body("<p> <img src=x> </p>"), None);
    }

    #[test]
    fn a_long_headline_is_cut_at_a_word_within_eighty_graphemes() {
        let body = "word ".repeat(40);
        let h = headline_from_body(&body).unwrap();
        assert!(h.ends_with("word…"), "{h}");
        assert!(
            h.graphemes(true).count() <= MAX_HEADLINE_GRAPHEMES + 1,
            "{h}"
        );
        // One long word: cut at the limit, on a grapheme boundary.
        let long = "e\u{301}".repeat(100);
        let h = headline_from_body(&long).unwrap();
        assert_eq!(h.graphemes(true).count(), MAX_HEADLINE_GRAPHEMES + 1);
        assert!(h.ends_with("e\u{301}…"), "{h}");
    }
}
