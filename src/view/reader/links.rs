//! The Links list at the end of an article: the article's own address (`o` opens it), then
//! every URL of the body by its number (`[n]` in the text; the keys `1`-`9`, or `#` and a
//! number, open them). Addresses are sanitized, credentials removed, always left to right.

use crate::model::Direction;
use crate::text::{self, TextOptions, sanitize};
use crate::view::line::{StyledLine, plain};
use crate::view::theme;

/// The label of the article's own link: the key that opens it.
pub const ARTICLE_LINK_LABEL: &str = "[o] ";

pub(super) fn links_lines(
    article_link: Option<&str>,
    links: &[String],
    width: usize,
    opts: &TextOptions,
) -> Vec<StyledLine> {
    let mut out = Vec::new();
    if links.is_empty() && article_link.is_none() {
        return out;
    }
    out.push(StyledLine::from_visual(plain("Links"), theme::heading()));
    let mut rows: Vec<(String, &str)> = Vec::new();
    if let Some(link) = article_link {
        rows.push((ARTICLE_LINK_LABEL.to_string(), link));
    }
    for (i, l) in links.iter().enumerate() {
        rows.push((format!("[{}] ", i + 1), l.as_str()));
    }
    // Labels line up: `[9] ` and `[10] ` start their addresses in one column.
    let label_w = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, url) in rows {
        let url = sanitize::redact_credentials(&sanitize::sanitize_url(url));
        let lines = text::layout_paragraph(
            &url,
            Direction::Ltr,
            false,
            width.saturating_sub(label_w).max(1),
            opts,
        );
        for (i, l) in lines.into_iter().enumerate() {
            let mut line = StyledLine::default();
            let shown = if i == 0 { label.as_str() } else { "" };
            line.push(plain(&format!("{shown:<label_w$}")), theme::dim());
            line.push(l, theme::link());
            out.push(line);
        }
    }
    out
}
