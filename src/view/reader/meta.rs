//! The reader's meta line under the title: feed · categories · author · date, each field
//! laid out on its own (nothing in one field pulls text across another); fields never split,
//! lines wrap between them.

use ratatui::style::Style;

use super::ArticleView;
use crate::clock::Zone;
use crate::model::Direction;
use crate::text::{self, TextOptions};
use crate::view::dates;
use crate::view::line::{StyledLine, compose};
use crate::view::theme;

const SEP: &str = " · ";
const SEP_WIDTH: usize = 3;

/// The meta lines (none when the article has nothing to say); `rtl`: the row reads right
/// to left (the title's direction).
pub(super) fn meta_lines(
    v: &ArticleView<'_>,
    lang: &str,
    rtl: bool,
    width: usize,
    opts: &TextOptions,
    zone: Zone,
) -> Vec<StyledLine> {
    let a = v.article;
    let lang_rtl = text::is_rtl_language(lang);
    let mut fields: Vec<(String, Style, Direction)> = Vec::new();
    if let Some(f) = v.feed {
        fields.push((f.name.clone(), theme::feed_name(), Direction::Auto));
    }
    if !a.categories().is_empty() {
        // The Arabic comma for Arabic-script languages only (Hebrew uses the Latin one).
        let comma = if rtl && arabic_script(lang) {
            "، "
        } else {
            ", "
        };
        fields.push((a.categories().join(comma), theme::meta(), Direction::Auto));
    }
    if let Some(author) = a.author().filter(|s| !s.trim().is_empty()) {
        fields.push((author.to_string(), theme::meta(), Direction::Auto));
    }
    if let Some(date) = a.published {
        fields.push((dates::long_date(date, zone), theme::meta(), Direction::Ltr));
    }
    let mut out = Vec::new();
    let mut row: Vec<(text::VisualLine, Style)> = Vec::new();
    let mut row_width = 0;
    for (s, style, dir) in fields {
        let l = text::layout_field(&s, dir, lang_rtl, width, opts);
        if l.width == 0 {
            continue;
        }
        if !row.is_empty() && row_width + SEP_WIDTH + l.width > width {
            out.push(compose(std::mem::take(&mut row), (SEP, theme::meta()), rtl));
            row_width = 0;
        }
        row_width += if row.is_empty() { 0 } else { SEP_WIDTH } + l.width;
        row.push((l, style));
    }
    if !row.is_empty() {
        out.push(compose(row, (SEP, theme::meta()), rtl));
    }
    out
}

fn arabic_script(lang: &str) -> bool {
    matches!(
        lang.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str(),
        "ar" | "fa" | "ur" | "ps" | "ckb" | "sd" | "ug"
    )
}
