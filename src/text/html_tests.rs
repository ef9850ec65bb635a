//! Tests for HTML to blocks: one table per rule, then properties on arbitrary input.

use super::flat::{Block, BlockKind, Document};
use super::html_to_document;
use super::tags::{FSI, LRI, PDI, RLI, is_visible};
use crate::model::Direction;
use crate::text::sanitize::{is_c0_c1, is_override_control, sanitize_url};
use proptest::prelude::*;

fn texts(html: &str) -> Vec<String> {
    html_to_document(html, None)
        .blocks
        .into_iter()
        .map(|b| b.text)
        .collect()
}

fn block(kind: BlockKind, text: &str, dir: Direction, lang: Option<&str>) -> Block {
    Block {
        kind,
        text: text.to_string(),
        dir,
        lang: lang.map(str::to_string),
    }
}

/// (case, html, expected block texts)
fn check_texts(table: &[(&str, &str, &[&str])]) {
    for (case, html, want) in table {
        assert_eq!(texts(html), *want, "case: {case}");
    }
}

#[test]
fn block_elements_become_separate_blocks() {
    check_texts(&[
        ("paragraphs", "<p>one</p><p>two</p>", &["one", "two"]),
        ("divs", "<div>a</div><div>b</div>", &["a", "b"]),
        ("headings", "<h1>T</h1><h6>S</h6>", &["T", "S"]),
        (
            "br runs",
            "<p>line 1<br>line 2<br/><br>line 3</p>",
            &["line 1", "line 2", "line 3"],
        ),
        (
            "table rows",
            "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>",
            &["a | b", "c"],
        ),
        (
            "figure",
            "<figure><img alt=x><figcaption>cap</figcaption></figure>",
            &["\u{2068}[image: x]\u{2069}", "cap"],
        ),
        (
            "section/article",
            "<article><section>s1</section>tail</article>",
            &["s1", "tail"],
        ),
        (
            "text around a block",
            "<div>before<p>inside</p>after</div>",
            &["before", "inside", "after"],
        ),
        ("hr separates", "a<hr>b", &["a", "b"]),
        (
            "empty blocks dropped",
            "<p> </p><p></p><div><br></div><p>x</p>",
            &["x"],
        ),
        (
            "bare inline text",
            "just <b>bold</b> text",
            &["just bold text"],
        ),
    ]);
}

#[test]
fn block_kinds_follow_the_innermost_kinded_element() {
    let doc = html_to_document(
        "<h2>H</h2><blockquote><p>q1</p><p>q2</p></blockquote><pre>x</pre><ul><li>i</li></ul><p>p</p>",
        None,
    );
    let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
    use BlockKind::*;
    assert_eq!(
        kinds,
        [Heading, Quote, Quote, Preformatted, ListItem, Paragraph]
    );
}

#[test]
fn inline_whitespace_collapses_except_in_pre() {
    check_texts(&[
        ("runs", "<p>  a \n\t b   c  </p>", &["a b c"]),
        (
            "across inline tags",
            "<p>a<b> b </b> c<i>d</i></p>",
            &["a b cd"],
        ),
        ("nbsp kept", "<p>a&nbsp;&nbsp;b</p>", &["a\u{a0}\u{a0}b"]),
        (
            "pre keeps lines and indentation",
            "<pre>\nfn main() {\n    x();\n}\n</pre>",
            &["fn main() {\n    x();\n}"],
        ),
        ("pre tab to spaces", "<pre>a\tb</pre>", &["a    b"]),
        ("br inside pre is a newline", "<pre>a<br>b</pre>", &["a\nb"]),
    ]);
}

#[test]
fn entities_are_decoded() {
    check_texts(&[
        (
            "named",
            "<p>AT&amp;T &lt;tag&gt; &quot;q&quot; &laquo;x&raquo;</p>",
            &["AT&T <tag> \"q\" «x»"],
        ),
        ("numeric", "<p>&#1587;&#x644;&#x627;&#x645;</p>", &["سلام"]),
        ("plain text entities", "a &amp; b", &["a & b"]),
    ]);
}

