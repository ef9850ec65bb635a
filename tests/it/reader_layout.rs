//! The reader's layout of an article (issue 11): the title, the meta line, the body laid out
//! by the document layout (`text::layout`) with each role in its theme style, and the Links
//! list whose numbers are the `[n]` of the text. Each HTML construct left to right and right
//! to left at 40, 80 and 120 columns.

use akhbar::clock::Zone;
use akhbar::model::{Article, ArticleFields, Direction};
use akhbar::store::Store;
use akhbar::text::doc::Role;
use akhbar::text::html::parse_html;
use akhbar::text::layout::{LayoutContext, layout_document};
use akhbar::text::{BidiMode, TextOptions};
use akhbar::view::{ReaderLine, layout_article, theme};
use ratatui::style::Modifier;

use crate::support::builders::{article, nov_20};

const LINK: &str = "https://example.org/news/item.html";

fn opts() -> TextOptions {
    TextOptions {
        mode: BidiMode::App,
        shaping: false,
    }
}

/// An article of a feed named "Wire" with `body` as its content.
fn with_body(body: &str, language: Option<&str>) -> (Article, Store) {
    let mut store = Store::new();
    store.add_feed(
        "https://wire.example/rss",
        Some("Wire"),
        vec![],
        Direction::Auto,
    );
    let a = Article::from(ArticleFields {
        title: "Headline".into(),
        link: Some(LINK.into()),
        content_html: Some(body.into()),
        language: language.map(str::to_string),
        published: Some(nov_20(9, 30)),
        ..article("k1").into_fields()
    });
    (a, store)
}

fn lay_out(a: &Article, store: &Store, width: usize) -> Vec<ReaderLine> {
    layout_article(a, store.feed(a.feed), width, &opts(), Zone::UTC)
}

fn edge(rtl: bool, text: String) -> String {
    if rtl {
        format!("{text}|")
    } else {
        format!("|{text}")
    }
}

fn screen(lines: &[ReaderLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| edge(l.line.rtl, l.line.text()))
        .collect()
}

/// Constructs of the issue, each in English and in Arabic or Hebrew.
const CONSTRUCTS: &[(&str, &str, Option<&str>)] = &[
    (
        "br, ltr",
        "<p>The council met.<br>It approved the budget after a long debate about the lanes.</p>",
        None,
    ),
    (
        "br, rtl",
        "<p>המועצה התכנסה.<br>היא אישרה את התקציב אחרי דיון ארוך על השבילים.</p>",
        Some("he"),
    ),
    ("hr", "<p>Before</p><hr><p>After</p>", None),
    ("hr, rtl", "<p>قبل</p><hr><p>بعد</p>", Some("ar")),
    (
        "table",
        "<table><tr><th>Team</th><th>Points</th></tr><tr><td>Harbour FC</td><td>30</td></tr></table>",
        None,
    ),
    (
        "table, rtl",
        "<table dir=rtl><tr><th>الفريق</th><th>النقاط</th></tr><tr><td>النادي الأهلي</td><td>30</td></tr></table>",
        Some("ar"),
    ),
    (
        "lists",
        "<ul><li>One item that is long enough to wrap at forty columns of text</li><li>Two<ol start=4><li>four</li><li>five</li></ol></li></ul><ol><li>again</li></ol>",
        None,
    ),
    (
        "lists, rtl",
        "<ul><li>البند الأول وهو طويل بما يكفي ليلتف عند أربعين عمودا من النص</li><li>الثاني</li></ul>",
        Some("ar"),
    ),
    (
        "pre and code",
        "<pre>fn main() {\n    println!(\"hi\");\n}</pre><p>Call <code>main</code> with <strong>care</strong> and <em>style</em>.</p>",
        None,
    ),
    (
        "quote, heading",
        "<h2>Section</h2><blockquote><p>A quoted sentence that goes on long enough to wrap.</p></blockquote>",
        None,
    ),
    (
        "quote, rtl",
        "<h2>قسم</h2><blockquote><p>جملة مقتبسة طويلة بما يكفي لتلتف عند أربعين عمودا</p></blockquote>",
        Some("ar"),
    ),
    (
        "figure and media",
        "<figure><img src=\"/a.jpg\" alt=\"The harbour\"><figcaption>The harbour at dawn.</figcaption></figure><p><a href=\"/more\">More</a></p><iframe src=\"https://www.youtube.com/embed/x\" title=\"Clip\"></iframe><audio src=\"/a.mp3\"></audio>",
        None,
    ),
    (
        "figure, rtl",
        "<figure><img src=\"/a.jpg\" alt=\"الميناء\"><figcaption>الميناء عند الفجر.</figcaption></figure><p><a href=\"/more\">المزيد</a></p>",
        Some("ar"),
    ),
];

#[test]
fn the_reader_body_is_the_document_layout_at_every_width_and_direction() {
    for &(what, body, lang) in CONSTRUCTS {
        let (a, store) = with_body(body, lang);
        for width in [40, 80, 120] {
            let reader = screen(&lay_out(&a, &store, width));
            let ctx = LayoutContext {
                dir: Direction::Auto,
                fallback_rtl: lang.is_some(),
                opts: opts(),
            };
            let doc = layout_document(&parse_html(body, Some(LINK)), width, &ctx);
            let want: Vec<String> = doc.iter().map(|l| edge(l.rtl, l.text())).collect();
            // Title, meta line, a blank, then the body.
            assert_eq!(reader[0], "|Headline", "{what} at {width}");
            assert_eq!(reader[2], "|", "{what} at {width}");
            assert_eq!(
                reader[3..3 + want.len()],
                want[..],
                "{what} at {width}: {reader:#?}"
            );
            assert_eq!(
                reader[3 + want.len()],
                "|",
                "{what}: a blank before the links"
            );
            assert_eq!(reader[4 + want.len()], "|Links", "{what}");
            for line in &reader {
                let cells = line.chars().count() - 1;
                assert!(cells <= width, "{what} at {width}: {line:?} is too wide");
            }
        }
    }
}

