//! Decodes a body to UTF-8: BOM, then HTTP charset, then the document's own declaration (the
//! XML declaration of a feed, or a page's `<meta charset>` found by the caller), with
//! fallbacks (and a note saying so) when the declared charset does not fit the bytes.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// A decoded body and what was done to get it. A valid UTF-8 body (the usual case) is
/// borrowed, not copied.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// Human-readable notes about fallbacks (empty when the declaration was right).
    pub notes: Vec<String>,
}

/// The `charset` parameter of a Content-Type header value, if any.
pub(crate) fn header_charset(content_type: Option<&str>) -> Option<&str> {
    content_type?.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The encoding named in an XML declaration (`<?xml ... encoding="x"?>`) in the first bytes.
fn xml_declared_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(512)];
    let start = find(head, b"<?xml")?;
    let end = start + find(&head[start..], b"?>")?;
    let decl = String::from_utf8_lossy(&head[start..end]);
    let at = decl.find("encoding")?;
    let rest = decl.get(at + "encoding".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest.get(1..)?;
    let close = value.find(quote)?;
    value.get(..close).map(str::to_string)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn lookup(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

/// Decodes without replacement; `None` if the bytes are malformed for `enc`.
fn decode_strict<'a>(enc: &'static Encoding, body: &'a [u8]) -> Option<Cow<'a, str>> {
    enc.decode_without_bom_handling_and_without_replacement(body)
}

/// Decodes a feed body to text. Order: BOM (always right), the HTTP charset, the XML
/// declaration, else UTF-8. When the chosen charset is UTF-8 but the bytes are not, another
/// declared charset is tried, then windows-1252 (which decodes any byte), with a note.
pub(crate) fn decode<'a>(body: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    decode_declared(body, content_type, xml_declared_charset(body), |_| {
        WINDOWS_1252
    })
}

/// [`decode`] with the document's own declaration (`declared`, a charset label) found by the
/// caller, and `fallback` choosing the encoding for bytes that are not the UTF-8 that was
/// declared or assumed (it must decode any byte: a single-byte or guessed encoding).
pub(crate) fn decode_declared<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
    declared: Option<String>,
    fallback: impl FnOnce(&[u8]) -> &'static Encoding,
) -> Decoded<'a> {
    let mut decoded = decode_any(body, content_type, declared, fallback);
    // XML has no U+0000. Left in, it lets the XML parser take UTF-8 for BOM-less UTF-16
    // again (`\0<\0?`), and quick-xml panics when that text's declaration then asks for
    // UTF-8 (found by fuzzing: `a_bomless_utf16_feed_declaring_utf8_is_decoded_not_a_panic`).
    if decoded.text.contains('\0') {
        decoded.text = Cow::Owned(decoded.text.replace('\0', ""));
    }
    decoded
}

/// A wide encoding the first bytes show: a UTF-32 BOM, or no BOM and `<` as the first
/// character in UTF-32 or UTF-16 (XML 1.0, appendix F). Returns the code unit size, whether
/// big endian, and the bytes to skip.
fn wide_start(body: &[u8]) -> Option<(usize, bool, usize)> {
    match body {
        [0xFF, 0xFE, 0, 0, ..] => Some((4, false, 4)),
        [0, 0, 0xFE, 0xFF, ..] => Some((4, true, 4)),
        [b'<', 0, 0, 0, ..] => Some((4, false, 0)),
        [0, 0, 0, b'<', ..] => Some((4, true, 0)),
        [b'<', 0, c, 0, ..] if *c != 0 => Some((2, false, 0)),
        [0, b'<', 0, c, ..] if *c != 0 => Some((2, true, 0)),
        _ => None,
    }
}

/// UTF-32 (encoding_rs has no decoder for it), invalid units replaced.
fn decode_utf32(body: &[u8], big: bool) -> String {
    body.chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            let u = if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            };
            char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect()
}

