//! Feed-list exchange: OPML and newsboat `urls` files in, OPML 2.0 out. An import never
//! yields a feed that runs a command: `exec:`, `filter:`, `|command` and every scheme other
//! than http, https and file are refused with a reason.

use quick_xml::XmlVersion;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};

use crate::text::sanitize::{redact_credentials, sanitize_inline, sanitize_url};

pub mod newsboat;

/// One feed from an imported list. The parsers keep the URL as written (controls removed);
/// [`import_file`] vets it and strips what may not be shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportedFeed {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    /// newsboat's `!` tag: subscribed but not shown in the feed list.
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpmlError {
    #[error("not valid OPML: {0}")]
    Xml(String),
    #[error("not an OPML file (the root element is <{0}>)")]
    NotOpml(String),
}

/// Feeds of an OPML file. Outlines with an `xmlUrl` are feeds; the titles of the outlines
/// around them (and an OPML `category` attribute) become their tags.
pub fn parse_opml(text: &str) -> Result<Vec<ImportedFeed>, OpmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut feeds = Vec::new();
    // One entry per open <outline>: the folder title it contributes as a tag, if any.
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| OpmlError::Xml(format!("{e} at byte {}", reader.error_position())))?;
        match event {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                let name = e.local_name().as_ref().to_owned();
                if !name.eq_ignore_ascii_case("opml") {
                    return Err(OpmlError::NotOpml(name));
                }
                saw_root = true;
            }
            Event::Start(e) if is_outline(&e) => {
                let outline = read_outline(&e)?;
                let folder = match outline {
                    Outline::Feed(feed) => {
                        feeds.push(with_folders(feed, &folders));
                        None
                    }
                    Outline::Folder(title) => title,
                };
                folders.push(folder);
            }
            Event::Empty(e) if is_outline(&e) => {
                if let Outline::Feed(feed) = read_outline(&e)? {
                    feeds.push(with_folders(feed, &folders));
                }
            }
            Event::End(e) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(OpmlError::Xml("no root element".into()));
    }
    Ok(feeds)
}

enum Outline {
    Feed(ImportedFeed),
    Folder(Option<String>),
}

fn is_outline(e: &BytesStart<'_>) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case("outline")
}

fn read_outline(e: &BytesStart<'_>) -> Result<Outline, OpmlError> {
    let (mut url, mut title, mut text, mut category) = (None, None, None, None);
    for attr in e.attributes() {
        let attr = attr.map_err(|err| OpmlError::Xml(err.to_string()))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| OpmlError::Xml(err.to_string()))?
            .into_owned();
        match attr.key.local_name().as_ref() {
            "xmlUrl" | "xmlurl" => url = Some(sanitize_inline(&value)),
            "title" => title = Some(sanitize_inline(&value)),
            "text" => text = Some(sanitize_inline(&value)),
            "category" => category = Some(value),
            _ => {}
        }
    }
    let title = title
        .filter(|t| !t.is_empty())
        .or(text.filter(|t| !t.is_empty()));
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return Ok(Outline::Folder(title));
    };
    let tags = category
        .iter()
        .flat_map(|c| c.split(','))
        .map(|c| sanitize_inline(c.trim().trim_matches('/')))
        .filter(|c| !c.is_empty())
        .collect();
    Ok(Outline::Feed(ImportedFeed {
        // Exporters without a title write the URL as the text; that is no title.
        title: title.filter(|t| *t != url),
        url,
        tags,
        hidden: false,
    }))
}

fn with_folders(mut feed: ImportedFeed, folders: &[Option<String>]) -> ImportedFeed {
    let mut tags: Vec<String> = folders.iter().flatten().cloned().collect();
    for tag in feed.tags.drain(..) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    feed.tags = tags;
    feed
}

