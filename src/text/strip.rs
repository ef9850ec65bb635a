//! HTML bodies to their words, cheaply, for the search index and filters: tags become spaces,
//! `<script>`, `<style>` and comments go with their contents, character references are
//! decoded. No tree is built: indexing runs over every stored body (150 MB in a cold refresh
//! of 50,000 articles), where the reader's full parse (`text::html`) costs ~100x more per body
//! (10 us against 0.1 us for 3 KiB, `benches/search.rs`) and finds the same words.

use memchr::memchr2;

/// Appends the text of `html` to `out`, with a space wherever a tag was (so `a<br>b` is two
/// words). Malformed markup never fails: an unclosed `<` ends the text, an unknown entity is
/// kept as written.
pub fn html_text(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(at) = memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = if tail.starts_with('<') {
            out.push(' ');
            skip_markup(tail)
        } else {
            entity(tail, out)
        };
    }
    out.push_str(rest);
}

/// `tail` starts with `<`; returns what follows the tag (and the contents of a script or
/// style element, or the whole comment).
fn skip_markup(tail: &str) -> &str {
    if let Some(comment) = tail.strip_prefix("<!--") {
        return comment.find("-->").map_or("", |end| &comment[end + 3..]);
    }
    let after = tail.find('>').map_or("", |end| &tail[end + 1..]);
    for name in ["script", "style"] {
        if tag_is(tail, name) {
            return find_close(after, name);
        }
    }
    after
}

/// Whether `tail` (`<...`) opens the element `name` (case-insensitive, whole name).
fn tag_is(tail: &str, name: &str) -> bool {
    let b = tail.as_bytes();
    let n = name.len();
    b.len() > n
        && b[1..=n].eq_ignore_ascii_case(name.as_bytes())
        && b.get(n + 1)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
}

/// What follows `</name>` in `text`; nothing if it never closes.
fn find_close<'a>(text: &'a str, name: &str) -> &'a str {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'<', &b[from..]) {
        let i = from + at;
        if b.get(i + 1) == Some(&b'/')
            && b.len() >= i + 2 + name.len()
            && b[i + 2..i + 2 + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return text[i..].find('>').map_or("", |end| &text[i + end + 1..]);
        }
        from = i + 1;
    }
    ""
}

/// `tail` starts with `&`: decodes one character reference into `out` and returns the rest.
fn entity<'a>(tail: &'a str, out: &mut String) -> &'a str {
    let body = &tail[1..];
    let end = body
        .bytes()
        .take(32)
        .position(|b| b == b';')
        .filter(|&e| e > 0);
    let Some(end) = end else {
        out.push('&');
        return body;
    };
    let name = &body[..end];
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        // A reference to a control or a surrogate is no text.
        value
            .and_then(char::from_u32)
            .map(|c| if c.is_control() { ' ' } else { c })
    } else {
        named(name)
    };
    match decoded {
        Some(c) => {
            out.push(c);
            &body[end + 1..]
        }
        None => {
            out.push('&');
            body
        }
    }
}

/// The named references feeds use in practice; the rest are kept as written (their letters
/// then index as a word, which is harmless).
fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "shy" => '\u{00AD}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "hellip" => '\u{2026}',
        "laquo" => '\u{00AB}',
        "raquo" => '\u{00BB}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "bull" => '\u{2022}',
        "middot" => '\u{00B7}',
        "copy" => '\u{00A9}',
        "reg" => '\u{00AE}',
        "trade" => '\u{2122}',
        "deg" => '\u{00B0}',
        "times" => '\u{00D7}',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "aacute" => 'á',
        "ccedil" => 'ç',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "auml" => 'ä',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "szlig" => 'ß',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        let mut out = String::new();
        html_text(html, &mut out);
        out
    }

    #[test]
    fn tags_become_spaces_so_words_do_not_run_together() {
        assert_eq!(text("<p>one</p><p>two<br/>three</p>"), " one  two three ");
    }

    #[test]
    fn script_style_and_comments_go_with_their_contents() {
        let got = text("a<script type=x>var b = '<p>';</script>c<STYLE>p{}</style >d<!-- e -->f");
        assert_eq!(
            got.split_whitespace().collect::<Vec<_>>(),
            ["a", "c", "d", "f"]
        );
        // A tag whose name only starts with "script" is an ordinary tag.
        assert_eq!(text("<scripted>x</scripted>").trim(), "x");
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            text("caf&eacute; &amp; &#1575;&#x644; &lt;b&gt; &nbsp;"),
            "café & ال <b>  "
        );
        // A reference to a control becomes a space; an unknown one stays as written.
        assert_eq!(text("a&#27;b &bogus; &; & x"), "a b &bogus; &; & x");
    }

    #[test]
    fn unclosed_markup_ends_the_text_without_failing() {
        assert_eq!(text("ok <a href="), "ok  ");
        assert_eq!(text("ok <!-- never closed"), "ok  ");
        assert_eq!(text("ok <script>never closed"), "ok  ");
        assert_eq!(text("&#99999999999;"), "&#99999999999;");
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(text("شركة Apple تعلن"), "شركة Apple تعلن");
    }
}