fn decode_any<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
    declared: Option<String>,
    fallback: impl FnOnce(&[u8]) -> &'static Encoding,
) -> Decoded<'a> {
    if let Some((unit, big, skip)) = wide_start(body) {
        let rest = &body[skip..];
        let (text, name) = if unit == 4 {
            (Cow::Owned(decode_utf32(rest, big)), "UTF-32")
        } else {
            let enc = if big { UTF_16BE } else { UTF_16LE };
            (enc.decode_without_bom_handling(rest).0, "UTF-16")
        };
        let notes = if skip == 0 {
            vec![format!("{name} without a byte order mark")]
        } else {
            Vec::new()
        };
        return Decoded { text, notes };
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(body) {
        let rest = &body[bom_len..];
        let (text, _) = enc.decode_without_bom_handling(rest);
        return Decoded {
            text,
            notes: Vec::new(),
        };
    }
    let mut notes = Vec::new();
    let from_header = header_charset(content_type).map(|l| (l.to_string(), lookup(l)));
    let from_decl = declared.map(|l| {
        let enc = lookup(&l);
        (l, enc)
    });
    for (label, enc) in [&from_header, &from_decl].into_iter().flatten() {
        if enc.is_none() {
            notes.push(format!("unknown charset \"{label}\" ignored"));
        }
    }
    let header_enc = from_header.as_ref().and_then(|(_, e)| *e);
    let decl_enc = from_decl.as_ref().and_then(|(_, e)| *e);
    // A UTF-16 declaration without a BOM is almost always a mislabelled ASCII-compatible file
    // (the declaration itself was readable as ASCII), so it is ignored.
    let not_utf16 = |e: &&'static Encoding| **e != *UTF_16LE && **e != *UTF_16BE;
    let header_enc = header_enc.filter(not_utf16);
    let decl_enc = decl_enc.filter(not_utf16);

    // A latin-1 header on a body that declares UTF-8 and is valid UTF-8 is a server default,
    // not a statement about the document.
    let mut chosen = header_enc.or(decl_enc).unwrap_or(UTF_8);
    if chosen == WINDOWS_1252
        && decl_enc == Some(UTF_8)
        && std::str::from_utf8(body).is_ok()
        && !body.is_ascii()
    {
        notes.push(
            "HTTP says windows-1252 but the body is valid UTF-8 as declared; read as UTF-8".into(),
        );
        chosen = UTF_8;
    }
    if let Some(text) = decode_strict(chosen, body) {
        return Decoded { text, notes };
    }
    // Only UTF-8 (and the multi-byte legacy encodings) can reject bytes.
    let other = [header_enc, decl_enc]
        .into_iter()
        .flatten()
        .find(|e| *e != chosen);
    if let Some(alt) = other
        && let Some(text) = decode_strict(alt, body)
    {
        notes.push(format!(
            "body is not valid {}; decoded as {} instead",
            chosen.name(),
            alt.name()
        ));
        return Decoded { text, notes };
    }
    let fallback = if chosen == UTF_8 {
        fallback(body)
    } else {
        chosen
    };
    let (text, _, _) = fallback.decode(body);
    notes.push(if fallback == chosen {
        format!(
            "body has bytes that are not valid {}; replaced them",
            chosen.name()
        )
    } else {
        format!(
            "body is not valid {}; decoded as {} instead",
            chosen.name(),
            fallback.name()
        )
    });
    Decoded { text, notes }
}

/// Replaces the XML declaration (if any) with a UTF-8 one, since the text is now UTF-8 and the
/// XML parser would otherwise decode it a second time with the old charset. A declaration that
/// already says UTF-8 (or names no encoding) is left as it is: no copy of the body.
pub(crate) fn rewrite_declaration(text: &str) -> Cow<'_, str> {
    // Dropping a late declaration can join what stood before it and what followed it into a
    // new first one (`<?xml encodi` + `<?xml ...?>` + `ng="windows-1256"?>`, found by
    // fuzzing: `a_declaration_spliced_by_dropping_a_late_one_is_checked_again`), so the
    // first is checked again after.
    fn again(dropped: Cow<'_, str>) -> Cow<'_, str> {
        match dropped {
            Cow::Borrowed(t) => Cow::Borrowed(t),
            Cow::Owned(t) => Cow::Owned(declaration_first(&t).into_owned()),
        }
    }
    match declaration_first(text) {
        Cow::Borrowed(t) => again(drop_late_declarations(t)),
        Cow::Owned(t) => Cow::Owned(again(drop_late_declarations(&t)).into_owned()),
    }
}

