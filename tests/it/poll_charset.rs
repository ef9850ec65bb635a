//! Legacy charsets: bytes produced with encoding_rs's encoders come back as the right text.

use akhbar::feed::parse_feed;
use encoding_rs::Encoding;

fn rss(title: &str, decl: Option<&str>) -> String {
    let decl = decl
        .map(|d| format!("<?xml version=\"1.0\" encoding=\"{d}\"?>\n"))
        .unwrap_or_default();
    format!(
        "{decl}<rss version=\"2.0\"><channel><title>{title}</title>\
         <item><title>{title}</title><guid>1</guid></item></channel></rss>"
    )
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let enc = Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{label} cannot encode {text}");
    bytes.into_owned()
}

const CASES: [(&str, &str); 6] = [
    ("windows-1256", "الأخبار العاجلة: تحديث 2024"),
    ("ISO-8859-6", "الأخبار العاجلة"),
    ("windows-1255", "חדשות היום 2024"),
    ("ISO-8859-8", "חדשות היום"),
    ("KOI8-R", "Новости дня"),
    ("Shift_JIS", "今日のニュース"),
];

#[test]
fn legacy_charsets_declared_in_the_xml_are_decoded() {
    for (label, title) in CASES {
        let body = encode(label, &rss(title, Some(label)));
        let feed = parse_feed(&body, None).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(feed.title.as_deref(), Some(title), "{label}");
        assert_eq!(feed.items[0].title, title, "{label}");
        assert!(feed.notes.is_empty(), "{label}: {:?}", feed.notes);
    }
}

#[test]
fn legacy_charsets_from_the_http_header_are_decoded_without_a_declaration() {
    for (label, title) in CASES {
        let body = encode(label, &rss(title, None));
        let content_type = format!("application/rss+xml; charset={label}");
        let feed = parse_feed(&body, Some(&content_type)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(feed.items[0].title, title, "{label}");
    }
}

#[test]
fn the_http_charset_wins_over_the_xml_declaration() {
    let title = "الأخبار";
    let body = encode("windows-1256", &rss(title, Some("ISO-8859-1")));
    let feed = parse_feed(&body, Some("text/xml; charset=windows-1256")).unwrap();
    assert_eq!(feed.items[0].title, title);
}

#[test]
fn utf16_with_bom_is_decoded_whatever_the_declaration_says() {
    let title = "خبر عاجل";
    for (bom, big_endian) in [(&[0xFF, 0xFE][..], false), (&[0xFE, 0xFF][..], true)] {
        let text = rss(title, Some("UTF-16"));
        let mut body = bom.to_vec();
        for unit in text.encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            body.extend_from_slice(&bytes);
        }
        let feed = parse_feed(&body, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(feed.items[0].title, title);
    }
}

#[test]
fn utf8_with_bom_and_no_declaration_is_decoded() {
    let mut body = vec![0xEF, 0xBB, 0xBF];
    body.extend_from_slice(rss("سلام", None).as_bytes());
    assert_eq!(parse_feed(&body, None).unwrap().items[0].title, "سلام");
}

#[test]
fn invalid_utf8_declared_utf8_falls_back_to_windows_1252_with_a_note() {
    let body = encode("windows-1252", &rss("Café déjà vu", Some("utf-8")));
    let feed = parse_feed(&body, None).unwrap();
    assert_eq!(feed.items[0].title, "Café déjà vu");
    assert_eq!(feed.notes.len(), 1);
    assert!(
        feed.notes[0].contains("not valid UTF-8"),
        "{:?}",
        feed.notes
    );
}

#[test]
fn a_wrong_utf8_http_header_falls_back_to_the_xml_declaration_with_a_note() {
    let title = "الأخبار العاجلة";
    let body = encode("windows-1256", &rss(title, Some("windows-1256")));
    let feed = parse_feed(&body, Some("application/xml; charset=utf-8")).unwrap();
    assert_eq!(feed.items[0].title, title);
    assert!(feed.notes[0].contains("windows-1256"), "{:?}", feed.notes);
}

#[test]
fn a_latin1_http_default_does_not_garble_a_declared_utf8_body() {
    let title = "חדשות";
    let body = rss(title, Some("UTF-8")).into_bytes();
    let feed = parse_feed(&body, Some("text/xml; charset=ISO-8859-1")).unwrap();
    assert_eq!(feed.items[0].title, title);
    assert_eq!(feed.notes.len(), 1);
}

#[test]
fn an_unknown_charset_name_is_ignored_with_a_note() {
    let body = rss("Hello", Some("x-martian")).into_bytes();
    let feed = parse_feed(&body, None).unwrap();
    assert_eq!(feed.items[0].title, "Hello");
    assert!(feed.notes[0].contains("x-martian"), "{:?}", feed.notes);
}