/// A newsboat `urls` file: `URL tag "tag with spaces" "~Title" "!"`, `#` comments.
/// A tag starting with `!` hides the feed; one starting with `~` is its title.
pub fn parse_newsboat_urls(text: &str) -> Vec<ImportedFeed> {
    let mut feeds = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut tokens = tokenize(line).into_iter();
        let Some(url) = tokens.next() else { continue };
        let mut feed = ImportedFeed {
            url: sanitize_inline(&url),
            ..ImportedFeed::default()
        };
        for token in tokens {
            if let Some(title) = token.strip_prefix('~') {
                let title = sanitize_inline(title);
                feed.title = (!title.is_empty()).then_some(title);
            } else if token.starts_with('!') {
                feed.hidden = true;
            } else {
                let tag = sanitize_inline(&token);
                if !tag.is_empty() && !feed.tags.contains(&tag) {
                    feed.tags.push(tag);
                }
            }
        }
        feeds.push(feed);
    }
    feeds
}

/// Splits on whitespace; `"..."` groups (with `\"` and `\\` escapes) as newsboat does.
fn tokenize(line: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut token = String::new();
        if first == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            token.push(escaped);
                        }
                    }
                    '"' => break,
                    c => token.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                token.push(c);
            }
        }
        tokens.push(token);
    }
    tokens
}

/// Result of [`import_file`]: accepted feeds, and (URL with credentials hidden, reason) for
/// every refused entry.
pub type Imported = (Vec<ImportedFeed>, Vec<(String, String)>);

/// Reads OPML or a newsboat `urls` file (sniffed) and refuses everything that is not a plain
/// http, https or file feed. newsboat's query feeds are neither: [`newsboat::parse_queries`]
/// reads them.
pub fn import_file(text: &str) -> Result<Imported, OpmlError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let feeds = if body.starts_with('<') {
        parse_opml(body)?
    } else {
        parse_newsboat_urls(body)
    };
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for mut feed in feeds.into_iter().filter(|f| !newsboat::is_query(&f.url)) {
        match refusal(&feed.url) {
            None => {
                // Shown forced LTR later: no bidi controls, no whitespace.
                feed.url = sanitize_url(&feed.url);
                accepted.push(feed);
            }
            Some(reason) => refused.push((redact_credentials(&feed.url), reason)),
        }
    }
    Ok((accepted, refused))
}

/// Why a URL may not be imported, or None if it may.
fn refusal(url: &str) -> Option<String> {
    if let Some(command) = url.strip_prefix('|') {
        return Some(format!(
            "runs a command; if you trust it, add it to the config file by hand as `exec:{}`",
            command.trim()
        ));
    }
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("exec") => {
            Some("runs a command; add it to the config file by hand if you trust it".into())
        }
        // newsboat's `filter:SCRIPT:URL` pipes a feed through a script; akhbar runs no
        // filter scripts, but the feed itself can be imported.
        Some("filter") => Some(match url.splitn(3, ':').nth(2).filter(|u| !u.is_empty()) {
            Some(inner) => format!(
                "filter scripts are not run by akhbar; to read the feed unfiltered, import or \
                 add {inner}"
            ),
            None => "filter scripts are not run by akhbar".to_string(),
        }),
        Some("http") | Some("https") | Some("file") => match url::Url::parse(url) {
            Ok(_) => None,
            Err(e) => Some(format!("not a valid URL: {e}")),
        },
        Some(other) if !other.is_empty() => Some(format!("unsupported scheme {other}:")),
        _ => Some("not a URL".into()),
    }
}

/// OPML 2.0 with one flat outline per feed; tags go to the `category` attribute.
pub fn export_opml(feeds: &[(String, Option<String>, Vec<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>akhbar feeds</title>\n",
    );
    out.push_str(&format!(
        "    <dateCreated>{}</dateCreated>\n  </head>\n  <body>\n",
        chrono::Utc::now().to_rfc2822()
    ));
    for (url, title, tags) in feeds {
        let text = title.as_deref().unwrap_or(url);
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{}\"",
            escape(text)
        ));
        if let Some(title) = title {
            out.push_str(&format!(" title=\"{}\"", escape(title.as_str())));
        }
        out.push_str(&format!(" xmlUrl=\"{}\"", escape(url.as_str())));
        // A comma would split the tag in two on the way back in.
        let tags: Vec<String> = tags
            .iter()
            .map(|t| t.replace(',', " "))
            .filter(|t| !t.trim().is_empty())
            .collect();
        if !tags.is_empty() {
            out.push_str(&format!(
                " category=\"{}\"",
                escape(tags.join(",").as_str())
            ));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}
