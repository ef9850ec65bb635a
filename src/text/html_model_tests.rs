//! Tests for HTML to the document model: one test per construct of issue 11.

use super::parse_html;
use crate::model::Direction;
use crate::text::doc::{Block, Cell, Content, Marker, Nest, Role, StyledText, Table};

fn doc(html: &str) -> crate::text::doc::Document {
    parse_html(html, Some("https://example.org/news/item.html"))
}

/// The text of a block with roles marked: `{S:...}` for a run of a role other than `Text`;
/// a first-strong isolate is `⟨...⟩`.
fn marked(t: &StyledText) -> String {
    t.runs()
        .map(|(r, role)| {
            let s = t.as_str()[r]
                .replace('\u{2068}', "⟨")
                .replace('\u{2069}', "⟩");
            let s = s.as_str();
            match role {
                Role::Text => s.to_string(),
                other => format!("{{{}:{s}}}", code(other)),
            }
        })
        .collect()
}

fn code(role: Role) -> &'static str {
    match role {
        Role::Text => "T",
        Role::Heading => "H",
        Role::Quote => "Q",
        Role::Strong => "S",
        Role::Emphasis => "E",
        Role::Code => "C",
        Role::Link => "L",
        Role::LinkNumber => "N",
        Role::Media => "M",
        Role::Dim => "D",
        Role::Marker => "K",
        Role::Border => "B",
        Role::Rule => "R",
        Role::TableHeader => "TH",
        Role::Match => "MATCH",
    }
}

/// Each block as one line: its kind, then its marked text.
fn outline(html: &str) -> Vec<String> {
    doc(html).blocks.iter().map(describe).collect()
}

fn describe(b: &Block) -> String {
    match &b.content {
        Content::Paragraph(t) => format!("p {}", marked(t)),
        Content::Heading(level, t) => format!("h{level} {}", marked(t)),
        Content::Caption(t) => format!("caption {}", marked(t)),
        Content::Preformatted(t) => format!("pre {}", marked(t)),
        Content::Rule => "rule".to_string(),
        Content::Table(t) => format!("table {} rows", t.rows.len()),
    }
}

fn check(table: &[(&str, &str, &[&str])]) {
    for (case, html, want) in table {
        assert_eq!(outline(html), *want, "case: {case}");
    }
}

#[test]
fn a_br_breaks_a_line_inside_its_paragraph() {
    check(&[
        ("one paragraph", "<p>a<br>b</p>", &["p a\nb"]),
        ("spaces around go", "<p>a <br> b</p>", &["p a\nb"]),
        ("two make an empty line", "<p>a<br><br>b</p>", &["p a\n\nb"]),
        ("none at either end", "<p><br>a<br></p>", &["p a"]),
        ("in a heading", "<h2>x<br>y</h2>", &["h2 {H:x\ny}"]),
    ]);
}

#[test]
fn an_hr_is_a_rule_between_blocks() {
    check(&[
        ("between", "<p>a</p><hr><p>b</p>", &["p a", "rule", "p b"]),
        ("inside a paragraph", "a<hr>b", &["p a", "rule", "p b"]),
    ]);
}

#[test]
fn inline_elements_and_headings_carry_their_roles() {
    check(&[
        (
            "strong, em, code",
            "<p>a <b>b</b> <strong>c</strong> <i>d</i> <em>e</em> <code>f()</code></p>",
            &["p a {S:b} {S:c} {E:d} {E:e} {C:f()}"],
        ),
        (
            "the innermost wins",
            "<p><b>x <i>y</i> z</b></p>",
            &["p {S:x }{E:y}{S: z}"],
        ),
        (
            "a link and its number",
            "<p>see <a href=/a>the page</a> now</p>",
            &["p see {L:the page}{N:[1]} now"],
        ),
        (
            "an anchor without href is plain",
            "<p><a name=x>here</a></p>",
            &["p here"],
        ),
        (
            "a heading",
            "<h3>Title <code>x</code></h3>",
            &["h3 {H:Title }{C:x}"],
        ),
        (
            "a quote",
            "<blockquote>q <b>s</b></blockquote>",
            &["p {Q:q }{S:s}"],
        ),
    ]);
}

#[test]
fn a_space_between_elements_takes_the_role_of_its_own_place() {
    check(&[
        (
            "before a link",
            "<p>a <a href=/x>b</a></p>",
            &["p a {L:b}{N:[1]}"],
        ),
        ("inside at the start", "<p>a<b> b</b></p>", &["p a{S: b}"]),
    ]);
}

