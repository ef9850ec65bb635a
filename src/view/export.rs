//! An article as a file (`S`) or as text for a command (`|`), issue 11: the title, the meta
//! line (feed · categories · author · date), the body from the same document the reader lays
//! out (paragraphs, lists, quotes, headings, code, tables) and the numbered links, as
//! Markdown or plain text. Text stays in logical order, bidi marks as the article has them;
//! no control character but the line feed reaches the output. Also the file name a title
//! gives.

use crate::clock::Zone;
use crate::model::Article;
use crate::store::Feed;
use crate::text::doc::{Block, Content, Document, Marker, Nest, Role, StyledText, Table};
use crate::text::sanitize;

/// How `S` writes an article (`save_format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SaveFormat {
    #[default]
    Markdown,
    Text,
}

impl SaveFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            SaveFormat::Markdown => "md",
            SaveFormat::Text => "txt",
        }
    }
}

/// File names are cut to this many bytes before the extension (file systems allow 255;
/// `-99` and the extension must fit).
const NAME_BYTES: usize = 120;

/// The file name (without extension) an article's title gives: no `/` or `\`, no control or
/// bidi formatting characters, no leading dot, spaces collapsed, at most [`NAME_BYTES`] bytes
/// cut on a character boundary; letters of every script kept. An empty result is "article".
pub fn file_stem(title: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in title.chars() {
        let c = match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if sanitize::is_c0_c1(c) || sanitize::is_bidi_control(c) || c == '\u{FEFF}' {
            continue;
        }
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if out.is_empty() && c == '.' {
            continue;
        }
        if space {
            if out.len() + 1 + c.len_utf8() > NAME_BYTES {
                break;
            }
            out.push(' ');
            space = false;
        }
        if out.len() + c.len_utf8() > NAME_BYTES {
            break;
        }
        out.push(c);
    }
    let trimmed = out.trim_end_matches(['.', ' ', '-']);
    if trimmed.is_empty() {
        "article".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The article as `format`: title, meta line, body, links. `doc` is the body's document
/// (the full text's when the reader shows it).
pub fn export_article(
    a: &Article,
    feed: Option<&Feed>,
    doc: &Document,
    zone: Zone,
    format: SaveFormat,
) -> String {
    let meta = meta_line(a, feed, zone);
    export_parts(a.title(), &meta, a.link(), doc, format)
}

/// The export of a title, a meta line, the article's own link and its body.
fn export_parts(
    title: &str,
    meta: &str,
    link: Option<&str>,
    doc: &Document,
    format: SaveFormat,
) -> String {
    let md = format == SaveFormat::Markdown;
    let mut out = String::new();
    let title = sanitize::sanitize_inline(title);
    if md {
        out.push_str(&format!("# {}\n", escape(&title)));
    } else {
        out.push_str(&title);
        out.push('\n');
    }
    if !meta.is_empty() {
        out.push('\n');
        out.push_str(&if md { escape(meta) } else { meta.to_string() });
        out.push('\n');
    }
    let mut prev: Option<&Block> = None;
    for b in &doc.blocks {
        if prev.is_none() || !b.tight {
            // Between two blocks of one quote the blank line is part of the quote.
            let shared = prev.map_or(0, |p| {
                p.nest
                    .iter()
                    .zip(&b.nest)
                    .take_while(|(x, y)| x == y)
                    .count()
            });
            out.push_str(quote_prefix(&b.nest[..shared]).trim_end());
            out.push('\n');
        }
        prev = Some(b);
        block(b, md, &mut out);
    }
    let mut rows: Vec<(String, &str)> = Vec::new();
    if let Some(link) = link {
        rows.push(("[o]".into(), link));
    }
    for (i, l) in doc.links.iter().enumerate() {
        rows.push((format!("[{}]", i + 1), l));
    }
    if !rows.is_empty() {
        out.push_str(if md { "\n## Links\n\n" } else { "\nLinks\n" });
        for (label, url) in rows {
            let url = sanitize::redact_credentials(&sanitize::sanitize_url(url));
            if md {
                out.push_str(&format!("- {label} <{url}>\n"));
            } else {
                out.push_str(&format!("{label} {url}\n"));
            }
        }
    }
    // Belt and braces: the document is sanitized, but nothing that could drive a terminal
    // that prints the file may pass.
    out.retain(|c| c == '\n' || !(sanitize::is_c0_c1(c) || sanitize::is_override_control(c)));
    out
}

/// Feed · categories · author · date, in the reader's order.
fn meta_line(a: &Article, feed: Option<&Feed>, zone: Zone) -> String {
    let mut fields: Vec<String> = Vec::new();
    if let Some(f) = feed {
        fields.push(sanitize::sanitize_inline(&f.name));
    }
    if !a.categories().is_empty() {
        fields.push(sanitize::sanitize_inline(&a.categories().join(", ")));
    }
    if let Some(author) = a.author().filter(|s| !s.trim().is_empty()) {
        fields.push(sanitize::sanitize_inline(author));
    }
    if let Some(date) = a.published {
        fields.push(super::dates::long_date(date, zone));
    }
    fields.retain(|f| !f.is_empty());
    fields.join(" · ")
}

/// `> ` for each quote around a block (Markdown and plain text alike: mail quotes).
fn quote_prefix(nest: &[Nest]) -> String {
    let mut p = String::new();
    for n in nest {
        match n {
            Nest::Quote => p.push_str("> "),
            Nest::List(_) => p.push_str("   "),
        }
    }
    // Only up to the last quote: what follows is list indentation.
    match p.rfind("> ") {
        Some(i) => p[..i + 2].to_string(),
        None => String::new(),
    }
}

/// The prefix of a block's first line and of the lines after it.
fn prefixes(b: &Block, md: bool) -> (String, String) {
    let innermost_list = b.nest.iter().rposition(|n| matches!(n, Nest::List(_)));
    let (mut first, mut rest) = (String::new(), String::new());
    for (i, n) in b.nest.iter().enumerate() {
        match n {
            Nest::Quote => {
                first.push_str("> ");
                rest.push_str("> ");
            }
            Nest::List(_) if Some(i) == innermost_list => {
                let marker = match b.marker {
                    Some(Marker::Bullet) => if md { "- " } else { "• " }.to_string(),
                    Some(Marker::Number(n)) => format!("{n}. "),
                    None => String::new(),
                };
                let w = if marker.is_empty() {
                    3
                } else {
                    marker.chars().count()
                };
                first.push_str(if marker.is_empty() { "   " } else { &marker });
                rest.push_str(&" ".repeat(w));
            }
            Nest::List(_) => {
                first.push_str("   ");
                rest.push_str("   ");
            }
        }
    }
    (first, rest)
}

fn block(b: &Block, md: bool, out: &mut String) {
    let (first, rest) = prefixes(b, md);
    let lines: Vec<String> = match &b.content {
        Content::Paragraph(t) => {
            let text = inline(t, md);
            let text = if md { not_a_list(text) } else { text };
            // A line break inside a paragraph: Markdown's hard break is a trailing backslash.
            let parts: Vec<&str> = text.split('\n').collect();
            let n = parts.len();
            parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| {
                    if md && i + 1 < n {
                        format!("{p}\\")
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        }
        Content::Heading(level, t) => {
            let text = inline(t, md).replace('\n', " ");
            if md {
                vec![format!(
                    "{} {text}",
                    "#".repeat(usize::from(*level).clamp(1, 6))
                )]
            } else {
                vec![text]
            }
        }
        Content::Caption(t) => {
            let text = inline(t, md).replace('\n', " ");
            vec![if md && !text.is_empty() {
                format!("*{text}*")
            } else {
                text
            }]
        }
        Content::Preformatted(t) => {
            let mut v: Vec<String> = Vec::new();
            if md {
                v.push("```".into());
            }
            v.extend(t.as_str().split('\n').map(str::to_string));
            if md {
                v.push("```".into());
            }
            v
        }
        Content::Rule => vec![if md { "---".into() } else { "----".into() }],
        Content::Table(t) => table(t, md),
    };
    for (i, l) in lines.iter().enumerate() {
        out.push_str(if i == 0 { &first } else { &rest });
        out.push_str(l);
        out.push('\n');
    }
}

fn table(t: &Table, md: bool) -> Vec<String> {
    let cols = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut lines = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let mut cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| {
                let s = inline(&c.text, md).replace('\n', " ");
                if md { s.replace('|', "\\|") } else { s }
            })
            .collect();
        cells.resize(cols, String::new());
        if md {
            lines.push(format!("| {} |", cells.join(" | ")));
            // Markdown tables need a header row: the first row is one.
            if i == 0 {
                lines.push(format!("|{}", " --- |".repeat(cols.max(1))));
            }
        } else {
            lines.push(cells.join(" | "));
        }
    }
    lines
}

/// A run of text with its inline marks (Markdown) or as it is (plain text).
fn inline(t: &StyledText, md: bool) -> String {
    if !md {
        return t.as_str().to_string();
    }
    let mut out = String::new();
    for (range, role) in t.runs() {
        let s = &t.as_str()[range];
        let (lead, body, trail) = split_spaces(s);
        let mark = match role {
            Role::Strong => "**",
            Role::Emphasis => "*",
            Role::Code => "`",
            _ => "",
        };
        out.push_str(lead);
        if body.is_empty() {
        } else if mark == "`" {
            out.push_str(&format!("`{}`", body.replace('`', "'")));
        } else if mark.is_empty() {
            out.push_str(&escape(body));
        } else {
            out.push_str(&format!("{mark}{}{mark}", escape(body)));
        }
        out.push_str(trail);
    }
    out
}

/// Leading spaces, the text, trailing spaces (Markdown marks must touch the text).
fn split_spaces(s: &str) -> (&str, &str, &str) {
    let body = s.trim_matches(' ');
    let lead = s.len() - s.trim_start_matches(' ').len();
    let trail = s.len() - s.trim_end_matches(' ').len();
    if body.is_empty() {
        return (s, "", "");
    }
    (&s[..lead], body, &s[s.len() - trail..])
}

/// A paragraph that begins like a list item (`- `, `+ `, `1995. `, `3) `) made not to.
fn not_a_list(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text.get(digits..).unwrap_or("");
    let bullet = digits == 0 && (text.starts_with("- ") || text.starts_with("+ "));
    let number = digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "));
    if bullet {
        format!("\\{text}")
    } else if number {
        format!("{}\\{rest}", text.get(..digits).unwrap_or(""))
    } else {
        text
    }
}

/// Markdown's emphasis and code characters, and a leading `#` or `>`, escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if matches!(c, '\\' | '*' | '_' | '`') || (i == 0 && matches!(c, '#' | '>')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_makes_a_safe_file_name() {
        assert_eq!(file_stem("a/b\\c: d?"), "a-b-c- d");
        assert_eq!(file_stem("..hidden"), "hidden");
        assert_eq!(
            file_stem("  \u{1b}[31mred  \t title\u{202E} "),
            "[31mred title"
        );
        assert_eq!(file_stem("قال الوزير"), "قال الوزير");
        assert_eq!(file_stem("\u{200F}"), "article");
        assert_eq!(file_stem("..."), "article");
        let long = "ب".repeat(200);
        let stem = file_stem(&long);
        assert!(stem.len() <= NAME_BYTES && stem.chars().all(|c| c == 'ب'));
        assert_eq!(stem.chars().count(), NAME_BYTES / 2);
    }

    fn body(html: &str, format: SaveFormat) -> String {
        let doc = crate::text::html::parse_html(html, None);
        let out = export_parts("T", "", None, &doc, format);
        out.strip_prefix(if format == SaveFormat::Markdown {
            "# T\n"
        } else {
            "T\n"
        })
        .unwrap()
        .to_string()
    }

    #[test]
    fn tables_and_rules_in_both_formats() {
        let html = "<table><tr><th>Name</th><th>a|b</th></tr><tr><td>x</td><td>y</td></tr>\
                    </table><hr><h3>*Three*</h3>";
        assert_eq!(
            body(html, SaveFormat::Markdown),
            "\n| Name | a\\|b |\n| --- | --- |\n| x | y |\n\n---\n\n### \\*Three\\*\n"
        );
        assert_eq!(
            body(html, SaveFormat::Text),
            "\nName | a|b\nx | y\n\n----\n\n*Three*\n"
        );
    }

    #[test]
    fn a_paragraph_that_looks_like_a_list_item_stays_a_paragraph() {
        assert_eq!(
            body("<p>1995. A good year.</p>", SaveFormat::Markdown),
            "\n1995\\. A good year.\n"
        );
        assert_eq!(
            body("<p>- not a list</p>", SaveFormat::Markdown),
            "\n\\- not a list\n"
        );
        assert_eq!(
            body("<p>1995 was good.</p>", SaveFormat::Markdown),
            "\n1995 was good.\n"
        );
        assert_eq!(
            body("<p>1995. A good year.</p>", SaveFormat::Text),
            "\n1995. A good year.\n"
        );
    }

    #[test]
    fn markdown_marks_touch_their_text() {
        let t = StyledText::from_runs([
            ("a ", Role::Text),
            ("bold ", Role::Strong),
            ("x*y", Role::Text),
            ("f()", Role::Code),
        ]);
        assert_eq!(inline(&t, true), "a **bold** x\\*y`f()`");
        assert_eq!(inline(&t, false), "a bold x*yf()");
    }
}
