//! Cleans untrusted text from feeds: no C0/C1 controls (ESC first), no bidi overrides.

/// Bidi embedding/override controls that are neutralized by default (LRE, RLE, PDF, LRO, RLO).
/// LRM/RLM/ALM and the isolates (LRI, RLI, FSI, PDI) are honoured inside a paragraph.
pub fn is_override_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}')
}

/// Every bidi formatting character: marks, embeddings, overrides, isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// C0, DEL and C1 controls (ESC included).
pub fn is_c0_c1(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// One-line field (title, author, feed name, category): controls and overrides removed,
/// every run of whitespace (tabs and newlines included) collapsed to one space, trimmed.
pub fn sanitize_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{0}' {
            pending_space = !out.is_empty();
            continue;
        }
        if is_c0_c1(c) || is_override_control(c) || is_noncharacter(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Multi-line text (a body, raw HTML): like [`sanitize_inline`] but `\n` is kept, tabs become
/// spaces and other whitespace is left as it is.
pub fn sanitize_block(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {}
            c if is_c0_c1(c) || is_override_control(c) || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL, host or e-mail address: every bidi control, control character and whitespace removed
/// (it is shown forced LTR).
pub fn sanitize_url(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !(is_c0_c1(c) || is_bidi_control(c) || c.is_whitespace() || is_noncharacter(c))
        })
        .collect()
}

/// Text for a place that has no bidi layout of its own (stdout, stderr, the log): one line,
/// no control character and no bidi control at all.
pub fn for_terminal(s: &str) -> String {
    sanitize_inline(s)
        .chars()
        .filter(|&c| !is_bidi_control(c))
        .collect()
}

/// Hides credentials in a URL for display and logs: `https://user:pw@host/x` ->
/// `https://***@host/x`.
pub fn redact_credentials(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest_start = scheme_end + 3;
    let rest = &url[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => format!("{}***{}", &url[..rest_start], &url[rest_start + at..]),
        None => url.to_string(),
    }
}

fn is_noncharacter(c: char) -> bool {
    let v = c as u32;
    (0xFDD0..=0xFDEF).contains(&v) || (v & 0xFFFE) == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_from_fields() {
        assert_eq!(
            sanitize_inline("a\u{1b}[31mred\u{1b}[0m b"),
            "a[31mred[0m b"
        );
        assert_eq!(sanitize_inline("x\u{9b}2Jy"), "x2Jy");
        assert_eq!(sanitize_inline("bell\u{7}"), "bell");
    }

    #[test]
    fn whitespace_collapses_in_fields() {
        assert_eq!(sanitize_inline("  one\t\ttwo\n three  "), "one two three");
    }

    #[test]
    fn overrides_are_neutralized_but_marks_and_isolates_stay() {
        assert_eq!(sanitize_inline("abc\u{202E}def\u{202C}ghi"), "abcdefghi");
        assert_eq!(
            sanitize_inline("a\u{200F}b\u{2067}c\u{2069}"),
            "a\u{200F}b\u{2067}c\u{2069}"
        );
    }

    #[test]
    fn block_text_keeps_newlines() {
        assert_eq!(sanitize_block("p1\r\n\u{1b}p2\tx"), "p1\np2 x");
    }

    #[test]
    fn urls_lose_every_bidi_control() {
        assert_eq!(
            sanitize_url("https://\u{202E}ex\u{200F}ample.com/ a"),
            "https://example.com/a"
        );
    }

    #[test]
    fn terminal_text_has_no_control_and_no_bidi_control() {
        assert_eq!(
            for_terminal("a\u{1b}[2J\u{200f}b\u{2067}c\u{2069}\nd"),
            "a[2Jbc d"
        );
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redact_credentials("https://u:p@host/x@y"),
            "https://***@host/x@y"
        );
        assert_eq!(redact_credentials("https://host/a"), "https://host/a");
        assert_eq!(redact_credentials("not a url"), "not a url");
    }
}
