//! A bound on how deeply an HTML body nests before it reaches the HTML parser. html5ever looks
//! through the whole stack of open elements for many start tags, so a body of n nested
//! `<div>`s costs O(n²): 20,000 of them (220 KB) took a second, and the 20 MiB a feed may
//! send would take hours of a core. No real article nests anywhere near [`MAX_DEPTH`], so a
//! body that does is cut where it gets there.

/// Open container elements allowed at once. The parser's work is then at most about this
/// many steps per tag: a 20 MiB body of nothing but tags stays in the seconds.
pub const MAX_DEPTH: usize = 256;

/// Elements with no end tag, or whose end tag the parser implies (a new `<li>` closes the
/// last one): they are not counted, so a long valid list without `</li>` is never cut.
const NOT_COUNTED: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "param", "rb", "rp", "rt", "rtc", "source", "tbody",
    "td", "tfoot", "th", "thead", "tr", "track", "wbr",
];

/// `html` up to the tag that would open the `max_depth + 1`-th container element still open
/// (by a plain scan of start and end tags, comments skipped), or all of it. The cut is always
/// at a `<`, so it is a char boundary.
pub fn cap_depth(html: &str, max_depth: usize) -> &str {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            // A comment: skip to its end (or the end of the body).
            match memchr::memmem::find(rest, b"-->") {
                Some(end) => i = at + 1 + end + 3,
                None => break,
            }
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        i = at + 1;
        if name_len == 0 || (!closing && !rest[0].is_ascii_alphabetic()) {
            continue;
        }
        let name = &rest[name_start..name_start + name_len];
        if NOT_COUNTED
            .iter()
            .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
        {
            continue;
        }
        let tag_end = memchr::memchr(b'>', rest).map_or(rest.len(), |e| e);
        let self_closing = tag_end > 0 && rest[tag_end - 1] == b'/';
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            if depth > max_depth {
                return &html[..at];
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_html_is_left_whole() {
        let html = "<div><p>One<p>Two<ul><li>a<li>b</ul><br><img src=x><b><i>x</b></i></div>";
        assert_eq!(cap_depth(html, 3), html);
    }

    #[test]
    fn a_long_list_without_end_tags_is_not_cut() {
        let html = format!("<ul>{}</ul>", "<li>item".repeat(5_000));
        assert_eq!(cap_depth(&html, 10), html);
    }

    #[test]
    fn nesting_past_the_bound_is_cut_at_the_tag_that_passes_it() {
        let html = format!("{}deep{}", "<div>".repeat(6), "</div>".repeat(6));
        assert_eq!(cap_depth(&html, 4), "<div>".repeat(4));
        // Closed elements do not count: siblings never add up.
        let siblings = "<div>a</div>".repeat(100);
        assert_eq!(cap_depth(&siblings, 1), siblings);
    }

    #[test]
    fn comments_self_closing_tags_and_stray_angles_are_not_elements() {
        let html = "<!-- <div><div><div> --><span/><span/>1 < 2 <3 <div>x</div>";
        assert_eq!(cap_depth(html, 1), html);
    }

    #[test]
    fn the_cut_never_splits_a_character() {
        let html = format!("{}ا", "<b>ب".repeat(50));
        let cut = cap_depth(&html, 7);
        assert!(html.starts_with(cut));
        assert_eq!(cut.matches("<b>").count(), 7);
    }
}