#[test]
fn scripts_styles_and_comments_are_dropped() {
    check_texts(&[
        ("script", "<p>a<script>alert(1)</script>b</p>", &["ab"]),
        ("style", "<style>p{color:red}</style><p>x</p>", &["x"]),
        ("noscript", "<noscript>enable js</noscript><p>x</p>", &["x"]),
        ("iframe", "<p>x<iframe src=y>fallback</iframe></p>", &["x"]),
        ("comment", "<p>a<!-- hidden -->b</p>", &["ab"]),
        (
            "full document head",
            "<html><head><title>T</title></head><body><p>x</p></body></html>",
            &["x"],
        ),
    ]);
}

#[test]
fn images_show_their_alt_text_isolated() {
    check_texts(&[
        (
            "alt",
            "<p>see <img src=a.png alt=\"a chart\"> here</p>",
            &["see \u{2068}[image: a chart]\u{2069} here"],
        ),
        (
            "no alt",
            "<p><img src=a.png></p>",
            &["\u{2068}[image]\u{2069}"],
        ),
        (
            "empty alt",
            "<p><img alt=\"  \"></p>",
            &["\u{2068}[image]\u{2069}"],
        ),
        (
            "arabic alt",
            "<p><img alt=\"صورة الرئيس\"></p>",
            &["\u{2068}[image: صورة الرئيس]\u{2069}"],
        ),
    ]);
}

#[test]
fn links_are_numbered_deduplicated_and_resolved() {
    let doc = html_to_document(
        "<p><a href=\"https://example.org/a\">first</a> and <a href=\"/b?x=1&amp;y=2\">second</a></p>\
         <p><a href=\"https://example.org/a\">again</a> <a href=\"mailto:ed@example.org\">mail</a> \
         <a href=\"javascript:alert(1)\">js</a> <a href=\"data:text/html,x\">data</a> \
         <a href=\"../c\">up</a> <a href=\"ftp://x/y\">ftp</a></p>",
        Some("https://news.example.com/world/item.html"),
    );
    assert_eq!(
        doc.links,
        [
            "https://example.org/a",
            "https://news.example.com/b?x=1&y=2",
            "mailto:ed@example.org",
            "https://news.example.com/c",
        ]
    );
    assert_eq!(
        doc.blocks[0].text, "first[1] and second[2]",
        "numbers follow the link text"
    );
    assert_eq!(doc.blocks[1].text, "again[1] mail[3] js data up[4] ftp");
}

#[test]
fn relative_links_without_a_base_keep_their_text_only() {
    let doc = html_to_document("<p><a href=\"/rel\">rel</a></p>", None);
    assert!(doc.links.is_empty());
    assert_eq!(doc.blocks[0].text, "rel");
}

#[test]
fn link_urls_are_sanitized() {
    let doc = html_to_document(
        "<p><a href=\" https://exa\u{202E}mple.org/\u{200F}x \">t</a>\
         <a href=\"java&#10;script:alert(1)\">j</a></p>",
        None,
    );
    assert_eq!(doc.links, ["https://example.org/x"]);
    assert_eq!(doc.blocks[0].text, "t[1]j");
}

#[test]
fn empty_links_get_no_number() {
    let doc = html_to_document("<p>x<a href=\"https://e.org/\"></a></p>", None);
    assert!(doc.links.is_empty());
    assert_eq!(doc.blocks[0].text, "x");
}

#[test]
fn link_around_a_block_numbers_its_last_block() {
    let doc = html_to_document("<a href=\"https://e.org/\"><p>p1</p><p>p2</p></a>", None);
    assert_eq!(texts_of(&doc), ["p1", "p2[1]"]);
}

fn texts_of(doc: &Document) -> Vec<&str> {
    doc.blocks.iter().map(|b| b.text.as_str()).collect()
}

