//! Decodes an HTML page to UTF-8: BOM, then the HTTP charset, then `<meta charset>` /
//! `<meta http-equiv="Content-Type">`, else UTF-8 if the bytes are UTF-8, else a guess.

use encoding_rs::Encoding;

use crate::feed::charset::{self, Decoded};

/// How far into a page its `<meta>` charset is looked for. WHATWG's prescan stops at 1,024
/// bytes; pages with a long head (scripts, styles) before the `<meta>` are common enough on
/// news sites that a little more is read.
const PRESCAN_BYTES: usize = 8 * 1024;

/// How much of an undeclared, non-UTF-8 page the charset detector reads: more decides nothing
/// more (a paragraph of Arabic is plenty) and costs time.
const DETECT_BYTES: usize = 256 * 1024;

/// Decodes `body`. `page_url` gives the detector a hint (`.eg`, `.ir`, `.il` pages are the
/// legacy encodings of their language) for a page that declares nothing and is not UTF-8.
pub(crate) fn decode_page<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
    page_url: &str,
) -> Decoded<'a> {
    charset::decode_declared(body, content_type, meta_charset(body), |bytes| {
        guess(bytes, page_url)
    })
}

/// Mozilla's detector (chardetng, as in Firefox) on bytes that are not UTF-8.
fn guess(bytes: &[u8], page_url: &str) -> &'static Encoding {
    // ISO-2022-JP is refused, as browsers do: it can hide markup from a sanitizer.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    detector.feed(sample, sample.len() == bytes.len());
    let tld = url::Url::parse(page_url).ok().and_then(|u| {
        let host = u.host_str()?.to_ascii_lowercase();
        let last = host.rsplit('.').next()?.to_string();
        // An IP address has no top-level domain to hint with; the detector also asserts
        // (panics) on anything but lowercase ASCII without a dot.
        (!last.is_empty() && last.bytes().all(|b| b.is_ascii_lowercase())).then_some(last)
    });
    // Only called for bytes that are not UTF-8.
    detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Deny,
    )
}

/// The charset label a page declares in a `<meta>` of its first bytes (comments skipped), as
/// WHATWG's prescan reads it: `<meta charset=x>`, or `<meta http-equiv=content-type
/// content="text/html; charset=x">`.
pub(crate) fn meta_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(PRESCAN_BYTES)];
    let mut at = 0;
    while let Some(lt) = find(&head[at..], b"<").map(|i| at + i) {
        let rest = &head[lt..];
        if rest.starts_with(b"<!--") {
            // `<!-->` closes at once; an unclosed comment hides the rest of the prescan.
            at = lt + 2 + find(&rest[2..], b"-->")? + 3;
            continue;
        }
        if rest.len() > 6
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/')
        {
            let (attrs, end) = attributes(&rest[5..]);
            if let Some(label) = charset_of_meta(&attrs) {
                return Some(label);
            }
            at = lt + 5 + end;
            continue;
        }
        at = lt + 1;
    }
    None
}

/// What one `<meta>` declares, if anything.
fn charset_of_meta(attrs: &[(String, String)]) -> Option<String> {
    let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    if let Some(label) = get("charset").filter(|v| !v.trim().is_empty()) {
        return Some(label.trim().to_string());
    }
    let is_content_type = get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
    if is_content_type {
        return get("content").and_then(|c| charset_in_content(c));
    }
    None
}

