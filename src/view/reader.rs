//! The article reader's layout: title, a meta line (feed · category · author · date), the
//! body as the HTML was written (the document model laid out by `text::layout`, each style
//! role drawn through `theme::role`), and the numbered links. Laid out once per
//! (article, width, options) in a job off the render loop; the view copies visible rows.

mod enclosures;
mod links;
mod meta;

pub use enclosures::{ENCLOSURES_HEADING, file_name};

use super::line::{StyledLine, plain};
use super::theme;
use crate::clock::Zone;
use crate::model::{Article, ArticleFields, Direction, FullText};
use crate::store::Feed;
use crate::text::doc::{Document, Role, StyledText};
use crate::text::fold::FoldOptions;
use crate::text::highlight;
use crate::text::html::parse_html;
use crate::text::layout::{DocLine, LayoutContext, layout_document, layout_styled};
use crate::text::{self, TextOptions};

/// One row of a laid-out article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReaderLine {
    pub line: StyledLine,
    /// The line holds a search match (`n`/`N` in the reader move between these).
    pub matched: bool,
}

impl ReaderLine {
    fn blank() -> ReaderLine {
        ReaderLine::default()
    }

    /// A line without a search match.
    pub fn plain(line: StyledLine) -> ReaderLine {
        ReaderLine {
            line,
            matched: false,
        }
    }

    /// A line of the document, each span in the style of its role; link text and `[n]`
    /// markers carry their address from `links` (see `links::span_links`).
    fn from_doc(line: DocLine, links: &[String]) -> ReaderLine {
        let mut out = StyledLine {
            rtl: line.rtl,
            ..StyledLine::default()
        };
        let matched = line.spans.iter().any(|s| s.role == Role::Match);
        let targets = links::span_links(&line.spans);
        for (span, target) in line.spans.into_iter().zip(targets) {
            match target.and_then(|n| links.get(n)) {
                Some(url) => out.push_link(span.text, theme::role(span.role), url),
                None => out.push(span.text, theme::role(span.role)),
            }
        }
        ReaderLine { line: out, matched }
    }
}

/// What the reader shows of an article, besides the article itself.
#[derive(Clone, Copy, Debug)]
pub struct ArticleView<'a> {
    pub article: &'a Article,
    pub feed: Option<&'a Feed>,
}

/// The body's document: the article's content, else its summary, links resolved against
/// its address.
pub fn article_document(a: &Article) -> Document {
    let body = a.content_html().or(a.summary_html()).unwrap_or("");
    parse_html(body, a.link())
}

/// The article as its full text shows it: the page's article as the body, and what the
/// page says where the feed said nothing (author, date, language).
pub fn with_full_text(a: &Article, full: &FullText) -> Article {
    let f = a.fields();
    Article::from(ArticleFields {
        summary_html: None,
        content_html: Some(full.html.clone()),
        author: f.author.or_else(|| full.author.clone()),
        published: f.published.or(full.published),
        language: f.language.or_else(|| full.language.clone()),
        ..f
    })
}

/// Lays an article out for `width` columns of text.
pub fn layout_article(
    a: &Article,
    feed: Option<&Feed>,
    width: usize,
    opts: &TextOptions,
    zone: Zone,
) -> Vec<ReaderLine> {
    layout_article_marked(a, feed, width, opts, zone, None)
}

/// Lays an article out with the words of a search `query` (if any) marked in its body as
/// [`Role::Match`] before layout, so the highlight follows shaping and bidi reordering
/// grapheme by grapheme (`text::highlight`); the lines holding one are `matched`.
pub fn layout_article_marked(
    a: &Article,
    feed: Option<&Feed>,
    width: usize,
    opts: &TextOptions,
    zone: Zone,
    query: Option<&str>,
) -> Vec<ReaderLine> {
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let feed_dir = feed.map_or(Direction::Auto, |f| f.direction);
    let lang = a
        .language()
        .or(feed.and_then(|f| f.language.as_deref()))
        .unwrap_or("");
    let lang_rtl = text::is_rtl_language(lang);

    let title_rtl = text::is_rtl_paragraph(a.title(), feed_dir, lang_rtl);
    let mut title = StyledText::new(a.title(), Role::Text);
    match query.map(|q| highlight::mark_text(&mut title, q, FoldOptions::default())) {
        // A match in the title: laid out by roles, so the highlight follows its word.
        Some(n) if n > 0 => {
            for l in layout_styled(&title, feed_dir, lang_rtl, width, opts) {
                let mut line = StyledLine {
                    rtl: l.rtl,
                    ..StyledLine::default()
                };
                let matched = l.spans.iter().any(|s| s.role == Role::Match);
                for span in l.spans {
                    let style = match span.role {
                        Role::Match => theme::search_match(),
                        _ => theme::title(),
                    };
                    line.push(span.text, style);
                }
                out.push(ReaderLine { line, matched });
            }
        }
        _ => {
            for l in text::layout_paragraph(a.title(), feed_dir, lang_rtl, width, opts) {
                out.push(ReaderLine::plain(StyledLine::from_visual(
                    l,
                    theme::title(),
                )));
            }
        }
    }
    let view = ArticleView { article: a, feed };
    out.extend(
        meta::meta_lines(&view, lang, title_rtl, width, opts, zone)
            .into_iter()
            .map(ReaderLine::plain),
    );
    out.push(ReaderLine::blank());

    let mut doc = article_document(a);
    if let Some(q) = query {
        highlight::mark_matches(&mut doc, q, FoldOptions::default());
    }
    let ctx = LayoutContext {
        dir: feed_dir,
        fallback_rtl: lang_rtl,
        opts: *opts,
    };
    out.extend(
        layout_document(&doc, width, &ctx)
            .into_iter()
            .map(|l| ReaderLine::from_doc(l, &doc.links)),
    );
    out.push(ReaderLine::blank());
    let media = enclosures::enclosure_lines(a.enclosures(), width, opts);
    if !media.is_empty() {
        out.extend(media.into_iter().map(ReaderLine::plain));
        out.push(ReaderLine::blank());
    }
    out.extend(
        links::links_lines(a.link(), &doc.links, width, opts)
            .into_iter()
            .map(ReaderLine::plain),
    );
    while out.last().is_some_and(|l| l.line.width == 0) {
        out.pop();
    }
    out
}

/// Where the reader is in an article, for the status line: the last row on screen of all
/// the rows and how far that is ("22/80 27%"); "…" before the layout is there.
pub fn reader_position(scroll: usize, page: usize, total: usize) -> String {
    if total == 0 {
        return "…".into();
    }
    let last = scroll.saturating_add(page.max(1)).min(total);
    format!("{last}/{total} {}%", last * 100 / total)
}

/// The article's state for the status line: "★ unread", "read".
pub fn reader_state(read: bool, starred: bool) -> String {
    let state = if read { "read" } else { "unread" };
    if starred {
        format!("★ {state}")
    } else {
        state.to_string()
    }
}

/// A one-line message in place of an article.
pub fn message_lines(msg: &str) -> Vec<ReaderLine> {
    vec![ReaderLine::plain(StyledLine::from_visual(
        plain(msg),
        theme::error(),
    ))]
}