#[test]
fn list_items_carry_markers_and_their_lists() {
    let d = doc(
        "<ul><li>a</li><li>b<ol start=4><li>c</li><li value=9>d</li><li>e</li></ol></li></ul>\
                 <ol reversed><li>x</li><li>y</li><li>z</li></ol>",
    );
    let got: Vec<(String, Vec<Nest>, Option<Marker>, bool)> = d
        .blocks
        .iter()
        .map(|b| (describe(b), b.nest.clone(), b.marker, b.tight))
        .collect();
    use Marker::*;
    use Nest::List;
    assert_eq!(
        got,
        [
            ("p a".into(), vec![List(1)], Some(Bullet), false),
            ("p b".into(), vec![List(1)], Some(Bullet), true),
            ("p c".into(), vec![List(1), List(2)], Some(Number(4)), true),
            ("p d".into(), vec![List(1), List(2)], Some(Number(9)), true),
            ("p e".into(), vec![List(1), List(2)], Some(Number(10)), true),
            ("p x".into(), vec![List(3)], Some(Number(3)), false),
            ("p y".into(), vec![List(3)], Some(Number(2)), true),
            ("p z".into(), vec![List(3)], Some(Number(1)), true),
        ]
    );
}

#[test]
fn a_list_after_a_list_is_not_tight_against_it() {
    let d = doc(
        "<ul><li>a</li></ul><ol><li>b</li></ol><ul><li>c<ul><li>d</li></ul><ol><li>e</li></ol></li></ul>",
    );
    let tight: Vec<bool> = d.blocks.iter().map(|b| b.tight).collect();
    assert_eq!(tight, [false, false, false, true, false]);
}

#[test]
fn an_item_that_starts_with_a_list_keeps_its_marker_and_paragraphs_continue_it() {
    let d = doc("<ol><li><ul><li>inner</li></ul></li><li><p>one</p><p>two</p></li></ol>");
    let got: Vec<(String, Option<Marker>)> =
        d.blocks.iter().map(|b| (describe(b), b.marker)).collect();
    assert_eq!(
        got,
        [
            ("p ".into(), Some(Marker::Number(1))),
            ("p inner".into(), Some(Marker::Bullet)),
            ("p one".into(), Some(Marker::Number(2))),
            ("p two".into(), None),
        ]
    );
}

#[test]
fn an_item_outside_any_list_is_a_list_of_its_own() {
    let d = doc("<li>lone</li>");
    assert_eq!(d.blocks[0].nest, [Nest::List(0)]);
    assert_eq!(d.blocks[0].marker, Some(Marker::Bullet));
}

#[test]
fn quotes_and_lists_nest_in_document_order() {
    let d = doc("<blockquote><ul><li>a<blockquote>b</blockquote></li></ul></blockquote>");
    let nests: Vec<Vec<Nest>> = d.blocks.iter().map(|b| b.nest.clone()).collect();
    assert_eq!(
        nests,
        [
            vec![Nest::Quote, Nest::List(1)],
            vec![Nest::Quote, Nest::List(1), Nest::Quote]
        ]
    );
}

fn table_of(html: &str) -> (Vec<String>, Table) {
    let d = doc(html);
    let mut table = None;
    let mut outline = Vec::new();
    for b in d.blocks {
        outline.push(describe(&b));
        if let Content::Table(t) = b.content {
            table = Some(t);
        }
    }
    (outline, table.expect("a table"))
}

fn cells(t: &Table) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| marked(&c.text)).collect())
        .collect()
}

#[test]
fn a_table_keeps_rows_cells_and_header_rows() {
    let (_, t) = table_of(
        "<table><thead><tr><td>h1</td><th>h2</th></tr></thead>\
         <tbody><tr><td>a <b>b</b></td><td><p>c</p><p>d</p></td></tr><tr></tr>\
         <tr><th>e</th><td>f<br>g</td></tr></tbody></table>",
    );
    assert_eq!(
        cells(&t),
        [
            vec!["{TH:h1}", "{TH:h2}"],
            vec!["a {S:b}", "c\nd"],
            vec!["{TH:e}", "f\ng"],
        ]
    );
    assert_eq!(t.header_rows, 1, "the thead row; the empty row is dropped");
    assert!(t.rows[2].cells[0].header && !t.rows[2].cells[1].header);
}

#[test]
fn rows_of_th_only_at_the_top_are_header_rows() {
    let (_, t) =
        table_of("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><th>2</th></tr></table>");
    assert_eq!(t.header_rows, 1);
}

#[test]
fn spans_are_kept_clamped_and_zero_rowspan_means_to_the_end() {
    let (_, t) = table_of(
        "<table><tr><td colspan=2>a</td><td rowspan=0>b</td><td colspan=5000 rowspan=x>c</td></tr></table>",
    );
    let spans: Vec<(u16, u16)> = t.rows[0]
        .cells
        .iter()
        .map(|c| (c.colspan, c.rowspan))
        .collect();
    assert_eq!(spans, [(2, 1), (1, 0), (1000, 1)]);
}