/// The charset in a `content="text/html; charset=x"` value (WHATWG "extracting a character
/// encoding from a meta element").
fn charset_in_content(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest.get(1..)?.split(q).next()?,
        _ => rest
            .split(|c: char| c.is_ascii_whitespace() || c == ';')
            .next()?,
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The attributes of a tag from just after its name (names lowercased, values as written,
/// lossily decoded), and where the tag ends (past its `>`, or the end of `tag`).
fn attributes(tag: &[u8]) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let mut i = 0;
    let skip = |i: &mut usize, f: &dyn Fn(u8) -> bool| {
        while *i < tag.len() && f(tag[*i]) {
            *i += 1;
        }
    };
    loop {
        skip(&mut i, &|b| b.is_ascii_whitespace() || b == b'/');
        if i >= tag.len() {
            return (attrs, i);
        }
        if tag[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        skip(&mut i, &|b| {
            !(b.is_ascii_whitespace() || b == b'=' || b == b'>' || b == b'/')
        });
        let name = String::from_utf8_lossy(&tag[name_start..i]).to_ascii_lowercase();
        skip(&mut i, &|b| b.is_ascii_whitespace());
        let mut value = String::new();
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            skip(&mut i, &|b| b.is_ascii_whitespace());
            if i < tag.len() && (tag[i] == b'"' || tag[i] == b'\'') {
                let quote = tag[i];
                let start = i + 1;
                i = start;
                skip(&mut i, &|b| b != quote);
                value = String::from_utf8_lossy(&tag[start..i]).into_owned();
                i = (i + 1).min(tag.len());
            } else {
                let start = i;
                skip(&mut i, &|b| !(b.is_ascii_whitespace() || b == b'>'));
                value = String::from_utf8_lossy(&tag[start..i]).into_owned();
            }
        }
        if !name.is_empty() && !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_found_in_each_form() {
        for (html, label) in [
            (&b"<meta charset=\"windows-1256\">"[..], "windows-1256"),
            (b"<META CHARSET='ISO-8859-6'/>", "ISO-8859-6"),
            (b"<head><meta charset=utf-8><title>x", "utf-8"),
            (
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">",
                "windows-1256",
            ),
            (
                b"<meta content='text/html;charset=\"koi8-r\"' http-equiv='content-type'>",
                "koi8-r",
            ),
        ] {
            assert_eq!(meta_charset(html).as_deref(), Some(label), "{html:?}");
        }
    }

    #[test]
    fn metas_that_declare_nothing_and_comments_are_passed_over() {
        let html = b"<!-- <meta charset=koi8-r> --><meta name=viewport content=\"width=device-width\">\
            <meta http-equiv=refresh content=\"5; charset=x\"><metadata><meta charset=windows-1256>";
        assert_eq!(meta_charset(html).as_deref(), Some("windows-1256"));
        assert_eq!(meta_charset(b"<p>no meta at all</p>"), None);
        assert_eq!(meta_charset(b"<!-- unclosed <meta charset=koi8-r>"), None);
        assert_eq!(meta_charset(b"<meta charset=\"\">"), None);
    }

    #[test]
    fn a_meta_past_the_prescan_window_is_not_read() {
        let mut html = vec![b' '; PRESCAN_BYTES];
        html.extend_from_slice(b"<meta charset=windows-1256>");
        assert_eq!(meta_charset(&html), None);
    }

    #[test]
    fn truncated_tags_do_not_panic() {
        for html in [
            &b"<meta"[..],
            b"<meta ",
            b"<meta charset",
            b"<meta charset=",
            b"<meta charset='",
            b"<meta http-equiv=content-type content=\"charset=",
            b"<!--",
            b"<!-->",
        ] {
            let _ = meta_charset(html);
        }
        assert_eq!(meta_charset(b"<meta charset='x"), Some("x".to_string()));
    }

    #[test]
    fn the_http_charset_wins_over_the_meta_and_the_bom_over_both() {
        let page = "<meta charset=\"utf-8\"><p>\u{0633}\u{0644}\u{0627}\u{0645}</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(page);
        let decoded = decode_page(&bytes, Some("text/html; charset=windows-1256"), "http://x/");
        assert!(decoded.text.contains("\u{0633}\u{0644}\u{0627}\u{0645}"));
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(page.as_bytes());
        let decoded = decode_page(
            &with_bom,
            Some("text/html; charset=windows-1256"),
            "http://x/",
        );
        assert!(decoded.text.contains("\u{0633}\u{0644}\u{0627}\u{0645}"));
    }

    #[test]
    fn an_undeclared_legacy_arabic_page_is_guessed_not_read_as_latin() {
        let text = "\u{0623}\u{0639}\u{0644}\u{0646}\u{062a} \u{0648}\u{0632}\u{0627}\u{0631}\u{0629} \
                    \u{0627}\u{0644}\u{0645}\u{064a}\u{0627}\u{0647} \u{0627}\u{0641}\u{062a}\u{062a}\u{0627}\u{062d} \
                    \u{0645}\u{062d}\u{0637}\u{0629} \u{0644}\u{062a}\u{062d}\u{0644}\u{064a}\u{0629} \
                    \u{0645}\u{064a}\u{0627}\u{0647} \u{0627}\u{0644}\u{0628}\u{062d}\u{0631}";
        let page = format!("<html><body><p>{text}</p></body></html>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&page);
        let decoded = decode_page(&bytes, Some("text/html"), "http://127.0.0.1:8080/a");
        assert!(decoded.text.contains(text), "{}", decoded.text);
        assert_eq!(decoded.notes.len(), 1, "the guess is noted");
    }
}
