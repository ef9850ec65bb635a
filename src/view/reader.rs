//! The article reader's layout: title, a meta line (feed · category · author · date), the
//! body paragraphs wrapped to the width, and the numbered links. Laid out once per
//! (article, width, options) in a job off the render loop; the view copies visible rows.

use ratatui::style::Style;

use super::dates;
use super::line::{StyledLine, compose, plain};
use super::theme;
use crate::clock::Zone;
use crate::model::{Article, Direction};
use crate::store::Feed;
use crate::text::html::{BlockKind, html_to_document};
use crate::text::{self, TextOptions, sanitize};

/// One row of a laid-out article.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderLine {
    pub line: StyledLine,
    /// Cells of indentation on the start side (quotes, list items).
    pub indent: u16,
}

fn blank() -> ReaderLine {
    ReaderLine {
        line: StyledLine::default(),
        indent: 0,
    }
}

/// Lays an article out for `width` columns of text.
pub fn layout_article(
    a: &Article,
    feed: Option<&Feed>,
    width: usize,
    opts: &TextOptions,
    zone: Zone,
) -> Vec<ReaderLine> {
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let feed_dir = feed.map_or(Direction::Auto, |f| f.direction);
    let lang = a
        .language
        .as_deref()
        .or(feed.and_then(|f| f.language.as_deref()))
        .unwrap_or("");
    let lang_rtl = text::is_rtl_language(lang);

    let title_rtl = text::is_rtl_paragraph(&a.title, feed_dir, lang_rtl);
    for l in text::layout_paragraph(&a.title, feed_dir, lang_rtl, width, opts) {
        out.push(ReaderLine {
            line: StyledLine::from_visual(l, theme::title()),
            indent: 0,
        });
    }

    // Meta line: each field laid out on its own; fields never split, lines wrap between them.
    let mut fields: Vec<(String, Style, Direction)> = Vec::new();
    if let Some(f) = feed {
        fields.push((f.name.clone(), theme::feed_name(), Direction::Auto));
    }
    if !a.categories.is_empty() {
        // The Arabic comma for Arabic-script languages only (Hebrew uses the Latin one).
        let arabic_script = matches!(
            lang.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
                .as_str(),
            "ar" | "fa" | "ur" | "ps" | "ckb" | "sd" | "ug"
        );
        let comma = if title_rtl && arabic_script {
            "، "
        } else {
            ", "
        };
        fields.push((a.categories.join(comma), theme::meta(), Direction::Auto));
    }
    if let Some(author) = a.author.as_deref().filter(|s| !s.is_empty()) {
        fields.push((author.to_string(), theme::meta(), Direction::Auto));
    }
    if let Some(date) = a.published {
        fields.push((dates::long_date(date, zone), theme::meta(), Direction::Ltr));
    }
    let sep = " · ";
    let mut row: Vec<(text::VisualLine, Style)> = Vec::new();
    let mut row_width = 0;
    for (s, style, dir) in fields {
        let l = text::layout_field(&s, dir, lang_rtl, width, opts);
        const SEP_WIDTH: usize = 3;
        if !row.is_empty() && row_width + SEP_WIDTH + l.width > width {
            let line = compose(std::mem::take(&mut row), (sep, theme::meta()), title_rtl);
            out.push(ReaderLine { line, indent: 0 });
            row_width = 0;
        }
        row_width += if row.is_empty() { 0 } else { SEP_WIDTH } + l.width;
        row.push((l, style));
    }
    if !row.is_empty() {
        out.push(ReaderLine {
            line: compose(row, (sep, theme::meta()), title_rtl),
            indent: 0,
        });
    }
    out.push(blank());

    let body = a
        .content_html
        .as_deref()
        .or(a.summary_html.as_deref())
        .unwrap_or("");
    let doc = html_to_document(body, a.link.as_deref());
    for (i, block) in doc.blocks.iter().enumerate() {
        let (style, indent) = match block.kind {
            BlockKind::Paragraph => (Style::default(), 0),
            BlockKind::Heading => (theme::heading(), 0),
            BlockKind::Quote => (theme::quote(), 2),
            BlockKind::ListItem => (Style::default(), 2),
            BlockKind::Preformatted => (Style::default(), 0),
        };
        // The feed's configured direction wins, then the HTML's, then the text's own.
        let dir = if feed_dir != Direction::Auto {
            feed_dir
        } else {
            block.dir
        };
        let block_rtl = block
            .lang
            .as_deref()
            .map_or(lang_rtl, text::is_rtl_language);
        let w = width.saturating_sub(indent as usize).max(1);
        for l in text::layout_paragraph(&block.text, dir, block_rtl, w, opts) {
            out.push(ReaderLine {
                line: StyledLine::from_visual(l, style),
                indent,
            });
        }
        // Items of one list stay together; every other block is followed by a blank line.
        let next_is_item = doc
            .blocks
            .get(i + 1)
            .is_some_and(|b| b.kind == BlockKind::ListItem);
        if !(block.kind == BlockKind::ListItem && next_is_item) {
            out.push(blank());
        }
    }

    if !doc.links.is_empty() || a.link.is_some() {
        out.push(ReaderLine {
            line: StyledLine::from_visual(plain("Links"), theme::heading()),
            indent: 0,
        });
        let mut links: Vec<(String, &str)> = Vec::new();
        if let Some(link) = a.link.as_deref() {
            links.push(("[0] ".to_string(), link));
        }
        for (i, l) in doc.links.iter().enumerate() {
            links.push((format!("[{}] ", i + 1), l.as_str()));
        }
        for (label, url) in links {
            let url = sanitize::redact_credentials(&sanitize::sanitize_url(url));
            let label_w = label.len();
            let lines = text::layout_paragraph(
                &url,
                Direction::Ltr,
                false,
                width.saturating_sub(label_w).max(1),
                opts,
            );
            for (i, l) in lines.into_iter().enumerate() {
                let mut line = StyledLine::default();
                line.push(plain(if i == 0 { &label } else { "" }), theme::dim());
                if i > 0 {
                    line.push(plain(&" ".repeat(label_w)), theme::dim());
                }
                line.push(l, theme::link());
                out.push(ReaderLine { line, indent: 0 });
            }
        }
    }
    while out.last().is_some_and(|l| l.line.width == 0) {
        out.pop();
    }
    out
}

/// A one-line message in place of an article.
pub fn message_lines(msg: &str) -> Vec<ReaderLine> {
    vec![ReaderLine {
        line: StyledLine::from_visual(plain(msg), theme::error()),
        indent: 0,
    }]
}