#[test]
fn a_caption_comes_before_its_table_and_an_empty_table_is_dropped() {
    let d = doc(
        "<table><caption>Results</caption><tr><td>1</td></tr></table><table><tr><td> </td></tr></table><p>x</p>",
    );
    let got: Vec<(String, bool)> = d.blocks.iter().map(|b| (describe(b), b.tight)).collect();
    assert_eq!(
        got,
        [
            ("caption {D:Results}".into(), false),
            ("table 1 rows".into(), true),
            ("p x".into(), false),
        ]
    );
}

#[test]
fn a_table_inside_a_cell_is_flattened_into_its_text() {
    let (outline, t) = table_of(
        "<table><tr><td>out<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td><td>z</td></tr></table>",
    );
    assert_eq!(outline, ["table 1 rows"]);
    assert_eq!(cells(&t), [vec!["out\na | b\nc", "z"]]);
}

#[test]
fn cells_keep_their_direction_and_the_table_its_own() {
    let d = doc("<table dir=rtl lang=he><tr><td>א</td><td dir=ltr>b</td></tr></table>");
    let b = &d.blocks[0];
    assert_eq!((b.dir, b.lang.as_deref()), (Direction::Rtl, Some("he")));
    let Content::Table(t) = &b.content else {
        panic!("{b:?}")
    };
    let dirs: Vec<Direction> = t.rows[0].cells.iter().map(|c: &Cell| c.dir).collect();
    assert_eq!(dirs, [Direction::Rtl, Direction::Ltr]);
}

#[test]
fn a_figure_caption_goes_under_the_figure_tight() {
    let d = doc(
        "<p>before</p><figure><figcaption>A <b>cat</b></figcaption><img src=/c.jpg alt=\"a cat\"></figure>",
    );
    let got: Vec<(String, bool)> = d.blocks.iter().map(|b| (describe(b), b.tight)).collect();
    assert_eq!(
        got,
        [
            ("p before".into(), false),
            ("p ⟨{M:[image: a cat]}{N:[1]}⟩".into(), false),
            ("caption {D:A }{S:cat}".into(), true),
        ]
    );
    assert_eq!(d.links, ["https://example.org/c.jpg"]);
}

#[test]
fn images_show_their_alt_and_add_their_url_to_the_links() {
    let d = doc(
        "<p>a<img src=/1.png alt=one>b <img data-src=/2.png> <img src=\"data:image/png;base64,AA\" alt=inline> \
         <a href=/page><img src=/1.png></a></p>",
    );
    assert_eq!(
        outline_of(&d),
        [
            "p a ⟨{M:[image: one]}{N:[1]}⟩ b ⟨{M:[image]}{N:[2]}⟩ ⟨{M:[image: inline]}⟩ ⟨{M:[image]}{N:[1]}⟩{N:[3]}"
        ]
    );
    assert_eq!(
        d.links,
        [
            "https://example.org/1.png",
            "https://example.org/2.png",
            "https://example.org/page"
        ]
    );
}

fn outline_of(d: &crate::text::doc::Document) -> Vec<String> {
    d.blocks.iter().map(describe).collect()
}

#[test]
fn video_audio_and_frames_are_placeholders_with_their_urls_in_the_links() {
    let d = doc(
        "<p><iframe src=\"https://www.youtube.com/embed/x\" title=\"The talk\">no frames</iframe></p>\
         <p><iframe src=\"https://maps.example.com/m\"></iframe></p>\
         <video title=Clip poster=/p.jpg>Your browser cannot play this<source src=/v.mp4><source src=/v.webm></video>\
         <audio src=/a.mp3 aria-label=\"Episode 4\"></audio><video></video><iframe src=\"javascript:x\"></iframe>",
    );
    assert_eq!(
        outline_of(&d),
        [
            "p ⟨{M:[video: The talk]}{N:[1]}⟩",
            "p ⟨{M:[embed]}{N:[2]}⟩",
            "p ⟨{M:[video: Clip]}{N:[3]}⟩ ⟨{M:[audio: Episode 4]}{N:[5]}⟩",
        ]
    );
    assert_eq!(
        d.links,
        [
            "https://www.youtube.com/embed/x",
            "https://maps.example.com/m",
            "https://example.org/v.mp4",
            "https://example.org/v.webm",
            "https://example.org/a.mp3"
        ]
    );
}

#[test]
fn preformatted_text_keeps_its_indentation_and_loses_blank_lines_at_its_ends() {
    check(&[
        (
            "indented first line",
            "<pre>\n\n    x = 1\n  y\n\n</pre>",
            &["pre {C:    x = 1\n  y}"],
        ),
        (
            "inline roles inside",
            "<pre>a <b>b</b></pre>",
            &["pre {C:a }{S:b}"],
        ),
    ]);
}