#[test]
fn dir_and_lang_are_inherited_by_blocks() {
    let doc = html_to_document(
        "<div dir=\"rtl\" lang=\"ar\"><p>نص عربي</p><p dir=\"ltr\" lang=\"en\">English quote</p>\
         <section lang=\"\"><p>بلا لغة</p></section><p dir=\"auto\">تلقائي</p></div>\
         <p xml:lang=\"he\" dir=\"RTL\">שלום עולם</p><p>plain</p>",
        None,
    );
    use BlockKind::Paragraph as P;
    assert_eq!(
        doc.blocks,
        [
            block(P, "نص عربي", Direction::Rtl, Some("ar")),
            block(P, "English quote", Direction::Ltr, Some("en")),
            block(P, "بلا لغة", Direction::Rtl, None),
            block(P, "تلقائي", Direction::Auto, Some("ar")),
            block(P, "שלום עולם", Direction::Rtl, Some("he")),
            block(P, "plain", Direction::Auto, None),
        ]
    );
}

#[test]
fn invalid_dir_values_are_ignored() {
    let doc = html_to_document("<div dir=rtl><p dir=\"sideways\">x</p></div>", None);
    assert_eq!(doc.blocks[0].dir, Direction::Rtl);
}

#[test]
fn inline_direction_becomes_an_isolate() {
    check_texts(&[
        (
            "bdi is first-strong",
            "<p>المستخدم <bdi>Ali</bdi> كتب</p>",
            &["المستخدم \u{2068}Ali\u{2069} كتب"],
        ),
        (
            "span dir=ltr in arabic",
            "<p dir=rtl>قال <span dir=\"ltr\">Tim Cook (Apple)</span> أمس</p>",
            &["قال \u{2066}Tim Cook (Apple)\u{2069} أمس"],
        ),
        (
            "hebrew span in english",
            "<p>The sign read <span dir=\"rtl\" lang=\"he\">שלום</span>.</p>",
            &["The sign read \u{2067}שלום\u{2069}."],
        ),
        (
            "bdo is an isolate, never an override",
            "<p>x <bdo dir=\"rtl\">abc</bdo> y</p>",
            &["x \u{2067}abc\u{2069} y"],
        ),
        (
            "nested isolates",
            "<p>a <bdi>b <span dir=rtl>ج</span></bdi></p>",
            &["a \u{2068}b \u{2067}ج\u{2069}\u{2069}"],
        ),
        ("empty isolate dropped", "<p>a <bdi> </bdi>b</p>", &["a b"]),
        (
            "isolate split by br is closed and reopened",
            "<p>x <span dir=ltr>one<br>two</span> y</p>",
            &["x \u{2066}one\u{2069}", "\u{2066}two\u{2069} y"],
        ),
    ]);
}

#[test]
fn a_block_that_is_one_isolate_takes_its_direction() {
    let doc = html_to_document(
        "<p><span dir=\"rtl\">مرحبا Apple</span></p><span dir=ltr>top level</span>\
         <p dir=\"ltr\"><span dir=\"rtl\">عكس</span></p>",
        None,
    );
    use BlockKind::Paragraph as P;
    assert_eq!(
        doc.blocks,
        [
            block(P, "مرحبا Apple", Direction::Rtl, None),
            block(P, "top level", Direction::Ltr, None),
            block(P, "\u{2067}عكس\u{2069}", Direction::Ltr, None),
        ]
    );
}

#[test]
fn controls_and_overrides_in_text_never_survive() {
    let doc = html_to_document(
        "<p>abc\u{202E}def\u{202C}ghi \u{1b}[31mred&#x1b; &#x202e;x \u{9b}y &#x9b;z</p>\
         <p>open \u{2067}never closed</p><p>stray \u{2069} pdi</p><p>kept \u{2066}ok\u{2069}</p>\
         <p>mark\u{200F}ed</p>",
        None,
    );
    assert_eq!(
        texts_of(&doc),
        [
            // HTML maps the numeric reference &#x9b; to U+203A, as windows-1252 does.
            "abcdefghi [31mred x y \u{203A}z",
            "open never closed",
            "stray pdi",
            "kept \u{2066}ok\u{2069}",
            "mark\u{200F}ed"
        ]
    );
}

