//! Layout speed: a 50 KB Arabic article (issue 3 asks for under 5 ms at width 100, release).

use std::hint::black_box;

use akhbar::model::Direction;
use akhbar::text::html::parse_html;
use akhbar::text::layout::{LayoutContext, layout_document};
use akhbar::text::{TextOptions, layout_paragraph};
use criterion::{Criterion, criterion_group, criterion_main};

const WORDS: &[&str] = &[
    "قال",
    "الرئيس",
    "في",
    "مؤتمر",
    "صحفي",
    "اليوم",
    "إن",
    "الحكومة",
    "ستعلن",
    "عن",
    "خطة",
    "جديدة",
    "للاقتصاد",
    "بقيمة",
    "1,250",
    "مليون",
    "دولار",
    "(حتى",
    "عام",
    "2030)",
    "وأضافت",
    "المصادر",
    "أن",
    "السلام",
    "لا",
    "يزال",
    "ممكنا",
    "بِسْمِ",
    "اللَّهِ",
    "Reuters",
    "«عاجل»",
    "14:30",
    "5%",
    "https://example.com/news?id=42",
];

/// About 50 KB of Arabic news text in paragraphs of about 100 words.
fn article() -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut total = 0;
    let mut seed = 7usize;
    while total < 50_000 {
        let mut p = String::new();
        for i in 0..100 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 2_147_483_648;
            if i > 0 {
                p.push(' ');
            }
            p.push_str(WORDS[seed % WORDS.len()]);
        }
        p.push('.');
        total += p.len();
        paragraphs.push(p);
    }
    paragraphs
}

/// The same article as HTML, the way news feeds send it: paragraphs with bold words and links,
/// a quotation and a list every few paragraphs.
fn article_html() -> String {
    let mut html = String::new();
    for (i, p) in article().iter().enumerate() {
        let words: Vec<&str> = p.split(' ').collect();
        let (a, rest) = words.split_at(words.len().min(5));
        let (b, c) = rest.split_at(rest.len().min(3));
        let body = format!(
            "<strong>{}</strong> <a href=\"/news/{i}\">{}</a> {}",
            a.join(" "),
            b.join(" "),
            c.join(" ")
        );
        match i % 6 {
            2 => html.push_str(&format!("<blockquote><p>{body}</p></blockquote>\n")),
            4 => html.push_str(&format!(
                "<ul><li>{}</li><li>{}</li></ul><p>{body}</p>\n",
                a.join(" "),
                b.join(" ")
            )),
            _ => html.push_str(&format!("<p>{body}</p>\n")),
        }
    }
    html
}

fn layout(c: &mut Criterion) {
    let opts = TextOptions::default();
    let paragraphs = article();
    c.bench_function("arabic_article_50kb_width_100", |b| {
        b.iter(|| {
            let mut lines = 0;
            for p in &paragraphs {
                lines += layout_paragraph(black_box(p), Direction::Auto, true, 100, &opts).len();
            }
            lines
        })
    });
    let html = article_html();
    // The document model and its layout (roles, list markers, quote bars): what the reader
    // does.
    let ctx = LayoutContext {
        dir: Direction::Auto,
        fallback_rtl: true,
        opts,
    };
    c.bench_function("arabic_html_article_50kb_document_width_100", |b| {
        b.iter(|| {
            let doc = parse_html(black_box(&html), Some("https://example.org/"));
            layout_document(&doc, 98, &ctx).len()
        })
    });
    let doc = parse_html(&html, Some("https://example.org/"));
    c.bench_function(
        "arabic_html_article_50kb_document_layout_only_width_100",
        |b| b.iter(|| layout_document(black_box(&doc), 98, &ctx).len()),
    );
    c.bench_function("arabic_html_article_50kb_parse_only", |b| {
        b.iter(|| {
            parse_html(black_box(&html), Some("https://example.org/"))
                .blocks
                .len()
        })
    });
    let one = paragraphs.join(" ");
    c.bench_function("arabic_single_paragraph_50kb_width_100", |b| {
        b.iter(|| layout_paragraph(black_box(&one), Direction::Auto, true, 100, &opts).len())
    });
}

criterion_group!(benches, layout);
criterion_main!(benches);