/// Removes XML declarations after the first one (`<?xml ... encoding="ISO-8859-1"?>` in the
/// middle of a feed). They are not well-formed anyway, the text is already decoded, and
/// quick-xml panics when one asks for another encoding after the start (found by fuzzing:
/// `a_late_xml_declaration_with_another_encoding_is_dropped_not_a_panic`).
fn drop_late_declarations(text: &str) -> Cow<'_, str> {
    let start = usize::from(text.starts_with("<?xml"));
    let late = |t: &str, from: usize| {
        t.get(from..)?
            .match_indices("<?xml")
            .map(|(i, _)| from + i)
            .find(|&i| {
                t.as_bytes()
                    .get(i + 5)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'?')
            })
    };
    let Some(mut at) = late(text, start) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    loop {
        out.push_str(text.get(from..at).unwrap_or(""));
        from = match text.get(at..).and_then(|t| t.find("?>")) {
            Some(end) => at + end + 2,
            None => at + 5,
        };
        match late(text, from) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(text.get(from..).unwrap_or(""));
    Cow::Owned(out)
}

fn declaration_first(text: &str) -> Cow<'_, str> {
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    if body.starts_with("<?xml")
        && let Some(end) = body.find("?>")
    {
        let declared = xml_declared_charset(body.as_bytes());
        // Kept only when it is a real declaration: short ASCII, all of it within the head
        // `xml_declared_charset` reads. A long or non-ASCII one (noise, mis-decoded text) may
        // name another encoding past that head, which quick-xml panicked on (found by fuzzing:
        // `a_utf16_bom_before_a_broken_declaration_and_utf8_text_is_not_a_panic`).
        let plain = end + 2 <= 512 && body.get(..end).is_some_and(str::is_ascii);
        // quick-xml finds an `encoding` of its own wherever the declaration has one: a
        // declaration that says `encoding` more than once, or where this parse found none
        // (`encodingrsion="1.0" encoding="windows-1256"`, found by fuzzing:
        // `a_declaration_naming_its_encoding_twice_is_replaced`), is replaced.
        let mentions = body
            .get(..end)
            .map_or(0, |d| d.to_ascii_lowercase().matches("encoding").count());
        let utf8 = declared.is_some_and(|label| lookup(&label) == Some(UTF_8));
        if plain && (mentions == 0 || (mentions == 1 && utf8)) {
            return body.into();
        }
        let after = body.get(end + 2..).unwrap_or("");
        return format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{after}").into();
    }
    body.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    fn utf32(text: &str, big: bool, bom: bool) -> Vec<u8> {
        let bom = bom.then_some('\u{FEFF}');
        bom.into_iter()
            .chain(text.chars())
            .flat_map(|c| {
                let u = u32::from(c);
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn bomless_utf16_and_utf32_and_utf32_with_a_bom_are_decoded() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>خبر</rss>";
        for big in [false, true] {
            let bytes = utf16(xml, big);
            let d = decode(&bytes, None);
            assert_eq!(d.text, xml, "utf-16 big={big}");
            assert_eq!(d.notes, ["UTF-16 without a byte order mark"]);
            for bom in [false, true] {
                let bytes = utf32(xml, big, bom);
                let d = decode(&bytes, Some("text/xml; charset=utf-8"));
                assert_eq!(d.text, xml, "utf-32 big={big} bom={bom}");
                assert_eq!(d.notes.is_empty(), bom, "{:?}", d.notes);
            }
        }
    }

    #[test]
    fn nul_characters_never_reach_the_parser() {
        let d = decode(b"<rss>\0a\0b</rss>", None);
        assert_eq!(d.text, "<rss>ab</rss>");
        // Not `<` then NUL: not taken for UTF-16, and the NULs are dropped.
        let d = decode(b"\0\0<rss/>", None);
        assert_eq!(d.text, "<rss/>");
    }

    #[test]
    fn header_charset_is_read_case_insensitively_with_quotes() {
        assert_eq!(
            header_charset(Some("text/xml; Charset=\"windows-1256\"")),
            Some("windows-1256")
        );
        assert_eq!(header_charset(Some("text/xml")), None);
    }

    #[test]
    fn xml_declaration_charset_is_found_with_either_quote() {
        assert_eq!(
            xml_declared_charset(b"<?xml version='1.0' encoding='koi8-r'?><rss/>").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(xml_declared_charset(b"<rss/>"), None);
    }

    #[test]
    fn declaration_is_rewritten_to_utf8() {
        let out = rewrite_declaration("<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss/>");
        assert_eq!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>");
    }

    #[test]
    fn a_utf8_declaration_is_kept_without_a_copy() {
        for text in [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>",
            "<?xml version='1.0' encoding='UTF8'?><rss/>",
            "<?xml version=\"1.0\"?><rss/>",
            "<rss/>",
        ] {
            assert!(
                matches!(rewrite_declaration(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
        let bom = "\u{FEFF}  <rss/>";
        assert_eq!(rewrite_declaration(bom), "<rss/>");
    }
}