#[test]
fn lists_get_bullets_numbers_and_indentation() {
    check_texts(&[
        (
            "unordered",
            "<ul><li>a</li><li>b</li></ul>",
            &["• a", "• b"],
        ),
        (
            "ordered",
            "<ol><li>a</li><li>b</li></ol>",
            &["1. a", "2. b"],
        ),
        (
            "ordered start",
            "<ol start=\"5\"><li>a</li><li value=\"9\">b</li><li>c</li></ol>",
            &["5. a", "9. b", "10. c"],
        ),
        (
            "nested",
            "<ul><li>top<ul><li>mid<ol><li>deep</li></ol></li></ul></li><li>next</li></ul>",
            &["• top", "  • mid", "    1. deep", "• next"],
        ),
        (
            "item with paragraphs",
            "<ol><li><p>first</p><p>more</p></li></ol>",
            &["1. first", "   more"],
        ),
        (
            "arabic items",
            "<ul dir=rtl><li>أولا</li><li>ثانيا 50%</li></ul>",
            &["• أولا", "• ثانيا 50%"],
        ),
        ("li outside a list", "<li>lone</li>", &["• lone"]),
    ]);
}

#[test]
fn deep_list_nesting_stops_indenting() {
    let html = "<ul><li>x".repeat(40);
    let doc = html_to_document(&html, None);
    let last = doc.blocks.last().expect("a block");
    assert_eq!(last.text, format!("{}• x", "  ".repeat(6)));
}

#[test]
fn plain_text_splits_at_blank_lines() {
    check_texts(&[
        (
            "two paragraphs",
            "first line\nsame para\n\n  \nsecond",
            &["first line same para", "second"],
        ),
        ("crlf", "a\r\n\r\nb", &["a", "b"]),
        ("only whitespace", " \n\n \t", &[]),
        ("empty", "", &[]),
        (
            "hebrew",
            "שורה אחת\n\nשורה שתיים",
            &["שורה אחת", "שורה שתיים"],
        ),
    ]);
}

#[test]
fn arabic_article_keeps_its_structure() {
    let html = r#"<div lang="ar" dir="rtl">
<p>أعلنت شركة <a href="https://example.org/apple">Apple</a> يوم 28-11-2026 عن ارتفاع أرباحها 12% في الساعة 14:13.</p>
<blockquote><p>«هذا يوم تاريخي» قال المدير.</p></blockquote>
<p dir="ltr">"We are thrilled," said the CEO.</p>
<p>2026 - 12 - 28</p>
</div>"#;
    let doc = html_to_document(html, None);
    use BlockKind::*;
    assert_eq!(
        doc.blocks,
        [
            block(
                Paragraph,
                "أعلنت شركة Apple[1] يوم 28-11-2026 عن ارتفاع أرباحها 12% في الساعة 14:13.",
                Direction::Rtl,
                Some("ar")
            ),
            block(
                Quote,
                "«هذا يوم تاريخي» قال المدير.",
                Direction::Rtl,
                Some("ar")
            ),
            block(
                Paragraph,
                "\"We are thrilled,\" said the CEO.",
                Direction::Ltr,
                Some("ar")
            ),
            block(Paragraph, "2026 - 12 - 28", Direction::Rtl, Some("ar")),
        ]
    );
    assert_eq!(doc.links, ["https://example.org/apple"]);
}

#[test]
fn huge_single_paragraph_is_one_block() {
    let word = "كلمة word ";
    let html = format!("<p>{}</p>", word.repeat(100_000));
    let doc = html_to_document(&html, None);
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(
        doc.blocks[0].text.chars().count(),
        word.chars().count() * 100_000 - 1
    );
}

#[test]
fn deeply_nested_tag_soup_does_not_overflow_the_stack() {
    let html = format!("{}x", "<div><span dir=rtl>".repeat(100));
    let doc = html_to_document(&html, None);
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].text, "x");
    assert_eq!(doc.blocks[0].dir, Direction::Rtl);
}

