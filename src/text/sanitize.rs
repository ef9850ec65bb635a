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
    if !block_needs_change(s) {
        return s.to_owned();
    }
    sanitize_block_slow(s)
}

/// [`sanitize_block`] of a string the caller owns: most bodies need no change, and then the
/// string is returned as it is, with no copy (a refresh of 1,000 feeds sanitizes ~150 MB).
pub fn sanitize_block_owned(s: String) -> String {
    if !block_needs_change(&s) {
        return s;
    }
    sanitize_block_slow(&s)
}

/// Whether [`sanitize_block`] would change `s`, by a scan of its UTF-8 bytes for the
/// encodings of what it removes: C0 controls but `\n`, DEL, C1 (`C2 80..9F`), the overrides
/// U+202A..U+202E (`E2 80 AA..AE`), and the noncharacters U+FDD0..U+FDEF (`EF B7 90..AF`) and
/// U+xFFFE/U+xFFFF (`EF BF BE/BF`, or `F0..F4 ?F BF BE/BF` beyond the BMP).
fn block_needs_change(s: &str) -> bool {
    // Bytes that may start something to remove (`\n` among them, as a C0 byte). Chunks with
    // none, the common case, are passed by a branch-free test the compiler vectorizes.
    fn may_start(x: u8) -> bool {
        x < 0x20 || x == 0x7F || x == 0xC2 || x == 0xE2 || x == 0xEF || x >= 0xF0
    }
    const CHUNK: usize = 32;
    let b = s.as_bytes();
    b.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |hit, &x| hit | may_start(x))
            && (n * CHUNK..n * CHUNK + chunk.len()).any(|i| removes_at(b, i))
    })
}

/// Whether the UTF-8 sequence starting at `b[i]` is one that [`sanitize_block`] removes or
/// changes (see [`block_needs_change`]); false on a continuation byte.
fn removes_at(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match b[i] {
        b'\n' => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
        0xE2 => at(i + 1) == 0x80 && (0xAA..=0xAE).contains(&at(i + 2)),
        0xEF => {
            (at(i + 1) == 0xB7 && (0x90..=0xAF).contains(&at(i + 2)))
                || (at(i + 1) == 0xBF && matches!(at(i + 2), 0xBE | 0xBF))
        }
        0xF0..=0xF4 => {
            at(i + 1) & 0x0F == 0x0F && at(i + 2) == 0xBF && matches!(at(i + 3), 0xBE | 0xBF)
        }
        _ => false,
    }
}

fn sanitize_block_slow(s: &str) -> String {
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
    fn the_fast_path_leaves_clean_text_alone_and_catches_every_removed_kind() {
        let clean = "Arabic \u{627}\u{644}\u{639}\u{631}\u{628}\u{64a}\u{629}, Hebrew \u{5e2}\u{5d1}\u{5e8}\u{5d9}\u{5ea}, \
                     \u{2019}quotes\u{2019} \u{2026} \u{200f}\u{2067}x\u{2069} \u{1F600} \u{FFFD}\n<p>";
        assert!(!block_needs_change(clean));
        assert_eq!(sanitize_block_owned(clean.to_string()), clean);
        for bad in [
            "\u{1b}",
            "\t",
            "\r",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{202a}",
            "\u{202e}",
            "\u{fdd0}",
            "\u{fdef}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{1fffe}",
            "\u{10ffff}",
        ] {
            let text = format!("a{bad}b");
            assert!(block_needs_change(&text), "{bad:?}");
            assert_eq!(
                sanitize_block_owned(text.clone()),
                sanitize_block_slow(&text)
            );
        }
        // Neighbours of the removed ranges are kept, untouched.
        for fine in [
            "\u{a0}",
            "\u{2029}",
            "\u{202f}",
            "\u{fdcf}",
            "\u{fdf0}",
            "\u{fffd}",
            "\u{1fffd}",
        ] {
            assert!(!block_needs_change(fine), "{fine:?}");
        }
    }

    /// Characters near every byte pattern the fast path looks at, plus arbitrary ones.
    fn tricky_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::char::range('\u{0}', '\u{ff}'),
            proptest::char::range('\u{2000}', '\u{206f}'),
            proptest::char::range('\u{fdc0}', '\u{ffff}'),
            prop::sample::select(vec![
                '\u{1fffe}',
                '\u{1ffff}',
                '\u{10fffe}',
                '\u{10ffff}',
                '\u{1fffd}'
            ]),
            any::<char>(),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_char_by_char_sanitizer(
            chars in proptest::collection::vec(tricky_char(), 0..80)
        ) {
            let s: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(sanitize_block_owned(s.clone()), sanitize_block_slow(&s));
        }
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
