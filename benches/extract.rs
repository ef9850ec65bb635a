//! Full-article extraction speed (issue 11 asks for under 20 ms on a 200 KB news page,
//! release): decode, parse, strip chrome, Readability and metadata, as `extract` does them.

use std::hint::black_box;

use akhbar::extract::extract;
use akhbar::feed::Page;
use criterion::{Criterion, criterion_group, criterion_main};

const ARTICLE_PAGE: &str = include_str!("../tests/fixtures/pages/ar-article.html");

/// The Arabic test page grown to `target` bytes the way big news pages are: an inline style
/// sheet and state script, an icon sprite, a mega menu, long related and most-read lists,
/// comments and a footer of links.
fn news_page(target: usize) -> Page {
    let mut style = String::from("<style>");
    let mut script = String::from("<script>window.__STATE__={\"items\":[");
    let mut sprite = String::from("<svg style=\"display:none\">");
    let mut menu = String::new();
    let mut lists = String::new();
    let mut comments = String::new();
    let mut footer = String::from("<div class=\"footer-links\">");
    let mut i = 0;
    let size =
        |parts: &[&String]| ARTICLE_PAGE.len() + parts.iter().map(|p| p.len()).sum::<usize>();
    while size(&[&style, &script, &sprite, &menu, &lists, &comments, &footer]) < target {
        style.push_str(&format!(
            ".c{i} .title{{font-size:{}px;margin:0 0 {}px;color:#1a1a{:02x}}}\n",
            12 + i % 9,
            i % 17,
            i % 256
        ));
        script.push_str(&format!(
            "{{\"id\":{i},\"title\":\"عنوان الخبر رقم {i} في قسم المحليات\",\"views\":{}}},",
            i * 37
        ));
        sprite.push_str(&format!(
            "<symbol id=\"i{i}\" viewBox=\"0 0 24 24\"><path d=\"M{} 2l7 7-7 7z\"/></symbol>",
            i % 24
        ));
        menu.push_str(&format!(
            "<li><a href=\"/section/{i}\">قسم فرعي {i}</a></li>"
        ));
        lists.push_str(&format!(
            "<li><a href=\"/local/story-{i}\"><img src=\"/thumbs/{i}.jpg\" alt=\"\">\
             خبر ذو صلة رقم {i} عن المياه والطاقة</a></li>"
        ));
        if i % 3 == 0 {
            comments.push_str(&format!(
                "<div class=\"comment\"><span class=\"comment-author\">قارئ {i}</span>\
                 <p>تعليق رقم {i}: شكراً على هذا التقرير المفصل، نرجو متابعة الموضوع \
                 ونشر نتائج دراسة الأثر البيئي عندما تصدر.</p></div>"
            ));
        }
        footer.push_str(&format!("<a href=\"/page/{i}\">صفحة {i}</a> "));
        i += 1;
    }
    style.push_str("</style>");
    script.push_str("{}]};</script>");
    sprite.push_str("</svg>");
    footer.push_str("</div>");
    let html = ARTICLE_PAGE
        .replacen("</head>", &format!("{style}{script}</head>"), 1)
        .replacen(
            "<body class=\"page-article\">",
            &format!("<body class=\"page-article\">{sprite}"),
            1,
        )
        .replacen(
            "<li><a href=\"/misc\">",
            &format!("{menu}<li><a href=\"/misc\">"),
            1,
        )
        .replacen(
            "<li><a href=\"/economy/water-plan\">",
            &format!("{lists}<li><a href=\"/economy/water-plan\">"),
            1,
        )
        .replacen(
            "<form class=\"comment-form\">",
            &format!("{comments}<form class=\"comment-form\">"),
            1,
        )
        .replacen("</footer>", &format!("{footer}</footer>"), 1);
    Page {
        url: "https://alwaha.example/local/2026/11/29/desal-plant".to_string(),
        content_type: Some("text/html; charset=utf-8".to_string()),
        body: html.into_bytes().into(),
    }
}

fn bench(c: &mut Criterion) {
    for (name, target) in [("200kb", 200_000), ("2mb", 2_000_000)] {
        let page = news_page(target);
        let article = extract(&page).expect("the bench page has its article");
        assert!(article.html.contains("أنابيب التصريف") && !article.html.contains("قارئ"));
        eprintln!(
            "news page {name}: {} bytes, {} bytes of article",
            page.body.len(),
            article.html.len()
        );
        let mut group = c.benchmark_group("extract");
        if target > 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function(format!("news_page_{name}"), |b| {
            b.iter(|| extract(black_box(&page)))
        });
        // Where the time goes: the HTML parse alone (dom_query on html5ever).
        let text = String::from_utf8(page.body.to_vec()).expect("UTF-8");
        group.bench_function(format!("parse_only_{name}"), |b| {
            b.iter(|| dom_query::Document::from(black_box(text.as_str())))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
