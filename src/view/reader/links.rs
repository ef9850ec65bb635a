//! The Links list at the end of an article: the article's own address (`o` opens it), then
//! every URL of the body by its number (`[n]` in the text; the keys `1`-`9`, or `#` and a
//! number, open them). Addresses are sanitized, credentials removed, always left to right.

use crate::model::Direction;
use crate::text::doc::Role;
use crate::text::layout::Span;
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
        let url_target = url;
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
            line.push_link(l, theme::link(), url_target);
            out.push(line);
        }
    }
    out
}

/// Which link each span of a body line belongs to, as an index into the document's links:
/// each `[n]` marker is link `n`, and the link text touching it on the line (one unbroken
/// group of link text and markers with only that one number) is too. Link text without its
/// marker on the line (cut off by a line break) or in a group of several numbers is left
/// without: no guess that could point at the wrong address.
pub(super) fn span_links(spans: &[Span]) -> Vec<Option<usize>> {
    let number = |s: &Span| -> Option<usize> {
        let t = s.text.text.trim();
        t.strip_prefix('[')?
            .strip_suffix(']')?
            .parse::<usize>()
            .ok()?
            .checked_sub(1)
    };
    let mut out: Vec<Option<usize>> = spans
        .iter()
        .map(|s| match s.role {
            Role::LinkNumber => number(s),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < spans.len() {
        if !matches!(spans[i].role, Role::Link | Role::LinkNumber) {
            i += 1;
            continue;
        }
        let start = i;
        while i < spans.len() && matches!(spans[i].role, Role::Link | Role::LinkNumber) {
            i += 1;
        }
        let mut numbers: Vec<usize> = out[start..i].iter().flatten().copied().collect();
        numbers.dedup();
        if let [n] = numbers[..] {
            for slot in &mut out[start..i] {
                *slot = Some(n);
            }
        }
    }
    out
}
