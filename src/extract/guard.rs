//! Bounds on what a page may cost: how deeply it nests, told from its text before the HTML
//! parser runs (the parser's work grows with the square of the depth), and again on the
//! parsed tree before the extractor runs (its work does too, and it recurses).

use dom_query::NodeRef;

/// Levels of nesting a page may have for extraction to be tried. Real pages stay under 100;
/// 20,000 levels take the parser and the extractor most of a minute, and some tens of
/// thousands overflow the stack, which no `catch_unwind` catches.
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold themselves open: void elements, and those whose end tag may be
/// left out (a `<p>` or `<li>` is closed by the next one, not nested in it).
const NOT_NESTING: [&str; 37] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd",
    "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption", "rb",
    "rt", "rp", "body",
];

/// Elements whose content is text, not tags: skipped to their end tag.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "template",
];

/// How far down the open elements an end tag looks for its start tag (as a parser would
/// close what it skips); an end tag with no start tag that near is ignored.
const CLOSE_REACH: usize = 64;

/// Whether the page's markup opens more than `limit` elements inside one another, as its
/// tags say (comments and the text of scripts and styles skipped; misnested end tags close
/// what lies above their start tag). An estimate for a guard: close to the parsed depth on
/// real pages, never far below it. Linear in the text.
pub(crate) fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = skip_past(bytes, lt + 4, b"-->");
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!doctype`, `<?xml`, a lone `<` in text.
            at = lt + 1;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        at = tag_end(bytes, name_start + name_len);
        if closing {
            let reach = open.len().saturating_sub(CLOSE_REACH);
            if let Some(i) = (reach..open.len())
                .rev()
                .find(|&i| open[i].eq_ignore_ascii_case(name))
            {
                open.truncate(i);
            }
        } else if let Some(raw) = RAW_TEXT
            .iter()
            .find(|t| name.eq_ignore_ascii_case(t.as_bytes()))
        {
            at = skip_past_end_tag(bytes, at, raw.as_bytes());
        } else if !NOT_NESTING
            .iter()
            .any(|t| name.eq_ignore_ascii_case(t.as_bytes()))
        {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// Past the `>` that ends the tag whose attributes start at `from` (quoted values may hold
/// `>`), or the end of the text.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn skip_past(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let from = from.min(bytes.len());
    memchr::memmem::find(&bytes[from..], needle).map_or(bytes.len(), |i| from + i + needle.len())
}

/// Past `</name` (any case) from `from`, or the end of the text.
fn skip_past_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at.min(bytes.len())..], b"</") {
        let start = at + i + 2;
        let end = (start + name.len()).min(bytes.len());
        if bytes[start..end].eq_ignore_ascii_case(name) {
            return tag_end(bytes, end);
        }
        at = start;
    }
    bytes.len()
}

/// The depth of the deepest node under `root`, counted up to `limit + 1` and no further.
/// Iterative (first child, next sibling, parent), so a deep tree cannot overflow the stack.
pub(crate) fn depth_over(root: &NodeRef, limit: usize) -> usize {
    let mut deepest = 0;
    let mut depth = 1;
    let mut current = root.first_child();
    while let Some(node) = current {
        deepest = deepest.max(depth);
        if deepest > limit {
            break;
        }
        if let Some(child) = node.first_child() {
            current = Some(child);
            depth += 1;
            continue;
        }
        let mut up = node;
        current = loop {
            if let Some(sibling) = up.next_sibling() {
                break Some(sibling);
            }
            match up.parent() {
                Some(parent) if parent.id != root.id => {
                    up = parent;
                    depth -= 1;
                }
                _ => break None,
            }
        };
    }
    deepest
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    #[test]
    fn deep_markup_is_told_before_parsing() {
        let deep = format!("<body>{}x", "<div>".repeat(MAX_DEPTH + 1));
        assert!(nests_deeper_than(&deep, MAX_DEPTH));
        let just = format!("<body>{}x", "<div>".repeat(MAX_DEPTH));
        assert!(!nests_deeper_than(&just, MAX_DEPTH));
        let flat = "<div><span>x</span></div>".repeat(100_000);
        assert!(!nests_deeper_than(&flat, MAX_DEPTH));
    }

    #[test]
    fn tags_that_do_not_nest_and_raw_text_are_not_counted() {
        let unclosed = "<p>para<li>item<br><img src=x><td>cell".repeat(10_000);
        assert!(!nests_deeper_than(&unclosed, 10));
        let script = format!(
            "<script>var s = '{}';</SCRIPT><div>x</div>",
            "<div>".repeat(100)
        );
        assert!(!nests_deeper_than(&script, 10));
        let comment = format!("<!-- {} --><div>x</div>", "<div>".repeat(100));
        assert!(!nests_deeper_than(&comment, 10));
        let quoted = format!("<a title=\"{}\">x</a>", "<div>".repeat(100));
        assert!(!nests_deeper_than(&quoted, 10));
    }

    #[test]
    fn an_end_tag_closes_what_was_left_open_inside_it() {
        // Unclosed spans and fonts inside closed divs, the soup of old news sites.
        let soup = "<div><span><font><b>x</div>".repeat(10_000);
        assert!(!nests_deeper_than(&soup, 10));
        let stray = format!("{}<div>x", "</span></div>".repeat(1_000));
        assert!(!nests_deeper_than(&stray, 10));
    }

    #[test]
    fn truncated_markup_is_read_to_its_end() {
        for html in [
            "<",
            "<div",
            "<div a=\"",
            "<!--",
            "<script>",
            "</",
            "<a\u{627}>",
        ] {
            assert!(!nests_deeper_than(html, 10), "{html}");
        }
    }

    #[test]
    fn depth_is_counted_without_recursion_and_stops_past_the_limit() {
        let doc = Document::from("<html><body><div><p>a</p></div><p>b</p></body></html>");
        // html > body > div > p > text
        assert_eq!(depth_over(&doc.root(), 100), 5);
        assert_eq!(depth_over(&doc.root(), 2), 3);
        let deep = format!("<body>{}x", "<div>".repeat(2_000));
        let doc = Document::from(deep.as_str());
        assert_eq!(depth_over(&doc.root(), MAX_DEPTH), MAX_DEPTH + 1);
    }
}