#[test]
fn a_right_to_left_article_draws_its_constructs_on_the_right_at_40_columns() {
    let (a, store) = with_body(
        "<blockquote><p>جملة مقتبسة</p></blockquote><ul><li>بند</li></ul><hr>",
        Some("ar"),
    );
    let reader = screen(&lay_out(&a, &store, 40));
    assert_eq!(
        reader[3..8],
        [
            "ةسبتقم ةلمج ▎|",
            "|",
            "دنب •  |",
            "|",
            &format!("{}|", "─".repeat(40)),
        ]
    );
}

#[test]
fn a_left_to_right_article_draws_its_constructs_on_the_left_at_80_columns() {
    let (a, store) = with_body(
        "<blockquote><p>A quoted line</p></blockquote><ol start=9><li>nine</li><li>ten</li></ol><pre>x = 1</pre>",
        None,
    );
    let reader = screen(&lay_out(&a, &store, 80));
    assert_eq!(
        reader[3..10],
        [
            "|▎ A quoted line",
            "|",
            "|   9. nine",
            "|  10. ten",
            "|",
            "|│ x = 1",
            "|",
        ]
    );
}

#[test]
fn each_role_is_drawn_in_its_theme_style() {
    let (a, store) = with_body(
        "<p>plain <strong>bold</strong> <em>slanted</em> <code>code</code> <a href=\"/x\">link</a></p>",
        None,
    );
    let lines = lay_out(&a, &store, 80);
    let body = &lines[3].line;
    let style_of = |word: &str| {
        body.parts
            .iter()
            .find(|(l, _)| l.text.contains(word))
            .map(|(_, s)| *s)
            .unwrap_or_else(|| panic!("{word} in {:?}", body.text()))
    };
    assert_eq!(style_of("plain"), theme::role(Role::Text));
    assert_eq!(style_of("bold"), theme::role(Role::Strong));
    assert!(style_of("bold").add_modifier.contains(Modifier::BOLD));
    assert_eq!(style_of("slanted"), theme::role(Role::Emphasis));
    assert_eq!(style_of("code"), theme::role(Role::Code));
    assert_eq!(style_of("link"), theme::role(Role::Link));
    assert_eq!(style_of("[1]"), theme::role(Role::LinkNumber));
    assert_ne!(theme::role(Role::Link), theme::role(Role::Text));
}

#[test]
fn the_links_list_numbers_are_the_numbers_in_the_text() {
    let (a, store) = with_body(
        "<p><a href=\"/one\">one</a> and <img src=\"/two.jpg\" alt=\"two\"> and <a href=\"https://else.example/three\">three</a></p>",
        None,
    );
    let reader = screen(&lay_out(&a, &store, 80));
    assert_eq!(reader[3], "|one[1] and [image: two][2] and three[3]");
    let links = reader
        .iter()
        .position(|l| l == "|Links")
        .expect("a Links list");
    assert_eq!(
        reader[links + 1..],
        [
            "|[o] https://example.org/news/item.html",
            "|[1] https://example.org/one",
            "|[2] https://example.org/two.jpg",
            "|[3] https://else.example/three",
        ]
    );
}

#[test]
fn ten_links_and_more_keep_their_addresses_in_one_column() {
    let body: String = (1..=10)
        .map(|i| format!("<a href=\"/l{i}\">l{i}</a> "))
        .collect();
    let (a, store) = with_body(&format!("<p>{body}</p>"), None);
    let reader = screen(&lay_out(&a, &store, 80));
    assert!(
        reader.contains(&"|[9]  https://example.org/l9".to_string()),
        "{reader:#?}"
    );
    assert!(reader.contains(&"|[10] https://example.org/l10".to_string()));
    assert!(reader.contains(&"|[o]  https://example.org/news/item.html".to_string()));
}

#[test]
fn the_meta_line_names_feed_categories_author_and_date_and_skips_what_is_missing() {
    let (mut a, store) = with_body("<p>x</p>", None);
    a = Article::from(ArticleFields {
        author: Some("Sara Ahmed".into()),
        categories: vec!["World".into(), "Sea".into()],
        ..a.into_fields()
    });
    let reader = screen(&lay_out(&a, &store, 80));
    assert_eq!(
        reader[1],
        "|Wire · World, Sea · Sara Ahmed · 2026-11-20 09:30"
    );
    a = Article::from(ArticleFields {
        author: Some("  ".into()),
        categories: Vec::new(),
        ..a.into_fields()
    });
    let reader = screen(&lay_out(&a, &store, 80));
    assert_eq!(
        reader[1], "|Wire · 2026-11-20 09:30",
        "no empty field, no `()`"
    );
}

#[test]
fn an_rss_author_in_email_name_form_reaches_the_reader_as_the_name() {
    // The parse keeps the name (feed::parse); the reader shows what the article holds.
    let feed = akhbar::feed::parse_feed(
        "<rss version=\"2.0\"><channel><title>t</title><item><title>h</title>\
         <author>sara@example.org (سارة المنصوري)</author></item></channel></rss>"
            .as_bytes(),
        None,
    )
    .expect("a feed");
    assert_eq!(feed.items[0].author.as_deref(), Some("سارة المنصوري"));
}