#[test]
fn nesting_past_the_bound_is_cut_and_says_so() {
    // 40,000 open elements: uncut, the parser would take seconds (quadratic in the depth).
    let html = format!("before{}x", "<div><span dir=rtl>".repeat(20_000));
    let doc = html_to_document(&html, None);
    let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(text[0], "before");
    assert!(
        text.last()
            .unwrap()
            .contains("nests more than 256 elements deep"),
        "{text:?}"
    );
    assert!(!text.contains(&"x"));
}

/// The invariants every output keeps, whatever the input.
fn assert_clean(doc: &Document) -> Result<(), TestCaseError> {
    for b in &doc.blocks {
        prop_assert!(b.text.chars().any(is_visible), "empty block {:?}", b);
        for c in b.text.chars() {
            let allowed_newline = c == '\n' && b.kind == BlockKind::Preformatted;
            prop_assert!(
                !is_c0_c1(c) || allowed_newline,
                "control {:?} in {:?}",
                c,
                b
            );
            prop_assert!(!is_override_control(c), "override in {:?}", b);
        }
        let mut depth = 0i64;
        for c in b.text.chars() {
            match c {
                LRI | RLI | FSI => depth += 1,
                PDI => depth -= 1,
                _ => {}
            }
            prop_assert!(depth >= 0, "PDI closes nothing in {:?}", b);
        }
        prop_assert_eq!(depth, 0, "unclosed isolate in {:?}", b);
        if let Some(l) = &b.lang {
            prop_assert!(!l.is_empty());
        }
    }
    for l in &doc.links {
        prop_assert!(
            l.starts_with("http://") || l.starts_with("https://") || l.starts_with("mailto:"),
            "bad link {}",
            l
        );
        prop_assert_eq!(sanitize_url(l), l.clone());
    }
    Ok(())
}

fn tag_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<div dir=rtl lang=ar>".to_string()),
        Just("</div>".to_string()),
        Just("<span dir=ltr>".to_string()),
        Just("</span>".to_string()),
        Just("<bdi>".to_string()),
        Just("</bdi>".to_string()),
        Just("<bdo dir=rtl>".to_string()),
        Just("<ul><li>".to_string()),
        Just("<ol start=-3><li value=99999999999999999999>".to_string()),
        Just("</li></ul>".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("<br>".to_string()),
        Just("<table><tr><td dir=rtl>".to_string()),
        Just("<a href=\"https://e.org/x\">".to_string()),
        Just("<a href=\"/rel\">".to_string()),
        Just("<a href=\"javascript:x\">".to_string()),
        Just("</a>".to_string()),
        Just("<img alt=\"\u{202E}x\">".to_string()),
        Just("<script>".to_string()),
        Just("<!--".to_string()),
        Just("&amp;&#x202E;&#0;&#x1b;".to_string()),
        Just("\u{2067}\u{2069}\u{2069}\u{2066}\u{202D}\u{1b}\u{9b}\u{200F}".to_string()),
        "[a-z \n\t]{0,8}",
        "[\u{0600}-\u{06FF}\u{05D0}-\u{05EA} 0-9]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic_and_stay_clean(s in any::<String>()) {
        let doc = html_to_document(&s, Some("https://example.org/base/"));
        assert_clean(&doc)?;
    }

    #[test]
    fn random_tag_soup_never_panics_and_stays_clean(s in tag_soup()) {
        let doc = html_to_document(&s, Some("https://example.org/base/"));
        assert_clean(&doc)?;
        let none = html_to_document(&s, None);
        assert_clean(&none)?;
    }

    #[test]
    fn every_link_number_in_the_text_names_a_link(s in tag_soup()) {
        // Brackets typed in the input would look like numbers; only ours are checked.
        prop_assume!(!s.contains('['));
        let doc = html_to_document(&s, Some("https://example.org/"));
        for b in &doc.blocks {
            for part in b.text.split('[').skip(1) {
                if let Some((n, _)) = part.split_once(']')
                    && let Ok(n) = n.parse::<usize>()
                {
                    prop_assert!(n >= 1 && n <= doc.links.len(), "[{}] of {}", n, doc.links.len());
                }
            }
        }
    }
}
